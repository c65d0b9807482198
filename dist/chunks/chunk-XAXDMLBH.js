import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  require_Reflect,
  require_x509_cjs
} from "./chunk-BXKYJKHU.js";
import {
  toPem
} from "./chunk-I32IJZLF.js";
import {
  EXTENDED_KEY_USAGES,
  KEY_USAGE_BITS
} from "./chunk-HSQZZC7B.js";
import {
  __toESM
} from "./chunk-DDCI7ZLU.js";

// src/x509/issue.ts
var import_reflect_metadata = __toESM(require_Reflect(), 1);
var x509 = __toESM(require_x509_cjs(), 1);
import { createHash, randomBytes, webcrypto } from "node:crypto";
x509.cryptoProvider.set(webcrypto);
var KEY_SPECS = [
  "p256",
  "p384",
  "p521",
  "rsa1024",
  "rsa2048",
  "rsa3072",
  "rsa4096",
  "ed25519"
];
var HASH_NAMES = ["SHA-1", "SHA-256", "SHA-384", "SHA-512"];
var KEY_USAGE_FLAGS = Object.fromEntries(
  KEY_USAGE_BITS.map((name, bit) => [name, 1 << bit])
);
var EKU_OIDS = Object.fromEntries(
  Object.entries(EXTENDED_KEY_USAGES).map(([oid, name]) => [name, oid])
);
var IssueError = class extends Error {
  name = "IssueError";
};
var DAY = 864e5;
var CURVES = { p256: "P-256", p384: "P-384", p521: "P-521" };
function checkSpec(spec) {
  if (!KEY_SPECS.includes(spec))
    throw new IssueError(`unknown key '${spec}' (valid: ${KEY_SPECS.join(", ")})`);
  return spec;
}
function genAlgorithm(spec, hash) {
  if (spec === "ed25519") return { name: "Ed25519" };
  if (spec in CURVES) return { name: "ECDSA", namedCurve: CURVES[spec] };
  const modulusLength = Number(spec.slice(3));
  return { name: "RSASSA-PKCS1-v1_5", modulusLength, publicExponent: new Uint8Array([1, 0, 1]), hash };
}
function signingAlgorithm(key, hash) {
  const name = key.algorithm.name;
  if (name === "Ed25519") return { name };
  if (name === "ECDSA" || name === "RSASSA-PKCS1-v1_5") return { name, hash };
  throw new IssueError(`cannot sign with key algorithm ${name} (valid: ECDSA, Ed25519, RSASSA-PKCS1-v1_5)`);
}
async function generateKeyPair(spec = "p256", hash = "SHA-256") {
  const alg = genAlgorithm(checkSpec(spec), hash);
  return await webcrypto.subtle.generateKey(alg, true, ["sign", "verify"]);
}
function keySpecOf(keys) {
  const alg = keys.privateKey.algorithm;
  if (alg.name === "ECDSA") {
    const found = Object.entries(CURVES).find(([, curve]) => curve === alg.namedCurve);
    if (!found) throw new IssueError(`unsupported curve '${String(alg.namedCurve)}'`);
    return found[0];
  }
  if (alg.name === "Ed25519") return "ed25519";
  return checkSpec(`rsa${alg.modulusLength}`);
}
function defaultHash(spec) {
  return spec === "p384" ? "SHA-384" : spec === "p521" ? "SHA-512" : "SHA-256";
}
function escapeDnValue(v) {
  return v.replace(/([,+"\\<>;=])/g, "\\$1").replace(/^([ #])/, "\\$1").replace(/ $/, "\\ ").replace(
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    /[\u0000-\u001f\u007f]/g,
    (c) => `\\${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`
  );
}
function parseDnString(dn) {
  const rdns = [];
  let i = 0;
  const bad = (what) => {
    throw new IssueError(`subject '${dn}' is not an RFC 4514 name: ${what} at position ${i + 1}`);
  };
  const skipSpaces = () => {
    while (dn[i] === " ") i++;
  };
  skipSpaces();
  while (i < dn.length) {
    const rdn = {};
    for (; ; ) {
      skipSpaces();
      const eq = dn.indexOf("=", i);
      if (eq < 0) bad("expected type=value");
      const type = dn.slice(i, eq).trim();
      if (!/^([A-Za-z][A-Za-z0-9-]*|\d+(\.\d+)+)$/.test(type)) bad(`bad attribute type '${type}'`);
      i = eq + 1;
      let value;
      if (dn[i] === "#") {
        const m = /^#([0-9A-Fa-f]{2})+/.exec(dn.slice(i));
        if (!m) bad("expected hex after #");
        value = m[0];
        i += m[0].length;
      } else {
        const bytes = [];
        let keep = 0;
        const quoted = dn[i] === '"';
        if (quoted) i++;
        for (; i < dn.length; i++) {
          const c = dn[i];
          if (quoted ? c === '"' : c === "," || c === "+" || c === ";") break;
          if (c === "\\") {
            const hex = /^[0-9A-Fa-f]{2}/.exec(dn.slice(i + 1, i + 3));
            if (hex) {
              bytes.push(parseInt(hex[0], 16));
              i += 2;
            } else {
              if (i + 1 >= dn.length) bad("dangling backslash");
              bytes.push(...Buffer.from(dn[++i], "utf8"));
            }
            keep = bytes.length;
            continue;
          }
          const code = dn.codePointAt(i);
          const ch = String.fromCodePoint(code);
          if (ch.length === 2) i++;
          bytes.push(...Buffer.from(ch, "utf8"));
          if (ch !== " " || quoted) keep = bytes.length;
        }
        if (quoted) {
          if (dn[i] !== '"') bad("unterminated quoted value");
          i++;
          skipSpaces();
        }
        const text = Buffer.from(bytes.slice(0, keep)).toString("utf8");
        const upper = type.toUpperCase();
        value = upper === "E" || upper === "DC" || type === "1.2.840.113549.1.9.1" || type === "0.9.2342.19200300.100.1.25" ? { ia5String: text } : x509.Name.isPrintableString(text) ? { printableString: text } : { utf8String: text };
      }
      (rdn[type] ??= []).push(value);
      if (dn[i] === "+") {
        i++;
        continue;
      }
      if (i < dn.length && dn[i] !== "," && dn[i] !== ";") bad("expected , or +");
      i++;
      break;
    }
    rdns.push(rdn);
    skipSpaces();
  }
  if (rdns.length === 0) throw new IssueError("a certificate subject cannot be empty");
  return new x509.Name(rdns);
}
function formatSubject({ cn, o = [], ou = [] }) {
  return [
    `CN=${escapeDnValue(cn)}`,
    ...ou.map((v) => `OU=${escapeDnValue(v)}`),
    ...o.map((v) => `O=${escapeDnValue(v)}`)
  ].join(", ");
}
function sanExtension(dns = [], ips = [], emails = []) {
  const names = [
    ...dns.map((value) => ({ type: "dns", value })),
    ...ips.map((value) => ({ type: "ip", value })),
    ...emails.map((value) => ({ type: "email", value }))
  ];
  return names.length ? [new x509.SubjectAlternativeNameExtension(names, false)] : [];
}
function keyUsageFlags(names) {
  let flags = 0;
  for (const n of names) {
    const f = KEY_USAGE_FLAGS[n];
    if (f === void 0)
      throw new IssueError(`unknown key usage '${n}' (valid: ${Object.keys(KEY_USAGE_FLAGS).join(", ")})`);
    flags |= f;
  }
  return flags;
}
async function issueCertificate(opts) {
  const isCA = opts.ca ?? false;
  const spec = checkSpec(opts.key ?? (opts.keys ? keySpecOf(opts.keys) : "p256"));
  if (opts.hash !== void 0 && !HASH_NAMES.includes(opts.hash))
    throw new IssueError(`unknown hash '${opts.hash}' (valid: ${HASH_NAMES.join(", ")})`);
  const signer = opts.issuer?.keys ?? opts.keys;
  const hash = opts.hash ?? defaultHash(signer ? keySpecOf(signer) : spec);
  if (opts.subject === void 0 && opts.cn === void 0)
    throw new IssueError("a certificate needs `subject` or `cn`");
  const subject = opts.subject ?? formatSubject({ cn: opts.cn, o: opts.o, ou: opts.ou });
  const keyUsage = opts.keyUsage !== void 0 ? opts.keyUsage : isCA ? ["keyCertSign", "cRLSign", "digitalSignature"] : ["digitalSignature", ...spec.startsWith("rsa") ? ["keyEncipherment"] : []];
  const kuFlags = keyUsage && keyUsageFlags(keyUsage);
  const keys = opts.keys ?? await generateKeyPair(spec, hash);
  const notBefore = opts.notBefore ?? new Date((opts.now ?? /* @__PURE__ */ new Date()).getTime() - DAY);
  const notAfter = opts.notAfter ?? new Date(notBefore.getTime() + (opts.days ?? (isCA ? 3650 : 365)) * DAY);
  const extensions = [];
  if (opts.basicConstraints !== false)
    extensions.push(new x509.BasicConstraintsExtension(isCA, isCA ? opts.pathLen : void 0, true));
  if (kuFlags !== null) extensions.push(new x509.KeyUsagesExtension(kuFlags, true));
  if (opts.eku?.length)
    extensions.push(
      new x509.ExtendedKeyUsageExtension(
        opts.eku.map((e) => EKU_OIDS[e] ?? e),
        false
      )
    );
  extensions.push(...sanExtension(opts.dns, opts.ips, opts.emails));
  if (!opts.noKeyIds) {
    extensions.push(await x509.SubjectKeyIdentifierExtension.create(keys.publicKey));
    if (opts.issuer) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(opts.issuer.cert));
  }
  extensions.push(...opts.extensions ?? []);
  const subjectName = parseDnString(subject);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: opts.serial ?? "01" + randomBytes(15).toString("hex"),
    subject: subjectName,
    // The issuer's name as encoded (its string form would be re-parsed, and could differ).
    issuer: opts.issuer ? opts.issuer.cert.subjectName : subjectName,
    notBefore,
    notAfter,
    signingAlgorithm: signingAlgorithm((signer ?? keys).privateKey, hash),
    publicKey: keys.publicKey,
    signingKey: (signer ?? keys).privateKey,
    extensions
  });
  const der = Buffer.from(cert.rawData);
  const pkcs8 = new Uint8Array(await webcrypto.subtle.exportKey("pkcs8", keys.privateKey));
  return {
    cert,
    keys,
    der,
    pem: toPem(der, "CERTIFICATE"),
    keyPem: toPem(pkcs8, "PRIVATE KEY"),
    sha256: createHash("sha256").update(der).digest("hex"),
    subject: cert.subject
  };
}
async function createCsr(opts) {
  const req = await x509.Pkcs10CertificateRequestGenerator.create({
    name: parseDnString(opts.subject),
    keys: opts.keys,
    signingAlgorithm: signingAlgorithm(opts.keys.privateKey, opts.hash ?? "SHA-256"),
    extensions: sanExtension(opts.dns, opts.ips, opts.emails)
  });
  return req.toString("pem");
}

export {
  KEY_SPECS,
  IssueError,
  generateKeyPair,
  formatSubject,
  issueCertificate,
  createCsr
};
