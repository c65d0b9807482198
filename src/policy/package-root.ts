// Where the package is installed: the folder holding certwarden's package.json, found by walking up
// from this module (src/policy/ under tsx, dist/ in the bundle), so shipped files resolve either way.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | null = null;

/** The package root (folder with certwarden's package.json). */
function packageRoot(from: string = import.meta.url): string {
  if (cached && from === import.meta.url) return cached;
  let dir = path.dirname(fileURLToPath(from));
  for (;;) {
    const pj = path.join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        if ((JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === 'certwarden') break;
      } catch {
        // not ours; keep walking
      }
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find certwarden's package.json above ${fileURLToPath(from)}`);
    dir = up;
  }
  if (from === import.meta.url) cached = dir;
  return dir;
}

/** The folder of the shipped policy packs. */
export function shippedPoliciesDir(): string {
  return path.join(packageRoot(), 'policies');
}
