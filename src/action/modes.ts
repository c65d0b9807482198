// The action's modes, keyed by id. Each takes the validated inputs and a small IO adapter (so this
// file does not import @actions/*) and returns outputs, a job summary and, when the step must fail, why.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { CliIO } from '../cli/main.js';
import { ConfigError, EXIT, type Problem } from '../core/errors.js';
import type { Report } from '../core/model.js';
import type { LoadedInventory } from '../inventory/types.js';
import type { PolicySet } from '../policy/types.js';
import { load, runScan, writeAtomic, type ScanOptions } from '../pipeline.js';
import { toAnnotations, type Annotation } from '../report/annotations.js';
import { render } from '../report/index.js';
import type { Logger } from '../core/logger.js';
import { createGitHub } from '../github/client.js';
import { escapeLog, escapeMarkdown } from '../core/escape.js';
import {
  diffInventories,
  planCommentBody,
  upsertPlanComment,
  type InventoryDiff,
} from '../github/pr-plan.js';
import { resolveBotLogin } from '../github/state.js';
import { readReportFile } from '../commands/sync.js';
import { readGitHubEnv, runSync } from '../github/sync.js';
import type { Inputs, Mode } from './inputs.js';

/** What the modes need from the runner. */
export interface ActionIO {
  logger: Logger;
  /** An error annotation on a file line (validate problems). */
  annotate(p: Problem): void;
  /** One annotation for a finding (error, warning or notice) at its inventory line. */
  annotateFinding(a: Annotation): void;
  /** Masks a value in the log from now on. */
  secret(value: string): void;
  env: NodeJS.ProcessEnv;
}

export interface ModeResult {
  outputs: Record<string, string>;
  summary: string | null;
  /** Set when the step must fail; the message says what to fix. */
  failure: string | null;
}

type ModeFn = (inputs: Inputs, io: ActionIO) => Promise<ModeResult>;

const run = promisify(execFile);

function scanOptions(inputs: Inputs, io: ActionIO, over: Partial<ScanOptions> = {}): ScanOptions {
  return {
    inventoryDirs: inputs.inventory,
    policyDirs: inputs.policies,
    now: inputs.now ?? undefined,
    failOn: inputs.failOn,
    concurrency: inputs.concurrency,
    timeoutMs: inputs.timeoutMs,
    zone: inputs.zone ?? undefined,
    logger: io.logger,
    env: io.env,
    ...over,
  };
}

/** Values the inventory names by environment variable (kubeconfigs, keystore passwords) are masked. */
function maskSecrets(inv: LoadedInventory, io: ActionIO): void {
  const names = new Set<string>();
  for (const c of inv.clusters.values()) if (c.kubeconfig.env) names.add(c.kubeconfig.env);
  for (const t of inv.targets) {
    const s = t.source as { file?: { passwordEnv?: string }; kubernetes?: { passwordEnv?: string } };
    if (s.file?.passwordEnv) names.add(s.file.passwordEnv);
    if (s.kubernetes?.passwordEnv) names.add(s.kubernetes.passwordEnv);
  }
  for (const n of names) {
    const v = io.env[n];
    if (v) for (const line of [v, ...v.split('\n')]) if (line.trim().length >= 4) io.secret(line.trim());
  }
}

function countsOf(report: Report): Record<string, string> {
  return {
    errors: String(report.summary.findings.error),
    warnings: String(report.summary.findings.warning),
    infos: String(report.summary.findings.info),
    waived: String(report.summary.waived),
    targets: String(report.summary.targets),
    certificates: String(report.summary.certificates),
  };
}

async function summaryOf(report: Report, env: NodeJS.ProcessEnv, io: ActionIO): Promise<string> {
  const { runUrl } = readGitHubEnv(env);
  try {
    return await render('markdown', report, { runUrl });
  } catch (e) {
    io.logger.debug(`markdown reporter unavailable (${escapeLog(String(e))}); using text`);
    const text = await render('text', report, { color: false });
    return `### certwarden\n\n<pre>\n${text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</pre>\n`;
  }
}

