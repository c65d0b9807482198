import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  safeText
} from "./chunk-NRN5HDCZ.js";

// src/cli/io.ts
import path from "node:path";
function processIO() {
  return {
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    ...process.stderr.columns ? { stderrColumns: process.stderr.columns } : {},
    env: process.env,
    cwd: process.cwd()
  };
}
function describeWritten(what, file, cwd, detail) {
  const rel = path.relative(cwd, file);
  const shown = rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
  return `wrote the ${what} to ${safeText(shown)}${detail ? ` (${detail})` : ""}`;
}
function ioLogger(io) {
  return {
    debug: () => {
    },
    info: (m) => io.stderr(`${m}
`),
    warn: (m) => io.stderr(`warning: ${m}
`),
    error: (m) => io.stderr(`error: ${m}
`)
  };
}
async function progressFor(io, quiet) {
  if (quiet) return void 0;
  const { createCollectWatch } = await import("./progress-TZVOMPVK.js");
  return createCollectWatch({
    stream: {
      isTTY: io.stderrIsTTY,
      ...io.stderrColumns ? { columns: io.stderrColumns } : {},
      write: io.stderr
    }
  });
}

export {
  processIO,
  describeWritten,
  ioLogger,
  progressFor
};
