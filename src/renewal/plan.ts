// Renewal planning, pure: which expiring targets get a renewal request (kubernetes-csr) and what it
// asks for, and the runbook facts for the other methods (cert-manager, kubeadm, manual). No network,
// no filesystem, no clock: sync renders the results into PRs and issue bodies.
import { createHash } from 'node:crypto';
import type { Finding, Report, ReportCertificate } from '../core/model.js';
import { SEVERITY_RANK } from '../core/model.js';
import type { LoadedInventory, Target } from '../inventory/types.js';
import type { PolicySet } from '../policy/types.js';
import { parseRenewalRequest, requestFileName, type RenewalRequest } from './request.js';

/** One allowed key shape of a policy's `key` rule (`params.allow`). */
export interface KeyAllow {
  type: string;
  minBits?: number;
  curves?: string[];
}

export type KeySpec = RenewalRequest['spec']['key'];

/** Folder at the repository root where sync writes request files and `renew` reads them. */
export const RENEWALS_DIR = 'renewals';

/** Repository-relative path of a target's request file. */
export function renewalPath(target: string): string {
  return `${RENEWALS_DIR}/${requestFileName(target)}`;
}

const CURVE_ALIASES: Record<string, 'P-256' | 'P-384' | 'P-521'> = {
  'p-256': 'P-256',
  prime256v1: 'P-256',
  secp256r1: 'P-256',
  'p-384': 'P-384',
  secp384r1: 'P-384',
  'p-521': 'P-521',
  secp521r1: 'P-521',
};

function curveName(c: string | null | undefined): 'P-256' | 'P-384' | 'P-521' | null {
  return c ? (CURVE_ALIASES[c.toLowerCase()] ?? null) : null;
}

/** The `allow` lists of the `key` rules of the target's policies (null: no key rule applies). */
export function keyAllowFor(target: Target, policies: PolicySet | undefined): KeyAllow[] | null {
  if (!policies) return null;
  const out: KeyAllow[] = [];
  let found = false;
  for (const name of target.policies) {
    for (const rule of policies.policies.get(name)?.rules ?? []) {
      if (rule.check !== 'key' || !Array.isArray(rule.params['allow'])) continue;
      found = true;
      for (const a of rule.params['allow'] as unknown[]) {
        if (a && typeof a === 'object' && typeof (a as KeyAllow).type === 'string') out.push(a as KeyAllow);
      }
    }
  }
  return found ? out : null;
}

/**
 * The key the renewed certificate gets: the current certificate's type, at least as strong as it was
 * and as the policy requires (RSA ≥ 2048, EC on an allowed curve, P-256 by default). When the policy
 * does not allow the current type, its first allowed type is used.
 */
export function keySpecFor(cert: ReportCertificate | undefined, allow: KeyAllow[] | null): KeySpec {
  const allowed = (type: string) => !allow || allow.some((a) => a.type.toUpperCase() === type.toUpperCase());
  const rsa = (): KeySpec => {
    const policyMin = Math.max(
      0,
      ...(allow ?? []).filter((a) => a.type.toUpperCase() === 'RSA').map((a) => a.minBits ?? 0),
    );
    const current = cert?.keyType === 'RSA' ? (cert.keyBits ?? 0) : 0;
    return { type: 'RSA', bits: Math.max(2048, policyMin, current) };
  };
  const ec = (): KeySpec => {
    const curves = (allow ?? [])
      .filter((a) => a.type.toUpperCase() === 'EC')
      .flatMap((a) => a.curves ?? [])
      .map(curveName)
      .filter((c): c is 'P-256' | 'P-384' | 'P-521' => c !== null);
    const current = cert?.keyType === 'EC' ? curveName(cert.curve) : null;
    if (current && (!curves.length || curves.includes(current))) return { type: 'EC', curve: current };
    return { type: 'EC', curve: curves.includes('P-256') || !curves.length ? 'P-256' : curves[0]! };
  };
  const byType: Record<string, () => KeySpec> = { RSA: rsa, EC: ec, Ed25519: () => ({ type: 'Ed25519' }) };
  const current = cert?.keyType;
  if (current && byType[current] && allowed(current)) return byType[current]();
  for (const a of allow ?? []) {
    const t = Object.keys(byType).find((k) => k.toUpperCase() === a.type.toUpperCase());
    if (t) return byType[t]!();
  }
  return ec();
}

/** The Secret a kubernetes-csr renewal writes: `renewal.secret`, else the target's own Secret. */
export function renewalSecret(t: Target): { namespace: string; name: string } | null {
  if (t.renewal?.secret) return t.renewal.secret;
  if (
    t.source.kind === 'kubernetes' &&
    t.source.kubernetes.kind === 'Secret' &&
    t.source.kubernetes.namespace
  )
    return { namespace: t.source.kubernetes.namespace, name: t.source.kubernetes.name };
  return null;
}

/** The cluster a kubernetes-csr renewal talks to: `renewal.cluster`, else the target's cluster. */
export function renewalCluster(t: Target): string | null {
  if (typeof t.renewal?.['cluster'] === 'string') return t.renewal['cluster'] as string;
  if (t.source.kind === 'kubernetes') return t.source.kubernetes.cluster;
  return null;
}

