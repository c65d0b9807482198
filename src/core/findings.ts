// Finding construction shared by every stage: stable ids and default severities from the contract.
import { createHash } from 'node:crypto';
import type { Finding, Severity, SourceLocation } from './model.js';
import { safeText } from './text.js';

/** Default severities for findings that do not come from a policy rule (ARCHITECTURE.md). */
export const DEFAULT_SEVERITY: Record<string, Severity> = {
  'expect.subject': 'error',
  'expect.dnsNames': 'error',
  'expect.ipAddresses': 'error',
  'expect.issuer': 'error',
  'expect.chainTo': 'error',
  'expect.extKeyUsage': 'error',
  'pin.drift': 'warning',
  'chain.untrusted': 'error',
  'chain.incomplete': 'error',
  'chain.order': 'warning',
  'chain.extra': 'warning',
  'chain.expired-ca': 'error',
  'chain.hostname': 'error',
  'chain.not-yet-valid-ca': 'error',
  'trustStore.missing': 'error',
  'trustStore.unexpected': 'warning',
  'trustStore.expired': 'warning',
  'trustStore.not-ca': 'warning',
  'bundle.missing': 'error',
  'bundle.expired': 'warning',
  'source.unreachable': 'error',
  'source.error': 'error',
  'source.empty': 'error',
  'inventory.undeclared': 'info',
  'csr.pending': 'warning',
  'csr.unissued': 'warning',
  'csr.signer-rules': 'warning',
  'renewal.failed': 'error',
  'waiver.expired': 'warning',
  'revocation.revoked': 'error',
  'revocation.stale': 'warning',
  'revocation.unknown': 'warning',
  'revocation.must-staple': 'error',
  'expect.ocspStapling': 'error',
};

/**
 * Stable finding id: the same problem on the same target gives the same id in every run.
 * `subjectKey` is the certificate fingerprint, or whatever names the problem when there is no
 * certificate (an anchor id, an object name).
 */
export function findingId(target: string, checkOrRule: string, subjectKey: string | null): string {
  const h = createHash('sha256')
    .update(`${target}\u0000${checkOrRule}\u0000${subjectKey ?? ''}`)
    .digest('hex');
  return `cw-${h.slice(0, 16)}`;
}

export interface FindingInput {
  target: string;
  check: string;
  rule?: string | null;
  severity?: Severity;
  message: string;
  certificate?: string | null;
  /** What names the problem when `certificate` is null, for the id (defaults to nothing). */
  key?: string | null;
  location?: SourceLocation | null;
  remediation?: Finding['remediation'];
}

/** Builds a finding with a stable id and the contract's default severity. */
export function makeFinding(f: FindingInput): Finding {
  const rule = f.rule ?? null;
  const severity = f.severity ?? DEFAULT_SEVERITY[f.check] ?? 'error';
  const certificate = f.certificate ?? null;
  return {
    id: findingId(f.target, rule ?? f.check, f.key ?? certificate),
    target: f.target,
    check: f.check,
    rule,
    severity,
    // Messages quote names from certificates and servers: no control character (terminal escapes,
    // newlines that forge log lines) survives into any report, whatever the stage that built it.
    message: safeText(f.message),
    certificate,
    location: f.location ?? null,
    remediation: f.remediation ?? null,
    waived: null,
  };
}
