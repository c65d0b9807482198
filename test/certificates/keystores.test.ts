import assert from 'node:assert/strict';
import { ParseError } from '../../src/core/errors.js';
import { rc2CbcDecrypt } from '../../src/x509/stores/pbe.js';
import { containsPrivateKey, readCertificates, type ReadResult } from '../../src/x509/read.js';
import { Pki, type Issued } from '../support/pki.js';
import { TempDir, keytool, openssl } from './helpers.js';

const PASSWORD = 'S3cret-pässword';
// Java's PKCS#12 code refuses non-ASCII passwords.
const JAVA_PASSWORD = 'S3cret-password';

function isPasswordError(e: unknown, file: string): boolean {
  assert.ok(e instanceof ParseError, `expected a ParseError, got ${String(e)}`);
  assert.equal(e.kind, 'password');
  assert.equal(e.file, file);
  for (const pw of [PASSWORD, JAVA_PASSWORD, 'wrong-one'])
    assert.ok(!e.message.includes(pw), 'the password is never echoed');
  return true;
}

describe('keystores', () => {
  const pki = new Pki();
  let root: Issued;
  let leaf: Issued;
  let dir: TempDir;

  before(async function () {
    this.timeout(120_000);
    root = await pki.ca({ cn: 'Keystore Root', key: 'rsa2048' });
    leaf = await pki.leaf({ cn: 'keystore.example', key: 'rsa2048', issuer: root });
    dir = new TempDir();
    dir.write('leaf.pem', leaf.pem);
    dir.write('root.pem', root.pem);
    dir.write('leaf.key', leaf.keyPem);
    const pass = `pass:${PASSWORD}`;
    const exp = (out: string, ...extra: string[]) =>
      openssl(
        [
          'pkcs12',
          '-export',
          '-in',
          'leaf.pem',
          '-inkey',
          'leaf.key',
          '-certfile',
          'root.pem',
          '-name',
          'web',
          '-passout',
          pass,
          '-out',
          out,
          ...extra,
        ],
        dir.path,
      );
    exp('modern.p12');
    exp('legacy.p12', '-legacy');
    exp('3des.p12', '-certpbe', 'PBE-SHA1-3DES', '-keypbe', 'PBE-SHA1-3DES', '-macalg', 'sha1');
    exp('rc2-128.p12', '-legacy', '-certpbe', 'PBE-SHA1-RC2-128');
    exp('rc4.p12', '-legacy', '-certpbe', 'PBE-SHA1-RC4-128');
    exp('nomac.p12', '-nomac', '-certpbe', 'AES-256-CBC');
    exp('plaincerts.p12', '-certpbe', 'NONE');
    openssl(
      ['pkcs12', '-export', '-nokeys', '-in', 'root.pem', '-passout', 'pass:', '-out', 'empty-pw.p12'],
      dir.path,
    );
    // keytool: truststores (PKCS12 and JKS) and keystores with a private key entry (JKS, JCEKS).
    const jpw = JAVA_PASSWORD;
    openssl(
      [
        'pkcs12',
        '-export',
        '-in',
        'leaf.pem',
        '-inkey',
        'leaf.key',
        '-certfile',
        'root.pem',
        '-name',
        'web',
        '-passout',
        `pass:${jpw}`,
        '-out',
        'for-java.p12',
      ],
      dir.path,
    );
    keytool(
      [
        '-importcert',
        '-noprompt',
        '-alias',
        'structures-root',
        '-file',
        'root.pem',
        '-keystore',
        'trust.p12',
        '-storetype',
        'PKCS12',
        '-storepass',
        jpw,
      ],
      dir.path,
    );
    keytool(
      [
        '-importcert',
        '-noprompt',
        '-alias',
        'structures-root',
        '-file',
        'root.pem',
        '-keystore',
        'trust.jks',
        '-storetype',
        'JKS',
        '-storepass',
        jpw,
      ],
      dir.path,
    );
    for (const type of ['JKS', 'JCEKS']) {
      keytool(
        [
          '-importkeystore',
          '-noprompt',
          '-srckeystore',
          'for-java.p12',
          '-srcstoretype',
          'PKCS12',
          '-srcstorepass',
          jpw,
          '-destkeystore',
          `keys.${type.toLowerCase()}`,
          '-deststoretype',
          type,
          '-deststorepass',
          jpw,
        ],
        dir.path,
      );
      keytool(
        [
          '-importcert',
          '-noprompt',
          '-alias',
          'extra-root',
          '-file',
          'root.pem',
          '-keystore',
          `keys.${type.toLowerCase()}`,
          '-storetype',
          type,
          '-storepass',
          jpw,
        ],
        dir.path,
      );
    }
  });
  after(() => dir?.remove());

  const read = (name: string, ...pw: [string | undefined] | []): ReadResult =>
    readCertificates(dir.read(name), { file: name, password: pw.length ? pw[0] : PASSWORD });

  for (const [name, what] of [
    ['modern.p12', 'OpenSSL 3 defaults (PBES2, PBKDF2, AES-256-CBC, SHA-256 MAC)'],
    ['legacy.p12', 'openssl -legacy (RC2-40 certificates, 3DES keys, SHA-1 MAC)'],
    ['3des.p12', 'pbeWithSHAAnd3-KeyTripleDES-CBC'],
    ['rc2-128.p12', 'pbeWithSHAAnd128BitRC2-CBC'],
    ['rc4.p12', 'pbeWithSHAAnd128BitRC4'],
    ['plaincerts.p12', 'unencrypted certificates'],
  ] as const) {
    it(`reads the certificates of a PKCS#12 file made with ${what}, ignoring the key`, () => {
      const r = read(name);
      assert.equal(r.format, 'pkcs12');
      assert.deepEqual(r.certificates.map((c) => c.record.sha256).sort(), [leaf.sha256, root.sha256].sort());
      assert.equal(r.certificates.find((c) => c.record.sha256 === leaf.sha256)!.origin, 'alias:web');
      assert.ok(r.warnings.includes('1 private key entry ignored'), r.warnings.join('; '));
    });
  }

  it('reads a PKCS#12 file without MAC and warns that it is not authenticated', () => {
    const r = read('nomac.p12');
    assert.equal(r.certificates.length, 2);
    assert.ok(r.warnings.some((w) => /no integrity MAC/.test(w)));
  });

  it('opens a PKCS#12 truststore with an empty password when none is given', () => {
    const r = read('empty-pw.p12', undefined);
    assert.deepEqual(
      r.certificates.map((c) => c.record.sha256),
      [root.sha256],
    );
  });

  it('reports a wrong PKCS#12 password as a password error that names the file, not the password', () => {
    for (const name of ['modern.p12', 'legacy.p12', 'nomac.p12']) {
      assert.throws(
        () => read(name, 'wrong-one'),
        (e: unknown) =>
          isPasswordError(e, name) && /wrong password.*environment variable/.test((e as Error).message),
      );
    }
    assert.throws(
      () => read('modern.p12', undefined),
      (e: unknown) => isPasswordError(e, 'modern.p12') && /needs a password/.test((e as Error).message),
    );
  });

  it('reads a keytool PKCS#12 truststore with the alias as origin', () => {
    const r = read('trust.p12', JAVA_PASSWORD);
    assert.equal(r.format, 'pkcs12');
    assert.deepEqual(
      r.certificates.map((c) => [c.origin, c.record.sha256]),
      [['alias:structures-root', root.sha256]],
    );
    assert.deepEqual(r.warnings, []);
  });

  it('reads a JKS truststore and verifies its integrity digest with the password', () => {
    const r = read('trust.jks', JAVA_PASSWORD);
    assert.equal(r.format, 'jks');
    assert.deepEqual(
      r.certificates.map((c) => [c.origin, c.record.sha256]),
      [['alias:structures-root', root.sha256]],
    );
    assert.deepEqual(r.warnings, []);
    assert.throws(
      () => read('trust.jks', 'wrong-one'),
      (e: unknown) => isPasswordError(e, 'trust.jks'),
    );
    const unchecked = read('trust.jks', undefined);
    assert.equal(unchecked.certificates.length, 1);
    assert.ok(unchecked.warnings.some((w) => /integrity not verified/.test(w)));
  });

  for (const type of ['jks', 'jceks']) {
    it(`reads the certificate chain of a ${type.toUpperCase()} private key entry without touching the key`, () => {
      const r = read(`keys.${type}`, JAVA_PASSWORD);
      assert.equal(r.format, 'jks');
      const byOrigin = Object.fromEntries(r.certificates.map((c) => [c.origin, c.record.sha256]));
      assert.deepEqual(byOrigin, {
        'alias:web': leaf.sha256,
        'alias:web[1]': root.sha256,
        'alias:extra-root': root.sha256,
      });
      assert.ok(r.warnings.includes('1 private key entry ignored'));
    });
  }

  it('detects a tampered JKS store as an integrity failure', () => {
    const bytes = Buffer.from(dir.read('trust.jks'));
    bytes[bytes.length - 30]! ^= 1;
    assert.throws(
      () => readCertificates(bytes, { file: 'tampered.jks', password: JAVA_PASSWORD }),
      (e: unknown) => e instanceof ParseError && (e.kind === 'password' || e.kind === 'x509'),
    );
  });

  it('refuses a truncated keystore with a jks error instead of crashing', () => {
    const bytes = dir.read('keys.jks').subarray(0, 200);
    assert.throws(
      () => readCertificates(bytes, { file: 'cut.jks', password: JAVA_PASSWORD }),
      (e: unknown) => e instanceof ParseError && e.kind === 'jks' && /truncated|runs past/.test(e.message),
    );
  });

  it('counts keystores with key entries as files that contain a private key, truststores as not', () => {
    assert.equal(containsPrivateKey(dir.read('modern.p12')), true);
    assert.equal(containsPrivateKey(dir.read('keys.jks')), true);
    assert.equal(containsPrivateKey(dir.read('keys.jceks')), true);
    assert.equal(containsPrivateKey(dir.read('trust.p12')), false);
    assert.equal(containsPrivateKey(dir.read('trust.jks')), false);
  });

  it('refuses damaged keystores (truncated, bit-flipped, bogus lengths) with a ParseError, never a crash', () => {
    let seed = 4242;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return Math.floor((seed / 0x7fffffff) * n);
    };
    for (const [name, pw] of [
      ['modern.p12', PASSWORD],
      ['legacy.p12', PASSWORD],
      ['keys.jks', JAVA_PASSWORD],
      ['trust.p12', JAVA_PASSWORD],
    ] as const) {
      const orig = dir.read(name);
      let refused = 0;
      for (let k = 0; k < 150; k++) {
        let m = Buffer.from(orig);
        if (k % 3 === 0) m = m.subarray(0, rnd(m.length));
        else if (k % 3 === 1) for (let j = 0; j <= rnd(3); j++) m[rnd(m.length)]! ^= 1 << rnd(8);
        else {
          const p = rnd(m.length);
          m = Buffer.concat([m.subarray(0, p), Buffer.from([0x84, 0x7f, 0xff, 0xff, 0xff]), m.subarray(p)]);
        }
        try {
          readCertificates(m, { file: name, password: pw });
        } catch (e) {
          assert.ok(
            e instanceof ParseError && e.file === name,
            `${name} #${k}: only a ParseError naming the file, got ${String(e)}`,
          );
          refused++;
        }
        assert.equal(typeof containsPrivateKey(m), 'boolean');
      }
      assert.ok(refused > 100, `${name}: damage is detected (${refused}/150 refused)`);
    }
  });

  it('decrypts RC2 exactly as the RFC 2268 test vectors say', () => {
    const vectors: [string, number, string, string][] = [
      ['0000000000000000', 63, '0000000000000000', 'ebb773f993278eff'],
      ['ffffffffffffffff', 64, 'ffffffffffffffff', '278b27e42e2f0d49'],
      ['3000000000000000', 64, '1000000000000001', '30649edf9be7d2c2'],
      ['88', 64, '0000000000000000', '61a8a244adacccf0'],
      ['88bca90e90875a', 64, '0000000000000000', '6ccf4308974c267f'],
      ['88bca90e90875a7f0f79c384627bafb2', 64, '0000000000000000', '1a807d272bbe5db1'],
      ['88bca90e90875a7f0f79c384627bafb2', 128, '0000000000000000', '2269552ab0f85ca6'],
    ];
    for (const [key, bits, plain, cipher] of vectors) {
      const out = rc2CbcDecrypt(Buffer.from(key, 'hex'), bits, new Uint8Array(8), Buffer.from(cipher, 'hex'));
      assert.equal(Buffer.from(out).toString('hex'), plain, `key ${key} / ${bits} bits`);
    }
  });
});
