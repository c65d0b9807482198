// The one certificate issuer: real keys, real signatures, real X.509 via @peculiar/x509. It serves
// test material only: the test PKI builder (test/support/pki.ts), `certwarden test` fixtures
// (fixture-issuer.ts), the demo lab (demo-issuer.ts), and PKCS#10 requests. Private keys stay in the
// returned objects; nothing here logs or reports them, and no error message ever includes one.
//
//   const root = await issueCertificate({ cn: 'Root', ca: true });
//   const leaf = await issueCertificate({ cn: 'svc', dns: ['svc'], eku: ['serverAuth'], issuer: root });
//   const csr = await createCsr({ subject: 'CN=svc', dns: ['svc'], keys: leaf.keys });
import 'reflect-metadata';
import { createHash, randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { toPem } from './pem.js';
import { EXTENDED_KEY_USAGES, KEY_USAGE_BITS } from './oids.js';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** A WebCrypto key pair (node's type: the project compiles without the DOM lib). */
export type KeyPair = webcrypto.CryptoKeyPair;

/** Key algorithm and size of a generated key. */
export type KeySpec = 'p256' | 'p384' | 'p521' | 'rsa1024' | 'rsa2048' | 'rsa3072' | 'rsa4096' | 'ed25519';
/** Digest used for signing (ignored by Ed25519). */
export type HashName = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

export const KEY_SPECS: readonly KeySpec[] = [
  'p256',
  'p384',
  'p521',
  'rsa1024',
  'rsa2048',
  'rsa3072',
  'rsa4096',
  'ed25519',
];
export const HASH_NAMES: readonly HashName[] = ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'];

/** Key usage names accepted in `keyUsage` (RFC 5280 bit n is flag 1 << n, as in x509.KeyUsageFlags). */
export const KEY_USAGE_FLAGS: Readonly<Record<string, number>> = Object.fromEntries(
  KEY_USAGE_BITS.map((name, bit) => [name, 1 << bit]),
);

/** Extended key usage OIDs by name (serverAuth, clientAuth, …). */
const EKU_OIDS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(EXTENDED_KEY_USAGES).map(([oid, name]) => [name, oid]),
);

/** An option that cannot be honoured (unknown key spec, hash or key usage; no subject). */
export class IssueError extends Error {
  override name = 'IssueError';
}

/** A certificate with its key pair, in every form callers need. */
export interface IssuedCertificate {
  cert: x509.X509Certificate;
  keys: KeyPair;
  der: Buffer;
  /** PEM with a trailing newline. */
  pem: string;
  /** PKCS#8 PEM of the private key: test, demo and fixture material only; never log it. */
  keyPem: string;
  /** Lower-case hex SHA-256 of the DER. */
  sha256: string;
  /** The subject as @peculiar/x509 prints it (RFC 4514). */
  subject: string;
}

/** Subject by parts: CN, then OU and O values in the order given (escaped per RFC 4514). */
export interface SubjectParts {
  cn: string;
  o?: string[];
  ou?: string[];
}

/** What to issue. Defaults make a self-signed P-256 end-entity certificate valid from a day ago for 365 days. */
export interface IssueOptions {
  /** Full subject as an RFC 4514 string, e.g. "CN=x, O=system:nodes"; wins over cn/o/ou. */
  subject?: string;
  cn?: string;
  o?: string[];
  ou?: string[];
  /** The signer; omitted: self-signed. */
  issuer?: IssuedCertificate;
  /** A CA certificate (basicConstraints cA, CA key usages, 3650 days by default). */
  ca?: boolean;
  /** Key to generate (default p256, or the spec of `keys` when given). */
  key?: KeySpec;
  /** Default: SHA-384 for a P-384 signer, SHA-512 for P-521, else SHA-256. */
  hash?: HashName;
  /** Clock for the default notBefore (now minus one day). */
  now?: Date;
  notBefore?: Date;
  notAfter?: Date;
  /** Lifetime from notBefore in days when notAfter is not given (default 365, CAs 3650). */
  days?: number;
  dns?: string[];
  ips?: string[];
  emails?: string[];
  /** Extended key usages by name (serverAuth, clientAuth, …) or dotted OID. */
  eku?: string[];
  /** Key usages by name; `null` omits the extension; default by role and key type. */
  keyUsage?: string[] | null;
  /** `false` omits basicConstraints entirely. */
  basicConstraints?: boolean;
  /** pathLenConstraint, for CAs only. */
  pathLen?: number;
  /** Serial number in hex (default: 16 random bytes, positive). */
  serial?: string;
  /** Extensions appended after the built ones. */
  extensions?: x509.Extension[];
  /** Omit subject and authority key identifiers. */
  noKeyIds?: boolean;
  /** Reuse this key pair instead of generating one (e.g. to re-issue with the same key). */
  keys?: KeyPair;
}

/** What a PKCS#10 request asks for. */
export interface CsrOptions {
  /** RFC 4514 string (see `formatSubject` to build one from parts). */
  subject: string;
  keys: KeyPair;
  dns?: string[];
  ips?: string[];
  emails?: string[];
  /** Default SHA-256. */
  hash?: HashName;
}

const DAY = 86_400_000;
const CURVES = { p256: 'P-256', p384: 'P-384', p521: 'P-521' } as const;

function checkSpec(spec: string): KeySpec {
  if (!KEY_SPECS.includes(spec as KeySpec))
    throw new IssueError(`unknown key '${spec}' (valid: ${KEY_SPECS.join(', ')})`);
  return spec as KeySpec;
}

function genAlgorithm(
  spec: KeySpec,
  hash: HashName,
): webcrypto.RsaHashedKeyGenParams | webcrypto.EcKeyGenParams | webcrypto.Algorithm {
  if (spec === 'ed25519') return { name: 'Ed25519' };
  if (spec in CURVES) return { name: 'ECDSA', namedCurve: CURVES[spec as keyof typeof CURVES] };
  const modulusLength = Number(spec.slice(3));
  return { name: 'RSASSA-PKCS1-v1_5', modulusLength, publicExponent: new Uint8Array([1, 0, 1]), hash };
}

/** Signing parameters for `key`, read from its own algorithm (RSA keys sign with the hash bound to them). */
function signingAlgorithm(key: webcrypto.CryptoKey, hash: HashName): webcrypto.Algorithm & { hash?: string } {
  const name = key.algorithm.name;
  if (name === 'Ed25519') return { name };
  if (name === 'ECDSA' || name === 'RSASSA-PKCS1-v1_5') return { name, hash };
  throw new IssueError(`cannot sign with key algorithm ${name} (valid: ECDSA, Ed25519, RSASSA-PKCS1-v1_5)`);
}

/** A new extractable signing key pair. `hash` matters only for RSA, whose WebCrypto keys are bound to one. */
export async function generateKeyPair(spec: KeySpec = 'p256', hash: HashName = 'SHA-256'): Promise<KeyPair> {
  const alg = genAlgorithm(checkSpec(spec), hash);
  return (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as KeyPair;
}

/** The spec of an existing key pair, read from its algorithm. */
export function keySpecOf(keys: KeyPair): KeySpec {
  const alg = keys.privateKey.algorithm as Partial<
    webcrypto.EcKeyAlgorithm & webcrypto.RsaHashedKeyAlgorithm
  >;
  if (alg.name === 'ECDSA') {
    const found = Object.entries(CURVES).find(([, curve]) => curve === alg.namedCurve);
    if (!found) throw new IssueError(`unsupported curve '${String(alg.namedCurve)}'`);
    return found[0] as KeySpec;
  }
  if (alg.name === 'Ed25519') return 'ed25519';
  return checkSpec(`rsa${alg.modulusLength}`);
}

/** The hash a signer of `spec` uses unless told otherwise. */
export function defaultHash(spec: KeySpec): HashName {
  return spec === 'p384' ? 'SHA-384' : spec === 'p521' ? 'SHA-512' : 'SHA-256';
}

function escapeDnValue(v: string): string {
  return (
    v
      .replace(/([,+"\\<>;=])/g, '\\$1')
      .replace(/^([ #])/, '\\$1')
      .replace(/ $/, '\\ ')
      // Control characters (a CN with "\n") as RFC 4514 hex pairs, so they survive intact.
      .replace(
        // eslint-disable-next-line no-control-regex -- matching control characters is the point
        /[\u0000-\u001f\u007f]/g,
        (c) => `\\${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
      )
  );
}

type AttrValue = { utf8String?: string; printableString?: string; ia5String?: string } | string;

/**
 * Parses an RFC 4514 string into a Name, decoding `\XX` hex pairs (UTF-8 bytes) and `\c` escapes.
 * @peculiar/x509's own string parser drops values holding a newline and misreads `\\0A`.
 */
export function parseDnString(dn: string): x509.Name {
  const rdns: Record<string, AttrValue[]>[] = [];
  let i = 0;
  const bad = (what: string): never => {
    throw new IssueError(`subject '${dn}' is not an RFC 4514 name: ${what} at position ${i + 1}`);
  };
  const skipSpaces = (): void => {
    while (dn[i] === ' ') i++;
  };
  skipSpaces();
  while (i < dn.length) {
    const rdn: Record<string, AttrValue[]> = {};
    for (;;) {
      skipSpaces();
      const eq = dn.indexOf('=', i);
      if (eq < 0) bad('expected type=value');
      const type = dn.slice(i, eq).trim();
      if (!/^([A-Za-z][A-Za-z0-9-]*|\d+(\.\d+)+)$/.test(type)) bad(`bad attribute type '${type}'`);
      i = eq + 1;
      let value: AttrValue;
      if (dn[i] === '#') {
        const m = /^#([0-9A-Fa-f]{2})+/.exec(dn.slice(i));
        if (!m) bad('expected hex after #');
        value = m![0];
        i += m![0].length;
      } else {
        const bytes: number[] = [];
        let keep = 0; // length of bytes up to the last escaped or non-space character
        const quoted = dn[i] === '"';
        if (quoted) i++;
        for (; i < dn.length; i++) {
          const c = dn[i]!;
          if (quoted ? c === '"' : c === ',' || c === '+' || c === ';') break;
          if (c === '\\') {
            const hex = /^[0-9A-Fa-f]{2}/.exec(dn.slice(i + 1, i + 3));
            if (hex) {
              bytes.push(parseInt(hex[0], 16));
              i += 2;
            } else {
              if (i + 1 >= dn.length) bad('dangling backslash');
              bytes.push(...Buffer.from(dn[++i]!, 'utf8'));
            }
            keep = bytes.length;
            continue;
          }
          const code = dn.codePointAt(i)!;
          const ch = String.fromCodePoint(code);
          if (ch.length === 2) i++;
          bytes.push(...Buffer.from(ch, 'utf8'));
          if (ch !== ' ' || quoted) keep = bytes.length;
        }
        if (quoted) {
          if (dn[i] !== '"') bad('unterminated quoted value');
          i++;
          skipSpaces();
        }
        const text = Buffer.from(bytes.slice(0, keep)).toString('utf8');
        const upper = type.toUpperCase();
        value =
          upper === 'E' ||
          upper === 'DC' ||
          type === '1.2.840.113549.1.9.1' ||
          type === '0.9.2342.19200300.100.1.25'
            ? { ia5String: text }
            : x509.Name.isPrintableString(text)
              ? { printableString: text }
              : { utf8String: text };
      }
      (rdn[type] ??= []).push(value);
      if (dn[i] === '+') {
        i++;
        continue;
      }
      if (i < dn.length && dn[i] !== ',' && dn[i] !== ';') bad('expected , or +');
      i++;
      break;
    }
    rdns.push(rdn);
    skipSpaces();
  }
  if (rdns.length === 0) throw new IssueError('a certificate subject cannot be empty');
  return new x509.Name(rdns as unknown as x509.JsonName);
}

/** An RFC 4514 subject from parts, every value escaped (safe for hostile strings). */
export function formatSubject({ cn, o = [], ou = [] }: SubjectParts): string {
  return [
    `CN=${escapeDnValue(cn)}`,
    ...ou.map((v) => `OU=${escapeDnValue(v)}`),
    ...o.map((v) => `O=${escapeDnValue(v)}`),
  ].join(', ');
}

function sanExtension(dns: string[] = [], ips: string[] = [], emails: string[] = []): x509.Extension[] {
  const names: x509.JsonGeneralName[] = [
    ...dns.map((value) => ({ type: 'dns' as const, value })),
    ...ips.map((value) => ({ type: 'ip' as const, value })),
    ...emails.map((value) => ({ type: 'email' as const, value })),
  ];
  return names.length ? [new x509.SubjectAlternativeNameExtension(names, false)] : [];
}

function keyUsageFlags(names: string[]): number {
  let flags = 0;
  for (const n of names) {
    const f = KEY_USAGE_FLAGS[n];
    if (f === undefined)
      throw new IssueError(`unknown key usage '${n}' (valid: ${Object.keys(KEY_USAGE_FLAGS).join(', ')})`);
    flags |= f;
  }
  return flags;
}

/** Issues one certificate: a self-signed root, an intermediate or a leaf, as `opts` says. */
export async function issueCertificate(opts: IssueOptions): Promise<IssuedCertificate> {
  const isCA = opts.ca ?? false;
  const spec = checkSpec(opts.key ?? (opts.keys ? keySpecOf(opts.keys) : 'p256'));
  if (opts.hash !== undefined && !HASH_NAMES.includes(opts.hash))
    throw new IssueError(`unknown hash '${opts.hash}' (valid: ${HASH_NAMES.join(', ')})`);
  const signer = opts.issuer?.keys ?? opts.keys;
  const hash = opts.hash ?? defaultHash(signer ? keySpecOf(signer) : spec);
  if (opts.subject === undefined && opts.cn === undefined)
    throw new IssueError('a certificate needs `subject` or `cn`');
  const subject = opts.subject ?? formatSubject({ cn: opts.cn!, o: opts.o, ou: opts.ou });
  const keyUsage =
    opts.keyUsage !== undefined
      ? opts.keyUsage
      : isCA
        ? ['keyCertSign', 'cRLSign', 'digitalSignature']
        : ['digitalSignature', ...(spec.startsWith('rsa') ? ['keyEncipherment'] : [])];
  const kuFlags = keyUsage && keyUsageFlags(keyUsage);
  const keys = opts.keys ?? (await generateKeyPair(spec, hash));
  const notBefore = opts.notBefore ?? new Date((opts.now ?? new Date()).getTime() - DAY);
  const notAfter = opts.notAfter ?? new Date(notBefore.getTime() + (opts.days ?? (isCA ? 3650 : 365)) * DAY);

  const extensions: x509.Extension[] = [];
  if (opts.basicConstraints !== false)
    extensions.push(new x509.BasicConstraintsExtension(isCA, isCA ? opts.pathLen : undefined, true));
  if (kuFlags !== null) extensions.push(new x509.KeyUsagesExtension(kuFlags, true));
  if (opts.eku?.length)
    extensions.push(
      new x509.ExtendedKeyUsageExtension(
        opts.eku.map((e) => EKU_OIDS[e] ?? e),
        false,
      ),
    );
  extensions.push(...sanExtension(opts.dns, opts.ips, opts.emails));
  if (!opts.noKeyIds) {
    extensions.push(await x509.SubjectKeyIdentifierExtension.create(keys.publicKey));
    if (opts.issuer) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(opts.issuer.cert));
  }
  extensions.push(...(opts.extensions ?? []));

  const subjectName = parseDnString(subject);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: opts.serial ?? '01' + randomBytes(15).toString('hex'),
    subject: subjectName,
    // The issuer's name as encoded (its string form would be re-parsed, and could differ).
    issuer: opts.issuer ? opts.issuer.cert.subjectName : subjectName,
    notBefore,
    notAfter,
    signingAlgorithm: signingAlgorithm((signer ?? keys).privateKey, hash),
    publicKey: keys.publicKey,
    signingKey: (signer ?? keys).privateKey,
    extensions,
  });
  const der = Buffer.from(cert.rawData);
  const pkcs8 = new Uint8Array(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey as never));
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

/** A PKCS#10 certificate request signed by `keys`, SANs in an extensionRequest, as PEM (no trailing newline). */
export async function createCsr(opts: CsrOptions): Promise<string> {
  const req = await x509.Pkcs10CertificateRequestGenerator.create({
    name: parseDnString(opts.subject),
    keys: opts.keys,
    signingAlgorithm: signingAlgorithm(opts.keys.privateKey, opts.hash ?? 'SHA-256'),
    extensions: sanExtension(opts.dns, opts.ips, opts.emails),
  });
  return req.toString('pem');
}

/** The @peculiar/x509 namespace, with node's WebCrypto installed, for building `extensions`. */
export { x509 };
