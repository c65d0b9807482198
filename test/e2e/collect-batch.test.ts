// Collection through the source registry: endpoint targets run as one batch whose probes give their
// slot back while they only wait, other kinds share the registry's pool, every target's observations
// reach the sink as they come in, and progress counts across both.
import assert from 'node:assert/strict';
import { Pki } from '../support/pki.js';
import { TempDir } from '../support/fs.js';
import { startTlsServer, tarpit, type Running, type TlsServer } from '../support/tls-servers.js';
import { collect, collectInto, load, type ScanOptions } from '../../src/pipeline.js';

describe('collecting endpoints and files together through the source registry', function () {
  this.timeout(30_000);
  let tmp: TempDir;
  let good: TlsServer;
  let pit: Running;
  let opts: ScanOptions;

  before(async () => {
    tmp = new TempDir();
    const pki = new Pki();
    const root = await pki.ca({ cn: 'Batch Root' });
    const leaf = await pki.leaf({ cn: 'good.test', dns: ['good.test'], issuer: root, eku: ['serverAuth'] });
    good = await startTlsServer({ key: leaf.keyPem, cert: leaf.pem });
    pit = await tarpit();
    tmp.write('inventory/leaf.pem', leaf.pem);
    const endpoint = (port: number) => ({ host: '127.0.0.1', port, serverName: 'good.test' });
    tmp.write('inventory/batch.yaml', {
      apiVersion: 'certwarden/v1',
      kind: 'Inventory',
      metadata: { name: 'batch' },
      targets: [
        // The tarpit comes first: with one slot it would hold every endpoint behind it.
        { id: 'pit', endpoint: endpoint(pit.port) },
        { id: 'good-1', endpoint: endpoint(good.port) },
        { id: 'a-file', file: { path: 'leaf.pem' } },
        { id: 'good-2', endpoint: endpoint(good.port) },
        { id: 'good-3', endpoint: endpoint(good.port) },
      ],
    });
    opts = {
      inventoryDirs: [tmp.path('inventory')],
      policyDirs: [],
      concurrency: 1,
      timeoutMs: 2500,
      now: new Date(),
    };
  });
  after(async () => {
    await good.close();
    await pit.close();
    tmp.cleanup();
  });

  it('lets the healthy endpoints through while a tarpit waits out its deadline in the only slot', async () => {
    const loaded = await load(opts);
    const arrived: string[] = [];
    const progress: [number, number][] = [];
    await collectInto(loaded, { ...opts, onProgress: (d, t) => progress.push([d, t]) }, (target, obs) => {
      assert.deepEqual(
        obs.map((o) => o.target),
        [target.id],
      );
      arrived.push(`${target.id}:${obs[0]!.status}`);
    });
    // Every healthy endpoint is in before the tarpit's observation, which is its timeout.
    assert.deepEqual(
      arrived.filter((a) => a.startsWith('good') || a.startsWith('pit')),
      ['good-1:ok', 'good-2:ok', 'good-3:ok', 'pit:unreachable'],
    );
    assert.ok(arrived.includes('a-file:ok'), arrived.join(', '));
    // Progress counts the endpoint batch and the other kinds together, one target at a time.
    assert.deepEqual(
      progress,
      [1, 2, 3, 4, 5].map((d) => [d, 5]),
    );
  });

  it('returns the observations in inventory order whatever order they came in', async () => {
    const obs = await collect(await load(opts), opts);
    assert.deepEqual(
      obs.map((o) => [o.target, o.status === 'ok' ? 'ok' : o.error?.reason]),
      [
        ['pit', 'timeout'],
        ['good-1', 'ok'],
        ['a-file', 'ok'],
        ['good-2', 'ok'],
        ['good-3', 'ok'],
      ],
    );
  });
});
