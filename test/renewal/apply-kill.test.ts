// Crash safety with a real kill: the apply step runs in its own process, which is SIGKILLed right
// after a step; a second process then finishes, and the cluster ends as after one clean run.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubeApiServer, tlsSecret } from '../support/kube-api-server.js';
import { APPLY_STEPS, PENDING_KEY_DATA, type RenewalOutcome } from '../../src/renewal/apply.js';
import type { RenewalRequest } from '../../src/renewal/request.js';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'apply-child.ts');
const SIGNER = 'example.com/internal-services';

const request: RenewalRequest = {
  apiVersion: 'certwarden/v1',
  kind: 'RenewalRequest',
  metadata: { target: 'web/api-tls', id: '5e1f0c9a2b7d4e8f', createdAt: new Date().toISOString() },
  spec: {
    method: 'kubernetes-csr',
    cluster: 'avilla',
    signerName: SIGNER,
    usages: ['digital signature', 'server auth'],
    expirationSeconds: 86_400,
    subject: { CN: 'api.web.svc' },
    dnsNames: ['api.web.svc'],
    key: { type: 'EC' },
    secret: { namespace: 'web', name: 'api-tls' },
  },
};

/** Runs the child; with `killAt`, SIGKILLs it as soon as it reports that step. */
function runChild(
  dir: string,
  kubeconfig: string,
  killAt: string | null,
): Promise<{ steps: string[]; outcome: RenewalOutcome | null; signal: string | null }> {
  const input = path.join(dir, `input-${killAt ?? 'full'}.json`);
  fs.writeFileSync(input, JSON.stringify({ request, kubeconfig, killAt }));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, input], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const steps: string[] = [];
    let outcome: RenewalOutcome | null = null;
    let buf = '';
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      buf += c.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (line.startsWith('step ')) {
          steps.push(line.slice(5));
          if (line.slice(5) === killAt) child.kill('SIGKILL');
        } else if (line.startsWith('outcome ')) outcome = JSON.parse(line.slice(8)) as RenewalOutcome;
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === null && code !== 0) reject(new Error(`child exited ${code}: ${err.slice(0, 500)}`));
      else resolve({ steps, outcome, signal });
    });
  });
}

describe('renewal apply killed with SIGKILL between steps', function () {
  this.timeout(120_000);

  for (const killAt of APPLY_STEPS.filter((s) => s !== 'read-secret'))
    it(`a process killed right after '${killAt}' leaves a state the next run completes with one certificate`, async () => {
      const server = await KubeApiServer.start();
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cw-apply-kill-'));
      try {
        const kubeconfig = path.join(dir, 'kubeconfig');
        fs.writeFileSync(kubeconfig, server.kubeconfig({ auth: 'token' }), { mode: 0o600 });
        const signer = await server.signer({ signerName: SIGNER });
        const old = await server.pki.leaf({ cn: 'api.web.svc', dns: ['api.web.svc'] });
        server.add('Secret', tlsSecret('web', 'api-tls', old.pem, old.keyPem, { ca: old.pem }));

        const killed = await runChild(dir, kubeconfig, killAt);
        assert.equal(killed.signal, 'SIGKILL');
        assert.equal(killed.steps.at(-1), killAt);
        assert.equal(killed.outcome, null);
        await server.settled();

        const done = await runChild(dir, kubeconfig, null);
        assert.equal(done.outcome?.state, 'applied', done.outcome?.message);
        await server.settled();
        const s = server.object('Secret', 'web', 'api-tls')!;
        const cert = new X509Certificate(Buffer.from(s.data['tls.crt'], 'base64'));
        assert.ok(
          cert.checkPrivateKey(createPrivateKey(Buffer.from(s.data['tls.key'], 'base64').toString())),
        );
        assert.deepEqual(Object.keys(s.data).sort(), ['ca.crt', 'tls.crt', 'tls.key']);
        assert.equal(s.data[PENDING_KEY_DATA], undefined);
        assert.equal(signer.issued.length, 1);
        assert.equal(signer.issued[0]!.sha256, done.outcome?.sha256);
        assert.equal(server.objects('CertificateSigningRequest').length, 1);
        if (killAt === 'write-secret') assert.match(done.outcome!.message, /already applied/);
      } finally {
        await server.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
});
