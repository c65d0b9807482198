// What each kind of object holds, as certificates and trust anchors plus details: one extractor per
// kind in a registry, shared by the `kubernetes` collector (one declared object) and discovery.
import { ParseError } from '../../core/errors.js';
import type { ObservedCert } from '../../core/model.js';
import { safeText } from '../../core/text.js';
import { isKeystoreKey, type KubeObject } from './sanitize.js';
import { readCertValue, readKeystoreValue, keystoreFormat } from './certs.js';
import { csrSubject } from './der-helpers.js';
import type { KubeKind } from './kinds.js';

export interface ExtractOptions {
  /** A declared key (Secret/ConfigMap data key, or a webhook's name). */
  key?: string;
  format?: 'pem' | 'pkcs12' | 'jks';
  password?: string;
  /** Where a named key's certificates go (a declared target with trustStore assertions: 'trustStore'). */
  role?: 'certificates' | 'trustStore';
  /** Discovery: keystores without a password are noted, not read. */
  discovery?: boolean;
  /** The source's deadline: a keystore's key derivation stops when it aborts. */
  signal?: AbortSignal;
}

export interface Extracted {
  certificates: ObservedCert[];
  trustStore: ObservedCert[] | null;
  details: Record<string, unknown>;
  warnings: string[];
  /** Set when the declared key is absent: the collector reports not-found. */
  missingKey?: string;
}

type Extractor = (obj: KubeObject, opts: ExtractOptions) => Promise<Extracted>;

function baseDetails(obj: KubeObject): Record<string, unknown> {
  return {
    kind: obj.kind,
    namespace: obj.metadata.namespace ?? null,
    name: obj.metadata.name,
    uid: obj.metadata.uid,
    ...(obj.metadata.creationTimestamp ? { created: obj.metadata.creationTimestamp } : {}),
    ...(obj.metadata.labels?.['app.kubernetes.io/instance']
      ? { release: obj.metadata.labels['app.kubernetes.io/instance'] }
      : {}),
  };
}

function objName(obj: KubeObject): string {
  return obj.metadata.namespace
    ? `${obj.kind} ${obj.metadata.namespace}/${obj.metadata.name}`
    : `${obj.kind} ${obj.metadata.name}`;
}

/** Reads one key: keystore or PEM/DER. A parse problem becomes a warning unless `strict`. */
async function readKey(
  obj: KubeObject,
  key: string,
  b64: string,
  opts: ExtractOptions,
  strict: boolean,
  warnings: string[],
): Promise<ObservedCert[]> {
  const keystore =
    opts.format === 'pkcs12' || opts.format === 'jks' || (opts.format !== 'pem' && isKeystoreKey(key));
  try {
    if (keystore) {
      if (opts.discovery && opts.password === undefined) {
        warnings.push(
          `${key}: ${keystoreFormat(b64)} keystore not read during discovery (declare it with passwordEnv to read it)`,
        );
        return [];
      }
      return await readKeystoreValue(
        b64,
        key,
        opts.format === 'pem' ? undefined : (opts.format ?? keystoreFormat(b64)),
        opts.password,
        warnings,
        opts.signal,
      );
    }
    return readCertValue(b64, key);
  } catch (e) {
    if (strict) throw e;
    warnings.push(
      `${safeText(key)}: ${e instanceof ParseError ? safeText(e.message) : 'cannot be read'} (in ${safeText(objName(obj))})`,
    );
    return [];
  }
}

const TRUST_KEY = /(^|[._-])(ca|cas|trust|bundle|root|roots|truststore)([._-]|$)/i;

const secret: Extractor = async (obj, opts) => {
  const data = obj.data ?? {};
  const warnings: string[] = [];
  const details = { ...baseDetails(obj), type: obj.type ?? null, keys: Object.keys(data).sort() };
  if (opts.key) {
    const v = data[opts.key];
    if (v === undefined)
      return { certificates: [], trustStore: null, details, warnings, missingKey: opts.key };
    const certs = await readKey(obj, opts.key, v, opts, true, warnings);
    const role =
      opts.role ??
      (TRUST_KEY.test(opts.key.replace(/\.(crt|pem|cer|p12|pfx|jks)$/i, '')) ? 'trustStore' : 'certificates');
    return role === 'trustStore'
      ? { certificates: [], trustStore: certs, details, warnings }
      : { certificates: certs, trustStore: null, details, warnings };
  }
  const certificates: ObservedCert[] = [];
  let trustStore: ObservedCert[] | null = null;
  for (const k of Object.keys(data).sort((a, b) =>
    a === 'tls.crt' ? -1 : b === 'tls.crt' ? 1 : a < b ? -1 : 1,
  )) {
    const certs = await readKey(obj, k, data[k] as string, opts, false, warnings);
    if (k === 'tls.crt') certificates.push(...certs);
    else if (k === 'ca.crt' || TRUST_KEY.test(k.replace(/\.(crt|pem|cer|p12|pfx|jks)$/i, '')))
      (trustStore ??= []).push(...certs);
    else certificates.push(...certs);
  }
  return { certificates, trustStore, details, warnings };
};

