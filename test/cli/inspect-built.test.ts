// certwarden inspect as a user runs it: the built CLI (dist/cli.js) against `openssl s_server` on
// loopback with a private CA, the system store (redirected with SSL_CERT_FILE as OpenSSL tools
// allow, and a real system root file), PKCS#12 stores made by openssl, and JSON that validates
// against schemas/inspect.v1.schema.json.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { Pki, x509 } from '../support/pki.js';
import { TempDir } from '../support/fs.js';
import { startOpensslServer, type NginxLab } from '../support/nginx.js';
import { startRawServer } from '../support/tls-servers.js';
import { repoRoot, runBuilt } from '../support/built-cli.js';
import { parseServerTarget } from '../../src/commands/inspect.js';

const schema = JSON.parse(readFileSync(`${repoRoot}/schemas/inspect.v1.schema.json`, 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats.default(ajv);
const validateInspect = ajv.compile(schema);

function valid(json: string): any {
  const doc = JSON.parse(json);
  assert.ok(validateInspect(doc), JSON.stringify(validateInspect.errors, null, 2));
  return doc;
}

describe('certwarden inspect, the built CLI', function () {
  this.timeout(60_000);
  let tmp: TempDir;
  let server: NginxLab;
  let selfSignedServer: NginxLab;
  let port: number;
  let leafSha: string;
  let keyBody: string;
  // A real root of this machine's store, when the OS has the usual Debian layout.
  const systemRoot = '/etc/ssl/certs/ISRG_Root_X1.pem';

  before(async () => {
    tmp = new TempDir();
    const pki = new Pki();
    const root = await pki.ca({ cn: 'Private Root', o: ['Inspect Test'] });
    const issuing = await pki.ca({ cn: 'Private Issuing', issuer: root, pathLen: 0 });
    const other = await pki.ca({ cn: 'Other Root' });
    const leaf = await pki.leaf({
      cn: 'localhost',
      dns: ['localhost'],
      ips: ['127.0.0.1'],
      issuer: issuing,
      eku: ['serverAuth'],
      extensions: [
        new x509.AuthorityInfoAccessExtension({
          ocsp: [new x509.GeneralName('url', 'http://127.0.0.1:9/ocsp')],
          caIssuers: [new x509.GeneralName('url', 'http://127.0.0.1:9/issuing.crt')],
        }),
        new x509.CRLDistributionPointsExtension(['http://127.0.0.1:9/issuing.crl']),
        new x509.CertificatePolicyExtension(['2.23.140.1.2.1']),
      ],
    });
    leafSha = leaf.sha256;
    keyBody = leaf.keyPem.split('\n')[1]!;
    tmp.write('root.pem', root.pem);
    tmp.write('other.pem', other.pem);
    tmp.write('leaf.pem', leaf.pem);
    tmp.write('leaf.key', leaf.keyPem);
    tmp.write('chain.pem', issuing.pem);
    tmp.write('bundle.pem', pki.chainPem(root, issuing, other));
    mkdirSync(tmp.path('empty-dir'));
    // A PKCS#12 trust store of the three CAs, and a PKCS#12 identity (key, leaf and chain), by openssl.
    const p12 = (args: string[]) =>
      execFileSync('openssl', ['pkcs12', '-export', '-passout', 'pass:s3cret', ...args], { cwd: tmp.dir });
    p12(['-nokeys', '-in', 'bundle.pem', '-out', 'store.p12']);
    p12(['-in', 'leaf.pem', '-inkey', 'leaf.key', '-certfile', 'chain.pem', '-out', 'identity.p12']);
    server = await startOpensslServer({ certPem: leaf.pem, keyPem: leaf.keyPem, chainPem: issuing.pem });
    port = server.ports[0]!;
    // `openssl req -x509` style: a self-signed CA:TRUE certificate served as the server's leaf.
    const selfSigned = await pki.ca({ cn: 'localhost', dns: ['localhost'] });
    tmp.write('self-signed.pem', selfSigned.pem);
    selfSignedServer = await startOpensslServer({ certPem: selfSigned.pem, keyPem: selfSigned.keyPem });
  });
  after(async () => {
    await server?.stop();
    await selfSignedServer?.stop();
    tmp?.cleanup();
  });

  it('trusts a private chain through --ca, for the server name, and shows every extension of each certificate', async () => {
    const r = await runBuilt(
      ['inspect', `127.0.0.1:${port}`, '--servername', 'localhost', '--ca', 'root.pem'],
      {
        cwd: tmp.dir,
      },
    );
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const out = r.stdout;
    assert.match(out, /^endpoint {3}127\.0\.0\.1:\d+ \(SNI localhost\)$/m);
    assert.match(out, /^chain {6}2 certificate\(s\) as sent, read from the handshake/m);
    assert.match(
      out,
      /^\[0\] leaf\n {4}subject {3}CN=localhost\n {4}issuer {4}CN=Private Issuing\n {4}serial {4}[0-9a-f]+$/m,
    );
    assert.match(out, /^ {4}valid {5}\S+ \.\. \S+ \((36[45]|36[0-9]) days remaining\)$/m);
    assert.match(out, /^ {4}SANs {6}DNS:localhost, IP:127\.0\.0\.1$/m);
    assert.match(out, /^ {4}CA {8}no \(basic constraints, critical\)$/m);
    assert.match(out, /^ {4}key usage digitalSignature/m);
    assert.match(out, /^ {4}ext usage serverAuth$/m);
    assert.match(out, /^ {4}SKI {7}[0-9a-f]{40}$/m);
    assert.match(out, /^ {4}AKI {7}[0-9a-f]{40}$/m);
    assert.match(out, /^ {4}OCSP {6}http:\/\/127\.0\.0\.1:9\/ocsp$/m);
    assert.match(out, /^ {4}CA issuer http:\/\/127\.0\.0\.1:9\/issuing\.crt$/m);
    assert.match(out, /^ {4}CRL {7}http:\/\/127\.0\.0\.1:9\/issuing\.crl$/m);
    assert.match(out, /^ {4}policies {2}2\.23\.140\.1\.2\.1 \(domain validated\)$/m);
    assert.match(out, /^\[1\] intermediate CA\n {4}subject {3}CN=Private Issuing/m);
    assert.match(out, /^ {4}CA {8}yes, path length 0 \(basic constraints, critical\)$/m);
    assert.match(out, /^anchors {4}--ca root\.pem \(1\) \+ the system store/m);
    assert.match(
      out,
      /^trusted {4}yes, chains to Private Root \(--ca root\.pem\) and is valid for localhost$/m,
    );
    assert.ok(out.includes(leafSha));
    assert.ok(!out.includes(keyBody));
  });

  it('accepts https://host:port and the old --server-name, and checks the name it is given', async () => {
    const r = await runBuilt(
      ['inspect', `https://127.0.0.1:${port}/some/path`, '--server-name', 'localhost', '--ca', 'root.pem'],
      { cwd: tmp.dir },
    );
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const wrongName = await runBuilt(
      ['inspect', `127.0.0.1:${port}`, '--servername', 'other.test', '--ca', 'root.pem'],
      { cwd: tmp.dir },
    );
    assert.equal(wrongName.code, 1);
    assert.match(wrongName.stdout, /^trusted {4}NO$/m);
    assert.match(wrongName.stdout, /other\.test/);
  });

  it('says NO without the private CA, and exits 1', async () => {
    const r = await runBuilt(['inspect', `127.0.0.1:${port}`, '--servername', 'localhost'], { cwd: tmp.dir });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^trusted {4}NO$/m);
    assert.match(r.stdout, /^ {2}- \S+: /m);
  });

  it('trusts a root of the system store by default; --trust bundled and --trust none do not', async () => {
    // OpenSSL-based tools (and node 24's system store) read SSL_CERT_FILE / SSL_CERT_DIR.
    const env = { SSL_CERT_FILE: tmp.path('root.pem'), SSL_CERT_DIR: tmp.path('empty-dir') };
    const sys = await runBuilt(['inspect', `127.0.0.1:${port}`, '--servername', 'localhost'], {
      cwd: tmp.dir,
      env,
    });
    assert.equal(sys.code, 0, sys.stdout + sys.stderr);
    assert.match(sys.stdout, /^anchors {4}the system store \(\S+, 1\)$/m);
    assert.match(sys.stdout, /^trusted {4}yes, chains to Private Root \(system store\)/m);
    const bundled = await runBuilt(
      ['inspect', `127.0.0.1:${port}`, '--servername', 'localhost', '--trust', 'bundled'],
      { cwd: tmp.dir, env },
    );
    assert.equal(bundled.code, 1);
    assert.match(bundled.stdout, /^anchors {4}node's bundled roots \(tls\.rootCertificates, \d+\)$/m);
    const none = await runBuilt(
      ['inspect', `127.0.0.1:${port}`, '--servername', 'localhost', '--trust', 'none'],
      {
        cwd: tmp.dir,
        env,
      },
    );
    assert.equal(none.code, 1);
    assert.match(none.stdout, /--trust none and no --ca: nothing is trusted/);
  });

  it('trusts a real root of the system store as itself', async function () {
    if (!existsSync(systemRoot)) this.skip();
    const r = await runBuilt(['inspect', systemRoot]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^\[0\] root \(self-signed CA\)$/m);
    assert.match(r.stdout, /^trusted {4}yes, chains to ISRG Root X1 \(system store\)$/m);
  });

  it('shows a CA bundle and the system bundle as stores, not as chains', async function () {
    const r = await runBuilt(['inspect', 'bundle.pem'], { cwd: tmp.dir });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      /^store {6}3 CA certificate\(s\), a trust store or CA bundle \(not a chain\): 3 valid now$/m,
    );
    assert.match(r.stdout, /^\[0\] root \(self-signed CA\)\n {4}subject {3}O=Inspect Test,CN=Private Root/m);
    assert.match(r.stdout, /^\[1\] intermediate CA$/m);
    assert.doesNotMatch(r.stdout, /does not issue|out of order|^trusted/m);
    const system = '/etc/ssl/certs/ca-certificates.crt';
    if (!existsSync(system)) return;
    const s = await runBuilt(['inspect', system]);
    assert.match(s.stdout, /^store {6}\d+ CA certificate\(s\), a trust store or CA bundle \(not a chain\)/m);
    assert.doesNotMatch(s.stdout, /does not issue|out of order/);
    assert.ok(s.stdout.split('\n').length < 400, 'one line per certificate');
  });

  it('reads PKCS#12 stores made by openssl: a trust store, and an identity whose chain is trusted via --ca', async () => {
    const store = await runBuilt(['inspect', 'store.p12', '--password', 'P12_PW'], {
      cwd: tmp.dir,
      env: { P12_PW: 's3cret' },
    });
    assert.equal(store.code, 0, store.stdout + store.stderr);
    assert.match(store.stdout, /^file {7}\S+store\.p12 \(pkcs12, 3 certificate\(s\)\)$/m);
    assert.match(store.stdout, /^store {6}3 CA certificate\(s\)/m);
    const id = await runBuilt(['inspect', 'identity.p12', '--password', 'P12_PW', '--ca', 'root.pem'], {
      cwd: tmp.dir,
      env: { P12_PW: 's3cret' },
    });
    assert.equal(id.code, 0, id.stdout + id.stderr);
    assert.match(id.stdout, /^\[0\] leaf\n {4}subject {3}CN=localhost/m);
    assert.match(id.stdout, /^trusted {4}yes, chains to Private Root \(--ca root\.pem\)$/m);
    assert.ok(!(id.stdout + id.stderr).includes(keyBody), 'the key in the keystore is never shown');
    const json = await runBuilt(['inspect', 'store.p12', '--password', 'P12_PW', '--format', 'json'], {
      cwd: tmp.dir,
      env: { P12_PW: 's3cret' },
    });
    const doc = valid(json.stdout);
    assert.equal(doc.presentation, 'store');
    assert.equal(doc.trust.verdict, 'not-applicable');
    assert.deepEqual(
      doc.certificates.map((c: any) => c.role),
      ['root', 'intermediate', 'root'],
    );
  });

  it('labels a CA certificate a server sends first as its leaf', async () => {
    const r = await runBuilt(
      [
        'inspect',
        `127.0.0.1:${selfSignedServer.ports[0]}`,
        '--servername',
        'localhost',
        '--ca',
        'self-signed.pem',
      ],
      { cwd: tmp.dir },
    );
    assert.match(r.stdout, /^\[0\] leaf \(a CA certificate served as the leaf\)$/m);
    const json = valid(
      (
        await runBuilt(
          [
            'inspect',
            `127.0.0.1:${selfSignedServer.ports[0]}`,
            '--servername',
            'localhost',
            '--format',
            'json',
          ],
          { cwd: tmp.dir },
        )
      ).stdout,
    );
    assert.equal(json.certificates[0].role, 'leaf');
    assert.equal(json.certificates[0].basicConstraints.ca, true);
  });

  it('prints JSON that validates against schemas/inspect.v1.schema.json, with the extensions and the verdict', async () => {
    const r = await runBuilt(
      ['inspect', `127.0.0.1:${port}`, '--servername', 'localhost', '--ca', 'root.pem', '--format', 'json'],
      { cwd: tmp.dir },
    );
    assert.equal(r.code, 0, r.stderr);
    const doc = valid(r.stdout);
    assert.equal(doc.kind, 'certwarden/inspect');
    assert.equal(doc.exitCode, 0);
    assert.equal(doc.target.endpoint.serverName, 'localhost');
    assert.equal(doc.trust.trusted, true);
    assert.equal(doc.trust.anchor, 'Private Root (--ca root.pem)');
    assert.equal(doc.trust.hostname, 'localhost');
    const [leaf, issuing] = doc.certificates;
    assert.equal(leaf.sha256, leafSha);
    assert.equal(leaf.role, 'leaf');
    assert.deepEqual(leaf.authorityInfoAccess, {
      ocsp: ['http://127.0.0.1:9/ocsp'],
      caIssuers: ['http://127.0.0.1:9/issuing.crt'],
    });
    assert.deepEqual(leaf.crlDistributionPoints, ['http://127.0.0.1:9/issuing.crl']);
    assert.deepEqual(leaf.certificatePolicies, [{ oid: '2.23.140.1.2.1', name: 'domain validated' }]);
    assert.deepEqual(leaf.extendedKeyUsage, { usages: ['serverAuth'], critical: false });
    assert.equal(leaf.basicConstraints.ca, false);
    assert.equal(issuing.role, 'intermediate');
    assert.equal(issuing.basicConstraints.pathLen, 0);
    assert.equal(leaf.authorityKeyId, issuing.subjectKeyId);
    // a file, and a server that is not listening, validate too
    valid((await runBuilt(['inspect', 'leaf.pem', '--format', 'json'], { cwd: tmp.dir })).stdout);
    const closed = await startRawServer((s) => s.destroy());
    const closedPort = closed.port;
    await closed.close();
    const down = await runBuilt([
      'inspect',
      `127.0.0.1:${closedPort}`,
      '--format',
      'json',
      '--timeout',
      '2000',
    ]);
    assert.equal(down.code, 1);
    const d = valid(down.stdout);
    assert.equal(d.target.endpoint.reachable, false);
    assert.equal(d.certificates.length, 0);
  });

  it('refuses bad input with exit 2 and a plain message', async () => {
    const cases: [string[], RegExp][] = [
      [['inspect', 'missing/cert.pem'], /missing\/cert\.pem: no such file/],
      [['inspect', 'a b'], /neither an existing file nor a server/],
      [
        ['inspect', 'leaf.pem', '--trust', 'os'],
        /--trust 'os' is not valid; expected system, bundled or none/,
      ],
      [
        ['inspect', 'leaf.pem', '--format', 'yaml'],
        /--format 'yaml' is not valid for inspect; expected text or json/,
      ],
      [['inspect', 'leaf.pem', '--ca', 'nope.pem'], /--ca nope\.pem: no such file/],
      [['inspect', 'leaf.pem', '--ca', 'leaf.key'], /--ca leaf\.key: .*private key/],
      [['inspect', 'leaf.pem', 'extra'], /unexpected argument 'extra': certwarden inspect takes one TARGET/],
      [
        ['inspect', 'leaf.pem', '--servrname', 'x'],
        /unknown option '--servrname' \(did you mean '--servername'\?\)/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await runBuilt(args, { cwd: tmp.dir });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, message);
      assert.ok(!r.stderr.includes(keyBody));
    }
  });

  it('parses the server forms: host, host:port, https://host[:port], [v6]:port', () => {
    assert.deepEqual(parseServerTarget('example.test'), { host: 'example.test', port: 443 });
    assert.deepEqual(parseServerTarget('example.test:8443'), { host: 'example.test', port: 8443 });
    assert.deepEqual(parseServerTarget('https://example.test'), { host: 'example.test', port: 443 });
    assert.deepEqual(parseServerTarget('https://example.test:9443/x?y'), {
      host: 'example.test',
      port: 9443,
    });
    assert.deepEqual(parseServerTarget('[::1]:8443'), { host: '::1', port: 8443 });
    assert.deepEqual(parseServerTarget('https://[::1]'), { host: '::1', port: 443 });
    assert.deepEqual(parseServerTarget('::1'), { host: '::1', port: 443 });
    assert.equal(parseServerTarget('http://example.test'), null);
    assert.equal(parseServerTarget('example.test:99999'), null);
    assert.equal(parseServerTarget('a b'), null);
  });
});
