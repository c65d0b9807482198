// `validate`: load every inventory file and policy pack; every problem is thrown at once as one
// ConfigError (FILE:LINE:COLUMN each). Nothing is contacted.
import type { ScanOptions, Loaded } from '../pipeline.js';
import { load } from '../pipeline.js';

/** What to load: the folders, and the zone/target filters a scan would apply (unknown ones are problems). */
export type ValidateOptions = Pick<
  ScanOptions,
  'inventoryDirs' | 'policyDirs' | 'env' | 'logger' | 'zone' | 'targets'
>;

/** What a valid inventory holds. */
export interface ValidateCounts {
  inventories: number;
  targets: number;
  anchors: number;
  bundles: number;
}

export interface ValidateResult {
  exitCode: 0;
  counts: ValidateCounts;
  /** The loaded inventory and policies (the action masks the secrets it names). */
  loaded: Loaded;
}

/** Loads and checks; throws ConfigError listing every problem (exit 2). */
export async function validate(opts: ValidateOptions): Promise<ValidateResult> {
  const loaded = await load(opts);
  const inv = loaded.inventory;
  return {
    exitCode: 0,
    counts: {
      inventories: inv.inventories.length,
      targets: inv.targets.length,
      anchors: inv.anchors.size,
      bundles: inv.bundles.length,
    },
    loaded,
  };
}

/** The one line both faces print for a valid inventory. */
export function describeValidation(c: ValidateCounts): string {
  return `valid: ${c.inventories} inventory file(s), ${c.targets} target(s), ${c.anchors} anchor(s), ${c.bundles} bundle(s)`;
}
