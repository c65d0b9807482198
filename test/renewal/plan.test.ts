// Renewal planning as plain data: which expiring targets get a renewal PR, what the request file asks
// for, and the runbooks added to the issues of certificates renewed outside certwarden.
import assert from 'node:assert/strict';
import { makeFinding } from '../../src/core/findings.js';
import { prMarker } from '../../src/github/markers.js';
import { describePlan, filesNeeded, planSync, type SyncInput } from '../../src/github/plan.js';
import { EMPTY_STATE, type ExistingPull, type PullAction } from '../../src/github/types.js';
import type { LoadedInventory, Target } from '../../src/inventory/types.js';
import type { Finding, ReportCertificate } from '../../src/core/model.js';
import { keySpecFor, renewalPath } from '../../src/renewal/plan.js';
import { parseRenewalRequest, renderRenewalRequest } from '../../src/renewal/request.js';
import { cert, HOSTILE_CN, NOW, report, sha, target } from '../github/scenario.js';

const INV = '/repo/inventory/k8s.yaml';

function invTarget(id: string, extra: Partial<Target> = {}): Target {
  return {
    id,
    inventory: 'k8s',
    location: { file: INV, line: 5, column: 5 },
    source: {
      kind: 'kubernetes',
      kubernetes: { cluster: 'avilla', kind: 'Secret', namespace: 'webhooks', name: id },
    },
    policies: ['baseline'],
    owners: ['@acme/platform', '@alice'],
    zone: null,
    labels: {},
    ...extra,
  };
}

function inventory(targets: Target[]): LoadedInventory {
  return {
    inventories: [
      { name: 'k8s', file: INV, owners: [], defaults: { policies: ['baseline'], zone: null, owners: [] } },
    ],
    anchors: new Map(),
    bundles: [],
    clusters: new Map(),
    targets,
  };
}

const CSR_RENEWAL = {
  method: 'kubernetes-csr' as const,
  signerName: 'example.com/webhook-serving',
  usages: ['digital signature', 'key encipherment', 'server auth'],
  expirationSeconds: 7_776_000,
  secret: { namespace: 'webhooks', name: 'webhook-tls' },
};

function expiry(t: string, c: ReportCertificate, severity: Finding['severity'] = 'warning'): Finding {
  return makeFinding({
    target: t,
    check: 'expiry',
    rule: 'expiry',
    severity,
    message: `certificate expires in ${c.daysRemaining} days`,
    certificate: c.sha256,
    remediation: { kind: 'renew' },
  });
}

const webhookCert = {
  ...cert(sha('e'), 'webhook.webhooks.svc', 12),
  dnsNames: ['webhook.webhooks.svc', 'webhook.webhooks.svc.cluster.local'],
  subject: {
    ...cert(sha('e'), 'x', 1).subject,
    dn: 'CN=webhook.webhooks.svc,O=acme',
    CN: 'webhook.webhooks.svc',
    O: ['acme'],
  },
};

function input(over: Partial<SyncInput> = {}, findings = [expiry('webhook', webhookCert)]): SyncInput {
  return {
    report: report([target('webhook', [webhookCert], 'findings')], findings),
    inventory: inventory([invTarget('webhook', { renewal: CSR_RENEWAL })]),
    existing: EMPTY_STATE,
    botLogin: 'certwarden-bot',
    minSeverity: 'warning',
    now: new Date(NOW),
    files: {},
    repoRoot: '/repo',
    baseBranch: 'main',
    ...over,
  };
}

type Create = Extract<PullAction, { op: 'create-pr' }>;
const renewPrs = (i: SyncInput) =>
  planSync(i).pulls.filter((p) => p.op !== 'close-pr' && p.kind === 'renew') as Create[];

function pull(over: Partial<ExistingPull> & { key: string; head?: string | null }): ExistingPull {
  const { key, head = 'c0ffee', ...rest } = over;
  return {
    number: 7,
    title: 'certwarden: renew the certificate of webhook',
    body: `x\n${prMarker({ kind: 'renew', target: 'webhook', key, head, closedBy: null })}`,
    state: 'open',
    merged: false,
    branch: 'certwarden/renew/webhook',
    headSha: head,
    labels: ['certwarden', 'certwarden:pr'],
    marker: { kind: 'renew', target: 'webhook', key, head, closedBy: null },
    ...rest,
  };
}

