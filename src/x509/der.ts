// A small, strict DER walker: just enough ASN.1 to read what node's X509Certificate does not expose
// (or exposes only as ambiguous text). It never allocates more than the values asked for, never
// recurses on attacker-controlled depth, and throws DerError on anything structurally wrong.

/** Structural problem in DER input. Messages describe the position, never the bytes. */
export class DerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DerError';
  }
}

/** One tag-length-value: `start` is where the tag begins, `body` where the contents begin. */
export interface Tlv {
  /** First identifier octet (class | constructed | low tag number); 0x1f-style high tags keep 0x1f here. */
  tag: number;
  /** Full tag number (equals tag & 0x1f unless a high-tag-number form was used). */
  num: number;
  start: number;
  body: number;
  end: number;
}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8String: 0x0c,
  PrintableString: 0x13,
  TeletexString: 0x14,
  IA5String: 0x16,
  UTCTime: 0x17,
  GeneralizedTime: 0x18,
  VisibleString: 0x1a,
  UniversalString: 0x1c,
  BMPString: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Reads the TLV at `pos`; its end must not pass `limit`. */
export function readTlv(b: Uint8Array, pos: number, limit: number = b.length): Tlv {
  if (pos >= limit) throw new DerError(`unexpected end of data at offset ${pos}`);
  const tag = b[pos]!;
  let p = pos + 1;
  let num = tag & 0x1f;
  if (num === 0x1f) {
    num = 0;
    let n = 0;
    for (;;) {
      if (p >= limit) throw new DerError(`truncated tag at offset ${pos}`);
      const c = b[p++]!;
      num = num * 128 + (c & 0x7f);
      if (++n > 4) throw new DerError(`tag number too large at offset ${pos}`);
      if ((c & 0x80) === 0) break;
    }
  }
  if (p >= limit) throw new DerError(`truncated length at offset ${pos}`);
  let len = b[p++]!;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0) throw new DerError(`indefinite length at offset ${pos} (BER, not DER)`);
    if (n > 4) throw new DerError(`length too large at offset ${pos}`);
    if (p + n > limit) throw new DerError(`truncated length at offset ${pos}`);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[p++]!;
  }
  const end = p + len;
  if (end > limit)
    throw new DerError(`element at offset ${pos} claims ${len} bytes, only ${limit - p} remain`);
  return { tag, num, start: pos, body: p, end };
}

/**
 * readTlv held to DER's own rules, which parsing tolerates but path validation must not: low tag
 * numbers only, minimal lengths, and OBJECT IDENTIFIERs without padded (0x80-led) subidentifiers.
 */
export function readStrictTlv(b: Uint8Array, pos: number, limit: number = b.length): Tlv {
  const t = readTlv(b, pos, limit);
  if ((t.tag & 0x1f) === 0x1f) throw new DerError('high tag numbers are not supported');
  const len = t.end - t.body;
  const header = len < 0x80 ? 2 : len < 0x100 ? 3 : len < 0x10000 ? 4 : len < 0x1000000 ? 5 : 6;
  if (t.body - t.start !== header) throw new DerError('non-minimal DER length');
  if (t.tag === TAG.OID) {
    for (let i = t.body, atStart = true; i < t.end; i++) {
      if (atStart && b[i] === 0x80) throw new DerError('non-minimal OID encoding');
      atStart = (b[i]! & 0x80) === 0;
    }
  }
  return t;
}

/** Reads the TLV at `pos` and checks its tag. */
export function expectTlv(b: Uint8Array, pos: number, limit: number, tag: number, what: string): Tlv {
  const t = readTlv(b, pos, limit);
  if (t.tag !== tag)
    throw new DerError(`expected ${what} at offset ${pos}, found tag 0x${t.tag.toString(16)}`);
  return t;
}

/** The elements inside a constructed TLV, read with `read` (readTlv, or readStrictTlv to validate). */
export function children(b: Uint8Array, t: Tlv, read: typeof readTlv = readTlv): Tlv[] {
  const out: Tlv[] = [];
  let p = t.body;
  while (p < t.end) {
    const c = read(b, p, t.end);
    out.push(c);
    p = c.end;
  }
  return out;
}

export function isConstructed(t: Tlv): boolean {
  return (t.tag & 0x20) !== 0;
}

/** Context-specific tag [n], constructed or primitive. */
export function isContext(t: Tlv, n: number): boolean {
  return (t.tag & 0xc0) === 0x80 && t.num === n;
}

const oidCache = new Map<string, string>();

