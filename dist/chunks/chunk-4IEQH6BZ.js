import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  KubeApiError,
  KubeconfigUnusable,
  kubeFactory
} from "./chunk-OSFZSLBO.js";
import {
  isKeystoreKey,
  looksLikeDerCertificate
} from "./chunk-HNLBEK77.js";
import {
  safeText
} from "./chunk-NRN5HDCZ.js";
import {
  readCertificates,
  readCertificatesAsync
} from "./chunk-FVSSEFCQ.js";
import {
  pemBlocks
} from "./chunk-I32IJZLF.js";
import {
  children,
  parseCertificate,
  parseName,
  readTlv
} from "./chunk-HSQZZC7B.js";
import {
  DeadlineError
} from "./chunk-UHECHRFN.js";
import {
  ParseError
} from "./chunk-WW3ZWNRQ.js";

// src/sources/kubernetes/der-helpers.ts
var der = {
  looksLikeCertificate: looksLikeDerCertificate
};
function csrSubject(bytes) {
  try {
    const outer = readTlv(bytes, 0);
    const [info] = children(bytes, outer);
    if (!info) return null;
    const parts = children(bytes, info);
    const subject = parts[1];
    return subject ? parseName(bytes, subject) : null;
  } catch {
    return null;
  }
}

// src/sources/kubernetes/certs.ts
var CACHE_MAX = 512;
var cache = /* @__PURE__ */ new Map();
function remember(key, recs) {
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value);
  cache.set(key, recs);
  return recs;
}
function readCertValue(b64, name) {
  let recs = cache.get(b64);
  if (recs) {
    cache.delete(b64);
    cache.set(b64, recs);
  } else {
    const bytes = Buffer.from(b64, "base64");
    if (bytes.length === 0) return [];
    const text = bytes.toString("latin1");
    if (text.includes("-----BEGIN ")) {
      const blocks = pemBlocks(text, name).filter((b) => /^(TRUSTED |X509 )?CERTIFICATE$/.test(b.label));
      recs = blocks.map((b, i) => parseCertificate(b.der, `${name}[${i}]`));
    } else if (der.looksLikeCertificate(bytes)) {
      recs = [parseCertificate(bytes, `${name}[0]`)];
    } else {
      throw new ParseError("unsupported", name, "neither PEM certificates nor a DER certificate");
    }
    remember(b64, recs);
  }
  return recs.map((record, i) => ({ origin: `${name}[${i}]`, record }));
}
async function readKeystoreValue(b64, name, format, password, warnings = [], signal) {
  const opts = {
    file: name,
    format: format ?? "auto",
    ...password !== void 0 ? { password } : {}
  };
  const bytes = Buffer.from(b64, "base64");
  const result = signal ? await readCertificatesAsync(bytes, { ...opts, signal }) : readCertificates(bytes, opts);
  warnings.push(...result.warnings.map((w) => `${name}: ${w}`));
  return result.certificates.map((c) => ({
    origin: c.origin.startsWith(name) ? c.origin : `${name}:${c.origin}`,
    record: c.record
  }));
}
function keystoreFormat(b64) {
  const b = Buffer.from(b64.slice(0, 8), "base64");
  return b[0] === 254 && b[1] === 237 && b[2] === 254 && b[3] === 237 ? "jks" : "pkcs12";
}

