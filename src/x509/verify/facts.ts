// The facts path validation needs that a CertRecord does not carry (raw names, extension
// criticality, name constraints, the signed bytes), decoded from the record's DER with der.ts's
// walker held to strict DER (readStrictTlv) and parse.ts's OID tables. Decoding problems are
// collected, never thrown: a malformed certificate is unusable in a path, and the validator says why.
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { DerError, TAG, children, isConstructed, oidAt, readStrictTlv, timeAt, type Tlv } from '../der.js';
import { nameAttributes } from '../names.js';
import {
  EXTENDED_KEY_USAGES,
  EXTENSION_OIDS as OID,
  HASH_OIDS,
  KEY_USAGE_BITS,
  SIGNATURE_ALGORITHMS,
} from '../parse.js';
import { clip } from './names.js';

/** The elements inside a constructed TLV, read strictly. */
export function inner(b: Uint8Array, t: Tlv): Tlv[] {
  if (!isConstructed(t)) throw new DerError('expected a constructed element');
  return children(b, t, readStrictTlv);
}

/** Parses exactly one TLV that must fill `b` (an extension value, say). */
export function parseOne(b: Uint8Array, expectTag?: number): Tlv {
  const t = readStrictTlv(b, 0, b.length);
  if (t.end !== b.length) throw new DerError('trailing data after DER element');
  if (expectTag !== undefined && t.tag !== expectTag)
    throw new DerError(`expected tag 0x${expectTag.toString(16)}, found 0x${t.tag.toString(16)}`);
  return t;
}

/** The contents octets of `t`, sharing memory with `b`. */
function contents(b: Buffer, t: Tlv): Buffer {
  return b.subarray(t.body, t.end);
}

/** The whole TLV `t`, sharing memory with `b`. */
function whole(b: Buffer, t: Tlv): Buffer {
  return b.subarray(t.start, t.end);
}

function expect(t: Tlv | undefined, tag: number, what: string): Tlv {
  if (!t) throw new DerError(`missing ${what}`);
  if (t.tag !== tag) throw new DerError(`${what}: unexpected tag 0x${t.tag.toString(16)}`);
  return t;
}

function decodeBoolean(b: Uint8Array, t: Tlv): boolean {
  if (t.end - t.body !== 1 || (b[t.body] !== 0 && b[t.body] !== 0xff))
    throw new DerError('invalid DER BOOLEAN');
  return b[t.body] === 0xff;
}

/** A non-negative INTEGER of at most four contents octets (tag not checked). */
function decodeSmallInt(b: Uint8Array, t: Tlv): number {
  if (t.end === t.body || t.end - t.body > 4) throw new DerError('INTEGER out of range');
  if (b[t.body]! & 0x80) throw new DerError('negative INTEGER');
  let n = 0;
  for (let i = t.body; i < t.end; i++) n = n * 256 + b[i]!;
  return n;
}

export interface Ava {
  oid: string;
  /** Normalised for comparison (RFC 5280 7.1 spirit: case-folded, whitespace collapsed). */
  norm: string;
  text: string | null;
}

/** A decoded Name: its RDNs, and a canonical key two equal names share. */
export interface DecodedName {
  raw: Buffer;
  rdns: Ava[][];
  key: string;
  empty: boolean;
}

/** A Name as names.ts reads it (strictly), each RDN's attributes sorted for comparison. */
export function decodeName(b: Buffer, t: Tlv): DecodedName {
  const rdns = nameAttributes(b, t, readStrictTlv).map((rdn) => {
    const avas: Ava[] = rdn.map((a) => ({
      oid: a.oid,
      norm: a.value !== null ? a.value.trim().replace(/\s+/g, ' ').toLowerCase() : '#' + a.rawHex,
      text: a.value,
    }));
    // an empty RDN is malformed but common in test and legacy data; it stays part of the name's key
    avas.sort((x, y) => (x.oid + '=' + x.norm < y.oid + '=' + y.norm ? -1 : 1));
    return avas;
  });
  const key = rdns.map((r) => r.map((a) => `${a.oid}=${JSON.stringify(a.norm)}`).join('+')).join(',');
  return { raw: whole(b, t), rdns, key, empty: rdns.every((r) => r.length === 0) };
}

