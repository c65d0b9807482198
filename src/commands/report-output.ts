// Where a command's report goes: rendered in one format each, written atomically to a file or handed
// back as text for the face to print. Shared by scan, evaluate and sync.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../core/errors.js';
import type { Report } from '../core/model.js';
import { writeAtomicPieces } from '../core/write-atomic.js';
import type { OutputFormat } from '../pipeline.js';
import { render, renderPieces } from '../report/index.js';

/** One rendering of the report. */
export interface ReportOutput {
  format: OutputFormat;
  /** Absolute file to write (whole or not at all); none: the text is returned for the face to print. */
  file?: string;
  /** Create the file's folder first (the action); otherwise a missing folder is an error (the CLI). */
  mkdir?: boolean;
  /** ANSI colours (text format). */
  color?: boolean;
  /** Link to the workflow run (markdown format). */
  runUrl?: string;
}

/** A report rendered: written to `file` (text null: it was written in pieces), or `file` null and the text to print. */
export interface RenderedReport {
  format: OutputFormat;
  file: string | null;
  text: string | null;
}

/** Renders and writes each output in order; `scanSeconds`: how long the scan took, when measured. */
export async function emitReports(
  report: Report,
  outputs: ReportOutput[],
  run: { scanSeconds?: number } = {},
): Promise<RenderedReport[]> {
  const done: RenderedReport[] = [];
  for (const o of outputs) {
    const opts = {
      ...(o.color !== undefined ? { color: o.color } : {}),
      ...(o.runUrl !== undefined ? { runUrl: o.runUrl } : {}),
      ...(run.scanSeconds !== undefined ? { scanSeconds: run.scanSeconds } : {}),
    };
    if (o.file) {
      if (o.mkdir) await mkdir(path.dirname(o.file), { recursive: true });
      // In pieces: a large report is never one string in memory.
      await writeOutput(o.file, renderPieces(o.format, report, opts));
      done.push({ format: o.format, file: o.file, text: null });
    } else done.push({ format: o.format, file: null, text: await render(o.format, report, opts) });
  }
  return done;
}

/** Writes text to a file atomically, or hands it back: the one output of collect and discover. */
export async function emitText(text: string, file: string | undefined): Promise<string | null> {
  if (!file) return null;
  await writeOutput(file, text);
  return file;
}

/** Written atomically, with a missing or unwritable folder said plainly as a configuration error (exit 2). */
export async function writeOutput(
  file: string,
  text: string | Iterable<string> | AsyncIterable<string>,
): Promise<void> {
  try {
    await writeAtomicPieces(file, typeof text === 'string' ? [text] : text);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const dir = path.dirname(file);
    if (code === 'ENOENT') throw new ConfigError(`cannot write ${file}: the folder ${dir} does not exist`);
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
      throw new ConfigError(`cannot write ${file}: no permission to write in ${dir}`);
    if (code === 'ENOTDIR') throw new ConfigError(`cannot write ${file}: ${dir} is not a folder`);
    if (code === 'EISDIR') throw new ConfigError(`cannot write ${file}: that is a folder`);
    throw err;
  }
}
