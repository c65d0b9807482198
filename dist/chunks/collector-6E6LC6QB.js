import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  failedObservation
} from "./chunk-CGAL3WGF.js";
import {
  readCertificateFile,
  readCertificatesAsync
} from "./chunk-FVSSEFCQ.js";
import "./chunk-I32IJZLF.js";
import "./chunk-HSQZZC7B.js";
import {
  startDeadline
} from "./chunk-UHECHRFN.js";
import {
  ParseError
} from "./chunk-WW3ZWNRQ.js";
import "./chunk-DDCI7ZLU.js";

// src/sources/file/collector.ts
function emptyObservation(target, ctx, source) {
  return {
    target: target.id,
    source,
    collectedAt: ctx.now.toISOString(),
    status: "ok",
    error: null,
    certificates: [],
    trustStore: target.trustStore ? [] : null,
    warnings: ["the file is empty"]
  };
}
var fileCollector = {
  kind: "file",
  async collect(target, ctx) {
    if (target.source.kind !== "file") throw new Error(`file collector given a ${target.source.kind} target`);
    const f = target.source.file;
    const source = { kind: "file", path: f.path, format: f.format ?? "auto" };
    const deadline = startDeadline(ctx.timeoutMs, ctx.signal);
    try {
      let password;
      if (f.passwordEnv) {
        password = ctx.env[f.passwordEnv];
        if (password === void 0) {
          return [
            failedObservation(
              target,
              ctx,
              source,
              new ParseError(
                "password",
                f.path,
                `environment variable ${f.passwordEnv} (passwordEnv) is not set`
              )
            )
          ];
        }
      }
      const bytes = await readCertificateFile(f.path, { timeoutMs: ctx.timeoutMs, signal: deadline.signal });
      if (bytes.length === 0) return [emptyObservation(target, ctx, source)];
      const res = await readCertificatesAsync(bytes, {
        file: f.path,
        format: f.format ?? "auto",
        password,
        privateKeys: "skip",
        signal: deadline.signal
      });
      const isStore = Boolean(target.trustStore) || res.format === "jks";
      const obs = {
        target: target.id,
        source: { ...source, format: res.format },
        collectedAt: ctx.now.toISOString(),
        status: "ok",
        error: null,
        certificates: isStore ? [] : res.certificates,
        trustStore: isStore ? res.certificates : null,
        warnings: res.warnings.length ? res.warnings : void 0
      };
      return [obs];
    } catch (err) {
      return [failedObservation(target, ctx, source, err)];
    } finally {
      deadline.dispose();
    }
  }
};
export {
  fileCollector
};
