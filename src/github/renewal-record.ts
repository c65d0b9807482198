// The GitHub side of renewal's ledger (src/renewal/record.ts): a request is approved by merging the
// pull request that adds its file to the default branch; the outcome is a follow-up commit on that
// branch (Git Data API, so GitHub signs it) and, on failure, a `renewal.failed` issue.
import path from 'node:path';
import { ConfigError } from '../core/errors.js';
import { escapeMarkdown as md } from '../core/escape.js';
import type { Finding } from '../core/model.js';
import type { GitHub } from './client.js';
import { GitHubRequestError, statusOf } from './client.js';
import { LABEL, parseFindingMarker } from './markers.js';
import { issueBody, issueTitle } from './render.js';
import { CHANGE_TRAILER } from './state.js';
import type { RepoRef } from './types.js';
import {
  NOT_APPROVED,
  failureFinding,
  withStatus,
  type Approval,
  type RenewalLedger,
  type RenewalStatus,
} from '../renewal/record.js';
import { parseRenewalRequest, type RenewalRequest } from '../renewal/request.js';

async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw e instanceof GitHubRequestError ? e : new GitHubRequestError(what, e);
  }
}

export async function defaultBranch(gh: GitHub, repo: RepoRef): Promise<string> {
  const { data } = await call(`GET /repos/${repo.owner}/${repo.repo}`, () => gh.rest.repos.get({ ...repo }));
  return data.default_branch;
}

/** A file's text on a branch through the contents API; null when it is not there. */
export async function fileOnBranch(
  gh: GitHub,
  repo: RepoRef,
  path: string,
  branch: string,
): Promise<string | null> {
  try {
    const { data } = await gh.rest.repos.getContent({ ...repo, path, ref: branch });
    if (Array.isArray(data) || data.type !== 'file' || !('content' in data)) return null;
    return Buffer.from(data.content, 'base64').toString('utf8');
  } catch (e) {
    if (statusOf(e) === 404) return null;
    throw new GitHubRequestError(`GET /repos/${repo.owner}/${repo.repo}/contents/${path}?ref=${branch}`, e);
  }
}

/**
 * The approval of a request file on the default branch: the commit that last changed the file there,
 * and the merged pull request GitHub associates with that commit.
 */
export async function findApproval(
  gh: GitHub,
  repo: RepoRef,
  path: string,
  branch: string,
): Promise<Approval | null> {
  const base = `/repos/${repo.owner}/${repo.repo}`;
  const { data: commits } = await call(`GET ${base}/commits?path=${path}`, () =>
    gh.rest.repos.listCommits({ ...repo, sha: branch, path, per_page: 1 }),
  );
  const commit = commits[0]?.sha;
  if (!commit) return null;
  const { data: pulls } = await call(`GET ${base}/commits/${commit}/pulls`, () =>
    gh.rest.repos.listPullRequestsAssociatedWithCommit({ ...repo, commit_sha: commit, per_page: 100 }),
  );
  const merged = pulls
    .filter((p) => p.merged_at && p.base.ref === branch)
    .sort((a, b) => (a.merged_at! < b.merged_at! ? 1 : -1))[0];
  if (!merged) return { ref: `commit ${commit}`, pull: null, commit };
  return {
    ref: `${repo.owner}/${repo.repo}#${merged.number}`,
    pull: { number: merged.number, url: merged.html_url },
    // The commit the merge made on the branch (the listed commit may be the PR's own).
    commit: merged.merge_commit_sha ?? commit,
  };
}

/**
 * Commits a new version of one file on top of the branch through the Git Data API (so GitHub signs
 * it) and moves the branch without force; retried once on a concurrent push. Returns the commit.
 * `content` gets the branch's current version of the file and returns the new text (null: keep).
 */
