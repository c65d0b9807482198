// Reporters by format. An unknown format is a configuration error listing the valid ones.
import type { Report } from '../core/model.js';
import { ConfigError } from '../core/errors.js';
import { toText } from './text.js';

export interface RenderOptions {
  color?: boolean;
  /** Link for the markdown summary's details (e.g. the workflow run). */
  runUrl?: string;
  /** How long the scan took, when measured (prometheus: certwarden_scan_duration_seconds). */
  scanSeconds?: number;
}

const reporters: Record<string, (r: Report, o: RenderOptions) => Promise<string>> = {
  text: async (r, o) => toText(r, { color: o.color }),
  json: async (r) => JSON.stringify(r, null, 2) + '\n',
  sarif: async (r) => JSON.stringify((await import('./sarif.js')).toSarif(r, {}), null, 2) + '\n',
  markdown: async (r, o) => (await import('./markdown.js')).toMarkdown(r, { runUrl: o.runUrl }),
  prometheus: async (r, o) =>
    (await import('./prometheus.js')).toPrometheus(
      r,
      o.scanSeconds !== undefined ? { scanSeconds: o.scanSeconds } : {},
    ),
};

export const formats = Object.keys(reporters);

export function render(format: string, report: Report, opts: RenderOptions = {}): Promise<string> {
  const fn = reporters[format];
  if (!fn) throw new ConfigError(`unknown format '${format}' (valid: ${formats.join(', ')})`);
  return fn(report, opts);
}

/**
 * The same text as render(), in pieces for a file: the JSON report is made element by element (a
 * report of 100,000 targets is never one string); the other formats come whole.
 */
export async function* renderPieces(
  format: string,
  report: Report,
  opts: RenderOptions = {},
): AsyncGenerator<string> {
  if (format === 'json') yield* (await import('./json.js')).jsonReportPieces(report);
  else yield await render(format, report, opts);
}
