// Waivers: which targets a waiver covers, marking the findings it waives, reporting expired ones,
// and checking after loading that every waiver names targets the inventory has.
import type { Problem } from '../core/errors.js';
import { DEFAULT_SEVERITY, makeFinding } from '../core/findings.js';
import type { Finding } from '../core/model.js';
import type { Target } from '../inventory/types.js';
import { policiesFor } from './packs.js';
import { closestName } from './suggest.js';
import type { PolicySet, Waiver } from './types.js';

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

/** Whether the waiver's `target` pattern covers a target id (or the preset id it was expanded from). */
function targetIdMatches(w: Waiver, id: string, expandedFrom: string | undefined): boolean {
  if (w.target === null) return true;
  return [id, ...(expandedFrom ? [expandedFrom] : [])].some((x) => globMatch(w.target!, x));
}

function selectorMatches(w: Waiver, t: Target): boolean {
  const s = w.selector;
  if (!s) return true;
  if (s.zone !== undefined && t.zone !== s.zone) return false;
  if (s.inventory !== undefined && t.inventory !== s.inventory) return false;
  for (const [k, v] of Object.entries(s.labels ?? {})) if (t.labels?.[k] !== v) return false;
  return true;
}

/**
 * Shipped rules whose findings now have another name: a waiver naming one (and no loaded policy
 * defining it) applies to the new name, with a warning.
 */
export const MOVED_RULES: Readonly<Record<string, string>> = {
  'hostname-matches-san': 'chain.hostname',
};

/** Whether a waiver applies to a target at all (its `target` pattern and its `selector`; not its rule). */
export function waiverCovers(w: Waiver, t: Target): boolean {
  return targetIdMatches(w, t.id, t.expandedFrom) && selectorMatches(w, t);
}

/** Targets evaluated in a run, by id and as a list (a run's may be made on demand, see Evaluator). */
export interface EvaluatedTargets extends Iterable<Target> {
  get(id: string): Target | undefined;
}

function evaluatedOf(targets: readonly Target[] | EvaluatedTargets): EvaluatedTargets {
  if (!Array.isArray(targets)) return targets as EvaluatedTargets;
  const byId = new Map(targets.map((t) => [t.id, t]));
  return { get: (id) => byId.get(id), [Symbol.iterator]: () => targets[Symbol.iterator]() };
}

function waiverMatches(w: Waiver, f: Finding, targets: EvaluatedTargets): boolean {
  if (w.rule !== (f.rule ?? f.check) && w.rule !== f.check) return false;
  if (w.certificate && w.certificate !== f.certificate) return false;
  const t = targets.get(f.target);
  if (!targetIdMatches(w, f.target, t?.expandedFrom)) return false;
  if (w.selector && (!t || !selectorMatches(w, t))) return false;
  return true;
}

function scopeOf(w: Waiver): string {
  const sel = w.selector ? `selector ${JSON.stringify(w.selector)}` : null;
  if (w.target !== null && sel) return `${w.target} (${sel})`;
  return w.target ?? sel ?? 'every target';
}

/** A plain target id: no wildcard, no selector narrowing it further. */
function isPlainId(w: Waiver): boolean {
  return w.target !== null && !w.target.includes('*');
}

export interface ApplyWaiversOptions {
  /**
   * Every target of the inventory (presets expanded), not only those evaluated. With it, an expired
   * waiver that matched no finding is called removable only when every target it covers was
   * evaluated; without it, only when it names exactly one evaluated target by id.
   */
  inventoryTargets?: Target[];
}

/**
 * Marks findings covered by a waiver that is still valid at `now` (they stay in the list, with
 * `waived` set). Every expired waiver stops waiving and is itself reported as `waiver.expired`,
 * located at the waiver in its policy file. `targets` are the targets evaluated in this run: an
 * expired waiver that matched no finding is said to be removable only when the targets it covers
 * were all evaluated (see ApplyWaiversOptions).
 */
export function applyWaivers(
  findings: Finding[],
  set: PolicySet,
  now: Date,
  targets: readonly Target[] | EvaluatedTargets,
  opts: ApplyWaiversOptions = {},
): Finding[] {
  const waivers = [...set.policies.values()].flatMap((p) => p.waivers);
  if (!waivers.length) return findings;
  const byId = evaluatedOf(targets);
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
    const scope = scopeOf(w);
    const n = covered.get(w) ?? 0;
    out.push(
      makeFinding({
        target: w.target ?? `policy:${w.policy}`,
        check: 'waiver.expired',
        key: `${w.policy}\u0000${w.rule}\u0000${w.target ?? `selector ${JSON.stringify(w.selector)}`}\u0000${w.certificate ?? ''}\u0000${w.expires}`,
        message:
          `waiver of rule '${w.rule}' for ${scope} (owner ${w.owner}: ${JSON.stringify(w.reason)}) expired on ${w.expires}; ` +
          (n
            ? `the ${n} finding${n === 1 ? '' : 's'} it covered ${n === 1 ? 'is' : 'are'} reported again`
            : unmatchedAdvice(w, byId, opts.inventoryTargets)),
        location: w.location,
        remediation: { kind: 'inventory' },
      }),
    );
  }
  return out;
}

