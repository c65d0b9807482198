// What an OCSP response or a CRL says about one certificate, once it has been verified.

/** Clock skew allowed between the responder or CA and us (thisUpdate a little ahead is not "future"). */
export const DEFAULT_SKEW_MS = 5 * 60_000;

/** One verified status answer. Times are epoch milliseconds. */
export interface RevocationAnswer {
  status: 'good' | 'revoked' | 'unknown';
  thisUpdate: number;
  /** null: the source gave no nextUpdate (newer information may be available at any time). */
  nextUpdate: number | null;
  revokedAt: number | null;
  /** RFC 5280 reason name (keyCompromise, superseded, …); null when none was given. */
  reason: string | null;
}

/** An answer that verified, or why the source cannot be trusted. */
export type Verdict =
  { ok: true; answer: RevocationAnswer; signer: 'issuer' | 'delegated' } | { ok: false; problem: string };

/** Past nextUpdate (by more than the allowed skew) at `now`: the source should have been refreshed. */
export function isStale(
  a: Pick<RevocationAnswer, 'nextUpdate'>,
  now: number,
  skewMs = DEFAULT_SKEW_MS,
): boolean {
  return a.nextUpdate !== null && now > a.nextUpdate + skewMs;
}
