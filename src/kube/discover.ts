// Discovery: every certificate-bearing object of a cluster as a stream of observations, page by page
// (memory bounded by the page size). Ids are `<target>/<Kind>/<namespace>/<name>` for namespaced
// objects and `<target>/<Kind>/<name>` for cluster-scoped ones; the per-namespace kube-root-ca.crt
// ConfigMaps count once per cluster, as `<target>/cluster-ca`. A refused scope (403) is one
// observation `<target>/<Kind>/<namespace or *>` with status error and details.scope = true.
import type { Observation } from '../model.js';
import type { CollectContext } from '../collectors/types.js';
import type { DiscoverSource, Target } from '../inventory/types.js';
import { CLUSTER_CA_NAME, DISCOVER_KINDS, KINDS, resolveKind, type KubeKind } from './kinds.js';
import { KubeApiError } from './client.js';
import { listAll } from './list.js';
import { extractObject, isCertificateBearing } from './extract.js';
import { kubeFor, failureOf } from './services.js';
import { safeText } from '../util/text.js';

export { CLUSTER_CA_NAME };

export interface DiscoverStreamOptions {
  /** Page size for lists (default 500). */
  pageSize?: number;
}

/** Scopes to list for a kind: per namespace when namespaces are explicit, else cluster-wide. */
function scopesFor(kind: KubeKind, src: DiscoverSource): (string | undefined)[] {
  const ns = src.namespaces ?? ['*'];
  if (!KINDS[kind].namespaced || ns.includes('*')) return [undefined];
  return [...new Set(ns)];
}