export async function commitFile(
  gh: GitHub,
  repo: RepoRef,
  branch: string,
  path: string,
  content: (current: string | null) => string | null,
  message: string,
): Promise<string | null> {
  const base = `/repos/${repo.owner}/${repo.repo}`;
  for (let attempt = 0; ; attempt++) {
    const { data: ref } = await call(`GET ${base}/git/ref/heads/${branch}`, () =>
      gh.rest.git.getRef({ ...repo, ref: `heads/${branch}` }),
    );
    const parent = ref.object.sha;
    const next = content(await fileOnBranch(gh, repo, path, parent));
    if (next === null) return null;
    const { data: parentCommit } = await call(`GET ${base}/git/commits/${parent}`, () =>
      gh.rest.git.getCommit({ ...repo, commit_sha: parent }),
    );
    const { data: blob } = await call(`POST ${base}/git/blobs`, () =>
      gh.rest.git.createBlob({ ...repo, content: next, encoding: 'utf-8' }),
    );
    const { data: tree } = await call(`POST ${base}/git/trees`, () =>
      gh.rest.git.createTree({
        ...repo,
        base_tree: parentCommit.tree.sha,
        tree: [{ path, mode: '100644', type: 'blob', sha: blob.sha }],
      }),
    );
    const { data: commit } = await call(`POST ${base}/git/commits`, () =>
      gh.rest.git.createCommit({ ...repo, message, tree: tree.sha, parents: [parent] }),
    );
    try {
      await gh.rest.git.updateRef({ ...repo, ref: `heads/${branch}`, sha: commit.sha, force: false });
      return commit.sha;
    } catch (e) {
      // 422 "not a fast forward": someone pushed meanwhile; start again from the new head once.
      if (statusOf(e) !== 422 || attempt >= 2)
        throw new GitHubRequestError(`PATCH ${base}/git/refs/heads/${branch}`, e);
    }
  }
}

/** Records an outcome in the default branch's request file (only if it still holds this request). */
export async function recordOnGitHub(
  gh: GitHub,
  repo: RepoRef,
  branch: string,
  path: string,
  req: RenewalRequest,
  status: RenewalStatus,
): Promise<string | null> {
  const message = `certwarden: renewal of ${req.metadata.target} ${status.state} (${req.metadata.id})\n\nApproved by ${status.approvedBy ?? 'unknown'}.\n\n${CHANGE_TRAILER} renew-${req.metadata.id}\n`;
  return commitFile(
    gh,
    repo,
    branch,
    path,
    (current) => {
      // Only over the same request, and never over an outcome a concurrent run already recorded.
      if (current === null) return null;
      let onBranch: RenewalRequest;
      try {
        onBranch = parseRenewalRequest(current, path);
      } catch {
        return null;
      }
      if (onBranch.metadata.id !== req.metadata.id || onBranch.status?.state === 'applied') return null;
      return withStatus(req, status);
    },
    message,
  );
}

async function openIssueWith(gh: GitHub, repo: RepoRef, botLogin: string, id: string) {
  const items = await call(`GET /repos/${repo.owner}/${repo.repo}/issues?labels=${LABEL}`, () =>
    gh.paginate(gh.rest.issues.listForRepo, { ...repo, labels: LABEL, state: 'open', per_page: 100 }),
  );
  return items.find(
    (i) =>
      !i.pull_request &&
      (i.user?.login ?? '').toLowerCase() === botLogin.toLowerCase() &&
      parseFindingMarker(i.body) === id,
  );
}

/**
 * Opens (or updates) the `renewal.failed` issue for a request. Its finding marker keys it like any
 * finding issue; sync leaves it open and `renew` closes it once a renewal of the target succeeds.
 */
