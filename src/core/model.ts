// Plain data shared by every stage of the pipeline. Nothing here does I/O.
// Stages hand each other these records; a certificate is parsed once into a CertRecord.

export type Severity = 'error' | 'warning' | 'info';
export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** A distinguished name: the full RFC 4514 string plus the attributes people compare on. */
export interface Name {
  dn: string;
  CN: string | null;
  O: string[];
  OU: string[];
  C: string[];
  L: string[];
  ST: string[];
}

export type KeyType = 'RSA' | 'EC' | 'Ed25519' | 'Ed448' | 'DSA' | 'RSA-PSS' | 'unknown';
export type CertRole = 'leaf' | 'intermediate' | 'root';

/** One certificate, parsed once. Public material only. `der` is base64 of the DER encoding. */
export interface CertRecord {
  sha256: string; // lowercase hex, no separators
  subject: Name;
  issuer: Name;
  serial: string; // lowercase hex
  notBefore: string; // ISO-8601
  notAfter: string; // ISO-8601
  dnsNames: string[];
  ipAddresses: string[]; // canonical text form
  emailAddresses: string[];
  uris: string[];
  keyType: KeyType;
  keyBits: number | null;
  curve: string | null; // P-256, P-384, P-521, or the OID/name when unusual
  /** Set when the public key could not be read: checks on the key must say "cannot evaluate". */
  keyError: string | null;
  signatureAlgorithm: string; // e.g. sha256WithRSAEncryption, ecdsa-with-SHA384, ED25519
  signatureHash: string | null; // sha256, sha1, md5 … (null for Ed25519 or unknown)
  isCA: boolean; // basicConstraints cA
  pathLen: number | null;
  hasBasicConstraints: boolean;
  keyUsage: string[] | null; // digitalSignature, keyEncipherment, keyCertSign, cRLSign … null = absent
  extKeyUsage: string[] | null; // serverAuth, clientAuth, … or dotted OIDs; null = absent
  subjectKeyId: string | null;
  authorityKeyId: string | null;
  selfIssued: boolean; // subject == issuer
  version: number;
  der: string; // base64 DER
}

export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export type SourceKind = 'endpoint' | 'kubernetes' | 'file' | 'kubeconfig' | 'preset' | 'discover';

/** Why a source could not be read. */
export type UnreachableReason =
  | 'dns'
  | 'refused'
  | 'timeout'
  | 'reset'
  | 'tls-alert'
  | 'protocol'
  | 'proxy'
  | 'not-found'
  | 'forbidden'
  | 'io'
  | 'parse'
  | 'config';

/** One certificate as observed at a source, with where in the source it was found. */
export interface ObservedCert {
  /** e.g. "presented[0]", "tls.crt[1]", "users[admin].client-certificate", "alias:myroot" */
  origin: string;
  record: CertRecord;
}

/** What a collector saw for one target (or one discovered object). Serialisable JSON. */
export interface Observation {
  target: string;
  source: { kind: SourceKind | string; [k: string]: unknown };
  collectedAt: string;
  status: 'ok' | 'unreachable' | 'error';
  error: { reason: UnreachableReason | string; message: string } | null;
  /** Certificates that the source presents as "its" certificate(s): leaf first where that applies. */
  certificates: ObservedCert[];
  /** Certificates held as trust anchors (CA bundles, trust stores, kubeconfig certificate-authority). */
  trustStore: ObservedCert[] | null;
  /** TLS details for endpoints. */
  tls?: {
    protocol: string | null;
    cipher: string | null;
    clientCertRequested: boolean;
    /** How the presented chain was captured: "handshake" (raw Certificate message) or "peer-certificate". */
    chainMethod: string;
    alpn?: string | null;
    /** The OCSP response the server stapled (base64 DER); absent when it stapled none. */
    ocspStaple?: string;
  };
  /** Revocation status of the certificates of the target's path (absent: not checked). */
  revocation?: ObservedRevocation;
  /** Free-form extra facts from a source (CSR conditions, cert-manager status, …). */
  details?: Record<string, unknown>;
  /** Sub-observations, e.g. one per kubeconfig user or per preset file. */
  warnings?: string[];
  /**
   * Issuer certificates the source did not send, fetched from the caIssuers URL of the top
   * certificate it did send (authorityInfoAccess), for the evaluation to name and verify.
   */
  issuers?: FetchedIssuer[];
}

