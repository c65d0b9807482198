import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  emitReports
} from "./chunk-3SXLHKRW.js";
import {
  runScan
} from "./chunk-UKAPL6FF.js";

// src/commands/scan.ts
async function scan(opts) {
  const { reports, ...scanOpts } = opts;
  const started = performance.now();
  const { report, exitCode, loaded } = await runScan(scanOpts);
  const scanSeconds = (performance.now() - started) / 1e3;
  return { exitCode, report, loaded, outputs: await emitReports(report, reports, { scanSeconds }) };
}

export {
  scan
};
