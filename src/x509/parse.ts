// One certificate -> one CertRecord, decoded once. decode.ts walks the DER a single time, strictly,
// and yields both what path validation needs (CertFacts, kept for the record: factsOf) and the
// positions and names the record is built from. node's X509Certificate (OpenSSL) is the second
// opinion that the certificate and its key really load, and its KeyObject is the one validation
// uses. A certificate that is not strict DER is read again tolerantly (tolerant.ts) for the record,
// and its facts say why validation refuses it.
import { X509Certificate, createHash } from 'node:crypto';
import type { CertRecord } from '../core/model.js';
import { ParseError } from '../core/errors.js';
import { DerError, TAG, certSkeleton, integerHex, readTlv, type CertSkeleton, type Tlv } from './der.js';
import { decodeCertificate, type CertFacts, type CertLayout } from './decode.js';
import { checkedByOpenSsl, opensslKey, publicKey, type KeyInfo, type OpenSslKey } from './keys.js';
import { ipFromBytes, nameRecord } from './names.js';
import { EXTENDED_KEY_USAGES, EXTENSION_OIDS as EXT } from './oids.js';
import { RECORD_EXTENSIONS, readExtension, signatureName, tolerantRecord } from './tolerant.js';

// The EKU names moved to oids.ts with the other tables; policy checks import them from here.
export { EXTENDED_KEY_USAGES } from './oids.js';

/**
 * The facts of the records used most recently, by record (never serialised): a record's facts from
 * its one decode are at hand while it is validated (a scan judges what it just collected), and
 * memory stays bounded when many records are kept (Kubernetes observations until the end of a run).
 * `der` guards against a record edited since.
 */
const recent = new Map<CertRecord, { der: string; facts: CertFacts }>();
const RECENT_MAX = 1024;

/** Keeps `facts` as the facts of `rec` (see factsOf). */
export function rememberFacts(rec: CertRecord, facts: CertFacts): void {
  recent.delete(rec);
  if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value!);
  recent.set(rec, { der: rec.der, facts });
}

/** The facts kept for `rec` (decoded with it by parseCertificate, or since), if `rec` is unchanged. */
export function factsOf(rec: CertRecord): CertFacts | undefined {
  const hit = recent.get(rec);
  if (!hit || hit.der !== rec.der) return undefined;
  // most recently used last: anchors and intermediates used for every target stay
  recent.delete(rec);
  recent.set(rec, hit);
  return hit.facts;
}

/**
 * Parses one DER certificate into a complete CertRecord. Never throws because of an unusual public
 * key (keyError says why instead); throws ParseError('x509', origin, reason) when the bytes are not
 * a certificate at all.
 */
export function parseCertificate(der: Uint8Array, origin = 'certificate'): CertRecord {
  let outerEnd = -1;
  try {
    const outer = readTlv(der, 0);
    if (outer.tag === TAG.SEQUENCE) outerEnd = outer.end;
  } catch {
    // not even a TLV: the tolerant reader says what is wrong
  }
  // The certificate alone, in memory of its own: the facts keep slices of it, and `der` may be a whole file.
  const body = Buffer.from(outerEnd < 0 ? der : der.subarray(0, outerEnd));
  let x: X509Certificate | null = null;
  try {
    x = new X509Certificate(body);
  } catch {
    x = null;
  }
  const openssl = opensslKey(x);
  const sha256 = createHash('sha256').update(body).digest('hex');
  const { facts, layout } = decodeCertificate(body, { sha256, key: openssl.key });
  let rec: CertRecord;
  try {
    rec = layout
      ? recordOf(body, facts, layout, openssl, sha256)
      : tolerantRecord(body, skeleton(der, origin), x, openssl, sha256);
  } catch (e) {
    if (e instanceof DerError)
      throw new ParseError('x509', origin, `malformed certificate field (${e.message})`);
    throw e;
  }
  rememberFacts(rec, facts);
  return rec;
}

function skeleton(der: Uint8Array, origin: string): CertSkeleton {
  try {
    return certSkeleton(der);
  } catch (e) {
    throw new ParseError(
      'x509',
      origin,
      `not a readable X.509 certificate (${e instanceof DerError ? e.message : 'malformed DER'})`,
    );
  }
}

