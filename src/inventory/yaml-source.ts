// Safe YAML reading with positions: every node of a document can be mapped back to FILE:LINE:COLUMN.
// Safety rules: YAML 1.2 core schema (so `no`, `on`, `0777` are what they look like), no merge keys,
// no custom tags (an unknown tag is an error, not a string), duplicate keys are errors, and aliases
// are limited so an alias bomb is refused before it expands.
import {
  parseAllDocuments,
  LineCounter,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Document,
  type Node as YamlNode,
} from 'yaml';
import type { SourceLocation } from '../core/model.js';
import type { Problem } from '../core/errors.js';
import { safeText } from '../core/text.js';

/** Most aliases a document may resolve (counted the way `yaml` counts expansion). Small on purpose. */
const MAX_ALIAS_COUNT = 50;

export type PathSegment = string | number;

/** One YAML document of a file, its plain data, and a way to locate any path in it. */
export interface YamlDoc {
  file: string;
  index: number;
  data: unknown;
  /** Location of the node at `path` (or of its key when `key` is set); falls back to the nearest parent. */
  locate(path: readonly PathSegment[], opts?: { key?: boolean }): SourceLocation;
  /** Every located path under `path`, as dotted keys relative to it (e.g. "expect.sha256"). */
  pathsUnder(path: readonly PathSegment[]): Record<string, SourceLocation>;
}

export interface ParsedYaml {
  docs: YamlDoc[];
  problems: Problem[];
}

const YAML_OPTIONS = {
  version: '1.2' as const,
  schema: 'core',
  merge: false,
  customTags: [] as never[],
  uniqueKeys: false, // checked below, so the message can name both places
  prettyErrors: false,
  strict: true,
  keepSourceTokens: false,
};

/** Parses every document of a YAML file. Problems are collected, never thrown. */
export function parseYaml(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const at = (offset: number | undefined): SourceLocation => {
    const p = lineCounter.linePos(offset ?? 0);
    return { file, line: p.line, column: p.col };
  };
  const problems: Problem[] = [];
  const docs: YamlDoc[] = [];
  const parsed = parseAllDocuments(text, { ...YAML_OPTIONS, lineCounter });
  const list = Array.isArray(parsed) ? parsed : [];
  const lines = text.split('\n');
  list.forEach((doc, index) => {
    const before = problems.length;
    const errors = [...doc.errors, ...doc.warnings];
    // One tab in the indentation makes the parser report everything after it: say the cause once.
    const tab = errors.find((e) => e.code === 'TAB_AS_INDENT');
    if (tab) {
      problems.push({ location: at(tab.pos[0]), message: tabMessage(lines, doc.range) });
      return;
    }
    for (const e of errors) {
      if (e.code === 'BAD_INDENT') problems.push(badIndent(lines, at(e.pos[0]), e.message));
      else problems.push({ location: at(e.pos[0]), message: yamlMessage(e.code, e.message) });
    }
    checkKeys(doc.contents as YamlNode | null, at, problems);
    if (problems.length > before) return;
    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      const firstAlias = findFirstAlias(doc.contents as YamlNode | null);
      const msg = String((err as Error).message ?? err);
      problems.push({
        location: at(firstAlias?.range?.[0]),
        message: /alias/i.test(msg)
          ? `too many YAML aliases (more than ${MAX_ALIAS_COUNT} expansions): refused as a possible alias bomb; write the values out instead`
          : `cannot read YAML: ${msg}`,
      });
      return;
    }
    if (data === null || data === undefined) return; // empty document (e.g. a trailing ---)
    docs.push(makeDoc(doc, index, data, file, at));
  });
  return { docs, problems };
}

/** Line numbers (1-based) whose indentation holds a tab, within the document's character range. */
function tabLines(lines: string[], range: [number, number, number] | undefined): number[] {
  const out: number[] = [];
  let offset = 0;
  lines.forEach((l, i) => {
    const inDoc = !range || (offset + l.length >= range[0] && offset <= range[2]);
    if (inDoc && /^[ ]*\t/.test(l)) out.push(i + 1);
    offset += l.length + 1;
  });
  return out;
}

function tabMessage(lines: string[], range: [number, number, number] | undefined): string {
  const at = tabLines(lines, range);
  const where = at.length > 1 ? ` (lines ${at.slice(0, 10).join(', ')}${at.length > 10 ? ', …' : ''})` : '';
  return `tabs are not allowed in YAML indentation; indent with spaces${where}`;
}

/** An indentation error at the line's first character, with the columns that disagree. */
function badIndent(lines: string[], loc: SourceLocation, message: string): Problem {
  const line = lines[loc.line - 1] ?? '';
  const column = line.length - line.trimStart().length + 1;
  let above: number | null = null;
  for (let i = loc.line - 2; i >= 0; i--) {
    const l = lines[i]!;
    if (!l.trim() || l.trimStart().startsWith('#')) continue;
    above = l.length - l.trimStart().length + 1;
    break;
  }
  const first = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  return {
    location: { ...loc, column },
    message: `invalid YAML: ${safeText(first)}: this line starts at column ${column}${above !== null ? `, the line above at column ${above}` : ''}`,
  };
}

