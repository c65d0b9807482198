// Renewal's ledger port (src/renewal/record.ts): where a request's approval is read and its outcome
// recorded. The GitHub ledger (src/github/renewal-record.ts) runs against the GitHub test API server
// with real octokit; the local ledger against a real git checkout in a temporary folder.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ConfigError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import { createGitHub } from '../../src/github/client.js';
import { gitHubLedger } from '../../src/github/renewal-record.js';
import { localLedger, NOT_APPROVED, type RenewalStatus } from '../../src/renewal/record.js';
import { parseRenewalRequest, renderRenewalRequest, type RenewalRequest } from '../../src/renewal/request.js';
import { startGitHubApiServer, type GitHubApiServer } from '../support/github-api-server.js';
import { webhookRenewalRequest } from '../support/renewal.js';

const git = promisify(execFile);
const FILE = 'renewals/webhook.yaml';
const REQUEST: RenewalRequest = webhookRenewalRequest('cd'.repeat(32), '0123456789abcdef0123');
const TEXT = renderRenewalRequest(REQUEST);

const applied: RenewalStatus = {
  state: 'applied',
  csrName: 'certwarden-webhook-0123456789',
  sha256: 'ab'.repeat(32),
  notAfter: '2027-02-01T00:00:00.000Z',
  appliedAt: '2026-11-02T10:00:00.000Z',
  approvedBy: 'acme/pki#1',
  message: 'certificate issued and written to Secret webhooks/webhook-tls',
};
const failed: RenewalStatus = {
  state: 'failed',
  csrName: 'certwarden-webhook-0123456789',
  appliedAt: '2026-11-02T10:00:00.000Z',
  approvedBy: 'acme/pki#1',
  message: 'CertificateSigningRequest certwarden-webhook-0123456789 was denied (policy)',
};

