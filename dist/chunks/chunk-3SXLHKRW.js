import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  render,
  renderPieces
} from "./chunk-LWH7DEBG.js";
import {
  ConfigError
} from "./chunk-WW3ZWNRQ.js";

// src/commands/report-output.ts
import { mkdir } from "node:fs/promises";
import path2 from "node:path";

// src/core/write-atomic.ts
import { open, rename, unlink } from "node:fs/promises";
import path from "node:path";
function tempFor(file) {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
}
var FLUSH_AT = 256 * 1024;
var AtomicWriter = class _AtomicWriter {
  constructor(file, tmp, fh) {
    this.file = file;
    this.tmp = tmp;
    this.fh = fh;
  }
  file;
  tmp;
  fh;
  pending = [];
  pendingBytes = 0;
  closed = false;
  /** Opens the temp file; fails (ENOENT, EACCES…) as writeAtomic would if the folder is wrong. */
  static async open(file) {
    const tmp = tempFor(file);
    return new _AtomicWriter(file, tmp, await open(tmp, "w"));
  }
  /** Adds text; written out once enough has gathered. */
  async write(text) {
    if (this.closed) throw new Error(`${this.file}: written after it was closed`);
    this.pending.push(text);
    this.pendingBytes += text.length;
    if (this.pendingBytes >= FLUSH_AT) await this.flush();
  }
  async flush() {
    if (!this.pending.length) return;
    const chunk = this.pending.join("");
    this.pending = [];
    this.pendingBytes = 0;
    await this.fh.writeFile(chunk);
  }
  /** Writes what is left and puts the file in place. */
  async commit() {
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
  async abort() {
    this.pending = [];
    if (!this.closed) {
      this.closed = true;
      await this.fh.close().catch(() => void 0);
    }
    await unlink(this.tmp).catch(() => void 0);
  }
};
async function writeAtomicPieces(file, pieces) {
  const w = await AtomicWriter.open(file);
  try {
    for await (const piece of pieces) await w.write(piece);
  } catch (err) {
    await w.abort();
    throw err;
  }
  await w.commit();
}

// src/commands/report-output.ts
async function emitReports(report, outputs, run = {}) {
  const done = [];
  for (const o of outputs) {
    const opts = {
      ...o.color !== void 0 ? { color: o.color } : {},
      ...o.runUrl !== void 0 ? { runUrl: o.runUrl } : {},
      ...run.scanSeconds !== void 0 ? { scanSeconds: run.scanSeconds } : {}
    };
    if (o.file) {
      if (o.mkdir) await mkdir(path2.dirname(o.file), { recursive: true });
      await writeOutput(o.file, renderPieces(o.format, report, opts));
      done.push({ format: o.format, file: o.file, text: null });
    } else done.push({ format: o.format, file: null, text: await render(o.format, report, opts) });
  }
  return done;
}
async function emitText(text, file) {
  if (!file) return null;
  await writeOutput(file, text);
  return file;
}
async function writeOutput(file, text) {
  try {
    await writeAtomicPieces(file, typeof text === "string" ? [text] : text);
  } catch (err) {
    const code = err.code;
    const dir = path2.dirname(file);
    if (code === "ENOENT") throw new ConfigError(`cannot write ${file}: the folder ${dir} does not exist`);
    if (code === "EACCES" || code === "EPERM" || code === "EROFS")
      throw new ConfigError(`cannot write ${file}: no permission to write in ${dir}`);
    if (code === "ENOTDIR") throw new ConfigError(`cannot write ${file}: ${dir} is not a folder`);
    if (code === "EISDIR") throw new ConfigError(`cannot write ${file}: that is a folder`);
    throw err;
  }
}

export {
  emitReports,
  emitText,
  writeOutput
};
