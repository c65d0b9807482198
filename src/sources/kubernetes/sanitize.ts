// Reduces raw API objects to what certwarden may hold, as soon as a response is parsed and before
// any other code sees it. Secrets keep certificate keys only: `tls.key`, `*.key` and every other value
// is dropped; PEM values keep their CERTIFICATE blocks only; the last-applied annotation (which holds
// the whole object, private key included) and managedFields are dropped from every object.
import type { KubeKind } from './kinds.js';

/** Object metadata certwarden keeps. */
export interface KubeMeta {
  name: string;
  namespace?: string;
  uid: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { kind: string; name: string; uid?: string }[];
}

/** A sanitised object: metadata plus the parts of the body certificate checks use. */
export interface KubeObject {
  kind: KubeKind;
  apiVersion?: string;
  metadata: KubeMeta;
  /** Secrets: the kept keys, base64 as the API returns them. ConfigMaps: certificate-bearing text values. */
  data?: Record<string, string>;
  /** ConfigMaps: kept binary values (keystores), base64. */
  binaryData?: Record<string, string>;
  type?: string;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  webhooks?: Record<string, unknown>[];
}

export interface SanitizeOptions {
  /** Keys the caller asked for by name (a declared target's `key`): kept whatever their name. */
  keep?: string[];
  /**
   * Keys declared as keystores (a target's `key` with `format: pkcs12|jks`), whatever their name:
   * kept whole like keys named as keystores (only certificates are ever read out of them).
   */
  containers?: string[];
}

const CERT_KEYS = new Set([
  'tls.crt',
  'ca.crt',
  'ca-bundle.crt',
  'ca-certificates.crt',
  'ca.pem',
  'cert.pem',
  'chain.pem',
  'fullchain.pem',
  'trust-bundle.pem',
]);
const CERT_KEY_NAME = /\.(crt|cer|cert|pem)$/i;
const KEYSTORE_KEY_NAME = /(\.(p12|pfx|jks|keystore|truststore|bcfks)$)|(^(keystore|truststore)([._-]|$))/i;
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** True for a key name that holds a keystore (PKCS#12 / JKS) by convention. */
export function isKeystoreKey(key: string): boolean {
  return KEYSTORE_KEY_NAME.test(key);
}

/** True for a key name that may hold certificates (PEM or DER), never for `*.key`. */
export function isCertificateKeyName(key: string): boolean {
  return (
    CERT_KEYS.has(key) || (CERT_KEY_NAME.test(key) && !/key/i.test(key.replace(/\.(crt|cer|cert|pem)$/i, '')))
  );
}

const PEM_CERT =
  /-----BEGIN (?:TRUSTED |X509 )?CERTIFICATE-----[\s\S]*?-----END (?:TRUSTED |X509 )?CERTIFICATE-----/g;

/**
 * The CERTIFICATE blocks of a PEM text, joined; null when the text is PEM without certificates.
 * Returns undefined when the text is not PEM at all.
 */
function certificateBlocks(text: string): string | null | undefined {
  if (!text.includes('-----BEGIN ')) return undefined;
  const blocks = text.match(PEM_CERT);
  return blocks && blocks.length ? blocks.join('\n') + '\n' : null;
}

const PEM_CSR =
  /-----BEGIN (?:NEW )?CERTIFICATE REQUEST-----[\s\S]*?-----END (?:NEW )?CERTIFICATE REQUEST-----/g;

/** A base64 PEM field reduced to the blocks matching `re` (base64 again); '' when none. */
function pemField(v: unknown, re: RegExp): string {
  if (typeof v !== 'string' || !v) return '';
  const text = Buffer.from(v, 'base64').toString('latin1');
  const blocks = text.match(re);
  if (!blocks) return '';
  const joined = blocks.join('\n') + '\n';
  return joined.length === text.length ? v : Buffer.from(joined, 'latin1').toString('base64');
}

/** DER that starts like a certificate (SEQUENCE { SEQUENCE { [0] | INTEGER …): never a private key. */
export function looksLikeDerCertificate(b: Uint8Array): boolean {
  if (b.length < 8 || b[0] !== 0x30) return false;
  let i = 1;
  const l = b[i++] as number;
  if (l & 0x80) i += l & 0x7f;
  if (b[i++] !== 0x30) return false;
  const l2 = b[i++] as number;
  if (l2 & 0x80) i += l2 & 0x7f;
  const t = b[i];
  return t === 0xa0 || t === 0x02;
}

// Clusters repeat the same values (one CA in many Secrets): remember recent filter results.
const FILTER_CACHE_MAX = 256;
const filterCache = new Map<string, string | null>();

/** Filters one base64 value: certificate PEM blocks only, DER certificates, or nothing. */
function filterCertValue(b64: string, allowBinary: boolean): string | null {
  if (typeof b64 !== 'string') return null;
  if (allowBinary || b64.length > 65536) return filterCertValueUncached(b64, allowBinary);
  const hit = filterCache.get(b64);
  if (hit !== undefined) return hit;
  const out = filterCertValueUncached(b64, false);
  if (filterCache.size >= FILTER_CACHE_MAX) filterCache.delete(filterCache.keys().next().value as string);
  filterCache.set(b64, out);
  return out;
}

function filterCertValueUncached(b64: string, allowBinary: boolean): string | null {
  const bytes = Buffer.from(b64, 'base64');
  const pem = certificateBlocks(bytes.toString('latin1'));
  if (pem === null) return null; // PEM, but only keys or other blocks
  if (pem !== undefined)
    return pem.length === bytes.length ? b64 : Buffer.from(pem, 'latin1').toString('base64');
  if (allowBinary) return b64;
  return looksLikeDerCertificate(bytes) ? b64 : null;
}

function filterSecretData(
  data: unknown,
  keep: Set<string>,
  containers: Set<string>,
): Record<string, string> | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
    if (typeof v !== 'string') continue;
    if (isKeystoreKey(k) || containers.has(k)) {
      out[k] = v; // an encrypted container: only certificates are ever read out of it
      continue;
    }
    if (!keep.has(k) && !isCertificateKeyName(k)) continue;
    const f = filterCertValue(v, false);
    if (f !== null) out[k] = f;
  }
  return out;
}

