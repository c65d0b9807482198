import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, symlinkSync, truncateSync } from 'node:fs';
import { Pki, type Issued } from '../support/pki.js';
import { TempDir } from '../support/fs.js';
import { runCli } from '../support/cli.js';
import { runScan } from '../../src/pipeline.js';
import { fileCollector } from '../../src/sources/file/collector.js';
import { silentLogger } from '../../src/core/logger.js';
import type { Target } from '../../src/inventory/types.js';
import type { CollectContext } from '../../src/sources/types.js';

const NOW = new Date('2026-12-01T00:00:00Z');

describe('file targets: what is on disk, read safely', function () {
  this.timeout(30_000);
  let tmp: TempDir;
  let ca: Issued;
  let kubelet: Issued;
  let keyBody: string;
  before(async () => {
    tmp = new TempDir();
    const pki = new Pki({ now: NOW });
    ca = await pki.ca({ cn: 'kubernetes' });
    kubelet = await pki.leaf({ cn: 'system:node:n1', o: ['system:nodes'], issuer: ca, eku: ['clientAuth'] });
    keyBody = kubelet.keyPem.split('\n')[2]!;
    tmp.write('node/kubelet-client-current.pem', kubelet.pem + kubelet.keyPem);
    tmp.write('node/haproxy.pem', kubelet.keyPem + kubelet.pem + ca.pem);
    tmp.write('node/only.key', kubelet.keyPem);
    tmp.write('node/empty.pem', '');
    tmp.write('node/good.pem', kubelet.pem);
    execFileSync('mkfifo', [tmp.path('node/pipe.pem')]);
    symlinkSync('/dev/zero', tmp.path('node/zero.pem'));
    tmp.write('node/huge.pem', '');
    truncateSync(tmp.path('node/huge.pem'), 20 * 1024 * 1024);
    tmp.write('ca.pem', ca.pem);
    const target = (id: string, file: string) => ({ id, file: { path: tmp.path(`node/${file}`) } });
    tmp.write('inventory/node.yaml', {
      apiVersion: 'certwarden/v1',
      kind: 'Inventory',
      metadata: { name: 'node' },
      anchors: [{ id: 'kubernetes-ca', file: '../ca.pem' }],
      targets: [
        { ...target('kubelet', 'kubelet-client-current.pem'), expect: { chainTo: 'kubernetes-ca' } },
        target('haproxy', 'haproxy.pem'),
        target('only-key', 'only.key'),
        target('empty', 'empty.pem'),
        target('fifo', 'pipe.pem'),
        target('zero', 'zero.pem'),
        target('dev-zero', '../../../../../../dev/zero'),
        target('huge', 'huge.pem'),
        target('good', 'good.pem'),
      ],
    });
  });
  after(() => tmp.cleanup());

  function ctxFor(timeoutMs = 2000): CollectContext {
    return {
      now: NOW,
      logger: silentLogger,
      timeoutMs,
      env: {},
      inventory: {} as CollectContext['inventory'],
    };
  }
  function fileTarget(path: string, extra: Partial<Target> = {}): Target {
    return {
      id: 't',
      inventory: 'test',
      location: { file: 'inv.yaml', line: 1, column: 1 },
      source: { kind: 'file', file: { path } },
      policies: [],
      owners: [],
      zone: null,
      labels: {},
      ...extra,
    } as Target;
  }

  it('scans a FIFO, /dev/zero and an oversized file to one source.error each, within the deadline, and reads the rest', async () => {
    const started = Date.now();
    const { report, observations } = await runScan({
      inventoryDirs: [tmp.path('inventory')],
      policyDirs: [],
      now: NOW,
      timeoutMs: 2000,
      keepObservations: true,
    });
    assert.ok(Date.now() - started < 10_000, 'the run finishes');
    assert.equal(observations.length, 9, 'exactly one observation per target');
    const byTarget = (id: string) => report.findings.filter((f) => f.target === id);
    for (const [id, what] of [
      ['fifo', /not a regular file: a FIFO \(named pipe\)/],
      ['zero', /not a regular file: a character device/],
      ['dev-zero', /not a regular file: a character device/],
      ['huge', /file is 20971520 bytes, larger than the 16 MiB cap/],
    ] as const) {
      const f = byTarget(id);
      assert.deepEqual(
        f.map((x) => x.check),
        ['source.error'],
        `${id}: ${JSON.stringify(f)}`,
      );
      assert.match(f[0]!.message, what);
    }
    assert.deepEqual(
      byTarget('empty').map((f) => f.check),
      ['source.empty'],
      'an empty file is empty, not broken',
    );
    assert.equal(report.targets.find((t) => t.id === 'good')?.certificates.length, 1);
    assert.deepEqual(byTarget('good'), []);
  });

  it('reads the certificates of a file that also holds their key, warns that the key was skipped unread, and never carries the key', async () => {
    const { report, observations } = await runScan({
      inventoryDirs: [tmp.path('inventory')],
      policyDirs: [],
      now: NOW,
      keepObservations: true,
    });
    const kubeletObs = observations.find((o) => o.target === 'kubelet')!;
    assert.equal(kubeletObs.status, 'ok', JSON.stringify(kubeletObs.error));
    assert.deepEqual(
      kubeletObs.certificates.map((c) => c.record.sha256),
      [kubelet.sha256],
    );
    assert.match(
      kubeletObs.warnings?.join('\n') ?? '',
      /skipped a private key block \("PRIVATE KEY"\) at line \d+ unread/,
    );
    const t = report.targets.find((x) => x.id === 'kubelet')!;
    assert.equal(t.chain?.trusted, true);
    assert.deepEqual(
      report.findings.filter((f) => f.target === 'kubelet'),
      [],
    );
    const haproxy = observations.find((o) => o.target === 'haproxy')!;
    assert.deepEqual(
      haproxy.certificates.map((c) => c.record.sha256),
      [kubelet.sha256, ca.sha256],
    );
    // A file that is only a key holds no certificate: still an error, and the key is not shown.
    const onlyKey = report.findings.filter((f) => f.target === 'only-key');
    assert.deepEqual(
      onlyKey.map((f) => f.check),
      ['source.error'],
    );
    assert.match(onlyKey[0]!.message, /\(private-key\): .*holds a private key and no certificate/);
    // Canary: the key's text appears in no observation, report, warning or error.
    const everything = JSON.stringify({ report, observations });
    assert.ok(!everything.includes(keyBody), 'key material must not reach any output');
    assert.ok(!everything.includes('BEGIN PRIVATE KEY'));
    assert.ok(
      readFileSync(tmp.path('node/kubelet-client-current.pem'), 'utf8').includes(keyBody),
      'the fixture really holds the key',
    );
  });

  it('collects exactly one observation for every kind of bad path, with a typed reason', async () => {
    const cases: [string, string, RegExp][] = [
      [tmp.path('node/pipe.pem'), 'not-regular', /^not a regular file: a FIFO/],
      ['/dev/zero', 'not-regular', /^not a regular file: a character device/],
      [tmp.path('node'), 'not-regular', /^not a regular file: a folder/],
      [tmp.path('node/huge.pem'), 'too-large', /larger than the 16 MiB cap/],
      [tmp.path('node/missing.pem'), 'not-found', /^file not found/],
    ];
    for (const [path, reason, message] of cases) {
      const obs = await fileCollector.collect(fileTarget(path), ctxFor());
      assert.equal(obs.length, 1, path);
      assert.equal(obs[0]!.error?.reason, reason, path);
      assert.match(obs[0]!.error!.message, message, path);
      assert.deepEqual(obs[0]!.certificates, []);
    }
  });

  it('returns an ok observation with no certificates for an empty file, also for a declared trust store', async () => {
    for (const extra of [{}, { trustStore: {} } as Partial<Target>]) {
      const [obs] = await fileCollector.collect(fileTarget(tmp.path('node/empty.pem'), extra), ctxFor());
      assert.equal(obs!.status, 'ok');
      assert.equal(obs!.error, null);
      assert.deepEqual(obs!.certificates, []);
      assert.deepEqual(obs!.trustStore ?? [], []);
    }
  });

  it('validates an inventory whose referenced files are a FIFO and a device with clear problems instead of hanging', async () => {
    tmp.write('bad/ca.pem', ca.pem);
    execFileSync('mkfifo', [tmp.path('bad/anchor-pipe.pem')]);
    execFileSync('mkfifo', [tmp.path('bad/repo-pipe.pem')]);
    symlinkSync('/dev/zero', tmp.path('bad/bundle-zero.pem'));
    tmp.write('bad/inventory.yaml', {
      apiVersion: 'certwarden/v1',
      kind: 'Inventory',
      metadata: { name: 'bad' },
      anchors: [{ id: 'piped', file: 'anchor-pipe.pem' }],
      bundles: [{ id: 'zeros', file: 'bundle-zero.pem' }],
      targets: [{ id: 'repo-file', file: { path: 'repo-pipe.pem' } }],
    });
    const r = await runCli(['validate', '--inventory', tmp.path('bad')]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    const out = r.stdout + r.stderr;
    assert.match(
      out,
      /anchors\[0\]\.file: cannot read 'anchor-pipe\.pem': not a regular file: a FIFO \(named pipe\)/,
    );
    assert.match(out, /cannot read 'bundle-zero\.pem': not a regular file: a character device/);
    assert.match(out, /file\.path: cannot read 'repo-pipe\.pem': not a regular file: a FIFO/);
  });
});
