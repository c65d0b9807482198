import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);

// src/core/deadline.ts
var DEADLINE_BRAND = /* @__PURE__ */ Symbol.for("certwarden.DeadlineError");
var DeadlineError = class extends Error {
  constructor(reason, message, timeoutMs) {
    super(message);
    this.reason = reason;
    this.timeoutMs = timeoutMs;
    this.name = "DeadlineError";
  }
  reason;
  timeoutMs;
  static [Symbol.hasInstance](x) {
    return typeof x === "object" && x !== null && x[DEADLINE_BRAND] === true;
  }
  [DEADLINE_BRAND] = true;
};
function startDeadline(timeoutMs, parent) {
  const ctl = new AbortController();
  const timer = setTimeout(
    () => ctl.abort(new DeadlineError("timeout", `the ${timeoutMs} ms deadline passed`, timeoutMs)),
    timeoutMs
  );
  timer.unref?.();
  const onCancel = () => ctl.abort(parent ? deadlineReason(parent) : void 0);
  if (parent?.aborted) onCancel();
  else parent?.addEventListener("abort", onCancel, { once: true });
  return {
    signal: ctl.signal,
    timeoutMs,
    dispose: () => {
      clearTimeout(timer);
      parent?.removeEventListener("abort", onCancel);
    }
  };
}
function deadlineReason(signal) {
  const r = signal.reason;
  return r instanceof DeadlineError ? r : new DeadlineError("cancelled", "the run was cancelled");
}

