// A small PKI builder for tests: real keys, real signatures, real certificates, issued by the one
// engine in src/x509/issue.ts. Usage:
//   const pki = new Pki();
//   const root = await pki.ca({ cn: 'Test Root' });
//   const issuing = await pki.ca({ cn: 'Issuing', issuer: root, pathLen: 0 });
//   const leaf = await pki.leaf({ cn: 'svc.example', dns: ['svc.example'], issuer: issuing });
//   leaf.pem / leaf.der / leaf.keyPem / leaf.sha256 / pki.chainPem(leaf, issuing)
import {
  createCsr,
  defaultHash,
  generateKeyPair,
  issueCertificate,
  x509,
  type HashName,
  type IssuedCertificate,
  type IssueOptions,
  type KeyPair,
  type KeySpec,
} from '../../src/x509/issue.js';

export type { HashName, KeySpec };

/** An issued certificate with its keys (see IssuedCertificate). */
export type Issued = IssuedCertificate;

/**
 * What to issue (see IssueOptions). Without `subject` or `cn` the CN is "certwarden test N"; the key
 * defaults to p256 even when `keys` are reused, and the hash follows the certificate's own key.
 */
export type CertOptions = Omit<IssueOptions, 'ca' | 'now'>;

/** Builds certificates as of `now` (default: the real clock). Every certificate gets its own fresh key. */
export class Pki {
  readonly now: Date;
  private counter = 0;

  /** `freshKeys` is accepted for older callers; keys are always fresh (distinct SKIs matter for path building). */
  constructor(opts: { now?: Date; freshKeys?: boolean } = {}) {
    this.now = opts.now ?? new Date();
  }

  keyPair(spec: KeySpec = 'p256', hash: HashName = 'SHA-256'): Promise<KeyPair> {
    return generateKeyPair(spec, hash);
  }

  private issue(opts: CertOptions, ca: boolean): Promise<Issued> {
    const key = opts.key ?? 'p256';
    const cn = opts.subject === undefined ? (opts.cn ?? `certwarden test ${++this.counter}`) : opts.cn;
    return issueCertificate({ ...opts, cn, key, hash: opts.hash ?? defaultHash(key), ca, now: this.now });
  }

  /** A CA certificate: self-signed root without `issuer`, intermediate with one. */
  ca(opts: CertOptions = {}): Promise<Issued> {
    return this.issue(opts, true);
  }

  /** An end-entity certificate. */
  leaf(opts: CertOptions): Promise<Issued> {
    return this.issue(opts, false);
  }

  /** PEM of several certificates, in the order given. */
  chainPem(...certs: Issued[]): string {
    return certs.map((c) => c.pem).join('');
  }

  /** A PKCS#10 request for the given key, as PEM (for Kubernetes CSR tests). */
  async csr(opts: {
    subject: string;
    keys?: KeyPair;
    dns?: string[];
    key?: KeySpec;
  }): Promise<{ pem: string; keys: KeyPair }> {
    const keys = opts.keys ?? (await this.keyPair(opts.key ?? 'p256'));
    return { pem: await createCsr({ subject: opts.subject, keys, dns: opts.dns }), keys };
  }
}

export { x509 };
