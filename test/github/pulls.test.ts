// The pull-request kinds registry: which kinds exist, and that each kind's module is what plans the
// PRs of its kind in a real sync plan (findings of each kind in one report, through planSync).
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { makeFinding } from '../../src/core/findings.js';
import type { Finding } from '../../src/core/model.js';
import type { Target } from '../../src/inventory/types.js';
import { prMarker } from '../../src/github/markers.js';
import { describePlan, filesNeeded, planSync, type SyncInput } from '../../src/github/plan.js';
import { indexInput } from '../../src/github/plan-input.js';
import { PULL_KINDS, pullKind } from '../../src/github/pulls/index.js';
import type { PullContext, PullKind } from '../../src/github/pulls/kind.js';
import { parseRenewalRequest } from '../../src/renewal/request.js';
import {
  EMPTY_STATE,
  type ExistingPull,
  type ExistingState,
  type PullAction,
} from '../../src/github/types.js';
import { cert, NOW, report, scenario, sha, target, type Scenario } from './scenario.js';

type Create = Extract<PullAction, { op: 'create-pr' }>;

describe('pull-request kinds', () => {
  let sc: Scenario;
  before(async () => {
    sc = await scenario();
  });
  after(async () => {
    await rm(sc.root, { recursive: true, force: true });
  });

  // A kubernetes-csr target inside its renewal window, next to the scenario's pin drift (api-1) and
  // missing bundle anchor (mes-bundle).
  const webhookCert = cert(sha('e'), 'webhook.webhooks.svc', 12);
  const webhookTarget = (): Target => ({
    id: 'webhook',
    inventory: 'prod',
    location: { file: sc.inventory.inventories[0]!.file, line: 30, column: 5 },
    source: {
      kind: 'kubernetes',
      kubernetes: { cluster: 'avilla', kind: 'Secret', namespace: 'webhooks', name: 'webhook-tls' },
    },
    policies: ['baseline'],
    owners: ['@acme/webhooks', '@carol'],
    zone: null,
    labels: {},
    renewal: {
      method: 'kubernetes-csr',
      signerName: 'example.com/webhook-serving',
      usages: ['digital signature', 'key encipherment', 'server auth'],
      secret: { namespace: 'webhooks', name: 'webhook-tls' },
    },
  });
  const webhookExpiry = () =>
    makeFinding({
      target: 'webhook',
      check: 'expiry',
      rule: 'expiry',
      severity: 'warning',
      message: 'certificate expires in 12 days',
      certificate: webhookCert.sha256,
      remediation: { kind: 'renew' },
    });

  /** The scenario with the webhook target, keeping only the findings `keep` selects. */
  const input = (
    keep: (f: Finding) => boolean = () => true,
    existing: ExistingState = EMPTY_STATE,
  ): SyncInput => {
    const findings = [...sc.report.findings, webhookExpiry()].filter(keep);
    return {
      report: report([...sc.report.targets, target('webhook', [webhookCert], 'findings', 30)], findings),
      inventory: { ...sc.inventory, targets: [...sc.inventory.targets, webhookTarget()] },
      existing,
      botLogin: 'certwarden-bot',
      minSeverity: 'warning',
      now: new Date(NOW),
      files: sc.files,
      repoRoot: sc.root,
      baseBranch: 'main',
    };
  };
  const creates = (i: SyncInput) => planSync(i).pulls.filter((p): p is Create => p.op === 'create-pr');
  const kind = (name: string): PullKind => {
    const k = pullKind(name);
    assert.ok(k, `kind ${name} is registered`);
    return k;
  };

  it('registers exactly the kinds pin, bundle and renew, each with the finding checks it takes', () => {
    assert.deepEqual(
      PULL_KINDS.map((k) => k.kind),
      ['pin', 'bundle', 'renew'],
    );
    assert.deepEqual(kind('pin').checks, ['pin.drift']);
    assert.deepEqual(kind('bundle').checks, ['bundle.missing', 'bundle.expired']);
    assert.deepEqual(kind('renew').checks, ['expiry']);
    assert.equal(pullKind('rotate'), undefined);
  });

  it('plans one PR per kind from a report holding findings of each kind, in registry order', () => {
    const prs = creates(input());
    assert.deepEqual(
      prs.map((p) => [p.kind, p.target, p.branch]),
      [
        ['pin', 'api-1', 'certwarden/pin/api-1'],
        ['bundle', 'mes-bundle', 'certwarden/bundle/mes-bundle'],
        ['renew', 'webhook', 'certwarden/renew/webhook'],
      ],
    );
    const pin = prs[0]!;
    assert.deepEqual(
      pin.files.map((f) => f.path),
      ['inventory/prod.yaml'],
    );
    assert.match(pin.files[0]!.content, new RegExp(`sha256: "?${sc.certs.api.sha256}`));
    const bundle = prs[1]!;
    assert.deepEqual(
      bundle.files.map((f) => f.path),
      ['manifests/trust.yaml'],
    );
    assert.match(bundle.body, new RegExp(`adds anchor issuing \\(SHA-256 ${sc.anchors.issuing.sha256}\\)`));
    const renew = prs[2]!;
    assert.deepEqual(
      renew.files.map((f) => f.path),
      ['renewals/webhook.yaml'],
    );
    const req = parseRenewalRequest(renew.files[0]!.content, 'renewals/webhook.yaml');
    assert.equal(req.metadata.target, 'webhook');
    assert.deepEqual(req.spec.secret, { namespace: 'webhooks', name: 'webhook-tls' });
    assert.deepEqual([renew.reviewers, renew.teamReviewers], [['carol'], ['webhooks']]);
  });

  it("takes each PR's title, body, commit and files from its kind's module", () => {
    const i = input();
    const ctx: PullContext = { input: i, idx: indexInput(i), files: sc.files };
    const prs = creates(i);
    for (const k of PULL_KINDS) {
      const pr = prs.find((p) => p.kind === k.kind);
      assert.ok(pr, `a ${k.kind} PR is planned`);
      const planned = k
        .groups(i)
        .map((g) => k.plan(g, ctx))
        .find((p) => p?.op === 'propose' && p.target === pr.target);
      assert.ok(planned?.op === 'propose', `${k.kind} proposes the PR for ${pr.target}`);
      assert.equal(pr.title, k.title(pr.target));
      assert.equal(pr.commitMessage, planned.commitMessage);
      assert.deepEqual(pr.files, planned.files);
      assert.ok(pr.body.startsWith(planned.body), `${k.kind}: the PR body is the kind's body`);
      assert.equal(
        pr.body.slice(planned.body.length).trim(),
        prMarker({ kind: k.kind, target: pr.target, key: pr.key, head: null, closedBy: null }),
      );
    }
    // The files sync reads from the base branch are the files the kinds' groups edit.
    const fromKinds = PULL_KINDS.flatMap((k) => k.groups(i).map((g) => k.file(g, i)));
    assert.deepEqual(filesNeeded(i), [...new Set(fromKinds)].sort());
    assert.deepEqual(filesNeeded(i), [
      'inventory/prod.yaml',
      'manifests/trust.yaml',
      'renewals/webhook.yaml',
    ]);
  });

  it("plans a kind's PR only from the findings that kind takes", () => {
    const only = (checks: readonly string[]) => creates(input((f) => checks.includes(f.check)));
    for (const k of PULL_KINDS)
      assert.deepEqual(
        only(k.checks).map((p) => p.kind),
        [k.kind],
        `findings ${k.checks.join(', ')} give a ${k.kind} PR and nothing else`,
      );
    assert.deepEqual(creates(input(() => false)), []);
  });

  it("adds the kind's own words to the dry-run line: a renewal PR names the request file it adds", () => {
    const lines = describePlan(planSync(input())).filter((l) => l.startsWith('open PR'));
    assert.deepEqual(lines, [
      'open PR "certwarden: update the pin of api-1" on certwarden/pin/api-1',
      'open PR "certwarden: update trust bundle mes-bundle" on certwarden/bundle/mes-bundle',
      'open PR "certwarden: renew the certificate of webhook" on certwarden/renew/webhook adding renewals/webhook.yaml',
    ]);
  });

  it('names a skipped PR by its kind: "pin PR", "bundle PR", "renewal PR"', () => {
    const plan = planSync({ ...input(), files: {} });
    const skipped = plan.skipped.map((s) => s.what);
    assert.ok(skipped.includes('pin PR for api-1'), skipped.join('; '));
    assert.ok(skipped.includes('bundle PR for mes-bundle'), skipped.join('; '));
    const noSigner = input();
    const t = noSigner.inventory!.targets.find((x) => x.id === 'webhook')!;
    t.renewal = { ...t.renewal!, signerName: undefined };
    assert.deepEqual(
      planSync(noSigner).skipped.filter((s) => s.what.startsWith('renewal')),
      [{ what: 'renewal PR for webhook', reason: 'renewal.signerName is not set in the inventory' }],
    );
  });

  it('closes an open PR whose change is gone only when its kind can tell from this run', () => {
    const open = (k: string, t: string, number: number): ExistingPull => ({
      number,
      title: 't',
      body: `x\n${prMarker({ kind: k, target: t, key: 'k', head: 'h', closedBy: null })}\n`,
      state: 'open',
      merged: false,
      branch: `certwarden/${k}/${t}`,
      headSha: 'h',
      labels: [],
      marker: { kind: k, target: t, key: 'k', head: 'h', closedBy: null },
    });
    const existing = {
      ...EMPTY_STATE,
      pulls: [
        open('pin', 'web-1', 1),
        open('pin', 'gone', 2),
        open('bundle', 'old', 3),
        open('renew', 'old', 4),
      ],
    };
    const closed = (i: SyncInput) =>
      planSync(i)
        .pulls.filter((p) => p.op === 'close-pr')
        .map((p) => p.number);
    // pin: known for scanned targets only; bundle and renew: known whenever the inventory was loaded.
    assert.deepEqual(closed(input(() => true, existing)), [1, 3, 4]);
    assert.deepEqual(closed({ ...input(() => true, existing), inventory: undefined }), [1]);
  });
});
