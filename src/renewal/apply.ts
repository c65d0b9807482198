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
import { createCsr, formatSubject, generateKeyPair } from '../x509/issue.js';
import { children, readTlv } from '../x509/der.js';
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
import {
  ApplyFailure,
  SKEW_MS,
  caOf,
  certificateProblems,
  importKeyPair,
  keySpecFor,
  namesProblems,
  readPemCertificates,
  scrub,
  spkiOf,
} from './apply-checks.js';

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

const DEFAULT_WAIT_MS = 120_000;
const DEFAULT_POLL_MS = 1_000;

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

/** One apply run: the request, its side effects, and where it stands. */
interface Run {
  req: RenewalRequest;
  deps: ApplyDeps;
  kube: KubeWriteApi;
  log: Logger;
  csrName: string;
  /** `Secret namespace/name`, for messages. */
  where: string;
  label: string;
}

/** Marks a step done: logged, the test hooks run (onStep, crashAfter). */
async function done(r: Run, step: ApplyStep): Promise<void> {
  r.log.debug(`${r.label}: step ${step} done`);
  await r.deps.onStep?.(step);
  if (r.deps.crashAfter === step) throw new ApplyCrash(step);
}

/** B: the pending key, staged in the Secret before anything is requested with it. */
async function stagedKey(
  r: Run,
  secret: SecretObject | null,
): Promise<{ secret: SecretObject | null; keyPem: string }> {
  const reused = pendingKey(secret, r.req);
  if (reused) {
    r.log.info(`${r.label}: reusing the key staged in ${r.where}`);
    return { secret, keyPem: reused };
  }
  const fresh = await generateKeyPair(keySpecFor(r.req), 'SHA-256');
  const pkcs8 = new Uint8Array(await webcrypto.subtle.exportKey('pkcs8', fresh.privateKey as never));
  const keyPem = toPem(pkcs8, 'PRIVATE KEY');
  pkcs8.fill(0);
  const staged = await stageKey(r.kube, r.req, secret, keyPem);
  r.log.info(`${r.label}: staged a new ${r.req.spec.key.type} key in ${r.where}`);
  return staged;
}

/** C: the CSR for the staged key: an existing one for it is reused, one for another key replaced. */
async function ensureCsr(r: Run, privateKey: KeyObject, spki: Buffer): Promise<CsrObject> {
  const { kube, req, csrName, label } = r;
  let csr = await kube.getCsr(csrName);
  if (csr && !csrFits(csr, req, spki)) {
    r.log.warn(`${label}: CertificateSigningRequest ${csrName} is for another key or signer; replacing it`);
    await kube.deleteCsr(csrName);
    csr = null;
  }
  if (csr) {
    r.log.info(`${label}: reusing CertificateSigningRequest ${csrName}`);
    return csr;
  }
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
    r.log.info(
      `${label}: created CertificateSigningRequest ${csrName} for signer ${safeText(req.spec.signerName)}`,
    );
    return csr;
  } catch (e) {
    // Another run created it meanwhile: use it if it is for our key.
    if (!(e instanceof KubeApiError && e.status === 409)) throw e;
    const theirs = await kube.getCsr(csrName);
    if (!theirs || !csrFits(theirs, req, spki))
      throw new ApplyFailure(`CertificateSigningRequest ${csrName} exists for another key; re-run renew`);
    return theirs;
  }
}

/** D: approval, citing the merged pull request; Denied or Failed ends the run. */
async function approve(r: Run, csr: CsrObject): Promise<CsrObject> {
  refuseEnded(csr, r.csrName);
  if (condition(csr, 'Approved')) return csr;
  const approved = await r.kube.approveCsr(r.csrName, r.deps.approvalMessage);
  refuseEnded(approved, r.csrName);
  r.log.info(`${r.label}: approved CertificateSigningRequest ${r.csrName}`);
  return approved;
}

