import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  emitText
} from "./chunk-3SXLHKRW.js";
import {
  collect,
  load
} from "./chunk-UKAPL6FF.js";
import {
  VERSION
} from "./chunk-NLX2LEXV.js";

// src/commands/collect.ts
async function collect2(opts) {
  const loaded = await load(opts);
  const now = opts.now ?? /* @__PURE__ */ new Date();
  const observations = await collect(loaded, { ...opts, now });
  const file = {
    schemaVersion: 1,
    kind: "certwarden/observations",
    tool: { name: "certwarden", version: VERSION },
    collectedAt: now.toISOString(),
    zone: opts.zone ?? null,
    observations
  };
  const text = JSON.stringify(file) + "\n";
  return {
    exitCode: 0,
    file,
    targets: loaded.targets.length,
    text,
    written: await emitText(text, opts.output),
    inventory: loaded.inventory
  };
}
function describeCollect(r) {
  return `collected ${r.file.observations.length} observation(s) from ${r.targets} target(s)`;
}

export {
  collect2 as collect,
  describeCollect
};
