// The action run end to end through its real entry point: a child `node` process with INPUT_*
// variables, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY in temp files and GITHUB_API_URL at the test server.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startGitHubApiServer } from '../support/github-api-server.js';
import { Pki } from '../support/pki.js';
import { makeFinding } from '../../src/core/findings.js';
import { parseRenewalRequest } from '../../src/renewal/request.js';
import { cert, report, scenario, sha, target, writeAnchors } from '../github/scenario.js';
import { FILES_INVENTORY, perTest, runAction, webhookInventory } from './run-action.js';

const git = promisify(execFile);

describe('the GitHub Action through its entry point', function () {
  this.timeout(120_000);
  const made = perTest();

  async function fileInventory(): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'cw-action-ws-'));
    made.dirs.push(dir);
    const pki = new Pki();
    const root = await pki.ca({ cn: 'Action Root', key: 'p256' });
    const leaf = await pki.leaf({
      cn: 'svc.example',
      dns: ['svc.example'],
      issuer: root,
      key: 'p256',
      days: 10,
    });
    await mkdir(path.join(dir, 'inventory/anchors'), { recursive: true });
    await mkdir(path.join(dir, 'certs'), { recursive: true });
    await writeFile(path.join(dir, 'inventory/anchors/root.pem'), root.pem);
    await writeFile(path.join(dir, 'certs/svc.pem'), leaf.pem);
    await writeFile(
      path.join(dir, 'inventory/files.yaml'),
      `${FILES_INVENTORY}  - id: svc-cert
    file: {path: ../certs/svc.pem}
    expect:
      chainTo: root
`,
    );
    return dir;
  }

  it('validate annotates the exact YAML line of a problem and fails the step', async () => {
    const dir = await fileInventory();
    await writeFile(
      path.join(dir, 'inventory/bad.yaml'),
      'apiVersion: certwarden/v1\nkind: Inventory\nmetadata:\n  name: bad\ntargets:\n  - id: broken\n    endpoint: {host: a.example, port: 99999}\n',
    );
    const run = await runAction(dir, { mode: 'validate' });
    assert.equal(run.code, 1, run.stdout);
    assert.match(run.stdout, /^::error title=certwarden,file=inventory\/bad\.yaml,line=7,col=\d+::.*port/m);
    assert.ok(Number(run.outputs['problems']) >= 1);
  });

  it('validate passes a valid inventory with no annotation', async () => {
    const dir = await fileInventory();
    const run = await runAction(dir, { mode: 'validate' });
    assert.equal(run.code, 0, run.stdout);
    assert.equal(run.outputs['problems'], '0');
    assert.doesNotMatch(run.stdout, /^::error/m);
  });

  it('scan writes the JSON report, the job summary and counts, and fails on findings at fail-on', async () => {
    const dir = await fileInventory();
    const run = await runAction(dir, {
      mode: 'scan',
      json: 'out/report.json',
      'fail-on': 'warning',
      now: '2026-11-27T00:00:00Z',
    });
    const report = JSON.parse(await readFile(path.join(dir, 'out/report.json'), 'utf8'));
    assert.equal(report.schemaVersion, 1);
    assert.equal(run.outputs['json-path'], path.join(dir, 'out/report.json'));
    assert.equal(run.outputs['errors'], String(report.summary.findings.error));
    assert.equal(run.outputs['warnings'], String(report.summary.findings.warning));
    assert.ok(run.summary.length > 0, 'a job summary is written');
    const failing = report.summary.findings.error + report.summary.findings.warning > 0;
    assert.equal(run.code, failing ? 1 : 0, run.stdout);
  });

  it('collect writes the observations a later evaluate step judges into the report scan would give', async () => {
    const dir = await fileInventory();
    const now = '2026-11-27T00:00:00Z';
    const collected = await runAction(dir, { mode: 'collect', observations: 'zones/albion.json', now });
    assert.equal(collected.code, 0, collected.stdout);
    assert.equal(collected.outputs['observations-path'], path.join(dir, 'zones/albion.json'));
    assert.equal(collected.outputs['observations'], '1');
    const evaluated = await runAction(dir, {
      mode: 'evaluate',
      observations: 'zones',
      json: 'evaluated.json',
      'fail-on': 'never',
      now,
    });
    assert.equal(evaluated.code, 0, evaluated.stdout);
    const scanned = await runAction(dir, { mode: 'scan', json: 'scanned.json', 'fail-on': 'never', now });
    const read = async (f: string) => {
      const r = JSON.parse(await readFile(path.join(dir, f), 'utf8'));
      return { findings: r.findings, targets: r.targets };
    };
    assert.deepEqual(await read('evaluated.json'), await read('scanned.json'));
    assert.equal(evaluated.outputs['errors'], scanned.outputs['errors']);
    assert.ok(evaluated.summary.length > 0, 'a job summary is written');
  });

  it('modes that do not call GitHub never read the token; evaluate needs its observations', async () => {
    const dir = await fileInventory();
    const token = 'ghs_notreadbyscan0123456789';
    const scan = await runAction(dir, { mode: 'scan', token, 'fail-on': 'never' });
    assert.equal(scan.code, 0, scan.stdout);
    assert.doesNotMatch(
      scan.stdout,
      /::add-mask::ghs_/,
      'the token input is not even registered as a secret',
    );
    const sync = await runAction(dir, { mode: 'sync', token, 'dry-run': 'true' });
    assert.match(sync.stdout, /::add-mask::ghs_notreadbyscan/, 'sync reads (and masks) it');
    const evaluate = await runAction(dir, { mode: 'evaluate' });
    assert.equal(evaluate.code, 1);
    assert.match(evaluate.stdout, /Input observations is empty/);
  });

  it('an invalid input fails with a message naming the value and the expected form', async () => {
    const dir = await fileInventory();
    const run = await runAction(dir, { mode: 'scna' });
    assert.equal(run.code, 1);
    assert.match(
      run.stdout,
      /::error::Invalid mode 'scna'\. Expected one of: validate, plan, scan, sync, renew, collect, evaluate\./,
    );
  });

  it('sync opens issues and PRs on the test server, writes outputs, and a rerun writes nothing', async () => {
    const sc = await scenario();
    made.dirs.push(sc.root);
    await writeAnchors(sc);
    await writeFile(path.join(sc.root, 'report.json'), JSON.stringify(sc.report));
    const server = made.server(await startGitHubApiServer({ files: sc.files }));
    const env = {
      GITHUB_API_URL: server.url,
      GITHUB_REPOSITORY: 'acme/pki',
      GITHUB_SERVER_URL: 'http://127.0.0.1',
      GITHUB_RUN_ID: '7',
    };
    const inputs = { mode: 'sync', report: 'report.json', token: 'test-token' };
    const first = await runAction(sc.root, inputs, env);
    assert.equal(first.code, 0, first.stdout);
    const issues = [...server.issues.values()].filter((i) => !i.pull).map((i) => i.number);
    const pulls = [...server.issues.values()].filter((i) => i.pull).map((i) => i.number);
    assert.equal(issues.length, 5, 'four finding issues and the dashboard');
    assert.equal(pulls.length, 2);
    assert.deepEqual(first.outputs['issues']!.split(',').map(Number).sort(), issues.sort());
    assert.deepEqual(first.outputs['pull-requests']!.split(',').map(Number).sort(), pulls.sort());
    assert.match(first.summary, /certwarden sync/);
    assert.doesNotMatch(
      first.stdout,
      /::error::x|@everyone/,
      'the hostile CN cannot reach the log as a command or mention',
    );
    assert.deepEqual(
      first.stdout.split('\n').filter((l) => l.includes('test-token')),
      ['::add-mask::test-token'],
      'the token is registered as a secret and never printed otherwise',
    );
    server.resetCounts();
    const second = await runAction(sc.root, inputs, env);
    assert.equal(second.code, 0, second.stdout);
    assert.deepEqual(server.writes(), []);
    assert.equal(second.outputs['issues'], '');
  });

  it("sync passes the loaded policies on: a renewal request's key follows the policy's key rule", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'cw-action-ws-'));
    made.dirs.push(dir);
    const files: Record<string, string> = {
      'inventory/k8s.yaml': webhookInventory('    policies: [strict-keys]\n'),
      'policies/strict-keys.yaml': `apiVersion: certwarden/v1
kind: Policy
metadata:
  name: strict-keys
rules:
  - id: expiry
    check: expiry
    params: { warnDays: 30, errorDays: 7 }
  - id: p384-only
    check: key
    params:
      allow:
        - { type: EC, curves: [P-384] }
    severity: error
`,
    };
    for (const [p, c] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, p)), { recursive: true });
      await writeFile(path.join(dir, p), c);
    }
    // The certificate in the Secret is EC P-256 (allowed by default, not by this policy) and expires in 12 days.
    const current = cert(sha('e'), 'webhook.webhooks.svc', 12);
    const expiring = makeFinding({
      target: 'webhook',
      check: 'expiry',
      rule: 'expiry',
      severity: 'warning',
      message: 'certificate expires in 12 days',
      certificate: current.sha256,
      remediation: { kind: 'renew' },
    });
    await writeFile(
      path.join(dir, 'report.json'),
      JSON.stringify(report([target('webhook', [current], 'findings')], [expiring])),
    );
    const server = made.server(await startGitHubApiServer({ files }));
    const env = { GITHUB_API_URL: server.url, GITHUB_REPOSITORY: 'acme/pki', KUBECONFIG_AVILLA: 'unused' };
    const run = await runAction(
      dir,
      { mode: 'sync', report: 'report.json', policies: 'policies', token: 'test-token' },
      env,
    );
    assert.equal(run.code, 0, run.stdout);
    const text = server.fileAt('certwarden/renew/webhook', 'renewals/webhook.yaml');
    assert.ok(text, `a renewal PR adds the request file\n${run.stdout}`);
    assert.deepEqual(parseRenewalRequest(text, 'renewals/webhook.yaml').spec.key, {
      type: 'EC',
      curve: 'P-384',
    });
  });

  it('sync without a token fails with what to set', async () => {
    const dir = await fileInventory();
    const run = await runAction(dir, { mode: 'sync', token: '' });
    assert.equal(run.code, 1);
    assert.match(run.stdout, /::error::Input token is empty\. sync needs a token/);
  });

  it("plan compares with the pull request's base branch from the event when no base-ref is given", async () => {
    const dir = await fileInventory();
    const sh = (...args: string[]) =>
      git('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir });
    await sh('init', '-q', '-b', 'main');
    await sh('add', '.');
    await sh('commit', '-qm', 'base');
    await sh('update-ref', 'refs/remotes/origin/main', 'HEAD');
    const yaml = await readFile(path.join(dir, 'inventory/files.yaml'), 'utf8');
    await writeFile(
      path.join(dir, 'inventory/files.yaml'),
      yaml + '  - id: svc-copy\n    file: {path: ../certs/svc.pem}\n',
    );
    const event = path.join(dir, '..', `event-${path.basename(dir)}.json`);
    made.dirs.push(event);
    await writeFile(event, JSON.stringify({ pull_request: { number: 3, base: { ref: 'main' } } }));
    // No GITHUB_BASE_REF and no base-ref input: the base comes from the event payload alone.
    const run = await runAction(
      dir,
      { mode: 'plan', 'scan-changed': 'false' },
      { GITHUB_EVENT_PATH: event, GITHUB_REPOSITORY: 'acme/pki' },
    );
    assert.equal(run.code, 0, run.stdout);
    assert.equal(run.outputs['added'], 'svc-copy');
    assert.equal(run.outputs['changed'], '');
    assert.match(run.summary, /Compared with .*origin\/main.*: 1 added, 0 removed, 0 changed\./);
  });

  it('plan keeps one sticky comment listing targets added, removed and changed versus the base', async function () {
    const dir = await fileInventory();
    const sh = (...args: string[]) => git('git', args, { cwd: dir });
    await sh('init', '-q', '-b', 'main');
    await sh('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'add', '.');
    await sh('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'base');
    const yaml = await readFile(path.join(dir, 'inventory/files.yaml'), 'utf8');
    await writeFile(
      path.join(dir, 'inventory/files.yaml'),
      yaml.replace(
        '    expect:\n      chainTo: root\n',
        '    expect:\n      chainTo: root\n      dnsNames: [svc.example]\n',
      ) + '  - id: svc-copy\n    file: {path: ../certs/svc.pem}\n',
    );
    const server = made.server(await startGitHubApiServer());
    const pr = server.createIssueAs('alice', { title: 'add svc-copy', body: 'please', labels: [] });
    const event = path.join(dir, '..', `event-${path.basename(dir)}.json`);
    made.dirs.push(event);
    await writeFile(event, JSON.stringify({ pull_request: { number: pr.number } }));
    const env = {
      GITHUB_API_URL: server.url,
      GITHUB_REPOSITORY: 'acme/pki',
      GITHUB_EVENT_PATH: event,
      GITHUB_BASE_REF: 'main',
    };
    const inputs = { mode: 'plan', token: 'test-token', 'base-ref': 'main', now: '2026-11-27T00:00:00Z' };
    const first = await runAction(dir, inputs, env);
    assert.equal(first.code, 0, first.stdout);
    assert.equal(first.outputs['added'], 'svc-copy');
    assert.equal(first.outputs['changed'], 'svc-cert');
    const comments = server.comments.filter((c) => c.issue === pr.number);
    assert.equal(comments.length, 1);
    assert.match(comments[0]!.body, /<!-- certwarden:plan -->/);
    assert.match(comments[0]!.body, /\*\*Added\*\*\n- svc-copy — live: /);
    assert.match(comments[0]!.body, /\*\*Changed\*\*\n- svc-cert \(expect\)/);
    assert.equal(first.summary.trim(), comments[0]!.body.trim(), 'the job summary shows the same plan');
    server.resetCounts();
    const second = await runAction(dir, inputs, env);
    assert.equal(second.code, 0, second.stdout);
    assert.equal(server.comments.filter((c) => c.issue === pr.number).length, 1, 'still one comment');
    assert.deepEqual(server.writes(), [], 'an unchanged plan is not rewritten');
    // A broken inventory turns the same comment into a pointer at the annotations.
    await writeFile(path.join(dir, 'inventory/files.yaml'), 'apiVersion: certwarden/v1\nkind: Inventory\n');
    const broken = await runAction(dir, inputs, env);
    assert.equal(broken.code, 1);
    assert.equal(server.comments.filter((c) => c.issue === pr.number).length, 1);
    assert.match(
      server.comments.find((c) => c.issue === pr.number)!.body,
      /inventory problem\(s\)\*\*: see the annotations/,
    );
    assert.ok(
      !existsSync(path.join(dir, '.git/worktrees')) ||
        (await git('git', ['worktree', 'list'], { cwd: dir })).stdout.trim().split('\n').length === 1,
      'the base worktree is removed',
    );
  });
});
