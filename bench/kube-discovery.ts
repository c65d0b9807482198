// Kubernetes discovery at scale: 100,000 TLS Secrets served by the test API server in pages of 500.
//
//   npx tsx bench/kube-discovery.ts [N]      (or BENCH_N=…; default 100000 Secrets)
//   BENCH_DISTINCT=50                        distinct certificates the Secrets cycle through
//   BENCH_PAGE=500                           page size (limit) of the list requests
//
// The API server runs in its own process (objects are generated on demand per page, so it holds no
// cluster in memory), and each measurement runs in a fresh process so peak RSS is its own:
//   stream   discoverObservations(): observations consumed one by one (what a sharded collect or
//            `discover` needs); memory must stay bounded by the page size, < 300 MB.
//   collect  discoverCollector.collect(): the Collector contract, which returns every observation
//            at once, so it grows with the cluster (records of repeated certificates are shared).
// Every Secret carries tls.key; the client drops it while reading each page. The measuring processes
// run an esbuild bundle of this file (as dist/ is built), so tsx compile caches do not count.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CollectContext } from '../src/sources/types.js';
import type { ClusterRef, LoadedInventory, Target } from '../src/inventory/types.js';
import { silentLogger } from '../src/core/logger.js';

const N = Number(/^\d+$/.test(process.argv[2] ?? '') ? process.argv[2] : (process.env.BENCH_N ?? 100_000));
const DISTINCT = Number(process.env.BENCH_DISTINCT ?? 50);
const PAGE = Number(process.env.BENCH_PAGE ?? 500);
const LIMIT_MB = 300;
const CAP_MB = 64;
const self = fileURLToPath(import.meta.url);

