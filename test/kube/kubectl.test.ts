// Proof that the test API server speaks the real protocol: Debian's kubectl lists through it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { KubeApiServer, tlsSecret } from '../support/kube-api-server.js';

const run = promisify(execFile);
const KUBECTL = '/usr/bin/kubectl';

describe('the test API server with the real kubectl', function () {
  let server: KubeApiServer;
  let dir: string;

  before(async function () {
    if (!fs.existsSync(KUBECTL))
      throw new Error(`${KUBECTL} is not installed (.ci/run installs kubernetes-client)`);
    server = await KubeApiServer.start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cw-kubectl-'));
    const root = await server.pki.ca({ cn: 'Apps Root' });
    // 1203 Secrets: more than two of kubectl's 500-object chunks, so kubectl must follow continue tokens.
    const leaf = await server.pki.leaf({ cn: 'web.example', issuer: root });
    for (let i = 0; i < 1203; i++)
      server.add(
        'Secret',
        tlsSecret(`ns${i % 7}`, `web-${String(i).padStart(4, '0')}`, leaf.pem, leaf.keyPem, { ca: root.pem }),
      );
    server.add('ConfigMap', {
      metadata: { name: 'kube-root-ca.crt', namespace: 'ns1' },
      data: { 'ca.crt': root.pem },
    });
    server.add('CertificateSigningRequest', {
      metadata: { name: 'csr-1' },
      spec: { signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'], request: '' },
      status: {},
    });
  });
  after(async () => {
    await server?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function kubectl(kubeconfig: string, ...args: string[]): Promise<{ stdout: string; stderr: string }> {
    const file = path.join(dir, `kubeconfig-${Math.random().toString(36).slice(2)}`);
    fs.writeFileSync(file, kubeconfig, { mode: 0o600 });
    return run(KUBECTL, ['--kubeconfig', file, '--cache-dir', path.join(dir, 'cache'), ...args], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir },
      timeout: 60_000,
      maxBuffer: 64 * 1024 * 1024,
    });
  }

  it('kubectl get secrets -A -o json returns every Secret, following continue tokens, with a client certificate', async () => {
    server.requests.length = 0;
    const { stdout } = await kubectl(
      server.kubeconfig({ auth: 'cert' }),
      'get',
      'secrets',
      '-A',
      '-o',
      'json',
    );
    const list = JSON.parse(stdout) as {
      kind: string;
      items: {
        kind: string;
        apiVersion: string;
        metadata: { name: string; namespace: string; uid: string };
        type: string;
      }[];
    };
    assert.equal(list.kind, 'List');
    assert.equal(list.items.length, 1203);
    assert.equal(new Set(list.items.map((i) => i.metadata.uid)).size, 1203);
    assert.equal(list.items[0]?.kind, 'Secret');
    assert.equal(list.items[0]?.apiVersion, 'v1');
    assert.equal(list.items[0]?.type, 'kubernetes.io/tls');
    const pages = server.requests.filter((r) => r.path === '/api/v1/secrets');
    assert.equal(pages.length, 3, 'kubectl pages in chunks of 500');
    assert.equal(pages[0]?.query.limit, '500');
    assert.ok(pages.every((p) => p.user === 'certwarden-reader'));
    assert.ok(
      server.requests.some((r) => r.path === '/api'),
      'kubectl ran API discovery',
    );
  });

  it('kubectl authenticates with a bearer token and gets one object by name', async () => {
    const { stdout } = await kubectl(
      server.kubeconfig({ auth: 'token' }),
      'get',
      'configmap',
      'kube-root-ca.crt',
      '-n',
      'ns1',
      '-o',
      'json',
    );
    const cm = JSON.parse(stdout) as { kind: string; data: Record<string, string> };
    assert.equal(cm.kind, 'ConfigMap');
    assert.match(cm.data['ca.crt'] ?? '', /BEGIN CERTIFICATE/);
  });

  it('kubectl lists cluster-scoped CertificateSigningRequests by their short name', async () => {
    const { stdout } = await kubectl(server.kubeconfig({ auth: 'token' }), 'get', 'csr', '-o', 'json');
    const list = JSON.parse(stdout) as { items: { kind: string; metadata: { name: string } }[] };
    assert.deepEqual(
      list.items.map((i) => [i.kind, i.metadata.name]),
      [['CertificateSigningRequest', 'csr-1']],
    );
  });

  it("kubectl shows the server's 403 for a forbidden namespace", async () => {
    server.forbid({ kind: 'Secret', namespace: 'ns3' });
    await assert.rejects(
      kubectl(server.kubeconfig({ auth: 'token' }), 'get', 'secrets', '-n', 'ns3', '-o', 'json'),
      (e: { stderr: string }) => {
        assert.match(
          e.stderr,
          /secrets is forbidden: User "system:serviceaccount:certwarden:scanner" cannot list resource "secrets" in API group "" in the namespace "ns3"/,
        );
        return true;
      },
    );
  });

  it('kubectl is refused without credentials', async () => {
    const anon = server.kubeconfig({ auth: 'token', token: 'not-a-token' });
    await assert.rejects(kubectl(anon, 'get', 'secrets', '-A', '-o', 'json'), (e: { stderr: string }) =>
      /Unauthorized|must be logged in/i.test(e.stderr),
    );
  });
});
