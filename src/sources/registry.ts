// Collectors by source kind. Loaded lazily so a file-only scan never loads the Kubernetes client.
import type { Observation } from '../core/model.js';
import type { Target } from '../inventory/types.js';
import type { BatchOptions, Collector, CollectContext, ObservationSink } from './types.js';
import { ConfigError } from '../core/errors.js';
import { mapLimit } from '../core/limit.js';

const loaders: Record<string, () => Promise<Collector>> = {
  file: async () => (await import('./file/collector.js')).fileCollector,
  kubeconfig: async () => (await import('./kubeconfig/collector.js')).kubeconfigCollector,
  endpoint: async () => (await import('./endpoint/collector.js')).endpointCollector,
  kubernetes: async () => (await import('./kubernetes/collector.js')).kubernetesCollector,
  discover: async () => (await import('./kubernetes/discover-collector.js')).discoverCollector,
};

const cache = new Map<string, Promise<Collector>>();

/** The collector for a source kind; an unknown kind is a configuration error listing the valid ones. */
export function collectorFor(kind: string): Promise<Collector> {
  const load = loaders[kind];
  if (!load)
    throw new ConfigError(`unknown source kind '${kind}' (valid: ${Object.keys(loaders).join(', ')})`);
  let c = cache.get(kind);
  if (!c) {
    c = load();
    cache.set(kind, c);
  }
  return c;
}

/** The context collectors get; the environment is the process's unless one is given. */
export function collectContext(c: Omit<CollectContext, 'env'> & { env?: NodeJS.ProcessEnv }): CollectContext {
  return { ...c, env: c.env ?? process.env };
}

/** One target through its collector; a collector that fails unexpectedly becomes an `internal` error observation. */
async function collectOne(t: Target, ctx: CollectContext): Promise<Observation[]> {
  try {
    const collector = await collectorFor(t.source.kind);
    return await collector.collect(t, ctx);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    ctx.logger.debug(`collector for ${t.id} failed: ${message}`);
    return [
      {
        target: t.id,
        source: { kind: t.source.kind },
        collectedAt: ctx.now.toISOString(),
        status: 'error',
        error: { reason: 'internal', message },
        certificates: [],
        trustStore: null,
      },
    ];
  }
}

/** The collectors of the kinds among `targets` that have a batch form, by kind. */
async function batchCollectors(targets: readonly Target[]): Promise<Map<string, Collector>> {
  const kinds = [...new Set(targets.map((t) => t.source.kind))].filter((k) => loaders[k]);
  const loaded = await Promise.all(
    // A collector that fails to load is reported per target, by collectOne.
    kinds.map((k) =>
      collectorFor(k).then(
        (c) => (c.collectMany ? c : null),
        () => null,
      ),
    ),
  );
  const out = new Map<string, Collector>();
  kinds.forEach((k, i) => {
    const c = loaded[i];
    if (c) out.set(k, c);
  });
  return out;
}

/**
 * Collects every target, handing each target's observations to `sink` as soon as they are in. Kinds
 * with a batch form run as one batch each (with `concurrency` of their own); the rest share one pool
 * of `concurrency`. `onProgress` counts targets done across all of them.
 */
export async function collectTargets(
  targets: readonly Target[],
  ctx: CollectContext,
  opts: { concurrency: number; onProgress?: (done: number, total: number) => void },
  sink: ObservationSink,
): Promise<void> {
  const batches = await batchCollectors(targets);
  const doneBy = new Map<string, number>();
  const progress =
    (group: string): BatchOptions['onDone'] =>
    (done) => {
      doneBy.set(group, done);
      let sum = 0;
      for (const n of doneBy.values()) sum += n;
      opts.onProgress?.(sum, targets.length);
    };
  const others = targets.filter((t) => !batches.has(t.source.kind));
  await Promise.all([
    ...[...batches].map(([kind, c]) =>
      c.collectMany!(
        targets.filter((t) => t.source.kind === kind),
        ctx,
        { concurrency: opts.concurrency, onDone: progress(kind) },
        sink,
      ),
    ),
    mapLimit(others, opts.concurrency, async (t) => sink(t, await collectOne(t, ctx)), progress('*')),
  ]);
}
