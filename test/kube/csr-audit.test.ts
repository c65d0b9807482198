import assert from 'node:assert/strict';
import { KubeApiServer } from '../support/kube-api-server.js';
import { discoverCollector } from '../../src/sources/kubernetes/discover-collector.js';
import { auditCsrs } from '../../src/evaluate/kubernetes/csr-audit.js';
import { b64, closeApis, discoverTarget, kubeContext } from './helpers.js';

const NOW = new Date('2026-12-01T12:00:00Z');

describe('CSR audit over the Kubernetes certificates API', () => {
  let server: KubeApiServer;
  let ctx: ReturnType<typeof kubeContext>;
  const fp: Record<string, string> = {};

  before(async () => {
    server = await KubeApiServer.start();
    const pki = server.pki;
    const kubeCA = await pki.ca({ cn: 'kubernetes' });
    const goodKubelet = await pki.leaf({
      cn: 'system:node:worker-1',
      o: ['system:nodes'],
      issuer: kubeCA,
      eku: ['clientAuth'],
    });
    const badKubelet = await pki.leaf({
      cn: 'worker-2',
      o: ['system:masters'],
      dns: ['worker-2.example'],
      issuer: kubeCA,
      eku: ['clientAuth'],
    });
    fp.bad = badKubelet.sha256;
    const csr = (name: string, signerName: string, created: string, status: Record<string, unknown>) =>
      server.add('CertificateSigningRequest', {
        metadata: { name, creationTimestamp: created },
        spec: { signerName, usages: ['client auth'], username: 'system:bootstrap:abc' },
        status,
      });
    const approved = (at: string) => ({
      type: 'Approved',
      status: 'True',
      reason: 'AutoApproved',
      lastUpdateTime: at,
    });
    csr('good-kubelet', 'kubernetes.io/kube-apiserver-client-kubelet', '2026-11-30T00:00:00Z', {
      conditions: [approved('2026-11-30T00:00:01Z')],
      certificate: b64(goodKubelet.pem),
    });
    csr('bad-kubelet', 'kubernetes.io/kube-apiserver-client-kubelet', '2026-11-30T00:00:00Z', {
      conditions: [approved('2026-11-30T00:00:01Z')],
      certificate: b64(badKubelet.pem),
    });
    csr('stuck', 'example.com/custom-signer', '2026-11-29T00:00:00Z', {
      conditions: [approved('2026-11-29T00:00:05Z')],
    });
    csr('just-approved', 'example.com/custom-signer', '2026-12-01T11:58:00Z', {
      conditions: [approved('2026-12-01T11:59:00Z')],
    });
    csr('forgotten', 'kubernetes.io/kube-apiserver-client', '2026-11-20T00:00:00Z', {});
    csr('fresh', 'kubernetes.io/kube-apiserver-client', '2026-12-01T10:00:00Z', {});
    csr('denied', 'kubernetes.io/kube-apiserver-client', '2026-11-01T00:00:00Z', {
      conditions: [{ type: 'Denied', status: 'True', reason: 'NotAllowed' }],
    });
    ctx = kubeContext(server);
  });
  after(async () => {
    closeApis(ctx);
    await server.close();
  });

  async function findings() {
    const obs = await discoverCollector.collect(
      discoverTarget('d', { kinds: ['CertificateSigningRequest'] }),
      ctx,
    );
    return auditCsrs(obs, { now: NOW });
  }

  it('flags an approved request that never got its certificate (csr.unissued), not one approved a minute ago', async () => {
    const f = (await findings()).filter((x) => x.check === 'csr.unissued');
    assert.deepEqual(
      f.map((x) => x.target),
      ['d/CertificateSigningRequest/stuck'],
    );
    assert.equal(f[0]?.severity, 'warning');
    assert.match(
      f[0]?.message ?? '',
      /^CertificateSigningRequest stuck \(signer example\.com\/custom-signer\) was approved 2 days ago but no certificate was issued/,
    );
  });

  it('flags a request pending for more than a day (csr.pending), not a fresh or a denied one', async () => {
    const f = (await findings()).filter((x) => x.check === 'csr.pending');
    assert.deepEqual(
      f.map((x) => x.target),
      ['d/CertificateSigningRequest/forgotten'],
    );
    assert.match(f[0]?.message ?? '', /has been pending for 11 days: approve or deny it/);
  });

  it('flags a kubelet client certificate whose CN, O or SANs break the kube-apiserver-client-kubelet rules', async () => {
    const f = (await findings()).filter((x) => x.check === 'csr.signer-rules');
    assert.deepEqual(
      f.map((x) => x.target),
      ['d/CertificateSigningRequest/bad-kubelet'],
    );
    assert.equal(f[0]?.certificate, fp.bad);
    assert.equal(
      f[0]?.message,
      "CertificateSigningRequest bad-kubelet: the certificate issued by signer kubernetes.io/kube-apiserver-client-kubelet breaks its rules: CN must be system:node:<nodeName> (is 'worker-2'); O must be exactly system:nodes (is 'system:masters'); must have no subject alternative names (has 1)",
    );
  });

  it('gives the same finding ids on every run', async () => {
    const a = (await findings()).map((f) => f.id);
    const b = (await findings()).map((f) => f.id);
    assert.equal(a.length, 3);
    assert.deepEqual(a, b);
  });
});
