// The Kubernetes kinds certwarden reads, keyed by kind: where they live in the API and whether they
// are namespaced. One registry, shared by the client, the collectors and the test API server.
import { ConfigError } from '../../core/errors.js';
import type { SourceLocation } from '../../core/model.js';

/** The ConfigMap every namespace gets with the cluster CA (counted once per cluster). */
export const CLUSTER_CA_NAME = 'kube-root-ca.crt';

export type KubeKind =
  | 'Secret'
  | 'ConfigMap'
  | 'CertificateSigningRequest'
  | 'ValidatingWebhookConfiguration'
  | 'MutatingWebhookConfiguration'
  | 'APIService'
  | 'Certificate';

/** Where a kind is served: group ('' for the core group), version, plural resource name. */
export interface KindInfo {
  kind: KubeKind;
  group: string;
  version: string;
  plural: string;
  namespaced: boolean;
  /** Short names kubectl accepts; also accepted in inventory (case-insensitive). */
  aliases: string[];
}

export const KINDS: Record<KubeKind, KindInfo> = {
  Secret: { kind: 'Secret', group: '', version: 'v1', plural: 'secrets', namespaced: true, aliases: [] },
  ConfigMap: {
    kind: 'ConfigMap',
    group: '',
    version: 'v1',
    plural: 'configmaps',
    namespaced: true,
    aliases: ['cm'],
  },
  CertificateSigningRequest: {
    kind: 'CertificateSigningRequest',
    group: 'certificates.k8s.io',
    version: 'v1',
    plural: 'certificatesigningrequests',
    namespaced: false,
    aliases: ['csr'],
  },
  ValidatingWebhookConfiguration: {
    kind: 'ValidatingWebhookConfiguration',
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    plural: 'validatingwebhookconfigurations',
    namespaced: false,
    aliases: [],
  },
  MutatingWebhookConfiguration: {
    kind: 'MutatingWebhookConfiguration',
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    plural: 'mutatingwebhookconfigurations',
    namespaced: false,
    aliases: [],
  },
  APIService: {
    kind: 'APIService',
    group: 'apiregistration.k8s.io',
    version: 'v1',
    plural: 'apiservices',
    namespaced: false,
    aliases: [],
  },
  Certificate: {
    kind: 'Certificate',
    group: 'cert-manager.io',
    version: 'v1',
    plural: 'certificates',
    namespaced: true,
    aliases: ['cert', 'certs'],
  },
};

/** Every kind discovery lists by default, in the order it lists them. */
export const DISCOVER_KINDS: KubeKind[] = [
  'Secret',
  'ConfigMap',
  'CertificateSigningRequest',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'APIService',
  'Certificate',
];

/** Resolves what a user wrote (Secret, secrets, csr …) to a kind, or null. */
function lookupKind(name: string): KubeKind | null {
  const n = name.trim().toLowerCase();
  for (const info of Object.values(KINDS)) {
    if (info.kind.toLowerCase() === n || info.plural === n || info.aliases.includes(n)) return info.kind;
    if (`${info.plural}.${info.group}` === n) return info.kind;
  }
  return null;
}

/** Like lookupKind, but an unknown kind is a configuration error listing the valid ones. */
export function resolveKind(name: string, location: SourceLocation | null = null): KubeKind {
  const k = lookupKind(name);
  if (k) return k;
  throw new ConfigError(
    `unknown Kubernetes kind '${name}'. Expected one of: ${Object.keys(KINDS).join(', ')}`,
    location,
  );
}

/** API path of a collection (namespace omitted: cluster-wide) or of one object. */
export function apiPath(kind: KubeKind, namespace?: string | null, name?: string | null): string {
  const info = KINDS[kind];
  const base = info.group === '' ? `/api/${info.version}` : `/apis/${info.group}/${info.version}`;
  const ns = info.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const obj = name ? `/${encodeURIComponent(name)}` : '';
  return `${base}${ns}/${info.plural}${obj}`;
}
