// Discovery through the whole pipeline: a forbidden namespace is a warning for that scope, a CSR
// pending for days is reported, undeclared objects are listed as info, and nothing false is said
// about objects that hold no certificate yet.
import assert from 'node:assert/strict';
import { KubeApiServer, tlsSecret } from '../support/kube-api-server.js';
import { TempDir } from '../support/fs.js';
import { runScan } from '../../src/pipeline.js';

describe('a discover target scanned end to end', function () {
  let server: KubeApiServer;
  let tmp: TempDir;
  let leafSha: string;
  before(async () => {
    server = await KubeApiServer.start();
    tmp = new TempDir();
    const root = await server.pki.ca({ cn: 'Shop Root' });
    const leaf = await server.pki.leaf({ cn: 'shop.example', dns: ['shop.example'], issuer: root });
    leafSha = leaf.sha256;
    server.add('Secret', tlsSecret('shop', 'shop-tls', leaf.pem, leaf.keyPem));
    server.add('Secret', tlsSecret('locked', 'locked-tls', leaf.pem, leaf.keyPem));
    server.forbid({ kind: 'Secret', namespace: 'locked' });
    const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
    server.add('CertificateSigningRequest', {
      metadata: { name: 'node-csr-stale', creationTimestamp: threeDaysAgo },
      spec: {
        signerName: 'kubernetes.io/kube-apiserver-client-kubelet',
        usages: ['digital signature', 'client auth'],
        username: 'system:node:n1',
      },
      status: {},
    });
    tmp.write('inventory/cluster.yaml', {
      apiVersion: 'certwarden/v1',
      kind: 'Inventory',
      metadata: { name: 'avilla' },
      clusters: [{ name: 'avilla', kubeconfig: { env: 'KUBECONFIG_AVILLA' } }],
      targets: [{ id: 'avilla-discovered', discover: { cluster: 'avilla', namespaces: ['shop', 'locked'] } }],
    });
  });
  after(async () => {
    await server.close();
    tmp.cleanup();
  });

  it('reports the forbidden scope as a warning, the stale CSR, and the undeclared Secret, and nothing else', async () => {
    const env = { ...process.env, KUBECONFIG_AVILLA: server.kubeconfig({ auth: 'token' }) };
    const { report } = await runScan({
      inventoryDirs: [tmp.path('inventory')],
      policyDirs: [],
      env,
      failOn: 'error',
    });
    const got = report.findings.map((f) => `${f.check} ${f.severity}`).sort();
    assert.deepEqual(
      got,
      ['csr.pending warning', 'inventory.undeclared info', 'source.error warning'],
      JSON.stringify(report.findings, null, 2),
    );
    const undeclared = report.findings.find((f) => f.check === 'inventory.undeclared')!;
    assert.match(undeclared.message, /shop-tls/);
    assert.equal(undeclared.certificate, leafSha);
    const scope = report.findings.find((f) => f.check === 'source.error')!;
    assert.match(scope.message, /locked/);
    assert.equal(
      report.findings.some((f) => f.check === 'source.empty'),
      false,
    );
  });
});
