import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  PRIVATE_KEY_LABEL,
  hasPrivateKeyMarker,
  pemBlocks,
  require_build2 as require_build,
  require_cjs,
  require_cjs4 as require_cjs2,
  require_cjs7 as require_cjs3
} from "./chunk-I32IJZLF.js";
import {
  DerError,
  TAG,
  algorithmAt,
  children,
  expectTlv,
  isContext,
  oidAt,
  parseCertificate,
  readTlv,
  smallInteger
} from "./chunk-HSQZZC7B.js";
import {
  DeadlineError,
  FILE_KINDS,
  deadlineReason,
  safeRead,
  safeReadSync
} from "./chunk-UHECHRFN.js";
import {
  ParseError
} from "./chunk-WW3ZWNRQ.js";
import {
  __toESM
} from "./chunk-DDCI7ZLU.js";

// src/x509/read.ts
import { basename } from "node:path";

// src/x509/stores/pkcs12.ts
var import_asn1_schema = __toESM(require_cjs(), 1);
var asn1js = __toESM(require_build(), 1);
var import_asn1_pfx = __toESM(require_cjs3(), 1);
var import_asn1_cms = __toESM(require_cjs2(), 1);

// src/x509/stores/pbe.ts
import { createDecipheriv, createHmac } from "node:crypto";

// src/x509/stores/kdf.ts
import { hash as oneShotHash, pbkdf2, pbkdf2Sync } from "node:crypto";
import { setImmediate as nextTurn } from "node:timers/promises";
var PbeError = class extends Error {
  constructor(kind, message) {
    super(message);
    this.kind = kind;
    this.name = "PbeError";
  }
  kind;
};
var MAX_ITERATIONS = 1e6;
var MAX_KDF_WORK = 2e6;
var num = (n) => n.toLocaleString("en-US");
function checkIterations(iterations, what) {
  if (!Number.isSafeInteger(iterations) || iterations < 1)
    throw new PbeError("malformed", `${what}: the iteration count is not a positive whole number`);
  if (iterations > MAX_ITERATIONS)
    throw new PbeError(
      "limit",
      `${what} asks for ${num(iterations)} key-derivation iterations, above the ${num(MAX_ITERATIONS)} certwarden accepts (real keystores use at most about 10,000; OpenSSL's default is 2,048): refused as a possible denial of service`
    );
}
var KdfBudget = class {
  constructor(max = MAX_KDF_WORK) {
    this.max = max;
  }
  max;
  spent = 0;
  spend(units, what) {
    this.spent += units;
    if (this.spent > this.max)
      throw new PbeError(
        "limit",
        `${what}: this keystore's key derivations need more than ${num(this.max)} iterations in all, the budget per keystore: refused as a possible denial of service`
      );
  }
};
function runKdfSync(steps) {
  let answer;
  for (; ; ) {
    const r = steps.next(answer);
    if (r.done) return r.value;
    const p = r.value?.pbkdf2;
    answer = p ? pbkdf2Sync(p.password, p.salt, p.iterations, p.keyLength, p.digest) : void 0;
  }
}
var SLICE_MS = 8;
async function runKdfAsync(steps, signal) {
  let answer;
  let sliceStart = performance.now();
  try {
    for (; ; ) {
      if (signal.aborted) throw deadlineReason(signal);
      const r = steps.next(answer);
      if (r.done) return r.value;
      const p = r.value?.pbkdf2;
      if (p) {
        answer = await pbkdf2Abortable(p, signal);
        sliceStart = performance.now();
      } else {
        answer = void 0;
        if (performance.now() - sliceStart > SLICE_MS) {
          await nextTurn();
          sliceStart = performance.now();
        }
      }
    }
  } finally {
    steps.return(void 0);
  }
}
function pbkdf2Abortable(p, signal) {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(deadlineReason(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    pbkdf2(p.password, p.salt, p.iterations, p.keyLength, p.digest, (err, key) => {
      signal.removeEventListener("abort", onAbort);
      if (err) reject(err);
      else resolve(key);
    });
  });
}
var DIGEST_BYTES = { sha1: 20, sha224: 28, sha256: 32, sha384: 48, sha512: 64 };
function* pbkdf2Steps(req, budget, what) {
  checkIterations(req.iterations, what);
  budget.spend(req.iterations * Math.ceil(req.keyLength / (DIGEST_BYTES[req.digest] ?? 32)), what);
  const key = yield { pbkdf2: req };
  if (!key) throw new Error("the key-derivation driver gave no PBKDF2 result");
  return key;
}
var PAUSE_EVERY = 512;
function* pkcs12KdfSteps(hash, pw, salt, iterations, id, n, budget, what) {
  checkIterations(iterations, what);
  const { v, u } = hash;
  budget.spend(iterations * Math.ceil(n / u), what);
  const D = Buffer.alloc(v, id);
  const fill = (src) => {
    if (src.length === 0) return Buffer.alloc(0);
    const len = v * Math.ceil(src.length / v);
    const out2 = Buffer.alloc(len);
    for (let i = 0; i < len; i++) out2[i] = src[i % src.length];
    return out2;
  };
  const I = Buffer.concat([fill(salt), fill(pw)]);
  const out = Buffer.alloc(n);
  let done = 0;
  for (; ; ) {
    let A = oneShotHash(hash.name, Buffer.concat([D, I]), "buffer");
    for (let r = 1; r < iterations; r++) {
      A = oneShotHash(hash.name, A, "buffer");
      if (r % PAUSE_EVERY === 0) yield null;
    }
    A.copy(out, done, 0, Math.min(u, n - done));
    done += u;
    if (done >= n) return out;
    const B = Buffer.alloc(v);
    for (let i = 0; i < v; i++) B[i] = A[i % u];
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const s = I[j + k] + B[k] + carry;
        I[j + k] = s & 255;
        carry = s >> 8;
      }
    }
  }
}

