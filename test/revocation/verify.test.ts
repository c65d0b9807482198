// OCSP responses and CRLs made by OpenSSL (`openssl ocsp`, `openssl ca -gencrl`), read and verified
// the way a careful client does: who signed, for which certificate, and when.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pki, x509, type Issued } from '../support/pki.js';
import { OpensslCa } from '../support/openssl-ca.js';
import { decodeCertificate, type CertFacts } from '../../src/x509/decode.js';
import { ocspRequest, verifyOcspResponse } from '../../src/x509/revocation/ocsp.js';
import { CrlError, checkCrl, crlEntry, parseCrl } from '../../src/x509/revocation/crl.js';
import { revocationPointers, TLS_FEATURE_OID } from '../../src/x509/revocation/pointers.js';
import { isStale } from '../../src/x509/revocation/types.js';

const facts = (c: Issued): CertFacts => decodeCertificate(c.der).facts;
const HOUR = 3_600_000;

describe('OCSP responses from openssl ocsp', function () {
  this.timeout(60_000);
  const pki = new Pki();
  let root: Issued;
  let ca: OpensslCa;
  let good: Issued;
  let revoked: Issued;
  let stranger: Issued;
  let responder: Issued;
  let noEku: Issued;
  let otherRoot: Issued;

  before(async () => {
    root = await pki.ca({ cn: 'Revocation Test Root' });
    otherRoot = await pki.ca({ cn: 'Someone Else Root' });
    ca = new OpensslCa(root);
    good = await pki.leaf({ cn: 'good.test', dns: ['good.test'], issuer: root });
    revoked = await pki.leaf({ cn: 'revoked.test', dns: ['revoked.test'], issuer: root });
    stranger = await pki.leaf({ cn: 'stranger.test', dns: ['stranger.test'], issuer: root });
    responder = await pki.leaf({ cn: 'Test OCSP Responder', issuer: root, eku: ['1.3.6.1.5.5.7.3.9'] });
    noEku = await pki.leaf({ cn: 'Not A Responder', issuer: root, eku: ['serverAuth'] });
    ca.valid(good);
    ca.revoke(revoked, 'keyCompromise');
  });
  after(() => ca.close());

  const check = (cert: Issued, der: Buffer, now = Date.now()) =>
    verifyOcspResponse(der, { cert: facts(cert), issuer: facts(root), now });

  it('builds the same request bytes as openssl ocsp -no_nonce', () => {
    writeFileSync(join(ca.dir, 'good.pem'), good.pem);
    const r = spawnSync(
      'openssl',
      ['ocsp', '-issuer', 'ca.pem', '-cert', 'good.pem', '-reqout', 'req.der', '-no_nonce'],
      { cwd: ca.dir },
    );
    assert.equal(r.status, 0, String(r.stderr));
    assert.deepEqual(ocspRequest(facts(good), facts(root)), readFileSync(join(ca.dir, 'req.der')));
  });

  it('reads good, revoked (with reason and date) and unknown answers signed by the issuer', () => {
    const g = check(good, ca.ocspResponse(good));
    assert.ok(g.ok, JSON.stringify(g));
    assert.equal(g.answer.status, 'good');
    assert.equal(g.signer, 'issuer');
    assert.ok(g.answer.nextUpdate! > g.answer.thisUpdate);

    const r = check(revoked, ca.ocspResponse(revoked));
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.answer.status, 'revoked');
    assert.equal(r.answer.reason, 'keyCompromise');
    assert.ok(Math.abs(r.answer.revokedAt! - Date.now()) < 10 * 60_000);

    const u = check(stranger, ca.ocspResponse(stranger));
    assert.ok(u.ok, JSON.stringify(u));
    assert.equal(u.answer.status, 'unknown');
  });

  it('accepts a delegated responder the issuer certified for OCSPSigning', () => {
    const v = check(good, ca.ocspResponse(good, { signer: responder }));
    assert.ok(v.ok, JSON.stringify(v));
    assert.equal(v.signer, 'delegated');
    assert.equal(v.answer.status, 'good');
  });

  it('finds the signer when the response names it by key hash instead of by name', () => {
    const byIssuer = check(good, ca.ocspResponse(good, { byKey: true }));
    assert.ok(byIssuer.ok && byIssuer.signer === 'issuer', JSON.stringify(byIssuer));
    const byResponder = check(good, ca.ocspResponse(good, { signer: responder, byKey: true }));
    assert.ok(byResponder.ok && byResponder.signer === 'delegated', JSON.stringify(byResponder));
  });

  it('refuses a responder certificate without the OCSPSigning extended key usage', () => {
    const v = check(good, ca.ocspResponse(good, { signer: noEku }));
    assert.ok(!v.ok);
    assert.match(v.problem, /lacks the OCSPSigning extended key usage/);
  });

  it('refuses a response signed by the wrong key', async () => {
    // A responder certified by another CA, and the right name on a different key.
    const foreign = await pki.leaf({
      cn: 'Test OCSP Responder',
      issuer: otherRoot,
      eku: ['1.3.6.1.5.5.7.3.9'],
    });
    const v1 = check(good, ca.ocspResponse(good, { signer: foreign }));
    assert.ok(!v1.ok);
    assert.match(v1.problem, /not issued by the certificate's issuer/);
    const impostor = await pki.ca({ cn: 'Revocation Test Root' });
    const v2 = check(good, ca.ocspResponse(good, { signer: impostor }));
    assert.ok(!v2.ok);
    assert.match(v2.problem, /signature does not verify/);
  });

  it('refuses a response whose signature was corrupted', () => {
    const v = check(good, ca.ocspResponse(good, { badsig: true }));
    assert.ok(!v.ok);
    assert.match(v.problem, /signature does not verify/);
  });

  it('refuses a response about another certificate', () => {
    const v = check(good, ca.ocspResponse(revoked));
    assert.ok(!v.ok);
    assert.match(v.problem, /does not answer for this certificate/);
  });

  it('refuses a response from the future, and knows when one is past nextUpdate', () => {
    const der = ca.ocspResponse(good, { minutes: 30 });
    const past = check(good, der, Date.now() - 2 * HOUR);
    assert.ok(!past.ok);
    assert.match(past.problem, /from the future/);
    const later = check(good, der, Date.now() + 2 * HOUR);
    assert.ok(later.ok);
    assert.ok(isStale(later.answer, Date.now() + 2 * HOUR));
    assert.ok(!isStale(later.answer, Date.now()));
  });

  it('says what is wrong with bytes that are not an OCSP response', () => {
    const v = check(good, Buffer.from('<html>not found</html>'));
    assert.ok(!v.ok);
    assert.match(v.problem, /not an OCSP response/);
  });
});

