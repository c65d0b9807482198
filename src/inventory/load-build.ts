// Inventory loading, phase 5 (build): the plain data the engine uses. First the zones of every
// document (one proxy and one network setting per zone), then per document: its defaults, clusters
// (kubeconfig paths resolved against the file's folder) and targets (defaults and zone settings
// applied, `x-` keys dropped, source paths resolved); endpoints then take their zone's proxy.
import { resolve } from 'node:path';
import type { Problem } from '../core/errors.js';
import { normaliseFingerprint } from '../core/text.js';
import type {
  ClusterRef,
  InventoryDoc,
  LoadedInventory,
  NetworkSettings,
  RevocationSettings,
  Target,
  TargetSource,
  Zone,
} from './types.js';
import { isObj, list, str, strList, type DocCtx, type Obj } from './load-documents.js';

const SOURCE_KEYS = ['endpoint', 'kubernetes', 'file', 'kubeconfig', 'preset', 'discover'] as const;

/** Adds one document's inventory entry, clusters and targets; `zones`: every document's (addZones). */
export function buildDocument(d: DocCtx, inventory: LoadedInventory, zones: ReadonlyMap<string, Zone>): void {
  const meta = isObj(d.data.metadata) ? d.data.metadata : {};
  const defaults = isObj(d.data.defaults) ? d.data.defaults : {};
  const invDoc: InventoryDoc = {
    name: d.name,
    file: d.doc.file,
    owners: strList(meta.owners),
    defaults: {
      policies: Array.isArray(defaults.policies) ? strList(defaults.policies) : ['baseline'],
      zone: str(defaults.zone) ?? null,
      owners: Array.isArray(defaults.owners) ? strList(defaults.owners) : strList(meta.owners),
      ...revocationOf(defaults.revocation),
      ...networkOf(defaults.network),
    },
  };
  inventory.inventories.push(invDoc);
  addClusters(d, inventory);
  const defaultLabels = labelsOf(defaults.labels);
  list(d.data.targets).forEach((t, i) => {
    if (!isObj(t) || typeof t.id !== 'string') return;
    const source = sourceOf(t, d.dir);
    if (!source) return;
    inventory.targets.push(resolveTarget(t, i, source, d, invDoc, defaultLabels, zones));
  });
}

/** Clusters: the first declaration of a name wins (a duplicate is already a problem). */
function addClusters(d: DocCtx, inventory: LoadedInventory): void {
  list(d.data.clusters).forEach((c, i) => {
    if (!isObj(c) || typeof c.name !== 'string' || inventory.clusters.has(c.name)) return;
    const kc = isObj(c.kubeconfig) ? c.kubeconfig : {};
    inventory.clusters.set(c.name, {
      name: c.name,
      kubeconfig: {
        ...(typeof kc.path === 'string' ? { path: resolve(d.dir, kc.path) } : {}),
        ...(typeof kc.env === 'string' ? { env: kc.env } : {}),
        ...(kc.inCluster === true ? { inCluster: true } : {}),
        ...(typeof kc.context === 'string' ? { context: kc.context } : {}),
      },
      ...(typeof c.allowExec === 'boolean' ? { allowExec: c.allowExec } : {}),
      ...(typeof c.allowInsecure === 'boolean' ? { allowInsecure: c.allowInsecure } : {}),
      location: d.doc.locate(['clusters', i]),
    } satisfies ClusterRef);
  });
}

/** Zones of one document: a zone declared twice must name the same proxy and the same network setting. */
export function addZones(d: DocCtx, zones: Map<string, Zone>, problems: Problem[]): void {
  list(d.data.zones).forEach((z, i) => {
    if (!isObj(z) || typeof z.name !== 'string') return;
    const location = d.doc.locate(['zones', i, 'name']);
    const seen = zones.get(z.name);
    const via = str(z.via) ?? undefined;
    const { network } = networkOf(z.network);
    const also =
      seen && `zones[${i}]: zone '${z.name}' is also declared at ${seen.location.file}:${seen.location.line}`;
    if (seen && seen.via !== via) {
      problems.push({ location, message: `${also} with another via; a zone has one proxy` });
      return;
    }
    if (seen && seen.network?.fetch !== network?.fetch) {
      problems.push({
        location,
        message: `${also} with another network.fetch; a zone has one network setting`,
      });
      return;
    }
    zones.set(z.name, { name: z.name, ...(via ? { via } : {}), ...(network ? { network } : {}), location });
  });
}

