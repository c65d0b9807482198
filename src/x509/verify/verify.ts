// X.509 path validation: builds candidate paths (chain.ts) and checks each one in the spirit of
// RFC 5280 6.1, with the stricter profile rules Go crypto/x509 and rustls-webpki apply. The first
// path with no problems wins; otherwise the least-bad path explains what is wrong.
import type { CertRecord, ChainProblem, ChainResult } from '../../core/model.js';
import { buildPaths, DEFAULT_LIMITS, type DeadEnd, type PathNode } from './paths.js';
import { checkNameConstraints, nameConstraintsOf, type NcBudget } from './name-constraints.js';
import { domainToASCII } from 'node:url';
import type { CertFacts } from '../decode.js';
import { attributeOid, clip } from '../names.js';
import { CURVES, EKU_OID, EXTENDED_KEY_USAGES, EXTENSION_OIDS as OID } from '../oids.js';
import { formatIp, matchPeerName, parseIp } from './names.js';

/** A certificate trusted as the end of a path. */
export interface TrustAnchor {
  id: string;
  record: CertRecord;
}

/** What to validate for; `now` is the only required field. */
export interface VerifyOptions {
  now: Date;
  /** Required EKU on the leaf (and on any CA that restricts EKUs), by name or dotted OID. */
  purpose?: 'serverAuth' | 'clientAuth' | string | null;
  /** Reference identity the leaf's subjectAltName must match. */
  hostname?: { kind: 'DNS' | 'IP' | 'RFC822'; value: string } | null;
  /** Maximum logical intermediates (self-issued ones do not count). Default 10. */
  maxDepth?: number;
  /** Key usages the leaf must allow when it has a keyUsage extension. */
  keyUsage?: string[];
  /**
   * 'compatible' (default) checks what mainstream validators (Go, OpenSSL, rustls-webpki) enforce,
   * except key types and sizes and weak signature hashes (DSA, MD5, SHA-1): those are policy's
   * (`key`, `signature`), so a waivable legacy key never makes a chain untrusted.
   * 'strict' adds them and the RFC 5280 / CA/B certificate-profile rules x509-limbo tests: key identifiers
   * present and well-formed, basicConstraints critical on CAs, v3 only, sane serial numbers,
   * extension criticality, no leading-period DNS name constraints, and holds trust anchors to
   * the profile too. Real trust stores break it (QuoVadis Root CA 2 names its issuer in its AKI,
   * TWCA Global Root CA has no SKI), and so do many private CAs, hence not the default.
   */
  profile?: 'compatible' | 'strict';
}

/** A ChainResult plus how many candidate paths were examined. */
export interface VerifyResult extends ChainResult {
  /** candidate paths tried, for explanation in `inspect` */
  tried: number;
}

/** Comparisons of names against name constraints allowed per path (pathological inputs fail). */
const NAME_CONSTRAINT_BUDGET = 1 << 18;

/** Validates `leaf` against `anchors`, using `intermediates` (any order, extras allowed) to build the path. */
export function verifyChain(
  leaf: CertRecord,
  intermediates: CertRecord[],
  anchors: TrustAnchor[],
  opts: VerifyOptions,
): VerifyResult {
  const limits = {
    ...DEFAULT_LIMITS,
    ...(opts.maxDepth !== undefined ? { maxIntermediates: Math.max(0, opts.maxDepth) } : {}),
  };
  // one budget for the whole call, so many candidate paths cannot multiply the constraint work
  const budget: NcBudget = { remaining: NAME_CONSTRAINT_BUDGET };
  const outcome = buildPaths(leaf, intermediates, anchors, limits, (path) => {
    const problems = checkPath(path, opts, budget);
    return { ok: problems.length === 0, result: problems };
  });
  if (outcome.accepted) {
    const anchor = outcome.accepted[outcome.accepted.length - 1]!;
    return {
      trusted: true,
      anchor: anchor.anchorId,
      path: outcome.accepted.map((n) => n.record.sha256),
      problems: [],
      tried: outcome.tried,
    };
  }
  if (outcome.rejected.length > 0) {
    // explain with the path whose problems are fewest (the first such path on ties)
    let best = outcome.rejected[0]!;
    for (const r of outcome.rejected) if (r.result.length < best.result.length) best = r;
    const problems = [...best.result];
    if (outcome.exhausted) problems.push(budgetProblem(leaf, outcome.work));
    const anchor = best.path[best.path.length - 1]!;
    return {
      trusted: false,
      anchor: anchor.anchorId,
      path: best.path.map((n) => n.record.sha256),
      problems,
      tried: outcome.tried,
    };
  }
  const dead = outcome.deadEnd;
  const problems: ChainProblem[] = [];
  if (anchors.length === 0)
    problems.push({
      code: 'untrusted',
      message: 'no trust anchors were given to validate against',
      certificate: null,
    });
  else if (outcome.exhausted) problems.push(budgetProblem(leaf, outcome.work));
  else if (dead)
    problems.push(deadEndProblem(dead.reason, intermediates.length, anchors.length, limits.maxIntermediates));
  else
    problems.push({
      code: 'untrusted',
      message: 'no path to a trust anchor was found',
      certificate: leaf.sha256,
    });
  return {
    trusted: false,
    anchor: null,
    path: dead ? dead.path.map((n) => n.record.sha256) : [leaf.sha256],
    problems,
    tried: outcome.tried,
  };
}

