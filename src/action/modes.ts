// The action's modes, keyed by id. Each takes the validated inputs and a small IO adapter (so no mode
// imports @actions/*) and returns outputs, a job summary and, when the step must fail, why. A mode's
// module is imported only when it runs.
import type { Mode } from './inputs.js';
import type { ModeFn } from './types.js';

export const modes: Record<Mode, ModeFn> = {
  validate: async (inputs, io) => (await import('./validate.js')).validateMode(inputs, io),
  plan: async (inputs, io) => (await import('./plan.js')).planMode(inputs, io),
  scan: async (inputs, io) => (await import('./scan.js')).scanMode(inputs, io),
  sync: async (inputs, io) => (await import('./sync.js')).syncMode(inputs, io),
  renew: async (inputs, io) => (await import('./renew.js')).renewMode(inputs, io),
  collect: async (inputs, io) => (await import('./collect.js')).collectMode(inputs, io),
  evaluate: async (inputs, io) => (await import('./evaluate.js')).evaluateMode(inputs, io),
};
