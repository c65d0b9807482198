// Parsing throughput: certwarden's read+parse pipeline against bare node X509Certificate, and
// parse + path validation (the facts validation needs come from the same decode).
//
//   npx tsx bench/parse.ts [N]            (or BENCH_N=…; default 100000 files)
//   BENCH_DISTINCT=300                    distinct certificate templates (key types, names)
//   BENCH_UNIQUE=25000                    distinct certificates the files cycle through: serial-number
//                                         variants of the templates, re-signed by their CA, so caches
//                                         keyed by certificate do not hide the cost of a new one
//   --baseline <checkout>                 also runs (b) and (c) with another checkout's src/ (say the
//                                         commit before a change), side by side in the same run
//
// Writes N PEM files (one certificate each) into a temp folder, then streams over them file by
// file with every workload, alternating the order file by file so machine load hits all alike:
// (a) readFile + new X509Certificate + fingerprint256/subject/validTo, the floor any node tool
// pays; (b) readFile + readCertificates (complete CertRecord) + a days-remaining evaluation;
// (c) readFile + readCertificates + verifyChain against the bench's CA (intermediate + root, parsed
// once, as inventory anchors are). Nothing is kept per file, so memory must stay flat. The temp
// folder is removed.
import { X509Certificate, createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CertRecord } from '../src/core/model.js';
import { oidAt, readTlv, TAG } from '../src/x509/der.js';
import { SIGNATURE_ALGORITHMS } from '../src/x509/oids.js';
import { toPem } from '../src/x509/pem.js';
import { Pki, type Issued, type KeySpec } from '../test/support/pki.js';

const args = process.argv.slice(2);
const baselineFlag = args.indexOf('--baseline');
const BASELINE = baselineFlag >= 0 ? args[baselineFlag + 1] : process.env.BENCH_BASELINE;
const positional = args.filter((a, i) => !a.startsWith('--') && i !== baselineFlag + 1);
const N = Number(positional[0] ?? process.env.BENCH_N ?? 100_000);
const DISTINCT = Number(process.env.BENCH_DISTINCT ?? 300);
const UNIQUE = Math.max(DISTINCT, Number(process.env.BENCH_UNIQUE ?? 25_000));
const PER_DIR = 1000;
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function fileName(root: string, i: number): string {
  return join(root, String(Math.floor(i / PER_DIR)), `cert-${i}.pem`);
}

/** The parts of a checkout's certificate model the workloads call. */
interface Engine {
  readCertificates: (bytes: Uint8Array, opts: { file: string }) => { certificates: { record: CertRecord }[] };
  daysRemaining: (rec: CertRecord, now: Date) => number;
  verifyChain: (
    leaf: CertRecord,
    intermediates: CertRecord[],
    anchors: { id: string; record: CertRecord }[],
    opts: { now: Date },
  ) => { trusted: boolean };
}

/** Loads the certificate model of the checkout at `root` (its own module instances and caches). */
async function loadEngine(root: string): Promise<Engine> {
  const at = (p: string) => pathToFileURL(resolve(root, p)).href;
  const read = (await import(at('src/x509/read.ts'))) as Pick<Engine, 'readCertificates'>;
  const parse = (await import(at('src/x509/parse.ts'))) as Pick<Engine, 'daysRemaining'>;
  const verify = (await import(at('src/x509/verify/verify.ts'))) as Pick<Engine, 'verifyChain'>;
  return {
    readCertificates: read.readCertificates,
    daysRemaining: parse.daysRemaining,
    verifyChain: verify.verifyChain,
  };
}

interface Templates {
  leaves: { cert: Issued; issuer: Issued }[];
  root: Issued[];
  issuing: Issued[];
}

async function buildCertificates(): Promise<Templates> {
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
  const leaves: Templates['leaves'] = [];
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
    leaves.push({ cert, issuer });
  }
  return { leaves, root: roots, issuing };
}

function tlvHeader(tag: number, len: number): Buffer {
  if (len < 0x80) return Buffer.from([tag, len]);
  if (len < 0x100) return Buffer.from([tag, 0x81, len]);
  return Buffer.from([tag, 0x82, len >> 8, len & 0xff]);
}

