// Builds real certificates from a small description, for `certwarden test` fixtures (policy tests
// kept beside policies). Keys live only in memory for the run; only certificates come out.
import {
  issueCertificate,
  IssueError,
  KEY_SPECS,
  type HashName,
  type IssuedCertificate,
  type KeySpec,
} from './issue.js';

export type FixtureKey = KeySpec;
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

export const FIXTURE_KEYS: FixtureKey[] = [...KEY_SPECS];
export const FIXTURE_HASHES: FixtureHash[] = ['sha1', 'sha256', 'sha384', 'sha512'];

const DAY = 86_400_000;
const HASH: Record<FixtureHash, HashName> = {
  sha1: 'SHA-1',
  sha256: 'SHA-256',
  sha384: 'SHA-384',
  sha512: 'SHA-512',
};

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

/** Issues every described certificate (issuers first), as of `now`. Throws FixtureError for a bad description. */
export async function issueFixtures(
  descriptions: Record<string, FixtureDescription>,
  now: Date,
): Promise<Map<string, IssuedFixture>> {
  const built = new Map<string, IssuedCertificate>();
  const visiting = new Set<string>();
  const build = async (name: string): Promise<IssuedCertificate> => {
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
  return new Map(
    [...built].map(([name, c]) => [name, { name, der: new Uint8Array(c.der), pem: c.pem, sha256: c.sha256 }]),
  );
}

async function issueOne(
  name: string,
  d: FixtureDescription,
  issuer: IssuedCertificate | null,
  now: Date,
): Promise<IssuedCertificate> {
  const key = d.key ?? 'p256';
  if (!FIXTURE_KEYS.includes(key))
    throw new FixtureError(name, `unknown key '${key}' (valid: ${FIXTURE_KEYS.join(', ')})`);
  if (d.hash && !FIXTURE_HASHES.includes(d.hash))
    throw new FixtureError(name, `unknown hash '${d.hash}' (valid: ${FIXTURE_HASHES.join(', ')})`);
  const notBefore = new Date(now.getTime() + (d.notBefore ?? -1) * DAY);
  try {
    return await issueCertificate({
      cn: d.cn ?? name,
      o: d.o,
      ou: d.ou,
      dns: d.dns,
      ips: d.ips,
      emails: d.emails,
      key,
      hash: d.hash && HASH[d.hash], // default: by the signer's key (a P-384 CA signs with SHA-384)
      ca: d.ca ?? false,
      pathLen: d.pathLen,
      issuer: issuer ?? undefined,
      eku: d.eku,
      keyUsage: d.keyUsage,
      basicConstraints: d.basicConstraints,
      notBefore,
      notAfter: d.notAfter !== undefined ? new Date(now.getTime() + d.notAfter * DAY) : undefined,
      days: d.days,
    });
  } catch (e) {
    if (e instanceof IssueError) throw new FixtureError(name, e.message);
    throw e;
  }
}
