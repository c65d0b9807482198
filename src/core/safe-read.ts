// The one way certwarden opens a file it reads: stat first (the final target, symlinks followed),
// refuse anything but a regular file before opening it (a FIFO would block, /dev/zero never ends),
// a size cap per kind of file, at most that many bytes read (a file that grows is refused), and —
// for the async form — a deadline, so a read stuck in the kernel cannot hold the run.
import {
  closeSync,
  constants as fsConstants,
  fstatSync,
  openSync,
  readSync,
  realpathSync,
  statSync,
  type Stats,
} from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { deadlineReason, startDeadline } from './deadline.js';

const MIB = 1024 * 1024;

/** What a file is to certwarden: it decides the size cap and how refusals name it. */
export type FileKind =
  'certificate' | 'kubeconfig' | 'inventory' | 'policy' | 'renewal' | 'report' | 'observations';

interface KindSpec {
  /** Plural for "certwarden reads … from regular files only". */
  plural: string;
  /** For "the N MiB cap for …". */
  label: string;
  maxBytes: number;
}

/**
 * Caps per kind, far above what real files reach and far below what hurts: the Mozilla bundle is
 * ~220 KiB; a kubeconfig with embedded certificates a few KiB; a renewal request under 2 KiB; a
 * JSON report or observations file of 10,000 certificates about 30 MiB.
 */
export const FILE_KINDS: Record<FileKind, KindSpec> = {
  certificate: { plural: 'certificates', label: 'certificate files', maxBytes: 16 * MIB },
  kubeconfig: { plural: 'kubeconfigs', label: 'kubeconfig files', maxBytes: 4 * MIB },
  inventory: { plural: 'inventory files', label: 'inventory files', maxBytes: 8 * MIB },
  policy: { plural: 'policy files', label: 'policy files', maxBytes: 4 * MIB },
  renewal: { plural: 'renewal requests', label: 'renewal request files', maxBytes: 1 * MIB },
  report: { plural: 'JSON reports', label: 'JSON reports', maxBytes: 64 * MIB },
  observations: { plural: 'observations files', label: 'observations files', maxBytes: 64 * MIB },
};

/** Deadline for reads that belong to no source (configuration, reports): generous, but finite. */
export const CONFIG_READ_TIMEOUT_MS = 30_000;

const REFUSED_BRAND = Symbol.for('certwarden.FileRefusedError');

/** Why a path was not read: not a regular file, bigger than the cap, outside its folder, or the deadline passed. */
export class FileRefusedError extends Error {
  static override [Symbol.hasInstance](x: unknown): boolean {
    return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[REFUSED_BRAND] === true;
  }
  readonly [REFUSED_BRAND] = true;
  constructor(
    readonly reason: 'not-regular' | 'too-large' | 'outside' | 'timeout' | 'cancelled',
    readonly path: string,
    message: string,
    /** For 'not-regular': what the path is ('a FIFO (named pipe)', 'a folder' …). */
    readonly fileKind?: string,
  ) {
    super(message);
    this.name = 'FileRefusedError';
  }
}

export interface SafeReadOptions {
  kind: FileKind;
  /** Size cap; default the kind's. */
  maxBytes?: number;
  /** Refuse a path whose real location (every symlink resolved) is not inside this folder. */
  within?: string;
}

export interface SafeReadAsyncOptions extends SafeReadOptions {
  /** Hard deadline for stat + open + read, ms. */
  timeoutMs: number;
  /** Aborts the read (the run is cancelled). */
  signal?: AbortSignal;
}

// O_NONBLOCK: opening a FIFO that slipped past stat (swapped in between) returns at once.
const OPEN_FLAGS = fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0);
const CHUNK = 64 * 1024;

function mib(n: number): string {
  return `${(n / MIB).toFixed(n % MIB === 0 ? 0 : 1)} MiB`;
}

function typeOf(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isDirectory()) return 'a folder';
  return 'not a plain file';
}

function capOf(opts: SafeReadOptions): number {
  return opts.maxBytes ?? FILE_KINDS[opts.kind].maxBytes;
}

/** Refuses anything but a regular file no bigger than the cap (judged from stat, before any open). */
function checkStat(file: string, st: Stats, opts: SafeReadOptions): void {
  if (!st.isFile())
    throw new FileRefusedError(
      'not-regular',
      file,
      `not a regular file: ${typeOf(st)}; certwarden reads ${FILE_KINDS[opts.kind].plural} from regular files only`,
      typeOf(st),
    );
  if (st.size > capOf(opts)) throw tooLarge(file, `${st.size} bytes`, opts);
}

function tooLarge(file: string, size: string, opts: SafeReadOptions): FileRefusedError {
  return new FileRefusedError(
    'too-large',
    file,
    `file is ${size}, larger than the ${mib(capOf(opts))} cap for ${FILE_KINDS[opts.kind].label}`,
  );
}

function checkWithin(file: string, real: string, root: string): void {
  const rel = path.relative(root, real);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel))
    throw new FileRefusedError(
      'outside',
      file,
      `refused: the file resolves (through a symbolic link) to a place outside ${root}`,
    );
}