const TIME_SHAPE: Record<number, [RegExp, string, number]> = {
  [TAG.UTCTime]: [/^\d{12}Z$/, 'UTCTime', 2],
  [TAG.GeneralizedTime]: [/^\d{14}(?:\.\d+)?Z$/, 'GeneralizedTime', 4],
};

/** A validity time as RFC 5280 4.1.2.5 writes it (seconds, 'Z'), on a real calendar date; fractions dropped. */
function decodeTime(b: Buffer, t: Tlv): number {
  const shape = TIME_SHAPE[t.tag];
  if (!shape) throw new DerError('validity time has an unexpected type');
  const [re, what, yearDigits] = shape;
  const s = contents(b, t).toString('latin1');
  if (!re.test(s)) throw new DerError(`invalid ${what} '${clip(s, 40)}'`);
  const ms = timeAt(b, t);
  // timeAt lets Date.UTC roll 30 February over into March; a validator refuses such dates
  const [mo, d, h, mi, se] = [0, 2, 4, 6, 8].map((i) => Number(s.slice(yearDigits + i, yearDigits + i + 2)));
  const back = new Date(ms);
  if (back.getUTCMonth() !== mo! - 1 || back.getUTCDate() !== d! || h! > 23 || mi! > 59 || se! > 59)
    throw new DerError(`invalid calendar time '${clip(s, 40)}'`);
  return Math.floor(ms / 1000) * 1000;
}

/** One GeneralName (RFC 5280 4.2.1.6), decoded as far as validation needs. */
export type GeneralName =
  | { type: 'dns'; value: string; ascii: boolean }
  | { type: 'ip'; bytes: Buffer }
  | { type: 'email'; value: string; ascii: boolean }
  | { type: 'uri'; value: string; ascii: boolean }
  | { type: 'dn'; name: DecodedName }
  | { type: 'other'; tag: number; raw: Buffer };

function isAscii(b: Buffer): boolean {
  for (const c of b) if (c > 0x7e || c < 0x20) return false;
  return true;
}

function ia5(b: Buffer, t: Tlv): { value: string; ascii: boolean } {
  const v = contents(b, t);
  return { value: v.toString('latin1'), ascii: isAscii(v) };
}

export function decodeGeneralName(b: Buffer, t: Tlv): GeneralName {
  switch (t.tag) {
    case 0x82:
      return { type: 'dns', ...ia5(b, t) };
    case 0x81:
      return { type: 'email', ...ia5(b, t) };
    case 0x86:
      return { type: 'uri', ...ia5(b, t) };
    case 0x87:
      return { type: 'ip', bytes: Buffer.from(contents(b, t)) };
    case 0xa4: {
      const names = inner(b, t);
      if (names.length !== 1) throw new DerError('directoryName must hold one Name');
      return { type: 'dn', name: decodeName(b, names[0]!) };
    }
    default:
      // otherName [0], x400Address [3], ediPartyName [5], registeredID [8]: recognised as present only
      return { type: 'other', tag: t.tag, raw: whole(b, t) };
  }
}

export function decodeGeneralNames(b: Buffer): GeneralName[] {
  return inner(b, parseOne(b, TAG.SEQUENCE)).map((t) => decodeGeneralName(b, t));
}

/** EKU name -> OID: the inverse of parse.ts's EXTENDED_KEY_USAGES. */
export const EKU_OID: Record<string, string> = Object.fromEntries(
  Object.entries(EXTENDED_KEY_USAGES).map(([oid, name]) => [name, oid]),
);

export interface Extension {
  oid: string;
  critical: boolean;
  value: Buffer;
}

