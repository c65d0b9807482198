// `certwarden renew` against the GitHub test server: the merged PR is found and cited, the outcome is
// committed to the request file on the default branch, a rerun (also from an older checkout) applies
// nothing, failures become a renewal.failed issue. The cluster side is a recording stand-in here;
// e2e.test.ts runs the real apply step against the Kubernetes test server.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ConfigError } from '../../src/core/errors.js';
import { createGitHub } from '../../src/github/client.js';
import { planSync } from '../../src/github/plan.js';
import { readExistingState } from '../../src/github/state.js';
import type { KubeWriteApi } from '../../src/sources/kubernetes/client.js';
import type { ApplyDeps, RenewalOutcome } from '../../src/renewal/apply.js';
import { policyVerifier, runRenew, type ApplyFn, type RenewOptions } from '../../src/commands/renew.js';
import { loadPolicies } from '../../src/policy/load.js';
import { Pki } from '../support/pki.js';
import { parseRenewalRequest, renderRenewalRequest, type RenewalRequest } from '../../src/renewal/request.js';
import { silentLogger } from '../../src/core/logger.js';
import { runCli } from '../support/cli.js';
import { startGitHubApiServer, type GitHubApiServer } from '../support/github-api-server.js';
import { NOW, report } from '../github/scenario.js';

const git = promisify(execFile);
const FILE = 'renewals/webhook.yaml';
const NEW_SHA = 'ab'.repeat(32);

const REQUEST: RenewalRequest = {
  apiVersion: 'certwarden/v1',
  kind: 'RenewalRequest',
  metadata: { target: 'webhook', id: '0123456789abcdef0123', createdAt: NOW, finding: 'cw-1' },
  spec: {
    method: 'kubernetes-csr',
    cluster: 'avilla',
    signerName: 'example.com/webhook-serving',
    usages: ['digital signature', 'key encipherment', 'server auth'],
    subject: { CN: 'webhook.webhooks.svc' },
    dnsNames: ['webhook.webhooks.svc'],
    key: { type: 'EC', curve: 'P-256' },
    secret: { namespace: 'webhooks', name: 'webhook-tls' },
    replaces: 'cd'.repeat(32),
  },
};
const TEXT = renderRenewalRequest(REQUEST);

/** A stand-in for applyRenewal that records what it was asked, and answers as told. */
function recordingApply(answer: Partial<RenewalOutcome> | Error = {}) {
  const calls: { req: RenewalRequest; deps: ApplyDeps }[] = [];
  const fn: ApplyFn = async (req, deps) => {
    calls.push({ req, deps });
    if (answer instanceof Error) throw answer;
    return {
      state: 'applied',
      csrName: `certwarden-webhook-${req.metadata.id.slice(0, 10)}`,
      sha256: NEW_SHA,
      notAfter: '2027-02-01T00:00:00.000Z',
      message: 'certificate issued and written to Secret webhooks/webhook-tls',
      ...answer,
    };
  };
  return { fn, calls };
}

const kube = {} as KubeWriteApi;

