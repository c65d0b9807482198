import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  readJsonFileSync
} from "./chunk-NE3CVNGC.js";
import {
  emitReports
} from "./chunk-3SXLHKRW.js";
import {
  evaluate,
  exitCodeFor,
  load
} from "./chunk-UKAPL6FF.js";
import {
  ConfigError
} from "./chunk-WW3ZWNRQ.js";

// src/sources/observations-file.ts
function readObservationsFile(file) {
  const d = readJsonFileSync(file, "observations", "observations file");
  if (d?.kind !== "certwarden/observations" || d.schemaVersion !== 1 || !Array.isArray(d.observations)) {
    throw new ConfigError(
      `${file}: expected a certwarden observations file (kind: certwarden/observations, schemaVersion: 1), as written by 'certwarden collect'`
    );
  }
  return d;
}

// src/commands/evaluate.ts
function requireObservations(files) {
  if (!files.length)
    throw new ConfigError("evaluate needs at least one --observations FILE (written by certwarden collect)");
}
async function evaluate2(opts) {
  requireObservations(opts.observationFiles);
  const loaded = await load({
    inventoryDirs: opts.inventoryDirs,
    policyDirs: opts.policyDirs,
    ...opts.env ? { env: opts.env } : {},
    ...opts.logger ? { logger: opts.logger } : {}
  });
  const observations = opts.observationFiles.flatMap(
    (f) => readObservationsFile(f).observations
  );
  const report = evaluate(loaded, observations, opts.now ?? /* @__PURE__ */ new Date());
  return {
    exitCode: exitCodeFor(report, opts.failOn ?? "error"),
    report,
    outputs: await emitReports(report, opts.reports)
  };
}

export {
  requireObservations,
  evaluate2 as evaluate
};