/** Stable id of a request: a content hash of what is asked for (and the failed request it retries). */
export function requestId(
  target: string,
  spec: RenewalRequest['spec'],
  retryOf: string | null = null,
): string {
  return createHash('sha256').update(JSON.stringify({ target, spec, retryOf })).digest('hex').slice(0, 20);
}

/** An expiring target: its expiry finding, the certificate it is about, and the inventory target. */
export interface RenewalCandidate {
  target: Target;
  finding: Finding;
  cert: ReportCertificate | undefined;
}

/**
 * Targets with a `renewal` block that are inside the renewal window, i.e. the policy's expiry check
 * found their certificate (warning or error, not waived). One candidate per target: the most severe.
 */
export function renewalCandidates(
  report: Report,
  inventory: LoadedInventory | undefined,
): RenewalCandidate[] {
  if (!inventory) return [];
  const targets = new Map(inventory.targets.map((t) => [t.id, t]));
  const certs = new Map<string, ReportCertificate>();
  for (const t of report.targets)
    for (const c of t.certificates) if (!certs.has(c.sha256)) certs.set(c.sha256, c);
  const best = new Map<string, RenewalCandidate>();
  for (const f of report.findings) {
    if (f.check !== 'expiry' || f.waived || SEVERITY_RANK[f.severity] < SEVERITY_RANK.warning) continue;
    const t = targets.get(f.target);
    if (!t?.renewal) continue;
    const cert = f.certificate ? certs.get(f.certificate) : undefined;
    const prev = best.get(t.id);
    // A leaf beats a CA of the same chain: renewing the leaf is what the request can do.
    const rank = (c: RenewalCandidate) =>
      SEVERITY_RANK[c.finding.severity] * 2 + (c.cert?.role === 'leaf' || !c.cert ? 1 : 0);
    const cand = { target: t, finding: f, cert };
    if (!prev || rank(cand) > rank(prev)) best.set(t.id, cand);
  }
  return [...best.values()].sort((a, b) => a.target.id.localeCompare(b.target.id));
}

/** The CSR usages when the inventory gives none: server auth for certificates with names, else client auth. */
function defaultUsages(cert: ReportCertificate | undefined): string[] {
  const server = !!cert && (cert.dnsNames.length > 0 || cert.ipAddresses.length > 0);
  return ['digital signature', 'key encipherment', server ? 'server auth' : 'client auth'];
}

export type RequestPlan =
  | {
      op: 'propose';
      target: string;
      path: string;
      request: RenewalRequest;
      cert: ReportCertificate;
      previous: RenewalRequest | null;
    }
  | { op: 'skip'; target: string; reason: string };

/**
 * What to propose for one kubernetes-csr candidate, given the request file on the base branch (null:
 * none). A pending or applied request for the same certificate is not proposed again; a failed one
 * is retried under a new id.
 */
export function planRenewalRequest(
  c: RenewalCandidate,
  opts: { createdAt: string; key: KeySpec; baseFile: string | null },
): RequestPlan {
  const t = c.target;
  const target = t.id;
  const r = t.renewal!;
  const cluster = renewalCluster(t);
  const secret = renewalSecret(t);
  if (!r.signerName) return { op: 'skip', target, reason: 'renewal.signerName is not set in the inventory' };
  if (!cluster)
    return { op: 'skip', target, reason: 'no cluster: set renewal.cluster or use a kubernetes source' };
  if (!secret)
    return { op: 'skip', target, reason: 'no target Secret: set renewal.secret {namespace, name}' };
  if (!c.cert) return { op: 'skip', target, reason: 'the expiring certificate is not in the report' };
  if (c.cert.role !== 'leaf')
    return {
      op: 'skip',
      target,
      reason: `the expiring certificate is a ${c.cert.role} CA; a CSR renews only the leaf`,
    };
  const subject: RenewalRequest['spec']['subject'] = { CN: c.cert.subject.CN ?? '' };
  if (!subject.CN) return { op: 'skip', target, reason: 'the current certificate has no CN to request' };
  if (c.cert.subject.O.length) subject.O = [...c.cert.subject.O];
  if (c.cert.subject.OU.length) subject.OU = [...c.cert.subject.OU];
  const spec: RenewalRequest['spec'] = {
    method: 'kubernetes-csr',
    cluster,
    signerName: r.signerName,
    usages: r.usages?.length ? [...r.usages] : defaultUsages(c.cert),
    ...(r.expirationSeconds !== undefined ? { expirationSeconds: r.expirationSeconds } : {}),
    subject,
    ...(c.cert.dnsNames.length ? { dnsNames: [...c.cert.dnsNames] } : {}),
    ...(c.cert.ipAddresses.length ? { ipAddresses: [...c.cert.ipAddresses] } : {}),
    key: opts.key,
    secret: { namespace: secret.namespace, name: secret.name },
    replaces: c.cert.sha256,
  };
  let previous: RenewalRequest | null = null;
  if (opts.baseFile !== null) {
    try {
      previous = parseRenewalRequest(opts.baseFile, renewalPath(target));
    } catch {
      previous = null; // a damaged file on the base branch is replaced by the new request
    }
  }
  let retryOf: string | null = null;
  if (previous && previous.spec.replaces === c.cert.sha256) {
    const state = previous.status?.state ?? 'pending';
    if (state === 'pending')
      return {
        op: 'skip',
        target,
        reason: `request ${previous.metadata.id} is merged and waits for 'certwarden renew'`,
      };
    if (state === 'applied')
      return {
        op: 'skip',
        target,
        reason: `request ${previous.metadata.id} was applied; the next scan should see the new certificate`,
      };
    retryOf = previous.metadata.id;
  }
  const request: RenewalRequest = {
    apiVersion: 'certwarden/v1',
    kind: 'RenewalRequest',
    metadata: {
      target,
      id: requestId(target, spec, retryOf),
      createdAt: opts.createdAt,
      finding: c.finding.id,
    },
    spec,
  };
  return { op: 'propose', target, path: renewalPath(target), request, cert: c.cert, previous };
}