/** What to say about an expired waiver that matched no finding in this run. */
function unmatchedAdvice(w: Waiver, evaluated: EvaluatedTargets, inventory: Target[] | undefined): string {
  const scanned: Target[] = [];
  const seen = new Set<string>();
  for (const t of evaluated) if (!seen.has(t.id) && waiverCovers(w, t) && seen.add(t.id)) scanned.push(t);
  if (scanned.length === 0) return 'none of the targets it covers was evaluated in this run';
  const all = inventory
    ? inventory.every((t) => !waiverCovers(w, t) || seen.has(t.id))
    : isPlainId(w) && !w.selector && scanned.length === 1 && scanned[0]!.id === w.target;
  if (all) return 'it no longer matches any finding and can be removed';
  return `it matched no finding in the ${scanned.length} target${scanned.length === 1 ? '' : 's'} it covers that ${scanned.length === 1 ? 'was' : 'were'} evaluated in this run (others it covers were not)`;
}

/** A problem found by checkWaiverTargets: `error` for a target id no target has, `warning` otherwise. */
export interface WaiverTargetProblem extends Problem {
  level: 'error' | 'warning';
}

/**
 * Checks every loaded waiver against the inventory's targets (pass ALL targets, presets expanded,
 * before any --zone/--target filtering), located at the waiver in its policy file:
 * - error: a plain `target` id (no `*`) that no target has as its id or preset id — a typo there
 *   silently un-waives;
 * - warning: a `*` pattern or a `selector` that matches no target, and a waiver whose rule none of
 *   the targets it covers evaluates (their packs have no such rule or check, and it is not a
 *   non-policy finding check such as `expect.subject`).
 */
export function checkWaiverTargets(set: PolicySet, targets: Target[]): WaiverTargetProblem[] {
  const out: WaiverTargetProblem[] = [];
  const ids = new Set(targets.flatMap((t) => [t.id, ...(t.expandedFrom ? [t.expandedFrom] : [])]));
  for (const p of set.policies.values()) {
    for (const w of p.waivers) {
      const where = `waiver of rule '${w.rule}'`;
      if (isPlainId(w) && !ids.has(w.target!)) {
        const near = closestName(w.target!, ids, Math.max(2, Math.floor(w.target!.length / 4)));
        out.push({
          level: 'error',
          location: w.location,
          message: `${where} names target '${w.target}', which no inventory target has${near ? ` (did you mean '${near}'?)` : ''}`,
        });
        continue;
      }
      if (w.movedFrom)
        out.push({
          level: 'warning',
          location: w.location,
          message: `waiver of rule '${w.movedFrom}': its findings are now '${w.rule}' (checked for every endpoint, whatever the packs); the waiver applies to them, rename its rule to '${w.rule}'`,
        });
      const matched = targets.filter((t) => waiverCovers(w, t));
      if (matched.length === 0) {
        out.push({
          level: 'warning',
          location: w.location,
          message: `${where} for ${scopeOf(w)} matches no inventory target`,
        });
        continue;
      }
      if (!ruleUsedBy(w.rule, set, matched))
        out.push({
          level: 'warning',
          location: w.location,
          message: `${where}: none of the ${matched.length} target${matched.length === 1 ? '' : 's'} it covers uses a policy with that rule (${matched
            .slice(0, 3)
            .map((t) => t.id)
            .join(', ')}${matched.length > 3 ? ', …' : ''})`,
        });
    }
  }
  return out;
}

/** Whether any of the targets can produce a finding the waiver's rule names. */
function ruleUsedBy(rule: string, set: PolicySet, targets: Target[]): boolean {
  if (Object.hasOwn(DEFAULT_SEVERITY, rule)) return true; // a non-policy finding check
  for (const t of targets) {
    let packs;
    try {
      packs = policiesFor(set, t);
    } catch {
      return true; // unknown packs are reported by checkTargetPolicies
    }
    if (packs.some((p) => p.rules.some((r) => r.id === rule || r.check === rule))) return true;
  }
  return false;
}