export interface SignatureScheme {
  kind: 'rsa' | 'rsa-pss' | 'ecdsa' | 'ed25519' | 'ed448' | 'dsa' | 'unknown';
  hash: string | null;
  saltLength?: number;
  name: string;
}

/** The signature algorithms path validation checks, by kind; names and hashes from SIGNATURE_ALGORITHMS. */
const CHECKED_SIGNATURES = new Map<string, SignatureScheme['kind']>([
  ['1.2.840.113549.1.1.4', 'rsa'],
  ['1.2.840.113549.1.1.5', 'rsa'],
  ['1.2.840.113549.1.1.14', 'rsa'],
  ['1.2.840.113549.1.1.11', 'rsa'],
  ['1.2.840.113549.1.1.12', 'rsa'],
  ['1.2.840.113549.1.1.13', 'rsa'],
  ['1.2.840.10045.4.1', 'ecdsa'],
  ['1.2.840.10045.4.3.1', 'ecdsa'],
  ['1.2.840.10045.4.3.2', 'ecdsa'],
  ['1.2.840.10045.4.3.3', 'ecdsa'],
  ['1.2.840.10045.4.3.4', 'ecdsa'],
  ['1.3.101.112', 'ed25519'],
  ['1.3.101.113', 'ed448'],
  ['1.2.840.10040.4.3', 'dsa'],
  ['2.16.840.1.101.3.4.3.2', 'dsa'],
]);

const RSASSA_PSS = '1.2.840.113549.1.1.10';

function decodeSignatureAlgorithm(b: Buffer, algId: Tlv): SignatureScheme {
  const [oidT, params] = inner(b, expect(algId, TAG.SEQUENCE, 'AlgorithmIdentifier'));
  const oid = oidAt(b, expect(oidT, TAG.OID, 'algorithm'));
  if (oid === RSASSA_PSS) {
    // RSASSA-PSS-params: hashAlgorithm [0], maskGenAlgorithm [1], saltLength [2], trailerField [3]
    let hash = 'sha1';
    let saltLength = 20;
    if (params && params.tag === TAG.SEQUENCE) {
      for (const p of inner(b, params)) {
        const value = inner(b, p)[0];
        if (!value) continue;
        if (p.tag === 0xa0)
          hash = HASH_OIDS[oidAt(b, expect(inner(b, value)[0], TAG.OID, 'hash'))] ?? 'unknown';
        if (p.tag === 0xa2) saltLength = decodeSmallInt(b, value);
      }
    }
    return { kind: 'rsa-pss', hash, saltLength, name: `rsassa-pss(${hash})` };
  }
  const kind = CHECKED_SIGNATURES.get(oid);
  const known = SIGNATURE_ALGORITHMS[oid];
  return kind && known
    ? { kind, hash: known[1], name: known[0] }
    : { kind: 'unknown', hash: null, name: oid };
}

export interface SpkiFacts {
  raw: Buffer;
  algOid: string;
  /** Named curve OID, 'explicit' for inline curve parameters, null for non-EC keys. */
  curveOid: string | 'explicit' | null;
  key: KeyObject | null;
  keyError: string | null;
  /** RSA modulus bits as encoded (exact, so 2052 stays 2052). */
  rsaBits: number | null;
}

function decodeSpki(b: Buffer, t: Tlv): SpkiFacts {
  const [alg] = inner(b, expect(t, TAG.SEQUENCE, 'SubjectPublicKeyInfo'));
  const [oidT, params] = inner(b, expect(alg, TAG.SEQUENCE, 'algorithm'));
  const algOid = oidAt(b, expect(oidT, TAG.OID, 'key algorithm'));
  let curveOid: SpkiFacts['curveOid'] = null;
  if (algOid === '1.2.840.10045.2.1') curveOid = params?.tag === TAG.OID ? oidAt(b, params) : 'explicit';
  const raw = whole(b, t);
  let key: KeyObject | null = null;
  let keyError: string | null = null;
  let rsaBits: number | null = null;
  try {
    key = createPublicKey({ key: raw, format: 'der', type: 'spki' });
    const details = key.asymmetricKeyDetails;
    if (details?.modulusLength) rsaBits = details.modulusLength;
  } catch (e) {
    keyError = `public key cannot be read (${(e as Error).message.slice(0, 120)})`;
  }
  return { raw, algOid, curveOid, key, keyError, rsaBits };
}