/** An endpoint without its own `via` goes through its zone's proxy. */
export function applyZoneProxies(inventory: LoadedInventory, zones: Map<string, Zone>): void {
  for (const t of inventory.targets) {
    const via = t.zone ? zones.get(t.zone)?.via : undefined;
    if (via && t.source.kind === 'endpoint' && !t.source.endpoint.via) t.source.endpoint.via = via;
  }
  if (zones.size) inventory.zones = zones;
}

function resolveTarget(
  t: Obj,
  i: number,
  source: TargetSource,
  d: DocCtx,
  inv: InventoryDoc,
  defaultLabels: Record<string, string>,
  zones: ReadonlyMap<string, Zone>,
): Target {
  const target: Target = {
    id: t.id as string,
    inventory: inv.name,
    location: d.doc.locate(['targets', i]),
    source,
    policies: Array.isArray(t.policies) ? strList(t.policies) : inv.defaults.policies,
    owners: Array.isArray(t.owners) ? strList(t.owners) : inv.defaults.owners,
    zone: str(t.zone) ?? inv.defaults.zone,
    labels: { ...defaultLabels, ...labelsOf(t.labels) },
    paths: d.doc.pathsUnder(['targets', i]),
  };
  if (isObj(t.expect)) {
    const expect = withoutExtensions(t.expect) as NonNullable<Target['expect']>;
    if (typeof expect.sha256 === 'string') expect.sha256 = normaliseFingerprint(expect.sha256);
    target.expect = expect;
  }
  if (isObj(t.trustStore)) target.trustStore = withoutExtensions(t.trustStore) as Target['trustStore'];
  if (isObj(t.renewal)) target.renewal = withoutExtensions(t.renewal) as Target['renewal'];
  const revocation = revocationOf(t.revocation).revocation ?? inv.defaults.revocation;
  if (revocation) target.revocation = revocation;
  const network =
    networkOf(t.network).network ??
    (target.zone ? zones.get(target.zone)?.network : undefined) ??
    inv.defaults.network;
  if (network) target.network = network;
  return target;
}

/** `revocation: {mode}` as the schema admits it; nothing when absent. */
function revocationOf(v: unknown): { revocation?: RevocationSettings } {
  if (!isObj(v)) return {};
  return { revocation: { mode: v.mode === 'hard' || v.mode === 'off' ? v.mode : 'soft' } };
}

/** `network: {fetch}` as the schema admits it; nothing when absent (fetching is on). */
function networkOf(v: unknown): { network?: NetworkSettings } {
  if (!isObj(v) || typeof v.fetch !== 'boolean') return {};
  return { network: { fetch: v.fetch } };
}

function sourceOf(t: Obj, dir: string): TargetSource | null {
  const key = SOURCE_KEYS.find((k) => isObj(t[k]));
  if (!key) return null;
  const s = withoutExtensions(t[key] as Obj) as Obj;
  const at = (p: unknown) => (typeof p === 'string' ? resolve(dir, p) : p);
  switch (key) {
    case 'endpoint':
      return { kind: 'endpoint', endpoint: s as any };
    case 'kubernetes':
      return { kind: 'kubernetes', kubernetes: s as any };
    case 'discover':
      return { kind: 'discover', discover: s as any };
    case 'file':
      return { kind: 'file', file: { ...s, path: at(s.path) } as any };
    case 'kubeconfig':
      return { kind: 'kubeconfig', kubeconfig: { ...s, path: at(s.path) } as any };
    case 'preset': {
      const k = isObj(s.kubeadm) ? s.kubeadm : {};
      const kubeadm = {
        ...k,
        pkiDir: at(k.pkiDir ?? '/etc/kubernetes/pki'),
        ...(k.confDir !== undefined ? { confDir: at(k.confDir) } : {}),
      };
      return { kind: 'preset', preset: { kubeadm: kubeadm as any } };
    }
  }
}

/** A deep copy without `x-` keys (they are for the user's own tooling). */
function withoutExtensions(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutExtensions);
  if (!isObj(v)) return v;
  const out: Obj = {};
  for (const [k, val] of Object.entries(v)) if (!k.startsWith('x-')) out[k] = withoutExtensions(val);
  return out;
}

function labelsOf(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObj(v)) return out;
  for (const [k, val] of Object.entries(v)) {
    if (typeof val === 'string' || typeof val === 'number' || typeof val === 'boolean') out[k] = String(val);
  }
  return out;
}
