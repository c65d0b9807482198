// Reads API responses straight from the bytes, so that a Secret's private key never becomes a
// JavaScript string: values of Secret data keys that are not certificate keys, `stringData`,
// `managedFields` and the last-applied annotation are skipped by position (a native scan for the
// closing quote), and only the rest is decoded with JSON.parse, field by field. Callers then wipe
// the response bytes. Anything structurally wrong throws JsonScanError, which never quotes the body.
import { isCertificateKeyName, isKeystoreKey } from './sanitize.js';
import type { KubeKind } from './kinds.js';

export class JsonScanError extends Error {
  constructor(at: number, what: string) {
    super(`malformed JSON at byte ${at}: ${what}`);
    this.name = 'JsonScanError';
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

function isWs(c: number | undefined): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function ws(b: Buffer, i: number): number {
  while (i < b.length && isWs(b[i])) i++;
  return i;
}

/** End (exclusive) of the string starting at `i` (b[i] is a quote). */
function skipString(b: Buffer, i: number): number {
  let j = i + 1;
  for (;;) {
    const q = b.indexOf(QUOTE, j);
    if (q < 0) throw new JsonScanError(i, 'unterminated string');
    let k = q - 1;
    let n = 0;
    while (k > i && b[k] === BACKSLASH) {
      n++;
      k--;
    }
    if (n % 2 === 0) return q + 1;
    j = q + 1;
  }
}

/** End (exclusive) of the value starting at or after `i`. */
function skipValue(b: Buffer, i: number): number {
  i = ws(b, i);
  const c = b[i];
  if (c === QUOTE) return skipString(b, i);
  if (c === LBRACE || c === LBRACKET) {
    let depth = 0;
    while (i < b.length) {
      const d = b[i];
      if (d === QUOTE) {
        i = skipString(b, i);
        continue;
      }
      if (d === LBRACE || d === LBRACKET) depth++;
      else if (d === RBRACE || d === RBRACKET) {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    throw new JsonScanError(i, 'unterminated object or array');
  }
  const start = i;
  while (i < b.length) {
    const d = b[i];
    if (d === COMMA || d === RBRACE || d === RBRACKET || isWs(d)) break;
    i++;
  }
  if (i === start) throw new JsonScanError(i, 'expected a value');
  return i;
}

interface Member {
  key: string;
  start: number; // value start
  end: number; // value end (exclusive)
}

/** The members of the object at `i` (b[i] after whitespace is '{'): keys decoded, values by position. */
function* members(b: Buffer, i: number): Generator<Member> {
  i = ws(b, i);
  if (b[i] !== LBRACE) throw new JsonScanError(i, 'expected an object');
  i = ws(b, i + 1);
  if (b[i] === RBRACE) return;
  for (;;) {
    i = ws(b, i);
    if (b[i] !== QUOTE) throw new JsonScanError(i, 'expected a key');
    const ke = skipString(b, i);
    const key = JSON.parse(b.toString('utf8', i, ke)) as string;
    i = ws(b, ke);
    if (b[i] !== COLON) throw new JsonScanError(i, 'expected ":"');
    const start = ws(b, i + 1);
    const end = skipValue(b, start);
    yield { key, start, end };
    i = ws(b, end);
    if (b[i] === COMMA) {
      i++;
      continue;
    }
    if (b[i] === RBRACE) return;
    throw new JsonScanError(i, 'expected "," or "}"');
  }
}

/** The elements of the array at `i`, by position. */
function* elements(b: Buffer, i: number): Generator<{ start: number; end: number }> {
  i = ws(b, i);
  if (b[i] !== LBRACKET) throw new JsonScanError(i, 'expected an array');
  i = ws(b, i + 1);
  if (b[i] === RBRACKET) return;
  for (;;) {
    const start = ws(b, i);
    const end = skipValue(b, start);
    yield { start, end };
    i = ws(b, end);
    if (b[i] === COMMA) {
      i++;
      continue;
    }
    if (b[i] === RBRACKET) return;
    throw new JsonScanError(i, 'expected "," or "]"');
  }
}

function value(b: Buffer, m: { start: number; end: number }): unknown {
  return JSON.parse(b.toString('utf8', m.start, m.end));
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function metadataAt(b: Buffer, i: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const m of members(b, i)) {
    if (m.key === 'managedFields') continue;
    if (m.key === 'annotations' && b[m.start] === LBRACE) {
      const ann: Record<string, unknown> = {};
      for (const a of members(b, m.start)) if (a.key !== LAST_APPLIED) ann[a.key] = value(b, a);
      out.annotations = ann;
      continue;
    }
    out[m.key] = value(b, m);
  }
  return out;
}

/** One object at `i`, with what must never be decoded left out (see the file comment). */
export function scanObject(
  b: Buffer,
  i: number,
  kind: KubeKind,
  keep: ReadonlySet<string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const m of members(b, i)) {
    if (m.key === 'metadata' && b[m.start] === LBRACE) out.metadata = metadataAt(b, m.start);
    else if (kind === 'Secret' && m.key === 'stringData') continue;
    else if (kind === 'Secret' && m.key === 'data' && b[m.start] === LBRACE) {
      const data: Record<string, unknown> = {};
      for (const d of members(b, m.start)) {
        if (isKeystoreKey(d.key) || keep.has(d.key) || isCertificateKeyName(d.key)) data[d.key] = value(b, d);
      }
      out.data = data;
    } else out[m.key] = value(b, m);
  }
  return out;
}

/** A list response: its items (each scanned as above) and the list metadata. */
export function scanList(
  b: Buffer,
  kind: KubeKind,
  keep: ReadonlySet<string>,
): { items: Record<string, unknown>[]; metadata: Record<string, unknown> } {
  const items: Record<string, unknown>[] = [];
  let metadata: Record<string, unknown> = {};
  for (const m of members(b, 0)) {
    if (m.key === 'items' && b[m.start] === LBRACKET) {
      for (const e of elements(b, m.start))
        if (b[e.start] === LBRACE) items.push(scanObject(b, e.start, kind, keep));
    } else if (m.key === 'metadata' && b[m.start] === LBRACE) {
      metadata = value(b, m) as Record<string, unknown>;
    }
  }
  return { items, metadata };
}