/** Dotted-decimal form of an OBJECT IDENTIFIER's contents. */
export function oidAt(b: Uint8Array, t: Tlv): string {
  if (t.tag !== TAG.OID) throw new DerError(`expected OBJECT IDENTIFIER at offset ${t.start}`);
  const len = t.end - t.body;
  if (len === 0 || len > 128) throw new DerError(`bad OBJECT IDENTIFIER length at offset ${t.start}`);
  // Cache by the raw bytes: a handful of OIDs recur in every certificate.
  let key = '';
  for (let i = t.body; i < t.end; i++) key += String.fromCharCode(b[i]!);
  const hit = oidCache.get(key);
  if (hit !== undefined) return hit;
  const parts: string[] = [];
  let v = 0n;
  let first = true;
  for (let i = t.body; i < t.end; i++) {
    const c = b[i]!;
    v = (v << 7n) | BigInt(c & 0x7f);
    if ((c & 0x80) === 0) {
      if (first) {
        const x = v < 40n ? 0n : v < 80n ? 1n : 2n;
        parts.push(String(x), String(v - x * 40n));
        first = false;
      } else parts.push(String(v));
      v = 0n;
    } else if (i === t.end - 1) throw new DerError(`truncated OBJECT IDENTIFIER at offset ${t.start}`);
  }
  const s = parts.join('.');
  if (oidCache.size < 4096) oidCache.set(key, s);
  return s;
}

export function hex(b: Uint8Array, start: number, end: number): string {
  return Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('hex');
}

/** An INTEGER's value as lowercase hex without redundant leading zero bytes; negative values get '-'. */
export function integerHex(b: Uint8Array, t: Tlv): string {
  if (t.end === t.body) return '00';
  if (b[t.body]! & 0x80) {
    // Two's complement negative: report the magnitude, as OpenSSL does.
    let n = 0n;
    for (let i = t.body; i < t.end; i++) n = (n << 8n) | BigInt(b[i]!);
    n = (1n << BigInt((t.end - t.body) * 8)) - n;
    let h = n.toString(16);
    if (h.length % 2) h = '0' + h;
    return '-' + h;
  }
  let s = t.body;
  while (s < t.end - 1 && b[s] === 0) s++;
  return hex(b, s, t.end);
}

/** A small non-negative INTEGER as a number (null when negative or larger than 2^48). */
export function smallInteger(b: Uint8Array, t: Tlv): number | null {
  if (t.tag !== TAG.INTEGER || t.end === t.body) return null;
  if (b[t.body]! & 0x80) return null;
  let s = t.body;
  while (s < t.end - 1 && b[s] === 0) s++;
  if (t.end - s > 6) return null;
  let v = 0;
  for (let i = s; i < t.end; i++) v = v * 256 + b[i]!;
  return v;
}

/** Bit length of an unsigned big-endian INTEGER (e.g. an RSA modulus). */
export function integerBits(b: Uint8Array, t: Tlv): number {
  let s = t.body;
  while (s < t.end && b[s] === 0) s++;
  if (s === t.end) return 0;
  return (t.end - s - 1) * 8 + (32 - Math.clz32(b[s]!));
}

/** A BIT STRING's contents without the unused-bits octet, plus that count. */
export function bitString(b: Uint8Array, t: Tlv): { start: number; end: number; unused: number } {
  if (t.tag !== TAG.BIT_STRING || t.end === t.body)
    throw new DerError(`expected BIT STRING at offset ${t.start}`);
  const unused = b[t.body]!;
  if (unused > 7) throw new DerError(`bad BIT STRING at offset ${t.start}`);
  return { start: t.body + 1, end: t.end, unused };
}

function digits(b: Uint8Array, p: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = b[p + i]! - 48;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  return v;
}

/**
 * UTCTime or GeneralizedTime as epoch milliseconds (NaN when unreadable). Lenient on purpose:
 * real certificates carry missing seconds, fractions and offsets; those are readable, not fatal.
 */
