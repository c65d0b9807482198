// `certwarden discover --cluster NAME` (a cluster from the inventory) or `--kubeconfig FILE
// [--context C]`: lists certificate-bearing objects and prints inventory YAML for those no target
// declares (`--all`: every object). Scope errors (403) are warnings on stderr; the YAML still comes.
import { writeFile, rename } from 'node:fs/promises';
import * as path from 'node:path';
import type { CliIO } from '../cli/main.js';
import type { CollectContext } from '../sources/types.js';
import type { ClusterRef, LoadedInventory, Target } from '../inventory/types.js';
import type { Observation } from '../core/model.js';
import type { Logger } from '../core/logger.js';
import { ConfigError, EXIT } from '../core/errors.js';
import { safeText } from '../core/text.js';
import { createKubeApi } from '../sources/kubernetes/client.js';
import { discoverObservations } from '../sources/kubernetes/discover.js';
import { renderDiscoveredInventory, undeclaredObjects } from '../evaluate/kubernetes/undeclared.js';

function strings(v: unknown): string[] {
  return Array.isArray(v)
    ? v.filter((x): x is string => typeof x === 'string')
    : typeof v === 'string'
      ? [v]
      : [];
}

function stderrLogger(io: CliIO): Logger {
  return {
    debug: () => {},
    info: (m) => io.stderr(`${m}\n`),
    warn: (m) => io.stderr(`warning: ${m}\n`),
    error: (m) => io.stderr(`error: ${m}\n`),
  };
}

async function inventoryFor(
  values: Record<string, unknown>,
  io: CliIO,
  required: boolean,
): Promise<LoadedInventory | null> {
  const given = strings(values.inventory);
  const dirs = (given.length ? given : ['inventory']).map((d) => path.resolve(io.cwd, d));
  if (!given.length && !required) {
    const { existsSync } = await import('node:fs');
    if (!existsSync(dirs[0] as string)) return null;
  }
  const { loadInventory } = await import('../inventory/load.js');
  return loadInventory(dirs, { env: io.env });
}

/** Runs the discover command; returns the exit code. Throws ConfigError for bad input (exit 2). */
export async function runDiscoverCommand(values: Record<string, unknown>, io: CliIO): Promise<number> {
  const clusterName = typeof values.cluster === 'string' ? values.cluster : null;
  const kubeconfigFile =
    typeof values.kubeconfig === 'string' ? path.resolve(io.cwd, values.kubeconfig) : null;
  const context = typeof values.context === 'string' ? values.context : undefined;
  if (!clusterName && !kubeconfigFile)
    throw new ConfigError(
      'discover needs --cluster NAME (a cluster from the inventory) or --kubeconfig FILE',
    );
  if (clusterName && kubeconfigFile)
    throw new ConfigError('discover takes --cluster or --kubeconfig, not both');

  const inventory = await inventoryFor(values, io, Boolean(clusterName));
  let cluster: ClusterRef;
  if (clusterName) {
    const ref = inventory?.clusters.get(clusterName);
    if (!ref)
      throw new ConfigError(
        `unknown cluster '${clusterName}'. Expected one of: ${[...(inventory?.clusters.keys() ?? [])].join(', ') || '(the inventory declares no clusters)'}`,
      );
    cluster = context ? { ...ref, kubeconfig: { ...ref.kubeconfig, context } } : ref;
  } else {
    const name =
      (context ?? path.basename(kubeconfigFile as string))
        .toLowerCase()
        .replace(/[^a-z0-9._-]+/g, '-')
        .replace(/^[^a-z0-9]+/, '') || 'cluster';
    cluster = {
      name,
      kubeconfig: { path: kubeconfigFile as string, ...(context ? { context } : {}) },
      location: { file: kubeconfigFile as string, line: 1, column: 1 },
    };
  }

  const api = createKubeApi(cluster, { env: io.env });
  const namespaces = strings(values.namespace);
  const target: Target = {
    id: `${cluster.name}-discovered`,
    inventory: 'discover',
    location: cluster.location,
    source: {
      kind: 'discover',
      discover: { cluster: cluster.name, namespaces: namespaces.length ? namespaces : ['*'] },
    },
    policies: [],
    owners: [],
    zone: null,
    labels: {},
  };
  const logger = stderrLogger(io);
  const inv: LoadedInventory = inventory ?? {
    inventories: [],
    anchors: new Map(),
    bundles: [],
    clusters: new Map(),
    targets: [],
  };
  const ctx: CollectContext = {
    now: new Date(),
    logger,
    timeoutMs: 30_000,
    env: io.env,
    inventory: inv,
    services: { kube: () => api },
  };
  const observations: Observation[] = [];
  let unreachable: Observation | null = null;
  try {
    for await (const o of discoverObservations(target, ctx)) {
      if (o.status === 'unreachable') unreachable = o;
      else if (o.status === 'ok') observations.push(o);
    }
  } finally {
    api.close();
  }
  if (unreachable) {
    io.stderr(
      `error: cluster ${safeText(cluster.name)} is unreachable: ${safeText(unreachable.error?.message ?? '')}\n`,
    );
    return EXIT.runtime;
  }
  const all = Boolean(values.all);
  const yaml = renderDiscoveredInventory(observations, {
    targets: inv.targets,
    all,
    now: ctx.now,
    ...(clusterName ? {} : { cluster: { name: cluster.name, kubeconfig: cluster.kubeconfig } }),
  });
  const shown = undeclaredObjects(observations, inv.targets, all).length;
  if (typeof values.output === 'string') {
    const file = path.resolve(io.cwd, values.output);
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, yaml);
    await rename(tmp, file);
  } else {
    io.stdout(yaml);
  }
  io.stderr(
    `discovered ${observations.length} certificate-bearing object(s) in cluster ${safeText(cluster.name)}; ${shown} ${all ? 'printed' : 'not declared in the inventory'}\n`,
  );
  return EXIT.clean;
}
