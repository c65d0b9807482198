// An enterprise CA deployed by helm (release "pki" in namespace "pki"): root CA, sub CA and a
// management root, RSA 4096 / SHA-384, in `pki-default-cas`; a `pki-trust-cas` bundle that misses
// the sub CA; the ingress Secret; a PKCS#12 keystore Secret; plus what such a namespace also holds.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KubeApiServer, tlsSecret } from '../support/kube-api-server.js';
import { kubernetesCollector } from '../../src/sources/kubernetes/collector.js';
import { discoverCollector } from '../../src/sources/kubernetes/discover-collector.js';
import { kubeFindings } from '../../src/evaluate/kubernetes/index.js';
import { load, collect, evaluate } from '../../src/pipeline.js';
import type { Observation } from '../../src/core/model.js';
import type { Target } from '../../src/inventory/types.js';
import type { Issued } from '../support/pki.js';
import { b64, closeApis, discoverTarget, kubeContext, kubeTarget, pkcs12 } from './helpers.js';

const NOW = new Date();
const helmLabels = {
  'app.kubernetes.io/instance': 'pki',
  'app.kubernetes.io/managed-by': 'Helm',
  'app.kubernetes.io/name': 'enterprise-ca',
};

describe('scenario: an enterprise CA deployed by helm', function () {
  this.timeout(180_000);
  let server: KubeApiServer;
  let ctx: ReturnType<typeof kubeContext>;
  let root: Issued, sub: Issued, mgmt: Issued, ingress: Issued, admin: Issued, extra: Issued;
  let declared: Target[];
  let observations: Observation[];

  before(async () => {
    server = await KubeApiServer.start();
    const pki = server.pki;
    root = await pki.ca({ cn: 'Structures Root CA', o: ['Structures'], key: 'rsa4096', hash: 'SHA-384' });
    sub = await pki.ca({
      cn: 'Structures Sub CA',
      o: ['Structures'],
      key: 'rsa4096',
      hash: 'SHA-384',
      issuer: root,
      pathLen: 0,
    });
    mgmt = await pki.ca({ cn: 'Management Root CA', o: ['Structures'], key: 'rsa4096', hash: 'SHA-384' });
    ingress = await pki.leaf({
      cn: 'pki.mtg.example',
      dns: ['pki.mtg.example'],
      issuer: sub,
      key: 'rsa2048',
      hash: 'SHA-384',
      eku: ['serverAuth'],
    });
    admin = await pki.leaf({
      cn: 'superadmin',
      issuer: mgmt,
      key: 'rsa2048',
      hash: 'SHA-384',
      eku: ['clientAuth'],
    });
    extra = await pki.leaf({ cn: 'ocsp.pki.mtg.example', issuer: sub, eku: ['OCSPSigning'] });

    server.add('Secret', {
      metadata: { name: 'pki-default-cas', namespace: 'pki', labels: helmLabels },
      type: 'Opaque',
      data: { 'root-ca.crt': b64(root.pem), 'sub-ca.crt': b64(sub.pem), 'management-ca.crt': b64(mgmt.pem) },
    });
    server.add('Secret', {
      metadata: { name: 'pki-trust-cas', namespace: 'pki', labels: helmLabels },
      type: 'Opaque',
      data: { 'ca.crt': b64(root.pem + mgmt.pem) },
    });
    server.add(
      'Secret',
      tlsSecret('pki', 'pki-ingress', pki.chainPem(ingress, sub), ingress.keyPem, {
        ca: root.pem,
        labels: helmLabels,
      }),
    );
    server.add('Secret', {
      metadata: { name: 'pki-keystore', namespace: 'pki', labels: helmLabels },
      type: 'Opaque',
      data: { 'keystore.p12': b64(pkcs12(admin, [mgmt], 'ks-secret', 'superadmin')) },
    });
    server.add(
      'Secret',
      tlsSecret('pki', 'pki-ocsp-signer', extra.pem, extra.keyPem, { labels: helmLabels }),
    );
    server.add('Secret', {
      metadata: { name: 'sh.helm.release.v1.pki.v4', namespace: 'pki' },
      type: 'helm.sh/release.v1',
      data: { release: b64('H4sIAAAAAAAA/release') },
    });
    server.add('Secret', {
      metadata: { name: 'pki-database', namespace: 'pki', labels: helmLabels },
      type: 'Opaque',
      data: { password: b64('db-pass') },
    });
    server.add('ConfigMap', {
      metadata: { name: 'kube-root-ca.crt', namespace: 'pki' },
      data: { 'ca.crt': root.pem },
    });
    server.add('CertificateSigningRequest', {
      metadata: {
        name: 'pki-operator-client',
        creationTimestamp: new Date(NOW.getTime() - 3 * 86_400_000).toISOString(),
      },
      spec: {
        signerName: 'kubernetes.io/kube-apiserver-client',
        usages: ['client auth'],
        username: 'pki-operator',
      },
      status: {},
    });

    declared = [
      kubeTarget('pki-default-cas', { kind: 'Secret', namespace: 'pki', name: 'pki-default-cas' }),
      kubeTarget(
        'pki-trust-cas',
        { kind: 'Secret', namespace: 'pki', name: 'pki-trust-cas', key: 'ca.crt' },
        { trustStore: { contains: ['structures-root', 'structures-sub'], only: true } },
      ),
      kubeTarget(
        'pki-ingress',
        { kind: 'Secret', namespace: 'pki', name: 'pki-ingress' },
        { expect: { chainTo: 'structures-root', extKeyUsage: ['serverAuth'] } },
      ),
      kubeTarget('pki-keystore', {
        kind: 'Secret',
        namespace: 'pki',
        name: 'pki-keystore',
        key: 'keystore.p12',
        format: 'pkcs12',
        passwordEnv: 'PKI_KEYSTORE_PASSWORD',
      }),
    ];
    const disc = discoverTarget('pki-discovered', { namespaces: ['pki'] });
    ctx = kubeContext(server, { env: { PKI_KEYSTORE_PASSWORD: 'ks-secret' } });
    observations = [];
    for (const t of declared) observations.push(...(await kubernetesCollector.collect(t, ctx)));
    observations.push(...(await discoverCollector.collect(disc, ctx)));
    declared.push(disc);
  });
  after(async () => {
    closeApis(ctx);
    await server.close();
  });

  const obs = (id: string) => {
    const o = observations.find((x) => x.target === id);
    assert.ok(o, `no observation for ${id}`);
    return o;
  };
  const fps = (list: { record: { sha256: string } }[] | null | undefined) =>
    (list ?? []).map((c) => c.record.sha256);

  it('reads the three CAs of <release>-default-cas as a trust store, RSA 4096 with SHA-384', () => {
    const o = obs('pki-default-cas');
    assert.equal(o.status, 'ok');
    assert.deepEqual(o.certificates, []);
    assert.deepEqual(new Set(fps(o.trustStore)), new Set([root.sha256, sub.sha256, mgmt.sha256]));
    for (const c of o.trustStore ?? []) {
      assert.equal(c.record.keyType, 'RSA');
      assert.equal(c.record.keyBits, 4096);
      assert.equal(c.record.signatureHash, 'sha384');
      assert.equal(c.record.isCA, true);
    }
  });

  it('reads <release>-trust-cas as a trust store that holds the root and management root but not the sub CA', () => {
    const o = obs('pki-trust-cas');
    assert.deepEqual(fps(o.trustStore), [root.sha256, mgmt.sha256]);
    assert.ok(!fps(o.trustStore).includes(sub.sha256));
    assert.deepEqual(o.certificates, []);
  });

  it('reads the ingress Secret as leaf then sub CA, with the root in ca.crt', () => {
    const o = obs('pki-ingress');
    assert.deepEqual(fps(o.certificates), [ingress.sha256, sub.sha256]);
    assert.deepEqual(fps(o.trustStore), [root.sha256]);
    assert.deepEqual(o.certificates[0]?.record.dnsNames, ['pki.mtg.example']);
  });

  it('reads the PKCS#12 keystore Secret: the superadmin certificate and the management root', () => {
    const o = obs('pki-keystore');
    assert.equal(o.status, 'ok', JSON.stringify(o.error));
    assert.deepEqual(new Set(fps(o.certificates)), new Set([admin.sha256, mgmt.sha256]));
    assert.equal(o.certificates[0]?.record.subject.CN, 'superadmin');
  });

  it('discovers the namespace: every certificate-bearing object once, helm release and password Secrets skipped', () => {
    const ids = observations
      .filter((o) => o.target.startsWith('pki-discovered/'))
      .map((o) => o.target)
      .sort();
    assert.deepEqual(ids, [
      'pki-discovered/CertificateSigningRequest/pki-operator-client',
      'pki-discovered/Secret/pki/pki-default-cas',
      'pki-discovered/Secret/pki/pki-ingress',
      'pki-discovered/Secret/pki/pki-keystore',
      'pki-discovered/Secret/pki/pki-ocsp-signer',
      'pki-discovered/Secret/pki/pki-trust-cas',
      'pki-discovered/cluster-ca',
    ]);
    const ks = obs('pki-discovered/Secret/pki/pki-keystore');
    assert.match((ks.warnings ?? []).join('\n'), /keystore\.p12: pkcs12 keystore not read during discovery/);
    assert.equal(obs('pki-discovered/Secret/pki/pki-ingress').details?.release, 'pki');
  });

  it('gives exactly the expected Kubernetes findings: the OCSP signer and the cluster CA undeclared, the operator CSR pending (and, holding no certificate yet, not undeclared)', () => {
    const findings = kubeFindings(observations, declared, { now: NOW });
    assert.deepEqual(
      findings.map((f) => [f.check, f.target, f.severity, f.certificate]).sort(),
      [
        ['csr.pending', 'pki-discovered/CertificateSigningRequest/pki-operator-client', 'warning', null],
        ['inventory.undeclared', 'pki-discovered/Secret/pki/pki-ocsp-signer', 'info', extra.sha256],
        ['inventory.undeclared', 'pki-discovered/cluster-ca', 'info', root.sha256],
      ].sort(),
    );
  });

  it('through the engine, the declared targets give exactly one finding: the sub CA missing from <release>-trust-cas', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cw-helm-'));
    try {
      fs.mkdirSync(path.join(dir, 'anchors'));
      fs.writeFileSync(path.join(dir, 'anchors', 'root.pem'), root.pem);
      fs.writeFileSync(path.join(dir, 'anchors', 'sub.pem'), sub.pem);
      fs.writeFileSync(path.join(dir, 'anchors', 'mgmt.pem'), mgmt.pem);
      const all = '[structures-root, structures-sub, management-root]';
      fs.writeFileSync(
        path.join(dir, 'pki.yaml'),
        [
          'apiVersion: certwarden/v1',
          'kind: Inventory',
          'metadata: {name: pki}',
          'clusters:',
          '  - name: avilla',
          '    kubeconfig: {env: KUBECONFIG_AVILLA}',
          'anchors:',
          '  - {id: structures-root, file: anchors/root.pem}',
          '  - {id: structures-sub, file: anchors/sub.pem}',
          '  - {id: management-root, file: anchors/mgmt.pem}',
          'targets:',
          '  - id: pki-default-cas',
          '    kubernetes: {cluster: avilla, kind: Secret, namespace: pki, name: pki-default-cas}',
          `    trustStore: {contains: ${all}, only: true}`,
          '  - id: pki-trust-cas',
          '    kubernetes: {cluster: avilla, kind: Secret, namespace: pki, name: pki-trust-cas, key: ca.crt}',
          `    trustStore: {contains: ${all}, only: true}`,
          '  - id: pki-ingress',
          '    kubernetes: {cluster: avilla, kind: Secret, namespace: pki, name: pki-ingress}',
          '    expect: {chainTo: structures-root, extKeyUsage: [serverAuth], dnsNames: [pki.mtg.example]}',
          '  - id: pki-keystore',
          '    kubernetes: {cluster: avilla, kind: Secret, namespace: pki, name: pki-keystore, key: keystore.p12, format: pkcs12, passwordEnv: PKI_KEYSTORE_PASSWORD}',
          '    expect: {chainTo: management-root, subject: {CN: superadmin}}',
          '',
        ].join('\n'),
      );
      // No services handed in: the collectors build their client from the inventory's cluster.
      const env = {
        KUBECONFIG_AVILLA: server.kubeconfig({ auth: 'token' }),
        PKI_KEYSTORE_PASSWORD: 'ks-secret',
      };
      const opts = { inventoryDirs: [dir], policyDirs: [], env, now: NOW };
      const loaded = await load(opts);
      const report = evaluate(loaded, await collect(loaded, opts), NOW);
      assert.deepEqual(
        report.findings.map((f) => [f.check, f.target, f.severity, f.certificate]),
        [['trustStore.missing', 'pki-trust-cas', 'error', sub.sha256]],
      );
      assert.deepEqual(
        report.targets.map((t) => [t.id, t.status]),
        [
          ['pki-default-cas', 'ok'],
          ['pki-trust-cas', 'findings'],
          ['pki-ingress', 'ok'],
          ['pki-keystore', 'ok'],
        ],
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