function filterConfigMapData(data: unknown, keep: Set<string>): Record<string, string> | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
    if (typeof v !== 'string') continue;
    const pem = certificateBlocks(v);
    // ConfigMap text: keep certificate blocks; a named key that is not PEM is kept for the parser to judge.
    if (pem) out[k] = pem;
    else if (pem === undefined && keep.has(k)) out[k] = v;
  }
  return out;
}

function filterBinary(
  data: unknown,
  keep: Set<string>,
  containers: Set<string>,
): Record<string, string> | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
    if (typeof v !== 'string') continue;
    if (isKeystoreKey(k) || containers.has(k) || keep.has(k)) {
      const f = isKeystoreKey(k) || containers.has(k) ? v : filterCertValue(v, false);
      if (f !== null) out[k] = f;
    }
  }
  return out;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function strMap(v: unknown): Record<string, string> | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (typeof x === 'string') out[k] = x;
  return out;
}

function meta(raw: unknown): KubeMeta {
  const m = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const annotations = strMap(m.annotations);
  if (annotations) delete annotations[LAST_APPLIED];
  const out: KubeMeta = { name: str(m.name) ?? '', uid: str(m.uid) ?? '' };
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
    out.ownerReferences = m.ownerReferences
      .filter((o): o is Record<string, unknown> => !!o && typeof o === 'object')
      .map((o) => ({
        kind: str(o.kind) ?? '',
        name: str(o.name) ?? '',
        ...(str(o.uid) ? { uid: str(o.uid) } : {}),
      }));
  }
  return out;
}

function plainObject(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** Builds a fresh sanitised object from a raw API object; nothing not listed here survives. */
export function sanitizeObject(kind: KubeKind, raw: unknown, opts: SanitizeOptions = {}): KubeObject {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const keep = new Set(opts.keep ?? []);
  const containers = new Set(opts.containers ?? []);
  const out: KubeObject = { kind, metadata: meta(r.metadata) };
  const apiVersion = str(r.apiVersion);
  if (apiVersion) out.apiVersion = apiVersion;
  switch (kind) {
    case 'Secret': {
      const type = str(r.type);
      if (type) out.type = type;
      const data = filterSecretData(r.data, keep, containers);
      if (data) out.data = data;
      return out; // stringData, immutable and everything else: dropped
    }
    case 'ConfigMap': {
      const data = filterConfigMapData(r.data, keep);
      if (data) out.data = data;
      const bin = filterBinary(r.binaryData, keep, containers);
      if (bin && Object.keys(bin).length) out.binaryData = bin;
      return out;
    }
    case 'ValidatingWebhookConfiguration':
    case 'MutatingWebhookConfiguration':
      if (Array.isArray(r.webhooks)) {
        out.webhooks = r.webhooks
          .map(plainObject)
          .filter((w): w is Record<string, unknown> => !!w)
          .map((w) => {
            const cc = plainObject(w.clientConfig);
            if (!cc || cc.caBundle === undefined) return w;
            return { ...w, clientConfig: { ...cc, caBundle: pemField(cc.caBundle, PEM_CERT) } };
          });
      }
      return out;
    default: {
      const spec = plainObject(r.spec);
      const status = plainObject(r.status);
      // Base64 PEM fields keep only the blocks they are meant to hold.
      if (spec)
        out.spec = {
          ...spec,
          ...('caBundle' in spec ? { caBundle: pemField(spec.caBundle, PEM_CERT) } : {}),
          ...('request' in spec ? { request: pemField(spec.request, PEM_CSR) } : {}),
        };
      if (status)
        out.status =
          'certificate' in status
            ? { ...status, certificate: pemField(status.certificate, PEM_CERT) }
            : status;
      return out;
    }
  }
}
