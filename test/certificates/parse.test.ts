import assert from 'node:assert/strict';
import { X509Certificate, webcrypto } from 'node:crypto';
import { ParseError } from '../../src/core/errors.js';
import { certSkeleton } from '../../src/x509/der.js';
import { parseDn } from '../../src/x509/names.js';
import { daysRemaining, factsOf, parseCertificate } from '../../src/x509/parse.js';
import { factsFor } from '../../src/x509/verify/facts.js';
import { Pki, x509 } from '../support/pki.js';
import { TempDir, assertCompleteRecord, openssl } from './helpers.js';

describe('parseCertificate', () => {
  const pki = new Pki();

  it('reads an RSA CA certificate: key size, basic constraints, key usage, key identifiers, self-issued', async () => {
    const root = await pki.ca({ cn: 'Records Root', o: ['Acme'], key: 'rsa2048', pathLen: 1 });
    const r = parseCertificate(root.der, 'root.pem[0]');
    assertCompleteRecord(r);
    assert.equal(r.sha256, root.sha256);
    assert.equal(r.keyType, 'RSA');
    assert.equal(r.keyBits, 2048);
    assert.equal(r.curve, null);
    assert.equal(r.keyError, null);
    assert.equal(r.signatureAlgorithm, 'sha256WithRSAEncryption');
    assert.equal(r.signatureHash, 'sha256');
    assert.equal(r.isCA, true);
    assert.equal(r.pathLen, 1);
    assert.equal(r.hasBasicConstraints, true);
    assert.deepEqual(r.keyUsage, ['digitalSignature', 'keyCertSign', 'cRLSign']);
    assert.equal(r.extKeyUsage, null);
    assert.match(r.subjectKeyId!, /^[0-9a-f]+$/);
    assert.equal(r.selfIssued, true);
    assert.equal(r.version, 3);
    assert.equal(r.subject.CN, 'Records Root');
    assert.deepEqual(r.subject.O, ['Acme']);
    assert.equal(Buffer.from(r.der, 'base64').equals(root.der), true);
  });

  it('reads an EC P-384 leaf with its issuer, names, extended key usages and validity as node sees them', async () => {
    const ca = await pki.ca({ cn: 'EC Issuing', key: 'p384' });
    const leaf = await pki.leaf({
      cn: 'svc.example',
      key: 'p384',
      issuer: ca,
      dns: ['svc.example', 'www.svc.example'],
      ips: ['127.0.0.1'],
      emails: ['ops@svc.example'],
      eku: [
        'serverAuth',
        'clientAuth',
        'codeSigning',
        'emailProtection',
        'timeStamping',
        'OCSPSigning',
        '1.2.3.4.5',
      ],
    });
    const r = parseCertificate(leaf.der);
    assertCompleteRecord(r);
    assert.equal(r.keyType, 'EC');
    assert.equal(r.curve, 'P-384');
    assert.equal(r.keyBits, 384);
    assert.equal(r.signatureAlgorithm, 'ecdsa-with-SHA384');
    assert.equal(r.signatureHash, 'sha384');
    assert.deepEqual(r.dnsNames, ['svc.example', 'www.svc.example']);
    assert.deepEqual(r.ipAddresses, ['127.0.0.1']);
    assert.deepEqual(r.emailAddresses, ['ops@svc.example']);
    assert.deepEqual(r.extKeyUsage, [
      'serverAuth',
      'clientAuth',
      'codeSigning',
      'emailProtection',
      'timeStamping',
      'OCSPSigning',
      '1.2.3.4.5',
    ]);
    assert.equal(r.isCA, false);
    assert.equal(r.hasBasicConstraints, true);
    assert.equal(r.selfIssued, false);
    assert.equal(r.issuer.CN, 'EC Issuing');
    assert.equal(r.authorityKeyId, parseCertificate(ca.der).subjectKeyId);
    const x = new X509Certificate(leaf.der);
    assert.equal(r.serial, x.serialNumber.toLowerCase());
    assert.equal(Date.parse(r.notAfter), Date.parse(x.validTo));
    assert.equal(Date.parse(r.notBefore), Date.parse(x.validFrom));
  });

  it('reads P-256 and P-521 curves under the names policies use', async () => {
    assert.equal(parseCertificate((await pki.leaf({ cn: 'a', key: 'p256' })).der).curve, 'P-256');
    const r = parseCertificate((await pki.leaf({ cn: 'b', key: 'p521' })).der);
    assert.equal(r.curve, 'P-521');
    assert.equal(r.keyBits, 521);
    assert.equal(r.signatureHash, 'sha512');
  });

  it('reads an Ed25519 certificate with no signature hash', async () => {
    const r = parseCertificate((await pki.leaf({ cn: 'ed', key: 'ed25519' })).der);
    assertCompleteRecord(r);
    assert.equal(r.keyType, 'Ed25519');
    assert.equal(r.signatureAlgorithm, 'ED25519');
    assert.equal(r.signatureHash, null);
    assert.equal(r.keyError, null);
  });

  it('names the sha1 hash of a SHA-1 signed certificate so policies can forbid it', async () => {
    const r = parseCertificate((await pki.leaf({ cn: 'old', key: 'rsa2048', hash: 'SHA-1' })).der);
    assert.equal(r.signatureAlgorithm, 'sha1WithRSAEncryption');
    assert.equal(r.signatureHash, 'sha1');
  });

  it('writes IPv6 SAN entries in RFC 5952 canonical form', async () => {
    const r = parseCertificate(
      (
        await pki.leaf({
          cn: 'v6',
          ips: ['2001:DB8:0:0:0:0:0:1', '2001:db8:0:0:1:0:0:1', 'fe80::', '::1', '2001:db8:1:2:3:4:5:6'],
        })
      ).der,
    );
    assert.deepEqual(r.ipAddresses, [
      '2001:db8::1',
      '2001:db8::1:0:0:1',
      'fe80::',
      '::1',
      '2001:db8:1:2:3:4:5:6',
    ]);
  });

  it('writes IPv4-mapped IPv6 SAN entries with a dotted tail, as openssl encodes them', () => {
    const dir = new TempDir();
    try {
      openssl([
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        dir.file('k.pem'),
        '-out',
        dir.file('c.pem'),
        '-subj',
        '/CN=mapped',
        '-days',
        '2',
        '-addext',
        'subjectAltName=IP:::ffff:192.0.2.7,IP:10.1.2.3,DNS:mapped.example',
      ]);
      const r = parseCertificate(openssl(['x509', '-in', dir.file('c.pem'), '-outform', 'DER']));
      assert.deepEqual(r.ipAddresses, ['::ffff:192.0.2.7', '10.1.2.3']);
      assert.deepEqual(r.dnsNames, ['mapped.example']);
    } finally {
      dir.remove();
    }
  });

  it('keeps hostile subject values intact: the dn is one line and parses back to the exact values', async () => {
    const hostile = [
      'a, O=evil',
      'quote " and \\ backslash',
      'line1\nline2\r\n<!-- certwarden:finding=x -->',
      ' leading and trailing ',
      '#hash+plus;semi<>',
      'ünï €',
    ];
    const keys = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ])) as webcrypto.CryptoKeyPair;
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: '01',
      // Object form so that '#…' is taken as text, not as a hex-encoded value.
      name: new x509.Name([
        { CN: [{ utf8String: hostile[0]! }] },
        { O: hostile.slice(1, 4).map((v) => ({ utf8String: v })) },
        { OU: [{ utf8String: hostile[4]! }] },
        { L: [{ utf8String: hostile[5]! }] },
      ]),
      keys,
      notBefore: new Date('2026-01-01T00:00:00Z'),
      notAfter: new Date('2027-01-01T00:00:00Z'),
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    });
    const r = parseCertificate(new Uint8Array(cert.rawData));
    assertCompleteRecord(r);
    assert.equal(r.subject.CN, hostile[0]);
    assert.deepEqual(r.subject.O, hostile.slice(1, 4));
    assert.deepEqual(r.subject.OU, [hostile[4]]);
    assert.deepEqual(r.subject.L, [hostile[5]]);
    assert.doesNotMatch(r.subject.dn, /[\n\r]/);
    // RFC 4514 escapes '<' and '>', so a marker such as "<!--" never appears unescaped.
    assert.doesNotMatch(r.subject.dn, /(^|[^\\])[<>]/);
    const rdns = parseDn(r.subject.dn);
    // RFC 4514 order: the last RDN of the encoding comes first.
    assert.deepEqual(
      rdns.map((rdn) => rdn.map((a) => [a.type, a.value])),
      [
        [['L', hostile[5]]],
        [['OU', hostile[4]]],
        hostile.slice(1, 4).map((v) => ['O', v]),
        [['CN', hostile[0]]],
      ],
    );
  });

  it('writes the dn in RFC 4514 order like openssl -nameopt RFC2253 does', () => {
    const dir = new TempDir();
    try {
      openssl([
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        dir.file('k.pem'),
        '-out',
        dir.file('c.pem'),
        '-subj',
        '/C=DE/ST=Bayern/L=Munich/O=Acme/OU=Ops/CN=order.example',
        '-days',
        '2',
      ]);
      const der = openssl(['x509', '-in', dir.file('c.pem'), '-outform', 'DER']);
      const expected = openssl([
        'x509',
        '-in',
        dir.file('c.pem'),
        '-noout',
        '-subject',
        '-nameopt',
        'RFC2253',
      ])
        .toString()
        .trim()
        .replace(/^subject=/, '');
      const r = parseCertificate(der);
      assert.equal(r.subject.dn, expected);
      assert.deepEqual(
        [r.subject.C, r.subject.ST, r.subject.L, r.subject.OU],
        [['DE'], ['Bayern'], ['Munich'], ['Ops']],
      );
    } finally {
      dir.remove();
    }
  });

  it('reports a key it cannot read with keyType unknown and a reason, without throwing', async () => {
    const leaf = await pki.leaf({ cn: 'x25519', key: 'ed25519' });
    const der = Buffer.from(leaf.der);
    // Rewrite the key's algorithm (Ed25519 1.3.101.112) to X25519 (1.3.101.110) inside the SPKI only.
    const sk = certSkeleton(der);
    const at = der.indexOf(Buffer.from([0x06, 0x03, 0x2b, 0x65, 0x70]), sk.spki.start);
    assert.ok(at > 0 && at < sk.spki.end);
    der[at + 4] = 0x6e;
    const r = parseCertificate(der);
    assertCompleteRecord(r);
    assert.equal(r.keyType, 'unknown');
    assert.match(r.keyError!, /X25519/);
  });

  it('names an unusual curve and still reads the key when OpenSSL can', () => {
    const dir = new TempDir();
    try {
      openssl([
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:brainpoolP256r1',
        '-nodes',
        '-keyout',
        dir.file('k.pem'),
        '-out',
        dir.file('c.pem'),
        '-subj',
        '/CN=bp',
        '-days',
        '2',
      ]);
      const r = parseCertificate(openssl(['x509', '-in', dir.file('c.pem'), '-outform', 'DER']));
      assert.equal(r.keyType, 'EC');
      assert.equal(r.curve, 'brainpoolP256r1');
      assert.equal(r.keyBits, 256);
      assert.equal(r.keyError, null);
    } finally {
      dir.remove();
    }
  });

  it('reads Ed448, RSA-PSS and DSA certificates made by openssl', function () {
    this.timeout(60_000);
    const dir = new TempDir();
    try {
      const der = (name: string, newkey: string[], extra: string[] = []) => {
        openssl([
          'req',
          '-x509',
          ...newkey,
          '-nodes',
          '-keyout',
          dir.file(`${name}.key`),
          '-out',
          dir.file(`${name}.pem`),
          '-subj',
          `/CN=${name}`,
          '-days',
          '2',
          ...extra,
        ]);
        return parseCertificate(openssl(['x509', '-in', dir.file(`${name}.pem`), '-outform', 'DER']));
      };
      const ed448 = der('ed448', ['-newkey', 'ed448']);
      assert.deepEqual(
        [ed448.keyType, ed448.keyBits, ed448.signatureAlgorithm, ed448.signatureHash, ed448.keyError],
        ['Ed448', 448, 'ED448', null, null],
      );
      const pss = der(
        'pss',
        ['-newkey', 'rsa-pss', '-pkeyopt', 'rsa_keygen_bits:2048'],
        ['-sigopt', 'rsa_padding_mode:pss', '-sha384'],
      );
      assert.deepEqual(
        [pss.keyType, pss.keyBits, pss.signatureAlgorithm, pss.signatureHash, pss.keyError],
        ['RSA-PSS', 2048, 'rsassaPss', 'sha384', null],
      );
      openssl([
        'genpkey',
        '-genparam',
        '-algorithm',
        'DSA',
        '-pkeyopt',
        'dsa_paramgen_bits:2048',
        '-out',
        dir.file('dsa-params.pem'),
      ]);
      const dsa = der('dsa', ['-newkey', `dsa:${dir.file('dsa-params.pem')}`], ['-sha256']);
      assert.deepEqual(
        [dsa.keyType, dsa.keyBits, dsa.signatureAlgorithm, dsa.signatureHash, dsa.keyError],
        ['DSA', 2048, 'dsa_with_SHA256', 'sha256', null],
      );
    } finally {
      dir.remove();
    }
  });

  it('reads version, negative-free lowercase serials and absent extensions as null', async () => {
    const leaf = await pki.leaf({
      cn: 'plain',
      serial: '00ff10',
      keyUsage: null,
      basicConstraints: false,
      noKeyIds: true,
    });
    const r = parseCertificate(leaf.der);
    assert.equal(r.serial, 'ff10');
    assert.equal(r.hasBasicConstraints, false);
    assert.equal(r.isCA, false);
    assert.equal(r.pathLen, null);
    assert.equal(r.keyUsage, null);
    assert.equal(r.subjectKeyId, null);
    assert.equal(r.authorityKeyId, null);
  });

  it('refuses bytes that are not a certificate with a ParseError naming the origin', () => {
    for (const bad of [
      Buffer.from('hello'),
      Buffer.from([0x30, 0x82, 0x10, 0x00, 0x30]),
      Buffer.from([0x30, 0x03, 0x02, 0x01, 0x00]),
    ]) {
      assert.throws(
        () => parseCertificate(bad, 'junk.der[0]'),
        (e: unknown) =>
          e instanceof ParseError &&
          e.kind === 'x509' &&
          e.file === 'junk.der[0]' &&
          /X\.509/.test(e.message),
      );
    }
  });

  it('computes days remaining as floor((notAfter - now) / 1 day), negative once expired', async () => {
    const leaf = await pki.leaf({
      cn: 'days',
      notBefore: new Date('2026-01-01T00:00:00Z'),
      notAfter: new Date('2026-03-01T12:00:00Z'),
    });
    const r = parseCertificate(leaf.der);
    assert.equal(daysRemaining(r, new Date('2026-02-27T12:00:00Z')), 2);
    assert.equal(daysRemaining(r, new Date('2026-02-27T12:00:01Z')), 1);
    assert.equal(daysRemaining(r, new Date('2026-03-02T00:00:00Z')), -1);
  });
});