function budgetProblem(leaf: CertRecord, work: { signatureChecks: number; steps: number }): ChainProblem {
  return {
    code: 'untrusted',
    message: `path building gave up after ${work.signatureChecks} signature checks and ${work.steps} path steps without reaching a trust anchor: too many candidate issuers (work bound reached)`,
    certificate: leaf.sha256,
  };
}

function deadEndProblem(d: DeadEnd, nInter: number, nAnchors: number, maxDepth: number): ChainProblem {
  const sha = d.node.record.sha256;
  const who = label(d.node);
  const issuer = clip(d.node.record.issuer?.dn ?? '');
  switch (d.kind) {
    case 'no-issuer':
      if (d.node.facts.fatal)
        return { code: 'unsupported', message: `${who}: ${d.node.facts.fatal}`, certificate: sha };
      return {
        code: 'incomplete',
        message: `${who} was issued by '${issuer}', which is neither among the ${nInter} supplied intermediate(s) nor one of the ${nAnchors} trust anchor(s)`,
        certificate: sha,
      };
    case 'self-signed-untrusted':
      return {
        code: 'untrusted',
        message: `the chain ends at self-issued ${who}, which is not a trust anchor`,
        certificate: sha,
      };
    case 'bad-signature':
      return {
        code: 'signature',
        message: `${who} names issuer '${issuer}', but its signature does not verify with the key of any of the ${d.candidates} certificate(s) of that name`,
        certificate: sha,
      };
    case 'loop':
      return {
        code: 'untrusted',
        message: `the only issuers of ${who} are already on the path (a loop); no path reaches a trust anchor`,
        certificate: sha,
      };
    case 'depth':
      return {
        code: 'depth',
        message: `reaching a trust anchor needs more than ${maxDepth} intermediate(s); ${who} exceeds the limit`,
        certificate: sha,
      };
    case 'budget':
      return {
        code: 'untrusted',
        message: `path building stopped at ${who}: too many candidate issuers (work bound reached)`,
        certificate: sha,
      };
  }
}

function label(n: PathNode): string {
  const dn =
    n.record.subject?.dn ||
    n.facts.subject.rdns.map((r) => r.map((a) => a.text ?? a.norm).join('+')).join(',');
  return `'${clip(dn || '(empty subject)')}'`;
}

const ANY_EKU = EKU_OID.anyExtendedKeyUsage!;

function purposeOid(p: string): string {
  return EKU_OID[p] ?? p;
}

/** One path being checked: what every per-certificate check reads, and where problems go. */
interface PathCheck {
  path: PathNode[];
  opts: VerifyOptions;
  strict: boolean;
  /** The required EKU as an OID, or null. */
  purpose: string | null;
  nowSec: number;
  problems: ChainProblem[];
  add(code: ChainProblem['code'], n: PathNode, message: string): void;
}

/** All problems of one complete path (leaf first, anchor last). Empty: the path is valid. */
export function checkPath(
  path: PathNode[],
  opts: VerifyOptions,
  budget: NcBudget = { remaining: NAME_CONSTRAINT_BUDGET },
): ChainProblem[] {
  const problems: ChainProblem[] = [];
  const c: PathCheck = {
    path,
    opts,
    strict: opts.profile === 'strict',
    purpose: opts.purpose ? purposeOid(opts.purpose) : null,
    nowSec: Math.floor(opts.now.getTime() / 1000) * 1000,
    problems,
    add: (code, n, message) =>
      problems.push({ code, message: `${label(n)}: ${message}`, certificate: n.record.sha256 }),
  };
  for (let i = 0; i < path.length; i++) {
    const f = path[i]!.facts;
    if (f.fatal) {
      c.add('unsupported', path[i]!, f.fatal);
      continue;
    }
    encodingProblems(c, i);
    validityProblems(c, i);
    nameProblems(c, i);
    caProblems(c, i);
    ekuProblems(c, i);
  }
  leafProblems(c);
  nameConstraintProblems(c, budget);
  return problems;
}

