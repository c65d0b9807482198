// The CLI's `sync` command: options -> report (given, or scanned now) -> runSync -> exit code.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CliIO } from '../cli/main.js';
import { ConfigError, EXIT } from '../core/errors.js';
import type { Report, Severity } from '../core/model.js';
import type { LoadedInventory } from '../inventory/types.js';
import type { PolicySet } from '../policy/types.js';
import { load, runScan } from '../pipeline.js';
import type { Logger } from '../core/logger.js';
import { escapeLog } from '../core/escape.js';
import { parseRepo, readGitHubEnv, runSync } from '../github/sync.js';

const SEVERITIES: Severity[] = ['error', 'warning', 'info'];

/** Reads a JSON report file; a ConfigError naming the file and what was expected otherwise. */
export function readReportFile(file: string): Report {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError(
      `${file}: not a readable JSON report (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  const r = data as Partial<Report>;
  if (r?.schemaVersion !== 1 || !Array.isArray(r.findings) || !Array.isArray(r.targets)) {
    throw new ConfigError(
      `${file}: expected a certwarden JSON report (schemaVersion: 1), as written by 'certwarden scan --format json'`,
    );
  }
  return r as Report;
}

export function parseMinSeverity(v: unknown, what = '--issues-min-severity'): Severity {
  if (v === undefined || v === '') return 'warning';
  if (!SEVERITIES.includes(v as Severity))
    throw new ConfigError(
      `${what} '${escapeLog(String(v))}' is not a severity; expected one of error, warning, info`,
    );
  return v as Severity;
}

/** A Logger writing to the CLI's stderr. */
export function ioLogger(io: CliIO): Logger {
  return {
    debug: () => {},
    info: (m) => io.stderr(`${m}\n`),
    warn: (m) => io.stderr(`warning: ${m}\n`),
    error: (m) => io.stderr(`error: ${m}\n`),
  };
}

export async function runSyncCommand(values: Record<string, unknown>, io: CliIO): Promise<number> {
  const dirs = ((values['inventory'] as string[] | undefined) ?? []).map((d) => path.resolve(io.cwd, d));
  if (!dirs.length && existsSync(path.join(io.cwd, 'inventory'))) dirs.push(path.join(io.cwd, 'inventory'));
  const policyDirs = ((values['policies'] as string[] | undefined) ?? []).map((d) => path.resolve(io.cwd, d));
  if (!policyDirs.length && existsSync(path.join(io.cwd, 'policies')))
    policyDirs.push(path.join(io.cwd, 'policies'));
  const now = values['now'] !== undefined ? new Date(String(values['now'])) : undefined;
  if (now && Number.isNaN(now.getTime()))
    throw new ConfigError(
      `--now '${escapeLog(String(values['now']))}' is not a date; expected ISO-8601, e.g. 2026-12-01T00:00:00Z`,
    );
  const minSeverity = parseMinSeverity(values['issues-min-severity']);
  const env = readGitHubEnv(io.env);
  const repo = values['repo'] !== undefined ? parseRepo(String(values['repo'])) : env.repo;
  const log = ioLogger(io);

  let report: Report;
  let inventory: LoadedInventory | undefined;
  let policies: PolicySet | undefined;
  if (values['report'] !== undefined) {
    report = readReportFile(path.resolve(io.cwd, String(values['report'])));
    if (dirs.length) ({ inventory, policies } = await load({ inventoryDirs: dirs, policyDirs, env: io.env }));
  } else {
    if (!dirs.length)
      throw new ConfigError(
        `no report and no inventory: pass --report FILE, or --inventory DIR to scan first`,
      );
    const scanned = await runScan({ inventoryDirs: dirs, policyDirs, now, env: io.env, logger: log });
    report = scanned.report;
    inventory = scanned.loaded.inventory;
    policies = scanned.loaded.policies;
  }

  const res = await runSync({
    report,
    inventory,
    policies,
    repo,
    token: env.token,
    apiUrl: env.apiUrl,
    runUrl: env.runUrl,
    botLogin: values['bot-login'] as string | undefined,
    minSeverity,
    dryRun: Boolean(values['dry-run']),
    now,
    repoRoot: io.cwd,
    logger: log,
  });
  if (res.exitCode === EXIT.config) throw new ConfigError(res.error ?? 'sync: invalid configuration');
  if (values['dry-run'])
    io.stdout(`GitHub sync plan (dry run):\n${res.lines.map((l) => `  - ${l}`).join('\n')}\n`);
  else io.stdout(`${res.lines.join('\n')}\n`);
  if (res.error) io.stderr(`error: ${res.error}\n`);
  return res.exitCode;
}
