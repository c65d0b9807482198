// What every GitHub write shares. Creates are never retried blindly: after an ambiguous failure
// (5xx, connection lost) we list again and adopt what the failed request may have created, and only
// then try once more. Updates (PATCH) are idempotent and keep octokit's retry.
import type { Logger } from '../core/logger.js';
import type { GitHub } from './client.js';
import { GitHubRequestError, isAmbiguousFailure, statusOf } from './client.js';
import type { SyncInput } from './plan-input.js';
import type { RepoRef } from './types.js';

export interface ApplyContext {
  gh: GitHub;
  repo: RepoRef;
  botLogin: string;
  logger: Logger;
  /** The planning input: the dashboard is planned again once new issues have numbers. */
  input: SyncInput;
}

export const NO_RETRY = { request: { retries: 0 } } as const;

export async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof GitHubRequestError) throw e;
    throw new GitHubRequestError(what, e);
  }
}

/** Create once; on an ambiguous failure, re-list to adopt what may exist, else try once more. */
export async function createOnce<T>(
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

/** Posts a bot comment carrying `marker`; after an ambiguous failure, adopts one that got through. */
export async function commentOnce(
  ctx: ApplyContext,
  number: number,
  marker: string,
  text: string,
): Promise<void> {
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
