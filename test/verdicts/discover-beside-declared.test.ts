// One defect, one finding: a `discover` target over a cluster whose objects the inventory also
// declares (a CSR approved but never issued, a kubelet CSR whose certificate breaks its signer's
// rules, a webhook whose caBundle does not trust its declared serving Secret) reports each defect
// once, on the declared target; the discovered copies are not judged again. Only the object no
// target declares is `inventory.undeclared`. Discovery streams: a cluster of more Secrets than one
// page reaches the report whole, through scan and collect alike, and `discover` renders them all.
// Real parts: the Kubernetes test API server, certificates from the test PKI, the whole pipeline.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { parseDocument } from 'yaml';
import { KubeApiServer, tlsSecret } from '../support/kube-api-server.js';
import { Pki } from '../support/pki.js';
import { TempDir } from '../support/fs.js';
import { collect, load, runScan } from '../../src/pipeline.js';
import { discover } from '../../src/commands/discover.js';

const NOW = new Date('2026-12-01T12:00:00Z');
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('a discover target beside declared targets', function () {
  this.timeout(60_000);
  let server: KubeApiServer;
  let tmp: TempDir;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    // Certificates valid at NOW (the audit's clock), whatever the date the tests run on.
    server = await KubeApiServer.start({ pki: new Pki({ now: new Date(NOW.getTime() - 86_400_000) }) });
    tmp = new TempDir();
    const pki = server.pki;
    const kubeCA = await pki.ca({ cn: 'kubernetes' });
    const badKubelet = await pki.leaf({
      cn: 'node01',
      o: ['system:masters'],
      issuer: kubeCA,
      eku: ['clientAuth'],
    });
    const approved = { type: 'Approved', status: 'True', reason: 'AutoApproved' };
    server.add('CertificateSigningRequest', {
      metadata: { name: 'csr-bob', creationTimestamp: '2026-11-20T00:00:00Z' },
      spec: { signerName: 'example.com/bob-signer', usages: ['client auth'], username: 'bob' },
      status: { conditions: [{ ...approved, lastUpdateTime: '2026-11-20T00:00:05Z' }] },
    });
    server.add('CertificateSigningRequest', {
      metadata: { name: 'node-csr-node01', creationTimestamp: '2026-11-30T00:00:00Z' },
      spec: {
        signerName: 'kubernetes.io/kube-apiserver-client-kubelet',
        usages: ['digital signature', 'client auth'],
        username: 'system:node:node01',
      },
      status: {
        conditions: [{ ...approved, lastUpdateTime: '2026-11-30T00:00:01Z' }],
        certificate: b64(badKubelet.pem),
      },
    });
    const hookCA = await pki.ca({ cn: 'hook CA' });
    const otherCA = await pki.ca({ cn: 'other CA' });
    const hookLeaf = await pki.leaf({ cn: 'hook', dns: ['hook.webhooks.svc'], issuer: hookCA });
    server.add('Secret', tlsSecret('webhooks', 'hook-tls', hookLeaf.pem, hookLeaf.keyPem));
    server.add('ValidatingWebhookConfiguration', {
      metadata: { name: 'hooks' },
      webhooks: [
        {
          name: 'a.example',
          clientConfig: { service: { namespace: 'webhooks', name: 'hook' }, caBundle: b64(otherCA.pem) },
        },
      ],
    });
    const shop = await pki.leaf({ cn: 'shop.example', dns: ['shop.example'], issuer: hookCA });
    server.add('Secret', tlsSecret('shop', 'shop-tls', shop.pem, shop.keyPem));
    env = { ...process.env, KUBECONFIG_AVILLA: server.kubeconfig({ auth: 'token' }) };
    tmp.write('inventory/cluster.yaml', {
      apiVersion: 'certwarden/v1',
      kind: 'Inventory',
      metadata: { name: 'avilla' },
      defaults: { policies: [] },
      clusters: [{ name: 'avilla', kubeconfig: { env: 'KUBECONFIG_AVILLA' } }],
      targets: [
        {
          id: 'csr-bob',
          kubernetes: { cluster: 'avilla', kind: 'CertificateSigningRequest', name: 'csr-bob' },
        },
        {
          id: 'node-csr-node01',
          kubernetes: { cluster: 'avilla', kind: 'CertificateSigningRequest', name: 'node-csr-node01' },
        },
        {
          id: 'hooks',
          kubernetes: { cluster: 'avilla', kind: 'ValidatingWebhookConfiguration', name: 'hooks' },
        },
        {
          id: 'hook-tls',
          kubernetes: { cluster: 'avilla', kind: 'Secret', namespace: 'webhooks', name: 'hook-tls' },
        },
        { id: 'everything', discover: { cluster: 'avilla', namespaces: ['*'] } },
      ],
    });
  });
  after(async () => {
    await server.close();
    tmp.cleanup();
  });

  it('reports each defect once, on the declared target, and only the undeclared Secret as undeclared', async () => {
    const { report } = await runScan({
      inventoryDirs: [tmp.path('inventory')],
      policyDirs: [],
      env,
      now: NOW,
      failOn: 'never',
    });
    const got = report.findings.map((f) => `${f.check} ${f.target}`).sort();
    assert.deepEqual(
      got,
      [
        'chain.untrusted hooks',
        'csr.signer-rules node-csr-node01',
        'csr.unissued csr-bob',
        'inventory.undeclared everything/Secret/shop/shop-tls',
      ],
      JSON.stringify(report.findings, null, 2),
    );
    const hook = report.findings.find((f) => f.check === 'chain.untrusted')!;
    assert.match(
      hook.message,
      /caBundle of webhook a\.example does not trust the certificate served by hook-tls/,
    );
    assert.doesNotMatch(hook.message, /not valid (before|after)|expired/);
    // The discovered copies of declared objects are not in the report a second time either.
    const ids = report.targets.map((t) => t.id);
    assert.deepEqual(
      ids.filter((id) => id.startsWith('everything/')),
      ['everything/Secret/shop/shop-tls'],
    );
    // The undeclared object's finding points at the discover target's line in the inventory.
    const undeclared = report.findings.find((f) => f.check === 'inventory.undeclared')!;
    assert.equal(undeclared.location?.file, tmp.path('inventory/cluster.yaml'));
    assert.equal(
      undeclared.location?.line,
      report.targets.find((t) => t.id === 'everything/Secret/shop/shop-tls')?.inventory.line,
    );
  });

  describe('a cluster larger than one list page', () => {
    const N = 1234;
    before(() => {
      server.addGenerated('Secret', N, (i) => ({
        ...tlsSecret('bulk', `bulk-${String(i).padStart(4, '0')}`, '', ''),
        data: { 'ca.crt': b64(server.serverCA.pem) },
      }));
    });

    it('reaches scan and collect whole, each object once, delivered page by page', async () => {
      const opts = { inventoryDirs: [tmp.path('inventory')], policyDirs: [], env, now: NOW };
      const { report } = await runScan({ ...opts, failOn: 'never' });
      const bulk = report.targets.filter((t) => t.id.startsWith('everything/Secret/bulk/'));
      assert.equal(bulk.length, N);
      assert.equal(new Set(bulk.map((t) => t.id)).size, N);
      const undeclared = report.findings.filter(
        (f) => f.check === 'inventory.undeclared' && f.target.startsWith('everything/Secret/bulk/'),
      );
      assert.equal(undeclared.length, N);
      // collect (zones) gathers a target's several deliveries in order, losing none.
      const loaded = await load({ ...opts, targets: ['everything'] });
      const observations = await collect(loaded, opts);
      const names = observations.map((o) => o.target).filter((t) => t.startsWith('everything/Secret/bulk/'));
      assert.equal(names.length, N);
      assert.deepEqual(names, [...names].sort(), 'in the order the API listed them');
    });

    it('discover renders every undeclared object once, with unique ids and its comment', async () => {
      const spoolsBefore = readdirSync(tmpdir());
      const opts = {
        inventoryDirs: [tmp.path('inventory')],
        cluster: 'avilla',
        namespaces: ['bulk'],
        all: false,
        env,
        now: new Date(),
      };
      const r = await discover(opts);
      assert.equal(r.exitCode, 0);
      // Cluster-scoped kinds are listed whatever the namespaces: the two CSRs and the webhook
      // configuration, all three declared, so not shown.
      assert.equal(r.objects, N + 3);
      assert.equal(r.shown, N);
      assert.ok(r.yaml !== null && r.written === null);
      const doc = parseDocument(r.yaml);
      assert.deepEqual(doc.errors, []);
      const targets = doc.toJS().targets as { id: string; kubernetes: { name: string } }[];
      assert.equal(targets.length, N);
      assert.equal(new Set(targets.map((t) => t.id)).size, N);
      assert.equal(targets[N - 1]!.kubernetes.name, `bulk-${N - 1}`);
      // Every entry, in every rendering batch, carries its certificate comment.
      assert.equal((r.yaml.match(/trust store: CN=/g) ?? []).length, N);
      assert.match(r.yaml, /^# certwarden discover: 1234 certificate-bearing object\(s\) in cluster avilla/);

      // The same YAML when it goes to a file or to stdout: set aside in a spool, then placed after
      // the head (which counts the objects), byte for byte.
      const file = tmp.path('discovered.yaml');
      const toFile = await discover({ ...opts, output: file });
      assert.equal(toFile.yaml, null);
      assert.equal(toFile.written, file);
      assert.equal(readFileSync(file, 'utf8'), r.yaml);
      const pieces: string[] = [];
      const toStdout = await discover({ ...opts, write: (t) => pieces.push(t) });
      assert.equal(toStdout.yaml, null);
      assert.ok(pieces.length >= 2, 'the head, then the entries read back');
      assert.equal(pieces.join(''), r.yaml);
      assert.deepEqual(
        readdirSync(tmpdir()).filter((n) => n.startsWith('certwarden-spool-') && spoolsBefore.indexOf(n) < 0),
        [],
        'no spool left behind',
      );
    });
  });
});
