// Inventory loading, phase 3 (declarations and references): ids and names unique across the
// repository; every reference (anchor ids, clusters, policy packs) names something declared;
// addresses, the kubeadm preset's address and subnet; and files in the repository that a target
// names exist and hold no private key.
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { isIP } from 'node:net';
import type { SourceLocation } from '../core/model.js';
import type { Problem } from '../core/errors.js';
import { safeText, suggest } from '../core/text.js';
import { formatPath, type PathSegment } from './yaml-source.js';
import { describeValue } from './schema.js';
import { PRIVATE_KEY_REFUSAL, ReferencedFileError, readReferenced, holdsPrivateKey } from './files.js';
import { isObj, list, type DocCtx, type Obj } from './load-documents.js';

export interface Declared {
  kind: 'target' | 'bundle' | 'anchor' | 'cluster' | 'inventory';
  id: string;
  location: SourceLocation;
}

/** Every declared name and id, for uniqueness and for references. */
export function collectDeclared(docs: DocCtx[]): Declared[] {
  const declared: Declared[] = [];
  for (const d of docs) {
    const meta = isObj(d.data.metadata) ? d.data.metadata : {};
    if (typeof meta.name === 'string')
      declared.push({ kind: 'inventory', id: meta.name, location: d.doc.locate(['metadata', 'name']) });
    list(d.data.anchors).forEach((a, i) => {
      if (isObj(a) && typeof a.id === 'string')
        declared.push({ kind: 'anchor', id: a.id, location: d.doc.locate(['anchors', i, 'id']) });
    });
    list(d.data.clusters).forEach((c, i) => {
      if (isObj(c) && typeof c.name === 'string')
        declared.push({ kind: 'cluster', id: c.name, location: d.doc.locate(['clusters', i, 'name']) });
    });
    list(d.data.bundles).forEach((b, i) => {
      if (isObj(b) && typeof b.id === 'string')
        declared.push({ kind: 'bundle', id: b.id, location: d.doc.locate(['bundles', i, 'id']) });
    });
    list(d.data.targets).forEach((t, i) => {
      if (isObj(t) && typeof t.id === 'string')
        declared.push({ kind: 'target', id: t.id, location: d.doc.locate(['targets', i, 'id']) });
    });
  }
  return declared;
}

const KIND_WORDS: Record<Declared['kind'], string> = {
  inventory: 'inventory name (metadata.name)',
  anchor: 'anchor id',
  cluster: 'cluster name',
  target: 'id',
  bundle: 'id',
};

/** Duplicate names/ids: one problem at every place, each pointing at the others. Targets and bundles share ids. */
export function duplicates(declared: Declared[]): Problem[] {
  const groups = new Map<string, Declared[]>();
  for (const d of declared) {
    const space = d.kind === 'bundle' ? 'target' : d.kind;
    const key = `${space}\u0000${d.id}`;
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  const out: Problem[] = [];
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    for (const d of group) {
      const others = group
        .filter((o) => o !== d)
        .map((o) => `${o.location.file}:${o.location.line}:${o.location.column}`);
      const word = KIND_WORDS[d.kind];
      out.push({
        location: d.location,
        message: `duplicate ${word} '${safeText(d.id)}' (also at ${others.join(', ')}); ${d.kind === 'inventory' ? 'names' : 'ids'} must be unique across the repository`,
      });
    }
  }
  return out;
}

/** What references may name: declared anchors, clusters and zones, and the policy packs when known. */
interface Known {
  anchors: Set<string>;
  clusters: Set<string>;
  policies: Set<string> | null;
  /** Declared zone names; empty when no file declares zones (then any zone name is allowed). */
  zones: Set<string>;
}

/** Zone names declared in any document's `zones`. */
function declaredZones(docs: DocCtx[]): Set<string> {
  const out = new Set<string>();
  for (const d of docs)
    for (const z of list(d.data.zones)) if (isObj(z) && typeof z.name === 'string') out.add(z.name);
  return out;
}

