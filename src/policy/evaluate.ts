// Runs the policy rules that apply to a target over the certificates it presented, and applies
// waivers. Pure apart from the kubeadm CA file reads behind set.io.
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { makeFinding } from '../findings.js';
import type { CertRecord, CertRole, Finding } from '../model.js';
import type { Target } from '../inventory/types.js';
import { celModel, type CelModel } from './cel.js';
import { CHECKS } from './checks/index.js';
import { certLabel } from './checks/util.js';
import type { AppliesTo, CheckContext, EvaluateInput, Policy, PolicySet, Waiver } from './types.js';

/** leaf for end-entity certificates; root for self-issued CAs; intermediate for other CAs. */
export function certRole(c: CertRecord): CertRole {
  if (!c.isCA) return 'leaf';
  return c.selfIssued ? 'root' : 'intermediate';
}

function applies(a: AppliesTo, role: CertRole): boolean {
  if (a === 'all') return true;
  if (a === 'leaf') return role === 'leaf';
  return role !== 'leaf';
}

/** Whether a `policies` entry names a file rather than a pack (`./team.yaml`, `policies/team.yml`). */
export function isPolicyPath(entry: string): boolean {
  return entry.includes('/') || /\.ya?ml$/.test(entry);
}

/** Absolute paths of the policy files targets reference by path (relative to their inventory file), for loadPolicies. */
export function policyPathsOf(targets: Target[]): string[] {
  const out = new Set<string>();
  for (const t of targets)
    for (const e of t.policies ?? [])
      if (isPolicyPath(e)) out.add(path.resolve(path.dirname(t.location.file), e));
  return [...out];
}

/** The packs a target uses, in order (by name, or by a path to a loaded policy file); unknown ones are a ConfigError listing the valid names. */
export function policiesFor(set: PolicySet, target: Target): Policy[] {
  const out: Policy[] = [];
  const bad: string[] = [];
  for (const name of new Set(target.policies ?? [])) {
    let p = set.policies.get(name);
    if (!p && isPolicyPath(name)) {
      const file = path.resolve(path.dirname(target.location.file), name);
      p = [...set.policies.values()].find((x) => x.file === file);
    }
    if (p) out.push(p);
    else bad.push(name);
  }
  if (bad.length) {
    const valid = [...set.policies.keys()].sort().join(', ');
    throw new ConfigError(
      bad.map((n) => ({
        location: target.paths?.policies ?? target.location,
        message: isPolicyPath(n)
          ? `target '${target.id}' uses policy file '${n}' (${path.resolve(path.dirname(target.location.file), n)}), which is not a loaded policy pack`
          : `target '${target.id}' uses unknown policy '${n}' (valid: ${valid})`,
      })),
    );
  }
  return out;
}

/** Every unknown policy name across targets, as one ConfigError (call before collecting). */
export function checkTargetPolicies(set: PolicySet, targets: Target[]): void {
  const problems = [];
  for (const t of targets) {
    try {
      policiesFor(set, t);
    } catch (e) {
      if (e instanceof ConfigError) problems.push(...e.problems);
      else throw e;
    }
  }
  if (problems.length) throw new ConfigError(problems);
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
  const roles = certs.map((oc) => certRole(oc.record));
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

function globMatch(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return re.test(value);
}

function waiverMatches(w: Waiver, f: Finding, targets: Map<string, Target>): boolean {
  if (w.rule !== (f.rule ?? f.check) && w.rule !== f.check) return false;
  if (w.certificate && w.certificate !== f.certificate) return false;
  const t = targets.get(f.target);
  if (w.target !== null) {
    const ids = [f.target, ...(t?.expandedFrom ? [t.expandedFrom] : [])];
    if (!ids.some((id) => globMatch(w.target!, id))) return false;
  }
  if (w.selector) {
    if (!t) return false;
    const s = w.selector;
    if (s.zone !== undefined && t.zone !== s.zone) return false;
    if (s.inventory !== undefined && t.inventory !== s.inventory) return false;
    for (const [k, v] of Object.entries(s.labels ?? {})) if (t.labels?.[k] !== v) return false;
  }
  return true;
}

/**
 * Marks findings covered by a waiver that is still valid at `now` (they stay in the list, with
 * `waived` set). Every expired waiver stops waiving and is itself reported as `waiver.expired`,
 * located at the waiver in its policy file.
 */
export function applyWaivers(findings: Finding[], set: PolicySet, now: Date, targets: Target[]): Finding[] {
  const waivers = [...set.policies.values()].flatMap((p) => p.waivers);
  if (!waivers.length) return findings;
  const byId = new Map(targets.map((t) => [t.id, t]));
  const expired = waivers.filter((w) => now.getTime() >= w.expiresAt.getTime());
  const active = waivers.filter((w) => now.getTime() < w.expiresAt.getTime());
  const covered = new Map<Waiver, number>();
  const out = findings.map((f) => {
    if (f.waived) return f;
    for (const w of expired) if (waiverMatches(w, f, byId)) covered.set(w, (covered.get(w) ?? 0) + 1);
    const w = active.find((x) => waiverMatches(x, f, byId));
    return w ? { ...f, waived: { reason: w.reason, owner: w.owner, expires: w.expires } } : f;
  });
  for (const w of expired) {
    const scope = w.target ?? `selector ${JSON.stringify(w.selector)}`;
    const n = covered.get(w) ?? 0;
    out.push(
      makeFinding({
        target: w.target ?? `policy:${w.policy}`,
        check: 'waiver.expired',
        key: `${w.policy}\u0000${w.rule}\u0000${scope}\u0000${w.certificate ?? ''}\u0000${w.expires}`,
        message:
          `waiver of rule '${w.rule}' for ${scope} (owner ${w.owner}: ${JSON.stringify(w.reason)}) expired on ${w.expires}; ` +
          (n
            ? `the ${n} finding${n === 1 ? '' : 's'} it covered ${n === 1 ? 'is' : 'are'} reported again`
            : 'it no longer matches any finding and can be removed'),
        location: w.location,
        remediation: { kind: 'inventory' },
      }),
    );
  }
  return out;
}
