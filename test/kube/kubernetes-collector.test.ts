import assert from 'node:assert/strict';
import { KubeApiServer, tlsSecret } from '../support/kube-api-server.js';
import { kubernetesCollector } from '../../src/sources/kubernetes/collector.js';
import { ConfigError } from '../../src/core/errors.js';
import type { Issued } from '../support/pki.js';
import { b64, closeApis, kubeContext, kubeTarget, pkcs12 } from './helpers.js';

describe('kubernetes collector: one declared object', () => {
  let server: KubeApiServer;
  let ctx: ReturnType<typeof kubeContext>;
  let root: Issued, issuing: Issued, leaf: Issued, webhookCA: Issued, webhookLeaf: Issued;

  before(async () => {
    server = await KubeApiServer.start();
    const pki = server.pki;
    root = await pki.ca({ cn: 'Structures Root' });
    issuing = await pki.ca({ cn: 'Structures Issuing', issuer: root, pathLen: 0 });
    leaf = await pki.leaf({
      cn: 'ingress.mtg.example',
      dns: ['ingress.mtg.example'],
      issuer: issuing,
      eku: ['serverAuth'],
    });
    webhookCA = await pki.ca({ cn: 'webhook CA' });
    webhookLeaf = await pki.leaf({ cn: 'hook.webhooks.svc', dns: ['hook.webhooks.svc'], issuer: webhookCA });
    server.add(
      'Secret',
      tlsSecret('mtg', 'test-ingress', pki.chainPem(leaf, issuing), leaf.keyPem, { ca: root.pem }),
    );
    server.add('Secret', {
      metadata: { name: 'combined', namespace: 'mtg' },
      type: 'Opaque',
      data: { 'server.pem': b64(leaf.pem + leaf.keyPem), 'tls.key': b64(leaf.keyPem) },
    });
    server.add('Secret', {
      metadata: { name: 'keystore', namespace: 'mtg' },
      type: 'Opaque',
      data: { 'keystore.p12': b64(pkcs12(leaf, [issuing, root], 'changeit')) },
    });
    server.add('ConfigMap', {
      metadata: { name: 'kube-root-ca.crt', namespace: 'mtg' },
      data: { 'ca.crt': root.pem },
    });
    server.add('CertificateSigningRequest', {
      metadata: { name: 'alice-client' },
      spec: {
        signerName: 'kubernetes.io/kube-apiserver-client',
        usages: ['digital signature', 'client auth'],
        username: 'admin',
        groups: ['system:masters'],
        request: b64((await pki.csr({ subject: 'CN=alice, O=dev' })).pem),
        expirationSeconds: 86400,
      },
      status: {
        conditions: [
          {
            type: 'Approved',
            status: 'True',
            reason: 'PRApproved',
            message: 'approved in PR #12',
            lastUpdateTime: '2026-11-01T00:00:00Z',
          },
        ],
        certificate: b64(leaf.pem),
      },
    });
    server.add('ValidatingWebhookConfiguration', {
      metadata: { name: 'policy-hooks' },
      webhooks: [
        {
          name: 'validate.policy.example',
          clientConfig: {
            service: { namespace: 'webhooks', name: 'hook', path: '/validate', port: 443 },
            caBundle: b64(webhookCA.pem),
          },
          admissionReviewVersions: ['v1'],
          sideEffects: 'None',
        },
        {
          name: 'other.policy.example',
          clientConfig: { url: 'https://127.0.0.1:9443/x', caBundle: b64(root.pem) },
        },
      ],
    });
    server.add('APIService', {
      metadata: { name: 'v1beta1.metrics.k8s.io' },
      spec: {
        group: 'metrics.k8s.io',
        version: 'v1beta1',
        service: { namespace: 'kube-system', name: 'metrics-server' },
        caBundle: b64(webhookCA.pem),
      },
    });
    server.add('Secret', tlsSecret('webhooks', 'hook-tls', webhookLeaf.pem, webhookLeaf.keyPem));
    server.add('Certificate', {
      metadata: { name: 'hook', namespace: 'webhooks' },
      spec: {
        secretName: 'hook-tls',
        dnsNames: ['hook.webhooks.svc'],
        issuerRef: { name: 'webhook-ca', kind: 'Issuer' },
      },
      status: {
        notBefore: '2026-01-01T00:00:00Z',
        notAfter: '2027-01-01T00:00:00Z',
        renewalTime: '2026-12-02T00:00:00Z',
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'Ready',
            message: 'Certificate is up to date and has not expired',
          },
        ],
      },
    });
    server.forbid({ kind: 'Secret', namespace: 'vault' });
    ctx = kubeContext(server, { env: { KEYSTORE_PASSWORD: 'changeit', WRONG_PASSWORD: 'nope' } });
  });
  after(async () => {
    closeApis(ctx);
    await server.close();
  });

  it('reads a TLS Secret: tls.crt as the certificate chain (leaf first), ca.crt as the trust store', async () => {
    const [o] = await kubernetesCollector.collect(
      kubeTarget('ingress-tls', { kind: 'Secret', namespace: 'mtg', name: 'test-ingress' }),
      ctx,
    );
    assert.equal(o?.status, 'ok');
    assert.deepEqual(
      o?.certificates.map((c) => [c.origin, c.record.sha256]),
      [
        ['tls.crt[0]', leaf.sha256],
        ['tls.crt[1]', issuing.sha256],
      ],
    );
    assert.deepEqual(
      o?.trustStore?.map((c) => [c.origin, c.record.sha256]),
      [['ca.crt[0]', root.sha256]],
    );
    assert.deepEqual(o?.source, {
      kind: 'kubernetes',
      cluster: 'avilla',
      objectKind: 'Secret',
      namespace: 'mtg',
      name: 'test-ingress',
    });
    assert.equal(o?.details?.type, 'kubernetes.io/tls');
    assert.deepEqual(o?.details?.keys, ['ca.crt', 'tls.crt']);
  });

  it('reads a named key of an Opaque Secret and keeps only its certificate, never the key beside it', async () => {
    const [o] = await kubernetesCollector.collect(
      kubeTarget('combined', { kind: 'Secret', namespace: 'mtg', name: 'combined', key: 'server.pem' }),
      ctx,
    );
    assert.equal(o?.status, 'ok');
    assert.deepEqual(
      o?.certificates.map((c) => c.record.sha256),
      [leaf.sha256],
    );
  });

  it('treats a declared key that holds only a private key as absent (tls.key is never read)', async () => {
    const [o] = await kubernetesCollector.collect(
      kubeTarget('k', { kind: 'Secret', namespace: 'mtg', name: 'combined', key: 'tls.key' }),
      ctx,
    );
    assert.equal(o?.status, 'error');
    assert.equal(o?.error?.reason, 'not-found');
    assert.equal(
      o?.error?.message,
      "Secret mtg/combined in cluster avilla has no certificate under key 'tls.key' (certificate keys: server.pem)",
    );
  });

  it('reads the certificates of a PKCS#12 keystore Secret with the password from passwordEnv', async () => {
    const [o] = await kubernetesCollector.collect(
      kubeTarget('ks', {
        kind: 'Secret',
        namespace: 'mtg',
        name: 'keystore',
        key: 'keystore.p12',
        format: 'pkcs12',
        passwordEnv: 'KEYSTORE_PASSWORD',
      }),
      ctx,
    );
    assert.equal(o?.status, 'ok', JSON.stringify(o?.error));
    assert.deepEqual(
      new Set(o?.certificates.map((c) => c.record.sha256)),
      new Set([leaf.sha256, issuing.sha256, root.sha256]),
    );
    assert.equal(o?.certificates[0]?.record.sha256, leaf.sha256);
  });

  it('reports a wrong keystore password and a missing password variable as errors without echoing a password', async () => {
    const [wrong] = await kubernetesCollector.collect(
      kubeTarget('ks', {
        kind: 'Secret',
        namespace: 'mtg',
        name: 'keystore',
        key: 'keystore.p12',
        format: 'pkcs12',
        passwordEnv: 'WRONG_PASSWORD',
      }),
      ctx,
    );
    assert.equal(wrong?.status, 'error');
    assert.equal(wrong?.error?.reason, 'password');
    assert.ok(!JSON.stringify(wrong).includes('nope'));
    const [unset] = await kubernetesCollector.collect(
      kubeTarget('ks', {
        kind: 'Secret',
        namespace: 'mtg',
        name: 'keystore',
        key: 'keystore.p12',
        format: 'pkcs12',
        passwordEnv: 'UNSET_PASSWORD',
      }),
      ctx,
    );
    assert.equal(unset?.error?.reason, 'password');
    assert.match(unset?.error?.message ?? '', /UNSET_PASSWORD \(passwordEnv\) is not set/);
  });

  it('reads a ConfigMap CA bundle (kube-root-ca.crt) as a trust store', async () => {
    const [o] = await kubernetesCollector.collect(
      kubeTarget('root-ca', { kind: 'ConfigMap', namespace: 'mtg', name: 'kube-root-ca.crt', key: 'ca.crt' }),
      ctx,
    );
    assert.deepEqual(o?.certificates, []);
    assert.deepEqual(
      o?.trustStore?.map((c) => c.record.sha256),
      [root.sha256],
    );
  });

  it('reads a CertificateSigningRequest: the issued certificate, approval, signer, usages and the requested subject', async () => {
    const [o] = await kubernetesCollector.collect(
      kubeTarget('alice', { kind: 'CertificateSigningRequest', name: 'alice-client' }),
      ctx,
    );
    assert.equal(o?.status, 'ok');
    assert.deepEqual(
      o?.certificates.map((c) => c.record.sha256),
      [leaf.sha256],
    );
    const d = o?.details ?? {};
    assert.equal(d.signerName, 'kubernetes.io/kube-apiserver-client');
    assert.deepEqual(d.usages, ['digital signature', 'client auth']);
    assert.equal(d.approved, true);
    assert.equal(d.denied, false);
    assert.equal(d.issued, true);
    assert.equal(d.username, 'admin');
    assert.deepEqual(d.groups, ['system:masters']);
    assert.equal((d.requestedSubject as { CN: string }).CN, 'alice');
    assert.deepEqual((d.requestedSubject as { O: string[] }).O, ['dev']);
    assert.equal((d.conditions as { reason: string }[])[0]?.reason, 'PRApproved');
    assert.equal(o?.source.namespace, undefined);
  });

  it('reads each webhook caBundle as a trust store with the service it protects', async () => {
    const [o] = await kubernetesCollector.collect(
      kubeTarget('hooks', { kind: 'ValidatingWebhookConfiguration', name: 'policy-hooks' }),
      ctx,
    );
    assert.deepEqual(
      o?.trustStore?.map((c) => [c.origin, c.record.sha256]),
      [
        ['webhooks[validate.policy.example].caBundle[0]', webhookCA.sha256],
        ['webhooks[other.policy.example].caBundle[0]', root.sha256],
      ],
    );
    const hooks = o?.details?.webhooks as { name: string; service: unknown; url: string | null }[];
    assert.deepEqual(hooks[0]?.service, {
      namespace: 'webhooks',
      name: 'hook',
      path: '/validate',
      port: 443,
    });
    assert.equal(hooks[1]?.url, 'https://127.0.0.1:9443/x');
    const [one] = await kubernetesCollector.collect(
      kubeTarget('hook1', {
        kind: 'ValidatingWebhookConfiguration',
        name: 'policy-hooks',
        key: 'validate.policy.example',
      }),
      ctx,
    );
    assert.deepEqual(
      one?.trustStore?.map((c) => c.record.sha256),
      [webhookCA.sha256],
    );
  });

  it('reads an APIService caBundle with its service reference', async () => {
    const [o] = await kubernetesCollector.collect(
      kubeTarget('metrics', { kind: 'APIService', name: 'v1beta1.metrics.k8s.io' }),
      ctx,
    );
    assert.deepEqual(
      o?.trustStore?.map((c) => c.origin),
      ['spec.caBundle[0]'],
    );
    assert.deepEqual(o?.details?.service, { namespace: 'kube-system', name: 'metrics-server' });
  });

  it('reads a cert-manager Certificate: status dates and Ready in details, the certificate from its Secret', async () => {
    const [o] = await kubernetesCollector.collect(
      kubeTarget('hook-cert', { kind: 'Certificate', namespace: 'webhooks', name: 'hook' }),
      ctx,
    );
    assert.equal(o?.status, 'ok');
    assert.deepEqual(
      o?.certificates.map((c) => c.record.sha256),
      [webhookLeaf.sha256],
    );
    assert.equal(o?.details?.notAfter, '2027-01-01T00:00:00Z');
    assert.equal(o?.details?.renewalTime, '2026-12-02T00:00:00Z');
    assert.equal(o?.details?.ready, true);
    assert.equal(o?.details?.secretName, 'hook-tls');
  });

  it('reports an object that does not exist as not-found', async () => {
    const [o] = await kubernetesCollector.collect(
      kubeTarget('gone', { kind: 'Secret', namespace: 'mtg', name: 'gone' }),
      ctx,
    );
    assert.equal(o?.status, 'error');
    assert.deepEqual(o?.error, {
      reason: 'not-found',
      message: 'Secret mtg/gone in cluster avilla not found',
    });
  });

  it('reports a 403 as a forbidden error naming kind and namespace', async () => {
    const [o] = await kubernetesCollector.collect(
      kubeTarget('vault', { kind: 'Secret', namespace: 'vault', name: 'vault-tls' }),
      ctx,
    );
    assert.equal(o?.status, 'error');
    assert.equal(o?.error?.reason, 'forbidden');
    assert.match(
      o?.error?.message ?? '',
      /^get Secret in namespace vault: 403 Forbidden: secrets is forbidden/,
    );
  });

  it('rejects an unknown kind as a configuration error listing the valid kinds', async () => {
    await assert.rejects(
      kubernetesCollector.collect(kubeTarget('x', { kind: 'Ingress', namespace: 'mtg', name: 'x' }), ctx),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError);
        assert.match(
          e.message,
          /inventory\/test\.yaml:10:5: error: unknown Kubernetes kind 'Ingress'\. Expected one of: Secret, ConfigMap, CertificateSigningRequest/,
        );
        return true;
      },
    );
  });

  it('reports an API server that refuses connections as unreachable', async () => {
    const dead = await KubeApiServer.start({ pki: server.pki });
    const deadCtx = kubeContext(dead);
    await dead.close();
    const [o] = await kubernetesCollector.collect(
      kubeTarget('ingress', { kind: 'Secret', namespace: 'mtg', name: 'test-ingress' }),
      deadCtx,
    );
    closeApis(deadCtx);
    assert.equal(o?.status, 'unreachable');
    assert.equal(o?.error?.reason, 'refused');
  });
});

