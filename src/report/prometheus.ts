// Prometheus textfile (node_exporter textfile collector): metric names of the common certificate
// exporter (x509_cert_not_after, x509_cert_not_before, x509_cert_expired) with certwarden's target labels.
import type { Report } from '../core/model.js';

/** A label value in the exposition format: backslash, double quote and newline escaped. */
export function escapeLabelValue(v: string): string {
  return String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** A label name: [a-zA-Z_][a-zA-Z0-9_]*, anything else becomes `_`. */
export function labelName(k: string): string {
  const n = k.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(n) ? n : `_${n}`;
}

function labels(obj: Record<string, string>): string {
  return `{${Object.entries(obj)
    .map(([k, v]) => `${k}="${escapeLabelValue(v)}"`)
    .join(',')}}`;
}

/** The textfile for a report: one series per certificate per target, values at `evaluatedAt`. */
export function toPrometheus(report: Report): string {
  const now = Date.parse(report.evaluatedAt);
  const notAfter: string[] = [];
  const notBefore: string[] = [];
  const expired: string[] = [];
  const seen = new Set<string>();
  for (const t of report.targets) {
    const targetLabels: Record<string, string> = {
      target: t.id,
      source: String(t.source.kind ?? ''),
      zone: t.zone ?? '',
    };
    for (const [k, v] of Object.entries(t.labels ?? {})) {
      const name = `label_${labelName(k)}`;
      if (!(name in targetLabels)) targetLabels[name] = v;
    }
    for (const c of t.certificates) {
      const l = labels({
        ...targetLabels,
        subject_CN: c.subject.CN ?? '',
        issuer_CN: c.issuer.CN ?? '',
        serial_number: c.serial,
        sha256: c.sha256,
        role: c.role,
      });
      if (seen.has(l)) continue;
      seen.add(l);
      const na = Date.parse(c.notAfter);
      notAfter.push(`x509_cert_not_after${l} ${Math.floor(na / 1000)}`);
      notBefore.push(`x509_cert_not_before${l} ${Math.floor(Date.parse(c.notBefore) / 1000)}`);
      expired.push(`x509_cert_expired${l} ${now >= na ? 1 : 0}`);
    }
  }
  const s = report.summary;
  const out = [
    '# HELP x509_cert_not_after Certificate notAfter, as a Unix timestamp in seconds.',
    '# TYPE x509_cert_not_after gauge',
    ...notAfter,
    '# HELP x509_cert_not_before Certificate notBefore, as a Unix timestamp in seconds.',
    '# TYPE x509_cert_not_before gauge',
    ...notBefore,
    '# HELP x509_cert_expired 1 if the certificate had expired at the evaluation time, else 0.',
    '# TYPE x509_cert_expired gauge',
    ...expired,
    '# HELP certwarden_findings Open findings of the last scan, by severity.',
    '# TYPE certwarden_findings gauge',
    `certwarden_findings{severity="error"} ${s.findings.error}`,
    `certwarden_findings{severity="warning"} ${s.findings.warning}`,
    `certwarden_findings{severity="info"} ${s.findings.info}`,
    '# HELP certwarden_findings_waived Waived findings of the last scan.',
    '# TYPE certwarden_findings_waived gauge',
    `certwarden_findings_waived ${s.waived}`,
    '# HELP certwarden_last_scan_timestamp_seconds Evaluation time of the last scan.',
    '# TYPE certwarden_last_scan_timestamp_seconds gauge',
    `certwarden_last_scan_timestamp_seconds ${Math.floor(now / 1000)}`,
  ];
  return out.join('\n') + '\n';
}
