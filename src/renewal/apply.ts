// The renewal apply step for `kubernetes-csr` requests: a new key, a CertificateSigningRequest
// approved citing the merged pull request, the issued certificate checked, and one atomic swap of
// tls.crt/tls.key in the target Secret.
//
// Crash safety: every step is idempotent and its progress lives in the cluster, never on disk:
//   A read-secret   the Secret already holds a certificate for this request -> done, nothing issued
//   B stage-key     the new private key is staged in the target Secret (PENDING_KEY_DATA) before any
//                   CSR exists, so a re-run reuses it; tls.crt/tls.key stay untouched until G
//   C create-csr    the CSR name derives from the request id; an existing CSR for the staged key is
//                   reused (never a second issuance), one for another key is stale and replaced
//   D approve       skipped when already Approved; Denied or Failed ends the run
//   E wait          bounded polling for status.certificate
//   F check         public key, subject, SANs, validity and policy of the issued certificate
//   G write-secret  one replace (optimistic concurrency): tls.crt, tls.key, ca.crt, pending key removed
// The private key exists only in memory and in the target Secret: never in a message, log or file.
import { createPrivateKey, createPublicKey, webcrypto, X509Certificate, type KeyObject } from 'node:crypto';
import { createCsr, formatSubject, generateKeyPair, type KeyPair, type KeySpec } from '../x509/issue.js';
import { children, readTlv } from '../x509/der.js';
import { canonicalIp } from '../x509/names.js';
import { parseCertificate } from '../x509/parse.js';
import { pemBlocks, toPem } from '../x509/pem.js';
import {
  KubeApiError,
  type CsrObject,
  type KubeWriteApi,
  type SecretObject,
} from '../sources/kubernetes/client.js';
import type { CertRecord } from '../core/model.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { safeText } from '../core/text.js';
import type { RenewalRequest } from './request.js';

/** Secret data key holding the staged private key (Secret data keys allow only [-._a-zA-Z0-9]). */
export const PENDING_KEY_DATA = 'certwarden.pending-key';
/** Annotation naming the request whose key is staged. */
export const PENDING_ANNOTATION = 'certwarden.dev/pending-request';
/** Annotation naming the request whose certificate the Secret holds (written with the swap). */
export const RENEWAL_ANNOTATION = 'certwarden.dev/renewal';

/** The steps of an apply run, in order. */
export type ApplyStep =
  'read-secret' | 'stage-key' | 'create-csr' | 'approve' | 'wait' | 'check' | 'write-secret';
export const APPLY_STEPS: readonly ApplyStep[] = [
  'read-secret',
  'stage-key',
  'create-csr',
  'approve',
  'wait',
  'check',
  'write-secret',
];

/** Thrown by the `crashAfter` test hook: stands for the process being killed after a step. */
export class ApplyCrash extends Error {
  readonly step: ApplyStep;
  constructor(step: ApplyStep) {
    super(`simulated crash after step ${step}`);
    this.name = 'ApplyCrash';
    this.step = step;
  }
}

/** What applying one request came to. Never carries key material. */
export interface RenewalOutcome {
  state: 'applied' | 'failed';
  csrName: string;
  /** SHA-256 of the certificate now in the Secret. */
  sha256?: string;
  notAfter?: string;
  message: string;
}

/** Side effects and knobs of applyRenewal. */
export interface ApplyDeps {
  kube: KubeWriteApi;
  /** Clock for validity checks (default: the real clock). */
  now?: () => Date;
  /** Longest wait for the signer, ms (default 120 000). */
  waitTimeoutMs?: number;
  /** Poll interval while waiting, ms (default 1 000). */
  pollMs?: number;
  /** Message of the Approved condition; cites the merged pull request. */
  approvalMessage: string;
  /** Policy check of the issued certificate (leaf PEM): the problems found, none when it passes. */
  verify?: (certPem: string) => Promise<string[]>;
  /** CA certificate (PEM) to write as ca.crt when the signer returns no chain. */
  caPem?: string;
  logger?: Logger;
  /** Test hook: throw ApplyCrash once this step has completed. */
  crashAfter?: ApplyStep;
  /** Test hook: awaited after each step (a test kills the process there). */
  onStep?: (step: ApplyStep) => void | Promise<void>;
}

