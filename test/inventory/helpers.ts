// Shared helpers for inventory tests: find a problem by file and line, and a canonical header.
import assert from 'node:assert/strict';
import type { Problem } from '../../src/core/errors.js';

export const HEADER = 'apiVersion: certwarden/v1\nkind: Inventory\n';

/** Asserts exactly one problem at file:line (and column when given) whose message matches. */
export function problemAt(
  problems: Problem[],
  file: string,
  line: number,
  message: RegExp | string,
  column?: number,
): Problem {
  const here = problems.filter((p) => p.location?.file === file && p.location.line === line);
  const hits = here.filter((p) =>
    typeof message === 'string' ? p.message === message : message.test(p.message),
  );
  assert.equal(
    hits.length,
    1,
    `expected one problem at ${file}:${line} matching ${message}; got:\n${problems.map((p) => `  ${p.location?.file}:${p.location?.line}:${p.location?.column}: ${p.message}`).join('\n')}`,
  );
  if (column !== undefined) assert.equal(hits[0].location?.column, column, `column of: ${hits[0].message}`);
  return hits[0];
}