export interface AkiFacts {
  keyId: Buffer | null;
  hasIssuer: boolean;
  hasSerial: boolean;
}

/** Everything the validator reads from one certificate. */
export interface CertFacts {
  sha256: string;
  /** Set when the certificate could not be decoded; the other fields are then unreliable. */
  fatal: string | null;
  /** Defects found while decoding that make the certificate unusable anywhere in a path. */
  errors: string[];
  /** RFC 5280 / CA/B profile violations (criticality, empty lists); not held against lenient trust anchors. */
  profileErrors: string[];
  tbs: Buffer;
  signature: Buffer;
  sigScheme: SignatureScheme;
  sigAlgMismatch: boolean;
  version: number;
  serial: Buffer;
  issuer: DecodedName;
  subject: DecodedName;
  notBefore: number;
  notAfter: number;
  spki: SpkiFacts;
  extensions: Map<string, Extension>;
  basicConstraints: { ca: boolean; pathLen: number | null; critical: boolean } | null;
  keyUsage: Set<string> | null;
  /** EKU OIDs; null when the extension is absent. */
  eku: string[] | null;
  ekuCritical: boolean;
  san: GeneralName[] | null;
  sanCritical: boolean;
  aki: AkiFacts | null;
  ski: Buffer | null;
  selfIssued: boolean;
}

const EMPTY_NAME: DecodedName = { raw: Buffer.alloc(0), rdns: [], key: '', empty: true };

const KNOWN_CRITICAL = new Set<string>([
  OID.basicConstraints,
  OID.keyUsage,
  OID.extKeyUsage,
  OID.subjectAltName,
  OID.issuerAltName,
  OID.nameConstraints,
  OID.policyConstraints,
  OID.certificatePolicies,
  OID.policyMappings,
  OID.inhibitAnyPolicy,
  OID.crlDistributionPoints,
  OID.freshestCrl,
  OID.ocspNoCheck,
]);

function decodeExtensions(f: CertFacts, b: Buffer, t: Tlv): void {
  const list = inner(b, expect(inner(b, t)[0], TAG.SEQUENCE, 'Extensions'));
  if (list.length === 0) f.profileErrors.push('extensions field is present but empty');
  for (const e of list) {
    const parts = inner(b, expect(e, TAG.SEQUENCE, 'Extension'));
    const oid = oidAt(b, expect(parts[0], TAG.OID, 'extension id'));
    let critical = false;
    let idx = 1;
    if (parts[1]?.tag === TAG.BOOLEAN) {
      critical = decodeBoolean(b, parts[1]);
      idx = 2;
    }
    const value = contents(b, expect(parts[idx], TAG.OCTET_STRING, 'extension value'));
    if (f.extensions.has(oid)) f.errors.push(`extension ${oid} appears more than once`);
    f.extensions.set(oid, { oid, critical, value });
  }
  for (const ext of f.extensions.values()) {
    try {
      decodeExtension(f, ext);
    } catch (e) {
      f.errors.push(`extension ${ext.oid} is malformed (${(e as Error).message})`);
    }
  }
}

