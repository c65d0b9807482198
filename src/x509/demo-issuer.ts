// Certificates for the built-in demo lab (certwarden demo) and the TLS benchmark, issued by
// issue.ts: ECDSA P-256 keys made in memory. Keys live only in the returned objects (handed to
// node:tls servers on loopback); they are never written to a report.
import { issueCertificate, type IssuedCertificate } from './issue.js';

/** A certificate with its key, PEM encoded, for a lab server. */
export interface DemoCert {
  subject: string;
  pem: string;
  der: Buffer;
  /** PKCS#8 PEM of the private key: for the lab's own servers only. */
  keyPem: string;
  sha256: string;
}

/** A CA that can issue further certificates. */
export type DemoCa = IssuedCertificate;

export interface DemoCertOptions {
  cn: string;
  /** Omitted: self-signed. */
  issuer?: DemoCa;
  notBefore?: Date;
  notAfter?: Date;
  dnsNames?: string[];
  ipAddresses?: string[];
}

function issue(opts: DemoCertOptions, ca: boolean, now: Date): Promise<IssuedCertificate> {
  const { cn, issuer, notBefore, notAfter, dnsNames: dns, ipAddresses: ips } = opts;
  const role = ca ? { ca, pathLen: 1 } : { days: 90, eku: ['serverAuth'] };
  return issueCertificate({ cn, issuer, notBefore, notAfter, now, dns, ips, ...role });
}

/** A CA certificate: a self-signed root without `issuer`, an intermediate with one. */
export function demoCa(opts: DemoCertOptions, now = new Date()): Promise<DemoCa> {
  return issue(opts, true, now);
}

/** A TLS server certificate (serverAuth), valid 90 days unless told otherwise. */
export async function demoLeaf(opts: DemoCertOptions, now = new Date()): Promise<DemoCert> {
  const { subject, pem, der, keyPem, sha256 } = await issue(opts, false, now);
  return { subject, pem, der, keyPem, sha256 };
}