// src/core/safe-read.ts
import {
  closeSync,
  constants as fsConstants,
  fstatSync,
  openSync,
  readSync,
  realpathSync,
  statSync
} from "node:fs";
import { open, realpath, stat } from "node:fs/promises";
import path from "node:path";
var MIB = 1024 * 1024;
var FILE_KINDS = {
  certificate: { plural: "certificates", label: "certificate files", maxBytes: 16 * MIB },
  kubeconfig: { plural: "kubeconfigs", label: "kubeconfig files", maxBytes: 4 * MIB },
  inventory: { plural: "inventory files", label: "inventory files", maxBytes: 8 * MIB },
  policy: { plural: "policy files", label: "policy files", maxBytes: 4 * MIB },
  renewal: { plural: "renewal requests", label: "renewal request files", maxBytes: 1 * MIB },
  report: { plural: "JSON reports", label: "JSON reports", maxBytes: 64 * MIB },
  observations: { plural: "observations files", label: "observations files", maxBytes: 64 * MIB }
};
var CONFIG_READ_TIMEOUT_MS = 3e4;
var REFUSED_BRAND = /* @__PURE__ */ Symbol.for("certwarden.FileRefusedError");
var FileRefusedError = class extends Error {
  constructor(reason, path2, message, fileKind) {
    super(message);
    this.reason = reason;
    this.path = path2;
    this.fileKind = fileKind;
    this.name = "FileRefusedError";
  }
  reason;
  path;
  fileKind;
  static [Symbol.hasInstance](x) {
    return typeof x === "object" && x !== null && x[REFUSED_BRAND] === true;
  }
  [REFUSED_BRAND] = true;
};
var OPEN_FLAGS = fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0);
var CHUNK = 64 * 1024;
function mib(n) {
  return `${(n / MIB).toFixed(n % MIB === 0 ? 0 : 1)} MiB`;
}
function typeOf(st) {
  if (st.isFIFO()) return "a FIFO (named pipe)";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isSocket()) return "a socket";
  if (st.isDirectory()) return "a folder";
  return "not a plain file";
}
function capOf(opts) {
  return opts.maxBytes ?? FILE_KINDS[opts.kind].maxBytes;
}
function checkStat(file, st, opts) {
  if (!st.isFile())
    throw new FileRefusedError(
      "not-regular",
      file,
      `not a regular file: ${typeOf(st)}; certwarden reads ${FILE_KINDS[opts.kind].plural} from regular files only`,
      typeOf(st)
    );
  if (st.size > capOf(opts)) throw tooLarge(file, `${st.size} bytes`, opts);
}
function tooLarge(file, size, opts) {
  return new FileRefusedError(
    "too-large",
    file,
    `file is ${size}, larger than the ${mib(capOf(opts))} cap for ${FILE_KINDS[opts.kind].label}`
  );
}
function checkWithin(file, real, root) {
  const rel = path.relative(root, real);
  if (rel === "" || rel.startsWith("..") || path.isAbsolute(rel))
    throw new FileRefusedError(
      "outside",
      file,
      `refused: the file resolves (through a symbolic link) to a place outside ${root}`
    );
}
var BoundedBytes = class {
  constructor(file, opts) {
    this.file = file;
    this.opts = opts;
  }
  file;
  opts;
  chunks = [];
  total = 0;
  buf = Buffer.allocUnsafe(CHUNK);
  /** The buffer to read the next chunk into. */
  next() {
    this.buf = Buffer.allocUnsafe(CHUNK);
    return this.buf;
  }
  /** Keeps `n` bytes of the last chunk; false at end of file. */
  add(n) {
    if (n === 0) return false;
    this.total += n;
    const max = capOf(this.opts);
    if (this.total > max) throw tooLarge(this.file, `more than ${max} bytes`, this.opts);
    this.chunks.push(this.buf.subarray(0, n));
    return true;
  }
  bytes() {
    return Buffer.concat(this.chunks, this.total);
  }
};
function checkReadableFile(file, opts) {
  checkStat(file, statSync(file), opts);
  if (opts.within) checkWithin(file, realpathSync(file), realpathSync(opts.within));
}
function safeReadSync(file, opts) {
  checkReadableFile(file, opts);
  const fd = openSync(file, OPEN_FLAGS);
  try {
    checkStat(file, fstatSync(fd), opts);
    const acc = new BoundedBytes(file, opts);
    while (acc.add(readSync(fd, acc.next(), 0, CHUNK, null))) ;
    return acc.bytes();
  } finally {
    closeSync(fd);
  }
}
function safeReadTextSync(file, opts) {
  return safeReadSync(file, opts).toString("utf8");
}
function safeRead(file, opts) {
  const deadline = startDeadline(opts.timeoutMs, opts.signal);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      const why = deadlineReason(deadline.signal);
      reject(
        why.reason === "timeout" ? new FileRefusedError(
          "timeout",
          file,
          `reading took longer than the ${why.timeoutMs ?? opts.timeoutMs} ms deadline`
        ) : new FileRefusedError("cancelled", file, "the run was cancelled")
      );
    };
    if (deadline.signal.aborted) return onAbort();
    deadline.signal.addEventListener("abort", onAbort, { once: true });
    readBounded(file, opts, deadline.signal).then(resolve, reject).finally(() => {
      deadline.signal.removeEventListener("abort", onAbort);
      deadline.dispose();
    });
  });
}
async function safeReadText(file, opts) {
  return (await safeRead(file, opts)).toString("utf8");
}
async function readBounded(file, opts, signal) {
  checkStat(file, await stat(file), opts);
  if (opts.within) checkWithin(file, await realpath(file), await realpath(opts.within));
  if (signal.aborted) return Buffer.alloc(0);
  const fh = await open(file, OPEN_FLAGS);
  try {
    checkStat(file, await fh.stat(), opts);
    const acc = new BoundedBytes(file, opts);
    while (!signal.aborted && acc.add((await fh.read(acc.next(), 0, CHUNK, null)).bytesRead)) ;
    return acc.bytes();
  } finally {
    await fh.close();
  }
}
function readFailure(err) {
  if (err instanceof FileRefusedError) return err.message;
  const code = err?.code;
  switch (code) {
    case "ENOENT":
      return "ENOENT (file not found)";
    case "EACCES":
    case "EPERM":
      return `${code} (permission denied)`;
    case "EISDIR":
      return "not a regular file: a folder";
    case "ELOOP":
      return "ELOOP (too many levels of symbolic links)";
    case "ENOTDIR":
      return "ENOTDIR (a part of the path is not a folder)";
    default:
      return code ?? "I/O error";
  }
}

export {
  DeadlineError,
  startDeadline,
  deadlineReason,
  FILE_KINDS,
  CONFIG_READ_TIMEOUT_MS,
  FileRefusedError,
  checkReadableFile,
  safeReadSync,
  safeReadTextSync,
  safeRead,
  safeReadText,
  readFailure
};
