// Observations -> report. Each observation is judged on its own as it arrives (source, expect, chain,
// trust store, policies); what looks across observations (Kubernetes audits, webhook caBundles), the
// repository's bundles and the waivers come at finish().
import type {
  CertRecord,
  CertRole,
  ChainResult,
  Finding,
  Observation,
  Report,
  ReportCertificate,
  ReportTarget,
} from '../core/model.js';
import type { LoadedInventory, Target } from '../inventory/types.js';
import type { PolicySet } from '../policy/types.js';
import { evaluatePolicies } from '../policy/evaluate.js';
import { applyWaivers, type EvaluatedTargets } from '../policy/waivers.js';
import { buildAnchorSet, evaluateChain, issuedByAnchor, type AnchorSet } from './trust.js';
import { evaluateExpect } from './expect.js';
import { hostnameFinding } from './hostname.js';
import { evaluateBundles, evaluateStore, type BundleContent } from './stores.js';
import { emptySourceFinding, failedSourceFinding, notCollected } from './source.js';
import { KubernetesAudit } from './kubernetes/index.js';
import { certificateRole, isCaSet, listOf } from '../x509/role.js';
import { assembleReport, reportCert, sortFindings, sourceSummary, storeRole } from './report.js';
import {
  reportedRevocation,
  reportedTls,
  revocationFindings,
  withRevocation,
} from './revocation/findings.js';

/** What evaluation reads besides observations: the inventory, the policies, the targets of this run. */
export interface EvaluationInput {
  inventory: LoadedInventory;
  policies: PolicySet;
  /** The targets this run looks at (after --zone/--target): each must be observed or is reported so. */
  targets: Target[];
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

/** A synthetic target for an observation a collector produced under a parent (discovered objects, preset files). */
function childTarget(parent: Target, id: string): Target {
  return { ...parent, id, expect: undefined, trustStore: undefined, expandedFrom: parent.id };
}

/** Every finding of one observation of one target, and its chain (null when not judged). */
export function judgeObservation(
  target: Target,
  obs: Observation,
  ctx: { input: EvaluationInput; anchorSet: AnchorSet; now: Date },
): { findings: Finding[]; chain: ChainResult | null } {
  if (obs.status !== 'ok') return { findings: [failedSourceFinding(target, obs)], chain: null };
  const { inventory, policies } = ctx.input;
  const { anchorSet, now } = ctx;
  const findings: Finding[] = [];
  let chain: ChainResult | null = null;
  const empty = emptySourceFinding(target, obs);
  if (empty) findings.push(empty);
  const leaf = obs.certificates[0];
  if (leaf) {
    if (target.expect) {
      findings.push(
        ...evaluateExpect(target.expect, {
          target,
          leaf: leaf.record,
          anchors: inventory.anchors,
          issuedBy: (l, a) => issuedByAnchor(l, anchorSet.records.get(a.id)),
        }),
      );
    }
    // A file of CA certificates (a CA bundle) is a set, not a chain: no chain verdict, unless the
    // target asks for one (expect.chainTo).
    const caSet =
      obs.source.kind === 'file' && !target.expect?.chainTo && isCaSet(obs.certificates.map((c) => c.record));
    const ce = caSet
      ? { chain: null, findings: [] }
      : evaluateChain(target, obs.certificates, anchorSet, now, target.location, obs.issuers);
    chain = ce.chain;
    findings.push(...ce.findings);
    // Every TLS client checks the name: intrinsic to endpoints, whatever the packs.
    const hostname = hostnameFinding(target, leaf.record, target.location);
    if (hostname) findings.push(hostname);
    findings.push(
      ...revocationFindings(obs, {
        target: target.id,
        isEndpoint: target.source.kind === 'endpoint',
        mode: target.revocation?.mode ?? 'soft',
        expectStapling: target.expect?.ocspStapling === true,
        now,
        location: target.location,
        expectLocation: target.paths?.['expect.ocspStapling'],
      }),
    );
  }
  if (target.trustStore) {
    findings.push(
      ...evaluateStore(obs.trustStore ?? obs.certificates, target.trustStore, {
        targetId: target.id,
        location: target.paths?.['trustStore'] ?? target.location,
        kind: 'trustStore',
        anchors: inventory.anchors,
        now,
      }),
    );
  }
  findings.push(...evaluatePolicies(policies, { target, observation: obs, chain, now }));
  return { findings, chain };
}

/**
 * Incremental evaluation: each observation is judged as it arrives and only its report entry and
 * findings are kept, so a scan of many sources holds records (with their DER) one at a time.
 * Kubernetes observations are audited as they come too (CSRs, undeclared objects); only webhook
 * configurations and declared Secrets are kept until finish(), for the caBundle pairs. A discovered
 * object that a `kubernetes` target declares is left to that target.
 */
export class Evaluator {
  private readonly anchorSet: AnchorSet;
  private readonly byId: Map<string, Target>;
  private readonly order: Map<string, number>;
  private readonly findings: Finding[] = [];
  private readonly reportTargets: { rank: number; seq: number; target: ReportTarget }[] = [];
  /** Ids of the targets evaluated (children too: their Target is made again when asked for). */
  private readonly evaluatedIds: string[] = [];
  /** Report entries of certificates by sha256, role and origin: shared by the targets presenting them. */
  private readonly certEntries = new Map<string, ReportCertificate>();
  /** Each shared entry's number, and the lists of shared entries by their numbers. */
  private readonly entryNumbers = new Map<ReportCertificate, number>();
  private readonly lists = new Map<string, ReportCertificate[]>();
  /** Report `inventory` and `source` fields, shared by the children of one declared target. */
  private readonly shared = new WeakMap<
    Target['source'],
    { inventory: ReportTarget['inventory']; source: ReportTarget['source'] }
  >();
  private readonly kube: KubernetesAudit;
  private readonly seen = new Set<string>();
  private certCount = 0;
  private seq = 0;