describe('planning renewals', () => {
  it('opens a renewal PR on certwarden/renew/<target> adding renewals/<target>.yaml for a kubernetes-csr target inside its renewal window', () => {
    const prs = renewPrs(input());
    assert.equal(prs.length, 1);
    const pr = prs[0]!;
    assert.equal(pr.op, 'create-pr');
    assert.equal(pr.branch, 'certwarden/renew/webhook');
    assert.deepEqual(
      pr.files.map((f) => f.path),
      ['renewals/webhook.yaml'],
    );
    assert.deepEqual(pr.reviewers, ['alice']);
    assert.deepEqual(pr.teamReviewers, ['platform']);
    const req = parseRenewalRequest(pr.files[0]!.content, 'renewals/webhook.yaml');
    assert.equal(req.metadata.target, 'webhook');
    assert.equal(req.metadata.createdAt, NOW);
    assert.equal(req.status, undefined);
    assert.deepEqual(req.spec.subject, { CN: 'webhook.webhooks.svc', O: ['acme'] });
    assert.deepEqual(req.spec.dnsNames, ['webhook.webhooks.svc', 'webhook.webhooks.svc.cluster.local']);
    assert.deepEqual(req.spec.key, { type: 'EC', curve: 'P-256' });
    assert.equal(req.spec.signerName, 'example.com/webhook-serving');
    assert.deepEqual(req.spec.usages, CSR_RENEWAL.usages);
    assert.equal(req.spec.expirationSeconds, 7_776_000);
    assert.equal(req.spec.cluster, 'avilla');
    assert.deepEqual(req.spec.secret, { namespace: 'webhooks', name: 'webhook-tls' });
    assert.equal(req.spec.replaces, webhookCert.sha256);
    assert.doesNotMatch(pr.files[0]!.content, /PRIVATE KEY|tls\.key:/);
  });

  it('shows the current certificate, what will be requested and what happens on merge in the PR body', () => {
    const body = renewPrs(input())[0]!.body;
    assert.match(body, /Current certificate/);
    assert.ok(body.includes(webhookCert.sha256));
    assert.match(body, /What will be requested/);
    assert.match(body, /example\.com\/webhook-serving/);
    assert.match(body, /EC P-256/);
    assert.match(body, /webhooks\/webhook-tls/);
    assert.match(body, /What happens on merge/);
    assert.match(body, /certwarden renew/);
    assert.match(body, /<!-- certwarden:pr kind=renew target=webhook key=[0-9a-f]{16} head=- -->/);
  });

  it('lists the renewal PR and its file in the dry-run description', () => {
    const lines = describePlan(planSync(input()));
    assert.ok(
      lines.includes(
        'open PR "certwarden: renew the certificate of webhook" on certwarden/renew/webhook adding renewals/webhook.yaml',
      ),
      lines.join('\n'),
    );
  });

  it('proposes nothing for a target outside its renewal window or without a renewal block', () => {
    assert.equal(renewPrs(input({}, [])).length, 0);
    const info = { ...expiry('webhook', webhookCert), severity: 'info' as const };
    assert.equal(renewPrs(input({}, [info])).length, 0);
    const noRenewal = input({ inventory: inventory([invTarget('webhook')]) });
    assert.equal(renewPrs(noRenewal).length, 0);
    const waived = {
      ...expiry('webhook', webhookCert),
      waived: { reason: 'r', owner: '@o', expires: '2027-01-01' },
    };
    assert.equal(renewPrs(input({}, [waived])).length, 0);
  });

  it('asks for the Secret of the target itself when renewal.secret is not given, in the cluster of the source', () => {
    const { secret: _s, ...noSecret } = CSR_RENEWAL;
    const req = parseRenewalRequest(
      renewPrs(input({ inventory: inventory([invTarget('webhook', { renewal: noSecret })]) }))[0]!.files[0]!
        .content,
      'f',
    );
    assert.deepEqual(req.spec.secret, { namespace: 'webhooks', name: 'webhook' });
    assert.equal(req.spec.cluster, 'avilla');
  });

  it('says why no PR is proposed when the inventory lacks the signer name', () => {
    const { signerName: _s, ...noSigner } = CSR_RENEWAL;
    const plan = planSync(input({ inventory: inventory([invTarget('webhook', { renewal: noSigner })]) }));
    assert.equal(plan.pulls.length, 0);
    assert.ok(plan.skipped.some((s) => s.what === 'renewal PR for webhook' && /signerName/.test(s.reason)));
  });

  it('does not touch an open renewal PR that already carries the same request (a rerun writes nothing)', () => {
    const first = renewPrs(input())[0]!;
    const body = first.body.replace(/head=-/, 'head=c0ffee');
    const plan = planSync(input({ existing: { ...EMPTY_STATE, pulls: [pull({ key: first.key, body })] } }));
    assert.equal(plan.pulls.length, 0);
  });

  it('pushes a new request to the open PR when the certificate to replace changed', () => {
    const plan = planSync(
      input({ existing: { ...EMPTY_STATE, pulls: [pull({ key: 'feedfacefeedface' })] } }),
    );
    const upd = plan.pulls[0]!;
    assert.equal(upd.op, 'update-pr');
    assert.ok(upd.op === 'update-pr' && upd.pushCommit && upd.number === 7);
  });

  it('does not propose a request again that a human closed unmerged', () => {
    const key = renewPrs(input())[0]!.key;
    const plan = planSync(
      input({
        existing: { ...EMPTY_STATE, pulls: [pull({ key, state: 'closed', branch: null, headSha: null })] },
      }),
    );
    assert.equal(plan.pulls.length, 0);
    assert.ok(plan.skipped.some((s) => /closed unmerged in #7/.test(s.reason)));
  });

  it('leaves a renewal branch alone once a human pushed to it', () => {
    const plan = planSync(
      input({ existing: { ...EMPTY_STATE, pulls: [pull({ key: 'other', headSha: 'abcdef' })] } }),
    );
    assert.equal(plan.pulls.length, 0);
    assert.ok(plan.skipped.some((s) => /not made by certwarden/.test(s.reason)));
  });

  it('reads the request file on the base branch, and does not propose again a merged request that waits for renew', () => {
    assert.deepEqual(filesNeeded(input()), ['renewals/webhook.yaml']);
    const merged = renewPrs(input())[0]!.files[0]!.content;
    const plan = planSync(input({ files: { [renewalPath('webhook')]: merged } }));
    assert.equal(plan.pulls.length, 0);
    assert.ok(plan.skipped.some((s) => /waits for 'certwarden renew'/.test(s.reason)));
  });

  it('retries a failed request under a new id, saying why in the body', () => {
    const first = parseRenewalRequest(renewPrs(input())[0]!.files[0]!.content, 'f');
    const failed = renderRenewalRequest({
      ...first,
      status: { state: 'failed', message: 'CSR denied by policy' },
    });
    const pr = renewPrs(input({ files: { [renewalPath('webhook')]: failed } }))[0]!;
    const retry = parseRenewalRequest(pr.files[0]!.content, 'f');
    assert.notEqual(retry.metadata.id, first.metadata.id);
    assert.equal(retry.status, undefined);
    assert.match(pr.body, /failed: CSR denied by policy; this one retries it/);
  });

  it('escapes a hostile subject in the renewal PR body so it cannot forge a marker or mention anyone', () => {
    const hostile = {
      ...webhookCert,
      subject: { ...webhookCert.subject, CN: HOSTILE_CN, dn: `CN=${HOSTILE_CN}` },
    };
    const i = input({
      report: report([target('webhook', [hostile], 'findings')], [expiry('webhook', hostile)]),
    });
    const body = renewPrs(i)[0]!.body;
    assert.equal(body.match(/<!-- certwarden:/g)?.length, 1, 'only our own PR marker');
    assert.doesNotMatch(body, /@everyone/);
    assert.doesNotMatch(body, /::error::/);
  });
});

describe('choosing the key of a renewal', () => {
  const rsa1024 = { ...cert(sha('1'), 'a', 5), keyType: 'RSA' as const, keyBits: 1024, curve: null };
  const p384 = { ...cert(sha('2'), 'b', 5), curve: 'secp384r1' };
  it('keeps the current type and never goes below RSA 2048', () => {
    assert.deepEqual(keySpecFor(rsa1024, null), { type: 'RSA', bits: 2048 });
    assert.deepEqual(keySpecFor({ ...rsa1024, keyBits: 4096 }, null), { type: 'RSA', bits: 4096 });
  });
  it("raises the RSA size to the policy's minimum", () => {
    assert.deepEqual(keySpecFor(rsa1024, [{ type: 'RSA', minBits: 3072 }]), { type: 'RSA', bits: 3072 });
  });
  it('keeps an allowed curve and moves to P-256 when the policy does not allow the current one', () => {
    assert.deepEqual(keySpecFor(p384, null), { type: 'EC', curve: 'P-384' });
    assert.deepEqual(keySpecFor(p384, [{ type: 'EC', curves: ['P-256', 'P-384'] }]), {
      type: 'EC',
      curve: 'P-384',
    });
    assert.deepEqual(keySpecFor(p384, [{ type: 'EC', curves: ['prime256v1'] }]), {
      type: 'EC',
      curve: 'P-256',
    });
  });
  it("takes the policy's first allowed type when the current type is not allowed, and EC P-256 without anything to go on", () => {
    assert.deepEqual(keySpecFor(p384, [{ type: 'RSA', minBits: 2048 }]), { type: 'RSA', bits: 2048 });
    assert.deepEqual(keySpecFor(undefined, null), { type: 'EC', curve: 'P-256' });
  });
});

describe('runbooks for certificates renewed outside certwarden', () => {
  function kubeadmInput(expiring: string[]) {
    const files = ['pki/apiserver.crt', 'pki/front-proxy-client.crt', 'admin.conf', 'kubelet.conf'];
    const targets = files.map((f) =>
      invTarget(`cp1/${f}`, {
        source: { kind: 'file', file: { path: `/etc/kubernetes/${f}` } },
        expandedFrom: 'cp1',
        renewal: {
          method: 'kubeadm',
          runbook: 'kubeadm certs renew all (then restart the control-plane static pods)',
        },
      }),
    );
    const certs = files.map((f, i) => cert(sha(String(i + 3)), f, expiring.includes(f) ? 5 : 200));
    const findings = files
      .filter((f) => expiring.includes(f))
      .map((f) => expiry(`cp1/${f}`, certs[files.indexOf(f)]!));
    return input({
      report: report(
        files.map((f, i) => target(`cp1/${f}`, [certs[i]!], 'findings')),
        findings,
      ),
      inventory: inventory(targets),
    });
  }

  it('gives the kubeadm certs renew commands for exactly the expiring files of the node, and the restart steps', () => {
    const plan = planSync(kubeadmInput(['pki/apiserver.crt', 'admin.conf', 'kubelet.conf']));
    const bodies = plan.issues
      .filter((a) => a.op === 'create-issue')
      .map((a) => (a.op === 'create-issue' ? a.body : ''));
    assert.equal(bodies.length, 3);
    for (const body of bodies) {
      assert.match(body, /sudo kubeadm certs renew admin\.conf\nsudo kubeadm certs renew apiserver\n```/);
      assert.doesNotMatch(body, /front-proxy-client/);
      assert.doesNotMatch(body, /certs renew kubelet/);
      assert.match(body, /kubelet\.conf: the kubelet rotates its client certificate itself/);
      assert.match(body, /manifests\.off/);
      assert.match(body, /kubeadm certs check-expiration/);
    }
    assert.equal(plan.pulls.length, 0);
  });

  it("adds the inventory's runbook to the issue of a manually renewed certificate, escaped", () => {
    const i = input({
      inventory: inventory([
        invTarget('webhook', {
          renewal: { method: 'manual', runbook: 'Ask IT <b>@pki-team</b> (ticket queue PKI)' },
        }),
      ]),
    });
    const body = planSync(i).issues.find((a) => a.op === 'create-issue')!;
    assert.ok(body.op === 'create-issue');
    assert.match(
      body.body,
      /### How to renew\n\nFollow the inventory's runbook: Ask IT &lt;b&gt;@\u200bpki-team/,
    );
    assert.equal(planSync(i).pulls.length, 0);
  });

  it('tells what to check for a cert-manager certificate that was not renewed in time', () => {
    const i = input({
      inventory: inventory([invTarget('webhook', { renewal: { method: 'cert-manager' } })]),
    });
    const a = planSync(i).issues.find((x) => x.op === 'create-issue')!;
    assert.ok(a.op === 'create-issue');
    assert.match(a.body, /not Ready or past its renewalTime/);
    assert.match(a.body, /kubectl -n webhooks describe certificate webhook/);
    assert.match(a.body, /cmctl renew -n webhooks webhook/);
  });

  it('adds nothing to issues of targets without a renewal block', () => {
    const a = planSync(input({ inventory: inventory([invTarget('webhook')]) })).issues.find(
      (x) => x.op === 'create-issue',
    )!;
    assert.ok(a.op === 'create-issue');
    assert.doesNotMatch(a.body, /How to renew/);
  });
});
