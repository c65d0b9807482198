// Every finding the Kubernetes side adds to a run, for the evaluator's finish(): the CSR audit and
// `inventory.undeclared` for discovered objects (webhook caBundle trust: webhooks.ts). 403 scopes are
// observations with status error, which evaluate/source.ts turns into `source.error`;
// details.severity = 'warning' marks discovery scopes, a declared target's 403 keeps the default error.
import type { Finding, Observation } from '../../core/model.js';
import type { Target } from '../../inventory/types.js';
import { auditCsrs, type CsrAuditOptions } from './csr-audit.js';
import { undeclaredFindings } from './undeclared.js';

export function kubeFindings(
  observations: readonly Observation[],
  targets: readonly Target[],
  opts: CsrAuditOptions,
): Finding[] {
  return [...auditCsrs(observations, opts), ...undeclaredFindings(observations, targets)];
}