/** Is path[i] the trust anchor that ends the path? */
function isAnchor(c: PathCheck, i: number): boolean {
  return i === c.path.length - 1 && c.path[i]!.anchorId !== null;
}

/** Decoding defects, the strict profile (with the key), and (below the anchor) the signature algorithm. */
function encodingProblems(c: PathCheck, i: number): void {
  const n = c.path[i]!;
  const f = n.facts;
  const anchor = isAnchor(c, i);
  for (const e of f.errors) c.add('unsupported', n, e);
  if (c.strict) {
    for (const e of f.profileErrors) c.add('unsupported', n, e);
    if (f.version !== 3 && !anchor)
      c.add('unsupported', n, `is an X.509 v${f.version} certificate; only v3 is accepted`);
    // a root's serial is its CA's business (some trusted roots have serial 0); a leaf's is checked
    if (!anchor || i === 0) serialProblems(f).forEach((m) => c.add('unsupported', n, m));
  }
  // Key types and sizes and weak signature hashes are policy's (the `key` and `signature` checks,
  // configurable and waivable in one place): in the compatible profile they never make a chain
  // untrusted. The strict profile (x509-limbo, rustls-webpki's rules) keeps refusing them.
  if (c.strict) keyProblems(f).forEach((m) => c.add('unsupported', n, m));
  else if (f.spki.keyError) c.add('unsupported', n, f.spki.keyError);
  if (i < c.path.length - 1) signatureProblems(f, c.strict).forEach((m) => c.add('signature', n, m));
}

function validityProblems(c: PathCheck, i: number): void {
  const n = c.path[i]!;
  const f = n.facts;
  if (f.notBefore > c.nowSec)
    c.add('not-yet-valid', n, `is not valid before ${new Date(f.notBefore).toISOString()}`);
  if (f.notAfter < c.nowSec)
    c.add(i === 0 ? 'expired' : 'expired-ca', n, `expired at ${new Date(f.notAfter).toISOString()}`);
}

/** Empty names and, strictly, the key identifiers (RFC 5280 4.2.1.1, 4.2.1.2). */
function nameProblems(c: PathCheck, i: number): void {
  const n = c.path[i]!;
  const f = n.facts;
  const strict = c.strict;
  const anchor = isAnchor(c, i);
  if (f.issuer.empty) c.add('unsupported', n, 'has an empty issuer name');
  const ca = f.basicConstraints?.ca === true;
  if (ca && f.subject.empty) c.add('unsupported', n, 'is a CA certificate with an empty subject name');
  if (strict && f.subject.empty && !(f.san && f.sanCritical))
    c.add('unsupported', n, 'has an empty subject, so its subjectAltName must be present and critical');
  if (strict && i === 0 && !f.subject.empty && f.san && f.sanCritical)
    c.add('unsupported', n, 'marks subjectAltName critical although its subject is not empty');

  // even strictly, a trust anchor may lack an AKI
  if (strict && !anchor && !f.selfIssued && !f.aki?.keyId)
    c.add(
      'unsupported',
      n,
      'lacks the authorityKeyIdentifier keyIdentifier required of certificates that are not self-issued',
    );
  if (strict && anchor && f.selfIssued && f.aki) {
    if (!f.aki.keyId)
      c.add('unsupported', n, 'is self-issued and has an authorityKeyIdentifier without keyIdentifier');
    if (f.aki.hasIssuer || f.aki.hasSerial)
      c.add('unsupported', n, 'is self-issued but its authorityKeyIdentifier names an issuer or serial');
    if (f.aki.keyId && f.ski && !f.aki.keyId.equals(f.ski))
      c.add(
        'unsupported',
        n,
        'is self-issued but its authorityKeyIdentifier differs from its subjectKeyIdentifier',
      );
  }
  if (strict && ca && !f.ski) c.add('unsupported', n, 'is a CA certificate without subjectKeyIdentifier');
}

