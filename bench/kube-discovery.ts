// Kubernetes discovery at scale: N TLS Secrets served by the test API server in pages of 500.
//
//   npx tsx bench/kube-discovery.ts [N[,N…]] [--modes stream,stream-capped,collect,discover,scan]
//                                   [--compare OTHER_CHECKOUT] [--timeout SECONDS]
//   BENCH_DISTINCT=50                        distinct certificates the Secrets cycle through
//   BENCH_PAGE=500                           page size (limit) of the list requests
//
// The API server runs in its own process (objects are generated on demand per page, so it holds no
// cluster in memory), and each measurement runs in a fresh process so peak RSS is its own:
//   stream     discoverObservations(): observations consumed one by one (what a sharded collect or
//              `discover` needs); memory must stay bounded by the page size, < 300 MB.
//   collect    discoverCollector.collect(): the Collector contract, which returns every observation
//              at once, so it grows with the cluster (records of repeated certificates are shared).
//   discover   the `discover --kubeconfig` command (commands/discover.ts): every kind, YAML for the
//              undeclared objects written to a file.
//   scan       the `scan` command (commands/scan.ts) of an inventory whose one target is
//              `discover: {cluster, namespaces: ['*']}` (the exporter-style "every certificate in the
//              cluster" job), JSON report written to a file. Aim: linear, within 3x of discover.
//   scan-only  the same scan through runScan() only: the report in memory, not rendered.
//   *-capped   discover / scan-only with V8's old space capped: they complete only if what stays
//              alive fits (uncapped, V8 lets garbage grow RSS at will).
// --compare runs the same modes of another checkout (e.g. `git archive` of an older commit with
// node_modules linked) in the same session, alternating with this one, and prints a before/after
// table; "same output" compares the sha256 of the YAML or JSON each wrote (inputs, clock and paths
// are the same for both). A measurement running longer than --timeout (default 900 s) is stopped.
// Every Secret carries tls.key; the client drops it while reading each page. The measuring processes
// run an esbuild bundle of this file (as dist/ is built), so tsx compile caches do not count.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CollectContext } from '../src/sources/types.js';
import type { ClusterRef, LoadedInventory, Target } from '../src/inventory/types.js';
import { silentLogger } from '../src/core/logger.js';

const DISTINCT = Number(process.env.BENCH_DISTINCT ?? 50);
const PAGE = Number(process.env.BENCH_PAGE ?? 500);
const LIMIT_MB = 300;
const CAP_MB = 64;
const self = fileURLToPath(import.meta.url);
const root = resolve(self, '../..');

type Mode = 'stream' | 'collect' | 'discover' | 'scan' | 'scan-only';
const RUNS: Record<string, [Mode, string[]]> = {
  // stream-capped: the same stream with V8's old space capped at 64 MB; it completes only if
  // what stays alive is bounded by the page size (uncapped, V8 lets garbage grow RSS at will).
  stream: ['stream', []],
  'stream-capped': ['stream', [`--max-old-space-size=${CAP_MB}`]],
  collect: ['collect', []],
  discover: ['discover', []],
  scan: ['scan', []],
  'scan-only': ['scan-only', []],
  // The same with V8's old space capped: completes only if what stays alive fits.
  'discover-capped': ['discover', [`--max-old-space-size=${CAP_MB * 2}`]],
  'scan-capped': ['scan-only', [`--max-old-space-size=${CAP_MB * 4}`]],
};

