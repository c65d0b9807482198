// The small port every command takes from its face (the CLI or the action): the environment it reads
// (secrets the inventory names, GitHub variables) and where it logs. Commands print nothing else:
// they return results, and the face decides what to show.
import type { Logger } from '../core/logger.js';

/** What every command reads from its surroundings. */
export interface CommandEnv {
  /** Environment variables (kubeconfigs and passwords the inventory names by variable). */
  env: NodeJS.ProcessEnv;
  /** Progress and warnings while the command runs; default: silent. */
  logger?: Logger;
}

/** Receives lines a command hands out while it runs (a policy test listing, the demo's lab). */
export type LineSink = (line: string) => void;
