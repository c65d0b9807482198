// Temp folders and files for tests; everything under one os.tmpdir() folder, removed by cleanup().
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';

export class TempDir {
  readonly dir: string;
  constructor(prefix = 'certwarden-test-') {
    this.dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  }
  /** Writes a file (folders created); objects are written as YAML. Returns the absolute path. */
  write(rel: string, content: string | Buffer | object): string {
    const p = path.join(this.dir, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, typeof content === 'string' || Buffer.isBuffer(content) ? content : stringify(content));
    return p;
  }
  path(rel: string): string {
    return path.join(this.dir, rel);
  }
  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