describe('CRLs from openssl ca -gencrl', function () {
  this.timeout(60_000);
  const pki = new Pki();
  let root: Issued;
  let ca: OpensslCa;
  let good: Issued;
  let revoked: Issued;
  let sub: Issued;

  before(async () => {
    root = await pki.ca({ cn: 'CRL Test Root' });
    ca = new OpensslCa(root);
    good = await pki.leaf({ cn: 'good.test', issuer: root });
    revoked = await pki.leaf({ cn: 'revoked.test', issuer: root });
    sub = await pki.ca({ cn: 'CRL Test Sub', issuer: root });
    ca.revoke(revoked, 'superseded');
  });
  after(() => ca.close());

  const check = (cert: Issued, crl: Buffer, now = Date.now(), issuer = root) =>
    checkCrl(parseCrl(crl), { cert: facts(cert), issuer: facts(issuer), now });

  it('finds a revoked certificate with its reason and date, and passes one not listed', () => {
    const der = ca.crl();
    const r = check(revoked, der);
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.answer.status, 'revoked');
    assert.equal(r.answer.reason, 'superseded');
    const g = check(good, der);
    assert.ok(g.ok);
    assert.equal(g.answer.status, 'good');
    assert.ok(!isStale(g.answer, Date.now()));
  });

  it('reads a PEM CRL as well as DER', () => {
    const pem = `-----BEGIN X509 CRL-----\n${ca.crl().toString('base64')}\n-----END X509 CRL-----\n`;
    assert.equal(parseCrl(Buffer.from(pem)).entries, 1);
  });

  it('knows a CRL past its nextUpdate is stale, yet still reads it', () => {
    const der = ca.crl({
      lastUpdate: new Date(Date.now() - 48 * HOUR),
      nextUpdate: new Date(Date.now() - 24 * HOUR),
    });
    const g = check(good, der);
    assert.ok(g.ok);
    assert.ok(isStale(g.answer, Date.now()));
  });

  it('refuses a CRL signed by another key under the same name', async () => {
    const impostor = await pki.ca({ cn: 'CRL Test Root' });
    const other = new OpensslCa(impostor);
    try {
      const v = check(good, other.crl());
      assert.ok(!v.ok);
      assert.match(v.problem, /signature does not verify/);
    } finally {
      await other.close();
    }
  });

  it('does not apply a CRL of another issuer', async () => {
    const otherRoot = await pki.ca({ cn: 'Another Root' });
    const other = new OpensslCa(otherRoot);
    try {
      const v = check(good, other.crl());
      assert.ok(!v.ok);
      assert.match(v.problem, /another authority/);
    } finally {
      await other.close();
    }
  });

  it('refuses a CRL from an issuer whose keyUsage lacks cRLSign', async () => {
    const noCrlSign = await pki.ca({ cn: 'No CRL Sign', keyUsage: ['keyCertSign'] });
    const leaf = await pki.leaf({ cn: 'x.test', issuer: noCrlSign });
    const other = new OpensslCa(noCrlSign);
    try {
      const v = check(leaf, other.crl(), Date.now(), noCrlSign);
      assert.ok(!v.ok);
      assert.match(v.problem, /cRLSign/);
    } finally {
      await other.close();
    }
  });

  it('applies an issuing distribution point scope: a CA-only CRL does not cover a leaf', () => {
    const der = ca.crl({ extensions: 'idp_ca_only' });
    const leaf = check(good, der);
    assert.ok(!leaf.ok);
    assert.match(leaf.problem, /only CA certificates/);
    const ca2 = check(sub, der);
    assert.ok(ca2.ok, JSON.stringify(ca2));
  });

  it('refuses a CRL from the future', () => {
    const der = ca.crl({
      lastUpdate: new Date(Date.now() + 24 * HOUR),
      nextUpdate: new Date(Date.now() + 48 * HOUR),
    });
    const v = check(good, der);
    assert.ok(!v.ok);
    assert.match(v.problem, /from the future/);
  });

  it('refuses bytes that are not a CRL with a CrlError', () => {
    assert.throws(() => parseCrl(Buffer.from('hello')), CrlError);
    assert.throws(() => parseCrl(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01])), CrlError);
  });

  it('streams a 200,000-entry CRL past asn1js’s node limit and finds entries in it', async function () {
    // openssl ca reads the database as text: write 200,000 revoked entries, then -gencrl.
    const big = new OpensslCa(root);
    try {
      const lines: string[] = [];
      for (let i = 0; i < 200_000; i++)
        lines.push(
          `R\t301231000000Z\t260101000000Z,keyCompromise\t${(0x100000 + i * 7).toString(16).toUpperCase().padStart(8, '0')}\tunknown\t/CN=x${i}`,
        );
      writeFileSync(join(big.dir, 'index.txt'), lines.join('\n') + '\n');
      const crl = parseCrl(big.crl());
      assert.equal(crl.entries, 200_000);
      const hit = crlEntry(crl, Buffer.from((0x100000 + 7 * 123_456).toString(16).padStart(8, '0'), 'hex'));
      assert.equal(hit?.reason, 'keyCompromise');
      assert.equal(crlEntry(crl, Buffer.from('00100001', 'hex')), null);
    } finally {
      await big.close();
    }
  });
});

