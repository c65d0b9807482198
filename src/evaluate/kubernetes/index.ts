// Every finding the Kubernetes side adds to a run: the CSR audit, `inventory.undeclared` for
// discovered objects, and webhook caBundle trust (webhooks.ts). 403 scopes are observations with
// status error, which evaluate/source.ts turns into `source.error`; details.severity = 'warning'
// marks discovery scopes, a declared target's 403 keeps the default error.
// KubernetesAudit takes observations one at a time (a discover target over a large cluster streams
// them): each is audited as it comes, and only webhook configurations and declared Secrets are kept
// for the pairing at finish(), so time and memory stay linear in the cluster.
import type { Finding, Observation, SourceLocation } from '../../core/model.js';
import type { Target } from '../../inventory/types.js';
import { auditCsrs, type CsrAuditOptions } from './csr-audit.js';
import {
  declaredObjects,
  discoveredObject,
  discoverTargets,
  isDeclared,
  undeclaredFinding,
  undeclaredFindings,
} from './undeclared.js';
import { pairable, webhookTrustFindings } from './webhooks.js';

export function kubeFindings(
  observations: readonly Observation[],
  targets: readonly Target[],
  opts: CsrAuditOptions,
): Finding[] {
  return [...auditCsrs(observations, opts), ...undeclaredFindings(observations, targets)];
}

/** The Kubernetes audits of one run, fed observation by observation. */
export class KubernetesAudit {
  private readonly declared: Set<string>;
  private readonly discover: Map<string, Target>;
  private readonly findings: Finding[] = [];
  private readonly pairing: Observation[] = [];

  /** `targets`: every target of the inventory (an object declared anywhere is not undeclared). */
  constructor(
    targets: readonly Target[],
    private readonly now: Date,
  ) {
    this.declared = declaredObjects(targets);
    this.discover = discoverTargets(targets);
  }

  /**
   * True for an object a discover target found that a `kubernetes` target declares: that target
   * judges it, so the discovered copy is not judged again (one defect, one finding).
   */
  coveredElsewhere(o: Observation): boolean {
    const d = discoveredObject(o);
    return d !== null && isDeclared(d, this.declared);
  }

  add(o: Observation): void {
    if (o.source.kind !== 'kubernetes' && o.source.kind !== 'discover') return;
    this.findings.push(...auditCsrs([o], { now: this.now }));
    const d = discoveredObject(o);
    if (d && !isDeclared(d, this.declared)) {
      const f = undeclaredFinding(d, this.discover);
      if (f) this.findings.push(f);
    }
    if (pairable(o)) this.pairing.push(o);
  }

  /** The findings so far and webhook caBundle trust; `locate` gives a target's inventory location. */
  finish(locate: (target: string) => SourceLocation | null): Finding[] {
    return [...this.findings, ...webhookTrustFindings(this.pairing, locate, this.now)];
  }
}
