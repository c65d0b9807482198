// PKCS#12 (.p12/.pfx) keystores and truststores: certificates only. Shrouded key bags are never
// decrypted (not even looked into); they are counted so the caller can say "N private key entries
// ignored". The MAC is verified when present, so a wrong password is reported as such; once the
// password is known to be right (or the contents are plainly not garbage), a structure that does
// not parse is a parse error, never a password problem. Stores without a MAC or encryption (JDK 18+
// cacerts, `openssl pkcs12 -nomac -certpbe NONE`) read without a password.
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import * as asn1js from 'asn1js';
import { AuthenticatedSafe, CertBag, PFX, SafeContents, type SafeBag } from '@peculiar/asn1-pfx';
import { EncryptedContentInfo } from '@peculiar/asn1-cms';
import { ParseError } from '../../core/errors.js';
import { TAG, readTlv, type Tlv } from '../der.js';
import { PbeError, bmpPassword, hmacEquals, pbeDecrypt, pbeName, pbmac1Key, pkcs12MacKey } from './pbe.js';
import { KdfBudget, runKdfAsync, runKdfSync, type Kdf } from './kdf.js';
import { DeadlineError } from '../../core/deadline.js';

/**
 * PKCS#7 EncryptedData ::= SEQUENCE { version, encryptedContentInfo, [1] unprotectedAttrs OPTIONAL }.
 * asn1-cms has no class for it (and decorators are avoided here), so the outer SEQUENCE is read with
 * asn1js (BER-tolerant, as Java and Windows write PKCS#12) and the inner one with asn1-cms.
 */
function encryptedContentInfo(content: ArrayBuffer): EncryptedContentInfo {
  const seq = asn1js.fromBER(content, berLimits(content));
  if (seq.offset === -1 || !(seq.result instanceof asn1js.Sequence))
    throw new Error('EncryptedData is not a SEQUENCE');
  const eci = seq.result.valueBlock.value[1];
  if (!eci) throw new Error('EncryptedData has no EncryptedContentInfo');
  return parse(eci.toBER(false), EncryptedContentInfo);
}

/**
 * asn1js stops at 10,000 nodes by default: a trust store of more than about 120 certificates (the
 * Debian CA bundle, Java's cacerts) has more, and was reported as a wrong password. The limit grows
 * with the input instead: a node takes at least one byte (twice over where an OCTET STRING's
 * contents are parsed too), so a parse stays linear in what was read, whose size the caller caps.
 */
function berLimits(b: ArrayBuffer | ArrayBufferView): asn1js.FromBerOptions {
  return { maxNodes: Math.max(10_000, 2 * b.byteLength) };
}

/** AsnConvert.parse with node limits that follow the input's size. */
function parse<T>(b: ArrayBuffer | ArrayBufferView, type: new () => T): T {
  return AsnConvert.parse(b, type, { berOptions: berLimits(b) });
}

/** Why asn1 parsing failed, for the message (asn1js's reason, e.g. a limit), clipped. */
function why(e: unknown): string {
  const m = e instanceof Error ? e.message.replace(/[^\x20-\x7e]/g, ' ').slice(0, 120) : '';
  return m ? ` (${m})` : '';
}

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  envelopedData: '1.2.840.113549.1.7.3',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  crlBag: '1.2.840.113549.1.12.10.1.4',
  secretBag: '1.2.840.113549.1.12.10.1.5',
  safeContentsBag: '1.2.840.113549.1.12.10.1.6',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  pbmac1: '1.2.840.113549.1.5.14',
};

/** One certificate found in a keystore, with its alias (friendlyName) when it has one. */
export interface StoreCert {
  der: Uint8Array;
  alias: string | null;
}

export interface StoreContents {
  certs: StoreCert[];
  privateKeyEntries: number;
  warnings: string[];
}

