import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  createCsr,
  formatSubject,
  generateKeyPair
} from "./chunk-XAXDMLBH.js";
import "./chunk-BXKYJKHU.js";
import {
  KubeApiError
} from "./chunk-OSFZSLBO.js";
import {
  silentLogger
} from "./chunk-OS4GY4HV.js";
import "./chunk-HNLBEK77.js";
import {
  safeText
} from "./chunk-NRN5HDCZ.js";
import "./chunk-O6SZIQSQ.js";
import "./chunk-LOAWET6W.js";
import {
  pemBlocks,
  toPem
} from "./chunk-I32IJZLF.js";
import {
  canonicalIp,
  children,
  parseCertificate,
  readTlv
} from "./chunk-HSQZZC7B.js";
import "./chunk-UHECHRFN.js";
import "./chunk-WW3ZWNRQ.js";
import "./chunk-DDCI7ZLU.js";

// src/renewal/apply.ts
import { createPrivateKey, createPublicKey as createPublicKey2, webcrypto as webcrypto2, X509Certificate as X509Certificate2 } from "node:crypto";

// src/renewal/apply-checks.ts
import { createPublicKey, webcrypto, X509Certificate } from "node:crypto";
var ApplyFailure = class extends Error {
};
var SKEW_MS = 5 * 6e4;
var NODE_CURVES = { prime256v1: "P-256", secp384r1: "P-384", secp521r1: "P-521" };
function keySpecFor(req) {
  const k = req.spec.key;
  if (k.type === "Ed25519") return "ed25519";
  if (k.type === "EC") {
    const curve = k.curve ?? "P-256";
    return { "P-256": "p256", "P-384": "p384", "P-521": "p521" }[curve];
  }
  const bits = k.bits ?? 2048;
  if (![2048, 3072, 4096].includes(bits))
    throw new ApplyFailure(`spec.key.bits ${bits} is not supported for RSA (expected 2048, 3072 or 4096)`);
  return `rsa${bits}`;
}
function spkiOf(k) {
  return k.export({ type: "spki", format: "der" });
}
async function importKeyPair(priv) {
  const type = priv.asymmetricKeyType;
  const alg = type === "rsa" ? { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } : type === "ec" ? { name: "ECDSA", namedCurve: NODE_CURVES[priv.asymmetricKeyDetails?.namedCurve ?? ""] ?? "" } : type === "ed25519" ? { name: "Ed25519" } : null;
  if (!alg || "namedCurve" in alg && !alg.namedCurve)
    throw new ApplyFailure(
      `the staged key's type (${safeText(String(type))}) cannot sign a certificate request`
    );
  const pkcs8 = priv.export({ type: "pkcs8", format: "der" });
  try {
    const privateKey = await webcrypto.subtle.importKey("pkcs8", pkcs8, alg, false, ["sign"]);
    const publicKey = await webcrypto.subtle.importKey("spki", spkiOf(createPublicKey(priv)), alg, true, [
      "verify"
    ]);
    return { privateKey, publicKey };
  } finally {
    pkcs8.fill(0);
  }
}
function readPemCertificates(text, csrName) {
  let blocks;
  try {
    blocks = pemBlocks(text, `CertificateSigningRequest ${csrName} status.certificate`).filter(
      (b) => b.label === "CERTIFICATE"
    );
  } catch (e) {
    throw new ApplyFailure(safeText(e.message).slice(0, 300));
  }
  if (!blocks.length)
    throw new ApplyFailure(`CertificateSigningRequest ${csrName} status.certificate holds no certificate`);
  return blocks;
}
var sameSet = (a, b) => {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every((v) => y.has(v));
};
function namesProblems(req, rec) {
  const p = [];
  const s = req.spec.subject;
  if (rec.subject.CN !== s.CN)
    p.push(`subject CN is '${safeText(rec.subject.CN ?? "")}', requested '${safeText(s.CN)}'`);
  if (!sameSet(rec.subject.O, s.O ?? []))
    p.push(
      `subject O is [${rec.subject.O.map(safeText).join(", ")}], requested [${(s.O ?? []).map(safeText).join(", ")}]`
    );
  if (!sameSet(rec.subject.OU, s.OU ?? []))
    p.push(
      `subject OU is [${rec.subject.OU.map(safeText).join(", ")}], requested [${(s.OU ?? []).map(safeText).join(", ")}]`
    );
  const dns = (req.spec.dnsNames ?? []).map((d) => d.toLowerCase());
  if (!sameSet(
    rec.dnsNames.map((d) => d.toLowerCase()),
    dns
  ))
    p.push(
      `DNS names are [${rec.dnsNames.map(safeText).join(", ")}], requested [${dns.map(safeText).join(", ")}]`
    );
  const ips = (req.spec.ipAddresses ?? []).map((i) => canonicalIp(i) ?? i);
  if (!sameSet(rec.ipAddresses, ips))
    p.push(
      `IP addresses are [${rec.ipAddresses.map(safeText).join(", ")}], requested [${ips.map(safeText).join(", ")}]`
    );
  return p;
}
function certificateProblems(req, rec, der, spki, now) {
  const p = [];
  let certSpki = null;
  try {
    certSpki = spkiOf(new X509Certificate(der).publicKey);
  } catch {
    p.push("its public key cannot be read");
  }
  if (certSpki && !certSpki.equals(spki)) p.push("its public key is not the staged key");
  p.push(...namesProblems(req, rec));
  const nb = Date.parse(rec.notBefore);
  const na = Date.parse(rec.notAfter);
  const t = now.getTime();
  if (!(na > nb)) p.push(`notAfter ${rec.notAfter} is not after notBefore ${rec.notBefore}`);
  if (nb > t + SKEW_MS) p.push(`it is not valid yet (notBefore ${rec.notBefore})`);
  if (na <= t) p.push(`it has already expired (notAfter ${rec.notAfter})`);
  const max = req.spec.expirationSeconds;
  if (max !== void 0 && na > t + max * 1e3 + SKEW_MS)
    p.push(`notAfter ${rec.notAfter} is later than the requested ${max} s`);
  if (rec.isCA) p.push("it is a CA certificate");
  return p;
}
function caOf(der) {
  try {
    const rec = parseCertificate(der, "chain");
    return rec.isCA && rec.selfIssued ? toPem(der) : null;
  } catch {
    return null;
  }
}
function scrub(message) {
  return message.replace(/[A-Za-z0-9+/]{40,}={0,2}/g, (m) => /^[0-9a-f]+$/.test(m) ? m : "[\u2026]");
}