function yamlMessage(code: string, message: string): string {
  const first = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  switch (code) {
    case 'TAG_RESOLVE_FAILED':
      return `YAML tags are not allowed here (${safeText(first.replace(/^Unresolved tag:\s*/, 'unknown tag '))}); write a plain value`;
    case 'BAD_ALIAS':
      return `YAML alias refers to an unknown anchor (${safeText(first)})`;
    default:
      return `invalid YAML: ${safeText(first)}`;
  }
}

/** Duplicate keys and non-scalar keys, anywhere in the document. */
function checkKeys(node: YamlNode | null, at: (o?: number) => SourceLocation, problems: Problem[]): void {
  const seen = new Set<YamlNode>();
  const walk = (n: unknown): void => {
    if (!n || typeof n !== 'object' || seen.has(n as YamlNode)) return;
    seen.add(n as YamlNode);
    if (isMap(n)) {
      const first = new Map<string, number | undefined>();
      for (const pair of n.items) {
        const key = pair.key as YamlNode | null;
        if (!isScalar(key)) {
          problems.push({
            location: at((key as YamlNode | null)?.range?.[0]),
            message: 'keys must be plain strings',
          });
        } else {
          const name = String(key.value);
          const prev = first.get(name);
          if (first.has(name)) {
            const line = at(prev).line;
            problems.push({
              location: at(key.range?.[0]),
              message: `duplicate key '${safeText(name)}' (first at line ${line})`,
            });
          } else {
            first.set(name, key.range?.[0]);
          }
        }
        walk(pair.value);
      }
    } else if (isSeq(n)) {
      for (const item of n.items) walk(item);
    }
  };
  walk(node);
}

function findFirstAlias(node: YamlNode | null): YamlNode | null {
  let found: YamlNode | null = null;
  const walk = (n: unknown): void => {
    if (found || !n || typeof n !== 'object') return;
    if (isAlias(n)) {
      found = n as YamlNode;
      return;
    }
    if (isMap(n)) for (const p of n.items) walk(p.value);
    else if (isSeq(n)) for (const i of n.items) walk(i);
  };
  walk(node);
  return found;
}

function makeDoc(
  doc: Document.Parsed,
  index: number,
  data: unknown,
  file: string,
  at: (o?: number) => SourceLocation,
): YamlDoc {
  const deref = (n: unknown): unknown => (isAlias(n) ? n.resolve(doc) : n);

  // Walks `path` and returns the deepest node reached, and the key node of the last pair taken.
  const walk = (path: readonly PathSegment[]) => {
    let node: unknown = deref(doc.contents);
    let keyNode: YamlNode | null = null;
    let reached = 0;
    for (const seg of path) {
      let next: unknown = undefined;
      let nextKey: YamlNode | null = null;
      if (isMap(node) && typeof seg === 'string') {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === seg);
        if (pair) {
          next = pair.value;
          nextKey = pair.key as YamlNode;
        }
      } else if (isSeq(node) && typeof seg === 'number') {
        next = node.items[seg];
      }
      if (next === undefined || next === null) {
        if (nextKey) keyNode = nextKey; // `key:` with no value: the key is the best place
        if (nextKey) reached++;
        break;
      }
      node = deref(next);
      keyNode = nextKey;
      reached++;
    }
    return { node: node as YamlNode | null, keyNode, complete: reached === path.length };
  };

  const locate = (path: readonly PathSegment[], opts: { key?: boolean } = {}): SourceLocation => {
    const { node, keyNode, complete } = walk(path);
    if (complete && opts.key && keyNode?.range) return at(keyNode.range[0]);
    if (!complete && keyNode?.range) return at(keyNode.range[0]);
    return at(node?.range?.[0]);
  };

  const pathsUnder = (path: readonly PathSegment[]): Record<string, SourceLocation> => {
    const out: Record<string, SourceLocation> = {};
    const { node, complete } = walk(path);
    if (!complete) return out;
    const seen = new Set<unknown>();
    const visit = (n: unknown, prefix: string, depth: number): void => {
      n = deref(n);
      if (!n || typeof n !== 'object' || seen.has(n) || depth > 8) return;
      seen.add(n);
      if (isMap(n)) {
        for (const p of n.items) {
          if (!isScalar(p.key)) continue;
          const k = String(p.key.value);
          const child = prefix ? `${prefix}.${k}` : k;
          const v = deref(p.value) as YamlNode | null;
          out[child] = at((v?.range ?? (p.key as YamlNode).range)?.[0]);
          visit(v, child, depth + 1);
        }
      } else if (isSeq(n)) {
        n.items.forEach((item, i) => {
          const child = `${prefix}[${i}]`;
          const v = deref(item) as YamlNode | null;
          if (v?.range) out[child] = at(v.range[0]);
          visit(v, child, depth + 1);
        });
      }
    };
    visit(node, '', 0);
    return out;
  };

  return { file, index, data, locate, pathsUnder };
}

/** `targets[3].endpoint.port` from ['targets', 3, 'endpoint', 'port']. */
export function formatPath(path: readonly PathSegment[]): string {
  let s = '';
  for (const seg of path) s += typeof seg === 'number' ? `[${seg}]` : s ? `.${safeText(seg)}` : safeText(seg);
  return s;
}