/**
 * The template with serial-number variant `n` (its last four serial octets), re-signed by its CA:
 * a distinct, valid certificate for the price of one signature instead of a whole issuance.
 */
function variant(template: Buffer, n: number, caKey: KeyObject): Buffer {
  const cert = readTlv(template, 0);
  const tbs = readTlv(template, cert.body);
  const sigAlg = readTlv(template, tbs.end);
  let serial = readTlv(template, tbs.body);
  if (serial.tag === 0xa0) serial = readTlv(template, serial.end);
  if (serial.tag !== TAG.INTEGER || serial.end - serial.body < 5) throw new Error('unexpected template');
  const tbsBytes = Buffer.from(template.subarray(tbs.start, tbs.end));
  tbsBytes.writeUInt32BE(n >>> 0, serial.end - tbs.start - 4);
  const hash = SIGNATURE_ALGORITHMS[oidAt(template, readTlv(template, sigAlg.body))]![1]!;
  const ec = caKey.asymmetricKeyType === 'ec';
  const sig = sign(hash, tbsBytes, ec ? { key: caKey, dsaEncoding: 'der' } : caKey);
  const bits = Buffer.concat([tlvHeader(TAG.BIT_STRING, sig.length + 1), Buffer.from([0]), sig]);
  const content = Buffer.concat([tbsBytes, template.subarray(sigAlg.start, sigAlg.end), bits]);
  return Buffer.concat([tlvHeader(TAG.SEQUENCE, content.length), content]);
}

function uniquePems(t: Templates): string[] {
  const caKeys = new Map<Issued, KeyObject>(t.issuing.map((ca) => [ca, createPrivateKey(ca.keyPem)]));
  const pems: string[] = [];
  for (let i = 0; i < UNIQUE; i++) {
    const { cert, issuer } = t.leaves[i % t.leaves.length]!;
    pems.push(toPem(variant(Buffer.from(cert.der), i, caKeys.get(issuer)!), 'CERTIFICATE'));
  }
  return pems;
}

interface Phase {
  certs: number;
  seconds: number;
}

/**
 * Runs every per-file function over every file, rotating which goes first file by file, so that
 * load from other processes on a shared machine hits them alike. Each reads the file itself: I/O
 * is part of what is measured.
 */
