import { strict as assert } from 'node:assert';
import { mapLimitReleasing } from '../../src/core/limit-releasing.js';
import { probeEndpoint } from '../../src/sources/endpoint/probe.js';
import { collectEndpoints } from '../../src/sources/endpoint/collector.js';
import type { CollectContext } from '../../src/sources/types.js';
import type { Target } from '../../src/inventory/types.js';
import { silentLogger } from '../../src/core/logger.js';
import { Pki } from '../support/pki.js';
import { startTlsServer, tarpit, type Running } from '../support/tls-servers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('scheduling probes: slots for work, not for waiting', () => {
  const running: Running[] = [];
  after(async () => {
    await Promise.all(running.map((r) => r.close()));
  });

  it('keeps results in input order and never runs more than the limit at once', async () => {
    let active = 0;
    let peak = 0;
    const out = await mapLimitReleasing([5, 1, 4, 2, 3, 0], 2, async (x) => {
      active++;
      peak = Math.max(peak, active);
      await sleep(x * 5);
      active--;
      return x * 10;
    });
    assert.deepEqual(out, [50, 10, 40, 20, 30, 0]);
    assert.equal(peak, 2);
  });

  it('starts the next item when a running one releases its slot, up to maxOpen in flight', async () => {
    let open = 0;
    let peakOpen = 0;
    const t0 = Date.now();
    await mapLimitReleasing(
      Array.from({ length: 8 }, (_, i) => i),
      1,
      async (_x, _i, release) => {
        open++;
        peakOpen = Math.max(peakOpen, open);
        release(); // all of them only wait
        await sleep(100);
        open--;
      },
      { maxOpen: 4 },
    );
    assert.equal(peakOpen, 4);
    const took = Date.now() - t0;
    assert.ok(took >= 190, `took ${took} ms: two waves of four, not one of eight`);
  });

  it('rejects when a task throws, like mapLimit', async () => {
    await assert.rejects(
      mapLimitReleasing([1, 2], 1, async (x) => {
        if (x === 1) throw new Error('bug');
        return x;
      }),
      /bug/,
    );
  });

  it('tells the scheduler a probe is stalled when the server stays silent, and not when it answers', async () => {
    const pki = new Pki();
    const leaf = await pki.leaf({ cn: 'a.test', dns: ['a.test'] });
    const good = await startTlsServer({ cert: leaf.pem, key: leaf.keyPem });
    const pit = await tarpit();
    running.push(good, pit);
    let stalls = 0;
    const ok = await probeEndpoint(
      { host: '127.0.0.1', port: good.port },
      { timeoutMs: 1000, stallMs: 200, onStall: () => stalls++ },
    );
    assert.equal(ok.ok, true);
    await sleep(250);
    assert.equal(stalls, 0);
    const t0 = Date.now();
    let stalledAt = 0;
    const r = await probeEndpoint(
      { host: '127.0.0.1', port: pit.port },
      { timeoutMs: 800, stallMs: 100, onStall: () => (stalledAt = Date.now() - t0) },
    );
    assert.equal(r.error?.reason, 'timeout');
    assert.ok(stalledAt >= 90 && stalledAt < 400, `stalled after ${stalledAt} ms`);
  });

  it('collects healthy endpoints and tarpits together without the tarpits holding the slots', async () => {
    const pki = new Pki();
    const leaf = await pki.leaf({ cn: 'b.test', dns: ['b.test'] });
    const good = await startTlsServer({ cert: leaf.pem, key: leaf.keyPem });
    const pit = await tarpit();
    running.push(good, pit);
    const targets: Target[] = Array.from({ length: 24 }, (_, i) => ({
      id: `t${i}`,
      inventory: 'x',
      location: { file: 'x.yaml', line: i + 1, column: 1 },
      source: {
        kind: 'endpoint',
        endpoint: { host: '127.0.0.1', port: i % 4 === 0 ? pit.port : good.port, serverName: 'b.test' },
      },
      policies: [],
      owners: [],
      zone: null,
      labels: {},
    }));
    const ctx: CollectContext = {
      now: new Date(),
      logger: silentLogger,
      timeoutMs: 1000,
      env: {},
      inventory: { inventories: [], anchors: new Map(), bundles: [], clusters: new Map(), targets: [] },
    };
    const t0 = Date.now();
    const obs = await collectEndpoints(targets, ctx, { concurrency: 2, stallMs: 100 });
    const took = Date.now() - t0;
    // Six tarpits with two slots would need three full deadlines if they held their slots.
    assert.ok(took < 2600, `took ${took} ms`);
    assert.deepEqual(
      obs.map((o) => o.target),
      targets.map((t) => t.id),
    );
    assert.deepEqual(
      obs.map((o) => (o.status === 'ok' ? 'ok' : o.error!.reason)),
      targets.map((_, i) => (i % 4 === 0 ? 'timeout' : 'ok')),
    );
  });
});
