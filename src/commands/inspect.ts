// `certwarden inspect TARGET`: host:port or a certificate file, no inventory needed.
// Trust is judged against the platform's public roots only: a root inside the file is shown, never trusted.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CliIO } from '../cli/main.js';
import { ConfigError, EXIT, ParseError } from '../core/errors.js';
import { FileRefusedError, readCertificateFile, readCertificates } from '../x509/read.js';
import { verifyChain } from '../x509/verify/verify.js';
import { platformRoots } from '../evaluate/trust.js';
import { parseCertificate } from '../x509/parse.js';
import { renderInspect, renderCertificates } from './inspect-render.js';
import type { EndpointSource } from '../inventory/types.js';
import { safeText } from '../core/text.js';

const STARTTLS = ['smtp', 'imap', 'pop3', 'ldap', 'postgres'];

/** Splits host:port, [v6]:port; returns null when the text is not of that form. */
export function parseHostPort(s: string): { host: string; port: number } | null {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(s) ?? /^([^:[\]]+):(\d+)$/.exec(s);
  if (!m) return null;
  const port = Number(m[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return null;
  return { host: m[1]!, port };
}

export async function runInspect(
  target: string,
  values: Record<string, unknown>,
  io: CliIO,
): Promise<number> {
  const now = values.now ? new Date(String(values.now)) : new Date();
  if (Number.isNaN(now.getTime()))
    throw new ConfigError(`--now '${String(values.now)}' is not a date; expected ISO-8601`);
  const file = path.resolve(io.cwd, target);
  if (existsSync(file)) return inspectFile(file, values, io, now);
  const hp = parseHostPort(target);
  if (!hp)
    throw new ConfigError(
      `inspect: '${target}' is neither an existing file nor host:port (use [addr]:port for IPv6)`,
    );
  const starttls = values.starttls as string | undefined;
  if (starttls && !STARTTLS.includes(starttls))
    throw new ConfigError(
      `--starttls '${starttls}' is not supported; expected one of ${STARTTLS.join(', ')}`,
    );
  const timeoutMs = timeoutOf(values);
  const ep: EndpointSource = {
    ...hp,
    serverName: values['server-name'] as string | undefined,
    starttls: starttls as EndpointSource['starttls'],
    via: values.via as string | undefined,
  };
  const { probeEndpoint } = await import('../sources/endpoint/probe.js');
  const result = await probeEndpoint(ep, { timeoutMs });
  if (!result.ok) {
    io.stdout(renderInspect(result, undefined, now));
    return EXIT.findings;
  }
  const records = result.chain.map((der, i) => parseCertificate(der, `presented[${i}]`));
  const verify = records[0]
    ? verifyChain(records[0], records.slice(1), platformRoots(), {
        now,
        purpose: 'serverAuth',
        hostname: hostRef(ep),
      })
    : undefined;
  io.stdout(renderInspect(result, verify, now));
  return verify?.trusted ? EXIT.clean : EXIT.findings;
}

function hostRef(ep: EndpointSource): { kind: 'DNS' | 'IP'; value: string } {
  const name = ep.serverName ?? ep.host;
  return /^[\d.]+$|:/.test(name) ? { kind: 'IP', value: name } : { kind: 'DNS', value: name };
}

/** Words for a keystore password problem that name inspect's flag (the inventory's field is passwordEnv). */
function forInspect(message: string): string {
  return message.replace(
    /set passwordEnv to the environment variable that holds it/,
    'pass --password ENV (the name of an environment variable that holds it)',
  );
}

async function inspectFile(
  file: string,
  values: Record<string, unknown>,
  io: CliIO,
  now: Date,
): Promise<number> {
  const passwordEnv = values.password as string | undefined;
  const password = passwordEnv ? io.env[passwordEnv] : undefined;
  if (passwordEnv && password === undefined)
    throw new ConfigError(`--password ${passwordEnv}: that environment variable is not set`);
  let res: ReturnType<typeof readCertificates>;
  try {
    // Stat first (a FIFO or device is refused, never opened), a size cap, and a deadline.
    const bytes = await readCertificateFile(file, { timeoutMs: timeoutOf(values) });
    // A certificate next to its key (kubelet-client-current.pem): read the certificates, never the key.
    res = readCertificates(bytes, { file, password, privateKeys: 'skip' });
  } catch (err) {
    // A file that is not a certificate (or holds only a private key) is a problem with the input.
    if (err instanceof ParseError) throw new ConfigError(forInspect(err.message));
    if (err instanceof FileRefusedError) throw new ConfigError(`${err.path}: ${err.message}`);
    throw err;
  }
  io.stdout(`file       ${safeText(file)} (${res.format}, ${res.certificates.length} certificate(s))\n`);
  for (const w of res.warnings) io.stdout(`note       ${safeText(w)}\n`);
  const records = res.certificates.map((c) => c.record);
  io.stdout(renderCertificates(records, now));
  const leaf = records.find((r) => !r.isCA) ?? records[0];
  if (!leaf) return EXIT.findings;
  const others = records.filter((r) => r !== leaf);
  // Only the platform's roots are anchors: anyone can put a self-signed root in a file.
  const v = verifyChain(leaf, others, platformRoots(), { now });
  if (v.trusted) {
    io.stdout(`\ntrusted    yes, chains to ${safeText(v.anchor ?? '?')}\n`);
  } else {
    // Say plainly when the path ends at a self-signed CA the file itself carries (or the leaf is one).
    const fileRoots = records
      .filter((r) => r.isCA && r.selfIssued)
      .map((r) => ({ id: r.subject.dn, record: r }));
    const own = fileRoots.length ? verifyChain(leaf, others, fileRoots, { now }) : undefined;
    io.stdout(
      own?.trusted
        ? `\ntrusted    NO: chains to the self-signed root in this file, which is not a trusted anchor: ${safeText(own.anchor ?? '?')}\n`
        : "\ntrusted    NO (against the platform's public roots)\n",
    );
  }
  for (const p of v.problems) io.stdout(`  - ${p.code}: ${safeText(p.message)}\n`);
  return v.trusted ? EXIT.clean : EXIT.findings;
}

function timeoutOf(values: Record<string, unknown>): number {
  const timeoutMs = values.timeout ? Number(values.timeout) : 10_000;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100)
    throw new ConfigError(
      `--timeout '${String(values.timeout)}' must be a whole number of milliseconds ≥ 100`,
    );
  return timeoutMs;
}
