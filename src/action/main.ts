// The action: inputs -> mode -> outputs. The only code (with inputs.ts) that talks to @actions/core.
import * as core from '@actions/core';
import { ConfigError, formatProblem } from '../errors.js';
import { escapeLog } from '../github/escape.js';
import type { Logger } from '../util/logger.js';
import { readInputs } from './inputs.js';
import { modes, type ActionIO } from './modes.js';

const logger: Logger = {
  debug: core.debug,
  info: core.info,
  warn: (m) => core.warning(m),
  error: (m) => core.error(m),
};

const io: ActionIO = {
  logger,
  annotate: (p) =>
    core.error(
      p.message,
      p.location
        ? {
            file: p.location.file,
            startLine: p.location.line,
            startColumn: p.location.column,
            title: 'certwarden',
          }
        : { title: 'certwarden' },
    ),
  secret: (v) => core.setSecret(v),
  env: process.env,
};

export async function run(): Promise<void> {
  try {
    const inputs = readInputs((name) => core.getInput(name));
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
