// Tolerant reading for the record: what parse.ts uses where a certificate is not strict DER (a
// non-minimal length, a BER boolean, odd time encodings). Real certificates carry such defects and
// must still be shown and judged; path validation refuses them through decode.ts's facts.
import type { X509Certificate } from 'node:crypto';
import type { CertRecord } from '../core/model.js';
import {
  DerError,
  TAG,
  algorithmAt,
  bitString,
  children,
  expectTlv,
  hex,
  integerHex,
  isContext,
  oidAt,
  readTlv,
  smallInteger,
  timeAt,
  type CertSkeleton,
  type Tlv,
} from './der.js';
import { publicKey, type OpenSslKey } from './keys.js';
import { ipFromBytes, parseName } from './names.js';
import {
  EXTENDED_KEY_USAGES,
  EXTENSION_OIDS as EXT,
  HASH_OIDS,
  KEY_USAGE_BITS,
  SIGNATURE_ALGORITHMS,
} from './oids.js';

/** The record's signature algorithm name and hash for AlgorithmIdentifier `oid` with `params`. */
export function signatureName(
  b: Uint8Array,
  oid: string,
  params: Tlv | null,
): { name: string; hash: string | null } {
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

function sameName(b: Uint8Array, a: Tlv, c: Tlv): boolean {
  if (a.end - a.start !== c.end - c.start) return false;
  for (let i = 0; i < a.end - a.start; i++) if (b[a.start + i] !== b[c.start + i]) return false;
  return true;
}

function fallbackTime(s: string | undefined): number {
  return s ? Date.parse(s) : NaN;
}

/**
 * The record of a certificate read tolerantly from its skeleton. `body` is the certificate without
 * trailing bytes; `x` is OpenSSL's reading of it (also the fallback for odd time encodings).
 */
export function tolerantRecord(
  body: Uint8Array,
  sk: CertSkeleton,
  x: X509Certificate | null,
  openssl: OpenSslKey,
  sha256: string,
): CertRecord {
  const subject = parseName(body, sk.subject);
  const issuer = parseName(body, sk.issuer);
  const notBefore = timeAt(body, sk.notBefore);
  const notAfter = timeAt(body, sk.notAfter);
  const nb = Number.isNaN(notBefore) ? fallbackTime(x?.validFrom) : notBefore;
  const na = Number.isNaN(notAfter) ? fallbackTime(x?.validTo) : notAfter;
  if (Number.isNaN(nb) || Number.isNaN(na))
    throw new DerError('validity times are not UTCTime/GeneralizedTime values');

  const alg = algorithmAt(body, sk.sigAlg);
  const sig = signatureName(body, alg.oid, alg.params);
  const key = publicKey(body, sk.spki, openssl);
  const rec: CertRecord = {
    sha256,
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
  for (const oid of RECORD_EXTENSIONS) {
    const ext = sk.extensions.get(oid);
    if (ext) readExtension(body, oid, ext.value, rec);
  }
  return rec;
}

/** The extensions the record reads, in the order it reads them (the first unreadable one is reported). */
export const RECORD_EXTENSIONS = [
  EXT.basicConstraints,
  EXT.keyUsage,
  EXT.extKeyUsage,
  EXT.subjectKeyId,
  EXT.authorityKeyId,
  EXT.subjectAltName,
] as const;

/** Reads one extension value (the extnValue OCTET STRING `v`) tolerantly into `rec`; DerError when unreadable. */
export function readExtension(b: Uint8Array, oid: string, v: Tlv, rec: CertRecord): void {
  switch (oid) {
    case EXT.basicConstraints: {
      rec.hasBasicConstraints = true;
      const seq = expectTlv(b, v.body, v.end, TAG.SEQUENCE, 'BasicConstraints');
      for (const c of children(b, seq)) {
        if (c.tag === TAG.BOOLEAN) rec.isCA = c.end > c.body && b[c.body] !== 0;
        else if (c.tag === TAG.INTEGER) rec.pathLen = smallInteger(b, c);
      }
      return;
    }
    case EXT.keyUsage: {
      const bs = bitString(b, readTlv(b, v.body, v.end));
      const names: string[] = [];
      for (let i = 0; i < KEY_USAGE_BITS.length; i++) {
        const byte = bs.start + (i >> 3);
        if (byte < bs.end && b[byte]! & (0x80 >> (i & 7))) names.push(KEY_USAGE_BITS[i]!);
      }
      rec.keyUsage = names;
      return;
    }
    case EXT.extKeyUsage: {
      const seq = expectTlv(b, v.body, v.end, TAG.SEQUENCE, 'ExtKeyUsageSyntax');
      rec.extKeyUsage = children(b, seq).map((c) => {
        const oid = oidAt(b, c);
        return EXTENDED_KEY_USAGES[oid] ?? oid;
      });
      return;
    }
    case EXT.subjectKeyId: {
      const t = expectTlv(b, v.body, v.end, TAG.OCTET_STRING, 'SubjectKeyIdentifier');
      rec.subjectKeyId = hex(b, t.body, t.end);
      return;
    }
    case EXT.authorityKeyId: {
      const seq = expectTlv(b, v.body, v.end, TAG.SEQUENCE, 'AuthorityKeyIdentifier');
      for (const c of children(b, seq)) if (c.tag === 0x80) rec.authorityKeyId = hex(b, c.body, c.end);
      return;
    }
    case EXT.subjectAltName:
      readSubjectAltName(b, v, rec);
      return;
  }
}

function readSubjectAltName(b: Uint8Array, v: Tlv, rec: CertRecord): void {
  const seq = expectTlv(b, v.body, v.end, TAG.SEQUENCE, 'SubjectAltName');
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
