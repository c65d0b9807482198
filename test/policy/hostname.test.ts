import assert from 'node:assert/strict';
import path from 'node:path';
import { CHECKS } from '../../src/policy/checks/index.js';
import { hostnameFinding, hostnameMismatch, referenceName } from '../../src/evaluate/hostname.js';
import { certRole } from '../../src/policy/evaluate.js';
import { nodeIo } from '../../src/policy/load.js';
import type { Target } from '../../src/inventory/types.js';
import { Pki } from '../support/pki.js';
import { startTlsServer, type TlsServer } from '../support/tls-servers.js';
import { observe, target, tempTree } from './helpers.js';

const NOW = new Date('2026-12-01T00:00:00Z');

const endpoint = (host: string, serverName?: string): Target =>
  target({
    id: 'ep',
    source: { kind: 'endpoint', endpoint: { host, port: 443, ...(serverName ? { serverName } : {}) } },
  });

describe('hostname matching of endpoint certificates', () => {
  let pki: Pki;
  before(() => {
    pki = new Pki({ now: NOW });
  });

  it('the reference name is the serverName, else the host; an IP address (bracketed or not) is an IP name', () => {
    assert.deepEqual(referenceName({ host: '127.0.0.1', serverName: 'api.example' }), {
      kind: 'DNS',
      value: 'api.example',
    });
    assert.deepEqual(referenceName({ host: 'api.example' }), { kind: 'DNS', value: 'api.example' });
    assert.deepEqual(referenceName({ host: '10.0.0.5' }), { kind: 'IP', value: '10.0.0.5' });
    assert.deepEqual(referenceName({ host: '[::1]' }), { kind: 'IP', value: '::1' });
    assert.deepEqual(referenceName({ host: 'x', serverName: '192.0.2.7' }), {
      kind: 'IP',
      value: '192.0.2.7',
    });
  });

  it('DNS names match case-insensitively, a wildcard stands for exactly one label, and IPs match by value', async () => {
    const c = await pki.leaf({ cn: 'x', dns: ['*.svc.example', 'Exact.Example'], ips: ['2001:db8::1'] });
    const rec = observe(endpoint('x'), [c]).certificates[0]!.record;
    assert.equal(hostnameMismatch(rec, { host: 'api.SVC.example' }), null);
    assert.equal(hostnameMismatch(rec, { host: 'exact.example.' }), null);
    assert.equal(hostnameMismatch(rec, { host: '[2001:0db8::0001]' }), null);
    assert.match(hostnameMismatch(rec, { host: 'a.b.svc.example' })!, /matches none of the subjectAltNames/);
    assert.match(hostnameMismatch(rec, { host: 'svc.example' })!, /matches none/);
    assert.match(hostnameMismatch(rec, { host: '2001:db8::2' })!, /IP '2001:db8::2' matches none/);
  });

  it('the CN is never used, and a certificate without SANs says so', async () => {
    const c = await pki.leaf({ cn: 'legacy.example' });
    const rec = observe(endpoint('x'), [c]).certificates[0]!.record;
    assert.match(hostnameMismatch(rec, { host: 'legacy.example' })!, /has no subjectAltName.*CN is not used/);
  });

  it('a hostile SAN is clipped and stripped of control characters in the message', async () => {
    const c = await pki.leaf({ cn: 'x', dns: ['ok.example'] });
    const rec = observe(endpoint('x'), [c]).certificates[0]!.record;
    const evil = { ...rec, dnsNames: ['a\u001b[31m.example', 'b'.repeat(300)] };
    const why = hostnameMismatch(evil, { host: 'ok.example' })!;
    assert.ok(!why.includes('\u001b'), why);
    assert.ok(why.length < 300, why);
  });

  it('chain.hostname names the served certificate and the serverName; the san check no longer reports it', async () => {
    const root = await pki.ca({ cn: 'root' });
    const c = await pki.leaf({ cn: 'localhost', dns: ['localhost'], ips: ['127.0.0.1'], issuer: root });
    const t = endpoint('127.0.0.1', 'wrong.example');
    const obs = observe(t, [c, root]);
    const results = obs.certificates.map((oc, index) =>
      CHECKS.get('san')!.run({
        cert: oc.record,
        role: certRole(oc.record),
        index,
        origin: oc.origin,
        target: t,
        observation: obs,
        chain: null,
        now: NOW,
        params: { requireSan: false, hostnameMatchesSan: true },
        io: nodeIo,
      }),
    );
    assert.deepEqual(results, [[], []], 'one defect, one finding: the name is chain.hostname');
    const f = hostnameFinding(t, obs.certificates[0]!.record, t.location)!;
    assert.equal(f.check, 'chain.hostname');
    assert.equal(f.rule, null);
    assert.equal(f.severity, 'error');
    assert.equal(f.certificate, obs.certificates[0]!.record.sha256);
    assert.match(
      f.message,
      /^certificate "localhost" does not cover the host "wrong\.example" \(serverName\): DNS 'wrong\.example' matches none of the subjectAltNames \(localhost, 127\.0\.0\.1\)$/,
    );
    assert.equal(
      hostnameFinding(endpoint('127.0.0.1', 'localhost'), obs.certificates[0]!.record, t.location),
      null,
    );
  });
});

describe('a hostname mismatch in a scan is chain.hostname', () => {
  let server: TlsServer;
  let pki: Pki;
  before(async () => {
    pki = new Pki({ now: NOW });
    const leaf = await pki.leaf({ cn: 'localhost', dns: ['localhost'], ips: ['127.0.0.1'] });
    server = await startTlsServer({ key: leaf.keyPem, cert: leaf.pem });
  });
  after(() => server.close());

  it('an endpoint with serverName wrong.example serving a certificate for localhost gets chain.hostname under the default pack; a right one, an IP host and a file do not', async () => {
    const pipeline = await import('../../src/pipeline.js');
    const leaf = await pki.leaf({ cn: 'file-only', dns: ['elsewhere.example'] });
    const dir = tempTree({
      'inventory/leaf.pem': leaf.pem,
      'inventory/inv.yaml': [
        'apiVersion: certwarden/v1',
        'kind: Inventory',
        'metadata: {name: inv}',
        'targets:',
        '  - id: wrong-name',
        `    endpoint: {host: 127.0.0.1, port: ${server.port}, serverName: wrong.example}`,
        '  - id: right-name',
        `    endpoint: {host: 127.0.0.1, port: ${server.port}, serverName: localhost}`,
        '  - id: by-ip',
        `    endpoint: {host: 127.0.0.1, port: ${server.port}}`,
        '  - id: a-file',
        '    file: {path: leaf.pem}',
        '',
      ].join('\n'),
    });
    const opts = { inventoryDirs: [path.join(dir, 'inventory')], policyDirs: [], now: NOW, env: {} };
    const loaded = await pipeline.load(opts);
    const report = pipeline.evaluate(loaded, await pipeline.collect(loaded, opts), NOW);
    const names = report.findings.filter((f) => f.check === 'chain.hostname' || f.check === 'san');
    assert.deepEqual(
      names.map((f) => [f.target, f.check, f.rule, f.severity]),
      [['wrong-name', 'chain.hostname', null, 'error']],
      JSON.stringify(report.findings, null, 1),
    );
    assert.match(names[0]!.message, /does not cover the host "wrong\.example"/);
  });
});