/** Cheap shape test: SEQUENCE { INTEGER 3, SEQUENCE { OID pkcs7-data | signedData … } … }. */
export function looksLikePkcs12(b: Uint8Array): boolean {
  if (b.length < 8 || b[0] !== 0x30) return false;
  try {
    // BER (indefinite lengths) is common in PKCS#12, so only peek at the first elements.
    let p = 1;
    const l = b[p]!;
    p += l === 0x80 ? 1 : l & 0x80 ? 1 + (l & 0x7f) : 1;
    const v = readTlv(b, p, b.length);
    if (v.tag !== TAG.INTEGER || v.end - v.body !== 1 || b[v.body] !== 3) return false;
    if (b[v.end] !== 0x30) return false;
    let q = v.end + 1;
    const l2 = b[q]!;
    q += l2 === 0x80 ? 1 : l2 & 0x80 ? 1 + (l2 & 0x7f) : 1;
    return b[q] === TAG.OID;
  } catch {
    return false;
  }
}

function bytes(ab: ArrayBuffer | ArrayBufferView): Uint8Array {
  return ab instanceof ArrayBuffer
    ? new Uint8Array(ab)
    : new Uint8Array(ab.buffer, ab.byteOffset, ab.byteLength);
}

function octets(ab: ArrayBuffer): Uint8Array {
  return bytes(parse(ab, OctetString).buffer);
}

function algTlv(alg: unknown): { b: Uint8Array; t: Tlv } {
  const b = new Uint8Array(AsnConvert.serialize(alg));
  return { b, t: readTlv(b, 0, b.length) };
}

/** True when a PKCS#12 file holds a private key bag in its unencrypted part (no password needed). */
export function pkcs12HasKey(b: Uint8Array): boolean {
  try {
    const pfx = parse(b, PFX);
    if (pfx.authSafe.contentType !== OID.data) return false;
    for (const ci of parse(octets(pfx.authSafe.content), AuthenticatedSafe)) {
      if (ci.contentType !== OID.data) continue;
      for (const bag of parse(octets(ci.content), SafeContents)) {
        if (bag.bagId === OID.keyBag || bag.bagId === OID.shroudedKeyBag) return true;
      }
    }
  } catch {
    return false;
  }
  return false;
}

/**
 * Reads the certificates of a PKCS#12 file. `password` undefined means "none given": the empty
 * password is tried (truststores often have one). Errors are ParseError naming `file`; a file whose
 * key derivations ask for too much work is a ParseError('limit').
 */
export function readPkcs12(b: Uint8Array, file: string, password?: string): StoreContents {
  return runKdfSync(pkcs12Steps(b, file, password));
}

/**
 * readPkcs12 for collectors: the key derivations give the event loop its turns and stop when
 * `signal` aborts (the source's deadline), rejecting with its DeadlineError.
 */
export function readPkcs12Async(
  b: Uint8Array,
  file: string,
  password: string | undefined,
  signal: AbortSignal,
): Promise<StoreContents> {
  return runKdfAsync(pkcs12Steps(b, file, password), signal).catch((e: unknown) => {
    if (!(e instanceof DeadlineError)) throw e;
    throw new DeadlineError(
      e.reason,
      `${file}: the PKCS#12 key derivation was stopped: ${e.message} (a keystore that asks for this much work is suspect; real ones open in milliseconds)`,
      e.timeoutMs,
    );
  });
}

function limitError(file: string, e: PbeError): ParseError {
  return new ParseError('limit', file, e.message);
}

