// Mode scan: the scan command writing the JSON/SARIF files asked for; counts as outputs, the report
// as the job summary, one annotation per finding.
import { scan } from '../commands/scan.js';
import { maskSecrets, reportFiles, reportResult, scanOptions } from './report.js';
import type { ModeFn } from './types.js';

export const scanMode: ModeFn = async (inputs, io) => {
  const { report, exitCode, loaded, outputs } = await scan({
    ...scanOptions(inputs, io),
    reports: reportFiles(inputs),
  });
  maskSecrets(loaded.inventory, io);
  return reportResult(report, exitCode, outputs, inputs, io);
};
