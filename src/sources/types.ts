// The collector contract: one registry entry per source kind (see registry.ts).
// A collector never throws for a source problem: it returns an Observation with status
// 'unreachable' or 'error' and a typed reason, so the rest of the run goes on.
import type { Observation } from '../core/model.js';
import type { LoadedInventory, Target } from '../inventory/types.js';
import type { Logger } from '../core/logger.js';

/** Side effects a collector may use, passed in (tests hand in real loopback servers or fakes). */
export interface CollectContext {
  now: Date;
  logger: Logger;
  /** Hard deadline per source (endpoint: DNS + connect + STARTTLS + handshake), ms. */
  timeoutMs: number;
  env: NodeJS.ProcessEnv;
  inventory: LoadedInventory;
  /** Aborted when the whole run is cancelled. */
  signal?: AbortSignal;
  /** Extra services by name (e.g. a Kubernetes client factory), so collectors need no globals. */
  services?: Record<string, unknown>;
}

/**
 * Receives each target's observations as soon as they are in: once per target, or several times
 * for a target that streams many (discovery hands them over a page at a time).
 */
export type ObservationSink = (target: Target, observations: Observation[]) => void;

/** How a batch of targets is worked through. */
export interface BatchOptions {
  /** At most this many targets being worked on at once (a collector may let waiting ones step aside). */
  concurrency: number;
  /** Called as targets finish: how many of this batch are done, out of how many. */
  onDone?: (done: number, total: number) => void;
}

export interface Collector {
  kind: string;
  /**
   * Collects one target. Most kinds return exactly one observation whose `target` is target.id;
   * `discover` and `preset` may return one per object/file, with ids `<target.id>/<suffix>`.
   */
  collect(target: Target, ctx: CollectContext): Promise<Observation[]>;
  /**
   * Optional batch form: collects every target of this kind with the collector's own scheduling
   * (endpoints: probes that only wait give their slot back), handing each target's observations to
   * `sink` as they come in. Without it the registry runs collect() with bounded concurrency.
   */
  collectMany?(
    targets: Target[],
    ctx: CollectContext,
    opts: BatchOptions,
    sink: ObservationSink,
  ): Promise<void>;
}
