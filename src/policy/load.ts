// Loads policy packs: the shipped ones from the package's policies/ folder, then the user's folders
// (a pack with the same name replaces the shipped one). Everything is validated and every CEL
// expression compiled here, once; any problem is a ConfigError naming FILE:LINE:COLUMN.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import policySchemaJson from '../../schemas/policy.v1.schema.json' with { type: 'json' };
import { ConfigError, type Problem } from '../core/errors.js';
import { CONFIG_READ_TIMEOUT_MS, readFailure, safeReadSync, safeReadText } from '../core/safe-read.js';
import { DEFAULT_SEVERITY } from '../core/findings.js';
import type { Severity, SourceLocation } from '../core/model.js';
import { translateErrors } from '../inventory/schema.js';
import { parseYaml, type PathSegment, type YamlDoc } from '../inventory/yaml-source.js';
import { CelCompileError, compileCel, type CompiledExpr } from './cel.js';
import { CHECKS } from './checks/index.js';
import { shippedPoliciesDir } from './package-root.js';
import { MOVED_RULES } from './waivers.js';
import type { AppliesTo, Policy, PolicyIo, PolicyRule, PolicySet, Waiver } from './types.js';

const ajv = new Ajv({ strict: false, allErrors: true, verbose: true });
let policyValidator: ValidateFunction | null = null;
const paramValidators = new Map<string, ValidateFunction>();

/** The policy JSON Schema (schemas/policy.v1.schema.json). */
const policySchema: Record<string, unknown> = policySchemaJson;

/** Reads files synchronously for checks that need them (kubeadm CA files). */
export const nodeIo: PolicyIo = { readFile: (p) => safeReadSync(p, { kind: 'certificate' }) };

export interface LoadPoliciesOptions {
  /** Skip user folders that do not exist (for the CLI's default ./policies). Default false: a missing folder is an error. */
  ignoreMissing?: boolean;
  /** Do not load the shipped packs (tests of a single pack folder). Default false. */
  noShipped?: boolean;
  io?: PolicyIo;
}

/** Policy files in a folder: *.yaml / *.yml, not the *.test.yaml files kept beside them. */
function isPolicyFile(name: string): boolean {
  return /\.ya?ml$/.test(name) && !/\.test\.ya?ml$/.test(name);
}

async function listFiles(dir: string): Promise<string[]> {
  const st = await stat(dir);
  if (st.isFile()) return [dir];
  const names = (await readdir(dir)).filter(isPolicyFile).sort();
  return names.map((n) => path.join(dir, n));
}

/**
 * Loads the shipped packs and the packs in `dirs` (folders or single files). Throws ConfigError
 * with every problem found (bad YAML, schema, unknown check, bad params, CEL that does not compile,
 * duplicate names) located at FILE:LINE:COLUMN.
 */
