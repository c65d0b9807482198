// The JSON report written in pieces (report/json.ts, core/write-atomic.ts's AtomicWriter) is byte
// for byte what JSON.stringify(report, null, 2) gives, and a failed write leaves nothing behind.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Report } from '../../src/core/model.js';
import { jsonReportPieces } from '../../src/report/json.js';
import { AtomicWriter, writeAtomicPieces } from '../../src/core/write-atomic.js';
import { writeOutput } from '../../src/commands/report-output.js';

const golden = path.resolve(import.meta.dirname, '../golden/fixtures/example-report.json');

function whole(r: unknown): string {
  return JSON.stringify(r, null, 2) + '\n';
}

describe('JSON report in pieces', () => {
  it('the example report: the pieces join to JSON.stringify(r, null, 2)', () => {
    const report = JSON.parse(readFileSync(golden, 'utf8')) as Report;
    assert.ok(
      report.targets.length > 3 && report.findings.length > 1,
      'the fixture has targets and findings',
    );
    const pieces = [...jsonReportPieces(report)];
    assert.ok(pieces.length > 3, 'made in pieces, not as one string');
    assert.equal(pieces.join(''), whole(report));
    assert.equal(pieces.join(''), readFileSync(golden, 'utf8'));
  });

  it('many elements: the runs of elements join at their boundaries (0, 1, 256, 257, 1000 targets)', () => {
    const report = JSON.parse(readFileSync(golden, 'utf8')) as Report;
    for (const n of [0, 1, 256, 257, 1000]) {
      const big = {
        ...report,
        targets: Array.from({ length: n }, (_, i) => ({
          ...report.targets[i % report.targets.length]!,
          id: `t-${i}`,
        })),
      };
      const pieces = [...jsonReportPieces(big)];
      assert.equal(pieces.join(''), whole(big), `${n} targets`);
      if (n === 1000)
        assert.ok(
          pieces.every((p) => p.length < whole(big).length / 3),
          'no piece holds much of it',
        );
    }
  });

  it('edge cases: empty arrays and objects, undefined fields, nested arrays, hostile strings', () => {
    const odd = {
      schemaVersion: 1,
      tool: { name: 'certwarden', version: '0' },
      skipped: undefined,
      evaluatedAt: '2026-12-06T00:00:00.000Z',
      summary: { targets: 0, certificates: 0, findings: {}, waived: 0 },
      targets: [],
      findings: [
        {
          id: 'a',
          message: 'line\nbreak "quoted" \u2028 \u202e bidi',
          nested: [[1, [2, {}]], []],
          gone: undefined,
        },
        { id: 'b', when: new Date(0), list: [undefined, () => 1, null] },
        'plain',
        7,
        null,
      ],
      empty: {},
    };
    assert.equal([...jsonReportPieces(odd as unknown as Report)].join(''), whole(odd));
  });

  it('a failed write leaves neither the file nor a temp file; commit replaces the old file whole', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cw-pieces-'));
    try {
      const file = path.join(dir, 'report.json');
      writeFileSync(file, 'old');
      async function* failing(): AsyncGenerator<string> {
        yield 'x'.repeat(300_000); // more than one flush
        throw new Error('renderer failed');
      }
      await assert.rejects(writeAtomicPieces(file, failing()), /renderer failed/);
      assert.equal(readFileSync(file, 'utf8'), 'old');
      assert.deepEqual(readdirSync(dir), ['report.json']);
      const w = await AtomicWriter.open(file);
      for (let i = 0; i < 1000; i++) await w.write(`${String(i).padStart(600, '.')}\n`);
      assert.equal(readFileSync(file, 'utf8'), 'old', 'nothing shows before commit');
      await w.commit();
      const text = readFileSync(file, 'utf8');
      assert.equal(text.length, 601_000);
      assert.ok(text.endsWith(`${'999'.padStart(600, '.')}\n`));
      assert.deepEqual(readdirSync(dir), ['report.json']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a missing folder is a plain configuration error, and no file appears', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cw-pieces-'));
    try {
      const file = path.join(dir, 'missing', 'report.json');
      await assert.rejects(writeOutput(file, ['{}']), /the folder .*missing does not exist/);
      assert.deepEqual(readdirSync(dir), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
