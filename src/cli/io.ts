// Where the CLI writes: the process's streams, or a capture in tests. Commands never see this; the
// CLI hands them a logger on stderr and prints their results.
import type { Logger } from '../core/logger.js';

/** Where the CLI writes; tests pass their own. */
export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export function processIO(): CliIO {
  return {
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    env: process.env,
    cwd: process.cwd(),
  };
}

/** A Logger writing to the CLI's stderr: info as is, warnings and errors prefixed. */
export function ioLogger(io: Pick<CliIO, 'stderr'>): Logger {
  return {
    debug: () => {},
    info: (m) => io.stderr(`${m}\n`),
    warn: (m) => io.stderr(`warning: ${m}\n`),
    error: (m) => io.stderr(`error: ${m}\n`),
  };
}

/** A progress bar on stderr while targets are collected; none when quiet or stderr is not a terminal. */
export async function progressFor(
  io: CliIO,
  quiet: boolean,
): Promise<((done: number, total: number) => void) | undefined> {
  if (quiet || !io.stderrIsTTY) return undefined;
  const { createProgress } = await import('./progress.js');
  let bar: ReturnType<typeof createProgress> | null = null;
  return (done, total) => {
    bar ??= createProgress(total, { stream: { isTTY: io.stderrIsTTY, write: io.stderr }, label: 'scanning' });
    bar.update(done, total);
    if (done >= total) bar.finish();
  };
}
