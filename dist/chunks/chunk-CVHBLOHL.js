import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  extractObject,
  failureOf,
  isCertificateBearing,
  kubeFor
} from "./chunk-4IEQH6BZ.js";
import {
  KubeApiError
} from "./chunk-OSFZSLBO.js";
import {
  CLUSTER_CA_NAME,
  DISCOVER_KINDS,
  KINDS,
  resolveKind
} from "./chunk-HNLBEK77.js";
import {
  safeText
} from "./chunk-NRN5HDCZ.js";

// src/sources/kubernetes/list.ts
function keyOf(o) {
  return `${o.metadata.namespace ?? ""}\0${o.metadata.name}`;
}
function listAll(api, kind, opts = {}) {
  const limit = opts.limit ?? 500;
  return paged(
    async (token) => api.list(kind, { namespace: opts.namespace, limit, continue: token, keep: opts.keep }),
    (o) => ({ key: keyOf(o), uid: o.metadata.uid || keyOf(o) }),
    kind,
    opts.namespace,
    opts
  );
}
function listNamespaceNames(api, opts = {}) {
  const limit = opts.limit ?? 500;
  return paged(
    async (token) => {
      if (!api.listNamespaces)
        throw new KubeApiError({
          status: 501,
          reason: "NotImplemented",
          message: "list Namespace: this Kubernetes client cannot list namespaces",
          kind: "Namespace"
        });
      const page = await api.listNamespaces({ limit, continue: token });
      return { items: page.names, continue: page.continue };
    },
    (n) => ({ key: n, uid: n }),
    "Namespace",
    void 0,
    opts
  );
}
async function* paged(fetchPage, ident, kind, namespace, opts) {
  let token;
  let recovered = false;
  let lastKey = null;
  let skipUpTo = null;
  let recent = /* @__PURE__ */ new Set();
  let current = /* @__PURE__ */ new Set();
  let all = null;
  for (; ; ) {
    if (opts.signal?.aborted)
      throw new KubeApiError({
        status: 0,
        reason: "timeout",
        message: `${kind}: list cancelled`,
        kind,
        namespace
      });
    let page;
    try {
      page = await fetchPage(token);
    } catch (e) {
      if (e instanceof KubeApiError && e.status === 410 && token !== void 0 && !recovered) {
        recovered = true;
        token = e.continueToken ?? void 0;
        skipUpTo = lastKey;
        opts.onExpired?.(token ? "continue" : "restart");
        continue;
      }
      throw e;
    }
    for (const item of page.items) {
      const { key, uid } = ident(item);
      if (skipUpTo !== null && key <= skipUpTo) continue;
      if (recent.has(uid) || current.has(uid) || all?.has(uid)) continue;
      if (!all && lastKey !== null && key <= lastKey) {
        all = /* @__PURE__ */ new Set([...recent, ...current]);
      }
      if (all) all.add(uid);
      else if (lastKey === null || key > lastKey) lastKey = key;
      current.add(uid);
      yield item;
    }
    recent = current;
    current = /* @__PURE__ */ new Set();
    if (!page.continue) return;
    token = page.continue;
  }
}

