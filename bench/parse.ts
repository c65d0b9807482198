// Parsing throughput: certwarden's read+parse pipeline against bare node X509Certificate.
//
//   npx tsx bench/parse.ts [N]            (or BENCH_N=…; default 100000 files)
//   BENCH_DISTINCT=300                    distinct certificates the files cycle through
//
// Writes N PEM files (one certificate each) into a temp folder, then streams over them file by
// file with both, alternating file by file so machine load hits both alike: (a) readFile + new X509Certificate + fingerprint256/subject/validTo, the floor any
// node tool pays; (b) readFile + readCertificates (complete CertRecord) + a days-remaining
// evaluation. Nothing is kept per file, so memory must stay flat. The temp folder is removed.
import { X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCertificates } from '../src/x509/read.js';
import { daysRemaining } from '../src/x509/parse.js';
import { Pki, type Issued, type KeySpec } from '../test/support/pki.js';

const N = Number(process.argv[2] ?? process.env.BENCH_N ?? 100_000);
const DISTINCT = Number(process.env.BENCH_DISTINCT ?? 300);
const PER_DIR = 1000;

function fileName(root: string, i: number): string {
  return join(root, String(Math.floor(i / PER_DIR)), `cert-${i}.pem`);
}

async function buildCertificates(): Promise<string[]> {
  const pki = new Pki();
  const roots = [
    await pki.ca({ cn: 'Bench Root RSA', key: 'rsa2048' }),
    await pki.ca({ cn: 'Bench Root EC', key: 'p384' }),
  ];
  const issuing = [
    await pki.ca({ cn: 'Bench Issuing RSA', key: 'rsa2048', issuer: roots[0] }),
    await pki.ca({ cn: 'Bench Issuing EC', key: 'p256', issuer: roots[1] }),
  ];
  // A few RSA key pairs shared by many certificates (RSA generation is slow); EC keys are fresh.
  const rsaKeys = [await pki.keyPair('rsa2048'), await pki.keyPair('rsa2048'), await pki.keyPair('rsa3072')];
  const specs: KeySpec[] = ['p256', 'p256', 'p384', 'ed25519', 'rsa2048'];
  const pems: string[] = [];
  for (let i = 0; i < DISTINCT; i++) {
    const spec = specs[i % specs.length]!;
    const issuer: Issued = issuing[i % 2]!;
    const cert = await pki.leaf({
      cn: `svc-${i}.bench.example`,
      o: ['Bench Org'],
      key: spec,
      keys: spec === 'rsa2048' ? rsaKeys[i % rsaKeys.length] : undefined,
      issuer,
      days: 30 + (i % 400),
      dns: [`svc-${i}.bench.example`, `alt-${i}.bench.example`],
      ips: i % 3 === 0 ? ['10.0.0.1', '2001:db8::1'] : [],
      eku: ['serverAuth', 'clientAuth'],
    });
    pems.push(cert.pem);
  }
  return pems;
}

interface Phase {
  certs: number;
  seconds: number;
  peakRssMb: number;
}

/**
 * Runs both per-file functions over every file, alternating file by file (and which goes first), so
 * that load from other processes on a shared machine hits both sides alike. Each side reads the
 * file itself: I/O is part of what is measured.
 */
function runInterleaved(
  root: string,
  fns: [(bytes: Buffer) => number, (bytes: Buffer) => number],
): [Phase, Phase] {
  const phases = fns.map(() => ({ certs: 0, ns: 0n, peak: process.memoryUsage().rss }));
  for (let i = 0; i < N; i++) {
    const name = fileName(root, i);
    for (const k of i & 1 ? [1, 0] : [0, 1]) {
      const ph = phases[k]!;
      const t0 = process.hrtime.bigint();
      ph.certs += fns[k]!(readFileSync(name));
      ph.ns += process.hrtime.bigint() - t0;
    }
    if ((i & 1023) === 0) for (const ph of phases) ph.peak = Math.max(ph.peak, process.memoryUsage().rss);
  }
  const rss = process.memoryUsage().rss;
  const [a, b] = phases.map((p) => ({
    certs: p.certs,
    seconds: Number(p.ns) / 1e9,
    peakRssMb: Math.max(p.peak, rss) / 2 ** 20,
  }));
  return [a!, b!];
}

