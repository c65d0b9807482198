// The pipeline, in order: load -> expand -> collect -> evaluate -> report.
// `collect` and `evaluate` are separable: observations are plain JSON, so zones collect and one job evaluates.
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type {
  CertRecord,
  Finding,
  Observation,
  Report,
  ReportCertificate,
  ReportTarget,
  Severity,
} from './core/model.js';
import { SEVERITY_RANK } from './core/model.js';
import type { LoadedInventory, Target } from './inventory/types.js';
import { loadInventory, readBundleFile } from './inventory/load.js';
import { expandKubeadmPreset } from './inventory/presets/kubeadm.js';
import {
  loadPolicies,
  evaluatePolicies,
  applyWaivers,
  checkTargetPolicies,
  policyPathsOf,
  checkWaiverTargets,
  type PolicySet,
} from './policy/index.js';
import { parseCertificate } from './x509/parse.js';
import { buildAnchorSet, evaluateChain, type AnchorSet } from './evaluate/trust.js';
import { evaluateExpect, evaluateStore } from './evaluate/expect.js';
import { collectorFor } from './sources/registry.js';
import type { CollectContext } from './sources/types.js';
import { makeFinding } from './core/findings.js';
import { kubeFindings } from './evaluate/kubernetes/index.js';
import { webhookServingPairs } from './evaluate/kubernetes/webhooks.js';
import { verifyChain } from './x509/verify/verify.js';
import { mapLimit } from './core/limit.js';
import { daysUntil } from './core/text.js';
import { ConfigError, formatProblem } from './core/errors.js';
import type { Logger } from './core/logger.js';
import { silentLogger } from './core/logger.js';
import { VERSION } from './core/version.js';

export type FailOn = 'error' | 'warning' | 'never';
export type OutputFormat = 'text' | 'json' | 'sarif' | 'markdown' | 'prometheus';

/** One options object for scan/collect/evaluate, built by the CLI or the action. */
export interface ScanOptions {
  inventoryDirs: string[];
  policyDirs: string[];
  now?: Date;
  format?: OutputFormat;
  output?: string;
  failOn?: FailOn;
  concurrency?: number;
  timeoutMs?: number;
  zone?: string;
  targets?: string[];
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
  /** Services handed to collectors (e.g. `kube`: a Kubernetes client factory). */
  services?: Record<string, unknown>;
  /** Called as targets finish (progress bars). */
  onProgress?: (done: number, total: number) => void;
}

export interface ObservationsFile {
  schemaVersion: 1;
  kind: 'certwarden/observations';
  tool: { name: 'certwarden'; version: string };
  collectedAt: string;
  zone: string | null;
  observations: Observation[];
}

export interface Loaded {
  inventory: LoadedInventory;
  policies: PolicySet;
  targets: Target[]; // expanded (presets), filtered by zone/ids
}

/** Loads and validates inventory and policies, expands presets, applies --zone/--target filters. */
export async function load(opts: ScanOptions): Promise<Loaded> {
  // Packs by name are known before the inventory loads, so an unknown name is reported in the same
  // pass as every other inventory problem, on its YAML line.
  const named = await loadPolicies(opts.policyDirs);
  const inventory = await loadInventory(opts.inventoryDirs, {
    env: opts.env ?? process.env,
    policyNames: [...named.policies.keys()],
  });
  if (inventory.inventories.length === 0) {
    throw new ConfigError(
      `no inventory found in ${opts.inventoryDirs.join(', ')}: expected YAML files with 'apiVersion: certwarden/v1' and 'kind: Inventory'`,
    );
  }
  const expanded: Target[] = [];
  for (const t of inventory.targets) {
    if (t.source.kind === 'preset') expanded.push(...expandKubeadmPreset(t));
    else expanded.push(t);
  }
  // Packs named by path in a target's `policies` are loaded beside the shipped and --policies ones.
  const byPath = policyPathsOf(expanded);
  const policies = byPath.length ? await loadPolicies([...opts.policyDirs, ...byPath]) : named;
  checkTargetPolicies(policies, expanded);
  // Waivers must name real targets: a typo would silently stop waiving. Checked against every
  // target, before --zone/--target filter what this run looks at.
  const waiverProblems = checkWaiverTargets(policies, expanded);
  const waiverErrors = waiverProblems.filter((p) => p.level === 'error');
  if (waiverErrors.length)
    throw new ConfigError(waiverErrors.map(({ location, message }) => ({ location, message })));
  for (const w of waiverProblems)
    if (w.level === 'warning')
      (opts.logger ?? silentLogger).warn(formatProblem(w).replace(': error: ', ': warning: '));
  const wanted = opts.targets?.length ? new Set(opts.targets) : null;
  if (wanted) {
    const known = new Set(expanded.flatMap((t) => [t.id, t.expandedFrom ?? t.id]));
    const unknown = [...wanted].filter((id) => !known.has(id));
    if (unknown.length)
      throw new ConfigError(`unknown target id(s) ${unknown.join(', ')} given with --target`);
  }
  if (opts.zone && !expanded.some((t) => t.zone === opts.zone)) {
    const zones = [...new Set(expanded.map((t) => t.zone).filter((z): z is string => Boolean(z)))].sort();
    throw new ConfigError(
      `no target is in zone '${opts.zone}' (zones in this inventory: ${zones.join(', ') || 'none'})`,
    );
  }
  const targets = expanded.filter(
    (t) =>
      (!opts.zone || t.zone === opts.zone) &&
      (!wanted || wanted.has(t.id) || (t.expandedFrom !== undefined && wanted.has(t.expandedFrom))),
  );
  return { inventory: { ...inventory, targets: expanded }, policies, targets };
}

