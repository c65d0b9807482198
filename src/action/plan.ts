// Mode plan (pull requests): validate, then the targets added, removed and changed versus the base
// ref, with a live scan of the new and changed ones, as one sticky comment and the job summary.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ConfigError } from '../core/errors.js';
import type { Report } from '../core/model.js';
import { escapeLog } from '../core/escape.js';
import type { LoadedInventory } from '../inventory/types.js';
import { validate } from '../commands/validate.js';
import { scan } from '../commands/scan.js';
import { connectGitHub } from '../commands/github-access.js';
import {
  diffInventories,
  planCommentBody,
  upsertPlanComment,
  type InventoryDiff,
} from '../github/pr-plan.js';
import { resolveBotLogin } from '../github/state.js';
import { gitHubAccess } from './github.js';
import type { Inputs } from './inputs.js';
import { scanOptions } from './report.js';
import type { ActionIO, ModeFn } from './types.js';
import { validateInputs } from './validate.js';

const run = promisify(execFile);

/** Loads the inventory as it is at `ref`, through a temporary git worktree. Null when it cannot. */
async function loadAtRef(
  inputs: Inputs,
  io: ActionIO,
  ref: string,
  use: (inv: LoadedInventory, root: string) => void,
): Promise<{ note: string | null }> {
  const cwd = inputs.workspace;
  let dir: string | null = null;
  try {
    const { stdout } = await run('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd });
    dir = await mkdtemp(path.join(tmpdir(), 'certwarden-base-'));
    await run('git', ['worktree', 'add', '--detach', dir, stdout.trim()], { cwd });
    const dirs = inputs.inventory.map((d) => path.join(dir as string, path.relative(cwd, d)));
    try {
      const base = await validate({
        ...scanOptions(inputs, io),
        inventoryDirs: dirs,
        policyDirs: inputs.policies,
      });
      use(base.loaded.inventory, dir);
      return { note: null };
    } catch (e) {
      if (e instanceof ConfigError)
        return { note: `the inventory at ${ref} does not load; every target counts as added` };
      throw e;
    }
  } catch (e) {
    io.logger.warn(
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
  inputs: Inputs,
  io: ActionIO,
  head: LoadedInventory,
): Promise<{ body: string; outputs: Record<string, string> }> {
  let diff: InventoryDiff = diffInventories(null, head);
  const base = inputs.baseRef
    ? await loadAtRef(
        inputs,
        io,
        inputs.baseRef,
        (inv, root) => (diff = diffInventories(inv, head, { base: root, head: inputs.workspace })),
      )
    : { note: 'no base ref (not a pull request); every target counts as added' };
  let scanReport: Report | null = null;
  let scanNote = base.note;
  const ids = [...diff.added, ...diff.changed.map((c) => c.id)];
  if (inputs.scanChanged && ids.length) {
    try {
      scanReport = (
        await scan({ ...scanOptions(inputs, io, { targets: ids, zone: undefined }), reports: [] })
      ).report;
    } catch (e) {
      scanNote = `live scan skipped: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
    }
  }
  return {
    body: planCommentBody(diff, { baseRef: inputs.baseRef, scan: scanReport, scanNote }),
    outputs: {
      problems: '0',
      added: diff.added.join(','),
      removed: diff.removed.join(','),
      changed: diff.changed.map((c) => c.id).join(','),
    },
  };
}

/** The sticky comment on the pull request; null when there is none to write (or it could not be). */
async function postPlan(inputs: Inputs, io: ActionIO, body: string): Promise<number | null> {
  const gh = gitHubAccess(inputs, io);
  const prNumber = io.event.pullRequest;
  if (!prNumber || !gh.repo || !inputs.token || inputs.dryRun) return null;
  try {
    const client = connectGitHub({ token: inputs.token, apiUrl: gh.apiUrl, logger: io.logger });
    const bot = await resolveBotLogin(client, inputs.botLogin);
    return (await upsertPlanComment(client, gh.repo, prNumber, bot, body)).id;
  } catch (e) {
    // Pull requests from forks get a read-only token: the plan still goes to the job summary.
    io.logger.warn(
      `could not write the plan comment (${escapeLog(e instanceof Error ? e.message : String(e))}); the plan is in the job summary`,
    );
    return null;
  }
}

export const planMode: ModeFn = async (inputs, io) => {
  const checked = await validateInputs(inputs, io);
  const { body, outputs } = checked.valid
    ? await planOfChanges(inputs, io, checked.valid.loaded.inventory)
    : {
        body: planCommentBody(
          { added: [], removed: [], changed: [] },
          { baseRef: inputs.baseRef, problems: Number(checked.mode.outputs['problems']) },
        ),
        outputs: checked.mode.outputs,
      };
  const commentId = await postPlan(inputs, io, body);
  if (commentId !== null) outputs['comment-id'] = String(commentId);
  return { outputs, summary: body, failure: checked.mode.failure };
};
