// A tiny certificate issuer for the built-in demo lab (certwarden demo) and the TLS benchmark:
// ECDSA P-256 keys made in memory, certificates signed with @peculiar/x509. Keys live only in the
// returned objects (handed to node:tls servers on loopback); they are never written to a report.
import 'reflect-metadata';
import { webcrypto, createHash, randomBytes } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type KeyPair = webcrypto.CryptoKeyPair;

const DAY = 86_400_000;
const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

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
export interface DemoCa extends DemoCert {
  readonly cert: x509.X509Certificate;
  readonly keys: KeyPair;
}

export interface DemoCertOptions {
  cn: string;
  /** Omitted: self-signed. */
  issuer?: DemoCa;
  notBefore?: Date;
  notAfter?: Date;
  dnsNames?: string[];
  ipAddresses?: string[];
}

function pem(der: ArrayBuffer | Buffer, label: string): string {
  const b64 = Buffer.from(der as ArrayBuffer).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
}

async function issue(opts: DemoCertOptions, isCA: boolean, now: Date): Promise<DemoCa> {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as unknown as KeyPair;
  const subject = `CN=${opts.cn.replace(/([,+"\\<>;=])/g, '\\$1')}`;
  const notBefore = opts.notBefore ?? new Date(now.getTime() - DAY);
  const notAfter = opts.notAfter ?? new Date(notBefore.getTime() + (isCA ? 3650 : 90) * DAY);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(isCA, isCA ? 1 : undefined, true),
    new x509.KeyUsagesExtension(
      isCA
        ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature
        : x509.KeyUsageFlags.digitalSignature,
      true,
    ),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  if (opts.issuer) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(opts.issuer.cert));
  if (!isCA) extensions.push(new x509.ExtendedKeyUsageExtension(['1.3.6.1.5.5.7.3.1'], false));
  const san = [
    ...(opts.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(opts.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  if (san.length) extensions.push(new x509.SubjectAlternativeNameExtension(san, false));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: '01' + randomBytes(15).toString('hex'),
    subject,
    issuer: opts.issuer ? opts.issuer.cert.subject : subject,
    notBefore,
    notAfter,
    signingAlgorithm: ALG,
    publicKey: keys.publicKey,
    signingKey: (opts.issuer ? opts.issuer.keys : keys).privateKey,
    extensions,
  });
  const der = Buffer.from(cert.rawData);
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey as never);
  return {
    cert,
    keys,
    subject: cert.subject,
    der,
    pem: pem(der, 'CERTIFICATE'),
    keyPem: pem(pkcs8, 'PRIVATE KEY'),
    sha256: createHash('sha256').update(der).digest('hex'),
  };
}

/** A CA certificate: a self-signed root without `issuer`, an intermediate with one. */
export function demoCa(opts: DemoCertOptions, now = new Date()): Promise<DemoCa> {
  return issue(opts, true, now);
}

/** A TLS server certificate (serverAuth). */
export async function demoLeaf(opts: DemoCertOptions, now = new Date()): Promise<DemoCert> {
  const { subject, pem: p, der, keyPem, sha256 } = await issue(opts, false, now);
  return { subject, pem: p, der, keyPem, sha256 };
}
