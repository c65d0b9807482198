// Output files (reports, observations) are written whole or not at all.
import { writeFile, rename } from 'node:fs/promises';
import path from 'node:path';

/** Writes a file atomically (temp + rename) so a failed run never leaves half a report. */
export async function writeAtomic(file: string, data: string): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  await writeFile(tmp, data);
  await rename(tmp, file);
}
