// SARIF 2.1.0 for GitHub code scanning: one rule per finding kind (with help text), results located
// at the inventory line of the target (or the finding's own location, e.g. a waiver's line), so alerts
// show on the YAML that declares what was checked.
import path from 'node:path';
import type { Finding, Report, Severity } from '../core/model.js';
import { checkHelp } from '../core/check-help.js';

export interface SarifOptions {
  /** Folder that result paths are relative to (the repository root); default: the current directory. */
  root?: string;
  /** Link to the project, shown in the tool's driver. */
  informationUri?: string;
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

function ruleIdOf(f: Finding): string {
  return f.rule && f.rule !== f.check ? `${f.check}/${f.rule}` : f.check;
}

function helpFor(check: string): { summary: string; help: string } {
  return checkHelp(check);
}

function toUri(file: string, root: string): string {
  const rel = path.isAbsolute(file) ? path.relative(root, file) : file;
  const p = (rel && !rel.startsWith('..') ? rel : file).split(path.sep).join('/');
  return encodeURI(p);
}

/** The SARIF 2.1.0 log for a report (a plain object, ready for JSON.stringify). */
export function toSarif(report: Report, opts: SarifOptions = {}): Record<string, unknown> {
  const root = opts.root ?? process.cwd();
  const inventoryOf = new Map(report.targets.map((t) => [t.id, t.inventory]));
  const rules: Record<string, unknown>[] = [];
  const ruleIndex = new Map<string, number>();
  const results: Record<string, unknown>[] = [];
  for (const f of report.findings) {
    const id = ruleIdOf(f);
    if (!ruleIndex.has(id)) {
      const h = helpFor(f.check);
      const name = id.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ''));
      ruleIndex.set(id, rules.length);
      rules.push({
        id,
        // SARIF wants `name` readable and different from the opaque `id` (multitool rule SARIF1001).
        name: ruleName(name, id),
        shortDescription: {
          text: f.rule && f.rule !== f.check ? `${h.summary} (rule ${f.rule})` : h.summary,
        },
        fullDescription: { text: h.help },
        help: {
          text: h.help,
          markdown: `**${f.check}**${f.rule ? ` (policy rule \`${f.rule}\`)` : ''}: ${h.help}`,
        },
        defaultConfiguration: { level: LEVEL[f.severity] },
        properties: {
          tags: ['certificates', 'x509', f.check.split('.')[0]!],
          check: f.check,
          ...(f.rule ? { rule: f.rule } : {}),
        },
      });
    }
    const where =
      f.location ?? (inventoryOf.has(f.target) ? { ...inventoryOf.get(f.target)!, column: 1 } : null);
    const result: Record<string, unknown> = {
      ruleId: id,
      ruleIndex: ruleIndex.get(id),
      level: LEVEL[f.severity],
      message: { text: `${f.target}: ${f.message}` },
      partialFingerprints: { 'certwardenFindingId/v1': f.id },
      properties: {
        target: f.target,
        check: f.check,
        rule: f.rule,
        severity: f.severity,
        ...(f.certificate ? { certificate: f.certificate } : {}),
      },
    };
    if (where && where.file) {
      result.locations = [
        {
          physicalLocation: {
            artifactLocation: {
              uri: toUri(where.file, root),
              ...(path.isAbsolute(where.file) && !path.relative(root, where.file).startsWith('..')
                ? { uriBaseId: '%SRCROOT%' }
                : {}),
            },
            region: { startLine: Math.max(1, where.line), startColumn: Math.max(1, where.column ?? 1) },
          },
        },
      ];
    }
    if (f.waived) {
      result.suppressions = [
        {
          kind: 'external',
          status: 'accepted',
          justification: `${f.waived.reason} (owner ${f.waived.owner}, until ${f.waived.expires})`,
        },
      ];
    }
    results.push(result);
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'certwarden',
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: opts.informationUri ?? 'https://github.com/certwarden/certwarden',
            rules,
          },
        },
        automationDetails: { id: 'certwarden/' },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileUri(root) } },
        invocations: [{ executionSuccessful: true, endTimeUtc: report.evaluatedAt }],
        results,
      },
    ],
  };
}

function ruleName(camel: string, id: string): string {
  const pascal = camel.charAt(0).toUpperCase() + camel.slice(1);
  return pascal.toLowerCase() === id.toLowerCase() ? `${pascal}Check` : pascal;
}

function pathToFileUri(dir: string): string {
  const withSlash = dir.endsWith(path.sep) ? dir : dir + path.sep;
  return 'file://' + encodeURI(withSlash.split(path.sep).join('/'));
}