/** A request that cannot be applied: becomes a `failed` outcome with this message. */
class ApplyFailure extends Error {}

const DEFAULT_WAIT_MS = 120_000;
const DEFAULT_POLL_MS = 1_000;
/** Kubernetes' signer backdates notBefore by 5 minutes; allow that much skew in time checks. */
const SKEW_MS = 5 * 60_000;
const NODE_CURVES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

/** The CSR name for a request: stable across runs, a valid Kubernetes object name. */
export function csrNameFor(req: RenewalRequest): string {
  const target =
    req.metadata.target
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/-+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 200) || 'target';
  const id = req.metadata.id
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 10);
  return `certwarden-${target}-${id || 'request'}`.replace(/-+$/, '');
}

/** Applies one merged renewal request; idempotent, and safe to re-run after a crash at any step. */
export async function applyRenewal(req: RenewalRequest, deps: ApplyDeps): Promise<RenewalOutcome> {
  const csrName = csrNameFor(req);
  try {
    return await run(req, deps, csrName);
  } catch (e) {
    if (e instanceof ApplyCrash) throw e;
    const message =
      e instanceof ApplyFailure
        ? e.message
        : e instanceof KubeApiError
          ? `Kubernetes API: ${e.message}`
          : `unexpected error: ${safeText(String((e as Error)?.message ?? e)).slice(0, 300)}`;
    const out: RenewalOutcome = { state: 'failed', csrName, message: scrub(message) };
    (deps.logger ?? silentLogger).warn(`renew ${safeText(req.metadata.target)}: failed: ${out.message}`);
    return out;
  }
}

