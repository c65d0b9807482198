import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { KubeApiServer, tlsSecret } from '../support/kube-api-server.js';
import { createKubeApi } from '../../src/sources/kubernetes/client.js';
import { loadKubeConfig } from '../../src/sources/kubernetes/config.js';
import { KubeApiError } from '../../src/sources/kubernetes/errors.js';
import { listAll } from '../../src/sources/kubernetes/list.js';
import { ConfigError } from '../../src/core/errors.js';
import type { ClusterRef } from '../../src/inventory/types.js';
import type { KubeObject } from '../../src/sources/kubernetes/sanitize.js';

const LOC = { file: 'inventory/clusters.yaml', line: 4, column: 5 };

function cluster(kubeconfig: ClusterRef['kubeconfig'], extra: Partial<ClusterRef> = {}): ClusterRef {
  return { name: 'avilla', kubeconfig, location: LOC, ...extra };
}

async function collect(it: AsyncGenerator<KubeObject>): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  for await (const o of it) out.push(o);
  return out;
}

describe('Kubernetes client (src/sources/kubernetes/client.ts) against the test API server', () => {
  let server: KubeApiServer;
  let dir: string;
  const env: NodeJS.ProcessEnv = {};

  before(async () => {
    server = await KubeApiServer.start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cw-kube-'));
    const root = await server.pki.ca({ cn: 'Apps Root' });
    for (let i = 0; i < 7; i++) {
      const leaf = await server.pki.leaf({ cn: `svc${i}.example`, dns: [`svc${i}.example`], issuer: root });
      server.add(
        'Secret',
        tlsSecret(i < 4 ? 'apps' : 'web', `svc${i}-tls`, leaf.pem, leaf.keyPem, { ca: root.pem }),
      );
    }
    env.KUBECONFIG_AVILLA = server.kubeconfig({ auth: 'token' });
  });
  after(async () => {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists Secrets in all namespaces page by page with a client certificate, each object once', async () => {
    const file = path.join(dir, 'cert.kubeconfig');
    fs.writeFileSync(file, server.kubeconfig({ auth: 'cert' }));
    const api = createKubeApi(cluster({ path: file }));
    server.requests.length = 0;
    const items = await collect(listAll(api, 'Secret', { limit: 3 }));
    api.close();
    assert.equal(items.length, 7);
    assert.equal(new Set(items.map((o) => o.metadata.uid)).size, 7);
    const lists = server.requests.filter((r) => r.path === '/api/v1/secrets');
    assert.deepEqual(
      lists.map((r) => r.query.limit),
      ['3', '3', '3'],
    );
    assert.equal(lists[0]?.query.continue, undefined);
    assert.ok(lists[1]?.query.continue);
    assert.equal(lists[0]?.user, 'certwarden-reader');
  });

  it('reports the resourceVersion the list started at on every page, while objects change between pages', async () => {
    const api = createKubeApi(cluster({ env: 'KUBECONFIG_AVILLA' }), { env });
    const first = await api.list('Secret', { namespace: 'apps', limit: 2 });
    const leaf = await server.pki.leaf({ cn: 'between.example' });
    server.add('Secret', tlsSecret('apps', 'zz-between', leaf.pem, leaf.keyPem));
    const second = await api.list('Secret', {
      namespace: 'apps',
      limit: 2,
      continue: first.continue ?? undefined,
    });
    const fresh = await api.list('Secret', { namespace: 'apps', limit: 2 });
    server.remove('Secret', 'apps', 'zz-between');
    api.close();
    assert.ok(first.resourceVersion && /^\d+$/.test(first.resourceVersion));
    assert.equal(second.resourceVersion, first.resourceVersion);
    assert.ok(Number(fresh.resourceVersion) > Number(first.resourceVersion));
  });

  it('authenticates with a bearer token from a kubeconfig held in an environment variable', async () => {
    const api = createKubeApi(cluster({ env: 'KUBECONFIG_AVILLA' }), { env });
    server.requests.length = 0;
    const page = await api.list('Secret', { namespace: 'web', limit: 10 });
    api.close();
    assert.deepEqual(
      page.items.map((o) => o.metadata.name),
      ['svc4-tls', 'svc5-tls', 'svc6-tls'],
    );
    assert.equal(page.continue, null);
    assert.equal(server.requests[0]?.path, '/api/v1/namespaces/web/secrets');
    assert.equal(server.requests[0]?.user, 'system:serviceaccount:certwarden:scanner');
  });

  it('reports a rejected token as a 401 KubeApiError', async () => {
    const api = createKubeApi(cluster({ env: 'K' }), {
      env: { K: server.kubeconfig({ auth: 'token', token: 'wrong' }) },
    });
    await assert.rejects(
      api.list('Secret', { limit: 5 }),
      (e: unknown) => e instanceof KubeApiError && e.status === 401,
    );
    api.close();
  });

  it('gets one object, and null for an object that does not exist', async () => {
    const api = createKubeApi(cluster({ env: 'KUBECONFIG_AVILLA' }), { env });
    const o = await api.get('Secret', 'apps', 'svc1-tls');
    assert.equal(o?.metadata.name, 'svc1-tls');
    assert.equal(o?.type, 'kubernetes.io/tls');
    assert.deepEqual(Object.keys(o?.data ?? {}).sort(), ['ca.crt', 'tls.crt']);
    assert.equal(await api.get('Secret', 'apps', 'nope'), null);
    api.close();
  });

  it('keeps only certificate keys of a Secret: tls.key, other keys and the last-applied annotation are dropped', async () => {
    const root = await server.pki.ca({ cn: 'Combined Root' });
    const leaf = await server.pki.leaf({ cn: 'combined.example', issuer: root });
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    server.add('Secret', {
      metadata: {
        name: 'mixed',
        namespace: 'apps',
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': `{"data":{"tls.key":"${b64(leaf.keyPem)}"}}`,
          team: 'a',
        },
        managedFields: [{ manager: 'kubectl' }],
      },
      type: 'Opaque',
      data: {
        'tls.crt': b64(leaf.pem),
        'tls.key': b64(leaf.keyPem),
        'server.key': b64(leaf.keyPem),
        password: b64('hunter2'),
        'bundle.pem': b64(leaf.pem + leaf.keyPem + root.pem),
        'keyonly.pem': b64(leaf.keyPem),
        'ca.crt': b64(root.pem),
      },
      stringData: { 'tls.key': leaf.keyPem },
    });
    const api = createKubeApi(cluster({ env: 'KUBECONFIG_AVILLA' }), { env });
    const o = await api.get('Secret', 'apps', 'mixed');
    api.close();
    assert.deepEqual(Object.keys(o?.data ?? {}).sort(), ['bundle.pem', 'ca.crt', 'tls.crt']);
    const bundle = Buffer.from(o?.data?.['bundle.pem'] ?? '', 'base64').toString();
    assert.equal((bundle.match(/BEGIN CERTIFICATE/g) ?? []).length, 2);
    assert.doesNotMatch(bundle, /PRIVATE KEY/);
    assert.deepEqual(o?.metadata.annotations, { team: 'a' });
    const json = JSON.stringify(o);
    assert.ok(!json.includes(b64(leaf.keyPem).slice(40, 80)));
    assert.doesNotMatch(json, /stringData|managedFields|hunter2/);
  });

  it('turns a 403 on one namespace into a KubeApiError naming kind and namespace', async () => {
    server.forbid({ kind: 'Secret', namespace: 'locked' });
    const api = createKubeApi(cluster({ env: 'KUBECONFIG_AVILLA' }), { env });
    await assert.rejects(api.list('Secret', { namespace: 'locked', limit: 5 }), (e: unknown) => {
      assert.ok(e instanceof KubeApiError);
      assert.equal(e.status, 403);
      assert.equal(e.reason, 'Forbidden');
      assert.equal(e.namespace, 'locked');
      assert.match(e.message, /list Secret in namespace locked: 403 Forbidden/);
      return true;
    });
    // other namespaces still work
    assert.equal((await api.list('Secret', { namespace: 'web', limit: 5 })).items.length, 3);
    api.close();
  });

  it('restarts a list once after a 410 on an expired continue token, without duplicates', async () => {
    server.expireContinue({ kind: 'Secret', page: 2 });
    const api = createKubeApi(cluster({ env: 'KUBECONFIG_AVILLA' }), { env });
    const how: string[] = [];
    server.requests.length = 0;
    const items = await collect(
      listAll(api, 'Secret', { namespace: 'apps', limit: 2, onExpired: (h) => how.push(h) }),
    );
    api.close();
    assert.deepEqual(how, ['restart']);
    const names = items.map((o) => o.metadata.name);
    assert.deepEqual([...names].sort(), ['mixed', 'svc0-tls', 'svc1-tls', 'svc2-tls', 'svc3-tls']);
    assert.equal(server.requests.filter((r) => r.status === 410).length, 1);
    // the restart re-read the first pages: the client saw duplicates and dropped them
    assert.ok(server.requests.filter((r) => r.status === 200).length >= 5);
  });

  it('continues with the token a 410 carries, and objects created meanwhile appear once', async () => {
    server.expireContinue({ kind: 'Secret', page: 1, carryToken: true });
    const leaf = await server.pki.leaf({ cn: 'late.example' });
    server.onContinue = (_k, p) => {
      if (p === 1001) server.add('Secret', tlsSecret('apps', 'zzz-late', leaf.pem, leaf.keyPem));
    };
    const api = createKubeApi(cluster({ env: 'KUBECONFIG_AVILLA' }), { env });
    const how: string[] = [];
    const items = await collect(
      listAll(api, 'Secret', { namespace: 'apps', limit: 2, onExpired: (h) => how.push(h) }),
    );
    api.close();
    server.onContinue = null;
    server.remove('Secret', 'apps', 'zzz-late');
    assert.deepEqual(how, ['continue']);
    const names = items.map((o) => o.metadata.name);
    assert.equal(new Set(names).size, names.length, `duplicates in ${names.join(',')}`);
    for (const n of ['mixed', 'svc0-tls', 'svc1-tls', 'svc2-tls', 'svc3-tls', 'zzz-late'])
      assert.ok(names.includes(n), n);
  });

  it('gives up when the continue token expires a second time', async () => {
    server.expireContinue({ kind: 'Secret', page: 1, times: 2 });
    const api = createKubeApi(cluster({ env: 'KUBECONFIG_AVILLA' }), { env });
    await assert.rejects(
      collect(listAll(api, 'Secret', { namespace: 'apps', limit: 2 })),
      (e: unknown) => e instanceof KubeApiError && e.status === 410,
    );
    api.close();
  });

  it('reaches the API from inside a pod with the mounted service account', async () => {
    const root = path.join(dir, 'pod');
    const sa = path.join(root, 'var/run/secrets/kubernetes.io/serviceaccount');
    fs.mkdirSync(sa, { recursive: true });
    fs.writeFileSync(path.join(sa, 'ca.crt'), server.serverCA.pem);
    fs.writeFileSync(path.join(sa, 'token'), [...server.tokens.keys()][0] as string);
    const api = createKubeApi(cluster({ inCluster: true }), {
      env: { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: String(server.port) },
      serviceAccountRoot: root,
    });
    server.requests.length = 0;
    const page = await api.list('Secret', { namespace: 'web', limit: 10 });
    api.close();
    assert.equal(page.items.length, 3);
    assert.equal(server.requests[0]?.user, 'system:serviceaccount:certwarden:scanner');
  });

  it('gives up on a server that drips its answer, at the request deadline', async () => {
    const serving = await server.pki.leaf({
      cn: 'drip',
      ips: ['127.0.0.1'],
      issuer: server.serverCA,
      eku: ['serverAuth'],
    });
    const timers: NodeJS.Timeout[] = [];
    const drip = https.createServer({ key: serving.keyPem, cert: serving.pem }, (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"items":[');
      timers.push(setInterval(() => res.write(' '), 50));
    });
    await new Promise<void>((r) => drip.listen(0, '127.0.0.1', r));
    const port = (drip.address() as AddressInfo).port;
    const api = createKubeApi(cluster({ env: 'K' }), {
      env: { K: server.kubeconfig({ auth: 'token' }).replace(server.url, `https://127.0.0.1:${port}`) },
      timeoutMs: 400,
    });
    const t0 = Date.now();
    try {
      await assert.rejects(
        api.list('Secret', { limit: 5 }),
        (e: unknown) => e instanceof KubeApiError && e.reason === 'timeout',
      );
      assert.ok(Date.now() - t0 < 3000, `took ${Date.now() - t0} ms`);
    } finally {
      api.close();
      timers.forEach(clearInterval);
      drip.closeAllConnections();
      drip.close();
    }
  });

  it('fails with a tls error when the server is not signed by the kubeconfig CA', async () => {
    const other = await server.pki.ca({ cn: 'Someone else' });
    const text = server
      .kubeconfig({ auth: 'token' })
      .replace(
        /certificate-authority-data: .*/,
        `certificate-authority-data: ${Buffer.from(other.pem).toString('base64')}`,
      );
    const api = createKubeApi(cluster({ env: 'K' }), { env: { K: text } });
    await assert.rejects(
      api.list('Secret', { limit: 1 }),
      (e: unknown) => e instanceof KubeApiError && e.status === 0 && e.reason === 'tls-alert',
    );
    api.close();
  });
});

