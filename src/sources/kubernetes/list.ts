// Paged listing (objects of a kind, and namespace names): limit/continue, one recovery after a 410 on an expired continue token (continue
// with the token the 410 carries, else restart the list), every object once (by uid). Yields objects
// page by page, so memory is bounded by the page size, not by the cluster:
// the API server returns lists in key order (namespace/name; that order is what continue tokens
// encode), so after a restart every object up to the last key already yielded is skipped, and
// duplicates by uid are caught within a window of recent pages. A server that does not list in key
// order is detected, and from then on every uid is remembered instead.
import { KubeApiError, type KubeErrorKind } from './errors.js';
import type { KubeApi } from './read.js';
import type { KubeObject } from './sanitize.js';
import type { KubeKind } from './kinds.js';

export interface ListAllOptions {
  namespace?: string;
  /** Page size (default 500, kubectl's default). */
  limit?: number;
  keep?: string[];
  /** Called once when a 410 made the list restart or continue inconsistently. */
  onExpired?: (how: 'restart' | 'continue') => void;
  signal?: AbortSignal;
}

function keyOf(o: KubeObject): string {
  return `${o.metadata.namespace ?? ''}\u0000${o.metadata.name}`;
}

/** All objects of a kind in one scope, each once. Throws KubeApiError (403, network, a second 410). */
export function listAll(api: KubeApi, kind: KubeKind, opts: ListAllOptions = {}): AsyncGenerator<KubeObject> {
  const limit = opts.limit ?? 500;
  return paged(
    async (token) => api.list(kind, { namespace: opts.namespace, limit, continue: token, keep: opts.keep }),
    (o) => ({ key: keyOf(o), uid: o.metadata.uid || keyOf(o) }),
    kind,
    opts.namespace,
    opts,
  );
}

export type NamespaceListOptions = Pick<ListAllOptions, 'limit' | 'onExpired' | 'signal'>;

/**
 * Every namespace name of the cluster, each once, page by page (GET /api/v1/namespaces). Throws
 * KubeApiError (kind 'Namespace') when namespaces cannot be listed, or when the client cannot list them.
 */
export function listNamespaceNames(api: KubeApi, opts: NamespaceListOptions = {}): AsyncGenerator<string> {
  const limit = opts.limit ?? 500;
  return paged(
    async (token) => {
      if (!api.listNamespaces)
        throw new KubeApiError({
          status: 501,
          reason: 'NotImplemented',
          message: 'list Namespace: this Kubernetes client cannot list namespaces',
          kind: 'Namespace',
        });
      const page = await api.listNamespaces({ limit, continue: token });
      return { items: page.names, continue: page.continue };
    },
    (n) => ({ key: n, uid: n }),
    'Namespace',
    undefined,
    opts,
  );
}

/** The paging core: limit/continue, one 410 recovery, each item once (see the top of this file). */
async function* paged<T>(
  fetchPage: (token: string | undefined) => Promise<{ items: T[]; continue: string | null }>,
  ident: (item: T) => { key: string; uid: string },
  kind: KubeErrorKind,
  namespace: string | undefined,
  opts: Pick<ListAllOptions, 'onExpired' | 'signal'>,
): AsyncGenerator<T> {
  let token: string | undefined;
  let recovered = false;
  let lastKey: string | null = null; // key of the last object yielded while the order held
  let skipUpTo: string | null = null; // after a recovery: keys at or below were yielded already
  let recent = new Set<string>(); // uids of the previous page and this one
  let current = new Set<string>();
  let all: Set<string> | null = null; // only for servers that do not list in key order
  for (;;) {
    if (opts.signal?.aborted)
      throw new KubeApiError({
        status: 0,
        reason: 'timeout',
        message: `${kind}: list cancelled`,
        kind,
        namespace,
      });
    let page;
    try {
      page = await fetchPage(token);
    } catch (e) {
      if (e instanceof KubeApiError && e.status === 410 && token !== undefined && !recovered) {
        recovered = true;
        token = e.continueToken ?? undefined;
        skipUpTo = lastKey;
        opts.onExpired?.(token ? 'continue' : 'restart');
        continue;
      }
      throw e;
    }
    for (const item of page.items) {
      const { key, uid } = ident(item);
      if (skipUpTo !== null && key <= skipUpTo) continue;
      if (recent.has(uid) || current.has(uid) || all?.has(uid)) continue;
      if (!all && lastKey !== null && key <= lastKey) {
        // Out of key order: this server's order cannot be relied on; remember every uid from here.
        all = new Set([...recent, ...current]);
      }
      if (all) all.add(uid);
      else if (lastKey === null || key > lastKey) lastKey = key;
      current.add(uid);
      yield item;
    }
    recent = current;
    current = new Set();
    if (!page.continue) return;
    token = page.continue;
  }
}
