// A recognisable private key is planted everywhere a cluster can hold one; after collection,
// discovery, findings and YAML, not a fragment of it may appear in any output.
import assert from 'node:assert/strict';
import { KubeApiServer, tlsSecret } from '../support/kube-api-server.js';
import { kubernetesCollector } from '../../src/sources/kubernetes/collector.js';
import { discoverCollector } from '../../src/sources/kubernetes/discover-collector.js';
import { kubeFindings } from '../../src/evaluate/kubernetes/index.js';
import { renderDiscoveredInventory } from '../../src/evaluate/kubernetes/undeclared.js';
import { listAll } from '../../src/sources/kubernetes/list.js';
import type { Observation } from '../../src/core/model.js';
import { b64, captureLogger, closeApis, discoverTarget, kubeContext, kubeTarget, pkcs12 } from './helpers.js';

const CANARY_BODY = 'Q0FOQVJZQ0FOQVJZQ0FOQVJZcHJpdmF0ZWtleWNhbmFyeUNBTkFSWUNBTkFSWQ';
const CANARY_PEM = `-----BEGIN RSA PRIVATE KEY-----\n${CANARY_BODY}\n${CANARY_BODY}==\n-----END RSA PRIVATE KEY-----\n`;

describe('private keys never leave the Kubernetes client (canary)', () => {
  let server: KubeApiServer;
  let realKeyPem: string;
  let fragments: string[];

  before(async () => {
    server = await KubeApiServer.start();
    const pki = server.pki;
    const root = await pki.ca({ cn: 'Canary Root' });
    const leaf = await pki.leaf({ cn: 'canary.example', dns: ['canary.example'], issuer: root });
    realKeyPem = leaf.keyPem;
    const body = realKeyPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    // Fragments of both keys, raw and as the API's base64 of the PEM, plus the PEM markers.
    fragments = [
      'CANARY',
      CANARY_BODY.slice(10, 40),
      b64(CANARY_PEM).slice(20, 60),
      body.slice(30, 70),
      body.slice(-60, -20),
      b64(realKeyPem).slice(40, 80),
      'PRIVATE KEY',
    ];
    const lastApplied = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Secret',
      data: { 'tls.key': b64(CANARY_PEM) },
    });
    server.add(
      'Secret',
      tlsSecret('apps', 'web-tls', pki.chainPem(leaf), CANARY_PEM, {
        ca: root.pem,
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied },
      }),
    );
    server.add('Secret', tlsSecret('apps', 'real-key-tls', leaf.pem, realKeyPem));
    server.add('Secret', {
      metadata: { name: 'combined', namespace: 'apps' },
      type: 'kubernetes.io/tls',
      data: {
        'tls.crt': b64(leaf.pem + CANARY_PEM),
        'tls.key': b64(CANARY_PEM),
        'server.pem': b64(CANARY_PEM + leaf.pem + realKeyPem),
      },
    });
    server.add('Secret', {
      metadata: { name: 'keys-only', namespace: 'apps' },
      type: 'Opaque',
      data: { id_rsa: b64(CANARY_PEM), 'key.pem': b64(CANARY_PEM), 'cert.pem': b64(CANARY_PEM) },
    });
    server.add('Secret', {
      metadata: { name: 'keystore', namespace: 'apps' },
      type: 'Opaque',
      data: { 'keystore.p12': b64(pkcs12(leaf, [root], 'pw')) },
    });
    server.add('Secret', {
      metadata: { name: 'sh.helm.release.v1.apps.v1', namespace: 'apps' },
      type: 'helm.sh/release.v1',
      data: { release: b64(CANARY_PEM) },
    });
    server.add('ConfigMap', {
      metadata: { name: 'oops', namespace: 'apps' },
      data: { 'tls.key': CANARY_PEM, 'ca.crt': root.pem + CANARY_PEM },
    });
    server.add('CertificateSigningRequest', {
      metadata: { name: 'odd' },
      spec: { signerName: 'kubernetes.io/kube-apiserver-client', request: b64(CANARY_PEM) },
      status: { certificate: b64(leaf.pem + CANARY_PEM), conditions: [{ type: 'Approved', status: 'True' }] },
    });
    server.add('ValidatingWebhookConfiguration', {
      metadata: { name: 'hooks' },
      webhooks: [
        {
          name: 'h.example',
          clientConfig: { service: { namespace: 'apps', name: 'h' }, caBundle: b64(root.pem + CANARY_PEM) },
        },
      ],
    });
    server.add('APIService', {
      metadata: { name: 'v1.canary.example' },
      spec: { service: { namespace: 'apps', name: 'c' }, caBundle: b64(CANARY_PEM + root.pem) },
    });
  });
  after(async () => server.close());

  function assertClean(label: string, text: string): void {
    for (const f of fragments)
      assert.ok(!text.includes(f), `${label} contains a fragment of a private key (${f.slice(0, 12)}…)`);
  }

  it('no fragment of a planted key appears in observations, findings, YAML, errors or logs', async () => {
    const logger = captureLogger();
    const ctx = kubeContext(server, { logger, env: { KS_PASSWORD: 'pw' } });
    const declared = [
      kubeTarget('web', { kind: 'Secret', namespace: 'apps', name: 'web-tls' }),
      kubeTarget('combined', { kind: 'Secret', namespace: 'apps', name: 'combined' }),
      kubeTarget('combined-pem', { kind: 'Secret', namespace: 'apps', name: 'combined', key: 'server.pem' }),
      kubeTarget('asks-for-key', { kind: 'Secret', namespace: 'apps', name: 'web-tls', key: 'tls.key' }),
      kubeTarget('key-as-pkcs12', {
        kind: 'Secret',
        namespace: 'apps',
        name: 'web-tls',
        key: 'tls.key',
        format: 'pkcs12',
        passwordEnv: 'KS_PASSWORD',
      }),
      kubeTarget('keys-only', { kind: 'Secret', namespace: 'apps', name: 'keys-only', key: 'cert.pem' }),
      kubeTarget('keystore', {
        kind: 'Secret',
        namespace: 'apps',
        name: 'keystore',
        key: 'keystore.p12',
        format: 'pkcs12',
        passwordEnv: 'KS_PASSWORD',
      }),
      kubeTarget('oops', { kind: 'ConfigMap', namespace: 'apps', name: 'oops', key: 'tls.key' }),
      kubeTarget('oops-ca', { kind: 'ConfigMap', namespace: 'apps', name: 'oops', key: 'ca.crt' }),
      kubeTarget('csr', { kind: 'CertificateSigningRequest', name: 'odd' }),
      kubeTarget('hooks', { kind: 'ValidatingWebhookConfiguration', name: 'hooks' }),
      kubeTarget('apisvc', { kind: 'APIService', name: 'v1.canary.example' }),
    ];
    const observations: Observation[] = [];
    for (const t of declared) observations.push(...(await kubernetesCollector.collect(t, ctx)));
    const disc = discoverTarget('disc');
    observations.push(...(await discoverCollector.collect(disc, ctx)));
    const errors: string[] = [];
    // Raw client pages, as any other consumer would see them.
    const api = (ctx.services?.kube as (n: string) => import('../../src/sources/kubernetes/read.js').KubeApi)(
      'avilla',
    );
    const pages: unknown[] = [];
    for (const kind of [
      'Secret',
      'ConfigMap',
      'CertificateSigningRequest',
      'ValidatingWebhookConfiguration',
      'APIService',
    ] as const) {
      for await (const o of listAll(api, kind, { limit: 2 })) pages.push(o);
      pages.push(
        await api.get(kind, 'apps', kind === 'Secret' ? 'combined' : kind === 'ConfigMap' ? 'oops' : 'odd', {
          keep: ['tls.key', 'id_rsa'],
        }),
      );
    }
    closeApis(ctx);

    const findings = kubeFindings(observations, [...declared, disc], { now: new Date() });
    const yamlAll = renderDiscoveredInventory(observations, { all: true });
    const yamlUndeclared = renderDiscoveredInventory(observations, { targets: declared });
    for (const o of observations) if (o.error) errors.push(o.error.message);

    // The collection did real work: certificates were read where they were.
    const byId = new Map(observations.map((o) => [o.target, o]));
    assert.equal(byId.get('web')?.certificates.length, 1);
    assert.equal(byId.get('combined-pem')?.certificates.length, 1);
    assert.equal(byId.get('keystore')?.status, 'ok');
    assert.equal(byId.get('asks-for-key')?.error?.reason, 'not-found');
    assert.equal(byId.get('keys-only')?.error?.reason, 'not-found');
    assert.equal(byId.get('oops')?.error?.reason, 'not-found');
    assert.equal(byId.get('csr')?.certificates.length, 1);
    assert.ok(observations.length > declared.length + 5);
    assert.ok(errors.length >= 4);

    assertClean('observations JSON', JSON.stringify(observations, null, 2));
    assertClean('findings JSON', JSON.stringify(findings, null, 2));
    assertClean('YAML (all)', yamlAll);
    assertClean('YAML (undeclared)', yamlUndeclared);
    assertClean('error messages', errors.join('\n'));
    assertClean('logs', logger.lines.join('\n'));
    assertClean('raw client objects', JSON.stringify(pages));
    // and the check itself can fail: the server really holds the canary
    assert.ok(
      JSON.stringify(server.add('Secret', tlsSecret('x', 'probe', '', CANARY_PEM))).includes(
        b64(CANARY_PEM).slice(20, 60),
      ),
    );
  });
});