/** CA-ness: keyUsage against basicConstraints, and for issuers basicConstraints and path length. */
function caProblems(c: PathCheck, i: number): void {
  const n = c.path[i]!;
  const f = n.facts;
  const ca = f.basicConstraints?.ca === true;
  const ku = f.keyUsage;
  if (ca && ku && !ku.has('keyCertSign'))
    c.add('basic-constraints', n, 'asserts cA but its keyUsage does not allow keyCertSign');
  if (!ca && ku?.has('keyCertSign')) c.add('key-usage', n, 'allows keyCertSign in keyUsage but is not a CA');
  if (!ca && f.extensions.has(OID.nameConstraints))
    c.add('name-constraints', n, 'carries nameConstraints but is not a CA');
  if (i === 0) return;
  const v1Anchor = isAnchor(c, i) && f.version < 3;
  if (!v1Anchor) {
    if (!f.basicConstraints)
      c.add('basic-constraints', n, 'issues certificates but has no basicConstraints, so it is not a CA');
    else if (!f.basicConstraints.ca)
      c.add('basic-constraints', n, 'issues certificates but basicConstraints says it is not a CA');
    else if (c.strict && !f.basicConstraints.critical)
      c.add('basic-constraints', n, 'is a CA but its basicConstraints is not critical');
  }
  const pathLen = f.basicConstraints?.pathLen;
  if (pathLen != null) {
    let below = 0;
    for (let j = 1; j < i; j++) if (!c.path[j]!.facts.selfIssued) below++;
    if (below > pathLen)
      c.add(
        'path-length',
        n,
        `allows ${pathLen} intermediate(s) below it (pathLenConstraint), but the path has ${below}`,
      );
  }
}

/** Extended key usage: the leaf must allow the purpose; a CA that lists EKUs restricts what it issues. */
function ekuProblems(c: PathCheck, i: number): void {
  const n = c.path[i]!;
  const eku = n.facts.eku;
  if (!c.purpose || !eku) return;
  if (eku.includes(c.purpose) || eku.includes(ANY_EKU)) return;
  const purpose = clip(c.opts.purpose!);
  c.add(
    'eku',
    n,
    i === 0
      ? `extendedKeyUsage does not allow ${purpose} (has ${eku.map(ekuName).join(', ')})`
      : `restricts issued certificates to ${eku.map(ekuName).join(', ')}, which excludes ${purpose}`,
  );
}

/** What the caller asked of the leaf: key usages and the reference identity. */
function leafProblems(c: PathCheck): void {
  const leaf = c.path[0]!;
  const lf = leaf.facts;
  if (lf.fatal) return;
  if (c.opts.keyUsage?.length && lf.keyUsage) {
    const missing = c.opts.keyUsage.filter((k) => !lf.keyUsage!.has(k));
    if (missing.length)
      c.add('key-usage', leaf, `keyUsage does not allow ${missing.map((m) => clip(m)).join(', ')}`);
  }
  if (c.opts.hostname) {
    const why = matchPeerName(lf.san, c.opts.hostname);
    if (why) c.add('name-mismatch', leaf, why);
    const cn = commonNameProblem(lf);
    if (cn) c.add('name-mismatch', leaf, cn);
  }
}

/** The name constraints of every CA apply to the certificates below it (self-issued CAs excepted). */
function nameConstraintProblems(c: PathCheck, budget: NcBudget): void {
  for (let i = 1; i < c.path.length; i++) {
    const ca = c.path[i]!;
    if (ca.facts.fatal) continue;
    const nc = nameConstraintsOf(ca.facts, c.strict);
    if (nc === null) continue;
    if (typeof nc === 'string') {
      c.add('name-constraints', ca, nc);
      continue;
    }
    for (let j = i - 1; j >= 0; j--) {
      const sub = c.path[j]!;
      if (sub.facts.fatal || (j > 0 && sub.facts.selfIssued)) continue;
      const why = checkNameConstraints(nc, sub.facts, budget);
      if (why) {
        c.problems.push({
          code: 'name-constraints',
          message: `${label(sub)}: ${why}, per the name constraints of ${label(ca)}`,
          certificate: sub.record.sha256,
        });
        break;
      }
    }
  }
}

function ekuName(oid: string): string {
  return EXTENDED_KEY_USAGES[oid] ?? oid;
}

function serialProblems(f: CertFacts): string[] {
  const s = f.serial;
  const out: string[] = [];
  if (s.length === 0) return ['has an empty serial number'];
  if (s[0]! & 0x80) out.push('has a negative serial number');
  else if (s.every((b) => b === 0)) out.push('has serial number zero');
  if (s.length > 1 && ((s[0] === 0 && !(s[1]! & 0x80)) || (s[0] === 0xff && s[1]! & 0x80)))
    out.push('has a non-minimally encoded serial number');
  const content = s[0] === 0 ? s.length - 1 : s.length;
  if (content > 20) out.push(`has a ${content}-octet serial number (at most 20 are allowed)`);
  return out;
}

