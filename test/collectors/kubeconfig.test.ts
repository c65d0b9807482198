import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Pki } from '../support/pki.js';
import { TempDir } from '../support/fs.js';
import { runScan } from '../../src/pipeline.js';

const NOW = new Date('2026-12-01T00:00:00Z');

describe('kubeconfig targets', function () {
  let tmp: TempDir;
  let keyBody: string;
  let clientSha: string;
  let caSha: string;
  before(async () => {
    tmp = new TempDir();
    const pki = new Pki({ now: NOW });
    const ca = await pki.ca({ cn: 'kubernetes' });
    const kubelet = await pki.leaf({
      cn: 'system:node:cp1',
      o: ['system:nodes'],
      issuer: ca,
      eku: ['clientAuth'],
    });
    clientSha = kubelet.sha256;
    caSha = ca.sha256;
    // kubelet's rotated client certificate: certificate and key in one file, as on real nodes.
    const combined = tmp.write('node/pki/kubelet-client-current.pem', kubelet.pem + kubelet.keyPem);
    keyBody = kubelet.keyPem.split('\n')[2]!;
    tmp.write('node/kubelet.conf', {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'default-cluster',
          cluster: {
            server: 'https://10.0.0.10:6443',
            'certificate-authority-data': Buffer.from(ca.pem).toString('base64'),
          },
        },
      ],
      users: [{ name: 'default-auth', user: { 'client-certificate': combined, 'client-key': combined } }],
      contexts: [{ name: 'default', context: { cluster: 'default-cluster', user: 'default-auth' } }],
      'current-context': 'default',
    });
    tmp.write('inventory/node.yaml', {
      apiVersion: 'certwarden/v1',
      kind: 'Inventory',
      metadata: { name: 'node' },
      anchors: [{ id: 'kubernetes-ca', file: '../ca.pem' }],
      targets: [
        {
          id: 'cp1-kubelet',
          kubeconfig: { path: tmp.path('node/kubelet.conf') },
          expect: { subject: { CN: 'system:node:cp1', O: ['system:nodes'] }, chainTo: 'kubernetes-ca' },
        },
      ],
    });
    tmp.write('ca.pem', ca.pem);
  });
  after(() => tmp.cleanup());

  it('reads the client certificate from a file that also holds its key, never the key, and the cluster CA as a trust store', async () => {
    const { report, observations } = await runScan({
      inventoryDirs: [tmp.path('inventory')],
      policyDirs: [],
      now: NOW,
      keepObservations: true,
    });
    const t = report.targets.find((x) => x.id === 'cp1-kubelet')!;
    assert.equal(t.status, 'ok', JSON.stringify(report.findings));
    assert.deepEqual(
      t.certificates.map((c) => [c.sha256, c.role]),
      [
        [clientSha, 'leaf'],
        [caSha, 'root'],
      ],
    );
    assert.equal(t.chain?.trusted, true);
    assert.deepEqual(report.findings, []);
    const everything = JSON.stringify({ report, observations });
    assert.ok(!everything.includes(keyBody), 'key material must not reach any output');
    assert.ok(
      readFileSync(tmp.path('node/pki/kubelet-client-current.pem'), 'utf8').includes(keyBody),
      'the fixture really holds the key',
    );
  });
});