async function run(req: RenewalRequest, deps: ApplyDeps, csrName: string): Promise<RenewalOutcome> {
  const { kube } = deps;
  const log = deps.logger ?? silentLogger;
  const now = deps.now ?? (() => new Date());
  const { namespace, name } = req.spec.secret;
  const where = `Secret ${namespace}/${name}`;
  const label = `renew ${safeText(req.metadata.target)}`;
  const done = async (step: ApplyStep) => {
    log.debug(`${label}: step ${step} done`);
    await deps.onStep?.(step);
    if (deps.crashAfter === step) throw new ApplyCrash(step);
  };

  // A: is the request already applied?
  let secret = await kube.getSecretFull(namespace, name);
  const current = secret ? appliedCertificate(req, secret) : null;
  await done('read-secret');
  if (current) {
    log.info(`${label}: ${where} already holds the renewed certificate ${current.sha256}`);
    return {
      state: 'applied',
      csrName,
      sha256: current.sha256,
      notAfter: current.notAfter,
      message: `already applied: ${where} holds certificate ${current.sha256} (notAfter ${current.notAfter})`,
    };
  }
  if (secret?.immutable)
    throw new ApplyFailure(`${where} is immutable; certwarden cannot write the renewed certificate to it`);

  // B: the pending key, staged in the Secret before anything is requested with it.
  let keyPem = pendingKey(secret, req);
  if (keyPem) log.info(`${label}: reusing the key staged in ${where}`);
  else {
    const fresh = await generateKeyPair(keySpecFor(req), 'SHA-256');
    const pkcs8 = new Uint8Array(await webcrypto.subtle.exportKey('pkcs8', fresh.privateKey as never));
    keyPem = toPem(pkcs8, 'PRIVATE KEY');
    pkcs8.fill(0);
    const staged = await stageKey(kube, req, secret, keyPem);
    secret = staged.secret;
    keyPem = staged.keyPem;
    log.info(`${label}: staged a new ${req.spec.key.type} key in ${where}`);
  }
  const privateKey = createPrivateKey({ key: keyPem, format: 'pem' });
  const spki = spkiOf(createPublicKey(privateKey));
  await done('stage-key');

  // C: the CSR for that key.
  let csr = await kube.getCsr(csrName);
  if (csr && !csrFits(csr, req, spki)) {
    log.warn(`${label}: CertificateSigningRequest ${csrName} is for another key or signer; replacing it`);
    await kube.deleteCsr(csrName);
    csr = null;
  }
  if (!csr) {
    const keys = await importKeyPair(privateKey);
    const pem = await createCsr({
      subject: formatSubject({ cn: req.spec.subject.CN, o: req.spec.subject.O, ou: req.spec.subject.OU }),
      keys,
      dns: req.spec.dnsNames,
      ips: req.spec.ipAddresses,
    });
    try {
      csr = await kube.createCsr({
        metadata: {
          name: csrName,
          labels: { 'app.kubernetes.io/managed-by': 'certwarden' },
          annotations: {
            'certwarden.dev/target': req.metadata.target,
            'certwarden.dev/request': req.metadata.id,
          },
        },
        spec: {
          request: Buffer.from(pem).toString('base64'),
          signerName: req.spec.signerName,
          usages: req.spec.usages,
          ...(req.spec.expirationSeconds !== undefined
            ? { expirationSeconds: req.spec.expirationSeconds }
            : {}),
        },
      });
      log.info(
        `${label}: created CertificateSigningRequest ${csrName} for signer ${safeText(req.spec.signerName)}`,
      );
    } catch (e) {
      // Another run created it meanwhile: use it if it is for our key.
      if (!(e instanceof KubeApiError && e.status === 409)) throw e;
      csr = await kube.getCsr(csrName);
      if (!csr || !csrFits(csr, req, spki))
        throw new ApplyFailure(`CertificateSigningRequest ${csrName} exists for another key; re-run renew`);
    }
  } else log.info(`${label}: reusing CertificateSigningRequest ${csrName}`);
  await done('create-csr');

  // D: approval.
  refuseEnded(csr, csrName);
  if (!condition(csr, 'Approved')) {
    csr = await kube.approveCsr(csrName, deps.approvalMessage);
    refuseEnded(csr, csrName);
    log.info(`${label}: approved CertificateSigningRequest ${csrName}`);
  }
  await done('approve');

  // E: the certificate, within the bound.
  const waitMs = deps.waitTimeoutMs ?? DEFAULT_WAIT_MS;
  const pollMs = deps.pollMs ?? DEFAULT_POLL_MS;
  const deadline = Date.now() + waitMs;
  while (!csr.status?.certificate) {
    refuseEnded(csr, csrName);
    if (Date.now() >= deadline)
      throw new ApplyFailure(
        `signer ${safeText(req.spec.signerName)} issued no certificate for CertificateSigningRequest ${csrName} within ${waitMs < 10_000 ? `${waitMs} ms` : `${Math.round(waitMs / 1000)} s`}; it stays approved, and a re-run of renew picks the certificate up`,
      );
    await new Promise((r) => setTimeout(r, Math.max(1, Math.min(pollMs, deadline - Date.now()))));
    const next = await kube.getCsr(csrName);
    if (!next)
      throw new ApplyFailure(
        `CertificateSigningRequest ${csrName} disappeared while waiting for the certificate`,
      );
    csr = next;
  }
  await done('wait');

  // F: the issued certificate is what was asked for, for our key.
  const issuedPem = Buffer.from(csr.status.certificate, 'base64').toString('utf8');
  const blocks = readPemCertificates(issuedPem, csrName);
  let leaf: CertRecord;
  try {
    leaf = parseCertificate(blocks[0]!.der, `CertificateSigningRequest ${csrName}`);
  } catch {
    throw new ApplyFailure(
      `CertificateSigningRequest ${csrName} status.certificate is not a readable X.509 certificate`,
    );
  }
  const problems = certificateProblems(req, leaf, blocks[0]!.der, spki, now());
  if (!problems.length && deps.verify) problems.push(...(await deps.verify(toPem(blocks[0]!.der))));
  if (problems.length)
    throw new ApplyFailure(
      `the certificate issued for CertificateSigningRequest ${csrName} was not written: ${problems.map((p) => safeText(p)).join('; ')}`,
    );
  const chainCa = blocks.length > 1 ? caOf(blocks[blocks.length - 1]!.der) : null;
  const caPem = chainCa ?? deps.caPem ?? null;
  await done('check');

  // G: one swap.
  const certPem = blocks.map((b) => toPem(b.der)).join('');
  await swap(kube, req, secret, keyPem, certPem, caPem);
  await done('write-secret');
  log.info(`${label}: ${where} now holds certificate ${leaf.sha256} (notAfter ${leaf.notAfter})`);
  return {
    state: 'applied',
    csrName,
    sha256: leaf.sha256,
    notAfter: leaf.notAfter,
    message: `applied: ${where} holds certificate ${leaf.sha256} (notAfter ${leaf.notAfter}) from CertificateSigningRequest ${csrName}`,
  };
}

