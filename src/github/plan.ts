// Plan, then apply: what GitHub should look like for a report, computed as plain data from the report,
// the inventory and what already exists. Pure: no network, no filesystem, no clock.
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Finding, Report, ReportCertificate, ReportTarget, Severity } from '../core/model.js';
import { SEVERITY_RANK } from '../core/model.js';
import type { LoadedInventory, Target } from '../inventory/types.js';
import type { PolicySet } from '../policy/types.js';
import {
  keyAllowFor,
  keySpecFor,
  planRenewalRequest,
  renewalCandidates,
  renewalNotes,
  renewalPath,
} from '../renewal/plan.js';
import { renderRenewalRequest } from '../renewal/request.js';
import { editBundleFile, editPin, pemBlocks, type BundleChange } from './edits.js';
import {
  DASHBOARD_LABEL,
  DASHBOARD_TITLE,
  LABEL,
  PR_LABEL,
  prMarker,
  withClosedByMarker,
} from './markers.js';
import {
  bundlePrBody,
  closeComment,
  dashboardBody,
  issueBody,
  issueTitle,
  pinPrBody,
  prTitle,
  renewalNoteBody,
  reopenComment,
  renewPrBody,
  type DashboardLinks,
} from './render.js';
import type {
  DashboardAction,
  ExistingIssue,
  ExistingPull,
  ExistingState,
  IssueAction,
  LabelSpec,
  PullAction,
  PullChange,
  Skipped,
  SyncPlan,
} from './types.js';

export interface SyncInput {
  report: Report;
  inventory?: LoadedInventory;
  existing: ExistingState;
  botLogin: string;
  /** Findings below this severity get no issue (default warning). */
  minSeverity: Severity;
  now: Date;
  /** Repository files the PRs edit, by repository-relative path, as they are on the base branch. */
  files?: Record<string, string>;
  /** Folder that repository-relative paths are relative to (absolute inventory paths are made relative). */
  repoRoot?: string;
  baseBranch?: string;
  /** Link to the run's job summary, for folded dashboard groups. */
  runUrl?: string;
  /**
   * At most this many new issues per run (errors first). GitHub allows about 500 content-creating
   * requests an hour; the rest are opened by the next runs. Default: no limit.
   */
  maxCreates?: number;
  /** Loaded policy packs: the key type and size of renewal requests follow their `key` rules. */
  policies?: PolicySet;
}

const MANAGED_PREFIXES = ['severity:', 'check:', 'owner:'];
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

/** Parses inventory owners: `@user` -> user, `@org/team` -> team. Anything else is ignored. */
export function parseOwners(owners: readonly string[]): {
  users: string[];
  teams: { org: string; slug: string }[];
} {
  const users: string[] = [];
  const teams: { org: string; slug: string }[] = [];
  for (const o of owners) {
    const m = /^@?([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))(?:\/([A-Za-z0-9._-]{1,100}))?$/.exec(o.trim());
    if (!m) continue;
    if (m[2]) teams.push({ org: m[1] as string, slug: m[2] });
    else users.push(m[1] as string);
  }
  return { users: [...new Set(users)], teams };
}

function truncLabel(name: string): string {
  return name.length <= 50 ? name : name.slice(0, 50);
}

