// The revocation stage against real parts on loopback: `openssl ocsp` responders (signing as the
// CA, as a delegated responder, and with a key nobody authorised), CRLs from `openssl ca -gencrl`
// served over HTTP, a port nobody listens on and a tarpit. Each certificate names its sources in
// its AIA and CRL distribution points, as real certificates do.
import { strict as assert } from 'node:assert';
import { Pki, type Issued } from '../support/pki.js';
import { OpensslCa, type Responder } from '../support/openssl-ca.js';
import { freePort } from '../support/nginx.js';
import { tarpit, type Running } from '../support/tls-servers.js';
import { revocationExtensions, serveFiles, type FileServer } from '../support/revocation.js';
import { parseCertificate } from '../../src/x509/parse.js';
import { Fetcher } from '../../src/sources/http/fetcher.js';
import { RevocationStage, revocationPath } from '../../src/evaluate/revocation/check.js';
import { revocationFindings } from '../../src/evaluate/revocation/findings.js';
import type { Observation, ObservedRevocation } from '../../src/core/model.js';
import type { RevocationMode } from '../../src/inventory/types.js';

const HOUR = 3_600_000;
const DEADLINE_MS = 1500;

describe('revocation stage with openssl responders and CRLs on loopback', function () {
  this.timeout(60_000);
  const pki = new Pki();
  let root: Issued;
  let issuing: Issued;
  let rootCa: OpensslCa;
  let ca: OpensslCa;
  let impostorCa: OpensslCa;
  let responder: Responder;
  let delegated: Responder;
  let wrongKey: Responder;
  let files: FileServer;
  let pit: Running & { connections: number };
  const leaves: Record<string, Issued> = {};
  let fetcher: Fetcher;

  before(async () => {
    const [rPort, dPort, wPort, deadPort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    files = await serveFiles();
    pit = await tarpit();
    const at = (port: number) => `http://127.0.0.1:${port}`;
    root = await pki.ca({ cn: 'Stage Root' });
    rootCa = new OpensslCa(root);
    issuing = await pki.ca({
      cn: 'Stage Issuing CA',
      issuer: root,
      extensions: revocationExtensions({ crl: [`${files.url}/root.crl`] }),
    });
    ca = new OpensslCa(issuing);
    const impostor = await pki.ca({ cn: 'Stage Issuing CA' });
    impostorCa = new OpensslCa(impostor);
    const leaf = (cn: string, ptr: Parameters<typeof revocationExtensions>[0]) =>
      pki.leaf({ cn, dns: [cn], issuer: issuing, extensions: revocationExtensions(ptr) });
    const table: Array<[string, Parameters<typeof revocationExtensions>[0]]> = [
      ['good', { ocsp: [at(rPort)], crl: [`${files.url}/issuing.crl`] }],
      ['revoked', { ocsp: [at(rPort)] }],
      ['unknown-to-responder', { ocsp: [at(rPort)] }],
      ['delegated', { ocsp: [at(dPort)] }],
      ['wrong-key', { ocsp: [at(wPort)] }],
      ['crl-revoked', { crl: [`${files.url}/issuing.crl`] }],
      ['crl-stale', { crl: [`${files.url}/stale.crl`] }],
      ['crl-wrong-signer', { crl: [`${files.url}/wrong.crl`] }],
      ['not-listening', { ocsp: [at(deadPort)] }],
      ['tarpit', { ocsp: [at(pit.port)] }],
      ['ldap-only', { crl: ['ldap://127.0.0.1/cn=Stage%20Issuing%20CA?certificateRevocationList'] }],
      ['no-source', {}],
      ['ocsp-down-crl-up', { ocsp: [at(deadPort)], crl: [`${files.url}/issuing.crl`] }],
    ];
    for (const [name, ptr] of table) leaves[name] = await leaf(`${name}.test`, ptr);
    for (const name of [
      'good',
      'delegated',
      'wrong-key',
      'crl-stale',
      'ocsp-down-crl-up',
      'crl-wrong-signer',
    ])
      ca.valid(leaves[name]!);
    ca.revoke(leaves['revoked']!, 'keyCompromise');
    ca.revoke(leaves['crl-revoked']!, 'cessationOfOperation');
    rootCa.valid(issuing);
    files.files.set('/root.crl', rootCa.crl());
    files.files.set('/issuing.crl', ca.crl());
    files.files.set(
      '/stale.crl',
      ca.crl({ lastUpdate: new Date(Date.now() - 72 * HOUR), nextUpdate: new Date(Date.now() - 24 * HOUR) }),
    );
    files.files.set('/wrong.crl', impostorCa.crl());
    const responderCert = await pki.leaf({
      cn: 'Stage OCSP Responder',
      issuer: issuing,
      eku: ['1.3.6.1.5.5.7.3.9'],
    });
    const foreign = await pki.leaf({
      cn: 'Stage OCSP Responder',
      issuer: impostor,
      eku: ['1.3.6.1.5.5.7.3.9'],
    });
    [responder, delegated, wrongKey] = await Promise.all([
      ca.responder({ port: rPort }),
      ca.responder({ port: dPort, signer: responderCert }),
      ca.responder({ port: wPort, signer: foreign }),
    ]);
  });

  after(async () => {
    await Promise.all([responder, delegated, wrongKey].filter(Boolean).map((r) => r.stop()));
    await Promise.all([rootCa, ca, impostorCa].filter(Boolean).map((c) => c.close()));
    await Promise.all([files, pit].filter(Boolean).map((s) => s.close()));
  });

  beforeEach(() => {
    fetcher = new Fetcher({ timeoutMs: DEADLINE_MS });
  });
  afterEach(() => fetcher.close());

  const records = (...c: Issued[]) => c.map((x) => parseCertificate(x.der));

  async function check(
    name: string,
    opts: { fetcher?: Fetcher } = {},
  ): Promise<{ rev: ObservedRevocation; obs: Observation }> {
    const now = new Date();
    const [leafRec, issuingRec, rootRec] = records(leaves[name]!, issuing, root);
    const stage = new RevocationStage({ fetcher: opts.fetcher ?? fetcher, now, timeoutMs: DEADLINE_MS * 2 });
    const path = revocationPath([leafRec!, issuingRec!], [{ id: 'root', record: rootRec! }], [], now);
    const rev = await stage.checkPath(path, null);
    const obs: Observation = {
      target: name,
      source: { kind: 'file' },
      collectedAt: now.toISOString(),
      status: 'ok',
      error: null,
      certificates: [leafRec!, issuingRec!].map((record, i) => ({ origin: `[${i}]`, record })),
      trustStore: null,
      revocation: rev,
    };
    return { rev, obs };
  }

  const findings = (obs: Observation, mode: RevocationMode = 'soft') =>
    revocationFindings(obs, {
      target: obs.target,
      isEndpoint: false,
      mode,
      expectStapling: false,
      now: new Date(),
      location: { file: 'inv.yaml', line: 1, column: 1 },
    }).map((f) => `${f.check}:${f.severity}`);

  it('checks the leaf and the intermediate, not the trust anchor', async () => {
    const { rev } = await check('good');
    assert.equal(rev.checks.length, 2);
    assert.deepEqual(
      rev.checks.map((c) => [c.status, c.source]),
      [
        ['good', 'ocsp'],
        ['good', 'crl'],
      ],
    );
  });

  const cases: Array<{
    leaf: string;
    status: string;
    source: string | null;
    findings: string[];
    problem?: RegExp;
  }> = [
    { leaf: 'good', status: 'good', source: 'ocsp', findings: [] },
    { leaf: 'revoked', status: 'revoked', source: 'ocsp', findings: ['revocation.revoked:error'] },
    {
      leaf: 'unknown-to-responder',
      status: 'unknown',
      source: null,
      findings: ['revocation.unknown:warning'],
      problem: /does not know this certificate/,
    },
    { leaf: 'delegated', status: 'good', source: 'ocsp', findings: [] },
    {
      leaf: 'wrong-key',
      status: 'unknown',
      source: null,
      findings: ['revocation.unknown:warning'],
      problem: /not issued by the certificate's issuer/,
    },
    { leaf: 'crl-revoked', status: 'revoked', source: 'crl', findings: ['revocation.revoked:error'] },
    { leaf: 'crl-stale', status: 'good', source: 'crl', findings: ['revocation.stale:warning'] },
    {
      leaf: 'crl-wrong-signer',
      status: 'unknown',
      source: null,
      findings: ['revocation.unknown:warning'],
      problem: /signature does not verify/,
    },
    {
      leaf: 'not-listening',
      status: 'unknown',
      source: null,
      findings: ['revocation.unknown:warning'],
      problem: /refused/,
    },
    {
      leaf: 'tarpit',
      status: 'unknown',
      source: null,
      findings: ['revocation.unknown:warning'],
      problem: /within the deadline/,
    },
    {
      leaf: 'ldap-only',
      status: 'unknown',
      source: null,
      findings: ['revocation.unknown:warning'],
      problem: /not fetched/,
    },
    { leaf: 'no-source', status: 'unknown', source: null, findings: [] },
    { leaf: 'ocsp-down-crl-up', status: 'good', source: 'crl', findings: [] },
  ];
  for (const c of cases) {
    it(`${c.leaf}: ${c.status}${c.source ? ` from ${c.source}` : ''}, ${c.findings.join(', ') || 'no finding'}`, async () => {
      const { rev, obs } = await check(c.leaf);
      const leaf = rev.checks[0]!;
      assert.equal(leaf.status, c.status, JSON.stringify(leaf));
      assert.equal(leaf.source, c.source);
      if (c.problem) assert.match(leaf.problems.join('; '), c.problem);
      assert.deepEqual(findings(obs), c.findings);
    });
  }

  it('gives the revocation reason and date in the revoked finding', async () => {
    const { obs } = await check('revoked');
    const f = revocationFindings(obs, {
      target: 'revoked',
      isEndpoint: false,
      mode: 'soft',
      expectStapling: false,
      now: new Date(),
      location: { file: 'inv.yaml', line: 1, column: 1 },
    });
    assert.equal(f.length, 1);
    assert.match(
      f[0]!.message,
      /leaf 'revoked\.test' was revoked at \d{4}-\d\d-\d\dT[\d:]+Z \(reason: keyCompromise\), according to OCSP/,
    );
    assert.equal(f[0]!.remediation?.kind, 'renew');
  });

  it('in hard mode an unknown status and a certificate naming no source are errors', async () => {
    assert.deepEqual(findings((await check('not-listening')).obs, 'hard'), ['revocation.unknown:error']);
    assert.deepEqual(findings((await check('no-source')).obs, 'hard'), ['revocation.unknown:error']);
    assert.deepEqual(findings((await check('revoked')).obs, 'off'), []);
  });

  it('leaves a self-signed certificate alone, even in hard mode: nothing above it could revoke it', async () => {
    const self = await pki.leaf({ cn: 'self.test', dns: ['self.test'] });
    const rec = parseCertificate(self.der);
    const stage = new RevocationStage({ fetcher, now: new Date(), timeoutMs: DEADLINE_MS });
    const rev = await stage.checkPath(revocationPath([rec], [], [], new Date()), null);
    assert.deepEqual(rev.checks, []);
  });

  it('costs a responder that is not listening or tarpits at most the deadline, and asks it once per run', async () => {
    const connections = pit.connections;
    const started = Date.now();
    await check('tarpit');
    const first = Date.now() - started;
    assert.ok(first >= DEADLINE_MS - 50 && first < DEADLINE_MS + 700, `tarpit took ${first} ms`);
    const again = Date.now();
    const second = await check('tarpit');
    assert.ok(Date.now() - again < 300, 'the same request is not waited for twice');
    assert.match(second.rev.checks[0]!.problems.join(' '), /within the deadline/);
    assert.equal(pit.connections - connections, 1);
    const refusedAt = Date.now();
    await check('not-listening');
    assert.ok(Date.now() - refusedAt < 1000);
  });

  it('fetches a CRL once per run however many certificates it covers', async () => {
    const before = files.hits.get('/issuing.crl') ?? 0;
    const stageFetcher = new Fetcher({ timeoutMs: DEADLINE_MS });
    try {
      await Promise.all(
        ['crl-revoked', 'crl-revoked', 'good'].map(() => check('crl-revoked', { fetcher: stageFetcher })),
      );
      assert.equal((files.hits.get('/issuing.crl') ?? 0) - before, 1);
    } finally {
      stageFetcher.close();
    }
  });

  it('offline: nothing is fetched, and soft mode reports nothing', async () => {
    const before = [...files.hits.values()].reduce((a, b) => a + b, 0);
    const off = new Fetcher({ offline: true });
    try {
      const { rev, obs } = await check('revoked', { fetcher: off });
      assert.equal(rev.checks[0]!.unchecked, 'offline');
      assert.deepEqual(findings(obs), []);
      // leaf and intermediate both name a source that was not fetched
      assert.deepEqual(findings(obs, 'hard'), ['revocation.unknown:error', 'revocation.unknown:error']);
      assert.equal(
        [...files.hits.values()].reduce((a, b) => a + b, 0),
        before,
      );
    } finally {
      off.close();
    }
  });
});
