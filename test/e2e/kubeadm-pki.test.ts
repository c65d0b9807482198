// A kubeadm-style PKI tree on disk with typical defects, declared with explicit file targets:
// exactly the defects are reported, and the clean files give nothing.
import assert from 'node:assert/strict';
import { Pki, type Issued } from '../support/pki.js';
import { TempDir } from '../support/fs.js';
import { runScan } from '../../src/pipeline.js';

const NOW = new Date('2026-12-01T00:00:00Z');
const DAY = 86_400_000;

describe('a kubeadm PKI tree declared with explicit file targets', function () {
  let tmp: TempDir;
  let files: Record<string, Issued>;

  before(async function () {
    tmp = new TempDir();
    const pki = new Pki({ now: NOW });
    const ca = await pki.ca({ cn: 'kubernetes' });
    const etcdCa = await pki.ca({ cn: 'etcd-ca' });
    const fpCa = await pki.ca({ cn: 'front-proxy-ca' });
    files = {
      'ca.crt': ca,
      'etcd/ca.crt': etcdCa,
      'front-proxy-ca.crt': fpCa,
      // Defect 1: the apiserver certificate lacks kubernetes.default.svc.cluster.local.
      'apiserver.crt': await pki.leaf({
        cn: 'kube-apiserver',
        issuer: ca,
        eku: ['serverAuth'],
        dns: ['cp1', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc'],
        ips: ['10.96.0.1', '10.0.0.10'],
      }),
      'apiserver-kubelet-client.crt': await pki.leaf({
        cn: 'kube-apiserver-kubelet-client',
        o: ['kubeadm:cluster-admins'],
        issuer: ca,
        eku: ['clientAuth'],
      }),
      'apiserver-etcd-client.crt': await pki.leaf({
        cn: 'kube-apiserver-etcd-client',
        issuer: etcdCa,
        eku: ['clientAuth'],
      }),
      // Defect 2: the front-proxy client certificate expired ten days ago.
      'front-proxy-client.crt': await pki.leaf({
        cn: 'front-proxy-client',
        issuer: fpCa,
        eku: ['clientAuth'],
        notBefore: new Date(NOW.getTime() - 375 * DAY),
        days: 365,
      }),
      // Defect 3: the etcd server certificate was signed by the Kubernetes CA instead of etcd-ca.
      'etcd/server.crt': await pki.leaf({
        cn: 'cp1',
        issuer: ca,
        eku: ['serverAuth', 'clientAuth'],
        dns: ['cp1', 'localhost'],
        ips: ['10.0.0.10', '127.0.0.1', '::1'],
      }),
      'etcd/peer.crt': await pki.leaf({
        cn: 'cp1',
        issuer: etcdCa,
        eku: ['serverAuth', 'clientAuth'],
        dns: ['cp1', 'localhost'],
        ips: ['10.0.0.10', '127.0.0.1', '::1'],
      }),
      'etcd/healthcheck-client.crt': await pki.leaf({
        cn: 'kube-etcd-healthcheck-client',
        issuer: etcdCa,
        eku: ['clientAuth'],
      }),
    };
    for (const [rel, c] of Object.entries(files)) tmp.write(`pki/${rel}`, c.pem);
    const issuerOf: Record<string, string> = {
      'apiserver.crt': 'kubernetes-ca',
      'apiserver-kubelet-client.crt': 'kubernetes-ca',
      'apiserver-etcd-client.crt': 'etcd-ca',
      'front-proxy-client.crt': 'front-proxy-ca',
      'etcd/server.crt': 'etcd-ca',
      'etcd/peer.crt': 'etcd-ca',
      'etcd/healthcheck-client.crt': 'etcd-ca',
    };
    tmp.write('inventory/cp1.yaml', {
      apiVersion: 'certwarden/v1',
      kind: 'Inventory',
      metadata: { name: 'cp1' },
      defaults: { policies: ['baseline'] },
      anchors: [
        { id: 'kubernetes-ca', file: '../pki/ca.crt' },
        { id: 'etcd-ca', file: '../pki/etcd/ca.crt' },
        { id: 'front-proxy-ca', file: '../pki/front-proxy-ca.crt' },
      ],
      targets: Object.entries(issuerOf).map(([rel, anchor]) => ({
        id: `cp1.${rel.replace('/', '.')}`,
        file: { path: `../pki/${rel}` },
        expect: {
          chainTo: anchor,
          ...(rel === 'apiserver.crt'
            ? {
                subject: { CN: 'kube-apiserver' },
                dnsNames: [
                  'kubernetes',
                  'kubernetes.default',
                  'kubernetes.default.svc',
                  'kubernetes.default.svc.cluster.local',
                ],
                ipAddresses: ['10.96.0.1', '10.0.0.10'],
              }
            : {}),
        },
      })),
    });
  });
  after(() => tmp.cleanup());

  it('reports exactly the missing SAN, the expired front-proxy client and the etcd certificate from the wrong CA', async () => {
    const { report, exitCode } = await runScan({
      inventoryDirs: [tmp.path('inventory')],
      policyDirs: [],
      now: NOW,
      failOn: 'error',
    });
    const got = report.findings.map((f) => `${f.target} ${f.check} ${f.severity}`).sort();
    assert.deepEqual(got, [
      'cp1.apiserver.crt expect.dnsNames error',
      'cp1.etcd.server.crt expect.chainTo error',
      'cp1.front-proxy-client.crt expiry error',
    ]);
    const san = report.findings.find((f) => f.check === 'expect.dnsNames')!;
    assert.match(san.message, /kubernetes\.default\.svc\.cluster\.local/);
    assert.equal(san.certificate, files['apiserver.crt']!.sha256);
    const etcd = report.findings.find((f) => f.check === 'expect.chainTo')!;
    assert.match(etcd.message, /kubernetes-ca/);
    assert.equal(exitCode, 1);
    // No false errors on the clean files: every other target is ok.
    const clean = report.targets
      .filter((t) => t.status === 'ok')
      .map((t) => t.id)
      .sort();
    assert.deepEqual(clean, [
      'cp1.apiserver-etcd-client.crt',
      'cp1.apiserver-kubelet-client.crt',
      'cp1.etcd.healthcheck-client.crt',
      'cp1.etcd.peer.crt',
    ]);
    assert.equal(report.summary.findings.error, 3);
    assert.equal(report.evaluatedAt, NOW.toISOString());
  });

  it('gives the same finding ids on a second run (ids are stable)', async () => {
    const a = await runScan({ inventoryDirs: [tmp.path('inventory')], policyDirs: [], now: NOW });
    const b = await runScan({
      inventoryDirs: [tmp.path('inventory')],
      policyDirs: [],
      now: new Date(NOW.getTime() + 3600_000),
    });
    assert.deepEqual(a.report.findings.map((f) => f.id).sort(), b.report.findings.map((f) => f.id).sort());
  });
});
