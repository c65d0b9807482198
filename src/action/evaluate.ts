// Mode evaluate: the second half of scan. Judges the observations files the collect jobs wrote
// (input `observations`: files, or folders of *.json) into one report: the same outputs, JSON/SARIF
// files, job summary and annotations as scan.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { evaluate } from '../commands/evaluate.js';
import { reportFiles, reportResult } from './report.js';
import type { ModeFn } from './types.js';

/** The files named, a folder standing for the *.json files in it (sorted). */
function observationFiles(names: string[]): string[] {
  return names.flatMap((n) => {
    let dir = false;
    try {
      dir = statSync(n).isDirectory();
    } catch {
      return [n]; // evaluate says the file is missing
    }
    if (!dir) return [n];
    return readdirSync(n)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => path.join(n, f));
  });
}

export const evaluateMode: ModeFn = async (inputs, io) => {
  const { report, exitCode, outputs } = await evaluate({
    inventoryDirs: inputs.inventory,
    policyDirs: inputs.policies,
    observationFiles: observationFiles(inputs.observations),
    now: inputs.now ?? undefined,
    failOn: inputs.failOn,
    env: io.env,
    logger: io.logger,
    reports: reportFiles(inputs),
  });
  return reportResult(report, exitCode, outputs, inputs, io);
};
