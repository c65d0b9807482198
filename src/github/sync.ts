// `sync`: read what exists, plan, apply (or print the plan). Used by the CLI `sync` command and the action.
import { CONFIG_READ_TIMEOUT_MS, safeReadText } from '../core/safe-read.js';
import path from 'node:path';
import { ConfigError, EXIT } from '../core/errors.js';
import type { Report, Severity } from '../core/model.js';
import type { LoadedInventory } from '../inventory/types.js';
import type { PolicySet } from '../policy/types.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { applyPlan, type ApplyResult } from './apply.js';
import { createGitHub, GitHubRequestError, type ClientOptions, type GitHub } from './client.js';
import { escapeLog } from '../core/escape.js';
import { describePlan, filesNeeded, planSync } from './plan.js';
import { idsWithoutOpenIssue } from './plan-issues.js';
import { REOPEN_WINDOW_DAYS, readClosedIssues, readExistingState, resolveBotLogin } from './state.js';
import { EMPTY_STATE, type RepoRef, type SyncPlan } from './types.js';

export interface SyncOptions {
  report: Report;
  inventory?: LoadedInventory;
  /** OWNER/NAME; null or absent only for a dry run without GitHub access (plans against nothing). */
  repo?: RepoRef | null;
  token?: string;
  /** GITHUB_API_URL; default https://api.github.com. */
  apiUrl?: string;
  /** Login whose markers count; default GET /user, else github-actions[bot]. */
  botLogin?: string;
  minSeverity?: Severity;
  dryRun?: boolean;
  /** Evaluation time (default: the report's evaluatedAt). */
  now?: Date;
  logger?: Logger;
  /** Root of the checkout of the base branch (files PRs edit are read from here). Default: cwd. */
  repoRoot?: string;
  /** Reads a repository file (repository-relative path); default: from repoRoot on disk. */
  readRepoFile?: (repoPath: string) => Promise<string | null>;
  /** Branch PRs target; default: the repository's default branch. */
  baseBranch?: string;
  /** Link to the run (job summary) for the dashboard. */
  runUrl?: string;
  /** At most this many new issues per run, errors first (default 200: GitHub allows ~500 creates an hour). */
  maxCreates?: number;
  /** Client tuning (tests pass faster limiters). */
  client?: Partial<ClientOptions>;
  /** A ready client; built from token/apiUrl otherwise. */
  gh?: GitHub;
  /** Loaded policy packs (renewal requests take their key type and size from the `key` rules). */
  policies?: PolicySet;
  /** Closed issues updated within this many days before the scan are reopened (default 90). */
  reopenWindowDays?: number;
}

export interface SyncResult {
  /** 0 applied (or printed with dryRun), 2 configuration error, 3 GitHub refused or failed part way. */
  exitCode: 0 | 2 | 3;
  plan: SyncPlan | null;
  applied: ApplyResult | null;
  /** The plan (dry run) or what was done, one line each, safe for logs. */
  lines: string[];
  error: string | null;
}

/** GitHub settings from the usual variables. Throws ConfigError naming the bad variable. */
export function readGitHubEnv(env: NodeJS.ProcessEnv = process.env): {
  token?: string;
  repo: RepoRef | null;
  apiUrl?: string;
  runUrl?: string;
} {
  const repoText = env['GITHUB_REPOSITORY'];
  const repo = repoText ? parseRepo(repoText, 'GITHUB_REPOSITORY') : null;
  const server = env['GITHUB_SERVER_URL'] ?? 'https://github.com';
  const runUrl =
    repoText && env['GITHUB_RUN_ID']
      ? `${server}/${repoText}/actions/runs/${env['GITHUB_RUN_ID']}`
      : undefined;
  return {
    token: env['GITHUB_TOKEN'] || undefined,
    repo,
    apiUrl: env['GITHUB_API_URL'] || undefined,
    runUrl,
  };
}

