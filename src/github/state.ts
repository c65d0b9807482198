// Reads what certwarden already has on GitHub by LISTING items with its label (never the search API),
// page by page. Only items the bot itself authored count: a marker in anyone else's item is ignored.
import type { GitHub } from './client.js';
import { GitHubRequestError, statusOf } from './client.js';
import {
  DASHBOARD_LABEL,
  DASHBOARD_TITLE,
  LABEL,
  PR_LABEL,
  hasDashboardMarker,
  parseClosedByMarker,
  parseFindingMarker,
  parsePrMarker,
  parseTargetMarker,
} from './markers.js';
import type { ExistingIssue, ExistingPull, ExistingState, RepoRef } from './types.js';

export const DEFAULT_BOT_LOGIN = 'github-actions[bot]';

/** The login the token acts as: `GET /user`, or github-actions[bot] where the token may not call it. */
export async function resolveBotLogin(gh: GitHub, explicit?: string | null): Promise<string> {
  if (explicit) return explicit;
  try {
    const { data } = await gh.rest.users.getAuthenticated();
    return data.login;
  } catch (e) {
    const status = statusOf(e);
    if (status === 401) throw new GitHubRequestError('GET /user', e);
    return DEFAULT_BOT_LOGIN;
  }
}

type IssueItem = {
  number: number;
  title: string;
  body?: string | null;
  state: string;
  user: { login: string } | null;
  labels: (string | { name?: string })[];
  assignees?: { login: string }[] | null;
  pull_request?: { merged_at?: string | null } | null;
};

function labelNames(item: IssueItem): string[] {
  return item.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter(Boolean);
}

function byBot(item: { user: { login: string } | null }, bot: string): boolean {
  return (item.user?.login ?? '').toLowerCase() === bot.toLowerCase();
}

async function list<T>(what: string, fn: () => Promise<T[]>): Promise<T[]> {
  try {
    return await fn();
  } catch (e) {
    throw new GitHubRequestError(what, e);
  }
}

export async function readExistingState(gh: GitHub, repo: RepoRef, botLogin: string): Promise<ExistingState> {
  const base = `/repos/${repo.owner}/${repo.repo}`;
  const open = await list(`GET ${base}/issues?labels=${LABEL}&state=open`, () =>
    gh.paginate(gh.rest.issues.listForRepo, { ...repo, labels: LABEL, state: 'open', per_page: 100 }),
  );
  const closedPrs = await list(`GET ${base}/issues?labels=${PR_LABEL}&state=closed`, () =>
    gh.paginate(gh.rest.issues.listForRepo, { ...repo, labels: PR_LABEL, state: 'closed', per_page: 100 }),
  );
  const labels = await list(`GET ${base}/labels`, () =>
    gh.paginate(gh.rest.issues.listLabelsForRepo, { ...repo, per_page: 100 }),
  );

  const issues: ExistingIssue[] = [];
  const prItems: IssueItem[] = [];
  for (const item of open as IssueItem[]) {
    if (!byBot(item, botLogin)) continue;
    if (item.pull_request) {
      prItems.push(item);
      continue;
    }
    const names = labelNames(item);
    const dashboard =
      names.includes(DASHBOARD_LABEL) &&
      item.title.startsWith(DASHBOARD_TITLE) &&
      hasDashboardMarker(item.body);
    const findingId = dashboard ? null : parseFindingMarker(item.body);
    if (!dashboard && !findingId) continue;
    issues.push({
      number: item.number,
      title: item.title,
      body: item.body ?? '',
      labels: names,
      assignees: (item.assignees ?? []).map((a) => a.login),
      findingId,
      target: parseTargetMarker(item.body),
      dashboard,
    });
  }

  // Head branch and commit of open bot PRs (the issues list does not carry them).
  const heads = new Map<number, { ref: string; sha: string }>();
  if (prItems.length) {
    const pulls = await list(`GET ${base}/pulls?state=open`, () =>
      gh.paginate(gh.rest.pulls.list, { ...repo, state: 'open', per_page: 100 }),
    );
    for (const p of pulls) heads.set(p.number, { ref: p.head.ref, sha: p.head.sha });
  }
  const pulls: ExistingPull[] = [];
  for (const item of [
    ...prItems,
    ...(closedPrs as IssueItem[]).filter((i) => i.pull_request && byBot(i, botLogin)),
  ]) {
    const marker = parsePrMarker(item.body);
    if (!marker) continue;
    const head = heads.get(item.number);
    pulls.push({
      number: item.number,
      title: item.title,
      body: item.body ?? '',
      state: item.state === 'open' ? 'open' : 'closed',
      merged: !!item.pull_request?.merged_at,
      branch: head?.ref ?? null,
      headSha: head?.sha ?? null,
      labels: labelNames(item),
      marker,
    });
  }
  // A head that differs from the recorded one is a human's push, unless it is a commit of ours whose
  // recording failed (the body edit after a push): our commits carry the change trailer.
  for (const p of pulls) {
    if (p.state !== 'open' || !p.headSha || !p.marker.head || p.headSha === p.marker.head) continue;
    try {
      const { data } = await gh.rest.git.getCommit({ ...repo, commit_sha: p.headSha });
      if (data.message.includes(CHANGE_TRAILER)) p.marker = { ...p.marker, head: p.headSha };
    } catch (e) {
      throw new GitHubRequestError(`GET ${base}/git/commits/${p.headSha}`, e);
    }
  }
  return { issues, pulls, labels: labels.map((l) => l.name) };
}