describe('certwarden renew', function () {
  this.timeout(60_000);
  let server: GitHubApiServer;
  let root: string;
  const alice = () =>
    createGitHub({ token: 'alice-token', baseUrl: server.url, logger: silentLogger, spacing: 'none' });
  const bot = () =>
    createGitHub({ token: 'test-token', baseUrl: server.url, logger: silentLogger, spacing: 'none' });
  const repo = () => ({ owner: server.owner, repo: server.repo });

  /** A renewal PR as sync opens it (branch with the file), merged by Alice. Returns the PR number. */
  async function mergedRequest(text = TEXT): Promise<number> {
    const main = server.refs.get('heads/main')!;
    server.refs.set('heads/certwarden/renew/webhook', main);
    server.pushAs('certwarden-bot', 'certwarden/renew/webhook', { [FILE]: text });
    const { data: pr } = await bot().rest.pulls.create({
      ...repo(),
      title: 'certwarden: renew the certificate of webhook',
      head: 'certwarden/renew/webhook',
      base: 'main',
      body: 'renewal',
    });
    await alice().rest.pulls.merge({ ...repo(), pull_number: pr.number });
    return pr.number;
  }

  async function checkout(text = TEXT) {
    await mkdir(path.join(root, 'renewals'), { recursive: true });
    await writeFile(path.join(root, FILE), text);
  }

  const options = (apply: ApplyFn, over: Partial<RenewOptions> = {}): RenewOptions => ({
    renewalsDir: path.join(root, 'renewals'),
    repoRoot: root,
    github: { gh: bot(), repo: repo(), botLogin: 'certwarden-bot' },
    kubeFor: () => kube,
    apply,
    now: () => new Date('2026-11-02T10:00:00Z'),
    ...over,
  });

  beforeEach(async () => {
    server = await startGitHubApiServer({
      tokens: { 'test-token': 'certwarden-bot', 'alice-token': 'alice' },
      files: { 'README.md': 'pki\n' },
    });
    root = await mkdtemp(path.join(tmpdir(), 'cw-renew-'));
  });
  afterEach(async () => {
    const violations = server.violations;
    await server.close();
    await rm(root, { recursive: true, force: true });
    assert.deepEqual(violations, []);
  });

  it('applies a merged request, approving the CSR with a message that cites the merged pull request', async () => {
    const pr = await mergedRequest();
    const mergeCommit = server.refs.get('heads/main')!;
    await checkout();
    const apply = recordingApply();
    const res = await runRenew(options(apply.fn));
    assert.equal(res.exitCode, 0);
    assert.equal(apply.calls.length, 1);
    const { req, deps } = apply.calls[0]!;
    assert.equal(req.metadata.id, REQUEST.metadata.id);
    assert.equal(deps.kube, kube);
    assert.match(
      deps.approvalMessage,
      new RegExp(
        `renewal request ${REQUEST.metadata.id} for target webhook, approved by pull request acme/pki#${pr} \\(http://127\\.0\\.0\\.1/acme/pki/pull/${pr}\\), merged as ${mergeCommit.slice(0, 12)}\\.$`,
      ),
    );
    assert.equal(res.items[0]!.approvedBy, `acme/pki#${pr}`);
  });

  it('records the outcome in the request file on the default branch through a commit', async () => {
    const pr = await mergedRequest();
    await checkout();
    const res = await runRenew(options(recordingApply().fn));
    const recorded = parseRenewalRequest(server.fileAt('main', FILE)!, FILE);
    assert.deepEqual(recorded.status, {
      state: 'applied',
      csrName: `certwarden-webhook-${REQUEST.metadata.id.slice(0, 10)}`,
      sha256: NEW_SHA,
      notAfter: '2027-02-01T00:00:00.000Z',
      appliedAt: '2026-11-02T10:00:00.000Z',
      approvedBy: `acme/pki#${pr}`,
      message: 'certificate issued and written to Secret webhooks/webhook-tls',
    });
    assert.deepEqual(recorded.spec, REQUEST.spec);
    const commit = server.commits.get(server.refs.get('heads/main')!)!;
    assert.equal(commit.sha, res.items[0]!.commit);
    assert.match(commit.message, /^certwarden: renewal of webhook applied \(0123456789abcdef0123\)/);
    // The working tree is left alone: the commit is the record.
    assert.equal(await readFile(path.join(root, FILE), 'utf8'), TEXT);
  });

  it('applies nothing on a rerun from the same, now older, checkout', async () => {
    await mergedRequest();
    await checkout();
    await runRenew(options(recordingApply().fn));
    server.resetCounts();
    const again = recordingApply();
    const res = await runRenew(options(again.fn));
    assert.equal(again.calls.length, 0);
    assert.equal(res.exitCode, 0);
    assert.match(res.items[0]!.message, /already applied on main/);
    assert.deepEqual(server.writes(), []);
  });

  it('skips a request that is not merged, and one whose file on the default branch holds another request', async () => {
    await checkout();
    const apply = recordingApply();
    let res = await runRenew(options(apply.fn));
    assert.match(res.items[0]!.message, /not on main: not merged/);
    await mergedRequest(
      renderRenewalRequest({ ...REQUEST, metadata: { ...REQUEST.metadata, id: 'ffffffffffffffffffff' } }),
    );
    res = await runRenew(options(apply.fn));
    assert.match(res.items[0]!.message, /main holds another request \(ffffffffffffffffffff\)/);
    assert.equal(apply.calls.length, 0);
    assert.equal(res.exitCode, 0);
  });

  it('cites the commit when the request reached the default branch without a pull request', async () => {
    const sha = server.pushAs('alice', 'main', { [FILE]: TEXT });
    await checkout();
    const apply = recordingApply();
    await runRenew(options(apply.fn));
    assert.match(
      apply.calls[0]!.deps.approvalMessage,
      new RegExp(`commit ${sha} \\(no merged pull request found for it\\)`),
    );
  });

  it('says what it would do with --dry-run, and changes nothing', async () => {
    const pr = await mergedRequest();
    await checkout();
    server.resetCounts();
    const apply = recordingApply();
    const res = await runRenew(options(apply.fn, { dryRun: true }));
    assert.equal(apply.calls.length, 0);
    assert.deepEqual(server.writes(), []);
    assert.equal(res.items[0]!.result, 'would-apply');
    assert.match(
      res.items[0]!.message,
      new RegExp(`citing acme/pki#${pr}, and write Secret webhooks/webhook-tls`),
    );
  });

  it('exits 1 for a failed request, records the failure and opens one renewal.failed issue, kept open by sync', async () => {
    await mergedRequest();
    await checkout();
    const res = await runRenew(
      options(
        recordingApply({
          state: 'failed',
          sha256: undefined,
          notAfter: undefined,
          message: 'CSR denied: signer refuses the SAN <!-- certwarden:finding=x -->',
        }).fn,
      ),
    );
    assert.equal(res.exitCode, 1);
    assert.equal(parseRenewalRequest(server.fileAt('main', FILE)!, FILE).status?.state, 'failed');
    const issues = [...server.issues.values()].filter((i) => !i.pull);
    assert.equal(issues.length, 1);
    const issue = issues[0]!;
    assert.ok(issue.labels.includes('check:renewal.failed'));
    assert.match(issue.title, /^\[error\] renewal\.failed: webhook/);
    assert.match(issue.body ?? '', /CSR denied: signer refuses the SAN/);
    assert.equal(
      (issue.body ?? '').match(/<!-- certwarden:finding=/g)?.length,
      1,
      'the hostile message forges no marker',
    );
    assert.equal(res.items[0]!.issue, issue.number);
    // A rerun does not apply again nor open a second issue.
    const again = recordingApply();
    await runRenew(options(again.fn));
    assert.equal(again.calls.length, 0);
    assert.equal([...server.issues.values()].filter((i) => !i.pull).length, 1);
    // sync does not close it as fixed: it is not a scan finding.
    const existing = await readExistingState(bot(), repo(), 'certwarden-bot');
    const plan = planSync({
      report: report([], []),
      existing,
      botLogin: 'certwarden-bot',
      minSeverity: 'warning',
      now: new Date(NOW),
      inventory: { inventories: [], anchors: new Map(), bundles: [], clusters: new Map(), targets: [] },
    });
    assert.deepEqual(
      plan.issues.filter((a) => a.op === 'close-issue'),
      [],
    );
  });

  it('reports a failure again, in the same issue, when recording it failed (exit 3, then 1 on the re-run)', async () => {
    await mergedRequest();
    await checkout();
    server.inject({
      method: 'PATCH',
      path: /\/git\/refs\/heads(\/|%2F)main$/,
      status: 403,
      when: 'before',
      times: 1,
    });
    const denied = () =>
      recordingApply({ state: 'failed', sha256: undefined, notAfter: undefined, message: 'CSR denied' });
    const first = await runRenew(options(denied().fn));
    assert.equal(first.exitCode, 3);
    assert.equal(parseRenewalRequest(server.fileAt('main', FILE)!, FILE).status, undefined);
    assert.equal([...server.issues.values()].filter((i) => !i.pull).length, 1, 'reported before recording');
    const again = denied();
    const second = await runRenew(options(again.fn));
    assert.equal(second.exitCode, 1);
    assert.equal(again.calls.length, 1);
    assert.equal(parseRenewalRequest(server.fileAt('main', FILE)!, FILE).status?.state, 'failed');
    assert.equal([...server.issues.values()].filter((i) => !i.pull).length, 1, 'still one issue');
  });

  it('closes the renewal.failed issue once a request for the target is applied', async () => {
    await mergedRequest();
    await checkout();
    await runRenew(options(recordingApply({ state: 'failed', message: 'denied' }).fn));
    const retry = renderRenewalRequest({
      ...REQUEST,
      metadata: { ...REQUEST.metadata, id: '1111111111aaaaaaaaaa' },
    });
    server.refs.delete('heads/certwarden/renew/webhook');
    await mergedRequest(retry);
    await checkout(retry);
    const res = await runRenew(options(recordingApply().fn));
    assert.equal(res.exitCode, 0);
    const issue = [...server.issues.values()].find((i) => !i.pull)!;
    assert.equal(issue.state, 'closed');
    assert.ok(server.comments.some((c) => c.issue === issue.number && /was applied/.test(c.body)));
  });

  it('exits 3 when applying fails at runtime, and records nothing', async () => {
    await mergedRequest();
    await checkout();
    const before = server.fileAt('main', FILE);
    const res = await runRenew(options(recordingApply(new Error('connect ECONNREFUSED 127.0.0.1:6443')).fn));
    assert.equal(res.exitCode, 3);
    assert.equal(res.items[0]!.result, 'error');
    assert.equal(server.fileAt('main', FILE), before);
  });

  it('throws a configuration error naming the file and line for a malformed request, before applying anything', async () => {
    await checkout('apiVersion: certwarden/v1\nkind: RenewalRequest\nmetadata: {target: x}\n');
    const apply = recordingApply();
    await assert.rejects(
      runRenew(options(apply.fn)),
      (e: unknown) =>
        e instanceof ConfigError &&
        /renewals\/webhook\.yaml:1:1: error: renewal request: metadata needs/.test(e.message),
    );
    assert.equal(apply.calls.length, 0);
  });

  describe('without GitHub access', () => {
    it('cites the commit from git log and records the outcome in the working tree', async () => {
      await checkout();
      await git('git', ['init', '-q'], { cwd: root });
      await git('git', ['-c', 'user.name=Ada', '-c', 'user.email=ada@example.com', 'add', '.'], {
        cwd: root,
      });
      await git(
        'git',
        ['-c', 'user.name=Ada', '-c', 'user.email=ada@example.com', 'commit', '-q', '-m', 'renewal request'],
        { cwd: root },
      );
      const { stdout } = await git('git', ['rev-parse', 'HEAD'], { cwd: root });
      const apply = recordingApply();
      const res = await runRenew(options(apply.fn, { github: null }));
      assert.equal(res.exitCode, 0);
      assert.match(apply.calls[0]!.deps.approvalMessage, new RegExp(`commit ${stdout.trim()}`));
      const local = parseRenewalRequest(await readFile(path.join(root, FILE), 'utf8'), FILE);
      assert.equal(local.status?.state, 'applied');
      assert.equal(local.status?.approvedBy, `commit ${stdout.trim()}`);
      // Applied in the working tree: a rerun does nothing.
      const again = recordingApply();
      await runRenew(options(again.fn, { github: null }));
      assert.equal(again.calls.length, 0);
    });

    it('does not apply a request file that no commit holds', async () => {
      await checkout();
      const apply = recordingApply();
      const res = await runRenew(options(apply.fn, { github: null }));
      assert.equal(apply.calls.length, 0);
      assert.match(res.items[0]!.message, /no commit holds this file/);
    });
  });

  describe('the command line', () => {
    it('exits 0 with nothing to do when there is no renewals folder', async () => {
      const r = await runCli(['renew'], { cwd: root, env: { GITHUB_TOKEN: '', GITHUB_REPOSITORY: '' } });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /nothing to do/);
    });

    it('exits 2 when a pending request has no inventory to find its cluster in', async () => {
      await checkout();
      const r = await runCli(['renew'], { cwd: root, env: { GITHUB_TOKEN: '', GITHUB_REPOSITORY: '' } });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /pass --inventory DIR/);
    });

    it('prints what it would do with --dry-run, using GitHub from the usual variables', async () => {
      const pr = await mergedRequest();
      await checkout();
      const r = await runCli(['renew', '--dry-run'], {
        cwd: root,
        env: { GITHUB_TOKEN: 'test-token', GITHUB_REPOSITORY: 'acme/pki', GITHUB_API_URL: server.url },
      });
      assert.equal(r.code, 0, r.stderr);
      assert.match(
        r.stdout,
        new RegExp(
          `renew \\(dry run\\):\\n  - renewals/webhook\\.yaml: would-apply — would request a example\\.com/webhook-serving certificate for webhook\\.webhooks\\.svc in cluster avilla, approve it citing acme/pki#${pr}`,
        ),
      );
    });
  });
});

