// One certificate -> one CertRecord, parsed once. The DER walker (der.ts) reads the structure
// exactly (names, times, extensions, algorithms); node's X509Certificate (OpenSSL) is the second
// opinion that the certificate and its public key really load. When OpenSSL refuses a certificate
// that is structurally sound, the record is still built from DER and the key gets a keyError.
import { X509Certificate, createHash } from 'node:crypto';
import type { CertRecord, KeyType } from '../core/model.js';
import { ParseError } from '../core/errors.js';
import {
  DerError,
  TAG,
  algorithmAt,
  bitString,
  certSkeleton,
  children,
  expectTlv,
  hex,
  integerBits,
  integerHex,
  isContext,
  oidAt,
  readTlv,
  smallInteger,
  timeAt,
  type CertSkeleton,
  type Tlv,
} from './der.js';
import { ipFromBytes, parseName } from './names.js';

/** Signature algorithm OID -> [name as OpenSSL prints it, hash or null]. */
export const SIGNATURE_ALGORITHMS: Record<string, [string, string | null]> = {
  '1.2.840.113549.1.1.2': ['md2WithRSAEncryption', 'md2'],
  '1.2.840.113549.1.1.3': ['md4WithRSAEncryption', 'md4'],
  '1.2.840.113549.1.1.4': ['md5WithRSAEncryption', 'md5'],
  '1.2.840.113549.1.1.5': ['sha1WithRSAEncryption', 'sha1'],
  '1.3.14.3.2.29': ['sha1WithRSA', 'sha1'],
  '1.2.840.113549.1.1.14': ['sha224WithRSAEncryption', 'sha224'],
  '1.2.840.113549.1.1.11': ['sha256WithRSAEncryption', 'sha256'],
  '1.2.840.113549.1.1.12': ['sha384WithRSAEncryption', 'sha384'],
  '1.2.840.113549.1.1.13': ['sha512WithRSAEncryption', 'sha512'],
  '1.2.840.113549.1.1.10': ['rsassaPss', 'sha1'], // hash refined from the parameters
  '1.2.840.10045.4.1': ['ecdsa-with-SHA1', 'sha1'],
  '1.2.840.10045.4.3.1': ['ecdsa-with-SHA224', 'sha224'],
  '1.2.840.10045.4.3.2': ['ecdsa-with-SHA256', 'sha256'],
  '1.2.840.10045.4.3.3': ['ecdsa-with-SHA384', 'sha384'],
  '1.2.840.10045.4.3.4': ['ecdsa-with-SHA512', 'sha512'],
  '1.2.840.10040.4.3': ['dsa_with_SHA1', 'sha1'],
  '2.16.840.1.101.3.4.3.1': ['dsa_with_SHA224', 'sha224'],
  '2.16.840.1.101.3.4.3.2': ['dsa_with_SHA256', 'sha256'],
  '2.16.840.1.101.3.4.3.9': ['ecdsa_with_SHA3-224', 'sha3-224'],
  '2.16.840.1.101.3.4.3.10': ['ecdsa_with_SHA3-256', 'sha3-256'],
  '2.16.840.1.101.3.4.3.11': ['ecdsa_with_SHA3-384', 'sha3-384'],
  '2.16.840.1.101.3.4.3.12': ['ecdsa_with_SHA3-512', 'sha3-512'],
  '2.16.840.1.101.3.4.3.13': ['RSA-SHA3-224', 'sha3-224'],
  '2.16.840.1.101.3.4.3.14': ['RSA-SHA3-256', 'sha3-256'],
  '2.16.840.1.101.3.4.3.15': ['RSA-SHA3-384', 'sha3-384'],
  '2.16.840.1.101.3.4.3.16': ['RSA-SHA3-512', 'sha3-512'],
  '1.3.101.112': ['ED25519', null],
  '1.3.101.113': ['ED448', null],
  '2.16.840.1.101.3.4.3.17': ['ML-DSA-44', null],
  '2.16.840.1.101.3.4.3.18': ['ML-DSA-65', null],
  '2.16.840.1.101.3.4.3.19': ['ML-DSA-87', null],
  '1.2.643.2.2.3': ['GOST R 34.11-94 with GOST R 34.10-2001', 'gostr3411-94'],
  '1.2.643.7.1.1.3.2': ['GOST R 34.10-2012 with GOST R 34.11-2012 (256 bit)', 'streebog256'],
  '1.2.643.7.1.1.3.3': ['GOST R 34.10-2012 with GOST R 34.11-2012 (512 bit)', 'streebog512'],
  '1.2.156.10197.1.501': ['SM2-with-SM3', 'sm3'],
};

