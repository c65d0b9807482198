// `certwarden scan`, `collect` and `evaluate`: options -> the command -> the report on stdout or in a file.
import path from 'node:path';
import { scan } from '../commands/scan.js';
import { collect, describeCollect } from '../commands/collect.js';
import { evaluate, requireObservations } from '../commands/evaluate.js';
import type { RenderedReport, ReportOutput } from '../commands/report-output.js';
import type { Report } from '../core/model.js';
import { describeWritten, progressFor, type CliIO } from './io.js';
import { colorFor, scanOptions, strings, type CommandContext, type ParsedScanOptions } from './options.js';

/** The one report the CLI writes: --format to --output, or to stdout (coloured as --color says). */
function reportOutput(
  opts: Pick<ParsedScanOptions, 'format' | 'output'>,
  values: Record<string, unknown>,
  io: CliIO,
): ReportOutput[] {
  const color = colorFor(values.color, io);
  return [{ format: opts.format, file: opts.output, color: !opts.output && color }];
}

/** The report on stdout, or one line on stderr saying what was written where. */
function print(io: CliIO, outputs: RenderedReport[], report: Report): void {
  for (const o of outputs) {
    if (o.text !== null) io.stdout(o.text);
    if (o.file) io.stderr(`${describeWritten(`${o.format} report`, o.file, io.cwd, reportCounts(report))}\n`);
  }
}

function reportCounts(r: Report): string {
  const f = r.summary.findings;
  return `${r.summary.targets} target(s); ${f.error} error(s), ${f.warning} warning(s), ${f.info} info`;
}

export async function runScan({ values, io }: CommandContext): Promise<number> {
  const { format, output, ...opts } = scanOptions(values, io);
  const res = await scan({
    ...opts,
    watch: await progressFor(io, Boolean(values.quiet)),
    reports: reportOutput({ format, output }, values, io),
  });
  print(io, res.outputs, res.report);
  return res.exitCode;
}

export async function runCollect({ values, io }: CommandContext): Promise<number> {
  const opts = scanOptions(values, io);
  const res = await collect({
    inventoryDirs: opts.inventoryDirs,
    policyDirs: opts.policyDirs,
    now: opts.now,
    output: opts.output,
    concurrency: opts.concurrency,
    timeoutMs: opts.timeoutMs,
    zone: opts.zone,
    targets: opts.targets,
    env: opts.env,
    offline: opts.offline,
    watch: await progressFor(io, Boolean(values.quiet)),
  });
  if (!res.written) io.stdout(res.text);
  io.stderr(`${describeCollect(res)}\n`);
  if (res.written) io.stderr(`${describeWritten('observations', res.written, io.cwd)}\n`);
  return res.exitCode;
}

export async function runEvaluate({ values, io }: CommandContext): Promise<number> {
  const files = strings(values.observations);
  requireObservations(files);
  const opts = scanOptions(values, io);
  const res = await evaluate({
    inventoryDirs: opts.inventoryDirs,
    policyDirs: opts.policyDirs,
    env: opts.env,
    observationFiles: files.map((f) => path.resolve(io.cwd, f)),
    now: opts.now,
    failOn: opts.failOn,
    reports: reportOutput(opts, values, io),
  });
  print(io, res.outputs, res.report);
  return res.exitCode;
}
