// Audit of CertificateSigningRequests (from declared CSR targets or discovery): approved but never
// issued (`csr.unissued`), pending for long (`csr.pending`), and issued certificates that break their
// signer's naming rules (`csr.signer-rules`), e.g. kube-apiserver-client-kubelet needs CN
// system:node:<name>, O system:nodes and no SANs.
import type { CertRecord, Finding, Observation } from '../../core/model.js';
import { makeFinding } from '../../core/findings.js';
import { safeText } from '../../core/text.js';

export interface CsrAuditOptions {
  now: Date;
  /** A CSR with neither Approved nor Denied after this long is `csr.pending` (default 24 h). */
  pendingHours?: number;
  /** An approved CSR with no certificate after this long is `csr.unissued` (default 15 min). */
  unissuedMinutes?: number;
}

/** Signer naming rules for issued certificates; each returns the problems found. */
export const SIGNER_RULES: Record<string, (r: CertRecord) => string[]> = {
  'kubernetes.io/kube-apiserver-client-kubelet': (r) => {
    const p: string[] = [];
    if (!r.subject.CN || !/^system:node:[^\s]+$/.test(r.subject.CN))
      p.push(
        `CN must be system:node:<nodeName> (is ${r.subject.CN === null ? 'absent' : `'${safeText(r.subject.CN)}'`})`,
      );
    if (r.subject.O.length !== 1 || r.subject.O[0] !== 'system:nodes')
      p.push(
        `O must be exactly system:nodes (is ${r.subject.O.length ? r.subject.O.map((o) => `'${safeText(o)}'`).join(', ') : 'absent'})`,
      );
    const sans = r.dnsNames.length + r.ipAddresses.length + r.emailAddresses.length + r.uris.length;
    if (sans) p.push(`must have no subject alternative names (has ${sans})`);
    return p;
  },
  'kubernetes.io/kubelet-serving': (r) => {
    const p: string[] = [];
    if (!r.subject.CN || !/^system:node:[^\s]+$/.test(r.subject.CN))
      p.push(
        `CN must be system:node:<nodeName> (is ${r.subject.CN === null ? 'absent' : `'${safeText(r.subject.CN)}'`})`,
      );
    if (r.subject.O.length !== 1 || r.subject.O[0] !== 'system:nodes')
      p.push(
        `O must be exactly system:nodes (is ${r.subject.O.length ? r.subject.O.map((o) => `'${safeText(o)}'`).join(', ') : 'absent'})`,
      );
    if (r.emailAddresses.length || r.uris.length)
      p.push('may carry only DNS and IP subject alternative names');
    if (!r.dnsNames.length && !r.ipAddresses.length)
      p.push('needs at least one DNS or IP subject alternative name');
    return p;
  },
};

function isCsr(o: Observation): boolean {
  return o.details?.kind === 'CertificateSigningRequest' && o.status === 'ok';
}

/** CSR findings for every CSR observation (declared or discovered). */
export function auditCsrs(observations: readonly Observation[], opts: CsrAuditOptions): Finding[] {
  const out: Finding[] = [];
  const pendingMs = (opts.pendingHours ?? 24) * 3_600_000;
  const unissuedMs = (opts.unissuedMinutes ?? 15) * 60_000;
  const now = opts.now.getTime();
  for (const o of observations) {
    if (!isCsr(o)) continue;
    const d = o.details as Record<string, unknown>;
    const name = safeText(String(d.name ?? '?'));
    const signer = typeof d.signerName === 'string' ? d.signerName : null;
    const issued = o.certificates.length > 0;
    const denied = d.denied === true;
    const failed = d.failed === true;
    const approved = d.approved === true;
    const created = typeof d.created === 'string' ? Date.parse(d.created) : NaN;
    if (approved && !issued && !denied && !failed) {
      const since = typeof d.approvedAt === 'string' ? Date.parse(d.approvedAt) : created;
      if (!Number.isFinite(since) || now - since >= unissuedMs) {
        out.push(
          makeFinding({
            target: o.target,
            check: 'csr.unissued',
            key: `csr/${d.name}`,
            message: `CertificateSigningRequest ${name} (signer ${safeText(signer ?? '?')}) was approved${Number.isFinite(since) ? ` ${ago(now - since)} ago` : ''} but no certificate was issued: is a signer running for it?`,
            remediation: { kind: 'manual' },
          }),
        );
      }
    } else if (
      !approved &&
      !denied &&
      !failed &&
      !issued &&
      Number.isFinite(created) &&
      now - created >= pendingMs
    ) {
      out.push(
        makeFinding({
          target: o.target,
          check: 'csr.pending',
          key: `csr/${d.name}`,
          message: `CertificateSigningRequest ${name} (signer ${safeText(signer ?? '?')}, requested by ${safeText(String(d.username ?? '?'))}) has been pending for ${ago(now - created)}: approve or deny it`,
          remediation: { kind: 'manual' },
        }),
      );
    }
    const rule = signer ? SIGNER_RULES[signer] : undefined;
    const cert = o.certificates[0];
    if (rule && cert) {
      const problems = rule(cert.record);
      if (problems.length) {
        out.push(
          makeFinding({
            target: o.target,
            check: 'csr.signer-rules',
            certificate: cert.record.sha256,
            message: `CertificateSigningRequest ${name}: the certificate issued by signer ${safeText(signer as string)} breaks its rules: ${problems.join('; ')}`,
            remediation: { kind: 'manual' },
          }),
        );
      }
    }
  }
  return out;
}

function ago(ms: number): string {
  const h = ms / 3_600_000;
  if (h >= 48) return `${Math.floor(h / 24)} days`;
  if (h >= 1) return `${Math.floor(h)} hours`;
  return `${Math.max(0, Math.floor(ms / 60_000))} minutes`;
}
