// Paged listing: limit/continue, one restart after a 410 on an expired continue token (or continue
// with the token the 410 carries), de-duplicated by uid. Yields objects page by page, so memory is
// bounded by the page size plus one uid per object seen.
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

/** All objects of a kind in one scope, each once. Throws KubeApiError (403, network, a second 410). */
export async function* listAll(api: KubeApi, kind: KubeKind, opts: ListAllOptions = {}): AsyncGenerator<KubeObject> {
  const limit = opts.limit ?? 500;
  const seen = new Set<string>();
  let token: string | undefined;
  let recovered = false;
  for (;;) {
    if (opts.signal?.aborted) throw new KubeApiError({ status: 0, reason: 'timeout', message: `${kind}: list cancelled`, kind, namespace: opts.namespace });
    let page;
    try {
      page = await api.list(kind, { namespace: opts.namespace, limit, continue: token, keep: opts.keep });
    } catch (e) {
      if (e instanceof KubeApiError && e.status === 410 && token !== undefined && !recovered) {
        recovered = true;
        // The server's inconsistent-continue token keeps what we have; otherwise start over.
        token = e.continueToken ?? undefined;
        opts.onExpired?.(token ? 'continue' : 'restart');
        continue;
      }
      throw e;
    }
    for (const item of page.items) {
      const uid = item.metadata.uid || `${item.metadata.namespace ?? ''}/${item.metadata.name}`;
      if (seen.has(uid)) continue;
      seen.add(uid);
      yield item;
    }
    if (!page.continue) return;
    token = page.continue;
  }
}
