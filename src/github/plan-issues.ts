// Planning finding issues: one open issue per wanted finding (opened, reopened or brought in line),
// duplicates and issues of findings that are gone closed, issues of targets this run could not read kept.
import type { Finding, Report, Severity } from '../core/model.js';
import { SEVERITY_RANK } from '../core/model.js';
import { renewalNotes } from '../renewal/plan.js';
import { LABEL, withClosedByMarker } from './markers.js';
import { ownersOf, parseOwners, type PlanIndex, type SyncInput } from './plan-input.js';
import { closeComment, issueBody, issueTitle, renewalNoteBody, reopenComment } from './render.js';
import type { ExistingIssue, ExistingState, IssueAction, Skipped } from './types.js';

/** Label prefixes certwarden manages on its issues; other labels a human added are kept. */
const MANAGED_PREFIXES = ['severity:', 'check:', 'owner:'];

function truncLabel(name: string): string {
  return name.length <= 50 ? name : name.slice(0, 50);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const x = new Set(a.map((s) => s.toLowerCase()));
  const y = new Set(b.map((s) => s.toLowerCase()));
  return x.size === y.size && [...x].every((s) => y.has(s));
}

/** Whether a target still exists (it may simply not have been scanned in a partial run). */
function targetGone(target: string | null, idx: PlanIndex, input: SyncInput): boolean {
  if (target === null) return true;
  const rt = idx.targets.get(target);
  if (rt) return false;
  if (!input.inventory) return false; // a partial scan cannot tell: keep the issue
  if (idx.invTargets.has(target)) return false;
  for (const id of idx.invTargets.keys()) if (target.startsWith(`${id}/`)) return false;
  return true;
}