function decodeExtension(f: CertFacts, ext: Extension): void {
  const { oid, critical, value } = ext;
  switch (oid) {
    case OID.basicConstraints: {
      const items = inner(value, parseOne(value, TAG.SEQUENCE));
      let ca = false;
      let pathLen: number | null = null;
      for (const it of items) {
        if (it.tag === TAG.BOOLEAN) ca = decodeBoolean(value, it);
        else if (it.tag === TAG.INTEGER) pathLen = decodeSmallInt(value, it);
        else throw new DerError('unexpected element');
      }
      f.basicConstraints = { ca, pathLen, critical };
      return;
    }
    case OID.keyUsage: {
      const bs = contents(value, parseOne(value, TAG.BIT_STRING));
      if (bs.length < 1) throw new DerError('empty BIT STRING');
      const set = new Set<string>();
      for (let i = 0; i < KEY_USAGE_BITS.length; i++) {
        const byte = bs[1 + (i >> 3)];
        if (byte !== undefined && byte & (0x80 >> (i & 7))) set.add(KEY_USAGE_BITS[i]!);
      }
      f.keyUsage = set;
      return;
    }
    case OID.extKeyUsage: {
      const items = inner(value, parseOne(value, TAG.SEQUENCE));
      f.eku = items.map((i) => oidAt(value, expect(i, TAG.OID, 'KeyPurposeId')));
      f.ekuCritical = critical;
      if (f.eku.length === 0) f.errors.push('extendedKeyUsage lists no purposes');
      return;
    }
    case OID.subjectAltName: {
      f.san = decodeGeneralNames(value);
      f.sanCritical = critical;
      if (f.san.length === 0) f.errors.push('subjectAltName is empty');
      return;
    }
    case OID.authorityKeyId: {
      const items = inner(value, parseOne(value, TAG.SEQUENCE));
      const aki: AkiFacts = { keyId: null, hasIssuer: false, hasSerial: false };
      for (const it of items) {
        if (it.tag === 0x80) aki.keyId = Buffer.from(contents(value, it));
        else if (it.tag === 0xa1) aki.hasIssuer = true;
        else if (it.tag === 0x82) aki.hasSerial = true;
        else throw new DerError('unexpected element');
      }
      f.aki = aki;
      if (critical) f.profileErrors.push('authorityKeyIdentifier is marked critical (RFC 5280 4.2.1.1)');
      return;
    }
    case OID.subjectKeyId:
      f.ski = Buffer.from(contents(value, parseOne(value, TAG.OCTET_STRING)));
      if (critical) f.profileErrors.push('subjectKeyIdentifier is marked critical (RFC 5280 4.2.1.2)');
      return;
    case OID.authorityInfoAccess: {
      const items = inner(value, parseOne(value, TAG.SEQUENCE));
      if (items.length === 0) f.profileErrors.push('authorityInfoAccess holds no access descriptions');
      for (const it of items) {
        const [method, loc] = inner(value, expect(it, TAG.SEQUENCE, 'AccessDescription'));
        oidAt(value, expect(method, TAG.OID, 'accessMethod'));
        if (!loc) throw new DerError('accessLocation missing');
        decodeGeneralName(value, loc);
      }
      if (critical) f.profileErrors.push('authorityInfoAccess is marked critical (RFC 5280 4.2.2.1)');
      return;
    }
    case OID.policyConstraints:
      parseOne(value, TAG.SEQUENCE);
      if (!critical) f.profileErrors.push('policyConstraints is not marked critical (RFC 5280 4.2.1.11)');
      return;
    case OID.nameConstraints:
      // decoded by name-constraints.ts when the certificate acts as an issuer
      parseOne(value, TAG.SEQUENCE);
      return;
    case OID.ctPoison:
      f.errors.push(
        'is a Certificate Transparency precertificate (critical poison extension), not a usable certificate',
      );
      return;
    default:
      if (critical && !KNOWN_CRITICAL.has(oid)) f.errors.push(`unrecognised critical extension ${oid}`);
  }
}