export async function loadPolicies(dirs: string[], opts: LoadPoliciesOptions = {}): Promise<PolicySet> {
  const problems: Problem[] = [];
  const policies = new Map<string, Policy>();
  const shipped = shippedPoliciesDir();
  const sources: { dir: string; shipped: boolean }[] = [];
  if (!opts.noShipped) sources.push({ dir: shipped, shipped: true });
  for (const d of dirs) {
    const abs = path.resolve(d);
    if (!opts.noShipped && abs === shipped) continue; // `certwarden test policies/` inside the package
    sources.push({ dir: abs, shipped: false });
  }
  const readDirs: string[] = [];
  for (const src of sources) {
    let files: string[];
    try {
      files = await listFiles(src.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' && (opts.ignoreMissing || src.shipped)) continue;
      problems.push({
        location: null,
        message: `policies folder ${src.dir}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (e as Error).message}`,
      });
      continue;
    }
    readDirs.push(src.dir);
    const fromThisSource = new Map<string, string>();
    for (const file of files) {
      let text: string;
      try {
        // A policy file symlinked to /dev/zero, a FIFO or a huge file is refused from its stat.
        text = await safeReadText(file, { kind: 'policy', timeoutMs: CONFIG_READ_TIMEOUT_MS });
      } catch (e) {
        problems.push({ location: { file, line: 1, column: 1 }, message: `cannot read: ${readFailure(e)}` });
        continue;
      }
      const parsed = parsePolicyText(text, file, src.shipped, problems);
      for (const p of parsed) {
        const prevFile = fromThisSource.get(p.name);
        if (prevFile) {
          problems.push({
            location: { file, line: 1, column: 1 },
            message: `policy '${p.name}' is defined twice (also in ${prevFile})`,
          });
          continue;
        }
        fromThisSource.set(p.name, file);
        policies.set(p.name, p); // later sources (the user's) replace earlier ones (shipped)
      }
    }
  }
  // Waivers must name a rule that exists somewhere, or a non-policy finding check.
  const ruleIds = new Set<string>([
    ...(DEFAULT_SEVERITY ? Object.keys(DEFAULT_SEVERITY) : []),
    ...CHECKS.keys(),
  ]);
  for (const p of policies.values()) for (const r of p.rules) ruleIds.add(r.id);
  for (const p of policies.values()) {
    for (const w of p.waivers) {
      // A shipped rule whose findings were renamed: the waiver keeps applying, under the new name.
      const moved = MOVED_RULES[w.rule];
      if (moved && !ruleIds.has(w.rule)) {
        w.movedFrom = w.rule;
        w.rule = moved;
      }
      if (!ruleIds.has(w.rule))
        problems.push({
          location: w.location,
          message: `waiver names rule '${w.rule}', which no loaded policy defines`,
        });
    }
  }
  if (problems.length) throw new ConfigError(problems);
  return { policies, dirs: readDirs, io: opts.io ?? nodeIo };
}

/** Parses and validates the policy documents of one file (several `---` documents allowed). */
function parsePolicyText(text: string, file: string, shipped: boolean, problems: Problem[]): Policy[] {
  const { docs, problems: yamlProblems } = parseYaml(text, file);
  problems.push(...yamlProblems);
  if (yamlProblems.length) return [];
  const out: Policy[] = [];
  for (const doc of docs) {
    const p = buildPolicy(doc, text, shipped, problems);
    if (p) out.push(p);
  }
  return out;
}

function validator(): ValidateFunction {
  if (!policyValidator) policyValidator = ajv.compile(policySchema);
  return policyValidator;
}

type RawRule = {
  id: string;
  description?: string;
  check?: string;
  params?: Record<string, unknown>;
  expr?: string;
  message?: string;
  when?: string;
  severity?: Severity;
  appliesTo?: AppliesTo;
};
type RawWaiver = {
  rule: string;
  target?: string;
  selector?: Waiver['selector'];
  certificate?: string;
  reason: string;
  owner: string;
  expires: string;
};
type RawPolicy = {
  metadata: { name: string; description?: string };
  rules?: RawRule[];
  waivers?: RawWaiver[];
};

function buildPolicy(doc: YamlDoc, text: string, shipped: boolean, problems: Problem[]): Policy | null {
  const validate = validator();
  // Schema problems inside one rule or waiver skip that item only, so one run reports every mistake.
  const badItems = new Set<string>();
  if (!validate(doc.data)) {
    const errors = validate.errors ?? [];
    problems.push(...translateErrors(errors, doc));
    for (const e of errors) {
      const m = /^\/(rules|waivers)\/(\d+)/.exec(e.instancePath);
      if (!m) return null; // the document's frame is wrong: nothing more to say reliably
      badItems.add(`${m[1]}/${m[2]}`);
    }
  }
  const raw = doc.data as RawPolicy;
  const name = raw.metadata.name;
  const rules: PolicyRule[] = [];
  const seen = new Map<string, number>();
  (raw.rules ?? []).forEach((r, i) => {
    if (badItems.has(`rules/${i}`)) return;
    const at = (p: PathSegment[] = []) => doc.locate(['rules', i, ...p]);
    if (seen.has(r.id)) {
      problems.push({
        location: at(['id']),
        message: `rules[${i}].id: duplicate rule id '${r.id}' (first at line ${seen.get(r.id)})`,
      });
      return;
    }
    seen.set(r.id, at().line);
    const rule = buildRule(r, name, at, text, problems);
    if (rule) rules.push(rule);
  });
  const waivers: Waiver[] = [];
  (raw.waivers ?? []).forEach((w, i) => {
    if (badItems.has(`waivers/${i}`)) return;
    const at = (p: PathSegment[] = []) => doc.locate(['waivers', i, ...p]);
    if (!w.target && !w.selector) {
      problems.push({
        location: at(),
        message: `waivers[${i}]: a waiver needs 'target' (a target id) or 'selector'`,
      });
      return;
    }
    const expiry = readExpiry(w.expires);
    if ('error' in expiry) {
      problems.push({
        location: at(['expires']),
        message: `waivers[${i}].expires: ${JSON.stringify(w.expires)} is not a valid date: ${expiry.error}`,
      });
      return;
    }
    const expiresAt = expiry.at;
    waivers.push({
      policy: name,
      rule: w.rule,
      target: w.target ?? null,
      selector: w.selector ?? null,
      certificate: w.certificate ? w.certificate.replace(/:/g, '').toLowerCase() : null,
      reason: w.reason,
      owner: w.owner,
      expires: w.expires,
      expiresAt,
      location: at(),
    });
  });
  // Returned even when problems were found (the caller throws), so waivers can still be cross-checked.
  return { name, description: raw.metadata.description ?? null, file: doc.file, shipped, rules, waivers };
}

/** A date waives through the end of that day (UTC); a timestamp until that instant. Null when impossible. */
export function parseExpiry(s: string): Date | null {
  const r = readExpiry(s);
  return 'at' in r ? r.at : null;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * Reads `YYYY-MM-DD` (through the end of that day, UTC) or an ISO-8601 timestamp
 * `YYYY-MM-DD[T ]hh:mm[:ss[.fff]][Z|±hh[:]mm]` (UTC when it has no offset), refusing impossible
 * dates and times (2027-02-30, 24:00, +25:00) instead of rolling them over.
 */
function readExpiry(s: string): { at: Date } | { error: string } {
  const m =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|([+-])(\d{2}):?(\d{2}))?)?$/.exec(
      s,
    );
  if (!m) return { error: 'expected a date YYYY-MM-DD or an ISO-8601 timestamp' };
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12) return { error: `there is no month ${m[2]}` };
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > days) return { error: `${MONTHS[month - 1]} ${year} has ${days} days` };
  if (m[4] === undefined) return { at: new Date(Date.UTC(year, month - 1, day + 1)) };
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
  if (hour > 23 || minute > 59 || second > 59)
    return { error: `${m[4]}:${m[5]}${m[6] ? `:${m[6]}` : ''} is not a time of day` };
  let offsetMin = 0;
  if (m[9]) {
    const [oh, om] = [Number(m[10]), Number(m[11])];
    if (oh > 23 || om > 59) return { error: `${m[8]} is not a UTC offset` };
    offsetMin = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const ms = m[7] ? Math.floor(Number(m[7]) * 1000) : 0;
  return { at: new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMin * 60_000) };
}

