// The renewal loop end to end, through the CLI, against the GitHub and Kubernetes test API servers:
// an expiring Secret -> `sync` opens the renewal PR -> a reviewer merges it -> `renew` issues through
// the CSR API (the test signer holds a real CA key) and writes the Secret -> a rescan finds the new
// certificate healthy -> `sync` proposes the pin update. Git history holds the audit trail. Canary:
// the new private key appears nowhere but in the target Secret.
import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createGitHub } from '../../src/github/client.js';
import type { Report } from '../../src/core/model.js';
import { createKubeApi } from '../../src/sources/kubernetes/client.js';
import { APPLY_STEPS, applyRenewal, type ApplyStep } from '../../src/renewal/apply.js';
import { runRenew, type RenewOptions } from '../../src/commands/renew.js';
import { parseRenewalRequest, renderRenewalRequest, type RenewalRequest } from '../../src/renewal/request.js';
import { silentLogger } from '../../src/core/logger.js';
import { runCli, type CliRun } from '../support/cli.js';
import { startGitHubApiServer, type GitHubApiServer } from '../support/github-api-server.js';
import { KubeApiServer, tlsSecret, type TestSigner } from '../support/kube-api-server.js';
import type { Issued } from '../support/pki.js';
import { webhookRenewalRequest, WEBHOOK_SIGNER } from '../support/renewal.js';

const SIGNER = WEBHOOK_SIGNER;
const DAY = 86_400_000;
const FILE = 'renewals/webhook.yaml';

function inventoryYaml(pin: string): string {
  return `# Platform services, reviewed by the platform team
apiVersion: certwarden/v1
kind: Inventory
metadata:
  name: platform
  owners: ["@alice"]
clusters:
  - name: avilla
    kubeconfig: {env: KUBECONFIG_AVILLA}
anchors:
  - id: services-ca
    file: anchors/services-ca.pem
targets:
  - id: webhook   # the admission webhook's serving certificate
    kubernetes: {cluster: avilla, kind: Secret, namespace: webhooks, name: webhook-tls}
    expect:
      sha256: "${pin}"
      chainTo: services-ca
    renewal:
      method: kubernetes-csr
      signerName: ${SIGNER}
      usages: [digital signature, key encipherment, server auth]
      expirationSeconds: 7776000
`;
}

const unb64 = (s: string | undefined) => Buffer.from(s ?? '', 'base64').toString('utf8');

/** Every file under a folder, as text. */
async function allFiles(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const p = path.join(e.parentPath, e.name);
    out.set(p, await readFile(p, 'utf8'));
  }
  return out;
}

