// A keystore in a declared file or Secret can ask for millions of key-derivation iterations without
// any password being needed. It must not stall the scan: counts above the cap are refused at once,
// and a derivation under the cap stops at the source's deadline, with the target saying why.
import assert from 'node:assert/strict';
import { Pki, type Issued } from '../support/pki.js';
import { TempDir } from '../support/fs.js';
import { runCli } from '../support/cli.js';
import { KubeApiServer } from '../support/kube-api-server.js';
import { ParseError } from '../../src/core/errors.js';
import { readCertificates } from '../../src/x509/read.js';
import { MAX_ITERATIONS } from '../../src/x509/stores/pbe.js';
import { kubernetesCollector } from '../../src/sources/kubernetes/collector.js';
import { b64, closeApis, kubeContext, kubeTarget } from '../kube/helpers.js';
import { p12WithIterations, withMacIterations } from './keystores.js';

const TIMEOUT = 2000;
/**
 * A deadline no machine finishes the slow keystore's derivations within (1.8 million hashes before
 * the budget ends them): the deadline, not the budget, is what stops them.
 */
const SHORT = 500;
/** What "within the deadline" allows on a shared CI machine: the deadline plus a second. */
const BOUND = TIMEOUT + 1000;

interface Report {
  targets: { id: string; status: string }[];
  findings: { target: string; check: string; message: string }[];
}