const configMap: Extractor = async (obj, opts) => {
  const warnings: string[] = [];
  const values: [string, string][] = [
    ...Object.entries(obj.data ?? {}).map(
      ([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')] as [string, string],
    ),
    ...Object.entries(obj.binaryData ?? {}),
  ];
  const details = {
    ...baseDetails(obj),
    keys: values.map(([k]) => k).sort(),
    ...(obj.metadata.name === 'kube-root-ca.crt' ? { clusterCA: true } : {}),
  };
  if (opts.key) {
    const hit = values.find(([k]) => k === opts.key);
    if (!hit) return { certificates: [], trustStore: [], details, warnings, missingKey: opts.key };
    return {
      certificates: [],
      trustStore: await readKey(obj, hit[0], hit[1], opts, true, warnings),
      details,
      warnings,
    };
  }
  const trustStore: ObservedCert[] = [];
  for (const [k, v] of values) trustStore.push(...(await readKey(obj, k, v, opts, false, warnings)));
  return { certificates: [], trustStore, details, warnings };
};

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

function conditions(v: unknown): Condition[] {
  if (!Array.isArray(v)) return [];
  return v
    .filter((c): c is Record<string, unknown> => !!c && typeof c === 'object')
    .map((c) => {
      const out: Condition = {};
      for (const f of [
        'type',
        'status',
        'reason',
        'message',
        'lastUpdateTime',
        'lastTransitionTime',
      ] as const)
        if (typeof c[f] === 'string') out[f] = c[f] as string;
      return out;
    });
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

const csr: Extractor = async (obj, opts) => {
  const spec = obj.spec ?? {};
  const status = obj.status ?? {};
  const conds = conditions(status.conditions);
  const has = (t: string) => conds.some((c) => c.type === t && (c.status ?? 'True') === 'True');
  const warnings: string[] = [];
  let requestedSubject = null;
  if (typeof spec.request === 'string' && spec.request) {
    try {
      const blocks = Buffer.from(spec.request, 'base64')
        .toString('latin1')
        .match(/-----BEGIN (?:NEW )?CERTIFICATE REQUEST-----([\s\S]*?)-----END/);
      if (blocks?.[1]) requestedSubject = csrSubject(Buffer.from(blocks[1].replace(/\s+/g, ''), 'base64'));
    } catch {
      /* an unreadable request is only a missing detail */
    }
  }
  const certificates =
    typeof status.certificate === 'string' && status.certificate
      ? await readKey(
          obj,
          'status.certificate',
          status.certificate,
          { ...opts, format: 'pem' },
          false,
          warnings,
        )
      : [];
  const approvedAt =
    conds.find((c) => c.type === 'Approved')?.lastUpdateTime ??
    conds.find((c) => c.type === 'Approved')?.lastTransitionTime ??
    null;
  return {
    certificates,
    trustStore: null,
    warnings,
    details: {
      ...baseDetails(obj),
      signerName: typeof spec.signerName === 'string' ? spec.signerName : null,
      usages: strings(spec.usages),
      username: typeof spec.username === 'string' ? spec.username : null,
      groups: strings(spec.groups),
      expirationSeconds: typeof spec.expirationSeconds === 'number' ? spec.expirationSeconds : null,
      requestedSubject,
      conditions: conds,
      approved: has('Approved'),
      approvedAt,
      denied: has('Denied'),
      failed: has('Failed'),
      issued: certificates.length > 0,
    },
  };
};

function serviceRef(v: unknown): Record<string, unknown> | null {
  if (!v || typeof v !== 'object') return null;
  const s = v as Record<string, unknown>;
  return {
    namespace: s.namespace ?? null,
    name: s.name ?? null,
    ...(s.path !== undefined ? { path: s.path } : {}),
    ...(s.port !== undefined ? { port: s.port } : {}),
  };
}

const webhooks: Extractor = async (obj, opts) => {
  const warnings: string[] = [];
  const list = (obj.webhooks ?? []).filter((w) => !opts.key || w.name === opts.key);
  const trustStore: ObservedCert[] = [];
  const hooks = [];
  for (const w of list) {
    const cc = (w.clientConfig ?? {}) as Record<string, unknown>;
    const name = typeof w.name === 'string' ? w.name : '?';
    const ca = typeof cc.caBundle === 'string' ? cc.caBundle : '';
    const certs = ca
      ? await readKey(obj, `webhooks[${name}].caBundle`, ca, { ...opts, format: 'pem' }, false, warnings)
      : [];
    trustStore.push(...certs);
    hooks.push({
      name,
      service: serviceRef(cc.service),
      url: typeof cc.url === 'string' ? cc.url : null,
      caBundle: certs.map((c) => c.record.sha256),
    });
  }
  const details = { ...baseDetails(obj), webhooks: hooks };
  if (opts.key && !list.length)
    return { certificates: [], trustStore: [], details, warnings, missingKey: opts.key };
  return { certificates: [], trustStore, details, warnings };
};

const apiService: Extractor = async (obj, opts) => {
  const spec = obj.spec ?? {};
  const warnings: string[] = [];
  const ca = typeof spec.caBundle === 'string' ? spec.caBundle : '';
  const trustStore = ca
    ? await readKey(obj, 'spec.caBundle', ca, { ...opts, format: 'pem' }, false, warnings)
    : [];
  if (spec.insecureSkipTLSVerify === true)
    warnings.push('spec.insecureSkipTLSVerify is true: the API server does not verify this service');
  return {
    certificates: [],
    trustStore,
    warnings,
    details: {
      ...baseDetails(obj),
      service: serviceRef(spec.service),
      group: spec.group ?? null,
      version: spec.version ?? null,
      insecureSkipTLSVerify: spec.insecureSkipTLSVerify === true,
    },
  };
};

const certManagerCertificate: Extractor = async (obj) => {
  const spec = obj.spec ?? {};
  const status = obj.status ?? {};
  const conds = conditions(status.conditions);
  const ready = conds.find((c) => c.type === 'Ready');
  const issuerRef =
    spec.issuerRef && typeof spec.issuerRef === 'object' ? (spec.issuerRef as Record<string, unknown>) : null;
  return {
    certificates: [],
    trustStore: null,
    warnings: [],
    details: {
      ...baseDetails(obj),
      secretName: typeof spec.secretName === 'string' ? spec.secretName : null,
      issuerRef: issuerRef
        ? {
            name: issuerRef.name ?? null,
            kind: issuerRef.kind ?? 'Issuer',
            group: issuerRef.group ?? 'cert-manager.io',
          }
        : null,
      commonName: typeof spec.commonName === 'string' ? spec.commonName : null,
      dnsNames: strings(spec.dnsNames),
      duration: spec.duration ?? null,
      renewBefore: spec.renewBefore ?? null,
      notBefore: status.notBefore ?? null,
      notAfter: status.notAfter ?? null,
      renewalTime: status.renewalTime ?? null,
      ready: ready ? ready.status === 'True' : null,
      readyReason: ready?.reason ?? null,
      readyMessage: ready?.message ? safeText(ready.message).slice(0, 300) : null,
      conditions: conds,
    },
  };
};

/** Extractors by kind (registry, not a switch). */
const EXTRACTORS: Record<KubeKind, Extractor> = {
  Secret: secret,
  ConfigMap: configMap,
  CertificateSigningRequest: csr,
  ValidatingWebhookConfiguration: webhooks,
  MutatingWebhookConfiguration: webhooks,
  APIService: apiService,
  Certificate: certManagerCertificate,
};

/** Certificates, trust anchors and details of one sanitised object. */
export function extractObject(obj: KubeObject, opts: ExtractOptions = {}): Promise<Extracted> {
  return EXTRACTORS[obj.kind](obj, opts);
}

/** True when an object is worth an observation in discovery. */
export function isCertificateBearing(obj: KubeObject): boolean {
  switch (obj.kind) {
    case 'Secret':
      return Object.keys(obj.data ?? {}).length > 0;
    case 'ConfigMap':
      return Object.keys(obj.data ?? {}).length + Object.keys(obj.binaryData ?? {}).length > 0;
    case 'ValidatingWebhookConfiguration':
    case 'MutatingWebhookConfiguration':
      return (obj.webhooks ?? []).some(
        (w) =>
          typeof (w.clientConfig as Record<string, unknown> | undefined)?.caBundle === 'string' &&
          (w.clientConfig as Record<string, string>).caBundle !== '',
      );
    case 'APIService':
      return typeof obj.spec?.caBundle === 'string' && obj.spec.caBundle !== '';
    default:
      return true;
  }
}