describe('renewal end to end (sync -> reviewed PR -> merge -> renew -> Secret -> rescan -> pin PR)', function () {
  this.timeout(120_000);
  let gh: GitHubApiServer;
  let kube: KubeApiServer;
  let signer: TestSigner;
  let old: Issued;
  let root: string;
  let env: NodeJS.ProcessEnv;
  const runs: CliRun[] = [];
  const cli = async (args: string[]) => {
    const r = await runCli(args, { cwd: root, env });
    runs.push(r);
    return r;
  };
  const alice = () =>
    createGitHub({ token: 'alice-token', baseUrl: gh.url, logger: silentLogger, spacing: 'none' });
  const repo = () => ({ owner: gh.owner, repo: gh.repo });
  const prs = () => [...gh.issues.values()].filter((i) => i.pull);
  /** `git pull`: the checkout takes the default branch's version of a file. */
  const pull = async (file: string) => {
    const text = gh.fileAt('main', file);
    assert.ok(text !== null, `${file} is on main`);
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text);
  };
  const scan = async (): Promise<Report> => {
    const r = await cli(['scan', '--inventory', 'inventory', '--format', 'json', '--fail-on', 'never']);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as Report;
  };

  before(async () => {
    kube = await KubeApiServer.start();
    const ca = await kube.pki.ca({ cn: 'Acme services CA' });
    signer = await kube.signer({ signerName: SIGNER, ca });
    const now = Date.now();
    old = await kube.pki.leaf({
      cn: 'webhook.webhooks.svc',
      dns: ['webhook.webhooks.svc', 'webhook.webhooks.svc.cluster.local'],
      issuer: ca,
      eku: ['serverAuth'],
      notBefore: new Date(now - 80 * DAY),
      notAfter: new Date(now + 10 * DAY),
    });
    const secret = tlsSecret('webhooks', 'webhook-tls', old.pem, old.keyPem, {
      ca: ca.pem,
      labels: { app: 'webhook' },
    });
    secret.data['config.yaml'] = Buffer.from('port: 8443\n').toString('base64');
    kube.add('Secret', secret);

    const files = {
      'inventory/platform.yaml': inventoryYaml(old.sha256),
      'inventory/anchors/services-ca.pem': ca.pem,
      '.github/workflows/renew.yaml': 'on: {push: {branches: [main]}}\n',
    };
    gh = await startGitHubApiServer({
      tokens: { 'test-token': 'certwarden-bot', 'alice-token': 'alice' },
      files,
    });
    root = await mkdtemp(path.join(tmpdir(), 'cw-renew-e2e-'));
    for (const [p, c] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(root, p)), { recursive: true });
      await writeFile(path.join(root, p), c);
    }
    env = {
      GITHUB_TOKEN: 'test-token',
      GITHUB_REPOSITORY: 'acme/pki',
      GITHUB_API_URL: gh.url,
      KUBECONFIG_AVILLA: kube.kubeconfig({ auth: 'token' }),
    };
  });
  after(async () => {
    await kube?.settled();
    await kube?.close();
    await gh?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  let renewPr = 0;
  let newCert: X509Certificate;
  let newKeyPem = '';

  it('finds only the approaching expiry on the first scan', async () => {
    const report = await scan();
    assert.deepEqual(
      report.findings.filter((f) => !f.waived).map((f) => `${f.target} ${f.check} ${f.severity}`),
      ['webhook expiry warning'],
    );
  });

  it('sync opens the renewal PR with the request file and an issue for the expiry', async () => {
    const r = await cli(['sync', '--inventory', 'inventory']);
    assert.equal(r.code, 0, r.stderr);
    const renew = prs().filter((p) => p.pull!.headRef === 'certwarden/renew/webhook');
    assert.equal(renew.length, 1);
    renewPr = renew[0]!.number;
    assert.match(renew[0]!.body ?? '', /What happens on merge/);
    const req = parseRenewalRequest(gh.fileAt('certwarden/renew/webhook', FILE)!, FILE);
    assert.equal(req.spec.replaces, old.sha256);
    assert.deepEqual(req.spec.dnsNames, ['webhook.webhooks.svc', 'webhook.webhooks.svc.cluster.local']);
    assert.deepEqual(req.spec.secret, { namespace: 'webhooks', name: 'webhook-tls' });
    assert.equal(gh.fileAt('main', FILE), null, 'nothing reaches main before review');
    assert.ok([...gh.issues.values()].some((i) => !i.pull && /expiry/.test(i.title) && i.state === 'open'));
    // A second sync (a new live scan) writes nothing: the dashboard shows the day, not the scan time.
    const dashboard = [...gh.issues.values()].find((i) => i.labels.includes('certwarden:dashboard'))!;
    const day = new Date().toISOString().slice(0, 10);
    gh.resetCounts();
    assert.equal((await cli(['sync', '--inventory', 'inventory'])).code, 0);
    const writes = gh.writes();
    if (new Date().toISOString().slice(0, 10) === day) assert.deepEqual(writes, []);
    else
      // Midnight UTC passed between the syncs: days remaining moved, a real dashboard change.
      assert.deepEqual(
        writes.filter((w) => w.path !== `/repos/acme/pki/issues/${dashboard.number}`),
        [],
      );
  });

  it('renew does nothing before the PR is merged', async () => {
    // Even with the request in the checkout (say, a workflow run on the PR branch), main decides.
    await mkdir(path.join(root, 'renewals'), { recursive: true });
    await writeFile(path.join(root, FILE), gh.fileAt('certwarden/renew/webhook', FILE)!);
    const r = await cli(['renew', '--inventory', 'inventory']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /not on main: not merged/);
    assert.equal(kube.objects('CertificateSigningRequest').length, 0);
    await rm(path.join(root, 'renewals'), { recursive: true });
  });

  it('after the reviewer merges, renew issues through the CSR API, approves citing the PR, writes the Secret and records it', async () => {
    await alice().rest.pulls.merge({ ...repo(), pull_number: renewPr });
    await pull(FILE);
    const r = await cli(['renew', '--inventory', 'inventory']);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);

    const csrs = kube.objects('CertificateSigningRequest');
    assert.equal(csrs.length, 1);
    const approved = (csrs[0]!.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Approved');
    assert.match(approved.message, new RegExp(`approved by pull request acme/pki#${renewPr} `));
    assert.equal(signer.issued.length, 1);

    const secret = kube.object('Secret', 'webhooks', 'webhook-tls')!;
    newCert = new X509Certificate(unb64(secret.data['tls.crt']));
    newKeyPem = unb64(secret.data['tls.key']);
    assert.ok(newCert.checkPrivateKey(createPrivateKey(newKeyPem)));
    assert.equal(newCert.fingerprint256.replace(/:/g, '').toLowerCase(), signer.issued[0]!.sha256);
    assert.notEqual(signer.issued[0]!.sha256, old.sha256);
    assert.equal(unb64(secret.data['config.yaml']), 'port: 8443\n', 'other keys of the Secret are kept');

    const recorded = parseRenewalRequest(gh.fileAt('main', FILE)!, FILE);
    assert.equal(recorded.status?.state, 'applied');
    assert.equal(recorded.status?.sha256, signer.issued[0]!.sha256);
    assert.equal(recorded.status?.approvedBy, `acme/pki#${renewPr}`);
  });

  it('a second renew, from the checkout that predates the record, issues nothing', async () => {
    const r = await cli(['renew', '--inventory', 'inventory']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /already applied on main/);
    assert.equal(signer.issued.length, 1);
    assert.equal(kube.objects('CertificateSigningRequest').length, 1);
  });

  it('the rescan sees the new certificate, healthy except for the pin that still names the old one', async () => {
    const report = await scan();
    const t = report.targets.find((x) => x.id === 'webhook')!;
    assert.equal(t.certificates[0]!.sha256, signer.issued[0]!.sha256);
    assert.ok(t.certificates[0]!.daysRemaining >= 89);
    assert.deepEqual(
      report.findings.filter((f) => !f.waived).map((f) => `${f.target} ${f.check}`),
      ['webhook pin.drift'],
    );
  });

  it('sync then closes the expiry issue and proposes the pin update for the new certificate', async () => {
    const r = await cli(['sync', '--inventory', 'inventory']);
    assert.equal(r.code, 0, r.stderr);
    const expiryIssue = [...gh.issues.values()].find((i) => !i.pull && /expiry/.test(i.title))!;
    assert.equal(expiryIssue.state, 'closed');
    const pin = prs().find((p) => p.pull!.headRef === 'certwarden/pin/webhook' && p.state === 'open');
    assert.ok(pin, 'a pin PR is open');
    assert.ok(
      gh.fileAt('certwarden/pin/webhook', 'inventory/platform.yaml')!.includes(signer.issued[0]!.sha256),
    );
    assert.ok(
      gh.fileAt('certwarden/pin/webhook', 'inventory/platform.yaml')!.includes('# the admission webhook'),
      'the inventory keeps its comments',
    );
    assert.equal(
      prs().filter((p) => p.pull!.headRef === 'certwarden/renew/webhook').length,
      1,
      'no second renewal PR',
    );
  });

  it('once the pin PR is merged, the scan is clean and git history holds the audit trail', async () => {
    const pin = prs().find((p) => p.pull!.headRef === 'certwarden/pin/webhook' && p.state === 'open')!;
    await alice().rest.pulls.merge({ ...repo(), pull_number: pin.number });
    await pull('inventory/platform.yaml');
    const report = await scan();
    assert.deepEqual(
      report.findings.filter((f) => !f.waived),
      [],
    );
    const { data: history } = await alice().rest.repos.listCommits({ ...repo(), sha: 'main', per_page: 100 });
    const messages = history.map((c) => c.commit.message.split('\n')[0]).reverse();
    assert.deepEqual(messages.slice(1), [
      'certwarden: request renewal of webhook (' +
        parseRenewalRequest(gh.fileAt('main', FILE)!, FILE).metadata.id +
        ')',
      `Merge pull request #${renewPr} from acme/certwarden/renew/webhook`,
      `certwarden: renewal of webhook applied (${parseRenewalRequest(gh.fileAt('main', FILE)!, FILE).metadata.id})`,
      `certwarden: pin webhook to ${signer.issued[0]!.sha256.slice(0, 16)}`,
      `Merge pull request #${pin.number} from acme/certwarden/pin/webhook`,
    ]);
  });

  it('the new private key appears in nothing but the target Secret (canary over every output)', async () => {
    assert.ok(newKeyPem.includes('PRIVATE KEY'));
    const body = newKeyPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    const der = Buffer.from(body, 'base64');
    const needles = [
      body,
      body.slice(0, 48),
      body.slice(-48),
      der.toString('hex').slice(40, 104),
      Buffer.from(newKeyPem).toString('base64').slice(0, 60),
    ];
    const hay: [string, string][] = [];
    for (const r of runs) hay.push(['cli stdout', r.stdout], ['cli stderr', r.stderr]);
    for (const [p, c] of await allFiles(root)) hay.push([`file ${p}`, c]);
    for (const [sha, c] of gh.blobs) hay.push([`blob ${sha}`, c]);
    for (const c of gh.commits.values()) hay.push([`commit ${c.sha}`, c.message]);
    for (const i of gh.issues.values()) hay.push([`#${i.number}`, `${i.title}\n${i.body ?? ''}`]);
    for (const c of gh.comments) hay.push([`comment ${c.id}`, c.body]);
    for (const o of kube.objects('CertificateSigningRequest'))
      hay.push([`csr ${o.metadata.name}`, JSON.stringify(o)]);
    hay.push(['kube request log', JSON.stringify(kube.requests)]);
    for (const [what, text] of hay)
      for (const n of needles) assert.ok(!text.includes(n), `the private key leaked into ${what}`);
    // And the one place it must be: the target Secret.
    const secret = JSON.stringify(kube.object('Secret', 'webhooks', 'webhook-tls'));
    assert.ok(secret.includes(Buffer.from(newKeyPem).toString('base64').slice(0, 60)));
    assert.deepEqual(gh.violations, []);
  });
});

