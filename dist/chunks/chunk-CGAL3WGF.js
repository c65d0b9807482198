import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  DeadlineError,
  FileRefusedError
} from "./chunk-UHECHRFN.js";
import {
  ParseError
} from "./chunk-WW3ZWNRQ.js";

// src/sources/read-failure.ts
function failedObservation(target, ctx, source, err) {
  const e = err;
  let status = "error";
  let reason = "io";
  let message = e instanceof Error ? e.message : String(e);
  if (e?.code === "ENOENT") {
    status = "unreachable";
    reason = "not-found";
    message = `file not found: ${e.path ?? ""}`;
  } else if (e?.code === "EACCES" || e?.code === "EPERM") {
    status = "unreachable";
    reason = "forbidden";
    message = `permission denied: ${e.path ?? ""}`;
  } else if (e?.code === "EISDIR") {
    reason = "not-regular";
    message = `not a regular file: a folder: ${e.path ?? ""}`;
  } else if (err instanceof FileRefusedError) {
    reason = err.reason;
  } else if (err instanceof DeadlineError) {
    reason = err.reason;
  } else if (err instanceof ParseError) {
    reason = ["private-key", "password", "limit"].includes(err.kind) ? err.kind : "parse";
  }
  return {
    target: target.id,
    source,
    collectedAt: ctx.now.toISOString(),
    status,
    error: { reason, message },
    certificates: [],
    trustStore: null
  };
}

export {
  failedObservation
};
