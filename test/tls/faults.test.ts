import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import { Pki, type Issued } from '../support/pki.js';
import { startRawServer, startTlsServer, tarpit, type Running } from '../support/tls-servers.js';
import { probeEndpoint, type ProbeResult } from '../../src/sources/endpoint/probe.js';

const DEADLINE = 1000;
// The probe must answer by the deadline; allow the event loop a little slack on a busy machine.
const SLACK = 400;

describe('TLS probe: broken servers give exactly one typed result within the deadline', () => {
  let pki: Pki;
  let inter: Issued;
  let leaf: Issued;
  const running: Running[] = [];
  const keep = <T extends Running>(r: T): T => {
    running.push(r);
    return r;
  };

  /** Runs the probe and checks the "one result, in time" promise every fault test relies on. */
  async function probeOnce(
    ep: Parameters<typeof probeEndpoint>[0],
    extra: Partial<Parameters<typeof probeEndpoint>[1]> = {},
  ): Promise<ProbeResult> {
    const t0 = Date.now();
    let calls = 0;
    const r = await probeEndpoint(ep, { timeoutMs: DEADLINE, ...extra }).then((x) => {
      calls++;
      return x;
    });
    const took = Date.now() - t0;
    assert.equal(calls, 1);
    assert.ok(took <= DEADLINE + SLACK, `took ${took} ms, deadline ${DEADLINE} ms`);
    return r;
  }

  before(async () => {
    pki = new Pki();
    const root = await pki.ca({ cn: 'Fault Root' });
    inter = await pki.ca({ cn: 'Fault Issuing', issuer: root });
    leaf = await pki.leaf({ cn: 'svc.test', dns: ['svc.test'], issuer: inter });
  });
  after(async () => {
    await Promise.all(running.map((r) => r.close()));
  });

  it('cuts a tarpit (accepts, never answers) at the deadline as a timeout, without retrying', async () => {
    const s = keep(await tarpit());
    const r = await probeOnce({ host: '127.0.0.1', port: s.port }, { retries: 3 });
    assert.equal(r.ok, false);
    assert.equal(r.error?.reason, 'timeout');
    assert.match(r.error!.message, /TLS handshake/);
    assert.equal(r.attempts, 1);
    assert.equal(s.connections, 1);
  });

  it('cuts a server that drips its answer one byte at a time at the deadline', async () => {
    const s = keep(
      await startRawServer((sock) => {
        // A real TLS record header, then one byte every 200 ms: never enough to finish in time.
        const bytes = Buffer.from([0x16, 0x03, 0x03, 0x40, 0x00, ...Array(200).fill(0x02)]);
        let i = 0;
        const t = setInterval(
          () => (i < bytes.length && !sock.destroyed ? sock.write(bytes.subarray(i, ++i)) : clearInterval(t)),
          200,
        );
        sock.on('close', () => clearInterval(t));
      }),
    );
    const r = await probeOnce({ host: '127.0.0.1', port: s.port });
    assert.equal(r.error?.reason, 'timeout');
  });

  it('reports an immediate reset as reset after one retry', async () => {
    const s = keep(await startRawServer((sock) => sock.resetAndDestroy()));
    const r = await probeOnce({ host: '127.0.0.1', port: s.port }, { retries: 1 });
    assert.equal(r.error?.reason, 'reset');
    assert.equal(r.attempts, 2);
    assert.equal(s.connections, 2);
  });

  it('succeeds on the retry when only the first connection is reset', async () => {
    const tlsSrv = keep(await startTlsServer({ cert: pki.chainPem(leaf, inter), key: leaf.keyPem }));
    const s = keep(
      await startRawServer((sock, i) => {
        if (i === 0) return void sock.resetAndDestroy();
        const up = net.connect(tlsSrv.port, '127.0.0.1');
        sock.pipe(up).pipe(sock);
        up.on('error', () => sock.destroy());
      }),
    );
    const r = await probeOnce({ host: '127.0.0.1', port: s.port, serverName: 'svc.test' }, { retries: 1 });
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.equal(r.attempts, 2);
    assert.equal(r.chain.length, 2);
  });

  it('reports a server speaking something other than TLS as a protocol failure and shows what it said', async () => {
    const s = keep(await startRawServer((sock) => sock.end('HTTP/1.1 400 Bad Request\r\n\r\n')));
    const r = await probeOnce({ host: '127.0.0.1', port: s.port });
    assert.equal(r.error?.reason, 'protocol');
    assert.match(r.error!.message, /not TLS.*HTTP\/1\.1 400/);
  });

  it('escapes control characters in what a hostile server sends back', async () => {
    const s = keep(await startRawServer((sock) => sock.end('\x1b[31mEVIL\x07\r\n')));
    const r = await probeOnce({ host: '127.0.0.1', port: s.port });
    assert.equal(r.error?.reason, 'protocol');
    // eslint-disable-next-line no-control-regex -- the point is to find control characters
    assert.doesNotMatch(r.error!.message, /[\x00-\x1f]/);
  });

  it('reports a refused connection as refused', async () => {
    const s = await startRawServer(() => {});
    const port = s.port;
    await s.close();
    const r = await probeOnce({ host: '127.0.0.1', port });
    assert.equal(r.error?.reason, 'refused');
  });

  it('reports a name that does not resolve as a dns failure (injected resolver)', async () => {
    const lookup = async (): Promise<never> => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.test'), { code: 'ENOTFOUND' });
    };
    const r = await probeOnce({ host: 'nowhere.test', port: 443 }, { lookup });
    assert.equal(r.error?.reason, 'dns');
    assert.match(r.error!.message, /nowhere\.test.*ENOTFOUND/);
  });

  it('reports a name under .invalid as a dns failure with the system resolver', async () => {
    const r = await probeOnce({ host: 'certwarden-test.invalid', port: 443 });
    assert.equal(r.error?.reason, 'dns');
  });

  it('counts a resolver that hangs against the deadline', async () => {
    const lookup = (): Promise<never> => new Promise(() => {});
    const r = await probeOnce({ host: 'slow.test', port: 443 }, { lookup });
    assert.equal(r.error?.reason, 'timeout');
    assert.match(r.error!.message, /resolving/);
  });

  let bulky: Issued[] | null = null;
  /** Many distinct, deliberately bulky CA certificates, about 72 KB in all (made once). */
  async function bulkyExtras(): Promise<Issued[]> {
    if (bulky) return bulky;
    const extras: Issued[] = [];
    for (let size = 0; size < 72 * 1024;) {
      const c = await pki.ca({
        cn: `Padding CA ${extras.length}`,
        ou: Array.from({ length: 8 }, (_, i) => `unit ${i} ${'x'.repeat(200)}`),
      });
      extras.push(c);
      size += c.der.length;
    }
    return (bulky = extras);
  }

  for (const version of ['TLSv1.2', 'TLSv1.3'] as const) {
    it(`reads a 72 KB chain completely over ${version} (many records)`, async () => {
      const extras = await bulkyExtras();
      const s = keep(
        await startTlsServer({
          cert: pki.chainPem(leaf, inter, ...extras),
          key: leaf.keyPem,
          minVersion: version,
          maxVersion: version,
        }),
      );
      const r = await probeOnce({ host: '127.0.0.1', port: s.port, serverName: 'svc.test' });
      assert.equal(r.ok, true, JSON.stringify(r.error));
      assert.equal(r.protocol, version);
      assert.equal(r.chainMethod, 'handshake');
      assert.equal(r.chain.length, 2 + extras.length);
      assert.ok(r.chain.reduce((n, c) => n + c.length, 0) >= 72 * 1024);
      assert.equal(r.chain.at(-1)!.toString('hex'), extras.at(-1)!.der.toString('hex'));
    });
  }

  it('reports a server that only offers an unsupported protocol version as a protocol failure', async () => {
    // Answers any ClientHello with an SSL 3.0 ServerHello, which no current client accepts.
    const hello = Buffer.concat([
      Buffer.from([0x03, 0x00]),
      Buffer.alloc(32, 7),
      Buffer.from([0x00, 0x00, 0x2f, 0x00]),
    ]);
    const hs = Buffer.concat([Buffer.from([0x02, 0, 0, hello.length]), hello]);
    const record = Buffer.concat([Buffer.from([0x16, 0x03, 0x00, 0, hs.length]), hs]);
    const s = keep(await startRawServer((sock) => sock.once('data', () => sock.write(record))));
    const r = await probeOnce({ host: '127.0.0.1', port: s.port });
    assert.equal(r.error?.reason, 'protocol');
    assert.match(r.error!.message, /protocol version|SSLv3/i);
  });

  it('reports a malformed ServerHello as a protocol failure without disturbing the process', async () => {
    const s = keep(
      await startRawServer((sock) =>
        sock.once('data', () =>
          sock.end(Buffer.from([0x16, 0x03, 0x03, 0x00, 0x06, 0x02, 0x00, 0x00, 0x02, 0x03, 0x03])),
        ),
      ),
    );
    const r = await probeOnce({ host: '127.0.0.1', port: s.port });
    assert.equal(r.ok, false);
    assert.ok(['protocol', 'reset'].includes(r.error!.reason), r.error!.reason);
  });

  it('reports a server that rejects the handshake with an alert as tls-alert naming the alert', async () => {
    const s = keep(
      await startRawServer((sock) =>
        sock.once('data', () => sock.end(Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28]))),
      ),
    );
    const r = await probeOnce({ host: '127.0.0.1', port: s.port });
    assert.equal(r.error?.reason, 'tls-alert');
    assert.match(r.error!.message, /handshake_failure \(40\)/);
  });

  it('gives up immediately with a timeout result when the scan is cancelled', async () => {
    const s = keep(await tarpit());
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const t0 = Date.now();
    const r = await probeEndpoint(
      { host: '127.0.0.1', port: s.port },
      { timeoutMs: 10_000, signal: ac.signal },
    );
    assert.ok(Date.now() - t0 < 1000);
    assert.equal(r.error?.reason, 'timeout');
    assert.match(r.error!.message, /cancelled/);
  });

  it('returns one result per endpoint when many broken and healthy endpoints are probed at once', async () => {
    const good = keep(await startTlsServer({ cert: pki.chainPem(leaf, inter), key: leaf.keyPem }));
    const pit = keep(await tarpit());
    const reset = keep(await startRawServer((sock) => sock.resetAndDestroy()));
    const eps = Array.from({ length: 60 }, (_, i) => ({
      host: '127.0.0.1',
      port: [good.port, pit.port, reset.port][i % 3]!,
      serverName: 'svc.test',
    }));
    const t0 = Date.now();
    const results = await Promise.all(eps.map((ep) => probeEndpoint(ep, { timeoutMs: DEADLINE })));
    assert.ok(Date.now() - t0 <= DEADLINE + SLACK * 2);
    assert.equal(results.length, 60);
    assert.deepEqual(
      results.map((r) => (r.ok ? 'ok' : r.error!.reason)),
      eps.map((_, i) => ['ok', 'timeout', 'reset'][i % 3]),
    );
  });
});