describe('renew killed part way, then run again, ends where an uninterrupted run ends', function () {
  this.timeout(180_000);

  /** A merged request on the GitHub test server, an expiring Secret on the Kubernetes test server. */
  async function world() {
    const kube = await KubeApiServer.start();
    const ca = await kube.pki.ca({ cn: 'Acme services CA' });
    const signer = await kube.signer({ signerName: SIGNER, ca });
    const old = await kube.pki.leaf({
      cn: 'webhook.webhooks.svc',
      dns: ['webhook.webhooks.svc'],
      issuer: ca,
      days: 30,
    });
    const secret = tlsSecret('webhooks', 'webhook-tls', old.pem, old.keyPem);
    secret.data['config.yaml'] = Buffer.from('port: 8443\n').toString('base64');
    kube.add('Secret', secret);
    const root = await mkdtemp(path.join(tmpdir(), 'cw-renew-crash-'));
    await writeFile(path.join(root, 'kubeconfig'), kube.kubeconfig({ auth: 'token' }));
    const client = createKubeApi({
      name: 'avilla',
      kubeconfig: { path: path.join(root, 'kubeconfig') },
      location: { file: 'inventory/platform.yaml', line: 7, column: 5 },
    });
    const request: RenewalRequest = webhookRenewalRequest(old.sha256);
    const gh = await startGitHubApiServer({
      tokens: { 'test-token': 'certwarden-bot', 'alice-token': 'alice' },
    });
    const text = renderRenewalRequest(request);
    gh.refs.set('heads/certwarden/renew/webhook', gh.refs.get('heads/main')!);
    gh.pushAs('certwarden-bot', 'certwarden/renew/webhook', { [FILE]: text });
    const bot = createGitHub({ token: 'test-token', baseUrl: gh.url, logger: silentLogger, spacing: 'none' });
    const { data: pr } = await bot.rest.pulls.create({
      owner: 'acme',
      repo: 'pki',
      title: 'renew',
      head: 'certwarden/renew/webhook',
      base: 'main',
    });
    gh.mergeAs('alice', pr.number);
    await mkdir(path.join(root, 'renewals'));
    await writeFile(path.join(root, FILE), text);
    const options = (crashAfter?: ApplyStep): RenewOptions => ({
      renewalsDir: path.join(root, 'renewals'),
      repoRoot: root,
      github: { gh: bot, repo: { owner: 'acme', repo: 'pki' }, botLogin: 'certwarden-bot' },
      kubeFor: () => client,
      apply: applyRenewal,
      applyDeps: { waitTimeoutMs: 10_000, pollMs: 20, ...(crashAfter ? { crashAfter } : {}) },
    });
    const endState = () => {
      const s = kube.object('Secret', 'webhooks', 'webhook-tls')!;
      const cert = new X509Certificate(unb64(s.data['tls.crt']));
      const recorded = parseRenewalRequest(gh.fileAt('main', FILE)!, FILE).status;
      return {
        dataKeys: Object.keys(s.data).sort(),
        configYaml: unb64(s.data['config.yaml']),
        certMatchesKey: cert.checkPrivateKey(createPrivateKey(unb64(s.data['tls.key']))),
        recordedIsInSecret: recorded?.sha256 === cert.fingerprint256.replace(/:/g, '').toLowerCase(),
        recorded: { state: recorded?.state, approvedBy: recorded?.approvedBy },
        issued: signer.issued.length,
        outcomeCommits: [...gh.commits.values()].filter((c) =>
          /^certwarden: renewal of webhook/.test(c.message),
        ).length,
      };
    };
    const close = async () => {
      client.close();
      await kube.settled();
      await kube.close();
      await gh.close();
      await rm(root, { recursive: true, force: true });
      assert.deepEqual(gh.violations, []);
    };
    const recorded = () => parseRenewalRequest(gh.fileAt('main', FILE)!, FILE).status;
    return { options, endState, recorded, close, pr: pr.number };
  }

  let expected: Record<string, unknown>;
  before(async () => {
    const w = await world();
    try {
      const res = await runRenew(w.options());
      assert.equal(res.exitCode, 0, JSON.stringify(res.items));
      expected = w.endState();
      assert.deepEqual(expected.recorded, { state: 'applied', approvedBy: `acme/pki#${w.pr}` });
      assert.equal(expected.issued, 1);
      assert.equal(expected.recordedIsInSecret, true);
    } finally {
      await w.close();
    }
  });

  for (const step of APPLY_STEPS) {
    it(`killed after '${step}': the first run exits 3 and records nothing, the re-run issues at most once and records it`, async () => {
      const w = await world();
      try {
        const first = await runRenew(w.options(step));
        assert.equal(first.exitCode, 3);
        assert.match(first.items[0]!.message, new RegExp(`simulated crash after step ${step}`));
        assert.equal(w.recorded(), undefined, 'nothing recorded after the crash');
        const second = await runRenew(w.options());
        assert.equal(second.exitCode, 0, JSON.stringify(second.items));
        assert.deepEqual(w.endState(), expected);
      } finally {
        await w.close();
      }
    });
  }
});
