import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KubeApiServer, tlsSecret } from '../support/kube-api-server.js';
import { createKubeApi, KubeApiError, type HttpKubeApi } from '../../src/sources/kubernetes/client.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('Kubernetes write API (src/sources/kubernetes/client.ts KubeWriteApi) against the test API server', () => {
  let server: KubeApiServer;
  let kube: HttpKubeApi;
  let dir: string;
  let keyPem: string;

  before(async () => {
    server = await KubeApiServer.start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cw-kube-write-'));
    fs.writeFileSync(path.join(dir, 'kubeconfig'), server.kubeconfig());
    kube = createKubeApi({
      name: 'avilla',
      kubeconfig: { path: path.join(dir, 'kubeconfig') },
      location: { file: 'inventory/clusters.yaml', line: 3, column: 5 },
    });
    const leaf = await server.pki.leaf({ cn: 'svc.example', dns: ['svc.example'] });
    keyPem = leaf.keyPem;
    server.add('Secret', tlsSecret('apps', 'svc-tls', leaf.pem, leaf.keyPem));
  });

  after(async () => {
    kube.close();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('getSecretFull returns tls.key, which the read API never returns', async () => {
    const full = await kube.getSecretFull('apps', 'svc-tls');
    assert.equal(Buffer.from(full!.data!['tls.key']!, 'base64').toString(), keyPem);
    const read = await kube.get('Secret', 'apps', 'svc-tls');
    assert.ok(!JSON.stringify(read).includes(full!.data!['tls.key']!.slice(10, 50)));
    assert.equal(await kube.getSecretFull('apps', 'missing'), null);
  });

  it('only the apply step calls getSecretFull (no other source file reads whole Secrets)', () => {
    const root = path.resolve('src');
    const callers: string[] = [];
    const walk = (d: string): void => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.ts$/.test(e.name) && fs.readFileSync(p, 'utf8').includes('getSecretFull'))
          callers.push(path.relative(root, p));
      }
    };
    walk(root);
    assert.deepEqual(callers.sort(), ['renewal/apply.ts', 'sources/kubernetes/client.ts']);
  });

  it('replaceSecret keeps optimistic concurrency: a stale resourceVersion is a 409 Conflict and changes nothing', async () => {
    const cur = (await kube.getSecretFull('apps', 'svc-tls'))!;
    const rv = cur.metadata.resourceVersion!;
    const next = { ...cur, data: { ...cur.data, 'extra.txt': b64('one') } };
    const replaced = await kube.replaceSecret('apps', 'svc-tls', next, rv);
    assert.notEqual(replaced.metadata.resourceVersion, rv);
    await assert.rejects(
      kube.replaceSecret('apps', 'svc-tls', { ...cur, data: { ...cur.data, 'extra.txt': b64('two') } }, rv),
      (e) => e instanceof KubeApiError && e.status === 409 && e.reason === 'Conflict' && e.kind === 'Secret',
    );
    const now = server.object('Secret', 'apps', 'svc-tls')!;
    assert.equal(Buffer.from(now.data['extra.txt'], 'base64').toString(), 'one');
  });

  it('createSecret refuses an existing name (409) and data keys the API does not allow (422)', async () => {
    await assert.rejects(
      kube.createSecret('apps', { metadata: { name: 'svc-tls' }, type: 'Opaque', data: {} }),
      (e) => e instanceof KubeApiError && e.status === 409 && e.reason === 'AlreadyExists',
    );
    await assert.rejects(
      kube.createSecret('apps', {
        metadata: { name: 'bad-key' },
        type: 'Opaque',
        data: { 'certwarden.dev/pending-key': '' },
      }),
      (e) =>
        e instanceof KubeApiError && e.status === 422 && /a valid config key must consist/.test(e.message),
    );
    await assert.rejects(
      kube.createSecret('apps', {
        metadata: { name: 'half-tls' },
        type: 'kubernetes.io/tls',
        data: { 'tls.crt': '' },
      }),
      (e) =>
        e instanceof KubeApiError && e.status === 422 && /data\[tls\.key\]: Required value/.test(e.message),
    );
    const made = await kube.createSecret('apps', {
      metadata: { name: 'made' },
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': '', 'tls.key': '' },
    });
    assert.equal(made.metadata.namespace, 'apps');
    assert.ok(made.metadata.resourceVersion);
  });

  it('creates, approves with a CertwardenApproved condition, reads and deletes a CSR', async () => {
    const { pem } = await server.pki.csr({ subject: 'CN=svc.example', dns: ['svc.example'] });
    const created = await kube.createCsr({
      metadata: { name: 'write-api-csr' },
      spec: {
        request: b64(pem),
        signerName: 'example.com/none',
        usages: ['server auth'],
        expirationSeconds: 3600,
      },
    });
    assert.equal(created.spec.expirationSeconds, 3600);
    const approved = await kube.approveCsr('write-api-csr', 'approved by acme/platform#7');
    assert.deepEqual(
      approved.status?.conditions?.map((c) => [c.type, c.status, c.reason, c.message]),
      [['Approved', 'True', 'CertwardenApproved', 'approved by acme/platform#7']],
    );
    assert.equal(
      server.requests.filter((r) => r.path.endsWith('/write-api-csr/approval')).at(-1)?.method,
      'PUT',
    );
    assert.equal((await kube.getCsr('write-api-csr'))?.status?.conditions?.[0]?.type, 'Approved');
    await kube.deleteCsr('write-api-csr');
    assert.equal(await kube.getCsr('write-api-csr'), null);
    await kube.deleteCsr('write-api-csr'); // already gone: not an error
    await assert.rejects(
      kube.approveCsr('write-api-csr', 'x'),
      (e) => e instanceof KubeApiError && e.status === 404,
    );
  });

  it('a CSR with too short an expirationSeconds is refused as the API server does', async () => {
    const { pem } = await server.pki.csr({ subject: 'CN=short' });
    await assert.rejects(
      kube.createCsr({
        metadata: { name: 'too-short' },
        spec: {
          request: b64(pem),
          signerName: 'example.com/none',
          usages: ['server auth'],
          expirationSeconds: 60,
        },
      }),
      (e) => e instanceof KubeApiError && e.status === 422 && /less than 600 seconds/.test(e.message),
    );
  });
});
