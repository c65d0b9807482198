// GitHub sync end to end: the real octokit client against the OpenAPI-checked test server.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { runSync, type SyncOptions } from '../../src/github/sync.js';
import { pemBlocks } from '../../src/github/edits.js';
import { parseFindingMarker } from '../../src/github/markers.js';
import {
  startGitHubApiServer,
  type GitHubApiServer,
  type ServerOptions,
} from '../support/github-api-server.js';
import { captureLogger, HOSTILE_CN, report, scenario, type Scenario } from './scenario.js';

describe('GitHub sync against the OpenAPI-checked test server', function () {
  this.timeout(60_000);
  let server: GitHubApiServer;
  let sc: Scenario;

  async function start(opts: ServerOptions = {}) {
    sc = await scenario();
    server = await startGitHubApiServer({ files: sc.files, ...opts });
  }

  function sync(over: Partial<SyncOptions> = {}) {
    return runSync({
      report: sc.report,
      inventory: sc.inventory,
      repo: { owner: server.owner, repo: server.repo },
      token: 'test-token',
      apiUrl: server.url,
      repoRoot: sc.root,
      client: {
        spacing: 'none',
        retry: { retryAfterBaseValue: 1 },
        throttle: { retryAfterBaseValue: 1, fallbackSecondaryRateRetryAfter: 0 },
      },
      ...over,
    });
  }

  const open = () => [...server.issues.values()].filter((i) => i.state === 'open');
  const openIssues = () => open().filter((i) => !i.pull);
  const openPulls = () => open().filter((i) => i.pull);
  const byMarker = (id: string) =>
    [...server.issues.values()].filter((i) => (i.body ?? '').includes(`<!-- certwarden:finding=${id} -->`));

  const withoutFinding = (id: string) =>
    report(
      sc.report.targets,
      sc.report.findings.filter((f) => f.id !== id),
    );

  afterEach(async () => {
    const violations = server?.violations ?? [];
    await server?.close();
    if (sc) await rm(sc.root, { recursive: true, force: true });
    assert.deepEqual(violations, [], 'every request and response matches the OpenAPI description');
  });

  it('a first sync opens one issue per open finding, the dashboard and the pin and bundle PRs', async () => {
    await start();
    const res = await sync();
    assert.equal(res.exitCode, 0, res.error ?? '');
    const f = sc.findings;
    for (const id of [f.webExpiry.id, f.dbUntrusted.id, f.apiDrift.id, f.bundleMissing.id])
      assert.equal(byMarker(id).length, 1, `one issue for ${id}`);
    assert.equal(byMarker(f.webKeyInfo.id).length, 0, 'info is below the default threshold');
    assert.equal(byMarker(f.legacyWaived.id).length, 0, 'waived findings get no issue');
    const db = byMarker(f.dbUntrusted.id)[0]!;
    assert.equal(db.title, '[error] chain.untrusted: db-1 (db-1.example)');
    assert.deepEqual([...db.labels].sort(), [
      'certwarden',
      'check:chain.untrusted',
      'owner:acme/platform',
      'severity:error',
    ]);
    assert.deepEqual(db.assignees, ['alice'], 'user owners are assignees, teams are not');

    const dash = openIssues().filter((i) => i.title.startsWith('certwarden dashboard'));
    assert.equal(dash.length, 1);
    assert.ok(dash[0]!.labels.includes('certwarden:dashboard'));
    assert.match(
      dash[0]!.body ?? '',
      new RegExp(`\\| 90 \\| db-1 .*#${db.number}`),
      'the dashboard links the finding issue',
    );
    assert.ok(
      (dash[0]!.body ?? '').indexOf('| 12 |') < (dash[0]!.body ?? '').indexOf('| 300 |'),
      'certificates by days remaining',
    );

    const pulls = openPulls();
    assert.deepEqual(pulls.map((p) => p.pull!.headRef).sort(), [
      'certwarden/bundle/mes-bundle',
      'certwarden/pin/api-1',
    ]);
    const pinned = server.fileAt('certwarden/pin/api-1', 'inventory/prod.yaml')!;
    assert.equal(
      pinned,
      sc.files['inventory/prod.yaml'].replace(/"AA:BB[^"]*"/, `"${sc.certs.api.sha256}"`),
      'only the pin changes; comments stay',
    );
    assert.match(pinned, /# pinned after the January re-issue/);
    const bundle = server.fileAt('certwarden/bundle/mes-bundle', 'manifests/trust.yaml')!;
    assert.match(bundle, /# read by the MES clients/);
    const ca = /ca\.crt: \|\n([\s\S]*)$/.exec(bundle)![1]!.replace(/^ {4}/gm, '');
    assert.deepEqual(
      pemBlocks(ca).map((b) => b.sha256),
      [sc.anchors.root.sha256, sc.anchors.issuing.sha256],
    );
    assert.equal(
      server.fileAt('main', 'manifests/trust.yaml'),
      sc.files['manifests/trust.yaml'],
      'the base branch is untouched',
    );
    const pinPr = pulls.find((p) => p.pull!.headRef === 'certwarden/pin/api-1')!;
    assert.deepEqual(pinPr.pull!.reviewers, ['alice']);
    assert.deepEqual(pinPr.pull!.teams, ['platform']);
    assert.ok(pinPr.labels.includes('certwarden:pr'));
  });

  it('a second sync with nothing changed makes zero write requests, and reads by pages, not by findings', async () => {
    await start();
    assert.equal((await sync()).exitCode, 0);
    server.resetCounts();
    const res = await sync();
    assert.equal(res.exitCode, 0, res.error ?? '');
    assert.deepEqual(server.writes(), []);
    // GET /user, open issues, closed PRs, labels, open pulls (there are open PRs), the repository's default branch.
    assert.ok(
      server.reads().length <= 6,
      `reads: ${server
        .reads()
        .map((r) => r.path)
        .join(', ')}`,
    );
    assert.deepEqual(res.lines, ['nothing to do: GitHub is in step with the report']);
  });

  it('a second sync of a report scanned later the same day makes zero writes (the dashboard shows the day, not the time)', async () => {
    await start();
    assert.equal((await sync()).exitCode, 0);
    const dash = () => openIssues().find((i) => i.labels.includes('certwarden:dashboard'))!;
    assert.match(dash().body ?? '', /Days left as of 2026-11-01 UTC: /);
    assert.doesNotMatch(dash().body ?? '', /T00:00:00/, 'no scan time in the body');
    server.resetCounts();
    // The same certificates and findings, evaluated 13 hours later (as a nightly live scan would be).
    const later = { ...sc.report, evaluatedAt: '2026-11-01T13:37:05.123Z' };
    const res = await sync({ report: later });
    assert.equal(res.exitCode, 0, res.error ?? '');
    assert.deepEqual(server.writes(), []);
    assert.deepEqual(res.lines, ['nothing to do: GitHub is in step with the report']);
    // The next day is a real change (days remaining move): the dashboard is rewritten once.
    const nextDay = { ...sc.report, evaluatedAt: '2026-11-02T01:00:00Z' };
    assert.equal((await sync({ report: nextDay })).exitCode, 0);
    assert.deepEqual(
      server.writes().map((w) => `${w.method} ${w.path}`),
      [`PATCH /repos/acme/pki/issues/${dash().number}`],
    );
    assert.match(dash().body ?? '', /Days left as of 2026-11-02 UTC: /);
  });

  it('a finding that disappears gets its issue closed with a comment, and the dashboard drops the link', async () => {
    await start();
    await sync();
    const [issue] = byMarker(sc.findings.dbUntrusted.id);
    const fixed = withoutFinding(sc.findings.dbUntrusted.id);
    server.resetCounts();
    const res = await sync({ report: fixed });
    assert.equal(res.exitCode, 0, res.error ?? '');
    assert.equal(issue!.state, 'closed');
    assert.equal(issue!.stateReason, 'completed');
    const comments = server.comments.filter((c) => c.issue === issue!.number);
    assert.equal(comments.length, 1);
    assert.match(comments[0]!.body, /no longer finds this problem/);
    assert.deepEqual(
      server.writes().map((w) => `${w.method} ${w.route}`),
      [
        'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
        'PATCH /repos/{owner}/{repo}/issues/{issue_number}',
        'PATCH /repos/{owner}/{repo}/issues/{issue_number}',
      ],
      'comment, close, and one dashboard edit',
    );
    const dash = openIssues().find((i) => i.title.startsWith('certwarden dashboard'))!;
    assert.ok(!(dash.body ?? '').includes(`#${issue!.number}`));
  });

  it('an issue a human closed while its finding persists is reopened with a comment, not duplicated', async () => {
    await start();
    await sync();
    const [issue] = byMarker(sc.findings.dbUntrusted.id);
    const comments = () => server.comments.filter((c) => c.issue === issue!.number);
    server.closeIssue(issue!.number);
    server.resetCounts();
    const res = await sync();
    assert.equal(res.exitCode, 0, res.error ?? '');
    assert.equal(issue!.state, 'open');
    assert.equal(byMarker(sc.findings.dbUntrusted.id).length, 1, 'no new issue for the same finding');
    assert.equal(comments().length, 1);
    assert.match(
      comments()[0]!.body,
      /still present in the scan of 2026-11-01T00:00:00Z; closing an issue does not fix the certificate — add a waiver in git to accept it/i,
    );
    assert.deepEqual(
      server.writes().map((w) => `${w.method} ${w.route}`),
      [
        'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
        'PATCH /repos/{owner}/{repo}/issues/{issue_number}',
      ],
      'one comment and one reopen; the dashboard already links the same issue',
    );
    assert.ok(
      res.lines.includes(`reopened issue #${issue!.number} (finding still present)`),
      res.lines.join('\n'),
    );
    const closedIssueLists = server
      .reads()
      .filter(
        (r) =>
          r.route === '/repos/{owner}/{repo}/issues' &&
          /state=closed/.test(r.query) &&
          /labels=certwarden(&|$)/.test(r.query),
      );
    assert.equal(closedIssueLists.length, 1, 'one page of closed issues, not one read per finding');
    assert.match(closedIssueLists[0]!.query, /sort=updated&direction=desc&since=2026-08-03T00%3A00%3A00Z/);
    server.resetCounts();
    assert.equal((await sync()).exitCode, 0);
    assert.deepEqual(server.writes(), [], 'once reopened, a rerun writes nothing');
    assert.equal(comments().length, 1);
  });

  it('a finding that was fixed and comes back reopens the issue certwarden closed, saying it is back', async () => {
    await start();
    await sync();
    const [issue] = byMarker(sc.findings.dbUntrusted.id);
    const fixed = withoutFinding(sc.findings.dbUntrusted.id);
    assert.equal((await sync({ report: fixed })).exitCode, 0);
    assert.equal(issue!.state, 'closed');
    server.resetCounts();
    const res = await sync();
    assert.equal(res.exitCode, 0, res.error ?? '');
    assert.equal(issue!.state, 'open', 'the same record, reopened');
    assert.equal(byMarker(sc.findings.dbUntrusted.id).length, 1);
    const comments = server.comments.filter((c) => c.issue === issue!.number);
    assert.equal(comments.length, 2, 'the closing comment stays; one comment for the return');
    assert.match(comments[1]!.body, /finds this problem again \(scan of 2026-11-01T00:00:00Z\)/);
    assert.doesNotMatch(issue!.body ?? '', /closed-by/, 'the reopened body is the current one');
    const dash = openIssues().find((i) => i.title.startsWith('certwarden dashboard'))!;
    assert.match(dash.body ?? '', new RegExp(`db-1 .*#${issue!.number}`), 'the dashboard links it again');
    server.resetCounts();
    assert.equal((await sync()).exitCode, 0);
    assert.deepEqual(server.writes(), []);
  });

  it('a closed issue carrying our marker but written by someone else is ignored: a new issue is opened', async () => {
    await start();
    const forged = server.createIssueAs('mallory', {
      title: 'forged',
      body: `<!-- certwarden:finding=${sc.findings.dbUntrusted.id} -->`,
      labels: ['certwarden'],
    });
    server.closeIssue(forged.number);
    const res = await sync();
    assert.equal(res.exitCode, 0, res.error ?? '');
    assert.equal(forged.state, 'closed');
    assert.equal(server.comments.filter((c) => c.issue === forged.number).length, 0);
    const ours = byMarker(sc.findings.dbUntrusted.id).filter((i) => i.user === 'certwarden-bot');
    assert.equal(ours.length, 1);
    assert.equal(ours[0]!.state, 'open');
    assert.notEqual(ours[0]!.number, forged.number);
  });

  it('an issue closed by hand longer ago than the window is not read again: the finding gets a new issue', async () => {
    sc = await scenario();
    server = await startGitHubApiServer({ files: sc.files, clockStart: '2026-07-01T00:00:00Z' });
    await sync();
    const [old] = byMarker(sc.findings.dbUntrusted.id);
    server.closeIssue(old!.number);
    const res = await sync();
    assert.equal(res.exitCode, 0, res.error ?? '');
    assert.equal(old!.state, 'closed', 'outside the 90 days before the scan');
    const all = byMarker(sc.findings.dbUntrusted.id);
    assert.equal(all.length, 2);
    assert.equal(all.filter((i) => i.state === 'open').length, 1);
    // A wider window finds the older record instead.
    const again = await startGitHubApiServer({ files: sc.files, clockStart: '2026-07-01T00:00:00Z' });
    try {
      const apiUrl = again.url;
      const first = await sync({ apiUrl });
      assert.equal(first.exitCode, 0);
      const mine = [...again.issues.values()].find((i) =>
        (i.body ?? '').includes(`<!-- certwarden:finding=${sc.findings.dbUntrusted.id} -->`),
      )!;
      again.closeIssue(mine.number);
      assert.equal((await sync({ apiUrl, reopenWindowDays: 180 })).exitCode, 0);
      assert.equal(mine.state, 'open');
      assert.deepEqual(again.violations, []);
    } finally {
      await again.close();
    }
  });

  it('a dry run shows the reopen as a plan action and writes nothing', async () => {
    await start();
    await sync();
    const [issue] = byMarker(sc.findings.dbUntrusted.id);
    server.closeIssue(issue!.number);
    server.resetCounts();
    const res = await sync({ dryRun: true });
    assert.equal(res.exitCode, 0, res.error ?? '');
    assert.deepEqual(server.writes(), []);
    assert.equal(issue!.state, 'closed');
    const reopen = res.plan!.issues.filter((a) => a.op === 'reopen-issue');
    assert.deepEqual(
      reopen.map((a) => [a.number, a.findingId, a.op === 'reopen-issue' && a.reason]),
      [[issue!.number, sc.findings.dbUntrusted.id, 'closed-by-human']],
    );
    assert.ok(!res.plan!.issues.some((a) => a.op === 'create-issue'));
    assert.ok(
      res.lines.includes(
        `reopen issue #${issue!.number} (finding ${sc.findings.dbUntrusted.id} still present; it was closed by hand)`,
      ),
      res.lines.join('\n'),
    );
  });

  it('an issue of a target that was not scanned in a partial run stays open', async () => {
    await start();
    await sync();
    const partial = report(
      sc.report.targets.filter((t) => t.id !== 'db-1'),
      sc.report.findings.filter((f) => f.target !== 'db-1'),
    );
    await sync({ report: partial });
    assert.equal(byMarker(sc.findings.dbUntrusted.id)[0]!.state, 'open');
  });

  it('an issue whose details changed is edited in place, not reopened or duplicated', async () => {
    await start();
    await sync();
    const changed = report(
      sc.report.targets,
      sc.report.findings.map((f) =>
        f.id === sc.findings.dbUntrusted.id ? { ...f, message: 'the chain ends at an unknown root' } : f,
      ),
    );
    server.resetCounts();
    await sync({ report: changed });
    const [issue] = byMarker(sc.findings.dbUntrusted.id);
    assert.match(issue!.body ?? '', /the chain ends at an unknown root/);
    assert.deepEqual(
      server.writes().map((w) => `${w.method} ${w.path}`),
      [`PATCH /repos/acme/pki/issues/${issue!.number}`],
    );
  });

  it('a finding that becomes waived closes its issue, saying who waived it', async () => {
    await start();
    await sync();
    const waived = report(
      sc.report.targets,
      sc.report.findings.map((f) =>
        f.id === sc.findings.dbUntrusted.id
          ? { ...f, waived: { reason: 'decommissioned in Q1', owner: '@bob', expires: '2027-01-31' } }
          : f,
      ),
    );
    await sync({ report: waived });
    const [issue] = byMarker(sc.findings.dbUntrusted.id);
    assert.equal(issue!.state, 'closed');
    assert.match(
      server.comments.find((c) => c.issue === issue!.number)!.body,
      /waived: decommissioned in Q1 \(owner @\u200bbob/,
    );
  });

  it('a PR a human closed unmerged is not proposed again for the same change', async () => {
    await start();
    await sync();
    const pin = openPulls().find((p) => p.pull!.headRef === 'certwarden/pin/api-1')!;
    server.closePull(pin.number);
    server.resetCounts();
    const res = await sync();
    assert.equal(res.exitCode, 0, res.error ?? '');
    assert.equal(openPulls().filter((p) => p.pull!.headRef === 'certwarden/pin/api-1').length, 0);
    assert.equal(
      server
        .writes()
        .filter(
          (w) => w.route === '/repos/{owner}/{repo}/pulls' || w.route === '/repos/{owner}/{repo}/git/refs',
        ).length,
      0,
    );
    assert.ok(res.plan!.skipped.some((s) => /closed unmerged/.test(s.reason)));
  });

  it('a new change on the same branch is proposed again after a human closed the old one', async () => {
    await start();
    await sync();
    const pin = openPulls().find((p) => p.pull!.headRef === 'certwarden/pin/api-1')!;
    server.closePull(pin.number);
    const newer = report(
      sc.report.targets.map((t) =>
        t.id === 'api-1' ? { ...t, certificates: [{ ...sc.certs.api, sha256: 'e'.repeat(64) }] } : t,
      ),
      sc.report.findings.map((f) =>
        f.id === sc.findings.apiDrift.id ? { ...f, certificate: 'e'.repeat(64) } : f,
      ),
    );
    assert.equal((await sync({ report: newer })).exitCode, 0);
    const again = openPulls().filter((p) => p.pull!.headRef === 'certwarden/pin/api-1');
    assert.equal(again.length, 1);
    assert.notEqual(again[0]!.number, pin.number);
    assert.match(server.fileAt('certwarden/pin/api-1', 'inventory/prod.yaml')!, /sha256: "e{64}"/);
  });

  it('an open PR on a branch a human pushed to is left alone', async () => {
    await start();
    await sync();
    const pin = openPulls().find((p) => p.pull!.headRef === 'certwarden/pin/api-1')!;
    const humanHead = server.pushAs('alice', 'certwarden/pin/api-1', {
      'inventory/prod.yaml': 'edited by alice\n',
    });
    const newer = report(
      sc.report.targets,
      sc.report.findings.map((f) =>
        f.id === sc.findings.apiDrift.id ? { ...f, certificate: 'e'.repeat(64) } : f,
      ),
    );
    const res = await sync({ report: newer });
    assert.equal(res.exitCode, 0, res.error ?? '');
    assert.equal(server.refs.get('heads/certwarden/pin/api-1'), humanHead);
    assert.equal(pin.state, 'open');
    assert.ok(res.plan!.skipped.some((s) => /not made by certwarden/.test(s.reason)));
  });

  it('an open PR is updated with a new commit when the proposed change changes', async () => {
    await start();
    await sync();
    const pin = openPulls().find((p) => p.pull!.headRef === 'certwarden/pin/api-1')!;
    const newer = report(
      sc.report.targets,
      sc.report.findings.map((f) =>
        f.id === sc.findings.apiDrift.id ? { ...f, certificate: 'f'.repeat(64) } : f,
      ),
    );
    assert.equal((await sync({ report: newer })).exitCode, 0);
    assert.equal(openPulls().filter((p) => p.pull!.headRef === 'certwarden/pin/api-1').length, 1);
    assert.match(server.fileAt('certwarden/pin/api-1', 'inventory/prod.yaml')!, /sha256: "f{64}"/);
    assert.ok(
      (pin.body ?? '').includes(`head=${pin.pull!.headSha}`),
      'the PR records the commit certwarden pushed',
    );
    server.resetCounts();
    await sync({ report: newer });
    assert.deepEqual(server.writes(), [], 'and a rerun leaves it alone');
  });

  it("a PR whose body edit failed after certwarden pushed to it is still certwarden's on the next run", async () => {
    await start();
    await sync();
    const pin = openPulls().find((p) => p.pull!.headRef === 'certwarden/pin/api-1')!;
    const newer = report(
      sc.report.targets,
      sc.report.findings.map((f) =>
        f.id === sc.findings.apiDrift.id ? { ...f, certificate: 'f'.repeat(64) } : f,
      ),
    );
    // The commit is pushed, then every try of the PR edit fails.
    server.inject({
      method: 'PATCH',
      path: new RegExp(`/pulls/${pin.number}$`),
      status: 502,
      when: 'before',
      times: 10,
    });
    assert.equal((await sync({ report: newer })).exitCode, 3);
    assert.notEqual(pin.pull!.headSha, /head=(\w+)/.exec(pin.body ?? '')![1], 'the recorded head is stale');
    server.injections.length = 0;
    const res = await sync({ report: newer });
    assert.equal(res.exitCode, 0, res.error ?? '');
    assert.ok(!res.plan!.skipped.some((s) => /not made by certwarden/.test(s.reason)));
    assert.ok((pin.body ?? '').includes(`head=${pin.pull!.headSha}`));
    server.resetCounts();
    await sync({ report: newer });
    assert.deepEqual(server.writes(), []);
  });

  it('a PR no longer needed is closed with a comment and its branch deleted', async () => {
    await start();
    await sync();
    const pin = openPulls().find((p) => p.pull!.headRef === 'certwarden/pin/api-1')!;
    const noDrift = report(
      sc.report.targets,
      sc.report.findings.filter((f) => f.id !== sc.findings.apiDrift.id),
    );
    assert.equal((await sync({ report: noDrift })).exitCode, 0);
    assert.equal(pin.state, 'closed');
    assert.equal(server.refs.has('heads/certwarden/pin/api-1'), false);
    assert.match(pin.body ?? '', /closed-by=certwarden/);
  });

  it('a 502 on an issue create that actually succeeded makes no duplicate', async () => {
    await start();
    server.inject({
      method: 'POST',
      path: /^\/repos\/acme\/pki\/issues$/,
      status: 502,
      when: 'after',
      times: 1,
    });
    const res = await sync();
    assert.equal(res.exitCode, 0, res.error ?? '');
    for (const f of [
      sc.findings.webExpiry,
      sc.findings.dbUntrusted,
      sc.findings.apiDrift,
      sc.findings.bundleMissing,
    ]) {
      assert.equal(byMarker(f.id).length, 1, `exactly one issue for ${f.id}`);
    }
    const posts = server.requests.filter(
      (r) => r.method === 'POST' && r.route === '/repos/{owner}/{repo}/issues',
    );
    assert.equal(posts.filter((r) => r.status === 502).length, 1);
    assert.equal(
      posts.length,
      5,
      '4 findings + the dashboard, and no retry of the create that had succeeded',
    );
  });

  it('a 502 on a PR create that actually succeeded makes no duplicate PR', async () => {
    await start();
    server.inject({
      method: 'POST',
      path: /^\/repos\/acme\/pki\/pulls$/,
      status: 502,
      when: 'after',
      times: 1,
    });
    assert.equal((await sync()).exitCode, 0);
    assert.equal(openPulls().length, 2);
    assert.equal([...server.issues.values()].filter((i) => i.pull).length, 2);
  });

  it('a create that failed before doing anything is tried once more after listing', async () => {
    await start();
    server.inject({
      method: 'POST',
      path: /^\/repos\/acme\/pki\/issues$/,
      status: 502,
      when: 'before',
      times: 1,
    });
    assert.equal((await sync()).exitCode, 0);
    for (const f of [sc.findings.webExpiry, sc.findings.dbUntrusted]) assert.equal(byMarker(f.id).length, 1);
  });

  it('GitHub refusing part way exits 3 and reports what was done', async () => {
    await start();
    server.inject({
      method: 'POST',
      path: /^\/repos\/acme\/pki\/issues$/,
      status: 403,
      when: 'before',
      times: 1,
      message: 'Resource not accessible by integration',
    });
    const res = await sync();
    assert.equal(res.exitCode, 3);
    assert.match(res.error ?? '', /POST \/repos\/acme\/pki\/issues: 403/);
    assert.ok(res.applied!.done.length > 0, 'what was done is reported');
  });

  it('a secondary rate limit answer is waited out and the request retried', async () => {
    await start();
    server.inject({
      method: 'POST',
      path: /^\/repos\/acme\/pki\/issues$/,
      status: 403,
      when: 'before',
      times: 1,
      message: 'You have exceeded a secondary rate limit',
      headers: { 'retry-after': '1' },
    });
    const log = captureLogger();
    const res = await sync({ logger: log });
    assert.equal(res.exitCode, 0, res.error ?? '');
    assert.ok(log.lines.some((l) => /secondary rate limit .*retrying after 1s/.test(l)));
    assert.equal(byMarker(sc.findings.webExpiry.id).length, 1);
  });

  it('an owner who cannot be assigned does not block the issue', async () => {
    await start({ collaborators: ['bob'] });
    const log = captureLogger();
    const res = await sync({ logger: log });
    assert.equal(res.exitCode, 0, res.error ?? '');
    const [issue] = byMarker(sc.findings.dbUntrusted.id);
    assert.deepEqual(issue!.assignees, []);
    assert.ok(log.lines.some((l) => /cannot assign alice/.test(l)));
  });

  it('an exhausted primary rate limit is waited out until its reset, then retried', async () => {
    await start();
    const reset = String(Math.ceil(Date.now() / 1000));
    server.inject({
      method: 'GET',
      path: /^\/repos\/acme\/pki\/labels$/,
      status: 403,
      when: 'before',
      times: 1,
      message: 'API rate limit exceeded',
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset },
    });
    const log = captureLogger();
    const res = await sync({ logger: log });
    assert.equal(res.exitCode, 0, res.error ?? '');
    assert.ok(log.lines.some((l) => /GitHub rate limit for GET .*retrying after/.test(l)));
    assert.equal(
      server.requests.filter((r) => r.route === '/repos/{owner}/{repo}/labels' && r.method === 'GET').length,
      2,
    );
  });

  it('markers in issues that someone else wrote are ignored', async () => {
    await start();
    const forged = server.createIssueAs('mallory', {
      title: 'forged',
      body: `<!-- certwarden:finding=${sc.findings.dbUntrusted.id} -->`,
      labels: ['certwarden'],
    });
    const dash = server.createIssueAs('mallory', {
      title: 'certwarden dashboard',
      body: '<!-- certwarden:dashboard -->',
      labels: ['certwarden', 'certwarden:dashboard'],
    });
    await sync();
    assert.equal(forged.state, 'open');
    assert.equal(forged.body, `<!-- certwarden:finding=${sc.findings.dbUntrusted.id} -->`, 'not edited');
    assert.equal(dash.body, '<!-- certwarden:dashboard -->');
    assert.equal(byMarker(sc.findings.dbUntrusted.id).filter((i) => i.user === 'certwarden-bot').length, 1);
    assert.equal(
      openIssues().filter((i) => i.user === 'certwarden-bot' && i.title.startsWith('certwarden dashboard'))
        .length,
      1,
    );
  });

  it('with a GITHUB_TOKEN that may not call GET /user, items of github-actions[bot] are the ones that count', async () => {
    sc = await scenario();
    server = await startGitHubApiServer({
      files: sc.files,
      userForbidden: true,
      tokens: { 'test-token': 'github-actions[bot]' },
    });
    assert.equal((await sync()).exitCode, 0);
    server.resetCounts();
    await sync();
    assert.deepEqual(server.writes(), []);
  });

  it('a dry run plans against GitHub and writes nothing', async () => {
    await start();
    const res = await sync({ dryRun: true });
    assert.equal(res.exitCode, 0);
    assert.deepEqual(server.writes(), []);
    assert.ok(res.lines.some((l) => l.startsWith('open issue "[error] chain.untrusted: db-1')));
    assert.ok(res.lines.includes('open PR "certwarden: update the pin of api-1" on certwarden/pin/api-1'));
  });

  it(`a CN of "${HOSTILE_CN}" is harmless in titles, bodies, the dashboard, PR bodies and logs`, async () => {
    await start();
    // The pinned certificate carries the hostile CN too, so it reaches the PR body.
    const hostile = report(
      sc.report.targets.map((t) =>
        t.id === 'api-1'
          ? {
              ...t,
              certificates: [
                {
                  ...sc.certs.api,
                  subject: { ...sc.certs.api.subject, CN: HOSTILE_CN, dn: `CN=${HOSTILE_CN}` },
                },
              ],
            }
          : t,
      ),
      sc.report.findings,
    );
    const log = captureLogger();
    const res = await sync({ report: hostile, logger: log });
    assert.equal(res.exitCode, 0, res.error ?? '');
    const texts = [...server.issues.values()]
      .flatMap((i) => [i.title, i.body ?? ''])
      .concat(server.comments.map((c) => c.body));
    const web = byMarker(sc.findings.webExpiry.id)[0]!;
    assert.ok(web.title.includes('everyone'), 'the CN is shown');
    for (const t of texts) {
      assert.doesNotMatch(t, /@everyone/, 'no mention');
      assert.doesNotMatch(t, /::error::/, 'no workflow command');
      assert.doesNotMatch(t, /<!--\s*certwarden:finding=cw-forged/, 'no forged marker survives');
      assert.notEqual(parseFindingMarker(t), 'cw-forged');
      const comments = t.match(/<!--[^]*?-->/g) ?? [];
      for (const c of comments)
        assert.match(
          c,
          /^<!-- certwarden:(finding=cw-[0-9a-f]{16}|target=[\w.-]+|dashboard|pr [^<>]+) -->$/,
          `only our markers: ${c}`,
        );
    }
    const pr = openPulls().find((p) => p.pull!.headRef === 'certwarden/pin/api-1')!;
    assert.ok((pr.body ?? '').includes('everyone'));
    for (const line of [...log.lines, ...res.lines]) {
      assert.ok(!line.includes('\n'), 'one line per log entry');
      assert.doesNotMatch(line, /::error::|@everyone/);
    }
    // And the forged marker does not count on the next run: nothing is written.
    server.resetCounts();
    await sync({ report: hostile });
    assert.deepEqual(server.writes(), []);
  });
});
