import { strict as assert } from 'node:assert';
import { Pki, type Issued } from '../support/pki.js';
import { startTlsServer, tarpit, type Running } from '../support/tls-servers.js';
import {
  endpointCollector,
  observationFromProbe,
  TLS_PROBE_SERVICE,
} from '../../src/sources/endpoint/collector.js';
import { probeEndpoint, type ProbeResult, type Prober } from '../../src/sources/endpoint/probe.js';
import { renderInspect } from '../../src/commands/inspect-render.js';
import { createProgress } from '../../src/cli/progress.js';
import type { CollectContext } from '../../src/sources/types.js';
import type { EndpointSource, Target } from '../../src/inventory/types.js';
import { silentLogger } from '../../src/core/logger.js';

function target(id: string, endpoint: EndpointSource): Target {
  return {
    id,
    inventory: 'test',
    location: { file: 'inventory/test.yaml', line: 1, column: 1 },
    source: { kind: 'endpoint', endpoint },
    policies: [],
    owners: [],
    zone: null,
    labels: {},
  };
}

function context(extra: Partial<CollectContext> = {}): CollectContext {
  return {
    now: new Date('2026-11-27T00:00:00Z'),
    logger: silentLogger,
    timeoutMs: 2000,
    env: {},
    inventory: { inventories: [], anchors: new Map(), bundles: [], clusters: new Map(), targets: [] },
    ...extra,
  };
}

