// Deadlines as AbortSignals: a source's work (a file read, a keystore's key derivation) stops when
// its deadline passes or the run is cancelled, and says which of the two happened.

const DEADLINE_BRAND = Symbol.for('certwarden.DeadlineError');

/** Work stopped because its deadline passed ('timeout') or the run was cancelled ('cancelled'). */
export class DeadlineError extends Error {
  static override [Symbol.hasInstance](x: unknown): boolean {
    return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[DEADLINE_BRAND] === true;
  }
  readonly [DEADLINE_BRAND] = true;
  constructor(
    readonly reason: 'timeout' | 'cancelled',
    message: string,
    /** For 'timeout': the deadline that passed, ms. */
    readonly timeoutMs?: number,
  ) {
    super(message);
    this.name = 'DeadlineError';
  }
}

/** A signal that aborts at `timeoutMs` or with `parent`; dispose() when the work is done. */
export interface Deadline {
  signal: AbortSignal;
  timeoutMs: number;
  dispose(): void;
}

/** Starts a deadline of `timeoutMs` from now, also ended by `parent` (the run's cancellation). */
export function startDeadline(timeoutMs: number, parent?: AbortSignal): Deadline {
  const ctl = new AbortController();
  const timer = setTimeout(
    () => ctl.abort(new DeadlineError('timeout', `the ${timeoutMs} ms deadline passed`, timeoutMs)),
    timeoutMs,
  );
  timer.unref?.();
  // An enclosing deadline that passes is this deadline passing too (its reason is kept).
  const onCancel = (): void => ctl.abort(parent ? deadlineReason(parent) : undefined);
  if (parent?.aborted) onCancel();
  else parent?.addEventListener('abort', onCancel, { once: true });
  return {
    signal: ctl.signal,
    timeoutMs,
    dispose: () => {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onCancel);
    },
  };
}

/** The DeadlineError an aborted signal stands for (its reason, or a cancellation). */
export function deadlineReason(signal: AbortSignal): DeadlineError {
  const r: unknown = signal.reason;
  return r instanceof DeadlineError ? r : new DeadlineError('cancelled', 'the run was cancelled');
}