/** Digest algorithm OID -> hash name (as node's crypto names it). */
export const HASH_OIDS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  '1.2.840.113549.2.5': 'md5',
};

/** Named curve OID -> the name users write (NIST names where there is one). */
export const CURVES: Record<string, [string, number]> = {
  '1.2.840.10045.3.1.7': ['P-256', 256],
  '1.3.132.0.34': ['P-384', 384],
  '1.3.132.0.35': ['P-521', 521],
  '1.3.132.0.33': ['P-224', 224],
  '1.2.840.10045.3.1.1': ['P-192', 192],
  '1.3.132.0.10': ['secp256k1', 256],
  '1.3.36.3.3.2.8.1.1.7': ['brainpoolP256r1', 256],
  '1.3.36.3.3.2.8.1.1.11': ['brainpoolP384r1', 384],
  '1.3.36.3.3.2.8.1.1.13': ['brainpoolP512r1', 512],
  '1.2.156.10197.1.301': ['SM2', 256],
};

const KEY_ALGORITHMS: Record<string, string> = {
  '1.3.101.110': 'X25519',
  '1.3.101.111': 'X448',
  '1.2.840.113549.1.1.7': 'RSAES-OAEP',
  '2.16.840.1.101.3.4.3.17': 'ML-DSA-44',
  '2.16.840.1.101.3.4.3.18': 'ML-DSA-65',
  '2.16.840.1.101.3.4.3.19': 'ML-DSA-87',
  '2.16.840.1.101.3.4.4.1': 'ML-KEM-512',
  '2.16.840.1.101.3.4.4.2': 'ML-KEM-768',
  '2.16.840.1.101.3.4.4.3': 'ML-KEM-1024',
  '1.2.643.2.2.19': 'GOST R 34.10-2001',
  '1.2.643.7.1.1.1.1': 'GOST R 34.10-2012 (256 bit)',
  '1.2.643.7.1.1.1.2': 'GOST R 34.10-2012 (512 bit)',
};

export const EXTENDED_KEY_USAGES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '2.5.29.37.0': 'anyExtendedKeyUsage',
};

/** keyUsage bit number -> name (RFC 5280 4.2.1.3). */
export const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;

/** Extension OIDs by name (RFC 5280 4.2 and the few others certificates carry). */
export const EXTENSION_OIDS = {
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
  ctPoison: '1.3.6.1.4.1.11129.2.4.3',
  ocspNoCheck: '1.3.6.1.5.5.7.48.1.5',
} as const;
const EXT = EXTENSION_OIDS;

/**
 * Parses one DER certificate into a complete CertRecord. Never throws because of an unusual public
 * key (keyError says why instead); throws ParseError('x509', origin, reason) when the bytes are not
 * a certificate at all.
 */
export function parseCertificate(der: Uint8Array, origin = 'certificate'): CertRecord {
  let sk: CertSkeleton;
  try {
    sk = certSkeleton(der);
  } catch (e) {
    throw new ParseError(
      'x509',
      origin,
      `not a readable X.509 certificate (${e instanceof DerError ? e.message : 'malformed DER'})`,
    );
  }
  try {
    return build(der, sk);
  } catch (e) {
    if (e instanceof DerError)
      throw new ParseError('x509', origin, `malformed certificate field (${e.message})`);
    throw e;
  }
}

function build(der: Uint8Array, sk: CertSkeleton): CertRecord {
  const body = sk.trailing ? der.subarray(0, der.length - sk.trailing) : der;
  const subject = parseName(body, sk.subject);
  const issuer = parseName(body, sk.issuer);
  const notBefore = timeAt(body, sk.notBefore);
  const notAfter = timeAt(body, sk.notAfter);

  // OpenSSL's view: does the certificate and its key load? (Also its fallback for odd time encodings.)
  let x: X509Certificate | null = null;
  try {
    x = new X509Certificate(body);
  } catch {
    x = null;
  }
  const nb = Number.isNaN(notBefore) ? fallbackTime(x?.validFrom) : notBefore;
  const na = Number.isNaN(notAfter) ? fallbackTime(x?.validTo) : notAfter;
  if (Number.isNaN(nb) || Number.isNaN(na))
    throw new DerError('validity times are not UTCTime/GeneralizedTime values');

  const sig = signatureAlgorithm(body, sk.sigAlg);
  const key = publicKey(body, sk.spki, x);

  const rec: CertRecord = {
    sha256: createHash('sha256').update(body).digest('hex'),
    subject,
    issuer,
    serial: integerHex(body, sk.serial),
    notBefore: new Date(nb).toISOString(),
    notAfter: new Date(na).toISOString(),
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
    selfIssued: sameName(body, sk.subject, sk.issuer) || subject.dn.toLowerCase() === issuer.dn.toLowerCase(),
    version: sk.version,
    der: Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('base64'),
  };
  readExtensions(body, sk, rec);
  return rec;
}

