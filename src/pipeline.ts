// The pipeline, in order: load -> collect -> evaluate. `collect` and `evaluate` are separable:
// observations are plain JSON, so zones collect and one job evaluates. Findings all come from
// evaluate/ (and the policies it runs); rendering is report/'s.
import type { Observation, Report } from './core/model.js';
import type { Bundle, LoadedInventory, Target } from './inventory/types.js';
import { loadInventory, readBundleFile } from './inventory/load.js';
import { expandKubeadmPreset } from './inventory/presets/kubeadm.js';
import {
  loadPolicies,
  checkTargetPolicies,
  policyPathsOf,
  checkWaiverTargets,
  type PolicySet,
} from './policy/index.js';
import { collectContext, collectTargets } from './sources/registry.js';
import type { ObservationSink } from './sources/types.js';
import { issuerCompleter } from './sources/ca-issuers.js';
import { Fetcher, HTTP_FETCHER_SERVICE } from './sources/http/fetcher.js';
import { NETWORK_FETCH_OFF, OfflineFetcher } from './sources/http/offline.js';
import type { HttpFetcher } from './sources/http/types.js';
import { RevocationObserver } from './evaluate/revocation/observe.js';
import { Evaluator, evaluateObservations } from './evaluate/evaluator.js';
import type { BundleContent } from './evaluate/stores.js';
import { exitCodeFor, type FailOn } from './evaluate/report.js';
import { ConfigError, formatProblem } from './core/errors.js';
import { safeText, suggest } from './core/text.js';
import type { Logger } from './core/logger.js';
import { silentLogger } from './core/logger.js';

// The report's verdict, for callers of the pipeline (the CLI's and the action's exit codes).
export { exitCodeFor, type FailOn } from './evaluate/report.js';

export type OutputFormat = 'text' | 'json' | 'sarif' | 'markdown' | 'prometheus';

/** One options object for scan/collect/evaluate, built by the CLI or the action. */
export interface ScanOptions {
  inventoryDirs: string[];
  policyDirs: string[];
  now?: Date;
  format?: OutputFormat;
  output?: string;
  failOn?: FailOn;
  concurrency?: number;
  timeoutMs?: number;
  zone?: string;
  targets?: string[];
  logger?: Logger;
  /** Environment for collectors (keystore passwords, kubeconfigs); default: the process's. */
  env?: NodeJS.ProcessEnv;
  /** Services handed to collectors (e.g. `kube`: a Kubernetes client factory). */
  services?: Record<string, unknown>;
  /** Called as targets finish (progress bars). */
  onProgress?: (done: number, total: number) => void;
  /** Told which targets are about to be collected, then each one as its observations are in. */
  watch?: CollectWatch;
  /**
   * Turn every fetch off: caIssuers, OCSP, CRLs (air-gapped zones; stapled responses are still read).
   * For some targets only: `network: {fetch: false}` in the inventory.
   */
  offline?: boolean;
}

/** Watches collection (the CLI's progress): the target ids in order, then each as it is done. */
export interface CollectWatch {
  start(targets: readonly string[]): void;
  done(target: string): void;
  /** Collection is over (stop timers). */
  end(): void;
}

export interface Loaded {
  inventory: LoadedInventory;
  policies: PolicySet;
  targets: Target[]; // expanded (presets), filtered by zone/ids
}

/** Presets expanded into the targets they stand for. */
function expandPresets(targets: Target[]): Target[] {
  return targets.flatMap((t) => (t.source.kind === 'preset' ? expandKubeadmPreset(t) : [t]));
}

/** Waivers must name real targets: a typo would silently stop waiving. Errors throw, warnings are logged. */
function checkWaivers(policies: PolicySet, targets: Target[], logger: Logger): void {
  const problems = checkWaiverTargets(policies, targets);
  const errors = problems.filter((p) => p.level === 'error');
  if (errors.length) throw new ConfigError(errors.map(({ location, message }) => ({ location, message })));
  for (const w of problems)
    if (w.level === 'warning') logger.warn(formatProblem(w).replace(': error: ', ': warning: '));
}

