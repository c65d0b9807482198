import assert from 'node:assert/strict';
import path from 'node:path';
import { expandKubeadmPreset, type KubeadmTarget } from '../../src/inventory/presets/kubeadm.js';
import { firstServiceIp } from '../../src/inventory/presets/kubeadm-table.js';
import { loadPolicies } from '../../src/policy/load.js';
import { evaluatePolicies } from '../../src/policy/evaluate.js';
import { evaluateExpect } from '../../src/evaluate/expect.js';
import { fileCollector } from '../../src/sources/file/collector.js';
import { kubeconfigCollector } from '../../src/sources/kubeconfig/collector.js';
import type { CollectContext } from '../../src/sources/types.js';
import type { Target } from '../../src/inventory/types.js';
import type { Finding } from '../../src/core/model.js';
import { silentLogger } from '../../src/core/logger.js';
import { Pki, type Issued } from '../support/pki.js';
import { tempTree } from './helpers.js';
import { writeFileSync } from 'node:fs';
import * as pipeline from '../../src/pipeline.js';

const NOW = new Date('2026-12-01T00:00:00Z');
const DAY = 86_400_000;

function kubeconfig(user: string, cert: Issued, ca: Issued): string {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: kubernetes',
    '  cluster:',
    `    certificate-authority-data: ${b64(ca.pem)}`,
    '    server: https://10.0.0.10:6443',
    'users:',
    `- name: ${user}`,
    '  user:',
    `    client-certificate-data: ${b64(cert.pem)}`,
    '',
  ].join('\n');
}

function presetTarget(dir: string, extra: Partial<{ confDir: string }> = {}): Target {
  return {
    id: 'cp1',
    inventory: 'cluster',
    location: { file: path.join(dir, 'inventory.yaml'), line: 7, column: 5 },
    source: {
      kind: 'preset',
      preset: {
        kubeadm: {
          pkiDir: path.join(dir, 'kubernetes/pki'),
          nodeName: 'cp1',
          advertiseAddress: '10.0.0.10',
          serviceSubnet: '10.96.0.0/12',
          clusterDomain: 'cluster.local',
          ...extra,
        },
      },
    },
    policies: ['baseline'],
    owners: ['@acme/platform'],
    zone: 'dc1',
    labels: { cluster: 'prod' },
  };
}

