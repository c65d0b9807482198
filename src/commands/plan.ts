// `plan` (the action's pull-request mode): the targets a change adds, removes and changes versus the
// base ref, with a live scan of the new and changed ones, rendered as one sticky comment on the pull
// request (or, with problems in the inventory, a pointer at them).
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ConfigError } from '../core/errors.js';
import type { Report } from '../core/model.js';
import { escapeLog } from '../core/escape.js';
import { silentLogger, type Logger } from '../core/logger.js';
import type { LoadedInventory } from '../inventory/types.js';
import { load, runScan, type ScanOptions } from '../pipeline.js';
import {
  diffInventories,
  planCommentBody,
  upsertPlanComment,
  type InventoryDiff,
} from '../github/pr-plan.js';
import { resolveBotLogin } from '../github/state.js';
import type { RepoRef } from '../github/types.js';
import { connectGitHub } from './github-access.js';

const run = promisify(execFile);

/** Where the sticky comment goes. */
export interface PlanComment {
  pullRequest: number;
  repo: RepoRef;
  token: string;
  apiUrl?: string;
  botLogin?: string;
}

export interface PlanCommandOptions {
  /** How the base inventory is loaded and the changed targets scanned (inventoryDirs: the head's). */
  scan: Omit<ScanOptions, 'format' | 'output'>;
  /** The head inventory, valid; null when it has problems (the comment points at them). */
  head: LoadedInventory | null;
  /** Inventory and policy problems at the head (when head is null). */
  problems: number;
  /** The git checkout (repository root). */
  workspace: string;
  /** Git ref of the base; null outside a pull request (every target counts as added). */
  baseRef: string | null;
  /** Scan the added and changed targets live. */
  scanChanged: boolean;
  /** Where to write the comment; null: not written (only returned). */
  comment: PlanComment | null;
  logger?: Logger;
}

export interface PlanCommandResult {
  /** The comment's markdown (also the job summary). */
  body: string;
  /** Targets added, removed and changed; null when the head has problems. */
  diff: InventoryDiff | null;
  /** The comment written or updated; null when none was (or it could not be). */
  commentId: number | null;
}

/** Loads the inventory as it is at `ref`, through a temporary git worktree; a note when it cannot. */
async function loadAtRef(
  opts: PlanCommandOptions,
  ref: string,
  use: (inv: LoadedInventory, root: string) => void,
): Promise<{ note: string | null }> {
  const cwd = opts.workspace;
  let dir: string | null = null;
  try {
    const { stdout } = await run('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd });
    dir = await mkdtemp(path.join(tmpdir(), 'certwarden-base-'));
    await run('git', ['worktree', 'add', '--detach', dir, stdout.trim()], { cwd });
    const dirs = opts.scan.inventoryDirs.map((d) => path.join(dir as string, path.relative(cwd, d)));
    try {
      use((await load({ ...opts.scan, inventoryDirs: dirs })).inventory, dir);
      return { note: null };
    } catch (e) {
      if (e instanceof ConfigError)
        return { note: `the inventory at ${ref} does not load; every target counts as added` };
      throw e;
    }
  } catch (e) {
    (opts.logger ?? silentLogger).warn(
      `cannot read the inventory at ${escapeLog(ref)} (${escapeLog(e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e))}); fetch it (actions/checkout with fetch-depth: 0)`,
    );
    return { note: `base ${ref} not available on the runner; every target counts as added` };
  } finally {
    if (dir) {
      await run('git', ['worktree', 'remove', '--force', dir], { cwd }).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    }
  }
}

/** Targets added, removed and changed versus the base ref, with a live scan of the new and changed ones. */
async function planOfChanges(
  opts: PlanCommandOptions,
  head: LoadedInventory,
): Promise<{ body: string; diff: InventoryDiff }> {
  let diff: InventoryDiff = diffInventories(null, head);
  const base = opts.baseRef
    ? await loadAtRef(
        opts,
        opts.baseRef,
        (inv, root) => (diff = diffInventories(inv, head, { base: root, head: opts.workspace })),
      )
    : { note: 'no base ref (not a pull request); every target counts as added' };
  let scanReport: Report | null = null;
  let scanNote = base.note;
  const ids = [...diff.added, ...diff.changed.map((c) => c.id)];
  if (opts.scanChanged && ids.length) {
    try {
      scanReport = (await runScan({ ...opts.scan, targets: ids, zone: undefined })).report;
    } catch (e) {
      scanNote = `live scan skipped: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
    }
  }
  return { body: planCommentBody(diff, { baseRef: opts.baseRef, scan: scanReport, scanNote }), diff };
}

/** The sticky comment on the pull request; null when it could not be written. */
async function postPlan(c: PlanComment, body: string, logger: Logger): Promise<number | null> {
  try {
    const gh = connectGitHub({ token: c.token, apiUrl: c.apiUrl, logger });
    const bot = await resolveBotLogin(gh, c.botLogin);
    return (await upsertPlanComment(gh, c.repo, c.pullRequest, bot, body)).id;
  } catch (e) {
    // Pull requests from forks get a read-only token: the plan still goes to the job summary.
    logger.warn(
      `could not write the plan comment (${escapeLog(e instanceof Error ? e.message : String(e))}); the plan is in the job summary`,
    );
    return null;
  }
}

export async function plan(opts: PlanCommandOptions): Promise<PlanCommandResult> {
  const { body, diff } = opts.head
    ? await planOfChanges(opts, opts.head)
    : {
        body: planCommentBody(
          { added: [], removed: [], changed: [] },
          { baseRef: opts.baseRef, problems: opts.problems },
        ),
        diff: null,
      };
  const commentId = opts.comment ? await postPlan(opts.comment, body, opts.logger ?? silentLogger) : null;
  return { body, diff, commentId };
}