describe('kubeconfig rules for inventory clusters', () => {
  const base = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: c1',
    '  cluster: {server: "https://127.0.0.1:6443"}',
    '- name: c2',
    '  cluster: {server: "https://127.0.0.1:6443", insecure-skip-tls-verify: true}',
    'users:',
    '- name: plain',
    '  user: {token: abc}',
    '- name: runner',
    '  user:',
    '    exec: {apiVersion: client.authentication.k8s.io/v1, command: /usr/bin/get-token, args: [x]}',
    '- name: oidc',
    '  user:',
    '    auth-provider: {name: oidc, config: {client-id: x}}',
    'contexts:',
    '- name: ok',
    '  context: {cluster: c1, user: plain}',
    '- name: exec',
    '  context: {cluster: c1, user: runner}',
    '- name: provider',
    '  context: {cluster: c1, user: oidc}',
    '- name: insecure',
    '  context: {cluster: c2, user: plain}',
    'current-context: ok',
    '',
  ].join('\n');
  const env = { KC: base };

  it('accepts a kubeconfig with a token user and a verified cluster, and selects the context asked for', () => {
    const kc = loadKubeConfig(cluster({ env: 'KC', context: 'ok' }), { env });
    assert.equal(kc.getCurrentContext(), 'ok');
  });

  it('refuses a user that runs a command (exec), naming the cluster, the command and the flag', () => {
    assert.throws(
      () => loadKubeConfig(cluster({ env: 'KC', context: 'exec' }), { env }),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError);
        assert.match(
          e.message,
          /^inventory\/clusters\.yaml:4:5: error: cluster 'avilla': user 'runner' runs a command \(exec: \/usr\/bin\/get-token\).*allowExec: true/,
        );
        return true;
      },
    );
  });

  it('refuses an auth-provider user unless the cluster sets allowExec', () => {
    assert.throws(
      () => loadKubeConfig(cluster({ env: 'KC', context: 'provider' }), { env }),
      /auth-provider \(oidc\).*allowExec: true/,
    );
    assert.doesNotThrow(() =>
      loadKubeConfig(cluster({ env: 'KC', context: 'provider' }, { allowExec: true }), { env }),
    );
  });

  it('refuses insecure-skip-tls-verify unless the cluster sets allowInsecure', () => {
    assert.throws(
      () => loadKubeConfig(cluster({ env: 'KC', context: 'insecure' }), { env }),
      /insecure-skip-tls-verify; refused unless the cluster sets allowInsecure: true/,
    );
    assert.doesNotThrow(() =>
      loadKubeConfig(cluster({ env: 'KC', context: 'insecure' }, { allowInsecure: true }), { env }),
    );
  });

  it('names the missing environment variable, an unknown context and an unreadable file', () => {
    assert.throws(
      () => loadKubeConfig(cluster({ env: 'NOPE' }), { env }),
      /environment variable NOPE is not set \(expected the kubeconfig text, or the path of a kubeconfig file\)/,
    );
    assert.throws(
      () => loadKubeConfig(cluster({ env: 'KC', context: 'prod' }), { env }),
      /context 'prod' is not in the kubeconfig\. Expected one of: ok, exec, provider, insecure/,
    );
    assert.throws(
      () => loadKubeConfig(cluster({ path: '/nonexistent/kubeconfig' }), { env }),
      /cannot read kubeconfig file \/nonexistent\/kubeconfig: ENOENT/,
    );
  });

  it('requires KUBERNETES_SERVICE_HOST for an in-cluster configuration', () => {
    assert.throws(
      () => loadKubeConfig(cluster({ inCluster: true }), { env: {} }),
      /inCluster is set but KUBERNETES_SERVICE_HOST/,
    );
  });
});

