// Every finding check has its help (SARIF rule text, docs/report.md's table), and the table in the
// docs lists exactly the checks the code knows.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CHECK_HELP } from '../../src/core/check-help.js';
import { DEFAULT_SEVERITY } from '../../src/core/findings.js';
import { CHECKS } from '../../src/policy/checks/index.js';

describe('check help', () => {
  it('every check with a default severity and every policy check has a summary and help', () => {
    for (const id of [...Object.keys(DEFAULT_SEVERITY), ...CHECKS.keys()]) {
      assert.ok(CHECK_HELP[id]?.summary, `${id} has no summary`);
      assert.ok(CHECK_HELP[id]?.help, `${id} has no help`);
    }
  });

  it("docs/report.md's check table lists exactly the known checks", () => {
    const doc = readFileSync(path.resolve(import.meta.dirname, '../../docs/report.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Finding checks'), doc.indexOf('## Prometheus'));
    const listed = [...section.matchAll(/^\| `([a-zA-Z.-]+)`\s+\|/gm)].map((m) => m[1]).sort();
    assert.deepEqual(listed, Object.keys(CHECK_HELP).sort());
  });
});
