// Password-based decryption for PKCS#12 certificate bags: PBES2 (PBKDF2 + AES/3DES) and the
// PKCS#12 key derivation (RFC 7292 appendix B) with 3DES, RC2 and RC4. Node's OpenSSL ships without
// the legacy provider, so RC2 (what `openssl pkcs12 -legacy` and older Windows/Java exports use for
// certificates) and RC4 are implemented here. Only certificate bags are ever decrypted with this.
import { createDecipheriv, createHmac } from 'node:crypto';
import { DerError, TAG, algorithmAt, children, expectTlv, readTlv, smallInteger, type Tlv } from '../der.js';
import {
  PbeError,
  checkIterations,
  pbkdf2Steps,
  pkcs12KdfSteps,
  type Kdf,
  type KdfBudget,
  type KdfHash,
} from './kdf.js';

export { MAX_ITERATIONS, PbeError } from './kdf.js';

const HASHES: Record<string, KdfHash> = {
  '1.3.14.3.2.26': { name: 'sha1', v: 64, u: 20 },
  '2.16.840.1.101.3.4.2.4': { name: 'sha224', v: 64, u: 28 },
  '2.16.840.1.101.3.4.2.1': { name: 'sha256', v: 64, u: 32 },
  '2.16.840.1.101.3.4.2.2': { name: 'sha384', v: 128, u: 48 },
  '2.16.840.1.101.3.4.2.3': { name: 'sha512', v: 128, u: 64 },
  '2.16.840.1.101.3.4.2.5': { name: 'sha512-224', v: 128, u: 28 },
  '2.16.840.1.101.3.4.2.6': { name: 'sha512-256', v: 128, u: 32 },
};

const HMAC_PRF: Record<string, string> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.8': 'sha224',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};

/** Password as PKCS#12 wants it for its own KDF: BMPString (UTF-16BE) plus two zero bytes. */
export function bmpPassword(password: string): Buffer {
  const b = Buffer.alloc(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) b.writeUInt16BE(password.charCodeAt(i), i * 2);
  return b;
}

/** HMAC key for PKCS#12 MacData (RFC 7292 appendix B with purpose 3), as derivation steps. */
export function* pkcs12MacKey(
  hashOid: string,
  password: Buffer,
  salt: Uint8Array,
  iterations: number,
  budget: KdfBudget,
): Kdf<{ key: Buffer; hash: string }> {
  const h = HASHES[hashOid];
  if (!h) throw new PbeError('unsupported', `unsupported MAC digest ${hashOid}`);
  const key = yield* pkcs12KdfSteps(h, password, salt, iterations, 3, h.u, budget, 'the PKCS#12 MAC');
  return { key, hash: h.name };
}

/** PBMAC1 (RFC 9579): HMAC key and hash from its parameters, as derivation steps. */
export function* pbmac1Key(
  b: Uint8Array,
  params: Tlv,
  password: string,
  budget: KdfBudget,
): Kdf<{ key: Buffer; hash: string }> {
  const [kdf, mac] = children(b, params);
  if (!kdf || !mac) throw new PbeError('malformed', 'PBMAC1 parameters incomplete');
  const macAlg = algorithmAt(b, mac);
  const hash = HMAC_PRF[macAlg.oid];
  if (!hash) throw new PbeError('unsupported', `unsupported PBMAC1 MAC ${macAlg.oid}`);
  const p = pbkdf2Params(b, kdf);
  if (p.keyLength === null) throw new PbeError('malformed', 'PBMAC1 requires a PBKDF2 keyLength');
  const key = yield* pbkdf2Steps(
    {
      password: Buffer.from(password, 'utf8'),
      salt: p.salt,
      iterations: p.iterations,
      keyLength: p.keyLength,
      digest: p.prf,
    },
    budget,
    'the PKCS#12 MAC (PBMAC1)',
  );
  return { key, hash };
}

