// Real trust stores read whole: the Debian CA bundle exported to PKCS#12 by openssl (with a password
// and MAC, and password-less: no MAC, certificates not encrypted, as JDK 18+ writes cacerts), Java's
// cacerts converted to PKCS#12 by keytool (what JDK 9+ writes), with and without a password. A
// parse failure is never a password problem; `format: jks` on a PKCS#12 file says so. A Secret key
// under any name (the seed layout: Secret test-management-user, key management-user) holding a
// PKCS#12 keystore reads when the target declares `format: pkcs12`.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { ParseError } from '../../src/core/errors.js';
import { readCertificates } from '../../src/x509/read.js';
import { runScan } from '../../src/pipeline.js';
import { TempDir, keytool, openssl } from '../certificates/helpers.js';
import { TempDir as InventoryDir } from '../support/fs.js';
import { KubeApiServer } from '../support/kube-api-server.js';

const BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
const JAVA_CACERTS = '/etc/ssl/certs/java/cacerts';
const PASSWORD = 'changeit';

/** How many PEM certificates the system bundle holds. */
function bundleCount(): number {
  assert.ok(existsSync(BUNDLE), `${BUNDLE} is missing: install the ca-certificates package`);
  return (readFileSync(BUNDLE, 'latin1').match(/-----BEGIN CERTIFICATE-----/g) ?? []).length;
}

function parseErrorOf(fn: () => unknown): ParseError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ParseError, `expected a ParseError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a ParseError');
}

describe('real trust stores read whole', function () {
  this.timeout(120_000);
  let dir: TempDir;
  let expected: number;
  let javaCount: number;

  before(() => {
    dir = new TempDir();
    expected = bundleCount();
    assert.ok(expected > 120, `the bundle has ${expected} certificates, more than asn1js's default allows`);
    const exportBundle = (out: string, ...extra: string[]) =>
      openssl(['pkcs12', '-export', '-nokeys', '-in', BUNDLE, '-out', dir.file(out), ...extra]);
    exportBundle('bundle.p12', '-passout', `pass:${PASSWORD}`);
    exportBundle('bundle-nopass.p12', '-passout', 'pass:', '-nomac', '-certpbe', 'NONE');
    // keytool: Java's cacerts (JKS from ca-certificates-java) to PKCS#12, as JDK 9+ writes stores,
    // and once more password-less, the way JDK 18+ ships cacerts.
    assert.ok(existsSync(JAVA_CACERTS), `${JAVA_CACERTS} is missing: install ca-certificates-java`);
    const toPkcs12 = (out: string, ...extra: string[]) =>
      keytool([
        ...extra,
        '-importkeystore',
        '-noprompt',
        '-srckeystore',
        JAVA_CACERTS,
        '-srcstorepass',
        PASSWORD,
        '-destkeystore',
        dir.file(out),
        '-deststoretype',
        'PKCS12',
        '-deststorepass',
        PASSWORD,
      ]);
    toPkcs12('cacerts.p12');
    toPkcs12(
      'cacerts-nopass.p12',
      '-J-Dkeystore.pkcs12.certProtectionAlgorithm=NONE',
      '-J-Dkeystore.pkcs12.macAlgorithm=NONE',
    );
    const listing = keytool(['-list', '-keystore', JAVA_CACERTS, '-storepass', PASSWORD]).toString();
    javaCount = Number(/contains (\d+) entr/.exec(listing)?.[1]);
    assert.ok(javaCount > 120, `Java's cacerts has ${javaCount} entries`);
  });
  after(() => dir.remove());

  it('reads the Debian CA bundle exported to PKCS#12 by openssl, with its password', () => {
    const r = readCertificates(dir.read('bundle.p12'), {
      file: dir.file('bundle.p12'),
      format: 'pkcs12',
      password: PASSWORD,
    });
    assert.equal(r.format, 'pkcs12');
    assert.equal(r.certificates.length, expected);
    assert.deepEqual(r.warnings, []);
  });

  it('reads the password-less export (no MAC, certificates not encrypted) without a password', () => {
    const r = readCertificates(dir.read('bundle-nopass.p12'), { file: 'bundle-nopass.p12' });
    assert.equal(r.format, 'pkcs12');
    assert.equal(r.certificates.length, expected);
    assert.ok(r.warnings.some((w) => /no integrity MAC/.test(w)));
  });

  it("reads Java's cacerts converted to PKCS#12 by keytool, with a password and password-less", () => {
    const withPw = readCertificates(dir.read('cacerts.p12'), {
      file: 'cacerts.p12',
      format: 'pkcs12',
      password: PASSWORD,
    });
    assert.equal(withPw.certificates.length, javaCount);
    const without = readCertificates(dir.read('cacerts-nopass.p12'), { file: 'cacerts-nopass.p12' });
    assert.equal(without.certificates.length, javaCount);
    assert.deepEqual(
      without.certificates.map((c) => c.record.sha256).sort(),
      withPw.certificates.map((c) => c.record.sha256).sort(),
    );
  });

  it('says wrong password only for a wrong password, never for a file that does not parse', () => {
    const wrong = parseErrorOf(() =>
      readCertificates(dir.read('bundle.p12'), { file: 'bundle.p12', format: 'pkcs12', password: 'nope' }),
    );
    assert.equal(wrong.kind, 'password');
    assert.doesNotMatch(wrong.message, /nope/, 'the password is never echoed');
    // Cut short: the structure is broken; that is what the error says, whatever the password.
    const whole = dir.read('bundle.p12');
    for (const password of [PASSWORD, 'nope', undefined]) {
      const cut = parseErrorOf(() =>
        readCertificates(whole.subarray(0, Math.floor(whole.length * 0.6)), {
          file: 'cut.p12',
          format: 'pkcs12',
          ...(password !== undefined ? { password } : {}),
        }),
      );
      assert.notEqual(cut.kind, 'password', cut.message);
    }
  });

  it('names the real format when the declared one is wrong', () => {
    const asJks = parseErrorOf(() =>
      readCertificates(dir.read('cacerts.p12'), { file: 'cacerts.p12', format: 'jks', password: PASSWORD }),
    );
    assert.match(asJks.message, /is a PKCS#12 keystore, not JKS.*use format: pkcs12/);
    const asP12 = parseErrorOf(() =>
      readCertificates(readFileSync(JAVA_CACERTS), { file: 'cacerts', format: 'pkcs12', password: PASSWORD }),
    );
    assert.match(asP12.message, /Java keystore \(JKS\), not PKCS#12: use format: jks/);
  });
});