function* pkcs12Steps(b: Uint8Array, file: string, password?: string): Kdf<StoreContents> {
  const budget = new KdfBudget();
  let pfx: PFX;
  try {
    pfx = parse(b, PFX);
  } catch (e) {
    throw new ParseError(
      'pkcs12',
      file,
      `not a readable PKCS#12 file (expected PFX: version 3, authSafe, macData)${why(e)}`,
    );
  }
  if (pfx.version !== 3)
    throw new ParseError('pkcs12', file, `unsupported PKCS#12 version ${pfx.version} (expected 3)`);
  if (pfx.authSafe.contentType !== OID.data) {
    throw new ParseError(
      'unsupported',
      file,
      'PKCS#12 in public-key integrity mode (signedData) is not supported',
    );
  }
  const warnings: string[] = [];
  let authSafeBytes: Uint8Array;
  try {
    authSafeBytes = octets(pfx.authSafe.content);
  } catch {
    throw new ParseError('pkcs12', file, 'PKCS#12 authSafe is not an OCTET STRING');
  }
  const { pw, verified } = yield* choosePassword(pfx, authSafeBytes, file, password, warnings, budget);

  const out: StoreContents = { certs: [], privateKeyEntries: 0, warnings };
  let safe: AuthenticatedSafe;
  try {
    safe = parse(authSafeBytes, AuthenticatedSafe);
  } catch (e) {
    throw new ParseError('pkcs12', file, `PKCS#12 AuthenticatedSafe is malformed${why(e)}`);
  }
  let undecryptable = 0;
  for (const ci of safe) {
    if (ci.contentType === OID.data) {
      let plain: Uint8Array;
      try {
        plain = octets(ci.content);
      } catch {
        throw new ParseError('pkcs12', file, 'PKCS#12 data content is not an OCTET STRING');
      }
      readBags(parseSafeContents(plain, file), out, file, 0);
    } else if (ci.contentType === OID.encryptedData) {
      let plain: Uint8Array;
      try {
        const eci = encryptedContentInfo(ci.content);
        const enc = eci.encryptedContent;
        const data = enc?.value
          ? bytes(enc.value.buffer)
          : Buffer.concat((enc?.constructedValue ?? []).map((o) => bytes(o.buffer)));
        const alg = algTlv(eci.contentEncryptionAlgorithm);
        try {
          plain = yield* pbeDecrypt(alg.b, alg.t, data, pw, budget);
        } catch (e) {
          if (e instanceof PbeError && e.kind === 'limit') throw limitError(file, e);
          if (e instanceof PbeError && e.kind === 'unsupported') {
            throw new ParseError(
              'unsupported',
              file,
              `certificates are encrypted with ${pbeName(alg.b, alg.t)}, which is not supported (${e.message})`,
            );
          }
          if (e instanceof PbeError && e.kind === 'password')
            throw verified
              ? new ParseError(
                  'pkcs12',
                  file,
                  'encrypted PKCS#12 content does not decrypt although the integrity MAC confirms the password (a damaged file)',
                )
              : wrongPassword(file, password);
          throw e;
        }
      } catch (e) {
        if (e instanceof ParseError) throw e;
        throw new ParseError(
          'pkcs12',
          file,
          `encrypted PKCS#12 content is malformed (${e instanceof PbeError ? e.message : 'unreadable EncryptedData'})`,
        );
      }
      let contents: SafeContents;
      try {
        contents = parse(plain, SafeContents);
      } catch (e) {
        // Bad padding can pass by chance with a wrong password, and garbage then fails here; but
        // with the password confirmed by the MAC, or a plaintext that is well-formed DER, it is
        // the structure that is wrong.
        if (verified || oneDerSequence(plain))
          throw new ParseError('pkcs12', file, `decrypted PKCS#12 SafeContents is malformed${why(e)}`);
        throw wrongPassword(file, password);
      }
      readBags(contents, out, file, 0);
    } else {
      undecryptable++;
    }
  }
  if (undecryptable)
    warnings.push(`${undecryptable} public-key encrypted PKCS#12 part(s) skipped (not supported)`);
  if (out.privateKeyEntries)
    warnings.push(
      `${out.privateKeyEntries} private key entr${out.privateKeyEntries === 1 ? 'y' : 'ies'} ignored`,
    );
  return out;
}

function wrongPassword(file: string, password: string | undefined): ParseError {
  return password === undefined
    ? new ParseError(
        'password',
        file,
        'this PKCS#12 file needs a password: set passwordEnv to the environment variable that holds it',
      )
    : new ParseError(
        'password',
        file,
        'wrong password (or a damaged file): the password from the configured environment variable does not open this PKCS#12 file',
      );
}

/** True when `b` is exactly one DER SEQUENCE (what a right password decrypts to). */
function oneDerSequence(b: Uint8Array): boolean {
  try {
    return b[0] === TAG.SEQUENCE && readTlv(b, 0, b.length).end === b.length;
  } catch {
    return false;
  }
}

/**
 * Verifies the MAC and returns the password that opens the file; `verified` when a MAC confirmed
 * it (a file without a MAC, like JDK 18+ cacerts, is read with the password given or none).
 */
