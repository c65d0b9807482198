import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  load
} from "./chunk-UKAPL6FF.js";

// src/commands/validate.ts
async function validate(opts) {
  const loaded = await load(opts);
  const inv = loaded.inventory;
  return {
    exitCode: 0,
    counts: {
      inventories: inv.inventories.length,
      targets: inv.targets.length,
      anchors: inv.anchors.size,
      bundles: inv.bundles.length
    },
    loaded
  };
}
function describeValidation(c) {
  return `valid: ${c.inventories} inventory file(s), ${c.targets} target(s), ${c.anchors} anchor(s), ${c.bundles} bundle(s)`;
}

export {
  validate,
  describeValidation
};
