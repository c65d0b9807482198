// `certwarden inspect TARGET`: options -> inspect -> the picture on stdout.
import { ConfigError } from '../core/errors.js';
import { inspect } from '../commands/inspect.js';
import type { CommandContext } from './options.js';

function timeoutOf(values: Record<string, unknown>): number {
  const timeoutMs = values.timeout ? Number(values.timeout) : 10_000;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100)
    throw new ConfigError(
      `--timeout '${String(values.timeout)}' must be a whole number of milliseconds ≥ 100`,
    );
  return timeoutMs;
}

export async function run({ values, positionals, io }: CommandContext): Promise<number> {
  const target = positionals[0];
  if (!target) throw new ConfigError('inspect needs a TARGET: host:port or a file');
  const now = values.now ? new Date(String(values.now)) : new Date();
  if (Number.isNaN(now.getTime()))
    throw new ConfigError(`--now '${String(values.now)}' is not a date; expected ISO-8601`);
  const res = await inspect({
    target,
    cwd: io.cwd,
    serverName: values['server-name'] as string | undefined,
    starttls: values.starttls as string | undefined,
    via: values.via as string | undefined,
    timeoutMs: timeoutOf(values),
    passwordEnv: values.password as string | undefined,
    now,
    env: io.env,
  });
  io.stdout(res.text);
  return res.exitCode;
}