export async function reportFailure(
  gh: GitHub,
  repo: RepoRef,
  botLogin: string,
  f: Finding,
  detail: string,
): Promise<number> {
  const title = issueTitle(f, undefined);
  const body = issueBody(
    f,
    undefined,
    undefined,
    `### What happened\n\n${md(detail)}\n\nThe request file records the failure. \`certwarden sync\` proposes a new request for this certificate while it stays in its renewal window; this issue is closed when a renewal of the target succeeds.`,
  );
  const existing = await openIssueWith(gh, repo, botLogin, f.id);
  const base = `/repos/${repo.owner}/${repo.repo}`;
  if (existing) {
    if ((existing.body ?? '').trim() !== body.trim())
      await call(`PATCH ${base}/issues/${existing.number}`, () =>
        gh.rest.issues.update({ ...repo, issue_number: existing.number, title, body }),
      );
    return existing.number;
  }
  const { data } = await call(`POST ${base}/issues`, () =>
    gh.rest.issues.create({
      ...repo,
      title,
      body,
      labels: [LABEL, `severity:${f.severity}`, `check:${f.check}`],
      request: { retries: 0 },
    }),
  );
  return data.number;
}

/** Closes the open `renewal.failed` issue of a target and certificate, if any, saying what fixed it. */
export async function closeFailure(
  gh: GitHub,
  repo: RepoRef,
  botLogin: string,
  f: Finding,
  comment: string,
): Promise<number | null> {
  const existing = await openIssueWith(gh, repo, botLogin, f.id);
  if (!existing) return null;
  const base = `/repos/${repo.owner}/${repo.repo}`;
  await call(`POST ${base}/issues/${existing.number}/comments`, () =>
    gh.rest.issues.createComment({ ...repo, issue_number: existing.number, body: md(comment) }),
  );
  await call(`PATCH ${base}/issues/${existing.number}`, () =>
    gh.rest.issues.update({
      ...repo,
      issue_number: existing.number,
      state: 'closed',
      state_reason: 'completed',
    }),
  );
  return existing.number;
}

/** GitHub access for the ledger. */
export interface GitHubLedgerOptions {
  gh: GitHub;
  repo: RepoRef;
  botLogin: string;
  /** Default: the repository's default branch (asked once, when first needed). */
  branch?: string;
  /** Root of the checkout: request files must lie inside it. */
  repoRoot: string;
}

/**
 * Renewal's ledger on GitHub: a request is applied only as the default branch holds it (an older
 * checkout never issues twice), approved by the merged pull request that added it.
 */
export function gitHubLedger(o: GitHubLedgerOptions): RenewalLedger {
  const { gh, repo } = o;
  let branch = o.branch ?? null;
  const onBranch = async () => (branch ??= await defaultBranch(gh, repo));
  return {
    async approved(rel, local) {
      if (rel.startsWith('../'))
        throw new ConfigError(
          `${path.resolve(o.repoRoot, rel)}: the renewals folder must lie inside the repository checkout ${o.repoRoot}`,
        );
      const b = await onBranch();
      const text = await fileOnBranch(gh, repo, rel, b);
      if (text === null) return { skip: `not on ${b}: not merged (yet)` };
      const req = parseRenewalRequest(text, `${b}:${rel}`);
      if (req.metadata.id !== local.metadata.id)
        return {
          skip: `${b} holds another request (${req.metadata.id}) for this target; this checkout is out of date`,
        };
      if (req.status && req.status.state !== 'pending')
        return { skip: `already ${req.status.state} on ${b}` };
      const approval = await findApproval(gh, repo, rel, b);
      return approval ? { request: req, approval } : { skip: NOT_APPROVED };
    },
    async record(rel, request, status) {
      const b = await onBranch();
      const message = status.message ?? '';
      const finding = failureFinding(request, rel, message);
      let issue: number | undefined;
      if (status.state === 'failed') issue = await reportFailure(gh, repo, o.botLogin, finding, message);
      else
        await closeFailure(
          gh,
          repo,
          o.botLogin,
          finding,
          `Renewal request ${request.metadata.id} was applied (certificate ${status.sha256 ?? ''}). Closing.`,
        );
      const commit = await recordOnGitHub(gh, repo, b, rel, request, status);
      return issue === undefined ? { commit } : { commit, issue };
    },
  };
}
