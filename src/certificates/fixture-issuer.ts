// Builds real certificates from a small description, for `certwarden test` fixtures (policy tests
// kept beside policies). Keys live only in memory for the run; only certificates come out.
import 'reflect-metadata';
import { createHash, randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export type FixtureKey = 'p256' | 'p384' | 'p521' | 'rsa1024' | 'rsa2048' | 'rsa3072' | 'rsa4096' | 'ed25519';
export type FixtureHash = 'sha1' | 'sha256' | 'sha384' | 'sha512';

/** One fixture certificate as written in a *.test.yaml file. Offsets are in days from the test's `now`. */
export interface FixtureDescription {
  cn?: string;
  o?: string[];
  ou?: string[];
  dns?: string[];
  ips?: string[];
  emails?: string[];
  key?: FixtureKey;
  hash?: FixtureHash;
  /** Lifetime in days (default 365 for leaves, 3650 for CAs). */
  days?: number;
  /** notBefore as days from now (default -1); notAfter = notBefore + days unless `notAfter` is given. */
  notBefore?: number;
  notAfter?: number;
  ca?: boolean;
  pathLen?: number;
  /** Name of another fixture that signs this one; omitted: self-signed. */
  issuer?: string;
  eku?: string[];
  keyUsage?: string[] | null;
  basicConstraints?: boolean;
}

export interface IssuedFixture {
  name: string;
  der: Uint8Array;
  pem: string;
  sha256: string;
}

export const FIXTURE_KEYS: FixtureKey[] = [
  'p256',
  'p384',
  'p521',
  'rsa1024',
  'rsa2048',
  'rsa3072',
  'rsa4096',
  'ed25519',
];
export const FIXTURE_HASHES: FixtureHash[] = ['sha1', 'sha256', 'sha384', 'sha512'];

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
};

const DAY = 86_400_000;
const HASH: Record<FixtureHash, string> = {
  sha1: 'SHA-1',
  sha256: 'SHA-256',
  sha384: 'SHA-384',
  sha512: 'SHA-512',
};

function algorithms(key: FixtureKey, hash: string): { gen: any; sign: any } {
  if (key === 'ed25519') return { gen: { name: 'Ed25519' }, sign: { name: 'Ed25519' } };
  if (key.startsWith('p')) {
    const namedCurve = { p256: 'P-256', p384: 'P-384', p521: 'P-521' }[key as 'p256'];
    return { gen: { name: 'ECDSA', namedCurve }, sign: { name: 'ECDSA', hash } };
  }
  const modulusLength = Number(key.slice(3));
  return {
    gen: { name: 'RSASSA-PKCS1-v1_5', modulusLength, publicExponent: new Uint8Array([1, 0, 1]), hash },
    sign: { name: 'RSASSA-PKCS1-v1_5', hash },
  };
}

