// Collectors by source kind. Loaded lazily so a file-only scan never loads the Kubernetes client.
import type { Collector } from './types.js';
import { ConfigError } from '../core/errors.js';

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

export const collectorKinds = Object.keys(loaders);
