// Start-up cost and its share of a whole scan, measured as a user runs the tool: one process per run.
//
//   npx tsx bench/startup.ts [--rounds 7] [--n 600] [--cli dist/cli.js] [--compare OTHER/dist/cli.js]
//
// Side by side, alternating in each round (so load on a shared machine hits all alike):
//   - bare `node -e 0`, `certwarden --version`, `certwarden validate` of the example inventory;
//   - N loopback TLS endpoints (one lab process, from bench/tls-scan.ts): a bare node process running a
//     `tls.connect` + `getPeerCertificate` loop at concurrency 50, next to `certwarden scan` of an
//     inventory naming the same N endpoints (JSON report to /dev/null), both from process start to exit.
// `--compare` runs a second build (e.g. an older checkout's dist/cli.js) in the same rounds.
// Prints medians and ratios to bare node. Loopback only.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function timed(args: string[], cwd = root): Promise<number> {
  const t0 = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (err) => {
      // scan exits 1 when it has findings: that is a result, not a failure of the run
      if (err && typeof err.code !== 'number') return reject(err);
      if (err && err.code !== 1) return reject(err);
      resolve(Number(process.hrtime.bigint() - t0) / 1e6);
    });
  });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const BARE_TLS = `
const tls = require('node:tls');
const ports = JSON.parse(process.argv[1]);
let next = 0, ok = 0;
function one() {
  if (next >= ports.length) return Promise.resolve();
  const i = next++;
  return new Promise((done) => {
    const s = tls.connect({ host: '127.0.0.1', port: ports[i], servername: 'host' + i + '.bench.test', rejectUnauthorized: false }, () => {
      if (s.getPeerCertificate(true).raw) ok++;
      s.destroy(); done();
    });
    s.on('error', () => { s.destroy(); done(); });
  }).then(one);
}
Promise.all(Array.from({ length: 50 }, one)).then(() => { if (ok !== ports.length) process.exit(2); });
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '7' },
      n: { type: 'string', default: '600' },
      cli: { type: 'string', default: 'dist/cli.js' },
      compare: { type: 'string' },
    },
  });
  const rounds = Number(values.rounds);
  const n = Number(values.n);
  const clis: [string, string][] = [['certwarden', path.resolve(root, values.cli!)]];
  if (values.compare) clis.push(['compare', path.resolve(values.compare)]);

  const lab = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'bench/tls-scan.ts'), '--serve', String(n)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: lab.stdout! }).once('line', resolve);
    lab.once('exit', (c) => reject(new Error(`lab process exited with ${c}`)));
  });
  const { ports } = JSON.parse(first) as { ports: number[] };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'certwarden-bench-startup-'));
  const targets = ports
    .map(
      (p, i) =>
        `  - id: ep-${i}\n    endpoint: { host: 127.0.0.1, port: ${p}, serverName: host${i}.bench.test }\n`,
    )
    .join('');
  writeFileSync(
    path.join(dir, 'endpoints.yaml'),
    `apiVersion: certwarden/v1\nkind: Inventory\nmetadata:\n  name: bench\ntargets:\n${targets}`,
  );

  const runs: [string, string[]][] = [['node -e 0', ['-e', '0']]];
  for (const [name, cli] of clis) {
    runs.push([`${name} --version`, [cli, '--version']]);
    runs.push([`${name} validate (example)`, [cli, 'validate', '--inventory', 'inventory/example']]);
  }
  runs.push([`bare tls loop, ${n} endpoints`, ['-e', BARE_TLS, JSON.stringify(ports)]]);
  for (const [name, cli] of clis)
    runs.push([
      `${name} scan, ${n} endpoints`,
      [
        cli,
        'scan',
        '--inventory',
        dir,
        '--format',
        'json',
        '--output',
        path.join(dir, 'report.json'),
        '--fail-on',
        'never',
        '--concurrency',
        '50',
      ],
    ]);

  console.log(
    `start-up benchmark: ${rounds} rounds, node ${process.version}, ${os.cpus().length} cores; medians of wall time per process`,
  );
  const times = new Map<string, number[]>(runs.map(([k]) => [k, []]));
  await timed(runs[0]![1]); // warm the file cache
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? runs : [...runs].reverse();
    for (const [k, args] of order) times.get(k)!.push(await timed(args));
  }
  lab.stdin!.end();
  rmSync(dir, { recursive: true, force: true });

  const bare = median(times.get('node -e 0')!);
  const bareTls = median(times.get(`bare tls loop, ${n} endpoints`)!);
  for (const [k] of runs) {
    const m = median(times.get(k)!);
    const note = k.includes('scan,')
      ? `  -> ${(bareTls / m).toFixed(2)}x the bare loop's speed`
      : k.includes('loop') || k === 'node -e 0'
        ? ''
        : `  -> ${(m / bare).toFixed(2)}x bare node`;
    console.log(`${k.padEnd(40)} ${m.toFixed(0).padStart(6)} ms${note}`);
  }
}

await main();
