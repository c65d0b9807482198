// The facts path validation needs that a CertRecord does not carry (raw names, extension
// criticality, name constraints, the signed bytes), decoded from the record's DER with a small,
// strict DER reader. Decoding problems are collected, never thrown: a malformed certificate is
// unusable in a path, and the validator says why.
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { clip } from './verify-names.js';

export interface Tlv {
  /** Identifier octet (class + constructed bit + tag number < 31). */
  tag: number;
  /** The whole TLV. */
  raw: Buffer;
  /** The contents octets. */
  value: Buffer;
}

export class DerError extends Error {}

/** Reads one TLV at `pos`; strict DER: definite, minimal lengths and low tag numbers only. */
export function readTlv(buf: Buffer, pos: number): { tlv: Tlv; next: number } {
  if (pos + 2 > buf.length) throw new DerError('truncated DER element');
  const tag = buf[pos]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('high tag numbers are not supported');
  let len = buf[pos + 1]!;
  let hdr = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0) throw new DerError('indefinite length is not DER');
    if (n > 4) throw new DerError('DER length too large');
    if (pos + 2 + n > buf.length) throw new DerError('truncated DER length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[pos + 2 + i]!;
    if (buf[pos + 2] === 0 || len < 0x80) throw new DerError('non-minimal DER length');
    hdr += n;
  }
  const end = pos + hdr + len;
  if (end > buf.length) throw new DerError('DER element runs past its container');
  return { tlv: { tag, raw: buf.subarray(pos, end), value: buf.subarray(pos + hdr, end) }, next: end };
}

/** Parses exactly one TLV that must fill `buf`. */
export function parseOne(buf: Buffer, expectTag?: number): Tlv {
  const { tlv, next } = readTlv(buf, 0);
  if (next !== buf.length) throw new DerError('trailing data after DER element');
  if (expectTag !== undefined && tlv.tag !== expectTag)
    throw new DerError(`expected tag 0x${expectTag.toString(16)}, found 0x${tlv.tag.toString(16)}`);
  return tlv;
}

/** The elements inside a constructed TLV. */
export function children(t: Tlv): Tlv[] {
  if (!(t.tag & 0x20)) throw new DerError('expected a constructed element');
  const out: Tlv[] = [];
  let pos = 0;
  while (pos < t.value.length) {
    const { tlv, next } = readTlv(t.value, pos);
    out.push(tlv);
    pos = next;
  }
  return out;
}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8: 0x0c,
  SEQUENCE: 0x30,
  SET: 0x31,
  PRINTABLE: 0x13,
  T61: 0x14,
  IA5: 0x16,
  UTC_TIME: 0x17,
  GEN_TIME: 0x18,
  UNIVERSAL: 0x1c,
  BMP: 0x1e,
} as const;

export function decodeOid(v: Buffer): string {
  if (v.length === 0) throw new DerError('empty OID');
  const parts: number[] = [];
  let acc = 0;
  for (let i = 0; i < v.length; i++) {
    const b = v[i]!;
    if (acc === 0 && b === 0x80) throw new DerError('non-minimal OID encoding');
    acc = acc * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      parts.push(acc);
      acc = 0;
    } else if (i === v.length - 1) throw new DerError('truncated OID');
  }
  const first = parts[0]!;
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...parts.slice(1)].join('.');
}

function expect(t: Tlv | undefined, tag: number, what: string): Tlv {
  if (!t) throw new DerError(`missing ${what}`);
  if (t.tag !== tag) throw new DerError(`${what}: unexpected tag 0x${t.tag.toString(16)}`);
  return t;
}

function decodeBoolean(t: Tlv): boolean {
  if (t.value.length !== 1 || (t.value[0] !== 0 && t.value[0] !== 0xff))
    throw new DerError('invalid DER BOOLEAN');
  return t.value[0] === 0xff;
}

