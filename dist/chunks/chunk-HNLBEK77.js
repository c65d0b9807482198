import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  ConfigError
} from "./chunk-WW3ZWNRQ.js";

// src/sources/kubernetes/kinds.ts
var CLUSTER_CA_NAME = "kube-root-ca.crt";
var KINDS = {
  Secret: { kind: "Secret", group: "", version: "v1", plural: "secrets", namespaced: true, aliases: [] },
  ConfigMap: {
    kind: "ConfigMap",
    group: "",
    version: "v1",
    plural: "configmaps",
    namespaced: true,
    aliases: ["cm"]
  },
  CertificateSigningRequest: {
    kind: "CertificateSigningRequest",
    group: "certificates.k8s.io",
    version: "v1",
    plural: "certificatesigningrequests",
    namespaced: false,
    aliases: ["csr"]
  },
  ValidatingWebhookConfiguration: {
    kind: "ValidatingWebhookConfiguration",
    group: "admissionregistration.k8s.io",
    version: "v1",
    plural: "validatingwebhookconfigurations",
    namespaced: false,
    aliases: []
  },
  MutatingWebhookConfiguration: {
    kind: "MutatingWebhookConfiguration",
    group: "admissionregistration.k8s.io",
    version: "v1",
    plural: "mutatingwebhookconfigurations",
    namespaced: false,
    aliases: []
  },
  APIService: {
    kind: "APIService",
    group: "apiregistration.k8s.io",
    version: "v1",
    plural: "apiservices",
    namespaced: false,
    aliases: []
  },
  Certificate: {
    kind: "Certificate",
    group: "cert-manager.io",
    version: "v1",
    plural: "certificates",
    namespaced: true,
    aliases: ["cert", "certs"]
  }
};
var DISCOVER_KINDS = [
  "Secret",
  "ConfigMap",
  "CertificateSigningRequest",
  "ValidatingWebhookConfiguration",
  "MutatingWebhookConfiguration",
  "APIService",
  "Certificate"
];
function lookupKind(name) {
  const n = name.trim().toLowerCase();
  for (const info of Object.values(KINDS)) {
    if (info.kind.toLowerCase() === n || info.plural === n || info.aliases.includes(n)) return info.kind;
    if (`${info.plural}.${info.group}` === n) return info.kind;
  }
  return null;
}
function resolveKind(name, location = null) {
  const k = lookupKind(name);
  if (k) return k;
  throw new ConfigError(
    `unknown Kubernetes kind '${name}'. Expected one of: ${Object.keys(KINDS).join(", ")}`,
    location
  );
}
function apiPath(kind, namespace, name) {
  const info = KINDS[kind];
  const base = info.group === "" ? `/api/${info.version}` : `/apis/${info.group}/${info.version}`;
  const ns = info.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : "";
  const obj = name ? `/${encodeURIComponent(name)}` : "";
  return `${base}${ns}/${info.plural}${obj}`;
}

