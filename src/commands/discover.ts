// `discover --cluster NAME` (a cluster from the inventory) or `--kubeconfig FILE [--context C]`: lists
// certificate-bearing objects and renders inventory YAML for those no target declares (`all`: every
// object). Scope errors (403) are logged as warnings; the YAML still comes.
import path from 'node:path';
import type { CollectContext } from '../sources/types.js';
import type { ClusterRef, LoadedInventory, Target } from '../inventory/types.js';
import type { Observation } from '../core/model.js';
import { silentLogger } from '../core/logger.js';
import { ConfigError, EXIT } from '../core/errors.js';
import { loadInventory } from '../inventory/load.js';
import { createKubeApi } from '../sources/kubernetes/client.js';
import { discoverObservations } from '../sources/kubernetes/discover.js';
import { DiscoveredInventory } from '../evaluate/kubernetes/undeclared.js';
import type { CommandEnv } from './io.js';
import { writeOutput } from './report-output.js';
import { Spool } from '../core/spool.js';

export interface DiscoverOptions extends CommandEnv {
  /** A cluster the inventory declares; or */
  cluster?: string;
  /** a kubeconfig file (absolute). */
  kubeconfig?: string;
  context?: string;
  /** Only these namespaces; empty: all. */
  namespaces: string[];
  /** Every object, declared or not. */
  all: boolean;
  /** Inventory folders (absolute) to read clusters and declared targets from; empty: none. */
  inventoryDirs: string[];
  /** Absolute file for the YAML; or */
  output?: string;
  /** where the YAML goes piece by piece (stdout); neither: the text is returned in the result. */
  write?: (text: string) => void;
  /** The clock for the "expires … (N days)" comments; default now. */
  now?: Date;
}

export interface DiscoverResult {
  /** 0 listed, 3 the cluster could not be reached. */
  exitCode: 0 | 3;
  cluster: string;
  /** Why the cluster could not be reached (exitCode 3); null otherwise. */
  error: string | null;
  /** Inventory YAML for the objects shown; null when it went to `output` or `write`. */
  yaml: string | null;
  /** Certificate-bearing objects found. */
  objects: number;
  /** Objects in the YAML (undeclared ones, or all). */
  shown: number;
  written: string | null;
}

const NO_INVENTORY: LoadedInventory = {
  inventories: [],
  anchors: new Map(),
  bundles: [],
  clusters: new Map(),
  targets: [],
};

function clusterOf(opts: DiscoverOptions, inventory: LoadedInventory | null): ClusterRef {
  const { cluster: clusterName, kubeconfig, context } = opts;
  if (clusterName) {
    const ref = inventory?.clusters.get(clusterName);
    if (!ref)
      throw new ConfigError(
        `unknown cluster '${clusterName}'. Expected one of: ${[...(inventory?.clusters.keys() ?? [])].join(', ') || '(the inventory declares no clusters)'}`,
      );
    return context ? { ...ref, kubeconfig: { ...ref.kubeconfig, context } } : ref;
  }
  const file = kubeconfig as string;
  const name =
    (context ?? path.basename(file))
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[^a-z0-9]+/, '') || 'cluster';
  return {
    name,
    kubeconfig: { path: file, ...(context ? { context } : {}) },
    location: { file, line: 1, column: 1 },
  };
}

function* headThen(head: string, spool: Spool): Generator<string> {
  yield head;
  yield* spool.chunks();
}

/** Throws ConfigError for bad input (exit 2). */
export async function discover(opts: DiscoverOptions): Promise<DiscoverResult> {
  if (!opts.cluster && !opts.kubeconfig)
    throw new ConfigError(
      'discover needs --cluster NAME (a cluster from the inventory) or --kubeconfig FILE',
    );
  if (opts.cluster && opts.kubeconfig)
    throw new ConfigError('discover takes --cluster or --kubeconfig, not both');
  const inventory = opts.inventoryDirs.length
    ? await loadInventory(opts.inventoryDirs, { env: opts.env })
    : null;
  const cluster = clusterOf(opts, inventory);
  const inv = inventory ?? NO_INVENTORY;
  const target: Target = {
    id: `${cluster.name}-discovered`,
    inventory: 'discover',
    location: cluster.location,
    source: {
      kind: 'discover',
      discover: { cluster: cluster.name, namespaces: opts.namespaces.length ? opts.namespaces : ['*'] },
    },
    policies: [],
    owners: [],
    zone: null,
    labels: {},
  };
  const api = createKubeApi(cluster, { env: opts.env });
  const ctx: CollectContext = {
    now: opts.now ?? new Date(),
    logger: opts.logger ?? silentLogger,
    timeoutMs: 30_000,
    env: opts.env,
    inventory: inv,
    services: { kube: () => api },
  };
  // Streamed: each object's YAML entry is made as it comes and, when the YAML goes to a file or
  // stdout, set aside in a spool until the head (which counts them) is known, so memory does not
  // grow with the cluster.
  const spool = opts.output || opts.write ? new Spool() : null;
  try {
    const discovered = new DiscoveredInventory({
      targets: inv.targets,
      all: opts.all,
      now: ctx.now,
      ...(opts.cluster ? {} : { cluster: { name: cluster.name, kubeconfig: cluster.kubeconfig } }),
      ...(spool ? { onEntries: (text: string) => spool.write(text) } : {}),
    });
    let objects = 0;
    let unreachable: Observation | null = null;
    try {
      for await (const o of discoverObservations(target, ctx)) {
        if (o.status === 'unreachable') unreachable = o;
        else if (o.status === 'ok') {
          objects++;
          discovered.add(o);
        }
      }
    } finally {
      api.close();
    }
    const found = { cluster: cluster.name, objects };
    if (unreachable)
      return {
        exitCode: EXIT.runtime,
        ...found,
        error: unreachable.error?.message ?? '',
        yaml: '',
        shown: 0,
        written: null,
      };
    const result = { exitCode: EXIT.clean, ...found, error: null, shown: discovered.shown };
    if (!spool) return { ...result, yaml: discovered.finish(), written: null };
    const head = discovered.head();
    if (opts.output) {
      await writeOutput(opts.output, headThen(head, spool));
      return { ...result, yaml: null, written: opts.output };
    }
    opts.write?.(head);
    for (const chunk of spool.chunks()) opts.write?.(chunk);
    return { ...result, yaml: null, written: null };
  } finally {
    spool?.remove();
  }
}
