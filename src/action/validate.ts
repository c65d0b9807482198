// Mode validate: the validate command; each problem an annotation on its YAML line.
import { ConfigError } from '../core/errors.js';
import { describeValidation, validate, type ValidateResult } from '../commands/validate.js';
import { maskSecrets, scanOptions } from './report.js';
import type { ModeFn, ModeResult } from './types.js';
import type { Inputs } from './inputs.js';
import type { ActionIO } from './types.js';

/** The mode's result, and the validate result when the inventory is valid (plan goes on with it). */
export async function validateInputs(
  inputs: Inputs,
  io: ActionIO,
): Promise<{ mode: ModeResult; valid: ValidateResult | null }> {
  try {
    const valid = await validate(scanOptions(inputs, io));
    maskSecrets(valid.loaded.inventory, io);
    io.logger.info(describeValidation(valid.counts));
    return { mode: { outputs: { problems: '0' }, summary: null, failure: null }, valid };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    for (const p of e.problems) io.annotate(p);
    return {
      mode: {
        outputs: { problems: String(e.problems.length) },
        summary: null,
        failure: `${e.problems.length} inventory/policy problem(s); see the annotations`,
      },
      valid: null,
    };
  }
}

export const validateMode: ModeFn = async (inputs, io) => (await validateInputs(inputs, io)).mode;
