import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  decodeCertificate,
  factsOf,
  rememberFacts
} from "./chunk-HSQZZC7B.js";

// src/x509/verify/facts.ts
import { createHash } from "node:crypto";
var cache = /* @__PURE__ */ new Map();
var CACHE_MAX = 5e3;
function factsFor(record) {
  const own = factsOf(record);
  if (own) return own;
  const der = Buffer.from(record.der, "base64");
  const sha256 = createHash("sha256").update(der).digest("hex");
  let f = cache.get(sha256);
  if (!f) {
    f = decodeCertificate(der, { sha256 }).facts;
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value);
    cache.set(sha256, f);
  }
  rememberFacts(record, f);
  return f;
}

// src/x509/verify/signature.ts
import { constants, verify as cryptoVerify } from "node:crypto";
function signatureValid(child, issuer) {
  const key = issuer.spki.key;
  if (!key || child.fatal) return false;
  return verifySignature(child.sigScheme, child.tbs, child.signature, key);
}
function verifySignature(s, data, signature, key) {
  try {
    switch (s.kind) {
      case "rsa":
      case "dsa":
        return cryptoVerify(s.hash, data, key, signature);
      case "rsa-pss":
        return cryptoVerify(
          s.hash,
          data,
          { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: s.saltLength ?? 20 },
          signature
        );
      case "ecdsa":
        return key.asymmetricKeyType === "ec" && cryptoVerify(s.hash, data, { key, dsaEncoding: "der" }, signature);
      case "ed25519":
      case "ed448":
        return key.asymmetricKeyType === s.kind && cryptoVerify(null, data, key, signature);
      default:
        return false;
    }
  } catch {
    return false;
  }
}
function issuance(child, issuer) {
  const c = factsFor(child);
  const i = factsFor(issuer);
  if (c.fatal || i.fatal) return "undecodable";
  if (c.issuer.key !== i.subject.key) return "other-issuer";
  return signatureValid(c, i) ? "issued" : "bad-signature";
}
function issuedBy(child, issuer) {
  return issuance(child, issuer) === "issued";
}

export {
  factsFor,
  signatureValid,
  verifySignature,
  issuance,
  issuedBy
};
