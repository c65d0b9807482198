import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { runDemo } from '../../src/cli/demo.js';

describe('certwarden demo', () => {
  it('scans its loopback lab end to end, reports every planted fault, and cleans up, in under 15 seconds', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const t0 = Date.now();
    const code = await runDemo({
      stdout: (s) => out.push(s),
      stderr: (s) => err.push(s),
      stdoutIsTTY: false,
      stderrIsTTY: false,
      env: {},
      cwd: process.cwd(),
      format: 'text',
    });
    const took = Date.now() - t0;
    const text = out.join('');
    assert.equal(code, 0, err.join(''));
    assert.ok(took < 15_000, `demo took ${took} ms`);
    for (const [target, check] of [
      ['demo-expired', 'expiry'],
      ['demo-expiring-soon', 'expiry'],
      ['demo-missing-intermediate', 'chain.incomplete'],
      ['demo-wrong-name', 'expect.dnsNames'],
      ['demo-untrusted-root', 'chain.untrusted'],
      ['demo-tarpit', 'source.unreachable'],
      ['demo-client-bundle', 'bundle.missing'],
    ]) {
      assert.match(text, new RegExp(`${target}\\s+${check.replace('.', '\\.')}`), `${target} ${check}`);
    }
    assert.doesNotMatch(text, /^(ERROR|WARNING|INFO)\s+demo-healthy\s/m);
    assert.match(text, /demo-healthy\s+healthy\.demo\.test/);
    assert.match(text, /GitHub sync \(dry run\) would:/);
    const dir = /inventory written to (\S+);/.exec(err.join(''))![1]!;
    assert.equal(existsSync(dir), false, 'the temporary folder is removed');
  });
});
