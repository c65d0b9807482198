// Every kind of file certwarden reads, pointed at a FIFO, at /dev/zero, at a symlink to /dev/zero
// and at a 200 MB sparse file: each run ends with a typed error (exit 2, naming the path and the
// refusal) or a source.error finding, within the deadline, and the process never grows past 300 MB.
// The runs happen in a child process, so its peak memory is theirs alone.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { Pki, type Issued } from '../support/pki.js';
import { TempDir } from '../support/fs.js';
import type { ChildCase, ChildResult } from './cli-child.js';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cli-child.ts');
const TIMEOUT = 2000;
/** The deadline plus a second: what "within the deadline" allows on a shared machine. */
const BOUND_MS = TIMEOUT + 1000;
const MAX_RSS_MB = 300;
const SPARSE_BYTES = 200 * 1024 * 1024;

type Hostile = 'FIFO' | '/dev/zero' | 'symlink to /dev/zero' | '200 MB sparse file';
const HOSTILE: Hostile[] = ['FIFO', '/dev/zero', 'symlink to /dev/zero', '200 MB sparse file'];
/** How each hostile path is refused, in the words of core/safe-read. */
const REFUSAL: Record<Hostile, RegExp> = {
  FIFO: /not a regular file: a FIFO \(named pipe\)/,
  '/dev/zero': /not a regular file: a character device/,
  'symlink to /dev/zero': /not a regular file: a character device/,
  '200 MB sparse file': /file is 209715200 bytes, larger than the \d+ MiB cap for /,
};

/** Runs the cases in a child process; its results and peak memory. */
function runChild(tmp: TempDir, cases: ChildCase[]): Promise<{ results: ChildResult[]; maxRssMb: number }> {
  const input = tmp.write('cases.json', JSON.stringify(cases));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', CHILD, input], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    // A hang is the failure this test exists for: kill the child rather than wait forever.
    const kill = setTimeout(() => child.kill('SIGKILL'), cases.length * BOUND_MS + 30_000);
    child.on('close', (code) => {
      clearTimeout(kill);
      const line = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as { results: ChildResult[]; maxRssMb: number });
      } catch {
        reject(new Error(`child exited ${code}: ${err.slice(-2000)}`));
      }
    });
  });
}