// ---- Secret ------------------------------------------------------------------------------------

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const unb64 = (s: string | undefined) => (s ? Buffer.from(s, 'base64').toString('utf8') : '');

/** The staged key when it was staged for this request. */
function pendingKey(secret: SecretObject | null, req: RenewalRequest): string | null {
  const v = secret?.data?.[PENDING_KEY_DATA];
  if (!v || secret?.metadata.annotations?.[PENDING_ANNOTATION] !== req.metadata.id) return null;
  return unb64(v);
}

/** Writes the pending key into the Secret (creating it if needed); the key that ended up staged. */
async function stageKey(
  kube: KubeWriteApi,
  req: RenewalRequest,
  secret: SecretObject | null,
  keyPem: string,
): Promise<{ secret: SecretObject; keyPem: string }> {
  const { namespace, name } = req.spec.secret;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      if (!secret) {
        const created = await kube.createSecret(namespace, {
          metadata: { name, namespace, annotations: { [PENDING_ANNOTATION]: req.metadata.id } },
          type: 'kubernetes.io/tls',
          // A kubernetes.io/tls Secret must have both keys; they stay empty until the swap.
          data: { 'tls.crt': '', 'tls.key': '', [PENDING_KEY_DATA]: b64(keyPem) },
        });
        return { secret: created, keyPem };
      }
      const next = structuredClone(secret);
      next.data = { ...(next.data ?? {}), [PENDING_KEY_DATA]: b64(keyPem) };
      next.metadata.annotations = {
        ...(next.metadata.annotations ?? {}),
        [PENDING_ANNOTATION]: req.metadata.id,
      };
      const replaced = await kube.replaceSecret(namespace, name, next, secret.metadata.resourceVersion ?? '');
      return { secret: replaced, keyPem };
    } catch (e) {
      if (!(e instanceof KubeApiError && e.status === 409)) throw e;
      // Changed or created meanwhile (maybe by a concurrent run): start from the live copy.
      secret = await kube.getSecretFull(namespace, name);
      const theirs = pendingKey(secret, req);
      if (theirs && secret) return { secret, keyPem: theirs };
    }
  }
  throw new ApplyFailure(`Secret ${namespace}/${name} kept changing while staging the key; re-run renew`);
}

/** The final replace: new pair in, pending key out, every other key and annotation kept. */
async function swap(
  kube: KubeWriteApi,
  req: RenewalRequest,
  secret: SecretObject | null,
  keyPem: string,
  certPem: string,
  caPem: string | null,
): Promise<void> {
  const { namespace, name } = req.spec.secret;
  let cur: SecretObject | null = secret;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (!cur)
      throw new ApplyFailure(
        `Secret ${namespace}/${name} was deleted before the certificate could be written`,
      );
    if (unb64(cur.data?.[PENDING_KEY_DATA]) !== keyPem) {
      if (unb64(cur.data?.['tls.key']) === keyPem && unb64(cur.data?.['tls.crt']) === certPem) return;
      throw new ApplyFailure(
        `the key staged in Secret ${namespace}/${name} changed during the run; re-run renew`,
      );
    }
    const next = structuredClone(cur);
    const data = { ...(next.data ?? {}) };
    delete data[PENDING_KEY_DATA];
    data['tls.crt'] = b64(certPem);
    data['tls.key'] = b64(keyPem);
    if (caPem) data['ca.crt'] = b64(caPem);
    next.data = data;
    const annotations = { ...(next.metadata.annotations ?? {}) };
    delete annotations[PENDING_ANNOTATION];
    annotations[RENEWAL_ANNOTATION] = req.metadata.id;
    next.metadata.annotations = annotations;
    try {
      await kube.replaceSecret(namespace, name, next, cur.metadata.resourceVersion ?? '');
      return;
    } catch (e) {
      if (!(e instanceof KubeApiError && e.status === 409)) throw e;
      cur = await kube.getSecretFull(namespace, name);
    }
  }
  throw new ApplyFailure(
    `Secret ${namespace}/${name} kept changing while writing the certificate; re-run renew`,
  );
}