// src/x509/stores/pbe.ts
var HASHES = {
  "1.3.14.3.2.26": { name: "sha1", v: 64, u: 20 },
  "2.16.840.1.101.3.4.2.4": { name: "sha224", v: 64, u: 28 },
  "2.16.840.1.101.3.4.2.1": { name: "sha256", v: 64, u: 32 },
  "2.16.840.1.101.3.4.2.2": { name: "sha384", v: 128, u: 48 },
  "2.16.840.1.101.3.4.2.3": { name: "sha512", v: 128, u: 64 },
  "2.16.840.1.101.3.4.2.5": { name: "sha512-224", v: 128, u: 28 },
  "2.16.840.1.101.3.4.2.6": { name: "sha512-256", v: 128, u: 32 }
};
var HMAC_PRF = {
  "1.2.840.113549.2.7": "sha1",
  "1.2.840.113549.2.8": "sha224",
  "1.2.840.113549.2.9": "sha256",
  "1.2.840.113549.2.10": "sha384",
  "1.2.840.113549.2.11": "sha512"
};
function bmpPassword(password) {
  const b = Buffer.alloc(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) b.writeUInt16BE(password.charCodeAt(i), i * 2);
  return b;
}
function* pkcs12MacKey(hashOid, password, salt, iterations, budget) {
  const h = HASHES[hashOid];
  if (!h) throw new PbeError("unsupported", `unsupported MAC digest ${hashOid}`);
  const key = yield* pkcs12KdfSteps(h, password, salt, iterations, 3, h.u, budget, "the PKCS#12 MAC");
  return { key, hash: h.name };
}
function* pbmac1Key(b, params, password, budget) {
  const [kdf, mac] = children(b, params);
  if (!kdf || !mac) throw new PbeError("malformed", "PBMAC1 parameters incomplete");
  const macAlg = algorithmAt(b, mac);
  const hash = HMAC_PRF[macAlg.oid];
  if (!hash) throw new PbeError("unsupported", `unsupported PBMAC1 MAC ${macAlg.oid}`);
  const p = pbkdf2Params(b, kdf);
  if (p.keyLength === null) throw new PbeError("malformed", "PBMAC1 requires a PBKDF2 keyLength");
  const key = yield* pbkdf2Steps(
    {
      password: Buffer.from(password, "utf8"),
      salt: p.salt,
      iterations: p.iterations,
      keyLength: p.keyLength,
      digest: p.prf
    },
    budget,
    "the PKCS#12 MAC (PBMAC1)"
  );
  return { key, hash };
}
function pbkdf2Params(b, algT) {
  const alg = algorithmAt(b, algT);
  if (alg.oid !== "1.2.840.113549.1.5.12")
    throw new PbeError("unsupported", `unsupported key derivation ${alg.oid}`);
  if (!alg.params || alg.params.tag !== TAG.SEQUENCE)
    throw new PbeError("malformed", "PBKDF2 parameters missing");
  const parts = children(b, alg.params);
  const saltT = parts[0];
  if (!saltT || saltT.tag !== TAG.OCTET_STRING)
    throw new PbeError("unsupported", "PBKDF2 salt is not an OCTET STRING");
  const iterations = parts[1] ? smallInteger(b, parts[1]) : null;
  if (iterations === null || iterations < 1)
    throw new PbeError("malformed", "PBKDF2 iteration count unreadable");
  checkIterations(iterations, "PBKDF2");
  let keyLength = null;
  let prf = "sha1";
  for (const p of parts.slice(2)) {
    if (p.tag === TAG.INTEGER) keyLength = smallInteger(b, p);
    else if (p.tag === TAG.SEQUENCE) {
      const prfOid = algorithmAt(b, p).oid;
      const h = HMAC_PRF[prfOid];
      if (!h) throw new PbeError("unsupported", `unsupported PBKDF2 PRF ${prfOid}`);
      prf = h;
    }
  }
  return { salt: Buffer.from(b.subarray(saltT.body, saltT.end)), iterations, keyLength, prf };
}
var PBES2_CIPHERS = {
  "2.16.840.1.101.3.4.1.2": { name: "aes-128-cbc", keyLen: 16 },
  "2.16.840.1.101.3.4.1.22": { name: "aes-192-cbc", keyLen: 24 },
  "2.16.840.1.101.3.4.1.42": { name: "aes-256-cbc", keyLen: 32 },
  "1.2.840.113549.3.7": { name: "des-ede3-cbc", keyLen: 24 },
  "1.3.14.3.2.7": { name: "des-cbc", keyLen: 8 }
};
var PKCS12_PBE = {
  "1.2.840.113549.1.12.1.1": { cipher: "rc4", keyLen: 16, label: "pbeWithSHAAnd128BitRC4" },
  "1.2.840.113549.1.12.1.2": { cipher: "rc4", keyLen: 5, label: "pbeWithSHAAnd40BitRC4" },
  "1.2.840.113549.1.12.1.3": { cipher: "des-ede3-cbc", keyLen: 24, label: "pbeWithSHAAnd3-KeyTripleDES-CBC" },
  "1.2.840.113549.1.12.1.4": { cipher: "des-ede-cbc", keyLen: 16, label: "pbeWithSHAAnd2-KeyTripleDES-CBC" },
  "1.2.840.113549.1.12.1.5": { cipher: "rc2", keyLen: 16, bits: 128, label: "pbeWithSHAAnd128BitRC2-CBC" },
  "1.2.840.113549.1.12.1.6": { cipher: "rc2", keyLen: 5, bits: 40, label: "pbeWithSHAAnd40BitRC2-CBC" }
};
function pbeName(b, algT) {
  const { oid } = algorithmAt(b, algT);
  return PKCS12_PBE[oid]?.label ?? (oid === "1.2.840.113549.1.5.13" ? "PBES2" : oid);
}
function* pbeDecrypt(b, algT, data, password, budget) {
  let alg;
  try {
    alg = algorithmAt(b, algT);
  } catch (e) {
    throw new PbeError("malformed", `encryption algorithm unreadable (${e.message})`);
  }
  try {
    if (alg.oid === "1.2.840.113549.1.5.13") return yield* pbes2(b, alg.params, data, password, budget);
    const scheme = PKCS12_PBE[alg.oid];
    if (!scheme) throw new PbeError("unsupported", `unsupported encryption algorithm ${alg.oid}`);
    if (!alg.params || alg.params.tag !== TAG.SEQUENCE)
      throw new PbeError("malformed", `${scheme.label} parameters missing`);
    const salt = expectTlv(b, alg.params.body, alg.params.end, TAG.OCTET_STRING, "PBE salt");
    const iterations = smallInteger(b, readTlv(b, salt.end, alg.params.end));
    if (iterations === null || iterations < 1)
      throw new PbeError("malformed", "PBE iteration count unreadable");
    const sha1 = HASHES["1.3.14.3.2.26"];
    const pw = bmpPassword(password);
    const saltBytes = b.subarray(salt.body, salt.end);
    const what = `the certificates' encryption (${scheme.label})`;
    const key = yield* pkcs12KdfSteps(sha1, pw, saltBytes, iterations, 1, scheme.keyLen, budget, what);
    if (scheme.cipher === "rc4") return rc4(key, data);
    const iv = yield* pkcs12KdfSteps(sha1, pw, saltBytes, iterations, 2, 8, budget, what);
    if (scheme.cipher === "rc2") return unpad(rc2CbcDecrypt(key, scheme.bits, iv, data), 8);
    return nodeDecrypt(scheme.cipher, key, iv, data);
  } catch (e) {
    if (e instanceof DerError)
      throw new PbeError("malformed", `encryption parameters unreadable (${e.message})`);
    throw e;
  }
}
function* pbes2(b, params, data, password, budget) {
  if (!params || params.tag !== TAG.SEQUENCE) throw new PbeError("malformed", "PBES2 parameters missing");
  const [kdfT, encT] = children(b, params);
  if (!kdfT || !encT) throw new PbeError("malformed", "PBES2 parameters incomplete");
  const kdf = pbkdf2Params(b, kdfT);
  const enc = algorithmAt(b, encT);
  const cipher = PBES2_CIPHERS[enc.oid];
  if (!cipher) throw new PbeError("unsupported", `unsupported PBES2 cipher ${enc.oid}`);
  if (!enc.params || enc.params.tag !== TAG.OCTET_STRING)
    throw new PbeError("malformed", "PBES2 cipher IV missing");
  const iv = b.subarray(enc.params.body, enc.params.end);
  const key = yield* pbkdf2Steps(
    {
      password: Buffer.from(password, "utf8"),
      salt: kdf.salt,
      iterations: kdf.iterations,
      keyLength: kdf.keyLength ?? cipher.keyLen,
      digest: kdf.prf
    },
    budget,
    "the certificates' encryption (PBES2)"
  );
  return nodeDecrypt(cipher.name, key, iv, data);
}
function nodeDecrypt(name, key, iv, data) {
  let d;
  try {
    d = createDecipheriv(name, key, iv);
  } catch {
    throw new PbeError("unsupported", `cipher ${name} is not available in this Node.js/OpenSSL build`);
  }
  try {
    return Buffer.concat([d.update(data), d.final()]);
  } catch {
    throw new PbeError("password", "decryption failed (bad padding)");
  }
}
function unpad(out, bs) {
  const n = out[out.length - 1];
  if (out.length === 0 || n < 1 || n > bs) throw new PbeError("password", "decryption failed (bad padding)");
  for (let i = out.length - n; i < out.length; i++)
    if (out[i] !== n) throw new PbeError("password", "decryption failed (bad padding)");
  return Buffer.from(out.subarray(0, out.length - n));
}
function rc4(key, data) {
  const S = new Uint8Array(256);
  for (let i = 0; i < 256; i++) S[i] = i;
  for (let i = 0, j = 0; i < 256; i++) {
    j = j + S[i] + key[i % key.length] & 255;
    const t = S[i];
    S[i] = S[j];
    S[j] = t;
  }
  const out = Buffer.alloc(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = i + 1 & 255;
    j = j + S[i] & 255;
    const t = S[i];
    S[i] = S[j];
    S[j] = t;
    out[n] = data[n] ^ S[S[i] + S[j] & 255];
  }
  return out;
}
var PITABLE = Uint8Array.from(
  Buffer.from(
    "d978f9c419ddb5ed28e9fd794aa0d89dc67e37832b76538e624c6488448bfba2179a59f587b34f1361456d8d09817d32bd8f40eb86b77b0bf09521225c6b4e8254d66593ce60b21c7356c014a78cf1dc1275ca1f3bbee4d1423dd430a33cb6266fbf0eda4669075727f21d9bbc944303f811c7f690ef3ee706c3d52fc8661ed708e8eade8052eef784aa72ac354d6a2a961ad2715a1549744b9fd05e0418a4ecc2e0416e0f51cbcc2491af50a1f47039997c3a8523b8b47afc02365b255597312d5dfa98e38a92ae05df2910676cbac9d300e6cfe19ea82c6316013f58e289a90d38341bab33ffb0bb480c5fb9b1cd2ec5f3db47e5a59c770aa62068fe7fc1ad",
    "hex"
  )
);
function rc2Schedule(key, bits) {
  const L = new Uint8Array(128);
  const T = key.length;
  L.set(key);
  for (let i = T; i < 128; i++) L[i] = PITABLE[L[i - 1] + L[i - T] & 255];
  const T8 = bits + 7 >> 3;
  const TM = 255 >> 8 * T8 - bits;
  L[128 - T8] = PITABLE[L[128 - T8] & TM];
  for (let i = 127 - T8; i >= 0; i--) L[i] = PITABLE[L[i + 1] ^ L[i + T8]];
  const K = new Uint16Array(64);
  for (let i = 0; i < 64; i++) K[i] = L[2 * i] | L[2 * i + 1] << 8;
  return K;
}
function rc2DecryptBlock(K, c, off, out, outOff) {
  let r0 = c[off] | c[off + 1] << 8;
  let r1 = c[off + 2] | c[off + 3] << 8;
  let r2 = c[off + 4] | c[off + 5] << 8;
  let r3 = c[off + 6] | c[off + 7] << 8;
  let j = 63;
  const ror = (x, s) => (x >>> s | x << 16 - s) & 65535;
  const mix = () => {
    r3 = ror(r3, 5) - K[j--] - (r2 & r1) - (~r2 & r0) & 65535;
    r2 = ror(r2, 3) - K[j--] - (r1 & r0) - (~r1 & r3) & 65535;
    r1 = ror(r1, 2) - K[j--] - (r0 & r3) - (~r0 & r2) & 65535;
    r0 = ror(r0, 1) - K[j--] - (r3 & r2) - (~r3 & r1) & 65535;
  };
  const mash = () => {
    r3 = r3 - K[r2 & 63] & 65535;
    r2 = r2 - K[r1 & 63] & 65535;
    r1 = r1 - K[r0 & 63] & 65535;
    r0 = r0 - K[r3 & 63] & 65535;
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
function rc2CbcDecrypt(key, bits, iv, data) {
  if (data.length === 0 || data.length % 8)
    throw new PbeError("password", "decryption failed (ciphertext length)");
  const K = rc2Schedule(key, bits);
  const out = new Uint8Array(data.length);
  for (let o = 0; o < data.length; o += 8) {
    rc2DecryptBlock(K, data, o, out, o);
    for (let i = 0; i < 8; i++) out[o + i] ^= o === 0 ? iv[i] : data[o - 8 + i];
  }
  return out;
}
function hmacEquals(hash, key, data, expected) {
  const got = createHmac(hash, key).update(data).digest();
  if (got.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < got.length; i++) diff |= got[i] ^ expected[i];
  return diff === 0;
}

// src/x509/stores/pkcs12.ts
function encryptedContentInfo(content) {
  const seq = asn1js.fromBER(content, berLimits(content));
  if (seq.offset === -1 || !(seq.result instanceof asn1js.Sequence))
    throw new Error("EncryptedData is not a SEQUENCE");
  const eci = seq.result.valueBlock.value[1];
  if (!eci) throw new Error("EncryptedData has no EncryptedContentInfo");
  return parse(eci.toBER(false), import_asn1_cms.EncryptedContentInfo);
}
function berLimits(b) {
  return { maxNodes: Math.max(1e4, 2 * b.byteLength) };
}
function parse(b, type) {
  return import_asn1_schema.AsnConvert.parse(b, type, { berOptions: berLimits(b) });
}
function why(e) {
  const m = e instanceof Error ? e.message.replace(/[^\x20-\x7e]/g, " ").slice(0, 120) : "";
  return m ? ` (${m})` : "";
}
var OID = {
  data: "1.2.840.113549.1.7.1",
  signedData: "1.2.840.113549.1.7.2",
  envelopedData: "1.2.840.113549.1.7.3",
  encryptedData: "1.2.840.113549.1.7.6",
  keyBag: "1.2.840.113549.1.12.10.1.1",
  shroudedKeyBag: "1.2.840.113549.1.12.10.1.2",
  certBag: "1.2.840.113549.1.12.10.1.3",
  crlBag: "1.2.840.113549.1.12.10.1.4",
  secretBag: "1.2.840.113549.1.12.10.1.5",
  safeContentsBag: "1.2.840.113549.1.12.10.1.6",
  x509Certificate: "1.2.840.113549.1.9.22.1",
  friendlyName: "1.2.840.113549.1.9.20",
  pbmac1: "1.2.840.113549.1.5.14"
};
function looksLikePkcs12(b) {
  if (b.length < 8 || b[0] !== 48) return false;
  try {
    let p = 1;
    const l = b[p];
    p += l === 128 ? 1 : l & 128 ? 1 + (l & 127) : 1;
    const v = readTlv(b, p, b.length);
    if (v.tag !== TAG.INTEGER || v.end - v.body !== 1 || b[v.body] !== 3) return false;
    if (b[v.end] !== 48) return false;
    let q = v.end + 1;
    const l2 = b[q];
    q += l2 === 128 ? 1 : l2 & 128 ? 1 + (l2 & 127) : 1;
    return b[q] === TAG.OID;
  } catch {
    return false;
  }
}
function bytes(ab) {
  return ab instanceof ArrayBuffer ? new Uint8Array(ab) : new Uint8Array(ab.buffer, ab.byteOffset, ab.byteLength);
}
function octets(ab) {
  return bytes(parse(ab, import_asn1_schema.OctetString).buffer);
}
function algTlv(alg) {
  const b = new Uint8Array(import_asn1_schema.AsnConvert.serialize(alg));
  return { b, t: readTlv(b, 0, b.length) };
}
function pkcs12HasKey(b) {
  try {
    const pfx = parse(b, import_asn1_pfx.PFX);
    if (pfx.authSafe.contentType !== OID.data) return false;
    for (const ci of parse(octets(pfx.authSafe.content), import_asn1_pfx.AuthenticatedSafe)) {
      if (ci.contentType !== OID.data) continue;
      for (const bag of parse(octets(ci.content), import_asn1_pfx.SafeContents)) {
        if (bag.bagId === OID.keyBag || bag.bagId === OID.shroudedKeyBag) return true;
      }
    }
  } catch {
    return false;
  }
  return false;
}
function readPkcs12(b, file, password) {
  return runKdfSync(pkcs12Steps(b, file, password));
}
function readPkcs12Async(b, file, password, signal) {
  return runKdfAsync(pkcs12Steps(b, file, password), signal).catch((e) => {
    if (!(e instanceof DeadlineError)) throw e;
    throw new DeadlineError(
      e.reason,
      `${file}: the PKCS#12 key derivation was stopped: ${e.message} (a keystore that asks for this much work is suspect; real ones open in milliseconds)`,
      e.timeoutMs
    );
  });
}
function limitError(file, e) {
  return new ParseError("limit", file, e.message);
}
function* pkcs12Steps(b, file, password) {
  const budget = new KdfBudget();
  let pfx;
  try {
    pfx = parse(b, import_asn1_pfx.PFX);
  } catch (e) {
    throw new ParseError(
      "pkcs12",
      file,
      `not a readable PKCS#12 file (expected PFX: version 3, authSafe, macData)${why(e)}`
    );
  }
  if (pfx.version !== 3)
    throw new ParseError("pkcs12", file, `unsupported PKCS#12 version ${pfx.version} (expected 3)`);
  if (pfx.authSafe.contentType !== OID.data) {
    throw new ParseError(
      "unsupported",
      file,
      "PKCS#12 in public-key integrity mode (signedData) is not supported"
    );
  }
  const warnings = [];
  let authSafeBytes;
  try {
    authSafeBytes = octets(pfx.authSafe.content);
  } catch {
    throw new ParseError("pkcs12", file, "PKCS#12 authSafe is not an OCTET STRING");
  }
  const { pw, verified } = yield* choosePassword(pfx, authSafeBytes, file, password, warnings, budget);
  const out = { certs: [], privateKeyEntries: 0, warnings };
  let safe;
  try {
    safe = parse(authSafeBytes, import_asn1_pfx.AuthenticatedSafe);
  } catch (e) {
    throw new ParseError("pkcs12", file, `PKCS#12 AuthenticatedSafe is malformed${why(e)}`);
  }
  let undecryptable = 0;
  for (const ci of safe) {
    if (ci.contentType === OID.data) {
      let plain;
      try {
        plain = octets(ci.content);
      } catch {
        throw new ParseError("pkcs12", file, "PKCS#12 data content is not an OCTET STRING");
      }
      readBags(parseSafeContents(plain, file), out, file, 0);
    } else if (ci.contentType === OID.encryptedData) {
      let plain;
      try {
        const eci = encryptedContentInfo(ci.content);
        const enc = eci.encryptedContent;
        const data = enc?.value ? bytes(enc.value.buffer) : Buffer.concat((enc?.constructedValue ?? []).map((o) => bytes(o.buffer)));
        const alg = algTlv(eci.contentEncryptionAlgorithm);
        try {
          plain = yield* pbeDecrypt(alg.b, alg.t, data, pw, budget);
        } catch (e) {
          if (e instanceof PbeError && e.kind === "limit") throw limitError(file, e);
          if (e instanceof PbeError && e.kind === "unsupported") {
            throw new ParseError(
              "unsupported",
              file,
              `certificates are encrypted with ${pbeName(alg.b, alg.t)}, which is not supported (${e.message})`
            );
          }
          if (e instanceof PbeError && e.kind === "password")
            throw verified ? new ParseError(
              "pkcs12",
              file,
              "encrypted PKCS#12 content does not decrypt although the integrity MAC confirms the password (a damaged file)"
            ) : wrongPassword(file, password);
          throw e;
        }
      } catch (e) {
        if (e instanceof ParseError) throw e;
        throw new ParseError(
          "pkcs12",
          file,
          `encrypted PKCS#12 content is malformed (${e instanceof PbeError ? e.message : "unreadable EncryptedData"})`
        );
      }
      let contents;
      try {
        contents = parse(plain, import_asn1_pfx.SafeContents);
      } catch (e) {
        if (verified || oneDerSequence(plain))
          throw new ParseError("pkcs12", file, `decrypted PKCS#12 SafeContents is malformed${why(e)}`);
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
      `${out.privateKeyEntries} private key entr${out.privateKeyEntries === 1 ? "y" : "ies"} ignored`
    );
  return out;
}
function wrongPassword(file, password) {
  return password === void 0 ? new ParseError(
    "password",
    file,
    "this PKCS#12 file needs a password: set passwordEnv to the environment variable that holds it"
  ) : new ParseError(
    "password",
    file,
    "wrong password (or a damaged file): the password from the configured environment variable does not open this PKCS#12 file"
  );
}
function oneDerSequence(b) {
  try {
    return b[0] === TAG.SEQUENCE && readTlv(b, 0, b.length).end === b.length;
  } catch {
    return false;
  }
}
function* choosePassword(pfx, authSafe, file, password, warnings, budget) {
  const candidates = password === void 0 ? [""] : [password];
  const md = pfx.macData?.mac?.digestAlgorithm?.algorithm ? pfx.macData : null;
  if (!md) {
    warnings.push("PKCS#12 file has no integrity MAC: its contents are not authenticated");
    return { pw: candidates[0], verified: false };
  }
  const expected = bytes(md.mac.digest.buffer);
  const algOid = md.mac.digestAlgorithm.algorithm;
  for (const pw of candidates) {
    const variants = pw === "" ? [bmpPassword(""), Buffer.alloc(0)] : [bmpPassword(pw)];
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
          Number(md.iterations ?? 1),
          // asn1-schema hands large INTEGERs over as strings
          budget
        );
        if (hmacEquals(hash, key, authSafe, expected)) return { pw, verified: true };
      }
    } catch (e) {
      if (e instanceof PbeError && e.kind === "limit") throw limitError(file, e);
      if (e instanceof PbeError && e.kind !== "password")
        throw new ParseError("unsupported", file, `PKCS#12 integrity check cannot run: ${e.message}`);
      throw e;
    }
  }
  throw wrongPassword(file, password);
}
function parseSafeContents(b, file) {
  try {
    return parse(b, import_asn1_pfx.SafeContents);
  } catch (e) {
    throw new ParseError("pkcs12", file, `PKCS#12 SafeContents is malformed${why(e)}`);
  }
}
function readBags(bags, out, file, depth) {
  for (const bag of bags) {
    switch (bag.bagId) {
      case OID.keyBag:
      case OID.shroudedKeyBag:
        out.privateKeyEntries++;
        break;
      case OID.certBag: {
        let cb;
        try {
          cb = parse(bag.bagValue, import_asn1_pfx.CertBag);
        } catch {
          throw new ParseError("pkcs12", file, "PKCS#12 certificate bag is malformed");
        }
        if (cb.certId !== OID.x509Certificate) {
          out.warnings.push(`skipped a non-X.509 certificate bag (${cb.certId})`);
          break;
        }
        let der;
        try {
          der = octets(cb.certValue);
        } catch {
          throw new ParseError("pkcs12", file, "PKCS#12 certificate bag does not hold an OCTET STRING");
        }
        out.certs.push({ der, alias: friendlyName(bag) });
        break;
      }
      case OID.safeContentsBag:
        if (depth > 4) throw new ParseError("pkcs12", file, "PKCS#12 safe contents nested too deeply");
        readBags(parseSafeContents(bag.bagValue, file), out, file, depth + 1);
        break;
      case OID.crlBag:
        out.warnings.push("skipped a CRL bag");
        break;
      case OID.secretBag:
        out.warnings.push("skipped a secret bag");
        break;
      default:
        out.warnings.push(`skipped an unknown bag type ${bag.bagId}`);
    }
  }
}
function friendlyName(bag) {
  for (const a of bag.bagAttributes ?? []) {
    if (a.attrId !== OID.friendlyName || !a.attrValues[0]) continue;
    const b = bytes(a.attrValues[0]);
    try {
      const t = readTlv(b, 0, b.length);
      if (t.tag !== 30 || (t.end - t.body) % 2) return null;
      const s = Buffer.from(b.subarray(t.body, t.end));
      s.swap16();
      return s.toString("utf16le");
    } catch {
      return null;
    }
  }
  return null;
}

// src/x509/stores/jks.ts
import { createHash } from "node:crypto";
var JKS_MAGIC = 4277010157;
var JCEKS_MAGIC = 3469659854;
function looksLikeJks(b) {
  if (b.length < 4) return false;
  const m = (b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]) >>> 0;
  return m === JKS_MAGIC || m === JCEKS_MAGIC;
}
var Reader = class {
  constructor(b, file, limit) {
    this.b = b;
    this.file = file;
    this.limit = limit;
  }
  b;
  file;
  limit;
  pos = 0;
  need(n, what) {
    if (n < 0 || this.pos + n > this.limit)
      throw new ParseError(
        "jks",
        this.file,
        `truncated keystore: ${what} at byte ${this.pos} runs past the end`
      );
  }
  u16(what) {
    this.need(2, what);
    const v = this.b.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  u32(what) {
    this.need(4, what);
    const v = this.b.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  skip(n, what) {
    this.need(n, what);
    this.pos += n;
  }
  bytes(n, what) {
    this.need(n, what);
    const v = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
  /** Java's modified UTF-8 (DataOutput.writeUTF). */
  utf(what) {
    const n = this.u16(what);
    const raw = this.bytes(n, what);
    let s = "";
    for (let i = 0; i < raw.length; ) {
      const c = raw[i];
      if (c < 128) {
        s += String.fromCharCode(c);
        i++;
      } else if ((c & 224) === 192 && i + 1 < raw.length) {
        s += String.fromCharCode((c & 31) << 6 | raw[i + 1] & 63);
        i += 2;
      } else if ((c & 240) === 224 && i + 2 < raw.length) {
        s += String.fromCharCode((c & 15) << 12 | (raw[i + 1] & 63) << 6 | raw[i + 2] & 63);
        i += 3;
      } else {
        s += "\uFFFD";
        i++;
      }
    }
    return s;
  }
};
function jksHasKey(b) {
  try {
    return readJks(b, "keystore").privateKeyEntries > 0;
  } catch (e) {
    return e instanceof ParseError && /secret key entr/.test(e.message);
  }
}
function readJks(bytes2, file, password) {
  const b = Buffer.from(bytes2.buffer, bytes2.byteOffset, bytes2.byteLength);
  if (!looksLikeJks(b))
    throw new ParseError("jks", file, "not a Java keystore (expected magic FEEDFEED or CECECECE)");
  if (b.length < 12 + 20)
    throw new ParseError("jks", file, "truncated keystore (shorter than header and digest)");
  const bodyEnd = b.length - 20;
  const r = new Reader(b, file, bodyEnd);
  const magic = r.u32("magic");
  const version = r.u32("version");
  if (version !== 1 && version !== 2)
    throw new ParseError("jks", file, `unsupported keystore version ${version} (expected 1 or 2)`);
  const count = r.u32("entry count");
  const out = { certs: [], privateKeyEntries: 0, warnings: [] };
  const readCert = (what) => {
    if (version === 2) {
      const type = r.utf(`${what} certificate type`);
      if (type !== "X.509")
        throw new ParseError("jks", file, `${what}: unsupported certificate type "${type.slice(0, 32)}"`);
    }
    const len = r.u32(`${what} certificate length`);
    return r.bytes(len, `${what} certificate`);
  };
  for (let i = 0; i < count; i++) {
    if (r.pos >= bodyEnd)
      throw new ParseError("jks", file, `keystore declares ${count} entries but ends after ${i}`);
    const tag = r.u32(`entry ${i} tag`);
    const alias = r.utf(`entry ${i} alias`);
    r.skip(8, `entry ${i} timestamp`);
    const what = `entry ${i} (alias "${printable(alias)}")`;
    if (tag === 1) {
      out.privateKeyEntries++;
      r.skip(r.u32(`${what} key length`), `${what} key`);
      const n = r.u32(`${what} chain length`);
      if (n > 100) throw new ParseError("jks", file, `${what}: implausible chain length ${n}`);
      for (let k = 0; k < n; k++)
        out.certs.push({ der: readCert(what), alias: k === 0 ? alias : `${alias}[${k}]` });
    } else if (tag === 2) {
      out.certs.push({ der: readCert(what), alias });
    } else if (tag === 3 && magic === JCEKS_MAGIC) {
      throw new ParseError(
        "unsupported",
        file,
        `${what} is a JCEKS secret key entry; keystores with secret key entries are not supported`
      );
    } else {
      throw new ParseError("jks", file, `${what}: unknown entry tag ${tag}`);
    }
  }
  if (r.pos !== bodyEnd)
    throw new ParseError("jks", file, `unexpected ${bodyEnd - r.pos} bytes before the integrity digest`);
  if (password === void 0) {
    out.warnings.push("keystore integrity not verified (no password given)");
  } else {
    const pw = Buffer.alloc(password.length * 2);
    for (let i = 0; i < password.length; i++) pw.writeUInt16BE(password.charCodeAt(i), i * 2);
    const digest = createHash("sha1").update(pw).update("Mighty Aphrodite", "utf8").update(b.subarray(0, bodyEnd)).digest();
    if (!digest.equals(b.subarray(bodyEnd))) {
      throw new ParseError(
        "password",
        file,
        "wrong password (or a tampered keystore): the password from the configured environment variable does not match the keystore integrity digest"
      );
    }
  }
  if (out.privateKeyEntries)
    out.warnings.push(
      `${out.privateKeyEntries} private key entr${out.privateKeyEntries === 1 ? "y" : "ies"} ignored`
    );
  return out;
}
function printable(s) {
  return s.replace(/[^\x20-\x7e]/g, "?").slice(0, 64);
}

// src/x509/read.ts
var PRIVATE_KEY_MESSAGE = "contains a private key (refused; its contents are not shown)";
var ONLY_KEY_MESSAGE = "holds a private key and no certificate (refused; its contents are not shown)";
var CERT_LABELS = /* @__PURE__ */ new Set(["CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE"]);
var PKCS7_LABELS = /* @__PURE__ */ new Set(["PKCS7", "PKCS #7 SIGNED DATA", "CMS"]);
function readCertificates(bytes2, opts) {
  const file = opts.file;
  const format = formatOf(bytes2, opts);
  const name = basename(file);
  switch (format) {
    case "pem":
      return readPem(bytes2, file, name, opts.privateKeys === "skip");
    case "der":
      return readDer(bytes2, file, name);
    case "pkcs12":
      checkPkcs12(bytes2, file);
      return fromStore(readPkcs12(bytes2, file, opts.password), "pkcs12", file, name);
    case "jks":
      if (!looksLikeJks(bytes2) && looksLikePkcs12(bytes2))
        throw new ParseError(
          "jks",
          file,
          "this is a PKCS#12 keystore, not JKS (keytool writes PKCS#12 since JDK 9): use format: pkcs12"
        );
      return fromStore(readJks(bytes2, file, opts.password), "jks", file, name);
    default:
      throw new ParseError(
        "unsupported",
        file,
        `unknown format "${String(format)}" (expected auto, pem, der, pkcs12 or jks)`
      );
  }
}
async function readCertificatesAsync(bytes2, opts) {
  if (formatOf(bytes2, opts) !== "pkcs12") return readCertificates(bytes2, opts);
  checkPkcs12(bytes2, opts.file);
  const store = await readPkcs12Async(bytes2, opts.file, opts.password, opts.signal);
  return fromStore(store, "pkcs12", opts.file, basename(opts.file));
}
function formatOf(bytes2, opts) {
  if (bytes2.length === 0) throw new ParseError("empty", opts.file, "file is empty");
  return opts.format && opts.format !== "auto" ? opts.format : detectFormat(bytes2, opts.file);
}
function checkPkcs12(bytes2, file) {
  if (looksLikeJks(bytes2))
    throw new ParseError("pkcs12", file, "this is a Java keystore (JKS), not PKCS#12: use format: jks");
  if (!looksLikePkcs12(bytes2))
    throw new ParseError("pkcs12", file, "not a PKCS#12 file (expected a PFX SEQUENCE with version 3)");
}
function isText(bytes2) {
  const head = Buffer.from(bytes2.buffer, bytes2.byteOffset, Math.min(bytes2.length, 65536)).toString("latin1");
  return head.includes("-----BEGIN ") || head.includes("PuTTY-User-Key-File-");
}
function spansOneElement(bytes2) {
  try {
    return readTlv(bytes2, 0, bytes2.length).end === bytes2.length;
  } catch {
    return false;
  }
}
function detectFormat(bytes2, file) {
  if (looksLikeJks(bytes2)) return "jks";
  if (bytes2[0] === 48) {
    if (looksLikePkcs12(bytes2)) return "pkcs12";
    if (spansOneElement(bytes2) || !isText(bytes2)) return "der";
  }
  if (isText(bytes2)) return "pem";
  const text = Buffer.from(bytes2.subarray(0, 4096)).toString("latin1");
  if (/^(ssh-|ecdsa-sha2-)/.test(text))
    throw new ParseError("unsupported", file, "an SSH public key, not an X.509 certificate");
  if (hasPrivateKeyMarker(text)) throw new ParseError("private-key", file, PRIVATE_KEY_MESSAGE);
  throw new ParseError("der", file, "not a certificate file (expected PEM, DER, PKCS#12 or JKS)");
}
function certError(e, file, where) {
  if (e instanceof ParseError) {
    const msg = e.message.startsWith(`${e.file}: `) ? e.message.slice(e.file.length + 2) : e.message;
    throw new ParseError(e.kind, file, `${where}: ${msg}`);
  }
  throw e;
}
function readPem(bytes2, file, name, skipKeys) {
  const text = Buffer.from(bytes2.buffer, bytes2.byteOffset, bytes2.byteLength).toString("latin1");
  const keyMarker = hasPrivateKeyMarker(text);
  if (keyMarker && !skipKeys) throw new ParseError("private-key", file, PRIVATE_KEY_MESSAGE);
  const blocks = pemBlocks(text, file);
  if (blocks.length === 0) {
    if (keyMarker) throw new ParseError("private-key", file, ONLY_KEY_MESSAGE);
    throw new ParseError("pem", file, "no PEM block found (expected -----BEGIN CERTIFICATE-----)");
  }
  const out = { certificates: [], format: "pem", warnings: [] };
  let skippedKeys = 0;
  const keyBlock = (blk) => {
    if (!skipKeys) throw new ParseError("private-key", file, PRIVATE_KEY_MESSAGE);
    skippedKeys++;
    out.warnings.push(
      `skipped a private key block ("${safeLabel(blk.label)}") at line ${blk.line} unread; only certificates are read`
    );
  };
  for (const blk of blocks) {
    if (PRIVATE_KEY_LABEL.test(blk.label)) {
      keyBlock(blk);
      continue;
    }
    if (CERT_LABELS.has(blk.label)) {
      const origin = `${name}[${out.certificates.length}]`;
      let record;
      try {
        record = parseCertificate(blk.der, origin);
      } catch (e) {
        if (looksLikePrivateKeyDer(blk.der)) {
          keyBlock(blk);
          continue;
        }
        certError(e, file, `line ${blk.line} (${origin})`);
      }
      out.certificates.push({ origin, record });
    } else if (PKCS7_LABELS.has(blk.label)) {
      for (const der of pkcs7Certificates(blk.der, file, `line ${blk.line}`)) {
        const origin = `${name}[${out.certificates.length}]`;
        try {
          out.certificates.push({ origin, record: parseCertificate(der, origin) });
        } catch (e) {
          certError(e, file, `line ${blk.line} (${origin})`);
        }
      }
    } else if (looksLikePrivateKeyDer(blk.der)) {
      keyBlock(blk);
    } else {
      out.warnings.push(`skipped a "${safeLabel(blk.label)}" block at line ${blk.line} (not a certificate)`);
    }
  }
  if ((skippedKeys > 0 || keyMarker) && out.certificates.length === 0)
    throw new ParseError("private-key", file, ONLY_KEY_MESSAGE);
  return out;
}
function safeLabel(label) {
  return label.replace(/[^\x20-\x7e]/g, "?");
}
function readDer(bytes2, file, name) {
  if (looksLikePrivateKeyDer(bytes2)) throw new ParseError("private-key", file, PRIVATE_KEY_MESSAGE);
  const out = { certificates: [], format: "der", warnings: [] };
  const p7 = pkcs7Certificates(bytes2, file, "PKCS#7", true);
  const ders = [];
  if (p7.length) ders.push(...p7);
  else {
    let p = 0;
    while (p < bytes2.length) {
      let end;
      try {
        end = readTlv(bytes2, p, bytes2.length).end;
      } catch (e) {
        if (p === 0) throw new ParseError("der", file, `not DER (${e.message})`);
        out.warnings.push(`ignored ${bytes2.length - p} trailing bytes after certificate ${ders.length}`);
        break;
      }
      ders.push(bytes2.subarray(p, end));
      p = end;
    }
  }
  for (const der of ders) {
    const origin = `${name}[${out.certificates.length}]`;
    try {
      out.certificates.push({ origin, record: parseCertificate(der, origin) });
    } catch (e) {
      certError(e, file, origin);
    }
  }
  return out;
}
function fromStore(s, format, file, name) {
  const out = { certificates: [], format, warnings: s.warnings };
  for (const c of s.certs) {
    const origin = c.alias !== null ? `alias:${stripControls(c.alias)}` : `${name}[${out.certificates.length}]`;
    try {
      out.certificates.push({ origin, record: parseCertificate(c.der, origin) });
    } catch (e) {
      certError(e, file, origin);
    }
  }
  return out;
}
function stripControls(s) {
  let out = "";
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    out += c < 32 || c === 127 ? "?" : ch;
  }
  return out;
}
function pkcs7Certificates(b, file, where, quiet = false) {
  try {
    const ci = expectTlv(b, 0, b.length, TAG.SEQUENCE, "ContentInfo");
    const oidT = expectTlv(b, ci.body, ci.end, TAG.OID, "contentType");
    if (oidAt(b, oidT) !== "1.2.840.113549.1.7.2") {
      if (quiet) return [];
      throw new Error("not SignedData");
    }
    const explicit = readTlv(b, oidT.end, ci.end);
    const sd = expectTlv(b, explicit.body, explicit.end, TAG.SEQUENCE, "SignedData");
    const out = [];
    for (const c of children(b, sd)) {
      if (isContext(c, 0) && c.tag === 160) {
        for (const cert of children(b, c))
          if (cert.tag === TAG.SEQUENCE) out.push(b.subarray(cert.start, cert.end));
      }
    }
    return out;
  } catch (e) {
    if (quiet) return [];
    throw new ParseError("der", file, `${where}: unreadable PKCS#7 SignedData (${e.message})`);
  }
}
function looksLikePrivateKeyDer(b) {
  if (b.length < 8 || b[0] !== TAG.SEQUENCE) return false;
  try {
    const top = readTlv(b, 0, b.length);
    const c = children(b, top);
    if (c.length < 2) return false;
    const [a, s] = c;
    const v = a.tag === TAG.INTEGER ? smallInteger(b, a) : null;
    if ((v === 0 || v === 1) && s.tag === TAG.SEQUENCE && c[2]?.tag === TAG.OCTET_STRING) return true;
    if (c.length === 2 && a.tag === TAG.SEQUENCE && s.tag === TAG.OCTET_STRING && b[a.body] === TAG.OID)
      return true;
    if (v === 1 && s.tag === TAG.OCTET_STRING) return true;
    if (v === 0 && c.length >= 6 && c.every((x) => x.tag === TAG.INTEGER)) return true;
  } catch {
    return false;
  }
  return false;
}
function containsPrivateKey(bytes2) {
  if (bytes2.length === 0) return false;
  if (looksLikeJks(bytes2)) return jksHasKey(bytes2);
  if (bytes2[0] === 48) {
    if (looksLikePrivateKeyDer(bytes2)) return true;
    return looksLikePkcs12(bytes2) && pkcs12HasKey(bytes2);
  }
  const text = Buffer.from(bytes2.buffer, bytes2.byteOffset, bytes2.byteLength).toString("latin1");
  if (hasPrivateKeyMarker(text)) return true;
  if (!text.includes("-----BEGIN ")) return false;
  try {
    return pemBlocks(text).some((blk) => looksLikePrivateKeyDer(blk.der));
  } catch {
    return false;
  }
}
var MAX_CERTIFICATE_FILE_BYTES = FILE_KINDS.certificate.maxBytes;
function readCertificateFileSync(path, max = MAX_CERTIFICATE_FILE_BYTES) {
  return safeReadSync(path, { kind: "certificate", maxBytes: max });
}
function readCertificateFile(path, opts) {
  return safeRead(path, { kind: "certificate", ...opts });
}

export {
  readCertificates,
  readCertificatesAsync,
  containsPrivateKey,
  readCertificateFileSync,
  readCertificateFile
};
