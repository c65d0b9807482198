import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  render
} from "./chunk-BR2XLSHT.js";
import {
  ConfigError
} from "./chunk-WW3ZWNRQ.js";

// src/commands/report-output.ts
import { mkdir } from "node:fs/promises";
import path2 from "node:path";

// src/core/write-atomic.ts
import { writeFile, rename } from "node:fs/promises";
import path from "node:path";
async function writeAtomic(file, data) {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  await writeFile(tmp, data);
  await rename(tmp, file);
}

// src/commands/report-output.ts
async function emitReports(report, outputs, run = {}) {
  const done = [];
  for (const o of outputs) {
    const text = await render(o.format, report, {
      ...o.color !== void 0 ? { color: o.color } : {},
      ...o.runUrl !== void 0 ? { runUrl: o.runUrl } : {},
      ...run.scanSeconds !== void 0 ? { scanSeconds: run.scanSeconds } : {}
    });
    if (o.file) {
      if (o.mkdir) await mkdir(path2.dirname(o.file), { recursive: true });
      await writeOutput(o.file, text);
    }
    done.push({ format: o.format, file: o.file ?? null, text });
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
    await writeAtomic(file, text);
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
  emitText
};
