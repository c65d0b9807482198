// A file that cannot be read as an observation, shared by the kinds that read files from disk
// (file, kubeconfig): a missing or forbidden file is `unreachable`, a refused or unparsable one an
// `error`, each with a typed reason.
import type { Observation } from '../core/model.js';
import type { CollectContext } from './types.js';
import type { Target } from '../inventory/types.js';
import { FileRefusedError } from '../x509/read.js';
import { ParseError } from '../core/errors.js';
import { DeadlineError } from '../core/deadline.js';

/** Turns a read failure into a typed observation (never thrown: a failing source is a finding). */
export function failedObservation(
  target: Target,
  ctx: CollectContext,
  source: Observation['source'],
  err: unknown,
): Observation {
  const e = err as NodeJS.ErrnoException;
  let status: Observation['status'] = 'error';
  let reason = 'io';
  let message = e instanceof Error ? e.message : String(e);
  if (e?.code === 'ENOENT') {
    status = 'unreachable';
    reason = 'not-found';
    message = `file not found: ${e.path ?? ''}`;
  } else if (e?.code === 'EACCES' || e?.code === 'EPERM') {
    status = 'unreachable';
    reason = 'forbidden';
    message = `permission denied: ${e.path ?? ''}`;
  } else if (e?.code === 'EISDIR') {
    reason = 'not-regular';
    message = `not a regular file: a folder: ${e.path ?? ''}`;
  } else if (err instanceof FileRefusedError) {
    reason = err.reason;
  } else if (err instanceof DeadlineError) {
    reason = err.reason;
  } else if (err instanceof ParseError) {
    reason = ['private-key', 'password', 'limit'].includes(err.kind) ? err.kind : 'parse';
  }
  return {
    target: target.id,
    source,
    collectedAt: ctx.now.toISOString(),
    status,
    error: { reason, message },
    certificates: [],
    trustStore: null,
  };
}
