// Prometheus text exposition (node_exporter's textfile collector, or a Pushgateway). The
// certificate series and x509_read_errors use the names and label names of
// x509-certificate-exporter (enix), so its dashboards and alerts work unchanged:
// x509_cert_not_after, x509_cert_not_before, x509_cert_expired with subject_*/issuer_*,
// serial_number, filename/filepath and secret_*/configmap_* labels (empty when they do not apply).
// certwarden adds its own target labels (target, source, zone, label_*), and certwarden_* series
// for what the exporter does not have: per-target read status, findings and the scan's duration.
import type { Name, Report, ReportTarget } from '../core/model.js';

export interface PrometheusOptions {
  /** How long the scan took (collection and evaluation), when the caller measured it. */
  scanSeconds?: number;
}

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

/** subject_C … subject_CN as the exporter names them (several values joined with a comma). */
function nameLabels(prefix: 'subject' | 'issuer', n: Name): Record<string, string> {
  return {
    [`${prefix}_C`]: (n.C ?? []).join(','),
    [`${prefix}_ST`]: (n.ST ?? []).join(','),
    [`${prefix}_L`]: (n.L ?? []).join(','),
    [`${prefix}_O`]: (n.O ?? []).join(','),
    [`${prefix}_OU`]: (n.OU ?? []).join(','),
    [`${prefix}_CN`]: n.CN ?? '',
  };
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Where the certificate lives, in the exporter's label names; empty for labels that do not apply. */
function placeLabels(t: ReportTarget): Record<string, string> {
  const s = t.source;
  const kind = String(s.kind ?? '');
  const filePath = kind === 'file' || kind === 'kubeconfig' ? str(s.path) : '';
  // A Kubernetes target's source shows the object's kind (Secret, ConfigMap) beside its cluster.
  const inCluster = typeof s.cluster === 'string';
  const secret = inCluster && /^secret$/i.test(kind);
  const configMap = inCluster && /^configmap$/i.test(kind);
  return {
    filename: filePath ? (filePath.split('/').pop() ?? '') : '',
    filepath: filePath,
    secret_namespace: secret ? str(s.namespace) : '',
    secret_name: secret ? str(s.name) : '',
    secret_key: secret ? str(s.key) : '',
    configmap_namespace: configMap ? str(s.namespace) : '',
    configmap_name: configMap ? str(s.name) : '',
    configmap_key: configMap ? str(s.key) : '',
  };
}

/** The reason a target could not be read, from its source.* finding ("unreachable (timeout): …"). */
function readErrorReason(report: Report, target: string): string {
  const f = report.findings.find(
    (x) => x.target === target && (x.check === 'source.unreachable' || x.check === 'source.error'),
  );
  return /^(?:unreachable|cannot be read) \(([^)]+)\)/.exec(f?.message ?? '')?.[1] ?? 'unknown';
}

function targetLabels(t: ReportTarget): Record<string, string> {
  const out: Record<string, string> = {
    target: t.id,
    source: String(t.source.kind ?? ''),
    zone: t.zone ?? '',
  };
  for (const [k, v] of Object.entries(t.labels ?? {})) {
    const name = `label_${labelName(k)}`;
    if (!(name in out)) out[name] = v;
  }
  return out;
}

/** The exposition text for a report: values at `evaluatedAt`, one series per certificate per target. */
export function toPrometheus(report: Report, opts: PrometheusOptions = {}): string {
  const now = Date.parse(report.evaluatedAt);
  const notAfter: string[] = [];
  const notBefore: string[] = [];
  const expired: string[] = [];
  const up: string[] = [];
  const revoked: string[] = [];
  const revocationUnknown: string[] = [];
  let readErrors = 0;
  const seen = new Set<string>();
  for (const t of report.targets) {
    const tl = targetLabels(t);
    const failed = t.status === 'unreachable' || t.status === 'error';
    if (failed) readErrors++;
    up.push(
      `certwarden_target_up${labels({ ...tl, reason: failed ? readErrorReason(report, t.id) : '' })} ${failed ? 0 : 1}`,
    );
    const place = placeLabels(t);
    for (const c of t.certificates) {
      const l = labels({
        ...tl,
        ...nameLabels('subject', c.subject),
        ...nameLabels('issuer', c.issuer),
        serial_number: c.serial,
        ...place,
        sha256: c.sha256,
        role: c.role,
      });
      if (seen.has(l)) continue;
      seen.add(l);
      const na = Date.parse(c.notAfter);
      notAfter.push(`x509_cert_not_after${l} ${Math.floor(na / 1000)}`);
      notBefore.push(`x509_cert_not_before${l} ${Math.floor(Date.parse(c.notBefore) / 1000)}`);
      expired.push(`x509_cert_expired${l} ${now >= na ? 1 : 0}`);
      if (c.revocation) {
        revocationUnknown.push(
          `x509_cert_revocation_unknown${l} ${c.revocation.status === 'unknown' ? 1 : 0}`,
        );
        if (c.revocation.status !== 'unknown')
          revoked.push(`x509_cert_revoked${l} ${c.revocation.status === 'revoked' ? 1 : 0}`);
      }
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
    // Revocation series only when revocation was looked for (so reports without it are unchanged).
    ...(revoked.length
      ? [
          '# HELP x509_cert_revoked 1 if the certificate is revoked, 0 if a current answer says it is not.',
          '# TYPE x509_cert_revoked gauge',
          ...revoked,
        ]
      : []),
    ...(revocationUnknown.length
      ? [
          '# HELP x509_cert_revocation_unknown 1 if the revocation status was looked for and could not be established.',
          '# TYPE x509_cert_revocation_unknown gauge',
          ...revocationUnknown,
        ]
      : []),
    '# HELP x509_read_errors Targets that could not be read in the last scan (their certificates are missing above).',
    '# TYPE x509_read_errors gauge',
    `x509_read_errors ${readErrors}`,
    '# HELP certwarden_target_up 1 if the target was read in the last scan, 0 if not (reason: why).',
    '# TYPE certwarden_target_up gauge',
    ...up,
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
  if (opts.scanSeconds !== undefined)
    out.push(
      '# HELP certwarden_scan_duration_seconds How long the last scan took: loading, collecting every target and evaluating.',
      '# TYPE certwarden_scan_duration_seconds gauge',
      `certwarden_scan_duration_seconds ${Math.round(opts.scanSeconds * 1000) / 1000}`,
    );
  return out.join('\n') + '\n';
}
