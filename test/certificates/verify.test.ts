import { strict as assert } from 'node:assert';
import { parseCertificate } from '../../src/x509/parse.js';
import { verifyChain, type TrustAnchor, type VerifyOptions } from '../../src/x509/verify/verify.js';
import { issuance, issuedBy } from '../../src/x509/verify/signature.js';
import type { CertRecord } from '../../src/core/model.js';
import { Pki, x509, type Issued } from '../support/pki.js';

const DAY = 86_400_000;
const rec = (i: Issued): CertRecord => parseCertificate(i.der, 'test');
const anchor = (id: string, i: Issued): TrustAnchor => ({ id, record: rec(i) });
const codes = (r: { problems: { code: string }[] }): string[] => r.problems.map((p) => p.code);

/** DER for a NameConstraints extension value with dNSName / iPAddress subtrees. */
function nameConstraints(opts: {
  permitDns?: string[];
  excludeDns?: string[];
  permitIp?: [string, string][];
}): x509.Extension {
  const tlv = (tag: number, body: Buffer): Buffer => {
    const len = body.length < 0x80 ? Buffer.from([body.length]) : Buffer.from([0x81, body.length]);
    return Buffer.concat([Buffer.from([tag]), len, body]);
  };
  const dns = (n: string): Buffer => tlv(0x30, tlv(0x82, Buffer.from(n, 'ascii')));
  const ip = ([a, m]: [string, string]): Buffer =>
    tlv(0x30, tlv(0x87, Buffer.from([...a.split('.'), ...m.split('.')].map(Number))));
  const parts: Buffer[] = [];
  const permitted = [...(opts.permitDns ?? []).map(dns), ...(opts.permitIp ?? []).map(ip)];
  if (permitted.length) parts.push(tlv(0xa0, Buffer.concat(permitted)));
  if (opts.excludeDns?.length) parts.push(tlv(0xa1, Buffer.concat(opts.excludeDns.map(dns))));
  return new x509.Extension('2.5.29.30', true, tlv(0x30, Buffer.concat(parts)));
}

