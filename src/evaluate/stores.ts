// Trust stores and bundles: what a target's store holds against its `trustStore` expectation
// (trustStore.*), and the bundles kept in the repository against theirs (bundle.*). Bundles are read
// before evaluation (by the pipeline, from the inventory); a bundle that could not be read arrives
// as its error and becomes `source.error`.
import type { Finding, ObservedCert, ReportTarget, SourceLocation } from '../core/model.js';
import type { Anchor, Bundle, TrustStoreExpect } from '../inventory/types.js';
import { makeFinding } from '../core/findings.js';
import { reportStoreCert } from './report.js';
import { actsAsCA } from '../x509/role.js';

/** A bundle of the inventory with what its file holds, or why it could not be read. */
export type BundleContent =
  | { bundle: Bundle; certificates: ObservedCert[]; error?: undefined }
  | { bundle: Bundle; certificates?: undefined; error: string };

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
    if (!actsAsCA(r) && prefix === 'trustStore') {
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

/** What the bundles add to a report: one target each, their findings, their certificate count. */
export interface BundleEvaluation {
  targets: ReportTarget[];
  findings: Finding[];
  certificates: number;
}

/** Bundles kept in the repository are checked on every run, whatever the zone. */
export function evaluateBundles(
  bundles: readonly BundleContent[],
  anchors: Map<string, Anchor>,
  now: Date,
): BundleEvaluation {
  const out: BundleEvaluation = { targets: [], findings: [], certificates: 0 };
  for (const { bundle: b, certificates, error } of bundles) {
    const bf: Finding[] = [];
    const store = certificates ?? [];
    if (error !== undefined) {
      bf.push(makeFinding({ target: b.id, check: 'source.error', location: b.location, message: error }));
    } else {
      bf.push(
        ...evaluateStore(
          store,
          { contains: b.contains, only: b.only },
          {
            targetId: b.id,
            location: b.location,
            kind: 'bundle',
            anchors,
            now,
            remediation: { kind: 'bundle', file: b.file },
          },
        ),
      );
    }
    out.certificates += store.length;
    out.targets.push({
      id: b.id,
      inventory: { file: b.location.file, line: b.location.line },
      source: { kind: 'bundle', file: b.file, ...(b.key ? { key: b.key } : {}) },
      status: bf.length ? 'findings' : 'ok',
      certificates: store.map((c) => reportStoreCert(c, now)),
      chain: null,
    });
    out.findings.push(...bf);
  }
  return out;
}
