// Revocation benchmark.
//
// (1) N loopback endpoints (one lab process, one port and one leaf each) whose leaves all name ONE
//     OCSP responder (`openssl ocsp`, answering from the CA's database): the whole scan pipeline
//     with `revocation: {mode: off}` next to the default soft mode, on the same blocks of targets,
//     alternating which goes first. Reported: endpoints/s each way and the ratio (aim >= 0.7x).
// (2) A CRL of M entries made by `openssl ca -gencrl`: parse (entries streamed and indexed) and
//     1,000 lookups, in a child process so its memory is its own (aim: < 2 s and < 200 MB).
//
//   npx tsx bench/revocation.ts [--n 1000] [--concurrency 50] [--timeout 5000] [--rounds 2]
//                               [--block 250] [--crl-entries 200000] [--responders 2]
//
// Loopback only.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { Pki, type Issued } from '../test/support/pki.js';
import { OpensslCa } from '../test/support/openssl-ca.js';
import { freePort } from '../test/support/nginx.js';
import { revocationExtensions } from '../test/support/revocation.js';
import { runScan } from '../src/pipeline.js';
import { parseCrl, crlEntry } from '../src/x509/revocation/crl.js';

const HOST = '127.0.0.1';

/** Lab mode: serve the certificates listed in `file` ([{cert, key}]), print the ports as one JSON line. */
async function serve(file: string): Promise<void> {
  const list = JSON.parse(readFileSync(file, 'utf8')) as Array<{ cert: string; key: string }>;
  const ports: number[] = [];
  for (const { cert, key } of list) {
    const srv = tls.createServer({ cert, key }, (s) => {
      s.on('error', () => {});
      s.end();
    });
    srv.on('tlsClientError', () => {});
    srv.on('connection', (s: net.Socket) => s.on('error', () => {}));
    await new Promise<void>((r) => srv.listen(0, HOST, 511, () => r()));
    ports.push((srv.address() as net.AddressInfo).port);
  }
  process.stdout.write(JSON.stringify({ ports }) + '\n');
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
}