describe('revocation pointers in certificates', () => {
  it('reads OCSP, caIssuers and CRL URLs and the must-staple feature', async () => {
    const pki = new Pki();
    const root = await pki.ca({ cn: 'Pointer Root' });
    const leaf = await pki.leaf({
      cn: 'p.test',
      issuer: root,
      extensions: [
        new x509.AuthorityInfoAccessExtension({
          ocsp: ['http://127.0.0.1:1/ocsp', 'ldap://ldap.example/ocsp'],
          caIssuers: 'http://127.0.0.1:1/ca.der',
        }),
        new x509.CRLDistributionPointsExtension(['http://127.0.0.1:1/crl.der']),
        new x509.Extension(TLS_FEATURE_OID, false, Buffer.from('3003020105', 'hex')),
      ],
    });
    const p = revocationPointers(facts(leaf));
    assert.deepEqual(p.ocsp, ['http://127.0.0.1:1/ocsp', 'ldap://ldap.example/ocsp']);
    assert.deepEqual(p.caIssuers, ['http://127.0.0.1:1/ca.der']);
    assert.deepEqual(p.crl, ['http://127.0.0.1:1/crl.der']);
    assert.equal(p.mustStaple, true);
    const plain = revocationPointers(facts(root));
    assert.deepEqual([plain.ocsp, plain.crl, plain.mustStaple], [[], [], false]);
  });
});