/** GitHub shows at most this many annotations of each level per step (and 50 per job). */
const ANNOTATIONS_PER_LEVEL = 10;

/**
 * One annotation per open finding, most severe first, within GitHub's limits: 10 of each level per
 * step, one error fewer when the step fails (setFailed is an error annotation too). Locations outside
 * the workspace are left off (GitHub could not show them on a file). Returns the job summary's note
 * on the findings left unannotated, or '' when every one was annotated.
 */
function annotateFindings(report: Report, inputs: Inputs, io: ActionIO, failing: boolean): string {
  const room: Record<Annotation['level'], number> = {
    error: ANNOTATIONS_PER_LEVEL - (failing ? 1 : 0),
    warning: ANNOTATIONS_PER_LEVEL,
    notice: ANNOTATIONS_PER_LEVEL,
  };
  let left = 0;
  for (const a of toAnnotations(report, { root: inputs.workspace, limit: Infinity })) {
    if (room[a.level] <= 0) {
      left++;
      continue;
    }
    room[a.level]--;
    const inWorkspace = a.file && !path.isAbsolute(a.file) && !a.file.startsWith('../');
    io.annotateFinding(inWorkspace ? a : { level: a.level, title: a.title, message: a.message });
  }
  return left
    ? `\n> [!NOTE]\n> ${left} finding(s) not annotated: GitHub shows at most ${ANNOTATIONS_PER_LEVEL} annotations of each level per step, so the most severe were annotated first. Every finding is listed in this summary and in the JSON and SARIF reports.\n`
    : '';
}

/** Writes the JSON and SARIF files the inputs ask for; returns their outputs. */
async function writeReports(report: Report, inputs: Inputs): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of [inputs.json, inputs.sarif]) if (f) await mkdir(path.dirname(f), { recursive: true });
  if (inputs.json) {
    await writeAtomic(inputs.json, await render('json', report));
    out['json-path'] = inputs.json;
  }
  if (inputs.sarif) {
    await writeAtomic(inputs.sarif, await render('sarif', report));
    out['sarif-path'] = inputs.sarif;
  }
  return out;
}

const validate: ModeFn = async (inputs, io) => {
  try {
    const loaded = await load(scanOptions(inputs, io));
    maskSecrets(loaded.inventory, io);
    const inv = loaded.inventory;
    io.logger.info(
      `valid: ${inv.inventories.length} inventory file(s), ${inv.targets.length} target(s), ${inv.anchors.size} anchor(s), ${inv.bundles.length} bundle(s)`,
    );
    return { outputs: { problems: '0' }, summary: null, failure: null };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    for (const p of e.problems) io.annotate(p);
    return {
      outputs: { problems: String(e.problems.length) },
      summary: null,
      failure: `${e.problems.length} inventory/policy problem(s); see the annotations`,
    };
  }
};

const scan: ModeFn = async (inputs, io) => {
  const { report, exitCode, loaded } = await runScan(scanOptions(inputs, io));
  maskSecrets(loaded.inventory, io);
  const files = await writeReports(report, inputs);
  const failure =
    exitCode === EXIT.findings
      ? `findings at or above fail-on '${inputs.failOn}': ${report.summary.findings.error} error(s), ${report.summary.findings.warning} warning(s)`
      : null;
  const note = annotateFindings(report, inputs, io, failure !== null);
  return {
    outputs: { ...countsOf(report), ...files, 'exit-code': String(exitCode) },
    summary: (await summaryOf(report, io.env, io)) + note,
    failure,
  };
};