function escapeDn(v: string): string {
  return v
    .replace(/([,+"\\<>;=])/g, '\\$1')
    .replace(/^([ #])/, '\\$1')
    .replace(/ $/, '\\ ');
}

/** Where a description is wrong, as "name: problem" (the caller adds file and line). */
export class FixtureError extends Error {
  constructor(
    readonly fixture: string,
    message: string,
  ) {
    super(`${fixture}: ${message}`);
    this.name = 'FixtureError';
  }
}

interface Built extends IssuedFixture {
  cert: x509.X509Certificate;
  keys: webcrypto.CryptoKeyPair;
  key: FixtureKey;
}

/** Issues every described certificate (issuers first), as of `now`. Throws FixtureError for a bad description. */
export async function issueFixtures(
  descriptions: Record<string, FixtureDescription>,
  now: Date,
): Promise<Map<string, IssuedFixture>> {
  const built = new Map<string, Built>();
  const visiting = new Set<string>();
  const build = async (name: string): Promise<Built> => {
    const done = built.get(name);
    if (done) return done;
    const d = descriptions[name];
    if (!d) throw new FixtureError(name, 'no such fixture certificate');
    if (visiting.has(name)) throw new FixtureError(name, 'issuer chain loops back to itself');
    visiting.add(name);
    const issuer = d.issuer
      ? await build(d.issuer).catch((e) => {
          if (e instanceof FixtureError && e.fixture === d.issuer && /no such/.test(e.message))
            throw new FixtureError(name, `issuer '${d.issuer}' is not a fixture in this file`);
          throw e;
        })
      : null;
    const b = await issueOne(name, d, issuer, now);
    built.set(name, b);
    visiting.delete(name);
    return b;
  };
  for (const name of Object.keys(descriptions)) await build(name);
  return new Map([...built].map(([k, v]) => [k, { name: v.name, der: v.der, pem: v.pem, sha256: v.sha256 }]));
}

async function issueOne(
  name: string,
  d: FixtureDescription,
  issuer: Built | null,
  now: Date,
): Promise<Built> {
  const key = d.key ?? 'p256';
  if (!FIXTURE_KEYS.includes(key))
    throw new FixtureError(name, `unknown key '${key}' (valid: ${FIXTURE_KEYS.join(', ')})`);
  if (d.hash && !FIXTURE_HASHES.includes(d.hash))
    throw new FixtureError(name, `unknown hash '${d.hash}' (valid: ${FIXTURE_HASHES.join(', ')})`);
  const signerKey = issuer ? issuer.key : key;
  const defaultHash = signerKey === 'p384' ? 'sha384' : signerKey === 'p521' ? 'sha512' : 'sha256';
  const hash = HASH[d.hash ?? defaultHash];
  const isCA = d.ca ?? false;
  const keys = (await webcrypto.subtle.generateKey(algorithms(key, hash).gen, true, [
    'sign',
    'verify',
  ])) as unknown as webcrypto.CryptoKeyPair;
  const signAlg = algorithms(signerKey, hash).sign;
  const notBefore = new Date(now.getTime() + (d.notBefore ?? -1) * DAY);
  const notAfter =
    d.notAfter !== undefined
      ? new Date(now.getTime() + d.notAfter * DAY)
      : new Date(notBefore.getTime() + (d.days ?? (isCA ? 3650 : 365)) * DAY);
  const parts = [
    `CN=${escapeDn(d.cn ?? name)}`,
    ...(d.ou ?? []).map((v) => `OU=${escapeDn(v)}`),
    ...(d.o ?? []).map((v) => `O=${escapeDn(v)}`),
  ];
  const subject = parts.join(', ');
  const extensions: x509.Extension[] = [];
  if (d.basicConstraints !== false)
    extensions.push(new x509.BasicConstraintsExtension(isCA, isCA ? d.pathLen : undefined, true));
  const ku =
    d.keyUsage === undefined
      ? isCA
        ? ['keyCertSign', 'cRLSign', 'digitalSignature']
        : ['digitalSignature', ...(key.startsWith('rsa') ? ['keyEncipherment'] : [])]
      : d.keyUsage;
  if (ku) {
    let flags = 0;
    for (const n of ku) {
      const f = KU[n];
      if (f === undefined)
        throw new FixtureError(name, `unknown key usage '${n}' (valid: ${Object.keys(KU).join(', ')})`);
      flags |= f;
    }
    extensions.push(new x509.KeyUsagesExtension(flags, true));
  }
  if (d.eku?.length)
    extensions.push(
      new x509.ExtendedKeyUsageExtension(
        d.eku.map((e) => EKU[e] ?? e),
        false,
      ),
    );
  const san: x509.JsonGeneralName[] = [
    ...(d.dns ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(d.ips ?? []).map((value) => ({ type: 'ip' as const, value })),
    ...(d.emails ?? []).map((value) => ({ type: 'email' as const, value })),
  ];
  if (san.length) extensions.push(new x509.SubjectAlternativeNameExtension(san, false));
  extensions.push(await x509.SubjectKeyIdentifierExtension.create(keys.publicKey));
  if (issuer) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(issuer.cert));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: '01' + randomBytes(15).toString('hex'),
    subject,
    issuer: issuer ? issuer.cert.subject : subject,
    notBefore,
    notAfter,
    signingAlgorithm: signAlg,
    publicKey: keys.publicKey,
    signingKey: issuer ? issuer.keys.privateKey : keys.privateKey,
    extensions,
  });
  const der = new Uint8Array(cert.rawData);
  return {
    name,
    cert,
    keys,
    key,
    der,
    pem: cert.toString('pem') + '\n',
    sha256: createHash('sha256').update(der).digest('hex'),
  };
}
