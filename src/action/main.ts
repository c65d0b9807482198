// The action: inputs -> mode -> outputs. The only code (with inputs.ts and io.ts) that talks to @actions/*.
import * as core from '@actions/core';
import { context } from '@actions/github';
import { ConfigError, formatProblem } from '../core/errors.js';
import { escapeLog } from '../core/escape.js';
import { readEvent } from './event.js';
import { readInputs } from './inputs.js';
import { actionsIO } from './io.js';
import { modes } from './modes.js';

export async function run(): Promise<void> {
  const io = { ...actionsIO, event: readEvent(context) };
  try {
    const inputs = readInputs((name) => core.getInput(name), process.env, io.event);
    if (inputs.token) core.setSecret(inputs.token);
    const result = await modes[inputs.mode](inputs, io);
    for (const [name, value] of Object.entries(result.outputs)) core.setOutput(name, value);
    if (result.summary) await core.summary.addRaw(result.summary).write();
    if (result.failure) core.setFailed(result.failure);
  } catch (e) {
    if (e instanceof ConfigError) {
      for (const p of e.problems) io.annotate(p);
      core.setFailed(e.problems.map(formatProblem).join('\n'));
    } else core.setFailed(escapeLog(e instanceof Error ? e.message : String(e)));
  }
}
