// Observations written by `certwarden collect` and read back by `certwarden evaluate`: zones collect,
// one job evaluates. Plain JSON (contract: kind certwarden/observations, schemaVersion 1).
import type { Observation } from '../core/model.js';
import { ConfigError } from '../core/errors.js';
import { readJsonFileSync } from '../core/json-file.js';

export interface ObservationsFile {
  schemaVersion: 1;
  kind: 'certwarden/observations';
  tool: { name: 'certwarden'; version: string };
  collectedAt: string;
  zone: string | null;
  observations: Observation[];
}

/** Reads an observations file; anything else is a configuration error naming the file. */
export function readObservationsFile(file: string): ObservationsFile {
  const d = readJsonFileSync(file, 'observations', 'observations file') as Partial<ObservationsFile>;
  if (d?.kind !== 'certwarden/observations' || d.schemaVersion !== 1 || !Array.isArray(d.observations)) {
    throw new ConfigError(
      `${file}: expected a certwarden observations file (kind: certwarden/observations, schemaVersion: 1), as written by 'certwarden collect'`,
    );
  }
  return d as ObservationsFile;
}
