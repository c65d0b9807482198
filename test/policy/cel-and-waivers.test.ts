import assert from 'node:assert/strict';
import path from 'node:path';
import { loadPolicies } from '../../src/policy/load.js';
import { evaluatePolicies } from '../../src/policy/evaluate.js';
import { applyWaivers } from '../../src/policy/waivers.js';
import { Pki } from '../support/pki.js';
import { observe, target, tempTree } from './helpers.js';

const NOW = new Date('2026-12-01T00:00:00Z');

const POLICY = `apiVersion: certwarden/v1
kind: Policy
metadata: {name: acme}
rules:
  - id: admin-certs-need-label
    expr: '!("system:masters" in cert.subject.O) || target.labels["admin"] == "true"'
    message: "certificates in system:masters must be labelled admin"
    severity: warning
  - id: short-leaves
    expr: cert.lifetimeDays <= 90
    when: target.zone == "dmz"
    message: DMZ certificates live at most 90 days
  - id: ca-keys
    check: key
    params: {allow: [{type: EC, curves: [P-384]}]}
    appliesTo: ca
waivers:
  - rule: admin-certs-need-label
    target: legacy-admin
    reason: "vendor tool, replaced in Q3"
    owner: "@brent"
    expires: 2027-03-31
  - rule: admin-certs-need-label
    target: old-admin
    reason: "was to be fixed last year"
    owner: "@brent"
    expires: 2026-11-30
`;