describe('endpoint collector and inspect', () => {
  let pki: Pki;
  let root: Issued;
  let inter: Issued;
  let leaf: Issued;
  const running: Running[] = [];

  before(async () => {
    pki = new Pki();
    root = await pki.ca({ cn: 'Collector Root' });
    inter = await pki.ca({ cn: 'Collector Issuing', issuer: root });
    leaf = await pki.leaf({
      cn: 'app.test',
      dns: ['app.test', 'www.app.test'],
      ips: ['127.0.0.1'],
      issuer: inter,
    });
  });
  after(async () => {
    await Promise.all(running.map((r) => r.close()));
  });

  it('turns a live server into an observation with the presented chain in order and TLS facts', async () => {
    const s = await startTlsServer({
      cert: pki.chainPem(leaf, inter, root),
      key: leaf.keyPem,
      maxVersion: 'TLSv1.2',
    });
    running.push(s);
    const [obs] = await endpointCollector.collect(
      target('app', { host: '127.0.0.1', port: s.port, serverName: 'app.test' }),
      context(),
    );
    assert.equal(obs!.status, 'ok');
    assert.equal(obs!.target, 'app');
    assert.deepEqual(
      obs!.certificates.map((c) => [c.origin, c.record.sha256]),
      [leaf, inter, root].map((c, i) => [`presented[${i}]`, c.sha256]),
    );
    assert.deepEqual(obs!.certificates[0]!.record.dnsNames, ['app.test', 'www.app.test']);
    assert.deepEqual(obs!.tls, {
      protocol: 'TLSv1.2',
      cipher: obs!.tls!.cipher,
      clientCertRequested: false,
      chainMethod: 'handshake',
    });
    assert.match(obs!.tls!.cipher!, /^TLS_ECDHE_ECDSA_/);
    assert.deepEqual(obs!.source, {
      kind: 'endpoint',
      host: '127.0.0.1',
      port: s.port,
      serverName: 'app.test',
      address: '127.0.0.1',
    });
    assert.doesNotThrow(() => JSON.parse(JSON.stringify(obs)));
  });

  it('reports an unreachable endpoint with its typed reason and the deadline from the context', async () => {
    const s = await tarpit();
    running.push(s);
    const t0 = Date.now();
    const [obs] = await endpointCollector.collect(
      target('pit', { host: '127.0.0.1', port: s.port }),
      context({ timeoutMs: 300 }),
    );
    assert.ok(Date.now() - t0 < 1000);
    assert.equal(obs!.status, 'unreachable');
    assert.equal(obs!.error?.reason, 'timeout');
    assert.deepEqual(obs!.certificates, []);
  });

  it('uses the probe handed in through the context instead of the network', async () => {
    const seen: EndpointSource[] = [];
    const fake: Prober = async (ep, opts) => {
      seen.push(ep);
      return {
        ...(await probeEndpoint({ host: 'x.invalid', port: 1 }, { ...opts, lookup: async () => [] })),
        host: ep.host,
      };
    };
    const [obs] = await endpointCollector.collect(
      target('t', { host: 'db.internal', port: 5432, starttls: 'postgres' }),
      context({ services: { [TLS_PROBE_SERVICE]: fake } }),
    );
    assert.deepEqual(seen, [{ host: 'db.internal', port: 5432, starttls: 'postgres' }]);
    assert.equal(obs!.error?.reason, 'dns');
    assert.equal(obs!.source.starttls, 'postgres');
  });

  it('keeps the other certificates and warns when one presented certificate cannot be parsed', () => {
    const r: ProbeResult = {
      host: 'h',
      port: 1,
      serverName: 'h',
      starttls: null,
      via: null,
      address: '127.0.0.1',
      ok: true,
      chain: [leaf.der, Buffer.from('not a certificate')],
      chainMethod: 'handshake',
      protocol: 'TLSv1.3',
      cipher: 'TLS_AES_128_GCM_SHA256',
      clientCertRequested: false,
      error: null,
      notes: [],
      attempts: 1,
      elapsedMs: 3,
    };
    const obs = observationFromProbe('t', { host: 'h', port: 1 }, r, '2026-11-27T00:00:00.000Z');
    assert.equal(obs.status, 'ok');
    assert.equal(obs.certificates.length, 1);
    assert.match(
      obs.warnings!.join('\n'),
      /presented\[1\]: the server sent a certificate that cannot be parsed/,
    );
  });

  it('renders what the server presents: subjects, issuers, SANs, validity, key, fingerprint and TLS facts', async () => {
    const s = await startTlsServer({
      cert: pki.chainPem(leaf, root),
      key: leaf.keyPem,
      requestCert: true,
      rejectUnauthorized: false,
    });
    running.push(s);
    const r = await probeEndpoint(
      { host: '127.0.0.1', port: s.port, serverName: 'app.test' },
      { timeoutMs: 2000 },
    );
    const text = renderInspect(r, undefined, new Date());
    assert.match(text, /endpoint {3}127\.0\.0\.1:\d+ \(SNI app\.test\)/);
    assert.match(text, /protocol {3}TLSv1\.3/);
    assert.match(text, /client certificate requested: yes/);
    assert.match(text, /read from the handshake/);
    assert.match(text, /\[0\] leaf\n {4}subject {3}CN=app\.test/);
    assert.match(text, /SANs {6}DNS:app\.test, DNS:www\.app\.test, IP:127\.0\.0\.1/);
    assert.match(text, /\(36[34] days remaining\)/);
    assert.match(text, /key {7}EC P-256/);
    assert.ok(text.includes(`sha256    ${leaf.sha256}`));
    assert.match(text, /\[1\] root \(self-signed CA\)\n[\s\S]*does not issue the certificate before it/);
  });

  it('escapes control characters from hostile certificates in the inspect text', async () => {
    const evil = await pki.leaf({ cn: 'evil\x1b]0;pwned\x07.test', dns: ['ok.test'], issuer: inter });
    const r: ProbeResult = {
      host: '127.0.0.1',
      port: 1,
      serverName: null,
      starttls: null,
      via: null,
      address: null,
      ok: true,
      chain: [evil.der],
      chainMethod: 'handshake',
      protocol: 'TLSv1.3',
      cipher: 'x\x1b[2J',
      clientCertRequested: false,
      error: null,
      notes: [],
      attempts: 1,
      elapsedMs: 1,
    };
    const text = renderInspect(r);
    // eslint-disable-next-line no-control-regex -- the point is to find control characters
    assert.doesNotMatch(text, /[\x00-\x08\x0b-\x1f\x7f]/);
    assert.match(text, /subject {3}CN=evil\S*pwned\S*\.test/);
    assert.match(text, /cipher {5}x\\x1b\[2J/);
  });

  it('explains why a chain is not trusted when a verification result is given', () => {
    const r: ProbeResult = {
      host: 'h.test',
      port: 443,
      serverName: 'h.test',
      starttls: null,
      via: null,
      address: null,
      ok: true,
      chain: [leaf.der],
      chainMethod: 'handshake',
      protocol: 'TLSv1.2',
      cipher: 'c',
      clientCertRequested: false,
      error: null,
      notes: [],
      attempts: 1,
      elapsedMs: 1,
    };
    const text = renderInspect(r, {
      trusted: false,
      anchor: null,
      path: [],
      problems: [
        { code: 'incomplete', message: 'issuer CN=Collector Issuing not sent', certificate: leaf.sha256 },
      ],
    });
    assert.match(text, /trusted {4}NO\n {2}- incomplete: issuer CN=Collector Issuing not sent/);
  });

  it('renders an unreachable endpoint with its reason', () => {
    const r: ProbeResult = {
      host: '::1',
      port: 8443,
      serverName: null,
      starttls: 'smtp',
      via: null,
      address: null,
      ok: false,
      chain: [],
      chainMethod: null,
      protocol: null,
      cipher: null,
      clientCertRequested: false,
      error: { reason: 'timeout', message: 'no answer' },
      notes: [],
      attempts: 1,
      elapsedMs: 2000,
    };
    assert.match(
      renderInspect(r),
      /endpoint {3}\[::1\]:8443 \(no SNI\)\nstarttls {3}smtp\nresult {5}unreachable: timeout/,
    );
  });

  it('draws a progress bar with done/total and ETA only on a terminal', () => {
    const written: string[] = [];
    let t = 0;
    const tty = createProgress(10, {
      stream: { isTTY: true, columns: 100, write: (s: string) => written.push(s) },
      now: () => t,
      intervalMs: 0,
    });
    t = 2000;
    tty.update(4);
    assert.match(written.at(-1)!, /\[#+-+\] 4\/10 40% ETA 3s/);
    tty.finish();
    assert.equal(written.at(-1), '\r\x1b[K');
    const quiet: string[] = [];
    const pipe = createProgress(10, { stream: { isTTY: false, write: (s: string) => quiet.push(s) } });
    pipe.update(5);
    pipe.finish();
    assert.equal(pipe.enabled, false);
    assert.deepEqual(quiet, []);
  });
});
