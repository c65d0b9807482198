// Discovery: every certificate-bearing object of a cluster as a stream of observations, page by page
// (memory bounded by the page size). Ids are `<target>/<Kind>/<namespace>/<name>` for namespaced
// objects and `<target>/<Kind>/<name>` for cluster-scoped ones; the per-namespace kube-root-ca.crt
// ConfigMaps count once per cluster, as `<target>/cluster-ca`. A refused scope (403) is one
// observation `<target>/<Kind>/<namespace or *>` with status error and details.scope = true.
// With `namespaces: ["*"]`, a 403 on the cluster-wide list of a namespaced kind (RBAC granted per
// namespace) falls back to listing namespaces, then the kind in each namespace.
import type { Observation } from '../../core/model.js';
import type { CollectContext } from '../types.js';
import type { DiscoverSource, Target } from '../../inventory/types.js';
import { CLUSTER_CA_NAME, DISCOVER_KINDS, KINDS, resolveKind, type KubeKind } from './kinds.js';
import { KubeApiError } from './errors.js';
import type { KubeObject } from './sanitize.js';
import { listAll, listNamespaceNames } from './list.js';
import { extractObject, isCertificateBearing } from './extract.js';
import { kubeFor, failureOf } from './services.js';
import { safeText } from '../../core/text.js';

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

  const listOpts = (kind: KubeKind | 'Namespace', namespace?: string) => ({
    namespace,
    limit: opts.pageSize ?? 500,
    signal: ctx.signal,
    onExpired: (how: string) =>
      ctx.logger.debug(
        `discover ${safeText(target.id)}: ${kind}${namespace ? ` (${safeText(namespace)})` : ''} list token expired; ${how}`,
      ),
  });

  /** The observation for one listed object, or null when it bears no certificate or is folded elsewhere. */
  const observe = async (kind: KubeKind, obj: KubeObject): Promise<Observation | null> => {
    if (!isCertificateBearing(obj)) return null;
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
      return null;
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
      return null;
    }
    return obs;
  };

  /** The cluster cannot be reached: one observation for the target, not one per scope. */
  const unreachable = (f: ReturnType<typeof failureOf>): Observation => ({
    target: target.id,
    source: { kind: 'discover', cluster: src.cluster },
    collectedAt,
    ...f,
    certificates: [],
    trustStore: null,
  });

  /** A refused scope: `<target>/<Kind>/<namespace or *>` (cluster-scoped kinds: `<target>/<Kind>`). */
  const refused = (
    kind: KubeKind,
    namespace: string | undefined,
    f: ReturnType<typeof failureOf>,
  ): Observation => {
    if (kind === 'Secret') secretScopesFailed.add(namespace ?? '*');
    const scopeName = KINDS[kind].namespaced ? (namespace ?? '*') : null;
    return {
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
  };

  /**
   * After a 403 on the cluster-wide list of a namespaced kind (RBAC granted per namespace through
   * RoleBindings): list the namespaces, then the kind in each, namespace page by namespace page.
   * Namespaces still refused are scope observations; if namespaces cannot be listed, the one
   * cluster-wide scope observation stays, saying why and how to fix RBAC. Returns false when the
   * cluster became unreachable (its observation is already yielded).
   */
  async function* perNamespace(
    kind: KubeKind,
    clusterWide: ReturnType<typeof failureOf>,
  ): AsyncGenerator<Observation, boolean> {
    ctx.logger.debug(
      `discover ${safeText(target.id)}: ${kind} cannot be listed cluster-wide (403); listing it per namespace`,
    );
    let listed = 0;
    let refusedCount = 0;
    try {
      for await (const namespace of listNamespaceNames(api, listOpts('Namespace'))) {
        try {
          for await (const obj of listAll(api, kind, listOpts(kind, namespace))) {
            const obs = await observe(kind, obj);
            if (obs) yield obs;
          }
          listed++;
        } catch (e) {
          const f = failureOf(e);
          if (f.status === 'unreachable') {
            yield unreachable(f);
            return false;
          }
          refusedCount++;
          ctx.logger.debug(`discover ${safeText(target.id)}: ${safeText(f.error.message)}`);
          yield refused(kind, namespace, f);
        }
      }
    } catch (e) {
      const f = failureOf(e);
      if (f.status === 'unreachable') {
        yield unreachable(f);
        return false;
      }
      const forbidden = e instanceof KubeApiError && (e.status === 403 || e.status === 401);
      const plural = KINDS[kind].plural;
      const message =
        `${clusterWide.error.message}; per-namespace listing was not possible because namespaces ` +
        `${forbidden ? 'cannot' : 'could not'} be listed${listed + refusedCount ? ` (after ${listed + refusedCount} of them)` : ''}: ` +
        `${f.error.message}. To fix RBAC, grant "list" on ${plural} cluster-wide (a ClusterRole bound by a ` +
        `ClusterRoleBinding), or grant "list" on namespaces cluster-wide so ${plural} are listed in each ` +
        `namespace a RoleBinding allows, or name the namespaces in discover.namespaces`;
      ctx.logger.warn(`discover ${safeText(target.id)}: ${safeText(message)}`);
      yield refused(kind, undefined, {
        status: clusterWide.status,
        error: { ...clusterWide.error, message },
      });
      return true;
    }
    if (refusedCount)
      ctx.logger.warn(
        `discover ${safeText(target.id)}: ${kind} listed per namespace (cluster-wide list forbidden): ` +
          `${listed} namespace(s) listed, ${refusedCount} forbidden`,
      );
    return true;
  }

  for (const kind of ordered) {
    for (const namespace of scopesFor(kind, src)) {
      let seen = 0;
      try {
        for await (const obj of listAll(api, kind, listOpts(kind, namespace))) {
          seen++;
          const obs = await observe(kind, obj);
          if (obs) yield obs;
        }
      } catch (e) {
        if (e instanceof KubeApiError && e.status === 404 && namespace === undefined) {
          ctx.logger.debug(
            `discover ${target.id}: ${kind} is not served by cluster ${src.cluster} (CRD not installed?)`,
          );
          continue;
        }
        const f = failureOf(e);
        if (f.status === 'unreachable') {
          yield unreachable(f);
          return;
        }
        // A cluster-wide list refused before any object came: fall back to per-namespace lists.
        // (Refused after some pages, the objects already yielded would come again; keep the scope.)
        if (
          namespace === undefined &&
          KINDS[kind].namespaced &&
          e instanceof KubeApiError &&
          e.status === 403 &&
          seen === 0
        ) {
          if (!(yield* perNamespace(kind, f))) return;
          continue;
        }
        ctx.logger.warn(`discover ${safeText(target.id)}: ${safeText(f.error.message)}`);
        yield refused(kind, namespace, f);
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