function child(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  bundle?: string,
  nodeFlags: string[] = [],
): ChildProcess {
  const argv = bundle ? ['--expose-gc', ...nodeFlags, bundle, ...args] : ['--import', 'tsx', self, ...args];
  return spawn(process.execPath, argv, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
}

/** Bundles this file as dist/ is bundled (scripts/build.mjs settings), without the test server. */
async function bundleSelf(dir: string): Promise<string> {
  const { build } = await import('esbuild');
  const outfile = join(dir, 'kube-discovery.mjs');
  await build({
    entryPoints: [self],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    banner: {
      js: "import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);",
    },
    plugins: [
      {
        name: 'no-test-server',
        setup: (b) => b.onResolve({ filter: /kube-api-server/ }, (a) => ({ path: a.path, external: true })),
      },
    ],
  });
  return outfile;
}

async function firstLine(p: ChildProcess): Promise<string> {
  const rl = createInterface({ input: p.stdout! });
  for await (const line of rl) return line;
  throw new Error('child exited without output');
}

// ---- the API server process --------------------------------------------------------------------
async function serve(n: number): Promise<void> {
  const { KubeApiServer } = await import('../test/support/kube-api-server.js');
  const server = await KubeApiServer.start();
  const root = await server.pki.ca({ cn: 'Bench Root' });
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const variants: { crt: string; key: string }[] = [];
  for (let i = 0; i < DISTINCT; i++) {
    const leaf = await server.pki.leaf({
      cn: `svc-${i}.bench.example`,
      dns: [`svc-${i}.bench.example`],
      issuer: root,
    });
    variants.push({ crt: b64(leaf.pem), key: b64(leaf.keyPem) });
  }
  const ca = b64(root.pem);
  server.addGenerated('Secret', n, (i) => {
    const v = variants[i % variants.length]!;
    return {
      metadata: {
        name: `tls-${String(i).padStart(6, '0')}`,
        namespace: `ns-${String(i % 200).padStart(3, '0')}`,
        uid: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
        resourceVersion: String(1000 + i),
        creationTimestamp: '2026-01-01T00:00:00Z',
        labels: { app: `app-${i % 50}` },
      },
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': v.crt, 'tls.key': v.key, 'ca.crt': ca },
    };
  });
  process.stdout.write(JSON.stringify({ kubeconfig: server.kubeconfig({ auth: 'token' }) }) + '\n');
  process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
}

// ---- a measurement process ---------------------------------------------------------------------
async function measure(mode: 'stream' | 'collect', kubeconfig: string): Promise<void> {
  const { createKubeApi } = await import('../src/sources/kubernetes/client.js');
  const { discoverObservations } = await import('../src/sources/kubernetes/discover.js');
  const { discoverCollector } = await import('../src/sources/kubernetes/discover-collector.js');
  const cluster: ClusterRef = {
    name: 'bench',
    kubeconfig: { env: 'KC' },
    location: { file: 'bench', line: 1, column: 1 },
  };
  const api = createKubeApi(cluster, { env: { KC: kubeconfig }, timeoutMs: 120_000 });
  const inventory: LoadedInventory = {
    inventories: [],
    anchors: new Map(),
    bundles: [],
    clusters: new Map([['bench', cluster]]),
    targets: [],
  };
  const ctx: CollectContext = {
    now: new Date(),
    logger: silentLogger,
    timeoutMs: 120_000,
    env: {},
    inventory,
    services: { kube: () => api },
  };
  const target: Target = {
    id: 'bench',
    inventory: 'bench',
    location: cluster.location,
    source: { kind: 'discover', discover: { cluster: 'bench', namespaces: ['*'], kinds: ['Secret'] } },
    policies: [],
    owners: [],
    zone: null,
    labels: {},
  };
  const samples: { objects: number; rssMB: number; heapMB: number }[] = [];
  const rssMB = () => process.memoryUsage().rss / 1048576;
  const heapMB = () => process.memoryUsage().heapUsed / 1048576;
  samples.push({ objects: 0, rssMB: rssMB(), heapMB: heapMB() });
  const t0 = process.hrtime.bigint();
  let objects = 0;
  let certs = 0;
  let sampleAt = 0;
  if (mode === 'stream') {
    for await (const o of discoverObservations(target, ctx, { pageSize: PAGE })) {
      objects++;
      certs += o.certificates.length + (o.trustStore?.length ?? 0);
      if (objects >= sampleAt) {
        samples.push({ objects, rssMB: rssMB(), heapMB: heapMB() });
        sampleAt += Math.max(1, Math.floor(N / 10));
      }
    }
  } else {
    const all = await discoverCollector.collect(target, { ...ctx, services: { kube: () => api } });
    objects = all.length;
    certs = all.reduce((n, o) => n + o.certificates.length + (o.trustStore?.length ?? 0), 0);
  }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  samples.push({ objects, rssMB: rssMB(), heapMB: heapMB() });
  api.close();
  const peakMB = process.resourceUsage().maxRSS / 1024;
  // Live heap after a full collection, once at the end (so it does not lower the peak above).
  (globalThis as { gc?: () => void }).gc?.();
  const liveMB = process.memoryUsage().heapUsed / 1048576;
  process.stdout.write(
    JSON.stringify({ mode, objects, certs, secs, perSec: objects / secs, peakMB, liveMB, samples }) + '\n',
  );
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cw-bench-kube-'));
  const bundle = await bundleSelf(dir);
  const server = child(['serve', String(N)]);
  const { kubeconfig } = JSON.parse(await firstLine(server)) as { kubeconfig: string };
  console.log(
    `kube discovery bench: ${N} Secrets (${DISTINCT} distinct certificates), pages of ${PAGE}, node ${process.version}; measured as an esbuild bundle, like dist/`,
  );
  const results: Record<
    string,
    {
      objects: number;
      certs: number;
      secs: number;
      perSec: number;
      peakMB: number;
      liveMB: number;
      samples: { objects: number; rssMB: number; heapMB: number }[];
    }
  > = {};
  try {
    // stream-capped: the same stream with V8's old space capped at 64 MB; it completes only if
    // what stays alive is bounded by the page size (uncapped, V8 lets garbage grow RSS at will).
    const runs: [string, 'stream' | 'collect', string[]][] = [
      ['stream', 'stream', []],
      ['stream-capped', 'stream', [`--max-old-space-size=${CAP_MB}`]],
      ['collect', 'collect', []],
    ];
    for (const [label, mode, flags] of runs) {
      const m = child(['measure', mode], { BENCH_KUBECONFIG: kubeconfig, BENCH_N: String(N) }, bundle, flags);
      const line = await firstLine(m).catch(() => null);
      const code = await new Promise<number | null>((r) =>
        m.exitCode !== null ? r(m.exitCode) : m.once('exit', (c) => r(c)),
      );
      if (line) results[label] = JSON.parse(line);
      else console.log(`${label}: the measuring process died (exit ${code})`);
    }
  } finally {
    server.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
  for (const [mode, r] of Object.entries(results)) {
    console.log(
      `${mode.padEnd(14)} ${r.objects} objects (${r.certs} certificates) in ${r.secs.toFixed(1)} s = ${Math.round(r.perSec)} objects/s, peak RSS ${r.peakMB.toFixed(0)} MB, live heap at the end ${r.liveMB.toFixed(0)} MB`,
    );
    if (mode === 'stream')
      console.log(
        `         RSS/heap MB while listing, by objects seen: ${r.samples.map((s) => `${s.objects}: ${s.rssMB.toFixed(0)}/${s.heapMB.toFixed(0)}`).join('  ')}`,
      );
  }
  const stream = results.stream!;
  const capped = results['stream-capped'];
  const ok = stream.objects === N && stream.peakMB < LIMIT_MB && capped?.objects === N;
  if (capped?.objects === N) console.log(`stream with the V8 heap capped at ${CAP_MB} MB: all ${N} objects`);
  console.log(
    ok
      ? `stream peak RSS ${stream.peakMB.toFixed(0)} MB < ${LIMIT_MB} MB: bounded by the page size`
      : `FAIL: ${stream.objects}/${N} objects, peak RSS ${stream.peakMB.toFixed(0)} MB (limit ${LIMIT_MB} MB)`,
  );
  if (!ok) process.exitCode = 1;
}

const [cmd, arg] = process.argv.slice(2);
if (cmd === 'serve') await serve(Number(arg));
else if (cmd === 'measure') await measure(arg as 'stream' | 'collect', process.env.BENCH_KUBECONFIG ?? '');
else await main();