function decodeSmallInt(t: Tlv): number {
  if (t.value.length === 0 || t.value.length > 4) throw new DerError('INTEGER out of range');
  if (t.value[0]! & 0x80) throw new DerError('negative INTEGER');
  let n = 0;
  for (const b of t.value) n = n * 256 + b;
  return n;
}

/** Text of a directory string value; null for non-string types. */
export function decodeString(t: Tlv): string | null {
  switch (t.tag) {
    case TAG.UTF8:
      return t.value.toString('utf8');
    case TAG.PRINTABLE:
    case TAG.IA5:
    case TAG.T61:
    case 0x1a: // VisibleString
    case 0x12: // NumericString
      return t.value.toString('latin1');
    case TAG.BMP: {
      let s = '';
      for (let i = 0; i + 1 < t.value.length; i += 2) s += String.fromCharCode(t.value.readUInt16BE(i));
      return s;
    }
    case TAG.UNIVERSAL: {
      let s = '';
      for (let i = 0; i + 3 < t.value.length; i += 4) s += String.fromCodePoint(t.value.readUInt32BE(i));
      return s;
    }
    default:
      return null;
  }
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

export function decodeName(t: Tlv): DecodedName {
  expect(t, TAG.SEQUENCE, 'Name');
  const rdns: Ava[][] = [];
  for (const set of children(t)) {
    expect(set, TAG.SET, 'RelativeDistinguishedName');
    const avas: Ava[] = [];
    for (const seq of children(set)) {
      const [type, value] = children(expect(seq, TAG.SEQUENCE, 'AttributeTypeAndValue'));
      const oid = decodeOid(expect(type, TAG.OID, 'attribute type').value);
      if (!value) throw new DerError('attribute without value');
      const text = decodeString(value);
      const norm =
        text !== null ? text.trim().replace(/\s+/g, ' ').toLowerCase() : '#' + value.raw.toString('hex');
      avas.push({ oid, norm, text });
    }
    // an empty RDN is malformed but common in test and legacy data; it stays part of the name's key
    avas.sort((a, b) => (a.oid + '=' + a.norm < b.oid + '=' + b.norm ? -1 : 1));
    rdns.push(avas);
  }
  const key = rdns.map((r) => r.map((a) => `${a.oid}=${JSON.stringify(a.norm)}`).join('+')).join(',');
  return { raw: t.raw, rdns, key, empty: rdns.every((r) => r.length === 0) };
}

function decodeTime(t: Tlv): number {
  const s = t.value.toString('latin1');
  let m: RegExpMatchArray | null;
  let year: number;
  if (t.tag === TAG.UTC_TIME) {
    m = s.match(/^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/);
    if (!m) throw new DerError(`invalid UTCTime '${clip(s, 40)}'`);
    const yy = Number(m[1]);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
  } else if (t.tag === TAG.GEN_TIME) {
    m = s.match(/^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d+)?Z$/);
    if (!m) throw new DerError(`invalid GeneralizedTime '${clip(s, 40)}'`);
    year = Number(m[1]);
  } else throw new DerError('validity time has an unexpected type');
  const [mo, d, h, mi, se] = [2, 3, 4, 5, 6].map((i) => Number(m![i]));
  const ms = Date.UTC(year, mo! - 1, d!, h!, mi!, se!);
  const back = new Date(ms);
  if (back.getUTCMonth() !== mo! - 1 || back.getUTCDate() !== d! || h! > 23 || mi! > 59 || se! > 59) {
    throw new DerError(`invalid calendar time '${clip(s, 40)}'`);
  }
  return ms;
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

export function decodeGeneralName(t: Tlv): GeneralName {
  switch (t.tag) {
    case 0x82:
      return { type: 'dns', value: t.value.toString('latin1'), ascii: isAscii(t.value) };
    case 0x81:
      return { type: 'email', value: t.value.toString('latin1'), ascii: isAscii(t.value) };
    case 0x86:
      return { type: 'uri', value: t.value.toString('latin1'), ascii: isAscii(t.value) };
    case 0x87:
      return { type: 'ip', bytes: Buffer.from(t.value) };
    case 0xa4: {
      const inner = children(t);
      if (inner.length !== 1) throw new DerError('directoryName must hold one Name');
      return { type: 'dn', name: decodeName(inner[0]!) };
    }
    default:
      // otherName [0], x400Address [3], ediPartyName [5], registeredID [8]: recognised as present only
      return { type: 'other', tag: t.tag, raw: t.raw };
  }
}

export function decodeGeneralNames(buf: Buffer): GeneralName[] {
  const seq = parseOne(buf, TAG.SEQUENCE);
  return children(seq).map(decodeGeneralName);
}

export interface Extension {
  oid: string;
  critical: boolean;
  value: Buffer;
}

export const OID = {
  subjectKeyId: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  issuerAltName: '2.5.29.18',
  basicConstraints: '2.5.29.19',
  nameConstraints: '2.5.29.30',
  crlDistributionPoints: '2.5.29.31',
  certificatePolicies: '2.5.29.32',
  policyMappings: '2.5.29.33',
  authorityKeyId: '2.5.29.35',
  policyConstraints: '2.5.29.36',
  extKeyUsage: '2.5.29.37',
  freshestCrl: '2.5.29.46',
  inhibitAnyPolicy: '2.5.29.54',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  subjectInfoAccess: '1.3.6.1.5.5.7.1.11',
  sctList: '1.3.6.1.4.1.11129.2.4.2',
  ocspNoCheck: '1.3.6.1.5.5.7.48.1.5',
  emailAddress: '1.2.840.113549.1.9.1',
  commonName: '2.5.4.3',
} as const;

export const EKU_OID: Record<string, string> = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  OCSPSigning: '1.3.6.1.5.5.7.3.9',
  anyExtendedKeyUsage: '2.5.29.37.0',
};

