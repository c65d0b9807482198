import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  gitHubAccess
} from "./chunk-T6HGM4ST.js";
import {
  annotateFindings,
  countsOf,
  maskSecrets,
  pathOutputs,
  reportFiles,
  scanOptions,
  summaryOf
} from "./chunk-NPH4DITX.js";
import {
  sync
} from "./chunk-ABP7GHJ2.js";
import "./chunk-LLVEU5S3.js";
import "./chunk-AZ2BJZV4.js";
import "./chunk-GM4MYX53.js";
import "./chunk-C7FJ5S55.js";
import "./chunk-IO5JP7YQ.js";
import "./chunk-7FE4FWRC.js";
import "./chunk-VDOPN6YR.js";
import "./chunk-55TYRS7U.js";
import "./chunk-4M76J7UZ.js";
import "./chunk-KNCNIMYE.js";
import "./chunk-OS4GY4HV.js";
import "./chunk-HNLBEK77.js";
import "./chunk-3IPAO5OA.js";
import "./chunk-KB4OYESQ.js";
import "./chunk-T6OBV2YL.js";
import "./chunk-QZW4XWZK.js";
import "./chunk-NLX2LEXV.js";
import "./chunk-BR2XLSHT.js";
import "./chunk-6B73ZJPQ.js";
import "./chunk-VBV66OCF.js";
import {
  escapeMarkdown
} from "./chunk-4CY5QMJ4.js";
import "./chunk-FVSSEFCQ.js";
import "./chunk-I32IJZLF.js";
import "./chunk-HSQZZC7B.js";
import "./chunk-UHECHRFN.js";
import {
  EXIT
} from "./chunk-WW3ZWNRQ.js";
import "./chunk-NRN5HDCZ.js";
import "./chunk-O6SZIQSQ.js";
import "./chunk-LOAWET6W.js";
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
