// Applies pull-request actions: commits the change through the Git Data API on certwarden's branch,
// opens, updates or closes the PR. The same for every PR kind: a kind decides what a PR changes when
// the plan is made (pulls/).
import { escapeLog } from '../core/escape.js';
import { GitHubRequestError, statusOf } from './client.js';
import { call, commentOnce, createOnce, NO_RETRY, type ApplyContext } from './apply-support.js';
import { closedMarker, parsePrMarker, withPrMarker } from './markers.js';
import { CHANGE_TRAILER } from './state.js';
import type { PullAction, PullChange } from './types.js';

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

/** Comments why, closes the PR (recording that certwarden closed it) and deletes its branch. */
async function closePull(
  ctx: ApplyContext,
  a: Extract<PullAction, { op: 'close-pr' }>,
  warnings: string[],
): Promise<number> {
  const { gh, repo } = ctx;
  await commentOnce(ctx, a.number, closedMarker(`pr-${a.number}`), a.comment);
  await call(`PATCH /repos/${repo.owner}/${repo.repo}/pulls/${a.number}`, () =>
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

/** Pushes a new commit when the change differs, then brings title and body (with the new head) in line. */
async function updatePull(
  ctx: ApplyContext,
  a: Extract<PullAction, { op: 'update-pr' }>,
  getBase: (b: string) => Promise<string>,
): Promise<number> {
  const { gh, repo } = ctx;
  let head = parsePrMarker(a.body)?.head ?? null;
  if (a.pushCommit) {
    head = await commitFiles(ctx, a, await getBase(a.base));
    await setBranch(ctx, a.branch, head, true);
  }
  const body = withPrMarker(a.body, { kind: a.kind, target: a.target, key: a.key, head, closedBy: null });
  await call(`PATCH /repos/${repo.owner}/${repo.repo}/pulls/${a.number}`, () =>
    gh.rest.pulls.update({ ...repo, pull_number: a.number, title: a.title, body }),
  );
  return a.number;
}

/** Opens the PR for a pushed branch; adopts one an earlier run opened (ambiguous failure or 422). */
async function openPull(ctx: ApplyContext, a: PullChange & { base: string }, body: string): Promise<number> {
  const { gh, repo, logger: log } = ctx;
  const base = `/repos/${repo.owner}/${repo.repo}`;
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
  try {
    return await createOnce(
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
    await call(`PATCH ${base}/pulls/${existing}`, () =>
      gh.rest.pulls.update({ ...repo, pull_number: existing, title: a.title, body }),
    );
    return existing;
  }
}

/**
 * Commits the change on its branch (unless a human owns the branch: then null), opens the PR,
 * labels it and asks the owners to review.
 */
async function createPull(
  ctx: ApplyContext,
  a: Extract<PullAction, { op: 'create-pr' }>,
  getBase: (b: string) => Promise<string>,
  warnings: string[],
): Promise<number | null> {
  const { gh, repo, logger: log } = ctx;
  const base = `/repos/${repo.owner}/${repo.repo}`;
  // The branch may exist from an earlier PR of ours, or be a human's.
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
  const number = await openPull(ctx, a, body);
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

/** One PR action; null when it was left alone (a human's branch). */
export function applyPull(
  ctx: ApplyContext,
  a: PullAction,
  getBase: (b: string) => Promise<string>,
  warnings: string[],
): Promise<number | null> {
  if (a.op === 'close-pr') return closePull(ctx, a, warnings);
  if (a.op === 'update-pr') return updatePull(ctx, a, getBase);
  return createPull(ctx, a, getBase, warnings);
}
