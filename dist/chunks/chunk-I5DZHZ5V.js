import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  runSync
} from "./chunk-RFCKPBGI.js";
import {
  readJsonFileSync
} from "./chunk-NE3CVNGC.js";
import {
  emitReports
} from "./chunk-3SXLHKRW.js";
import {
  load,
  runScan
} from "./chunk-UKAPL6FF.js";
import {
  escapeLog
} from "./chunk-4CY5QMJ4.js";
import {
  ConfigError
} from "./chunk-WW3ZWNRQ.js";

// src/commands/sync.ts
var SEVERITIES = ["error", "warning", "info"];
function readReportFile(file) {
  const r = readJsonFileSync(file, "report", "JSON report");
  if (r?.schemaVersion !== 1 || !Array.isArray(r.findings) || !Array.isArray(r.targets)) {
    throw new ConfigError(
      `${file}: expected a certwarden JSON report (schemaVersion: 1), as written by 'certwarden scan --format json'`
    );
  }
  return r;
}
function parseMinSeverity(v, what = "--issues-min-severity") {
  if (v === void 0 || v === "") return "warning";
  if (!SEVERITIES.includes(v))
    throw new ConfigError(
      `${what} '${escapeLog(String(v))}' is not a severity; expected one of error, warning, info`
    );
  return v;
}
async function sync(opts) {
  let report;
  let inventory;
  let policies;
  let outputs = [];
  if (opts.reportFile !== void 0) {
    report = readReportFile(opts.reportFile);
    if (opts.scan.inventoryDirs.length) ({ inventory, policies } = await load(opts.scan));
  } else {
    if (!opts.scan.inventoryDirs.length)
      throw new ConfigError(
        `no report and no inventory: pass --report FILE, or --inventory DIR to scan first`
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
    ...opts.logger ? { logger: opts.logger } : {}
  });
  return { ...res, report, scanned: opts.reportFile === void 0, outputs };
}

export {
  parseMinSeverity,
  sync
};
