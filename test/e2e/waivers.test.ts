// Waivers kept in git must name real targets: a typo would silently stop waiving.
import assert from 'node:assert/strict';
import { TempDir } from '../support/fs.js';
import { runCli } from '../support/cli.js';

describe('waivers naming targets', () => {
  let tmp: TempDir;
  before(() => {
    tmp = new TempDir();
    tmp.write('inv/a.yaml', {
      apiVersion: 'certwarden/v1',
      kind: 'Inventory',
      metadata: { name: 'a' },
      targets: [{ id: 'legacy-mes-appliance', file: { path: '/nonexistent/certwarden/mes.pem' } }],
    });
  });
  after(() => tmp.cleanup());

  it('refuse a waiver whose target id does not exist, with its line and the nearest id', async () => {
    tmp.write(
      'pol/w.yaml',
      'apiVersion: certwarden/v1\nkind: Policy\nmetadata: {name: w}\nrules: []\nwaivers:\n  - rule: strong-keys\n    target: legacy-mes-appliances\n    reason: vendor\n    owner: "@brent"\n    expires: 2027-03-31\n',
    );
    const r = await runCli(['validate', '--inventory', tmp.path('inv'), '--policies', tmp.path('pol')]);
    assert.equal(r.code, 2, r.stdout);
    assert.match(r.stderr, /w\.yaml:\d+:\d+: error: .*legacy-mes-appliances.*legacy-mes-appliance/);
  });

  it('accept a waiver whose target exists', async () => {
    tmp.write(
      'pol/w.yaml',
      'apiVersion: certwarden/v1\nkind: Policy\nmetadata: {name: w}\nrules: []\nwaivers:\n  - rule: strong-keys\n    target: legacy-mes-appliance\n    reason: vendor\n    owner: "@brent"\n    expires: 2027-03-31\n',
    );
    const r = await runCli(['validate', '--inventory', tmp.path('inv'), '--policies', tmp.path('pol')]);
    assert.equal(r.code, 0, r.stderr);
  });
});
