import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  expiryPhrase,
  safeText
} from "./chunk-NRN5HDCZ.js";
import {
  ConfigError
} from "./chunk-WW3ZWNRQ.js";

// src/report/text.ts
var SGR = {
  red: "\x1B[31m",
  yellow: "\x1B[33m",
  cyan: "\x1B[36m",
  dim: "\x1B[2m",
  bold: "\x1B[1m",
  reset: "\x1B[0m"
};
var SEVERITY_STYLE = { error: "red", warning: "yellow", info: "cyan" };
function table(rows, paint, indent = "") {
  const text = (c) => typeof c === "string" ? c : c.text;
  const widths = [];
  for (const r of rows) r.forEach((c, i) => widths[i] = Math.max(widths[i] ?? 0, [...text(c)].length));
  return rows.map(
    (r) => indent + r.map((c, i) => {
      const t = text(c);
      const padded = i === r.length - 1 ? t : t + " ".repeat(widths[i] - [...t].length);
      return typeof c === "string" ? padded : paint(c.style, padded);
    }).join("  ").trimEnd()
  );
}
function revocationCell(x) {
  const r = x.revocation;
  if (!r) return "";
  if (r.status === "revoked")
    return {
      text: `REVOKED ${(r.revokedAt ?? "").slice(0, 10)}${r.reason ? ` (${safeText(r.reason)})` : ""}`,
      style: "red"
    };
  if (r.status === "unknown") return { text: "revocation unknown", style: "yellow" };
  return { text: `not revoked (${r.source})`, style: "dim" };
}
function checkName(f) {
  return f.rule && f.rule !== f.check ? `${f.check}/${f.rule}` : f.check;
}
function where(f) {
  return f.location ? `${safeText(f.location.file)}:${f.location.line}` : "";
}
function toText(report, opts = {}) {
  const paint = (style, s2) => opts.color && style ? `${SGR[style]}${s2}${SGR.reset}` : s2;
  const now = new Date(report.evaluatedAt);
  const lines = [];
  const s = report.summary;
  const count = (n, word, style) => paint(n > 0 ? style : void 0, `${n} ${word}`);
  lines.push(paint("bold", `certwarden ${report.tool.version} \u2014 evaluated at ${report.evaluatedAt}`));
  lines.push(
    `${s.targets} target(s), ${s.certificates} certificate(s): ${count(s.findings.error, "error(s)", "red")}, ${count(s.findings.warning, "warning(s)", "yellow")}, ${s.findings.info} info, ${s.waived} waived`
  );
  lines.push("");
  const open = report.findings.filter((f) => !f.waived);
  if (open.length === 0) {
    lines.push("No findings.");
  } else {
    const rows = [
      ["SEVERITY", "TARGET", "CHECK", "INVENTORY", "MESSAGE"].map((h) => ({ text: h, style: "dim" })),
      ...open.map((f) => [
        { text: f.severity.toUpperCase(), style: SEVERITY_STYLE[f.severity] },
        safeText(f.target),
        checkName(f),
        where(f),
        safeText(f.message)
      ])
    ];
    lines.push(...table(rows, paint));
  }
  const waived = report.findings.filter((f) => f.waived);
  if (waived.length) {
    lines.push("");
    lines.push(paint("dim", `Waived (${waived.length}):`));
    const rows = waived.map(
      (f) => [
        safeText(f.target),
        checkName(f),
        where(f),
        `waived by ${safeText(f.waived.owner)} until ${f.waived.expires}: ${safeText(f.waived.reason)}`
      ].map((text) => ({ text, style: "dim" }))
    );
    lines.push(...table(rows, paint, "  "));
  }
  const certs = report.targets.flatMap(
    (t) => t.certificates.filter((x) => x.role === "leaf").map((x) => ({ t, x }))
  );
  if (certs.length) {
    certs.sort((a, b) => a.x.daysRemaining - b.x.daysRemaining);
    lines.push("");
    lines.push(paint("dim", "Certificates by days remaining:"));
    const shown = certs.slice(0, 25);
    const withRevocation = shown.some(({ x }) => x.revocation);
    const rows = shown.map(({ t, x }) => [
      {
        text: expiryPhrase(x.notAfter, now),
        style: x.daysRemaining < 0 ? "red" : x.daysRemaining <= 30 ? "yellow" : void 0
      },
      safeText(t.id),
      safeText(x.subject.CN ?? x.subject.dn),
      `(notAfter ${x.notAfter.slice(0, 10)})`,
      ...withRevocation ? [revocationCell(x)] : []
    ]);
    lines.push(...table(rows, paint, "  "));
    if (certs.length > 25) lines.push(paint("dim", `  \u2026 and ${certs.length - 25} more (see --format json)`));
  }
  const unreachable = report.targets.filter((t) => t.status === "unreachable" || t.status === "error");
  if (unreachable.length) {
    lines.push("");
    lines.push(`${unreachable.length} target(s) could not be read; see source.* findings above.`);
  }
  return lines.join("\n") + "\n";
}

// src/report/index.ts
var reporters = {
  text: async (r, o) => toText(r, { color: o.color }),
  json: async (r) => JSON.stringify(r, null, 2) + "\n",
  sarif: async (r) => JSON.stringify((await import("./sarif-ITD6CDPX.js")).toSarif(r, {}), null, 2) + "\n",
  markdown: async (r, o) => (await import("./markdown-3XEYUTJZ.js")).toMarkdown(r, { runUrl: o.runUrl }),
  prometheus: async (r, o) => (await import("./prometheus-3RH7JN6Q.js")).toPrometheus(
    r,
    o.scanSeconds !== void 0 ? { scanSeconds: o.scanSeconds } : {}
  )
};
var formats = Object.keys(reporters);
function render(format, report, opts = {}) {
  const fn = reporters[format];
  if (!fn) throw new ConfigError(`unknown format '${format}' (valid: ${formats.join(", ")})`);
  return fn(report, opts);
}
async function* renderPieces(format, report, opts = {}) {
  if (format === "json") yield* (await import("./json-HRX2QUYO.js")).jsonReportPieces(report);
  else yield await render(format, report, opts);
}

export {
  formats,
  render,
  renderPieces
};
