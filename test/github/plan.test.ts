// The sync plan as plain data, without a network: what it opens, updates, closes and leaves alone.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { makeFinding } from '../../src/core/findings.js';
import { planSync, type SyncInput } from '../../src/github/plan.js';
import { branchName, parseOwners, repoPath } from '../../src/github/plan-input.js';
import { idsWithoutOpenIssue } from '../../src/github/plan-issues.js';
import { findingMarker, parseClosedByMarker, prMarker } from '../../src/github/markers.js';
import { pemBlocks } from '../../src/github/edits.js';
import { BODY_LIMIT } from '../../src/github/render.js';
import {
  EMPTY_STATE,
  planIsEmpty,
  type ExistingIssue,
  type ExistingState,
  type SyncPlan,
} from '../../src/github/types.js';
import { cert, NOW, report, scenario, sha, target, type Scenario } from './scenario.js';

/** What the world looks like after a plan was applied perfectly: for idempotence checks without a server. */
function applied(plan: SyncPlan, before: ExistingState): ExistingState {
  let n = 100;
  const issues: ExistingIssue[] = before.issues.filter(
    (i) => !plan.issues.some((a) => a.op === 'close-issue' && a.number === i.number),
  );
  for (const a of plan.issues) {
    if (a.op === 'create-issue')
      issues.push({
        number: n++,
        title: a.title,
        body: a.body,
        labels: a.labels,
        assignees: a.assignees,
        findingId: a.findingId,
        target: null,
        dashboard: false,
      });
    if (a.op === 'reopen-issue')
      issues.push({
        ...before.closed!.find((i) => i.number === a.number)!,
        title: a.title,
        body: a.body,
        labels: a.labels,
        closedBy: undefined,
      });
    if (a.op === 'update-issue')
      Object.assign(
        issues.find((i) => i.number === a.number)!,
        { title: a.title, body: a.body, labels: a.labels },
      );
  }
  const closed = (before.closed ?? []).filter(
    (i) => !plan.issues.some((a) => a.op === 'reopen-issue' && a.number === i.number),
  );
  return { ...before, issues, closed, labels: [...before.labels, ...plan.labels.map((l) => l.name)] };
}