/** Runs every collector with bounded concurrency; one or more observations per target, never a throw per source. */
export async function collect(loaded: Loaded, opts: ScanOptions): Promise<Observation[]> {
  const out: Observation[][] = [];
  const index = new Map(loaded.targets.map((t, i) => [t.id, i]));
  await collectInto(loaded, opts, (t, obs) => void (out[index.get(t.id) ?? 0] = obs));
  // Keep inventory order in the output whatever the source kind or completion order.
  return out.flatMap((o) => o ?? []);
}

/** Collects every target, handing each target's observations to `sink` as soon as they are in. */
export async function collectInto(
  loaded: Loaded,
  opts: ScanOptions,
  sink: (target: Target, obs: Observation[]) => void,
): Promise<void> {
  const now = opts.now ?? new Date();
  const ctx: CollectContext = {
    now,
    logger: opts.logger ?? silentLogger,
    timeoutMs: opts.timeoutMs ?? 10_000,
    env: opts.env ?? process.env,
    inventory: loaded.inventory,
    services: opts.services,
  };
  const total = loaded.targets.length;
  const doneBy = { endpoints: 0, others: 0 };
  const progress = (key: keyof typeof doneBy) => (done: number) => {
    doneBy[key] = done;
    opts.onProgress?.(doneBy.endpoints + doneBy.others, total);
  };
  const concurrency = opts.concurrency ?? 50;
  // Endpoints go through the endpoint scheduler: a probe that hears nothing (a tarpit) gives its
  // slot back and runs out its own deadline, so tarpits cannot hold the run.
  const endpoints = loaded.targets.filter((t) => t.source.kind === 'endpoint');
  const others = loaded.targets.filter((t) => t.source.kind !== 'endpoint');
  const collectEndpoints = endpoints.length
    ? (await import('./sources/endpoint/collector.js')).collectEndpoints
    : null;
  const byId = new Map(endpoints.map((t) => [t.id, t]));
  await Promise.all([
    collectEndpoints
      ? collectEndpoints(endpoints, ctx, { concurrency, onDone: progress('endpoints') }).then((list) => {
          for (const o of list) sink(byId.get(o.target)!, [o]);
        })
      : Promise.resolve(),
    mapLimit(others, concurrency, async (t) => void sink(t, await collectOne(t, ctx)), progress('others')),
  ]);
}

async function collectOne(t: Target, ctx: CollectContext): Promise<Observation[]> {
  try {
    const collector = await collectorFor(t.source.kind);
    return await collector.collect(t, ctx);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    ctx.logger.debug(`collector for ${t.id} failed: ${message}`);
    return [
      {
        target: t.id,
        source: { kind: t.source.kind },
        collectedAt: ctx.now.toISOString(),
        status: 'error',
        error: { reason: 'internal', message },
        certificates: [],
        trustStore: null,
      },
    ];
  }
}

function roleOf(r: CertRecord, index: number): ReportCertificate['role'] {
  if (r.isCA && r.selfIssued) return 'root';
  if (r.isCA || index > 0) return 'intermediate';
  return 'leaf';
}

function reportCert(
  r: CertRecord,
  index: number,
  now: Date,
  origin?: string,
  role?: ReportCertificate['role'],
): ReportCertificate {
  return {
    sha256: r.sha256,
    subject: r.subject,
    issuer: r.issuer,
    serial: r.serial,
    notBefore: r.notBefore,
    notAfter: r.notAfter,
    daysRemaining: daysUntil(r.notAfter, now),
    dnsNames: r.dnsNames,
    ipAddresses: r.ipAddresses,
    keyType: r.keyType,
    keyBits: r.keyBits,
    curve: r.curve,
    signatureAlgorithm: r.signatureAlgorithm,
    isCA: r.isCA,
    role: role ?? roleOf(r, index),
    ...(origin ? { origin } : {}),
  };
}

