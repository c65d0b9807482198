// The one decode of a certificate: a single strict walk of its DER (der.ts's walker held to
// readStrictTlv) that yields everything path validation needs (raw names, extension criticality,
// the signed bytes, the public key) and the positions and name attributes the record is built from
// (parse.ts). Decoding problems are collected, never thrown: a certificate that is not DER is
// unusable in a path, and the validator says why; parse.ts then reads it tolerantly for the record.
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import {
  DerError,
  TAG,
  contents,
  expectTag,
  inner,
  oidAt,
  parseOne,
  strictSmallInt,
  timeAt,
  whole,
  type Tlv,
} from './der.js';
import { decodeName, type DecodedName, type GeneralName } from './general-names.js';
import {
  decodeExtensions,
  type AkiFacts,
  type Extension,
  type ExtensionFacts,
  type ExtensionLayout,
} from './extensions.js';
import { keyFromDer, type KeyInfo } from './keys.js';
import { clip, type NameAttribute } from './names.js';
import { HASH_OIDS, SIGNATURE_ALGORITHMS } from './oids.js';

export type { DecodedName, GeneralName } from './general-names.js';

export interface SignatureScheme {
  kind: 'rsa' | 'rsa-pss' | 'ecdsa' | 'ed25519' | 'ed448' | 'dsa' | 'unknown';
  hash: string | null;
  saltLength?: number;
  name: string;
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

/** Everything the validator reads from one certificate. */
export interface CertFacts extends ExtensionFacts {
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
  selfIssued: boolean;
}

/** Positions and values of the one walk that the record is built from (parse.ts). */
export interface CertLayout {
  serial: Tlv;
  issuer: NameAttribute[][];
  subject: NameAttribute[][];
  /** The issuer and subject Names are the same bytes. */
  sameNames: boolean;
  /** Validity times in milliseconds as encoded (CertFacts keeps them to the second). */
  notBeforeMs: number;
  notAfterMs: number;
  /** The outer signatureAlgorithm (what the signature really uses). */
  sigAlg: { oid: string; params: Tlv | null };
  spki: Tlv;
  /** The key as read from DER and its BIT STRING; null when SubjectPublicKeyInfo is not that shape. */
  key: { info: KeyInfo; bits: Tlv } | null;
  extensions: ExtensionLayout;
}

/** The result of the one walk: the facts, and the layout when the certificate is well-formed DER. */
export interface Decoded {
  facts: CertFacts;
  layout: CertLayout | null;
}

/** How to get the public key: one OpenSSL already loaded (parse.ts), else it is loaded here. */
export interface DecodeOptions {
  sha256?: string;
  key?: KeyObject | null;
}

const TIME_SHAPE: Record<number, [RegExp, string, number]> = {
  [TAG.UTCTime]: [/^\d{12}Z$/, 'UTCTime', 2],
  [TAG.GeneralizedTime]: [/^\d{14}(?:\.\d+)?Z$/, 'GeneralizedTime', 4],
};

/**
 * A validity time as RFC 5280 4.1.2.5 writes it (seconds, 'Z'), on a real calendar date: its
 * milliseconds as encoded, and to the second (fractions dropped) as validation compares it.
 */
function decodeTime(b: Buffer, t: Tlv): { ms: number; seconds: number } {
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
  return { ms, seconds: Math.floor(ms / 1000) * 1000 };
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

/** A signature AlgorithmIdentifier (of a certificate, a CRL or an OCSP response): the scheme to verify with. */
export function decodeSignatureAlgorithm(
  b: Buffer,
  algId: Tlv,
): { scheme: SignatureScheme; oid: string; params: Tlv | null } {
  const [oidT, params] = inner(b, expectTag(algId, TAG.SEQUENCE, 'AlgorithmIdentifier'));
  const oid = oidAt(b, expectTag(oidT, TAG.OID, 'algorithm'));
  const at = { oid, params: params ?? null };
  if (oid === RSASSA_PSS) {
    // RSASSA-PSS-params: hashAlgorithm [0], maskGenAlgorithm [1], saltLength [2], trailerField [3]
    let hash = 'sha1';
    let saltLength = 20;
    if (params && params.tag === TAG.SEQUENCE) {
      for (const p of inner(b, params)) {
        const value = inner(b, p)[0];
        if (!value) continue;
        if (p.tag === 0xa0)
          hash = HASH_OIDS[oidAt(b, expectTag(inner(b, value)[0], TAG.OID, 'hash'))] ?? 'unknown';
        if (p.tag === 0xa2) saltLength = strictSmallInt(b, value);
      }
    }
    return { scheme: { kind: 'rsa-pss', hash, saltLength, name: `rsassa-pss(${hash})` }, ...at };
  }
  const kind = CHECKED_SIGNATURES.get(oid);
  const known = SIGNATURE_ALGORITHMS[oid];
  const scheme: SignatureScheme =
    kind && known ? { kind, hash: known[1], name: known[0] } : { kind: 'unknown', hash: null, name: oid };
  return { scheme, ...at };
}

const EC_PUBLIC_KEY = '1.2.840.10045.2.1';

/** Key types whose size asymmetricKeyDetails reports as modulusLength (what rsaBits has always held). */
const MODULUS_KEYS = new Set(['RSA', 'RSA-PSS', 'DSA']);

function decodeSpki(b: Buffer, t: Tlv, opts: DecodeOptions): { spki: SpkiFacts; key: CertLayout['key'] } {
  const [alg, bits] = inner(b, expectTag(t, TAG.SEQUENCE, 'SubjectPublicKeyInfo'));
  const [oidT, params] = inner(b, expectTag(alg, TAG.SEQUENCE, 'algorithm'));
  const algOid = oidAt(b, expectTag(oidT, TAG.OID, 'key algorithm'));
  let curveOid: SpkiFacts['curveOid'] = null;
  if (algOid === EC_PUBLIC_KEY) curveOid = params?.tag === TAG.OID ? oidAt(b, params) : 'explicit';
  const raw = whole(b, t);
  const info = bits?.tag === TAG.BIT_STRING ? keyFromDer(b, algOid, params ?? null, bits) : null;
  let key: KeyObject | null = opts.key ?? null;
  let keyError: string | null = null;
  let rsaBits: number | null = null;
  if (!key) {
    try {
      key = createPublicKey({ key: raw, format: 'der', type: 'spki' });
    } catch (e) {
      keyError = `public key cannot be read (${(e as Error).message.slice(0, 120)})`;
    }
  }
  if (key) {
    // the size as encoded, read from DER; OpenSSL is asked only when DER did not say (~5% of a parse)
    if (info && !info.keyError && info.keyBits !== null && MODULUS_KEYS.has(info.keyType))
      rsaBits = info.keyBits;
    else if (!info || info.keyError) rsaBits = key.asymmetricKeyDetails?.modulusLength ?? null;
  }
  return {
    spki: { raw, algOid, curveOid, key, keyError, rsaBits },
    key: info && bits ? { info, bits } : null,
  };
}

const EMPTY: Buffer = Buffer.alloc(0);
const EMPTY_NAME: DecodedName = { raw: EMPTY, rdns: [], key: '', empty: true };
const UNKNOWN_SCHEME: SignatureScheme = { kind: 'unknown', hash: null, name: 'unknown' };
const NOT_DECODED: SpkiFacts = {
  raw: EMPTY,
  algOid: '',
  curveOid: null,
  key: null,
  keyError: 'not decoded',
  rsaBits: null,
};

/** CertFacts as the walk fills them in; `selfIssued` compares the names' keys on first use. */
class Facts implements CertFacts {
  fatal: string | null = null;
  errors: string[] = [];
  profileErrors: string[] = [];
  tbs: Buffer = EMPTY;
  signature: Buffer = EMPTY;
  sigScheme: SignatureScheme = UNKNOWN_SCHEME;
  sigAlgMismatch = false;
  version = 1;
  serial: Buffer = EMPTY;
  issuer: DecodedName = EMPTY_NAME;
  subject: DecodedName = EMPTY_NAME;
  notBefore = 0;
  notAfter = 0;
  spki: SpkiFacts = NOT_DECODED;
  extensions = new Map<string, Extension>();
  basicConstraints: CertFacts['basicConstraints'] = null;
  keyUsage: Set<string> | null = null;
  eku: string[] | null = null;
  ekuCritical = false;
  san: GeneralName[] | null = null;
  sanCritical = false;
  aki: AkiFacts | null = null;
  ski: Buffer | null = null;
  /** false until both names are decoded; then undefined until first asked. */
  private self: boolean | undefined = false;

  constructor(readonly sha256: string) {}

  namesDecoded(): void {
    this.self = undefined;
  }

  get selfIssued(): boolean {
    return (this.self ??= this.subject.key === this.issuer.key);
  }
}

/**
 * Decodes a certificate in one walk. Never throws: a certificate that cannot be read has
 * `facts.fatal` set and no layout. `der` must be the certificate alone, in memory it may keep.
 */
export function decodeCertificate(der: Buffer, opts: DecodeOptions = {}): Decoded {
  const f = new Facts(opts.sha256 ?? createHash('sha256').update(der).digest('hex'));
  try {
    return { facts: f, layout: walk(der, f, opts) };
  } catch (e) {
    f.fatal = `certificate cannot be decoded: ${(e as Error).message}`;
    return { facts: f, layout: null };
  }
}

function sameBytes(b: Uint8Array, x: Tlv, y: Tlv): boolean {
  if (x.end - x.start !== y.end - y.start) return false;
  for (let i = 0; i < x.end - x.start; i++) if (b[x.start + i] !== b[y.start + i]) return false;
  return true;
}

/** Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue } (RFC 5280 4.1). */
function walk(der: Buffer, f: Facts, opts: DecodeOptions): CertLayout {
  const cert = parseOne(der, TAG.SEQUENCE);
  const [tbsT, outerAlg, sigT, extra] = inner(der, cert);
  if (extra) throw new DerError('unexpected element after signature');
  const tbs = expectTag(tbsT, TAG.SEQUENCE, 'tbsCertificate');
  f.tbs = whole(der, tbs);
  const sig = contents(der, expectTag(sigT, TAG.BIT_STRING, 'signatureValue'));
  if (sig[0] !== 0) throw new DerError('signature BIT STRING has unused bits');
  f.signature = sig.subarray(1);
  const items = inner(der, tbs);
  let i = 0;
  if (items[0]?.tag === 0xa0) {
    f.version = strictSmallInt(der, expectTag(inner(der, items[0])[0], TAG.INTEGER, 'version')) + 1;
    i++;
  }
  const serial = expectTag(items[i++], TAG.INTEGER, 'serialNumber');
  f.serial = Buffer.from(contents(der, serial));
  const innerAlg = expectTag(items[i++], TAG.SEQUENCE, 'signature');
  const sigAlg = decodeSignatureAlgorithm(der, expectTag(outerAlg, TAG.SEQUENCE, 'signatureAlgorithm'));
  f.sigScheme = sigAlg.scheme;
  f.sigAlgMismatch = !whole(der, innerAlg).equals(whole(der, outerAlg!));
  const issuerT = expectTag(items[i++], TAG.SEQUENCE, 'Name');
  const issuer = decodeName(der, issuerT);
  f.issuer = issuer;
  const validity = inner(der, expectTag(items[i++], TAG.SEQUENCE, 'validity'));
  const notBefore = decodeTime(der, validity[0]!);
  f.notBefore = notBefore.seconds;
  const notAfter = decodeTime(der, validity[1]!);
  f.notAfter = notAfter.seconds;
  const subjectT = expectTag(items[i++], TAG.SEQUENCE, 'Name');
  const subject = decodeName(der, subjectT);
  f.subject = subject;
  const spkiT = items[i++]!;
  const spki = decodeSpki(der, spkiT, opts);
  f.spki = spki.spki;
  f.namesDecoded();
  let extensions: ExtensionLayout = { first: new Map(), duplicated: new Set(), malformed: new Set() };
  for (; i < items.length; i++) {
    const t = items[i]!;
    if (t.tag === 0xa3) {
      if (f.version !== 3) f.profileErrors.push(`version ${f.version} certificate carries extensions`);
      extensions = decodeExtensions(der, t, f, f);
    } else if (t.tag !== 0x81 && t.tag !== 0x82 && t.tag !== 0xa1 && t.tag !== 0xa2) {
      throw new DerError(`unexpected element in tbsCertificate (tag 0x${t.tag.toString(16)})`);
    }
  }
  return {
    serial,
    issuer: issuer.attributes,
    subject: subject.attributes,
    sameNames: sameBytes(der, issuerT, subjectT),
    notBeforeMs: notBefore.ms,
    notAfterMs: notAfter.ms,
    sigAlg: { oid: sigAlg.oid, params: sigAlg.params },
    spki: spkiT,
    key: spki.key,
    extensions,
  };
}
