// Applies a SyncPlan with octokit. Creates are never retried blindly: after an ambiguous failure
// (5xx, connection lost) we list again and adopt what the failed request may have created, and only
// then try once more. Updates (PATCH) are idempotent and keep octokit's retry.
import type { Logger } from '../core/logger.js';
import type { GitHub } from './client.js';
import { GitHubRequestError, isAmbiguousFailure, statusOf } from './client.js';
import { escapeLog } from '../core/escape.js';
import {
  DASHBOARD_LABEL,
  LABEL,
  closedMarker,
  findingMarker,
  parseFindingMarker,
  parsePrMarker,
  reopenedMarker,
  withPrMarker,
} from './markers.js';
import { planDashboard } from './plan-dashboard.js';
import type { SyncInput } from './plan-input.js';
import { CHANGE_TRAILER } from './state.js';
import type { IssueAction, PullAction, PullChange, RepoRef, SyncPlan } from './types.js';

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

export interface ApplyContext {
  gh: GitHub;
  repo: RepoRef;
  botLogin: string;
  logger: Logger;
  /** The planning input: the dashboard is planned again once new issues have numbers. */
  input: SyncInput;
}

const NO_RETRY = { request: { retries: 0 } } as const;

async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof GitHubRequestError) throw e;
    throw new GitHubRequestError(what, e);
  }
}

/** Create once; on an ambiguous failure, re-list to adopt what may exist, else try once more. */
async function createOnce<T>(
  what: string,
  attempt: () => Promise<T>,
  recover: () => Promise<T | null>,
  log: Logger,
): Promise<T> {
  try {
    return await attempt();
  } catch (e) {
    if (!isAmbiguousFailure(e)) throw new GitHubRequestError(what, e);
    log.warn(`${what} failed (${statusOf(e) ?? 'network'}); listing again before any retry`);
    const found = await call(`${what} (re-list)`, recover);
    if (found !== null) {
      log.info(`${what}: the failed request had succeeded; using what it created`);
      return found;
    }
    return call(what, attempt);
  }
}

export async function applyPlan(ctx: ApplyContext, plan: SyncPlan): Promise<ApplyResult> {
  const { gh, repo, logger: log } = ctx;
  const base = `/repos/${repo.owner}/${repo.repo}`;
  const result: ApplyResult = { done: [], failed: [], warnings: [], issues: [], pulls: [] };
  const fail = (what: string, e: unknown) => {
    const msg = e instanceof Error ? e.message : String(e);
    result.failed.push({ what, error: msg });
    log.error(`${escapeLog(what)}: ${escapeLog(msg)}`);
  };
  const done = (op: string, number: number | null, what: string) => {
    result.done.push({ op, number, what });
    log.info(escapeLog(what));
  };

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
      done('create-label', null, `created label ${l.name}`);
    } catch (e) {
      fail(`create label ${l.name}`, e);
    }
  }

  const created = new Map<string, number>();
  for (const a of plan.issues) {
    try {
      const n = await applyIssue(ctx, a);
      if (a.op === 'create-issue') created.set(a.findingId, n);
      result.issues.push(n);
      done(
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
      fail(a.op === 'create-issue' ? `open issue for finding ${a.findingId}` : `${a.op} #${a.number}`, e);
    }
  }

  const prNumbers = new Map<string, number[]>();
  let baseSha: string | null = null;
  const getBase = async (branch: string) => {
    if (baseSha) return baseSha;
    const { data } = await call(`GET ${base}/git/ref/heads/${branch}`, () =>
      gh.rest.git.getRef({ ...repo, ref: `heads/${branch}` }),
    );
    baseSha = data.object.sha;
    return baseSha;
  };
  for (const a of plan.pulls) {
    try {
      const n = await applyPull(ctx, a, getBase, result.warnings);
      if (n === null) continue;
      result.pulls.push(n);
      if (a.op !== 'close-pr') prNumbers.set(a.target, [...(prNumbers.get(a.target) ?? []), n]);
      done(
        a.op,
        n,
        a.op === 'create-pr'
          ? `opened PR #${n} on ${a.branch}`
          : a.op === 'update-pr'
            ? `updated PR #${n} (${a.changes.join(', ')})`
            : `closed PR #${n}`,
      );
    } catch (e) {
      fail(`${a.op} ${a.op === 'close-pr' ? `#${a.number}` : a.branch}`, e);
    }
  }

  // The dashboard goes last so it links the issues and PRs made above.
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
      result.issues.push(n);
      done('create-dashboard', n, `opened the dashboard issue #${n}`);
    } else if (dash.op === 'update-dashboard') {
      await call(`PATCH ${base}/issues/${dash.number}`, () =>
        gh.rest.issues.update({ ...repo, issue_number: dash.number, title: dash.title, body: dash.body }),
      );
      result.issues.push(dash.number);
      done('update-dashboard', dash.number, `updated the dashboard issue #${dash.number}`);
    }
  } catch (e) {
    fail('dashboard', e);
  }
  return result;
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

