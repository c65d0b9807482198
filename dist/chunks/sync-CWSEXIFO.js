import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  gitHubAccess
} from "./chunk-5FL5QDQ5.js";
import {
  annotateFindings,
  countsOf,
  maskSecrets,
  pathOutputs,
  reportFiles,
  scanOptions,
  summaryOf
} from "./chunk-5NXTENQN.js";
import {
  sync
} from "./chunk-I5DZHZ5V.js";
import "./chunk-RFCKPBGI.js";
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
import "./chunk-NLX2LEXV.js";
import "./chunk-LWH7DEBG.js";
import "./chunk-NRN5HDCZ.js";
import "./chunk-6B73ZJPQ.js";
import "./chunk-VBV66OCF.js";
import {
  escapeMarkdown
} from "./chunk-4CY5QMJ4.js";
import "./chunk-O6SZIQSQ.js";
import "./chunk-LOAWET6W.js";
import "./chunk-FVSSEFCQ.js";
import "./chunk-I32IJZLF.js";
import "./chunk-HSQZZC7B.js";
import "./chunk-UHECHRFN.js";
import {
  EXIT
} from "./chunk-WW3ZWNRQ.js";
import "./chunk-DDCI7ZLU.js";

// src/action/sync.ts
var syncMode = async (inputs, io) => {
  const gh = gitHubAccess(io);
  const res = await sync({
    ...inputs.report ? { reportFile: inputs.report } : {},
    scan: scanOptions(inputs, io),
    reports: reportFiles(inputs),
    onInventory: (inventory) => maskSecrets(inventory, io),
    repo: gh.repo,
    token: inputs.token ?? void 0,
    apiUrl: gh.apiUrl,
    runUrl: gh.runUrl,
    botLogin: inputs.botLogin ?? void 0,
    minSeverity: inputs.issuesMinSeverity,
    dryRun: inputs.dryRun,
    repoRoot: inputs.workspace,
    logger: io.logger
  });
  const report = res.report;
  const lines = res.lines.map((l) => `- ${escapeMarkdown(l)}`).join("\n");
  const syncSummary = `### certwarden sync${inputs.dryRun ? " (dry run)" : ""}

${lines || "- nothing to do"}
`;
  const failed = res.exitCode !== EXIT.clean;
  const summary = res.scanned ? `${await summaryOf(report, gh.runUrl, io)}${annotateFindings(report, inputs, io, failed)}
${syncSummary}` : syncSummary;
  return {
    outputs: {
      ...countsOf(report),
      ...pathOutputs(res.outputs),
      issues: (res.applied?.issues ?? []).join(","),
      "pull-requests": (res.applied?.pulls ?? []).join(","),
      "exit-code": String(res.exitCode)
    },
    summary,
    failure: !failed ? null : `sync ${res.exitCode === EXIT.config ? "configuration error" : "failed part way"}: ${res.error ?? ""}`
  };
};
export {
  syncMode
};