export function timeAt(b: Uint8Array, t: Tlv): number {
  let p = t.body;
  const end = t.end;
  let year: number;
  if (t.tag === TAG.UTCTime) {
    const yy = digits(b, p, 2);
    year = yy < 50 ? 2000 + yy : 1900 + yy;
    p += 2;
  } else if (t.tag === TAG.GeneralizedTime) {
    year = digits(b, p, 4);
    p += 4;
  } else return NaN;
  if (end - p < 6) return NaN;
  const month = digits(b, p, 2);
  const day = digits(b, p + 2, 2);
  const hour = digits(b, p + 4, 2);
  p += 6;
  let minute = 0;
  let second = 0;
  let ms = 0;
  if (p + 2 <= end && b[p]! >= 48 && b[p]! <= 57) {
    minute = digits(b, p, 2);
    p += 2;
    if (p + 2 <= end && b[p]! >= 48 && b[p]! <= 57) {
      second = digits(b, p, 2);
      p += 2;
    }
  }
  if (p < end && (b[p] === 0x2e || b[p] === 0x2c)) {
    p++;
    let scale = 100;
    while (p < end && b[p]! >= 48 && b[p]! <= 57) {
      ms += (b[p]! - 48) * scale;
      scale /= 10;
      p++;
    }
    ms = Math.floor(ms);
  }
  let offset = 0;
  if (p < end && b[p] === 0x5a /* Z */) p++;
  else if (p + 5 <= end && (b[p] === 0x2b || b[p] === 0x2d)) {
    const sign = b[p] === 0x2b ? 1 : -1;
    offset = sign * (digits(b, p + 1, 2) * 60 + digits(b, p + 3, 2));
    p += 5;
  }
  if (p !== end) return NaN;
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 24 && minute <= 59 && second <= 60))
    return NaN;
  const v = Date.UTC(year, month - 1, day, hour, minute, second, ms) - offset * 60_000;
  // Date.UTC maps years 0-99 to 1900-1999; fix up for GeneralizedTime years below 100.
  if (year < 100) return new Date(v).setUTCFullYear(year);
  return v;
}

/** Decodes the X.500/ASN.1 string types; null when the tag is not a string type. */
export function stringAt(b: Uint8Array, t: Tlv): string | null {
  const buf = Buffer.from(b.buffer, b.byteOffset + t.body, t.end - t.body);
  switch (t.tag) {
    case TAG.UTF8String:
      return buf.toString('utf8');
    case TAG.PrintableString:
    case TAG.IA5String:
    case TAG.VisibleString:
    case 0x12: // NumericString
    case 0x19: // GraphicString
    case 0x1b: // GeneralString
      return buf.toString('latin1');
    case TAG.TeletexString:
    case 0x15: // VideotexString
      // T.61 in theory, Latin-1 in practice (what OpenSSL and browsers do).
      return buf.toString('latin1');
    case TAG.BMPString: {
      if (buf.length % 2) return null;
      const sw = Buffer.from(buf);
      sw.swap16();
      return sw.toString('utf16le');
    }
    case TAG.UniversalString: {
      if (buf.length % 4) return null;
      let s = '';
      for (let i = 0; i < buf.length; i += 4) {
        const cp = buf.readUInt32BE(i);
        s += cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) ? String.fromCodePoint(cp) : '\ufffd';
      }
      return s;
    }
    default:
      return null;
  }
}

/** Skeleton of an X.509 certificate: positions of every part, nothing interpreted yet. */
export interface CertSkeleton {
  tbs: Tlv;
  version: number; // 1, 2 or 3
  serial: Tlv;
  /** AlgorithmIdentifier inside the TBS. */
  tbsSigAlg: Tlv;
  issuer: Tlv;
  notBefore: Tlv;
  notAfter: Tlv;
  subject: Tlv;
  spki: Tlv;
  /** extnID -> (critical, OCTET STRING contents). The first occurrence wins. */
  extensions: Map<string, { critical: boolean; value: Tlv }>;
  duplicateExtensions: string[];
  /** AlgorithmIdentifier outside the TBS (what the signature really uses). */
  sigAlg: Tlv;
  /** Bytes after the certificate's outer SEQUENCE (0 for a clean encoding). */
  trailing: number;
}

