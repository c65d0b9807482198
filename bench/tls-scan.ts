// TLS scan benchmark: N endpoints on 127.0.0.1 served by ONE lab child process (one node:tls server
// per port), scanned by (a) a bare `tls.connect` + `getPeerCertificate(true)` loop and (b) certwarden's
// endpoint collector (probe + raw chain capture + parsing), at the same concurrency, side by side in
// one run; then (c) certwarden again with 10% of the endpoints replaced by tarpits.
//
//   npx tsx bench/tls-scan.ts [--n 2000] [--concurrency 50] [--timeout 3000] [--rounds 2] [--block 250]
//
// Loopback only. Prints endpoints/s, the ratio to the bare loop, total times and peak RSS.
import { spawn } from 'node:child_process';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { demoCa, demoLeaf } from '../src/x509/demo-issuer.js';
import { collectEndpoints, endpointCollector } from '../src/sources/endpoint/collector.js';
import type { CollectContext } from '../src/sources/types.js';
import type { Target } from '../src/inventory/types.js';
import { mapLimit } from '../src/core/limit.js';
import { silentLogger } from '../src/core/logger.js';

const HOST = '127.0.0.1';

/** Child mode: serve `n` TLS endpoints plus one tarpit, print their ports as one JSON line. */
async function serve(n: number): Promise<void> {
  const root = await demoCa({ cn: 'Bench Root' });
  const issuing = await demoCa({ cn: 'Bench Issuing', issuer: root });
  const ports: number[] = [];
  for (let i = 0; i < n; i++) {
    // A distinct leaf per endpoint (as in real life), all from one issuing CA.
    const leaf = await demoLeaf({
      cn: `host${i}.bench.test`,
      dnsNames: [`host${i}.bench.test`],
      issuer: issuing,
    });
    const srv = tls.createServer({ cert: leaf.pem + issuing.pem, key: leaf.keyPem }, (s) => {
      s.on('error', () => {});
      s.end();
    });
    srv.on('tlsClientError', () => {});
    srv.on('connection', (s: net.Socket) => s.on('error', () => {}));
    await new Promise<void>((r) => srv.listen(0, HOST, 511, () => r()));
    ports.push((srv.address() as net.AddressInfo).port);
  }
  const pit = net.createServer((s) => s.on('error', () => {}));
  await new Promise<void>((r) => pit.listen(0, HOST, 511, () => r()));
  process.stdout.write(JSON.stringify({ ports, tarpit: (pit.address() as net.AddressInfo).port }) + '\n');
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
}

interface Ep {
  port: number;
  serverName: string;
}

function bareOne(ep: Ep): Promise<boolean> {
  return new Promise((resolve) => {
    const s = tls.connect(
      { host: HOST, port: ep.port, servername: ep.serverName, rejectUnauthorized: false },
      () => {
        const chain = s.getPeerCertificate(true);
        s.destroy();
        resolve(Boolean(chain.raw));
      },
    );
    s.on('error', () => {
      s.destroy();
      resolve(false);
    });
  });
}

function target(i: number, ep: Ep): Target {
  return {
    id: `ep-${i}`,
    inventory: 'bench',
    location: { file: 'bench', line: i + 1, column: 1 },
    source: { kind: 'endpoint', endpoint: { host: HOST, port: ep.port, serverName: ep.serverName } },
    policies: [],
    owners: [],
    zone: null,
    labels: {},
  };
}

type Outcome = string | true;

interface Tally {
  name: string;
  ms: number;
  cpuMs: number;
  endpoints: number;
  ok: number;
  failed: Record<string, number>;
}

const newTally = (name: string): Tally => ({ name, ms: 0, cpuMs: 0, endpoints: 0, ok: 0, failed: {} });

let peakRss = 0;
const sampleRss = (): void => void (peakRss = Math.max(peakRss, process.memoryUsage().rss));

