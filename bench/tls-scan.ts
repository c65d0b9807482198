// TLS scan benchmark: N endpoints on 127.0.0.1 served by ONE lab child process (one node:tls server
// per port), scanned by (a) a bare `tls.connect` + `getPeerCertificate(true)` loop and (b) certwarden's
// endpoint collector (probe + raw chain capture + parsing), at the same concurrency, side by side in
// one run; then (c) certwarden again with 10% of the endpoints replaced by tarpits.
//
//   npx tsx bench/tls-scan.ts [--n 2000] [--concurrency 50] [--timeout 3000] [--rounds 2]
//
// Loopback only. Prints endpoints/s, the ratio to the bare loop, total times and peak RSS.
import { spawn } from 'node:child_process';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { demoCa, demoLeaf } from '../src/certificates/demo-issuer.js';
import { endpointCollector } from '../src/collectors/endpoint.js';
import type { CollectContext } from '../src/collectors/types.js';
import type { Target } from '../src/inventory/types.js';
import { mapLimit } from '../src/util/limit.js';
import { silentLogger } from '../src/util/logger.js';

const HOST = '127.0.0.1';

/** Child mode: serve `n` TLS endpoints plus one tarpit, print their ports as one JSON line. */
async function serve(n: number): Promise<void> {
  const root = await demoCa({ cn: 'Bench Root' });
  const issuing = await demoCa({ cn: 'Bench Issuing', issuer: root });
  const ports: number[] = [];
  for (let i = 0; i < n; i++) {
    // A distinct leaf per endpoint (as in real life), all from one issuing CA.
    const leaf = await demoLeaf({ cn: `host${i}.bench.test`, dnsNames: [`host${i}.bench.test`], issuer: issuing });
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
    const s = tls.connect({ host: HOST, port: ep.port, servername: ep.serverName, rejectUnauthorized: false }, () => {
      const chain = s.getPeerCertificate(true);
      s.destroy();
      resolve(Boolean(chain.raw));
    });
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

interface RunResult {
  name: string;
  ms: number;
  ok: number;
  failed: Record<string, number>;
  peakRssMb: number;
}

async function measure(name: string, fn: () => Promise<Array<string | true>>): Promise<RunResult> {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const t0 = performance.now();
  const outcomes = await fn();
  const ms = performance.now() - t0;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const failed: Record<string, number> = {};
  for (const o of outcomes) if (o !== true) failed[o] = (failed[o] ?? 0) + 1;
  return { name, ms, ok: outcomes.filter((o) => o === true).length, failed, peakRssMb: peak / 1024 / 1024 };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      serve: { type: 'string' },
      n: { type: 'string', default: '2000' },
      concurrency: { type: 'string', default: '50' },
      timeout: { type: 'string', default: '3000' },
      rounds: { type: 'string', default: '2' },
    },
  });
  if (values.serve) return serve(Number(values.serve));
  const n = Number(values.n);
  const concurrency = Number(values.concurrency);
  const timeoutMs = Number(values.timeout);
  const rounds = Number(values.rounds);

  const self = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, ['--import', 'tsx', self, '--serve', String(n)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (c) => reject(new Error(`lab process exited with ${c}`)));
  });
  const { ports, tarpit } = JSON.parse(first) as { ports: number[]; tarpit: number };
  const eps: Ep[] = ports.map((port, i) => ({ port, serverName: `host${i}.bench.test` }));
  const withTarpits: Ep[] = eps.map((e, i) => (i % 10 === 5 ? { port: tarpit, serverName: e.serverName } : e));

  const ctx: CollectContext = {
    now: new Date(),
    logger: silentLogger,
    timeoutMs,
    env: {},
    inventory: { inventories: [], anchors: new Map(), bundles: [], clusters: new Map(), targets: [] },
  };
  const bare = (): Promise<RunResult> => measure('bare tls.connect', () => mapLimit(eps, concurrency, async (ep) => ((await bareOne(ep)) ? true : 'error')));
  const cw = (list: Ep[], name: string): Promise<RunResult> =>
    measure(name, () =>
      mapLimit(list, concurrency, async (ep, i) => {
        const [obs] = await endpointCollector.collect(target(i, ep), ctx);
        return obs!.status === 'ok' && obs!.certificates.length === 2 && obs!.tls?.chainMethod === 'handshake' ? true : (obs!.error?.reason ?? obs!.status);
      }),
    );

  console.log(`TLS scan benchmark: ${n} endpoints on ${HOST} (one lab process, one port each), concurrency ${concurrency}, deadline ${timeoutMs} ms, node ${process.version}`);
  // Warm-up: JIT, session-less handshakes, lazy module state.
  await mapLimit(eps.slice(0, 100), concurrency, bareOne);
  await mapLimit(eps.slice(0, 100), concurrency, (ep, i) => endpointCollector.collect(target(i, ep), ctx));

  const results: RunResult[] = [];
  for (let r = 0; r < rounds; r++) {
    results.push(await bare());
    results.push(await cw(eps, 'certwarden collector'));
  }
  results.push(await cw(withTarpits, 'certwarden, 10% tarpits'));
  child.stdin!.end();

  const fmt = (r: RunResult): string =>
    `${r.name.padEnd(26)} ${(r.ms / 1000).toFixed(2).padStart(7)} s  ${((n / r.ms) * 1000).toFixed(0).padStart(6)} endpoints/s  ok ${String(r.ok).padStart(5)}  ${
      Object.keys(r.failed).length ? `failed ${JSON.stringify(r.failed)}  ` : ''
    }peak RSS ${r.peakRssMb.toFixed(0)} MB`;
  for (const r of results) console.log(fmt(r));

  const mean = (name: string): number => {
    const xs = results.filter((r) => r.name === name).map((r) => r.ms);
    return xs.reduce((a, b) => a + b, 0) / xs.length;
  };
  const bareMs = mean('bare tls.connect');
  const cwMs = mean('certwarden collector');
  const pitMs = results.at(-1)!.ms;
  const peakRss = Math.max(...results.map((r) => r.peakRssMb));
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  const ratio = bareMs / cwMs;
  console.log('');
  console.log(`throughput ratio (certwarden / bare): ${(ratio * 100).toFixed(0)}%   (aim >= 80%)   ${ratio >= 0.8 ? 'OK' : 'BELOW AIM'}`);
  console.log(
    `with 10% tarpits: ${(pitMs / 1000).toFixed(2)} s vs bare ${(bareMs / 1000).toFixed(2)} s + deadline ${(timeoutMs / 1000).toFixed(1)} s = ${((bareMs + timeoutMs) / 1000).toFixed(2)} s   ${
      pitMs <= bareMs + timeoutMs ? 'OK' : 'ABOVE AIM'
    }`,
  );
  console.log(`peak RSS of the scanning process: ${peakRss.toFixed(0)} MB sampled, ${maxRssMb.toFixed(0)} MB maxRSS   (aim < 200 MB)   ${maxRssMb < 200 ? 'OK' : 'ABOVE AIM'}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(3);
});
