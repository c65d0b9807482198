import assert from 'node:assert/strict';
import { Pki } from '../support/pki.js';
import { TempDir } from '../support/fs.js';
import { runCli } from '../support/cli.js';
import { startTlsServer, type TlsServer } from '../support/tls-servers.js';

describe('certwarden inspect', function () {
  let tmp: TempDir;
  let server: TlsServer;
  let leafSha: string;
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
    tmp.write('chain.pem', pki.chainPem(leaf, issuing, root));
    tmp.write('with-key.pem', leaf.pem + leaf.keyPem);
    server = await startTlsServer({ key: leaf.keyPem, cert: pki.chainPem(leaf, issuing) });
  });
  after(async () => {
    await server.close();
    tmp.cleanup();
  });

  it('shows every certificate of a file, escapes control characters, and judges the chain with the CAs the file holds', async () => {
    const r = await runCli(['inspect', 'chain.pem'], { cwd: tmp.dir });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /3 certificate\(s\)/);
    assert.match(r.stdout, new RegExp(leafSha));
    assert.ok(!r.stdout.includes('\u001b'), 'no raw escape character reaches the terminal');
    assert.match(r.stdout, /CN=inspect\.test\\1B\[31m/);
    assert.match(r.stdout, /trusted\s+yes, chains to file:Inspect Root/);
  });

  it('refuses a file holding a private key without showing it', async () => {
    const r = await runCli(['inspect', 'with-key.pem'], { cwd: tmp.dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /private key/);
    assert.ok(!r.stderr.includes('PRIVATE KEY-----\n'), r.stderr);
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

  it('says what it expected when the target is neither a file nor host:port', async () => {
    const r = await runCli(['inspect', 'nonsense'], { cwd: tmp.dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /neither an existing file nor host:port/);
  });
});