/** Decodes a certificate. Never throws: a certificate that cannot be read has `fatal` set. */
export function decodeCertificate(der: Buffer, sha256?: string): CertFacts {
  const f: CertFacts = {
    sha256: sha256 ?? createHash('sha256').update(der).digest('hex'),
    fatal: null,
    errors: [],
    profileErrors: [],
    tbs: Buffer.alloc(0),
    signature: Buffer.alloc(0),
    sigScheme: { kind: 'unknown', hash: null, name: 'unknown' },
    sigAlgMismatch: false,
    version: 1,
    serial: Buffer.alloc(0),
    issuer: EMPTY_NAME,
    subject: EMPTY_NAME,
    notBefore: 0,
    notAfter: 0,
    spki: {
      raw: Buffer.alloc(0),
      algOid: '',
      curveOid: null,
      key: null,
      keyError: 'not decoded',
      rsaBits: null,
    },
    extensions: new Map(),
    basicConstraints: null,
    keyUsage: null,
    eku: null,
    ekuCritical: false,
    san: null,
    sanCritical: false,
    aki: null,
    ski: null,
    selfIssued: false,
  };
  try {
    const cert = parseOne(der, TAG.SEQUENCE);
    const [tbsT, outerAlg, sigT, extra] = inner(der, cert);
    if (extra) throw new DerError('unexpected element after signature');
    const tbs = expect(tbsT, TAG.SEQUENCE, 'tbsCertificate');
    f.tbs = whole(der, tbs);
    const sig = contents(der, expect(sigT, TAG.BIT_STRING, 'signatureValue'));
    if (sig[0] !== 0) throw new DerError('signature BIT STRING has unused bits');
    f.signature = sig.subarray(1);
    const items = inner(der, tbs);
    let i = 0;
    if (items[0]?.tag === 0xa0) {
      f.version = decodeSmallInt(der, expect(inner(der, items[0])[0], TAG.INTEGER, 'version')) + 1;
      i++;
    }
    const serial = contents(der, expect(items[i++], TAG.INTEGER, 'serialNumber'));
    f.serial = Buffer.from(serial);
    const innerAlg = expect(items[i++], TAG.SEQUENCE, 'signature');
    f.sigScheme = decodeSignatureAlgorithm(der, expect(outerAlg, TAG.SEQUENCE, 'signatureAlgorithm'));
    f.sigAlgMismatch = !whole(der, innerAlg).equals(whole(der, outerAlg!));
    f.issuer = decodeName(der, expect(items[i++], TAG.SEQUENCE, 'Name'));
    const validity = inner(der, expect(items[i++], TAG.SEQUENCE, 'validity'));
    f.notBefore = decodeTime(der, validity[0]!);
    f.notAfter = decodeTime(der, validity[1]!);
    f.subject = decodeName(der, expect(items[i++], TAG.SEQUENCE, 'Name'));
    f.spki = decodeSpki(der, items[i++]!);
    f.selfIssued = f.subject.key === f.issuer.key;
    for (; i < items.length; i++) {
      const t = items[i]!;
      if (t.tag === 0xa3) {
        if (f.version !== 3) f.profileErrors.push(`version ${f.version} certificate carries extensions`);
        decodeExtensions(f, der, t);
      } else if (t.tag !== 0x81 && t.tag !== 0x82 && t.tag !== 0xa1 && t.tag !== 0xa2) {
        throw new DerError(`unexpected element in tbsCertificate (tag 0x${t.tag.toString(16)})`);
      }
    }
  } catch (e) {
    f.fatal = `certificate cannot be decoded: ${(e as Error).message}`;
  }
  return f;
}

const cache = new Map<string, CertFacts>();
const CACHE_MAX = 5000;

/**
 * Decoded facts for a record, cached by the SHA-256 of its DER. The digest is recomputed rather than
 * taken from the record, so a record whose `sha256` disagrees with its bytes cannot poison the cache.
 */
export function factsFor(record: { der: string }): CertFacts {
  const der = Buffer.from(record.der, 'base64');
  const sha256 = createHash('sha256').update(der).digest('hex');
  let f = cache.get(sha256);
  if (!f) {
    f = decodeCertificate(der, sha256);
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.set(sha256, f);
  }
  return f;
}
