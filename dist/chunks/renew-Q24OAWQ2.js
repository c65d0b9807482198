import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  gitHubAccess
} from "./chunk-5FL5QDQ5.js";
import {
  maskSecrets,
  scanOptions
} from "./chunk-5NXTENQN.js";
import {
  describeRenew,
  renew
} from "./chunk-BU3HGSZK.js";
import "./chunk-RFCKPBGI.js";
import "./chunk-5NWBSDSS.js";
import "./chunk-GM4MYX53.js";
import {
  validate
} from "./chunk-5ZSSXF47.js";
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
  ConfigError,
  EXIT
} from "./chunk-WW3ZWNRQ.js";
import "./chunk-DDCI7ZLU.js";

// src/action/renew.ts
import { existsSync } from "node:fs";
import path from "node:path";
function failureOf(res) {
  if (res.exitCode === EXIT.clean) return null;
  if (res.exitCode === EXIT.findings)
    return `${res.counts.failed} renewal request(s) failed (recorded${res.github ? ", and reported in a renewal.failed issue" : " in the request file"})`;
  return "renew stopped on a GitHub or cluster error; nothing was recorded for that request, and a re-run continues where it stopped";
}
function renewModeResult(inputs, res) {
  const items = describeRenew(res.items).map((l) => `- ${escapeMarkdown(l)}`).join("\n");
  return {
    outputs: {
      applied: String(res.counts.applied),
      failed: String(res.counts.failed),
      ...inputs.dryRun ? { "would-apply": String(res.counts["would-apply"]) } : {},
      "exit-code": String(res.exitCode)
    },
    summary: `### certwarden renew${inputs.dryRun ? " (dry run)" : ""}

${res.error === null ? items : "- nothing to do"}
`,
    failure: failureOf(res)
  };
}
function renewPolicyDirs(inputs) {
  if (inputs.policies.length) return inputs.policies;
  const dir = path.join(inputs.workspace, "policies");
  return existsSync(dir) ? [dir] : [];
}
var renewMode = async (inputs, io) => {
  await validate(scanOptions(inputs, io)).then(
    (v) => maskSecrets(v.loaded.inventory, io),
    () => void 0
  );
  let res;
  try {
    const gh = gitHubAccess(io);
    res = await renew({
      renewalsDir: inputs.renewals,
      repoRoot: inputs.workspace,
      inventoryDirs: inputs.inventory,
      policyDirs: renewPolicyDirs(inputs),
      dryRun: inputs.dryRun,
      // The token input, else GITHUB_TOKEN (as `certwarden renew` reads it).
      token: inputs.token ?? gh.token,
      repo: gh.repo,
      apiUrl: gh.apiUrl,
      env: io.env,
      logger: io.logger
    });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    for (const p of e.problems) io.annotate(p);
    return {
      outputs: { applied: "0", failed: "0", "exit-code": String(EXIT.config) },
      summary: null,
      failure: `renew: ${e.problems.length} configuration problem(s); see the annotations`
    };
  }
  if (res.error !== null) io.logger.error(res.error);
  for (const l of res.error === null ? describeRenew(res.items) : [])
    io.logger.info(inputs.dryRun ? `  - ${l}` : l);
  return renewModeResult(inputs, res);
};
export {
  renewMode,
  renewModeResult
};