const KU_NAMES = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

export interface SignatureScheme {
  kind: 'rsa' | 'rsa-pss' | 'ecdsa' | 'ed25519' | 'ed448' | 'dsa' | 'unknown';
  hash: string | null;
  saltLength?: number;
  name: string;
}

const SIG_ALGS: Record<string, SignatureScheme> = {
  '1.2.840.113549.1.1.4': { kind: 'rsa', hash: 'md5', name: 'md5WithRSAEncryption' },
  '1.2.840.113549.1.1.5': { kind: 'rsa', hash: 'sha1', name: 'sha1WithRSAEncryption' },
  '1.2.840.113549.1.1.14': { kind: 'rsa', hash: 'sha224', name: 'sha224WithRSAEncryption' },
  '1.2.840.113549.1.1.11': { kind: 'rsa', hash: 'sha256', name: 'sha256WithRSAEncryption' },
  '1.2.840.113549.1.1.12': { kind: 'rsa', hash: 'sha384', name: 'sha384WithRSAEncryption' },
  '1.2.840.113549.1.1.13': { kind: 'rsa', hash: 'sha512', name: 'sha512WithRSAEncryption' },
  '1.2.840.10045.4.1': { kind: 'ecdsa', hash: 'sha1', name: 'ecdsa-with-SHA1' },
  '1.2.840.10045.4.3.1': { kind: 'ecdsa', hash: 'sha224', name: 'ecdsa-with-SHA224' },
  '1.2.840.10045.4.3.2': { kind: 'ecdsa', hash: 'sha256', name: 'ecdsa-with-SHA256' },
  '1.2.840.10045.4.3.3': { kind: 'ecdsa', hash: 'sha384', name: 'ecdsa-with-SHA384' },
  '1.2.840.10045.4.3.4': { kind: 'ecdsa', hash: 'sha512', name: 'ecdsa-with-SHA512' },
  '1.3.101.112': { kind: 'ed25519', hash: null, name: 'Ed25519' },
  '1.3.101.113': { kind: 'ed448', hash: null, name: 'Ed448' },
  '1.2.840.10040.4.3': { kind: 'dsa', hash: 'sha1', name: 'dsa-with-SHA1' },
  '2.16.840.1.101.3.4.3.2': { kind: 'dsa', hash: 'sha256', name: 'dsa-with-SHA256' },
};

