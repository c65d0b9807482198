// The read API: one page of a kind (list), one object (get), one page of namespace names. Every
// body is scanned (json-scan.ts) and sanitised (sanitize.ts) as soon as it arrives, so private keys
// never leave here; the buffers are wiped once read.
import { apiPath, KINDS, type KubeKind } from './kinds.js';
import { sanitizeObject, type KubeObject } from './sanitize.js';
import { scanList, scanObject } from './json-scan.js';
import { readBody, type KubeTransport } from './transport.js';

export interface ListOptions {
  namespace?: string;
  limit: number;
  continue?: string;
  /** Keys to keep besides certificate keys (Secrets/ConfigMaps). */
  keep?: string[];
}

export interface ListPage {
  items: KubeObject[];
  /** Token for the next page; null when this was the last page. */
  continue: string | null;
  resourceVersion: string | null;
}

/** One page of namespace names (GET /api/v1/namespaces). */
export interface NamespacePage {
  names: string[];
  /** Token for the next page; null when this was the last page. */
  continue: string | null;
}

export interface GetOptions {
  /** A named key to keep (a declared target's `key`), besides certificate keys. */
  keep?: string[];
  /** Named keys that hold a keystore (declared `format: pkcs12|jks`): kept whole. */
  containers?: string[];
}

/** The small interface every Kubernetes consumer in certwarden uses. */
export interface KubeApi {
  list(kind: KubeKind, opts: ListOptions): Promise<ListPage>;
  /** null when the object does not exist (404). */
  get(
    kind: KubeKind,
    namespace: string | null | undefined,
    name: string,
    opts?: GetOptions,
  ): Promise<KubeObject | null>;
  /**
   * One page of the cluster's namespaces: discovery lists a kind per namespace when its cluster-wide
   * list is forbidden. Optional (small fakes in tests need not have it).
   */
  listNamespaces?(opts: { limit: number; continue?: string }): Promise<NamespacePage>;
}

/** Builds a KubeApi for a cluster named in the inventory. */
export type KubeFactory = (clusterName: string) => KubeApi;

/** One page of a kind in one scope (a namespace, or all). */
export async function listPage(t: KubeTransport, kind: KubeKind, opts: ListOptions): Promise<ListPage> {
  const q = new URLSearchParams();
  q.set('limit', String(opts.limit));
  if (opts.continue) q.set('continue', opts.continue);
  const res = await t.request(kind, opts.namespace ?? null, `${apiPath(kind, opts.namespace)}?${q}`);
  if (res.status !== 200) throw t.errorFor(kind, opts.namespace ?? null, res, 'list');
  const keep = new Set(opts.keep ?? []);
  const doc = readBody(res.body, kind, () => scanList(res.body, kind, keep));
  const meta = doc.metadata;
  const page: ListPage = {
    items: doc.items.map((it) => sanitizeObject(kind, it, { keep: opts.keep })),
    continue: typeof meta.continue === 'string' && meta.continue ? meta.continue : null,
    resourceVersion: typeof meta.resourceVersion === 'string' ? meta.resourceVersion : null,
  };
  return page;
}

/** One page of namespace names (GET /api/v1/namespaces). */
export async function listNamespacesPage(
  t: KubeTransport,
  opts: { limit: number; continue?: string },
): Promise<NamespacePage> {
  const q = new URLSearchParams();
  q.set('limit', String(opts.limit));
  if (opts.continue) q.set('continue', opts.continue);
  const res = await t.request('Namespace', null, `/api/v1/namespaces?${q}`);
  if (res.status !== 200) throw t.errorFor('Namespace', null, res, 'list');
  const doc = readBody(res.body, 'Namespace', () => {
    const d = JSON.parse(res.body.toString('utf8')) as {
      metadata?: { continue?: unknown };
      items?: { metadata?: { name?: unknown } }[];
    };
    if (!d || typeof d !== 'object' || !Array.isArray(d.items)) throw new SyntaxError('not a list');
    return d;
  });
  // Namespace names are DNS-1123 labels on every real server; anything else (hostile) is dropped.
  const names = (doc.items ?? [])
    .map((it) => it?.metadata?.name)
    .filter((n): n is string => typeof n === 'string' && /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(n));
  const cont = doc.metadata?.continue;
  return { names, continue: typeof cont === 'string' && cont ? cont : null };
}

/** One object, or null when it does not exist (404). */
export async function getObject(
  t: KubeTransport,
  kind: KubeKind,
  namespace: string | null | undefined,
  name: string,
  opts: GetOptions = {},
): Promise<KubeObject | null> {
  const ns = KINDS[kind].namespaced ? (namespace ?? null) : null;
  const res = await t.request(kind, ns, apiPath(kind, ns, name));
  if (res.status === 404) return null;
  if (res.status !== 200) throw t.errorFor(kind, ns, res, 'get');
  const keep = new Set([...(opts.keep ?? []), ...(opts.containers ?? [])]);
  return sanitizeObject(
    kind,
    readBody(res.body, kind, () => scanObject(res.body, 0, kind, keep)),
    { keep: opts.keep, containers: opts.containers },
  );
}
