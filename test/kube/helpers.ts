// Builders for Kubernetes tests: targets, a collection context wired to the test API server, and
// real PKCS#12 keystores made by openssl.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CollectContext } from '../../src/sources/types.js';
import type {
  ClusterRef,
  DiscoverSource,
  KubernetesSource,
  LoadedInventory,
  Target,
} from '../../src/inventory/types.js';
import { createKubeApi } from '../../src/sources/kubernetes/client.js';
import type { KubeApi } from '../../src/sources/kubernetes/read.js';
import type { Logger } from '../../src/core/logger.js';
import type { KubeApiServer } from '../support/kube-api-server.js';
import type { Issued } from '../support/pki.js';

const NOW = new Date();

export function kubeTarget(
  id: string,
  k: Partial<KubernetesSource> & { kind: string; name: string },
  extra: Partial<Target> = {},
): Target {
  return {
    id,
    inventory: 'test',
    location: { file: 'inventory/test.yaml', line: 10, column: 5 },
    source: { kind: 'kubernetes', kubernetes: { cluster: 'avilla', ...k } },
    policies: [],
    owners: [],
    zone: null,
    labels: {},
    ...extra,
  };
}

export function discoverTarget(id: string, d: Partial<DiscoverSource> = {}): Target {
  return {
    id,
    inventory: 'test',
    location: { file: 'inventory/test.yaml', line: 30, column: 5 },
    source: { kind: 'discover', discover: { cluster: 'avilla', ...d } },
    policies: [],
    owners: [],
    zone: null,
    labels: {},
  };
}

/** A logger that keeps every line (tests search them for secrets). */
export function captureLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    debug: (m) => lines.push(`debug: ${m}`),
    info: (m) => lines.push(m),
    warn: (m) => lines.push(`warning: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
  };
}

/** A collection context whose `kube` service reaches the test server with a bearer token. */
export function kubeContext(
  server: KubeApiServer,
  opts: { env?: NodeJS.ProcessEnv; logger?: Logger; targets?: Target[] } = {},
): CollectContext & { apis: KubeApi[] } {
  const cluster: ClusterRef = {
    name: 'avilla',
    kubeconfig: { env: 'KUBECONFIG_AVILLA' },
    location: { file: 'inventory/test.yaml', line: 3, column: 5 },
  };
  const env = { KUBECONFIG_AVILLA: server.kubeconfig({ auth: 'token' }), ...(opts.env ?? {}) };
  const inventory: LoadedInventory = {
    inventories: [],
    anchors: new Map(),
    bundles: [],
    clusters: new Map([['avilla', cluster]]),
    targets: opts.targets ?? [],
  };
  const apis: KubeApi[] = [];
  const cache = new Map<string, KubeApi>();
  const kube = (name: string) => {
    let a = cache.get(name);
    if (!a) {
      a = createKubeApi(inventory.clusters.get(name) as ClusterRef, { env });
      cache.set(name, a);
      apis.push(a);
    }
    return a;
  };
  return {
    now: NOW,
    logger: opts.logger ?? captureLogger(),
    timeoutMs: 10_000,
    env,
    inventory,
    services: { kube },
    apis,
  };
}

export function closeApis(ctx: { apis: KubeApi[] }): void {
  for (const a of ctx.apis) (a as { close?: () => void }).close?.();
}

/** A real PKCS#12 keystore (leaf, its key, and chain certificates) made by openssl. */
export function pkcs12(leaf: Issued, chain: Issued[], password: string, alias = 'server'): Buffer {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cw-p12-'));
  try {
    fs.writeFileSync(path.join(dir, 'leaf.pem'), leaf.pem);
    fs.writeFileSync(path.join(dir, 'key.pem'), leaf.keyPem, { mode: 0o600 });
    fs.writeFileSync(path.join(dir, 'chain.pem'), chain.map((c) => c.pem).join(''));
    execFileSync(
      'openssl',
      [
        'pkcs12',
        '-export',
        '-in',
        'leaf.pem',
        '-inkey',
        'key.pem',
        '-certfile',
        'chain.pem',
        '-name',
        alias,
        '-passout',
        `pass:${password}`,
        '-out',
        'ks.p12',
      ],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    return fs.readFileSync(path.join(dir, 'ks.p12'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const b64 = (s: string | Buffer): string => Buffer.from(s).toString('base64');