function fallbackTime(s: string | undefined): number {
  return s ? Date.parse(s) : NaN;
}

function sameName(b: Uint8Array, a: Tlv, c: Tlv): boolean {
  if (a.end - a.start !== c.end - c.start) return false;
  for (let i = 0; i < a.end - a.start; i++) if (b[a.start + i] !== b[c.start + i]) return false;
  return true;
}

function signatureAlgorithm(b: Uint8Array, t: Tlv): { name: string; hash: string | null } {
  const { oid, params } = algorithmAt(b, t);
  const known = SIGNATURE_ALGORITHMS[oid];
  if (!known) return { name: oid, hash: null };
  if (oid === '1.2.840.113549.1.1.10') return { name: known[0], hash: pssHash(b, params) };
  return { name: known[0], hash: known[1] };
}

/** RSASSA-PSS-params: [0] hashAlgorithm (default sha1). */
function pssHash(b: Uint8Array, params: Tlv | null): string | null {
  if (!params || params.tag !== TAG.SEQUENCE) return 'sha1';
  try {
    for (const c of children(b, params)) {
      if (isContext(c, 0)) {
        const alg = algorithmAt(b, readTlv(b, c.body, c.end));
        return HASH_OIDS[alg.oid] ?? alg.oid;
      }
    }
  } catch {
    return null;
  }
  return 'sha1';
}

interface KeyInfo {
  keyType: KeyType;
  keyBits: number | null;
  curve: string | null;
  keyError: string | null;
}

function publicKey(b: Uint8Array, spki: Tlv, x: X509Certificate | null): KeyInfo {
  let oid: string;
  let params: Tlv | null;
  let keyBits: Tlv;
  try {
    const algT = expectTlv(b, spki.body, spki.end, TAG.SEQUENCE, 'SubjectPublicKeyInfo algorithm');
    ({ oid, params } = algorithmAt(b, algT));
    keyBits = expectTlv(b, algT.end, spki.end, TAG.BIT_STRING, 'subjectPublicKey BIT STRING');
  } catch (e) {
    return {
      keyType: 'unknown',
      keyBits: null,
      curve: null,
      keyError: `unreadable SubjectPublicKeyInfo (${(e as Error).message})`,
    };
  }
  const fromDer = keyFromDer(b, oid, params, keyBits);
  if (fromDer.keyError) return fromDer;
  // OpenSSL must be able to load the key too; otherwise nothing about it can be trusted or checked.
  if (!x)
    return { ...fromDer, keyError: 'public key not accepted by OpenSSL (the certificate does not load)' };
  try {
    // Only whether it loads: sizes and curves come from DER (asymmetricKeyDetails costs ~5% of a parse).
    if (!x.publicKey.asymmetricKeyType)
      return { ...fromDer, keyError: 'public key type not recognised by OpenSSL' };
    return fromDer;
  } catch (e) {
    return { ...fromDer, keyError: `public key does not load (${shortReason(e)})` };
  }
}

function keyFromDer(b: Uint8Array, oid: string, params: Tlv | null, keyBits: Tlv): KeyInfo {
  const none = (keyError: string, keyType: KeyType = 'unknown'): KeyInfo => ({
    keyType,
    keyBits: null,
    curve: null,
    keyError,
  });
  try {
    switch (oid) {
      case '1.2.840.113549.1.1.1':
      case '1.2.840.113549.1.1.10': {
        const keyType: KeyType = oid === '1.2.840.113549.1.1.1' ? 'RSA' : 'RSA-PSS';
        const bs = bitString(b, keyBits);
        const seq = expectTlv(b, bs.start, bs.end, TAG.SEQUENCE, 'RSAPublicKey');
        const n = expectTlv(b, seq.body, seq.end, TAG.INTEGER, 'modulus');
        return { keyType, keyBits: integerBits(b, n), curve: null, keyError: null };
      }
      case '1.2.840.10045.2.1': {
        if (!params) return none('EC key without curve parameters', 'EC');
        if (params.tag === TAG.OID) {
          const curveOid = oidAt(b, params);
          const c = CURVES[curveOid];
          if (!c)
            return {
              keyType: 'EC',
              keyBits: null,
              curve: curveOid,
              keyError: `unsupported curve ${curveOid}`,
            };
          return { keyType: 'EC', keyBits: c[1], curve: c[0], keyError: null };
        }
        if (params.tag === TAG.SEQUENCE)
          return {
            keyType: 'EC',
            keyBits: null,
            curve: 'explicit',
            keyError: 'EC key with explicit curve parameters',
          };
        return none('EC key with implicit curve parameters', 'EC');
      }
      case '1.3.101.112':
        return { keyType: 'Ed25519', keyBits: 256, curve: null, keyError: null };
      case '1.3.101.113':
        return { keyType: 'Ed448', keyBits: 448, curve: null, keyError: null };
      case '1.2.840.10040.4.1': {
        if (!params || params.tag !== TAG.SEQUENCE) return none('DSA key without domain parameters', 'DSA');
        const p = expectTlv(b, params.body, params.end, TAG.INTEGER, 'DSA p');
        return { keyType: 'DSA', keyBits: integerBits(b, p), curve: null, keyError: null };
      }
      default: {
        const name = KEY_ALGORITHMS[oid];
        return none(`unsupported public key algorithm ${name ? `${name} (${oid})` : oid}`);
      }
    }
  } catch (e) {
    return none(`unreadable public key (${(e as Error).message})`);
  }
}

