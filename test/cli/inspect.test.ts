import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { symlinkSync, truncateSync } from 'node:fs';
import { Pki } from '../support/pki.js';
import { TempDir } from '../support/fs.js';
import { runCli } from '../support/cli.js';
import { startTlsServer, type TlsServer } from '../support/tls-servers.js';

describe('certwarden inspect', function () {
  let tmp: TempDir;
  let server: TlsServer;
  let leafSha: string;
  let keyBody: string;
  before(async () => {
    tmp = new TempDir();
    const pki = new Pki();
    const root = await pki.ca({ cn: 'Inspect Root' });
    const issuing = await pki.ca({ cn: 'Inspect Issuing', issuer: root });
    const leaf = await pki.leaf({
      cn: 'inspect.test\u001b[31m',
      dns: ['inspect.test'],
      issuer: issuing,
      eku: ['serverAuth'],
    });
    leafSha = leaf.sha256;
    // The base64 body of the key: it must appear nowhere in what inspect prints.
    keyBody = leaf.keyPem.split('\n')[1]!;
    tmp.write('chain.pem', pki.chainPem(leaf, issuing, root));
    tmp.write('with-key.pem', leaf.pem + leaf.keyPem);
    tmp.write('only-key.pem', leaf.keyPem);
    const selfSigned = await pki.ca({ cn: 'Lonely Self-Signed' });
    tmp.write('self-signed.pem', selfSigned.pem);
    tmp.write('root.pem', root.pem);
    execFileSync('mkfifo', [tmp.path('pipe.pem')]);
    symlinkSync('/dev/zero', tmp.path('zero.pem'));
    // A sparse file over the 16 MiB cap: stat says its size, no disk is used.
    tmp.write('huge.pem', '');
    truncateSync(tmp.path('huge.pem'), 17 * 1024 * 1024);
    execFileSync('openssl', [
      'pkcs12',
      '-export',
      '-nokeys',
      '-in',
      tmp.path('root.pem'),
      '-passout',
      'pass:s3cret',
      '-out',
      tmp.path('locked.p12'),
    ]);
    server = await startTlsServer({ key: leaf.keyPem, cert: pki.chainPem(leaf, issuing) });
  });
  after(async () => {
    await server.close();
    tmp.cleanup();
  });

  it('shows every certificate of a file, escapes control characters, and does not trust the root the file carries', async () => {
    const r = await runCli(['inspect', 'chain.pem'], { cwd: tmp.dir });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /3 certificate\(s\)/);
    assert.match(r.stdout, new RegExp(leafSha));
    assert.ok(!r.stdout.includes('\u001b'), 'no raw escape character reaches the terminal');
    assert.match(r.stdout, /CN=inspect\.test\\1B\[31m/);
    assert.match(
      r.stdout,
      /trusted\s+NO: chains to the self-signed root in this file, which is not a trusted anchor: CN=Inspect Root/,
    );
    assert.doesNotMatch(r.stdout, /trusted\s+yes/);
  });

  it("says a lone self-signed certificate is not trusted, naming it as the file's own root", async () => {
    const r = await runCli(['inspect', 'self-signed.pem'], { cwd: tmp.dir });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      /trusted\s+NO: chains to the self-signed root in this file, which is not a trusted anchor: CN=Lonely Self-Signed/,
    );
  });

  it('reads the certificate next to its private key, notes the skipped key block, and never shows the key', async () => {
    const r = await runCli(['inspect', 'with-key.pem'], { cwd: tmp.dir });
    assert.equal(r.code, 1, 'the leaf alone does not chain to a public root');
    assert.match(r.stdout, /1 certificate\(s\)/);
    assert.match(r.stdout, new RegExp(leafSha));
    assert.match(r.stdout, /note\s+skipped a private key block \("PRIVATE KEY"\) at line \d+ unread/);
    assert.ok(!(r.stdout + r.stderr).includes(keyBody), 'no byte of the key is printed');
    assert.ok(!(r.stdout + r.stderr).includes('BEGIN PRIVATE KEY'));
  });

  it('refuses a file holding only a private key without showing it', async () => {
    const r = await runCli(['inspect', 'only-key.pem'], { cwd: tmp.dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /private key and no certificate/);
    assert.ok(!(r.stdout + r.stderr).includes(keyBody), r.stderr);
  });

  it('refuses a FIFO, a device and an oversized file from their stat, without hanging', async () => {
    const fifo = await runCli(['inspect', 'pipe.pem'], { cwd: tmp.dir });
    assert.equal(fifo.code, 2);
    assert.match(fifo.stderr, /pipe\.pem: not a regular file: a FIFO \(named pipe\)/);
    const zero = await runCli(['inspect', 'zero.pem'], { cwd: tmp.dir });
    assert.equal(zero.code, 2);
    assert.match(zero.stderr, /not a regular file: a character device/);
    const direct = await runCli(['inspect', '/dev/zero']);
    assert.equal(direct.code, 2);
    assert.match(direct.stderr, /not a regular file: a character device/);
    const huge = await runCli(['inspect', 'huge.pem'], { cwd: tmp.dir });
    assert.equal(huge.code, 2);
    assert.match(huge.stderr, /file is 17825792 bytes, larger than the 16 MiB cap/);
  });

  it('names the --password flag when a PKCS#12 file needs a password, and opens it with one', async () => {
    const r = await runCli(['inspect', 'locked.p12'], { cwd: tmp.dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /needs a password: pass --password ENV/);
    assert.doesNotMatch(r.stderr, /passwordEnv/);
    const ok = await runCli(['inspect', 'locked.p12', '--password', 'P12_PW'], {
      cwd: tmp.dir,
      env: { P12_PW: 's3cret' },
    });
    assert.match(ok.stdout, /pkcs12, 1 certificate\(s\)/, ok.stderr);
  });

  it('shows what a live server presents, as sent, and says it is not publicly trusted', async () => {
    const r = await runCli([
      'inspect',
      `127.0.0.1:${server.port}`,
      '--server-name',
      'inspect.test',
      '--timeout',
      '3000',
    ]);
    assert.equal(r.code, 1, 'a private chain is not trusted by the public roots');
    assert.match(r.stdout, /chain\s+2 certificate\(s\) as sent, read from the handshake/);
    assert.match(r.stdout, /SNI inspect\.test/);
    assert.match(r.stdout, /trusted\s+NO/);
  });

  it('says what it expected when the target is neither a file nor a server', async () => {
    const r = await runCli(['inspect', 'not a host'], { cwd: tmp.dir });
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /neither an existing file nor a server \(host, host:port, https:\/\/host\[:port\], \[v6\]:port\)/,
    );
    const f = await runCli(['inspect', 'certs/missing.pem'], { cwd: tmp.dir });
    assert.equal(f.code, 2);
    assert.match(f.stderr, /certs\/missing\.pem: no such file/);
  });
});