describe('paged listing (src/sources/kubernetes/list.ts) with a small fake API', () => {
  // Pages are scripted per request: a list of names (uid = name) and whether more follow.
  function fakeApi(script: (string[] | 'gone' | { gone: string })[]): {
    api: import('../../src/sources/kubernetes/read.js').KubeApi;
    tokens: (string | undefined)[];
  } {
    const tokens: (string | undefined)[] = [];
    let i = 0;
    const api = {
      async list(kind: 'Secret', opts: { continue?: string }) {
        tokens.push(opts.continue);
        const step = script[i++];
        if (step === undefined) throw new Error('script exhausted');
        if (step === 'gone' || (typeof step === 'object' && !Array.isArray(step))) {
          throw new KubeApiError({
            status: 410,
            reason: 'Expired',
            message: 'expired',
            kind,
            continueToken: typeof step === 'object' ? step.gone : null,
          });
        }
        const more = i < script.length;
        return {
          items: step.map((n) => ({
            kind,
            metadata: { name: n.split('/')[1] ?? n, namespace: n.split('/')[0], uid: n },
          })),
          continue: more ? `t${i}` : null,
          resourceVersion: '1',
        };
      },
      async get() {
        return null;
      },
    };
    return { api, tokens };
  }

  it('after a restart skips what was already returned, by key order, and keeps objects created meanwhile further on', async () => {
    const { api, tokens } = fakeApi([
      ['a/1', 'a/2'],
      ['b/1', 'b/2'],
      'gone',
      ['a/1', 'a/2'],
      ['a/3', 'b/1'],
      ['b/2', 'c/1'],
    ]);
    const names = (await collect(listAll(api, 'Secret', { limit: 2 }))).map((o) => o.metadata.uid);
    assert.deepEqual(names, ['a/1', 'a/2', 'b/1', 'b/2', 'c/1']);
    assert.deepEqual(tokens, [undefined, 't1', 't2', undefined, 't4', 't5']);
  });

  it('de-duplicates by uid when a server does not list in key order', async () => {
    const { api } = fakeApi([
      ['b/1', 'a/1'],
      ['c/1', 'a/1'],
      ['d/1', 'b/1'],
    ]);
    const names = (await collect(listAll(api, 'Secret', { limit: 2 }))).map((o) => o.metadata.uid);
    assert.deepEqual(names, ['b/1', 'a/1', 'c/1', 'd/1']);
  });
});
