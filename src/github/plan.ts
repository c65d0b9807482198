// Plan, then apply: what GitHub should look like for a report, computed as plain data from the report,
// the inventory and what already exists. Pure: no network, no filesystem, no clock.
// Issues: plan-issues.ts; the dashboard: plan-dashboard.ts; pull requests: pulls/ (one module per kind).
import { DASHBOARD_LABEL, LABEL, PR_LABEL } from './markers.js';
import { planDashboard } from './plan-dashboard.js';
import { indexInput, type SyncInput } from './plan-input.js';
import { planIssues } from './plan-issues.js';
import { pullKind } from './pulls/index.js';
import { planPulls } from './pulls/plan.js';
import type { LabelSpec, Skipped, SyncPlan } from './types.js';

export type { SyncInput } from './plan-input.js';
export { filesNeeded } from './pulls/plan.js';

const COLORS: Record<string, string> = {
  'severity:error': 'd73a4a',
  'severity:warning': 'fbca04',
  'severity:info': '0075ca',
};

function labelSpec(name: string): LabelSpec {
  const color =
    COLORS[name] ?? (name.startsWith('check:') ? 'c5def5' : name.startsWith('owner:') ? 'bfdadc' : '5319e7');
  const description = name.startsWith('owner:')
    ? 'Owner team from the certwarden inventory'
    : name === DASHBOARD_LABEL
      ? 'The certwarden dashboard issue'
      : name === PR_LABEL
        ? 'A pull request proposed by certwarden'
        : 'Managed by certwarden';
  return { name, color, description };
}

/** The whole plan. Applying it brings GitHub in line with the report; an unchanged rerun plans nothing. */
export function planSync(input: SyncInput): SyncPlan {
  const idx = indexInput(input);
  const skipped: Skipped[] = [];
  const { actions: issues, links } = planIssues(input, idx, skipped);
  const pulls = planPulls(input, idx, skipped);
  const prLinks = new Map<string, number[]>();
  for (const p of pulls)
    if (p.op === 'update-pr') prLinks.set(p.target, [...(prLinks.get(p.target) ?? []), p.number]);
  for (const p of input.existing.pulls) {
    if (p.state !== 'open' || pulls.some((a) => a.op === 'close-pr' && a.number === p.number)) continue;
    const list = prLinks.get(p.marker.target) ?? [];
    if (!list.includes(p.number)) prLinks.set(p.marker.target, [...list, p.number]);
  }
  const dashboard = planDashboard(input, { issues: links, pulls: prLinks });

  const wantedLabels = new Set<string>([LABEL, DASHBOARD_LABEL]);
  for (const a of issues) if (a.op !== 'close-issue') a.labels.forEach((l) => wantedLabels.add(l));
  for (const a of pulls) if (a.op !== 'close-pr') a.labels.forEach((l) => wantedLabels.add(l));
  const have = new Set(input.existing.labels.map((l) => l.toLowerCase()));
  const labels = [...wantedLabels]
    .filter((l) => !have.has(l.toLowerCase()))
    .sort()
    .map(labelSpec);
  return { labels, issues, dashboard, pulls, skipped };
}

/** Human-readable plan for `sync --dry-run` and logs (all values already escaped for logs by the caller). */
export function describePlan(plan: SyncPlan): string[] {
  const lines: string[] = [];
  for (const l of plan.labels) lines.push(`create label ${l.name}`);
  for (const a of plan.issues) {
    if (a.op === 'create-issue') lines.push(`open issue "${a.title}" (finding ${a.findingId})`);
    else if (a.op === 'update-issue') lines.push(`update issue #${a.number} (${a.changes.join(', ')})`);
    else if (a.op === 'reopen-issue')
      lines.push(
        `reopen issue #${a.number} (finding ${a.findingId} ${a.reason === 'back' ? 'is back' : 'still present; it was closed by hand'})`,
      );
    else lines.push(`close issue #${a.number} (${a.reason})`);
  }
  if (plan.dashboard.op === 'create-dashboard') lines.push('open the dashboard issue');
  else if (plan.dashboard.op === 'update-dashboard')
    lines.push(`update the dashboard issue #${plan.dashboard.number}`);
  for (const a of plan.pulls) {
    if (a.op === 'create-pr')
      lines.push(`open PR "${a.title}" on ${a.branch}${pullKind(a.kind)?.planNote?.(a) ?? ''}`);
    else if (a.op === 'update-pr')
      lines.push(`update PR #${a.number} on ${a.branch} (${a.changes.join(', ')})`);
    else lines.push(`close PR #${a.number} on ${a.branch} (no longer needed)`);
  }
  for (const s of plan.skipped) lines.push(`skip ${s.what}: ${s.reason}`);
  if (!lines.length) lines.push('nothing to do');
  return lines;
}
