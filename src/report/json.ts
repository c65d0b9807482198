// The JSON report in pieces: byte for byte what JSON.stringify(report, null, 2) + '\n' gives, made
// one array element at a time so a report of 100,000 targets is never one string in memory.
import type { Report } from '../core/model.js';

/** One value at `depth` levels of two-space indentation, as JSON.stringify(…, null, 2) nests it. */
function nested(value: unknown, depth: number): string {
  const s = JSON.stringify(value, null, 2) ?? 'null';
  // JSON never holds a raw newline inside a string, so every newline is layout.
  return depth ? s.replace(/\n/g, `\n${'  '.repeat(depth)}`) : s;
}

/** Pieces of an object whose large arrays are made element by element (depth 0: the report). */
function* objectPieces(obj: Record<string, unknown>, depth: number): Generator<string> {
  const pad = '  '.repeat(depth + 1);
  const keys = Object.keys(obj).filter((k) => {
    const v = obj[k];
    return v !== undefined && typeof v !== 'function' && typeof v !== 'symbol';
  });
  if (!keys.length) {
    yield '{}';
    return;
  }
  yield '{';
  for (const [i, k] of keys.entries()) {
    const v = obj[k];
    yield `${i ? ',' : ''}\n${pad}${JSON.stringify(k)}: `;
    if (Array.isArray(v) && v.length) {
      yield '[';
      for (const [j, item] of v.entries()) yield `${j ? ',' : ''}\n${pad}  ${nested(item, depth + 2)}`;
      yield `\n${pad}]`;
    } else yield nested(v, depth + 1);
  }
  yield `\n${'  '.repeat(depth)}}`;
}

/** The JSON report (contract schemaVersion 1) in pieces; joined, it is JSON.stringify(r, null, 2) + '\n'. */
export function* jsonReportPieces(report: Report): Generator<string> {
  if (typeof (report as { toJSON?: unknown }).toJSON === 'function') {
    yield JSON.stringify(report, null, 2) + '\n';
    return;
  }
  yield* objectPieces(report as unknown as Record<string, unknown>, 0);
  yield '\n';
}
