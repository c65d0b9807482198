// Every action input, read and validated in one place into one typed object. Errors name the input,
// the bad value and the expected form.
import path from 'node:path';
import type { Severity } from '../core/model.js';
import type { FailOn } from '../pipeline.js';

export const MODES = ['validate', 'plan', 'scan', 'sync', 'renew', 'collect', 'evaluate'] as const;
export type Mode = (typeof MODES)[number];

/** The modes that call GitHub with the token; the others never read it (least privilege). */
const TOKEN_MODES: readonly Mode[] = ['plan', 'sync', 'renew'];

/** The action's inputs, validated. Paths are absolute (resolved against the workspace). */
export interface Inputs {
  mode: Mode;
  inventory: string[];
  policies: string[];
  zone: string | null;
  failOn: FailOn;
  /** The token input, for the modes that use it (plan, sync, renew); null for the others. */
  token: string | null;
  /** Where to write SARIF / the JSON report (scan and sync modes); null: not written. */
  sarif: string | null;
  json: string | null;
  /** A JSON report to sync from (sync mode); null: scan first. */
  report: string | null;
  /** collect: the file to write (first entry); evaluate: observations files or folders of them. */
  observations: string[];
  /** The folder of renewal request files (renew mode). */
  renewals: string;
  dryRun: boolean;
  issuesMinSeverity: Severity;
  botLogin: string | null;
  /** Git ref the plan mode compares against (default: origin/$GITHUB_BASE_REF). */
  baseRef: string | null;
  /** Plan mode: scan the added and changed targets live. */
  scanChanged: boolean;
  concurrency: number;
  timeoutMs: number;
  /** Fetch nothing (OCSP, CRLs, issuers): air-gapped zones. */
  offline: boolean;
  now: Date | null;
  workspace: string;
}

export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

function list(v: string): string[] {
  return v
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function oneOf<T extends string>(name: string, v: string, allowed: readonly T[], def: T): T {
  if (v === '') return def;
  if (!allowed.includes(v as T))
    throw new InputError(`Invalid ${name} '${v}'. Expected one of: ${allowed.join(', ')}.`);
  return v as T;
}

function bool(name: string, v: string, def: boolean): boolean {
  if (v === '') return def;
  if (/^(true|yes|1|on)$/i.test(v)) return true;
  if (/^(false|no|0|off)$/i.test(v)) return false;
  throw new InputError(`Invalid ${name} '${v}'. Expected true or false.`);
}

function int(name: string, v: string, def: number, min: number, max: number): number {
  if (v === '') return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new InputError(`Invalid ${name} '${v}'. Expected a whole number from ${min} to ${max}.`);
  return n;
}

/**
 * Reads the inputs through `get` (core.getInput in the action, a map in tests). `env` gives
 * GITHUB_WORKSPACE; the plan's default base is the pull request's base branch from the event, else
 * GITHUB_BASE_REF.
 */
export function readInputs(
  get: (name: string) => string,
  env: NodeJS.ProcessEnv = process.env,
  event: { baseBranch: string | null } = { baseBranch: null },
): Inputs {
  const input = (n: string) => (get(n) ?? '').trim();
  const workspace = env['GITHUB_WORKSPACE'] || process.cwd();
  const abs = (p: string) => path.resolve(workspace, p);
  const mode = oneOf('mode', input('mode'), MODES, 'scan');
  // Read for every mode (it has a default), kept only by the modes that call GitHub.
  const token = input('token');
  const inventory = list(input('inventory'));
  const policies = list(input('policies')).map(abs);
  const zone = input('zone') || null;
  if (zone !== null && !/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(zone))
    throw new InputError(`Invalid zone '${zone}'. Expected a zone name (letters, digits, '.', '_', '-').`);
  const nowText = input('now');
  const now = nowText ? new Date(nowText) : null;
  if (now && Number.isNaN(now.getTime()))
    throw new InputError(`Invalid now '${nowText}'. Expected an ISO-8601 time such as 2026-12-01T00:00:00Z.`);
  const file = (n: string) => (input(n) ? abs(input(n)) : null);
  const baseBranch = event.baseBranch || env['GITHUB_BASE_REF'];
  const baseRef = input('base-ref') || (baseBranch ? `origin/${baseBranch}` : null);
  if (baseRef !== null && !/^[A-Za-z0-9][A-Za-z0-9._/@{}^~-]*$/.test(baseRef))
    throw new InputError(`Invalid base-ref '${baseRef}'. Expected a git ref such as origin/main.`);
  const inputs: Inputs = {
    mode,
    inventory: (inventory.length ? inventory : ['inventory']).map(abs),
    policies,
    zone,
    failOn: oneOf('fail-on', input('fail-on'), ['error', 'warning', 'info', 'never'] as const, 'error'),
    token: TOKEN_MODES.includes(mode) ? token || null : null,
    sarif: file('sarif'),
    json: file('json'),
    report: file('report'),
    observations: list(input('observations')).map(abs),
    renewals: abs(input('renewals') || 'renewals'),
    dryRun: bool('dry-run', input('dry-run'), false),
    issuesMinSeverity: oneOf(
      'issues-min-severity',
      input('issues-min-severity'),
      ['error', 'warning', 'info'] as const,
      'warning',
    ),
    botLogin: input('bot-login') || null,
    baseRef,
    scanChanged: bool('scan-changed', input('scan-changed'), true),
    concurrency: int('concurrency', input('concurrency'), 50, 1, 1000),
    timeoutMs: int('timeout-ms', input('timeout-ms'), 10_000, 100, 600_000),
    offline: bool('offline', input('offline'), false),
    now,
    workspace,
  };
  if (inputs.mode === 'sync' && !inputs.token && !inputs.dryRun)
    throw new InputError(
      `Input token is empty. sync needs a token with issues and pull-requests write permission (the default is \${{ github.token }}), or dry-run: true.`,
    );
  if (inputs.report && inputs.mode !== 'sync')
    throw new InputError(
      `Input report '${input('report')}' is only used by mode sync (mode is ${inputs.mode}).`,
    );
  if (inputs.observations.length && inputs.mode !== 'collect' && inputs.mode !== 'evaluate')
    throw new InputError(
      `Input observations is only used by modes collect and evaluate (mode is ${inputs.mode}).`,
    );
  if (inputs.mode === 'evaluate' && !inputs.observations.length)
    throw new InputError(
      'Input observations is empty. evaluate needs the observations files (or folders of them) that collect wrote.',
    );
  return inputs;
}