  constructor(
    private readonly input: EvaluationInput,
    private readonly now: Date,
  ) {
    const { inventory } = input;
    this.anchorSet = buildAnchorSet(inventory.anchors);
    this.byId = new Map(inventory.targets.map((t) => [t.id, t]));
    // Report order follows the inventory, whatever order sources answer in.
    this.order = new Map(inventory.targets.map((t, i) => [t.id, i]));
    this.kube = new KubernetesAudit(inventory.targets, now);
  }

  /** The target of an id (an observation's): declared, or a child of a declared one; undefined when gone. */
  private targetById(id: string): Target | undefined {
    const target = this.byId.get(id);
    if (target) return target;
    const parent = this.byId.get(id.split('/')[0] ?? '');
    return parent ? childTarget(parent, id) : undefined;
  }

  /**
   * A certificate as the report lists it. Entries are plain data and the same for every target that
   * presents that certificate in that role and place, so they are made once and shared (frozen): a
   * cluster of 100,000 Secrets holding a few hundred distinct certificates keeps a few hundred.
   */
  private certEntry(record: CertRecord, role: CertRole, origin: string | undefined): ReportCertificate {
    const key = `${record.sha256}\u0000${role}\u0000${origin ?? ''}`;
    let entry = this.certEntries.get(key);
    if (!entry) {
      this.certEntries.set(key, (entry = Object.freeze(reportCert(record, role, this.now, origin))));
      this.entryNumbers.set(entry, this.entryNumbers.size);
    }
    return entry;
  }

  /**
   * The same list of shared entries is shared too (frozen): a cluster's Secrets mostly hold the
   * same few leaf and CA pairs. A list with an entry of its own (revocation) is kept as it is.
   */
  private sharedList(certs: ReportCertificate[]): ReportCertificate[] {
    let key = '';
    for (const c of certs) {
      const n = this.entryNumbers.get(c);
      if (n === undefined) return certs;
      key += `${n},`;
    }
    let list = this.lists.get(key);
    if (!list) this.lists.set(key, (list = Object.freeze(certs) as ReportCertificate[]));
    return list;
  }

  /** The report's `inventory` and `source` of a target, shared with its siblings. */
  private sharedFields(target: Target): {
    inventory: ReportTarget['inventory'];
    source: ReportTarget['source'];
  } {
    let f = this.shared.get(target.source);
    if (!f || f.inventory.file !== target.location.file || f.inventory.line !== target.location.line) {
      f = {
        inventory: Object.freeze({ file: target.location.file, line: target.location.line }),
        source: Object.freeze(sourceSummary(target)) as ReportTarget['source'],
      };
      this.shared.set(target.source, f);
    }
    return f;
  }

