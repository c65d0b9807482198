// Applies a SyncPlan with octokit: labels, issues, PRs (apply-pulls.ts), then the dashboard. Creates
// are never retried blindly (apply-support.ts).
import type { Logger } from '../core/logger.js';
import { escapeLog } from '../core/escape.js';
import { GitHubRequestError, statusOf } from './client.js';
import { applyPull } from './apply-pulls.js';
import { call, commentOnce, createOnce, NO_RETRY, type ApplyContext } from './apply-support.js';
import {
  DASHBOARD_LABEL,
  LABEL,
  closedMarker,
  findingMarker,
  parseFindingMarker,
  reopenedMarker,
} from './markers.js';
import { planDashboard } from './plan-dashboard.js';
import type { SyncInput } from './plan-input.js';
import type { IssueAction, SyncPlan } from './types.js';

/** One thing that was done on GitHub. */
export interface Done {
  op: string;
  number: number | null;
  what: string;
}

export interface ApplyResult {
  done: Done[];
  failed: { what: string; error: string }[];
  warnings: string[];
  /** Issue and PR numbers touched (created, updated or closed). */
  issues: number[];
  pulls: number[];
}

/** Records outcomes in the result and the log. */
interface Recorder {
  result: ApplyResult;
  done(op: string, number: number | null, what: string): void;
  fail(what: string, e: unknown): void;
}

function recorder(log: Logger): Recorder {
  const result: ApplyResult = { done: [], failed: [], warnings: [], issues: [], pulls: [] };
  return {
    result,
    done(op, number, what) {
      result.done.push({ op, number, what });
      log.info(escapeLog(what));
    },
    fail(what, e) {
      const msg = e instanceof Error ? e.message : String(e);
      result.failed.push({ what, error: msg });
      log.error(`${escapeLog(what)}: ${escapeLog(msg)}`);
    },
  };
}

async function applyLabels(ctx: ApplyContext, plan: SyncPlan, rec: Recorder): Promise<void> {
  const { gh, repo, logger: log } = ctx;
  const base = `/repos/${repo.owner}/${repo.repo}`;
  for (const l of plan.labels) {
    try {
      await createOnce(
        `POST ${base}/labels (${l.name})`,
        async () => void (await gh.rest.issues.createLabel({ ...repo, ...l, ...NO_RETRY })),
        async () => {
          try {
            await gh.rest.issues.getLabel({ ...repo, name: l.name });
            return undefined;
          } catch (e) {
            if (statusOf(e) === 404) return null;
            throw e;
          }
        },
        log,
      ).catch((e: unknown) => {
        // 422: it exists already (another run made it); that is what we wanted.
        if ((e as GitHubRequestError).status === 422) return;
        throw e;
      });
      rec.done('create-label', null, `created label ${l.name}`);
    } catch (e) {
      rec.fail(`create label ${l.name}`, e);
    }
  }
}

/** Applies the issue actions; returns the numbers of the issues opened, by finding id. */
async function applyIssues(ctx: ApplyContext, plan: SyncPlan, rec: Recorder): Promise<Map<string, number>> {
  const created = new Map<string, number>();
  for (const a of plan.issues) {
    try {
      const n = await applyIssue(ctx, a);
      if (a.op === 'create-issue') created.set(a.findingId, n);
      rec.result.issues.push(n);
      rec.done(
        a.op,
        n,
        a.op === 'create-issue'
          ? `opened issue #${n}`
          : a.op === 'update-issue'
            ? `updated issue #${n} (${a.changes.join(', ')})`
            : a.op === 'reopen-issue'
              ? `reopened issue #${n} (${a.reason === 'back' ? 'finding is back' : 'finding still present'})`
              : `closed issue #${n} (${a.reason})`,
      );
    } catch (e) {
      rec.fail(a.op === 'create-issue' ? `open issue for finding ${a.findingId}` : `${a.op} #${a.number}`, e);
    }
  }
  return created;
}

