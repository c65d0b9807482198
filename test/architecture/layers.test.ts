// The layer rules of docs/architecture.md are enforced by dependency-cruiser (.dependency-cruiser.cjs),
// which CI runs through `npm run lint`. These tests show the rules bite: on a scratch copy of src/ a
// deliberate upward import, an import cycle and a source kind importing another kind each fail the
// check with the rule's name, while today's src/ passes.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const depcruise = path.join(root, 'node_modules/.bin/depcruise');

function cruise(cwd: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      depcruise,
      ['src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'],
      // Plain text whatever the environment (CI=true makes the reporter colour its output).
      { cwd, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, out: stdout + stderr }),
    );
  });
}

/** A copy of the checkout's src/ and configuration, with `edit` applied to it. */
function scratch(edit: (dir: string) => void): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'certwarden-layers-'));
  for (const f of ['src', 'schemas', 'tsconfig.json', '.dependency-cruiser.cjs', 'package.json'])
    cpSync(path.join(root, f), path.join(dir, f), { recursive: true });
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  edit(dir);
  return dir;
}

describe('layer rules (dependency-cruiser)', function () {
  this.timeout(120_000);
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it("today's src/ has no cycle and no layer break", async () => {
    const r = await cruise(root);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /no dependency violations found/);
  });

  const cases: { name: string; rule: RegExp; edit: (dir: string) => void }[] = [
    {
      name: 'the certificate model importing the CLI',
      rule: /error layer-x509: src\/x509\/der\.ts → src\/cli\/main\.ts/,
      edit: (d) => appendFileSync(path.join(d, 'src/x509/der.ts'), "\nimport '../cli/main.js';\n"),
    },
    {
      name: 'the report layer importing a command',
      rule: /error layer-report: src\/report\/text\.ts → src\/commands\/scan\.ts/,
      edit: (d) => appendFileSync(path.join(d, 'src/report/text.ts'), "\nimport '../commands/scan.js';\n"),
    },
    {
      name: 'an import cycle inside one folder',
      rule: /error no-circular: src\/x509\/(der|pem)\.ts →/,
      edit: (d) => {
        appendFileSync(path.join(d, 'src/x509/der.ts'), "\nimport './pem.js';\n");
        appendFileSync(path.join(d, 'src/x509/pem.ts'), "\nimport './der.js';\n");
      },
    },
    {
      name: 'one source kind importing another',
      rule: /error source-kinds-apart: src\/sources\/file\/collector\.ts → src\/sources\/endpoint\/probe\.ts/,
      edit: (d) =>
        appendFileSync(path.join(d, 'src/sources/file/collector.ts'), "\nimport '../endpoint/probe.js';\n"),
    },
  ];
  // One scratch copy holds every deliberate break (one cruise instead of four); each case asserts its own error.
  let broken: { code: number; out: string };
  before(async () => {
    const dir = scratch((d) => cases.forEach((c) => c.edit(d)));
    dirs.push(dir);
    broken = await cruise(dir);
  });
  for (const c of cases)
    it(`fails on ${c.name}`, () => {
      assert.notEqual(broken.code, 0, `expected violations:\n${broken.out}`);
      assert.match(broken.out, c.rule);
    });
});
