// `certwarden scan`, `collect` and `evaluate`: options -> the command -> the report on stdout or in a file.
import path from 'node:path';
import { scan } from '../commands/scan.js';
import { collect, describeCollect } from '../commands/collect.js';
import { evaluate, requireObservations } from '../commands/evaluate.js';
import type { RenderedReport, ReportOutput } from '../commands/report-output.js';
import { progressFor, type CliIO } from './io.js';
import { scanOptions, strings, type CommandContext, type ParsedScanOptions } from './options.js';

/** The one report the CLI writes: --format to --output, or to stdout (coloured on a terminal). */
function reportOutput(opts: Pick<ParsedScanOptions, 'format' | 'output'>, io: CliIO): ReportOutput[] {
  return [{ format: opts.format, file: opts.output, color: !opts.output && io.stdoutIsTTY }];
}

function print(io: CliIO, outputs: RenderedReport[]): void {
  for (const o of outputs) if (!o.file) io.stdout(o.text);
}

export async function runScan({ values, io }: CommandContext): Promise<number> {
  const { format, output, ...opts } = scanOptions(values, io);
  const res = await scan({
    ...opts,
    onProgress: await progressFor(io, Boolean(values.quiet)),
    reports: reportOutput({ format, output }, io),
  });
  print(io, res.outputs);
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
    onProgress: await progressFor(io, Boolean(values.quiet)),
  });
  if (!res.written) io.stdout(res.text);
  io.stderr(`${describeCollect(res)}\n`);
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
    reports: reportOutput(opts, io),
  });
  print(io, res.outputs);
  return res.exitCode;
}
