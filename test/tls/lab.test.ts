import { strict as assert } from 'node:assert';
import { readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { startLab, type Lab } from '../../src/demo/lab.js';
import { probeEndpoint } from '../../src/sources/endpoint/probe.js';

const DAY = 86_400_000;

describe('demo lab', () => {
  let lab: Lab;
  const now = new Date();
  before(async () => {
    lab = await startLab({ now });
  });
  after(async () => {
    await lab?.stop();
    if (lab) await rm(lab.dir, { recursive: true, force: true });
  });

  const ep = (fault: string) => lab.endpoints.find((e) => e.fault === fault)!;
  const probe = (fault: string) => {
    const e = ep(fault);
    return probeEndpoint({ host: e.host, port: e.port, serverName: e.serverName }, { timeoutMs: 1000 });
  };
  const x509 = (b: Buffer) => new X509Certificate(b);

  it('listens on 127.0.0.1 only, on ports chosen by the OS, one endpoint per fault', () => {
    assert.deepEqual(lab.endpoints.map((e) => e.fault).sort(), [
      'expired',
      'expiring-soon',
      'healthy',
      'missing-intermediate',
      'tarpit',
      'untrusted-root',
      'wrong-name',
    ]);
    for (const e of lab.endpoints) {
      assert.equal(e.host, '127.0.0.1');
      assert.ok(e.port > 0);
    }
    assert.equal(new Set(lab.endpoints.map((e) => e.port)).size, lab.endpoints.length);
  });

  it('serves a healthy leaf plus the issuing CA, which chain to the lab root', async () => {
    const r = await probe('healthy');
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.equal(r.chain.length, 2);
    const [leaf, issuing] = r.chain.map(x509);
    const root = new X509Certificate(lab.anchors.root);
    assert.ok(leaf!.verify(issuing!.publicKey));
    assert.ok(issuing!.verify(root.publicKey));
    assert.equal(leaf!.checkHost('healthy.demo.test'), 'healthy.demo.test');
    assert.equal(
      r.chain[0]!.toString('hex').length > 0 && ep('healthy').leafSha256,
      new X509Certificate(r.chain[0]!).fingerprint256.replace(/:/g, '').toLowerCase(),
    );
  });

  it('serves an expired certificate and one that expires in five days', async () => {
    const expired = x509((await probe('expired')).chain[0]!);
    assert.ok(Date.parse(expired.validTo) < now.getTime());
    const soon = x509((await probe('expiring-soon')).chain[0]!);
    const days = (Date.parse(soon.validTo) - now.getTime()) / DAY;
    assert.ok(days > 5 && days < 6, `expires in ${days} days`);
  });

  it('serves a leaf without its intermediate, a certificate for another name, and a chain to a foreign root', async () => {
    assert.equal((await probe('missing-intermediate')).chain.length, 1);
    const wrong = x509((await probe('wrong-name')).chain[0]!);
    assert.equal(wrong.checkHost(ep('wrong-name').serverName), undefined);
    const rogue = (await probe('untrusted-root')).chain.map(x509);
    const root = new X509Certificate(lab.anchors.root);
    assert.ok(!rogue[1]!.verify(root.publicKey));
    assert.match(rogue[1]!.issuer, /Rogue Root CA/);
  });

  it('has a tarpit that accepts and never answers', async () => {
    const r = await probe('tarpit');
    assert.equal(r.error?.reason, 'timeout');
  });

  it('writes an inventory naming every endpoint, the anchors, and a bundle that lacks the issuing CA', async () => {
    const yaml = await readFile(path.join(lab.inventoryDir, 'demo.yaml'), 'utf8');
    for (const e of lab.endpoints)
      assert.ok(yaml.includes(`id: ${e.id}`) && yaml.includes(`port: ${e.port}`), e.id);
    assert.ok(existsSync(path.join(lab.inventoryDir, 'anchors', 'demo-root.pem')));
    assert.ok(existsSync(path.join(lab.inventoryDir, 'anchors', 'demo-issuing.pem')));
    const bundle = await readFile(lab.bundleFile, 'utf8');
    assert.equal(bundle, lab.anchors.root);
    assert.ok(!bundle.includes(lab.anchors.intermediate.split('\n')[1]!));
    assert.doesNotMatch(yaml + bundle, /PRIVATE KEY/);
  });

  it('closes every endpoint on stop()', async () => {
    const other = await startLab({ now });
    await other.stop();
    await rm(other.dir, { recursive: true, force: true });
    const e = other.endpoints.find((x) => x.fault === 'healthy')!;
    const r = await probeEndpoint({ host: e.host, port: e.port }, { timeoutMs: 1000, retries: 0 });
    assert.equal(r.error?.reason, 'refused');
  });
});
