// Planning the one dashboard issue: every target grouped by inventory, linked to its issues and PRs.
import type { ReportTarget } from '../core/model.js';
import { DASHBOARD_LABEL, DASHBOARD_TITLE, LABEL } from './markers.js';
import { indexInput, repoPath, type SyncInput } from './plan-input.js';
import { dashboardBody, type DashboardLinks } from './render.js';
import type { DashboardAction } from './types.js';

/** Group name of a report target on the dashboard: its inventory's name, else its file. */
function groupOf(input: SyncInput): (t: ReportTarget) => string {
  const byFile = new Map(
    (input.inventory?.inventories ?? []).map((d) => [repoPath(d.file, input.repoRoot) ?? d.file, d.name]),
  );
  const invTargets = new Map((input.inventory?.targets ?? []).map((t) => [t.id, t.inventory]));
  return (t) =>
    invTargets.get(t.id) ??
    byFile.get(repoPath(t.inventory.file, input.repoRoot) ?? t.inventory.file) ??
    t.inventory.file;
}

/**
 * The dashboard action for given issue/PR numbers. apply.ts calls it again once new issues have
 * numbers, so the dashboard links them in the same run.
 */
export function planDashboard(input: SyncInput, links: DashboardLinks): DashboardAction {
  const idx = indexInput(input);
  const body = dashboardBody(input.report, groupOf(input), links, idx.findingsByTarget, input.runUrl);
  const existing = input.existing.issues.filter((i) => i.dashboard).sort((a, b) => a.number - b.number)[0];
  if (!existing)
    return { op: 'create-dashboard', title: DASHBOARD_TITLE, body, labels: [LABEL, DASHBOARD_LABEL] };
  if (existing.body.trim() === body.trim() && existing.title === DASHBOARD_TITLE)
    return { op: 'none', number: existing.number };
  return { op: 'update-dashboard', number: existing.number, title: DASHBOARD_TITLE, body };
}