function child(
  args: string[],
  env: NodeJS.ProcessEnv,
  bundle?: string,
  nodeFlags: string[] = [],
): ChildProcess {
  const argv = bundle ? ['--expose-gc', ...nodeFlags, bundle, ...args] : ['--import', 'tsx', self, ...args];
  return spawn(process.execPath, argv, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
}

/**
 * Bundles this file against the sources of `checkout` (this one, or --compare's) as dist/ is bundled
 * (scripts/build.mjs settings), without the test server. The bundle lives under the checkout's
 * .bench-out/ so the shipped policy packs resolve from it as from dist/.
 */
async function bundleFor(checkout: string): Promise<{ file: string; dir: string }> {
  const { build } = await import('esbuild');
  mkdirSync(join(checkout, '.bench-out'), { recursive: true });
  const dir = mkdtempSync(join(checkout, '.bench-out', 'kube-'));
  let entry = self;
  if (resolve(checkout) !== root) {
    // The other checkout's bench/ may be older: measure it with this file, compiled against its src/.
    entry = join(checkout, 'bench', `.kube-discovery-compare-${process.pid}.ts`);
    copyFileSync(self, entry);
  }
  const outfile = join(dir, 'kube-discovery.mjs');
  try {
    await build({
      entryPoints: [entry],
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
  } finally {
    if (entry !== self) rmSync(entry, { force: true });
  }
  return { file: outfile, dir };
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
interface Sample {
  objects: number;
  rssMB: number;
  heapMB: number;
}
interface Result {
  mode: Mode;
  objects: number;
  certs: number;
  secs: number;
  perSec: number;
  peakMB: number;
  liveMB: number;
  samples: Sample[];
  note?: string;
  /** sha256 (16 hex) of the YAML or JSON written, to compare checkouts. */
  digest?: string;
}

const cluster: ClusterRef = {
  name: 'bench',
  kubeconfig: { env: 'KC' },
  location: { file: 'bench', line: 1, column: 1 },
};

/** The library paths: discoverObservations() streamed, or the discover collector's whole array. */
async function measureLibrary(
  mode: 'stream' | 'collect',
  kubeconfig: string,
  n: number,
): Promise<Partial<Result>> {
  const { createKubeApi } = await import('../src/sources/kubernetes/client.js');
  const { discoverObservations } = await import('../src/sources/kubernetes/discover.js');
  const { discoverCollector } = await import('../src/sources/kubernetes/discover-collector.js');
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
  const samples: Sample[] = [sample(0)];
  let objects = 0;
  let certs = 0;
  let sampleAt = 0;
  try {
    if (mode === 'stream') {
      for await (const o of discoverObservations(target, ctx, { pageSize: PAGE })) {
        objects++;
        certs += o.certificates.length + (o.trustStore?.length ?? 0);
        if (objects >= sampleAt) {
          samples.push(sample(objects));
          sampleAt += Math.max(1, Math.floor(n / 10));
        }
      }
    } else {
      const all = await discoverCollector.collect(target, ctx);
      objects = all.length;
      certs = all.reduce((k, o) => k + o.certificates.length + (o.trustStore?.length ?? 0), 0);
    }
  } finally {
    api.close();
  }
  return { objects, certs, samples };
}

/** Inputs every checkout gets alike, so their outputs can be compared byte for byte. */
interface Inputs {
  /** Folder with kubeconfig.yaml and inventory/ (same path for each checkout). */
  dir: string;
  now: Date;
}

/**
 * sha256 (16 hex) of what a measurement wrote, read by the driver after the measuring process is
 * gone (so reading it does not count in that process's peak). The discover YAML's comments count
 * days from the command's own clock: those are masked.
 */
function digest(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  let bytes = readFileSync(file);
  if (file.endsWith('.yaml'))
    bytes = Buffer.from(bytes.toString('utf8').replace(/\(-?\d+ days\)/g, '(N days)'));
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}

/** The `discover --kubeconfig` command, YAML to a file (pages of 500, the command's default). */
async function measureDiscoverCommand(inputs: Inputs, out: string): Promise<Partial<Result>> {
  const { discover } = await import('../src/commands/discover.js');
  const file = join(out, 'discovered.yaml');
  const r = await discover({
    kubeconfig: join(inputs.dir, 'kubeconfig.yaml'),
    namespaces: [],
    all: false,
    inventoryDirs: [],
    env: {},
    output: file,
  });
  if (r.exitCode !== 0) throw new Error(`discover: ${r.error}`);
  return { objects: r.objects, certs: 0, note: `${r.shown} in the YAML` };
}

/** The `scan` command of an inventory with one discover target, JSON report to a file. */
async function measureScanCommand(inputs: Inputs, out: string, kubeconfig: string): Promise<Partial<Result>> {
  const { scan } = await import('../src/commands/scan.js');
  const file = join(out, 'report.json');
  const r = await scan({
    inventoryDirs: [join(inputs.dir, 'inventory')],
    policyDirs: [],
    env: { BENCH_KC: kubeconfig },
    now: inputs.now,
    failOn: 'never',
    timeoutMs: 120_000,
    reports: [{ format: 'json', file }],
  });
  return {
    objects: r.report.targets.length,
    certs: r.report.summary.certificates,
    note: `${r.report.findings.length} findings`,
  };
}

/** The same scan through the pipeline only (runScan): the report in memory, not rendered. */
async function measureScanOnly(inputs: Inputs, kubeconfig: string): Promise<Partial<Result>> {
  const { runScan } = await import('../src/pipeline.js');
  const { report } = await runScan({
    inventoryDirs: [join(inputs.dir, 'inventory')],
    policyDirs: [],
    env: { BENCH_KC: kubeconfig },
    now: inputs.now,
    failOn: 'never',
    timeoutMs: 120_000,
  });
  return {
    objects: report.targets.length,
    certs: report.summary.certificates,
    note: `${report.findings.length} findings`,
  };
}

/** Writes the inputs of one cluster size: its kubeconfig and an inventory with one discover target. */
function writeInputs(dir: string, kubeconfig: string): void {
  mkdirSync(join(dir, 'inventory'), { recursive: true });
  writeFileSync(join(dir, 'kubeconfig.yaml'), kubeconfig);
  writeFileSync(
    join(dir, 'inventory', 'cluster.yaml'),
    [
      'apiVersion: certwarden/v1',
      'kind: Inventory',
      'metadata: {name: bench}',
      'clusters:',
      '  - name: bench',
      '    kubeconfig: {env: BENCH_KC}',
      'targets:',
      '  - id: bench-all',
      "    discover: {cluster: bench, namespaces: ['*']}",
      '',
    ].join('\n'),
  );
}

function sample(objects: number): Sample {
  return {
    objects,
    rssMB: process.memoryUsage().rss / 1048576,
    heapMB: process.memoryUsage().heapUsed / 1048576,
  };
}

/** One measurement; what it writes goes to `out` (a folder the driver reads and removes). */
async function measure(
  mode: Mode,
  kubeconfig: string,
  n: number,
  inputs: Inputs,
  out: string,
): Promise<void> {
  const t0 = process.hrtime.bigint();
  const r: Partial<Result> =
    mode === 'discover'
      ? await measureDiscoverCommand(inputs, out)
      : mode === 'scan'
        ? await measureScanCommand(inputs, out, kubeconfig)
        : mode === 'scan-only'
          ? await measureScanOnly(inputs, kubeconfig)
          : await measureLibrary(mode, kubeconfig, n);
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const samples = [...(r.samples ?? []), sample(r.objects ?? 0)];
  const peakMB = process.resourceUsage().maxRSS / 1024;
  // Live heap after a full collection, once at the end (so it does not lower the peak above).
  (globalThis as { gc?: () => void }).gc?.();
  const liveMB = process.memoryUsage().heapUsed / 1048576;
  const result: Result = {
    mode,
    objects: r.objects ?? 0,
    certs: r.certs ?? 0,
    secs,
    perSec: (r.objects ?? 0) / secs,
    peakMB,
    liveMB,
    samples,
    ...(r.note ? { note: r.note } : {}),
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

// ---- the driver ----------------------------------------------------------------------------------
/** One measurement in its own process; a string saying why when it died or timed out. */
async function runOne(
  bundle: string,
  mode: Mode,
  flags: string[],
  env: NodeJS.ProcessEnv,
  timeoutS: number,
): Promise<Result | string> {
  const out = mkdtempSync(join(tmpdir(), `cw-bench-kube-${mode}-`));
  const m = child(['measure', mode], { ...env, BENCH_OUT: out }, bundle, flags);
  const timer = setTimeout(() => m.kill('SIGKILL'), timeoutS * 1000);
  try {
    const line = await firstLine(m).catch(() => null);
    const code = await new Promise<number | null>((r) =>
      m.exitCode !== null || m.signalCode !== null ? r(m.exitCode) : m.once('exit', (c) => r(c)),
    );
    if (line) {
      const r = JSON.parse(line) as Result;
      const d = digest(join(out, mode === 'scan' ? 'report.json' : 'discovered.yaml'));
      return d ? { ...r, digest: d } : r;
    }
    return m.signalCode === 'SIGKILL'
      ? `did not finish in ${timeoutS} s`
      : `the measuring process died (exit ${code})`;
  } finally {
    clearTimeout(timer);
    rmSync(out, { recursive: true, force: true });
  }
}

function line(label: string, r: Result | string): string {
  if (typeof r === 'string') return `${label.padEnd(26)} ${r}`;
  return (
    `${label.padEnd(26)} ${String(r.objects).padStart(7)} objects in ${r.secs.toFixed(1).padStart(6)} s = ` +
    `${String(Math.round(r.perSec)).padStart(6)} objects/s, peak RSS ${r.peakMB.toFixed(0).padStart(4)} MB, ` +
    `live heap at the end ${r.liveMB.toFixed(0)} MB${r.note ? ` (${r.note})` : ''}${r.digest ? ` output ${r.digest}` : ''}`
  );
}

/** This checkout's results against the aims: complete streams, peak RSS, scan within 3x of discover. */
function check(n: number, results: Map<string, Result | string>): string[] {
  const failed: string[] = [];
  const get = (label: string) => results.get(label);
  for (const label of ['stream', 'stream-capped']) {
    const r = get(label);
    if (r !== undefined && (typeof r === 'string' || r.objects !== n)) failed.push(`${label} incomplete`);
  }
  for (const label of ['stream', 'discover', 'scan', 'scan-only']) {
    const r = get(label);
    if (r !== undefined && typeof r !== 'string' && r.peakMB >= LIMIT_MB)
      failed.push(`${label} peak RSS ${r.peakMB.toFixed(0)} MB >= ${LIMIT_MB} MB`);
  }
  const scan = get('scan');
  const discover = get('discover');
  if (typeof scan === 'object' && typeof discover === 'object' && scan.secs > 3 * discover.secs)
    failed.push(`scan ${scan.secs.toFixed(1)} s > 3x discover ${discover.secs.toFixed(1)} s`);
  if (typeof scan === 'string') failed.push(`scan: ${scan}`);
  return failed.map((f) => `${n}: ${f}`);
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      modes: { type: 'string', default: 'stream,stream-capped,collect,discover,scan' },
      compare: { type: 'string' },
      timeout: { type: 'string', default: '900' },
    },
  });
  const sizes = (positionals[0] ?? process.env.BENCH_N ?? '100000').split(',').map(Number);
  const modes = values.modes!.split(',');
  for (const m of modes) if (!RUNS[m]) throw new Error(`unknown mode ${m} (${Object.keys(RUNS).join(', ')})`);
  const timeoutS = Number(values.timeout);
  const checkouts: [string, string][] = [['this', root]];
  if (values.compare) {
    const other = resolve(values.compare);
    if (!existsSync(join(other, 'src'))) throw new Error(`--compare ${other}: no src/ there`);
    checkouts.push(['compare', other]);
  }
  const bundles = new Map<string, { file: string; dir: string }>();
  for (const [name, dir] of checkouts) bundles.set(name, await bundleFor(dir));
  const inputsDir = mkdtempSync(join(tmpdir(), 'cw-bench-kube-inputs-'));
  const now = new Date().toISOString();
  console.log(
    `kube discovery bench: ${sizes.join(', ')} Secrets (${DISTINCT} distinct certificates), pages of ${PAGE}, node ${process.version}; ` +
      `measured as esbuild bundles, like dist/${values.compare ? `; compare = ${resolve(values.compare)}` : ''}`,
  );
  const failed: string[] = [];
  const table: string[] = [];
  try {
    for (const n of sizes) {
      const server = child(['serve', String(n)], {});
      try {
        const { kubeconfig } = JSON.parse(await firstLine(server)) as { kubeconfig: string };
        const dir = join(inputsDir, String(n));
        writeInputs(dir, kubeconfig);
        const env = {
          BENCH_KUBECONFIG: kubeconfig,
          BENCH_N: String(n),
          BENCH_INPUTS: dir,
          BENCH_NOW: now,
        };
        console.log(`\n${n} Secrets`);
        const mine = new Map<string, Result | string>();
        let round = 0;
        for (const label of modes) {
          const [mode, flags] = RUNS[label]!;
          // Alternate which checkout goes first, so load on a shared machine hits both alike.
          const order = round++ % 2 === 0 ? checkouts : [...checkouts].reverse();
          const results = new Map<string, Result | string>();
          for (const [name] of order)
            results.set(name, await runOne(bundles.get(name)!.file, mode, flags, env, timeoutS));
          for (const [name] of checkouts)
            console.log(line(checkouts.length > 1 ? `${label} (${name})` : label, results.get(name)!));
          const r = results.get('this')!;
          mine.set(label, r);
          if (label === 'stream' && typeof r !== 'string')
            console.log(
              `    RSS/heap MB while listing, by objects seen: ${r.samples.map((s) => `${s.objects}: ${s.rssMB.toFixed(0)}/${s.heapMB.toFixed(0)}`).join('  ')}`,
            );
          const other = results.get('compare');
          if (other !== undefined) {
            const cell = (x: Result | string) =>
              typeof x === 'string'
                ? x
                : `${x.secs.toFixed(1)} s, ${Math.round(x.perSec)}/s, ${x.peakMB.toFixed(0)} MB`;
            const same =
              typeof r === 'object' && typeof other === 'object' && r.digest && other.digest
                ? r.digest === other.digest
                  ? 'same output'
                  : 'OUTPUT DIFFERS'
                : '';
            table.push(`| ${n} | ${label} | ${cell(other)} | ${cell(r)} | ${same} |`);
          }
        }
        failed.push(...check(n, mine));
      } finally {
        server.kill('SIGTERM');
      }
    }
  } finally {
    for (const b of bundles.values()) rmSync(b.dir, { recursive: true, force: true });
    rmSync(inputsDir, { recursive: true, force: true });
  }
  if (table.length) {
    console.log('\n| Secrets | run | compare (before) | this (after) | output |\n|---|---|---|---|---|');
    for (const row of table) console.log(row);
  }
  console.log(
    failed.length
      ? `\nFAIL (this checkout): ${failed.join('; ')}`
      : `\nthis checkout: streams complete, peak RSS < ${LIMIT_MB} MB, scan within 3x of discover`,
  );
  if (failed.length) process.exitCode = 1;
}

const [cmd, arg] = process.argv.slice(2);
if (cmd === 'serve') await serve(Number(arg));
else if (cmd === 'measure')
  await measure(
    arg as Mode,
    process.env.BENCH_KUBECONFIG ?? '',
    Number(process.env.BENCH_N ?? 0),
    {
      dir: process.env.BENCH_INPUTS ?? '',
      now: new Date(process.env.BENCH_NOW ?? Date.now()),
    },
    process.env.BENCH_OUT ?? tmpdir(),
  );
else await main();