// src/sources/kubernetes/discover.ts
function scopesFor(kind, src) {
  const ns = src.namespaces ?? ["*"];
  if (!KINDS[kind].namespaced || ns.includes("*")) return [void 0];
  return [...new Set(ns)];
}
async function* discoverObservations(target, ctx, opts = {}) {
  if (target.source.kind !== "discover") throw new Error(`discover given a ${target.source.kind} target`);
  const run = new Discovery(target, target.source.discover, ctx, opts);
  for (const kind of run.kinds) {
    if (!(yield* run.listKind(kind))) return;
  }
  yield* run.unjoinedCertificates();
  yield* run.clusterCAs();
}
var Discovery = class {
  constructor(target, src, ctx, opts) {
    this.target = target;
    this.src = src;
    this.ctx = ctx;
    this.opts = opts;
    const kinds = src.kinds?.length ? src.kinds.map((k) => resolveKind(k, target.paths?.["discover.kinds"] ?? target.location)) : DISCOVER_KINDS;
    this.api = kubeFor(ctx)(src.cluster);
    this.collectedAt = ctx.now.toISOString();
    this.joinSecrets = kinds.includes("Certificate") && kinds.includes("Secret");
    this.kinds = this.joinSecrets ? ["Certificate", ...kinds.filter((k) => k !== "Certificate")] : kinds;
  }
  target;
  src;
  ctx;
  opts;
  /** Kinds in listing order (cert-manager Certificates first when they are joined to Secrets). */
  kinds;
  api;
  collectedAt;
  /** The kube-root-ca.crt ConfigMaps, one entry per distinct content, with the namespaces holding it. */
  clusterCAsSeen = /* @__PURE__ */ new Map();
  // cert-manager Certificates are listed first and joined to the Secret they fill (its observation
  // gets details.certManager); only a Certificate whose Secret is missing is an observation itself.
  joinSecrets;
  certManager = /* @__PURE__ */ new Map();
  secretScopesFailed = /* @__PURE__ */ new Set();
  listOpts(kind, namespace) {
    const { target, ctx } = this;
    return {
      namespace,
      limit: this.opts.pageSize ?? 500,
      signal: ctx.signal,
      onExpired: (how) => ctx.logger.debug(
        `discover ${safeText(target.id)}: ${kind}${namespace ? ` (${safeText(namespace)})` : ""} list token expired; ${how}`
      )
    };
  }
  /**
   * Lists one kind in each of its scopes, yielding observations. Returns false when the cluster
   * became unreachable (its one observation is already yielded): the run stops there.
   */
  async *listKind(kind) {
    const { target, src, ctx } = this;
    for (const namespace of scopesFor(kind, src)) {
      let seen = 0;
      try {
        for await (const obj of listAll(this.api, kind, this.listOpts(kind, namespace))) {
          seen++;
          const obs = await this.observe(kind, obj);
          if (obs) yield obs;
        }
      } catch (e) {
        if (e instanceof KubeApiError && e.status === 404 && namespace === void 0) {
          ctx.logger.debug(
            `discover ${target.id}: ${kind} is not served by cluster ${src.cluster} (CRD not installed?)`
          );
          continue;
        }
        const f = failureOf(e);
        if (f.status === "unreachable") {
          yield this.unreachable(f);
          return false;
        }
        if (namespace === void 0 && KINDS[kind].namespaced && e instanceof KubeApiError && e.status === 403 && seen === 0) {
          if (!(yield* this.perNamespace(kind, f))) return false;
          continue;
        }
        ctx.logger.warn(`discover ${safeText(target.id)}: ${safeText(f.error.message)}`);
        yield this.refused(kind, namespace, f);
      }
    }
    return true;
  }
  /**
   * After a 403 on the cluster-wide list of a namespaced kind (RBAC granted per namespace through
   * RoleBindings): list the namespaces, then the kind in each, namespace page by namespace page.
   * Namespaces still refused are scope observations; if namespaces cannot be listed, the one
   * cluster-wide scope observation stays, saying why and how to fix RBAC. Returns false when the
   * cluster became unreachable (its observation is already yielded).
   */
  async *perNamespace(kind, clusterWide) {
    const { target, ctx } = this;
    ctx.logger.debug(
      `discover ${safeText(target.id)}: ${kind} cannot be listed cluster-wide (403); listing it per namespace`
    );
    let listed = 0;
    let refusedCount = 0;
    try {
      for await (const namespace of listNamespaceNames(this.api, this.listOpts("Namespace"))) {
        try {
          for await (const obj of listAll(this.api, kind, this.listOpts(kind, namespace))) {
            const obs = await this.observe(kind, obj);
            if (obs) yield obs;
          }
          listed++;
        } catch (e) {
          const f = failureOf(e);
          if (f.status === "unreachable") {
            yield this.unreachable(f);
            return false;
          }
          refusedCount++;
          ctx.logger.debug(`discover ${safeText(target.id)}: ${safeText(f.error.message)}`);
          yield this.refused(kind, namespace, f);
        }
      }
    } catch (e) {
      const f = failureOf(e);
      if (f.status === "unreachable") {
        yield this.unreachable(f);
        return false;
      }
      yield this.namespacesNotListed(kind, clusterWide, e, f, listed + refusedCount);
      return true;
    }
    if (refusedCount)
      ctx.logger.warn(
        `discover ${safeText(target.id)}: ${kind} listed per namespace (cluster-wide list forbidden): ${listed} namespace(s) listed, ${refusedCount} forbidden`
      );
    return true;
  }
  /** The one cluster-wide scope observation kept when namespaces cannot be listed, with an RBAC hint. */
  namespacesNotListed(kind, clusterWide, e, f, tried) {
    const forbidden = e instanceof KubeApiError && (e.status === 403 || e.status === 401);
    const plural = KINDS[kind].plural;
    const message = `${clusterWide.error.message}; per-namespace listing was not possible because namespaces ${forbidden ? "cannot" : "could not"} be listed${tried ? ` (after ${tried} of them)` : ""}: ${f.error.message}. To fix RBAC, grant "list" on ${plural} cluster-wide (a ClusterRole bound by a ClusterRoleBinding), or grant "list" on namespaces cluster-wide so ${plural} are listed in each namespace a RoleBinding allows, or name the namespaces in discover.namespaces`;
    this.ctx.logger.warn(`discover ${safeText(this.target.id)}: ${safeText(message)}`);
    return this.refused(kind, void 0, {
      status: clusterWide.status,
      error: { ...clusterWide.error, message }
    });
  }
  /** The observation for one listed object, or null when it bears no certificate or is folded elsewhere. */
  async observe(kind, obj) {
    if (!isCertificateBearing(obj)) return null;
    const ex = await extractObject(obj, { discovery: true });
    const ns = obj.metadata.namespace;
    const name = obj.metadata.name;
    const obs = {
      target: ns ? `${this.target.id}/${kind}/${ns}/${name}` : `${this.target.id}/${kind}/${name}`,
      source: {
        kind: "discover",
        cluster: this.src.cluster,
        objectKind: kind,
        ...ns ? { namespace: ns } : {},
        name
      },
      collectedAt: this.collectedAt,
      status: "ok",
      error: null,
      certificates: ex.certificates,
      trustStore: ex.trustStore,
      details: ex.details,
      ...ex.warnings.length ? { warnings: ex.warnings } : {}
    };
    if (kind === "CertificateSigningRequest" && !ex.details.issued)
      obs.details = { ...obs.details, certificatesExpected: false };
    if (kind === "Secret" && !ex.certificates.length && !ex.trustStore?.length && ex.warnings.some((w) => w.includes("keystore not read"))) {
      obs.details = { ...obs.details, certificatesExpected: false };
    }
    return this.fold(kind, obs, ns, name, ex.details);
  }
  /** Joins cert-manager Certificates to their Secrets and counts kube-root-ca.crt once: null when folded. */
  fold(kind, obs, ns, name, details) {
    if (kind === "Certificate" && this.joinSecrets && typeof details.secretName === "string") {
      this.certManager.set(`${ns}/${details.secretName}`, { obs, used: false });
      return null;
    }
    const cm = kind === "Secret" ? this.certManager.get(`${ns}/${name}`) : void 0;
    if (cm) {
      cm.used = true;
      const d = cm.obs.details ?? {};
      obs.details = {
        ...obs.details,
        certManager: {
          certificate: d.name,
          ready: d.ready,
          readyReason: d.readyReason,
          notAfter: d.notAfter,
          renewalTime: d.renewalTime,
          issuerRef: d.issuerRef
        }
      };
    }
    if (kind === "ConfigMap" && name === CLUSTER_CA_NAME) {
      const content = (obs.trustStore ?? []).map((c) => c.record.sha256).join(",");
      const seen = this.clusterCAsSeen.get(content);
      if (seen) seen.namespaces.push(ns ?? "");
      else this.clusterCAsSeen.set(content, { obs, namespaces: [ns ?? ""] });
      return null;
    }
    return obs;
  }
  /** The cluster cannot be reached: one observation for the target, not one per scope. */
  unreachable(f) {
    return {
      target: this.target.id,
      source: { kind: "discover", cluster: this.src.cluster },
      collectedAt: this.collectedAt,
      ...f,
      certificates: [],
      trustStore: null
    };
  }
  /** A refused scope: `<target>/<Kind>/<namespace or *>` (cluster-scoped kinds: `<target>/<Kind>`). */
  refused(kind, namespace, f) {
    if (kind === "Secret") this.secretScopesFailed.add(namespace ?? "*");
    const scopeName = KINDS[kind].namespaced ? namespace ?? "*" : null;
    return {
      target: scopeName ? `${this.target.id}/${kind}/${scopeName}` : `${this.target.id}/${kind}`,
      source: {
        kind: "discover",
        cluster: this.src.cluster,
        objectKind: kind,
        ...scopeName ? { namespace: scopeName } : {}
      },
      collectedAt: this.collectedAt,
      ...f,
      certificates: [],
      trustStore: null,
      details: { scope: true, kind, namespace: scopeName, severity: "warning" }
    };
  }
  /** cert-manager Certificates no listed Secret took: an error when their Secret does not exist. */
  *unjoinedCertificates() {
    for (const { obs, used } of this.certManager.values()) {
      if (used) continue;
      const ns = String(obs.details?.namespace ?? "");
      const secret = String(obs.details?.secretName ?? "");
      if (this.secretScopesFailed.has("*") || this.secretScopesFailed.has(ns)) {
        yield obs;
        continue;
      }
      yield {
        ...obs,
        status: "error",
        error: {
          reason: "not-found",
          message: `cert-manager Certificate ${safeText(ns)}/${safeText(String(obs.details?.name ?? ""))}: Secret ${safeText(ns)}/${safeText(secret)} named by spec.secretName does not exist`
        }
      };
    }
  }
  /** The cluster CA ConfigMaps, once per distinct content, homed in kube-system when it has one. */
  *clusterCAs() {
    let n = 0;
    for (const { obs, namespaces } of this.clusterCAsSeen.values()) {
      const sorted = [...namespaces].sort();
      const home = sorted.includes("kube-system") ? "kube-system" : sorted[0] ?? "";
      const first = (obs.trustStore ?? [])[0]?.record.sha256.slice(0, 12) ?? "empty";
      yield {
        ...obs,
        target: n++ === 0 ? `${this.target.id}/cluster-ca` : `${this.target.id}/cluster-ca/${first}`,
        source: { ...obs.source, namespace: home },
        details: {
          ...obs.details,
          namespace: home,
          clusterCA: true,
          namespaces: sorted.length,
          foundIn: sorted.slice(0, 20)
        }
      };
    }
  }
};

export {
  discoverObservations
};