function pbkdf2Params(
  b: Uint8Array,
  algT: Tlv,
): { salt: Buffer; iterations: number; keyLength: number | null; prf: string } {
  const alg = algorithmAt(b, algT);
  if (alg.oid !== '1.2.840.113549.1.5.12')
    throw new PbeError('unsupported', `unsupported key derivation ${alg.oid}`);
  if (!alg.params || alg.params.tag !== TAG.SEQUENCE)
    throw new PbeError('malformed', 'PBKDF2 parameters missing');
  const parts = children(b, alg.params);
  const saltT = parts[0];
  if (!saltT || saltT.tag !== TAG.OCTET_STRING)
    throw new PbeError('unsupported', 'PBKDF2 salt is not an OCTET STRING');
  const iterations = parts[1] ? smallInteger(b, parts[1]) : null;
  if (iterations === null || iterations < 1)
    throw new PbeError('malformed', 'PBKDF2 iteration count unreadable');
  checkIterations(iterations, 'PBKDF2');
  let keyLength: number | null = null;
  let prf = 'sha1';
  for (const p of parts.slice(2)) {
    if (p.tag === TAG.INTEGER) keyLength = smallInteger(b, p);
    else if (p.tag === TAG.SEQUENCE) {
      const prfOid = algorithmAt(b, p).oid;
      const h = HMAC_PRF[prfOid];
      if (!h) throw new PbeError('unsupported', `unsupported PBKDF2 PRF ${prfOid}`);
      prf = h;
    }
  }
  return { salt: Buffer.from(b.subarray(saltT.body, saltT.end)), iterations, keyLength, prf };
}

const PBES2_CIPHERS: Record<string, { name: string; keyLen: number }> = {
  '2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', keyLen: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'aes-192-cbc', keyLen: 24 },
  '2.16.840.1.101.3.4.1.42': { name: 'aes-256-cbc', keyLen: 32 },
  '1.2.840.113549.3.7': { name: 'des-ede3-cbc', keyLen: 24 },
  '1.3.14.3.2.7': { name: 'des-cbc', keyLen: 8 },
};

const PKCS12_PBE: Record<
  string,
  { cipher: 'des-ede3-cbc' | 'des-ede-cbc' | 'rc2' | 'rc4'; keyLen: number; bits?: number; label: string }
> = {
  '1.2.840.113549.1.12.1.1': { cipher: 'rc4', keyLen: 16, label: 'pbeWithSHAAnd128BitRC4' },
  '1.2.840.113549.1.12.1.2': { cipher: 'rc4', keyLen: 5, label: 'pbeWithSHAAnd40BitRC4' },
  '1.2.840.113549.1.12.1.3': { cipher: 'des-ede3-cbc', keyLen: 24, label: 'pbeWithSHAAnd3-KeyTripleDES-CBC' },
  '1.2.840.113549.1.12.1.4': { cipher: 'des-ede-cbc', keyLen: 16, label: 'pbeWithSHAAnd2-KeyTripleDES-CBC' },
  '1.2.840.113549.1.12.1.5': { cipher: 'rc2', keyLen: 16, bits: 128, label: 'pbeWithSHAAnd128BitRC2-CBC' },
  '1.2.840.113549.1.12.1.6': { cipher: 'rc2', keyLen: 5, bits: 40, label: 'pbeWithSHAAnd40BitRC2-CBC' },
};

/** A readable name of an encryption AlgorithmIdentifier, for warnings and errors. */
export function pbeName(b: Uint8Array, algT: Tlv): string {
  const { oid } = algorithmAt(b, algT);
  return PKCS12_PBE[oid]?.label ?? (oid === '1.2.840.113549.1.5.13' ? 'PBES2' : oid);
}

/**
 * Decrypts `data` encrypted under the AlgorithmIdentifier at `algT` (within `b`) with `password`, as
 * derivation steps. Throws PbeError('password') when the padding is wrong (the usual sign of a
 * wrong password), PbeError('limit') when the derivation asks for too much work.
 */
export function* pbeDecrypt(
  b: Uint8Array,
  algT: Tlv,
  data: Uint8Array,
  password: string,
  budget: KdfBudget,
): Kdf<Buffer> {
  let alg: { oid: string; params: Tlv | null };
  try {
    alg = algorithmAt(b, algT);
  } catch (e) {
    throw new PbeError('malformed', `encryption algorithm unreadable (${(e as DerError).message})`);
  }
  try {
    if (alg.oid === '1.2.840.113549.1.5.13') return yield* pbes2(b, alg.params, data, password, budget);
    const scheme = PKCS12_PBE[alg.oid];
    if (!scheme) throw new PbeError('unsupported', `unsupported encryption algorithm ${alg.oid}`);
    if (!alg.params || alg.params.tag !== TAG.SEQUENCE)
      throw new PbeError('malformed', `${scheme.label} parameters missing`);
    const salt = expectTlv(b, alg.params.body, alg.params.end, TAG.OCTET_STRING, 'PBE salt');
    const iterations = smallInteger(b, readTlv(b, salt.end, alg.params.end));
    if (iterations === null || iterations < 1)
      throw new PbeError('malformed', 'PBE iteration count unreadable');
    const sha1 = HASHES['1.3.14.3.2.26']!;
    const pw = bmpPassword(password);
    const saltBytes = b.subarray(salt.body, salt.end);
    const what = `the certificates' encryption (${scheme.label})`;
    const key = yield* pkcs12KdfSteps(sha1, pw, saltBytes, iterations, 1, scheme.keyLen, budget, what);
    if (scheme.cipher === 'rc4') return rc4(key, data);
    const iv = yield* pkcs12KdfSteps(sha1, pw, saltBytes, iterations, 2, 8, budget, what);
    if (scheme.cipher === 'rc2') return unpad(rc2CbcDecrypt(key, scheme.bits!, iv, data), 8);
    return nodeDecrypt(scheme.cipher, key, iv, data);
  } catch (e) {
    if (e instanceof DerError)
      throw new PbeError('malformed', `encryption parameters unreadable (${e.message})`);
    throw e;
  }
}