describe('CEL rules and waivers', () => {
  let dir: string;
  let pki: Pki;
  before(() => {
    dir = tempTree({ 'acme.yaml': POLICY });
    pki = new Pki({ now: NOW });
  });

  it('a CEL rule reports the certificates for which its expression is false, with its message and severity', async () => {
    const set = await loadPolicies([dir]);
    const masters = await pki.leaf({ cn: 'admin', o: ['system:masters'] });
    const plain = await pki.leaf({ cn: 'someone', o: ['devs'] });
    const bad = target({ id: 'unlabelled', policies: ['acme'] });
    const good = target({ id: 'labelled', policies: ['acme'], labels: { admin: 'true' } });
    const f1 = evaluatePolicies(set, {
      target: bad,
      observation: observe(bad, [masters]),
      chain: null,
      now: NOW,
    });
    assert.equal(f1.length, 1);
    assert.equal(f1[0]!.check, 'cel');
    assert.equal(f1[0]!.rule, 'admin-certs-need-label');
    assert.equal(f1[0]!.severity, 'warning');
    assert.equal(f1[0]!.certificate, masters.sha256);
    assert.deepEqual(f1[0]!.location, bad.location);
    assert.match(
      f1[0]!.message,
      /^certificates in system:masters must be labelled admin: certificate "admin"/,
    );
    assert.deepEqual(
      evaluatePolicies(set, { target: good, observation: observe(good, [masters]), chain: null, now: NOW }),
      [],
    );
    assert.deepEqual(
      evaluatePolicies(set, { target: bad, observation: observe(bad, [plain]), chain: null, now: NOW }),
      [],
    );
  });

  it('finding ids are stable across runs and differ per certificate', async () => {
    const set = await loadPolicies([dir]);
    const a = await pki.leaf({ cn: 'a', o: ['system:masters'] });
    const b = await pki.leaf({ cn: 'b', o: ['system:masters'] });
    const t = target({ id: 'unlabelled', policies: ['acme'] });
    const run1 = evaluatePolicies(set, { target: t, observation: observe(t, [a, b]), chain: null, now: NOW });
    const run2 = evaluatePolicies(set, {
      target: t,
      observation: observe(t, [a, b]),
      chain: null,
      now: new Date('2026-12-02T00:00:00Z'),
    });
    assert.deepEqual(
      run1.map((f) => f.id),
      run2.map((f) => f.id),
    );
    assert.notEqual(run1[0]!.id, run1[1]!.id);
  });

  it('`when` limits a rule to the targets where the condition holds', async () => {
    const set = await loadPolicies([dir]);
    const long = await pki.leaf({ cn: 'long', days: 365 });
    const dmz = target({ id: 'dmz-web', policies: ['acme'], zone: 'dmz' });
    const lan = target({ id: 'lan-web', policies: ['acme'], zone: 'lan' });
    const f = evaluatePolicies(set, {
      target: dmz,
      observation: observe(dmz, [long]),
      chain: null,
      now: NOW,
    });
    assert.deepEqual(
      f.map((x) => [x.rule, x.severity]),
      [['short-leaves', 'error']],
    );
    assert.deepEqual(
      evaluatePolicies(set, { target: lan, observation: observe(lan, [long]), chain: null, now: NOW }),
      [],
    );
  });

  it('appliesTo: ca runs a rule on CA certificates only', async () => {
    const set = await loadPolicies([dir]);
    const root = await pki.ca({ cn: 'Root', key: 'p256' });
    const leaf = await pki.leaf({ cn: 'leaf', issuer: root, key: 'p256' });
    const t = target({ id: 'chain', policies: ['acme'] });
    const f = evaluatePolicies(set, {
      target: t,
      observation: observe(t, [leaf, root]),
      chain: null,
      now: NOW,
    });
    assert.deepEqual(
      f.map((x) => [x.rule, x.certificate]),
      [['ca-keys', root.sha256]],
    );
  });

  it('a valid waiver marks the finding as waived and keeps it; an expired waiver stops waiving and is reported at its line', async () => {
    const set = await loadPolicies([dir]);
    const masters = await pki.leaf({ cn: 'admin', o: ['system:masters'] });
    const legacy = target({ id: 'legacy-admin', policies: ['acme'] });
    const old = target({ id: 'old-admin', policies: ['acme'] });
    const raw = [
      ...evaluatePolicies(set, {
        target: legacy,
        observation: observe(legacy, [masters]),
        chain: null,
        now: NOW,
      }),
      ...evaluatePolicies(set, { target: old, observation: observe(old, [masters]), chain: null, now: NOW }),
    ];
    assert.equal(raw.length, 2);
    const out = applyWaivers(raw, set, NOW, [legacy, old]);
    const legacyF = out.find((f) => f.target === 'legacy-admin')!;
    assert.deepEqual(legacyF.waived, {
      reason: 'vendor tool, replaced in Q3',
      owner: '@brent',
      expires: '2027-03-31',
    });
    const oldF = out.find((f) => f.target === 'old-admin' && f.check === 'cel')!;
    assert.equal(oldF.waived, null);
    const expired = out.filter((f) => f.check === 'waiver.expired');
    assert.equal(expired.length, 1);
    assert.equal(expired[0]!.severity, 'warning');
    assert.equal(expired[0]!.rule, null);
    assert.equal(expired[0]!.target, 'old-admin');
    assert.deepEqual(expired[0]!.location, { file: path.join(dir, 'acme.yaml'), line: 23, column: 5 });
    assert.match(expired[0]!.message, /expired on 2026-11-30; the 1 finding it covered is reported again/);
    assert.equal(raw[0]!.waived, null, 'the input findings are not modified');
  });

  it('a waiver dated YYYY-MM-DD still waives during that day and stops the next day', async () => {
    const set = await loadPolicies([dir]);
    const masters = await pki.leaf({ cn: 'admin', o: ['system:masters'] });
    const legacy = target({ id: 'legacy-admin', policies: ['acme'] });
    const f = evaluatePolicies(set, {
      target: legacy,
      observation: observe(legacy, [masters]),
      chain: null,
      now: NOW,
    });
    const lastDay = new Date('2027-03-31T23:59:59Z');
    const dayAfter = new Date('2027-04-01T00:00:00Z');
    assert.ok(applyWaivers(f, set, lastDay, [legacy]).find((x) => x.check === 'cel')!.waived);
    const after = applyWaivers(f, set, dayAfter, [legacy]);
    assert.equal(after.find((x) => x.check === 'cel')!.waived, null);
    assert.equal(after.filter((x) => x.check === 'waiver.expired').length, 2);
  });

  it('a waiver can name a non-policy check and select targets by label, and covers the children of a preset target', async () => {
    const dir2 = tempTree({
      'w.yaml': `apiVersion: certwarden/v1
kind: Policy
metadata: {name: waivers}
waivers:
  - {rule: expect.subject, selector: {labels: {team: legacy}}, reason: r, owner: "@a", expires: 2027-01-01}
  - {rule: expiry, target: cp1, reason: "kubeadm upgrade renews", owner: "@b", expires: 2027-01-01}
`,
    });
    const set = await loadPolicies([dir2]);
    const t1 = target({ id: 'x', labels: { team: 'legacy' } });
    const t2 = target({ id: 'cp1/pki/apiserver.crt', expandedFrom: 'cp1' });
    const f = [
      {
        id: '1',
        target: 'x',
        check: 'expect.subject',
        rule: null,
        severity: 'error' as const,
        message: 'm',
        certificate: null,
        location: null,
        remediation: null,
        waived: null,
      },
      {
        id: '2',
        target: 'cp1/pki/apiserver.crt',
        check: 'expiry',
        rule: 'expiry',
        severity: 'warning' as const,
        message: 'm',
        certificate: null,
        location: null,
        remediation: null,
        waived: null,
      },
      {
        id: '3',
        target: 'y',
        check: 'expect.subject',
        rule: null,
        severity: 'error' as const,
        message: 'm',
        certificate: null,
        location: null,
        remediation: null,
        waived: null,
      },
    ];
    const out = applyWaivers(f, set, NOW, [t1, t2, target({ id: 'y' })]);
    assert.deepEqual(
      out.map((x) => Boolean(x.waived)),
      [true, true, false],
    );
  });
});