const sync: ModeFn = async (inputs, io) => {
  let report: Report;
  let inventory: LoadedInventory;
  let policies: PolicySet;
  let summary: string | null = null;
  let outputs: Record<string, string> = {};
  if (inputs.report) {
    report = readReportFile(inputs.report);
    ({ inventory, policies } = await load(scanOptions(inputs, io)));
  } else {
    const scanned = await runScan(scanOptions(inputs, io));
    report = scanned.report;
    ({ inventory, policies } = scanned.loaded);
    outputs = await writeReports(report, inputs);
    summary = await summaryOf(report, io.env, io);
  }
  maskSecrets(inventory, io);
  const env = readGitHubEnv(io.env);
  const res = await runSync({
    report,
    inventory,
    // The policies' `key` rules choose the key of renewal requests (as in `certwarden sync`).
    policies,
    repo: env.repo,
    token: inputs.token ?? undefined,
    apiUrl: env.apiUrl,
    runUrl: env.runUrl,
    botLogin: inputs.botLogin ?? undefined,
    minSeverity: inputs.issuesMinSeverity,
    dryRun: inputs.dryRun,
    repoRoot: inputs.workspace,
    logger: io.logger,
  });
  const lines = res.lines.map((l) => `- ${escapeMarkdown(l)}`).join('\n');
  const syncSummary = `### certwarden sync${inputs.dryRun ? ' (dry run)' : ''}\n\n${lines || '- nothing to do'}\n`;
  const failed = res.exitCode !== EXIT.clean;
  // A report handed in was annotated by the scan step that wrote it.
  if (!inputs.report) summary = `${summary ?? ''}${annotateFindings(report, inputs, io, failed)}`;
  return {
    outputs: {
      ...countsOf(report),
      ...outputs,
      issues: (res.applied?.issues ?? []).join(','),
      'pull-requests': (res.applied?.pulls ?? []).join(','),
      'exit-code': String(res.exitCode),
    },
    summary: summary ? `${summary}\n${syncSummary}` : syncSummary,
    failure: !failed
      ? null
      : `sync ${res.exitCode === EXIT.config ? 'configuration error' : 'failed part way'}: ${res.error ?? ''}`,
  };
};

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
      const loaded = await load({
        ...scanOptions(inputs, io),
        inventoryDirs: dirs,
        policyDirs: inputs.policies,
      });
      use(loaded.inventory, dir);
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

const plan: ModeFn = async (inputs, io) => {
  const checked = await validate(inputs, io);
  const { body, outputs } = checked.failure
    ? {
        body: planCommentBody(
          { added: [], removed: [], changed: [] },
          { baseRef: inputs.baseRef, problems: Number(checked.outputs['problems']) },
        ),
        outputs: checked.outputs,
      }
    : await planOfChanges(inputs, io);
  const commentId = await postPlan(inputs, io, body);
  if (commentId !== null) outputs['comment-id'] = String(commentId);
  return { outputs, summary: body, failure: checked.failure };
};

/** Targets added, removed and changed versus the base ref, with a live scan of the new and changed ones. */
async function planOfChanges(
  inputs: Inputs,
  io: ActionIO,
): Promise<{ body: string; outputs: Record<string, string> }> {
  const head = (await load(scanOptions(inputs, io))).inventory;
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
      scanReport = (await runScan(scanOptions(inputs, io, { targets: ids, zone: undefined }))).report;
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
  const env = readGitHubEnv(io.env);
  const prNumber = await pullRequestNumber(io.env);
  if (!prNumber || !env.repo || !inputs.token || inputs.dryRun) return null;
  try {
    const loopback = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/.test(env.apiUrl ?? '');
    const gh = createGitHub({
      token: inputs.token,
      baseUrl: env.apiUrl,
      logger: io.logger,
      spacing: loopback ? 'none' : 'github',
    });
    const bot = await resolveBotLogin(gh, inputs.botLogin);
    return (await upsertPlanComment(gh, env.repo, prNumber, bot, body)).id;
  } catch (e) {
    // Pull requests from forks get a read-only token: the plan still goes to the job summary.
    io.logger.warn(
      `could not write the plan comment (${escapeLog(e instanceof Error ? e.message : String(e))}); the plan is in the job summary`,
    );
    return null;
  }
}

