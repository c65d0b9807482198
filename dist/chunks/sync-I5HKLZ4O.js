import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  parseMinSeverity,
  sync
} from "./chunk-I5DZHZ5V.js";
import {
  gitHubAccess
} from "./chunk-RFCKPBGI.js";
import "./chunk-5NWBSDSS.js";
import "./chunk-GM4MYX53.js";
import "./chunk-NE3CVNGC.js";
import "./chunk-3SXLHKRW.js";
import "./chunk-UKAPL6FF.js";
import "./chunk-DIO6O7OV.js";
import "./chunk-AGNHQRE6.js";
import "./chunk-6PZWKSTY.js";
import "./chunk-KB4OYESQ.js";
import "./chunk-CQLXS4C2.js";
import "./chunk-T6OBV2YL.js";
import "./chunk-KNCNIMYE.js";
import "./chunk-OS4GY4HV.js";
import "./chunk-QZW4XWZK.js";
import "./chunk-HNLBEK77.js";
import {
  ioLogger
} from "./chunk-R2NCMLC3.js";
import "./chunk-NLX2LEXV.js";
import {
  dirsOf
} from "./chunk-COV2FAQ7.js";
import "./chunk-LWH7DEBG.js";
import "./chunk-NRN5HDCZ.js";
import "./chunk-6B73ZJPQ.js";
import "./chunk-VBV66OCF.js";
import {
  escapeLog
} from "./chunk-4CY5QMJ4.js";
import "./chunk-O6SZIQSQ.js";
import "./chunk-LOAWET6W.js";
import "./chunk-FVSSEFCQ.js";
import "./chunk-I32IJZLF.js";
import "./chunk-HSQZZC7B.js";
import "./chunk-UHECHRFN.js";
import {
  ConfigError,
  EXIT
} from "./chunk-WW3ZWNRQ.js";
import "./chunk-DDCI7ZLU.js";

// src/cli/sync.ts
import path from "node:path";
async function runSyncCommand(values, io) {
  const inventoryDirs = dirsOf(values["inventory"], "inventory", io.cwd);
  const policyDirs = dirsOf(values["policies"], "policies", io.cwd);
  const now = values["now"] !== void 0 ? new Date(String(values["now"])) : void 0;
  if (now && Number.isNaN(now.getTime()))
    throw new ConfigError(
      `--now '${escapeLog(String(values["now"]))}' is not a date; expected ISO-8601, e.g. 2026-12-01T00:00:00Z`
    );
  const minSeverity = parseMinSeverity(values["issues-min-severity"]);
  const gh = gitHubAccess(
    io.env,
    values["repo"] !== void 0 ? { text: String(values["repo"]), what: "--repo" } : void 0
  );
  const log = ioLogger(io);
  const reportFile = values["report"] !== void 0 ? path.resolve(io.cwd, String(values["report"])) : void 0;
  const dryRun = Boolean(values["dry-run"]);
  const res = await sync({
    ...reportFile !== void 0 ? { reportFile } : {},
    // A scan logs its warnings here; loading beside a report file stays quiet (as it always has).
    scan: {
      inventoryDirs,
      policyDirs,
      now,
      env: io.env,
      ...reportFile === void 0 ? { logger: log } : {}
    },
    repo: gh.repo,
    token: gh.token,
    apiUrl: gh.apiUrl,
    runUrl: gh.runUrl,
    botLogin: values["bot-login"],
    minSeverity,
    dryRun,
    now,
    repoRoot: io.cwd,
    logger: log
  });
  if (res.exitCode === EXIT.config) throw new ConfigError(res.error ?? "sync: invalid configuration");
  if (dryRun) io.stdout(`GitHub sync plan (dry run):
${res.lines.map((l) => `  - ${l}`).join("\n")}
`);
  else io.stdout(`${res.lines.join("\n")}
`);
  if (res.error) io.stderr(`error: ${res.error}
`);
  return res.exitCode;
}
export {
  runSyncCommand
};
