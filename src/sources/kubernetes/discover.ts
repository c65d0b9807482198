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
import type { KubeApi } from './read.js';
import { safeText } from '../../core/text.js';

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
  const run = new Discovery(target, target.source.discover, ctx, opts);
  for (const kind of run.kinds) {
    if (!(yield* run.listKind(kind))) return; // the cluster is unreachable: its observation is out
  }
  yield* run.unjoinedCertificates();
  yield* run.clusterCAs();
}

type Failure = ReturnType<typeof failureOf>;

/** The state of one discovery run: the objects folded into others, and the scopes that failed. */
class Discovery {
  /** Kinds in listing order (cert-manager Certificates first when they are joined to Secrets). */
  readonly kinds: KubeKind[];
  private readonly api: KubeApi;
  private readonly collectedAt: string;
  /** The kube-root-ca.crt ConfigMaps, one entry per distinct content, with the namespaces holding it. */
  private readonly clusterCAsSeen = new Map<string, { obs: Observation; namespaces: string[] }>();
  // cert-manager Certificates are listed first and joined to the Secret they fill (its observation
  // gets details.certManager); only a Certificate whose Secret is missing is an observation itself.
  private readonly joinSecrets: boolean;
  private readonly certManager = new Map<string, { obs: Observation; used: boolean }>();
  private readonly secretScopesFailed = new Set<string>();

  constructor(
    private readonly target: Target,
    private readonly src: DiscoverSource,
    private readonly ctx: CollectContext,
    private readonly opts: DiscoverStreamOptions,
  ) {
    const kinds = src.kinds?.length
      ? src.kinds.map((k) => resolveKind(k, target.paths?.['discover.kinds'] ?? target.location))
      : DISCOVER_KINDS;
    this.api = kubeFor(ctx)(src.cluster);
    this.collectedAt = ctx.now.toISOString();
    this.joinSecrets = kinds.includes('Certificate') && kinds.includes('Secret');
    this.kinds = this.joinSecrets
      ? ['Certificate' as const, ...kinds.filter((k) => k !== 'Certificate')]
      : kinds;
  }

  private listOpts(kind: KubeKind | 'Namespace', namespace?: string) {
    const { target, ctx } = this;
    return {
      namespace,
      limit: this.opts.pageSize ?? 500,
      signal: ctx.signal,
      onExpired: (how: string) =>
        ctx.logger.debug(
          `discover ${safeText(target.id)}: ${kind}${namespace ? ` (${safeText(namespace)})` : ''} list token expired; ${how}`,
        ),
    };
  }

