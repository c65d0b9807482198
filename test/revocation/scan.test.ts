// Revocation through the whole product: an inventory with revocation modes and expect.ocspStapling,
// endpoints on loopback (node:tls, and openssl s_server stapling), a file target, an `openssl ocsp`
// responder and CRLs over HTTP; then the reports, collect/evaluate apart, and --offline.
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { Pki, type Issued } from '../support/pki.js';
import { TempDir } from '../support/fs.js';
import { OpensslCa, type Responder } from '../support/openssl-ca.js';
import { freePort, startOpensslServer, type NginxLab } from '../support/nginx.js';
import { startTlsServer, type TlsServer } from '../support/tls-servers.js';
import { revocationExtensions, serveFiles, type FileServer } from '../support/revocation.js';
import { runCli } from '../support/cli.js';
import type { Report } from '../../src/core/model.js';

describe('revocation in scan, collect and evaluate', function () {
  this.timeout(90_000);
  const pki = new Pki();
  let tmp: TempDir;
  let rootCa: OpensslCa;
  let ca: OpensslCa;
  let responder: Responder;
  let files: FileServer;
  const servers: TlsServer[] = [];
  let stapler: NginxLab;
  let report: Report;

  before(async () => {
    tmp = new TempDir();
    files = await serveFiles();
    const port = await freePort();
    const ocsp = [`http://127.0.0.1:${port}/`];
    const root = await pki.ca({ cn: 'Scan Root' });
    rootCa = new OpensslCa(root);
    const issuing = await pki.ca({
      cn: 'Scan Issuing',
      issuer: root,
      extensions: revocationExtensions({ crl: [`${files.url}/root.crl`] }),
    });
    ca = new OpensslCa(issuing);
    const leaf = (cn: string, ptr: Parameters<typeof revocationExtensions>[0]): Promise<Issued> =>
      pki.leaf({
        cn,
        dns: [cn],
        issuer: issuing,
        eku: ['serverAuth'],
        extensions: revocationExtensions(ptr),
      });
    const good = await leaf('good.test', { ocsp });
    const revoked = await leaf('revoked.test', { ocsp });
    const must = await leaf('must.test', { ocsp, mustStaple: true });
    const plain = await leaf('plain.test', {});
    const stapled = await leaf('stapled.test', { ocsp });
    const fileLeaf = await leaf('file.test', { crl: [`${files.url}/issuing.crl`] });
    for (const c of [good, must, stapled]) ca.valid(c);
    ca.revoke(revoked, 'keyCompromise');
    ca.revoke(fileLeaf, 'superseded');
    rootCa.valid(issuing);
    files.files.set('/root.crl', rootCa.crl());
    files.files.set('/issuing.crl', ca.crl());
    responder = await ca.responder({ port });
    const serve = async (c: Issued) => {
      const s = await startTlsServer({ key: c.keyPem, cert: c.pem + issuing.pem });
      servers.push(s);
      return s.port;
    };
    const stapleFile = join(ca.dir, 'stapled.der');
    writeFileSync(stapleFile, ca.ocspResponse(stapled));
    stapler = await startOpensslServer({
      certPem: stapled.pem,
      keyPem: stapled.keyPem,
      chainPem: issuing.pem,
      args: ['-status_file', stapleFile],
    });
    tmp.write('inventory/anchors/root.pem', root.pem);
    tmp.write('inventory/file.pem', fileLeaf.pem + issuing.pem);
    const ep = async (c: Issued, host: string) => ({
      host: '127.0.0.1',
      port: await serve(c),
      serverName: host,
    });
    tmp.write('inventory/revocation.yaml', {
      apiVersion: 'certwarden/v1',
      kind: 'Inventory',
      metadata: { name: 'revocation' },
      defaults: { revocation: { mode: 'soft' } },
      anchors: [{ id: 'root', file: 'anchors/root.pem' }],
      targets: [
        { id: 'good', endpoint: await ep(good, 'good.test'), expect: { chainTo: 'root' } },
        { id: 'revoked', endpoint: await ep(revoked, 'revoked.test') },
        { id: 'must-staple', endpoint: await ep(must, 'must.test') },
        { id: 'not-checked', endpoint: await ep(revoked, 'revoked.test'), revocation: { mode: 'off' } },
        { id: 'hard', endpoint: await ep(plain, 'plain.test'), revocation: { mode: 'hard' } },
        {
          id: 'stapled',
          endpoint: { host: '127.0.0.1', port: stapler.ports[0]!, serverName: 'stapled.test' },
          expect: { ocspStapling: true },
        },
        { id: 'unstapled', endpoint: await ep(good, 'good.test'), expect: { ocspStapling: true } },
        { id: 'file', file: { path: 'file.pem' }, expect: { chainTo: 'root' } },
      ],
    });
    const r = await runCli([
      'scan',
      '--inventory',
      tmp.path('inventory'),
      '--format',
      'json',
      '--timeout',
      '3000',
    ]);
    assert.equal(r.code, 1, r.stderr);
    report = JSON.parse(r.stdout) as Report;
  });

  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await stapler?.stop();
    await responder?.stop();
    await Promise.all([rootCa, ca].filter(Boolean).map((c) => c.close()));
    await files?.close();
    tmp?.cleanup();
  });

  const revocationFindings = (r: Report) =>
    r.findings
      .filter((f) => f.check.startsWith('revocation.') || f.check === 'expect.ocspStapling')
      .map((f) => `${f.target} ${f.check} ${f.severity}`)
      .sort();

  it('reports each revocation problem once, with the default severities and the modes', () => {
    assert.deepEqual(revocationFindings(report), [
      'file revocation.revoked error',
      'hard revocation.unknown error',
      'must-staple revocation.must-staple error',
      'revoked revocation.revoked error',
      'unstapled expect.ocspStapling error',
    ]);
    const hard = report.findings.find((f) => f.target === 'hard')!;
    assert.match(hard.message, /names no OCSP responder and no CRL distribution point/);
  });

  it('gives each checked certificate its revocation status in the JSON report, valid against the schema', () => {
    const certs = (id: string) => report.targets.find((t) => t.id === id)!.certificates;
    assert.deepEqual(
      certs('good').map((c) => [c.role, c.revocation?.status, c.revocation?.source]),
      [
        ['leaf', 'good', 'ocsp'],
        ['intermediate', 'good', 'crl'],
      ],
    );
    const revokedLeaf = certs('revoked')[0]!.revocation!;
    assert.equal(revokedLeaf.status, 'revoked');
    assert.equal(revokedLeaf.reason, 'keyCompromise');
    assert.ok(
      revokedLeaf.revokedAt && revokedLeaf.thisUpdate && revokedLeaf.nextUpdate && revokedLeaf.checkedAt,
    );
    assert.deepEqual(
      certs('file').map((c) => [c.revocation?.status, c.revocation?.source, c.revocation?.reason]),
      [
        ['revoked', 'crl', 'superseded'],
        ['good', 'crl', null],
      ],
    );
    assert.equal(certs('stapled')[0]!.revocation?.source, 'staple');
    assert.ok(certs('not-checked').every((c) => c.revocation === undefined));
    const stapledTarget = report.targets.find((t) => t.id === 'stapled')!;
    assert.equal(stapledTarget.tls?.ocspStapled, true);
    assert.ok(!('ocspStaple' in (stapledTarget.tls ?? {})), 'the staple bytes stay out of the report');
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync('schemas/report.v1.schema.json', 'utf8')));
    assert.ok(validate(report), JSON.stringify(validate.errors));
  });

  it('shows revocation in the text, markdown and Prometheus reports', async () => {
    const inv = ['--inventory', tmp.path('inventory'), '--timeout', '3000'];
    const text = (await runCli(['scan', ...inv, '--target', 'revoked', '--target', 'good'])).stdout;
    assert.match(text, /revoked\.test .*REVOKED \d{4}-\d\d-\d\d \(keyCompromise\)/);
    assert.match(text, /good\.test .*not revoked \(ocsp\)/);
    const md = (await runCli(['scan', ...inv, '--target', 'revoked', '--format', 'markdown'])).stdout;
    assert.match(md, /\| revocation \|/);
    assert.match(md, /🔴 revoked \d{4}-\d\d-\d\d \(keyCompromise\)/);
    const prom = (
      await runCli(['scan', ...inv, '--target', 'revoked', '--target', 'good', '--format', 'prometheus'])
    ).stdout;
    assert.match(prom, /^x509_cert_revoked\{target="revoked",.*role="leaf"\} 1$/m);
    assert.match(prom, /^x509_cert_revoked\{target="good",.*role="leaf"\} 0$/m);
  });

  it('collects where the network reaches and evaluates elsewhere: stale answers show as of the evaluation', async () => {
    const obsFile = tmp.path('obs.json');
    const c = await runCli([
      'collect',
      '--inventory',
      tmp.path('inventory'),
      '--timeout',
      '3000',
      '-o',
      obsFile,
    ]);
    assert.equal(c.code, 0, c.stderr);
    const later = new Date(Date.now() + 10 * 86_400_000).toISOString();
    const e = await runCli([
      'evaluate',
      '--inventory',
      tmp.path('inventory'),
      '--observations',
      obsFile,
      '--now',
      later,
      '--format',
      'json',
    ]);
    const r = JSON.parse(e.stdout) as Report;
    const stale = r.findings.filter((f) => f.check === 'revocation.stale').map((f) => f.target);
    // good: OCSP answers for an hour, its intermediate's CRL for a week; the revoked stay revoked.
    assert.ok(stale.includes('good'), JSON.stringify(revocationFindings(r)));
    assert.ok(revocationFindings(r).includes('revoked revocation.revoked error'));
  });

  it('--offline fetches nothing: only what the servers staple is judged', async () => {
    const before = [...files.hits.values()].reduce((a, b) => a + b, 0);
    const r = await runCli([
      'scan',
      '--inventory',
      tmp.path('inventory'),
      '--format',
      'json',
      '--offline',
      '--timeout',
      '3000',
    ]);
    const rep = JSON.parse(r.stdout) as Report;
    assert.deepEqual(revocationFindings(rep), [
      'hard revocation.unknown error',
      'hard revocation.unknown error',
      'must-staple revocation.must-staple error',
      'unstapled expect.ocspStapling error',
    ]);
    const stapled = rep.targets.find((t) => t.id === 'stapled')!.certificates[0]!.revocation;
    assert.equal(stapled?.source, 'staple');
    assert.equal(
      [...files.hits.values()].reduce((a, b) => a + b, 0),
      before,
    );
  });
});
