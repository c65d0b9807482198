// The whole pipeline on files: an inventory of N file targets (default 20,000) scanned by runScan
// (load + validate, collect, evaluate under the baseline pack, report), next to the floor any node
// tool pays for the same files: readFile + new X509Certificate + three getters, measured in the same
// run (the bare pass runs before and after the scan; the ratio uses their mean, so load changes on a
// shared machine hit both sides). Prints targets/s for both, the ratio, peak RSS and the live heap.
//
//   npx tsx bench/scan.ts [N]        (or BENCH_N=…)
//   BENCH_DISTINCT=200               distinct certificates the files cycle through
//
// Evaluation is incremental (each source is judged as it is read and only its report entry is
// kept), so peak RSS grows with the report, not with the certificates' DER.
import 'reflect-metadata';
import { mkdtempSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { issueCertificate } from '../src/x509/issue.js';
import { runScan } from '../src/pipeline.js';

const N = Number(process.argv[2] ?? process.env.BENCH_N ?? 20_000);
const DISTINCT = Number(process.env.BENCH_DISTINCT ?? 200);

let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);

async function bareParse(files: string[]): Promise<number> {
  let sink = 0; // keeps the getters' results alive so the work is not optimised away
  const t0 = performance.now();
  for (const f of files) {
    const text = await readFile(f, 'latin1');
    // Every certificate of the file (leaf and intermediate), as certwarden reads them.
    for (const m of text.matchAll(/-----BEGIN CERTIFICATE-----\n([^-]+)-----END CERTIFICATE-----/g)) {
      const c = new X509Certificate(Buffer.from(m[1]!.replace(/\n/g, ''), 'base64'));
      sink += c.fingerprint256.length + c.subject.length + c.validTo.length;
    }
  }
  if (sink === 0) throw new Error('nothing was read');
  return (performance.now() - t0) / 1000;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cw-bench-scan-'));
  try {
    const root = await issueCertificate({ cn: 'Bench Root', ca: true });
    const issuing = await issueCertificate({ cn: 'Bench Issuing', ca: true, issuer: root, pathLen: 0 });
    const pems: string[] = [];
    for (let i = 0; i < DISTINCT; i++) {
      const leaf = await issueCertificate({
        cn: `svc-${i}.bench.test`,
        dns: [`svc-${i}.bench.test`],
        issuer: issuing,
        eku: ['serverAuth'],
        days: 200 + (i % 300),
      });
      pems.push(leaf.pem + issuing.pem);
    }
    mkdirSync(path.join(dir, 'certs'));
    mkdirSync(path.join(dir, 'inventory'));
    writeFileSync(path.join(dir, 'inventory', 'root.pem'), root.pem);
    writeFileSync(path.join(dir, 'inventory', 'issuing.pem'), issuing.pem);
    const files: string[] = [];
    for (let i = 0; i < N; i++) {
      const f = path.join(dir, 'certs', `c${i}.pem`);
      writeFileSync(f, pems[i % DISTINCT]!);
      files.push(f);
    }
    writeFileSync(
      path.join(dir, 'inventory', 'bench.yaml'),
      stringify({
        apiVersion: 'certwarden/v1',
        kind: 'Inventory',
        metadata: { name: 'bench' },
        defaults: { policies: ['baseline'] },
        anchors: [
          { id: 'root', file: 'root.pem' },
          { id: 'issuing', file: 'issuing.pem' },
        ],
        targets: files.map((f, i) => ({ id: `t${i}`, file: { path: f }, expect: { chainTo: 'root' } })),
      }),
    );
    console.log(
      `bench/scan: ${N} file targets (${DISTINCT} distinct leaf+intermediate chains), node ${process.version}`,
    );

    // (a) the floor: read each file and let node parse the leaf.
    const bare1 = await bareParse(files);
    // (b) certwarden: load + validate the inventory, collect, evaluate, report.
    const rssBefore = process.memoryUsage().rss;
    peak = rssBefore;
    const t1 = performance.now();
    const { report } = await runScan({
      inventoryDirs: [path.join(dir, 'inventory')],
      policyDirs: [],
      concurrency: 32,
    });
    const full = (performance.now() - t1) / 1000;
    const bare2 = await bareParse(files);
    const bare = (bare1 + bare2) / 2;
    (globalThis as { gc?: () => void }).gc?.();
    const liveHeap = process.memoryUsage().heapUsed;
    if (report.targets.length !== N)
      throw new Error(`expected ${N} targets in the report, got ${report.targets.length}`);
    const untrusted = report.findings.filter((f) => f.check.startsWith('chain.')).length;
    if (untrusted) throw new Error(`unexpected chain findings: ${untrusted}`);

    const rate = (s: number) => Math.round(N / s).toLocaleString('en');
    console.log(
      `  (a) bare readFile + X509Certificate of each certificate: ${bare.toFixed(2)} s, ${rate(bare)} files/s`,
    );
    console.log(
      `  (b) certwarden scan (load, collect, chain + baseline policy, report): ${full.toFixed(2)} s, ${rate(full)} targets/s`,
    );
    console.log(
      `  ratio (b)/(a) time: ${(full / bare).toFixed(2)}x; report: ${report.summary.certificates} certificates, ${report.findings.length} findings`,
    );
    console.log(
      `  peak RSS during (b): ${Math.round(peak / 2 ** 20)} MB (before: ${Math.round(rssBefore / 2 ** 20)} MB); live heap after, holding the report: ${Math.round(liveHeap / 2 ** 20)} MB`,
    );
  } finally {
    clearInterval(sampler);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
