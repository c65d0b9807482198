import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  escapeMarkdown
} from "./chunk-4CY5QMJ4.js";
import "./chunk-DDCI7ZLU.js";

// src/report/markdown.ts
var DAY = 864e5;
var ICON = { error: "\u{1F534}", warning: "\u{1F7E0}", info: "\u{1F535}" };
var TITLE = { error: "Errors", warning: "Warnings", info: "Info" };
var md = (s) => escapeMarkdown(String(s ?? ""));
function mermaidText(s, max = 60) {
  const t = String(s).normalize("NFKC").replace(/[^A-Za-z0-9 ._/-]+/g, " ").replace(/\s+/g, " ").trim();
  return (t.length > max ? `${t.slice(0, max - 1)}\u2026`.replace(/…$/, "...") : t) || "certificate";
}
function day(iso) {
  return new Date(iso).toISOString().slice(0, 10);
}
function nearest(report, n) {
  const seen = /* @__PURE__ */ new Set();
  const rows = [];
  for (const t of report.targets) {
    for (const c of t.certificates) {
      const key = `${t.id}\0${c.sha256}`;
      if (seen.has(key)) continue;
      seen.add(key);
      rows.push({ target: t.id, cert: c });
    }
  }
  rows.sort(
    (a, b) => Date.parse(a.cert.notAfter) - Date.parse(b.cert.notAfter) || a.target.localeCompare(b.target)
  );
  return rows.slice(0, n);
}
function gantt(report, n) {
  const rows = nearest(report, n);
  if (!rows.length) return [];
  const now = Date.parse(report.evaluatedAt);
  const sections = [
    ["Expired", (d) => d < 0, "crit, "],
    ["7 days or less", (d) => d >= 0 && d <= 7, "crit, "],
    ["30 days or less", (d) => d > 7 && d <= 30, "active, "],
    ["Later", (d) => d > 30, ""]
  ];
  const out = [
    "```mermaid",
    "gantt",
    `  title Nearest expiries as of ${day(report.evaluatedAt)}`,
    "  dateFormat YYYY-MM-DD",
    "  axisFormat %Y-%m-%d",
    "  todayMarker off"
  ];
  let i = 0;
  for (const [name, test, tag] of sections) {
    const inSection = rows.filter((r) => test(Math.floor((Date.parse(r.cert.notAfter) - now) / DAY)));
    if (!inSection.length) continue;
    out.push(`  section ${name}`);
    for (const r of inSection) {
      const label = mermaidText(`${r.target} ${r.cert.subject.CN ?? ""}`);
      out.push(`  ${label} :${tag}c${++i}, ${day(r.cert.notBefore)}, ${day(r.cert.notAfter)}`);
    }
  }
  out.push("```");
  return out;
}
function revocationCell(c) {
  const r = c.revocation;
  if (!r) return "";
  if (r.status === "revoked")
    return `\u{1F534} revoked ${md(day(r.revokedAt ?? r.checkedAt))}${r.reason ? ` (${md(r.reason)})` : ""}`;
  if (r.status === "unknown") return "\u{1F7E0} unknown";
  return `good (${md(r.source ?? "")})`;
}
function findingRows(list, max) {
  const out = ["| target | check | message |", "| --- | --- | --- |"];
  for (const f of list.slice(0, max)) {
    const check = f.rule && f.rule !== f.check ? `${f.check} / ${f.rule}` : f.check;
    out.push(`| ${md(f.target)} | \`${md(check).replace(/`/g, "")}\` | ${md(f.message)} |`);
  }
  if (list.length > max) out.push(`| \u2026 | | ${list.length - max} more (see the JSON report) |`);
  return out;
}
function toMarkdown(report, opts = {}) {
  const max = opts.maxFindings ?? 100;
  const s = report.summary;
  const lines = [];
  lines.push("## certwarden report", "");
  lines.push(
    `Evaluated at ${md(report.evaluatedAt)} by certwarden ${md(report.tool.version).replace(/\\\./g, ".")}: ${s.targets} target(s), ${s.certificates} certificate(s).`,
    ""
  );
  lines.push("| | findings |", "| --- | ---: |");
  for (const sev of ["error", "warning", "info"])
    lines.push(`| ${ICON[sev]} ${TITLE[sev].toLowerCase()} | ${s.findings[sev]} |`);
  lines.push(`| waived | ${s.waived} |`, "");
  const statuses = /* @__PURE__ */ new Map();
  for (const t of report.targets) statuses.set(t.status, (statuses.get(t.status) ?? 0) + 1);
  if (statuses.size) lines.push(`Targets: ${[...statuses].map(([k, v]) => `${v} ${k}`).join(", ")}.`, "");
  const chart = gantt(report, opts.chartCount ?? 15);
  if (chart.length) lines.push("### Nearest expiries", "", ...chart, "");
  const open = report.findings.filter((f) => !f.waived);
  if (!open.length) lines.push("### Findings", "", "No open findings.", "");
  for (const sev of ["error", "warning", "info"]) {
    const list = open.filter((f) => f.severity === sev);
    if (!list.length) continue;
    lines.push(`### ${ICON[sev]} ${TITLE[sev]} (${list.length})`, "", ...findingRows(list, max), "");
  }
  const waived = report.findings.filter((f) => f.waived);
  if (waived.length) {
    lines.push(`<details><summary>Waived findings (${waived.length})</summary>`, "");
    lines.push(
      "| target | check | message | reason | owner | until |",
      "| --- | --- | --- | --- | --- | --- |"
    );
    for (const f of waived.slice(0, max)) {
      const w = f.waived;
      lines.push(
        `| ${md(f.target)} | ${md(f.rule ?? f.check)} | ${md(f.message)} | ${md(w.reason)} | ${md(w.owner)} | ${md(w.expires)} |`
      );
    }
    if (waived.length > max) lines.push(`| \u2026 | | ${waived.length - max} more | | | |`);
    lines.push("", "</details>", "");
  }
  if (report.targets.length) {
    lines.push(`<details><summary>Certificates by target (${report.targets.length} targets)</summary>`, "");
    const rev = report.targets.some((t) => t.certificates.some((c) => c.revocation));
    lines.push(
      `| target | status | certificate | issuer | days left | not after |${rev ? " revocation |" : ""}`,
      `| --- | --- | --- | --- | ---: | --- |${rev ? " --- |" : ""}`
    );
    const rows = report.targets.flatMap(
      (t) => t.certificates.length ? t.certificates.map((c) => ({ t, c })) : [{ t, c: null }]
    );
    const tail = rev ? " |" : "";
    for (const { t, c } of rows.slice(0, max * 5)) {
      if (!c) lines.push(`| ${md(t.id)} | ${md(t.status)} | | | | |${tail}`);
      else
        lines.push(
          `| ${md(t.id)} | ${md(t.status)} | ${md(c.subject.CN ?? c.subject.dn)} | ${md(c.issuer.CN ?? c.issuer.dn)} | ${c.daysRemaining} | ${md(day(c.notAfter))} |${rev ? ` ${revocationCell(c)} |` : ""}`
        );
    }
    if (rows.length > max * 5) lines.push(`| \u2026 | | ${rows.length - max * 5} more | | | |${tail}`);
    lines.push("", "</details>", "");
  }
  if (opts.runUrl && /^https?:\/\/[^\s()<>]+$/.test(opts.runUrl))
    lines.push(`Details: [workflow run](${opts.runUrl})`, "");
  return lines.join("\n");
}
export {
  mermaidText,
  toMarkdown
};
