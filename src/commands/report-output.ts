// Where a command's report goes: rendered in one format each, written atomically to a file or handed
// back as text for the face to print. Shared by scan, evaluate and sync.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Report } from '../core/model.js';
import { writeAtomic } from '../core/write-atomic.js';
import type { OutputFormat } from '../pipeline.js';
import { render } from '../report/index.js';

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

/** A report rendered: written to `file`, or `file` null and the text to print. */
export interface RenderedReport {
  format: OutputFormat;
  file: string | null;
  text: string;
}

/** Renders and writes each output in order. */
export async function emitReports(report: Report, outputs: ReportOutput[]): Promise<RenderedReport[]> {
  const done: RenderedReport[] = [];
  for (const o of outputs) {
    const text = await render(o.format, report, {
      ...(o.color !== undefined ? { color: o.color } : {}),
      ...(o.runUrl !== undefined ? { runUrl: o.runUrl } : {}),
    });
    if (o.file) {
      if (o.mkdir) await mkdir(path.dirname(o.file), { recursive: true });
      await writeAtomic(o.file, text);
    }
    done.push({ format: o.format, file: o.file ?? null, text });
  }
  return done;
}

/** Writes text to a file atomically, or hands it back: the one output of collect and discover. */
export async function emitText(text: string, file: string | undefined): Promise<string | null> {
  if (!file) return null;
  await writeAtomic(file, text);
  return file;
}
