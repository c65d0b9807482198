import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatProblems, validateInventory, validateExitCode } from '../../src/inventory/validate.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixtures = join(repo, 'test', 'fixtures', 'inventories');
const cases = readdirSync(fixtures, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

describe('committed broken inventories', () => {
  it('cover the mistakes people make', () => {
    assert.deepEqual(cases, [
      'alias-bomb',
      'duplicate-key',
      'duplicate-target-id',
      'leaf-anchor',
      'not-a-certificate',
      'pin-mismatch',
      'two-sources',
      'unknown-anchor',
      'unknown-key',
      'wrong-type',
    ]);
  });

  for (const name of cases) {
    it(`${name}: validate prints exactly expected.txt and exits 2`, async () => {
      const expected = readFileSync(join(fixtures, name, 'expected.txt'), 'utf8');
      const result = await validateInventory([join(fixtures, name)], { cwd: repo });
      assert.equal(formatProblems(result.problems), expected);
      assert.ok(expected.length > 0);
      assert.equal(validateExitCode(result), 2);
    });
  }
});
