import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  describeRenew,
  renew
} from "./chunk-BU3HGSZK.js";
import {
  gitHubAccess
} from "./chunk-RFCKPBGI.js";
import "./chunk-5NWBSDSS.js";
import "./chunk-GM4MYX53.js";
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
import "./chunk-4CY5QMJ4.js";
import "./chunk-O6SZIQSQ.js";
import "./chunk-LOAWET6W.js";
import "./chunk-FVSSEFCQ.js";
import "./chunk-I32IJZLF.js";
import "./chunk-HSQZZC7B.js";
import "./chunk-UHECHRFN.js";
import "./chunk-WW3ZWNRQ.js";
import "./chunk-DDCI7ZLU.js";

// src/cli/renew.ts
import path from "node:path";
async function run({ values, io }) {
  const gh = gitHubAccess(io.env);
  const dryRun = Boolean(values["dry-run"]);
  const res = await renew({
    renewalsDir: path.resolve(io.cwd, String(values["renewals"] ?? "renewals")),
    repoRoot: io.cwd,
    inventoryDirs: dirsOf(values["inventory"], "inventory", io.cwd),
    policyDirs: dirsOf(values["policies"], "policies", io.cwd),
    dryRun,
    ...gh.token ? { token: gh.token } : {},
    repo: gh.repo,
    ...gh.apiUrl ? { apiUrl: gh.apiUrl } : {},
    env: io.env,
    logger: ioLogger(io)
  });
  if (res.error !== null) {
    io.stderr(`error: ${res.error}
`);
    return res.exitCode;
  }
  const lines = describeRenew(res.items).map((l) => dryRun ? `  - ${l}` : l);
  io.stdout(`${dryRun ? "renew (dry run):\n" : ""}${lines.join("\n")}
`);
  return res.exitCode;
}
export {
  run
};
