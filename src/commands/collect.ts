// `collect`: the first half of scan. Collects what each target presents and writes the observations
// as JSON for `evaluate` to judge later (one job per network zone, say).
import { VERSION } from '../core/version.js';
import { collect as collectAll, load, type ScanOptions } from '../pipeline.js';
import type { ObservationsFile } from '../sources/observations-file.js';
import type { LoadedInventory } from '../inventory/types.js';
import { emitText } from './report-output.js';

export interface CollectCommandOptions extends Omit<ScanOptions, 'format' | 'output' | 'failOn'> {
  /** Absolute file for the observations JSON; none: the text is returned for the face to print. */
  output?: string;
}

export interface CollectCommandResult {
  exitCode: 0;
  file: ObservationsFile;
  /** Targets collected (after zone/target filters). */
  targets: number;
  /** The observations file as written (one JSON line). */
  text: string;
  written: string | null;
  /** The loaded inventory (the action masks the secrets it names). */
  inventory: LoadedInventory;
}

export async function collect(opts: CollectCommandOptions): Promise<CollectCommandResult> {
  const loaded = await load(opts);
  const now = opts.now ?? new Date();
  const observations = await collectAll(loaded, { ...opts, now });
  const file: ObservationsFile = {
    schemaVersion: 1,
    kind: 'certwarden/observations',
    tool: { name: 'certwarden', version: VERSION },
    collectedAt: now.toISOString(),
    zone: opts.zone ?? null,
    observations,
  };
  const text = JSON.stringify(file) + '\n';
  return {
    exitCode: 0,
    file,
    targets: loaded.targets.length,
    text,
    written: await emitText(text, opts.output),
    inventory: loaded.inventory,
  };
}

/** The line both faces log after collecting. */
export function describeCollect(r: CollectCommandResult): string {
  return `collected ${r.file.observations.length} observation(s) from ${r.targets} target(s)`;
}
