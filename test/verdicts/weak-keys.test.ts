// A weak key is a policy matter, not a chain fault: a leaf with a 1024-bit RSA key (or a SHA-1
// signature) chaining to its anchor is trusted; the policy's `key` (`signature`) finding says what
// is wrong, and waiving it leaves nothing behind. The strict profile (x509-limbo, rustls-webpki's
// rules) still refuses both.
import assert from 'node:assert/strict';
import { runScan } from '../../src/pipeline.js';
import { verifyChain } from '../../src/x509/verify/verify.js';
import { readCertificates } from '../../src/x509/read.js';
import { Pki } from '../support/pki.js';
import { TempDir } from '../support/fs.js';

const NOW = new Date();

describe('weak keys and signatures are judged by policy only', function () {
  this.timeout(120_000);
  let tmp: TempDir;
  let pems: Record<string, string>;

  before(async () => {
    const pki = new Pki();
    const root = await pki.ca({ cn: 'MES Root' }); // P-256: ECDSA signs with the hash asked for
    const weak = await pki.leaf({
      cn: 'mes-legacy.example',
      dns: ['mes-legacy.example'],
      key: 'rsa1024',
      issuer: root,
    });
    const sha1 = await pki.leaf({
      cn: 'mes-sha1.example',
      dns: ['mes-sha1.example'],
      issuer: root,
      hash: 'SHA-1',
    });
    pems = { root: root.pem, weak: weak.pem, sha1: sha1.pem };
    tmp = new TempDir();
    tmp.write('inventory/anchors/root.pem', root.pem);
    tmp.write('inventory/certs/weak.pem', weak.pem);
    tmp.write('inventory/certs/sha1.pem', sha1.pem);
    tmp.write('inventory/mes.yaml', {
      apiVersion: 'certwarden/v1',
      kind: 'Inventory',
      metadata: { name: 'mes' },
      anchors: [{ id: 'mes-root', file: 'anchors/root.pem' }],
      targets: [
        { id: 'mes-legacy', file: { path: 'certs/weak.pem' }, expect: { chainTo: 'mes-root' } },
        { id: 'mes-sha1', file: { path: 'certs/sha1.pem' }, expect: { chainTo: 'mes-root' } },
      ],
    });
  });
  after(() => tmp.cleanup());

  const scan = (policyDirs: string[] = []) =>
    runScan({ inventoryDirs: [tmp.path('inventory')], policyDirs, env: {}, now: NOW, failOn: 'never' });

  it('a 1024-bit RSA leaf is trusted, with one key finding; a SHA-1 leaf is trusted, with one signature finding', async () => {
    const { report } = await scan();
    const got = report.findings.map((f) => `${f.target} ${f.check} ${f.rule}`).sort();
    assert.deepEqual(
      got,
      ['mes-legacy key strong-keys', 'mes-sha1 signature no-weak-signatures'],
      JSON.stringify(report.findings, null, 1),
    );
    for (const id of ['mes-legacy', 'mes-sha1']) {
      const t = report.targets.find((x) => x.id === id)!;
      assert.equal(t.chain?.trusted, true, `${id}: ${JSON.stringify(t.chain?.problems)}`);
      assert.equal(t.chain?.anchor, 'mes-root');
    }
    assert.match(report.findings.find((f) => f.target === 'mes-legacy')!.message, /RSA 1024/);
  });

  it('waiving the legacy key leaves the target clean, chain trust intact', async () => {
    tmp.write('policies/waivers.yaml', {
      apiVersion: 'certwarden/v1',
      kind: 'Policy',
      metadata: { name: 'mes-waivers' },
      waivers: [
        {
          rule: 'strong-keys',
          target: 'mes-legacy',
          reason: 'MES server cannot be upgraded this quarter',
          owner: '@acme/mes',
          expires: '2099-12-31',
        },
      ],
    });
    const { report } = await scan([tmp.path('policies')]);
    const open = report.findings.filter((f) => f.target === 'mes-legacy' && !f.waived);
    assert.deepEqual(open, []);
    assert.equal(report.targets.find((x) => x.id === 'mes-legacy')?.status, 'ok');
  });

  it('the strict profile still refuses the 1024-bit key and the SHA-1 signature', () => {
    const rec = (pem: string) =>
      readCertificates(Buffer.from(pem), { file: 'x.pem' }).certificates[0]!.record;
    const anchors = [{ id: 'mes-root', record: rec(pems.root!) }];
    const weak = verifyChain(rec(pems.weak!), [], anchors, { now: NOW, profile: 'strict' });
    assert.equal(weak.trusted, false);
    assert.match(weak.problems.map((p) => p.message).join(' | '), /1024-bit RSA key/);
    const sha1 = verifyChain(rec(pems.sha1!), [], anchors, { now: NOW, profile: 'strict' });
    assert.equal(sha1.trusted, false);
    assert.match(sha1.problems.map((p) => p.message).join(' | '), /SHA1/);
    // ...and the compatible profile, the scan's, accepts both.
    assert.equal(verifyChain(rec(pems.weak!), [], anchors, { now: NOW }).trusted, true);
    assert.equal(verifyChain(rec(pems.sha1!), [], anchors, { now: NOW }).trusted, true);
  });
});
