// Loads inventory folders into plain, validated data. Every problem (YAML, schema, references,
// files, pins, private keys) is collected with its FILE:LINE:COLUMN and thrown at once as a ConfigError.
//
// Which files count: every *.yaml / *.yml under each folder (recursively, sorted; hidden folders and
// node_modules skipped). A document whose `kind` is `Inventory` is an inventory. Documents of other
// kinds (Policy files, ConfigMap/Secret manifests referenced as bundles, kubeconfigs) are skipped,
// but still checked for private keys. A document without `kind` is an error when it looks like an
// inventory (certwarden apiVersion, or `targets` / `anchors` / `metadata` keys), else skipped.
import { readFile, readdir, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { isIP } from 'node:net';
import type { ObservedCert, SourceLocation } from '../core/model.js';
import { ConfigError, type Problem } from '../core/errors.js';
import { containsPrivateKey } from '../x509/read.js';
import { normaliseFingerprint, safeText } from '../core/text.js';
import type {
  Bundle,
  ClusterRef,
  InventoryDoc,
  LoadedInventory,
  Target,
  TargetSource,
  Zone,
} from './types.js';
import { parseYaml, formatPath, type PathSegment, type YamlDoc } from './yaml-source.js';
import { describeValue, schemaProblems, suggest } from './schema.js';
import {
  PRIVATE_KEY_REFUSAL,
  ReferencedFileError,
  readAnchorCertificate,
  readBundleCertificates,
  readReferenced,
  findEncodedKey,
  holdsPrivateKey,
} from './files.js';

export interface LoadOptions {
  /** Environment (reserved for env-named settings; validation never requires them to be set). */
  env?: NodeJS.ProcessEnv;
  /** Known policy pack names; when given, `policies` references are checked against them. */
  policyNames?: Iterable<string>;
  /** Locations name files relative to this folder when they are inside it (default: process.cwd()). */
  cwd?: string;
}

export const SOURCE_KEYS = ['endpoint', 'kubernetes', 'file', 'kubeconfig', 'preset', 'discover'] as const;

/** Loads and validates; throws one ConfigError listing every problem. */
export async function loadInventory(dirsOrFiles: string[], opts: LoadOptions = {}): Promise<LoadedInventory> {
  const { inventory, problems } = await loadInventoryWithProblems(dirsOrFiles, opts);
  if (problems.length) throw new ConfigError(problems);
  return inventory;
}

/** Certificates of a bundle (PEM file or ConfigMap/Secret manifest); problems throw a ConfigError at the bundle. */
export function readBundleFile(bundle: Bundle): ObservedCert[] {
  try {
    return readBundleCertificates(bundle.file, bundle.file, bundle.key);
  } catch (err) {
    if (err instanceof ReferencedFileError)
      throw new ConfigError(`bundle '${bundle.id}': ${err.message}`, bundle.location);
    throw err;
  }
}

type Obj = Record<string, unknown>;

interface DocCtx {
  doc: YamlDoc;
  data: Obj;
  dir: string; // absolute folder of the file
  name: string; // metadata.name (or the file when missing)
}

interface Declared {
  kind: 'target' | 'bundle' | 'anchor' | 'cluster' | 'inventory';
  id: string;
  location: SourceLocation;
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strList = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Loads everything it can and returns the problems instead of throwing (used by `validate`). */
export async function loadInventoryWithProblems(
  dirsOrFiles: string[],
  opts: LoadOptions = {},
): Promise<{ inventory: LoadedInventory; problems: Problem[] }> {
  const problems: Problem[] = [];
  const files: string[] = [];
  for (const input of dirsOrFiles) files.push(...(await yamlFiles(input, problems)));

  const docs: DocCtx[] = [];
  const seenFiles = new Set<string>();
  for (const file of files) {
    const abs = resolve(file);
    if (seenFiles.has(abs)) continue;
    seenFiles.add(abs);
    docs.push(...(await readInventoryFile(abs, displayPath(abs, opts.cwd ?? process.cwd()), problems)));
  }

  const inventory: LoadedInventory = {
    inventories: [],
    anchors: new Map(),
    bundles: [],
    clusters: new Map(),
    targets: [],
  };
  const zones = new Map<string, Zone>();
  for (const d of docs) problems.push(...schemaProblems(d.doc));

  // Declarations, for uniqueness and for references.
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
  problems.push(...duplicates(declared));

  const ids = (kind: Declared['kind']) => new Set(declared.filter((x) => x.kind === kind).map((x) => x.id));
  const anchorIds = ids('anchor');
  const clusterNames = ids('cluster');
  const policyNames = opts.policyNames ? new Set(opts.policyNames) : null;

  for (const d of docs) {
    const ref = (path: PathSegment[], id: unknown, known: Set<string>, what: string) => {
      if (typeof id !== 'string' || known.has(id)) return;
      const list = [...known].sort();
      problems.push({
        location: d.doc.locate(path),
        message: `${formatPath(path)}: unknown ${what} '${safeText(id)}' (${list.length ? `declared: ${list.join(', ')}` : `no ${what}s are declared`})`,
      });
    };
    const anchorRefs = (path: PathSegment[], v: unknown) =>
      list(v).forEach((id, j) => ref([...path, j], id, anchorIds, 'anchor id'));
    const policyRefs = (path: PathSegment[], v: unknown) => {
      // Entries that are paths (`../team.yaml`) name policy files, loaded and checked by the policy loader.
      if (policyNames)
        list(v).forEach((n, j) => {
          if (typeof n === 'string' && (n.includes('/') || /\.ya?ml$/.test(n))) return;
          ref([...path, j], n, policyNames, 'policy');
        });
    };

    const defaults = isObj(d.data.defaults) ? d.data.defaults : {};
    policyRefs(['defaults', 'policies'], defaults.policies);
    list(d.data.bundles).forEach((b, i) => {
      if (isObj(b)) anchorRefs(['bundles', i, 'contains'], b.contains);
    });
    list(d.data.targets).forEach((t, i) => {
      if (!isObj(t)) return;
      const p = (...rest: PathSegment[]): PathSegment[] => ['targets', i, ...rest];
      const expect = isObj(t.expect) ? t.expect : {};
      ref(p('expect', 'issuer'), expect.issuer, anchorIds, 'anchor id');
      ref(p('expect', 'chainTo'), expect.chainTo, anchorIds, 'anchor id');
      list(expect.ipAddresses).forEach((ip, j) => {
        if (typeof ip === 'string' && !isIP(ip)) {
          problems.push({
            location: d.doc.locate(p('expect', 'ipAddresses', j)),
            message: `${formatPath(p('expect', 'ipAddresses', j))}: expected an IPv4 or IPv6 address, got ${describeValue(ip)}`,
          });
        }
      });
      if (isObj(t.trustStore)) anchorRefs(p('trustStore', 'contains'), t.trustStore.contains);
      if (isObj(t.kubernetes)) ref(p('kubernetes', 'cluster'), t.kubernetes.cluster, clusterNames, 'cluster');
      if (isObj(t.discover)) ref(p('discover', 'cluster'), t.discover.cluster, clusterNames, 'cluster');
      if (isObj(t.renewal)) ref(p('renewal', 'cluster'), t.renewal.cluster, clusterNames, 'cluster');
      policyRefs(p('policies'), t.policies);
      const kubeadm = isObj(t.preset) && isObj(t.preset.kubeadm) ? t.preset.kubeadm : null;
      if (kubeadm) {
        if (typeof kubeadm.advertiseAddress === 'string' && !isIP(kubeadm.advertiseAddress)) {
          const path = p('preset', 'kubeadm', 'advertiseAddress');
          problems.push({
            location: d.doc.locate(path),
            message: `${formatPath(path)}: expected an IP address, got ${describeValue(kubeadm.advertiseAddress)}`,
          });
        }
        if (typeof kubeadm.serviceSubnet === 'string' && !isCidr(kubeadm.serviceSubnet)) {
          const path = p('preset', 'kubeadm', 'serviceSubnet');
          problems.push({
            location: d.doc.locate(path),
            message: `${formatPath(path)}: expected a CIDR such as 10.96.0.0/12, got ${describeValue(kubeadm.serviceSubnet)}`,
          });
        }
      }
      // A file in this repository (relative path) must exist and must not hold a private key.
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
    });
  }

  // Anchors: read, must be one CA certificate, must match the pin.
  for (const d of docs) {
    list(d.data.anchors).forEach((a, i) => {
      if (!isObj(a) || typeof a.id !== 'string' || typeof a.file !== 'string') return;
      const abs = resolve(d.dir, a.file);
      let cert: ObservedCert;
      try {
        cert = readAnchorCertificate(abs, a.file);
      } catch (err) {
        if (!(err instanceof ReferencedFileError)) throw err;
        problems.push({
          location: d.doc.locate(['anchors', i, 'file']),
          message: `anchors[${i}].file: ${err.message}`,
        });
        return;
      }
      if (typeof a.sha256 === 'string' && /^[0-9a-f]{64}$/.test(normaliseFingerprint(a.sha256))) {
        const pin = normaliseFingerprint(a.sha256);
        if (pin !== cert.record.sha256) {
          problems.push({
            location: d.doc.locate(['anchors', i, 'sha256']),
            message: `anchors[${i}].sha256: pin does not match '${a.file}': the pin is ${pin}, the file's certificate is ${cert.record.sha256}`,
          });
        }
      }
      if (!inventory.anchors.has(a.id)) {
        inventory.anchors.set(a.id, {
          id: a.id,
          file: abs,
          sha256: cert.record.sha256,
          location: d.doc.locate(['anchors', i]),
          der: cert.record.der,
        });
      }
    });
  }

  // Bundles: readable, certificates only.
  for (const d of docs) {
    list(d.data.bundles).forEach((b, i) => {
      if (!isObj(b) || typeof b.id !== 'string' || typeof b.file !== 'string') return;
      const bundle: Bundle = {
        id: b.id,
        file: resolve(d.dir, b.file),
        ...(typeof b.key === 'string' ? { key: b.key } : {}),
        contains: strList(b.contains),
        ...(typeof b.only === 'boolean' ? { only: b.only } : {}),
        location: d.doc.locate(['bundles', i]),
      };
      try {
        readBundleCertificates(bundle.file, b.file, bundle.key);
      } catch (err) {
        if (!(err instanceof ReferencedFileError)) throw err;
        problems.push({
          location: d.doc.locate(['bundles', i, 'file']),
          message: `bundles[${i}].file: ${err.message}`,
        });
      }
      inventory.bundles.push(bundle);
    });
  }

  for (const d of docs) {
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
      },
    };
    inventory.inventories.push(invDoc);
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
    list(d.data.zones).forEach((z, i) => {
      if (!isObj(z) || typeof z.name !== 'string') return;
      const location = d.doc.locate(['zones', i, 'name']);
      const seen = zones.get(z.name);
      const via = str(z.via) ?? undefined;
      if (seen && seen.via !== via) {
        problems.push({
          location,
          message: `zones[${i}]: zone '${z.name}' is also declared at ${seen.location.file}:${seen.location.line} with another via; a zone has one proxy`,
        });
        return;
      }
      zones.set(z.name, { name: z.name, ...(via ? { via } : {}), location });
    });
    const defaultLabels = labelsOf(defaults.labels);
    list(d.data.targets).forEach((t, i) => {
      if (!isObj(t) || typeof t.id !== 'string') return;
      const source = sourceOf(t, d.dir);
      if (!source) return;
      inventory.targets.push(resolveTarget(t, i, source, d, invDoc, defaultLabels));
    });
  }

  // An endpoint without its own `via` goes through its zone's proxy.
  for (const t of inventory.targets) {
    const via = t.zone ? zones.get(t.zone)?.via : undefined;
    if (via && t.source.kind === 'endpoint' && !t.source.endpoint.via) t.source.endpoint.via = via;
  }
  if (zones.size) inventory.zones = zones;

  problems.sort(compareProblems);
  return { inventory, problems };
}