/** The Secret's certificate when it is the renewal this request asked for (and its key is tls.key). */
function appliedCertificate(req: RenewalRequest, secret: SecretObject): CertRecord | null {
  try {
    const crt = unb64(secret.data?.['tls.crt']);
    const key = unb64(secret.data?.['tls.key']);
    if (!crt || !key) return null;
    const first = pemBlocks(crt, 'tls.crt').find((b) => b.label === 'CERTIFICATE');
    if (!first) return null;
    const rec = parseCertificate(first.der, 'tls.crt');
    if (req.spec.replaces && rec.sha256 === req.spec.replaces.toLowerCase().replace(/[^0-9a-f]/g, ''))
      return null;
    if (
      !spkiOf(new X509Certificate(first.der).publicKey).equals(spkiOf(createPublicKey(createPrivateKey(key))))
    )
      return null;
    if (namesProblems(req, rec).length) return null;
    const ours = secret.metadata.annotations?.[RENEWAL_ANNOTATION] === req.metadata.id;
    const afterRequest = Date.parse(rec.notBefore) >= Date.parse(req.metadata.createdAt) - SKEW_MS;
    return ours || afterRequest ? rec : null;
  } catch {
    return null; // an unreadable pair is not this renewal
  }
}

// ---- CSR ---------------------------------------------------------------------------------------

/** True when an existing CSR asks for our key and signer. */
function csrFits(csr: CsrObject, req: RenewalRequest, spki: Buffer): boolean {
  if (csr.spec?.signerName !== req.spec.signerName) return false;
  try {
    const block = pemBlocks(unb64(csr.spec.request), 'csr').find((b) => b.label === 'CERTIFICATE REQUEST');
    if (!block) return false;
    const der = block.der;
    const info = children(der, readTlv(der, 0))[0];
    const key = info && children(der, info)[2];
    if (!key) return false;
    return spkiOf(
      createPublicKey({ key: der.subarray(key.start, key.end), format: 'der', type: 'spki' }),
    ).equals(spki);
  } catch {
    return false;
  }
}

function condition(csr: CsrObject, type: string) {
  return (csr.status?.conditions ?? []).find((c) => c.type === type && c.status !== 'False');
}

/** Denied or Failed ends the run, with the reason the cluster gave. */
function refuseEnded(csr: CsrObject, csrName: string): void {
  for (const type of ['Denied', 'Failed'] as const) {
    const c = condition(csr, type);
    if (c) {
      const why = [c.reason, c.message]
        .filter(Boolean)
        .map((s) => safeText(String(s)).slice(0, 300))
        .join(': ');
      throw new ApplyFailure(
        `CertificateSigningRequest ${csrName} was ${type.toLowerCase()}${why ? ` (${why})` : ''}`,
      );
    }
  }
}

// ---- certificates and keys ---------------------------------------------------------------------

function keySpecFor(req: RenewalRequest): KeySpec {
  const k = req.spec.key;
  if (k.type === 'Ed25519') return 'ed25519';
  if (k.type === 'EC') {
    const curve = k.curve ?? 'P-256';
    return ({ 'P-256': 'p256', 'P-384': 'p384', 'P-521': 'p521' } as const)[curve];
  }
  const bits = k.bits ?? 2048;
  if (![2048, 3072, 4096].includes(bits))
    throw new ApplyFailure(`spec.key.bits ${bits} is not supported for RSA (expected 2048, 3072 or 4096)`);
  return `rsa${bits}` as KeySpec;
}

function spkiOf(k: KeyObject): Buffer {
  return k.export({ type: 'spki', format: 'der' });
}

/** A WebCrypto pair for the staged key, to sign the PKCS#10 request with. */
async function importKeyPair(priv: KeyObject): Promise<KeyPair> {
  const type = priv.asymmetricKeyType;
  const alg =
    type === 'rsa'
      ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
      : type === 'ec'
        ? { name: 'ECDSA', namedCurve: NODE_CURVES[priv.asymmetricKeyDetails?.namedCurve ?? ''] ?? '' }
        : type === 'ed25519'
          ? { name: 'Ed25519' }
          : null;
  if (!alg || ('namedCurve' in alg && !alg.namedCurve))
    throw new ApplyFailure(
      `the staged key's type (${safeText(String(type))}) cannot sign a certificate request`,
    );
  const pkcs8 = priv.export({ type: 'pkcs8', format: 'der' });
  try {
    const privateKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, alg, false, ['sign']);
    const publicKey = await webcrypto.subtle.importKey('spki', spkiOf(createPublicKey(priv)), alg, true, [
      'verify',
    ]);
    return { privateKey, publicKey } as KeyPair;
  } finally {
    pkcs8.fill(0);
  }
}

