// Paged listing: limit/continue, one recovery after a 410 on an expired continue token (continue
// with the token the 410 carries, else restart the list), every object once (by uid). Yields objects
// page by page, so memory is bounded by the page size, not by the cluster:
// the API server returns lists in key order (namespace/name; that order is what continue tokens
// encode), so after a restart every object up to the last key already yielded is skipped, and
// duplicates by uid are caught within a window of recent pages. A server that does not list in key
// order is detected, and from then on every uid is remembered instead.
import { KubeApiError, type KubeApi, type KubeObject } from './client.js';
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
export async function* listAll(
  api: KubeApi,
  kind: KubeKind,
  opts: ListAllOptions = {},
): AsyncGenerator<KubeObject> {
  const limit = opts.limit ?? 500;
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
        namespace: opts.namespace,
      });
    let page;
    try {
      page = await api.list(kind, { namespace: opts.namespace, limit, continue: token, keep: opts.keep });
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
      const uid = item.metadata.uid || keyOf(item);
      const key = keyOf(item);
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
