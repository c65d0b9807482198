// GitHub annotations as data: the action turns each into core.error/warning/notice with its
// properties. Messages are one line; file paths are relative to the repository root.
import path from 'node:path';
import type { Report, Severity } from '../core/model.js';

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  title: string;
  message: string;
  file?: string;
  startLine?: number;
  startColumn?: number;
}

export interface AnnotationOptions {
  /** Repository root for relative paths (default: the current directory). */
  root?: string;
  /** Most annotations returned, most severe first (default 50, GitHub shows no more per step). */
  limit?: number;
}

const LEVEL: Record<Severity, Annotation['level']> = { error: 'error', warning: 'warning', info: 'notice' };
const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function oneLine(s: string): string {
  return (
    String(s)
      .replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')
      // eslint-disable-next-line no-control-regex -- stripping control characters is the point
      .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
  );
}

/** Annotation data for the open (not waived) findings, most severe first. */
export function toAnnotations(report: Report, opts: AnnotationOptions = {}): Annotation[] {
  const root = opts.root ?? process.cwd();
  const inv = new Map(report.targets.map((t) => [t.id, t.inventory]));
  const open = report.findings.filter((f) => !f.waived).sort((a, b) => RANK[a.severity] - RANK[b.severity]);
  return open.slice(0, opts.limit ?? 50).map((f) => {
    const loc = f.location ?? (inv.has(f.target) ? { ...inv.get(f.target)!, column: 1 } : null);
    const a: Annotation = {
      level: LEVEL[f.severity],
      title: oneLine(
        `certwarden ${f.rule && f.rule !== f.check ? `${f.check}/${f.rule}` : f.check}: ${f.target}`,
      ).slice(0, 200),
      message: oneLine(f.message),
    };
    if (loc?.file) {
      const rel = path.isAbsolute(loc.file) ? path.relative(root, loc.file) : loc.file;
      a.file = (rel && !rel.startsWith('..') ? rel : loc.file).split(path.sep).join('/');
      a.startLine = Math.max(1, loc.line);
      if (loc.column) a.startColumn = loc.column;
    }
    return a;
  });
}
