// Golden reports: the JSON report of the example inventory (byte for byte, with the checkout's path
// replaced by <repo>) and of the built-in demo (with the values a demo run draws afresh — keys,
// serials, ports, times, its temporary folder — replaced by placeholders) must stay what they were
// when the layout was rebuilt (issue 10). A change in what certwarden reports shows up here as a diff;
// update the fixtures only for an intended change of the report, in the same commit that makes it.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { normalizeDemoReport } from './normalize.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const fixture = (name: string): string =>
  readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');

/** The CLI from source, in its own process, as a user would run it. */
async function cli(args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], {
    cwd: root,
    env: { ...process.env, GITHUB_ACTIONS: '', NO_COLOR: '1' },
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

describe('golden JSON reports', function () {
  this.timeout(60_000);

  it('the example inventory scan is byte-identical to the golden report', async () => {
    const out = await cli([
      'scan',
      '--inventory',
      'inventory/example',
      '--now',
      '2026-12-01T00:00:00Z',
      '--fail-on',
      'never',
      '--format',
      'json',
    ]);
    assert.equal(out.split(root + path.sep).join('<repo>/'), fixture('example-report.json'));
  });

  it('the demo report matches the golden one once per-run values are masked', async () => {
    const out = await cli(['demo', '--format', 'json']);
    const normalized = normalizeDemoReport(out);
    assert.ok(normalized.includes('"targets": 8'), 'the demo scanned its 8 targets');
    assert.equal(normalized, fixture('demo-report.normalized.json'));
  });
});