function buildRule(
  r: RawRule,
  policy: string,
  at: (p?: PathSegment[]) => SourceLocation,
  text: string,
  problems: Problem[],
): PolicyRule | null {
  const before = problems.length;
  let check = 'cel';
  let params: Record<string, unknown> = {};
  let defaultAppliesTo: AppliesTo = 'leaf';
  if (r.check !== undefined) {
    const def = CHECKS.get(r.check);
    if (!def) {
      problems.push({
        location: at(['check']),
        message: `unknown check '${r.check}' (valid: ${[...CHECKS.keys()].join(', ')})`,
      });
      return null;
    }
    check = def.id;
    defaultAppliesTo = def.defaultAppliesTo;
    params = r.params ?? {};
    const v = paramValidators.get(def.id) ?? ajv.compile(def.paramsSchema);
    paramValidators.set(def.id, v);
    if (!v(params)) {
      const fake: YamlDoc = {
        file: at().file,
        index: 0,
        data: params,
        locate: (p) => (r.params === undefined ? at() : at(['params', ...p])),
        pathsUnder: () => ({}),
      };
      for (const p of translateErrors(v.errors ?? [], fake))
        problems.push({
          location: p.location,
          message: `rule '${r.id}' (check ${def.id}) params${p.message.startsWith('unknown') || p.message.startsWith('missing') || p.message.startsWith('expected') ? ': ' : '.'}${p.message}`,
        });
    }
    if (r.message !== undefined)
      problems.push({
        location: at(['message']),
        message: `rule '${r.id}': 'message' goes with 'expr'; a built-in check writes its own messages`,
      });
  } else {
    if (r.params !== undefined)
      problems.push({
        location: at(['params']),
        message: `rule '${r.id}': 'params' goes with 'check', not with 'expr'`,
      });
    if (r.message === undefined)
      problems.push({
        location: at(),
        message: `rule '${r.id}': an 'expr' rule needs a 'message' saying what is wrong when the expression is false`,
      });
  }
  const expr = r.expr !== undefined ? compileAt(r.expr, 'expr', r.id, at, text, problems) : null;
  const when = r.when !== undefined ? compileAt(r.when, 'when', r.id, at, text, problems) : null;
  if (problems.length > before) return null;
  return {
    id: r.id,
    policy,
    check,
    params,
    expr,
    message: r.message ?? null,
    when,
    severity: r.severity ?? null,
    appliesTo: r.appliesTo ?? defaultAppliesTo,
    description: r.description ?? null,
    location: at(),
  };
}

/** Compiles a CEL string; an error is located inside the YAML value where we can tell. */
function compileAt(
  source: string,
  key: 'expr' | 'when',
  ruleId: string,
  at: (p?: PathSegment[]) => SourceLocation,
  text: string,
  problems: Problem[],
): CompiledExpr | null {
  try {
    return compileCel(source);
  } catch (e) {
    if (!(e instanceof CelCompileError)) throw e;
    const loc = celLocation(at([key]), e.line, e.column, text);
    problems.push({ location: loc, message: `rule '${ruleId}' ${key}: ${e.message}` });
    return null;
  }
}

/** Maps a line/column inside a CEL string to the YAML file, for plain, quoted and block scalars. */
function celLocation(node: SourceLocation, line: number, column: number, text: string): SourceLocation {
  const lines = text.split('\n');
  const first = lines[node.line - 1] ?? '';
  const ch = first[node.column - 1];
  if (ch === '|' || ch === '>') {
    // Block scalar: content starts on the next non-empty line, at its indentation.
    let l = node.line; // 0-based index of the next line
    while (l < lines.length && lines[l]!.trim() === '') l++;
    const indent = (lines[l] ?? '').length - (lines[l] ?? '').trimStart().length;
    return { file: node.file, line: l + line, column: indent + column };
  }
  const quote = ch === '"' || ch === "'" ? 1 : 0;
  if (line === 1) return { file: node.file, line: node.line, column: node.column + quote + column - 1 };
  return { file: node.file, line: node.line + line - 1, column };
}
