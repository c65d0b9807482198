import assert from 'node:assert/strict';
import { KubeApiServer, tlsSecret } from '../support/kube-api-server.js';
import { discoverObservations } from '../../src/sources/kubernetes/discover.js';
import type { KubeApi } from '../../src/sources/kubernetes/read.js';
import type { Observation } from '../../src/core/model.js';
import type { DiscoverSource } from '../../src/inventory/types.js';
import type { Issued } from '../support/pki.js';
import { captureLogger, closeApis, discoverTarget, kubeContext } from './helpers.js';

// RBAC granted through per-namespace RoleBindings (no ClusterRole): the cluster-wide list of a kind
// is forbidden, the per-namespace lists are not.
describe('discover with namespaces "*" when a cluster-wide list is forbidden', () => {
  let server: KubeApiServer;
  let ctx: ReturnType<typeof kubeContext>;
  let leaf: Issued, clusterCA: Issued;

  beforeEach(async () => {
    server = await KubeApiServer.start();
    clusterCA = await server.pki.ca({ cn: 'kubernetes' });
    const root = await server.pki.ca({ cn: 'Apps Root' });
    leaf = await server.pki.leaf({ cn: 'app.example', dns: ['app.example'], issuer: root });
    for (const ns of ['alpha', 'beta', 'gamma']) {
      server.add('Secret', tlsSecret(ns, `${ns}-tls`, leaf.pem, leaf.keyPem));
      server.add('ConfigMap', {
        metadata: { name: 'kube-root-ca.crt', namespace: ns },
        data: { 'ca.crt': clusterCA.pem },
      });
    }
    server.uninstall('Certificate');
    ctx = kubeContext(server, { logger: captureLogger() });
  });
  afterEach(async () => {
    closeApis(ctx);
    await server.close();
  });

  async function discover(d: Partial<DiscoverSource>, pageSize?: number): Promise<Observation[]> {
    const out: Observation[] = [];
    for await (const o of discoverObservations(discoverTarget('d', d), ctx, { pageSize })) out.push(o);
    return out;
  }
  const ids = (obs: Observation[]) => obs.map((o) => o.target).sort();
  const paths = () => server.requests.map((r) => r.path);

  it('lists Secrets per namespace and reports exactly one warning scope for the namespace still forbidden', async () => {
    server.forbid({ kind: 'Secret', clusterWideOnly: true });
    server.forbid({ kind: 'Secret', namespace: 'gamma' });
    const obs = await discover({ namespaces: ['*'], kinds: ['Secret'] });
    assert.deepEqual(ids(obs), ['d/Secret/alpha/alpha-tls', 'd/Secret/beta/beta-tls', 'd/Secret/gamma']);
    const scopes = obs.filter((o) => o.details?.scope);
    assert.equal(scopes.length, 1);
    assert.equal(scopes[0]?.status, 'error');
    assert.equal(scopes[0]?.error?.reason, 'forbidden');
    assert.match(scopes[0]?.error?.message ?? '', /list Secret in namespace gamma: 403 Forbidden/);
    assert.deepEqual(scopes[0]?.details, {
      scope: true,
      kind: 'Secret',
      namespace: 'gamma',
      severity: 'warning',
    });
    assert.deepEqual(scopes[0]?.source, {
      kind: 'discover',
      cluster: 'avilla',
      objectKind: 'Secret',
      namespace: 'gamma',
    });
    const alpha = obs.find((o) => o.target === 'd/Secret/alpha/alpha-tls');
    assert.equal(alpha?.status, 'ok');
    assert.deepEqual(
      alpha?.certificates.map((c) => c.record.sha256),
      [leaf.sha256],
    );
    // The cluster-wide list, the namespace list, then one list per namespace.
    assert.deepEqual(paths(), [
      '/api/v1/secrets',
      '/api/v1/namespaces',
      '/api/v1/namespaces/alpha/secrets',
      '/api/v1/namespaces/beta/secrets',
      '/api/v1/namespaces/gamma/secrets',
    ]);
    assert.ok(
      (ctx.logger as ReturnType<typeof captureLogger>).lines.some((l) =>
        /warning: .*Secret listed per namespace .*2 namespace\(s\) listed, 1 forbidden/.test(l),
      ),
    );
  });

  it('keeps one cluster-wide scope finding with an RBAC hint when namespaces cannot be listed either', async () => {
    server.forbid({ kind: 'Secret', clusterWideOnly: true });
    server.forbid({ kind: 'Namespace' });
    const obs = await discover({ namespaces: ['*'], kinds: ['Secret'] });
    assert.deepEqual(ids(obs), ['d/Secret/*']);
    const scope = obs[0];
    assert.equal(scope?.status, 'error');
    assert.equal(scope?.error?.reason, 'forbidden');
    const msg = scope?.error?.message ?? '';
    assert.match(msg, /^list Secret in all namespaces: 403 Forbidden/);
    assert.match(
      msg,
      /per-namespace listing was not possible because namespaces cannot be listed: list Namespace: 403/,
    );
    assert.match(msg, /grant "list" on secrets cluster-wide \(a ClusterRole bound by a ClusterRoleBinding\)/);
    assert.match(msg, /grant "list" on namespaces cluster-wide/);
    assert.deepEqual(scope?.details, { scope: true, kind: 'Secret', namespace: '*', severity: 'warning' });
    assert.deepEqual(paths(), ['/api/v1/secrets', '/api/v1/namespaces']);
  });

  it('counts kube-root-ca.crt once when ConfigMaps too are listed per namespace', async () => {
    server.forbid({ kind: 'Secret', clusterWideOnly: true });
    server.forbid({ kind: 'ConfigMap', clusterWideOnly: true });
    server.forbid({ kind: 'ConfigMap', namespace: 'beta' });
    const obs = await discover({ namespaces: ['*'], kinds: ['Secret', 'ConfigMap'] });
    assert.deepEqual(ids(obs), [
      'd/ConfigMap/beta',
      'd/Secret/alpha/alpha-tls',
      'd/Secret/beta/beta-tls',
      'd/Secret/gamma/gamma-tls',
      'd/cluster-ca',
    ]);
    const ca = obs.find((o) => o.target === 'd/cluster-ca');
    assert.equal(ca?.details?.namespaces, 2);
    assert.deepEqual(ca?.details?.foundIn, ['alpha', 'gamma']);
    assert.deepEqual(
      ca?.trustStore?.map((c) => c.record.sha256),
      [clusterCA.sha256],
    );
  });

  it('pages through namespaces (an explicitly added, empty one included) and yields every object once, also after an expired continue token', async () => {
    server.forbid({ kind: 'Secret', clusterWideOnly: true });
    server.addNamespace('empty');
    for (const n of ['a2', 'a3']) server.add('Secret', tlsSecret('alpha', `${n}-tls`, leaf.pem, leaf.keyPem));
    server.expireContinue({ kind: 'Secret', page: 1 });
    const obs = await discover({ namespaces: ['*'], kinds: ['Secret'] }, 1);
    assert.deepEqual(ids(obs), [
      'd/Secret/alpha/a2-tls',
      'd/Secret/alpha/a3-tls',
      'd/Secret/alpha/alpha-tls',
      'd/Secret/beta/beta-tls',
      'd/Secret/gamma/gamma-tls',
    ]);
    const nsLists = server.requests.filter((r) => r.path === '/api/v1/namespaces');
    assert.equal(nsLists.length, 4); // one name per page: alpha, beta, empty, gamma
    assert.ok(server.requests.some((r) => r.path === '/api/v1/namespaces/alpha/secrets' && r.status === 410));
    assert.ok(nsLists.every((r) => r.query.limit === '1'));
    for (const ns of ['alpha', 'beta', 'empty', 'gamma'])
      assert.ok(
        server.requests.some((r) => r.path === `/api/v1/namespaces/${ns}/secrets` && r.status === 200),
      );
  });

  it('does not fall back when the cluster-wide list is refused after objects came (they would come twice)', async () => {
    server.onContinue = () => server.forbid({ kind: 'Secret', clusterWideOnly: true });
    const obs = await discover({ namespaces: ['*'], kinds: ['Secret'] }, 1);
    assert.deepEqual(ids(obs), ['d/Secret/*', 'd/Secret/alpha/alpha-tls', 'd/Secret/beta/beta-tls']);
    assert.ok(!paths().includes('/api/v1/namespaces'));
  });

  it('says namespaces could not be listed when the client has no namespace listing', async () => {
    server.forbid({ kind: 'Secret', clusterWideOnly: true });
    const kube = ctx.services!.kube as (name: string) => KubeApi;
    const bare = (name: string): KubeApi => {
      const api = kube(name);
      return { list: (k, o) => api.list(k, o), get: (k, ns, n, o) => api.get(k, ns, n, o) };
    };
    const out: Observation[] = [];
    for await (const o of discoverObservations(
      discoverTarget('d', { namespaces: ['*'], kinds: ['Secret'] }),
      {
        ...ctx,
        services: { kube: bare },
      },
    ))
      out.push(o);
    assert.deepEqual(ids(out), ['d/Secret/*']);
    assert.match(
      out[0]?.error?.message ?? '',
      /namespaces could not be listed: list Namespace: this Kubernetes client/,
    );
  });

  it('lists only namespace names a real cluster could have (hostile names from the server are dropped)', async () => {
    server.forbid({ kind: 'Secret', clusterWideOnly: true });
    server.addNamespace('empty');
    server.addNamespace('evil\u001b[31m\nname');
    server.addNamespace('../../apis');
    const obs = await discover({ namespaces: ['*'], kinds: ['Secret'] });
    assert.deepEqual(ids(obs), [
      'd/Secret/alpha/alpha-tls',
      'd/Secret/beta/beta-tls',
      'd/Secret/gamma/gamma-tls',
    ]);
    assert.deepEqual(
      paths().filter((p) => p.startsWith('/api/v1/namespaces/')),
      [
        '/api/v1/namespaces/alpha/secrets',
        '/api/v1/namespaces/beta/secrets',
        '/api/v1/namespaces/empty/secrets',
        '/api/v1/namespaces/gamma/secrets',
      ],
    );
  });

  it('does not list namespaces when explicit namespaces are given', async () => {
    server.forbid({ kind: 'Secret', namespace: 'gamma' });
    const obs = await discover({ namespaces: ['alpha', 'gamma'], kinds: ['Secret'] });
    assert.deepEqual(ids(obs), ['d/Secret/alpha/alpha-tls', 'd/Secret/gamma']);
    assert.ok(!paths().includes('/api/v1/namespaces'));
  });
});