describe('hostile paths for every kind of file certwarden reads', function () {
  this.timeout(300_000);
  let tmp: TempDir;
  let leaf: Issued;
  let results: Map<string, ChildResult>;
  let maxRssMb: number;
  const cases: ChildCase[] = [];
  /** Expectation per case: a source.error finding on `target`, or exit 2. */
  const expect = new Map<string, { hostile: Hostile; finding?: string }>();

  /** Puts the hostile thing at `file` (a FIFO, a symlink, a sparse file); returns `file`. */
  function place(file: string, h: Hostile): string {
    mkdirSync(path.dirname(file), { recursive: true });
    if (h === 'FIFO') execFileSync('mkfifo', [file]);
    else if (h === '/dev/zero') symlinkSync('/dev/zero', file);
    else if (h === 'symlink to /dev/zero')
      symlinkSync(tmp.path('zero-link'), file); // two hops
    else {
      writeFileSync(file, '');
      truncateSync(file, SPARSE_BYTES);
    }
    return file;
  }

  /** The hostile path itself, where a path can be named directly. */
  function direct(h: Hostile, slug: string): string {
    if (h === '/dev/zero') return '/dev/zero';
    if (h === 'symlink to /dev/zero') return tmp.path('zero-link');
    return place(tmp.path(`direct/${slug}`), h);
  }

  function inventory(dir: string, doc: Record<string, unknown>): string {
    tmp.write(`${dir}/inventory.yaml`, {
      apiVersion: 'certwarden/v1',
      kind: 'Inventory',
      metadata: { name: dir.replace(/[^a-z0-9-]/gi, '-') },
      ...doc,
    });
    return tmp.path(dir);
  }

  function kubeconfig(extraCluster: Record<string, unknown>, extraUser: Record<string, unknown>): string {
    return stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1', ...extraCluster } }],
      users: [{ name: 'u', user: { token: 'not-a-real-token', ...extraUser } }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'x',
    });
  }

  function scanCase(name: string, h: Hostile, inv: string, target: string): void {
    cases.push({
      name,
      args: [
        'scan',
        '--inventory',
        inv,
        '--format',
        'json',
        '--timeout',
        String(TIMEOUT),
        '--fail-on',
        'never',
      ],
      cwd: tmp.dir,
    });
    expect.set(name, { hostile: h, finding: target });
  }

  function configCase(name: string, h: Hostile, args: string[], env: Record<string, string> = {}): void {
    cases.push({ name, args, cwd: tmp.dir, env });
    expect.set(name, { hostile: h });
  }

  before(async () => {
    tmp = new TempDir();
    const pki = new Pki();
    leaf = await pki.leaf({ cn: 'hostile.example' });
    symlinkSync('/dev/zero', tmp.path('zero-link'));
    const good = tmp.write('good.pem', leaf.pem);
    const goodInv = inventory('good-inventory', { targets: [{ id: 'good', file: { path: good } }] });

    HOSTILE.forEach((h, i) => {
      const slug = `h${i}`;
      // Sources: a finding on the target, the run goes on.
      scanCase(
        `file target at a ${h}`,
        h,
        inventory(`${slug}/file`, { targets: [{ id: 't', file: { path: direct(h, `${slug}-file`) } }] }),
        't',
      );
      scanCase(
        `kubeconfig target at a ${h}`,
        h,
        inventory(`${slug}/kc`, { targets: [{ id: 't', kubeconfig: { path: direct(h, `${slug}-kc`) } }] }),
        't',
      );
      const withCert = tmp.write(
        `${slug}/kc-cert.conf`,
        kubeconfig({}, { 'client-certificate': direct(h, `${slug}-cc`) }),
      );
      scanCase(
        `a kubeconfig's client-certificate at a ${h}`,
        h,
        inventory(`${slug}/kc-cert`, { targets: [{ id: 't', kubeconfig: { path: withCert } }] }),
        't',
      );
      const withCa = tmp.write(
        `${slug}/kc-ca.conf`,
        kubeconfig({ 'certificate-authority': direct(h, `${slug}-ca`) }, {}),
      );
      scanCase(
        `a kubeconfig's certificate-authority at a ${h}`,
        h,
        inventory(`${slug}/kc-ca`, { targets: [{ id: 't', kubeconfig: { path: withCa } }] }),
        't',
      );

      // A cluster's kubeconfig and the files it names: a source.error on the cluster's targets.
      const cluster = (kc: Record<string, unknown>) => ({
        clusters: [{ name: 'c', kubeconfig: kc }],
        targets: [{ id: 'k', kubernetes: { cluster: 'c', kind: 'Secret', namespace: 'ns', name: 's' } }],
      });
      scanCase(
        `a cluster's kubeconfig at a ${h}`,
        h,
        inventory(`${slug}/cluster`, cluster({ path: direct(h, `${slug}-cl`) })),
        'k',
      );
      const clusterCa = tmp.write(
        `${slug}/cluster-ca.conf`,
        kubeconfig({ 'certificate-authority': direct(h, `${slug}-clca`) }, {}),
      );
      scanCase(
        `a cluster kubeconfig's certificate-authority at a ${h}`,
        h,
        inventory(`${slug}/cluster-ca`, cluster({ path: clusterCa })),
        'k',
      );
      scanCase(
        `a kubeconfig path in a cluster's environment variable at a ${h}`,
        h,
        inventory(`${slug}/cluster-env`, cluster({ env: `KC_${i}` })),
        'k',
      );
      cases[cases.length - 1]!.env = { [`KC_${i}`]: direct(h, `${slug}-clenv`) };

      // Configuration: a typed error (exit 2) naming the refusal.
      place(tmp.path(`${slug}/renewals/webhook-tls.yaml`), h);
      configCase(`a renewal request at a ${h}`, h, [
        'renew',
        '--inventory',
        goodInv,
        '--renewals',
        tmp.path(`${slug}/renewals`),
        '--dry-run',
      ]);
      place(tmp.path(`${slug}/policies/mine.yaml`), h);
      configCase(`a policy file at a ${h}`, h, [
        'validate',
        '--inventory',
        goodInv,
        '--policies',
        tmp.path(`${slug}/policies`),
      ]);
      place(tmp.path(`${slug}/policy-tests/mine.test.yaml`), h);
      configCase(`a policy test file at a ${h}`, h, ['test', tmp.path(`${slug}/policy-tests`)]);
      configCase(
        `sync --report at a ${h}`,
        h,
        ['sync', '--report', direct(h, `${slug}-report`), '--dry-run'],
        { GITHUB_REPOSITORY: 'acme/pki' },
      );
      configCase(`evaluate --observations at a ${h}`, h, [
        'evaluate',
        '--inventory',
        goodInv,
        '--observations',
        direct(h, `${slug}-obs`),
      ]);
      place(tmp.path(`${slug}/inventory-file/x.yaml`), h);
      configCase(`an inventory file at a ${h}`, h, [
        'validate',
        '--inventory',
        tmp.path(`${slug}/inventory-file`),
      ]);
      const anchor = direct(h, `${slug}-anchor`);
      configCase(`an inventory's anchor file at a ${h}`, h, [
        'validate',
        '--inventory',
        inventory(`${slug}/anchor`, { anchors: [{ id: 'a', file: anchor }] }),
      ]);
      configCase(`inspect of a ${h}`, h, ['inspect', direct(h, `${slug}-inspect`)]);
    });
    const out = await runChild(tmp, cases);
    results = new Map(out.results.map((r) => [r.name, r]));
    maxRssMb = out.maxRssMb;
  });
  after(() => tmp?.cleanup());

  it(`the child ran every case and peaked under ${MAX_RSS_MB} MB of memory`, () => {
    assert.equal(results.size, cases.length);
    assert.ok(maxRssMb < MAX_RSS_MB, `peak RSS ${maxRssMb} MB`);
  });

  for (const h of HOSTILE) {
    it(`${h}: every kind of file ends in a typed error or a finding naming the refusal, each within ${BOUND_MS} ms`, () => {
      const mine = cases.filter((c) => expect.get(c.name)!.hostile === h);
      assert.ok(mine.length >= 14, `${mine.length} kinds`);
      for (const c of mine) {
        const r = results.get(c.name)!;
        const e = expect.get(c.name)!;
        assert.ok(r.ms < BOUND_MS, `${c.name}: ${r.ms} ms`);
        if (e.finding) {
          assert.equal(r.code, 0, `${c.name}: ${r.stderr}`);
          const report = JSON.parse(r.stdout) as {
            findings: { target: string; check: string; message: string }[];
          };
          const f = report.findings.filter((x) => x.target === e.finding);
          assert.deepEqual(
            f.map((x) => x.check),
            ['source.error'],
            `${c.name}: ${JSON.stringify(f)}`,
          );
          assert.match(f[0]!.message, REFUSAL[h], c.name);
        } else {
          assert.equal(r.code, 2, `${c.name}: exit ${r.code}\n${r.stdout}\n${r.stderr}`);
          assert.match(r.stdout + r.stderr, REFUSAL[h], c.name);
        }
      }
    });
  }
});
