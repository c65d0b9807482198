// Runs the policy rules that apply to a target over the certificates it presented. Pure apart from
// the kubeadm CA file reads behind set.io. Waivers are applied by waivers.ts (re-exported here).
import { makeFinding } from '../core/findings.js';
import type { CertRecord, CertRole, Finding } from '../core/model.js';
import { certificateRole, listOf } from '../x509/role.js';
import { celModel, type CelModel } from './cel.js';
import { CHECKS } from './checks/index.js';
import { certLabel } from './checks/util.js';
import { policiesFor } from './packs.js';
import type { AppliesTo, CheckContext, EvaluateInput, PolicySet } from './types.js';

// Kept here for callers that import it with evaluatePolicies.
export { applyWaivers } from './waivers.js';

/**
 * The role of the certificate at `index` of what a source of `sourceKind` gave (x509/role.ts
 * decides; the report uses the same rule). Without them: a certificate file's first certificate.
 */
export function certRole(c: CertRecord, index = 0, sourceKind = 'file'): CertRole {
  return certificateRole(c, index, listOf(sourceKind));
}

function applies(a: AppliesTo, role: CertRole): boolean {
  if (a === 'all') return true;
  if (a === 'leaf') return role === 'leaf';
  return role !== 'leaf';
}

/**
 * Findings of the policy rules for one target: `check` is the built-in check id or 'cel',
 * `rule` the rule id, `certificate` the certificate's sha256, location the target's line.
 */
export function evaluatePolicies(set: PolicySet, input: EvaluateInput): Finding[] {
  const { target, observation, chain, now } = input;
  const packs = policiesFor(set, target);
  const ruleCount = new Map<string, number>();
  for (const p of packs) for (const r of p.rules) ruleCount.set(r.id, (ruleCount.get(r.id) ?? 0) + 1);
  const out: Finding[] = [];
  const seen = new Set<string>();
  const push = (f: Finding) => {
    if (seen.has(f.id)) return;
    seen.add(f.id);
    out.push(f);
  };
  const certs = observation.certificates ?? [];
  const roles = certs.map((oc, i) => certRole(oc.record, i, observation.source.kind));
  // One CEL model per certificate, built on first use and shared by every expression rule.
  const models: (CelModel | undefined)[] = [];
  for (const pack of packs) {
    for (const rule of pack.rules) {
      // The same rule id in two packs of one target must still give two distinct finding ids.
      const suffix = (ruleCount.get(rule.id) ?? 0) > 1 ? `@${pack.name}` : '';
      certs.forEach((oc, index) => {
        const cert = oc.record;
        const role = roles[index]!;
        if (!applies(rule.appliesTo, role)) return;
        const getModel = () =>
          (models[index] ??= celModel({ cert, role, origin: oc.origin, index, target, chain, now }));
        const base = {
          target: target.id,
          rule: rule.id,
          certificate: cert.sha256,
          location: target.location,
        };
        if (rule.when) {
          const w = rule.when.run(getModel());
          if (!w.ok || typeof w.value !== 'boolean') {
            const why = w.ok ? `returned ${typeof w.value}, not a bool` : w.error;
            push(
              makeFinding({
                ...base,
                check: rule.check,
                key: `${cert.sha256}#when${suffix}`,
                severity: rule.severity ?? 'error',
                message: `rule '${rule.id}': cannot evaluate its 'when' condition: ${why}`,
              }),
            );
            return;
          }
          if (!w.value) return;
        }
        if (rule.expr) {
          const r = rule.expr.run(getModel());
          if (r.ok && r.value === true) return;
          const label = certLabel({ cert } as CheckContext<unknown>);
          const why = r.ok
            ? typeof r.value === 'boolean'
              ? ''
              : ` (cannot evaluate: the expression returned ${typeof r.value}, not a bool)`
            : ` (cannot evaluate: ${r.error})`;
          push(
            makeFinding({
              ...base,
              check: 'cel',
              key: `${cert.sha256}${suffix}`,
              severity: rule.severity ?? 'error',
              message: `${rule.message ?? `rule '${rule.id}' failed`}: ${label}${why}`,
            }),
          );
          return;
        }
        const def = CHECKS.get(rule.check);
        if (!def) return; // validated at load
        const ctx: CheckContext = {
          cert,
          role,
          index,
          origin: oc.origin,
          target,
          observation,
          chain,
          now,
          params: rule.params,
          io: set.io,
        };
        for (const res of def.run(ctx)) {
          push(
            makeFinding({
              ...base,
              check: def.id,
              key: `${cert.sha256}${res.aspect ? `#${res.aspect}` : ''}${suffix}`,
              severity: res.severity ?? rule.severity ?? def.defaultSeverity,
              message: res.message,
              remediation: res.remediation ?? null,
            }),
          );
        }
      });
    }
  }
  return out;
}