/** The targets --zone and --target select; naming an unknown target or an empty zone is an error. */
function selectTargets(
  expanded: Target[],
  bundles: readonly Bundle[],
  zone: string | undefined,
  ids: string[] | undefined,
): Target[] {
  const wanted = ids?.length ? new Set(ids) : null;
  if (wanted) {
    // Bundles share the id space of targets: --target may name one.
    const known = new Set([
      ...expanded.flatMap((t) => [t.id, t.expandedFrom ?? t.id]),
      ...bundles.map((b) => b.id),
    ]);
    const unknown = [...wanted].filter((id) => !known.has(id));
    if (unknown.length)
      throw new ConfigError(
        unknown.map((id) => {
          const near = suggest(id, known);
          return {
            location: null,
            message: `unknown target id '${safeText(id)}' given with --target${near ? `; did you mean '${safeText(near)}'?` : ''}`,
          };
        }),
      );
  }
  if (zone && !expanded.some((t) => t.zone === zone)) {
    const zones = [...new Set(expanded.map((t) => t.zone).filter((z): z is string => Boolean(z)))].sort();
    throw new ConfigError(
      `no target is in zone '${zone}' (zones in this inventory: ${zones.join(', ') || 'none'})`,
    );
  }
  return expanded.filter(
    (t) =>
      (!zone || t.zone === zone) &&
      (!wanted || wanted.has(t.id) || (t.expandedFrom !== undefined && wanted.has(t.expandedFrom))),
  );
}

/** Loads and validates inventory and policies, expands presets, applies --zone/--target filters. */
export async function load(opts: ScanOptions): Promise<Loaded> {
  // Packs by name are known before the inventory loads, so an unknown name is reported in the same
  // pass as every other inventory problem, on its YAML line.
  const named = await loadPolicies(opts.policyDirs);
  const inventory = await loadInventory(opts.inventoryDirs, {
    env: opts.env,
    policyNames: [...named.policies.keys()],
  });
  if (inventory.inventories.length === 0) {
    throw new ConfigError(
      `no inventory found in ${opts.inventoryDirs.join(', ')}: expected YAML files with 'apiVersion: certwarden/v1' and 'kind: Inventory'`,
    );
  }
  const expanded = expandPresets(inventory.targets);
  // Packs named by path in a target's `policies` are loaded beside the shipped and --policies ones.
  const byPath = policyPathsOf(expanded);
  const policies = byPath.length ? await loadPolicies([...opts.policyDirs, ...byPath]) : named;
  checkTargetPolicies(policies, expanded);
  // What may be missing here but present where the scan runs (a kubeconfig variable): warnings.
  for (const w of inventory.warnings ?? [])
    (opts.logger ?? silentLogger).warn(formatProblem(w).replace(': error: ', ': warning: '));
  // Checked against every target, before --zone/--target filter what this run looks at.
  checkWaivers(policies, expanded, opts.logger ?? silentLogger);
  const targets = selectTargets(expanded, inventory.bundles, opts.zone, opts.targets);
  // --target limits the bundles judged too: only those it names.
  const wanted = opts.targets?.length ? new Set(opts.targets) : null;
  const bundles = wanted ? inventory.bundles.filter((b) => wanted.has(b.id)) : inventory.bundles;
  return { inventory: { ...inventory, targets: expanded, bundles }, policies, targets };
}

/** Runs every collector with bounded concurrency; one or more observations per target, never a throw per source. */
export async function collect(loaded: Loaded, opts: ScanOptions): Promise<Observation[]> {
  const out: Observation[][] = [];
  const index = new Map(loaded.targets.map((t, i) => [t.id, i]));
  // A target's observations may come in several deliveries (discovery streams page by page).
  await collectInto(loaded, opts, (t, obs) => {
    const list = (out[index.get(t.id) ?? 0] ??= []);
    for (const o of obs) list.push(o);
  });
  // Keep inventory order in the output whatever the source kind or completion order.
  return out.flatMap((o) => o ?? []);
}

/** What is done beside collection for a target: issuer completion, then revocation checking. */
interface Beside {
  complete: ((obs: Observation) => Promise<Observation>) | null;
  revocation: RevocationObserver;
}