describe('a keystore in a Secret key under any name (seed layout)', function () {
  this.timeout(60_000);
  let server: KubeApiServer;
  let tmp: InventoryDir;
  let certs: TempDir;
  let leafSha: string;
  let rootSha: string;

  before(async () => {
    server = await KubeApiServer.start();
    tmp = new InventoryDir();
    certs = new TempDir();
    const root = await server.pki.ca({ cn: 'MES Users CA' });
    const user = await server.pki.leaf({ cn: 'management-user', issuer: root, eku: ['clientAuth'] });
    leafSha = user.sha256;
    rootSha = root.sha256;
    certs.write('user.pem', user.pem);
    certs.write('user.key', user.keyPem);
    certs.write('root.pem', root.pem);
    openssl(
      [
        'pkcs12',
        '-export',
        '-in',
        'user.pem',
        '-inkey',
        'user.key',
        '-certfile',
        'root.pem',
        '-passout',
        `pass:${PASSWORD}`,
        '-out',
        'management-user.p12',
      ],
      certs.path,
    );
    server.add('Secret', {
      metadata: { name: 'test-management-user', namespace: 'mtg' },
      type: 'Opaque',
      data: { 'management-user': certs.read('management-user.p12').toString('base64') },
    });
    const target = (id: string, extra: Record<string, unknown>) => ({
      id,
      kubernetes: {
        cluster: 'avilla',
        kind: 'Secret',
        namespace: 'mtg',
        name: 'test-management-user',
        key: 'management-user',
        ...extra,
      },
    });
    tmp.write('inventory/cluster.yaml', {
      apiVersion: 'certwarden/v1',
      kind: 'Inventory',
      metadata: { name: 'avilla' },
      defaults: { policies: [] },
      clusters: [{ name: 'avilla', kubeconfig: { env: 'KUBECONFIG_AVILLA' } }],
      targets: [
        target('management-user', { format: 'pkcs12', passwordEnv: 'MGMT_PASSWORD' }),
        target('management-user-undeclared-format', {}),
      ],
    });
  });
  after(async () => {
    await server.close();
    tmp.cleanup();
    certs.remove();
  });

  it('reads the PKCS#12 under key management-user when the target declares format: pkcs12', async () => {
    const { report } = await runScan({
      inventoryDirs: [tmp.path('inventory')],
      policyDirs: [],
      env: { KUBECONFIG_AVILLA: server.kubeconfig({ auth: 'token' }), MGMT_PASSWORD: PASSWORD },
      failOn: 'never',
    });
    const t = report.targets.find((x) => x.id === 'management-user')!;
    assert.equal(t.status, 'ok', JSON.stringify(report.findings, null, 2));
    assert.deepEqual(
      t.certificates.map((c) => c.sha256),
      [leafSha, rootSha],
    );
    assert.equal(t.certificates[0]?.role, 'leaf');
    // Without the format the key's bytes are not certificates: the error says what to declare.
    const other = report.findings.find((f) => f.target === 'management-user-undeclared-format');
    assert.equal(other?.check, 'source.error');
    assert.match(other!.message, /format: pkcs12 or jks/);
  });
});
