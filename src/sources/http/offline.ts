// Fetching turned off, and why. With --offline (the action's `offline` input) the run's fetcher is
// offline; a target whose inventory says `network: {fetch: false}` (on the target, its zone or its
// file's defaults) gets an offline view instead (pipeline.ts). Either way nothing is fetched, no
// caIssuers certificate, no OCSP response, no CRL, and what was not fetched says why in words.
import { parseHttpUrl, showUrl } from './url.js';
import type { FetchFail, FetchRequest, FetchResult, HttpFetcher } from './types.js';

/** Why fetching is off when --offline (or the action's `offline`) says so. */
export const OFFLINE_FLAG = '--offline';
/** Why fetching is off for a target whose inventory says `network: {fetch: false}`. */
export const NETWORK_FETCH_OFF = 'network.fetch: false in the inventory';

/** What a fetch that was not made says: "not fetched: fetching is off (<why>)". */
export function fetchingOff(reason: string | undefined): string {
  return `not fetched: fetching is off (${reason ?? OFFLINE_FLAG})`;
}

/** A fetcher that fetches nothing and says why: every request answers 'offline' (or 'scheme'). */
export class OfflineFetcher implements HttpFetcher {
  readonly offline = true;

  constructor(readonly offlineReason: string) {}

  fetch(req: FetchRequest): Promise<FetchResult> {
    const fail = (reason: FetchFail['reason'], message: string): Promise<FetchResult> =>
      Promise.resolve({ ok: false, url: req.url, reason, message, elapsedMs: 0 });
    if (!parseHttpUrl(req.url))
      return fail('scheme', `${showUrl(req.url)} is not an http or https URL; not fetched`);
    return fail('offline', fetchingOff(this.offlineReason));
  }

  ocsp(url: string, _request: Buffer, opts: { maxBytes: number; deadline?: number }): Promise<FetchResult> {
    return this.fetch({ url, method: 'POST', ...opts });
  }
}