// src/sources/kubernetes/extract.ts
function baseDetails(obj) {
  return {
    kind: obj.kind,
    namespace: obj.metadata.namespace ?? null,
    name: obj.metadata.name,
    uid: obj.metadata.uid,
    ...obj.metadata.creationTimestamp ? { created: obj.metadata.creationTimestamp } : {},
    ...obj.metadata.labels?.["app.kubernetes.io/instance"] ? { release: obj.metadata.labels["app.kubernetes.io/instance"] } : {}
  };
}
function objName(obj) {
  return obj.metadata.namespace ? `${obj.kind} ${obj.metadata.namespace}/${obj.metadata.name}` : `${obj.kind} ${obj.metadata.name}`;
}
async function readKey(obj, key, b64, opts, strict, warnings) {
  const keystore = opts.format === "pkcs12" || opts.format === "jks" || opts.format !== "pem" && isKeystoreKey(key);
  try {
    if (keystore) {
      if (opts.discovery && opts.password === void 0) {
        warnings.push(
          `${key}: ${keystoreFormat(b64)} keystore not read during discovery (declare it with passwordEnv to read it)`
        );
        return [];
      }
      return await readKeystoreValue(
        b64,
        key,
        opts.format === "pem" ? void 0 : opts.format ?? keystoreFormat(b64),
        opts.password,
        warnings,
        opts.signal
      );
    }
    return readCertValue(b64, key);
  } catch (e) {
    if (strict) throw e;
    warnings.push(
      `${safeText(key)}: ${e instanceof ParseError ? safeText(e.message) : "cannot be read"} (in ${safeText(objName(obj))})`
    );
    return [];
  }
}
var TRUST_KEY = /(^|[._-])(ca|cas|trust|bundle|root|roots|truststore)([._-]|$)/i;
var secret = async (obj, opts) => {
  const data = obj.data ?? {};
  const warnings = [];
  const details = { ...baseDetails(obj), type: obj.type ?? null, keys: Object.keys(data).sort() };
  if (opts.key) {
    const v = data[opts.key];
    if (v === void 0)
      return { certificates: [], trustStore: null, details, warnings, missingKey: opts.key };
    const certs = await readKey(obj, opts.key, v, opts, true, warnings);
    const role = opts.role ?? (TRUST_KEY.test(opts.key.replace(/\.(crt|pem|cer|p12|pfx|jks)$/i, "")) ? "trustStore" : "certificates");
    return role === "trustStore" ? { certificates: [], trustStore: certs, details, warnings } : { certificates: certs, trustStore: null, details, warnings };
  }
  const certificates = [];
  let trustStore = null;
  for (const k of Object.keys(data).sort(
    (a, b) => a === "tls.crt" ? -1 : b === "tls.crt" ? 1 : a < b ? -1 : 1
  )) {
    const certs = await readKey(obj, k, data[k], opts, false, warnings);
    if (k === "tls.crt") certificates.push(...certs);
    else if (k === "ca.crt" || TRUST_KEY.test(k.replace(/\.(crt|pem|cer|p12|pfx|jks)$/i, "")))
      (trustStore ??= []).push(...certs);
    else certificates.push(...certs);
  }
  return { certificates, trustStore, details, warnings };
};
var configMap = async (obj, opts) => {
  const warnings = [];
  const values = [
    ...Object.entries(obj.data ?? {}).map(
      ([k, v]) => [k, Buffer.from(v, "utf8").toString("base64")]
    ),
    ...Object.entries(obj.binaryData ?? {})
  ];
  const details = {
    ...baseDetails(obj),
    keys: values.map(([k]) => k).sort(),
    ...obj.metadata.name === "kube-root-ca.crt" ? { clusterCA: true } : {}
  };
  if (opts.key) {
    const hit = values.find(([k]) => k === opts.key);
    if (!hit) return { certificates: [], trustStore: [], details, warnings, missingKey: opts.key };
    return {
      certificates: [],
      trustStore: await readKey(obj, hit[0], hit[1], opts, true, warnings),
      details,
      warnings
    };
  }
  const trustStore = [];
  for (const [k, v] of values) trustStore.push(...await readKey(obj, k, v, opts, false, warnings));
  return { certificates: [], trustStore, details, warnings };
};
function conditions(v) {
  if (!Array.isArray(v)) return [];
  return v.filter((c) => !!c && typeof c === "object").map((c) => {
    const out = {};
    for (const f of [
      "type",
      "status",
      "reason",
      "message",
      "lastUpdateTime",
      "lastTransitionTime"
    ])
      if (typeof c[f] === "string") out[f] = c[f];
    return out;
  });
}
function strings(v) {
  return Array.isArray(v) ? v.filter((x) => typeof x === "string") : [];
}
var csr = async (obj, opts) => {
  const spec = obj.spec ?? {};
  const status = obj.status ?? {};
  const conds = conditions(status.conditions);
  const has = (t) => conds.some((c) => c.type === t && (c.status ?? "True") === "True");
  const warnings = [];
  let requestedSubject = null;
  if (typeof spec.request === "string" && spec.request) {
    try {
      const blocks = Buffer.from(spec.request, "base64").toString("latin1").match(/-----BEGIN (?:NEW )?CERTIFICATE REQUEST-----([\s\S]*?)-----END/);
      if (blocks?.[1]) requestedSubject = csrSubject(Buffer.from(blocks[1].replace(/\s+/g, ""), "base64"));
    } catch {
    }
  }
  const certificates = typeof status.certificate === "string" && status.certificate ? await readKey(
    obj,
    "status.certificate",
    status.certificate,
    { ...opts, format: "pem" },
    false,
    warnings
  ) : [];
  const approvedAt = conds.find((c) => c.type === "Approved")?.lastUpdateTime ?? conds.find((c) => c.type === "Approved")?.lastTransitionTime ?? null;
  return {
    certificates,
    trustStore: null,
    warnings,
    details: {
      ...baseDetails(obj),
      signerName: typeof spec.signerName === "string" ? spec.signerName : null,
      usages: strings(spec.usages),
      username: typeof spec.username === "string" ? spec.username : null,
      groups: strings(spec.groups),
      expirationSeconds: typeof spec.expirationSeconds === "number" ? spec.expirationSeconds : null,
      requestedSubject,
      conditions: conds,
      approved: has("Approved"),
      approvedAt,
      denied: has("Denied"),
      failed: has("Failed"),
      issued: certificates.length > 0
    }
  };
};
function serviceRef(v) {
  if (!v || typeof v !== "object") return null;
  const s = v;
  return {
    namespace: s.namespace ?? null,
    name: s.name ?? null,
    ...s.path !== void 0 ? { path: s.path } : {},
    ...s.port !== void 0 ? { port: s.port } : {}
  };
}
var webhooks = async (obj, opts) => {
  const warnings = [];
  const list = (obj.webhooks ?? []).filter((w) => !opts.key || w.name === opts.key);
  const trustStore = [];
  const hooks = [];
  for (const w of list) {
    const cc = w.clientConfig ?? {};
    const name = typeof w.name === "string" ? w.name : "?";
    const ca = typeof cc.caBundle === "string" ? cc.caBundle : "";
    const certs = ca ? await readKey(obj, `webhooks[${name}].caBundle`, ca, { ...opts, format: "pem" }, false, warnings) : [];
    trustStore.push(...certs);
    hooks.push({
      name,
      service: serviceRef(cc.service),
      url: typeof cc.url === "string" ? cc.url : null,
      caBundle: certs.map((c) => c.record.sha256)
    });
  }
  const details = { ...baseDetails(obj), webhooks: hooks };
  if (opts.key && !list.length)
    return { certificates: [], trustStore: [], details, warnings, missingKey: opts.key };
  return { certificates: [], trustStore, details, warnings };
};
var apiService = async (obj, opts) => {
  const spec = obj.spec ?? {};
  const warnings = [];
  const ca = typeof spec.caBundle === "string" ? spec.caBundle : "";
  const trustStore = ca ? await readKey(obj, "spec.caBundle", ca, { ...opts, format: "pem" }, false, warnings) : [];
  if (spec.insecureSkipTLSVerify === true)
    warnings.push("spec.insecureSkipTLSVerify is true: the API server does not verify this service");
  return {
    certificates: [],
    trustStore,
    warnings,
    details: {
      ...baseDetails(obj),
      service: serviceRef(spec.service),
      group: spec.group ?? null,
      version: spec.version ?? null,
      insecureSkipTLSVerify: spec.insecureSkipTLSVerify === true
    }
  };
};
var certManagerCertificate = async (obj) => {
  const spec = obj.spec ?? {};
  const status = obj.status ?? {};
  const conds = conditions(status.conditions);
  const ready = conds.find((c) => c.type === "Ready");
  const issuerRef = spec.issuerRef && typeof spec.issuerRef === "object" ? spec.issuerRef : null;
  return {
    certificates: [],
    trustStore: null,
    warnings: [],
    details: {
      ...baseDetails(obj),
      secretName: typeof spec.secretName === "string" ? spec.secretName : null,
      issuerRef: issuerRef ? {
        name: issuerRef.name ?? null,
        kind: issuerRef.kind ?? "Issuer",
        group: issuerRef.group ?? "cert-manager.io"
      } : null,
      commonName: typeof spec.commonName === "string" ? spec.commonName : null,
      dnsNames: strings(spec.dnsNames),
      duration: spec.duration ?? null,
      renewBefore: spec.renewBefore ?? null,
      notBefore: status.notBefore ?? null,
      notAfter: status.notAfter ?? null,
      renewalTime: status.renewalTime ?? null,
      ready: ready ? ready.status === "True" : null,
      readyReason: ready?.reason ?? null,
      readyMessage: ready?.message ? safeText(ready.message).slice(0, 300) : null,
      conditions: conds
    }
  };
};
var EXTRACTORS = {
  Secret: secret,
  ConfigMap: configMap,
  CertificateSigningRequest: csr,
  ValidatingWebhookConfiguration: webhooks,
  MutatingWebhookConfiguration: webhooks,
  APIService: apiService,
  Certificate: certManagerCertificate
};
function extractObject(obj, opts = {}) {
  return EXTRACTORS[obj.kind](obj, opts);
}
function isCertificateBearing(obj) {
  switch (obj.kind) {
    case "Secret":
      return Object.keys(obj.data ?? {}).length > 0;
    case "ConfigMap":
      return Object.keys(obj.data ?? {}).length + Object.keys(obj.binaryData ?? {}).length > 0;
    case "ValidatingWebhookConfiguration":
    case "MutatingWebhookConfiguration":
      return (obj.webhooks ?? []).some(
        (w) => typeof w.clientConfig?.caBundle === "string" && w.clientConfig.caBundle !== ""
      );
    case "APIService":
      return typeof obj.spec?.caBundle === "string" && obj.spec.caBundle !== "";
    default:
      return true;
  }
}