function sourceSummary(t: Target): Record<string, unknown> {
  const s = t.source as unknown as Record<string, unknown>;
  return { kind: t.source.kind, ...(s[t.source.kind] as Record<string, unknown>) };
}

/** A synthetic target for an observation a collector produced under a parent (discovered objects, preset files). */
function childTarget(parent: Target, obs: Observation): Target {
  return { ...parent, id: obs.target, expect: undefined, trustStore: undefined, expandedFrom: parent.id };
}

function sortFindings(f: Finding[]): Finding[] {
  return f.sort(
    (a, b) =>
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
      a.target.localeCompare(b.target) ||
      a.check.localeCompare(b.check) ||
      a.id.localeCompare(b.id),
  );
}

/** Evaluates observations against the inventory and policies into the JSON report (contract schemaVersion 1). */
export function evaluate(loaded: Loaded, observations: Observation[], now: Date): Report {
  const e = new Evaluator(loaded, now);
  for (const o of newestPerTarget(observations)) e.add(o);
  return e.finish();
}

/** The same target observed twice (a file passed twice, two runs of a zone): the newest observation wins. */
export function newestPerTarget(observations: Observation[]): Observation[] {
  const newest = new Map<string, Observation>();
  for (const o of observations) {
    const prev = newest.get(o.target);
    if (!prev || Date.parse(o.collectedAt) >= Date.parse(prev.collectedAt)) newest.set(o.target, o);
  }
  return observations.filter((o) => newest.get(o.target) === o);
}

/**
 * Incremental evaluation: each observation is judged as it arrives and only its report entry and
 * findings are kept, so a scan of many sources holds records (with their DER) one at a time.
 * Kubernetes observations are also kept until finish(): the CSR audit, undeclared objects and
 * webhook caBundle pairs look across objects.
 */
export class Evaluator {
  private readonly anchorSet: AnchorSet;
  private readonly byId: Map<string, Target>;
  private readonly order: Map<string, number>;
  private readonly findings: Finding[] = [];
  private readonly reportTargets: { rank: number; seq: number; target: ReportTarget }[] = [];
  private readonly evaluatedTargets: Target[] = [];
  private readonly kubeObservations: Observation[] = [];
  private readonly seen = new Set<string>();
  private certCount = 0;
  private seq = 0;

  constructor(
    private readonly loaded: Loaded,
    private readonly now: Date,
  ) {
    const { inventory } = loaded;
    this.anchorSet = buildAnchorSet(inventory.anchors, (a) =>
      parseCertificate(Buffer.from(a.der, 'base64'), a.file),
    );
    this.byId = new Map(inventory.targets.map((t) => [t.id, t]));
    // Report order follows the inventory, whatever order sources answer in.
    this.order = new Map(inventory.targets.map((t, i) => [t.id, i]));
  }

