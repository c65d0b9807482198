// A small PKI builder for tests: real keys, real signatures, real certificates.
// Usage:
//   const pki = new Pki();
//   const root = await pki.ca({ cn: 'Test Root' });
//   const issuing = await pki.ca({ cn: 'Issuing', issuer: root, pathLen: 0 });
//   const leaf = await pki.leaf({ cn: 'svc.example', dns: ['svc.example'], issuer: issuing });
//   leaf.pem / leaf.der / leaf.keyPem / leaf.sha256 / pki.chainPem(leaf, issuing)
import 'reflect-metadata';
import { webcrypto, createHash, randomBytes } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export type KeySpec = 'p256' | 'p384' | 'p521' | 'rsa1024' | 'rsa2048' | 'rsa3072' | 'rsa4096' | 'ed25519';
export type HashName = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

export interface CertOptions {
  /** Common name; ignored when `subject` is given. */
  cn?: string;
  /** Full subject as an RFC 4514 string, e.g. "CN=x, O=system:nodes". */
  subject?: string;
  o?: string[];
  ou?: string[];
  issuer?: Issued; // omitted: self-signed
  key?: KeySpec;
  hash?: HashName;
  notBefore?: Date;
  notAfter?: Date;
  /** Lifetime in days from notBefore (default: 365 for leaves, 3650 for CAs). */
  days?: number;
  dns?: string[];
  ips?: string[];
  emails?: string[];
  /** Extended key usages by name (serverAuth, clientAuth, codeSigning, …) or OID. */
  eku?: string[];
  /** Key usages by name; `null` omits the extension. */
  keyUsage?: string[] | null;
  /** `false` omits basicConstraints entirely. */
  basicConstraints?: boolean;
  pathLen?: number;
  serial?: string;
  /** Extra extensions, already built. */
  extensions?: x509.Extension[];
  /** Omit subject/authority key identifiers. */
  noKeyIds?: boolean;
  /** Reuse an existing key pair (e.g. to re-issue a certificate with the same key). */
  keys?: CryptoKeyPair;
}

export interface Issued {
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
  pem: string;
  der: Buffer;
  keyPem: string;
  sha256: string;
  subject: string;
}

const EKU: Record<string, string> = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  OCSPSigning: '1.3.6.1.5.5.7.3.9',
  anyExtendedKeyUsage: '2.5.29.37.0',
};

const KU: Record<string, number> = {
  digitalSignature: x509.KeyUsageFlags.digitalSignature,
  nonRepudiation: x509.KeyUsageFlags.nonRepudiation,
  keyEncipherment: x509.KeyUsageFlags.keyEncipherment,
  dataEncipherment: x509.KeyUsageFlags.dataEncipherment,
  keyAgreement: x509.KeyUsageFlags.keyAgreement,
  keyCertSign: x509.KeyUsageFlags.keyCertSign,
  cRLSign: x509.KeyUsageFlags.cRLSign,
  encipherOnly: x509.KeyUsageFlags.encipherOnly,
  decipherOnly: x509.KeyUsageFlags.decipherOnly,
};

const DAY = 86_400_000;

function keyAlgorithm(spec: KeySpec, hash: HashName): { gen: any; sign: any } {
  switch (spec) {
    case 'p256':
    case 'p384':
    case 'p521': {
      const namedCurve = { p256: 'P-256', p384: 'P-384', p521: 'P-521' }[spec];
      return { gen: { name: 'ECDSA', namedCurve }, sign: { name: 'ECDSA', hash } };
    }
    case 'ed25519':
      return { gen: { name: 'Ed25519' }, sign: { name: 'Ed25519' } };
    default: {
      const modulusLength = Number(spec.slice(3));
      return {
        gen: { name: 'RSASSA-PKCS1-v1_5', modulusLength, publicExponent: new Uint8Array([1, 0, 1]), hash },
        sign: { name: 'RSASSA-PKCS1-v1_5', hash },
      };
    }
  }
}

function toPem(der: ArrayBuffer | Buffer, label: string): string {
  const b64 = Buffer.from(der as ArrayBuffer).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
}

/** Builds certificates. Keys are cached per spec unless `freshKeys` is set, since RSA generation is slow. */
export class Pki {
  private keyCache = new Map<string, CryptoKeyPair[]>();
  readonly now: Date;

  constructor(opts: { now?: Date; freshKeys?: boolean } = {}) {
    this.now = opts.now ?? new Date();
    this.freshKeys = opts.freshKeys ?? false;
  }
  private freshKeys: boolean;
  private counter = 0;

  async keyPair(spec: KeySpec = 'p256', hash: HashName = 'SHA-256'): Promise<CryptoKeyPair> {
    const { gen } = keyAlgorithm(spec, hash);
    return (await webcrypto.subtle.generateKey(gen, true, ['sign', 'verify'])) as unknown as CryptoKeyPair;
  }

  private async keysFor(spec: KeySpec, hash: HashName): Promise<CryptoKeyPair> {
    // Each certificate gets its own key (distinct SKIs matter for path building), but RSA keys
    // are generated once per (spec, index) so repeated test runs stay fast.
    if (this.freshKeys || spec.startsWith('p') || spec === 'ed25519') return this.keyPair(spec, hash);
    const cacheKey = `${spec}/${hash}`;
    const list = this.keyCache.get(cacheKey) ?? [];
    this.keyCache.set(cacheKey, list);
    const k = await this.keyPair(spec, hash);
    list.push(k);
    return k;
  }