describe('CEL rules and waivers in a scan', () => {
  it('a scan at --now reports the CEL finding, counts the waived one in summary.waived, and reports the expired waiver', async () => {
    const pipeline = await import('../../src/pipeline.js');
    const pki = new Pki({ now: NOW });
    const admin = await pki.leaf({ cn: 'admin', o: ['system:masters'] });
    const dir = tempTree({
      'policies/acme.yaml': POLICY,
      'inventory/certs/admin.pem': admin.pem,
      'inventory/inv.yaml': [
        'apiVersion: certwarden/v1',
        'kind: Inventory',
        'metadata: {name: inv}',
        'defaults: {policies: [acme]}',
        'targets:',
        '  - id: legacy-admin',
        '    file: {path: certs/admin.pem}',
        '  - id: old-admin',
        '    file: {path: certs/admin.pem}',
        '  - id: new-admin',
        '    file: {path: certs/admin.pem}',
        '',
      ].join('\n'),
    });
    const opts = {
      inventoryDirs: [path.join(dir, 'inventory')],
      policyDirs: [path.join(dir, 'policies')],
      now: NOW,
      env: {},
    };
    const loaded = await pipeline.load(opts);
    const report = pipeline.evaluate(loaded, await pipeline.collect(loaded, opts), NOW);
    const rows = report.findings
      .map((f) => `${f.target} ${f.check} ${f.waived ? 'waived' : f.severity}`)
      .sort();
    assert.deepEqual(rows, [
      'legacy-admin cel waived',
      'new-admin cel warning',
      'old-admin cel warning',
      'old-admin waiver.expired warning',
    ]);
    assert.deepEqual(report.summary.findings, { error: 0, warning: 3, info: 0 });
    assert.equal(report.summary.waived, 1);
    assert.equal(pipeline.exitCodeFor(report, 'warning'), 1);
  });
});