  add(obs: Observation): void {
    const { inventory, policies } = this.loaded;
    const now = this.now;
    let target = this.byId.get(obs.target);
    if (!target) {
      const parentId = obs.target.split('/')[0] ?? '';
      const parent = this.byId.get(parentId);
      if (!parent) return; // observations of targets no longer in the inventory are ignored
      target = childTarget(parent, obs);
    }
    this.seen.add(target.expandedFrom && !this.byId.has(target.id) ? target.expandedFrom : target.id);
    if (obs.source.kind === 'kubernetes' || obs.source.kind === 'discover') this.kubeObservations.push(obs);
    this.evaluatedTargets.push(target);
    const tf: Finding[] = [];
    const loc = target.location;
    let chain: ReportTarget['chain'] = null;

    if (obs.status !== 'ok') {
      const check = obs.status === 'unreachable' ? 'source.unreachable' : 'source.error';
      const reason = obs.error?.reason ?? 'unknown';
      // A discovery scope that cannot be listed (403 on one namespace or kind) is a warning; a declared target's is an error.
      const severity = obs.details?.severity === 'warning' ? 'warning' : undefined;
      tf.push(
        makeFinding({
          target: target.id,
          check,
          key: reason,
          severity,
          location: loc,
          message:
            `${obs.status === 'unreachable' ? 'unreachable' : 'cannot be read'} (${reason}): ${obs.error?.message ?? ''}`.trim(),
          remediation: { kind: 'manual' },
        }),
      );
    } else {
      const store = obs.trustStore;
      // Some objects legitimately hold no certificate yet (a pending CSR, a keystore read without its password).
      if (
        obs.certificates.length === 0 &&
        (!store || store.length === 0) &&
        obs.details?.certificatesExpected !== false
      ) {
        tf.push(
          makeFinding({
            target: target.id,
            check: 'source.empty',
            location: loc,
            message: 'no certificate found at this source',
          }),
        );
      }
      const leaf = obs.certificates[0];
      if (leaf) {
        if (target.expect) {
          tf.push(
            ...evaluateExpect(target.expect, {
              target,
              leaf: leaf.record,
              anchors: inventory.anchors,
              issuedBy: (l, a) => issuedByAnchor(l, this.anchorSet.records.get(a.id)),
            }),
          );
        }
        const ce = evaluateChain(target, obs.certificates, this.anchorSet, now, loc);
        chain = ce.chain;
        tf.push(...ce.findings);
      }
      if (target.trustStore) {
        tf.push(
          ...evaluateStore(store ?? obs.certificates, target.trustStore, {
            targetId: target.id,
            location: target.paths?.['trustStore'] ?? loc,
            kind: 'trustStore',
            anchors: inventory.anchors,
            now,
          }),
        );
      }
      tf.push(...evaluatePolicies(policies, { target, observation: obs, chain, now }));
    }

    const certs = [
      ...obs.certificates.map((c, i) => reportCert(c.record, i, now, c.origin)),
      ...(obs.trustStore ?? []).map((c) =>
        reportCert(c.record, 1, now, c.origin, c.record.selfIssued ? 'root' : 'intermediate'),
      ),
    ];
    this.certCount += certs.length;
    const rank =
      this.order.get(target.expandedFrom && !this.order.has(target.id) ? target.expandedFrom : target.id) ??
      Number.MAX_SAFE_INTEGER;
    this.reportTargets.push({
      rank,
      seq: this.seq++,
      target: {
        id: target.id,
        inventory: { file: target.location.file, line: target.location.line },
        source: sourceSummary(target),
        status:
          obs.status === 'unreachable'
            ? 'unreachable'
            : obs.status === 'error'
              ? 'error'
              : tf.length
                ? 'findings'
                : 'ok',
        certificates: certs,
        chain,
        zone: target.zone,
        owners: target.owners,
        labels: target.labels,
        ...(obs.tls ? { tls: obs.tls } : {}),
      },
    });
    this.findings.push(...tf);
  }

  finish(): Report {
    const { inventory, policies } = this.loaded;
    const now = this.now;
    // A target of this run with no observation at all (its zone was not collected, or the
    // observations came from another inventory) must not look clean.
    for (const t of this.loaded.targets) {
      if (this.seen.has(t.id)) continue;
      this.add({
        target: t.id,
        source: { kind: t.source.kind },
        collectedAt: now.toISOString(),
        status: 'unreachable',
        error: {
          reason: 'not-collected',
          message: `no observation for this target${t.zone ? ` (zone '${t.zone}')` : ''}: was it collected, with this inventory?`,
        },
        certificates: [],
        trustStore: null,
      });
    }
    const findings = this.findings;
    const reportTargets = this.reportTargets
      .sort((a, b) => a.rank - b.rank || a.seq - b.seq)
      .map((r) => r.target);
    let certCount = this.certCount;

    // Kubernetes-wide findings: the CSR audit, discovered objects no target declares, and webhook
    // caBundles that do not trust the declared Secret serving their Service.
    findings.push(...kubeFindings(this.kubeObservations, this.evaluatedTargets, { now }));
    for (const pair of webhookServingPairs(this.kubeObservations)) {
      const leaf = pair.serving[0]?.record;
      if (!leaf) continue;
      const anchors = pair.caBundle.map((c, i) => ({
        id: `${pair.target} caBundle[${i}]`,
        record: c.record,
      }));
      const v = verifyChain(
        leaf,
        pair.serving.slice(1).map((c) => c.record),
        anchors,
        { now },
      );
      if (!v.trusted) {
        const t = this.byId.get(pair.target) ?? this.byId.get(pair.target.split('/')[0] ?? '');
        findings.push(
          makeFinding({
            target: pair.target,
            check: 'chain.untrusted',
            certificate: leaf.sha256,
            location: t?.location ?? null,
            message: `caBundle of webhook ${pair.webhook} does not trust the certificate served by ${pair.servingTarget} for service ${pair.service.namespace}/${pair.service.name}: ${v.problems.map((p) => p.message).join('; ') || 'no path'}`,
          }),
        );
      }
    }

    // Bundles kept in the repository are checked on every run, whatever the zone.
    for (const b of inventory.bundles) {
      const bf: Finding[] = [];
      let certs: ReportCertificate[] = [];
      try {
        const store = readBundleFile(b);
        certs = store.map((c) =>
          reportCert(c.record, 1, now, c.origin, c.record.selfIssued ? 'root' : 'intermediate'),
        );
        bf.push(
          ...evaluateStore(
            store,
            { contains: b.contains, only: b.only },
            {
              targetId: b.id,
              location: b.location,
              kind: 'bundle',
              anchors: inventory.anchors,
              now,
              remediation: { kind: 'bundle', file: b.file },
            },
          ),
        );
      } catch (err) {
        bf.push(
          makeFinding({
            target: b.id,
            check: 'source.error',
            location: b.location,
            message: err instanceof Error ? err.message : String(err),
          }),
        );
      }
      certCount += certs.length;
      reportTargets.push({
        id: b.id,
        inventory: { file: b.location.file, line: b.location.line },
        source: { kind: 'bundle', file: b.file, ...(b.key ? { key: b.key } : {}) },
        status: bf.length ? 'findings' : 'ok',
        certificates: certs,
        chain: null,
      });
      findings.push(...bf);
    }

    const final = sortFindings(
      applyWaivers(findings, policies, now, this.evaluatedTargets, { inventoryTargets: inventory.targets }),
    );
    // Status follows what is left open: a target whose findings are all waived is ok.
    const open = new Set(final.filter((f) => !f.waived).map((f) => f.target));
    for (const t of reportTargets)
      if (t.status === 'ok' || t.status === 'findings') t.status = open.has(t.id) ? 'findings' : 'ok';
    const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
    let waived = 0;
    for (const f of final) {
      if (f.waived) waived++;
      else counts[f.severity]++;
    }
    return {
      schemaVersion: 1,
      tool: { name: 'certwarden', version: VERSION },
      evaluatedAt: now.toISOString(),
      summary: { targets: reportTargets.length, certificates: certCount, findings: counts, waived },
      targets: reportTargets,
      findings: final,
    };
  }
}

