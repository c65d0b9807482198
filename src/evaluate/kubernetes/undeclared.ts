// What discovery found that the inventory does not declare: `inventory.undeclared` findings (info)
// and ready-to-commit inventory YAML for those objects. Names from the cluster are hostile: they are
// escaped in messages and quoted by the YAML writer, and ids are reduced to the id alphabet.
import { Document, isMap, isSeq } from 'yaml';
import type { Finding, Observation, ObservedCert } from '../../core/model.js';
import type { Target } from '../../inventory/types.js';
import { makeFinding } from '../../core/findings.js';
import { safeText } from '../../core/text.js';
import { isKeystoreKey } from '../../sources/kubernetes/sanitize.js';
import { CLUSTER_CA_NAME } from '../../sources/kubernetes/kinds.js';

/** A discovered object as plain facts (from an observation made by discovery). */
export interface DiscoveredObject {
  cluster: string;
  kind: string;
  namespace: string | null;
  name: string;
  clusterCA: boolean;
  observation: Observation;
}

/** The object behind a discovery observation; null for scope errors and other observations. */
export function discoveredObject(o: Observation): DiscoveredObject | null {
  if (o.source.kind !== 'discover' || !o.details || o.details.scope) return null;
  const d = o.details;
  if (typeof d.kind !== 'string' || typeof d.name !== 'string') return null;
  return {
    cluster: String(o.source.cluster ?? ''),
    kind: d.kind,
    namespace: typeof d.namespace === 'string' ? d.namespace : null,
    name: d.name,
    clusterCA: d.clusterCA === true && d.kind === 'ConfigMap' && d.name === CLUSTER_CA_NAME,
    observation: o,
  };
}

function objectKey(cluster: string, kind: string, namespace: string | null, name: string): string {
  if (kind === 'ConfigMap' && name === CLUSTER_CA_NAME) return `${cluster}\u0000cluster-ca`;
  return `${cluster}\u0000${kind}\u0000${namespace ?? ''}\u0000${name}`;
}

/** Keys of every object the inventory declares through `kubernetes` targets. */
export function declaredObjects(targets: readonly Target[]): Set<string> {
  const out = new Set<string>();
  for (const t of targets) {
    if (t.source.kind !== 'kubernetes') continue;
    const k = t.source.kubernetes;
    out.add(
      objectKey(
        k.cluster,
        k.kind,
        k.namespace ??
          (k.kind === 'Secret' || k.kind === 'ConfigMap' || k.kind === 'Certificate' ? 'default' : null),
        k.name,
      ),
    );
  }
  return out;
}

/** Whether a `kubernetes` target among `declared` (from declaredObjects) covers a discovered object. */
export function isDeclared(d: DiscoveredObject, declared: ReadonlySet<string>): boolean {
  return declared.has(objectKey(d.cluster, d.kind, d.namespace, d.name));
}

/** Discovered objects that no `kubernetes` target declares (all of them with `all`). */
export function undeclaredObjects(
  observations: readonly Observation[],
  targets: readonly Target[],
  all = false,
): DiscoveredObject[] {
  const declared = declaredObjects(targets);
  const out: DiscoveredObject[] = [];
  for (const o of observations) {
    const d = discoveredObject(o);
    if (!d) continue;
    if (all || !isDeclared(d, declared)) out.push(d);
  }
  return out;
}

function firstCert(o: Observation): ObservedCert | null {
  return o.certificates[0] ?? o.trustStore?.[0] ?? null;
}

function describe(d: DiscoveredObject): string {
  if (d.clusterCA) return `the cluster CA (ConfigMap ${CLUSTER_CA_NAME}, in every namespace)`;
  return `${d.kind} ${d.namespace ? `${d.namespace}/` : ''}${d.name}`;
}

/** The discover targets among `targets`, by id: an observation's owner is the first segment of its id. */
export function discoverTargets(targets: readonly Target[]): Map<string, Target> {
  return new Map(targets.filter((t) => t.source.kind === 'discover').map((t) => [t.id, t]));
}

/** The discover target an observation came from (ids hold no '/', so its id is the first segment). */
function ownerTarget(o: Observation, discover: ReadonlyMap<string, Target>): Target | null {
  return discover.get(o.target.split('/', 1)[0] ?? '') ?? null;
}

/**
 * The `inventory.undeclared` finding (info) for one discovered object no target declares; null
 * when it holds no certificate yet (a pending CSR: there is nothing to track).
 */
