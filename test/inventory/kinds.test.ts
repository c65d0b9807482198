import assert from 'node:assert/strict';
import { TempDir } from '../support/fs.js';
import { runCli } from '../support/cli.js';

describe('certwarden documents of an unknown kind', () => {
  let tmp: TempDir;
  before(() => {
    tmp = new TempDir();
  });
  after(() => tmp.cleanup());

  it('are an error with a suggestion, not silently skipped (their targets would vanish from scans)', async () => {
    tmp.write('inv/a.yaml', 'apiVersion: certwarden/v1\nkind: Inventroy\nmetadata: {name: a}\ntargets: []\n');
    const r = await runCli(['validate', '--inventory', tmp.path('inv')]);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /a\.yaml:2:7: error: kind: unknown certwarden kind "Inventroy" \(expected one of Inventory, Policy, RenewalRequest, PolicyTest; did you mean 'Inventory'\?\)/,
    );
  });

  it('leave files of other tools alone (a Kubernetes manifest beside the inventory)', async () => {
    tmp.write(
      'inv2/a.yaml',
      'apiVersion: certwarden/v1\nkind: Inventory\nmetadata: {name: a}\ntargets: []\n',
    );
    tmp.write('inv2/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bundle}\ndata: {}\n');
    const r = await runCli(['validate', '--inventory', tmp.path('inv2')]);
    assert.equal(r.code, 0, r.stderr);
  });
});

describe('values YAML reads as numbers', () => {
  it('say to quote an all-digit pin', async () => {
    const tmp = new TempDir();
    try {
      tmp.write(
        'inv/a.yaml',
        'apiVersion: certwarden/v1\nkind: Inventory\nmetadata: {name: a}\ntargets:\n  - id: a\n    file: {path: /x.pem}\n    expect: {sha256: 1234567890}\n',
      );
      const r = await runCli(['validate', '--inventory', tmp.path('inv')]);
      assert.equal(r.code, 2);
      assert.match(
        r.stderr,
        /a\.yaml:7:\d+: error: targets\[0\]\.expect\.sha256: .*got 1234567890 \(YAML read an unquoted value as a number: put it in quotes\)/,
      );
    } finally {
      tmp.cleanup();
    }
  });
});

describe('policy pack names in the inventory', () => {
  it('are checked in the same pass as the other inventory problems, on their line', async () => {
    const tmp = new TempDir();
    try {
      tmp.write(
        'inv/a.yaml',
        'apiVersion: certwarden/v1\nkind: Inventory\nmetadata: {name: a}\ndefaults: {policies: [baselin]}\ntargets:\n  - id: a\n    file: {path: /x.pem}\n    expect: {chainTo: nope}\n',
      );
      const r = await runCli(['validate', '--inventory', tmp.path('inv')]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /a\.yaml:4:\d+: error: .*baselin/);
      assert.match(r.stderr, /a\.yaml:8:\d+: error: .*nope/);
    } finally {
      tmp.cleanup();
    }
  });
});