/** OWNER/NAME -> RepoRef; a ConfigError that names the value and the expected form otherwise. */
export function parseRepo(text: string, what = '--repo'): RepoRef {
  const m = /^([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)\/([A-Za-z0-9._-]+)$/.exec(text.trim());
  if (!m)
    throw new ConfigError(
      `Invalid repository '${escapeLog(text)}' in ${what}. Expected format {owner}/{repo}.`,
    );
  return { owner: m[1] as string, repo: m[2] as string };
}

function diskReader(root: string) {
  return async (rel: string): Promise<string | null> => {
    try {
      // Files a PR edits (inventory, bundles): regular files inside the repository, within a cap.
      return await safeReadText(path.join(root, rel), {
        kind: 'inventory',
        timeoutMs: CONFIG_READ_TIMEOUT_MS,
        within: root,
      });
    } catch {
      return null;
    }
  };
}

export async function runSync(opts: SyncOptions): Promise<SyncResult> {
  const log = opts.logger ?? silentLogger;
  const repoRoot = opts.repoRoot ?? process.cwd();
  const minSeverity = opts.minSeverity ?? 'warning';
  const now = opts.now ?? new Date(opts.report.evaluatedAt);
  const configError = (msg: string): SyncResult => ({
    exitCode: EXIT.config,
    plan: null,
    applied: null,
    lines: [],
    error: msg,
  });
  if (opts.report?.schemaVersion !== 1)
    return configError(
      `the report is not a certwarden JSON report (schemaVersion 1 expected, got ${escapeLog(String(opts.report?.schemaVersion))})`,
    );

  const offline = !opts.repo || (!opts.token && !opts.gh);
  if (offline && !opts.dryRun) {
    return configError(
      !opts.repo
        ? 'no repository: set GITHUB_REPOSITORY or pass --repo OWNER/NAME'
        : 'no GitHub token: set GITHUB_TOKEN (or the action input token)',
    );
  }
  // A loopback API (a test server or a local proxy) has no secondary limits to respect.
  const spacing =
    opts.apiUrl && /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/.test(opts.apiUrl)
      ? 'none'
      : 'github';
  const gh = offline
    ? null
    : (opts.gh ??
      createGitHub({ token: opts.token, baseUrl: opts.apiUrl, logger: log, spacing, ...opts.client }));
  const repo = opts.repo ?? { owner: 'owner', repo: 'repo' };
  try {
    const botLogin = gh ? await resolveBotLogin(gh, opts.botLogin) : (opts.botLogin ?? 'github-actions[bot]');
    let existing = gh ? await readExistingState(gh, repo, botLogin) : EMPTY_STATE;
    if (gh) {
      // Findings without an open issue may have a closed one (closed by hand, or fixed and back): read
      // those, recently updated first within a bounded window, so the issue is reopened, not duplicated.
      const ids = idsWithoutOpenIssue(opts.report, minSeverity, existing);
      const days = opts.reopenWindowDays ?? REOPEN_WINDOW_DAYS;
      const since = new Date(now.getTime() - days * 86_400_000);
      existing = { ...existing, closed: await readClosedIssues(gh, repo, botLogin, ids, since) };
    }
    if (offline) log.warn('no GitHub access: planning against an empty repository');

    const needed = filesNeeded({ report: opts.report, inventory: opts.inventory, repoRoot });
    const read = opts.readRepoFile ?? diskReader(repoRoot);
    const files: Record<string, string> = {};
    for (const f of needed) {
      const text = await read(f);
      if (text !== null) files[f] = text;
    }
    let baseBranch = opts.baseBranch;
    if (!baseBranch && needed.length && gh) {
      const { data } = await gh.rest.repos.get({ ...repo });
      baseBranch = data.default_branch;
    }
    const input = {
      report: opts.report,
      inventory: opts.inventory,
      existing,
      botLogin,
      minSeverity,
      now,
      files,
      repoRoot,
      baseBranch: baseBranch ?? 'main',
      runUrl: opts.runUrl,
      maxCreates: opts.maxCreates ?? 200,
      policies: opts.policies,
    };
    const plan = planSync(input);
    const described = describePlan(plan).map(escapeLog);
    if (opts.dryRun || !gh)
      return { exitCode: EXIT.clean, plan, applied: null, lines: described, error: null };

    const applied = await applyPlan({ gh, repo, botLogin, logger: log, input }, plan);
    const lines = applied.done.map((d) => escapeLog(d.what));
    if (!lines.length) lines.push('nothing to do: GitHub is in step with the report');
    if (applied.failed.length) {
      const error = applied.failed.map((f) => `${f.what}: ${f.error}`).join('; ');
      return { exitCode: EXIT.runtime, plan, applied, lines, error: escapeLog(error) };
    }
    return { exitCode: EXIT.clean, plan, applied, lines, error: null };
  } catch (e) {
    if (e instanceof ConfigError) return configError(e.message);
    const msg =
      e instanceof GitHubRequestError
        ? e.message
        : `GitHub sync failed: ${e instanceof Error ? e.message : String(e)}`;
    log.error(escapeLog(msg));
    return { exitCode: EXIT.runtime, plan: null, applied: null, lines: [], error: escapeLog(msg) };
  }
}