describe('keystores that ask for too much key derivation', function () {
  this.timeout(60_000);
  let tmp: TempDir;
  let leaf: Issued;
  /** Above the cap: refused before any hashing. */
  let huge: Buffer;
  /** Under the cap, but legacy 3DES/RC2 with 900,000 iterations: seconds of work, stopped by the deadline. */
  let slow: Buffer;

  before(async () => {
    tmp = new TempDir();
    const pki = new Pki();
    const root = await pki.ca({ cn: 'Keystore Root' });
    leaf = await pki.leaf({ cn: 'keystore.example', issuer: root });
    slow = p12WithIterations(leaf, 900_000, true);
    huge = withMacIterations(p12WithIterations(leaf, 2048, true), 10_000_000);
    tmp.write('huge-1.p12', huge);
    tmp.write('huge-2.p12', huge);
    tmp.write('slow-1.p12', slow);
    tmp.write('slow-2.p12', slow);
  });
  after(() => tmp.cleanup());

  function inventory(name: string, files: string[]): string {
    tmp.write(`${name}/inventory.yaml`, {
      apiVersion: 'certwarden/v1',
      kind: 'Inventory',
      metadata: { name },
      targets: files.map((f) => ({
        id: f.replace('.p12', ''),
        file: { path: tmp.path(f), format: 'pkcs12' },
      })),
    });
    return tmp.path(name);
  }

  async function scan(
    name: string,
    files: string[],
    timeout = TIMEOUT,
  ): Promise<{ ms: number; report: Report }> {
    const started = Date.now();
    const r = await runCli([
      'scan',
      '--inventory',
      inventory(name, files),
      '--format',
      'json',
      '--timeout',
      String(timeout),
      '--fail-on',
      'never',
    ]);
    const ms = Date.now() - started;
    assert.equal(r.code, 0, r.stderr);
    return { ms, report: JSON.parse(r.stdout) as Report };
  }

  function sourceError(report: Report, id: string): string {
    const f = report.findings.filter((x) => x.target === id);
    assert.deepEqual(
      f.map((x) => x.check),
      ['source.error'],
      JSON.stringify(f),
    );
    assert.equal(report.targets.find((t) => t.id === id)?.status, 'error');
    return f[0]!.message;
  }

  it('refuses an iteration count above the cap at once, saying what the count is and what is accepted', () => {
    const started = Date.now();
    assert.throws(
      () => readCertificates(huge, { file: 'huge.p12' }),
      (e: unknown) => {
        assert.ok(e instanceof ParseError, String(e));
        assert.equal(e.kind, 'limit');
        assert.match(
          e.message,
          /10,000,000 key-derivation iterations, above the 1,000,000 certwarden accepts/,
        );
        assert.match(e.message, /OpenSSL's default is 2,048/);
        return true;
      },
    );
    assert.ok(Date.now() - started < 1000, 'no hashing happened');
    assert.equal(MAX_ITERATIONS, 1_000_000);
  });

  for (const [what, files] of [
    ['alone', ['huge-1.p12']],
    ['twice in one scan', ['huge-1.p12', 'huge-2.p12']],
  ] as const) {
    it(`a keystore with 10,000,000 MAC iterations, ${what}, is a source.error naming the count, within the deadline`, async () => {
      const { ms, report } = await scan(`huge-${files.length}`, [...files]);
      assert.ok(ms < BOUND, `the scan took ${ms} ms`);
      for (const f of files)
        assert.match(
          sourceError(report, f.replace('.p12', '')),
          /\(limit\).*10,000,000 key-derivation iterations/,
        );
    });
  }

  for (const [what, files] of [
    ['alone', ['slow-1.p12']],
    ['twice in one scan', ['slow-1.p12', 'slow-2.p12']],
  ] as const) {
    it(`a keystore under the cap whose derivations take seconds, ${what} with --timeout ${TIMEOUT}, ends within the deadline and says why`, async () => {
      const { ms, report } = await scan(`slow-${files.length}`, [...files]);
      assert.ok(ms < BOUND, `the scan took ${ms} ms`);
      // On a slow machine the deadline stops the derivations; on a fast one the work budget ends
      // them first (before the third derivation). Either way within the bound, and said.
      for (const f of files)
        assert.match(
          sourceError(report, f.replace('.p12', '')),
          /\(timeout\).*PKCS#12 key derivation was stopped: the 2000 ms deadline passed|\(limit\).*more than 2,000,000 iterations in all/,
        );
    });

    it(`...and ${what} with --timeout ${SHORT}, the deadline stops the derivations`, async () => {
      const { ms, report } = await scan(`slow-short-${files.length}`, [...files], SHORT);
      assert.ok(ms < SHORT + 1000, `the scan took ${ms} ms`);
      for (const f of files)
        assert.match(
          sourceError(report, f.replace('.p12', '')),
          /\(timeout\).*PKCS#12 key derivation was stopped: the 500 ms deadline passed/,
        );
    });
  }

  it(`inspect of such a keystore stops at --timeout ${SHORT} too, saying why`, async () => {
    const started = Date.now();
    const r = await runCli(['inspect', tmp.path('slow-1.p12'), '--timeout', String(SHORT)]);
    const ms = Date.now() - started;
    // The bound includes loading inspect's modules on their first use in this process.
    assert.ok(ms < SHORT + 1500, `inspect took ${ms} ms`);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /PKCS#12 key derivation was stopped: the 500 ms deadline passed/);
  });

  it('the same derivation without a deadline (validate) ends at the work budget per keystore', () => {
    // 900,000 iterations each for the MAC key, the certificates' key (1.8M in all) and their IV
    // (2.7M) would pass the 2,000,000 budget: refused before the IV is derived.
    assert.throws(
      () => readCertificates(slow, { file: 'slow.p12' }),
      (e: unknown) =>
        e instanceof ParseError &&
        e.kind === 'limit' &&
        /more than 2,000,000 iterations in all/.test(e.message),
    );
  });

  it('a keystore in a declared Secret stops at the deadline too', async () => {
    const server = await KubeApiServer.start();
    try {
      server.add('Secret', {
        metadata: { name: 'slow-keystore', namespace: 'apps' },
        type: 'Opaque',
        data: { 'keystore.p12': b64(slow) },
      });
      const ctx = { ...kubeContext(server), timeoutMs: SHORT };
      const target = kubeTarget('slow-secret', {
        kind: 'Secret',
        namespace: 'apps',
        name: 'slow-keystore',
        key: 'keystore.p12',
        format: 'pkcs12',
      });
      const started = Date.now();
      const [obs] = await kubernetesCollector.collect(target, ctx);
      const ms = Date.now() - started;
      closeApis(ctx);
      assert.ok(ms < SHORT + 1000, `collection took ${ms} ms`);
      assert.equal(obs!.status, 'error');
      assert.equal(obs!.error?.reason, 'timeout');
      assert.match(obs!.error!.message, /PKCS#12 key derivation was stopped: the 500 ms deadline passed/);
    } finally {
      await server.close();
    }
  });
});