/** Runs `fn` over `list` and adds wall time, client CPU time and outcomes to `t`. */
async function runInto<T>(
  t: Tally,
  list: T[],
  concurrency: number,
  fn: (x: T, i: number) => Promise<Outcome>,
): Promise<void> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const outcomes = await mapLimit(list, concurrency, fn);
  t.ms += performance.now() - t0;
  const c = process.cpuUsage(c0);
  t.cpuMs += (c.user + c.system) / 1000;
  t.endpoints += list.length;
  for (const o of outcomes) {
    if (o === true) t.ok++;
    else t.failed[o] = (t.failed[o] ?? 0) + 1;
  }
  sampleRss();
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      serve: { type: 'string' },
      n: { type: 'string', default: '2000' },
      concurrency: { type: 'string', default: '50' },
      timeout: { type: 'string', default: '3000' },
      rounds: { type: 'string', default: '2' },
      block: { type: 'string', default: '250' },
    },
  });
  if (values.serve) return serve(Number(values.serve));
  const n = Number(values.n);
  const concurrency = Number(values.concurrency);
  const timeoutMs = Number(values.timeout);
  const rounds = Number(values.rounds);
  const block = Number(values.block);

  const self = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, ['--import', 'tsx', self, '--serve', String(n)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (c) => reject(new Error(`lab process exited with ${c}`)));
  });
  const { ports, tarpit } = JSON.parse(first) as { ports: number[]; tarpit: number };
  const eps: Ep[] = ports.map((port, i) => ({ port, serverName: `host${i}.bench.test` }));
  const withTarpits: Ep[] = eps.map((e, i) =>
    i % 10 === 5 ? { port: tarpit, serverName: e.serverName } : e,
  );

  const ctx: CollectContext = {
    now: new Date(),
    logger: silentLogger,
    timeoutMs,
    env: {},
    inventory: { inventories: [], anchors: new Map(), bundles: [], clusters: new Map(), targets: [] },
  };
  const bareFn = async (ep: Ep): Promise<Outcome> => ((await bareOne(ep)) ? true : 'error');
  const cwFn = async (ep: Ep, i: number): Promise<Outcome> => {
    const [obs] = await endpointCollector.collect(target(i, ep), ctx);
    return obs!.status === 'ok' && obs!.certificates.length === 2 && obs!.tls?.chainMethod === 'handshake'
      ? true
      : (obs!.error?.reason ?? obs!.status);
  };

  console.log(
    `TLS scan benchmark: ${n} endpoints on ${HOST} (one lab process, one port and one leaf each), concurrency ${concurrency}, deadline ${timeoutMs} ms, node ${process.version}`,
  );
  const sampler = setInterval(sampleRss, 50);
  // Warm-up: JIT and lazy module state.
  await mapLimit(eps.slice(0, 100), concurrency, bareOne);
  await mapLimit(eps.slice(0, 100), concurrency, cwFn);

  // Side by side: both loops scan the same blocks of endpoints, alternating which goes first, so
  // load from anything else on the machine falls on both alike.
  const bare = newTally('bare tls.connect');
  const cw = newTally('certwarden collector');
  for (let r = 0; r < rounds; r++) {
    for (let b = 0, k = 0; b < eps.length; b += block, k++) {
      const slice = eps.slice(b, b + block);
      const order: Array<[Tally, (ep: Ep, i: number) => Promise<Outcome>]> = [
        [bare, bareFn],
        [cw, (ep, i) => cwFn(ep, b + i)],
      ];
      if ((k + r) % 2) order.reverse();
      for (const [t, fn] of order) await runInto(t, slice, concurrency, fn);
    }
  }
  // Tarpits: a whole bare pass, then the whole list with every tenth endpoint a tarpit.
  const bareWhole = newTally('bare tls.connect (whole)');
  await runInto(bareWhole, eps, concurrency, bareFn);
  // The same list through collectEndpoints, whose probes give their slot back once stalled.
  const pit = newTally('certwarden, 10% tarpits');
  {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const obs = await collectEndpoints(
      withTarpits.map((ep, i) => target(i, ep)),
      ctx,
      { concurrency },
    );
    pit.ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    pit.cpuMs = (c.user + c.system) / 1000;
    pit.endpoints = obs.length;
    for (const o of obs) {
      if (o.status === 'ok' && o.certificates.length === 2) pit.ok++;
      else pit.failed[o.error?.reason ?? o.status] = (pit.failed[o.error?.reason ?? o.status] ?? 0) + 1;
    }
    sampleRss();
  }
  clearInterval(sampler);
  child.stdin!.end();

  const fmt = (t: Tally): string =>
    `${t.name.padEnd(26)} ${(t.ms / 1000).toFixed(2).padStart(7)} s for ${String(t.endpoints).padStart(5)}  ${((t.endpoints / t.ms) * 1000).toFixed(0).padStart(5)} endpoints/s  client CPU ${(t.cpuMs / t.endpoints).toFixed(2)} ms/endpoint  ok ${t.ok}${
      Object.keys(t.failed).length ? `  failed ${JSON.stringify(t.failed)}` : ''
    }`;
  for (const t of [bare, cw, bareWhole, pit]) console.log(fmt(t));

  const ratio = bare.ms / cw.ms;
  const cpuRatio = bare.cpuMs / cw.cpuMs;
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  console.log('');
  console.log(
    `throughput ratio (certwarden / bare): ${(ratio * 100).toFixed(0)}%   (aim >= 80%)   ${ratio >= 0.8 ? 'OK' : 'BELOW AIM'}`,
  );
  console.log(
    `client CPU per endpoint, bare / certwarden: ${(cpuRatio * 100).toFixed(0)}%   (certwarden also reads the raw chain and parses it)`,
  );
  console.log(
    `with 10% tarpits: ${(pit.ms / 1000).toFixed(2)} s vs bare ${(bareWhole.ms / 1000).toFixed(2)} s + deadline ${(timeoutMs / 1000).toFixed(1)} s = ${(
      (bareWhole.ms + timeoutMs) /
      1000
    ).toFixed(2)} s   ${pit.ms <= bareWhole.ms + timeoutMs ? 'OK' : 'ABOVE AIM'}`,
  );
  console.log(
    `peak RSS of the scanning process: ${(peakRss / 1024 / 1024).toFixed(0)} MB sampled, ${maxRssMb.toFixed(0)} MB maxRSS   (aim < 200 MB)   ${maxRssMb < 200 ? 'OK' : 'ABOVE AIM'}`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(3);
});