const GOOD_CURVES = new Set(['P-256', 'P-384', 'P-521']);
const COMMON_NAME = attributeOid('CN')!;

function keyProblems(f: CertFacts): string[] {
  const k = f.spki;
  if (k.curveOid === 'explicit')
    return ['uses an EC key with explicit curve parameters (only named curves are accepted)'];
  if (k.curveOid && !GOOD_CURVES.has(CURVES[k.curveOid]?.[0] ?? ''))
    return [`uses an EC key on curve ${k.curveOid}, which is not P-256, P-384 or P-521`];
  if (k.keyError) return [k.keyError];
  const type = k.key?.asymmetricKeyType;
  if (type === 'dsa') return ['uses a DSA key, which is not accepted'];
  if ((type === 'rsa' || type === 'rsa-pss') && k.rsaBits !== null) {
    if (k.rsaBits < 2048) return [`uses a ${k.rsaBits}-bit RSA key (at least 2048 bits are required)`];
    if (k.rsaBits % 8 !== 0) return [`uses a ${k.rsaBits}-bit RSA key (the size must be a multiple of 8)`];
  }
  return [];
}

/** Signature defects; `weak` adds the algorithms webpki refuses (DSA, MD5, SHA-1), policy's otherwise. */
function signatureProblems(f: CertFacts, weak: boolean): string[] {
  const out: string[] = [];
  if (f.sigAlgMismatch) out.push('the signature algorithm inside the signed part differs from the outer one');
  const s = f.sigScheme;
  if (s.kind === 'unknown') out.push(`is signed with unsupported algorithm ${clip(s.name)}`);
  else if (!weak) return out;
  else if (s.kind === 'dsa') out.push('is signed with DSA, which is not accepted');
  else if (s.hash === 'md5' || s.hash === 'sha1')
    out.push(
      `is signed with ${s.hash.toUpperCase()}, which is no longer accepted for certificate signatures`,
    );
  return out;
}

/**
 * CA/B BR 7.1.4.3: a subject CN must be a character-for-character copy of a subjectAltName. The CN is
 * never used for identity here, so a CN naming something else entirely is left alone; but a CN that
 * spells one of the SAN identities differently (letter case, Unicode instead of the A-label, an IP
 * address in hex, with leading zeros or not in RFC 5952 form) is a disguised name and is refused.
 */
function commonNameProblem(f: CertFacts): string | null {
  const dns = new Set<string>();
  const ips = new Map<string, string>();
  for (const n of f.san ?? []) {
    if (n.type === 'dns') dns.add(n.value);
    if (n.type === 'ip') ips.set(n.bytes.toString('hex'), formatIp(n.bytes));
  }
  for (const rdn of f.subject.rdns) {
    for (const ava of rdn) {
      if (ava.oid !== COMMON_NAME || ava.text === null) continue;
      const cn = ava.text;
      if (dns.has(cn) || [...ips.values()].includes(cn)) continue;
      const ip = looseIp(cn);
      const ipText = ip ? ips.get(ip.toString('hex')) : undefined;
      if (ipText)
        return `subject CN '${clip(cn)}' writes IP address ${ipText} in a non-canonical form (CA/B BR 7.1.4.3)`;
      const ascii = domainToASCII(cn.toLowerCase());
      for (const d of dns) {
        if (ascii !== '' && ascii === d.toLowerCase())
          return `subject CN '${clip(cn)}' is not a character-for-character copy of subjectAltName '${clip(d)}' (CA/B BR 7.1.4.3)`;
      }
    }
  }
  return null;
}

/** An IP address as inet_aton and friends read it (hex, octal, short forms), or a strict IPv6 one. */
function looseIp(text: string): Buffer | null {
  const strict = parseIp(text.toLowerCase());
  if (strict) return strict;
  const parts = text.split('.');
  if (parts.length < 1 || parts.length > 4) return null;
  const nums: number[] = [];
  for (const p of parts) {
    let v: number;
    if (/^0x[0-9a-f]+$/i.test(p)) v = parseInt(p.slice(2), 16);
    else if (/^0[0-7]*$/.test(p)) v = parseInt(p, 8);
    else if (/^[1-9][0-9]*$/.test(p)) v = parseInt(p, 10);
    else return null;
    nums.push(v);
  }
  const lastMax = 2 ** (8 * (5 - nums.length)) - 1;
  if (nums.slice(0, -1).some((v) => v > 255) || nums[nums.length - 1]! > lastMax) return null;
  let value = nums[nums.length - 1]!;
  for (let i = 0; i < nums.length - 1; i++) value += nums[i]! * 2 ** (8 * (3 - i));
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0);
  return out;
}