/** Findings that should have an open issue: not waived, at or above the threshold; errors first. */
function wantedFindings(report: Report, minSeverity: Severity): Finding[] {
  const min = SEVERITY_RANK[minSeverity];
  const byId = new Map<string, Finding>();
  for (const f of report.findings) if (!byId.has(f.id)) byId.set(f.id, f);
  return [...byId.values()]
    .filter((f) => !f.waived && SEVERITY_RANK[f.severity] >= min)
    .sort(
      (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.target.localeCompare(b.target),
    );
}

/**
 * Finding ids that want an issue but have no open one among `existing`: the ids whose closed issues
 * sync reads (state.ts readClosedIssues) so they are reopened rather than opened anew.
 */
export function idsWithoutOpenIssue(
  report: Report,
  minSeverity: Severity,
  existing: Pick<ExistingState, 'issues'>,
): Set<string> {
  const open = new Set(existing.issues.map((i) => i.findingId).filter((id): id is string => !!id));
  return new Set(
    wantedFindings(report, minSeverity)
      .map((f) => f.id)
      .filter((id) => !open.has(id)),
  );
}

/** The oldest open issue of each finding; the newer ones are closed as duplicates. */
function openIssuesByFinding(input: SyncInput, actions: IssueAction[]): Map<string, ExistingIssue> {
  const existing = new Map<string, ExistingIssue>();
  const sorted = [...input.existing.issues]
    .filter((i) => !i.dashboard && i.findingId)
    .sort((a, b) => a.number - b.number);
  for (const issue of sorted) {
    const id = issue.findingId as string;
    if (existing.has(id)) {
      actions.push({
        op: 'close-issue',
        number: issue.number,
        findingId: id,
        reason: 'duplicate',
        comment: closeComment('duplicate', undefined, input.report.evaluatedAt),
        body: withClosedByMarker(issue.body, 'duplicate'),
      });
    } else existing.set(id, issue);
  }
  return existing;
}

/** The oldest closed issue of each finding without an open one (duplicates we closed never count). */
function closedIssuesByFinding(
  input: SyncInput,
  open: Map<string, ExistingIssue>,
): Map<string, ExistingIssue> {
  const closed = new Map<string, ExistingIssue>();
  for (const issue of [...(input.existing.closed ?? [])].sort((a, b) => a.number - b.number)) {
    const id = issue.findingId;
    if (id && !open.has(id) && !closed.has(id) && issue.closedBy !== 'duplicate') closed.set(id, issue);
  }
  return closed;
}

interface IssueContent {
  title: string;
  body: string;
  /** The labels certwarden sets. */
  labels: string[];
  assignees: string[];
}

function issueContent(
  f: Finding,
  idx: PlanIndex,
  input: SyncInput,
  notes: ReturnType<typeof renewalNotes>,
): IssueContent {
  const cert = f.certificate ? idx.certs.get(f.certificate) : undefined;
  const note = notes.get(f.id);
  const body = issueBody(f, cert, idx.targets.get(f.target), note ? renewalNoteBody(note) : undefined);
  const { users, teams } = parseOwners(ownersOf(f.target, idx, input));
  const labels = [
    LABEL,
    `severity:${f.severity}`,
    truncLabel(`check:${f.check}`),
    ...teams.map((t) => truncLabel(`owner:${t.org}/${t.slug}`)),
  ];
  return { title: issueTitle(f, cert), body, labels, assignees: users };
}

/** Labels a human added stay; ours are brought in line. */
function labelsFor(issue: ExistingIssue, ours: string[]): string[] {
  const kept = issue.labels.filter(
    (l) => !MANAGED_PREFIXES.some((p) => l.toLowerCase().startsWith(p)) && l.toLowerCase() !== LABEL,
  );
  return [...new Set([...ours, ...kept])];
}

/** The action for a finding that has no open issue: reopen its closed one, else open one. */
function openAction(input: SyncInput, f: Finding, c: IssueContent, shut: ExistingIssue | undefined) {
  if (!shut)
    return {
      op: 'create-issue',
      findingId: f.id,
      title: c.title,
      body: c.body,
      labels: c.labels,
      assignees: c.assignees,
    } satisfies IssueAction;
  // The issue is the finding's one record: reopen it (history kept) rather than open another.
  const reason = shut.closedBy ? 'back' : 'closed-by-human';
  return {
    op: 'reopen-issue',
    number: shut.number,
    findingId: f.id,
    reason,
    title: c.title,
    body: c.body,
    labels: labelsFor(shut, c.labels),
    comment: reopenComment(reason, input.report.evaluatedAt),
  } satisfies IssueAction;
}

/** Issues for the wanted findings; returns how many new ones were left for later runs. */
function planWanted(
  input: SyncInput,
  idx: PlanIndex,
  open: Map<string, ExistingIssue>,
  closed: Map<string, ExistingIssue>,
  actions: IssueAction[],
  links: Map<string, number | null>,
): number {
  let createsLeft = input.maxCreates ?? Infinity;
  let deferred = 0;
  const notes = renewalNotes(input.report, input.inventory);
  for (const f of wantedFindings(input.report, input.minSeverity)) {
    const c = issueContent(f, idx, input, notes);
    const prev = open.get(f.id);
    if (!prev) {
      if (createsLeft-- <= 0) {
        deferred++;
        continue;
      }
      const action = openAction(input, f, c, closed.get(f.id));
      actions.push(action);
      links.set(f.id, action.op === 'reopen-issue' ? action.number : null);
      continue;
    }
    links.set(f.id, prev.number);
    const labels = labelsFor(prev, c.labels);
    const changes = [
      ...(prev.title !== c.title ? ['title'] : []),
      ...(prev.body.trim() !== c.body.trim() ? ['body'] : []),
      ...(!sameSet(prev.labels, labels) ? ['labels'] : []),
    ];
    if (changes.length)
      actions.push({
        op: 'update-issue',
        number: prev.number,
        findingId: f.id,
        title: c.title,
        body: c.body,
        labels,
        changes,
      });
  }
  return deferred;
}

/** Open issues of findings no longer wanted: closed (waived, below threshold, fixed) or kept with a reason. */
function planUnwanted(
  input: SyncInput,
  idx: PlanIndex,
  open: Map<string, ExistingIssue>,
  actions: IssueAction[],
  skipped: Skipped[],
): void {
  const byId = new Map<string, Finding>();
  for (const f of input.report.findings) if (!byId.has(f.id)) byId.set(f.id, f);
  const wantedIds = new Set(wantedFindings(input.report, input.minSeverity).map((f) => f.id));
  const close = (
    issue: ExistingIssue,
    id: string,
    reason: 'waived' | 'below-threshold' | 'fixed',
    f?: Finding,
  ) =>
    actions.push({
      op: 'close-issue',
      number: issue.number,
      findingId: id,
      reason,
      comment: closeComment(reason, f, input.report.evaluatedAt),
      body: withClosedByMarker(issue.body, reason),
    });
  for (const [id, issue] of open) {
    if (wantedIds.has(id)) continue;
    // A failed renewal is not a scan finding: `certwarden renew` opens it and closes it on success.
    if (!byId.has(id) && issue.labels.some((l) => l.toLowerCase() === 'check:renewal.failed')) continue;
    const f = byId.get(id);
    if (f?.waived) close(issue, id, 'waived', f);
    else if (f) close(issue, id, 'below-threshold', f);
    else {
      const rt = issue.target ? idx.targets.get(issue.target) : undefined;
      if (rt && (rt.status === 'unreachable' || rt.status === 'error')) {
        skipped.push({
          what: `issue #${issue.number}`,
          reason: `target ${issue.target} could not be read in this scan; kept open`,
        });
        continue;
      }
      if (!rt && !targetGone(issue.target, idx, input)) {
        skipped.push({
          what: `issue #${issue.number}`,
          reason: `target ${issue.target} was not scanned in this run; kept open`,
        });
        continue;
      }
      close(issue, id, 'fixed');
    }
  }
}

/**
 * The issue actions, and for the dashboard the issue of each wanted finding (null: opened by this
 * plan, number not known yet).
 */
export function planIssues(
  input: SyncInput,
  idx: PlanIndex,
  skipped: Skipped[],
): { actions: IssueAction[]; links: Map<string, number | null> } {
  const actions: IssueAction[] = [];
  const links = new Map<string, number | null>();
  const open = openIssuesByFinding(input, actions);
  const closed = closedIssuesByFinding(input, open);
  const deferred = planWanted(input, idx, open, closed, actions, links);
  planUnwanted(input, idx, open, actions, skipped);
  if (deferred) {
    skipped.push({
      what: `${deferred} new issue(s)`,
      reason: `over the limit of ${input.maxCreates} new issues per run; opened by the next runs`,
    });
  }
  return { actions, links };
}
