// What the action's modes take from the runner and give back to main.ts.
import type { Problem } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Annotation } from '../report/annotations.js';
import type { ActionEvent } from './event.js';
import type { Inputs } from './inputs.js';

/** What the modes need from the runner (io.ts adapts @actions/core, so no mode imports @actions/*). */
export interface ActionIO {
  logger: Logger;
  /** An error annotation on a file line (validate problems). */
  annotate(p: Problem): void;
  /** One annotation for a finding (error, warning or notice) at its inventory line. */
  annotateFinding(a: Annotation): void;
  /** Masks a value in the log from now on. */
  secret(value: string): void;
  env: NodeJS.ProcessEnv;
  /** The workflow event (pull request, base branch, repository). */
  event: ActionEvent;
}

export interface ModeResult {
  outputs: Record<string, string>;
  summary: string | null;
  /** Set when the step must fail; the message says what to fix. */
  failure: string | null;
}

export type ModeFn = (inputs: Inputs, io: ActionIO) => Promise<ModeResult>;