describe('parsing robustness on damaged input', () => {
  it('reads or refuses truncated, bit-flipped and length-corrupted certificates, never crashing', async () => {
    const pki = new Pki();
    const ca = await pki.ca({ cn: 'Damage Root', key: 'rsa2048' });
    const certs = [
      ca,
      await pki.leaf({ cn: 'd1', issuer: ca, dns: ['d1.example'], ips: ['::1'], eku: ['serverAuth'] }),
      await pki.leaf({ cn: 'd2', key: 'ed25519' }),
    ];
    let seed = 20261127;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return Math.floor((seed / 0x7fffffff) * n);
    };
    let read = 0;
    let refused = 0;
    for (const c of certs) {
      for (let k = 0; k < 300; k++) {
        let input = Buffer.from(c.der);
        if (k % 3 === 0) input = input.subarray(0, rnd(input.length));
        else if (k % 3 === 1) for (let j = 0; j <= rnd(4); j++) input[rnd(input.length)]! ^= 1 << rnd(8);
        else {
          const p = rnd(input.length);
          input = Buffer.concat([
            input.subarray(0, p),
            Buffer.from([0x84, 0x7f, 0xff, 0xff, 0xff]),
            input.subarray(p),
          ]);
        }
        try {
          assertCompleteRecord(parseCertificate(input, 'damaged'));
          read++;
        } catch (e) {
          assert.ok(e instanceof ParseError, `only ParseError may escape, got ${String(e)}`);
          assert.equal(e.file, 'damaged');
          refused++;
        }
      }
    }
    assert.equal(read + refused, 900);
    assert.ok(refused > 300, `most damage is detected (refused ${refused})`);
  });
});