/** Posts a bot comment carrying `marker`; after an ambiguous failure, adopts one that got through. */
async function commentOnce(ctx: ApplyContext, number: number, marker: string, text: string): Promise<void> {
  const { gh, repo, logger: log } = ctx;
  await createOnce(
    `POST /repos/${repo.owner}/${repo.repo}/issues/${number}/comments`,
    async () =>
      void (await gh.rest.issues.createComment({
        ...repo,
        issue_number: number,
        body: `${marker}\n${text}`,
        ...NO_RETRY,
      })),
    async () => {
      const comments = await gh.paginate(gh.rest.issues.listComments, {
        ...repo,
        issue_number: number,
        per_page: 100,
      });
      return comments.some(
        (c) =>
          (c.user?.login ?? '').toLowerCase() === ctx.botLogin.toLowerCase() &&
          (c.body ?? '').includes(marker),
      )
        ? undefined
        : null;
    },
    log,
  );
}

/** Commits the PR's files on top of the base commit through the Git Data API; returns the commit sha. */
async function commitFiles(ctx: ApplyContext, c: PullChange, baseSha: string): Promise<string> {
  const { gh, repo } = ctx;
  const base = `/repos/${repo.owner}/${repo.repo}`;
  const { data: baseCommit } = await call(`GET ${base}/git/commits/${baseSha}`, () =>
    gh.rest.git.getCommit({ ...repo, commit_sha: baseSha }),
  );
  // Blobs, trees and commits are content-addressed: a retried POST makes nothing visible twice.
  const entries: { path: string; mode: '100644'; type: 'blob'; sha: string }[] = [];
  for (const f of c.files) {
    const { data: blob } = await call(`POST ${base}/git/blobs`, () =>
      gh.rest.git.createBlob({ ...repo, content: f.content, encoding: 'utf-8' }),
    );
    entries.push({ path: f.path, mode: '100644' as const, type: 'blob' as const, sha: blob.sha });
  }
  const { data: tree } = await call(`POST ${base}/git/trees`, () =>
    gh.rest.git.createTree({ ...repo, base_tree: baseCommit.tree.sha, tree: entries }),
  );
  const { data: commit } = await call(`POST ${base}/git/commits`, () =>
    gh.rest.git.createCommit({
      ...repo,
      message: `${c.commitMessage}\n\n${CHANGE_TRAILER} ${c.key}\n`,
      tree: tree.sha,
      parents: [baseSha],
    }),
  );
  return commit.sha;
}

/** Points the branch at `sha`: creates the ref, or force-moves it when certwarden owns it. */
async function setBranch(ctx: ApplyContext, branch: string, sha: string, exists: boolean): Promise<void> {
  const { gh, repo, logger: log } = ctx;
  const base = `/repos/${repo.owner}/${repo.repo}`;
  if (exists) {
    await call(`PATCH ${base}/git/refs/heads/${branch}`, () =>
      gh.rest.git.updateRef({ ...repo, ref: `heads/${branch}`, sha, force: true }),
    );
    return;
  }
  await createOnce(
    `POST ${base}/git/refs`,
    async () =>
      void (await gh.rest.git.createRef({ ...repo, ref: `refs/heads/${branch}`, sha, ...NO_RETRY })),
    async () => {
      try {
        const { data } = await gh.rest.git.getRef({ ...repo, ref: `heads/${branch}` });
        return data.object.sha === sha ? undefined : null;
      } catch (e) {
        if (statusOf(e) === 404) return null;
        throw e;
      }
    },
    log,
  );
}

async function branchHead(ctx: ApplyContext, branch: string): Promise<string | null> {
  try {
    const { data } = await ctx.gh.rest.git.getRef({ ...ctx.repo, ref: `heads/${branch}` });
    return data.object.sha;
  } catch (e) {
    if (statusOf(e) === 404) return null;
    throw new GitHubRequestError(`GET /repos/${ctx.repo.owner}/${ctx.repo.repo}/git/ref/heads/${branch}`, e);
  }
}