/** Checks the references of every document; problems are appended in document order. */
export function checkReferences(
  docs: DocCtx[],
  declared: Declared[],
  policyNames: Iterable<string> | undefined,
  problems: Problem[],
): void {
  const ids = (kind: Declared['kind']) => new Set(declared.filter((x) => x.kind === kind).map((x) => x.id));
  const known: Known = {
    anchors: ids('anchor'),
    clusters: ids('cluster'),
    policies: policyNames ? new Set(policyNames) : null,
    zones: declaredZones(docs),
  };
  for (const d of docs) {
    const refs = new DocReferences(d, known, problems);
    const defaults = isObj(d.data.defaults) ? d.data.defaults : {};
    refs.policies(['defaults', 'policies'], defaults.policies);
    refs.zone(['defaults', 'zone'], defaults.zone);
    list(d.data.bundles).forEach((b, i) => {
      if (isObj(b)) refs.anchors(['bundles', i, 'contains'], b.contains);
    });
    list(d.data.targets).forEach((t, i) => {
      if (isObj(t)) checkTarget(d, t, i, refs, problems);
    });
  }
}

/** Reference checks within one document. */
class DocReferences {
  constructor(
    private readonly d: DocCtx,
    readonly known: Known,
    private readonly problems: Problem[],
  ) {}

  ref(path: PathSegment[], id: unknown, known: Set<string>, what: string): void {
    if (typeof id !== 'string' || known.has(id)) return;
    const list = [...known].sort();
    const near = suggest(id, list);
    this.problems.push({
      location: this.d.doc.locate(path),
      message: `${formatPath(path)}: unknown ${what} '${safeText(id)}'${near ? `; did you mean '${safeText(near)}'?` : ''} (${list.length ? `declared: ${list.map(safeText).join(', ')}` : `no ${what}s are declared`})`,
    });
  }

  /** A zone must be one of the declared zones, once any file declares zones. */
  zone(path: PathSegment[], z: unknown): void {
    if (this.known.zones.size) this.ref(path, z, this.known.zones, 'zone');
  }

  anchors(path: PathSegment[], v: unknown): void {
    list(v).forEach((id, j) => this.ref([...path, j], id, this.known.anchors, 'anchor id'));
  }

  policies(path: PathSegment[], v: unknown): void {
    // Entries that are paths (`../team.yaml`) name policy files, loaded and checked by the policy loader.
    const names = this.known.policies;
    list(v).forEach((n, j) => {
      if (typeof n === 'string' && (n.includes('/') || /\.ya?ml$/.test(n))) {
        // A policy file named by path, relative to this inventory file: it must exist (and be a file).
        const file = resolve(this.d.dir, n);
        if (!existsSync(file))
          this.problems.push({
            location: this.d.doc.locate([...path, j]),
            message: `${formatPath([...path, j])}: policy file '${safeText(n)}' does not exist (looked for ${safeText(file)})`,
          });
        return;
      }
      if (names) this.ref([...path, j], n, names, 'policy');
    });
  }
}

/** One target: references, expected addresses, the kubeadm preset, files it names. */
function checkTarget(d: DocCtx, t: Obj, i: number, refs: DocReferences, problems: Problem[]): void {
  const p = (...rest: PathSegment[]): PathSegment[] => ['targets', i, ...rest];
  const { anchors, clusters } = refs.known;
  const expect = isObj(t.expect) ? t.expect : {};
  refs.ref(p('expect', 'issuer'), expect.issuer, anchors, 'anchor id');
  refs.ref(p('expect', 'chainTo'), expect.chainTo, anchors, 'anchor id');
  list(expect.ipAddresses).forEach((ip, j) => {
    if (typeof ip === 'string' && !isIP(ip)) {
      problems.push({
        location: d.doc.locate(p('expect', 'ipAddresses', j)),
        message: `${formatPath(p('expect', 'ipAddresses', j))}: expected an IPv4 or IPv6 address, got ${describeValue(ip)}`,
      });
    }
  });
  if (isObj(t.trustStore)) refs.anchors(p('trustStore', 'contains'), t.trustStore.contains);
  if (isObj(t.kubernetes)) refs.ref(p('kubernetes', 'cluster'), t.kubernetes.cluster, clusters, 'cluster');
  if (isObj(t.discover)) refs.ref(p('discover', 'cluster'), t.discover.cluster, clusters, 'cluster');
  if (isObj(t.renewal)) refs.ref(p('renewal', 'cluster'), t.renewal.cluster, clusters, 'cluster');
  refs.policies(p('policies'), t.policies);
  refs.zone(p('zone'), t.zone);
  if (isObj(t.endpoint)) checkEndpointHost(d, t.endpoint.host, p('endpoint', 'host'), problems);
  const kubeadm = isObj(t.preset) && isObj(t.preset.kubeadm) ? t.preset.kubeadm : null;
  if (kubeadm) checkKubeadmPreset(d, kubeadm, p('preset', 'kubeadm'), problems);
  checkReferencedFiles(d, t, p, problems);
}