  private async issue(opts: CertOptions, isCA: boolean): Promise<Issued> {
    const spec = opts.key ?? 'p256';
    const hash = opts.hash ?? (spec === 'p384' ? 'SHA-384' : spec === 'p521' ? 'SHA-512' : 'SHA-256');
    const keys = opts.keys ?? (await this.keysFor(spec, hash));
    const issuer = opts.issuer;
    const signAlg = issuer
      ? keyAlgorithm(guessSpec(issuer.keys), hash).sign
      : keyAlgorithm(spec, hash).sign;
    const notBefore = opts.notBefore ?? new Date(this.now.getTime() - DAY);
    const days = opts.days ?? (isCA ? 3650 : 365);
    const notAfter = opts.notAfter ?? new Date(notBefore.getTime() + days * DAY);
    const subject = opts.subject ?? buildSubject(opts.cn ?? `certwarden test ${++this.counter}`, opts.o, opts.ou);

    const extensions: x509.Extension[] = [];
    if (opts.basicConstraints !== false) {
      extensions.push(new x509.BasicConstraintsExtension(isCA, isCA ? opts.pathLen : undefined, true));
    }
    const ku = opts.keyUsage === undefined ? (isCA ? ['keyCertSign', 'cRLSign', 'digitalSignature'] : ['digitalSignature', ...(spec.startsWith('rsa') ? ['keyEncipherment'] : [])]) : opts.keyUsage;
    if (ku) extensions.push(new x509.KeyUsagesExtension(ku.reduce((f, n) => f | must(KU, n, 'key usage'), 0), true));
    if (opts.eku?.length) extensions.push(new x509.ExtendedKeyUsageExtension(opts.eku.map((e) => EKU[e] ?? e), false));
    const san: x509.JsonGeneralName[] = [
      ...(opts.dns ?? []).map((value) => ({ type: 'dns' as const, value })),
      ...(opts.ips ?? []).map((value) => ({ type: 'ip' as const, value })),
      ...(opts.emails ?? []).map((value) => ({ type: 'email' as const, value })),
    ];
    if (san.length) extensions.push(new x509.SubjectAlternativeNameExtension(san, false));
    if (!opts.noKeyIds) {
      extensions.push(await x509.SubjectKeyIdentifierExtension.create(keys.publicKey));
      if (issuer) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(issuer.cert));
    }
    extensions.push(...(opts.extensions ?? []));

    const serialNumber = opts.serial ?? '01' + randomBytes(15).toString('hex');
    const cert = issuer
      ? await x509.X509CertificateGenerator.create({
          serialNumber,
          subject,
          issuer: issuer.cert.subject,
          notBefore,
          notAfter,
          signingAlgorithm: signAlg,
          publicKey: keys.publicKey,
          signingKey: issuer.keys.privateKey,
          extensions,
        })
      : await x509.X509CertificateGenerator.create({
          serialNumber,
          subject,
          issuer: subject,
          notBefore,
          notAfter,
          signingAlgorithm: signAlg,
          publicKey: keys.publicKey,
          signingKey: keys.privateKey,
          extensions,
        });
    const der = Buffer.from(cert.rawData);
    const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey as any);
    return {
      cert,
      keys,
      der,
      pem: toPem(der, 'CERTIFICATE'),
      keyPem: toPem(pkcs8, 'PRIVATE KEY'),
      sha256: createHash('sha256').update(der).digest('hex'),
      subject: cert.subject,
    };
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
  async csr(opts: { subject: string; keys?: CryptoKeyPair; dns?: string[]; key?: KeySpec }): Promise<{ pem: string; keys: CryptoKeyPair }> {
    const keys = opts.keys ?? (await this.keyPair(opts.key ?? 'p256'));
    const spec = guessSpec(keys);
    const { sign } = keyAlgorithm(spec, 'SHA-256');
    const extensions: x509.Extension[] = [];
    if (opts.dns?.length) extensions.push(new x509.SubjectAlternativeNameExtension(opts.dns.map((value) => ({ type: 'dns' as const, value }))));
    const req = await x509.Pkcs10CertificateRequestGenerator.create({ name: opts.subject, keys, signingAlgorithm: sign, extensions });
    return { pem: req.toString('pem'), keys };
  }
}

function guessSpec(keys: CryptoKeyPair): KeySpec {
  const alg = keys.privateKey.algorithm as any;
  if (alg.name === 'ECDSA') return ({ 'P-256': 'p256', 'P-384': 'p384', 'P-521': 'p521' } as const)[alg.namedCurve as 'P-256'];
  if (alg.name === 'Ed25519') return 'ed25519';
  return `rsa${alg.modulusLength}` as KeySpec;
}

function escapeDnValue(v: string): string {
  return v.replace(/([,+"\\<>;=])/g, '\\$1').replace(/^([ #])/, '\\$1').replace(/ $/, '\\ ');
}

function buildSubject(cn: string, o?: string[], ou?: string[]): string {
  const parts = [`CN=${escapeDnValue(cn)}`];
  for (const v of ou ?? []) parts.push(`OU=${escapeDnValue(v)}`);
  for (const v of o ?? []) parts.push(`O=${escapeDnValue(v)}`);
  return parts.join(', ');
}

function must<T>(map: Record<string, T>, name: string, what: string): T {
  const v = map[name];
  if (v === undefined) throw new Error(`unknown ${what} '${name}'`);
  return v;
}

export { toPem, x509 };
