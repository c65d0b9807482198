import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  maskSecrets,
  scanOptions
} from "./chunk-5NXTENQN.js";
import {
  describeValidation,
  validate
} from "./chunk-5ZSSXF47.js";
import {
  ConfigError
} from "./chunk-WW3ZWNRQ.js";

// src/action/validate.ts
async function validateInputs(inputs, io) {
  try {
    const valid = await validate(scanOptions(inputs, io));
    maskSecrets(valid.loaded.inventory, io);
    io.logger.info(describeValidation(valid.counts));
    return { mode: { outputs: { problems: "0" }, summary: null, failure: null }, valid };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    for (const p of e.problems) io.annotate(p);
    return {
      mode: {
        outputs: { problems: String(e.problems.length) },
        summary: null,
        failure: `${e.problems.length} inventory/policy problem(s); see the annotations`
      },
      valid: null
    };
  }
}
var validateMode = async (inputs, io) => (await validateInputs(inputs, io)).mode;

export {
  validateInputs,
  validateMode
};
