// OCSP stapling with a real TLS server: `openssl s_server -status_file` staples a response made by
// `openssl ocsp`; the probe asks for it (status_request), the stage verifies it, and a must-staple
// certificate on a server that staples nothing is a finding.
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pki, type Issued } from '../support/pki.js';
import { OpensslCa } from '../support/openssl-ca.js';
import { startOpensslServer, type NginxLab } from '../support/nginx.js';
import { revocationExtensions } from '../support/revocation.js';
import { probeEndpoint } from '../../src/sources/endpoint/probe.js';
import { observationFromProbe } from '../../src/sources/endpoint/collector.js';
import { Fetcher } from '../../src/sources/http/fetcher.js';
import { RevocationStage, revocationPath } from '../../src/evaluate/revocation/check.js';
import { revocationFindings } from '../../src/evaluate/revocation/findings.js';
import { parseCertificate } from '../../src/x509/parse.js';
import { runCli } from '../support/cli.js';

describe('OCSP stapling from openssl s_server', function () {
  this.timeout(60_000);
  const pki = new Pki();
  let root: Issued;
  let issuing: Issued;
  let ca: OpensslCa;
  const servers: NginxLab[] = [];
  let fetcher: Fetcher;

  before(async () => {
    root = await pki.ca({ cn: 'Staple Root' });
    issuing = await pki.ca({ cn: 'Staple Issuing', issuer: root });
    ca = new OpensslCa(issuing);
    fetcher = new Fetcher({ offline: true }); // staples need no fetch: prove it
  });
  after(async () => {
    fetcher.close();
    await Promise.all(servers.map((s) => s.stop()));
    await ca.close();
  });

  async function serve(leaf: Issued, staple: Buffer | null): Promise<number> {
    const args: string[] = [];
    if (staple) {
      const file = join(ca.dir, `staple-${servers.length}.der`);
      writeFileSync(file, staple);
      args.push('-status_file', file);
    }
    const s = await startOpensslServer({
      certPem: leaf.pem,
      keyPem: leaf.keyPem,
      chainPem: issuing.pem,
      args,
    });
    servers.push(s);
    return s.ports[0]!;
  }

  async function scan(port: number, host: string, opts: { expectStapling?: boolean } = {}) {
    const ep = { host: '127.0.0.1', port, serverName: host };
    const r = await probeEndpoint(ep, { timeoutMs: 5000 });
    const obs = observationFromProbe(host, ep, r, new Date().toISOString());
    assert.equal(obs.status, 'ok', JSON.stringify(obs.error));
    const now = new Date();
    const stage = new RevocationStage({ fetcher, now, timeoutMs: 3000 });
    const path = revocationPath(
      obs.certificates.map((c) => c.record),
      [{ id: 'root', record: parseCertificate(root.der) }],
      [],
      now,
    );
    obs.revocation = await stage.checkPath(
      path,
      obs.tls?.ocspStaple ? Buffer.from(obs.tls.ocspStaple, 'base64') : null,
    );
    const findings = revocationFindings(obs, {
      target: host,
      isEndpoint: true,
      mode: 'soft',
      expectStapling: opts.expectStapling ?? false,
      now,
      location: { file: 'inv.yaml', line: 1, column: 1 },
    });
    return { obs, findings, checks: findings.map((f) => f.check) };
  }

  it('reads and verifies a stapled good response: status from the staple, no fetch', async () => {
    const leaf = await pki.leaf({
      cn: 'stapled.test',
      dns: ['stapled.test'],
      issuer: issuing,
      extensions: revocationExtensions({ ocsp: ['http://127.0.0.1:9/'] }),
    });
    ca.valid(leaf);
    const port = await serve(leaf, ca.ocspResponse(leaf));
    const { obs, checks } = await scan(port, 'stapled.test', { expectStapling: true });
    assert.ok(obs.tls?.ocspStaple, 'the probe captured the staple');
    assert.equal(obs.revocation?.staple?.status, 'good');
    assert.equal(obs.revocation?.checks[0]?.source, 'staple');
    assert.equal(obs.revocation?.checks[0]?.status, 'good');
    assert.deepEqual(checks, []);
  });

  it('reports a stapled revoked response as revocation.revoked', async () => {
    const leaf = await pki.leaf({ cn: 'revoked-staple.test', dns: ['revoked-staple.test'], issuer: issuing });
    ca.revoke(leaf, 'keyCompromise');
    const port = await serve(leaf, ca.ocspResponse(leaf));
    const { obs, findings } = await scan(port, 'revoked-staple.test');
    assert.equal(obs.revocation?.checks[0]?.status, 'revoked');
    assert.deepEqual(
      findings.map((f) => f.check),
      ['revocation.revoked'],
    );
    assert.match(findings[0]!.message, /keyCompromise.*stapled OCSP response/);
  });

  it('a must-staple leaf on a server that staples nothing is revocation.must-staple, and expect.ocspStapling', async () => {
    const leaf = await pki.leaf({
      cn: 'must.test',
      dns: ['must.test'],
      issuer: issuing,
      extensions: revocationExtensions({ mustStaple: true }),
    });
    ca.valid(leaf);
    const bare = await serve(leaf, null);
    const none = await scan(bare, 'must.test', { expectStapling: true });
    assert.equal(none.obs.tls?.ocspStaple, undefined);
    assert.deepEqual(none.checks.sort(), ['expect.ocspStapling', 'revocation.must-staple']);
    const stapled = await serve(leaf, ca.ocspResponse(leaf));
    const ok = await scan(stapled, 'must.test', { expectStapling: true });
    assert.deepEqual(ok.checks, []);
  });

  it('inspect shows the staple and the status of each certificate, and why an answer was not trusted', async () => {
    const leaf = await pki.leaf({
      cn: 'inspect.test',
      dns: ['inspect.test'],
      issuer: issuing,
      extensions: revocationExtensions({ ocsp: ['http://127.0.0.1:9/'], mustStaple: true }),
    });
    ca.revoke(leaf, 'affiliationChanged');
    const port = await serve(leaf, ca.ocspResponse(leaf));
    const r = await runCli(['inspect', `127.0.0.1:${port}`, '--server-name', 'inspect.test', '--offline']);
    assert.match(
      r.stdout,
      /^staple {5}REVOKED at \S+ \(affiliationChanged\); thisUpdate \S+, nextUpdate \S+$/m,
    );
    assert.match(
      r.stdout,
      /^ {2}\[0\] REVOKED at \S+ \(affiliationChanged\).* from staple \[must-staple\]$/m,
    );
    assert.match(r.stdout, /^ {2}\[1\] not checked: names no OCSP responder or CRL$/m);
    const bare = await serve(leaf, null);
    const none = await runCli([
      'inspect',
      `127.0.0.1:${bare}`,
      '--server-name',
      'inspect.test',
      '--timeout',
      '2000',
    ]);
    assert.match(none.stdout, /^staple {5}none \(the server stapled no OCSP response\)$/m);
    assert.match(
      none.stdout,
      /^ {2}\[0\] unknown \[must-staple\]\n {8}- OCSP responder http:\/\/127\.0\.0\.1:9\/: .*refused/m,
    );
  });

  it('a staple signed by a stranger is not trusted, and says why', async () => {
    const leaf = await pki.leaf({
      cn: 'bad-staple.test',
      dns: ['bad-staple.test'],
      issuer: issuing,
      extensions: revocationExtensions({ mustStaple: true }),
    });
    ca.valid(leaf);
    const stranger = await pki.ca({ cn: 'Staple Issuing' });
    const port = await serve(leaf, ca.ocspResponse(leaf, { signer: stranger }));
    const { obs, findings } = await scan(port, 'bad-staple.test');
    assert.match(obs.revocation?.staple?.problem ?? '', /signature does not verify/);
    assert.deepEqual(
      findings.map((f) => f.check),
      ['revocation.must-staple'],
    );
    assert.match(findings[0]!.message, /cannot be used/);
  });
});
