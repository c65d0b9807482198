// Output files (reports, observations, discovered inventory) are written whole or not at all.
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

function tempFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
}

/** Bytes gathered before a write: few system calls, and memory bounded whatever the file's size. */
const FLUSH_AT = 256 * 1024;

/**
 * A file written piece by piece and still whole or not at all: pieces go to a temp file beside it,
 * `commit()` renames it into place, `abort()` (or any failed write) removes it. Memory stays at one
 * buffer whatever the file's size (a JSON report of 100,000 targets is hundreds of MB).
 */
export class AtomicWriter {
  private pending: string[] = [];
  private pendingBytes = 0;
  private closed = false;

  private constructor(
    readonly file: string,
    private readonly tmp: string,
    private readonly fh: FileHandle,
  ) {}

  /** Opens the temp file; fails (ENOENT, EACCES…) as writeAtomic would if the folder is wrong. */
  static async open(file: string): Promise<AtomicWriter> {
    const tmp = tempFor(file);
    return new AtomicWriter(file, tmp, await open(tmp, 'w'));
  }

  /** Adds text; written out once enough has gathered. */
  async write(text: string): Promise<void> {
    if (this.closed) throw new Error(`${this.file}: written after it was closed`);
    this.pending.push(text);
    this.pendingBytes += text.length;
    if (this.pendingBytes >= FLUSH_AT) await this.flush();
  }

  private async flush(): Promise<void> {
    if (!this.pending.length) return;
    const chunk = this.pending.join('');
    this.pending = [];
    this.pendingBytes = 0;
    await this.fh.writeFile(chunk);
  }

  /** Writes what is left and puts the file in place. */
  async commit(): Promise<void> {
    try {
      await this.flush();
      this.closed = true;
      await this.fh.close();
      await rename(this.tmp, this.file);
    } catch (err) {
      await this.abort();
      throw err;
    }
  }

  /** Drops the temp file: the destination keeps what it had. */
  async abort(): Promise<void> {
    this.pending = [];
    if (!this.closed) {
      this.closed = true;
      await this.fh.close().catch(() => undefined);
    }
    await unlink(this.tmp).catch(() => undefined);
  }
}

/**
 * Writes every piece of `pieces` to `file` atomically (see AtomicWriter): a failed run never leaves
 * half a report, nor its temp file.
 */
export async function writeAtomicPieces(
  file: string,
  pieces: Iterable<string> | AsyncIterable<string>,
): Promise<void> {
  const w = await AtomicWriter.open(file);
  try {
    for await (const piece of pieces) await w.write(piece);
  } catch (err) {
    await w.abort();
    throw err;
  }
  await w.commit();
}
