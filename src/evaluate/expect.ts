// Inventory expectations on a target's leaf certificate: expect.* and pin.drift (trust stores: stores.ts).
// Pure: takes records and returns findings.
import { isIP } from 'node:net';
import type { CertRecord, Finding, Name, SourceLocation } from '../core/model.js';
import type { Anchor, Expect, SubjectExpect, Target } from '../inventory/types.js';
import { makeFinding } from '../core/findings.js';
import { normaliseFingerprint } from '../core/text.js';

/** Canonical text form of an IP address (IPv6 compressed, lowercase; IPv4-mapped kept as written by URL). */
export function canonicalIp(ip: string): string {
  const bare = ip.replace(/^\[|\]$/g, '');
  if (isIP(bare) === 6) return new URL(`http://[${bare}]/`).hostname.replace(/^\[|\]$/g, '');
  if (isIP(bare) === 4)
    return bare
      .split('.')
      .map((o) => String(Number(o)))
      .join('.');
  return bare.toLowerCase();
}

function asList(v: string[] | string | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** Compares only the attributes listed; multi-valued attributes compare as sets. Returns the differences. */
export function subjectDiffs(name: Name, want: SubjectExpect): string[] {
  const diffs: string[] = [];
  if (want.CN !== undefined && name.CN !== want.CN)
    diffs.push(`CN is ${JSON.stringify(name.CN)}, expected ${JSON.stringify(want.CN)}`);
  for (const attr of ['O', 'OU', 'C'] as const) {
    if (want[attr] === undefined) continue;
    const have = new Set(name[attr]);
    const expected = new Set(asList(want[attr]));
    const same = have.size === expected.size && [...expected].every((v) => have.has(v));
    if (!same)
      diffs.push(`${attr} is ${JSON.stringify([...have])}, expected ${JSON.stringify([...expected])}`);
  }
  return diffs;
}

function at(target: Target, path: string): SourceLocation {
  return target.paths?.[path] ?? target.location;
}

export interface ExpectContext {
  target: Target;
  leaf: CertRecord;
  anchors: Map<string, Anchor>;
  /** Whether the leaf's issuer signature was verified by the given anchor (set by the caller, which owns crypto). */
  issuedBy: (leaf: CertRecord, anchor: Anchor) => boolean;
}

type Check = (expect: Expect, ctx: ExpectContext) => Finding | null;

/** A finding on the leaf at the expectation's own line; most are fixed by a renewal. */
function leafFinding(
  ctx: ExpectContext,
  check: string,
  path: string,
  message: string,
  remediation: Finding['remediation'] = { kind: 'renew' },
): Finding {
  return makeFinding({
    target: ctx.target.id,
    certificate: ctx.leaf.sha256,
    check,
    message,
    location: at(ctx.target, path),
    remediation,
  });
}

const subject: Check = (expect, ctx) => {
  if (!expect.subject) return null;
  const diffs = subjectDiffs(ctx.leaf.subject, expect.subject);
  if (!diffs.length) return null;
  return leafFinding(ctx, 'expect.subject', 'expect.subject', `subject differs: ${diffs.join('; ')}`);
};

const dnsNames: Check = (expect, ctx) => {
  if (!expect.dnsNames) return null;
  const { leaf } = ctx;
  const have = new Set(leaf.dnsNames.map((n) => n.toLowerCase()));
  const missing = expect.dnsNames.filter((n) => !have.has(n.toLowerCase()));
  const wanted = new Set(expect.dnsNames.map((n) => n.toLowerCase()));
  const extra = expect.onlyListedNames ? leaf.dnsNames.filter((n) => !wanted.has(n.toLowerCase())) : [];
  if (!missing.length && !extra.length) return null;
  const parts = [];
  if (missing.length) parts.push(`missing DNS name(s) ${missing.join(', ')}`);
  if (extra.length) parts.push(`unexpected DNS name(s) ${extra.join(', ')}`);
  return leafFinding(
    ctx,
    'expect.dnsNames',
    'expect.dnsNames',
    `${parts.join('; ')} (certificate has: ${leaf.dnsNames.join(', ') || 'none'})`,
  );
};

const ipAddresses: Check = (expect, ctx) => {
  if (!expect.ipAddresses) return null;
  const have = new Set(ctx.leaf.ipAddresses.map(canonicalIp));
  const wanted = new Set(expect.ipAddresses.map(canonicalIp));
  const missing = [...wanted].filter((ip) => !have.has(ip));
  const extra = expect.onlyListedNames ? [...have].filter((ip) => !wanted.has(ip)) : [];
  if (!missing.length && !extra.length) return null;
  const parts = [];
  if (missing.length) parts.push(`missing IP address(es) ${missing.join(', ')}`);
  if (extra.length) parts.push(`unexpected IP address(es) ${extra.join(', ')}`);
  return leafFinding(
    ctx,
    'expect.ipAddresses',
    'expect.ipAddresses',
    `${parts.join('; ')} (certificate has: ${[...have].join(', ') || 'none'})`,
  );
};

const issuer: Check = (expect, ctx) => {
  if (expect.issuer === undefined) return null;
  const { leaf } = ctx;
  if (typeof expect.issuer === 'string') {
    const anchor = ctx.anchors.get(expect.issuer);
    if (!anchor || ctx.issuedBy(leaf, anchor)) return null;
    return leafFinding(
      ctx,
      'expect.issuer',
      'expect.issuer',
      `not issued by anchor '${expect.issuer}' (issuer is ${leaf.issuer.dn})`,
    );
  }
  const diffs = subjectDiffs(leaf.issuer, expect.issuer);
  if (!diffs.length) return null;
  return leafFinding(ctx, 'expect.issuer', 'expect.issuer', `issuer differs: ${diffs.join('; ')}`);
};

const extKeyUsage: Check = (expect, ctx) => {
  if (!expect.extKeyUsage) return null;
  const { leaf } = ctx;
  const have = new Set(leaf.extKeyUsage ?? []);
  const missing = expect.extKeyUsage.filter((u) => !have.has(u));
  if (!missing.length) return null;
  const what =
    leaf.extKeyUsage === null
      ? 'the certificate has no extendedKeyUsage extension'
      : `it has ${[...have].join(', ') || 'none'}`;
  return leafFinding(
    ctx,
    'expect.extKeyUsage',
    'expect.extKeyUsage',
    `missing extended key usage ${missing.join(', ')} (${what})`,
  );
};

const pin: Check = (expect, ctx) => {
  if (!expect.sha256) return null;
  const pinned = normaliseFingerprint(expect.sha256);
  const live = ctx.leaf.sha256;
  if (pinned === live) return null;
  return leafFinding(
    ctx,
    'pin.drift',
    'expect.sha256',
    `live certificate ${live} differs from the pinned ${pinned}`,
    { kind: 'pin', sha256: live },
  );
};

/** The leaf checks in the order their findings are listed. */
const CHECKS: readonly Check[] = [subject, dnsNames, ipAddresses, issuer, extKeyUsage, pin];

/** expect.subject / dnsNames / ipAddresses / issuer / extKeyUsage / sha256 for the leaf certificate. */
export function evaluateExpect(expect: Expect, ctx: ExpectContext): Finding[] {
  const out: Finding[] = [];
  for (const check of CHECKS) {
    const f = check(expect, ctx);
    if (f) out.push(f);
  }
  return out;
}
