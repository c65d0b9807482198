// Proof that the test API server's write protocol is the real one: Debian's kubectl reads the CSR the
// apply step created, approves it through the approval subresource, and reads the Secret it wrote.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { KubeApiServer } from '../support/kube-api-server.js';
import { createKubeApi } from '../../src/sources/kubernetes/client.js';
import { ApplyCrash, applyRenewal } from '../../src/renewal/apply.js';
import type { RenewalRequest } from '../../src/renewal/request.js';

const run = promisify(execFile);
const KUBECTL = '/usr/bin/kubectl';
const SIGNER = 'example.com/internal-services';

describe('renewal apply with the real kubectl on the other side', function () {
  this.timeout(60_000);
  let server: KubeApiServer;
  let dir: string;
  let kubeconfig: string;

  before(async () => {
    if (!fs.existsSync(KUBECTL))
      throw new Error(`${KUBECTL} is not installed (.ci/run installs kubernetes-client)`);
    server = await KubeApiServer.start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cw-apply-kubectl-'));
    kubeconfig = path.join(dir, 'kubeconfig');
    fs.writeFileSync(kubeconfig, server.kubeconfig({ auth: 'cert' }), { mode: 0o600 });
  });
  after(async () => {
    await server?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const kubectl = (...args: string[]) =>
    run(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', path.join(dir, 'cache'), ...args], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir },
      timeout: 60_000,
    });

  it('a CSR approved by hand through kubectl is not approved again, and kubectl reads the CSR and the written Secret', async () => {
    const signer = await server.signer({ signerName: SIGNER });
    const kube = createKubeApi({
      name: 'avilla',
      kubeconfig: { path: kubeconfig },
      location: { file: 'inventory/clusters.yaml', line: 3, column: 5 },
    });
    const req: RenewalRequest = {
      apiVersion: 'certwarden/v1',
      kind: 'RenewalRequest',
      metadata: { target: 'svc-tls', id: '0123456789abcdef', createdAt: new Date().toISOString() },
      spec: {
        method: 'kubernetes-csr',
        cluster: 'avilla',
        signerName: SIGNER,
        usages: ['digital signature', 'client auth'],
        expirationSeconds: 3600,
        subject: { CN: 'svc-client', O: ['svc'] },
        key: { type: 'EC' },
        secret: { namespace: 'apps', name: 'svc-tls' },
      },
    };
    const deps = { kube, approvalMessage: 'approved by acme/platform#9', waitTimeoutMs: 5_000, pollMs: 20 };
    try {
      await assert.rejects(applyRenewal(req, { ...deps, crashAfter: 'create-csr' }), ApplyCrash);
      // An operator approves it by hand, as `kubectl certificate approve` does (GET, add the
      // condition, PUT the approval subresource), in JSON: this server does not speak protobuf.
      const name = 'certwarden-svc-tls-0123456789';
      const got = JSON.parse((await kubectl('get', 'csr', name, '-o', 'json')).stdout);
      got.status.conditions = [
        { type: 'Approved', status: 'True', reason: 'ManualApproval', message: 'approved by hand' },
      ];
      const file = path.join(dir, 'approval.json');
      fs.writeFileSync(file, JSON.stringify(got));
      await kubectl(
        'replace',
        '--raw',
        `/apis/certificates.k8s.io/v1/certificatesigningrequests/${name}/approval`,
        '-f',
        file,
      );
      const out = await applyRenewal(req, deps);
      assert.equal(out.state, 'applied', out.message);
      await server.settled();
      assert.equal(signer.issued.length, 1);
      const csr = server.object('CertificateSigningRequest', null, out.csrName)!;
      assert.deepEqual(
        csr.status.conditions.map((c: Record<string, string>) => c.reason),
        ['ManualApproval'],
        'approved by hand; certwarden did not approve a second time',
      );
      const crt = await kubectl('get', 'secret', '-n', 'apps', 'svc-tls', '-o', 'jsonpath={.data.tls\\.crt}');
      const cert = new X509Certificate(Buffer.from(crt.stdout, 'base64'));
      assert.equal(cert.fingerprint256.replace(/:/g, '').toLowerCase(), out.sha256);
      assert.equal(cert.subject, 'CN=svc-client\nO=svc');
      const csrs = await kubectl('get', 'csr', out.csrName, '-o', 'jsonpath={.status.conditions[0].type}');
      assert.equal(csrs.stdout, 'Approved');
    } finally {
      kube.close();
    }
  });
});