describe('verifyChain: path building and validation', function () {
  this.timeout(60_000);
  const pki = new Pki();
  const now = pki.now;
  const server = (value: string): VerifyOptions => ({
    now,
    purpose: 'serverAuth',
    hostname: { kind: 'DNS', value },
  });
  let root: Issued;
  let issuing: Issued;
  let leaf: Issued;

  before(async () => {
    root = await pki.ca({ cn: 'Verify Root' });
    issuing = await pki.ca({ cn: 'Verify Issuing', issuer: root });
    leaf = await pki.leaf({
      cn: 'svc.example',
      dns: ['svc.example', '*.apps.example'],
      issuer: issuing,
      eku: ['serverAuth'],
    });
  });

  it('trusts a leaf whose intermediate chains to the anchor and returns the path leaf to anchor', () => {
    const r = verifyChain(rec(leaf), [rec(issuing)], [anchor('root', root)], server('svc.example'));
    assert.equal(r.trusted, true, JSON.stringify(r.problems));
    assert.equal(r.anchor, 'root');
    assert.deepEqual(r.path, [leaf.sha256, issuing.sha256, root.sha256]);
    assert.deepEqual(r.problems, []);
    assert.ok(r.tried >= 1);
  });

  it('builds the path from intermediates given in any order, ignoring unrelated extras', async () => {
    const mid = await pki.ca({ cn: 'Verify Mid', issuer: root });
    const low = await pki.ca({ cn: 'Verify Low', issuer: mid });
    const deepLeaf = await pki.leaf({ cn: 'deep.example', dns: ['deep.example'], issuer: low });
    const unrelated = await pki.ca({ cn: 'Unrelated CA' });
    const r = verifyChain(
      rec(deepLeaf),
      [rec(unrelated), rec(mid), rec(issuing), rec(low)],
      [anchor('root', root)],
      server('deep.example'),
    );
    assert.equal(r.trusted, true, JSON.stringify(r.problems));
    assert.deepEqual(r.path, [deepLeaf.sha256, low.sha256, mid.sha256, root.sha256]);
  });

  it('reports a missing intermediate as incomplete, naming the issuer it needed', () => {
    const r = verifyChain(rec(leaf), [], [anchor('root', root)], server('svc.example'));
    assert.equal(r.trusted, false);
    assert.deepEqual(codes(r), ['incomplete']);
    assert.match(r.problems[0]!.message, /Verify Issuing/);
    assert.equal(r.problems[0]!.certificate, leaf.sha256);
  });

  it('says untrusted when the chain ends at a self-signed root that is not an anchor', async () => {
    const otherRoot = await pki.ca({ cn: 'Other Root' });
    const r = verifyChain(
      rec(leaf),
      [rec(issuing), rec(root)],
      [anchor('other', otherRoot)],
      server('svc.example'),
    );
    assert.equal(r.trusted, false);
    assert.deepEqual(codes(r), ['untrusted']);
    assert.match(r.problems[0]!.message, /Verify Root.*not a trust anchor/);
  });

  it('follows a cross-signed certificate to whichever root is trusted', async () => {
    const oldRoot = await pki.ca({ cn: 'Old Root' });
    const newRoot = await pki.ca({ cn: 'New Root' });
    const cross = await pki.ca({ subject: 'CN=New Root', keys: newRoot.keys, issuer: oldRoot });
    const ica = await pki.ca({ cn: 'Cross Issuing', issuer: newRoot });
    const l = await pki.leaf({ cn: 'x.example', dns: ['x.example'], issuer: ica });
    const viaOld = verifyChain(rec(l), [rec(ica), rec(cross)], [anchor('old', oldRoot)], server('x.example'));
    assert.equal(viaOld.trusted, true, JSON.stringify(viaOld.problems));
    assert.deepEqual(viaOld.path, [l.sha256, ica.sha256, cross.sha256, oldRoot.sha256]);
    const viaNew = verifyChain(
      rec(l),
      [rec(ica), rec(cross)],
      [anchor('old', oldRoot), anchor('new', newRoot)],
      server('x.example'),
    );
    assert.equal(viaNew.anchor, 'new');
    assert.deepEqual(viaNew.path, [l.sha256, ica.sha256, newRoot.sha256]);
  });

  it('rejects an expired intermediate with expired-ca, and backtracks to a re-issued valid one', async () => {
    const caKeys = await pki.keyPair();
    const expired = await pki.ca({
      cn: 'Rollover CA',
      keys: caKeys,
      issuer: root,
      notBefore: new Date(now.getTime() - 400 * DAY),
      days: 30,
    });
    const l = await pki.leaf({ cn: 'r.example', dns: ['r.example'], issuer: expired });
    const only = verifyChain(rec(l), [rec(expired)], [anchor('root', root)], server('r.example'));
    assert.equal(only.trusted, false);
    assert.deepEqual(codes(only), ['expired-ca']);
    assert.equal(only.problems[0]!.certificate, expired.sha256);
    const renewed = await pki.ca({ cn: 'Rollover CA', keys: caKeys, issuer: root });
    const both = verifyChain(
      rec(l),
      [rec(expired), rec(renewed)],
      [anchor('root', root)],
      server('r.example'),
    );
    assert.equal(both.trusted, true, JSON.stringify(both.problems));
    assert.deepEqual(both.path, [l.sha256, renewed.sha256, root.sha256]);
    assert.equal(both.tried, 2);
  });

  it('reports an expired leaf as expired, not as a CA problem', async () => {
    const l = await pki.leaf({
      cn: 'old.example',
      dns: ['old.example'],
      issuer: issuing,
      notBefore: new Date(now.getTime() - 100 * DAY),
      days: 10,
    });
    const r = verifyChain(rec(l), [rec(issuing)], [anchor('root', root)], server('old.example'));
    assert.deepEqual(codes(r), ['expired']);
  });

  it('enforces pathLenConstraint on the intermediates below a CA', async () => {
    const capped = await pki.ca({ cn: 'Capped CA', issuer: root, pathLen: 0 });
    const sub = await pki.ca({ cn: 'Sub CA', issuer: capped });
    const l = await pki.leaf({ cn: 'p.example', dns: ['p.example'], issuer: sub });
    const r = verifyChain(rec(l), [rec(sub), rec(capped)], [anchor('root', root)], server('p.example'));
    assert.equal(r.trusted, false);
    assert.deepEqual(codes(r), ['path-length']);
    assert.equal(r.problems[0]!.certificate, capped.sha256);
    const direct = await pki.leaf({ cn: 'q.example', dns: ['q.example'], issuer: capped });
    assert.equal(
      verifyChain(rec(direct), [rec(capped)], [anchor('root', root)], server('q.example')).trusted,
      true,
    );
  });

  it('refuses a certificate whose signature was made by a different key under the same issuer name', async () => {
    const impostor = await pki.ca({ cn: 'Verify Issuing', issuer: root });
    const forged = await pki.leaf({ cn: 'svc.example', dns: ['svc.example'], issuer: impostor });
    const r = verifyChain(rec(forged), [rec(issuing)], [anchor('root', root)], server('svc.example'));
    assert.equal(r.trusted, false);
    assert.deepEqual(codes(r), ['signature']);
    assert.match(r.problems[0]!.message, /does not verify/);
  });

  it('tells apart issued, issued by someone else, forged under the same name and undecodable (issuance)', async () => {
    const impostor = await pki.ca({ cn: 'Verify Issuing', issuer: root });
    const good = rec(leaf);
    assert.equal(issuance(good, rec(issuing)), 'issued');
    assert.equal(issuedBy(good, rec(issuing)), true);
    assert.equal(issuance(rec(issuing), rec(root)), 'issued');
    assert.equal(issuance(good, rec(root)), 'other-issuer');
    assert.equal(issuance(good, rec(impostor)), 'bad-signature');
    assert.equal(issuedBy(good, rec(impostor)), false);
    const der = Buffer.from(good.der, 'base64').subarray(0, -10);
    assert.equal(issuance({ ...good, der: der.toString('base64') }, rec(issuing)), 'undecodable');
  });

  it('refuses an issuer that is not a CA', async () => {
    const notCa = await pki.leaf({ cn: 'Not A CA', issuer: root, keyUsage: ['digitalSignature'] });
    const l = await pki.leaf({ cn: 'n.example', dns: ['n.example'], issuer: notCa });
    const r = verifyChain(rec(l), [rec(notCa)], [anchor('root', root)], server('n.example'));
    assert.equal(r.trusted, false);
    assert.ok(codes(r).includes('basic-constraints'), JSON.stringify(r.problems));
  });

  it('applies DNS name constraints of a CA to the leaf below it', async () => {
    const constrained = await pki.ca({
      cn: 'Constrained CA',
      issuer: root,
      extensions: [nameConstraints({ permitDns: ['corp.example'], excludeDns: ['secret.corp.example'] })],
    });
    const inside = await pki.leaf({ cn: 'a.corp.example', dns: ['a.corp.example'], issuer: constrained });
    const outside = await pki.leaf({ cn: 'a.other.example', dns: ['a.other.example'], issuer: constrained });
    const excluded = await pki.leaf({
      cn: 'x.secret.corp.example',
      dns: ['x.secret.corp.example'],
      issuer: constrained,
    });
    const v = (l: Issued, h: string) =>
      verifyChain(rec(l), [rec(constrained)], [anchor('root', root)], server(h));
    assert.equal(v(inside, 'a.corp.example').trusted, true);
    const out = v(outside, 'a.other.example');
    assert.deepEqual(codes(out), ['name-constraints']);
    assert.match(out.problems[0]!.message, /a\.other\.example is outside the permitted subtrees/);
    const ex = v(excluded, 'x.secret.corp.example');
    assert.deepEqual(codes(ex), ['name-constraints']);
    assert.match(ex.problems[0]!.message, /excluded subtree/);
  });

  it('applies IP name constraints to IP subjectAltNames', async () => {
    const constrained = await pki.ca({
      cn: 'IP Constrained CA',
      issuer: root,
      extensions: [nameConstraints({ permitIp: [['10.0.0.0', '255.0.0.0']] })],
    });
    const ok = await pki.leaf({ cn: 'ip-ok', ips: ['10.1.2.3'], issuer: constrained });
    const bad = await pki.leaf({ cn: 'ip-bad', ips: ['192.168.1.1'], issuer: constrained });
    const ip = (value: string): VerifyOptions => ({
      now,
      purpose: 'serverAuth',
      hostname: { kind: 'IP', value },
    });
    assert.equal(
      verifyChain(rec(ok), [rec(constrained)], [anchor('root', root)], ip('10.1.2.3')).trusted,
      true,
    );
    assert.deepEqual(
      codes(verifyChain(rec(bad), [rec(constrained)], [anchor('root', root)], ip('192.168.1.1'))),
      ['name-constraints'],
    );
  });

  it('matches the hostname against subjectAltNames only, with single-label wildcards', () => {
    const v = (h: string) => verifyChain(rec(leaf), [rec(issuing)], [anchor('root', root)], server(h));
    assert.equal(v('SVC.example').trusted, true);
    assert.equal(v('web.apps.example').trusted, true);
    const deep = v('a.b.apps.example');
    assert.deepEqual(codes(deep), ['name-mismatch']);
    assert.match(deep.problems[0]!.message, /matches none of the subjectAltNames/);
    assert.deepEqual(codes(v('apps.example')), ['name-mismatch']);
  });

  it('requires the purpose in the leaf EKU and in any EKU a CA restricts itself to', async () => {
    const clientOnly = await pki.leaf({
      cn: 'c.example',
      dns: ['c.example'],
      issuer: issuing,
      eku: ['clientAuth'],
    });
    const r = verifyChain(rec(clientOnly), [rec(issuing)], [anchor('root', root)], server('c.example'));
    assert.deepEqual(codes(r), ['eku']);
    assert.equal(
      verifyChain(rec(clientOnly), [rec(issuing)], [anchor('root', root)], { now, purpose: 'clientAuth' })
        .trusted,
      true,
    );
    const clientCa = await pki.ca({ cn: 'Client CA', issuer: root, eku: ['clientAuth'] });
    const l = await pki.leaf({ cn: 's.example', dns: ['s.example'], issuer: clientCa });
    const viaCa = verifyChain(rec(l), [rec(clientCa)], [anchor('root', root)], server('s.example'));
    assert.deepEqual(codes(viaCa), ['eku']);
    assert.equal(viaCa.problems[0]!.certificate, clientCa.sha256);
  });

  it('accepts a pinned self-signed leaf that is itself the trust anchor', async () => {
    const self = await pki.leaf({ cn: 'pinned.example', dns: ['pinned.example'] });
    const r = verifyChain(rec(self), [], [anchor('pin', self)], server('pinned.example'));
    assert.equal(r.trusted, true, JSON.stringify(r.problems));
    assert.deepEqual(r.path, [self.sha256]);
  });

  it('stops at an intermediate that is itself the trust anchor', () => {
    const r = verifyChain(
      rec(leaf),
      [rec(issuing), rec(root)],
      [anchor('issuing', issuing)],
      server('svc.example'),
    );
    assert.equal(r.trusted, true);
    assert.equal(r.anchor, 'issuing');
    assert.deepEqual(r.path, [leaf.sha256, issuing.sha256]);
  });

  it('refuses paths with more intermediates than maxDepth allows', async () => {
    const mid = await pki.ca({ cn: 'Depth Mid', issuer: root });
    const low = await pki.ca({ cn: 'Depth Low', issuer: mid });
    const l = await pki.leaf({ cn: 'd.example', dns: ['d.example'], issuer: low });
    const r = verifyChain(rec(l), [rec(low), rec(mid)], [anchor('root', root)], {
      ...server('d.example'),
      maxDepth: 1,
    });
    assert.deepEqual(codes(r), ['depth']);
    assert.equal(
      verifyChain(rec(l), [rec(low), rec(mid)], [anchor('root', root)], {
        ...server('d.example'),
        maxDepth: 2,
      }).trusted,
      true,
    );
  });

  it('fails cleanly on two CAs that sign each other without reaching an anchor', async () => {
    const aKeys = await pki.keyPair();
    const bKeys = await pki.keyPair();
    const aSelf = await pki.ca({ cn: 'Loop A', keys: aKeys });
    const bSelf = await pki.ca({ cn: 'Loop B', keys: bKeys });
    const aByB = await pki.ca({ cn: 'Loop A', keys: aKeys, issuer: bSelf });
    const bByA = await pki.ca({ cn: 'Loop B', keys: bKeys, issuer: aSelf });
    const l = await pki.leaf({ cn: 'loop.example', dns: ['loop.example'], issuer: aSelf });
    const r = verifyChain(rec(l), [rec(aByB), rec(bByA)], [anchor('root', root)], server('loop.example'));
    assert.equal(r.trusted, false);
    assert.deepEqual(codes(r), ['untrusted']);
  });

  it('gives up within its work bound when many same-name candidates lead nowhere', async () => {
    // same subject, distinct keys: every CA is a name candidate for every other (Go's pathological chains)
    const cas: Issued[] = [await pki.ca({ cn: 'Crowded CA' })];
    for (let i = 0; i < 40; i++) cas.push(await pki.ca({ cn: 'Crowded CA', issuer: cas[cas.length - 1]! }));
    const l = await pki.leaf({ cn: 'crowd.example', dns: ['crowd.example'], issuer: cas[cas.length - 1]! });
    const r = verifyChain(rec(l), cas.map(rec), [anchor('root', root)], server('crowd.example'));
    assert.equal(r.trusted, false);
    assert.deepEqual(codes(r), ['untrusted']);
    assert.match(r.problems[0]!.message, /work bound/);
  });

  it('judges at most 64 complete candidate paths, then stops and says why', async () => {
    const keys = await pki.keyPair();
    const old = { notBefore: new Date(now.getTime() - 400 * DAY), days: 30 };
    const variants: Issued[] = [];
    for (let i = 0; i < 70; i++)
      variants.push(await pki.ca({ cn: 'Many Times CA', keys, issuer: root, ...old }));
    const l = await pki.leaf({ cn: 'many.example', dns: ['many.example'], issuer: variants[0]! });
    const r = verifyChain(rec(l), variants.map(rec), [anchor('root', root)], server('many.example'));
    assert.equal(r.trusted, false);
    assert.equal(r.tried, 64);
    assert.deepEqual(codes(r), ['expired-ca', 'untrusted']);
    assert.match(r.problems[1]!.message, /work bound/);
  });

  it('reports a loop of re-issued certificates of one CA as a loop', async () => {
    const keys = await pki.keyPair();
    const first = await pki.ca({ cn: 'Echo CA', keys });
    const again = await pki.ca({ cn: 'Echo CA', keys, issuer: first });
    const l = await pki.leaf({ cn: 'echo.example', dns: ['echo.example'], issuer: again });
    const r = verifyChain(rec(l), [rec(again), rec(first)], [anchor('root', root)], server('echo.example'));
    assert.deepEqual(codes(r), ['untrusted']);
    assert.match(r.problems[0]!.message, /loop/);
  });

  it('trusts a root with non-critical basicConstraints unless the strict profile is asked for', async () => {
    // like ePKI Root Certification Authority in real trust stores
    const loose = await pki.ca({
      cn: 'Loose Root',
      basicConstraints: false,
      extensions: [new x509.BasicConstraintsExtension(true, undefined, false)],
    });
    const l = await pki.leaf({ cn: 'loose.example', dns: ['loose.example'], issuer: loose });
    assert.equal(verifyChain(rec(l), [], [anchor('loose', loose)], server('loose.example')).trusted, true);
    const strict = verifyChain(rec(l), [], [anchor('loose', loose)], {
      ...server('loose.example'),
      profile: 'strict',
    });
    assert.deepEqual(codes(strict), ['basic-constraints']);
    assert.match(strict.problems[0]!.message, /not critical/);
  });

  it('accepts certificates without key identifiers by default and refuses them under the strict profile', async () => {
    const bare = await pki.ca({ cn: 'Bare CA', issuer: root, noKeyIds: true });
    const l = await pki.leaf({ cn: 'bare.example', dns: ['bare.example'], issuer: bare, noKeyIds: true });
    assert.equal(
      verifyChain(rec(l), [rec(bare)], [anchor('root', root)], server('bare.example')).trusted,
      true,
    );
    const strict = verifyChain(rec(l), [rec(bare)], [anchor('root', root)], {
      ...server('bare.example'),
      profile: 'strict',
    });
    assert.equal(strict.trusted, false);
    assert.ok(
      strict.problems.some((p) => p.certificate === l.sha256 && /authorityKeyIdentifier/.test(p.message)),
      JSON.stringify(strict.problems),
    );
    assert.ok(
      strict.problems.some((p) => p.certificate === bare.sha256 && /subjectKeyIdentifier/.test(p.message)),
      JSON.stringify(strict.problems),
    );
  });

  it('reads a leading-period DNS name constraint as subdomains only, and refuses it under the strict profile', async () => {
    const dotted = await pki.ca({
      cn: 'Dotted CA',
      issuer: root,
      extensions: [nameConstraints({ permitDns: ['.corp.example'] })],
    });
    const sub = await pki.leaf({ cn: 'a.corp.example', dns: ['a.corp.example'], issuer: dotted });
    const apex = await pki.leaf({ cn: 'corp.example', dns: ['corp.example'], issuer: dotted });
    const v = (l: Issued, h: string, profile?: 'strict') =>
      verifyChain(rec(l), [rec(dotted)], [anchor('root', root)], {
        ...server(h),
        ...(profile ? { profile } : {}),
      });
    assert.equal(v(sub, 'a.corp.example').trusted, true);
    assert.deepEqual(codes(v(apex, 'corp.example')), ['name-constraints']);
    const strict = v(sub, 'a.corp.example', 'strict');
    assert.deepEqual(codes(strict), ['name-constraints']);
    assert.match(strict.problems[0]!.message, /not a valid DNS name/);
  });

  it('holds an expired trust anchor against the path even when anchors are lenient', async () => {
    const oldRoot = await pki.ca({
      cn: 'Lapsed Root',
      notBefore: new Date(now.getTime() - 40 * DAY),
      days: 10,
    });
    const l = await pki.leaf({ cn: 'lapsed.example', dns: ['lapsed.example'], issuer: oldRoot });
    const r = verifyChain(rec(l), [], [anchor('lapsed', oldRoot)], server('lapsed.example'));
    assert.deepEqual(codes(r), ['expired-ca']);
    assert.equal(r.anchor, 'lapsed');
  });

  it('refuses a certificate with an unrecognised critical extension but ignores unknown non-critical ones', async () => {
    const odd = (critical: boolean) =>
      new x509.Extension('1.3.6.1.4.1.55738.666.1', critical, new Uint8Array([0x05, 0x00]));
    const critLeaf = await pki.leaf({
      cn: 'crit.example',
      dns: ['crit.example'],
      issuer: issuing,
      extensions: [odd(true)],
    });
    const softLeaf = await pki.leaf({
      cn: 'soft.example',
      dns: ['soft.example'],
      issuer: issuing,
      extensions: [odd(false)],
    });
    const crit = verifyChain(rec(critLeaf), [rec(issuing)], [anchor('root', root)], server('crit.example'));
    assert.deepEqual(codes(crit), ['unsupported']);
    assert.match(
      crit.problems[0]!.message,
      /unrecognised critical extension 1\.3\.6\.1\.4\.1\.55738\.666\.1/,
    );
    assert.equal(
      verifyChain(rec(softLeaf), [rec(issuing)], [anchor('root', root)], server('soft.example')).trusted,
      true,
    );
  });

  it('explains a leaf whose DER cannot be decoded instead of throwing', () => {
    const good = rec(leaf);
    const der = Buffer.from(good.der, 'base64').subarray(0, -10); // truncated: the outer SEQUENCE runs past the end
    const broken: CertRecord = { ...good, sha256: 'f'.repeat(64), der: der.toString('base64') };
    const r = verifyChain(broken, [rec(issuing)], [anchor('root', root)], server('svc.example'));
    assert.equal(r.trusted, false);
    assert.deepEqual(codes(r), ['unsupported']);
    assert.match(r.problems[0]!.message, /cannot be decoded/);
  });

  it('says so when no trust anchors were given', () => {
    const r = verifyChain(rec(leaf), [rec(issuing)], [], server('svc.example'));
    assert.equal(r.trusted, false);
    assert.match(r.problems[0]!.message, /no trust anchors/);
  });
});