/** A kubeadm tree on disk as kubeadm writes it, with the defects the issue lists. */
async function defectiveTree(): Promise<string> {
  const pki = new Pki({ now: NOW });
  const nb = new Date(NOW.getTime() - 100 * DAY);
  const caNb = new Date(NOW.getTime() - 400 * DAY);
  const ca = await pki.ca({ cn: 'kubernetes', notBefore: caNb });
  const etcdCa = await pki.ca({ cn: 'etcd-ca', notBefore: caNb });
  const fpCa = await pki.ca({ cn: 'front-proxy-ca', notBefore: caNb });
  const leaf = (cn: string, issuer: Issued, more: Record<string, unknown> = {}) =>
    pki.leaf({ cn, issuer, notBefore: nb, days: 365, ...more });
  const files: Record<string, string> = {
    'kubernetes/pki/ca.crt': ca.pem,
    'kubernetes/pki/etcd/ca.crt': etcdCa.pem,
    'kubernetes/pki/front-proxy-ca.crt': fpCa.pem,
    // defect 1: kubernetes.default.svc.cluster.local missing
    'kubernetes/pki/apiserver.crt': (
      await leaf('kube-apiserver', ca, {
        dns: ['cp1', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc'],
        ips: ['10.96.0.1', '10.0.0.10'],
        eku: ['serverAuth'],
      })
    ).pem,
    'kubernetes/pki/apiserver-kubelet-client.crt': (
      await leaf('kube-apiserver-kubelet-client', ca, { o: ['kubeadm:cluster-admins'], eku: ['clientAuth'] })
    ).pem,
    // defect 2: expired front-proxy client
    'kubernetes/pki/front-proxy-client.crt': (
      await pki.leaf({
        cn: 'front-proxy-client',
        issuer: fpCa,
        notBefore: new Date(NOW.getTime() - 400 * DAY),
        days: 365,
        eku: ['clientAuth'],
      })
    ).pem,
    // defect 3: etcd server signed by the cluster CA instead of etcd/ca.crt
    'kubernetes/pki/etcd/server.crt': (
      await leaf('cp1', ca, {
        dns: ['cp1', 'localhost'],
        ips: ['10.0.0.10', '127.0.0.1', '::1'],
        eku: ['serverAuth', 'clientAuth'],
      })
    ).pem,
    'kubernetes/pki/etcd/peer.crt': (
      await leaf('cp1', etcdCa, {
        dns: ['cp1', 'localhost'],
        ips: ['10.0.0.10', '127.0.0.1', '::1'],
        eku: ['serverAuth', 'clientAuth'],
      })
    ).pem,
    'kubernetes/pki/etcd/healthcheck-client.crt': (
      await leaf('kube-etcd-healthcheck-client', etcdCa, { eku: ['clientAuth'] })
    ).pem,
    'kubernetes/pki/apiserver-etcd-client.crt': (
      await leaf('kube-apiserver-etcd-client', etcdCa, { eku: ['clientAuth'] })
    ).pem,
    'kubernetes/admin.conf': kubeconfig(
      'kubernetes-admin',
      await leaf('kubernetes-admin', ca, { o: ['kubeadm:cluster-admins'], eku: ['clientAuth'] }),
      ca,
    ),
    'kubernetes/super-admin.conf': kubeconfig(
      'kubernetes-super-admin',
      await leaf('kubernetes-super-admin', ca, { o: ['system:masters'], eku: ['clientAuth'] }),
      ca,
    ),
    'kubernetes/controller-manager.conf': kubeconfig(
      'system:kube-controller-manager',
      await leaf('system:kube-controller-manager', ca, { eku: ['clientAuth'] }),
      ca,
    ),
    // defect 5: scheduler without the system: prefix
    'kubernetes/scheduler.conf': kubeconfig(
      'system:kube-scheduler',
      await leaf('kube-scheduler', ca, { eku: ['clientAuth'] }),
      ca,
    ),
    // defect 4: kubelet client certificate in O system:node (singular)
    'kubernetes/kubelet.conf': kubeconfig(
      'system:node:cp1',
      await leaf('system:node:cp1', ca, { o: ['system:node'], eku: ['clientAuth'] }),
      ca,
    ),
  };
  return tempTree(files);
}

describe('kubeadm preset', () => {
  let dir: string;
  before(async () => {
    dir = await defectiveTree();
  });

  it('the first Service IP of the service subnet is the apiserver SAN (IPv4, IPv6 and dual-stack)', () => {
    assert.equal(firstServiceIp('10.96.0.0/12'), '10.96.0.1');
    assert.equal(firstServiceIp('10.100.64.0/18'), '10.100.64.1');
    assert.equal(firstServiceIp('fd00:10:96::/112,10.96.0.0/12'), 'fd00:10:96::1');
  });

  it('expands one preset line into every PKI file and kubeconfig, with ids relative to the kubeadm folder', () => {
    const targets = expandKubeadmPreset(presetTarget(dir));
    assert.deepEqual(
      targets.map((t) => t.id),
      [
        'cp1/pki/ca.crt',
        'cp1/pki/apiserver.crt',
        'cp1/pki/apiserver-kubelet-client.crt',
        'cp1/pki/front-proxy-ca.crt',
        'cp1/pki/front-proxy-client.crt',
        'cp1/pki/etcd/ca.crt',
        'cp1/pki/etcd/server.crt',
        'cp1/pki/etcd/peer.crt',
        'cp1/pki/etcd/healthcheck-client.crt',
        'cp1/pki/apiserver-etcd-client.crt',
        'cp1/admin.conf',
        'cp1/super-admin.conf',
        'cp1/controller-manager.conf',
        'cp1/scheduler.conf',
        'cp1/kubelet.conf',
      ],
    );
    for (const t of targets) {
      assert.deepEqual(t.policies, ['baseline', 'kubernetes-pki']);
      assert.equal(t.expandedFrom, 'cp1');
      assert.equal(t.zone, 'dc1');
      assert.deepEqual(t.owners, ['@acme/platform']);
      assert.deepEqual(t.location, presetTarget(dir).location);
    }
    const api = targets.find((t) => t.id === 'cp1/pki/apiserver.crt')!;
    assert.deepEqual(api.source, {
      kind: 'file',
      file: { path: path.join(dir, 'kubernetes/pki/apiserver.crt'), format: 'pem' },
    });
    assert.deepEqual(api.expect, {
      subject: { CN: 'kube-apiserver' },
      dnsNames: [
        'cp1',
        'kubernetes',
        'kubernetes.default',
        'kubernetes.default.svc',
        'kubernetes.default.svc.cluster.local',
      ],
      ipAddresses: ['10.96.0.1', '10.0.0.10'],
    });
    const etcd = targets.find((t) => t.id === 'cp1/pki/etcd/server.crt') as KubeadmTarget;
    assert.equal(etcd.kubeadm.caFile, path.join(dir, 'kubernetes/pki/etcd/ca.crt'));
    assert.deepEqual(etcd.expect?.ipAddresses, ['10.0.0.10', '127.0.0.1', '::1']);
    const kubelet = targets.find((t) => t.id === 'cp1/kubelet.conf')!;
    assert.deepEqual(kubelet.source, {
      kind: 'kubeconfig',
      kubeconfig: { path: path.join(dir, 'kubernetes/kubelet.conf') },
    });
    assert.deepEqual(kubelet.expect?.subject, { CN: 'system:node:cp1', O: ['system:nodes'] });
    assert.equal(
      (targets.find((t) => t.id === 'cp1/pki/front-proxy-client.crt') as KubeadmTarget).kubeadm.caName,
      'front-proxy-ca.crt',
    );
  });

  it('reads kubeconfigs from confDir when given, and leaves out super-admin.conf where it does not exist', () => {
    const targets = expandKubeadmPreset(presetTarget(dir, { confDir: '/srv/kubeconfigs' }), {
      exists: () => false,
    });
    const admin = targets.find((t) => t.id === 'cp1/admin.conf')!;
    assert.deepEqual(admin.source, {
      kind: 'kubeconfig',
      kubeconfig: { path: '/srv/kubeconfigs/admin.conf' },
    });
    assert.equal(
      targets.some((t) => t.id === 'cp1/super-admin.conf'),
      false,
    );
  });

  it('on a tree with typical defects gives exactly those findings, and none on the clean files', async () => {
    const set = await loadPolicies([]);
    const targets = expandKubeadmPreset(presetTarget(dir));
    const ctx = {
      now: NOW,
      logger: silentLogger,
      timeoutMs: 5000,
      env: {},
      inventory: { inventories: [], anchors: new Map(), bundles: [], clusters: new Map(), targets },
    } as CollectContext;
    const findings: Finding[] = [];
    for (const t of targets) {
      const collector = t.source.kind === 'file' ? fileCollector : kubeconfigCollector;
      const [obs] = await collector.collect(t, ctx);
      assert.equal(obs!.status, 'ok', `${t.id}: ${obs!.error?.message}`);
      assert.ok(obs!.certificates.length >= 1, `${t.id} has its certificate`);
      // The inventory expectations (evaluated by the engine) and the policy packs, as a scan runs them.
      if (t.expect)
        findings.push(
          ...evaluateExpect(t.expect, {
            target: t,
            leaf: obs!.certificates[0]!.record,
            anchors: new Map(),
            issuedBy: () => false,
          }),
        );
      findings.push(...evaluatePolicies(set, { target: t, observation: obs!, chain: null, now: NOW }));
    }
    const summary = findings
      .map((f) => `${f.target} ${f.check}${f.rule ? `/${f.rule}` : ''} ${f.severity}`)
      .sort();
    assert.deepEqual(summary, [
      'cp1/kubelet.conf expect.subject error',
      'cp1/kubelet.conf kubernetes-naming/kubernetes-naming error',
      'cp1/pki/apiserver.crt expect.dnsNames error',
      'cp1/pki/etcd/server.crt kubernetes-naming/kubernetes-naming error',
      'cp1/pki/front-proxy-client.crt expiry/expiry error',
      'cp1/scheduler.conf expect.subject error',
      'cp1/scheduler.conf kubernetes-naming/kubernetes-naming error',
    ]);
    const msg = (id: string, check: string) =>
      findings.find((f) => f.target === id && f.check === check)!.message;
    assert.match(msg('cp1/pki/apiserver.crt', 'expect.dnsNames'), /kubernetes\.default\.svc\.cluster\.local/);
    assert.match(msg('cp1/pki/front-proxy-client.crt', 'expiry'), /expired 35 days ago/);
    assert.match(
      msg('cp1/pki/etcd/server.crt', 'kubernetes-naming'),
      /is not signed by the CA in etcd\/ca\.crt \("etcd-ca"\): it was issued by "CN=kubernetes"/,
    );
    assert.match(msg('cp1/kubelet.conf', 'kubernetes-naming'), /O is \["system:node"\], not "system:nodes"/);
    assert.match(msg('cp1/scheduler.conf', 'kubernetes-naming'), /lacks the system: prefix/);
    for (const f of findings)
      assert.deepEqual(f.location, presetTarget(dir).location, 'findings point at the preset line');
  });

  it('one preset line in an inventory, scanned by the pipeline, gives the same findings plus the naming findings', async () => {
    writeFileSync(
      path.join(dir, 'inventory.yaml'),
      [
        'apiVersion: certwarden/v1',
        'kind: Inventory',
        'metadata: {name: cluster}',
        'defaults: {policies: [baseline]}',
        'targets:',
        '  - id: cp1',
        '    preset: {kubeadm: {pkiDir: kubernetes/pki, nodeName: cp1, advertiseAddress: 10.0.0.10, serviceSubnet: 10.96.0.0/12, clusterDomain: cluster.local}}',
        '',
      ].join('\n'),
    );
    const opts = { inventoryDirs: [dir], policyDirs: [], now: NOW, env: {}, concurrency: 4, timeoutMs: 5000 };
    const loaded = await pipeline.load(opts);
    const report = pipeline.evaluate(loaded, await pipeline.collect(loaded, opts), NOW);
    const summary = report.findings.map((f) => `${f.target} ${f.check} ${f.severity}`).sort();
    assert.deepEqual(summary, [
      'cp1/kubelet.conf expect.subject error',
      'cp1/kubelet.conf kubernetes-naming error',
      'cp1/pki/apiserver.crt expect.dnsNames error',
      'cp1/pki/etcd/server.crt kubernetes-naming error',
      'cp1/pki/front-proxy-client.crt expiry error',
      'cp1/scheduler.conf expect.subject error',
      'cp1/scheduler.conf kubernetes-naming error',
    ]);
    for (const f of report.findings)
      assert.equal(f.location?.line, 6, 'every finding points at the preset line');
  });
});