/** kubeadm certificate names (`kubeadm certs renew <name>`) by file relative to the kubeadm folder. */
export const KUBEADM_CERT_NAMES: Record<string, string> = {
  'pki/apiserver.crt': 'apiserver',
  'pki/apiserver-kubelet-client.crt': 'apiserver-kubelet-client',
  'pki/apiserver-etcd-client.crt': 'apiserver-etcd-client',
  'pki/front-proxy-client.crt': 'front-proxy-client',
  'pki/etcd/server.crt': 'etcd-server',
  'pki/etcd/peer.crt': 'etcd-peer',
  'pki/etcd/healthcheck-client.crt': 'etcd-healthcheck-client',
  'admin.conf': 'admin.conf',
  'super-admin.conf': 'super-admin.conf',
  'controller-manager.conf': 'controller-manager.conf',
  'scheduler.conf': 'scheduler.conf',
};

/** What a person does for a non-CSR renewal, as data (render.ts turns it into markdown). */
export type RenewalNote =
  | { method: 'manual'; runbook: string | null }
  | {
      method: 'kubeadm';
      node: string;
      /** `kubeadm certs renew` names for exactly the expiring files of this node, sorted. */
      renew: string[];
      /** Expiring files kubeadm does not renew (CAs, kubelet.conf), with what to do instead. */
      other: { file: string; advice: string }[];
      runbook: string | null;
    }
  | {
      method: 'cert-manager';
      secret: { namespace: string; name: string } | null;
      cluster: string | null;
      runbook: string | null;
    };

/**
 * Notes for the finding issues of expiring targets renewed by hand, by kubeadm or by cert-manager,
 * keyed by finding id. For kubeadm, the commands cover every expiring file of the same node.
 */
export function renewalNotes(
  report: Report,
  inventory: LoadedInventory | undefined,
): Map<string, RenewalNote> {
  const out = new Map<string, RenewalNote>();
  const cands = renewalCandidates(report, inventory);
  const expiringByNode = new Map<string, string[]>();
  for (const c of cands) {
    if (c.target.renewal?.method !== 'kubeadm') continue;
    const node = c.target.expandedFrom ?? c.target.id;
    const file = c.target.expandedFrom ? c.target.id.slice(node.length + 1) : c.target.id;
    expiringByNode.set(node, [...(expiringByNode.get(node) ?? []), file]);
  }
  for (const c of cands) {
    const r = c.target.renewal!;
    const runbook = typeof r.runbook === 'string' ? r.runbook : null;
    // Every expiry finding of the target gets the note, not only the most severe one.
    const ids = report.findings
      .filter((f) => f.check === 'expiry' && f.target === c.target.id && !f.waived)
      .map((f) => f.id);
    let note: RenewalNote | null = null;
    if (r.method === 'manual') note = { method: 'manual', runbook };
    else if (r.method === 'cert-manager') {
      note = {
        method: 'cert-manager',
        secret: renewalSecret(c.target),
        cluster: renewalCluster(c.target),
        runbook,
      };
    } else if (r.method === 'kubeadm') {
      const node = c.target.expandedFrom ?? c.target.id;
      const files = [...new Set(expiringByNode.get(node) ?? [])].sort();
      const renew = [
        ...new Set(files.map((f) => KUBEADM_CERT_NAMES[f]).filter((n): n is string => !!n)),
      ].sort();
      const other = files
        .filter((f) => !KUBEADM_CERT_NAMES[f])
        .map((f) => ({
          file: f,
          advice:
            f === 'kubelet.conf'
              ? 'the kubelet rotates its client certificate itself (check rotateCertificates and that the kubelet runs)'
              : /ca\.crt$/.test(f)
                ? 'a CA: kubeadm does not renew CAs; plan a CA rotation'
                : 'not renewed by kubeadm certs renew; renew by hand',
        }));
      note = { method: 'kubeadm', node, renew, other, runbook };
    }
    if (note) for (const id of ids) out.set(id, note);
  }
  return out;
}