function readPemCertificates(text: string, csrName: string) {
  let blocks;
  try {
    blocks = pemBlocks(text, `CertificateSigningRequest ${csrName} status.certificate`).filter(
      (b) => b.label === 'CERTIFICATE',
    );
  } catch (e) {
    throw new ApplyFailure(safeText((e as Error).message).slice(0, 300));
  }
  if (!blocks.length)
    throw new ApplyFailure(`CertificateSigningRequest ${csrName} status.certificate holds no certificate`);
  return blocks;
}

const sameSet = (a: string[], b: string[]) => {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every((v) => y.has(v));
};

/** Subject and SAN differences between a certificate and the request. */
function namesProblems(req: RenewalRequest, rec: CertRecord): string[] {
  const p: string[] = [];
  const s = req.spec.subject;
  if (rec.subject.CN !== s.CN)
    p.push(`subject CN is '${safeText(rec.subject.CN ?? '')}', requested '${safeText(s.CN)}'`);
  if (!sameSet(rec.subject.O, s.O ?? []))
    p.push(
      `subject O is [${rec.subject.O.map(safeText).join(', ')}], requested [${(s.O ?? []).map(safeText).join(', ')}]`,
    );
  if (!sameSet(rec.subject.OU, s.OU ?? []))
    p.push(
      `subject OU is [${rec.subject.OU.map(safeText).join(', ')}], requested [${(s.OU ?? []).map(safeText).join(', ')}]`,
    );
  const dns = (req.spec.dnsNames ?? []).map((d) => d.toLowerCase());
  if (
    !sameSet(
      rec.dnsNames.map((d) => d.toLowerCase()),
      dns,
    )
  )
    p.push(
      `DNS names are [${rec.dnsNames.map(safeText).join(', ')}], requested [${dns.map(safeText).join(', ')}]`,
    );
  const ips = (req.spec.ipAddresses ?? []).map((i) => canonicalIp(i) ?? i);
  if (!sameSet(rec.ipAddresses, ips))
    p.push(
      `IP addresses are [${rec.ipAddresses.map(safeText).join(', ')}], requested [${ips.map(safeText).join(', ')}]`,
    );
  return p;
}

/** Everything wrong with an issued certificate, for the request and the staged key. */
function certificateProblems(
  req: RenewalRequest,
  rec: CertRecord,
  der: Buffer,
  spki: Buffer,
  now: Date,
): string[] {
  const p: string[] = [];
  let certSpki: Buffer | null = null;
  try {
    certSpki = spkiOf(new X509Certificate(der).publicKey);
  } catch {
    p.push('its public key cannot be read');
  }
  if (certSpki && !certSpki.equals(spki)) p.push('its public key is not the staged key');
  p.push(...namesProblems(req, rec));
  const nb = Date.parse(rec.notBefore);
  const na = Date.parse(rec.notAfter);
  const t = now.getTime();
  if (!(na > nb)) p.push(`notAfter ${rec.notAfter} is not after notBefore ${rec.notBefore}`);
  if (nb > t + SKEW_MS) p.push(`it is not valid yet (notBefore ${rec.notBefore})`);
  if (na <= t) p.push(`it has already expired (notAfter ${rec.notAfter})`);
  const max = req.spec.expirationSeconds;
  if (max !== undefined && na > t + max * 1000 + SKEW_MS)
    p.push(`notAfter ${rec.notAfter} is later than the requested ${max} s`);
  if (rec.isCA) p.push('it is a CA certificate');
  return p;
}

/** PEM of a certificate when it is a self-issued CA (the chain's root), else null. */
function caOf(der: Buffer): string | null {
  try {
    const rec = parseCertificate(der, 'chain');
    return rec.isCA && rec.selfIssued ? toPem(der) : null;
  } catch {
    return null;
  }
}

/** Long base64 runs never reach a message (they could only be key or Secret material). */
function scrub(message: string): string {
  return message.replace(/[A-Za-z0-9+/]{40,}={0,2}/g, (m) => (/^[0-9a-f]+$/.test(m) ? m : '[…]'));
}
