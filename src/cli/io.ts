// Where the CLI writes: the process's streams, or a capture in tests. Commands never see this; the
// CLI hands them a logger on stderr and prints their results.
import path from 'node:path';
import type { Logger } from '../core/logger.js';
import type { CollectWatch } from '../pipeline.js';
import { safeText } from '../core/text.js';

/** Where the CLI writes; tests pass their own. */
export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** Width of the terminal stderr is on (progress bar), when it is one. */
  stderrColumns?: number;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export function processIO(): CliIO {
  return {
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    ...(process.stderr.columns ? { stderrColumns: process.stderr.columns } : {}),
    env: process.env,
    cwd: process.cwd(),
  };
}

/** The one stderr line after a file is written: what, where (relative to cwd when inside it), and a count. */
export function describeWritten(what: string, file: string, cwd: string, detail?: string): string {
  const rel = path.relative(cwd, file);
  const shown = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
  return `wrote the ${what} to ${safeText(shown)}${detail ? ` (${detail})` : ''}`;
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

/**
 * Progress on stderr while targets are collected: a bar on a terminal, a heartbeat line every 10 s
 * elsewhere (CI logs); none with --quiet.
 */
export async function progressFor(io: CliIO, quiet: boolean): Promise<CollectWatch | undefined> {
  if (quiet) return undefined;
  const { createCollectWatch } = await import('./progress.js');
  return createCollectWatch({
    stream: {
      isTTY: io.stderrIsTTY,
      ...(io.stderrColumns ? { columns: io.stderrColumns } : {}),
      write: io.stderr,
    },
  });
}
