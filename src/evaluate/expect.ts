// Inventory expectations for one target: expect.*, pin.drift, trustStore.*.
// Pure: takes records and returns findings.
import { isIP } from 'node:net';
import type { CertRecord, Finding, Name, ObservedCert, SourceLocation } from '../core/model.js';
import type { Anchor, Expect, SubjectExpect, Target, TrustStoreExpect } from '../inventory/types.js';
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

/** expect.subject / dnsNames / ipAddresses / issuer / extKeyUsage / sha256 for the leaf certificate. */
export function evaluateExpect(expect: Expect, ctx: ExpectContext): Finding[] {
  const { target, leaf } = ctx;
  const out: Finding[] = [];
  const base = { target: target.id, certificate: leaf.sha256 };

  if (expect.subject) {
    const diffs = subjectDiffs(leaf.subject, expect.subject);
    if (diffs.length)
      out.push(
        makeFinding({
          ...base,
          check: 'expect.subject',
          message: `subject differs: ${diffs.join('; ')}`,
          location: at(target, 'expect.subject'),
          remediation: { kind: 'renew' },
        }),
      );
  }
  if (expect.dnsNames) {
    const have = new Set(leaf.dnsNames.map((n) => n.toLowerCase()));
    const missing = expect.dnsNames.filter((n) => !have.has(n.toLowerCase()));
    const wanted = new Set(expect.dnsNames.map((n) => n.toLowerCase()));
    const extra = expect.onlyListedNames ? leaf.dnsNames.filter((n) => !wanted.has(n.toLowerCase())) : [];
    if (missing.length || extra.length) {
      const parts = [];
      if (missing.length) parts.push(`missing DNS name(s) ${missing.join(', ')}`);
      if (extra.length) parts.push(`unexpected DNS name(s) ${extra.join(', ')}`);
      out.push(
        makeFinding({
          ...base,
          check: 'expect.dnsNames',
          message: `${parts.join('; ')} (certificate has: ${leaf.dnsNames.join(', ') || 'none'})`,
          location: at(target, 'expect.dnsNames'),
          remediation: { kind: 'renew' },
        }),
      );
    }
  }
  if (expect.ipAddresses) {
    const have = new Set(leaf.ipAddresses.map(canonicalIp));
    const wanted = new Set(expect.ipAddresses.map(canonicalIp));
    const missing = [...wanted].filter((ip) => !have.has(ip));
    const extra = expect.onlyListedNames ? [...have].filter((ip) => !wanted.has(ip)) : [];
    if (missing.length || extra.length) {
      const parts = [];
      if (missing.length) parts.push(`missing IP address(es) ${missing.join(', ')}`);
      if (extra.length) parts.push(`unexpected IP address(es) ${extra.join(', ')}`);
      out.push(
        makeFinding({
          ...base,
          check: 'expect.ipAddresses',
          message: `${parts.join('; ')} (certificate has: ${[...have].join(', ') || 'none'})`,
          location: at(target, 'expect.ipAddresses'),
          remediation: { kind: 'renew' },
        }),
      );
    }
  }
  if (expect.issuer !== undefined) {
    if (typeof expect.issuer === 'string') {
      const anchor = ctx.anchors.get(expect.issuer);
      if (anchor && !ctx.issuedBy(leaf, anchor)) {
        out.push(
          makeFinding({
            ...base,
            check: 'expect.issuer',
            message: `not issued by anchor '${expect.issuer}' (issuer is ${leaf.issuer.dn})`,
            location: at(target, 'expect.issuer'),
            remediation: { kind: 'renew' },
          }),
        );
      }
    } else {
      const diffs = subjectDiffs(leaf.issuer, expect.issuer);
      if (diffs.length)
        out.push(
          makeFinding({
            ...base,
            check: 'expect.issuer',
            message: `issuer differs: ${diffs.join('; ')}`,
            location: at(target, 'expect.issuer'),
            remediation: { kind: 'renew' },
          }),
        );
    }
  }
  if (expect.extKeyUsage) {
    const have = new Set(leaf.extKeyUsage ?? []);
    const missing = expect.extKeyUsage.filter((u) => !have.has(u));
    if (missing.length) {
      const what =
        leaf.extKeyUsage === null
          ? 'the certificate has no extendedKeyUsage extension'
          : `it has ${[...have].join(', ') || 'none'}`;
      out.push(
        makeFinding({
          ...base,
          check: 'expect.extKeyUsage',
          message: `missing extended key usage ${missing.join(', ')} (${what})`,
          location: at(target, 'expect.extKeyUsage'),
          remediation: { kind: 'renew' },
        }),
      );
    }
  }
  if (expect.sha256) {
    const pin = normaliseFingerprint(expect.sha256);
    if (pin !== leaf.sha256) {
      out.push(
        makeFinding({
          ...base,
          check: 'pin.drift',
          message: `live certificate ${leaf.sha256} differs from the pinned ${pin}`,
          location: at(target, 'expect.sha256'),
          remediation: { kind: 'pin', sha256: leaf.sha256 },
        }),
      );
    }
  }
  return out;
}