/**
 * An endpoint's host is a name or an address only: a URL (https://…), a path or a :port in it is
 * refused with the fields to write instead (the port has its own field).
 */
function checkEndpointHost(d: DocCtx, host: unknown, path: PathSegment[], problems: Problem[]): void {
  if (typeof host !== 'string' || isIP(host)) return;
  const url = /^([a-z][a-z0-9+.-]*):\/\/(\[[^\]]+\]|[^/:?#]*)(?::(\d+))?/i.exec(host);
  let expected: string | null = null;
  if (url) {
    const h = url[2]!.replace(/^\[|\]$/g, '');
    const port = url[3] ?? (url[1]!.toLowerCase() === 'https' ? '443' : null);
    expected = `write host: ${h}${port ? ` and port: ${port}` : ''}`;
  } else if (/^[^:]+:\d+$/.test(host)) {
    const [h, port] = host.split(':');
    expected = `write host: ${h} and port: ${port}`;
  } else if (!/^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?\.?$/.test(host)) {
    expected = 'a host is a DNS name or an IP address, without scheme, path, port or spaces';
  }
  if (expected)
    problems.push({
      location: d.doc.locate(path),
      message: `${formatPath(path)}: expected a host name or IP address, got ${describeValue(host)}; ${safeText(expected)}`,
    });
}

/** The kubeadm preset's advertiseAddress is an IP address and its serviceSubnet a CIDR. */
function checkKubeadmPreset(d: DocCtx, kubeadm: Obj, at: PathSegment[], problems: Problem[]): void {
  if (typeof kubeadm.advertiseAddress === 'string' && !isIP(kubeadm.advertiseAddress)) {
    const path = [...at, 'advertiseAddress'];
    problems.push({
      location: d.doc.locate(path),
      message: `${formatPath(path)}: expected an IP address, got ${describeValue(kubeadm.advertiseAddress)}`,
    });
  }
  if (typeof kubeadm.serviceSubnet === 'string' && !isCidr(kubeadm.serviceSubnet)) {
    const path = [...at, 'serviceSubnet'];
    problems.push({
      location: d.doc.locate(path),
      message: `${formatPath(path)}: expected a CIDR such as 10.96.0.0/12, got ${describeValue(kubeadm.serviceSubnet)}`,
    });
  }
}

/** A file in this repository (relative path) must exist and must not hold a private key. */
function checkReferencedFiles(
  d: DocCtx,
  t: Obj,
  p: (...rest: PathSegment[]) => PathSegment[],
  problems: Problem[],
): void {
  for (const key of ['file', 'kubeconfig'] as const) {
    const src = t[key];
    if (!isObj(src) || typeof src.path !== 'string' || isAbsolute(src.path)) continue;
    const path = p(key, 'path');
    try {
      const bytes = readReferenced(resolve(d.dir, src.path), src.path);
      if (holdsPrivateKey(bytes))
        throw new ReferencedFileError(`'${src.path}' contains a private key; ${PRIVATE_KEY_REFUSAL}`);
    } catch (err) {
      if (!(err instanceof ReferencedFileError)) throw err;
      problems.push({ location: d.doc.locate(path), message: `${formatPath(path)}: ${err.message}` });
    }
  }
}

function isCidr(s: string): boolean {
  const m = /^(.+)\/(\d{1,3})$/.exec(s);
  if (!m) return false;
  const v = isIP(m[1]);
  const bits = Number(m[2]);
  return v !== 0 && bits <= (v === 4 ? 32 : 128);
}