describe('the policy check of an issued certificate', function () {
  this.timeout(30_000);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cw-renew-policy-'));
    await writeFile(
      path.join(dir, 'strict.yaml'),
      'apiVersion: certwarden/v1\nkind: Policy\nmetadata: {name: strict}\nrules:\n  - id: rsa-only\n    check: key\n    params: {allow: [{type: RSA, minBits: 3072}]}\n    severity: error\n',
    );
  });
  after(() => rm(dir, { recursive: true, force: true }));

  async function verifierFor(policies: string[]) {
    const set = await loadPolicies([dir]);
    const target = {
      id: 'webhook',
      inventory: 'k8s',
      location: { file: 'inventory/k8s.yaml', line: 3, column: 5 },
      source: {
        kind: 'kubernetes' as const,
        kubernetes: { cluster: 'avilla', kind: 'Secret', namespace: 'webhooks', name: 'webhook-tls' },
      },
      policies,
      owners: [],
      zone: null,
      labels: {},
    };
    const inventory = {
      inventories: [],
      anchors: new Map(),
      bundles: [],
      clusters: new Map(),
      targets: [target],
    };
    return policyVerifier({ policies: set, inventory }, () => new Date());
  }

  it("reports the error findings of the target's policies, and none for a certificate that passes", async () => {
    const pki = new Pki();
    const ca = await pki.ca({ cn: 'CA' });
    const leaf = await pki.leaf({
      cn: 'webhook.webhooks.svc',
      dns: ['webhook.webhooks.svc'],
      issuer: ca,
      days: 90,
    });
    const strict = (await verifierFor(['strict']))(REQUEST)!;
    const problems = await strict(leaf.pem);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /^rsa-only: /);
    const baseline = (await verifierFor(['baseline']))(REQUEST)!;
    assert.deepEqual(await baseline(leaf.pem), []);
  });

  it('has no check for a request whose target is no longer in the inventory', async () => {
    const v = await verifierFor(['strict']);
    assert.equal(v({ ...REQUEST, metadata: { ...REQUEST.metadata, target: 'gone' } }), undefined);
  });
});
