// Progress while targets are collected, on stderr. On a terminal: a bar with done/total, an ETA
// while the estimate is ahead, and the targets still awaited (oldest first: with bounded
// concurrency the earliest unfinished targets are the ones that have been running longest). Anywhere
// else (CI logs, pipes): one plain line every 10 s naming the same, and nothing for a quick scan.
import { safeText } from '../core/text.js';

/** The part of a stream the bar needs (process.stderr fits). */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(s: string): unknown;
}

export interface Progress {
  /** Call with the number of finished items; `waiting` names the oldest unfinished ones. */
  update(done: number, total?: number, waiting?: WaitingFor): void;
  /** Clears the bar line. */
  finish(): void;
  readonly enabled: boolean;
}

/** The targets still awaited: the first few names (oldest first) and how many there are in all. */
export interface WaitingFor {
  names: string[];
  count: number;
}

export function clock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** "a, b, c and 4 more" */
export function waitingText(w: WaitingFor): string {
  const shown = w.names.map(safeText).join(', ');
  const more = w.count - w.names.length;
  return more > 0 ? `${shown} and ${more} more` : shown;
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
    update(done: number, t = total, waiting?: WaitingFor) {
      if (!enabled) return;
      const at = now();
      if (done < t && at - last < interval) return;
      last = at;
      const frac = t > 0 ? Math.min(1, done / t) : 1;
      const elapsed = at - started;
      const etaMs = done > 0 && done < t ? (elapsed / done) * (t - done) : null;
      const columns = stream.columns ?? 80;
      const names = done < t && waiting?.count ? waitingText(waiting).length + 26 : 0;
      const width = Math.max(10, Math.min(40, columns - 40 - names));
      const fill = Math.round(frac * width);
      const bar = '#'.repeat(fill) + '-'.repeat(width - fill);
      // An estimate that has run out says nothing: name what the scan waits for instead.
      const eta = done >= t ? 'done' : etaMs !== null && etaMs >= 1000 ? `ETA ${clock(etaMs)}` : null;
      let line = `${label} [${bar}] ${done}/${t} ${Math.floor(frac * 100)}%`;
      if (eta) line += ` ${eta}`;
      line += ` · ${clock(elapsed)} elapsed`;
      // what the scan waits for goes last but must be seen: the bar gives up width for it
      if (done < t && waiting?.count) line += ` · waiting for ${waitingText(waiting)}`;
      if (line.length > columns - 1) line = `${line.slice(0, Math.max(20, columns - 2))}…`;
      stream.write(`\r${line}\x1b[K`);
      drawn = true;
    },
    finish() {
      if (enabled && drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}

/** What the CLI's collection watcher writes to and how often (injectable for tests). */
export interface WatchOptions {
  stream: ProgressStream;
  /** A line every this many ms when the stream is not a terminal. */
  heartbeatMs?: number;
  /** Redraw the bar this often on a terminal, so elapsed time and names stay current. */
  tickMs?: number;
  now?: () => number;
}

/** How many pending targets a line names. */
const NAMED = 3;

/**
 * Watches collection: `start` with the target ids in order, `done` per target, `end` when over.
 * On a terminal it draws the bar; otherwise it writes a heartbeat line every `heartbeatMs`.
 */
export function createCollectWatch(opts: WatchOptions): {
  start(ids: readonly string[]): void;
  done(id: string): void;
  end(): void;
} {
  const now = opts.now ?? Date.now;
  const tty = Boolean(opts.stream.isTTY);
  const heartbeatMs = opts.heartbeatMs ?? 10_000;
  let ids: readonly string[] = [];
  const finished = new Set<string>();
  let cursor = 0; // ids before the cursor are all finished
  let started = 0;
  let bar: Progress | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;

  const waiting = (): WaitingFor => {
    while (cursor < ids.length && finished.has(ids[cursor]!)) cursor++;
    const names: string[] = [];
    for (let i = cursor; i < ids.length && names.length < NAMED; i++)
      if (!finished.has(ids[i]!)) names.push(ids[i]!);
    return { names, count: ids.length - finished.size };
  };
  const draw = () => bar?.update(finished.size, ids.length, waiting());
  const heartbeat = () => {
    const w = waiting();
    if (!w.count) return;
    opts.stream.write(
      `certwarden: ${finished.size}/${ids.length} target(s) collected after ${clock(now() - started)}; waiting for ${waitingText(w)}\n`,
    );
  };

  return {
    start(list) {
      ids = [...new Set(list)];
      started = now();
      if (!ids.length) return;
      if (tty) {
        bar = createProgress(ids.length, { stream: opts.stream, label: 'scanning', now });
        timer = setInterval(draw, opts.tickMs ?? 1000);
      } else {
        timer = setInterval(heartbeat, heartbeatMs);
      }
      timer.unref?.();
    },
    done(id) {
      finished.add(id);
      draw();
    },
    end() {
      if (timer) clearInterval(timer);
      timer = null;
      bar?.finish();
      bar = null;
    },
  };
}