/** Repository-relative POSIX path, or null when the file lies outside the repository. */
export function repoPath(file: string, repoRoot = '.'): string | null {
  const rel = path.isAbsolute(file) ? path.relative(path.resolve(repoRoot), file) : path.normalize(file);
  const posix = rel.split(path.sep).join('/');
  if (!posix || posix.startsWith('../') || posix === '..' || path.isAbsolute(posix)) return null;
  return posix.replace(/^\.\//, '');
}

/** A fixed branch name `certwarden/<kind>/<target>`, with characters git refuses replaced. */
export function branchName(kind: string, target: string): string {
  // git check-ref-format: no component may start with '.' or end with '.lock'; no '..', spaces, ~^:?*[\
  const parts = target
    .replace(/[^A-Za-z0-9._/-]/g, '-')
    .split('/')
    .map((c) =>
      c
        .replace(/\.{2,}/g, '.')
        .replace(/^[.-]+/, '')
        .replace(/\.lock$/, '-lock')
        .replace(/\.$/, ''),
    )
    .filter(Boolean);
  return `certwarden/${kind}/${parts.join('/') || 'target'}`;
}

function changeKey(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}

interface Index {
  targets: Map<string, ReportTarget>;
  certs: Map<string, ReportCertificate>;
  invTargets: Map<string, Target>;
  findingsByTarget: Map<string, Finding[]>;
}

function indexInput(input: SyncInput): Index {
  const targets = new Map(input.report.targets.map((t) => [t.id, t]));
  const certs = new Map<string, ReportCertificate>();
  for (const t of input.report.targets)
    for (const c of t.certificates) if (!certs.has(c.sha256)) certs.set(c.sha256, c);
  const invTargets = new Map((input.inventory?.targets ?? []).map((t) => [t.id, t]));
  const findingsByTarget = new Map<string, Finding[]>();
  for (const f of input.report.findings) {
    if (f.waived) continue;
    const list = findingsByTarget.get(f.target) ?? [];
    list.push(f);
    findingsByTarget.set(f.target, list);
  }
  return { targets, certs, invTargets, findingsByTarget };
}

function ownersOf(target: string, idx: Index, input: SyncInput): string[] {
  const rt = idx.targets.get(target);
  if (rt?.owners?.length) return rt.owners;
  const it = idx.invTargets.get(target);
  if (it?.owners.length) return it.owners;
  const inv = input.inventory?.inventories.find((d) => d.name === it?.inventory);
  return inv?.owners ?? [];
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const x = new Set(a.map((s) => s.toLowerCase()));
  const y = new Set(b.map((s) => s.toLowerCase()));
  return x.size === y.size && [...x].every((s) => y.has(s));
}

/** Whether a target still exists (it may simply not have been scanned in a partial run). */
function targetGone(target: string | null, idx: Index, input: SyncInput): boolean {
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

function planIssues(
  input: SyncInput,
  idx: Index,
  skipped: Skipped[],
): { actions: IssueAction[]; links: Map<string, number | null> } {
  const byId = new Map<string, Finding>();
  for (const f of input.report.findings) if (!byId.has(f.id)) byId.set(f.id, f);
  const wanted = wantedFindings(input.report, input.minSeverity);
  const wantedIds = new Set(wanted.map((f) => f.id));
  let createsLeft = input.maxCreates ?? Infinity;
  let deferred = 0;

  const existing = new Map<string, ExistingIssue>();
  const actions: IssueAction[] = [];
  const links = new Map<string, number | null>();
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
  const closed = new Map<string, ExistingIssue>();
  for (const issue of [...(input.existing.closed ?? [])].sort((a, b) => a.number - b.number)) {
    const id = issue.findingId;
    if (id && !existing.has(id) && !closed.has(id) && issue.closedBy !== 'duplicate') closed.set(id, issue);
  }

  const notes = renewalNotes(input.report, input.inventory);
  for (const f of wanted) {
    const cert = f.certificate ? idx.certs.get(f.certificate) : undefined;
    const title = issueTitle(f, cert);
    const note = notes.get(f.id);
    const body = issueBody(f, cert, idx.targets.get(f.target), note ? renewalNoteBody(note) : undefined);
    const { users, teams } = parseOwners(ownersOf(f.target, idx, input));
    const ours = [
      LABEL,
      `severity:${f.severity}`,
      truncLabel(`check:${f.check}`),
      ...teams.map((t) => truncLabel(`owner:${t.org}/${t.slug}`)),
    ];
    // Labels a human added stay; ours are brought in line.
    const labelsFor = (issue: ExistingIssue) => {
      const kept = issue.labels.filter(
        (l) => !MANAGED_PREFIXES.some((p) => l.toLowerCase().startsWith(p)) && l.toLowerCase() !== LABEL,
      );
      return [...new Set([...ours, ...kept])];
    };
    const prev = existing.get(f.id);
    if (!prev) {
      if (createsLeft-- <= 0) {
        deferred++;
        continue;
      }
      const shut = closed.get(f.id);
      if (shut) {
        // The issue is the finding's one record: reopen it (history kept) rather than open another.
        const reason = shut.closedBy ? 'back' : 'closed-by-human';
        actions.push({
          op: 'reopen-issue',
          number: shut.number,
          findingId: f.id,
          reason,
          title,
          body,
          labels: labelsFor(shut),
          comment: reopenComment(reason, input.report.evaluatedAt),
        });
        links.set(f.id, shut.number);
        continue;
      }
      actions.push({ op: 'create-issue', findingId: f.id, title, body, labels: ours, assignees: users });
      links.set(f.id, null);
      continue;
    }
    links.set(f.id, prev.number);
    const labels = labelsFor(prev);
    const changes = [
      ...(prev.title !== title ? ['title'] : []),
      ...(prev.body.trim() !== body.trim() ? ['body'] : []),
      ...(!sameSet(prev.labels, labels) ? ['labels'] : []),
    ];
    if (changes.length)
      actions.push({
        op: 'update-issue',
        number: prev.number,
        findingId: f.id,
        title,
        body,
        labels,
        changes,
      });
  }

  for (const [id, issue] of existing) {
    if (wantedIds.has(id)) continue;
    // A failed renewal is not a scan finding: `certwarden renew` opens it and closes it on success.
    if (!byId.has(id) && issue.labels.some((l) => l.toLowerCase() === 'check:renewal.failed')) continue;
    const f = byId.get(id);
    if (f?.waived) {
      actions.push({
        op: 'close-issue',
        number: issue.number,
        findingId: id,
        reason: 'waived',
        comment: closeComment('waived', f, input.report.evaluatedAt),
        body: withClosedByMarker(issue.body, 'waived'),
      });
    } else if (f) {
      actions.push({
        op: 'close-issue',
        number: issue.number,
        findingId: id,
        reason: 'below-threshold',
        comment: closeComment('below-threshold', f, input.report.evaluatedAt),
        body: withClosedByMarker(issue.body, 'below-threshold'),
      });
    } else {
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
      actions.push({
        op: 'close-issue',
        number: issue.number,
        findingId: id,
        reason: 'fixed',
        comment: closeComment('fixed', undefined, input.report.evaluatedAt),
        body: withClosedByMarker(issue.body, 'fixed'),
      });
    }
  }
  if (deferred) {
    skipped.push({
      what: `${deferred} new issue(s)`,
      reason: `over the limit of ${input.maxCreates} new issues per run; opened by the next runs`,
    });
  }
  return { actions, links };
}

/** Candidate PR changes derived from the report, before looking at existing PRs. */
function pullCandidates(input: SyncInput, idx: Index, skipped: Skipped[]): PullChange[] {
  const out: PullChange[] = [];
  const files = input.files ?? {};
  const prLabels = [LABEL, PR_LABEL];

  // pin: a live certificate changed and the new one passes every other check.
  for (const f of input.report.findings) {
    if (f.check !== 'pin.drift' || f.waived) continue;
    const sha = String(
      (f.remediation?.['sha256'] as string | undefined) ?? f.certificate ?? '',
    ).toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(sha)) continue;
    const others = (idx.findingsByTarget.get(f.target) ?? []).filter(
      (o) => o.check !== 'pin.drift' && SEVERITY_RANK[o.severity] >= SEVERITY_RANK.warning,
    );
    if (others.length) {
      skipped.push({
        what: `pin PR for ${f.target}`,
        reason: `the new certificate has other findings (${[...new Set(others.map((o) => o.check))].join(', ')})`,
      });
      continue;
    }
    const it = idx.invTargets.get(f.target);
    if (it?.expandedFrom) continue;
    const file = repoPath(
      it?.location.file ?? idx.targets.get(f.target)?.inventory.file ?? '',
      input.repoRoot,
    );
    if (!file || files[file] === undefined) {
      skipped.push({
        what: `pin PR for ${f.target}`,
        reason: `inventory file ${file ?? '(outside the repository)'} not available`,
      });
      continue;
    }
    const edited = editPin(files[file] as string, f.target, sha);
    if (edited === null || edited === files[file]) continue; // no diff, no PR
    const { users, teams } = parseOwners(ownersOf(f.target, idx, input));
    const oldPin = it?.expect?.sha256 ?? null;
    out.push({
      kind: 'pin',
      target: f.target,
      branch: branchName('pin', f.target),
      key: changeKey(['pin', f.target, file, sha]),
      title: prTitle('pin', f.target),
      body: pinPrBody(f.target, file, oldPin, idx.certs.get(sha), sha),
      labels: prLabels,
      reviewers: users,
      teamReviewers: teams.map((t) => t.slug),
      commitMessage: `certwarden: pin ${f.target} to ${sha.slice(0, 16)}`,
      files: [{ path: file, content: edited }],
    });
  }

  // bundle: a bundle file lacks a required anchor or holds an expired certificate.
  const inv = input.inventory;
  if (inv) {
    const changes = new Map<string, BundleChange & { addIds: { id: string; sha256: string }[] }>();
    const anchorsBySha = new Map([...inv.anchors.values()].map((a) => [a.sha256, a]));
    for (const f of input.report.findings) {
      if ((f.check !== 'bundle.missing' && f.check !== 'bundle.expired') || f.waived) continue;
      const bundleId =
        typeof f.remediation?.['bundle'] === 'string' ? (f.remediation['bundle'] as string) : f.target;
      const bundle = inv.bundles.find((b) => b.id === bundleId);
      if (!bundle || !f.certificate) continue;
      const c = changes.get(bundle.id) ?? { add: [], remove: [], addIds: [] };
      changes.set(bundle.id, c);
      if (f.check === 'bundle.missing') {
        const anchorId =
          typeof f.remediation?.['anchor'] === 'string' ? (f.remediation['anchor'] as string) : null;
        const a = (anchorId ? inv.anchors.get(anchorId) : undefined) ?? anchorsBySha.get(f.certificate);
        if (!a) continue;
        c.add.push({ sha256: a.sha256, der: a.der });
        c.addIds.push({ id: a.id, sha256: a.sha256 });
      } else c.remove.push(f.certificate);
    }
    for (const [bundleId, c] of changes) {
      const bundle = inv.bundles.find((b) => b.id === bundleId);
      if (!bundle) continue;
      const file = repoPath(bundle.file, input.repoRoot);
      if (!file || files[file] === undefined) {
        skipped.push({
          what: `bundle PR for ${bundleId}`,
          reason: `bundle file ${file ?? '(outside the repository)'} not available`,
        });
        continue;
      }
      const edited = editBundleFile(files[file] as string, bundle.key, c);
      if (edited === null) {
        skipped.push({
          what: `bundle PR for ${bundleId}`,
          reason: `${file} holds no certificates under ${bundle.key ?? 'ca.crt'}`,
        });
        continue;
      }
      if (edited === files[file]) continue;
      const before = new Map(pemBlocks(files[file] as string).map((b) => [b.sha256, b]));
      const removed = c.remove
        .filter((s) => before.has(s))
        .map((s) => {
          const rc = idx.certs.get(s);
          return { sha256: s, subject: rc?.subject.dn, notAfter: rc?.notAfter };
        });
      const owners =
        inv.inventories.find(
          (d) => repoPath(d.file, input.repoRoot) === repoPath(bundle.location.file, input.repoRoot),
        )?.owners ?? [];
      const { users, teams } = parseOwners(owners);
      out.push({
        kind: 'bundle',
        target: bundleId,
        branch: branchName('bundle', bundleId),
        key: changeKey([
          'bundle',
          bundleId,
          file,
          [...c.add.map((a) => a.sha256)].sort(),
          [...c.remove].sort(),
        ]),
        title: prTitle('bundle', bundleId),
        body: bundlePrBody(bundleId, file, c.addIds, removed),
        labels: prLabels,
        reviewers: users,
        teamReviewers: teams.map((t) => t.slug),
        commitMessage: `certwarden: update trust bundle ${bundleId}`,
        files: [{ path: file, content: edited }],
      });
    }
  }

  // renew: a kubernetes-csr target inside its renewal window gets a request file under renewals/.
  for (const c of renewalCandidates(input.report, input.inventory)) {
    if (c.target.renewal?.method !== 'kubernetes-csr') continue;
    const file = renewalPath(c.target.id);
    const p = planRenewalRequest(c, {
      createdAt: input.report.evaluatedAt,
      key: keySpecFor(c.cert, keyAllowFor(c.target, input.policies)),
      baseFile: files[file] ?? null,
    });
    if (p.op === 'skip') {
      skipped.push({ what: `renewal PR for ${p.target}`, reason: p.reason });
      continue;
    }
    const { users, teams } = parseOwners(ownersOf(p.target, idx, input));
    out.push({
      kind: 'renew',
      target: p.target,
      branch: branchName('renew', p.target),
      // createdAt is left out: the same request proposed again is the same change.
      key: changeKey(['renew', p.target, file, p.request.metadata.id]),
      title: prTitle('renew', p.target),
      body: renewPrBody(p.request, file, p.cert, p.previous),
      labels: prLabels,
      reviewers: users,
      teamReviewers: teams.map((t) => t.slug),
      commitMessage: `certwarden: request renewal of ${p.target} (${p.request.metadata.id})`,
      files: [{ path: file, content: renderRenewalRequest(p.request) }],
    });
  }
  return out;
}

function planPulls(input: SyncInput, idx: Index, skipped: Skipped[]): PullAction[] {
  const base = input.baseBranch ?? 'main';
  const candidates = pullCandidates(input, idx, skipped);
  const actions: PullAction[] = [];
  const byBranchKey = (kind: string, target: string) => `${kind}\u0000${target}`;
  const pulls = new Map<string, ExistingPull[]>();
  for (const p of input.existing.pulls) {
    const k = byBranchKey(p.marker.kind, p.marker.target);
    pulls.set(k, [...(pulls.get(k) ?? []), p]);
  }
  const handled = new Set<string>();
  for (const c of candidates) {
    const k = byBranchKey(c.kind, c.target);
    handled.add(k);
    const list = (pulls.get(k) ?? []).sort((a, b) => b.number - a.number);
    const open = list.find((p) => p.state === 'open');
    const body = `${c.body}\n\n${prMarker({ kind: c.kind, target: c.target, key: c.key, head: open?.marker.head ?? null, closedBy: null })}\n`;
    if (open) {
      if (open.headSha && open.marker.head && open.headSha !== open.marker.head) {
        skipped.push({
          what: `PR #${open.number}`,
          reason: `branch ${c.branch} has commits not made by certwarden; left alone`,
        });
        continue;
      }
      const pushCommit = open.marker.key !== c.key;
      const changes = [
        ...(pushCommit ? ['commit'] : []),
        ...(open.title !== c.title ? ['title'] : []),
        ...(pushCommit || open.body.trim() !== body.trim() ? ['body'] : []),
      ];
      if (changes.length)
        actions.push({ op: 'update-pr', number: open.number, base, pushCommit, changes, ...c, body });
      continue;
    }
    const refused = list.find(
      (p) =>
        p.state === 'closed' && p.marker.key === c.key && (p.merged || p.marker.closedBy !== 'certwarden'),
    );
    if (refused) {
      skipped.push({
        what: `${c.kind} PR for ${c.target}`,
        reason: refused.merged
          ? `the same change was merged in #${refused.number}`
          : `the same change was closed unmerged in #${refused.number}; not proposed again`,
      });
      continue;
    }
    const knownHeads = list.map((p) => p.marker.head).filter((h): h is string => !!h);
    actions.push({ op: 'create-pr', base, knownHeads, ...c, body });
  }
  // Open PRs whose change is no longer needed are closed, unless a human took over the branch.
  for (const [k, list] of pulls) {
    if (handled.has(k)) continue;
    for (const p of list) {
      if (p.state !== 'open') continue;
      const scanned = p.marker.kind === 'pin' ? idx.targets.has(p.marker.target) : !!input.inventory;
      if (!scanned) continue;
      if (p.headSha && p.marker.head && p.headSha !== p.marker.head) {
        skipped.push({
          what: `PR #${p.number}`,
          reason: 'no longer needed, but a human pushed to its branch; left open',
        });
        continue;
      }
      actions.push({
        op: 'close-pr',
        number: p.number,
        branch: p.branch ?? branchName(p.marker.kind, p.marker.target),
        kind: p.marker.kind,
        target: p.marker.target,
        comment: `certwarden no longer needs this change (scan of ${input.report.evaluatedAt}). Closing.`,
        body: p.body.replace(
          /<!-- certwarden:pr ([^<>]*?) -->/,
          (_m, inner: string) =>
            `<!-- certwarden:pr ${inner.replace(/ closed-by=\S+/, '')} closed-by=certwarden -->`,
        ),
      });
    }
  }
  return actions;
}

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

/** Repository files planSync needs to propose PRs (read them from the base branch's checkout). */
export function filesNeeded(input: Pick<SyncInput, 'report' | 'inventory' | 'repoRoot'>): string[] {
  const out = new Set<string>();
  const invTargets = new Map((input.inventory?.targets ?? []).map((t) => [t.id, t]));
  const targets = new Map(input.report.targets.map((t) => [t.id, t]));
  for (const f of input.report.findings) {
    if (f.waived) continue;
    if (f.check === 'pin.drift') {
      const file = repoPath(
        invTargets.get(f.target)?.location.file ?? targets.get(f.target)?.inventory.file ?? '',
        input.repoRoot,
      );
      if (file) out.add(file);
    }
    if (f.check === 'bundle.missing' || f.check === 'bundle.expired') {
      const bundleId =
        typeof f.remediation?.['bundle'] === 'string' ? (f.remediation['bundle'] as string) : f.target;
      const b = input.inventory?.bundles.find((x) => x.id === bundleId);
      const file = b ? repoPath(b.file, input.repoRoot) : null;
      if (file) out.add(file);
    }
  }
  for (const c of renewalCandidates(input.report, input.inventory))
    if (c.target.renewal?.method === 'kubernetes-csr') out.add(renewalPath(c.target.id));
  return [...out].sort();
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
      lines.push(
        `open PR "${a.title}" on ${a.branch}${a.kind === 'renew' ? ` adding ${a.files.map((f) => f.path).join(', ')}` : ''}`,
      );
    else if (a.op === 'update-pr')
      lines.push(`update PR #${a.number} on ${a.branch} (${a.changes.join(', ')})`);
    else lines.push(`close PR #${a.number} on ${a.branch} (no longer needed)`);
  }
  for (const s of plan.skipped) lines.push(`skip ${s.what}: ${s.reason}`);
  if (!lines.length) lines.push('nothing to do');
  return lines;
}