export function undeclaredFinding(
  d: DiscoveredObject,
  discover: ReadonlyMap<string, Target>,
): Finding | null {
  const cert = firstCert(d.observation);
  if (!cert) return null;
  const cn = cert.record.subject.CN ?? cert.record.subject.dn ?? null;
  const what = safeText(describe(d));
  const about = ` (${cn ? `CN=${safeText(cn)}, ` : ''}sha256 ${cert.record.sha256})`;
  return makeFinding({
    target: d.observation.target,
    check: 'inventory.undeclared',
    message: `${what} in cluster ${safeText(d.cluster)} holds certificates but no inventory target declares it${about}`,
    certificate: cert.record.sha256,
    key: `${d.kind}/${d.namespace ?? ''}/${d.name}`,
    location: ownerTarget(d.observation, discover)?.location ?? null,
    remediation: { kind: 'inventory', target: targetFor(d, new Set()) },
  });
}

/** `inventory.undeclared` findings (info): one per discovered object no target declares. */
export function undeclaredFindings(
  observations: readonly Observation[],
  targets: readonly Target[],
): Finding[] {
  const discover = discoverTargets(targets);
  return undeclaredObjects(observations, targets).flatMap((d) => undeclaredFinding(d, discover) ?? []);
}

function slug(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[^a-z0-9]+/, '')
      .replace(/-+$/, '')
      .slice(0, 100) || 'x'
  );
}

const KIND_SLUG: Record<string, string> = {
  Secret: '',
  ConfigMap: 'cm-',
  CertificateSigningRequest: 'csr-',
  ValidatingWebhookConfiguration: 'vwc-',
  MutatingWebhookConfiguration: 'mwc-',
  APIService: 'apiservice-',
  Certificate: 'certificate-',
};

/** The inventory target for a discovered object (plain data), with an id unique among `taken`. */
export function targetFor(d: DiscoveredObject, taken: Set<string>): Record<string, unknown> {
  let id = d.clusterCA
    ? slug(`${d.cluster}-cluster-ca`)
    : slug(`${d.cluster}-${KIND_SLUG[d.kind] ?? ''}${d.namespace ? `${d.namespace}-` : ''}${d.name}`);
  for (let i = 2; taken.has(id); i++) id = `${id.replace(/-\d+$/, '')}-${i}`;
  taken.add(id);
  const kube: Record<string, unknown> = { cluster: d.cluster, kind: d.kind };
  if (d.namespace) kube.namespace = d.namespace;
  kube.name = d.name;
  const o = d.observation;
  if (d.clusterCA) kube.key = 'ca.crt';
  const keystore = ((o.details?.keys as string[] | undefined) ?? []).find(isKeystoreKey);
  if (d.kind === 'Secret' && keystore && !o.certificates.length && !o.trustStore?.length) {
    kube.key = keystore;
    kube.format = /\.jks$/i.test(keystore) ? 'jks' : 'pkcs12';
    kube.passwordEnv = slug(`${d.name}-password`).toUpperCase().replace(/[.-]/g, '_');
  }
  const t: Record<string, unknown> = { id, kubernetes: kube };
  return t;
}

export interface RenderOptions {
  /** Inventory metadata.name of the generated document (default `<cluster>-discovered`). */
  name?: string;
  /** Targets already in the inventory: their objects are skipped (unless `all`) and their ids avoided. */
  targets?: readonly Target[];
  /** Every discovered object, declared or not. */
  all?: boolean;
  /** Evaluation time for the "expires" comments (default now). */
  now?: Date;
  /** Adds a `clusters:` entry (for `discover --kubeconfig`, where the inventory has no cluster yet). */
  cluster?: { name: string; kubeconfig: { path?: string; env?: string; context?: string } };
  /**
   * Receives the `targets:` entries as they are rendered, a batch at a time, instead of keeping them
   * (a cluster's worth of YAML is set aside, e.g. in a core/spool.ts Spool); head() then gives what
   * goes before them.
   */
  onEntries?: (text: string) => void;
}

function commentFor(o: Observation, now: Date): string {
  const lines: string[] = [];
  const certs = o.certificates.length ? o.certificates : (o.trustStore ?? []);
  const role = o.certificates.length ? '' : 'trust store: ';
  for (const c of certs.slice(0, 4)) {
    const r = c.record;
    const days = Math.floor((Date.parse(r.notAfter) - now.getTime()) / 86_400_000);
    lines.push(
      ` ${role}${safeText(r.subject.dn).slice(0, 120)} — expires ${r.notAfter.slice(0, 10)} (${days} days), sha256 ${r.sha256}`,
    );
  }
  if (certs.length > 4) lines.push(` … and ${certs.length - 4} more`);
  if (o.details?.clusterCA)
    lines.push(` the cluster CA, found in ${String(o.details.namespaces ?? 1)} namespace(s)`);
  if (o.details?.kind === 'CertificateSigningRequest')
    lines.push(` signer ${safeText(String(o.details.signerName ?? '?'))}`);
  for (const w of o.warnings ?? []) lines.push(` note: ${safeText(w).slice(0, 160)}`);
  return lines.map((l) => l.replace(/[\r\n]/g, ' ')).join('\n');
}

