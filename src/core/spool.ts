// A spool: text set aside in a temp file while a long output is made (discover's YAML for a cluster
// of 100,000 objects), read back in chunks when it is placed after a head known only at the end.
// Written synchronously in batches (a few hundred KB each), so memory holds one batch at a time.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';

const CHUNK = 1024 * 1024;

export class Spool {
  private readonly dir: string;
  private readonly file: string;
  private fd: number | null;
  private bytes = 0;

  constructor() {
    this.dir = mkdtempSync(path.join(tmpdir(), 'certwarden-spool-'));
    this.file = path.join(this.dir, 'spool');
    this.fd = openSync(this.file, 'w+', 0o600);
  }

  /** Appends text. */
  write(text: string): void {
    if (this.fd === null) throw new Error('spool written after it was removed');
    const buf = Buffer.from(text, 'utf8');
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off, this.bytes + off);
    this.bytes += buf.length;
  }

  /** What was written, in order, a chunk (about 1 MB) at a time. */
  *chunks(): Generator<string> {
    if (this.fd === null) throw new Error('spool read after it was removed');
    const decoder = new StringDecoder('utf8');
    const buf = Buffer.alloc(Math.min(CHUNK, Math.max(1, this.bytes)));
    for (let pos = 0; pos < this.bytes;) {
      const n = readSync(this.fd, buf, 0, Math.min(buf.length, this.bytes - pos), pos);
      if (n <= 0) throw new Error('spool ended early');
      pos += n;
      const text = decoder.write(buf.subarray(0, n));
      if (text) yield text;
    }
    const rest = decoder.end();
    if (rest) yield rest;
  }

  /** Deletes the temp file (safe to call twice). */
  remove(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    rmSync(this.dir, { recursive: true, force: true });
  }
}
