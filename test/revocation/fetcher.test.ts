// The HTTP fetcher against real loopback servers: what it fetches, what it refuses, and that no
// server can hold it past its deadline or make it fetch the same thing twice.
import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import { listen, tarpit, type Running } from '../support/tls-servers.js';
import { freePort } from '../support/nginx.js';
import { Fetcher } from '../../src/sources/http/fetcher.js';

interface Site extends Running {
  url: string;
  hits: Array<{ method: string; url: string; body: Buffer }>;
  maxInFlight: number;
}

/** A loopback HTTP server whose answers the test writes; it records every request. */
async function site(
  handler: (req: http.IncomingMessage, body: Buffer, res: http.ServerResponse) => void,
): Promise<Site> {
  const hits: Site['hits'] = [];
  let inFlight = 0;
  const state = { maxInFlight: 0 };
  const srv = http.createServer((req, res) => {
    inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      hits.push({ method: req.method ?? '', url: req.url ?? '', body });
      handler(req, body, res);
    });
  });
  const running = await listen(srv);
  return Object.defineProperties(Object.assign(running, { url: `http://127.0.0.1:${running.port}`, hits }), {
    maxInFlight: { get: () => state.maxInFlight },
  }) as Site;
}

describe('HTTP fetcher', function () {
  const open: Array<{ close(): Promise<void> }> = [];
  const fetchers: Fetcher[] = [];
  const fetcher = (opts: ConstructorParameters<typeof Fetcher>[0] = {}): Fetcher => {
    const f = new Fetcher(opts);
    fetchers.push(f);
    return f;
  };
  afterEach(async () => {
    fetchers.splice(0).forEach((f) => f.close());
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  const track = <T extends { close(): Promise<void> }>(s: T): T => (open.push(s), s);

  it('fetches a body once per URL per run, however many ask', async () => {
    const s = track(await site((_q, _b, res) => res.end('crl bytes')));
    const f = fetcher();
    const results = await Promise.all([1, 2, 3].map(() => f.fetch({ url: `${s.url}/a.crl`, maxBytes: 100 })));
    for (const r of results) assert.ok(r.ok && r.body.toString() === 'crl bytes');
    await f.fetch({ url: `${s.url}/a.crl`, maxBytes: 100 });
    assert.equal(s.hits.length, 1);
  });

  it('asks an OCSP responder by POST, and by GET with the base64 request when the POST is refused', async () => {
    const posts = track(
      await site((q, body, res) =>
        res.end(q.method === 'POST' ? Buffer.concat([Buffer.from('re:'), body]) : 'no'),
      ),
    );
    const f = fetcher();
    const r = await f.ocsp(`${posts.url}/ocsp`, Buffer.from([1, 2, 250]), { maxBytes: 100 });
    assert.ok(r.ok);
    assert.equal(r.body.toString('latin1'), 're:\x01\x02\xfa');
    assert.equal(posts.hits[0]!.method, 'POST');

    const getsOnly = track(
      await site((q, _b, res) => {
        if (q.method === 'POST') return res.writeHead(405).end();
        res.end(`got ${decodeURIComponent(q.url!.slice('/ocsp/'.length))}`);
      }),
    );
    const g = await f.ocsp(`${getsOnly.url}/ocsp`, Buffer.from([1, 2, 250]), { maxBytes: 100 });
    assert.ok(g.ok, JSON.stringify(g));
    assert.equal(g.body.toString(), `got ${Buffer.from([1, 2, 250]).toString('base64')}`);
    assert.deepEqual(
      getsOnly.hits.map((h) => h.method),
      ['POST', 'GET'],
    );
  });

  it('follows at most three redirects, only to http and https', async () => {
    const s = track(
      await site((q, _b, res) => {
        const n = Number(/\/r(\d+)/.exec(q.url!)?.[1] ?? -1);
        if (q.url === '/ftp') return res.writeHead(302, { location: 'ftp://127.0.0.1/x' }).end();
        if (n > 0) return res.writeHead(302, { location: `/r${n - 1}` }).end();
        res.end('here');
      }),
    );
    const f = fetcher();
    const three = await f.fetch({ url: `${s.url}/r3`, maxBytes: 100 });
    assert.ok(three.ok);
    assert.equal(three.finalUrl, `${s.url}/r0`);
    const four = await f.fetch({ url: `${s.url}/r4`, maxBytes: 100 });
    assert.ok(!four.ok);
    assert.equal(four.reason, 'redirects');
    const ftp = await f.fetch({ url: `${s.url}/ftp`, maxBytes: 100 });
    assert.ok(!ftp.ok);
    assert.equal(ftp.reason, 'redirects');
  });

  it('refuses bodies over the cap, whether announced or streamed', async () => {
    const s = track(
      await site((q, _b, res) => {
        if (q.url === '/announced')
          return res.writeHead(200, { 'content-length': '5000' }).end(Buffer.alloc(5000));
        res.writeHead(200); // chunked, no length
        for (let i = 0; i < 50; i++) res.write(Buffer.alloc(100));
        res.end();
      }),
    );
    const f = fetcher();
    for (const path of ['/announced', '/streamed']) {
      const r = await f.fetch({ url: `${s.url}${path}`, maxBytes: 1000 });
      assert.ok(!r.ok, path);
      assert.equal(r.reason, 'too-large');
    }
  });

  it('reports HTTP errors, refused connections and schemes it does not fetch', async () => {
    const s = track(await site((_q, _b, res) => res.writeHead(404).end()));
    const f = fetcher();
    const notFound = await f.fetch({ url: `${s.url}/x`, maxBytes: 10 });
    assert.ok(!notFound.ok && notFound.reason === 'status' && /HTTP 404/.test(notFound.message));
    const port = await freePort();
    const refused = await f.fetch({ url: `http://127.0.0.1:${port}/x`, maxBytes: 10 });
    assert.ok(!refused.ok && refused.reason === 'refused');
    const ldap = await f.fetch({ url: 'ldap://127.0.0.1/cn=x', maxBytes: 10 });
    assert.ok(!ldap.ok && ldap.reason === 'scheme');
  });

  it('costs a tarpit at most the deadline, once: the next request to that host fails at once', async () => {
    const t = track(await tarpit());
    const f = fetcher({ timeoutMs: 400 });
    const started = Date.now();
    const first = await f.fetch({ url: `http://127.0.0.1:${t.port}/a.crl`, maxBytes: 10 });
    const firstMs = Date.now() - started;
    assert.ok(!first.ok && first.reason === 'timeout');
    assert.ok(firstMs >= 350 && firstMs < 1500, `took ${firstMs} ms: ${first.message}`);
    const again = Date.now();
    const second = await f.fetch({ url: `http://127.0.0.1:${t.port}/b.crl`, maxBytes: 10 });
    assert.ok(!second.ok && second.reason === 'timeout');
    assert.ok(Date.now() - again < 100);
    assert.match(second.message, /did not answer earlier/);
    assert.equal(t.connections, 1);
  });

  it("ends by the caller's deadline when it is sooner than the fetch's own", async () => {
    const t = track(await tarpit());
    const f = fetcher({ timeoutMs: 5000 });
    const started = Date.now();
    const r = await f.fetch({
      url: `http://127.0.0.1:${t.port}/x`,
      maxBytes: 10,
      deadline: Date.now() + 300,
    });
    assert.ok(!r.ok && r.reason === 'timeout');
    assert.ok(Date.now() - started < 1200);
  });

  it('keeps at most `concurrency` fetches in flight', async () => {
    const s = track(await site((_q, _b, res) => setTimeout(() => res.end('x'), 50)));
    const f = fetcher({ concurrency: 3 });
    const all = await Promise.all(
      Array.from({ length: 12 }, (_, i) => f.fetch({ url: `${s.url}/${i}`, maxBytes: 10 })),
    );
    assert.ok(all.every((r) => r.ok));
    assert.equal(s.hits.length, 12);
    assert.ok(s.maxInFlight <= 3, `max in flight ${s.maxInFlight}`);
  });

  it('fetches nothing when offline', async () => {
    const s = track(await site((_q, _b, res) => res.end('x')));
    const f = fetcher({ offline: true });
    const r = await f.fetch({ url: `${s.url}/x`, maxBytes: 10 });
    assert.ok(!r.ok && r.reason === 'offline');
    const o = await f.ocsp(`${s.url}/ocsp`, Buffer.from([1]), { maxBytes: 10 });
    assert.ok(!o.ok && o.reason === 'offline');
    assert.equal(s.hits.length, 0);
  });

  it('never prints userinfo from a URL', async () => {
    const port = await freePort();
    const r = await fetcher().fetch({ url: `http://user:s3cret-canary@127.0.0.1:${port}/x`, maxBytes: 10 });
    assert.ok(!r.ok);
    assert.doesNotMatch(r.message, /s3cret-canary/);
  });
});
