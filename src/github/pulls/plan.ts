// Planning pull requests: each kind in the registry proposes its changes, which are then matched
// against certwarden's existing PRs (opened, updated, left alone, or closed when no longer needed).
import { LABEL, PR_LABEL, prMarker } from '../markers.js';
import { branchName, changeKey, parseOwners, type PlanIndex, type SyncInput } from '../plan-input.js';
import type { ExistingPull, PullAction, PullChange, Skipped } from '../types.js';
import { PULL_KINDS, pullKind } from './index.js';
import type { ProposedPull, PullContext, PullKind, PullScope } from './kind.js';

/** Repository files planSync needs to propose PRs (read them from the base branch's checkout). */
export function filesNeeded(scope: PullScope): string[] {
  const out = new Set<string>();
  for (const kind of PULL_KINDS)
    for (const g of kind.groups(scope)) {
      const file = kind.file(g, scope);
      if (file) out.add(file);
    }
  return [...out].sort();
}

function toChange(kind: PullKind, p: ProposedPull): PullChange {
  const { users, teams } = parseOwners(p.owners);
  return {
    kind: kind.kind,
    target: p.target,
    branch: branchName(kind.kind, p.target),
    key: changeKey([kind.kind, p.target, ...p.files.map((f) => f.path), ...p.key]),
    title: kind.title(p.target),
    body: p.body,
    labels: [LABEL, PR_LABEL],
    reviewers: users,
    teamReviewers: teams.map((t) => t.slug),
    commitMessage: p.commitMessage,
    files: p.files,
  };
}

/** Candidate PR changes derived from the report, before looking at existing PRs. */
function pullCandidates(ctx: PullContext, skipped: Skipped[]): PullChange[] {
  const out: PullChange[] = [];
  for (const kind of PULL_KINDS)
    for (const g of kind.groups(ctx.input)) {
      const p = kind.plan(g, ctx);
      if (p?.op === 'skip') skipped.push({ what: `${kind.noun} PR for ${p.target}`, reason: p.reason });
      else if (p) out.push(toChange(kind, p));
    }
  return out;
}

const branchKey = (kind: string, target: string) => `${kind}\u0000${target}`;

/** The action for one candidate given certwarden's PRs on its branch (newest first), or null. */
function candidateAction(
  c: PullChange,
  list: ExistingPull[],
  base: string,
  skipped: Skipped[],
): PullAction | null {
  const open = list.find((p) => p.state === 'open');
  const body = `${c.body}\n\n${prMarker({ kind: c.kind, target: c.target, key: c.key, head: open?.marker.head ?? null, closedBy: null })}\n`;
  if (open) {
    if (open.headSha && open.marker.head && open.headSha !== open.marker.head) {
      skipped.push({
        what: `PR #${open.number}`,
        reason: `branch ${c.branch} has commits not made by certwarden; left alone`,
      });
      return null;
    }
    const pushCommit = open.marker.key !== c.key;
    const changes = [
      ...(pushCommit ? ['commit'] : []),
      ...(open.title !== c.title ? ['title'] : []),
      ...(pushCommit || open.body.trim() !== body.trim() ? ['body'] : []),
    ];
    return changes.length
      ? { op: 'update-pr', number: open.number, base, pushCommit, changes, ...c, body }
      : null;
  }
  const refused = list.find(
    (p) => p.state === 'closed' && p.marker.key === c.key && (p.merged || p.marker.closedBy !== 'certwarden'),
  );
  if (refused) {
    skipped.push({
      what: `${c.kind} PR for ${c.target}`,
      reason: refused.merged
        ? `the same change was merged in #${refused.number}`
        : `the same change was closed unmerged in #${refused.number}; not proposed again`,
    });
    return null;
  }
  const knownHeads = list.map((p) => p.marker.head).filter((h): h is string => !!h);
  return { op: 'create-pr', base, knownHeads, ...c, body };
}

/** Open PRs whose change is no longer needed are closed, unless a human took over the branch. */
function closeUnneeded(ctx: PullContext, list: ExistingPull[], skipped: Skipped[]): PullAction[] {
  const out: PullAction[] = [];
  for (const p of list) {
    if (p.state !== 'open') continue;
    const kind = pullKind(p.marker.kind);
    // A kind this version does not know is judged like the inventory-based kinds.
    const scanned = kind ? kind.covers(p.marker.target, ctx) : !!ctx.input.inventory;
    if (!scanned) continue;
    if (p.headSha && p.marker.head && p.headSha !== p.marker.head) {
      skipped.push({
        what: `PR #${p.number}`,
        reason: 'no longer needed, but a human pushed to its branch; left open',
      });
      continue;
    }
    out.push({
      op: 'close-pr',
      number: p.number,
      branch: p.branch ?? branchName(p.marker.kind, p.marker.target),
      kind: p.marker.kind,
      target: p.marker.target,
      comment: `certwarden no longer needs this change (scan of ${ctx.input.report.evaluatedAt}). Closing.`,
      body: p.body.replace(
        /<!-- certwarden:pr ([^<>]*?) -->/,
        (_m, inner: string) =>
          `<!-- certwarden:pr ${inner.replace(/ closed-by=\S+/, '')} closed-by=certwarden -->`,
      ),
    });
  }
  return out;
}

export function planPulls(input: SyncInput, idx: PlanIndex, skipped: Skipped[]): PullAction[] {
  const ctx: PullContext = { input, idx, files: input.files ?? {} };
  const base = input.baseBranch ?? 'main';
  const pulls = new Map<string, ExistingPull[]>();
  for (const p of input.existing.pulls) {
    const k = branchKey(p.marker.kind, p.marker.target);
    pulls.set(k, [...(pulls.get(k) ?? []), p]);
  }
  const actions: PullAction[] = [];
  const handled = new Set<string>();
  for (const c of pullCandidates(ctx, skipped)) {
    const k = branchKey(c.kind, c.target);
    handled.add(k);
    const a = candidateAction(
      c,
      (pulls.get(k) ?? []).sort((x, y) => y.number - x.number),
      base,
      skipped,
    );
    if (a) actions.push(a);
  }
  for (const [k, list] of pulls) if (!handled.has(k)) actions.push(...closeUnneeded(ctx, list, skipped));
  return actions;
}