/** Chunks read so far; a byte past the cap (a file that grew after stat, a /proc file) is a refusal. */
class BoundedBytes {
  private chunks: Buffer[] = [];
  private total = 0;
  private buf = Buffer.allocUnsafe(CHUNK);
  constructor(
    private readonly file: string,
    private readonly opts: SafeReadOptions,
  ) {}
  /** The buffer to read the next chunk into. */
  next(): Buffer {
    this.buf = Buffer.allocUnsafe(CHUNK);
    return this.buf;
  }
  /** Keeps `n` bytes of the last chunk; false at end of file. */
  add(n: number): boolean {
    if (n === 0) return false;
    this.total += n;
    const max = capOf(this.opts);
    if (this.total > max) throw tooLarge(this.file, `more than ${max} bytes`, this.opts);
    this.chunks.push(this.buf.subarray(0, n));
    return true;
  }
  bytes(): Buffer {
    return Buffer.concat(this.chunks, this.total);
  }
}

/**
 * Checks a file that another library will open (a kubeconfig's client key for the HTTPS agent):
 * a regular file within the cap. Throws FileRefusedError, or the I/O error (ENOENT …).
 */
export function checkReadableFile(file: string, opts: SafeReadOptions): void {
  checkStat(file, statSync(file), opts);
  if (opts.within) checkWithin(file, realpathSync(file), realpathSync(opts.within));
}

/**
 * Reads a file synchronously: stat first (a FIFO or device is refused before it is opened, so
 * nothing blocks), then at most the cap. I/O errors (ENOENT, EACCES …) are thrown as they come;
 * refusals are FileRefusedErrors.
 */
export function safeReadSync(file: string, opts: SafeReadOptions): Buffer {
  checkReadableFile(file, opts);
  const fd = openSync(file, OPEN_FLAGS);
  try {
    checkStat(file, fstatSync(fd), opts);
    const acc = new BoundedBytes(file, opts);
    while (acc.add(readSync(fd, acc.next(), 0, CHUNK, null)));
    return acc.bytes();
  } finally {
    closeSync(fd);
  }
}

/** safeReadSync as UTF-8 text. */
export function safeReadTextSync(file: string, opts: SafeReadOptions): string {
  return safeReadSync(file, opts).toString('utf8');
}

/**
 * Reads a file with the same protections, bounded by a deadline: settles exactly once, with the
 * bytes or an error, by `timeoutMs` at the latest (a read stuck in the kernel is left behind and its
 * handle closed when it returns).
 */
export function safeRead(file: string, opts: SafeReadAsyncOptions): Promise<Buffer> {
  const deadline = startDeadline(opts.timeoutMs, opts.signal);
  return new Promise<Buffer>((resolve, reject) => {
    const onAbort = (): void => {
      const why = deadlineReason(deadline.signal);
      reject(
        why.reason === 'timeout'
          ? new FileRefusedError(
              'timeout',
              file,
              `reading took longer than the ${why.timeoutMs ?? opts.timeoutMs} ms deadline`,
            )
          : new FileRefusedError('cancelled', file, 'the run was cancelled'),
      );
    };
    if (deadline.signal.aborted) return onAbort();
    deadline.signal.addEventListener('abort', onAbort, { once: true });
    readBounded(file, opts, deadline.signal)
      .then(resolve, reject)
      .finally(() => {
        deadline.signal.removeEventListener('abort', onAbort);
        deadline.dispose();
      });
  });
}

/** safeRead as UTF-8 text. */
export async function safeReadText(file: string, opts: SafeReadAsyncOptions): Promise<string> {
  return (await safeRead(file, opts)).toString('utf8');
}

async function readBounded(file: string, opts: SafeReadOptions, signal: AbortSignal): Promise<Buffer> {
  checkStat(file, await stat(file), opts);
  if (opts.within) checkWithin(file, await realpath(file), await realpath(opts.within));
  if (signal.aborted) return Buffer.alloc(0); // already settled by the deadline; nothing to read
  const fh = await open(file, OPEN_FLAGS);
  try {
    checkStat(file, await fh.stat(), opts);
    const acc = new BoundedBytes(file, opts);
    while (!signal.aborted && acc.add((await fh.read(acc.next(), 0, CHUNK, null)).bytesRead));
    return acc.bytes();
  } finally {
    await fh.close();
  }
}

/**
 * Why a file could not be read, in words and without its content: a refusal's own message, or the
 * I/O error's meaning (`not found`, `permission denied` …).
 */
export function readFailure(err: unknown): string {
  if (err instanceof FileRefusedError) return err.message;
  const code = (err as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return 'ENOENT (file not found)';
    case 'EACCES':
    case 'EPERM':
      return `${code} (permission denied)`;
    case 'EISDIR':
      return 'not a regular file: a folder';
    case 'ELOOP':
      return 'ELOOP (too many levels of symbolic links)';
    case 'ENOTDIR':
      return 'ENOTDIR (a part of the path is not a folder)';
    default:
      return code ?? 'I/O error';
  }
}