function runInterleaved(
  root: string,
  fns: ((bytes: Buffer) => number)[],
): { phases: Phase[]; peakRssMb: number } {
  const acc = fns.map(() => ({ certs: 0, ns: 0n }));
  let peak = process.memoryUsage().rss;
  for (let i = 0; i < N; i++) {
    const name = fileName(root, i);
    for (let j = 0; j < fns.length; j++) {
      const k = (i + j) % fns.length;
      const t0 = process.hrtime.bigint();
      acc[k]!.certs += fns[k]!(readFileSync(name));
      acc[k]!.ns += process.hrtime.bigint() - t0;
    }
    if ((i & 1023) === 0) peak = Math.max(peak, process.memoryUsage().rss);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  return {
    phases: acc.map((p) => ({ certs: p.certs, seconds: Number(p.ns) / 1e9 })),
    peakRssMb: peak / 2 ** 20,
  };
}

/** The (b) and (c) workloads of one checkout; `tally` counts days-remaining results and trusted paths. */
function workloads(engine: Engine, t: Templates, now: Date, tally: { soon: number; trusted: number }) {
  const parse = (i: Issued) => engine.readCertificates(i.der, { file: 'ca.der' }).certificates[0]!.record;
  const anchors = t.root.map((r, i) => ({ id: `root-${i}`, record: parse(r) }));
  const intermediates = t.issuing.map(parse);
  const parseOnly = (bytes: Buffer): number => {
    const r = engine.readCertificates(bytes, { file: 'bench.pem' });
    for (const c of r.certificates) if (engine.daysRemaining(c.record, now) < 30) tally.soon++;
    return r.certificates.length;
  };
  const parseAndVerify = (bytes: Buffer): number => {
    const r = engine.readCertificates(bytes, { file: 'bench.pem' });
    for (const c of r.certificates) {
      if (engine.verifyChain(c.record, intermediates, anchors, { now }).trusted) tally.trusted++;
    }
    return r.certificates.length;
  };
  return { parseOnly, parseAndVerify };
}

async function main(): Promise<void> {
  console.log(
    `certwarden parse bench: ${N} files, ${Math.min(N, UNIQUE)} distinct certificates from ${DISTINCT} templates, node ${process.version}`,
  );
  const engines: { name: string; engine: Engine }[] = [
    { name: 'this checkout', engine: await loadEngine(projectRoot) },
  ];
  if (BASELINE) engines.push({ name: `baseline ${BASELINE}`, engine: await loadEngine(resolve(BASELINE)) });
  const tBuild = Date.now();
  const templates = await buildCertificates();
  const pems = uniquePems(templates);
  console.log(
    `built ${templates.leaves.length} templates and ${pems.length} distinct certificates in ${((Date.now() - tBuild) / 1000).toFixed(1)} s`,
  );

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
    const names = ['(a) readFile + X509Certificate + 3 getters'];
    const fns = [bare];
    const tallies = engines.map(() => ({ soon: 0, trusted: 0 }));
    engines.forEach(({ name, engine }, e) => {
      const w = workloads(engine, templates, now, tallies[e]!);
      names.push(
        `(b) readCertificates + days remaining [${name}]`,
        `(c) readCertificates + verifyChain [${name}]`,
      );
      fns.push(w.parseOnly, w.parseAndVerify);
    });

    // Warm every path (JIT, page cache) on a slice before measuring.
    for (let i = 0; i < Math.min(N, 2000); i++) {
      const b = readFileSync(fileName(root, i));
      for (const f of fns) f(b);
    }
    for (const t of tallies) Object.assign(t, { soon: 0, trusted: 0 });

    const { phases, peakRssMb } = runInterleaved(root, fns);
    const us = (p: Phase) => (p.seconds / p.certs) * 1e6;
    console.log('');
    phases.forEach((p, i) =>
      console.log(
        `${names[i]!.padEnd(Math.max(...names.map((n) => n.length)))} ${String(p.certs).padStart(7)} certs ${p.seconds.toFixed(2).padStart(7)} s ${(p.certs / p.seconds).toFixed(0).padStart(7)} certs/s ${us(p).toFixed(1).padStart(7)} us/cert`,
      ),
    );
    console.log('');
    console.log(
      `ratio (b)/(a) time per certificate: ${(us(phases[1]!) / us(phases[0]!)).toFixed(2)}x  (aim: within 3x)`,
    );
    console.log(
      `validation on top of parsing, (c) - (b): ${(us(phases[2]!) - us(phases[1]!)).toFixed(1)} us/cert [this checkout]`,
    );
    if (engines.length > 1) {
      const [b, c, bb, cb] = [phases[1]!, phases[2]!, phases[3]!, phases[4]!].map(us) as [
        number,
        number,
        number,
        number,
      ];
      console.log(`validation on top of parsing, (c) - (b): ${(cb - bb).toFixed(1)} us/cert [baseline]`);
      console.log(
        `this checkout / baseline: parse ${(b / bb).toFixed(2)}x, parse + verify ${(c / cb).toFixed(2)}x, verify alone ${((c - b) / (cb - bb)).toFixed(2)}x`,
      );
    }
    const maxRss = process.resourceUsage().maxRSS / 1024;
    console.log(
      `peak RSS sampled while streaming: ${peakRssMb.toFixed(0)} MB; process max RSS (getrusage, includes building the certificates): ${maxRss.toFixed(0)} MB`,
    );
    console.log(
      `load average at the end: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${availableParallelism()} CPUs; evaluation: ${tallies
        .map((t, e) => `[${engines[e]!.name}] ${t.soon} expiring within 30 days, ${t.trusted} trusted paths`)
        .join('; ')}; sink ${sink % 10}`,
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