/** The CA database with `entries` revoked certificates, as `openssl ca` keeps it. */
function database(entries: number): string {
  const lines: string[] = [];
  for (let i = 0; i < entries; i++) {
    const serial = (0x10000000 + i * 13).toString(16).toUpperCase();
    lines.push(`R\t301231000000Z\t260101000000Z,keyCompromise\t${serial}\tunknown\t/CN=revoked ${i}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * CRL mode: parse the CRL in `file` and look 1,000 serials up (half listed); prints one JSON line.
 * A process of its own, so its memory high-water mark (maxRSS) is the parse's, over a bare baseline.
 */
async function crlBench(file: string): Promise<void> {
  (globalThis as { gc?: () => void }).gc?.();
  const rss0 = process.memoryUsage().rss;
  const der = readFileSync(file);
  const heap0 = process.memoryUsage().heapUsed;
  const p0 = performance.now();
  const crl = parseCrl(der);
  const parseMs = performance.now() - p0;
  const l0 = performance.now();
  let hits = 0;
  for (let i = 0; i < 1000; i++) {
    const listed = 0x10000000 + ((i * 7919) % crl.entries) * 13;
    const n = i % 2 ? listed : listed + 1;
    if (crlEntry(crl, Buffer.from(n.toString(16).padStart(8, '0'), 'hex'))) hits++;
  }
  const lookupMs = performance.now() - l0;
  const heapMb = (process.memoryUsage().heapUsed - heap0) / 1e6;
  process.stdout.write(
    JSON.stringify({
      entries: crl.entries,
      bytes: der.length,
      parseMs,
      lookupMs,
      hits,
      rssBeforeMb: rss0 / 1e6,
      maxRssMb: (process.resourceUsage().maxRSS * 1024) / 1e6,
      heapMb,
    }) + '\n',
  );
}

/** A serial as openssl's database writes it: upper-case hex, two digits a byte, no leading zero byte. */
function opensslSerial(hex: string): string {
  let h = hex.length % 2 ? `0${hex}` : hex;
  while (h.length > 2 && h.startsWith('00')) h = h.slice(2);
  return h.toUpperCase();
}

interface Tally {
  name: string;
  ms: number;
  /** CPU time of this (scanning) process. */
  cpuMs: number;
  endpoints: number;
  statuses: Record<string, number>;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      serve: { type: 'string' },
      crl: { type: 'string' },
      n: { type: 'string', default: '1000' },
      concurrency: { type: 'string', default: '50' },
      timeout: { type: 'string', default: '5000' },
      rounds: { type: 'string', default: '2' },
      block: { type: 'string', default: '250' },
      'crl-entries': { type: 'string', default: '200000' },
      responders: { type: 'string', default: '2' },
    },
  });
  if (values.serve) return serve(values.serve);
  if (values.crl) return crlBench(values.crl);
  const n = Number(values.n);
  const concurrency = Number(values.concurrency);
  const timeoutMs = Number(values.timeout);
  const rounds = Number(values.rounds);
  const block = Number(values.block);
  const self = fileURLToPath(import.meta.url);
  const dir = mkdtempSync(join(tmpdir(), 'certwarden-bench-rev-'));

  console.log(
    `revocation benchmark: ${n} endpoints on ${HOST} whose leaves name one OCSP responder (openssl ocsp, -multi ${values.responders}), concurrency ${concurrency}, deadline ${timeoutMs} ms, node ${process.version}`,
  );
  const pki = new Pki();
  const root = await pki.ca({ cn: 'Bench Revocation Root' });
  const issuing = await pki.ca({ cn: 'Bench Revocation Issuing', issuer: root });
  const ca = new OpensslCa(issuing);
  const port = await freePort();
  const ocsp = [`http://${HOST}:${port}/`];
  const t0 = performance.now();
  const leaves: Issued[] = [];
  for (let i = 0; i < n; i++)
    leaves.push(
      await pki.leaf({
        cn: `host${i}.bench.test`,
        dns: [`host${i}.bench.test`],
        issuer: issuing,
        eku: ['serverAuth'],
        extensions: revocationExtensions({ ocsp }),
      }),
    );
  // The CA's database, written as `openssl ca -valid` would (one line per certificate).
  writeFileSync(
    join(ca.dir, 'index.txt'),
    leaves
      .map(
        (l, i) =>
          `V\t301231000000Z\t\t${opensslSerial(l.cert.serialNumber)}\tunknown\t/CN=host${i}.bench.test`,
      )
      .join('\n') + '\n',
  );
  const responder = await ca.responder({
    port,
    multi: Number(values.responders) > 1 ? Number(values.responders) : undefined,
  });
  const labFile = join(dir, 'lab.json');
  writeFileSync(labFile, JSON.stringify(leaves.map((l) => ({ cert: l.pem + issuing.pem, key: l.keyPem }))), {
    mode: 0o600,
  });
  const lab = spawn(process.execPath, ['--import', 'tsx', self, '--serve', labFile], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const { ports } = JSON.parse(
    await new Promise<string>((resolve, reject) => {
      createInterface({ input: lab.stdout! }).once('line', resolve);
      lab.once('exit', (c) => reject(new Error(`lab process exited with ${c}`)));
    }),
  ) as { ports: number[] };
  rmSync(labFile);
  console.log(`set-up (PKI, database, lab, responder): ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  writeFileSync(join(dir, 'root.pem'), root.pem);
  const ids = ports.map((_, i) => `ep-${i}`);
  const inventory = (mode: string) => ({
    apiVersion: 'certwarden/v1',
    kind: 'Inventory',
    metadata: { name: `bench-${mode}` },
    defaults: { revocation: { mode } },
    anchors: [{ id: 'root', file: '../root.pem' }],
    targets: ports.map((p, i) => ({
      id: ids[i],
      endpoint: { host: HOST, port: p, serverName: `host${i}.bench.test` },
      expect: { chainTo: 'root' },
    })),
  });
  for (const mode of ['soft', 'off']) {
    mkdirSync(join(dir, mode));
    writeFileSync(join(dir, mode, 'inventory.yaml'), stringify(inventory(mode)));
  }

  const run = async (t: Tally, mode: string, targets: string[]): Promise<void> => {
    const s = performance.now();
    const c0 = process.cpuUsage();
    const { report } = await runScan({
      inventoryDirs: [join(dir, mode)],
      policyDirs: [],
      targets,
      concurrency,
      timeoutMs,
    });
    t.ms += performance.now() - s;
    const c = process.cpuUsage(c0);
    t.cpuMs += (c.user + c.system) / 1000;
    t.endpoints += targets.length;
    if (process.env.BENCH_DEBUG)
      console.error(`${t.name} ${mode} ${targets.length}: ${(performance.now() - s).toFixed(0)} ms`);
    for (const tg of report.targets) {
      const r = tg.certificates[0]?.revocation;
      const key = tg.status === 'unreachable' ? 'unreachable' : r ? `${r.status}/${r.source}` : 'not checked';
      t.statuses[key] = (t.statuses[key] ?? 0) + 1;
    }
  };
  // Warm-up: JIT, lazy modules, platform roots.
  await run({ name: 'warm', ms: 0, cpuMs: 0, endpoints: 0, statuses: {} }, 'soft', ids.slice(0, 50));
  await run({ name: 'warm', ms: 0, cpuMs: 0, endpoints: 0, statuses: {} }, 'off', ids.slice(0, 50));

  const on: Tally = { name: 'revocation on (soft)', ms: 0, cpuMs: 0, endpoints: 0, statuses: {} };
  const off: Tally = { name: 'revocation off', ms: 0, cpuMs: 0, endpoints: 0, statuses: {} };
  for (let r = 0; r < rounds; r++) {
    for (let b = 0, k = 0; b < ids.length; b += block, k++) {
      const slice = ids.slice(b, b + block);
      const order: Array<[Tally, string]> = [
        [off, 'off'],
        [on, 'soft'],
      ];
      if ((k + r) % 2) order.reverse();
      for (const [t, mode] of order) await run(t, mode, slice);
    }
  }
  lab.stdin!.end();
  await responder.stop();
  await ca.close();
  rmSync(dir, { recursive: true, force: true });

  const fmt = (t: Tally): string =>
    `${t.name.padEnd(22)} ${(t.ms / 1000).toFixed(2).padStart(7)} s for ${String(t.endpoints).padStart(5)}  ${((t.endpoints / t.ms) * 1000).toFixed(0).padStart(5)} endpoints/s  scanner CPU ${(t.cpuMs / t.endpoints).toFixed(2)} ms/endpoint  leaf status ${JSON.stringify(t.statuses)}`;
  console.log(fmt(off));
  console.log(fmt(on));
  const ratio = off.ms / on.ms;
  console.log(
    `throughput with revocation / without: ${ratio.toFixed(2)}x   (aim >= 0.7x)   ${ratio >= 0.7 ? 'OK' : 'BELOW AIM'}`,
  );

  const entries = Number(values['crl-entries']);
  const crlDir = mkdtempSync(join(tmpdir(), 'certwarden-bench-crl-'));
  const crlCa = new OpensslCa(await pki.ca({ cn: 'Bench CRL CA' }));
  writeFileSync(join(crlCa.dir, 'index.txt'), database(entries));
  const g0 = performance.now();
  writeFileSync(join(crlDir, 'big.crl'), crlCa.crl());
  const genMs = performance.now() - g0;
  await crlCa.close();
  const crlChild = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', self, '--crl', join(crlDir, 'big.crl')],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: crlChild.stdout! }).once('line', resolve);
    crlChild.once('exit', (code) => (code ? reject(new Error(`CRL child exited with ${code}`)) : undefined));
  });
  rmSync(crlDir, { recursive: true, force: true });
  const c = JSON.parse(line) as {
    entries: number;
    bytes: number;
    parseMs: number;
    lookupMs: number;
    hits: number;
    rssBeforeMb: number;
    maxRssMb: number;
    heapMb: number;
  };
  console.log('');
  console.log(
    `CRL of ${c.entries} entries (${(c.bytes / 1e6).toFixed(1)} MB DER, made by openssl ca -gencrl in ${(genMs / 1000).toFixed(1)} s):`,
  );
  console.log(
    `  parse ${c.parseMs.toFixed(0)} ms, 1000 lookups ${c.lookupMs.toFixed(1)} ms (${c.hits} listed), parse + lookups ${((c.parseMs + c.lookupMs) / 1000).toFixed(2)} s   (aim < 2 s)   ${c.parseMs + c.lookupMs < 2000 ? 'OK' : 'ABOVE AIM'}`,
  );
  const used = c.maxRssMb - c.rssBeforeMb;
  console.log(
    `  memory: the parsing process peaked at ${c.maxRssMb.toFixed(0)} MB RSS over a ${c.rssBeforeMb.toFixed(0)} MB baseline (node + tsx): +${used.toFixed(0)} MB for the file and the parse; the parsed CRL holds ${c.heapMb.toFixed(0)} MB of heap   (aim < 200 MB)   ${used < 200 ? 'OK' : 'ABOVE AIM'}`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(3);
});
