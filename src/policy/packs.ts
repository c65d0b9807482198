// Which packs a target uses: by name, or by a path to a policy file relative to its inventory file.
import path from 'node:path';
import { ConfigError } from '../core/errors.js';
import type { Target } from '../inventory/types.js';
import type { Policy, PolicySet } from './types.js';

/** Whether a `policies` entry names a file rather than a pack (`./team.yaml`, `policies/team.yml`). */
function isPolicyPath(entry: string): boolean {
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