describe('webhook caBundle and serving Secret pairing', () => {
  it('pairs each webhook with the declared Secret whose certificate serves its Service', async () => {
    const { webhookServingPairs } = await import('../../src/evaluate/kubernetes/webhooks.js');
    const server = await KubeApiServer.start();
    const ctx = kubeContext(server);
    try {
      const ca = await server.pki.ca({ cn: 'hook CA' });
      const other = await server.pki.ca({ cn: 'other CA' });
      const leaf = await server.pki.leaf({ cn: 'hook', dns: ['hook.webhooks.svc'], issuer: ca });
      server.add('Secret', tlsSecret('webhooks', 'hook-tls', leaf.pem, leaf.keyPem));
      server.add('ValidatingWebhookConfiguration', {
        metadata: { name: 'hooks' },
        webhooks: [
          {
            name: 'a.example',
            clientConfig: { service: { namespace: 'webhooks', name: 'hook' }, caBundle: b64(ca.pem) },
          },
          {
            name: 'b.example',
            clientConfig: { service: { namespace: 'webhooks', name: 'elsewhere' }, caBundle: b64(other.pem) },
          },
        ],
      });
      const obs = [
        ...(await kubernetesCollector.collect(
          kubeTarget('hooks', { kind: 'ValidatingWebhookConfiguration', name: 'hooks' }),
          ctx,
        )),
        ...(await kubernetesCollector.collect(
          kubeTarget('hook-tls', { kind: 'Secret', namespace: 'webhooks', name: 'hook-tls' }),
          ctx,
        )),
      ];
      const pairs = webhookServingPairs(obs);
      assert.deepEqual(
        pairs.map((p) => [
          p.target,
          p.webhook,
          p.servingTarget,
          p.caBundle.map((c) => c.record.sha256),
          p.serving[0]?.record.sha256,
        ]),
        [['hooks', 'a.example', 'hook-tls', [ca.sha256], leaf.sha256]],
      );
    } finally {
      closeApis(ctx);
      await server.close();
    }
  });
});
