// A report larger than a pipe's buffer reaches the reader whole: the bin waits for stdout to drain
// before it exits (a bare process.exit cut JSON at 64 KiB when stdout was a pipe).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { builtCli, ensureBuilt, repoRoot, userEnv } from '../support/built-cli.js';

describe('the built CLI writing to a pipe', function () {
  this.timeout(120_000);
  let dir: string;
  before(async () => {
    ensureBuilt();
    dir = await mkdtemp(path.join(tmpdir(), 'cw-pipe-'));
    const cert = path.join(repoRoot, 'inventory/example/certs/mach2-albion.pem');
    const targets = Array.from(
      { length: 300 },
      (_, i) => `  - id: f-${i}\n    file: { path: ${cert} }\n`,
    ).join('');
    await writeFile(
      path.join(dir, 'i.yaml'),
      `apiVersion: certwarden/v1\nkind: Inventory\nmetadata:\n  name: big\ntargets:\n${targets}`,
    );
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('a JSON report of 300 targets (over 800 KB) arrives whole and parses', async () => {
    const child = spawn(
      process.execPath,
      [builtCli, 'scan', '--inventory', dir, '--format', 'json', '--fail-on', 'never'],
      {
        env: userEnv(),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const chunks: Buffer[] = [];
    // Read slowly, so the writer meets a full pipe.
    child.stdout.on('data', (d: Buffer) => {
      chunks.push(d);
      child.stdout.pause();
      setTimeout(() => child.stdout.resume(), 2);
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const text = Buffer.concat(chunks).toString('utf8');
    assert.equal(code, 0);
    assert.ok(text.length > 800_000, `only ${text.length} bytes arrived`);
    const report = JSON.parse(text) as { summary: { targets: number } };
    assert.equal(report.summary.targets, 300);
  });
});