async function pullRequestNumber(env: NodeJS.ProcessEnv): Promise<number | null> {
  const file = env['GITHUB_EVENT_PATH'];
  if (!file) return null;
  try {
    const event = JSON.parse(await readFile(file, 'utf8')) as {
      pull_request?: { number?: number };
      number?: number;
    };
    const n = event.pull_request?.number ?? null;
    return typeof n === 'number' ? n : null;
  } catch {
    return null;
  }
}

/** What `certwarden renew` printed for one request (a describeRenew line), by result. */
const RENEW_LINE = /^(?: {2}- )?.+?: (applied|failed|skipped|would-apply|error)(?: — | \(issue #\d+\)|$)/;

/** Counts renew's per-request lines by result. */
function countRenewResults(lines: string[]): Record<string, number> {
  const counts: Record<string, number> = { applied: 0, failed: 0, skipped: 0, 'would-apply': 0, error: 0 };
  for (const l of lines) {
    const m = RENEW_LINE.exec(l);
    if (m) counts[m[1] as string] = (counts[m[1] as string] ?? 0) + 1;
  }
  return counts;
}

/**
 * `certwarden renew` as a step: the CLI command itself (runRenewCommand), so the action applies,
 * records and fails exactly as the command does (exit 1: a request failed, 2: configuration, 3:
 * GitHub or the cluster failed part way). The token input is its GITHUB_TOKEN.
 */
const renew: ModeFn = async (inputs, io) => {
  const env: NodeJS.ProcessEnv = { ...io.env };
  if (inputs.token) env['GITHUB_TOKEN'] = inputs.token;
  // Best effort: mask the kubeconfigs the inventory names before anything can print them.
  await load(scanOptions(inputs, io)).then(
    (l) => maskSecrets(l.inventory, io),
    () => undefined,
  );
  let stdout = '';
  const cli: CliIO = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => {
      for (const line of t.split('\n').filter(Boolean)) {
        if (line.startsWith('error: ')) io.logger.error(line.slice(7));
        else if (line.startsWith('warning: ')) io.logger.warn(line.slice(9));
        else io.logger.info(line);
      }
    },
    stdoutIsTTY: false,
    stderrIsTTY: false,
    env,
    cwd: inputs.workspace,
  };
  const { runRenewCommand } = await import('../commands/renew.js');
  let exitCode: number;
  try {
    exitCode = await runRenewCommand(
      {
        inventory: inputs.inventory,
        policies: inputs.policies,
        renewals: inputs.renewals,
        'dry-run': inputs.dryRun,
      },
      cli,
    );
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    for (const p of e.problems) io.annotate(p);
    return {
      outputs: { applied: '0', failed: '0', 'exit-code': String(EXIT.config) },
      summary: null,
      failure: `renew: ${e.problems.length} configuration problem(s); see the annotations`,
    };
  }
  const lines = stdout.split('\n').filter((l) => l.trim() && !/^renew \(dry run\):$/.test(l));
  for (const l of lines) io.logger.info(l);
  const counts = countRenewResults(lines);
  const items = lines.map((l) => `- ${escapeMarkdown(l.replace(/^ {2}- /, ''))}`).join('\n');
  const failure =
    exitCode === EXIT.clean
      ? null
      : exitCode === EXIT.findings
        ? `${counts['failed']} renewal request(s) failed (recorded${env['GITHUB_TOKEN'] && env['GITHUB_REPOSITORY'] ? ', and reported in a renewal.failed issue' : ' in the request file'})`
        : 'renew stopped on a GitHub or cluster error; nothing was recorded for that request, and a re-run continues where it stopped';
  return {
    outputs: {
      applied: String(counts['applied']),
      failed: String(counts['failed']),
      ...(inputs.dryRun ? { 'would-apply': String(counts['would-apply']) } : {}),
      'exit-code': String(exitCode),
    },
    summary: `### certwarden renew${inputs.dryRun ? ' (dry run)' : ''}\n\n${items || '- nothing to do'}\n`,
    failure,
  };
};

export const modes: Record<Mode, ModeFn> = { validate, plan, scan, sync, renew };
