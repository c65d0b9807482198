# certwarden's container image, for scanning from inside a cluster (docs/kubernetes/cronjob.yaml).
# Built by .github/workflows/image.yml from a checkout: the committed bundle (dist/cli.js holds every
# dependency), the shipped policy packs and schemas. Nothing is fetched from a package registry.
# NODE_IMAGE has no default on purpose: it must name the base by digest (node:24-slim@sha256:…),
# and the workflow refuses anything else.
ARG NODE_IMAGE
FROM ${NODE_IMAGE}
WORKDIR /opt/certwarden
COPY package.json ./
COPY dist/cli.js dist/
COPY policies/ policies/
COPY schemas/ schemas/
USER 65532:65532
ENTRYPOINT ["node", "/opt/certwarden/dist/cli.js"]
