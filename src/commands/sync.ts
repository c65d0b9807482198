// `sync`: a report (a JSON file, or scanned now) -> GitHub issues, the dashboard issue and pull
// requests planned and applied (or only planned with dryRun).
import { ConfigError } from '../core/errors.js';
import { readJsonFileSync } from '../core/json-file.js';
import type { Report, Severity } from '../core/model.js';
import { escapeLog } from '../core/escape.js';
import type { Logger } from '../core/logger.js';
import type { LoadedInventory } from '../inventory/types.js';
import type { PolicySet } from '../policy/types.js';
import { load, runScan, type ScanOptions } from '../pipeline.js';
import type { RepoRef } from '../github/types.js';
import { runSync, type SyncResult } from '../github/sync.js';
import { emitReports, type RenderedReport, type ReportOutput } from './report-output.js';

const SEVERITIES: Severity[] = ['error', 'warning', 'info'];

export interface SyncCommandOptions {
  /** A JSON report file (absolute) to sync from; none: scan first. */
  reportFile?: string;
  /** How to load the inventory (with a report file, only when inventoryDirs is not empty) or to scan. */
  scan: Omit<ScanOptions, 'format' | 'output'>;
  /** Where the scanned report goes (none with a report file). */
  reports?: ReportOutput[];
  /** Called once the inventory is loaded, before GitHub is contacted (the action masks secrets). */
  onInventory?: (inventory: LoadedInventory) => void;
  repo: RepoRef | null;
  token?: string;
  apiUrl?: string;
  runUrl?: string;
  botLogin?: string;
  minSeverity: Severity;
  dryRun: boolean;
  /** Evaluation time for the plan (default: the report's evaluatedAt). */
  now?: Date;
  /** Root of the checkout (files pull requests edit are read from here). */
  repoRoot: string;
  /** GitHub progress and errors (the scan logs through scan.logger). */
  logger?: Logger;
}

export interface SyncCommandResult extends SyncResult {
  report: Report;
  /** True when the report was scanned by this run (not read from a file). */
  scanned: boolean;
  /** The scanned report's outputs (none with a report file). */
  outputs: RenderedReport[];
}

/** Reads a JSON report file; a ConfigError naming the file and what was expected otherwise. */
export function readReportFile(file: string): Report {
  const r = readJsonFileSync(file, 'report', 'JSON report') as Partial<Report>;
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

/** Throws ConfigError for a bad report file or inventory; GitHub's refusals are in the result. */
export async function sync(opts: SyncCommandOptions): Promise<SyncCommandResult> {
  let report: Report;
  let inventory: LoadedInventory | undefined;
  let policies: PolicySet | undefined;
  let outputs: RenderedReport[] = [];
  if (opts.reportFile !== undefined) {
    report = readReportFile(opts.reportFile);
    if (opts.scan.inventoryDirs.length) ({ inventory, policies } = await load(opts.scan));
  } else {
    if (!opts.scan.inventoryDirs.length)
      throw new ConfigError(
        `no report and no inventory: pass --report FILE, or --inventory DIR to scan first`,
      );
    const scanned = await runScan(opts.scan);
    report = scanned.report;
    ({ inventory, policies } = scanned.loaded);
    outputs = await emitReports(report, opts.reports ?? []);
  }
  if (inventory) opts.onInventory?.(inventory);
  const res = await runSync({
    report,
    inventory,
    // The policies' `key` rules choose the key of renewal requests.
    policies,
    repo: opts.repo,
    token: opts.token,
    apiUrl: opts.apiUrl,
    runUrl: opts.runUrl,
    botLogin: opts.botLogin,
    minSeverity: opts.minSeverity,
    dryRun: opts.dryRun,
    now: opts.now,
    repoRoot: opts.repoRoot,
    ...(opts.logger ? { logger: opts.logger } : {}),
  });
  return { ...res, report, scanned: opts.reportFile === undefined, outputs };
}