function shortReason(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  // OpenSSL messages look like "error:1E08010C:DECODER routines::unsupported"; keep the last words.
  const last = m.split('::').pop() ?? m;
  return last.slice(0, 120).replace(/[^\x20-\x7e]/g, '?');
}

function readExtensions(b: Uint8Array, sk: CertSkeleton, rec: CertRecord): void {
  const ext = sk.extensions;
  const bc = ext.get(EXT.basicConstraints);
  if (bc) {
    rec.hasBasicConstraints = true;
    const seq = expectTlv(b, bc.value.body, bc.value.end, TAG.SEQUENCE, 'BasicConstraints');
    for (const c of children(b, seq)) {
      if (c.tag === TAG.BOOLEAN) rec.isCA = c.end > c.body && b[c.body] !== 0;
      else if (c.tag === TAG.INTEGER) rec.pathLen = smallInteger(b, c);
    }
  }
  const ku = ext.get(EXT.keyUsage);
  if (ku) {
    const t = readTlv(b, ku.value.body, ku.value.end);
    const bs = bitString(b, t);
    const names: string[] = [];
    for (let i = 0; i < KEY_USAGE_BITS.length; i++) {
      const byte = bs.start + (i >> 3);
      if (byte < bs.end && b[byte]! & (0x80 >> (i & 7))) names.push(KEY_USAGE_BITS[i]!);
    }
    rec.keyUsage = names;
  }
  const eku = ext.get(EXT.extKeyUsage);
  if (eku) {
    const seq = expectTlv(b, eku.value.body, eku.value.end, TAG.SEQUENCE, 'ExtKeyUsageSyntax');
    rec.extKeyUsage = children(b, seq).map((c) => {
      const oid = oidAt(b, c);
      return EXTENDED_KEY_USAGES[oid] ?? oid;
    });
  }
  const ski = ext.get(EXT.subjectKeyId);
  if (ski) {
    const t = expectTlv(b, ski.value.body, ski.value.end, TAG.OCTET_STRING, 'SubjectKeyIdentifier');
    rec.subjectKeyId = hex(b, t.body, t.end);
  }
  const aki = ext.get(EXT.authorityKeyId);
  if (aki) {
    const seq = expectTlv(b, aki.value.body, aki.value.end, TAG.SEQUENCE, 'AuthorityKeyIdentifier');
    for (const c of children(b, seq)) if (c.tag === 0x80) rec.authorityKeyId = hex(b, c.body, c.end);
  }
  const san = ext.get(EXT.subjectAltName);
  if (san) {
    const seq = expectTlv(b, san.value.body, san.value.end, TAG.SEQUENCE, 'SubjectAltName');
    for (const g of children(b, seq)) {
      if ((g.tag & 0xc0) !== 0x80) continue;
      const text = () => Buffer.from(b.buffer, b.byteOffset + g.body, g.end - g.body).toString('latin1');
      switch (g.num) {
        case 1:
          rec.emailAddresses.push(text());
          break;
        case 2:
          rec.dnsNames.push(text());
          break;
        case 6:
          rec.uris.push(text());
          break;
        case 7:
          rec.ipAddresses.push(ipFromBytes(b, g.body, g.end));
          break;
      }
    }
  }
}

/** Days from `now` until notAfter, floored; negative once expired (the report's daysRemaining). */
export function daysRemaining(rec: Pick<CertRecord, 'notAfter'>, now: Date): number {
  return Math.floor((Date.parse(rec.notAfter) - now.getTime()) / 86_400_000);
}

/** The DER bytes of a record (records carry base64 so they serialise to JSON). */
export function recordDer(rec: Pick<CertRecord, 'der'>): Buffer {
  return Buffer.from(rec.der, 'base64');
}