describe('renewal ledger on GitHub', function () {
  this.timeout(60_000);
  let server: GitHubApiServer;
  const client = (token: string) =>
    createGitHub({ token, baseUrl: server.url, logger: silentLogger, spacing: 'none' });
  const repo = () => ({ owner: server.owner, repo: server.repo });
  const ledger = () =>
    gitHubLedger({
      gh: client('test-token'),
      repo: repo(),
      botLogin: 'certwarden-bot',
      repoRoot: '/checkout',
    });

  /** The request file added on a branch by the bot and merged into main by Alice; the PR number. */
  async function merged(text = TEXT): Promise<number> {
    server.refs.set('heads/certwarden/renew/webhook', server.refs.get('heads/main')!);
    server.pushAs('certwarden-bot', 'certwarden/renew/webhook', { [FILE]: text });
    const { data: pr } = await client('test-token').rest.pulls.create({
      ...repo(),
      title: 'certwarden: renew the certificate of webhook',
      head: 'certwarden/renew/webhook',
      base: 'main',
      body: 'renewal',
    });
    await client('alice-token').rest.pulls.merge({ ...repo(), pull_number: pr.number });
    return pr.number;
  }

  beforeEach(async () => {
    server = await startGitHubApiServer({
      tokens: { 'test-token': 'certwarden-bot', 'alice-token': 'alice' },
      files: { 'README.md': 'pki\n' },
    });
  });
  afterEach(async () => {
    const violations = server.violations;
    await server.close();
    assert.deepEqual(violations, []);
  });

  it('approves a request by the merged pull request that added it to the default branch', async () => {
    const pr = await merged();
    const got = await ledger().approved(FILE, REQUEST);
    assert.ok('request' in got, JSON.stringify(got));
    assert.equal(got.approval.ref, `acme/pki#${pr}`);
    assert.equal(got.approval.pull?.number, pr);
    assert.equal(got.approval.commit, server.refs.get('heads/main'));
    assert.deepEqual(got.request, parseRenewalRequest(TEXT, FILE));
  });

  it('skips a request the default branch does not hold, holds as another request, or holds as done', async () => {
    assert.deepEqual(await ledger().approved(FILE, REQUEST), { skip: 'not on main: not merged (yet)' });
    const other = { ...REQUEST, metadata: { ...REQUEST.metadata, id: 'ffffffffffffffffffff' } };
    await merged(renderRenewalRequest(other));
    assert.deepEqual(await ledger().approved(FILE, REQUEST), {
      skip: 'main holds another request (ffffffffffffffffffff) for this target; this checkout is out of date',
    });
    server.pushAs('alice', 'main', { [FILE]: renderRenewalRequest({ ...REQUEST, status: applied }) });
    assert.deepEqual(await ledger().approved(FILE, REQUEST), { skip: 'already applied on main' });
  });

  it('refuses request files outside the checkout', async () => {
    await assert.rejects(ledger().approved('../elsewhere/webhook.yaml', REQUEST), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.match(
        e.message,
        /\/elsewhere\/webhook\.yaml: the renewals folder must lie inside the repository checkout \/checkout$/,
      );
      return true;
    });
  });

  it('records a failure as a renewal.failed issue, then as a commit on the default branch', async () => {
    await merged();
    const res = await ledger().record(FILE, REQUEST, failed);
    const issues = [...server.issues.values()].filter((i) => !i.pull);
    assert.equal(issues.length, 1);
    assert.equal(res.issue, issues[0]!.number);
    assert.ok(issues[0]!.labels.includes('check:renewal.failed'));
    // The message reaches the issue escaped for Markdown.
    assert.match(issues[0]!.body ?? '', /was denied \\\(policy\\\)/);
    assert.equal(res.commit, server.refs.get('heads/main'));
    assert.deepEqual(parseRenewalRequest(server.fileAt('main', FILE)!, FILE).status, failed);
  });

  it('closes the open renewal.failed issue when a later renewal of the target is applied', async () => {
    await merged();
    const first = await ledger().record(FILE, REQUEST, failed);
    server.pushAs('alice', 'main', { [FILE]: TEXT });
    const second = await ledger().record(FILE, REQUEST, applied);
    assert.equal(second.issue, undefined);
    const issue = server.issues.get(first.issue!)!;
    assert.equal(issue.state, 'closed');
    assert.match(server.comments.at(-1)!.body, /was applied \\\(certificate (ab){32}\\\)\. Closing\.$/);
    assert.deepEqual(parseRenewalRequest(server.fileAt('main', FILE)!, FILE).status, applied);
  });

  it('never records over an outcome already applied on the default branch', async () => {
    server.pushAs('alice', 'main', { [FILE]: renderRenewalRequest({ ...REQUEST, status: applied }) });
    const head = server.refs.get('heads/main');
    const res = await ledger().record(FILE, REQUEST, { ...applied, sha256: 'ef'.repeat(32) });
    assert.equal(res.commit, null);
    assert.equal(server.refs.get('heads/main'), head);
  });
});

describe('renewal ledger without GitHub (a local checkout)', function () {
  this.timeout(30_000);
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'cw-ledger-'));
    await git('git', ['init', '-q'], { cwd: root });
    await mkdir(path.join(root, 'renewals'));
    await writeFile(path.join(root, FILE), TEXT);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('approves a request by the commit that added its file, and not before it is committed', async () => {
    assert.deepEqual(await localLedger(root).approved(FILE, REQUEST), { skip: NOT_APPROVED });
    const env = { ...process.env, GIT_AUTHOR_NAME: 'a', GIT_AUTHOR_EMAIL: 'a@example.com' };
    const committer = { GIT_COMMITTER_NAME: 'a', GIT_COMMITTER_EMAIL: 'a@example.com' };
    await git('git', ['add', FILE], { cwd: root });
    await git('git', ['commit', '-q', '-m', 'renewal'], { cwd: root, env: { ...env, ...committer } });
    const { stdout } = await git('git', ['rev-parse', 'HEAD'], { cwd: root });
    const got = await localLedger(root).approved(FILE, REQUEST);
    assert.deepEqual(got, {
      request: REQUEST,
      approval: { ref: `commit ${stdout.trim()}`, pull: null, commit: stdout.trim() },
    });
  });

  it('records the outcome in the working tree', async () => {
    const res = await localLedger(root).record(FILE, REQUEST, failed);
    assert.deepEqual(res, { commit: null });
    const text = await readFile(path.join(root, FILE), 'utf8');
    assert.deepEqual(parseRenewalRequest(text, FILE).status, failed);
  });
});