// src/sources/kubernetes/sanitize.ts
var CERT_KEYS = /* @__PURE__ */ new Set([
  "tls.crt",
  "ca.crt",
  "ca-bundle.crt",
  "ca-certificates.crt",
  "ca.pem",
  "cert.pem",
  "chain.pem",
  "fullchain.pem",
  "trust-bundle.pem"
]);
var CERT_KEY_NAME = /\.(crt|cer|cert|pem)$/i;
var KEYSTORE_KEY_NAME = /(\.(p12|pfx|jks|keystore|truststore|bcfks)$)|(^(keystore|truststore)([._-]|$))/i;
var LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
function isKeystoreKey(key) {
  return KEYSTORE_KEY_NAME.test(key);
}
function isCertificateKeyName(key) {
  return CERT_KEYS.has(key) || CERT_KEY_NAME.test(key) && !/key/i.test(key.replace(/\.(crt|cer|cert|pem)$/i, ""));
}
var PEM_CERT = /-----BEGIN (?:TRUSTED |X509 )?CERTIFICATE-----[\s\S]*?-----END (?:TRUSTED |X509 )?CERTIFICATE-----/g;
function certificateBlocks(text) {
  if (!text.includes("-----BEGIN ")) return void 0;
  const blocks = text.match(PEM_CERT);
  return blocks && blocks.length ? blocks.join("\n") + "\n" : null;
}
var PEM_CSR = /-----BEGIN (?:NEW )?CERTIFICATE REQUEST-----[\s\S]*?-----END (?:NEW )?CERTIFICATE REQUEST-----/g;
function pemField(v, re) {
  if (typeof v !== "string" || !v) return "";
  const text = Buffer.from(v, "base64").toString("latin1");
  const blocks = text.match(re);
  if (!blocks) return "";
  const joined = blocks.join("\n") + "\n";
  return joined.length === text.length ? v : Buffer.from(joined, "latin1").toString("base64");
}
function looksLikeDerCertificate(b) {
  if (b.length < 8 || b[0] !== 48) return false;
  let i = 1;
  const l = b[i++];
  if (l & 128) i += l & 127;
  if (b[i++] !== 48) return false;
  const l2 = b[i++];
  if (l2 & 128) i += l2 & 127;
  const t = b[i];
  return t === 160 || t === 2;
}
var FILTER_CACHE_MAX = 256;
var filterCache = /* @__PURE__ */ new Map();
function filterCertValue(b64, allowBinary) {
  if (typeof b64 !== "string") return null;
  if (allowBinary || b64.length > 65536) return filterCertValueUncached(b64, allowBinary);
  const hit = filterCache.get(b64);
  if (hit !== void 0) return hit;
  const out = filterCertValueUncached(b64, false);
  if (filterCache.size >= FILTER_CACHE_MAX) filterCache.delete(filterCache.keys().next().value);
  filterCache.set(b64, out);
  return out;
}
function filterCertValueUncached(b64, allowBinary) {
  const bytes = Buffer.from(b64, "base64");
  const pem = certificateBlocks(bytes.toString("latin1"));
  if (pem === null) return null;
  if (pem !== void 0)
    return pem.length === bytes.length ? b64 : Buffer.from(pem, "latin1").toString("base64");
  if (allowBinary) return b64;
  return looksLikeDerCertificate(bytes) ? b64 : null;
}
function filterSecretData(data, keep, containers) {
  if (!data || typeof data !== "object") return void 0;
  const out = {};
  for (const [k, v] of Object.entries(data)) {
    if (typeof v !== "string") continue;
    if (isKeystoreKey(k) || containers.has(k)) {
      out[k] = v;
      continue;
    }
    if (!keep.has(k) && !isCertificateKeyName(k)) continue;
    const f = filterCertValue(v, false);
    if (f !== null) out[k] = f;
  }
  return out;
}
function filterConfigMapData(data, keep) {
  if (!data || typeof data !== "object") return void 0;
  const out = {};
  for (const [k, v] of Object.entries(data)) {
    if (typeof v !== "string") continue;
    const pem = certificateBlocks(v);
    if (pem) out[k] = pem;
    else if (pem === void 0 && keep.has(k)) out[k] = v;
  }
  return out;
}
function filterBinary(data, keep, containers) {
  if (!data || typeof data !== "object") return void 0;
  const out = {};
  for (const [k, v] of Object.entries(data)) {
    if (typeof v !== "string") continue;
    if (isKeystoreKey(k) || containers.has(k) || keep.has(k)) {
      const f = isKeystoreKey(k) || containers.has(k) ? v : filterCertValue(v, false);
      if (f !== null) out[k] = f;
    }
  }
  return out;
}
function str(v) {
  return typeof v === "string" ? v : void 0;
}
function strMap(v) {
  if (!v || typeof v !== "object" || Array.isArray(v)) return void 0;
  const out = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === "string") out[k] = x;
  return out;
}
function meta(raw) {
  const m = raw && typeof raw === "object" ? raw : {};
  const annotations = strMap(m.annotations);
  if (annotations) delete annotations[LAST_APPLIED];
  const out = { name: str(m.name) ?? "", uid: str(m.uid) ?? "" };
  const ns = str(m.namespace);
  if (ns) out.namespace = ns;
  const rv = str(m.resourceVersion);
  if (rv) out.resourceVersion = rv;
  const ct = str(m.creationTimestamp);
  if (ct) out.creationTimestamp = ct;
  const labels = strMap(m.labels);
  if (labels && Object.keys(labels).length) out.labels = labels;
  if (annotations && Object.keys(annotations).length) out.annotations = annotations;
  if (Array.isArray(m.ownerReferences)) {
    out.ownerReferences = m.ownerReferences.filter((o) => !!o && typeof o === "object").map((o) => ({
      kind: str(o.kind) ?? "",
      name: str(o.name) ?? "",
      ...str(o.uid) ? { uid: str(o.uid) } : {}
    }));
  }
  return out;
}
function plainObject(v) {
  return v && typeof v === "object" && !Array.isArray(v) ? v : void 0;
}
function sanitizeObject(kind, raw, opts = {}) {
  const r = raw && typeof raw === "object" ? raw : {};
  const keep = new Set(opts.keep ?? []);
  const containers = new Set(opts.containers ?? []);
  const out = { kind, metadata: meta(r.metadata) };
  const apiVersion = str(r.apiVersion);
  if (apiVersion) out.apiVersion = apiVersion;
  switch (kind) {
    case "Secret": {
      const type = str(r.type);
      if (type) out.type = type;
      const data = filterSecretData(r.data, keep, containers);
      if (data) out.data = data;
      return out;
    }
    case "ConfigMap": {
      const data = filterConfigMapData(r.data, keep);
      if (data) out.data = data;
      const bin = filterBinary(r.binaryData, keep, containers);
      if (bin && Object.keys(bin).length) out.binaryData = bin;
      return out;
    }
    case "ValidatingWebhookConfiguration":
    case "MutatingWebhookConfiguration":
      if (Array.isArray(r.webhooks)) {
        out.webhooks = r.webhooks.map(plainObject).filter((w) => !!w).map((w) => {
          const cc = plainObject(w.clientConfig);
          if (!cc || cc.caBundle === void 0) return w;
          return { ...w, clientConfig: { ...cc, caBundle: pemField(cc.caBundle, PEM_CERT) } };
        });
      }
      return out;
    default: {
      const spec = plainObject(r.spec);
      const status = plainObject(r.status);
      if (spec)
        out.spec = {
          ...spec,
          ..."caBundle" in spec ? { caBundle: pemField(spec.caBundle, PEM_CERT) } : {},
          ..."request" in spec ? { request: pemField(spec.request, PEM_CSR) } : {}
        };
      if (status)
        out.status = "certificate" in status ? { ...status, certificate: pemField(status.certificate, PEM_CERT) } : status;
      return out;
    }
  }
}

export {
  CLUSTER_CA_NAME,
  KINDS,
  DISCOVER_KINDS,
  resolveKind,
  apiPath,
  isKeystoreKey,
  isCertificateKeyName,
  looksLikeDerCertificate,
  sanitizeObject
};
