// One bad source does not stop the run: a cluster whose kubeconfig is missing (a file that is not
// there, a variable that is not set) is `source.error` on that cluster's targets, and the file
// targets beside it are judged as usual. `validate` reports a missing kubeconfig file of the
// repository at its line, and warns for one that may live where the scan runs (an absolute path, a
// variable absent from a pull-request job). `kubeconfig: {env: X}` holds the kubeconfig text or the
// path of a kubeconfig file, and the run says which it read.
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/core/errors.js';
import { load, runScan } from '../../src/pipeline.js';
import { Pki } from '../support/pki.js';
import { TempDir } from '../support/fs.js';
import { KubeApiServer, tlsSecret } from '../support/kube-api-server.js';
import { captureLogger } from '../kube/helpers.js';

const MISSING = '/nonexistent/certwarden/kubeconfigs/plant.conf';

describe('a missing kubeconfig beside file targets', function () {
  this.timeout(60_000);
  let tmp: TempDir;
  let leafPem: string;

  before(async () => {
    tmp = new TempDir();
    const pki = new Pki();
    const root = await pki.ca({ cn: 'Plant Root' });
    const leaf = await pki.leaf({ cn: 'mes.plant.example', dns: ['mes.plant.example'], issuer: root });
    leafPem = leaf.pem + root.pem;
    tmp.write('inventory/anchors/root.pem', root.pem);
    tmp.write('inventory/certs/mes.pem', leafPem);
    tmp.write('inventory/plant.yaml', {
      apiVersion: 'certwarden/v1',
      kind: 'Inventory',
      metadata: { name: 'plant' },
      defaults: { policies: [] },
      anchors: [{ id: 'plant-root', file: 'anchors/root.pem' }],
      clusters: [
        { name: 'gone', kubeconfig: { path: MISSING } },
        { name: 'secret-less', kubeconfig: { env: 'KUBECONFIG_SECRET_LESS' } },
      ],
      targets: [
        { id: 'mes', file: { path: 'certs/mes.pem' }, expect: { chainTo: 'plant-root' } },
        { id: 'ingress', kubernetes: { cluster: 'gone', kind: 'Secret', namespace: 'web', name: 'ingress' } },
        { id: 'everything', discover: { cluster: 'gone', namespaces: ['*'] } },
        { id: 'hooks', kubernetes: { cluster: 'secret-less', kind: 'Secret', namespace: 'x', name: 'y' } },
      ],
    });
  });
  after(() => tmp.cleanup());

  it('scan reports source.error on the cluster targets and judges the file target', async () => {
    const logger = captureLogger();
    const { report, exitCode } = await runScan({
      inventoryDirs: [tmp.path('inventory')],
      policyDirs: [],
      env: {},
      logger,
      failOn: 'error',
    });
    assert.equal(exitCode, 1, 'findings, not a configuration error');
    const byTarget = Object.fromEntries(report.findings.map((f) => [f.target, f]));
    assert.deepEqual(Object.keys(byTarget).sort(), ['everything', 'hooks', 'ingress']);
    for (const id of ['everything', 'ingress']) {
      assert.equal(byTarget[id]!.check, 'source.error');
      assert.equal(byTarget[id]!.severity, 'error');
      assert.match(byTarget[id]!.message, /\(config\).*cluster 'gone'.*cannot read kubeconfig file.*ENOENT/);
    }
    assert.match(byTarget.hooks!.message, /KUBECONFIG_SECRET_LESS is not set/);
    const mes = report.targets.find((t) => t.id === 'mes')!;
    assert.equal(mes.status, 'ok');
    assert.equal(mes.chain?.trusted, true);
    // Warned once per cluster, not once per target.
    assert.equal(
      logger.lines.filter((l) => /^warning: .*cluster 'gone'.*cannot read kubeconfig/.test(l)).length,
      1,
    );
  });

  it('validate accepts it, warning at the lines of the path and of the variable', async () => {
    const logger = captureLogger();
    await load({ inventoryDirs: [tmp.path('inventory')], policyDirs: [], env: {}, logger });
    const warnings = logger.lines.filter((l) => l.startsWith('warning: '));
    assert.equal(warnings.length, 2, warnings.join('\n'));
    assert.match(
      warnings[0]!,
      /plant\.yaml:\d+:\d+: warning: clusters\[0\]\.kubeconfig\.path: kubeconfig file .* does not exist here/,
    );
    assert.match(
      warnings[1]!,
      /plant\.yaml:\d+:\d+: warning: clusters\[1\]\.kubeconfig\.env: environment variable KUBECONFIG_SECRET_LESS .* is not set here/,
    );
  });

  it('validate refuses a missing kubeconfig file of the repository (a relative path) at its line', async () => {
    tmp.write('inventory/more.yaml', {
      apiVersion: 'certwarden/v1',
      kind: 'Inventory',
      metadata: { name: 'more' },
      clusters: [{ name: 'repo-kc', kubeconfig: { path: 'kubeconfigs/missing.conf' } }],
    });
    try {
      await assert.rejects(load({ inventoryDirs: [tmp.path('inventory')], policyDirs: [], env: {} }), (e) => {
        assert.ok(e instanceof ConfigError);
        assert.match(
          e.message,
          /more\.yaml:8:13: error: clusters\[0\]\.kubeconfig\.path: kubeconfig file 'kubeconfigs\/missing\.conf' of cluster 'repo-kc' does not exist/,
        );
        return true;
      });
    } finally {
      tmp.write('inventory/more.yaml', '# removed\n');
    }
  });
});

