// `evaluate`: the second half of scan. Judges observations files written by `collect` (several zones
// at once) against the inventory and policies, into one report.
import { ConfigError } from '../core/errors.js';
import type { Observation, Report } from '../core/model.js';
import { evaluate as evaluateAll, load, type ScanOptions } from '../pipeline.js';
import { exitCodeFor, type FailOn } from '../evaluate/report.js';
import { readObservationsFile } from '../sources/observations-file.js';
import { emitReports, type RenderedReport, type ReportOutput } from './report-output.js';

export interface EvaluateCommandOptions extends Pick<
  ScanOptions,
  'inventoryDirs' | 'policyDirs' | 'env' | 'logger'
> {
  /** Observations files (absolute), as written by collect. */
  observationFiles: string[];
  now?: Date;
  failOn?: FailOn;
  reports: ReportOutput[];
}

export interface EvaluateCommandResult {
  /** 0 clean, 1 findings at or above failOn. */
  exitCode: number;
  report: Report;
  outputs: RenderedReport[];
}

/** Throws the configuration error for an empty list (the CLI checks it before its other options). */
export function requireObservations(files: string[]): void {
  if (!files.length)
    throw new ConfigError('evaluate needs at least one --observations FILE (written by certwarden collect)');
}

export async function evaluate(opts: EvaluateCommandOptions): Promise<EvaluateCommandResult> {
  requireObservations(opts.observationFiles);
  const loaded = await load({
    inventoryDirs: opts.inventoryDirs,
    policyDirs: opts.policyDirs,
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.logger ? { logger: opts.logger } : {}),
  });
  const observations: Observation[] = opts.observationFiles.flatMap(
    (f) => readObservationsFile(f).observations,
  );
  const report = evaluateAll(loaded, observations, opts.now ?? new Date());
  return {
    exitCode: exitCodeFor(report, opts.failOn ?? 'error'),
    report,
    outputs: await emitReports(report, opts.reports),
  };
}