const HASH_OIDS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

function decodeSignatureAlgorithm(algId: Tlv): SignatureScheme {
  const [oidT, params] = children(expect(algId, TAG.SEQUENCE, 'AlgorithmIdentifier'));
  const oid = decodeOid(expect(oidT, TAG.OID, 'algorithm').value);
  if (oid === '1.2.840.113549.1.1.10') {
    // RSASSA-PSS-params: hashAlgorithm [0], maskGenAlgorithm [1], saltLength [2], trailerField [3]
    let hash = 'sha1';
    let saltLength = 20;
    if (params && params.tag === TAG.SEQUENCE) {
      for (const p of children(params)) {
        const inner = children(p)[0];
        if (!inner) continue;
        if (p.tag === 0xa0) hash = HASH_OIDS[decodeOid(children(inner)[0]!.value)] ?? 'unknown';
        if (p.tag === 0xa2) saltLength = decodeSmallInt(inner);
      }
    }
    return { kind: 'rsa-pss', hash, saltLength, name: `rsassa-pss(${hash})` };
  }
  return SIG_ALGS[oid] ?? { kind: 'unknown', hash: null, name: oid };
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

function decodeSpki(t: Tlv): SpkiFacts {
  const [alg] = children(expect(t, TAG.SEQUENCE, 'SubjectPublicKeyInfo'));
  const [oidT, params] = children(expect(alg, TAG.SEQUENCE, 'algorithm'));
  const algOid = decodeOid(expect(oidT, TAG.OID, 'key algorithm').value);
  let curveOid: SpkiFacts['curveOid'] = null;
  if (algOid === '1.2.840.10045.2.1')
    curveOid = params?.tag === TAG.OID ? decodeOid(params.value) : 'explicit';
  let key: KeyObject | null = null;
  let keyError: string | null = null;
  let rsaBits: number | null = null;
  try {
    key = createPublicKey({ key: t.raw, format: 'der', type: 'spki' });
    const details = key.asymmetricKeyDetails;
    if (details?.modulusLength) rsaBits = details.modulusLength;
  } catch (e) {
    keyError = `public key cannot be read (${(e as Error).message.slice(0, 120)})`;
  }
  return { raw: t.raw, algOid, curveOid, key, keyError, rsaBits };
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

function decodeExtensions(f: CertFacts, t: Tlv): void {
  const list = children(expect(children(t)[0], TAG.SEQUENCE, 'Extensions'));
  if (list.length === 0) f.profileErrors.push('extensions field is present but empty');
  for (const e of list) {
    const parts = children(expect(e, TAG.SEQUENCE, 'Extension'));
    const oid = decodeOid(expect(parts[0], TAG.OID, 'extension id').value);
    let critical = false;
    let idx = 1;
    if (parts[1]?.tag === TAG.BOOLEAN) {
      critical = decodeBoolean(parts[1]);
      idx = 2;
    }
    const value = expect(parts[idx], TAG.OCTET_STRING, 'extension value').value;
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
      const items = children(parseOne(value, TAG.SEQUENCE));
      let ca = false;
      let pathLen: number | null = null;
      for (const it of items) {
        if (it.tag === TAG.BOOLEAN) ca = decodeBoolean(it);
        else if (it.tag === TAG.INTEGER) pathLen = decodeSmallInt(it);
        else throw new DerError('unexpected element');
      }
      f.basicConstraints = { ca, pathLen, critical };
      return;
    }
    case OID.keyUsage: {
      const bs = parseOne(value, TAG.BIT_STRING).value;
      if (bs.length < 1) throw new DerError('empty BIT STRING');
      const set = new Set<string>();
      for (let i = 0; i < KU_NAMES.length; i++) {
        const byte = bs[1 + (i >> 3)];
        if (byte !== undefined && byte & (0x80 >> (i & 7))) set.add(KU_NAMES[i]!);
      }
      f.keyUsage = set;
      return;
    }
    case OID.extKeyUsage: {
      const items = children(parseOne(value, TAG.SEQUENCE));
      f.eku = items.map((i) => decodeOid(expect(i, TAG.OID, 'KeyPurposeId').value));
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
      const items = children(parseOne(value, TAG.SEQUENCE));
      const aki: AkiFacts = { keyId: null, hasIssuer: false, hasSerial: false };
      for (const it of items) {
        if (it.tag === 0x80) aki.keyId = Buffer.from(it.value);
        else if (it.tag === 0xa1) aki.hasIssuer = true;
        else if (it.tag === 0x82) aki.hasSerial = true;
        else throw new DerError('unexpected element');
      }
      f.aki = aki;
      if (critical) f.profileErrors.push('authorityKeyIdentifier is marked critical (RFC 5280 4.2.1.1)');
      return;
    }
    case OID.subjectKeyId:
      f.ski = Buffer.from(parseOne(value, TAG.OCTET_STRING).value);
      if (critical) f.profileErrors.push('subjectKeyIdentifier is marked critical (RFC 5280 4.2.1.2)');
      return;
    case OID.authorityInfoAccess: {
      const items = children(parseOne(value, TAG.SEQUENCE));
      if (items.length === 0) f.profileErrors.push('authorityInfoAccess holds no access descriptions');
      for (const it of items) {
        const [method, loc] = children(expect(it, TAG.SEQUENCE, 'AccessDescription'));
        decodeOid(expect(method, TAG.OID, 'accessMethod').value);
        if (!loc) throw new DerError('accessLocation missing');
        decodeGeneralName(loc);
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
    case '1.3.6.1.4.1.11129.2.4.3':
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
    const [tbsT, outerAlg, sigT, extra] = children(cert);
    if (extra) throw new DerError('unexpected element after signature');
    const tbs = expect(tbsT, TAG.SEQUENCE, 'tbsCertificate');
    f.tbs = tbs.raw;
    const sig = expect(sigT, TAG.BIT_STRING, 'signatureValue').value;
    if (sig[0] !== 0) throw new DerError('signature BIT STRING has unused bits');
    f.signature = sig.subarray(1);
    const items = children(tbs);
    let i = 0;
    if (items[0]?.tag === 0xa0) {
      f.version = decodeSmallInt(expect(children(items[0])[0], TAG.INTEGER, 'version')) + 1;
      i++;
    }
    const serial = expect(items[i++], TAG.INTEGER, 'serialNumber').value;
    f.serial = Buffer.from(serial);
    const innerAlg = expect(items[i++], TAG.SEQUENCE, 'signature');
    f.sigScheme = decodeSignatureAlgorithm(expect(outerAlg, TAG.SEQUENCE, 'signatureAlgorithm'));
    f.sigAlgMismatch = !innerAlg.raw.equals(outerAlg!.raw);
    f.issuer = decodeName(items[i++]!);
    const validity = children(expect(items[i++], TAG.SEQUENCE, 'validity'));
    f.notBefore = decodeTime(validity[0]!);
    f.notAfter = decodeTime(validity[1]!);
    f.subject = decodeName(items[i++]!);
    f.spki = decodeSpki(items[i++]!);
    f.selfIssued = f.subject.key === f.issuer.key;
    for (; i < items.length; i++) {
      const t = items[i]!;
      if (t.tag === 0xa3) {
        if (f.version !== 3) f.profileErrors.push(`version ${f.version} certificate carries extensions`);
        decodeExtensions(f, t);
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