/** Observations of every certificate-bearing object a `discover` target covers. Never throws for source problems. */
export async function* discoverObservations(
  target: Target,
  ctx: CollectContext,
  opts: DiscoverStreamOptions = {},
): AsyncGenerator<Observation> {
  if (target.source.kind !== 'discover') throw new Error(`discover given a ${target.source.kind} target`);
  const src = target.source.discover;
  const kinds = src.kinds?.length
    ? src.kinds.map((k) => resolveKind(k, target.paths?.['discover.kinds'] ?? target.location))
    : DISCOVER_KINDS;
  const api = kubeFor(ctx)(src.cluster);
  const collectedAt = ctx.now.toISOString();
  const clusterCAs = new Map<string, { obs: Observation; namespaces: string[] }>();
  // cert-manager Certificates are listed first and joined to the Secret they fill (its observation
  // gets details.certManager); only a Certificate whose Secret is missing is an observation itself.
  const joinSecrets = kinds.includes('Certificate') && kinds.includes('Secret');
  const ordered = joinSecrets ? ['Certificate' as const, ...kinds.filter((k) => k !== 'Certificate')] : kinds;
  const certManager = new Map<string, { obs: Observation; used: boolean }>();
  const secretScopesFailed = new Set<string>();

  for (const kind of ordered) {
    for (const namespace of scopesFor(kind, src)) {
      const scopeName = KINDS[kind].namespaced ? (namespace ?? '*') : null;
      try {
        for await (const obj of listAll(api, kind, {
          namespace,
          limit: opts.pageSize ?? 500,
          signal: ctx.signal,
          onExpired: (how) => ctx.logger.debug(`discover ${target.id}: ${kind} list token expired; ${how}`),
        })) {
          if (!isCertificateBearing(obj)) continue;
          const ex = await extractObject(obj, { discovery: true });
          const ns = obj.metadata.namespace;
          const name = obj.metadata.name;
          const obs: Observation = {
            target: ns ? `${target.id}/${kind}/${ns}/${name}` : `${target.id}/${kind}/${name}`,
            source: {
              kind: 'discover',
              cluster: src.cluster,
              objectKind: kind,
              ...(ns ? { namespace: ns } : {}),
              name,
            },
            collectedAt,
            status: 'ok',
            error: null,
            certificates: ex.certificates,
            trustStore: ex.trustStore,
            details: ex.details,
            ...(ex.warnings.length ? { warnings: ex.warnings } : {}),
          };
          if (kind === 'CertificateSigningRequest' && !ex.details.issued)
            obs.details = { ...obs.details, certificatesExpected: false };
          if (
            kind === 'Secret' &&
            !ex.certificates.length &&
            !ex.trustStore?.length &&
            ex.warnings.some((w) => w.includes('keystore not read'))
          ) {
            obs.details = { ...obs.details, certificatesExpected: false };
          }
          if (kind === 'Certificate' && joinSecrets && typeof ex.details.secretName === 'string') {
            certManager.set(`${ns}/${ex.details.secretName}`, { obs, used: false });
            continue;
          }
          const cm = kind === 'Secret' ? certManager.get(`${ns}/${name}`) : undefined;
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
                issuerRef: d.issuerRef,
              },
            };
          }
          if (kind === 'ConfigMap' && name === CLUSTER_CA_NAME) {
            const content = (ex.trustStore ?? []).map((c) => c.record.sha256).join(',');
            const seen = clusterCAs.get(content);
            if (seen) seen.namespaces.push(ns ?? '');
            else clusterCAs.set(content, { obs, namespaces: [ns ?? ''] });
            continue;
          }
          yield obs;
        }
      } catch (e) {
        if (e instanceof KubeApiError && e.status === 404 && namespace === undefined) {
          ctx.logger.debug(
            `discover ${target.id}: ${kind} is not served by cluster ${src.cluster} (CRD not installed?)`,
          );
          continue;
        }
        const f = failureOf(e);
        if (kind === 'Secret') secretScopesFailed.add(namespace ?? '*');
        if (f.status === 'unreachable') {
          // The cluster itself is not reachable: one observation for the target, not one per scope.
          yield {
            target: target.id,
            source: { kind: 'discover', cluster: src.cluster },
            collectedAt,
            ...f,
            certificates: [],
            trustStore: null,
          };
          return;
        }
        ctx.logger.warn(`discover ${safeText(target.id)}: ${safeText(f.error.message)}`);
        yield {
          target: scopeName ? `${target.id}/${kind}/${scopeName}` : `${target.id}/${kind}`,
          source: {
            kind: 'discover',
            cluster: src.cluster,
            objectKind: kind,
            ...(scopeName ? { namespace: scopeName } : {}),
          },
          collectedAt,
          ...f,
          certificates: [],
          trustStore: null,
          details: { scope: true, kind, namespace: scopeName, severity: 'warning' },
        };
      }
    }
  }
  for (const { obs, used } of certManager.values()) {
    if (used) continue;
    const ns = String(obs.details?.namespace ?? '');
    const secret = String(obs.details?.secretName ?? '');
    if (secretScopesFailed.has('*') || secretScopesFailed.has(ns)) {
      yield obs; // the Secret could not be listed: no verdict on it
      continue;
    }
    yield {
      ...obs,
      status: 'error',
      error: {
        reason: 'not-found',
        message: `cert-manager Certificate ${safeText(ns)}/${safeText(String(obs.details?.name ?? ''))}: Secret ${safeText(ns)}/${safeText(secret)} named by spec.secretName does not exist`,
      },
    };
  }
  let n = 0;
  for (const { obs, namespaces } of clusterCAs.values()) {
    const sorted = [...namespaces].sort();
    const home = sorted.includes('kube-system') ? 'kube-system' : (sorted[0] ?? '');
    const first = (obs.trustStore ?? [])[0]?.record.sha256.slice(0, 12) ?? 'empty';
    yield {
      ...obs,
      target: n++ === 0 ? `${target.id}/cluster-ca` : `${target.id}/cluster-ca/${first}`,
      source: { ...obs.source, namespace: home },
      details: {
        ...obs.details,
        namespace: home,
        clusterCA: true,
        namespaces: sorted.length,
        foundIn: sorted.slice(0, 20),
      },
    };
  }
}