/** Walks Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }. */
export function certSkeleton(der: Uint8Array): CertSkeleton {
  const outer = expectTlv(der, 0, der.length, TAG.SEQUENCE, 'Certificate SEQUENCE');
  const tbs = expectTlv(der, outer.body, outer.end, TAG.SEQUENCE, 'TBSCertificate SEQUENCE');
  const sigAlg = expectTlv(der, tbs.end, outer.end, TAG.SEQUENCE, 'signatureAlgorithm');
  const sigVal = expectTlv(der, sigAlg.end, outer.end, TAG.BIT_STRING, 'signatureValue BIT STRING');
  if (sigVal.end !== outer.end) throw new DerError('extra data inside the Certificate SEQUENCE');

  let p = tbs.body;
  let t = readTlv(der, p, tbs.end);
  let version = 1;
  if (t.tag === 0xa0) {
    const v = expectTlv(der, t.body, t.end, TAG.INTEGER, 'version INTEGER');
    const n = smallInteger(der, v);
    version = n === null ? -1 : n + 1;
    p = t.end;
    t = readTlv(der, p, tbs.end);
  }
  if (t.tag !== TAG.INTEGER) throw new DerError(`expected serialNumber INTEGER at offset ${t.start}`);
  const serial = t;
  const tbsSigAlg = expectTlv(der, serial.end, tbs.end, TAG.SEQUENCE, 'signature AlgorithmIdentifier');
  const issuer = expectTlv(der, tbsSigAlg.end, tbs.end, TAG.SEQUENCE, 'issuer Name');
  const validity = expectTlv(der, issuer.end, tbs.end, TAG.SEQUENCE, 'Validity');
  const notBefore = readTlv(der, validity.body, validity.end);
  const notAfter = readTlv(der, notBefore.end, validity.end);
  const subject = expectTlv(der, validity.end, tbs.end, TAG.SEQUENCE, 'subject Name');
  const spki = expectTlv(der, subject.end, tbs.end, TAG.SEQUENCE, 'SubjectPublicKeyInfo');

  const extensions = new Map<string, { critical: boolean; value: Tlv }>();
  const duplicateExtensions: string[] = [];
  p = spki.end;
  while (p < tbs.end) {
    const f = readTlv(der, p, tbs.end);
    p = f.end;
    if (f.tag !== 0xa3) continue; // [1] issuerUniqueID, [2] subjectUniqueID
    const seq = expectTlv(der, f.body, f.end, TAG.SEQUENCE, 'Extensions SEQUENCE');
    for (const ext of children(der, seq)) {
      if (ext.tag !== TAG.SEQUENCE) throw new DerError(`expected Extension SEQUENCE at offset ${ext.start}`);
      const idT = expectTlv(der, ext.body, ext.end, TAG.OID, 'extnID');
      let q = readTlv(der, idT.end, ext.end);
      let critical = false;
      if (q.tag === TAG.BOOLEAN) {
        critical = q.end > q.body && der[q.body] !== 0;
        q = readTlv(der, q.end, ext.end);
      }
      if (q.tag !== TAG.OCTET_STRING)
        throw new DerError(`expected extnValue OCTET STRING at offset ${q.start}`);
      const id = oidAt(der, idT);
      if (extensions.has(id)) duplicateExtensions.push(id);
      else extensions.set(id, { critical, value: q });
    }
  }
  return {
    tbs,
    version,
    serial,
    tbsSigAlg,
    issuer,
    notBefore,
    notAfter,
    subject,
    spki,
    extensions,
    duplicateExtensions,
    sigAlg,
    trailing: der.length - outer.end,
  };
}

/** AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }. */
export function algorithmAt(b: Uint8Array, t: Tlv): { oid: string; params: Tlv | null } {
  const o = expectTlv(b, t.body, t.end, TAG.OID, 'algorithm OID');
  const params = o.end < t.end ? readTlv(b, o.end, t.end) : null;
  return { oid: oidAt(b, o), params };
}

// Strict reading for path validation: every element held to DER (readStrictTlv), nothing trailing.

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

/** `t` itself when it is present with tag `tag`; DerError naming `what` otherwise. */
export function expectTag(t: Tlv | undefined, tag: number, what: string): Tlv {
  if (!t) throw new DerError(`missing ${what}`);
  if (t.tag !== tag) throw new DerError(`${what}: unexpected tag 0x${t.tag.toString(16)}`);
  return t;
}

/** The contents octets of `t`, sharing memory with `b`. */
export function contents(b: Buffer, t: Tlv): Buffer {
  return b.subarray(t.body, t.end);
}

/** The whole TLV `t`, sharing memory with `b`. */
export function whole(b: Buffer, t: Tlv): Buffer {
  return b.subarray(t.start, t.end);
}

/** A DER BOOLEAN: one octet, 0x00 or 0xff. */
export function strictBoolean(b: Uint8Array, t: Tlv): boolean {
  if (t.end - t.body !== 1 || (b[t.body] !== 0 && b[t.body] !== 0xff))
    throw new DerError('invalid DER BOOLEAN');
  return b[t.body] === 0xff;
}

/** A non-negative INTEGER of at most four contents octets (tag not checked). */
export function strictSmallInt(b: Uint8Array, t: Tlv): number {
  if (t.end === t.body || t.end - t.body > 4) throw new DerError('INTEGER out of range');
  if (b[t.body]! & 0x80) throw new DerError('negative INTEGER');
  let n = 0;
  for (let i = t.body; i < t.end; i++) n = n * 256 + b[i]!;
  return n;
}
