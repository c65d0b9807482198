import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { KubeApiServer, tlsSecret } from '../support/kube-api-server.js';
import { discoverCollector } from '../../src/sources/kubernetes/discover-collector.js';
import { renderDiscoveredInventory, undeclaredFindings } from '../../src/evaluate/kubernetes/undeclared.js';
import { inventoryValidator } from '../../src/inventory/schema.js';
import { loadInventory } from '../../src/inventory/load.js';
import type { Observation } from '../../src/core/model.js';
import type { Issued } from '../support/pki.js';
import { b64, closeApis, discoverTarget, kubeContext, kubeTarget } from './helpers.js';

describe('discover collector: every certificate-bearing object of a cluster', () => {
  let server: KubeApiServer;
  let ctx: ReturnType<typeof kubeContext>;
  let root: Issued, leaf: Issued, clusterCA: Issued;

  before(async () => {
    server = await KubeApiServer.start();
    const pki = server.pki;
    root = await pki.ca({ cn: 'Apps Root' });
    clusterCA = await pki.ca({ cn: 'kubernetes' });
    leaf = await pki.leaf({ cn: 'shop.example', dns: ['shop.example'], issuer: root });
    for (const ns of ['default', 'kube-system', 'shop', 'billing'])
      server.add('ConfigMap', {
        metadata: { name: 'kube-root-ca.crt', namespace: ns },
        data: { 'ca.crt': clusterCA.pem },
      });
    server.add('ConfigMap', {
      metadata: { name: 'app-config', namespace: 'shop' },
      data: { 'config.yaml': 'replicas: 3' },
    });
    server.add('ConfigMap', {
      metadata: { name: 'trust-bundle', namespace: 'shop' },
      data: { 'bundle.pem': root.pem },
    });
    server.add('Secret', tlsSecret('shop', 'shop-tls', leaf.pem, leaf.keyPem, { ca: root.pem }));
    server.add('Secret', tlsSecret('billing', 'billing-tls', leaf.pem, leaf.keyPem));
    server.add('Secret', {
      metadata: { name: 'db-password', namespace: 'shop' },
      type: 'Opaque',
      data: { password: b64('s3cret') },
    });
    server.add('Secret', {
      metadata: { name: 'sh.helm.release.v1.shop.v3', namespace: 'shop' },
      type: 'helm.sh/release.v1',
      data: { release: b64('H4sIAAAAAAAA') },
    });
    server.add('Secret', tlsSecret('vault', 'vault-tls', leaf.pem, leaf.keyPem));
    server.add('CertificateSigningRequest', {
      metadata: { name: 'node-csr-abc' },
      spec: { signerName: 'kubernetes.io/kube-apiserver-client-kubelet', usages: ['client auth'] },
      status: {},
    });
    server.add('MutatingWebhookConfiguration', {
      metadata: { name: 'inject' },
      webhooks: [
        {
          name: 'inject.example',
          clientConfig: { service: { namespace: 'mesh', name: 'injector' }, caBundle: b64(root.pem) },
        },
      ],
    });
    server.add('MutatingWebhookConfiguration', {
      metadata: { name: 'no-ca' },
      webhooks: [{ name: 'public.example', clientConfig: { url: 'https://127.0.0.1:1/x' } }],
    });
    server.add('APIService', {
      metadata: { name: 'v1.' },
      spec: { version: 'v1', groupPriorityMinimum: 18000 },
    });
    server.uninstall('Certificate');
    ctx = kubeContext(server);
  });
  after(async () => {
    closeApis(ctx);
    await server.close();
  });

  function ids(obs: Observation[]): string[] {
    return obs.map((o) => o.target).sort();
  }

  it('lists all namespaces cluster-wide and returns one observation per certificate-bearing object', async () => {
    server.requests.length = 0;
    const obs = await discoverCollector.collect(
      discoverTarget('avilla-discovered', { namespaces: ['*'] }),
      ctx,
    );
    assert.deepEqual(ids(obs), [
      'avilla-discovered/CertificateSigningRequest/node-csr-abc',
      'avilla-discovered/ConfigMap/shop/trust-bundle',
      'avilla-discovered/MutatingWebhookConfiguration/inject',
      'avilla-discovered/Secret/billing/billing-tls',
      'avilla-discovered/Secret/shop/shop-tls',
      'avilla-discovered/Secret/vault/vault-tls',
      'avilla-discovered/cluster-ca',
    ]);
    const secretLists = server.requests.filter((r) => r.path === '/api/v1/secrets');
    assert.equal(secretLists.length, 1);
    assert.equal(secretLists[0]?.query.limit, '500');
    const shop = obs.find((o) => o.target.endsWith('/shop-tls'));
    assert.deepEqual(
      shop?.certificates.map((c) => c.record.sha256),
      [leaf.sha256],
    );
    assert.deepEqual(
      shop?.trustStore?.map((c) => c.record.sha256),
      [root.sha256],
    );
    assert.equal(shop?.details?.kind, 'Secret');
    assert.equal(shop?.details?.namespace, 'shop');
    assert.equal(shop?.details?.name, 'shop-tls');
    assert.match(String(shop?.details?.uid), /^[0-9a-f-]{36}$/);
  });

  it('counts the per-namespace kube-root-ca.crt ConfigMaps once, as the cluster CA', async () => {
    const obs = await discoverCollector.collect(discoverTarget('d'), ctx);
    const cas = obs.filter((o) => o.details?.name === 'kube-root-ca.crt');
    assert.equal(cas.length, 1);
    assert.equal(cas[0]?.target, 'd/cluster-ca');
    assert.equal(cas[0]?.details?.namespaces, 4);
    assert.equal(cas[0]?.details?.namespace, 'kube-system');
    assert.deepEqual(
      cas[0]?.trustStore?.map((c) => c.record.sha256),
      [clusterCA.sha256],
    );
  });

  it('lists per namespace when namespaces are explicit, and cluster-scoped kinds once', async () => {
    server.requests.length = 0;
    const obs = await discoverCollector.collect(
      discoverTarget('d', {
        namespaces: ['shop', 'billing'],
        kinds: ['Secret', 'CertificateSigningRequest'],
      }),
      ctx,
    );
    assert.deepEqual(ids(obs), [
      'd/CertificateSigningRequest/node-csr-abc',
      'd/Secret/billing/billing-tls',
      'd/Secret/shop/shop-tls',
    ]);
    assert.deepEqual(
      server.requests.map((r) => r.path),
      [
        '/api/v1/namespaces/shop/secrets',
        '/api/v1/namespaces/billing/secrets',
        '/apis/certificates.k8s.io/v1/certificatesigningrequests',
      ],
    );
  });

  it('turns a 403 on one namespace into a warning-scope observation and goes on with the others', async () => {
    server.forbid({ kind: 'Secret', namespace: 'vault' });
    const obs = await discoverCollector.collect(
      discoverTarget('d', { namespaces: ['shop', 'vault'], kinds: ['Secret'] }),
      ctx,
    );
    const scope = obs.find((o) => o.target === 'd/Secret/vault');
    assert.equal(scope?.status, 'error');
    assert.equal(scope?.error?.reason, 'forbidden');
    assert.match(scope?.error?.message ?? '', /list Secret in namespace vault: 403 Forbidden/);
    assert.deepEqual(scope?.details, {
      scope: true,
      kind: 'Secret',
      namespace: 'vault',
      severity: 'warning',
    });
    assert.ok(obs.some((o) => o.target === 'd/Secret/shop/shop-tls'));
  });

  it('skips kinds the cluster does not serve (cert-manager not installed) without an error', async () => {
    const obs = await discoverCollector.collect(discoverTarget('d', { kinds: ['Certificate'] }), ctx);
    assert.deepEqual(obs, []);
  });

  it('reports inventory.undeclared (info) for discovered objects no target declares, naming kind, namespace and name', async () => {
    const obs = await discoverCollector.collect(discoverTarget('d', { kinds: ['Secret', 'ConfigMap'] }), ctx);
    const declared = [
      kubeTarget('shop-tls', { kind: 'Secret', namespace: 'shop', name: 'shop-tls' }),
      kubeTarget('cluster-ca', {
        kind: 'ConfigMap',
        namespace: 'default',
        name: 'kube-root-ca.crt',
        key: 'ca.crt',
      }),
      discoverTarget('d'),
    ];
    const findings = undeclaredFindings(obs, declared);
    assert.deepEqual(findings.map((f) => f.target).sort(), [
      'd/ConfigMap/shop/trust-bundle',
      'd/Secret/billing/billing-tls',
      'd/Secret/vault/vault-tls',
    ]);
    const billing = findings.find((f) => f.target === 'd/Secret/billing/billing-tls');
    assert.equal(billing?.check, 'inventory.undeclared');
    assert.equal(billing?.severity, 'info');
    assert.equal(billing?.certificate, leaf.sha256);
    assert.equal(
      billing?.message,
      `Secret billing/billing-tls in cluster avilla holds certificates but no inventory target declares it (CN=shop.example, sha256 ${leaf.sha256})`,
    );
    assert.deepEqual(billing?.location, { file: 'inventory/test.yaml', line: 30, column: 5 });
    assert.equal(undeclaredFindings(obs, declared)[0]?.id, findings[0]?.id, 'ids are stable across runs');
  });

  it('prints inventory YAML for undeclared objects that validates against the schema and loads', async () => {
    const obs = await discoverCollector.collect(discoverTarget('d'), ctx);
    const yaml = renderDiscoveredInventory(obs, {
      targets: [kubeTarget('shop-tls', { kind: 'Secret', namespace: 'shop', name: 'shop-tls' })],
      now: new Date('2026-12-01T00:00:00Z'),
    });
    const doc = parseYaml(yaml) as {
      kind: string;
      metadata: { name: string };
      targets: { id: string; kubernetes: Record<string, string> }[];
    };
    assert.ok(inventoryValidator()(doc), JSON.stringify(inventoryValidator().errors));
    assert.equal(doc.kind, 'Inventory');
    assert.equal(doc.metadata.name, 'avilla-discovered');
    assert.deepEqual(doc.targets.map((t) => t.id).sort(), [
      'avilla-billing-billing-tls',
      'avilla-cluster-ca',
      'avilla-cm-shop-trust-bundle',
      'avilla-csr-node-csr-abc',
      'avilla-mwc-inject',
      'avilla-vault-vault-tls',
    ]);
    assert.deepEqual(doc.targets.find((t) => t.id === 'avilla-cluster-ca')?.kubernetes, {
      cluster: 'avilla',
      kind: 'ConfigMap',
      namespace: 'kube-system',
      name: 'kube-root-ca.crt',
      key: 'ca.crt',
    });
    assert.match(yaml, /# CN=shop\.example — expires \d{4}-\d\d-\d\d \(\d+ days\), sha256 [0-9a-f]{64}/);
    assert.match(
      yaml,
      /kubernetes: \{ cluster: avilla, kind: Secret, namespace: billing, name: billing-tls \}/,
    );
    // and the file loads as an inventory beside the cluster declaration
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cw-disc-'));
    try {
      fs.writeFileSync(
        path.join(dir, 'clusters.yaml'),
        'apiVersion: certwarden/v1\nkind: Inventory\nmetadata: {name: clusters}\nclusters:\n  - name: avilla\n    kubeconfig: {env: KUBECONFIG_AVILLA}\n',
      );
      fs.writeFileSync(path.join(dir, 'avilla-discovered.yaml'), yaml);
      const inv = await loadInventory([dir], { env: { KUBECONFIG_AVILLA: 'x' } });
      assert.equal(inv.targets.length, 6);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps hostile object names out of YAML structure, comments and finding messages', async () => {
    // A hostile (or broken) API server can send names the real one would refuse.
    const evilName = 'evil\n- id: injected\n  kubernetes: {}';
    server.add('Secret', tlsSecret('shop', evilName, leaf.pem, leaf.keyPem));
    const obs = await discoverCollector.collect(
      discoverTarget('d', { kinds: ['Secret'], namespaces: ['shop'] }),
      ctx,
    );
    server.remove('Secret', 'shop', evilName);
    const yaml = renderDiscoveredInventory(obs, {});
    const doc = parseYaml(yaml) as { targets: { id: string; kubernetes: { name: string } }[] };
    assert.equal(doc.targets.length, 2);
    assert.ok(doc.targets.every((t) => /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(t.id)));
    assert.ok(
      doc.targets.some((t) => t.kubernetes.name === evilName),
      'the name round-trips as a quoted string',
    );
    assert.doesNotMatch(yaml, /^\s*- id: injected/m);
    const f = undeclaredFindings(obs, []).find((x) => x.target.includes('evil'));
    assert.match(
      f?.message ?? '',
      /^Secret shop\/evil\\x0a- id: injected\\x0a {2}kubernetes: \{\} in cluster avilla/,
    );
  });

  it('reports an unreachable cluster once for the whole target', async () => {
    const dead = await KubeApiServer.start({ pki: server.pki });
    const deadCtx = kubeContext(dead);
    await dead.close();
    const obs = await discoverCollector.collect(discoverTarget('d'), deadCtx);
    closeApis(deadCtx);
    assert.equal(obs.length, 1);
    assert.equal(obs[0]?.target, 'd');
    assert.equal(obs[0]?.status, 'unreachable');
  });

  it('joins cert-manager Certificates to their Secrets, and reports a Certificate whose Secret is missing', async () => {
    const cm = await KubeApiServer.start({ pki: server.pki });
    const cmCtx = kubeContext(cm);
    try {
      cm.add('Secret', tlsSecret('web', 'web-tls', leaf.pem, leaf.keyPem));
      const ready = {
        conditions: [{ type: 'Ready', status: 'True', reason: 'Ready' }],
        notAfter: '2027-01-01T00:00:00Z',
        renewalTime: '2026-12-01T00:00:00Z',
      };
      cm.add('Certificate', {
        metadata: { name: 'web', namespace: 'web' },
        spec: { secretName: 'web-tls', issuerRef: { name: 'le' } },
        status: ready,
      });
      cm.add('Certificate', {
        metadata: { name: 'orphan', namespace: 'web' },
        spec: { secretName: 'missing-tls', issuerRef: { name: 'le' } },
        status: {},
      });
      cm.add('CertificateSigningRequest', {
        metadata: { name: 'pending' },
        spec: { signerName: 'example.com/x' },
        status: {},
      });
      const obs = await discoverCollector.collect(
        discoverTarget('d', { kinds: ['Secret', 'Certificate', 'CertificateSigningRequest'] }),
        cmCtx,
      );
      assert.deepEqual(ids(obs), [
        'd/Certificate/web/orphan',
        'd/CertificateSigningRequest/pending',
        'd/Secret/web/web-tls',
      ]);
      const secret = obs.find((o) => o.target === 'd/Secret/web/web-tls');
      assert.deepEqual(secret?.details?.certManager, {
        certificate: 'web',
        ready: true,
        readyReason: 'Ready',
        notAfter: '2027-01-01T00:00:00Z',
        renewalTime: '2026-12-01T00:00:00Z',
        issuerRef: { name: 'le', kind: 'Issuer', group: 'cert-manager.io' },
      });
      const orphan = obs.find((o) => o.target === 'd/Certificate/web/orphan');
      assert.equal(orphan?.status, 'error');
      assert.deepEqual(orphan?.error, {
        reason: 'not-found',
        message:
          'cert-manager Certificate web/orphan: Secret web/missing-tls named by spec.secretName does not exist',
      });
      assert.equal(
        obs.find((o) => o.target === 'd/CertificateSigningRequest/pending')?.details?.certificatesExpected,
        false,
      );
    } finally {
      closeApis(cmCtx);
      await cm.close();
    }
  });
});