const YAML_OPTIONS = { lineWidth: 0, doubleQuotedAsJSON: true } as const;
/** Entries rendered together (one YAML document per batch, cut out of it). */
const RENDER_BATCH = 100;

/**
 * Ready-to-commit inventory YAML (an Inventory document) for discovered objects no target declares
 * (all of them with `all`), built as observations stream in: each object's entry is rendered when it
 * arrives and only its text is kept, so memory follows the YAML, not the observations.
 */
export class DiscoveredInventory {
  private readonly declared: Set<string>;
  private readonly taken: Set<string>;
  /** Rendered entries, a batch per string. */
  private readonly rendered: string[] = [];
  /** Entries not rendered yet: the target and its comment (the observation itself is not kept). */
  private pending: { target: Record<string, unknown>; comment: string }[] = [];
  private count = 0;
  private readonly now: Date;
  private firstCluster: string | null = null;

  constructor(private readonly opts: RenderOptions = {}) {
    const targets = opts.targets ?? [];
    this.declared = declaredObjects(targets);
    this.taken = new Set(targets.map((t) => t.id));
    this.now = opts.now ?? new Date();
  }

  /** Objects in the YAML so far. */
  get shown(): number {
    return this.count;
  }

  add(o: Observation): void {
    const d = discoveredObject(o);
    if (!d || (!this.opts.all && isDeclared(d, this.declared))) return;
    this.firstCluster ??= d.cluster;
    this.count++;
    this.pending.push({ target: targetFor(d, this.taken), comment: commentFor(o, this.now) });
    if (this.pending.length >= RENDER_BATCH) this.flush();
  }

  /** Renders the pending entries as the `targets:` sequence of a document, and keeps the sequence's text. */
  private flush(): void {
    if (!this.pending.length) return;
    const doc = new Document({ targets: this.pending.map((p) => p.target) });
    const seq = doc.get('targets', true);
    if (isSeq(seq)) {
      seq.items.forEach((item, i) => {
        const comment = this.pending[i]?.comment;
        if (!isMap(item)) return;
        if (comment) item.commentBefore = comment;
        const kube = item.get('kubernetes', true);
        if (isMap(kube)) kube.flow = true;
      });
    }
    const text = doc.toString(YAML_OPTIONS).slice('targets:\n'.length);
    if (this.opts.onEntries) this.opts.onEntries(text);
    else this.rendered.push(text);
    this.pending = [];
  }

  /** The whole document (the entries given to onEntries are not in it: see head()). */
  finish(): string {
    return `${this.head()}${this.rendered.join('')}`;
  }

  /**
   * What comes before the entries, once every object is added: the document's comment (it counts
   * them), its metadata and `targets:`. Entries given to onEntries follow it.
   */
  head(): string {
    this.flush();
    const cluster = this.opts.cluster?.name ?? this.firstCluster ?? 'cluster';
    const docObj: Record<string, unknown> = {
      apiVersion: 'certwarden/v1',
      kind: 'Inventory',
      metadata: { name: slug(this.opts.name ?? `${cluster}-discovered`) },
    };
    if (this.opts.cluster)
      docObj.clusters = [{ name: this.opts.cluster.name, kubeconfig: this.opts.cluster.kubeconfig }];
    if (!this.count) docObj.targets = [];
    const doc = new Document(docObj);
    doc.commentBefore = ` certwarden discover: ${this.count} certificate-bearing object(s) in cluster ${safeText(cluster)}${this.opts.all ? '' : ' that no target declares'}\n Review, add expectations (expect, trustStore), and commit.`;
    const head = doc.toString(YAML_OPTIONS);
    return this.count ? `${head}targets:\n` : head;
  }
}

/** Ready-to-commit inventory YAML (an Inventory document) for discovered objects no target declares. */
export function renderDiscoveredInventory(
  observations: readonly Observation[],
  opts: RenderOptions = {},
): string {
  const inventory = new DiscoveredInventory(opts);
  for (const o of observations) inventory.add(o);
  return inventory.finish();
}
