// The action's renew mode through its real entry point: it runs `certwarden renew` itself, so the
// step applies, records and fails as the command does. Without GITHUB_REPOSITORY the approval is the
// commit that added the request (git log) and the outcome is written to the working tree; the
// GitHub side (merged PR, outcome commit, renewal.failed issue) is covered by test/renewal/.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseRenewalRequest, renderRenewalRequest, type RenewalRequest } from '../../src/renewal/request.js';
import { KubeApiServer, tlsSecret, type TestSigner } from '../support/kube-api-server.js';
import type { Issued } from '../support/pki.js';
import { runAction, webhookInventory } from './run-action.js';
import { webhookRenewalRequest, WEBHOOK_SIGNER } from '../support/renewal.js';

const git = promisify(execFile);
const SIGNER = WEBHOOK_SIGNER;
const FILE = 'renewals/webhook.yaml';

const INVENTORY = webhookInventory();

function request(replaces: string): RenewalRequest {
  return webhookRenewalRequest(replaces);
}

describe('the action in mode renew', function () {
  this.timeout(120_000);
  const cleanup: string[] = [];
  let kube: KubeApiServer | null = null;

  afterEach(async () => {
    await kube?.settled();
    await kube?.close();
    kube = null;
    for (const d of cleanup.splice(0)) await rm(d, { recursive: true, force: true });
  });

  async function workspace(files: Record<string, string>): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'cw-action-renew-'));
    cleanup.push(dir);
    for (const [p, c] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, p)), { recursive: true });
      await writeFile(path.join(dir, p), c);
    }
    const sh = (...args: string[]) =>
      git('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir });
    await sh('init', '-q', '-b', 'main');
    await sh('add', '.');
    await sh('commit', '-qm', 'merge the renewal request');
    return dir;
  }

  /** A cluster with an expiring webhook Secret and a signer; a workspace holding the merged request. */
  async function world(signer: Partial<Parameters<KubeApiServer['signer']>[0]> = {}) {
    kube = await KubeApiServer.start();
    const ca = await kube.pki.ca({ cn: 'Acme services CA' });
    const s: TestSigner = await kube.signer({ signerName: SIGNER, ca, ...signer });
    const old: Issued = await kube.pki.leaf({
      cn: 'webhook.webhooks.svc',
      dns: ['webhook.webhooks.svc'],
      issuer: ca,
      days: 10,
    });
    kube.add('Secret', tlsSecret('webhooks', 'webhook-tls', old.pem, old.keyPem));
    const dir = await workspace({
      'inventory/platform.yaml': INVENTORY,
      [FILE]: renderRenewalRequest(request(old.sha256)),
    });
    const env = { KUBECONFIG_AVILLA: kube.kubeconfig({ auth: 'token' }) };
    return { dir, env, old, signer: s, kube };
  }

  it('with no renewal requests does nothing, succeeds and says so in the job summary', async () => {
    const dir = await workspace({ 'inventory/platform.yaml': INVENTORY });
    const run = await runAction(dir, { mode: 'renew', inventory: 'inventory' });
    assert.equal(run.code, 0, run.stdout);
    assert.equal(run.outputs['applied'], '0');
    assert.equal(run.outputs['failed'], '0');
    assert.equal(run.outputs['exit-code'], '0');
    assert.match(run.summary, /### certwarden renew\n\n- nothing to do: no renewal requests\n/);
  });

  it('as a dry run lists the merged pending request with the commit that approved it, and changes nothing', async () => {
    const w = await world();
    const head = (await git('git', ['rev-parse', 'HEAD'], { cwd: w.dir })).stdout.trim();
    const before = await readFile(path.join(w.dir, FILE), 'utf8');
    const run = await runAction(w.dir, { mode: 'renew', 'dry-run': 'true' }, w.env);
    assert.equal(run.code, 0, run.stdout);
    assert.equal(run.outputs['would-apply'], '1');
    assert.equal(run.outputs['applied'], '0');
    assert.match(run.summary, /### certwarden renew \(dry run\)/);
    // The commit SHA shows as code: GitHub links no commit-like string certwarden writes.
    assert.ok(
      run.summary.includes(
        `- renewals/webhook.yaml: would-apply — would request a ${SIGNER} certificate for webhook.webhooks.svc in cluster avilla, approve it citing commit \`${head}\`, and write Secret webhooks/webhook-tls`,
      ),
      run.summary,
    );
    assert.equal(await readFile(path.join(w.dir, FILE), 'utf8'), before, 'the request is not recorded');
    assert.equal(w.kube.objects('CertificateSigningRequest').length, 0);
    assert.equal(w.signer.issued.length, 0);
  });

  it('counts requests from the renew result, not from printed lines: a file named like a result line is one more would-apply', async () => {
    // The step's outputs once came from parsing the command's stdout; a file name that reads like a
    // result line ("…: failed — …") would have been counted as a failure.
    const odd = 'renewals/old: failed — kept.yaml';
    const text = renderRenewalRequest(request('ab'.repeat(32)));
    const dir = await workspace({ 'inventory/platform.yaml': INVENTORY, [FILE]: text, [odd]: text });
    const run = await runAction(dir, { mode: 'renew', 'dry-run': 'true' });
    assert.equal(run.code, 0, run.stdout);
    assert.equal(run.outputs['would-apply'], '2');
    assert.equal(run.outputs['failed'], '0');
    assert.equal(run.outputs['applied'], '0');
    assert.equal(run.outputs['exit-code'], '0');
    assert.ok(
      run.summary.includes('- renewals/old: failed — kept.yaml: would-apply — would request a '),
      run.summary,
    );
    assert.ok(run.summary.includes('- renewals/webhook.yaml: would-apply — would request a '), run.summary);
  });

  it('applies a merged request through the CSR API, writes the Secret, records the outcome and counts it', async () => {
    const w = await world();
    const run = await runAction(w.dir, { mode: 'renew' }, w.env);
    assert.equal(run.code, 0, run.stdout);
    assert.equal(run.outputs['applied'], '1');
    assert.equal(run.outputs['failed'], '0');
    assert.equal(run.outputs['exit-code'], '0');
    assert.equal(w.signer.issued.length, 1);
    const secret = w.kube.object('Secret', 'webhooks', 'webhook-tls')!;
    const cert = new X509Certificate(Buffer.from(secret.data['tls.crt'], 'base64'));
    const sha = cert.fingerprint256.replace(/:/g, '').toLowerCase();
    assert.equal(sha, w.signer.issued[0]!.sha256);
    const recorded = parseRenewalRequest(await readFile(path.join(w.dir, FILE), 'utf8'), FILE).status;
    assert.equal(recorded?.state, 'applied');
    assert.equal(recorded?.sha256, sha);
    assert.match(run.summary, /- renewals\/webhook\.yaml: applied — /);
    // The step log never shows key material, and the kubeconfig's token only to mask it.
    assert.doesNotMatch(run.stdout, /PRIVATE KEY/);
    const token = /token: (\S+)/.exec(w.env.KUBECONFIG_AVILLA)![1]!;
    const lines = run.stdout.split('\n').filter((l) => l.includes(token));
    assert.ok(lines.includes(`::add-mask::token: ${token}`), 'the kubeconfig is masked line by line');
    assert.deepEqual(
      lines.filter((l) => !l.startsWith('::add-mask::')),
      [],
    );
  });

  it('fails the step when the signer fails the request, with failed=1 and the request recorded as failed', async () => {
    const w = await world({ fail: () => 'signer quota exhausted' });
    const run = await runAction(w.dir, { mode: 'renew' }, w.env);
    assert.equal(run.code, 1, run.stdout);
    assert.equal(run.outputs['failed'], '1');
    assert.equal(run.outputs['applied'], '0');
    assert.equal(run.outputs['exit-code'], '1');
    assert.match(run.stdout, /^::error::1 renewal request\(s\) failed \(recorded in the request file\)$/m);
    const recorded = parseRenewalRequest(await readFile(path.join(w.dir, FILE), 'utf8'), FILE).status;
    assert.equal(recorded?.state, 'failed');
    assert.match(recorded?.message ?? '', /signer quota exhausted/);
    const secret = w.kube.object('Secret', 'webhooks', 'webhook-tls')!;
    assert.equal(
      new X509Certificate(Buffer.from(secret.data['tls.crt'], 'base64')).fingerprint256
        .replace(/:/g, '')
        .toLowerCase(),
      w.old.sha256,
      'the Secret keeps the old certificate',
    );
  });

  it('a malformed request file fails the step with exit-code 2 and an error naming the file', async () => {
    const dir = await workspace({
      'inventory/platform.yaml': INVENTORY,
      [FILE]: 'apiVersion: certwarden/v1\nkind: RenewalRequest\nmetadata: {target: webhook}\n',
    });
    const run = await runAction(dir, { mode: 'renew' });
    assert.equal(run.code, 1, run.stdout);
    assert.equal(run.outputs['exit-code'], '2');
    assert.match(run.stdout, /^::error.*renewals\/webhook\.yaml/m);
  });
});
