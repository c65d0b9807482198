// `discover` targets: every certificate-bearing object of a cluster, one observation each (see
// src/sources/kubernetes/discover.ts for ids and scopes). The batch form streams: observations go
// to the sink a page at a time as they are made, so a scan over a large cluster holds about one
// page, not the cluster. collect() (the plain contract) gathers them all.
import type { Observation } from '../../core/model.js';
import type { Target } from '../../inventory/types.js';
import type { CollectContext, Collector } from '../types.js';
import { ConfigError } from '../../core/errors.js';
import { mapLimit } from '../../core/limit.js';
import { discoverObservations } from './discover.js';
import { failureOf } from './services.js';

/** Observations handed to the sink together (one list page). */
const CHUNK = 500;

/** Streams a target's observations in chunks; an unexpected failure ends it as one error observation. */
async function streamTarget(
  target: Target,
  ctx: CollectContext,
  deliver: (chunk: Observation[]) => void,
): Promise<void> {
  let chunk: Observation[] = [];
  try {
    for await (const o of discoverObservations(target, ctx)) {
      chunk.push(o);
      if (chunk.length >= CHUNK) {
        deliver(chunk);
        chunk = [];
      }
    }
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    ctx.logger.debug(`collector for ${target.id} failed: ${e instanceof Error ? e.message : String(e)}`);
    chunk.push({
      target: target.id,
      source: {
        kind: 'discover',
        cluster: target.source.kind === 'discover' ? target.source.discover.cluster : '',
      },
      collectedAt: ctx.now.toISOString(),
      ...failureOf(e),
      certificates: [],
      trustStore: null,
    });
  }
  if (chunk.length) deliver(chunk);
}

export const discoverCollector: Collector = {
  kind: 'discover',
  async collect(target, ctx) {
    const out: Observation[] = [];
    await streamTarget(target, ctx, (chunk) => {
      for (const o of chunk) out.push(o);
    });
    return out;
  },
  async collectMany(targets, ctx, opts, sink) {
    await mapLimit(
      targets,
      opts.concurrency,
      (target) => streamTarget(target, ctx, (chunk) => sink(target, chunk)),
      opts.onDone,
    );
  },
};
