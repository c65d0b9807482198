// Mode scan: the scan command writing the JSON/SARIF files asked for; counts as outputs, the report
// as the job summary, one annotation per finding.
import { EXIT } from '../core/errors.js';
import { scan } from '../commands/scan.js';
import {
  annotateFindings,
  countsOf,
  maskSecrets,
  pathOutputs,
  reportFiles,
  scanOptions,
  summaryOf,
} from './report.js';
import type { ModeFn } from './types.js';

export const scanMode: ModeFn = async (inputs, io) => {
  const { report, exitCode, loaded, outputs } = await scan({
    ...scanOptions(inputs, io),
    reports: reportFiles(inputs),
  });
  maskSecrets(loaded.inventory, io);
  const failure =
    exitCode === EXIT.findings
      ? `findings at or above fail-on '${inputs.failOn}': ${report.summary.findings.error} error(s), ${report.summary.findings.warning} warning(s)`
      : null;
  const note = annotateFindings(report, inputs, io, failure !== null);
  return {
    outputs: { ...countsOf(report), ...pathOutputs(outputs), 'exit-code': String(exitCode) },
    summary: (await summaryOf(report, io.event.runUrl ?? undefined, io)) + note,
    failure,
  };
};
