// `certwarden inspect TARGET`: options -> inspect -> the picture on stdout, as text or JSON.
import { ConfigError } from '../core/errors.js';
import { safeText } from '../core/text.js';
import { inspect } from '../commands/inspect.js';
import { TRUST_STORES, type TrustStoreName } from '../commands/inspect-trust.js';
import { parseInt10, parseNow, strings, type CommandContext } from './options.js';

function trustOf(v: unknown): TrustStoreName | undefined {
  if (v === undefined) return undefined;
  if (!(TRUST_STORES as readonly string[]).includes(String(v)))
    throw new ConfigError(`--trust '${safeText(String(v))}' is not valid; expected system, bundled or none`);
  return v as TrustStoreName;
}

function formatOf(v: unknown): 'text' | 'json' {
  const f = (v as string | undefined) ?? 'text';
  if (f !== 'text' && f !== 'json')
    throw new ConfigError(`--format '${safeText(f)}' is not valid for inspect; expected text or json`);
  return f;
}

export async function run({ values, positionals, io }: CommandContext): Promise<number> {
  const target = positionals[0];
  if (!target)
    throw new ConfigError(
      'inspect needs a TARGET: a file, or a server (host, host:port, https://host[:port])',
    );
  const format = formatOf(values.format);
  const trust = trustOf(values.trust);
  const serverName = (values.servername ?? values['server-name']) as string | undefined;
  const res = await inspect({
    target,
    cwd: io.cwd,
    ...(serverName !== undefined ? { serverName } : {}),
    starttls: values.starttls as string | undefined,
    via: values.via as string | undefined,
    timeoutMs: parseInt10(values.timeout, 'timeout', 10_000, 100),
    passwordEnv: values.password as string | undefined,
    ...(trust ? { trust } : {}),
    caFiles: strings(values.ca),
    now: parseNow(values.now) ?? new Date(),
    env: io.env,
    offline: values.offline === true,
  });
  io.stdout(format === 'json' ? JSON.stringify(res.report, null, 2) + '\n' : res.text);
  return res.exitCode;
}
