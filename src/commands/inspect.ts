// `inspect TARGET`: host:port or a certificate file, no inventory needed.
// Trust is judged against the platform's public roots only: a root inside the file is shown, never trusted.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, EXIT, ParseError } from '../core/errors.js';
import { FileRefusedError, readCertificateFile, readCertificates } from '../x509/read.js';
import { verifyChain } from '../x509/verify/verify.js';
import { platformRoots } from '../evaluate/trust.js';
import { parseCertificate } from '../x509/parse.js';
import { renderInspect, renderCertificates } from './inspect-render.js';
import type { EndpointSource } from '../inventory/types.js';
import { safeText } from '../core/text.js';

export const STARTTLS = ['smtp', 'imap', 'pop3', 'ldap', 'postgres'] as const;

export interface InspectOptions {
  /** host:port, [v6]:port, or a file (relative to cwd). */
  target: string;
  cwd: string;
  /** SNI to send (default: the host, unless it is an IP). */
  serverName?: string;
  starttls?: string;
  /** Proxy URL: http://host:port or socks5://host:port. */
  via?: string;
  timeoutMs: number;
  /** For PKCS#12/JKS files: the environment variable holding the password. */
  passwordEnv?: string;
  now: Date;
  env: NodeJS.ProcessEnv;
}

export interface InspectResult {
  /** 0 trusted by the platform roots, 1 not trusted or unreachable. */
  exitCode: number;
  kind: 'endpoint' | 'file';
  trusted: boolean;
  /** The readable picture; every string from the server or the certificates is escaped. */
  text: string;
}

/** Splits host:port, [v6]:port; returns null when the text is not of that form. */
export function parseHostPort(s: string): { host: string; port: number } | null {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(s) ?? /^([^:[\]]+):(\d+)$/.exec(s);
  if (!m) return null;
  const port = Number(m[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return null;
  return { host: m[1]!, port };
}

export async function inspect(opts: InspectOptions): Promise<InspectResult> {
  const file = path.resolve(opts.cwd, opts.target);
  if (existsSync(file)) return inspectFile(file, opts);
  const hp = parseHostPort(opts.target);
  if (!hp)
    throw new ConfigError(
      `inspect: '${opts.target}' is neither an existing file nor host:port (use [addr]:port for IPv6)`,
    );
  const starttls = opts.starttls;
  if (starttls && !(STARTTLS as readonly string[]).includes(starttls))
    throw new ConfigError(
      `--starttls '${starttls}' is not supported; expected one of ${STARTTLS.join(', ')}`,
    );
  const ep: EndpointSource = {
    ...hp,
    serverName: opts.serverName,
    starttls: starttls as EndpointSource['starttls'],
    via: opts.via,
  };
  const { probeEndpoint } = await import('../sources/endpoint/probe.js');
  const result = await probeEndpoint(ep, { timeoutMs: opts.timeoutMs });
  if (!result.ok)
    return {
      exitCode: EXIT.findings,
      kind: 'endpoint',
      trusted: false,
      text: renderInspect(result, undefined, opts.now),
    };
  const records = result.chain.map((der, i) => parseCertificate(der, `presented[${i}]`));
  const verify = records[0]
    ? verifyChain(records[0], records.slice(1), platformRoots(), {
        now: opts.now,
        purpose: 'serverAuth',
        hostname: hostRef(ep),
      })
    : undefined;
  const trusted = Boolean(verify?.trusted);
  return {
    exitCode: trusted ? EXIT.clean : EXIT.findings,
    kind: 'endpoint',
    trusted,
    text: renderInspect(result, verify, opts.now),
  };
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

async function readFileCertificates(
  file: string,
  opts: InspectOptions,
): Promise<ReturnType<typeof readCertificates>> {
  const passwordEnv = opts.passwordEnv;
  const password = passwordEnv ? opts.env[passwordEnv] : undefined;
  if (passwordEnv && password === undefined)
    throw new ConfigError(`--password ${passwordEnv}: that environment variable is not set`);
  try {
    // Stat first (a FIFO or device is refused, never opened), a size cap, and a deadline.
    const bytes = await readCertificateFile(file, { timeoutMs: opts.timeoutMs });
    // A certificate next to its key (kubelet-client-current.pem): read the certificates, never the key.
    return readCertificates(bytes, { file, password, privateKeys: 'skip' });
  } catch (err) {
    // A file that is not a certificate (or holds only a private key) is a problem with the input.
    if (err instanceof ParseError) throw new ConfigError(forInspect(err.message));
    if (err instanceof FileRefusedError) throw new ConfigError(`${err.path}: ${err.message}`);
    throw err;
  }
}

async function inspectFile(file: string, opts: InspectOptions): Promise<InspectResult> {
  const now = opts.now;
  const res = await readFileCertificates(file, opts);
  let text = `file       ${safeText(file)} (${res.format}, ${res.certificates.length} certificate(s))\n`;
  for (const w of res.warnings) text += `note       ${safeText(w)}\n`;
  const records = res.certificates.map((c) => c.record);
  text += renderCertificates(records, now);
  const leaf = records.find((r) => !r.isCA) ?? records[0];
  if (!leaf) return { exitCode: EXIT.findings, kind: 'file', trusted: false, text };
  const others = records.filter((r) => r !== leaf);
  // Only the platform's roots are anchors: anyone can put a self-signed root in a file.
  const v = verifyChain(leaf, others, platformRoots(), { now });
  if (v.trusted) {
    text += `\ntrusted    yes, chains to ${safeText(v.anchor ?? '?')}\n`;
  } else {
    // Say plainly when the path ends at a self-signed CA the file itself carries (or the leaf is one).
    const fileRoots = records
      .filter((r) => r.isCA && r.selfIssued)
      .map((r) => ({ id: r.subject.dn, record: r }));
    const own = fileRoots.length ? verifyChain(leaf, others, fileRoots, { now }) : undefined;
    text += own?.trusted
      ? `\ntrusted    NO: chains to the self-signed root in this file, which is not a trusted anchor: ${safeText(own.anchor ?? '?')}\n`
      : "\ntrusted    NO (against the platform's public roots)\n";
  }
  for (const p of v.problems) text += `  - ${p.code}: ${safeText(p.message)}\n`;
  return { exitCode: v.trusted ? EXIT.clean : EXIT.findings, kind: 'file', trusted: v.trusted, text };
}
