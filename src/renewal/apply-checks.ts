// Checks and key handling of the renewal apply step (src/renewal/apply.ts): the key type a request
// asks for, the staged key as a WebCrypto pair, and everything that must hold of an issued
// certificate before it is written. Never handles key material beyond what signing needs.
import { createPublicKey, webcrypto, X509Certificate, type KeyObject } from 'node:crypto';
import type { KeyPair, KeySpec } from '../x509/issue.js';
import { canonicalIp } from '../x509/names.js';
import { parseCertificate } from '../x509/parse.js';
import { pemBlocks, toPem } from '../x509/pem.js';
import type { CertRecord } from '../core/model.js';
import { safeText } from '../core/text.js';
import type { RenewalRequest } from './request.js';

/** A request that cannot be applied: becomes a `failed` outcome with this message. */
export class ApplyFailure extends Error {}

/** Kubernetes' signer backdates notBefore by 5 minutes; allow that much skew in time checks. */
export const SKEW_MS = 5 * 60_000;
const NODE_CURVES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

/** The key a request asks for, as the key generator names it; an unsupported size fails the request. */
export function keySpecFor(req: RenewalRequest): KeySpec {
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

/** A public key's SubjectPublicKeyInfo (DER), to compare keys by. */
export function spkiOf(k: KeyObject): Buffer {
  return k.export({ type: 'spki', format: 'der' });
}

/** A WebCrypto pair for the staged key, to sign the PKCS#10 request with. */
export async function importKeyPair(priv: KeyObject): Promise<KeyPair> {
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

/** The certificates of a CSR's status.certificate (PEM); none is a failure. */
export function readPemCertificates(text: string, csrName: string) {
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
export function namesProblems(req: RenewalRequest, rec: CertRecord): string[] {
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
export function certificateProblems(
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
export function caOf(der: Buffer): string | null {
  try {
    const rec = parseCertificate(der, 'chain');
    return rec.isCA && rec.selfIssued ? toPem(der) : null;
  } catch {
    return null;
  }
}

/** Long base64 runs never reach a message (they could only be key or Secret material). */
export function scrub(message: string): string {
  return message.replace(/[A-Za-z0-9+/]{40,}={0,2}/g, (m) => (/^[0-9a-f]+$/.test(m) ? m : '[…]'));
}