/** Whether `leaf` was signed by the anchor's key (name match plus signature). */
function issuedByAnchor(leaf: CertRecord, anchor: CertRecord | undefined): boolean {
  if (!anchor) return false;
  if (leaf.issuer.dn !== anchor.subject.dn) return false;
  return verifySignedBy(leaf, anchor);
}

function verifySignedBy(child: CertRecord, issuer: CertRecord): boolean {
  try {
    const c = new X509Certificate(Buffer.from(child.der, 'base64'));
    const i = new X509Certificate(Buffer.from(issuer.der, 'base64'));
    return c.verify(i.publicKey);
  } catch {
    return false;
  }
}

/** The contract's exit code for a report: 0 clean, 1 findings at or above fail-on. */
export function exitCodeFor(report: Report, failOn: FailOn): number {
  if (failOn === 'never') return 0;
  const threshold = SEVERITY_RANK[failOn];
  return report.findings.some((f) => !f.waived && SEVERITY_RANK[f.severity] >= threshold) ? 1 : 0;
}

/** Writes a file atomically (temp + rename) so a failed run never leaves half a report. */
export async function writeAtomic(file: string, data: string): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  await writeFile(tmp, data);
  await rename(tmp, file);
}

export function readObservationsFile(file: string): ObservationsFile {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(
      `${file}: not a readable observations file (${err instanceof Error ? err.message : String(err)})`,
    );
  }
  const d = data as Partial<ObservationsFile>;
  if (d?.kind !== 'certwarden/observations' || d.schemaVersion !== 1 || !Array.isArray(d.observations)) {
    throw new ConfigError(
      `${file}: expected a certwarden observations file (kind: certwarden/observations, schemaVersion: 1), as written by 'certwarden collect'`,
    );
  }
  return d as ObservationsFile;
}

/** scan = load + collect + evaluate, evaluating each source as it answers (memory stays per source). */
export async function runScan(
  opts: ScanOptions & { keepObservations?: boolean },
): Promise<{ report: Report; exitCode: number; loaded: Loaded; observations: Observation[] }> {
  const now = opts.now ?? new Date();
  const loaded = await load(opts);
  const evaluator = new Evaluator(loaded, now);
  const kept: Observation[] = [];
  await collectInto(loaded, { ...opts, now }, (_t, list) => {
    for (const o of list) {
      evaluator.add(o);
      if (opts.keepObservations) kept.push(o);
    }
  });
  const report = evaluator.finish();
  return { report, exitCode: exitCodeFor(report, opts.failOn ?? 'error'), loaded, observations: kept };
}