/** Applies the PR actions; returns the numbers of the PRs opened or updated, by target. */
async function applyPulls(ctx: ApplyContext, plan: SyncPlan, rec: Recorder): Promise<Map<string, number[]>> {
  const { gh, repo } = ctx;
  const prNumbers = new Map<string, number[]>();
  let baseSha: string | null = null;
  const getBase = async (branch: string) => {
    if (baseSha) return baseSha;
    const { data } = await call(`GET /repos/${repo.owner}/${repo.repo}/git/ref/heads/${branch}`, () =>
      gh.rest.git.getRef({ ...repo, ref: `heads/${branch}` }),
    );
    baseSha = data.object.sha;
    return baseSha;
  };
  for (const a of plan.pulls) {
    try {
      const n = await applyPull(ctx, a, getBase, rec.result.warnings);
      if (n === null) continue;
      rec.result.pulls.push(n);
      if (a.op !== 'close-pr') prNumbers.set(a.target, [...(prNumbers.get(a.target) ?? []), n]);
      rec.done(
        a.op,
        n,
        a.op === 'create-pr'
          ? `opened PR #${n} on ${a.branch}`
          : a.op === 'update-pr'
            ? `updated PR #${n} (${a.changes.join(', ')})`
            : `closed PR #${n}`,
      );
    } catch (e) {
      rec.fail(`${a.op} ${a.op === 'close-pr' ? `#${a.number}` : a.branch}`, e);
    }
  }
  return prNumbers;
}

/** The dashboard goes last so it links the issues and PRs made above. */
async function applyDashboard(
  ctx: ApplyContext,
  plan: SyncPlan,
  created: Map<string, number>,
  prNumbers: Map<string, number[]>,
  rec: Recorder,
): Promise<void> {
  const { gh, repo, logger: log } = ctx;
  const base = `/repos/${repo.owner}/${repo.repo}`;
  try {
    const dash =
      created.size || prNumbers.size ? replanDashboard(ctx.input, plan, created, prNumbers) : plan.dashboard;
    if (dash.op === 'create-dashboard') {
      const n = await createOnce(
        `POST ${base}/issues (dashboard)`,
        async () =>
          (
            await gh.rest.issues.create({
              ...repo,
              title: dash.title,
              body: dash.body,
              labels: dash.labels,
              ...NO_RETRY,
            })
          ).data.number,
        async () => findIssue(ctx, DASHBOARD_LABEL, (body) => body.includes('<!-- certwarden:dashboard -->')),
        log,
      );
      rec.result.issues.push(n);
      rec.done('create-dashboard', n, `opened the dashboard issue #${n}`);
    } else if (dash.op === 'update-dashboard') {
      await call(`PATCH ${base}/issues/${dash.number}`, () =>
        gh.rest.issues.update({ ...repo, issue_number: dash.number, title: dash.title, body: dash.body }),
      );
      rec.result.issues.push(dash.number);
      rec.done('update-dashboard', dash.number, `updated the dashboard issue #${dash.number}`);
    }
  } catch (e) {
    rec.fail('dashboard', e);
  }
}

/**
 * Applies a plan: labels, issues, PRs, then the dashboard. A failed action is recorded and the rest
 * go on; nothing is retried blindly.
 */
export async function applyPlan(ctx: ApplyContext, plan: SyncPlan): Promise<ApplyResult> {
  const rec = recorder(ctx.logger);
  await applyLabels(ctx, plan, rec);
  const created = await applyIssues(ctx, plan, rec);
  const prNumbers = await applyPulls(ctx, plan, rec);
  await applyDashboard(ctx, plan, created, prNumbers, rec);
  return rec.result;
}

function replanDashboard(
  input: SyncInput,
  plan: SyncPlan,
  created: Map<string, number>,
  prs: Map<string, number[]>,
) {
  const issues = new Map<string, number | null>();
  for (const i of input.existing.issues) if (i.findingId) issues.set(i.findingId, i.number);
  for (const a of plan.issues) {
    if (a.op === 'close-issue') issues.delete(a.findingId);
    if (a.op === 'reopen-issue') issues.set(a.findingId, a.number);
  }
  for (const [id, n] of created) issues.set(id, n);
  const pulls = new Map<string, number[]>();
  for (const p of input.existing.pulls) {
    if (p.state !== 'open' || plan.pulls.some((a) => a.op === 'close-pr' && a.number === p.number)) continue;
    pulls.set(p.marker.target, [...(pulls.get(p.marker.target) ?? []), p.number]);
  }
  for (const [t, ns] of prs) pulls.set(t, [...new Set([...(pulls.get(t) ?? []), ...ns])]);
  return planDashboard(input, { issues, pulls });
}

/** Finds a bot-authored open issue with a label whose body matches (used to recover from failed creates). */
async function findIssue(
  ctx: ApplyContext,
  label: string,
  match: (body: string) => boolean,
): Promise<number | null> {
  const items = await ctx.gh.paginate(ctx.gh.rest.issues.listForRepo, {
    ...ctx.repo,
    labels: label,
    state: 'open',
    sort: 'created',
    direction: 'desc',
    per_page: 100,
  });
  const hit = items
    .filter((i) => (i.user?.login ?? '').toLowerCase() === ctx.botLogin.toLowerCase() && match(i.body ?? ''))
    .sort((a, b) => a.number - b.number)[0];
  return hit ? hit.number : null;
}

async function applyIssue(ctx: ApplyContext, a: IssueAction): Promise<number> {
  const { gh, repo, logger: log } = ctx;
  const base = `/repos/${repo.owner}/${repo.repo}`;
  if (a.op === 'create-issue') {
    const create = (assignees: string[]) =>
      createOnce(
        `POST ${base}/issues`,
        async () =>
          (
            await gh.rest.issues.create({
              ...repo,
              title: a.title,
              body: a.body,
              labels: a.labels,
              assignees,
              ...NO_RETRY,
            })
          ).data.number,
        async () =>
          findIssue(
            ctx,
            LABEL,
            (body) => body.includes(findingMarker(a.findingId)) && parseFindingMarker(body) === a.findingId,
          ),
        log,
      );
    try {
      return await create(a.assignees);
    } catch (e) {
      // 422 is definite (nothing was created): an owner who cannot be assigned must not block the issue.
      if (statusOf(e) !== 422 || !a.assignees.length) throw e;
      log.warn(`cannot assign ${a.assignees.join(', ')} (not collaborators?); opening the issue unassigned`);
      return create([]);
    }
  }
  if (a.op === 'update-issue') {
    await call(`PATCH ${base}/issues/${a.number}`, () =>
      gh.rest.issues.update({
        ...repo,
        issue_number: a.number,
        ...(a.changes.includes('title') ? { title: a.title } : {}),
        ...(a.changes.includes('body') ? { body: a.body } : {}),
        ...(a.changes.includes('labels') ? { labels: a.labels } : {}),
      }),
    );
    return a.number;
  }
  if (a.op === 'reopen-issue') {
    // Comment first (so a reopened issue always says why), then reopen with the current details.
    await commentOnce(ctx, a.number, reopenedMarker(a.findingId, ctx.input.report.evaluatedAt), a.comment);
    await call(`PATCH ${base}/issues/${a.number}`, () =>
      gh.rest.issues.update({
        ...repo,
        issue_number: a.number,
        state: 'open',
        title: a.title,
        body: a.body,
        labels: a.labels,
      }),
    );
    return a.number;
  }
  // Comment first (so a closed issue always says why), then close, recording that certwarden closed it.
  await commentOnce(ctx, a.number, closedMarker(a.findingId), a.comment);
  await call(`PATCH ${base}/issues/${a.number}`, () =>
    gh.rest.issues.update({
      ...repo,
      issue_number: a.number,
      state: 'closed',
      state_reason: a.reason === 'duplicate' ? 'not_planned' : 'completed',
      body: a.body,
    }),
  );
  return a.number;
}