async function applyPull(
  ctx: ApplyContext,
  a: PullAction,
  getBase: (b: string) => Promise<string>,
  warnings: string[],
): Promise<number | null> {
  const { gh, repo, logger: log } = ctx;
  const base = `/repos/${repo.owner}/${repo.repo}`;
  if (a.op === 'close-pr') {
    const marker = closedMarker(`pr-${a.number}`);
    await createOnce(
      `POST ${base}/issues/${a.number}/comments`,
      async () =>
        void (await gh.rest.issues.createComment({
          ...repo,
          issue_number: a.number,
          body: `${marker}\n${a.comment}`,
          ...NO_RETRY,
        })),
      async () => {
        const comments = await gh.paginate(gh.rest.issues.listComments, {
          ...repo,
          issue_number: a.number,
          per_page: 100,
        });
        return comments.some(
          (c) =>
            (c.user?.login ?? '').toLowerCase() === ctx.botLogin.toLowerCase() &&
            (c.body ?? '').includes(marker),
        )
          ? undefined
          : null;
      },
      log,
    );
    await call(`PATCH ${base}/pulls/${a.number}`, () =>
      gh.rest.pulls.update({ ...repo, pull_number: a.number, state: 'closed', body: a.body }),
    );
    try {
      await gh.rest.git.deleteRef({ ...repo, ref: `heads/${a.branch}` });
    } catch (e) {
      if (statusOf(e) !== 404 && statusOf(e) !== 422)
        warnings.push(`could not delete branch ${a.branch}: ${statusOf(e)}`);
    }
    return a.number;
  }

  if (a.op === 'update-pr') {
    let head = parsePrMarker(a.body)?.head ?? null;
    if (a.pushCommit) {
      head = await commitFiles(ctx, a, await getBase(a.base));
      await setBranch(ctx, a.branch, head, true);
    }
    const body = withPrMarker(a.body, { kind: a.kind, target: a.target, key: a.key, head, closedBy: null });
    await call(`PATCH ${base}/pulls/${a.number}`, () =>
      gh.rest.pulls.update({ ...repo, pull_number: a.number, title: a.title, body }),
    );
    return a.number;
  }

  // create-pr: the branch may exist from an earlier PR of ours, or be a human's.
  const current = await branchHead(ctx, a.branch);
  if (current && !a.knownHeads.includes(current)) {
    const { data: commit } = await call(`GET ${base}/git/commits/${current}`, () =>
      gh.rest.git.getCommit({ ...repo, commit_sha: current }),
    );
    if (!commit.message.includes(CHANGE_TRAILER)) {
      warnings.push(`branch ${a.branch} exists with commits not made by certwarden; left alone`);
      log.warn(`branch ${escapeLog(a.branch)} exists with commits not made by certwarden; left alone`);
      return null;
    }
  }
  const sha = await commitFiles(ctx, a, await getBase(a.base));
  await setBranch(ctx, a.branch, sha, current !== null);
  const body = withPrMarker(a.body, {
    kind: a.kind,
    target: a.target,
    key: a.key,
    head: sha,
    closedBy: null,
  });
  const openOnBranch = async () => {
    const open = await gh.paginate(gh.rest.pulls.list, {
      ...repo,
      state: 'open',
      head: `${repo.owner}:${a.branch}`,
      per_page: 100,
    });
    const hit = open.find(
      (p) =>
        (p.user?.login ?? '').toLowerCase() === ctx.botLogin.toLowerCase() && parsePrMarker(p.body) !== null,
    );
    return hit ? hit.number : null;
  };
  let number: number;
  try {
    number = await createOnce(
      `POST ${base}/pulls`,
      async () =>
        (
          await gh.rest.pulls.create({
            ...repo,
            title: a.title,
            head: a.branch,
            base: a.base,
            body,
            ...NO_RETRY,
          })
        ).data.number,
      openOnBranch,
      log,
    );
  } catch (e) {
    // 422 "a pull request already exists": an earlier run opened it but did not get to label it.
    const existing =
      statusOf(e) === 422 ? await call(`GET ${base}/pulls?head=${a.branch}`, openOnBranch) : null;
    if (existing === null) throw e;
    number = existing;
    await call(`PATCH ${base}/pulls/${number}`, () =>
      gh.rest.pulls.update({ ...repo, pull_number: number, title: a.title, body }),
    );
  }
  await call(`POST ${base}/issues/${number}/labels`, () =>
    gh.rest.issues.addLabels({ ...repo, issue_number: number, labels: a.labels }),
  );
  if (a.reviewers.length || a.teamReviewers.length) {
    try {
      await gh.rest.pulls.requestReviewers({
        ...repo,
        pull_number: number,
        reviewers: a.reviewers,
        team_reviewers: a.teamReviewers,
      });
    } catch (e) {
      // A reviewer who is not a collaborator must not fail the sync; the PR exists.
      warnings.push(`could not request reviewers on #${number}: ${statusOf(e)}`);
    }
  }
  return number;
}
