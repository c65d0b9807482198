// The inventory after loading and validation: plain data with a source location on everything a
// user may need to be pointed at. Shapes follow ARCHITECTURE.md "Inventory format (v1)".
import type { SourceLocation } from '../core/model.js';
import type { Problem } from '../core/errors.js';

export interface SubjectExpect {
  CN?: string;
  O?: string[] | string;
  OU?: string[] | string;
  C?: string[] | string;
}

export interface Expect {
  subject?: SubjectExpect;
  dnsNames?: string[];
  ipAddresses?: string[];
  onlyListedNames?: boolean;
  issuer?: string | SubjectExpect; // anchor id or a subject
  chainTo?: string; // anchor id
  extKeyUsage?: string[];
  sha256?: string; // pin, normalised lowercase hex without colons
  /** The server must staple an OCSP response (endpoints). */
  ocspStapling?: boolean;
}

/** soft (default): check where a certificate names a source, unknown is a warning; hard: unknown is an error; off: no checking. */
export type RevocationMode = 'soft' | 'hard' | 'off';

/** Revocation checking for a target (inventory `revocation`, from `defaults` or the target). */
export interface RevocationSettings {
  mode: RevocationMode;
}

/**
 * What certwarden may fetch beside collection (inventory `network`: in `defaults`, on a zone, on a
 * target). `fetch: false`: nothing is fetched for the target, neither issuers from AIA caIssuers
 * URLs nor OCSP responses or CRLs (stapled responses are still read); the findings say so.
 */
export interface NetworkSettings {
  fetch: boolean;
}

export interface TrustStoreExpect {
  contains?: string[]; // anchor ids
  only?: boolean;
}

export interface Renewal {
  method: 'manual' | 'kubernetes-csr' | 'cert-manager' | 'kubeadm';
  runbook?: string;
  signerName?: string;
  usages?: string[];
  expirationSeconds?: number;
  secret?: { namespace: string; name: string };
  /** kubernetes-csr: the cluster whose CSR API issues (default: the target's own cluster). */
  cluster?: string;
  [k: string]: unknown;
}

export interface EndpointSource {
  host: string;
  port: number;
  serverName?: string;
  starttls?: 'smtp' | 'imap' | 'pop3' | 'ldap' | 'postgres';
  via?: string; // proxy URL: http://host:port or socks5://host:port
}

export interface FileSource {
  path: string; // absolute after resolution
  format?: 'auto' | 'pem' | 'der' | 'pkcs12' | 'jks';
  passwordEnv?: string;
}

export interface KubeconfigSource {
  path: string; // absolute after resolution
  user?: string;
}

export interface KubernetesSource {
  cluster: string;
  kind: string;
  namespace?: string;
  name: string;
  key?: string;
  format?: 'pem' | 'pkcs12' | 'jks';
  passwordEnv?: string;
}

export interface KubeadmPreset {
  pkiDir: string;
  confDir?: string;
  nodeName: string;
  advertiseAddress?: string;
  serviceSubnet?: string;
  clusterDomain?: string;
  controlPlaneEndpoint?: string;
  etcd?: boolean;
}

export interface DiscoverSource {
  cluster: string;
  namespaces?: string[];
  kinds?: string[];
}

export type TargetSource =
  | { kind: 'endpoint'; endpoint: EndpointSource }
  | { kind: 'file'; file: FileSource }
  | { kind: 'kubeconfig'; kubeconfig: KubeconfigSource }
  | { kind: 'kubernetes'; kubernetes: KubernetesSource }
  | { kind: 'preset'; preset: { kubeadm: KubeadmPreset } }
  | { kind: 'discover'; discover: DiscoverSource };

export interface Target {
  id: string;
  inventory: string; // metadata.name of the inventory that declares it
  location: SourceLocation; // where the target starts in the YAML
  source: TargetSource;
  expect?: Expect;
  trustStore?: TrustStoreExpect;
  renewal?: Renewal;
  /** Resolved: the target's own, else the inventory defaults; absent means soft. */
  revocation?: RevocationSettings;
  /** Resolved: the target's own, else its zone's, else the inventory defaults; absent means fetch: true. */
  network?: NetworkSettings;
  policies: string[]; // resolved: target's own, else the inventory defaults
  owners: string[];
  zone: string | null;
  labels: Record<string, string>;
  /** Set when a preset expanded into this target: the id of the preset target. */
  expandedFrom?: string;
  /** Kubernetes naming role for kubeadm-generated targets (used by the kubernetes-pki pack). */
  role?: string;
  /** Paths into the YAML for finer locations, e.g. "expect.sha256" -> location. */
  paths?: Record<string, SourceLocation>;
}

export interface Anchor {
  id: string;
  file: string; // absolute
  sha256: string; // fingerprint of the certificate (computed), lowercase hex
  location: SourceLocation;
  /** Parsed certificate (public). */
  der: string; // base64
}

export interface Bundle {
  id: string;
  file: string; // absolute
  key?: string;
  contains: string[];
  only?: boolean;
  location: SourceLocation;
}

export interface ClusterRef {
  name: string;
  kubeconfig: { path?: string; env?: string; inCluster?: boolean; context?: string };
  allowExec?: boolean;
  allowInsecure?: boolean;
  location: SourceLocation;
}

export interface InventoryDoc {
  name: string;
  file: string;
  owners: string[];
  defaults: {
    policies: string[];
    zone: string | null;
    owners: string[];
    revocation?: RevocationSettings;
    network?: NetworkSettings;
  };
}

/** A network zone: targets reachable from one place (a runner label), optionally through a proxy. */
export interface Zone {
  name: string;
  via?: string;
  /** `network: {fetch: false}`: an air-gapped zone (nothing fetched for its targets unless they say otherwise). */
  network?: NetworkSettings;
  location: SourceLocation;
}

/** Everything loaded from one or more inventory folders. */
export interface LoadedInventory {
  inventories: InventoryDoc[];
  /** Declared zones (optional: zones may also be named by targets alone). */
  zones?: Map<string, Zone>;
  anchors: Map<string, Anchor>;
  bundles: Bundle[];
  clusters: Map<string, ClusterRef>;
  targets: Target[];
  /** What may be missing here but present where the scan runs (a kubeconfig variable, a runner's file). */
  warnings?: Problem[];
}
