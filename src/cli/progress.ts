// A progress bar for long scans: done/total and ETA, on stderr, only when stderr is a terminal.
// Anywhere else (CI logs, pipes) it stays silent so output remains clean and machine-readable.

/** The part of a stream the bar needs (process.stderr fits). */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(s: string): unknown;
}

export interface Progress {
  /** Call with the number of finished items (mapLimit's onDone fits). */
  update(done: number, total?: number): void;
  /** Clears the bar line. */
  finish(): void;
  readonly enabled: boolean;
}

function clock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** A bar on `stream` (default stderr); redraws at most every `intervalMs`. `now` is injectable for tests. */
export function createProgress(
  total: number,
  opts: { stream?: ProgressStream; label?: string; now?: () => number; intervalMs?: number } = {},
): Progress {
  const stream = opts.stream ?? process.stderr;
  const now = opts.now ?? Date.now;
  const enabled = Boolean(stream.isTTY) && total > 0;
  const started = now();
  const interval = opts.intervalMs ?? 100;
  let last = -Infinity;
  let drawn = false;
  const label = opts.label ?? 'scanning';
  return {
    enabled,
    update(done: number, t = total) {
      if (!enabled) return;
      const at = now();
      if (done < t && at - last < interval) return;
      last = at;
      const frac = t > 0 ? Math.min(1, done / t) : 1;
      const elapsed = at - started;
      const eta = done > 0 && done < t ? clock((elapsed / done) * (t - done)) : done >= t ? 'done' : '?';
      const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - 50));
      const fill = Math.round(frac * width);
      const bar = '#'.repeat(fill) + '-'.repeat(width - fill);
      stream.write(`\r${label} [${bar}] ${done}/${t} ${Math.floor(frac * 100)}% ETA ${eta}\x1b[K`);
      drawn = true;
    },
    finish() {
      if (enabled && drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}