// src/sources/kubernetes/services.ts
var factories = /* @__PURE__ */ new WeakMap();
function kubeFor(ctx) {
  const given = ctx.services?.kube;
  if (typeof given === "function") return given;
  let f = factories.get(ctx.inventory);
  if (!f) {
    f = kubeFactory(ctx.inventory.clusters, {
      env: ctx.env,
      timeoutMs: Math.max(ctx.timeoutMs, 1e4),
      logger: ctx.logger
    });
    factories.set(ctx.inventory, f);
  }
  return f;
}
function failureOf(e) {
  if (e instanceof KubeconfigUnusable)
    return { status: "error", error: { reason: "config", message: e.message } };
  if (e instanceof KubeApiError) {
    if (e.status === 0) return { status: "unreachable", error: { reason: e.reason, message: e.message } };
    const reason = e.status === 403 || e.status === 401 ? "forbidden" : e.status === 404 ? "not-found" : e.status === 410 ? "expired" : "protocol";
    return { status: "error", error: { reason, message: e.message } };
  }
  const err = e;
  if (err?.name === "ParseError")
    return {
      status: "error",
      error: {
        reason: err.kind === "password" || err.kind === "limit" ? err.kind : "parse",
        message: safeText(err.message)
      }
    };
  if (e instanceof DeadlineError)
    return { status: "error", error: { reason: e.reason, message: `stopped: ${e.message}` } };
  return {
    status: "error",
    error: { reason: "internal", message: safeText(err instanceof Error ? err.message : String(e)) }
  };
}

export {
  extractObject,
  isCertificateBearing,
  kubeFor,
  failureOf
};
