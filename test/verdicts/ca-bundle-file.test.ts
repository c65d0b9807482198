// A trust store file is a store, not a chain: the Debian CA bundle (144 roots) as a file target is
// not judged as a chain whose "leaf" is its first root (no chain verdict, no chain.* finding, no
// certificate in the leaf role), even when the inventory has anchors; asked for with
// expect.chainTo, a file of CA certificates is judged as a chain again.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { runScan } from '../../src/pipeline.js';
import { Pki } from '../support/pki.js';
import { TempDir } from '../support/fs.js';

const BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

describe('a CA bundle file is a store, not a chain', function () {
  this.timeout(60_000);
  let tmp: TempDir;
  let count: number;

  before(async () => {
    assert.ok(existsSync(BUNDLE), `${BUNDLE} is missing: install the ca-certificates package`);
    const bundle = readFileSync(BUNDLE, 'latin1');
    count = (bundle.match(/-----BEGIN CERTIFICATE-----/g) ?? []).length;
    const pki = new Pki();
    const root = await pki.ca({ cn: 'Plant Root' });
    const issuing = await pki.ca({ cn: 'Plant Issuing', issuer: root });
    tmp = new TempDir();
    tmp.write('inventory/anchors/root.pem', root.pem);
    tmp.write('inventory/certs/system-bundle.pem', bundle);
    tmp.write('inventory/certs/ca-chain.pem', issuing.pem + root.pem);
    tmp.write('inventory/plant.yaml', {
      apiVersion: 'certwarden/v1',
      kind: 'Inventory',
      metadata: { name: 'plant' },
      defaults: { policies: [] },
      anchors: [{ id: 'plant-root', file: 'anchors/root.pem' }],
      targets: [
        { id: 'system-bundle', file: { path: 'certs/system-bundle.pem' } },
        { id: 'ca-chain', file: { path: 'certs/ca-chain.pem' }, expect: { chainTo: 'plant-root' } },
      ],
    });
  });
  after(() => tmp.cleanup());

  it('has no chain verdict and no leaf; a CA chain asked to chain to an anchor still gets one', async () => {
    const { report } = await runScan({
      inventoryDirs: [tmp.path('inventory')],
      policyDirs: [],
      env: {},
      failOn: 'never',
    });
    const bundle = report.targets.find((t) => t.id === 'system-bundle')!;
    assert.equal(bundle.certificates.length, count);
    assert.equal(bundle.chain, null);
    assert.deepEqual(
      bundle.certificates.filter((c) => c.role === 'leaf').map((c) => c.subject.dn),
      [],
    );
    assert.deepEqual(
      report.findings.filter((f) => f.target === 'system-bundle' && f.check.startsWith('chain.')),
      [],
    );
    const chain = report.targets.find((t) => t.id === 'ca-chain')!;
    assert.equal(chain.chain?.trusted, true);
    assert.equal(chain.chain?.anchor, 'plant-root');
  });
});
