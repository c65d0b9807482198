import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  checkHelp
} from "./chunk-VBV66OCF.js";
import "./chunk-DDCI7ZLU.js";

// src/report/sarif.ts
import path from "node:path";
var LEVEL = {
  error: "error",
  warning: "warning",
  info: "note"
};
function ruleIdOf(f) {
  return f.rule && f.rule !== f.check ? `${f.check}/${f.rule}` : f.check;
}
function helpFor(check) {
  return checkHelp(check);
}
function toUri(file, root) {
  const rel = path.isAbsolute(file) ? path.relative(root, file) : file;
  const p = (rel && !rel.startsWith("..") ? rel : file).split(path.sep).join("/");
  return encodeURI(p);
}
function toSarif(report, opts = {}) {
  const root = opts.root ?? process.cwd();
  const inventoryOf = new Map(report.targets.map((t) => [t.id, t.inventory]));
  const rules = [];
  const ruleIndex = /* @__PURE__ */ new Map();
  const results = [];
  for (const f of report.findings) {
    const id = ruleIdOf(f);
    if (!ruleIndex.has(id)) {
      const h = helpFor(f.check);
      const name = id.replace(/[^A-Za-z0-9]+(.)?/g, (_, c) => c ? c.toUpperCase() : "");
      ruleIndex.set(id, rules.length);
      rules.push({
        id,
        // SARIF wants `name` readable and different from the opaque `id` (multitool rule SARIF1001).
        name: ruleName(name, id),
        shortDescription: {
          text: f.rule && f.rule !== f.check ? `${h.summary} (rule ${f.rule})` : h.summary
        },
        fullDescription: { text: h.help },
        help: {
          text: h.help,
          markdown: `**${f.check}**${f.rule ? ` (policy rule \`${f.rule}\`)` : ""}: ${h.help}`
        },
        defaultConfiguration: { level: LEVEL[f.severity] },
        properties: {
          tags: ["certificates", "x509", f.check.split(".")[0]],
          check: f.check,
          ...f.rule ? { rule: f.rule } : {}
        }
      });
    }
    const where = f.location ?? (inventoryOf.has(f.target) ? { ...inventoryOf.get(f.target), column: 1 } : null);
    const result = {
      ruleId: id,
      ruleIndex: ruleIndex.get(id),
      level: LEVEL[f.severity],
      message: { text: `${f.target}: ${f.message}` },
      partialFingerprints: { "certwardenFindingId/v1": f.id },
      properties: {
        target: f.target,
        check: f.check,
        rule: f.rule,
        severity: f.severity,
        ...f.certificate ? { certificate: f.certificate } : {}
      }
    };
    if (where && where.file) {
      result.locations = [
        {
          physicalLocation: {
            artifactLocation: {
              uri: toUri(where.file, root),
              ...path.isAbsolute(where.file) && !path.relative(root, where.file).startsWith("..") ? { uriBaseId: "%SRCROOT%" } : {}
            },
            region: { startLine: Math.max(1, where.line), startColumn: Math.max(1, where.column ?? 1) }
          }
        }
      ];
    }
    if (f.waived) {
      result.suppressions = [
        {
          kind: "external",
          status: "accepted",
          justification: `${f.waived.reason} (owner ${f.waived.owner}, until ${f.waived.expires})`
        }
      ];
    }
    results.push(result);
  }
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "certwarden",
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: opts.informationUri ?? "https://github.com/certwarden/certwarden",
            rules
          }
        },
        automationDetails: { id: "certwarden/" },
        originalUriBaseIds: { "%SRCROOT%": { uri: pathToFileUri(root) } },
        invocations: [{ executionSuccessful: true, endTimeUtc: report.evaluatedAt }],
        results
      }
    ]
  };
}
function ruleName(camel, id) {
  const pascal = camel.charAt(0).toUpperCase() + camel.slice(1);
  return pascal.toLowerCase() === id.toLowerCase() ? `${pascal}Check` : pascal;
}
function pathToFileUri(dir) {
  const withSlash = dir.endsWith(path.sep) ? dir : dir + path.sep;
  return "file://" + encodeURI(withSlash.split(path.sep).join("/"));
}
export {
  toSarif
};