/** The record of a certificate that decoded as strict DER, from the facts and layout of that one walk. */
function recordOf(
  body: Buffer,
  f: CertFacts,
  layout: CertLayout,
  openssl: OpenSslKey,
  sha256: string,
): CertRecord {
  const subject = nameRecord(layout.subject);
  const issuer = nameRecord(layout.issuer);
  const sig = signatureName(body, layout.sigAlg.oid, layout.sigAlg.params);
  const key: KeyInfo = layout.key
    ? checkedByOpenSsl(layout.key.info, openssl)
    : publicKey(body, layout.spki, openssl);
  const rec: CertRecord = {
    sha256,
    subject,
    issuer,
    serial: integerHex(body, layout.serial),
    notBefore: new Date(layout.notBeforeMs).toISOString(),
    notAfter: new Date(layout.notAfterMs).toISOString(),
    dnsNames: [],
    ipAddresses: [],
    emailAddresses: [],
    uris: [],
    keyType: key.keyType,
    keyBits: key.keyBits,
    curve: key.curve,
    keyError: key.keyError,
    signatureAlgorithm: sig.name,
    signatureHash: sig.hash,
    isCA: false,
    pathLen: null,
    hasBasicConstraints: false,
    keyUsage: null,
    extKeyUsage: null,
    subjectKeyId: null,
    authorityKeyId: null,
    selfIssued: layout.sameNames || subject.dn.toLowerCase() === issuer.dn.toLowerCase(),
    version: f.version,
    der: body.toString('base64'),
  };
  for (const oid of RECORD_EXTENSIONS) {
    const ext = layout.extensions.first.get(oid);
    if (!ext) continue;
    const decoded =
      !layout.extensions.malformed.has(oid) &&
      !layout.extensions.duplicated.has(oid) &&
      fromFacts(oid, f, ext.value, body, rec);
    if (!decoded) readExtension(body, oid, ext.value, rec);
  }
  return rec;
}

/**
 * Copies one extension's decoded facts into the record; false when the tolerant reader would see
 * something else (a BIT STRING with more than 7 unused bits, SAN entries in constructed form).
 */
function fromFacts(oid: string, f: CertFacts, value: Tlv, body: Buffer, rec: CertRecord): boolean {
  switch (oid) {
    case EXT.basicConstraints:
      rec.hasBasicConstraints = true;
      rec.isCA = f.basicConstraints!.ca;
      rec.pathLen = f.basicConstraints!.pathLen;
      return true;
    case EXT.keyUsage:
      if (body[readTlv(body, value.body, value.end).body]! > 7) return false;
      rec.keyUsage = [...f.keyUsage!];
      return true;
    case EXT.extKeyUsage:
      rec.extKeyUsage = f.eku!.map((o) => EXTENDED_KEY_USAGES[o] ?? o);
      return true;
    case EXT.subjectKeyId:
      rec.subjectKeyId = f.ski!.toString('hex');
      return true;
    case EXT.authorityKeyId:
      rec.authorityKeyId = f.aki!.keyId?.toString('hex') ?? null;
      return true;
    case EXT.subjectAltName:
      return sanFromFacts(f, rec);
  }
  return false;
}

function sanFromFacts(f: CertFacts, rec: CertRecord): boolean {
  for (const n of f.san!) {
    // a constructed [1], [2], [6] or [7] is read as that form by the tolerant reader: let it
    if (n.type === 'other' && (n.tag & 0xc0) === 0x80 && [1, 2, 6, 7].includes(n.tag & 0x1f)) return false;
  }
  for (const n of f.san!) {
    if (n.type === 'email') rec.emailAddresses.push(n.value);
    else if (n.type === 'dns') rec.dnsNames.push(n.value);
    else if (n.type === 'uri') rec.uris.push(n.value);
    else if (n.type === 'ip') rec.ipAddresses.push(ipFromBytes(n.bytes, 0, n.bytes.length));
  }
  return true;
}

/** Days from `now` until notAfter, floored; negative once expired (the report's daysRemaining). */
export function daysRemaining(rec: Pick<CertRecord, 'notAfter'>, now: Date): number {
  return Math.floor((Date.parse(rec.notAfter) - now.getTime()) / 86_400_000);
}
