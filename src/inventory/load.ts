// Loads inventory folders into plain, validated data. Every problem (YAML, schema, references,
// files, pins, private keys) is collected with its FILE:LINE:COLUMN and thrown at once as a ConfigError.
//
// Which files count: every *.yaml / *.yml under each folder (recursively, sorted; hidden folders and
// node_modules skipped). A document whose `kind` is `Inventory` is an inventory. Documents of other
// kinds (Policy files, ConfigMap/Secret manifests referenced as bundles, kubeconfigs) are skipped,
// but still checked for private keys. A document without `kind` is an error when it looks like an
// inventory (certwarden apiVersion, or `targets` / `anchors` / `metadata` keys), else skipped.
//
// The phases: read and parse the files (load-documents.ts), check each document against the
// schema (schema.ts), check names and references (load-references.ts), read anchors and bundles
// (load-certificates.ts), then build the plain data (load-build.ts). Problems are sorted by place.
import type { ObservedCert } from '../core/model.js';
import { ConfigError, type Problem } from '../core/errors.js';
import type { Bundle, LoadedInventory, Zone } from './types.js';
import { schemaProblems } from './schema.js';
import { ReferencedFileError, readBundleCertificates } from './files.js';
import { readDocuments } from './load-documents.js';
import { checkReferences, collectDeclared, duplicates } from './load-references.js';
import { loadAnchors, loadBundles } from './load-certificates.js';
import { addZones, applyZoneProxies, buildDocument } from './load-build.js';
import { kubeconfigProblems } from './kubeconfig-check.js';

export interface LoadOptions {
  /** Environment: env-named settings (kubeconfigs) missing from it are warnings, never errors. */
  env?: NodeJS.ProcessEnv;
  /** Known policy pack names; when given, `policies` references are checked against them. */
  policyNames?: Iterable<string>;
  /** Locations name files relative to this folder when they are inside it (default: process.cwd()). */
  cwd?: string;
}

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

/** Loads everything it can and returns the problems instead of throwing (used by `validate`). */
export async function loadInventoryWithProblems(
  dirsOrFiles: string[],
  opts: LoadOptions = {},
): Promise<{ inventory: LoadedInventory; problems: Problem[] }> {
  const problems: Problem[] = [];
  const docs = await readDocuments(dirsOrFiles, opts.cwd ?? process.cwd(), problems);
  for (const d of docs) problems.push(...schemaProblems(d.doc));

  const declared = collectDeclared(docs);
  problems.push(...duplicates(declared));
  checkReferences(docs, declared, opts.policyNames, problems);

  const inventory: LoadedInventory = {
    inventories: [],
    anchors: new Map(),
    bundles: [],
    clusters: new Map(),
    targets: [],
  };
  const kubeconfigs = kubeconfigProblems(docs, opts.env ?? process.env);
  problems.push(...kubeconfigs.errors);
  if (kubeconfigs.warnings.length) inventory.warnings = kubeconfigs.warnings;
  loadAnchors(docs, inventory, problems);
  loadBundles(docs, inventory, problems);

  const zones = new Map<string, Zone>();
  // Zones first: a target may name a zone another file declares, and takes its settings.
  for (const d of docs) addZones(d, zones, problems);
  for (const d of docs) buildDocument(d, inventory, zones);
  applyZoneProxies(inventory, zones);
  if (zones.size) inventory.zones = zones;

  problems.sort(compareProblems);
  return { inventory, problems };
}

function compareProblems(a: Problem, b: Problem): number {
  const fa = a.location?.file ?? '';
  const fb = b.location?.file ?? '';
  if (fa !== fb) return fa < fb ? -1 : 1;
  return (
    (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.column ?? 0) - (b.location?.column ?? 0)
  );
}
