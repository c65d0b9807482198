// Shared helpers for the certificate tests: temp folders and the real openssl/keytool binaries.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class TempDir {
  readonly path = mkdtempSync(join(tmpdir(), 'certwarden-certs-'));
  file(name: string): string {
    return join(this.path, name);
  }
  write(name: string, data: string | Uint8Array): string {
    const p = this.file(name);
    writeFileSync(p, data);
    return p;
  }
  read(name: string): Buffer {
    return readFileSync(this.file(name));
  }
  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

/** Runs openssl with arguments (no shell); returns stdout. */
export function openssl(args: string[], cwd?: string): Buffer {
  return execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs keytool with arguments (no shell). */
export function keytool(args: string[], cwd?: string): Buffer {
  return execFileSync('keytool', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}