export interface StoreContext {
  targetId: string;
  location: SourceLocation;
  /** 'trustStore' for targets, 'bundle' for inventory bundles (decides the check names). */
  kind: 'trustStore' | 'bundle';
  anchors: Map<string, Anchor>;
  now: Date;
  /** Remediation for a missing anchor (bundle files in the repo can be fixed by a PR). */
  remediation?: Finding['remediation'];
}

/** Trust-store assertions: contains (missing), only (unexpected), expired entries, non-CA entries. */
export function evaluateStore(store: ObservedCert[], want: TrustStoreExpect, ctx: StoreContext): Finding[] {
  const out: Finding[] = [];
  const have = new Map(store.map((c) => [c.record.sha256, c.record]));
  const wantedFps = new Set<string>();
  const prefix = ctx.kind;
  for (const id of want.contains ?? []) {
    const anchor = ctx.anchors.get(id);
    if (!anchor) continue; // reference errors are reported by validate
    wantedFps.add(anchor.sha256);
    if (!have.has(anchor.sha256)) {
      out.push(
        makeFinding({
          target: ctx.targetId,
          check: `${prefix}.missing`,
          message: `does not contain anchor '${id}' (sha256 ${anchor.sha256})`,
          certificate: anchor.sha256,
          location: ctx.location,
          remediation: ctx.remediation ?? { kind: 'bundle', add: id },
        }),
      );
    }
  }
  const nowMs = ctx.now.getTime();
  for (const c of store) {
    const r = c.record;
    const label = `${r.subject.dn} (sha256 ${r.sha256.slice(0, 16)}…, ${c.origin})`;
    if (want.only && !wantedFps.has(r.sha256)) {
      if (prefix === 'trustStore')
        out.push(
          makeFinding({
            target: ctx.targetId,
            check: 'trustStore.unexpected',
            message: `holds ${label}, which is not in the declared list`,
            certificate: r.sha256,
            location: ctx.location,
            remediation: { kind: 'bundle', remove: r.sha256 },
          }),
        );
    }
    if (Date.parse(r.notAfter) <= nowMs) {
      out.push(
        makeFinding({
          target: ctx.targetId,
          check: `${prefix}.expired`,
          message: `holds ${label}, which expired on ${r.notAfter}`,
          certificate: r.sha256,
          location: ctx.location,
          remediation: { kind: 'bundle', remove: r.sha256 },
        }),
      );
    }
    if (!r.isCA && prefix === 'trustStore') {
      out.push(
        makeFinding({
          target: ctx.targetId,
          check: 'trustStore.not-ca',
          message: `holds ${label}, which is not a CA certificate`,
          certificate: r.sha256,
          location: ctx.location,
        }),
      );
    }
  }
  return out;
}
