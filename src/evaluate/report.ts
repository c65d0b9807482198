// The report's shape (contract schemaVersion 1): certificates as the report shows them, targets in
// inventory order, findings sorted, the summary, and the exit code a report stands for.
import type {
  CertRecord,
  CertRole,
  Finding,
  ObservedCert,
  Report,
  ReportCertificate,
  ReportTarget,
  Severity,
} from '../core/model.js';
import { SEVERITY_RANK } from '../core/model.js';
import type { Target } from '../inventory/types.js';
import { daysUntil } from '../core/text.js';
import { VERSION } from '../core/version.js';
import { stripUserinfo } from '../core/input-errors.js';
import { certificateRole } from '../x509/role.js';

/** Which findings fail a run: at or above this severity, or none. */
export type FailOn = 'error' | 'warning' | 'info' | 'never';

/** A certificate as the report lists it, in the role x509/role.ts's certificateRole gives it. */
export function reportCert(r: CertRecord, role: CertRole, now: Date, origin?: string): ReportCertificate {
  return {
    sha256: r.sha256,
    subject: r.subject,
    issuer: r.issuer,
    serial: r.serial,
    notBefore: r.notBefore,
    notAfter: r.notAfter,
    daysRemaining: daysUntil(r.notAfter, now),
    dnsNames: r.dnsNames,
    ipAddresses: r.ipAddresses,
    keyType: r.keyType,
    keyBits: r.keyBits,
    curve: r.curve,
    signatureAlgorithm: r.signatureAlgorithm,
    isCA: r.isCA,
    role,
    ...(origin ? { origin } : {}),
  };
}

/** The role of a trust-store or bundle entry: a root when self-issued, else an intermediate. */
export function storeRole(r: CertRecord): CertRole {
  return certificateRole(r, 0, 'store');
}

/** A trust-store or bundle entry as the report lists it. */
export function reportStoreCert(c: ObservedCert, now: Date): ReportCertificate {
  return reportCert(c.record, storeRole(c.record), now, c.origin);
}

/** The target's source as the report shows it: its kind and the fields of that kind. */
export function sourceSummary(t: Target): Record<string, unknown> {
  const s = t.source as unknown as Record<string, unknown>;
  const fields = { ...(s[t.source.kind] as Record<string, unknown>) };
  if (typeof fields.via === 'string') fields.via = stripUserinfo(fields.via); // never a proxy password
  return { kind: t.source.kind, ...fields };
}

/** Most severe first, then by target, check and id: the same findings always print in the same order. */
export function sortFindings(f: Finding[]): Finding[] {
  return f.sort(
    (a, b) =>
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
      a.target.localeCompare(b.target) ||
      a.check.localeCompare(b.check) ||
      a.id.localeCompare(b.id),
  );
}

/**
 * The report from its targets and its final (waived, sorted) findings. A target's status follows
 * what is left open: one whose findings are all waived is ok.
 */
export function assembleReport(
  targets: ReportTarget[],
  findings: Finding[],
  certificates: number,
  now: Date,
): Report {
  const open = new Set(findings.filter((f) => !f.waived).map((f) => f.target));
  for (const t of targets)
    if (t.status === 'ok' || t.status === 'findings') t.status = open.has(t.id) ? 'findings' : 'ok';
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  let waived = 0;
  for (const f of findings) {
    if (f.waived) waived++;
    else counts[f.severity]++;
  }
  return {
    schemaVersion: 1,
    tool: { name: 'certwarden', version: VERSION },
    evaluatedAt: now.toISOString(),
    summary: { targets: targets.length, certificates, findings: counts, waived },
    targets,
    findings,
  };
}

/** The contract's exit code for a report: 0 clean, 1 findings at or above fail-on. */
export function exitCodeFor(report: Report, failOn: FailOn): number {
  if (failOn === 'never') return 0;
  const threshold = SEVERITY_RANK[failOn];
  return report.findings.some((f) => !f.waived && SEVERITY_RANK[f.severity] >= threshold) ? 1 : 0;
}