describe('one decode: the record and its validation facts', () => {
  const pki = new Pki();

  /** `der` with the serial number's length written in two octets (0x81 n): readable, but not DER. */
  function nonMinimalSerialLength(der: Buffer): Buffer {
    const sk = certSkeleton(der);
    const s = sk.serial;
    assert.ok(s.end - s.body < 0x80 && sk.tbs.body - sk.tbs.start === 4 && der[1] === 0x82);
    const out = Buffer.concat([der.subarray(0, s.start + 1), Buffer.from([0x81]), der.subarray(s.start + 1)]);
    out.writeUInt16BE(out.readUInt16BE(2) + 1, 2); // Certificate length
    out.writeUInt16BE(out.readUInt16BE(sk.tbs.start + 2) + 1, sk.tbs.start + 2); // tbsCertificate length
    return out;
  }

  it('keeps the facts decoded with a record and uses them for validation, without decoding again', async () => {
    const ca = await pki.ca({ cn: 'One Decode Root' });
    const leaf = await pki.leaf({ cn: 'one.example', dns: ['one.example'], issuer: ca });
    const r = parseCertificate(leaf.der, 'leaf');
    const f = factsOf(r);
    assert.ok(f, 'parseCertificate keeps the facts of its one decode');
    assert.equal(factsFor(r), f);
    assert.equal(f.fatal, null);
    assert.equal(f.sha256, r.sha256);
    assert.deepEqual(
      f.san?.map((n) => (n.type === 'dns' ? n.value : n.type)),
      r.dnsNames,
    );
    assert.equal(f.subject.key.includes('one.example'), true);
    assert.equal(f.selfIssued, r.selfIssued);
  });

  it('decodes a record that did not come from parseCertificate (read back from JSON) to the same facts', async () => {
    const ca = await pki.ca({ cn: 'Round Trip Root', key: 'rsa2048' });
    const r = parseCertificate(ca.der, 'ca');
    const back = JSON.parse(JSON.stringify(r)) as typeof r;
    assert.equal(factsOf(back), undefined);
    const a = factsFor(r);
    const b = factsFor(back);
    assert.notEqual(a, b);
    for (const k of ['sha256', 'fatal', 'version', 'notBefore', 'notAfter', 'selfIssued'] as const)
      assert.deepEqual(b[k], a[k], k);
    assert.equal(b.subject.key, a.subject.key);
    assert.ok(b.tbs.equals(a.tbs) && b.signature.equals(a.signature));
    assert.equal(b.spki.rsaBits, 2048);
    assert.equal(a.spki.rsaBits, 2048);
    assert.deepEqual(b.basicConstraints, a.basicConstraints);
  });

  it('keeps facts for recently used records only, and decodes a record parsed long ago again', async () => {
    const ca = await pki.ca({ cn: 'Long Ago Root' });
    const old = parseCertificate(ca.der, 'old');
    const kept = factsOf(old)!;
    const other = Buffer.from((await pki.leaf({ cn: 'other.example' })).der);
    for (let i = 0; i < 1100; i++) parseCertificate(other, 'other');
    assert.equal(factsOf(old), undefined, 'memory stays bounded when many records are kept');
    const again = factsFor(old);
    assert.notEqual(again, kept);
    assert.equal(again.subject.key, kept.subject.key);
    assert.ok(again.tbs.equals(kept.tbs));
    assert.equal(factsOf(old), again, 'kept again once used');
  });

  it('never hands out facts of other bytes for a record whose DER was replaced in place', async () => {
    const one = await pki.leaf({ cn: 'first.example' });
    const two = await pki.leaf({ cn: 'second.example' });
    const r = parseCertificate(one.der, 'one');
    r.der = Buffer.from(two.der).toString('base64');
    assert.equal(factsOf(r), undefined);
    assert.match(factsFor(r).subject.key, /second\.example/);
  });

  it('reads a certificate that is not strict DER for the record, while its facts refuse it for validation', async () => {
    const ca = await pki.ca({ cn: 'Lenient Root' });
    const good = parseCertificate(ca.der, 'good');
    const odd = parseCertificate(nonMinimalSerialLength(Buffer.from(ca.der)), 'odd');
    assertCompleteRecord(odd);
    assert.notEqual(odd.sha256, good.sha256);
    for (const k of [
      'subject',
      'issuer',
      'serial',
      'notBefore',
      'notAfter',
      'keyType',
      'keyBits',
      'isCA',
    ] as const)
      assert.deepEqual(odd[k], good[k], k);
    assert.match(factsFor(odd).fatal ?? '', /cannot be decoded: non-minimal DER length/);
    assert.equal(factsFor(good).fatal, null);
  });
});
