// An X.509 v1 self-signed root (made the old way, `openssl x509 -req -signkey`: no extensions, so
// no CA flag) is a root: declared as an anchor it loads and a leaf chains to it; in a trust store
// it is not `trustStore.not-ca`. A v1 certificate that is not self-issued stays refused as an anchor.
import assert from 'node:assert/strict';
import { runScan, load } from '../../src/pipeline.js';
import { ConfigError } from '../../src/core/errors.js';
import { readCertificates } from '../../src/x509/read.js';
import { TempDir, openssl } from '../certificates/helpers.js';
import { TempDir as InventoryDir } from '../support/fs.js';

describe('an X.509 v1 self-signed root', function () {
  this.timeout(60_000);
  let certs: TempDir;
  let inv: InventoryDir;

  before(() => {
    certs = new TempDir();
    inv = new InventoryDir();
    const run = (args: string[]) => openssl(args, certs.path);
    // The root: a CSR self-signed with -signkey and no extension file, which openssl writes as v1.
    run(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'root.key']);
    run([
      'req',
      '-new',
      '-key',
      'root.key',
      '-subj',
      '/O=Legacy Plant/CN=Legacy Root v1',
      '-out',
      'root.csr',
    ]);
    run(['x509', '-req', '-in', 'root.csr', '-signkey', 'root.key', '-days', '3650', '-out', 'root.pem']);
    // A v3 server certificate issued by it, and a v1 certificate issued by it (not a root).
    certs.write('leaf.ext', 'subjectAltName=DNS:mes.legacy.example\nextendedKeyUsage=serverAuth\n');
    run(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'leaf.key']);
    run(['req', '-new', '-key', 'leaf.key', '-subj', '/CN=mes.legacy.example', '-out', 'leaf.csr']);
    const issue = (ext: string[], out: string) =>
      run([
        'x509',
        '-req',
        '-in',
        'leaf.csr',
        '-CA',
        'root.pem',
        '-CAkey',
        'root.key',
        '-CAcreateserial',
        '-days',
        '365',
        ...ext,
        '-out',
        out,
      ]);
    issue(['-extfile', 'leaf.ext'], 'leaf.pem');
    issue([], 'v1-leaf.pem');
    const root = readCertificates(certs.read('root.pem'), { file: 'root.pem' }).certificates[0]!.record;
    assert.equal(root.version, 1, 'openssl made a v1 certificate');
    assert.equal(root.isCA, false, 'with no CA flag');
    assert.equal(root.selfIssued, true);
    inv.write('inventory/anchors/root.pem', certs.read('root.pem'));
    inv.write('inventory/certs/leaf.pem', Buffer.concat([certs.read('leaf.pem'), certs.read('root.pem')]));
    inv.write('inventory/certs/trust.pem', certs.read('root.pem'));
    inv.write('inventory/plant.yaml', {
      apiVersion: 'certwarden/v1',
      kind: 'Inventory',
      metadata: { name: 'legacy-plant' },
      defaults: { policies: [] },
      anchors: [{ id: 'legacy-root', file: 'anchors/root.pem' }],
      targets: [
        {
          id: 'mes-server',
          file: { path: 'certs/leaf.pem' },
          expect: { chainTo: 'legacy-root', issuer: 'legacy-root', dnsNames: ['mes.legacy.example'] },
        },
        { id: 'plant-trust', file: { path: 'certs/trust.pem' }, trustStore: { contains: ['legacy-root'] } },
      ],
    });
  });
  after(() => {
    certs.remove();
    inv.cleanup();
  });

  it('loads as an anchor, a leaf chains to it, and a trust store holding it raises nothing', async () => {
    const { report } = await runScan({
      inventoryDirs: [inv.path('inventory')],
      policyDirs: [],
      failOn: 'never',
    });
    assert.deepEqual(report.findings, [], JSON.stringify(report.findings, null, 2));
    const server = report.targets.find((t) => t.id === 'mes-server')!;
    assert.equal(server.chain?.trusted, true);
    assert.equal(server.chain?.anchor, 'legacy-root');
    const store = report.targets.find((t) => t.id === 'plant-trust')!;
    assert.deepEqual(
      store.certificates.map((c) => [c.role, c.isCA]),
      [['root', false]],
    );
  });

  it('still refuses a v1 certificate that is not self-issued as an anchor', async () => {
    inv.write('inventory/anchors/v1-leaf.pem', certs.read('v1-leaf.pem'));
    inv.write('inventory/more.yaml', {
      apiVersion: 'certwarden/v1',
      kind: 'Inventory',
      metadata: { name: 'more' },
      anchors: [{ id: 'not-a-root', file: 'anchors/v1-leaf.pem' }],
    });
    try {
      await assert.rejects(
        load({ inventoryDirs: [inv.path('inventory')], policyDirs: [] }),
        (e: unknown) => e instanceof ConfigError && /v1-leaf\.pem' is not a CA certificate/.test(e.message),
      );
    } finally {
      inv.write('inventory/more.yaml', '# removed\n');
    }
  });
});