/**
 * Collects every target, handing each target's observations to `sink` as soon as they are in.
 * Beside collection (where the network reaches) the issuers servers do not send are fetched from
 * their caIssuers URLs, then revocation is checked, before the observations are handed on. Targets
 * whose inventory says `network: {fetch: false}` get an offline view of the fetcher: nothing is
 * fetched for them, and their findings say why (answers fetched for others are not shared with them).
 */
export async function collectInto(loaded: Loaded, opts: ScanOptions, sink: ObservationSink): Promise<void> {
  const now = opts.now ?? new Date();
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const given = opts.services?.[HTTP_FETCHER_SERVICE] as HttpFetcher | undefined;
  const fetcher = given ?? new Fetcher({ offline: opts.offline, timeoutMs });
  const logger = opts.logger ?? silentLogger;
  const ctx = collectContext({
    now,
    logger,
    timeoutMs,
    env: opts.env,
    inventory: loaded.inventory,
    services: { ...opts.services, [HTTP_FETCHER_SERVICE]: fetcher },
  });
  const besideWith = (f: HttpFetcher): Beside => ({
    complete: issuerCompleter(f, loaded.inventory.anchors.values(), timeoutMs),
    revocation: new RevocationObserver(loaded.inventory, { fetcher: f, now, timeoutMs }),
  });
  const online = besideWith(fetcher);
  let offline: Beside | null = null;
  const besideFor = (t: Target): Beside =>
    t.network?.fetch === false ? (offline ??= besideWith(new OfflineFetcher(NETWORK_FETCH_OFF))) : online;
  const checking: Promise<void>[] = [];
  const watch = opts.watch;
  const handOn = (t: Target, list: Observation[]): void => {
    sink(t, list);
    watch?.done(t.id);
  };
  const beside = async (t: Target, list: Observation[]): Promise<Observation[]> => {
    const { complete, revocation } = besideFor(t);
    const completed = complete ? await Promise.all(list.map(complete)) : list;
    return revocation.observe(t, completed);
  };
  watch?.start(loaded.targets.map((t) => t.id));
  try {
    await collectTargets(
      loaded.targets,
      ctx,
      { concurrency: opts.concurrency ?? 50, onProgress: opts.onProgress },
      (t, list) =>
        void checking.push(
          beside(t, list).then(
            (l) => handOn(t, l),
            (err: unknown) => {
              // Fetching beside collection must not lose the observations.
              logger.warn(
                `issuer or revocation check of ${t.id} failed: ${err instanceof Error ? err.message : String(err)}`,
              );
              handOn(t, list);
            },
          ),
        ),
    );
    await Promise.all(checking);
  } finally {
    watch?.end();
    if (!given) (fetcher as Fetcher).close();
  }
}

/** The repository's bundles as their files hold them now (read by the inventory); errors kept per bundle. */
export function readBundles(bundles: readonly Bundle[]): BundleContent[] {
  return bundles.map((bundle) => {
    try {
      return { bundle, certificates: readBundleFile(bundle) };
    } catch (err) {
      return { bundle, error: err instanceof Error ? err.message : String(err) };
    }
  });
}

/** Evaluates observations against the inventory and policies into the JSON report (contract schemaVersion 1). */
export function evaluate(loaded: Loaded, observations: Observation[], now: Date): Report {
  return evaluateObservations(loaded, observations, readBundles(loaded.inventory.bundles), now);
}

/** scan = load + collect + evaluate, evaluating each source as it answers (memory stays per source). */
export async function runScan(
  opts: ScanOptions & { keepObservations?: boolean },
): Promise<{ report: Report; exitCode: number; loaded: Loaded; observations: Observation[] }> {
  const now = opts.now ?? new Date();
  const loaded = await load(opts);
  const evaluator = new Evaluator(loaded, now);
  const kept: Observation[] = [];
  await collectInto(loaded, { ...opts, now }, (_t, list) => {
    for (const o of list) {
      evaluator.add(o);
      if (opts.keepObservations) kept.push(o);
    }
  });
  const report = evaluator.finish(readBundles(loaded.inventory.bundles));
  return { report, exitCode: exitCodeFor(report, opts.failOn ?? 'error'), loaded, observations: kept };
}