  add(obs: Observation): void {
    const now = this.now;
    const target = this.targetById(obs.target);
    if (!target) return; // observations of targets no longer in the inventory are ignored
    const declaredId = target.expandedFrom && !this.byId.has(target.id) ? target.expandedFrom : target.id;
    this.seen.add(declaredId);
    // A discovered object that a `kubernetes` target declares is judged there, once.
    if (this.kube.coveredElsewhere(obs)) return;
    this.kube.add(obs);
    this.evaluatedIds.push(target.id);
    const { findings, chain } = judgeObservation(target, obs, {
      input: this.input,
      anchorSet: this.anchorSet,
      now,
    });
    const revocation = reportedRevocation(obs, target.revocation?.mode ?? 'soft');
    const certs = [
      ...obs.certificates.map((c, i) =>
        withRevocation(
          this.certEntry(c.record, certificateRole(c.record, i, listOf(obs.source.kind)), c.origin),
          revocation.get(c.record.sha256),
        ),
      ),
      ...(obs.trustStore ?? []).map((c) => this.certEntry(c.record, storeRole(c.record), c.origin)),
    ];
    const { inventory: where, source } = this.sharedFields(target);
    this.certCount += certs.length;
    const certificates = this.sharedList(certs);
    const rankId = target.expandedFrom && !this.order.has(target.id) ? target.expandedFrom : target.id;
    this.reportTargets.push({
      rank: this.order.get(rankId) ?? Number.MAX_SAFE_INTEGER,
      seq: this.seq++,
      target: {
        id: target.id,
        inventory: where,
        source,
        status: obs.status !== 'ok' ? obs.status : findings.length ? 'findings' : 'ok',
        certificates,
        chain,
        zone: target.zone,
        owners: target.owners,
        labels: target.labels,
        ...(obs.tls ? { tls: reportedTls(obs.tls) } : {}),
      },
    });
    this.findings.push(...findings);
  }

  /** The targets evaluated, for waivers: looked up by id, or listed (children made as they are read). */
  private evaluatedTargetsView(): EvaluatedTargets {
    const ids = this.evaluatedIds;
    const byId = (id: string) => this.targetById(id);
    return {
      get: byId,
      *[Symbol.iterator]() {
        for (const id of ids) {
          const t = byId(id);
          if (t) yield t;
        }
      },
    };
  }

  /** The report: every target of the run accounted for, cross-object and bundle findings, waivers. */
  finish(bundles: readonly BundleContent[]): Report {
    const { inventory, policies } = this.input;
    const now = this.now;
    // A target of this run with no observation at all (its zone was not collected, or the
    // observations came from another inventory) must not look clean.
    for (const t of this.input.targets) if (!this.seen.has(t.id)) this.add(notCollected(t, now));
    const findings = this.findings;
    const reportTargets = this.reportTargets
      .sort((a, b) => a.rank - b.rank || a.seq - b.seq)
      .map((r) => r.target);

    // Kubernetes findings: the CSR audit, discovered objects no target declares (both made as
    // observations came), and webhook caBundles that do not trust the declared Secret serving their Service.
    const locate = (id: string) =>
      (this.byId.get(id) ?? this.byId.get(id.split('/')[0] ?? ''))?.location ?? null;
    for (const f of this.kube.finish(locate)) findings.push(f);

    const b = evaluateBundles(bundles, inventory.anchors, now);
    reportTargets.push(...b.targets);
    findings.push(...b.findings);

    const final = sortFindings(
      applyWaivers(findings, policies, now, this.evaluatedTargetsView(), {
        inventoryTargets: inventory.targets,
      }),
    );
    return assembleReport(reportTargets, final, this.certCount + b.certificates, now);
  }
}

/** Evaluates collected observations (the newest per target) into the JSON report. */
export function evaluateObservations(
  input: EvaluationInput,
  observations: Observation[],
  bundles: readonly BundleContent[],
  now: Date,
): Report {
  const e = new Evaluator(input, now);
  for (const o of newestPerTarget(observations)) e.add(o);
  return e.finish(bundles);
}