/** How far back closed issues are looked at for a finding that is open again (default 90 days). */
export const REOPEN_WINDOW_DAYS = 90;

/**
 * Closed bot-authored finding issues for the given finding ids, so a finding that persists or comes
 * back reopens its issue instead of getting a new one. Lists closed `certwarden` issues updated since
 * `since`, most recently updated first, and stops paging once every id has an issue: reads stay
 * bounded by pages (and by the window), never by findings, and nothing is read when `ids` is empty.
 * For an id with several closed issues read, the lowest-numbered one not closed as a duplicate wins.
 */
export async function readClosedIssues(
  gh: GitHub,
  repo: RepoRef,
  botLogin: string,
  ids: ReadonlySet<string>,
  since: Date,
): Promise<ExistingIssue[]> {
  if (!ids.size) return [];
  const base = `/repos/${repo.owner}/${repo.repo}`;
  const found = new Map<string, ExistingIssue>();
  const complete = () => [...ids].every((id) => found.has(id));
  const consider = (item: IssueItem) => {
    if (item.pull_request || item.state !== 'closed' || !byBot(item, botLogin)) return;
    const findingId = parseFindingMarker(item.body);
    if (!findingId || !ids.has(findingId)) return;
    const closedBy = parseClosedByMarker(item.body);
    if (closedBy === 'duplicate') return;
    const prev = found.get(findingId);
    if (prev && prev.number < item.number) return;
    found.set(findingId, {
      number: item.number,
      title: item.title,
      body: item.body ?? '',
      labels: labelNames(item),
      assignees: (item.assignees ?? []).map((a) => a.login),
      findingId,
      target: parseTargetMarker(item.body),
      dashboard: false,
      closedBy,
    });
  };
  await list(`GET ${base}/issues?labels=${LABEL}&state=closed&sort=updated`, () =>
    gh.paginate(
      gh.rest.issues.listForRepo,
      {
        ...repo,
        labels: LABEL,
        state: 'closed',
        sort: 'updated',
        direction: 'desc',
        since: since.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        per_page: 100,
      },
      (response, done) => {
        for (const item of response.data as IssueItem[]) consider(item);
        if (complete()) done();
        return [];
      },
    ),
  );
  return [...found.values()].sort((a, b) => a.number - b.number);
}

/** Trailer in the message of every commit certwarden makes: `Certwarden-Change: <change key>`. */
export const CHANGE_TRAILER = 'Certwarden-Change:';