describe('kubeconfig: {env: X} holds the text or a path', function () {
  this.timeout(60_000);
  let server: KubeApiServer;
  let tmp: TempDir;

  before(async () => {
    server = await KubeApiServer.start();
    tmp = new TempDir();
    const root = await server.pki.ca({ cn: 'Avilla Root' });
    const leaf = await server.pki.leaf({ cn: 'shop.example', dns: ['shop.example'], issuer: root });
    server.add('Secret', tlsSecret('shop', 'shop-tls', leaf.pem, leaf.keyPem));
    tmp.write('kube/avilla.conf', server.kubeconfig({ auth: 'token' }));
    tmp.write('inventory/cluster.yaml', {
      apiVersion: 'certwarden/v1',
      kind: 'Inventory',
      metadata: { name: 'avilla' },
      defaults: { policies: [] },
      clusters: [{ name: 'avilla', kubeconfig: { env: 'KUBECONFIG_AVILLA' } }],
      targets: [
        {
          id: 'shop',
          kubernetes: { cluster: 'avilla', kind: 'Secret', namespace: 'shop', name: 'shop-tls' },
        },
      ],
    });
  });
  after(async () => {
    await server.close();
    tmp.cleanup();
  });

  for (const form of ['text', 'path'] as const) {
    it(`reads the kubeconfig from the variable's ${form} and says so`, async () => {
      const logger = captureLogger();
      const value = form === 'text' ? server.kubeconfig({ auth: 'token' }) : tmp.path('kube/avilla.conf');
      const { report } = await runScan({
        inventoryDirs: [tmp.path('inventory')],
        policyDirs: [],
        env: { KUBECONFIG_AVILLA: value },
        logger,
        failOn: 'never',
      });
      assert.deepEqual(report.findings, []);
      assert.equal(report.targets[0]?.status, 'ok');
      const said = logger.lines.filter((l) => /cluster 'avilla': kubeconfig read from/.test(l));
      assert.deepEqual(said, [
        form === 'text'
          ? "cluster 'avilla': kubeconfig read from the text in KUBECONFIG_AVILLA"
          : `cluster 'avilla': kubeconfig read from file ${value} (the path in KUBECONFIG_AVILLA)`,
      ]);
    });
  }

  it('says which it tried when the variable names a file that is not there', async () => {
    const { report } = await runScan({
      inventoryDirs: [tmp.path('inventory')],
      policyDirs: [],
      env: { KUBECONFIG_AVILLA: tmp.path('kube/nope.conf') },
      failOn: 'never',
    });
    assert.equal(report.findings.length, 1);
    assert.equal(report.findings[0]!.check, 'source.error');
    assert.match(
      report.findings[0]!.message,
      /environment variable KUBECONFIG_AVILLA names kubeconfig file .*nope\.conf, which cannot be read: ENOENT/,
    );
  });
});
