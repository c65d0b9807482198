// The `validate` command's engine: load everything, report every problem, contact nothing.
import { formatProblem, type Problem } from '../core/errors.js';
import type { LoadedInventory } from './types.js';
import { loadInventoryWithProblems } from './load.js';

export interface ValidateOptions {
  env?: NodeJS.ProcessEnv;
  /** Names of the policy packs available (shipped + --policies); `policies` references are checked when given. */
  policyNames?: Iterable<string>;
  /** Locations name files relative to this folder when they are inside it (default: process.cwd()). */
  cwd?: string;
}

export interface ValidationResult {
  inventory: LoadedInventory;
  /** Sorted by file, line, column. Empty when valid. */
  problems: Problem[];
}

/** Schema, references, files, pins, no private keys. Never throws for bad input: problems are returned. */
export async function validateInventory(
  dirs: string[],
  opts: ValidateOptions = {},
): Promise<ValidationResult> {
  return loadInventoryWithProblems(dirs, opts);
}

/** One `FILE:LINE:COLUMN: error: MESSAGE` per line (empty string when there are no problems). */
export function formatProblems(problems: Problem[]): string {
  return problems.map((p) => `${formatProblem(p)}\n`).join('');
}

/** Exit code of `validate`: 0 valid, 2 invalid (the contract's configuration code). */
export function validateExitCode(result: ValidationResult): 0 | 2 {
  return result.problems.length ? 2 : 0;
}