/** E: the signer's certificate (base64 PEM from status.certificate), within the bound. */
async function waitForCertificate(r: Run, csr: CsrObject): Promise<string> {
  const { csrName } = r;
  const waitMs = r.deps.waitTimeoutMs ?? DEFAULT_WAIT_MS;
  const pollMs = r.deps.pollMs ?? DEFAULT_POLL_MS;
  const deadline = Date.now() + waitMs;
  while (!csr.status?.certificate) {
    refuseEnded(csr, csrName);
    if (Date.now() >= deadline)
      throw new ApplyFailure(
        `signer ${safeText(r.req.spec.signerName)} issued no certificate for CertificateSigningRequest ${csrName} within ${waitMs < 10_000 ? `${waitMs} ms` : `${Math.round(waitMs / 1000)} s`}; it stays approved, and a re-run of renew picks the certificate up`,
      );
    await new Promise((res) => setTimeout(res, Math.max(1, Math.min(pollMs, deadline - Date.now()))));
    const next = await r.kube.getCsr(csrName);
    if (!next)
      throw new ApplyFailure(
        `CertificateSigningRequest ${csrName} disappeared while waiting for the certificate`,
      );
    csr = next;
  }
  return csr.status.certificate;
}

/** F: the issued certificate is what was asked for, for our key; its PEM chain and the CA to write. */
async function checkIssued(
  r: Run,
  certificate: string,
  spki: Buffer,
): Promise<{ leaf: CertRecord; certPem: string; caPem: string | null }> {
  const { csrName } = r;
  const blocks = readPemCertificates(Buffer.from(certificate, 'base64').toString('utf8'), csrName);
  const first = blocks[0]!.der;
  let leaf: CertRecord;
  try {
    leaf = parseCertificate(first, `CertificateSigningRequest ${csrName}`);
  } catch {
    throw new ApplyFailure(
      `CertificateSigningRequest ${csrName} status.certificate is not a readable X.509 certificate`,
    );
  }
  const problems = certificateProblems(r.req, leaf, first, spki, (r.deps.now ?? (() => new Date()))());
  if (!problems.length && r.deps.verify) problems.push(...(await r.deps.verify(toPem(first))));
  if (problems.length)
    throw new ApplyFailure(
      `the certificate issued for CertificateSigningRequest ${csrName} was not written: ${problems.map((p) => safeText(p)).join('; ')}`,
    );
  const chainCa = blocks.length > 1 ? caOf(blocks[blocks.length - 1]!.der) : null;
  return { leaf, certPem: blocks.map((b) => toPem(b.der)).join(''), caPem: chainCa ?? r.deps.caPem ?? null };
}

async function run(req: RenewalRequest, deps: ApplyDeps, csrName: string): Promise<RenewalOutcome> {
  const { namespace, name } = req.spec.secret;
  const r: Run = {
    req,
    deps,
    kube: deps.kube,
    log: deps.logger ?? silentLogger,
    csrName,
    where: `Secret ${namespace}/${name}`,
    label: `renew ${safeText(req.metadata.target)}`,
  };
  const { where } = r;

  // A: is the request already applied?
  const found = await r.kube.getSecretFull(namespace, name);
  const current = found ? appliedCertificate(req, found) : null;
  await done(r, 'read-secret');
  if (current) {
    r.log.info(`${r.label}: ${where} already holds the renewed certificate ${current.sha256}`);
    return {
      state: 'applied',
      csrName,
      sha256: current.sha256,
      notAfter: current.notAfter,
      message: `already applied: ${where} holds certificate ${current.sha256} (notAfter ${current.notAfter})`,
    };
  }
  if (found?.immutable)
    throw new ApplyFailure(`${where} is immutable; certwarden cannot write the renewed certificate to it`);

  const { secret, keyPem } = await stagedKey(r, found);
  const privateKey = createPrivateKey({ key: keyPem, format: 'pem' });
  const spki = spkiOf(createPublicKey(privateKey));
  await done(r, 'stage-key');
  let csr = await ensureCsr(r, privateKey, spki);
  await done(r, 'create-csr');
  csr = await approve(r, csr);
  await done(r, 'approve');
  const certificate = await waitForCertificate(r, csr);
  await done(r, 'wait');
  const { leaf, certPem, caPem } = await checkIssued(r, certificate, spki);
  await done(r, 'check');

  // G: one swap.
  await swap(r.kube, req, secret, keyPem, certPem, caPem);
  await done(r, 'write-secret');
  r.log.info(`${r.label}: ${where} now holds certificate ${leaf.sha256} (notAfter ${leaf.notAfter})`);
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
