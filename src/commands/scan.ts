// `scan`: the whole pipeline (load -> collect -> evaluate), then the report in each format asked for.
import type { Report } from '../core/model.js';
import { runScan, type Loaded, type ScanOptions } from '../pipeline.js';
import { emitReports, type RenderedReport, type ReportOutput } from './report-output.js';

/** How to scan (the pipeline's options) and where the report goes. */
export interface ScanCommandOptions extends Omit<ScanOptions, 'format' | 'output'> {
  reports: ReportOutput[];
}

export interface ScanCommandResult {
  /** 0 clean, 1 findings at or above failOn. */
  exitCode: number;
  report: Report;
  loaded: Loaded;
  /** One per requested output, in order. */
  outputs: RenderedReport[];
}

export async function scan(opts: ScanCommandOptions): Promise<ScanCommandResult> {
  const { reports, ...scanOpts } = opts;
  const started = performance.now();
  const { report, exitCode, loaded } = await runScan(scanOpts);
  const scanSeconds = (performance.now() - started) / 1000;
  return { exitCode, report, loaded, outputs: await emitReports(report, reports, { scanSeconds }) };
}