  /**
   * Lists one kind in each of its scopes, yielding observations. Returns false when the cluster
   * became unreachable (its one observation is already yielded): the run stops there.
   */
  async *listKind(kind: KubeKind): AsyncGenerator<Observation, boolean> {
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
        if (e instanceof KubeApiError && e.status === 404 && namespace === undefined) {
          ctx.logger.debug(
            `discover ${target.id}: ${kind} is not served by cluster ${src.cluster} (CRD not installed?)`,
          );
          continue;
        }
        const f = failureOf(e);
        if (f.status === 'unreachable') {
          yield this.unreachable(f);
          return false;
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
  private async *perNamespace(kind: KubeKind, clusterWide: Failure): AsyncGenerator<Observation, boolean> {
    const { target, ctx } = this;
    ctx.logger.debug(
      `discover ${safeText(target.id)}: ${kind} cannot be listed cluster-wide (403); listing it per namespace`,
    );
    let listed = 0;
    let refusedCount = 0;
    try {
      for await (const namespace of listNamespaceNames(this.api, this.listOpts('Namespace'))) {
        try {
          for await (const obj of listAll(this.api, kind, this.listOpts(kind, namespace))) {
            const obs = await this.observe(kind, obj);
            if (obs) yield obs;
          }
          listed++;
        } catch (e) {
          const f = failureOf(e);
          if (f.status === 'unreachable') {
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
      if (f.status === 'unreachable') {
        yield this.unreachable(f);
        return false;
      }
      yield this.namespacesNotListed(kind, clusterWide, e, f, listed + refusedCount);
      return true;
    }
    if (refusedCount)
      ctx.logger.warn(
        `discover ${safeText(target.id)}: ${kind} listed per namespace (cluster-wide list forbidden): ` +
          `${listed} namespace(s) listed, ${refusedCount} forbidden`,
      );
    return true;
  }

  /** The one cluster-wide scope observation kept when namespaces cannot be listed, with an RBAC hint. */
  private namespacesNotListed(
    kind: KubeKind,
    clusterWide: Failure,
    e: unknown,
    f: Failure,
    tried: number,
  ): Observation {
    const forbidden = e instanceof KubeApiError && (e.status === 403 || e.status === 401);
    const plural = KINDS[kind].plural;
    const message =
      `${clusterWide.error.message}; per-namespace listing was not possible because namespaces ` +
      `${forbidden ? 'cannot' : 'could not'} be listed${tried ? ` (after ${tried} of them)` : ''}: ` +
      `${f.error.message}. To fix RBAC, grant "list" on ${plural} cluster-wide (a ClusterRole bound by a ` +
      `ClusterRoleBinding), or grant "list" on namespaces cluster-wide so ${plural} are listed in each ` +
      `namespace a RoleBinding allows, or name the namespaces in discover.namespaces`;
    this.ctx.logger.warn(`discover ${safeText(this.target.id)}: ${safeText(message)}`);
    return this.refused(kind, undefined, {
      status: clusterWide.status,
      error: { ...clusterWide.error, message },
    });
  }

  /** The observation for one listed object, or null when it bears no certificate or is folded elsewhere. */
  private async observe(kind: KubeKind, obj: KubeObject): Promise<Observation | null> {
    if (!isCertificateBearing(obj)) return null;
    const ex = await extractObject(obj, { discovery: true });
    const ns = obj.metadata.namespace;
    const name = obj.metadata.name;
    const obs: Observation = {
      target: ns ? `${this.target.id}/${kind}/${ns}/${name}` : `${this.target.id}/${kind}/${name}`,
      source: {
        kind: 'discover',
        cluster: this.src.cluster,
        objectKind: kind,
        ...(ns ? { namespace: ns } : {}),
        name,
      },
      collectedAt: this.collectedAt,
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
    return this.fold(kind, obs, ns, name, ex.details);
  }

  /** Joins cert-manager Certificates to their Secrets and counts kube-root-ca.crt once: null when folded. */
  private fold(
    kind: KubeKind,
    obs: Observation,
    ns: string | undefined,
    name: string,
    details: Record<string, unknown>,
  ): Observation | null {
    if (kind === 'Certificate' && this.joinSecrets && typeof details.secretName === 'string') {
      this.certManager.set(`${ns}/${details.secretName}`, { obs, used: false });
      return null;
    }
    const cm = kind === 'Secret' ? this.certManager.get(`${ns}/${name}`) : undefined;
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
      const content = (obs.trustStore ?? []).map((c) => c.record.sha256).join(',');
      const seen = this.clusterCAsSeen.get(content);
      if (seen) seen.namespaces.push(ns ?? '');
      else this.clusterCAsSeen.set(content, { obs, namespaces: [ns ?? ''] });
      return null;
    }
    return obs;
  }

  /** The cluster cannot be reached: one observation for the target, not one per scope. */
  private unreachable(f: Failure): Observation {
    return {
      target: this.target.id,
      source: { kind: 'discover', cluster: this.src.cluster },
      collectedAt: this.collectedAt,
      ...f,
      certificates: [],
      trustStore: null,
    };
  }

  /** A refused scope: `<target>/<Kind>/<namespace or *>` (cluster-scoped kinds: `<target>/<Kind>`). */
  private refused(kind: KubeKind, namespace: string | undefined, f: Failure): Observation {
    if (kind === 'Secret') this.secretScopesFailed.add(namespace ?? '*');
    const scopeName = KINDS[kind].namespaced ? (namespace ?? '*') : null;
    return {
      target: scopeName ? `${this.target.id}/${kind}/${scopeName}` : `${this.target.id}/${kind}`,
      source: {
        kind: 'discover',
        cluster: this.src.cluster,
        objectKind: kind,
        ...(scopeName ? { namespace: scopeName } : {}),
      },
      collectedAt: this.collectedAt,
      ...f,
      certificates: [],
      trustStore: null,
      details: { scope: true, kind, namespace: scopeName, severity: 'warning' },
    };
  }

  /** cert-manager Certificates no listed Secret took: an error when their Secret does not exist. */
  *unjoinedCertificates(): Generator<Observation> {
    for (const { obs, used } of this.certManager.values()) {
      if (used) continue;
      const ns = String(obs.details?.namespace ?? '');
      const secret = String(obs.details?.secretName ?? '');
      if (this.secretScopesFailed.has('*') || this.secretScopesFailed.has(ns)) {
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
  }

  /** The cluster CA ConfigMaps, once per distinct content, homed in kube-system when it has one. */
  *clusterCAs(): Generator<Observation> {
    let n = 0;
    for (const { obs, namespaces } of this.clusterCAsSeen.values()) {
      const sorted = [...namespaces].sort();
      const home = sorted.includes('kube-system') ? 'kube-system' : (sorted[0] ?? '');
      const first = (obs.trustStore ?? [])[0]?.record.sha256.slice(0, 12) ?? 'empty';
      yield {
        ...obs,
        target: n++ === 0 ? `${this.target.id}/cluster-ca` : `${this.target.id}/cluster-ca/${first}`,
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
}