function* pbes2(
  b: Uint8Array,
  params: Tlv | null,
  data: Uint8Array,
  password: string,
  budget: KdfBudget,
): Kdf<Buffer> {
  if (!params || params.tag !== TAG.SEQUENCE) throw new PbeError('malformed', 'PBES2 parameters missing');
  const [kdfT, encT] = children(b, params);
  if (!kdfT || !encT) throw new PbeError('malformed', 'PBES2 parameters incomplete');
  const kdf = pbkdf2Params(b, kdfT);
  const enc = algorithmAt(b, encT);
  const cipher = PBES2_CIPHERS[enc.oid];
  if (!cipher) throw new PbeError('unsupported', `unsupported PBES2 cipher ${enc.oid}`);
  if (!enc.params || enc.params.tag !== TAG.OCTET_STRING)
    throw new PbeError('malformed', 'PBES2 cipher IV missing');
  const iv = b.subarray(enc.params.body, enc.params.end);
  const key = yield* pbkdf2Steps(
    {
      password: Buffer.from(password, 'utf8'),
      salt: kdf.salt,
      iterations: kdf.iterations,
      keyLength: kdf.keyLength ?? cipher.keyLen,
      digest: kdf.prf,
    },
    budget,
    "the certificates' encryption (PBES2)",
  );
  return nodeDecrypt(cipher.name, key, iv, data);
}

function nodeDecrypt(name: string, key: Uint8Array, iv: Uint8Array, data: Uint8Array): Buffer {
  let d;
  try {
    d = createDecipheriv(name, key, iv);
  } catch {
    throw new PbeError('unsupported', `cipher ${name} is not available in this Node.js/OpenSSL build`);
  }
  try {
    return Buffer.concat([d.update(data), d.final()]);
  } catch {
    throw new PbeError('password', 'decryption failed (bad padding)');
  }
}

function unpad(out: Uint8Array, bs: number): Buffer {
  const n = out[out.length - 1]!;
  if (out.length === 0 || n < 1 || n > bs) throw new PbeError('password', 'decryption failed (bad padding)');
  for (let i = out.length - n; i < out.length; i++)
    if (out[i] !== n) throw new PbeError('password', 'decryption failed (bad padding)');
  return Buffer.from(out.subarray(0, out.length - n));
}

export function rc4(key: Uint8Array, data: Uint8Array): Buffer {
  const S = new Uint8Array(256);
  for (let i = 0; i < 256; i++) S[i] = i;
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + S[i]! + key[i % key.length]!) & 255;
    const t = S[i]!;
    S[i] = S[j]!;
    S[j] = t;
  }
  const out = Buffer.alloc(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 255;
    j = (j + S[i]!) & 255;
    const t = S[i]!;
    S[i] = S[j]!;
    S[j] = t;
    out[n] = data[n]! ^ S[(S[i]! + S[j]!) & 255]!;
  }
  return out;
}

// RFC 2268 section 2: the PITABLE permutation.
const PITABLE = Uint8Array.from(
  Buffer.from(
    'd978f9c419ddb5ed28e9fd794aa0d89dc67e37832b76538e624c6488448bfba2179a59f587b34f1361456d8d09817d32' +
      'bd8f40eb86b77b0bf09521225c6b4e8254d66593ce60b21c7356c014a78cf1dc1275ca1f3bbee4d1423dd430a33cb626' +
      '6fbf0eda4669075727f21d9bbc944303f811c7f690ef3ee706c3d52fc8661ed708e8eade8052eef784aa72ac354d6a2a' +
      '961ad2715a1549744b9fd05e0418a4ecc2e0416e0f51cbcc2491af50a1f47039997c3a8523b8b47afc02365b25559731' +
      '2d5dfa98e38a92ae05df2910676cbac9d300e6cfe19ea82c6316013f58e289a90d38341bab33ffb0bb480c5fb9b1cd2e' +
      'c5f3db47e5a59c770aa62068fe7fc1ad',
    'hex',
  ),
);