describe('planning a sync', () => {
  let sc: Scenario;
  before(async () => {
    sc = await scenario();
  });
  after(async () => {
    await rm(sc.root, { recursive: true, force: true });
  });
  const input = (over: Partial<SyncInput> = {}): SyncInput => ({
    report: sc.report,
    inventory: sc.inventory,
    existing: EMPTY_STATE,
    botLogin: 'certwarden-bot',
    minSeverity: 'warning',
    now: new Date(NOW),
    files: sc.files,
    repoRoot: sc.root,
    baseBranch: 'main',
    ...over,
  });

  it('opens one issue per open finding at or above the threshold, never for waived ones', () => {
    const plan = planSync(input());
    const opened = plan.issues
      .filter((a) => a.op === 'create-issue')
      .map((a) => a.findingId)
      .sort();
    const f = sc.findings;
    assert.deepEqual(opened, [f.webExpiry.id, f.dbUntrusted.id, f.apiDrift.id, f.bundleMissing.id].sort());
    const info = planSync(input({ minSeverity: 'info' })).issues.map((a) => a.findingId);
    assert.ok(info.includes(f.webKeyInfo.id));
    assert.ok(!info.includes(f.legacyWaived.id));
  });

  const closedIssue = (number: number, id: string, over: Partial<ExistingIssue> = {}): ExistingIssue => ({
    number,
    title: 'old title',
    body: `old body\n${findingMarker(id)}\n`,
    labels: ['certwarden', 'severity:warning', 'team-triage'],
    assignees: [],
    findingId: id,
    target: null,
    dashboard: false,
    closedBy: null,
    ...over,
  });

  it('reopens the closed issue of a finding that has no open one, instead of opening another', () => {
    const f = sc.findings;
    const plan = planSync(
      input({
        existing: {
          ...EMPTY_STATE,
          closed: [
            closedIssue(7, f.dbUntrusted.id),
            closedIssue(8, f.webExpiry.id, { closedBy: 'fixed' }),
            closedIssue(9, f.apiDrift.id, { closedBy: 'duplicate' }),
          ],
        },
      }),
    );
    const reopened = plan.issues.filter((a) => a.op === 'reopen-issue');
    assert.deepEqual(
      reopened.map((a) => [a.number, a.findingId, a.reason]),
      [
        [7, f.dbUntrusted.id, 'closed-by-human'],
        [8, f.webExpiry.id, 'back'],
      ],
    );
    const db = reopened.find((a) => a.number === 7)!;
    assert.ok(db.labels.includes('team-triage'), "a human's label stays");
    assert.ok(db.labels.includes('severity:error') && !db.labels.includes('severity:warning'));
    assert.match(db.body, new RegExp(findingMarker(f.dbUntrusted.id)));
    assert.deepEqual(
      plan.issues
        .filter((a) => a.op === 'create-issue')
        .map((a) => a.findingId)
        .sort(),
      [f.apiDrift.id, f.bundleMissing.id].sort(),
      'an issue closed as a duplicate is not the record; nor is anything for findings with no closed issue',
    );
    const after = applied(plan, {
      ...EMPTY_STATE,
      closed: [
        closedIssue(7, f.dbUntrusted.id),
        closedIssue(8, f.webExpiry.id, { closedBy: 'fixed' }),
        closedIssue(9, f.apiDrift.id, { closedBy: 'duplicate' }),
      ],
    });
    assert.deepEqual(planSync(input({ existing: after })).issues, [], 'planning again plans nothing');
  });

  it('asks for closed issues only for wanted findings that have no open issue', () => {
    const f = sc.findings;
    const open: ExistingIssue = { ...closedIssue(3, f.webExpiry.id), closedBy: undefined };
    const ids = idsWithoutOpenIssue(sc.report, 'warning', { issues: [open] });
    assert.deepEqual([...ids].sort(), [f.dbUntrusted.id, f.apiDrift.id, f.bundleMissing.id].sort());
    assert.ok(
      !ids.has(f.legacyWaived.id) && !ids.has(f.webKeyInfo.id),
      'waived and info findings are not wanted',
    );
  });

  it('records in the body that certwarden closed an issue, and why', () => {
    const f = sc.findings;
    const open: ExistingIssue = { ...closedIssue(3, f.dbUntrusted.id), closedBy: undefined };
    const fixed = report(
      sc.report.targets,
      sc.report.findings.filter((x) => x.id !== f.dbUntrusted.id),
    );
    const close = planSync(
      input({ report: fixed, existing: { ...EMPTY_STATE, issues: [open] } }),
    ).issues.find((a) => a.op === 'close-issue');
    assert.equal(close?.op, 'close-issue');
    assert.equal(close.op === 'close-issue' && parseClosedByMarker(close.body), 'fixed');
    assert.ok(close.op === 'close-issue' && close.body.startsWith('old body'), 'the body is kept');
  });

  it('labels name severity, check and owner teams; users become assignees', () => {
    const db = planSync(input()).issues.find((a) => a.findingId === sc.findings.dbUntrusted.id)!;
    assert.equal(db.op, 'create-issue');
    if (db.op !== 'create-issue') return;
    assert.deepEqual(db.labels, [
      'certwarden',
      'severity:error',
      'check:chain.untrusted',
      'owner:acme/platform',
    ]);
    assert.deepEqual(db.assignees, ['alice']);
  });

  it('asks to create the labels that do not exist yet, and only those', () => {
    const names = planSync(
      input({ existing: { ...EMPTY_STATE, labels: ['CERTWARDEN', 'severity:error'] } }),
    ).labels.map((l) => l.name);
    assert.ok(!names.includes('certwarden') && !names.includes('severity:error'));
    assert.ok(names.includes('certwarden:dashboard') && names.includes('owner:acme/platform'));
  });

  it('planning again on the state the plan produces plans nothing', () => {
    const first = planSync(input());
    const state = applied(first, EMPTY_STATE);
    const dash = first.dashboard;
    if (dash.op === 'create-dashboard')
      state.issues.push({
        number: 999,
        title: dash.title,
        body: dash.body,
        labels: dash.labels,
        assignees: [],
        findingId: null,
        target: null,
        dashboard: true,
      });
    const second = planSync(input({ existing: state }));
    // The dashboard now links the issue numbers, so it is edited once; after that nothing is left.
    assert.deepEqual(second.issues, []);
    assert.deepEqual(second.labels, []);
    if (second.dashboard.op === 'update-dashboard')
      state.issues.find((i) => i.dashboard)!.body = second.dashboard.body;
    const third = planSync(input({ existing: state, files: {} }));
    assert.ok(planIsEmpty(third), JSON.stringify(third, null, 1).slice(0, 500));
  });

  it('keeps labels a human added to an issue, and does not reassign it', () => {
    const first = planSync(input());
    const state = applied(first, EMPTY_STATE);
    const issue = state.issues.find((i) => i.findingId === sc.findings.dbUntrusted.id)!;
    issue.labels = [...issue.labels, 'triaged'];
    issue.assignees = ['bob'];
    const next = planSync(input({ existing: state }));
    assert.equal(
      next.issues.filter((a) => a.op !== 'close-issue').length,
      0,
      'a human label is not a change to undo',
    );
  });

  it('closes an issue whose finding is gone, is waived, or fell below the threshold, each with its reason', () => {
    const state = applied(planSync(input()), EMPTY_STATE);
    const f = sc.findings;
    const changed = report(
      sc.report.targets,
      sc.report.findings
        .filter((x) => x.id !== f.dbUntrusted.id)
        .map((x) =>
          x.id === f.webExpiry.id
            ? { ...x, waived: { reason: 'r', owner: '@o', expires: '2027-01-01' } }
            : x.id === f.apiDrift.id
              ? { ...x, severity: 'info' as const }
              : x,
        ),
    );
    const closes = planSync(input({ existing: state, report: changed })).issues.filter(
      (a) => a.op === 'close-issue',
    );
    const reason = (id: string) =>
      closes.find((a) => a.findingId === id)?.op === 'close-issue' &&
      (closes.find((a) => a.findingId === id) as { reason: string }).reason;
    assert.equal(reason(f.dbUntrusted.id), 'fixed');
    assert.equal(reason(f.webExpiry.id), 'waived');
    assert.equal(reason(f.apiDrift.id), 'below-threshold');
  });

  it('keeps the issues of a target that could not be read in this scan', () => {
    const state = applied(planSync(input()), EMPTY_STATE);
    for (const i of state.issues) i.target = i.findingId === sc.findings.dbUntrusted.id ? 'db-1' : i.target;
    const unreachable = report(
      sc.report.targets.map((t) =>
        t.id === 'db-1' ? { ...t, status: 'unreachable' as const, certificates: [] } : t,
      ),
      [
        ...sc.report.findings.filter((f) => f.target !== 'db-1'),
        makeFinding({ target: 'db-1', check: 'source.unreachable', message: 'timeout' }),
      ],
    );
    const plan = planSync(input({ existing: state, report: unreachable }));
    assert.ok(!plan.issues.some((a) => a.op === 'close-issue' && a.findingId === sc.findings.dbUntrusted.id));
    assert.ok(plan.skipped.some((s) => /could not be read/.test(s.reason)));
  });

  it('closes duplicates of one finding, keeping the oldest issue', () => {
    const body = `<!-- certwarden:finding=${sc.findings.dbUntrusted.id} -->`;
    const dup = (number: number): ExistingIssue => ({
      number,
      title: 't',
      body,
      labels: ['certwarden'],
      assignees: [],
      findingId: sc.findings.dbUntrusted.id,
      target: 'db-1',
      dashboard: false,
    });
    const plan = planSync(input({ existing: { ...EMPTY_STATE, issues: [dup(7), dup(3)] } }));
    assert.deepEqual(
      plan.issues
        .filter((a) => a.op === 'close-issue')
        .map((a) => [a.op === 'close-issue' && a.number, a.op === 'close-issue' && a.reason]),
      [[7, 'duplicate']],
    );
    assert.ok(plan.issues.some((a) => a.op === 'update-issue' && a.number === 3));
  });

  it('proposes a pin PR only when the new certificate has no other finding', () => {
    const plan = planSync(input());
    const pin = plan.pulls.find((p) => p.op === 'create-pr' && p.kind === 'pin');
    assert.ok(pin && pin.op === 'create-pr');
    assert.equal(pin.branch, 'certwarden/pin/api-1');
    assert.deepEqual(
      pin.files.map((f) => f.path),
      ['inventory/prod.yaml'],
    );
    const withOther = report(sc.report.targets, [
      ...sc.report.findings,
      makeFinding({
        target: 'api-1',
        check: 'expect.dnsNames',
        message: 'missing api-1.example',
        certificate: sc.certs.api.sha256,
      }),
    ]);
    const none = planSync(input({ report: withOther }));
    assert.ok(!none.pulls.some((p) => p.op === 'create-pr' && p.kind === 'pin'));
    assert.ok(none.skipped.some((s) => /other findings \(expect\.dnsNames\)/.test(s.reason)));
  });

  it('a bundle PR drops an expired certificate from the bundle file and adds the missing anchor in one change', () => {
    const expired = makeFinding({
      target: 'mes-bundle',
      check: 'bundle.expired',
      message: 'bundle mes-bundle holds an expired certificate',
      certificate: sc.anchors.root.sha256,
    });
    const plan = planSync(input({ report: report(sc.report.targets, [...sc.report.findings, expired]) }));
    const pr = plan.pulls.find((p) => p.op === 'create-pr' && p.kind === 'bundle');
    assert.ok(pr && pr.op === 'create-pr');
    assert.equal(pr.branch, 'certwarden/bundle/mes-bundle');
    const content = pr.files[0]!.content;
    const pem = /ca\.crt: \|\n([\s\S]*)$/.exec(content)![1]!.replace(/^ {4}/gm, '');
    assert.deepEqual(
      pemBlocks(pem).map((b) => b.sha256),
      [sc.anchors.issuing.sha256],
    );
    assert.match(pr.body, /adds anchor issuing/);
    assert.match(pr.body, /removes /);
  });

  it('makes no PR when the file already has the change (no diff, no PR)', () => {
    const already = {
      ...sc.files,
      'inventory/prod.yaml': sc.files['inventory/prod.yaml'].replace(
        /"AA:BB[^"]*"/,
        `"${sc.certs.api.sha256}"`,
      ),
    };
    assert.ok(
      !planSync(input({ files: already })).pulls.some((p) => p.op !== 'close-pr' && p.kind === 'pin'),
    );
  });

  it('does not propose again a change a human closed unmerged, but does after certwarden closed it itself', () => {
    const key = (
      planSync(input()).pulls.find((p) => p.op === 'create-pr' && p.kind === 'pin') as { key: string }
    ).key;
    const closed = (closedBy: 'certwarden' | null) => ({
      ...EMPTY_STATE,
      pulls: [
        {
          number: 5,
          title: 't',
          body: prMarker({ kind: 'pin', target: 'api-1', key, head: 'abc', closedBy }),
          state: 'closed' as const,
          merged: false,
          branch: null,
          headSha: null,
          labels: [],
          marker: { kind: 'pin', target: 'api-1', key, head: 'abc', closedBy },
        },
      ],
    });
    assert.ok(
      !planSync(input({ existing: closed(null) })).pulls.some(
        (p) => p.op === 'create-pr' && p.kind === 'pin',
      ),
    );
    assert.ok(
      planSync(input({ existing: closed('certwarden') })).pulls.some(
        (p) => p.op === 'create-pr' && p.kind === 'pin',
      ),
    );
  });

  it("the dashboard stays under GitHub's body limit with 20,000 certificates, folding the largest groups", () => {
    const targets = Array.from({ length: 20_000 }, (_, i) => ({
      ...target(`t${i}`, [cert(sha((i % 16).toString(16)), `host-${i}.example`, i % 500)]),
      inventory: { file: `inventory/g${i % 3}.yaml`, line: 1 },
    }));
    const plan = planSync({ ...input(), inventory: undefined, report: report(targets, []) });
    assert.equal(plan.dashboard.op, 'create-dashboard');
    if (plan.dashboard.op !== 'create-dashboard') return;
    assert.ok(plan.dashboard.body.length < BODY_LIMIT, `${plan.dashboard.body.length}`);
    assert.match(plan.dashboard.body, /## inventory\/g0\.yaml \(6667\)/);
    assert.match(plan.dashboard.body, /Folded: the 10 soonest are below/);
  });

  it('opens at most maxCreates new issues per run, errors first, and says the rest are deferred', () => {
    const plan = planSync(input({ maxCreates: 2 }));
    const created = plan.issues.filter((a) => a.op === 'create-issue').map((a) => a.findingId);
    assert.deepEqual(
      created.sort(),
      [sc.findings.dbUntrusted.id, sc.findings.bundleMissing.id].sort(),
      'the two errors',
    );
    assert.ok(
      plan.skipped.some((s) => s.what === '2 new issue(s)' && /limit of 2 new issues per run/.test(s.reason)),
    );
  });

  it('owners: @user is a user, @org/team a team, anything else is ignored', () => {
    assert.deepEqual(parseOwners(['@alice', '@acme/it-structures', 'not an owner', '@bad/']), {
      users: ['alice'],
      teams: [{ org: 'acme', slug: 'it-structures' }],
    });
  });

  it('branch names are fixed per kind and target, and valid git refs', () => {
    assert.equal(branchName('pin', 'api-1'), 'certwarden/pin/api-1');
    assert.equal(branchName('pin', 'cp1/pki/apiserver.crt'), 'certwarden/pin/cp1/pki/apiserver.crt');
    assert.equal(branchName('pin', 'cp1/pki/../x y~^:.lock'), 'certwarden/pin/cp1/pki/x-y----lock');
    assert.equal(branchName('bundle', '.hidden/.'), 'certwarden/bundle/hidden');
  });

  it('repository paths: relative as given, absolute made relative, outside the repository refused', () => {
    assert.equal(repoPath('inventory/a.yaml', '/repo'), 'inventory/a.yaml');
    assert.equal(repoPath('/repo/inventory/a.yaml', '/repo'), 'inventory/a.yaml');
    assert.equal(repoPath('/elsewhere/a.yaml', '/repo'), null);
  });
});