async function main(): Promise<void> {
  console.log(
    `certwarden parse bench: ${N} files, ${DISTINCT} distinct certificates, node ${process.version}`,
  );
  const tBuild = Date.now();
  const pems = await buildCertificates();
  console.log(`built ${pems.length} certificates in ${((Date.now() - tBuild) / 1000).toFixed(1)} s`);

  const root = mkdtempSync(join(tmpdir(), 'certwarden-bench-'));
  try {
    const tWrite = Date.now();
    for (let i = 0; i < N; i++) {
      if (i % PER_DIR === 0) mkdirSync(join(root, String(i / PER_DIR)));
      writeFileSync(fileName(root, i), pems[i % pems.length]!);
    }
    console.log(`wrote ${N} PEM files in ${((Date.now() - tWrite) / 1000).toFixed(1)} s under ${root}`);

    const now = new Date();
    let sink = 0;
    // (a) The floor: OpenSSL parses the certificate, three getters read it.
    const bare = (bytes: Buffer): number => {
      const x = new X509Certificate(bytes);
      sink += x.fingerprint256.length + x.subject.length + x.validTo.length;
      return 1;
    };
    // (b) certwarden: format detection, PEM, private-key screening, complete record, evaluation.
    let expiringSoon = 0;
    let minDays = Infinity;
    const certwarden = (bytes: Buffer): number => {
      const r = readCertificates(bytes, { file: 'bench.pem' });
      for (const c of r.certificates) {
        const d = daysRemaining(c.record, now);
        if (d < 30) expiringSoon++;
        if (d < minDays) minDays = d;
      }
      return r.certificates.length;
    };

    // Warm both paths (JIT, page cache) on a slice before measuring.
    for (let i = 0; i < Math.min(N, 2000); i++) {
      const b = readFileSync(fileName(root, i));
      bare(b);
      certwarden(b);
    }
    expiringSoon = 0;
    minDays = Infinity;

    const [a, b] = runInterleaved(root, [bare, certwarden]);
    const rateA = a.certs / a.seconds;
    const rateB = b.certs / b.seconds;
    const maxRss = process.resourceUsage().maxRSS / 1024;
    const row = (name: string, p: Phase, rate: number) =>
      `${name.padEnd(52)} ${String(p.certs).padStart(7)} certs ${p.seconds.toFixed(2).padStart(7)} s ${rate.toFixed(0).padStart(8)} certs/s ${((p.seconds / p.certs) * 1e6).toFixed(0).padStart(5)} us/cert`;
    console.log('');
    console.log(row('(a) readFile + X509Certificate + 3 getters', a, rateA));
    console.log(row('(b) readFile + readCertificates + days remaining', b, rateB));
    console.log('');
    console.log(`ratio (b)/(a) time per certificate: ${(rateA / rateB).toFixed(2)}x  (aim: within 3x)`);
    console.log(
      `peak RSS sampled while streaming: ${Math.max(a.peakRssMb, b.peakRssMb).toFixed(0)} MB; process max RSS (getrusage, includes building the certificates): ${maxRss.toFixed(0)} MB`,
    );
    console.log(
      `load average at the end: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(
          ' ',
        )} on ${availableParallelism()} CPUs; evaluation: ${expiringSoon} expiring within 30 days, min ${minDays} days; sink ${sink % 10}`,
    );
  } finally {
    const tRm = Date.now();
    rmSync(root, { recursive: true, force: true });
    console.log(`removed ${root} in ${((Date.now() - tRm) / 1000).toFixed(1)} s`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
