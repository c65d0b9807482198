import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  parseJsonText
} from "./chunk-O6SZIQSQ.js";
import {
  readFailure,
  safeReadTextSync
} from "./chunk-UHECHRFN.js";
import {
  ConfigError
} from "./chunk-WW3ZWNRQ.js";

// src/core/json-file.ts
function readJsonFileSync(file, kind, what) {
  let text;
  try {
    text = safeReadTextSync(file, { kind });
  } catch (e) {
    throw new ConfigError(`${file}: not a readable ${what} (${readFailure(e)})`);
  }
  const r = parseJsonText(text, file);
  if ("value" in r) return r.value;
  const where = r.problem.location ? "" : `${file}: `;
  throw new ConfigError([{ ...r.problem, message: `${where}not a readable ${what}: ${r.problem.message}` }]);
}

export {
  readJsonFileSync
};