/** RC2 key schedule (RFC 2268 section 2) with `bits` effective key bits. */
function rc2Schedule(key: Uint8Array, bits: number): Uint16Array {
  const L = new Uint8Array(128);
  const T = key.length;
  L.set(key);
  for (let i = T; i < 128; i++) L[i] = PITABLE[(L[i - 1]! + L[i - T]!) & 255]!;
  const T8 = (bits + 7) >> 3;
  const TM = 255 >> (8 * T8 - bits);
  L[128 - T8] = PITABLE[L[128 - T8]! & TM]!;
  for (let i = 127 - T8; i >= 0; i--) L[i] = PITABLE[L[i + 1]! ^ L[i + T8]!]!;
  const K = new Uint16Array(64);
  for (let i = 0; i < 64; i++) K[i] = L[2 * i]! | (L[2 * i + 1]! << 8);
  return K;
}

/** One RC2 block decryption (RFC 2268 section 4): 5 r-mix, r-mash, 6 r-mix, r-mash, 5 r-mix. */
function rc2DecryptBlock(K: Uint16Array, c: Uint8Array, off: number, out: Uint8Array, outOff: number): void {
  let r0 = c[off]! | (c[off + 1]! << 8);
  let r1 = c[off + 2]! | (c[off + 3]! << 8);
  let r2 = c[off + 4]! | (c[off + 5]! << 8);
  let r3 = c[off + 6]! | (c[off + 7]! << 8);
  let j = 63;
  const ror = (x: number, s: number) => ((x >>> s) | (x << (16 - s))) & 0xffff;
  const mix = () => {
    r3 = (ror(r3, 5) - K[j--]! - (r2 & r1) - (~r2 & r0)) & 0xffff;
    r2 = (ror(r2, 3) - K[j--]! - (r1 & r0) - (~r1 & r3)) & 0xffff;
    r1 = (ror(r1, 2) - K[j--]! - (r0 & r3) - (~r0 & r2)) & 0xffff;
    r0 = (ror(r0, 1) - K[j--]! - (r3 & r2) - (~r3 & r1)) & 0xffff;
  };
  const mash = () => {
    r3 = (r3 - K[r2 & 63]!) & 0xffff;
    r2 = (r2 - K[r1 & 63]!) & 0xffff;
    r1 = (r1 - K[r0 & 63]!) & 0xffff;
    r0 = (r0 - K[r3 & 63]!) & 0xffff;
  };
  for (let i = 0; i < 5; i++) mix();
  mash();
  for (let i = 0; i < 6; i++) mix();
  mash();
  for (let i = 0; i < 5; i++) mix();
  out[outOff] = r0 & 255;
  out[outOff + 1] = r0 >> 8;
  out[outOff + 2] = r1 & 255;
  out[outOff + 3] = r1 >> 8;
  out[outOff + 4] = r2 & 255;
  out[outOff + 5] = r2 >> 8;
  out[outOff + 6] = r3 & 255;
  out[outOff + 7] = r3 >> 8;
}

/** RC2-CBC decryption without unpadding (exported for the RFC 2268 test vectors). */
export function rc2CbcDecrypt(key: Uint8Array, bits: number, iv: Uint8Array, data: Uint8Array): Uint8Array {
  if (data.length === 0 || data.length % 8)
    throw new PbeError('password', 'decryption failed (ciphertext length)');
  const K = rc2Schedule(key, bits);
  const out = new Uint8Array(data.length);
  for (let o = 0; o < data.length; o += 8) {
    rc2DecryptBlock(K, data, o, out, o);
    for (let i = 0; i < 8; i++) out[o + i]! ^= o === 0 ? iv[i]! : data[o - 8 + i]!;
  }
  return out;
}

/** HMAC with a timing-safe compare. */
export function hmacEquals(hash: string, key: Uint8Array, data: Uint8Array, expected: Uint8Array): boolean {
  const got = createHmac(hash, key).update(data).digest();
  if (got.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < got.length; i++) diff |= got[i]! ^ expected[i]!;
  return diff === 0;
}
