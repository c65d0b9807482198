import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  render
} from "./chunk-LWH7DEBG.js";
import {
  escapeLog
} from "./chunk-4CY5QMJ4.js";
import {
  EXIT
} from "./chunk-WW3ZWNRQ.js";

// src/action/report.ts
import path2 from "node:path";

// src/report/annotations.ts
import path from "node:path";
var LEVEL = { error: "error", warning: "warning", info: "notice" };
var RANK = { error: 0, warning: 1, info: 2 };
function oneLine(s) {
  return String(s).replace(/\r\n|[\r\n\u2028\u2029]/g, " ").replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, "");
}
function toAnnotations(report, opts = {}) {
  const root = opts.root ?? process.cwd();
  const inv = new Map(report.targets.map((t) => [t.id, t.inventory]));
  const open = report.findings.filter((f) => !f.waived).sort((a, b) => RANK[a.severity] - RANK[b.severity]);
  return open.slice(0, opts.limit ?? 50).map((f) => {
    const loc = f.location ?? (inv.has(f.target) ? { ...inv.get(f.target), column: 1 } : null);
    const a = {
      level: LEVEL[f.severity],
      title: oneLine(
        `certwarden ${f.rule && f.rule !== f.check ? `${f.check}/${f.rule}` : f.check}: ${f.target}`
      ).slice(0, 200),
      message: oneLine(f.message)
    };
    if (loc?.file) {
      const rel = path.isAbsolute(loc.file) ? path.relative(root, loc.file) : loc.file;
      a.file = (rel && !rel.startsWith("..") ? rel : loc.file).split(path.sep).join("/");
      a.startLine = Math.max(1, loc.line);
      if (loc.column) a.startColumn = loc.column;
    }
    return a;
  });
}

// src/action/report.ts
function scanOptions(inputs, io, over = {}) {
  return {
    inventoryDirs: inputs.inventory,
    policyDirs: inputs.policies,
    now: inputs.now ?? void 0,
    failOn: inputs.failOn,
    concurrency: inputs.concurrency,
    timeoutMs: inputs.timeoutMs,
    offline: inputs.offline,
    zone: inputs.zone ?? void 0,
    logger: io.logger,
    env: io.env,
    ...over
  };
}
function maskSecrets(inv, io) {
  const names = /* @__PURE__ */ new Set();
  for (const c of inv.clusters.values()) if (c.kubeconfig.env) names.add(c.kubeconfig.env);
  for (const t of inv.targets) {
    const s = t.source;
    if (s.file?.passwordEnv) names.add(s.file.passwordEnv);
    if (s.kubernetes?.passwordEnv) names.add(s.kubernetes.passwordEnv);
  }
  for (const n of names) {
    const v = io.env[n];
    if (v) {
      for (const line of [v, ...v.split("\n")]) if (line.trim().length >= 4) io.secret(line.trim());
    }
  }
}
function countsOf(report) {
  return {
    errors: String(report.summary.findings.error),
    warnings: String(report.summary.findings.warning),
    infos: String(report.summary.findings.info),
    waived: String(report.summary.waived),
    targets: String(report.summary.targets),
    certificates: String(report.summary.certificates)
  };
}
function reportFiles(inputs) {
  return [
    ...inputs.json ? [{ format: "json", file: inputs.json, mkdir: true }] : [],
    ...inputs.sarif ? [{ format: "sarif", file: inputs.sarif, mkdir: true }] : []
  ];
}
function pathOutputs(written) {
  const out = {};
  for (const r of written) if (r.file) out[`${r.format}-path`] = r.file;
  return out;
}
async function summaryOf(report, runUrl, io) {
  try {
    return await render("markdown", report, { runUrl });
  } catch (e) {
    io.logger.debug(`markdown reporter unavailable (${escapeLog(String(e))}); using text`);
    const text = await render("text", report, { color: false });
    return `### certwarden

<pre>
${text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")}</pre>
`;
  }
}
var ANNOTATIONS_PER_LEVEL = 10;
function annotateFindings(report, inputs, io, failing) {
  const room = {
    error: ANNOTATIONS_PER_LEVEL - (failing ? 1 : 0),
    warning: ANNOTATIONS_PER_LEVEL,
    notice: ANNOTATIONS_PER_LEVEL
  };
  let left = 0;
  for (const a of toAnnotations(report, { root: inputs.workspace, limit: Infinity })) {
    if (room[a.level] <= 0) {
      left++;
      continue;
    }
    room[a.level]--;
    const inWorkspace = a.file && !path2.isAbsolute(a.file) && !a.file.startsWith("../");
    io.annotateFinding(inWorkspace ? a : { level: a.level, title: a.title, message: a.message });
  }
  return left ? `
> [!NOTE]
> ${left} finding(s) not annotated: GitHub shows at most ${ANNOTATIONS_PER_LEVEL} annotations of each level per step, so the most severe were annotated first. Every finding is listed in this summary and in the JSON and SARIF reports.
` : "";
}
async function reportResult(report, exitCode, written, inputs, io) {
  const failure = exitCode === EXIT.findings ? `findings at or above fail-on '${inputs.failOn}': ${report.summary.findings.error} error(s), ${report.summary.findings.warning} warning(s)` : null;
  const note = annotateFindings(report, inputs, io, failure !== null);
  return {
    outputs: { ...countsOf(report), ...pathOutputs(written), "exit-code": String(exitCode) },
    summary: await summaryOf(report, io.event.runUrl ?? void 0, io) + note,
    failure
  };
}

export {
  scanOptions,
  maskSecrets,
  countsOf,
  reportFiles,
  pathOutputs,
  summaryOf,
  annotateFindings,
  reportResult
};
