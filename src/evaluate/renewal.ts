// `renewal.failed`: a renewal request that was applied and failed. Raised by `renew`, kept open by
// `sync` as a finding issue until a renewal of the target succeeds.
import type { Finding } from '../core/model.js';
import { makeFinding } from '../core/findings.js';

/** A failed renewal as plain facts (renewal/ builds it from its request). */
export interface FailedRenewal {
  target: string;
  /** The request id. */
  request: string;
  /** The certificate being replaced (sha256): the finding's certificate, so its id is per certificate. */
  replaces: string | null;
  /** `namespace/name` of the Secret the renewal writes. */
  secret: string;
  /** The request file (repository path). */
  file: string;
  message: string;
}

/** The `renewal.failed` finding: one per target and certificate being replaced. */
export function renewalFailedFinding(r: FailedRenewal): Finding {
  return makeFinding({
    target: r.target,
    check: 'renewal.failed',
    message: `renewal request ${r.request} for ${r.target} failed: ${r.message}`,
    certificate: r.replaces,
    location: { file: r.file, line: 1, column: 1 },
    remediation: { kind: 'renew', request: r.request, secret: r.secret },
  });
}
