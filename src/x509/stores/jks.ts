// Java KeyStore (JKS, magic 0xFEEDFEED) and JCEKS (0xCECECECE): trusted certificate entries and the
// certificate chains of private key entries. Key bytes are skipped unread. The trailing SHA-1
// integrity digest (SHA1(password UTF-16BE || "Mighty Aphrodite" || store)) is verified when a
// password is given.
import { createHash } from 'node:crypto';
import { ParseError } from '../../core/errors.js';
import type { StoreContents } from './pkcs12.js';

export const JKS_MAGIC = 0xfeedfeed;
export const JCEKS_MAGIC = 0xcececece;

export function looksLikeJks(b: Uint8Array): boolean {
  if (b.length < 4) return false;
  const m = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  return m === JKS_MAGIC || m === JCEKS_MAGIC;
}

class Reader {
  pos = 0;
  constructor(
    private readonly b: Buffer,
    private readonly file: string,
    private readonly limit: number,
  ) {}
  need(n: number, what: string): void {
    if (n < 0 || this.pos + n > this.limit)
      throw new ParseError(
        'jks',
        this.file,
        `truncated keystore: ${what} at byte ${this.pos} runs past the end`,
      );
  }
  u16(what: string): number {
    this.need(2, what);
    const v = this.b.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  u32(what: string): number {
    this.need(4, what);
    const v = this.b.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  skip(n: number, what: string): void {
    this.need(n, what);
    this.pos += n;
  }
  bytes(n: number, what: string): Buffer {
    this.need(n, what);
    const v = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
  /** Java's modified UTF-8 (DataOutput.writeUTF). */
  utf(what: string): string {
    const n = this.u16(what);
    const raw = this.bytes(n, what);
    let s = '';
    for (let i = 0; i < raw.length;) {
      const c = raw[i]!;
      if (c < 0x80) {
        s += String.fromCharCode(c);
        i++;
      } else if ((c & 0xe0) === 0xc0 && i + 1 < raw.length) {
        s += String.fromCharCode(((c & 0x1f) << 6) | (raw[i + 1]! & 0x3f));
        i += 2;
      } else if ((c & 0xf0) === 0xe0 && i + 2 < raw.length) {
        s += String.fromCharCode(((c & 0x0f) << 12) | ((raw[i + 1]! & 0x3f) << 6) | (raw[i + 2]! & 0x3f));
        i += 3;
      } else {
        s += '\ufffd';
        i++;
      }
    }
    return s;
  }
}

/** True when a JKS/JCEKS store has at least one private (or secret) key entry. Needs no password. */
export function jksHasKey(b: Uint8Array): boolean {
  try {
    return readJks(b, 'keystore').privateKeyEntries > 0;
  } catch (e) {
    return e instanceof ParseError && /secret key entr/.test(e.message);
  }
}

/** Reads a JKS or JCEKS keystore. Aliases come back in store order. */
export function readJks(bytes: Uint8Array, file: string, password?: string): StoreContents {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!looksLikeJks(b))
    throw new ParseError('jks', file, 'not a Java keystore (expected magic FEEDFEED or CECECECE)');
  if (b.length < 12 + 20)
    throw new ParseError('jks', file, 'truncated keystore (shorter than header and digest)');
  const bodyEnd = b.length - 20;
  const r = new Reader(b, file, bodyEnd);
  const magic = r.u32('magic');
  const version = r.u32('version');
  if (version !== 1 && version !== 2)
    throw new ParseError('jks', file, `unsupported keystore version ${version} (expected 1 or 2)`);
  const count = r.u32('entry count');
  const out: StoreContents = { certs: [], privateKeyEntries: 0, warnings: [] };
  const readCert = (what: string): Buffer => {
    if (version === 2) {
      const type = r.utf(`${what} certificate type`);
      if (type !== 'X.509')
        throw new ParseError('jks', file, `${what}: unsupported certificate type "${type.slice(0, 32)}"`);
    }
    const len = r.u32(`${what} certificate length`);
    return r.bytes(len, `${what} certificate`);
  };
  for (let i = 0; i < count; i++) {
    if (r.pos >= bodyEnd)
      throw new ParseError('jks', file, `keystore declares ${count} entries but ends after ${i}`);
    const tag = r.u32(`entry ${i} tag`);
    const alias = r.utf(`entry ${i} alias`);
    r.skip(8, `entry ${i} timestamp`);
    const what = `entry ${i} (alias "${printable(alias)}")`;
    if (tag === 1) {
      out.privateKeyEntries++;
      // Encrypted key: length + bytes, skipped without being read.
      r.skip(r.u32(`${what} key length`), `${what} key`);
      const n = r.u32(`${what} chain length`);
      if (n > 100) throw new ParseError('jks', file, `${what}: implausible chain length ${n}`);
      for (let k = 0; k < n; k++)
        out.certs.push({ der: readCert(what), alias: k === 0 ? alias : `${alias}[${k}]` });
    } else if (tag === 2) {
      out.certs.push({ der: readCert(what), alias });
    } else if (tag === 3 && magic === JCEKS_MAGIC) {
      // A serialized Java SealedObject: no length prefix, so nothing after it can be located safely.
      throw new ParseError(
        'unsupported',
        file,
        `${what} is a JCEKS secret key entry; keystores with secret key entries are not supported`,
      );
    } else {
      throw new ParseError('jks', file, `${what}: unknown entry tag ${tag}`);
    }
  }
  if (r.pos !== bodyEnd)
    throw new ParseError('jks', file, `unexpected ${bodyEnd - r.pos} bytes before the integrity digest`);
  if (password === undefined) {
    out.warnings.push('keystore integrity not verified (no password given)');
  } else {
    const pw = Buffer.alloc(password.length * 2);
    for (let i = 0; i < password.length; i++) pw.writeUInt16BE(password.charCodeAt(i), i * 2);
    const digest = createHash('sha1')
      .update(pw)
      .update('Mighty Aphrodite', 'utf8')
      .update(b.subarray(0, bodyEnd))
      .digest();
    if (!digest.equals(b.subarray(bodyEnd))) {
      throw new ParseError(
        'password',
        file,
        'wrong password (or a tampered keystore): the password from the configured environment variable does not match the keystore integrity digest',
      );
    }
  }
  if (out.privateKeyEntries)
    out.warnings.push(
      `${out.privateKeyEntries} private key entr${out.privateKeyEntries === 1 ? 'y' : 'ies'} ignored`,
    );
  return out;
}

function printable(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '?').slice(0, 64);
}
