// JSON files a user points us at (`sync --report`, `evaluate --observations`): read through
// core/safe-read (no FIFO, no device, a size cap), and a file that is not JSON is told by line,
// column and kind — never quoted, since the path may well name a kubeconfig or a token file.
import { ConfigError } from './errors.js';
import { parseJsonText } from './input-errors.js';
import { readFailure, safeReadTextSync, type FileKind } from './safe-read.js';

/** The parsed JSON of a report or observations file; a ConfigError naming the file and the problem otherwise. */
export function readJsonFileSync(
  file: string,
  kind: Extract<FileKind, 'report' | 'observations'>,
  what: string,
): unknown {
  let text: string;
  try {
    text = safeReadTextSync(file, { kind });
  } catch (e) {
    throw new ConfigError(`${file}: not a readable ${what} (${readFailure(e)})`);
  }
  const r = parseJsonText(text, file);
  if ('value' in r) return r.value;
  const where = r.problem.location ? '' : `${file}: `;
  throw new ConfigError([{ ...r.problem, message: `${where}not a readable ${what}: ${r.problem.message}` }]);
}
