import { strict as assert } from 'node:assert';
import { createPrivateKey, createPublicKey, webcrypto, X509Certificate } from 'node:crypto';
import {
  createCsr,
  formatSubject,
  generateKeyPair,
  IssueError,
  issueCertificate,
  keySpecOf,
  x509,
  type IssuedCertificate,
  type KeySpec,
} from '../../src/x509/issue.js';
import { parseCertificate } from '../../src/x509/parse.js';

const DAY = 86_400_000;
// Read back with the project's own DER parser, not the library that wrote the certificate.
const rec = (c: IssuedCertificate) => parseCertificate(c.der, 'test');

describe('issueCertificate: the one certificate issuer', function () {
  this.timeout(60_000);
  const now = new Date('2026-11-01T00:00:00Z');

  it('issues a root, an intermediate and a leaf that verify as a chain with node crypto', async () => {
    const root = await issueCertificate({ cn: 'Engine Root', ca: true, key: 'rsa2048', now });
    const issuing = await issueCertificate({ cn: 'Engine Issuing', ca: true, pathLen: 0, issuer: root, now });
    const leaf = await issueCertificate({
      cn: 'svc.example',
      dns: ['svc.example'],
      ips: ['127.0.0.1'],
      eku: ['serverAuth'],
      issuer: issuing,
      now,
    });
    const [r, i, l] = [root, issuing, leaf].map((c) => new X509Certificate(c.der)) as [
      X509Certificate,
      X509Certificate,
      X509Certificate,
    ];
    assert.equal(r.verify(r.publicKey), true);
    assert.equal(i.verify(r.publicKey), true);
    assert.equal(l.verify(i.publicKey), true);
    assert.equal(l.verify(r.publicKey), false, 'the leaf is signed by the intermediate, not the root');
    assert.equal(l.checkIssued(i), true);
    assert.equal(l.checkHost('svc.example'), 'svc.example');
    assert.equal(l.checkIP('127.0.0.1'), '127.0.0.1');
    assert.deepEqual([r.ca, i.ca, l.ca], [true, true, false]);
    assert.equal(rec(leaf).authorityKeyId, rec(issuing).subjectKeyId);
    assert.equal(rec(issuing).authorityKeyId, rec(root).subjectKeyId);
    assert.equal(rec(issuing).pathLen, 0);
    assert.equal(leaf.pem, l.toString(), 'pem is the same certificate as der');
    assert.equal(leaf.sha256, l.fingerprint256.replace(/:/g, '').toLowerCase());
    assert.equal(leaf.subject, 'CN=svc.example');
  });

  it('gives each certificate a PKCS#8 key that belongs to it', async () => {
    const leaf = await issueCertificate({ cn: 'keyed', key: 'ed25519', now });
    const fromKey = createPublicKey(createPrivateKey(leaf.keyPem)).export({ format: 'der', type: 'spki' });
    const fromCert = new X509Certificate(leaf.der).publicKey.export({ format: 'der', type: 'spki' });
    assert.deepEqual(fromKey, fromCert);
  });

  it('builds the extensions asked for: SANs, EKU by name or OID, key usage, serial, validity', async () => {
    const c = rec(
      await issueCertificate({
        cn: 'ext',
        dns: ['a.example', 'b.example'],
        ips: ['10.1.2.3', '2001:db8::1'],
        emails: ['ops@example.com'],
        eku: ['clientAuth', '1.3.6.1.5.5.7.3.99'],
        keyUsage: ['digitalSignature', 'keyAgreement'],
        serial: '0abc01',
        notBefore: new Date(now.getTime() - 10 * DAY),
        days: 30,
      }),
    );
    assert.deepEqual(c.dnsNames, ['a.example', 'b.example']);
    assert.deepEqual(c.ipAddresses, ['10.1.2.3', '2001:db8::1']);
    assert.deepEqual(c.emailAddresses, ['ops@example.com']);
    assert.deepEqual(c.extKeyUsage, ['clientAuth', '1.3.6.1.5.5.7.3.99']);
    assert.deepEqual([...(c.keyUsage ?? [])].sort(), ['digitalSignature', 'keyAgreement']);
    assert.equal(c.serial, '0abc01');
    assert.equal(c.notBefore, new Date(now.getTime() - 10 * DAY).toISOString().replace(/\.\d+Z$/, '.000Z'));
    assert.equal(Date.parse(c.notAfter) - Date.parse(c.notBefore), 30 * DAY);
    assert.equal(c.isCA, false);
    assert.equal(c.hasBasicConstraints, true);
  });

  it('defaults a leaf to a year from a day before now, and a CA to ten years with CA key usages', async () => {
    const leaf = rec(await issueCertificate({ cn: 'leaf', now }));
    const ca = rec(await issueCertificate({ cn: 'ca', ca: true, now }));
    assert.equal(Date.parse(leaf.notBefore), now.getTime() - DAY);
    assert.equal(Date.parse(leaf.notAfter), now.getTime() - DAY + 365 * DAY);
    assert.equal(Date.parse(ca.notAfter), now.getTime() - DAY + 3650 * DAY);
    assert.deepEqual(leaf.keyUsage, ['digitalSignature']);
    assert.deepEqual([...(ca.keyUsage ?? [])].sort(), ['cRLSign', 'digitalSignature', 'keyCertSign']);
    assert.equal(ca.isCA, true);
    assert.equal(ca.selfIssued, true);
    assert.equal(leaf.extKeyUsage, null, 'no EKU unless asked');
    const rsa = rec(await issueCertificate({ cn: 'rsa leaf', key: 'rsa1024', now }));
    assert.deepEqual([...(rsa.keyUsage ?? [])].sort(), ['digitalSignature', 'keyEncipherment']);
  });

  it('omits key usage, basic constraints and key identifiers when told to', async () => {
    const root = await issueCertificate({ cn: 'root', ca: true, now });
    const c = rec(
      await issueCertificate({
        cn: 'bare',
        issuer: root,
        keyUsage: null,
        basicConstraints: false,
        noKeyIds: true,
      }),
    );
    assert.equal(c.keyUsage, null);
    assert.equal(c.hasBasicConstraints, false);
    assert.equal(c.subjectKeyId, null);
    assert.equal(c.authorityKeyId, null);
  });

  it('appends extra extensions after the built ones', async () => {
    const ocspNoCheck = new x509.Extension('1.3.6.1.5.5.7.48.1.5', false, new Uint8Array([0x05, 0x00]));
    const c = await issueCertificate({ cn: 'extra', extensions: [ocspNoCheck], now });
    const oids = c.cert.extensions.map((e) => e.type);
    assert.equal(oids.at(-1), '1.3.6.1.5.5.7.48.1.5');
    assert.ok(oids.includes('2.5.29.19'), 'basicConstraints is still there');
  });

  it('signs with the hash that suits the signer: SHA-384 under a P-384 CA unless a hash is given', async () => {
    const ca = await issueCertificate({ cn: 'P-384 CA', ca: true, key: 'p384', now });
    assert.equal(rec(ca).signatureHash, 'sha384');
    const leaf = await issueCertificate({ cn: 'p256 leaf', issuer: ca, now });
    assert.equal(rec(leaf).signatureHash, 'sha384');
    assert.equal(rec(leaf).curve, 'P-256');
    const sha1 = await issueCertificate({ cn: 'old', issuer: ca, hash: 'SHA-1', now });
    assert.equal(rec(sha1).signatureHash, 'sha1');
    assert.equal(new X509Certificate(sha1.der).verify(new X509Certificate(ca.der).publicKey), true);
  });

  it('re-issues a certificate with a reused key pair', async () => {
    const first = await issueCertificate({ cn: 'renewed', key: 'p384', now });
    const second = await issueCertificate({ cn: 'renewed', keys: first.keys, now });
    assert.equal(rec(second).curve, 'P-384', 'the key spec is read from the reused keys');
    assert.equal(rec(second).subjectKeyId, rec(first).subjectKeyId);
    assert.notEqual(second.sha256, first.sha256);
  });

  it('escapes hostile subject parts instead of letting them add attributes', async () => {
    const cn = 'evil, O=Injected+OU=x';
    const c = await issueCertificate({ cn, o: ['Acme; Inc'], ou: [' lead'], now });
    const name = rec(c).subject;
    assert.equal(name.CN, cn);
    assert.deepEqual(name.O, ['Acme; Inc']);
    assert.deepEqual(name.OU, [' lead']);
    assert.equal(formatSubject({ cn: '#x' }), 'CN=\\#x');
    const full = rec(await issueCertificate({ subject: 'CN=node1, O=system:nodes', now })).subject;
    assert.deepEqual([full.CN, full.O], ['node1', ['system:nodes']]);
  });

  it('keeps newlines, carriage returns and other control characters in a CN by escaping them as hex pairs', async () => {
    const cn = 'line one\nline two\r\n\tend\u0000\u001b[31m';
    assert.equal(formatSubject({ cn }), 'CN=line one\\0Aline two\\0D\\0A\\09end\\00\\1B[31m');
    const c = await issueCertificate({ cn, o: ['Org\nUnit'], now });
    assert.equal(rec(c).subject.CN, cn, 'the CN is the original string, newline included');
    assert.deepEqual(rec(c).subject.O, ['Org\nUnit']);
    // A literal backslash followed by hex digits stays literal text.
    const literal = 'not\\0Aa newline, a \\ and "quotes"';
    assert.equal(rec(await issueCertificate({ cn: literal, now })).subject.CN, literal);
    // Leaves under such a CA still chain: the issuer name is copied as encoded, not re-parsed.
    const leaf = await issueCertificate({ cn: 'leaf', issuer: c, now });
    assert.equal(rec(leaf).issuer.dn, rec(c).subject.dn);
    assert.equal(new X509Certificate(leaf.der).verify(new X509Certificate(c.der).publicKey), true);
  });

  it('reads full RFC 4514 subjects: hex pairs as UTF-8, quoted values, multi-valued RDNs, OIDs', async () => {
    const s = rec(
      await issueCertificate({ subject: 'CN=caf\\C3\\A9 \\0A, O="a,b", OU=x+OU=y, 2.5.4.10=Second', now }),
    ).subject;
    assert.equal(s.CN, 'café \n');
    assert.deepEqual([...s.O].sort(), ['Second', 'a,b']);
    assert.deepEqual([...s.OU].sort(), ['x', 'y']);
    await assert.rejects(issueCertificate({ subject: 'CN=x, nonsense', now }), IssueError);
  });

  it('rejects options it cannot honour with an IssueError that names the value and the valid ones', async () => {
    await assert.rejects(
      issueCertificate({ cn: 'x', keyUsage: ['digitalSignatur'] }),
      (e: Error) =>
        e instanceof IssueError &&
        /unknown key usage 'digitalSignatur' \(valid: digitalSignature, /.test(e.message),
    );
    await assert.rejects(
      issueCertificate({ cn: 'x', key: 'p999' as KeySpec }),
      (e: Error) => e instanceof IssueError && /unknown key 'p999' \(valid: p256, p384/.test(e.message),
    );
    await assert.rejects(
      issueCertificate({}),
      (e: Error) => e instanceof IssueError && /subject/.test(e.message),
    );
  });

  it('generates key pairs whose spec reads back', async () => {
    for (const spec of ['p256', 'p384', 'p521', 'ed25519', 'rsa1024'] as const) {
      assert.equal(keySpecOf(await generateKeyPair(spec)), spec);
    }
  });
});

describe('createCsr: PKCS#10 requests', function () {
  this.timeout(60_000);

  it('makes a signed request that parses and carries the subject and SANs', async () => {
    const keys = await generateKeyPair('p256');
    const pem = await createCsr({
      subject: formatSubject({ cn: 'system:node:n1', o: ['system:nodes'] }),
      keys,
      dns: ['n1.cluster.local'],
      ips: ['127.0.0.1'],
      emails: ['n1@example.com'],
    });
    assert.match(pem, /^-----BEGIN CERTIFICATE REQUEST-----\n/);
    const req = new x509.Pkcs10CertificateRequest(pem);
    assert.equal(await req.verify(), true);
    assert.equal(req.subject, 'CN=system:node:n1, O=system:nodes');
    const san = req.getExtension('2.5.29.17');
    assert.ok(san instanceof x509.SubjectAlternativeNameExtension, 'the SANs travel in an extensionRequest');
    assert.deepEqual(
      san.names.toJSON().map((n) => `${n.type}:${n.value}`),
      ['dns:n1.cluster.local', 'ip:127.0.0.1', 'email:n1@example.com'],
    );
    const given = Buffer.from(await webcrypto.subtle.exportKey('spki', keys.publicKey));
    assert.deepEqual(Buffer.from(req.publicKey.rawData), given, 'the request carries the given public key');
  });

  it('signs an RSA request with the key given and omits the extension without SANs', async () => {
    const keys = await generateKeyPair('rsa1024');
    const req = new x509.Pkcs10CertificateRequest(await createCsr({ subject: 'CN=plain', keys }));
    assert.equal(await req.verify(), true);
    assert.equal(req.getExtension('2.5.29.17'), null);
    const given = Buffer.from(await webcrypto.subtle.exportKey('spki', keys.publicKey));
    assert.deepEqual(Buffer.from(req.publicKey.rawData), given);
  });

  it('signs with the key pair it is given, whatever its RSA size, and refuses a key it cannot sign with', async () => {
    const rsa = (name: string) =>
      webcrypto.subtle.generateKey(
        { name, modulusLength: 1032, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
        true,
        ['sign', 'verify'],
      ) as Promise<webcrypto.CryptoKeyPair>;
    const req = new x509.Pkcs10CertificateRequest(
      await createCsr({ subject: 'CN=odd', keys: await rsa('RSASSA-PKCS1-v1_5') }),
    );
    assert.equal(await req.verify(), true);
    await assert.rejects(
      createCsr({ subject: 'CN=pss', keys: await rsa('RSA-PSS') }),
      (e: Error) => e instanceof IssueError && /cannot sign with key algorithm RSA-PSS/.test(e.message),
    );
  });
});