function resolveTarget(
  t: Obj,
  i: number,
  source: TargetSource,
  d: DocCtx,
  inv: InventoryDoc,
  defaultLabels: Record<string, string>,
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
  return target;
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

function isCidr(s: string): boolean {
  const m = /^(.+)\/(\d{1,3})$/.exec(s);
  if (!m) return false;
  const v = isIP(m[1]);
  const bits = Number(m[2]);
  return v !== 0 && bits <= (v === 4 ? 32 : 128);
}

const KIND_WORDS: Record<Declared['kind'], string> = {
  inventory: 'inventory name (metadata.name)',
  anchor: 'anchor id',
  cluster: 'cluster name',
  target: 'id',
  bundle: 'id',
};

/** Duplicate names/ids: one problem at every place, each pointing at the others. Targets and bundles share ids. */
function duplicates(declared: Declared[]): Problem[] {
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

function compareProblems(a: Problem, b: Problem): number {
  const fa = a.location?.file ?? '';
  const fb = b.location?.file ?? '';
  if (fa !== fb) return fa < fb ? -1 : 1;
  return (
    (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.column ?? 0) - (b.location?.column ?? 0)
  );
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

/** `*.yaml` / `*.yml` under a folder (recursive, sorted), or the file itself. */
async function yamlFiles(input: string, problems: Problem[]): Promise<string[]> {
  let st;
  try {
    st = await stat(input);
  } catch {
    problems.push({ location: null, message: `inventory path '${input}' does not exist` });
    return [];
  }
  if (st.isFile()) return [input];
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const full = join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else if (/\.ya?ml$/i.test(e.name) && (e.isFile() || (e.isSymbolicLink() && (await isFile(full)))))
        out.push(full);
    }
  };
  await walk(input);
  return out;
}

const INVENTORY_HINT_KEYS = ['targets', 'anchors', 'bundles', 'clusters', 'defaults'];
/** Kinds of certwarden documents that may sit beside inventories (policies, renewal requests). */
const CERTWARDEN_KINDS = ['Inventory', 'Policy', 'RenewalRequest', 'PolicyTest'];

/** The Inventory documents of one file (others skipped), after YAML and private-key checks. */
/** Where problems point: relative to the working folder when the file is inside it (as CI logs and SARIF want). */
function displayPath(abs: string, cwd: string): string {
  const rel = relative(resolve(cwd), abs);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}

async function readInventoryFile(abs: string, file: string, problems: Problem[]): Promise<DocCtx[]> {
  let bytes: Buffer;
  try {
    bytes = await readFile(abs);
  } catch (err) {
    problems.push({
      location: { file, line: 1, column: 1 },
      message: `cannot read file: ${(err as NodeJS.ErrnoException).code ?? 'I/O error'}`,
    });
    return [];
  }
  const text = bytes.toString('utf8');
  if (containsPrivateKey(bytes)) {
    problems.push({
      location: { file, line: privateKeyLine(text), column: 1 },
      message: `this file contains a private key; ${PRIVATE_KEY_REFUSAL}`,
    });
    return [];
  }
  const parsed = parseYaml(text, file);
  const out: DocCtx[] = [];
  for (const p of parsed.problems) problems.push(p);
  for (const doc of parsed.docs) {
    // Base64 values (Secret data, kubeconfig *-data) are checked for keys too, inventory or not.
    const leak = findEncodedKey(doc.data, []);
    if (leak) {
      problems.push({
        location: doc.locate(leak),
        message: `${formatPath(leak)}: this value is a private key; ${PRIVATE_KEY_REFUSAL}`,
      });
      continue;
    }
    if (!isObj(doc.data)) continue;
    const kind = doc.data.kind;
    const apiVersion = doc.data.apiVersion;
    const looksInventory =
      (typeof apiVersion === 'string' && apiVersion.startsWith('certwarden/')) ||
      INVENTORY_HINT_KEYS.some((k) => k in (doc.data as Obj));
    if (kind === undefined) {
      if (looksInventory)
        problems.push({
          location: doc.locate([]),
          message: "missing required key 'kind' (expected kind: Inventory)",
        });
      continue;
    }
    if (typeof kind !== 'string' || kind.toLowerCase() !== 'inventory') {
      // A certwarden document of an unknown kind is a typo, not someone else's file: skipping it
      // silently would drop its targets (and sync would close their issues as fixed).
      if (
        typeof apiVersion === 'string' &&
        apiVersion.startsWith('certwarden/') &&
        !CERTWARDEN_KINDS.includes(String(kind))
      ) {
        const near = suggest(String(kind), CERTWARDEN_KINDS);
        problems.push({
          location: doc.locate(['kind']),
          message: `kind: unknown certwarden kind ${describeValue(kind)} (expected one of ${CERTWARDEN_KINDS.join(', ')}${near ? `; did you mean '${near}'?` : ''})`,
        });
      }
      continue;
    }
    const meta = isObj(doc.data.metadata) ? doc.data.metadata : {};
    out.push({
      doc,
      data: doc.data,
      dir: dirname(abs),
      name: typeof meta.name === 'string' ? meta.name : file,
    });
  }
  return out;
}

function privateKeyLine(text: string): number {
  const idx = text.search(/-----BEGIN [A-Z0-9 ]*PRIVATE KEY/);
  if (idx < 0) return 1;
  return text.slice(0, idx).split('\n').length;
}
