// The JSON report in pieces: byte for byte what JSON.stringify(report, null, 2) + '\n' gives, made
// a few hundred array elements at a time so a report of 100,000 targets is never one string in
// memory. Each piece is JSON.stringify's own output for `{key: part}`, cut out of its wrapper: the
// wrapper puts the part at the depth it has in the report, so no piece is re-indented.
import type { Report } from '../core/model.js';

/** Array elements per piece. */
const PER_PIECE = 256;

/** `value` as the member `key` of the report: its text after `"key": `. */
function member(key: string, value: unknown): string {
  const s = JSON.stringify({ [key]: value }, null, 2);
  return s.slice(`{\n  ${JSON.stringify(key)}: `.length, s.length - '\n}'.length);
}

/** The elements of a non-empty array member, each piece a run of them (no brackets). */
function* elements(key: string, items: readonly unknown[]): Generator<string> {
  const head = `{\n  ${JSON.stringify(key)}: [`.length;
  const tail = '\n  ]\n}'.length;
  for (let i = 0; i < items.length; i += PER_PIECE) {
    const s = JSON.stringify({ [key]: items.slice(i, i + PER_PIECE) }, null, 2);
    yield `${i ? ',' : ''}${s.slice(head, s.length - tail)}`;
  }
}

/** The JSON report (contract schemaVersion 1) in pieces; joined, it is JSON.stringify(r, null, 2) + '\n'. */
export function* jsonReportPieces(report: Report): Generator<string> {
  const obj = report as unknown as Record<string, unknown>;
  // The members JSON.stringify writes: own enumerable keys, in order, without undefined or functions.
  const keys = Object.keys(obj).filter((k) => {
    const v = obj[k];
    return v !== undefined && typeof v !== 'function' && typeof v !== 'symbol';
  });
  if (!keys.length) {
    yield '{}\n';
    return;
  }
  yield '{';
  for (const [i, k] of keys.entries()) {
    const v = obj[k];
    yield `${i ? ',' : ''}\n  ${JSON.stringify(k)}: `;
    if (Array.isArray(v) && v.length) {
      yield '[';
      yield* elements(k, v);
      yield '\n  ]';
    } else yield member(k, v);
  }
  yield '\n}\n';
}
