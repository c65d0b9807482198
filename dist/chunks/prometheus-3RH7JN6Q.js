import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import "./chunk-DDCI7ZLU.js";

// src/report/prometheus.ts
function escapeLabelValue(v) {
  return String(v).replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}
function labelName(k) {
  const n = k.replace(/[^A-Za-z0-9_]/g, "_");
  return /^[A-Za-z_]/.test(n) ? n : `_${n}`;
}
function labels(obj) {
  return `{${Object.entries(obj).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(",")}}`;
}
function nameLabels(prefix, n) {
  return {
    [`${prefix}_C`]: (n.C ?? []).join(","),
    [`${prefix}_ST`]: (n.ST ?? []).join(","),
    [`${prefix}_L`]: (n.L ?? []).join(","),
    [`${prefix}_O`]: (n.O ?? []).join(","),
    [`${prefix}_OU`]: (n.OU ?? []).join(","),
    [`${prefix}_CN`]: n.CN ?? ""
  };
}
var str = (v) => typeof v === "string" ? v : "";
function placeLabels(t) {
  const s = t.source;
  const kind = String(s.kind ?? "");
  const filePath = kind === "file" || kind === "kubeconfig" ? str(s.path) : "";
  const inCluster = typeof s.cluster === "string";
  const secret = inCluster && /^secret$/i.test(kind);
  const configMap = inCluster && /^configmap$/i.test(kind);
  return {
    filename: filePath ? filePath.split("/").pop() ?? "" : "",
    filepath: filePath,
    secret_namespace: secret ? str(s.namespace) : "",
    secret_name: secret ? str(s.name) : "",
    secret_key: secret ? str(s.key) : "",
    configmap_namespace: configMap ? str(s.namespace) : "",
    configmap_name: configMap ? str(s.name) : "",
    configmap_key: configMap ? str(s.key) : ""
  };
}
function readErrorReason(report, target) {
  const f = report.findings.find(
    (x) => x.target === target && (x.check === "source.unreachable" || x.check === "source.error")
  );
  return /^(?:unreachable|cannot be read) \(([^)]+)\)/.exec(f?.message ?? "")?.[1] ?? "unknown";
}
function targetLabels(t) {
  const out = {
    target: t.id,
    source: String(t.source.kind ?? ""),
    zone: t.zone ?? ""
  };
  for (const [k, v] of Object.entries(t.labels ?? {})) {
    const name = `label_${labelName(k)}`;
    if (!(name in out)) out[name] = v;
  }
  return out;
}
function toPrometheus(report, opts = {}) {
  const now = Date.parse(report.evaluatedAt);
  const notAfter = [];
  const notBefore = [];
  const expired = [];
  const up = [];
  const revoked = [];
  const revocationUnknown = [];
  let readErrors = 0;
  const seen = /* @__PURE__ */ new Set();
  for (const t of report.targets) {
    const tl = targetLabels(t);
    const failed = t.status === "unreachable" || t.status === "error";
    if (failed) readErrors++;
    up.push(
      `certwarden_target_up${labels({ ...tl, reason: failed ? readErrorReason(report, t.id) : "" })} ${failed ? 0 : 1}`
    );
    const place = placeLabels(t);
    for (const c of t.certificates) {
      const l = labels({
        ...tl,
        ...nameLabels("subject", c.subject),
        ...nameLabels("issuer", c.issuer),
        serial_number: c.serial,
        ...place,
        sha256: c.sha256,
        role: c.role
      });
      if (seen.has(l)) continue;
      seen.add(l);
      const na = Date.parse(c.notAfter);
      notAfter.push(`x509_cert_not_after${l} ${Math.floor(na / 1e3)}`);
      notBefore.push(`x509_cert_not_before${l} ${Math.floor(Date.parse(c.notBefore) / 1e3)}`);
      expired.push(`x509_cert_expired${l} ${now >= na ? 1 : 0}`);
      if (c.revocation) {
        revocationUnknown.push(
          `x509_cert_revocation_unknown${l} ${c.revocation.status === "unknown" ? 1 : 0}`
        );
        if (c.revocation.status !== "unknown")
          revoked.push(`x509_cert_revoked${l} ${c.revocation.status === "revoked" ? 1 : 0}`);
      }
    }
  }
  const s = report.summary;
  const out = [
    "# HELP x509_cert_not_after Certificate notAfter, as a Unix timestamp in seconds.",
    "# TYPE x509_cert_not_after gauge",
    ...notAfter,
    "# HELP x509_cert_not_before Certificate notBefore, as a Unix timestamp in seconds.",
    "# TYPE x509_cert_not_before gauge",
    ...notBefore,
    "# HELP x509_cert_expired 1 if the certificate had expired at the evaluation time, else 0.",
    "# TYPE x509_cert_expired gauge",
    ...expired,
    // Revocation series only when revocation was looked for (so reports without it are unchanged).
    ...revoked.length ? [
      "# HELP x509_cert_revoked 1 if the certificate is revoked, 0 if a current answer says it is not.",
      "# TYPE x509_cert_revoked gauge",
      ...revoked
    ] : [],
    ...revocationUnknown.length ? [
      "# HELP x509_cert_revocation_unknown 1 if the revocation status was looked for and could not be established.",
      "# TYPE x509_cert_revocation_unknown gauge",
      ...revocationUnknown
    ] : [],
    "# HELP x509_read_errors Targets that could not be read in the last scan (their certificates are missing above).",
    "# TYPE x509_read_errors gauge",
    `x509_read_errors ${readErrors}`,
    "# HELP certwarden_target_up 1 if the target was read in the last scan, 0 if not (reason: why).",
    "# TYPE certwarden_target_up gauge",
    ...up,
    "# HELP certwarden_findings Open findings of the last scan, by severity.",
    "# TYPE certwarden_findings gauge",
    `certwarden_findings{severity="error"} ${s.findings.error}`,
    `certwarden_findings{severity="warning"} ${s.findings.warning}`,
    `certwarden_findings{severity="info"} ${s.findings.info}`,
    "# HELP certwarden_findings_waived Waived findings of the last scan.",
    "# TYPE certwarden_findings_waived gauge",
    `certwarden_findings_waived ${s.waived}`,
    "# HELP certwarden_last_scan_timestamp_seconds Evaluation time of the last scan.",
    "# TYPE certwarden_last_scan_timestamp_seconds gauge",
    `certwarden_last_scan_timestamp_seconds ${Math.floor(now / 1e3)}`
  ];
  if (opts.scanSeconds !== void 0)
    out.push(
      "# HELP certwarden_scan_duration_seconds How long the last scan took: loading, collecting every target and evaluating.",
      "# TYPE certwarden_scan_duration_seconds gauge",
      `certwarden_scan_duration_seconds ${Math.round(opts.scanSeconds * 1e3) / 1e3}`
    );
  return out.join("\n") + "\n";
}
export {
  escapeLabelValue,
  labelName,
  toPrometheus
};