// src/renewal/apply.ts
var PENDING_KEY_DATA = "certwarden.pending-key";
var PENDING_ANNOTATION = "certwarden.dev/pending-request";
var RENEWAL_ANNOTATION = "certwarden.dev/renewal";
var APPLY_STEPS = [
  "read-secret",
  "stage-key",
  "create-csr",
  "approve",
  "wait",
  "check",
  "write-secret"
];
var ApplyCrash = class extends Error {
  step;
  constructor(step) {
    super(`simulated crash after step ${step}`);
    this.name = "ApplyCrash";
    this.step = step;
  }
};
var DEFAULT_WAIT_MS = 12e4;
var DEFAULT_POLL_MS = 1e3;
function csrNameFor(req) {
  const target = req.metadata.target.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/-+/g, "-").replace(/^-|-$/g, "").slice(0, 200) || "target";
  const id = req.metadata.id.toLowerCase().replace(/[^a-z0-9]/g, "").slice(0, 10);
  return `certwarden-${target}-${id || "request"}`.replace(/-+$/, "");
}
async function applyRenewal(req, deps) {
  const csrName = csrNameFor(req);
  try {
    return await run(req, deps, csrName);
  } catch (e) {
    if (e instanceof ApplyCrash) throw e;
    const message = e instanceof ApplyFailure ? e.message : e instanceof KubeApiError ? `Kubernetes API: ${e.message}` : `unexpected error: ${safeText(String(e?.message ?? e)).slice(0, 300)}`;
    const out = { state: "failed", csrName, message: scrub(message) };
    (deps.logger ?? silentLogger).warn(`renew ${safeText(req.metadata.target)}: failed: ${out.message}`);
    return out;
  }
}
async function done(r, step) {
  r.log.debug(`${r.label}: step ${step} done`);
  await r.deps.onStep?.(step);
  if (r.deps.crashAfter === step) throw new ApplyCrash(step);
}
async function stagedKey(r, secret) {
  const reused = pendingKey(secret, r.req);
  if (reused) {
    r.log.info(`${r.label}: reusing the key staged in ${r.where}`);
    return { secret, keyPem: reused };
  }
  const fresh = await generateKeyPair(keySpecFor(r.req), "SHA-256");
  const pkcs8 = new Uint8Array(await webcrypto2.subtle.exportKey("pkcs8", fresh.privateKey));
  const keyPem = toPem(pkcs8, "PRIVATE KEY");
  pkcs8.fill(0);
  const staged = await stageKey(r.kube, r.req, secret, keyPem);
  r.log.info(`${r.label}: staged a new ${r.req.spec.key.type} key in ${r.where}`);
  return staged;
}
async function ensureCsr(r, privateKey, spki) {
  const { kube, req, csrName, label } = r;
  let csr = await kube.getCsr(csrName);
  if (csr && !csrFits(csr, req, spki)) {
    r.log.warn(`${label}: CertificateSigningRequest ${csrName} is for another key or signer; replacing it`);
    await kube.deleteCsr(csrName);
    csr = null;
  }
  if (csr) {
    r.log.info(`${label}: reusing CertificateSigningRequest ${csrName}`);
    return csr;
  }
  const keys = await importKeyPair(privateKey);
  const pem = await createCsr({
    subject: formatSubject({ cn: req.spec.subject.CN, o: req.spec.subject.O, ou: req.spec.subject.OU }),
    keys,
    dns: req.spec.dnsNames,
    ips: req.spec.ipAddresses
  });
  try {
    csr = await kube.createCsr({
      metadata: {
        name: csrName,
        labels: { "app.kubernetes.io/managed-by": "certwarden" },
        annotations: {
          "certwarden.dev/target": req.metadata.target,
          "certwarden.dev/request": req.metadata.id
        }
      },
      spec: {
        request: Buffer.from(pem).toString("base64"),
        signerName: req.spec.signerName,
        usages: req.spec.usages,
        ...req.spec.expirationSeconds !== void 0 ? { expirationSeconds: req.spec.expirationSeconds } : {}
      }
    });
    r.log.info(
      `${label}: created CertificateSigningRequest ${csrName} for signer ${safeText(req.spec.signerName)}`
    );
    return csr;
  } catch (e) {
    if (!(e instanceof KubeApiError && e.status === 409)) throw e;
    const theirs = await kube.getCsr(csrName);
    if (!theirs || !csrFits(theirs, req, spki))
      throw new ApplyFailure(`CertificateSigningRequest ${csrName} exists for another key; re-run renew`);
    return theirs;
  }
}
async function approve(r, csr) {
  refuseEnded(csr, r.csrName);
  if (condition(csr, "Approved")) return csr;
  const approved = await r.kube.approveCsr(r.csrName, r.deps.approvalMessage);
  refuseEnded(approved, r.csrName);
  r.log.info(`${r.label}: approved CertificateSigningRequest ${r.csrName}`);
  return approved;
}
async function waitForCertificate(r, csr) {
  const { csrName } = r;
  const waitMs = r.deps.waitTimeoutMs ?? DEFAULT_WAIT_MS;
  const pollMs = r.deps.pollMs ?? DEFAULT_POLL_MS;
  const deadline = Date.now() + waitMs;
  while (!csr.status?.certificate) {
    refuseEnded(csr, csrName);
    if (Date.now() >= deadline)
      throw new ApplyFailure(
        `signer ${safeText(r.req.spec.signerName)} issued no certificate for CertificateSigningRequest ${csrName} within ${waitMs < 1e4 ? `${waitMs} ms` : `${Math.round(waitMs / 1e3)} s`}; it stays approved, and a re-run of renew picks the certificate up`
      );
    await new Promise((res) => setTimeout(res, Math.max(1, Math.min(pollMs, deadline - Date.now()))));
    const next = await r.kube.getCsr(csrName);
    if (!next)
      throw new ApplyFailure(
        `CertificateSigningRequest ${csrName} disappeared while waiting for the certificate`
      );
    csr = next;
  }
  return csr.status.certificate;
}
async function checkIssued(r, certificate, spki) {
  const { csrName } = r;
  const blocks = readPemCertificates(Buffer.from(certificate, "base64").toString("utf8"), csrName);
  const first = blocks[0].der;
  let leaf;
  try {
    leaf = parseCertificate(first, `CertificateSigningRequest ${csrName}`);
  } catch {
    throw new ApplyFailure(
      `CertificateSigningRequest ${csrName} status.certificate is not a readable X.509 certificate`
    );
  }
  const problems = certificateProblems(r.req, leaf, first, spki, (r.deps.now ?? (() => /* @__PURE__ */ new Date()))());
  if (!problems.length && r.deps.verify) problems.push(...await r.deps.verify(toPem(first)));
  if (problems.length)
    throw new ApplyFailure(
      `the certificate issued for CertificateSigningRequest ${csrName} was not written: ${problems.map((p) => safeText(p)).join("; ")}`
    );
  const chainCa = blocks.length > 1 ? caOf(blocks[blocks.length - 1].der) : null;
  return { leaf, certPem: blocks.map((b) => toPem(b.der)).join(""), caPem: chainCa ?? r.deps.caPem ?? null };
}
async function run(req, deps, csrName) {
  const { namespace, name } = req.spec.secret;
  const r = {
    req,
    deps,
    kube: deps.kube,
    log: deps.logger ?? silentLogger,
    csrName,
    where: `Secret ${namespace}/${name}`,
    label: `renew ${safeText(req.metadata.target)}`
  };
  const { where } = r;
  const found = await r.kube.getSecretFull(namespace, name);
  const current = found ? appliedCertificate(req, found) : null;
  await done(r, "read-secret");
  if (current) {
    r.log.info(`${r.label}: ${where} already holds the renewed certificate ${current.sha256}`);
    return {
      state: "applied",
      csrName,
      sha256: current.sha256,
      notAfter: current.notAfter,
      message: `already applied: ${where} holds certificate ${current.sha256} (notAfter ${current.notAfter})`
    };
  }
  if (found?.immutable)
    throw new ApplyFailure(`${where} is immutable; certwarden cannot write the renewed certificate to it`);
  const { secret, keyPem } = await stagedKey(r, found);
  const privateKey = createPrivateKey({ key: keyPem, format: "pem" });
  const spki = spkiOf(createPublicKey2(privateKey));
  await done(r, "stage-key");
  let csr = await ensureCsr(r, privateKey, spki);
  await done(r, "create-csr");
  csr = await approve(r, csr);
  await done(r, "approve");
  const certificate = await waitForCertificate(r, csr);
  await done(r, "wait");
  const { leaf, certPem, caPem } = await checkIssued(r, certificate, spki);
  await done(r, "check");
  await swap(r.kube, req, secret, keyPem, certPem, caPem);
  await done(r, "write-secret");
  r.log.info(`${r.label}: ${where} now holds certificate ${leaf.sha256} (notAfter ${leaf.notAfter})`);
  return {
    state: "applied",
    csrName,
    sha256: leaf.sha256,
    notAfter: leaf.notAfter,
    message: `applied: ${where} holds certificate ${leaf.sha256} (notAfter ${leaf.notAfter}) from CertificateSigningRequest ${csrName}`
  };
}
var b64 = (s) => Buffer.from(s, "utf8").toString("base64");
var unb64 = (s) => s ? Buffer.from(s, "base64").toString("utf8") : "";
function pendingKey(secret, req) {
  const v = secret?.data?.[PENDING_KEY_DATA];
  if (!v || secret?.metadata.annotations?.[PENDING_ANNOTATION] !== req.metadata.id) return null;
  return unb64(v);
}
async function stageKey(kube, req, secret, keyPem) {
  const { namespace, name } = req.spec.secret;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      if (!secret) {
        const created = await kube.createSecret(namespace, {
          metadata: { name, namespace, annotations: { [PENDING_ANNOTATION]: req.metadata.id } },
          type: "kubernetes.io/tls",
          // A kubernetes.io/tls Secret must have both keys; they stay empty until the swap.
          data: { "tls.crt": "", "tls.key": "", [PENDING_KEY_DATA]: b64(keyPem) }
        });
        return { secret: created, keyPem };
      }
      const next = structuredClone(secret);
      next.data = { ...next.data ?? {}, [PENDING_KEY_DATA]: b64(keyPem) };
      next.metadata.annotations = {
        ...next.metadata.annotations ?? {},
        [PENDING_ANNOTATION]: req.metadata.id
      };
      const replaced = await kube.replaceSecret(namespace, name, next, secret.metadata.resourceVersion ?? "");
      return { secret: replaced, keyPem };
    } catch (e) {
      if (!(e instanceof KubeApiError && e.status === 409)) throw e;
      secret = await kube.getSecretFull(namespace, name);
      const theirs = pendingKey(secret, req);
      if (theirs && secret) return { secret, keyPem: theirs };
    }
  }
  throw new ApplyFailure(`Secret ${namespace}/${name} kept changing while staging the key; re-run renew`);
}
async function swap(kube, req, secret, keyPem, certPem, caPem) {
  const { namespace, name } = req.spec.secret;
  let cur = secret;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (!cur)
      throw new ApplyFailure(
        `Secret ${namespace}/${name} was deleted before the certificate could be written`
      );
    if (unb64(cur.data?.[PENDING_KEY_DATA]) !== keyPem) {
      if (unb64(cur.data?.["tls.key"]) === keyPem && unb64(cur.data?.["tls.crt"]) === certPem) return;
      throw new ApplyFailure(
        `the key staged in Secret ${namespace}/${name} changed during the run; re-run renew`
      );
    }
    const next = structuredClone(cur);
    const data = { ...next.data ?? {} };
    delete data[PENDING_KEY_DATA];
    data["tls.crt"] = b64(certPem);
    data["tls.key"] = b64(keyPem);
    if (caPem) data["ca.crt"] = b64(caPem);
    next.data = data;
    const annotations = { ...next.metadata.annotations ?? {} };
    delete annotations[PENDING_ANNOTATION];
    annotations[RENEWAL_ANNOTATION] = req.metadata.id;
    next.metadata.annotations = annotations;
    try {
      await kube.replaceSecret(namespace, name, next, cur.metadata.resourceVersion ?? "");
      return;
    } catch (e) {
      if (!(e instanceof KubeApiError && e.status === 409)) throw e;
      cur = await kube.getSecretFull(namespace, name);
    }
  }
  throw new ApplyFailure(
    `Secret ${namespace}/${name} kept changing while writing the certificate; re-run renew`
  );
}
function appliedCertificate(req, secret) {
  try {
    const crt = unb64(secret.data?.["tls.crt"]);
    const key = unb64(secret.data?.["tls.key"]);
    if (!crt || !key) return null;
    const first = pemBlocks(crt, "tls.crt").find((b) => b.label === "CERTIFICATE");
    if (!first) return null;
    const rec = parseCertificate(first.der, "tls.crt");
    if (req.spec.replaces && rec.sha256 === req.spec.replaces.toLowerCase().replace(/[^0-9a-f]/g, ""))
      return null;
    if (!spkiOf(new X509Certificate2(first.der).publicKey).equals(spkiOf(createPublicKey2(createPrivateKey(key)))))
      return null;
    if (namesProblems(req, rec).length) return null;
    const ours = secret.metadata.annotations?.[RENEWAL_ANNOTATION] === req.metadata.id;
    const afterRequest = Date.parse(rec.notBefore) >= Date.parse(req.metadata.createdAt) - SKEW_MS;
    return ours || afterRequest ? rec : null;
  } catch {
    return null;
  }
}
function csrFits(csr, req, spki) {
  if (csr.spec?.signerName !== req.spec.signerName) return false;
  try {
    const block = pemBlocks(unb64(csr.spec.request), "csr").find((b) => b.label === "CERTIFICATE REQUEST");
    if (!block) return false;
    const der = block.der;
    const info = children(der, readTlv(der, 0))[0];
    const key = info && children(der, info)[2];
    if (!key) return false;
    return spkiOf(
      createPublicKey2({ key: der.subarray(key.start, key.end), format: "der", type: "spki" })
    ).equals(spki);
  } catch {
    return false;
  }
}
function condition(csr, type) {
  return (csr.status?.conditions ?? []).find((c) => c.type === type && c.status !== "False");
}
function refuseEnded(csr, csrName) {
  for (const type of ["Denied", "Failed"]) {
    const c = condition(csr, type);
    if (c) {
      const why = [c.reason, c.message].filter(Boolean).map((s) => safeText(String(s)).slice(0, 300)).join(": ");
      throw new ApplyFailure(
        `CertificateSigningRequest ${csrName} was ${type.toLowerCase()}${why ? ` (${why})` : ""}`
      );
    }
  }
}
export {
  APPLY_STEPS,
  ApplyCrash,
  PENDING_ANNOTATION,
  PENDING_KEY_DATA,
  RENEWAL_ANNOTATION,
  applyRenewal,
  csrNameFor
};