function* choosePassword(
  pfx: PFX,
  authSafe: Uint8Array,
  file: string,
  password: string | undefined,
  warnings: string[],
  budget: KdfBudget,
): Kdf<{ pw: string; verified: boolean }> {
  const candidates = password === undefined ? [''] : [password];
  // asn1-schema fills an absent optional MacData with an empty default object.
  const md = pfx.macData?.mac?.digestAlgorithm?.algorithm ? pfx.macData : null;
  if (!md) {
    warnings.push('PKCS#12 file has no integrity MAC: its contents are not authenticated');
    return { pw: candidates[0]!, verified: false };
  }
  const expected = bytes(md.mac.digest.buffer);
  const algOid = md.mac.digestAlgorithm.algorithm;
  for (const pw of candidates) {
    const variants: Buffer[] = pw === '' ? [bmpPassword(''), Buffer.alloc(0)] : [bmpPassword(pw)];
    try {
      if (algOid === OID.pbmac1) {
        const a = algTlv(md.mac.digestAlgorithm);
        const params = readTlv(a.b, readTlv(a.b, a.t.body, a.t.end).end, a.t.end);
        const { key, hash } = yield* pbmac1Key(a.b, params, pw, budget);
        if (hmacEquals(hash, key, authSafe, expected)) return { pw, verified: true };
        continue;
      }
      for (const v of variants) {
        const { key, hash } = yield* pkcs12MacKey(
          algOid,
          v,
          bytes(md.macSalt.buffer),
          Number(md.iterations ?? 1), // asn1-schema hands large INTEGERs over as strings
          budget,
        );
        if (hmacEquals(hash, key, authSafe, expected)) return { pw, verified: true };
      }
    } catch (e) {
      if (e instanceof PbeError && e.kind === 'limit') throw limitError(file, e);
      if (e instanceof PbeError && e.kind !== 'password')
        throw new ParseError('unsupported', file, `PKCS#12 integrity check cannot run: ${e.message}`);
      throw e;
    }
  }
  throw wrongPassword(file, password);
}

function parseSafeContents(b: Uint8Array | ArrayBuffer, file: string): SafeContents {
  try {
    return parse(b, SafeContents);
  } catch (e) {
    throw new ParseError('pkcs12', file, `PKCS#12 SafeContents is malformed${why(e)}`);
  }
}

function readBags(bags: Iterable<SafeBag>, out: StoreContents, file: string, depth: number): void {
  for (const bag of bags) {
    switch (bag.bagId) {
      case OID.keyBag:
      case OID.shroudedKeyBag:
        // Never decrypted, never inspected.
        out.privateKeyEntries++;
        break;
      case OID.certBag: {
        let cb: CertBag;
        try {
          cb = parse(bag.bagValue, CertBag);
        } catch {
          throw new ParseError('pkcs12', file, 'PKCS#12 certificate bag is malformed');
        }
        if (cb.certId !== OID.x509Certificate) {
          out.warnings.push(`skipped a non-X.509 certificate bag (${cb.certId})`);
          break;
        }
        let der: Uint8Array;
        try {
          der = octets(cb.certValue);
        } catch {
          throw new ParseError('pkcs12', file, 'PKCS#12 certificate bag does not hold an OCTET STRING');
        }
        out.certs.push({ der, alias: friendlyName(bag) });
        break;
      }
      case OID.safeContentsBag:
        if (depth > 4) throw new ParseError('pkcs12', file, 'PKCS#12 safe contents nested too deeply');
        readBags(parseSafeContents(bag.bagValue, file), out, file, depth + 1);
        break;
      case OID.crlBag:
        out.warnings.push('skipped a CRL bag');
        break;
      case OID.secretBag:
        out.warnings.push('skipped a secret bag');
        break;
      default:
        out.warnings.push(`skipped an unknown bag type ${bag.bagId}`);
    }
  }
}

function friendlyName(bag: SafeBag): string | null {
  for (const a of bag.bagAttributes ?? []) {
    if (a.attrId !== OID.friendlyName || !a.attrValues[0]) continue;
    const b = bytes(a.attrValues[0]);
    try {
      const t = readTlv(b, 0, b.length);
      if (t.tag !== 0x1e || (t.end - t.body) % 2) return null;
      const s = Buffer.from(b.subarray(t.body, t.end));
      s.swap16();
      return s.toString('utf16le');
    } catch {
      return null;
    }
  }
  return null;
}