/** What a caIssuers URL served for a certificate whose issuer was not sent. */
export interface FetchedIssuer {
  /** sha256 of the certificate whose authorityInfoAccess named the URL. */
  for: string;
  url: string;
  /** The certificates the URL served (parsed like any certificate from a server: hostile input). */
  certificates: ObservedCert[];
  /** Why nothing usable came (not fetched, refused, too large, not certificates); null when it did. */
  error: string | null;
}

/** Revocation status of one certificate, as reports show it (times ISO-8601). */
export interface RevocationStatus {
  status: 'good' | 'revoked' | 'unknown';
  source: 'ocsp' | 'crl' | 'staple' | null;
  checkedAt: string;
  thisUpdate: string | null;
  nextUpdate: string | null;
  reason: string | null;
  revokedAt: string | null;
}

/** What revocation checking found for one certificate of a path. */
export interface RevocationCheck extends RevocationStatus {
  /** sha256 of the certificate. */
  certificate: string;
  /** The responder or CRL URL the status came from. */
  url: string | null;
  /** Why the status is unknown, or what was tried and not trusted (for people). */
  problems: string[];
  /**
   * Set when no source was asked: the certificate names none ('no-source'), fetching is off
   * ('offline'), or its issuer is not known, so no answer could be verified ('no-issuer').
   */
  unchecked: 'no-source' | 'offline' | 'no-issuer' | null;
  /** The certificate carries the TLS feature must-staple (status_request). */
  mustStaple: boolean;
}

/** A stapled OCSP response as verified for the leaf; `problem` says why it cannot be used. */
export interface StapleCheck extends Omit<RevocationStatus, 'source' | 'checkedAt'> {
  problem: string | null;
}

/** Revocation results carried by an observation: collected where the network reaches. */
export interface ObservedRevocation {
  checkedAt: string;
  /** One per certificate of the path except the trust anchor, leaf first. */
  checks: RevocationCheck[];
  /** The stapled response, when the server sent one. */
  staple: StapleCheck | null;
}

export interface ChainResult {
  trusted: boolean;
  anchor: string | null; // anchor id
  path: string[]; // sha256 leaf -> anchor
  problems: ChainProblem[];
}

export interface ChainProblem {
  code:
    | 'untrusted'
    | 'incomplete'
    | 'order'
    | 'extra'
    | 'expired'
    | 'not-yet-valid'
    | 'signature'
    | 'basic-constraints'
    | 'path-length'
    | 'key-usage'
    | 'name-constraints'
    | 'eku'
    | 'depth'
    | 'name-mismatch'
    | 'expired-ca'
    | 'unsupported';
  message: string;
  certificate: string | null; // sha256 of the certificate concerned
}

export type RemediationKind = 'renew' | 'pin' | 'bundle' | 'manual' | 'inventory';

export interface Finding {
  id: string;
  target: string;
  check: string;
  rule: string | null;
  severity: Severity;
  message: string;
  certificate: string | null;
  location: SourceLocation | null;
  remediation: { kind: RemediationKind; [k: string]: unknown } | null;
  waived: null | { reason: string; owner: string; expires: string };
}

export interface ReportCertificate {
  sha256: string;
  subject: Name;
  issuer: Name;
  serial: string;
  notBefore: string;
  notAfter: string;
  daysRemaining: number;
  dnsNames: string[];
  ipAddresses: string[];
  keyType: KeyType;
  keyBits: number | null;
  curve: string | null;
  signatureAlgorithm: string;
  isCA: boolean;
  role: CertRole;
  origin?: string;
  /** Present when the certificate's revocation status was looked for. */
  revocation?: RevocationStatus;
}

export interface ReportTarget {
  id: string;
  inventory: { file: string; line: number };
  source: Record<string, unknown>;
  status: 'ok' | 'findings' | 'unreachable' | 'error';
  certificates: ReportCertificate[];
  chain: ChainResult | null;
  zone?: string | null;
  owners?: string[];
  labels?: Record<string, string>;
  /** The observation's TLS facts; a stapled OCSP response shows as `ocspStapled: true`, not its bytes. */
  tls?: Omit<NonNullable<Observation['tls']>, 'ocspStaple'> & { ocspStapled?: true };
}

export interface Report {
  schemaVersion: 1;
  tool: { name: 'certwarden'; version: string };
  evaluatedAt: string;
  summary: {
    targets: number;
    certificates: number;
    findings: { error: number; warning: number; info: number };
    waived: number;
  };
  targets: ReportTarget[];
  findings: Finding[];
}
