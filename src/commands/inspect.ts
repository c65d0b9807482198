// `inspect TARGET`: a server (host, host:port, https://host[:port], [v6]:port) or a certificate file,
// no inventory needed. Trust is judged against the anchors of --trust (the OS store by default) and
// --ca files: a root inside the inspected file is shown, never trusted because it is there.
import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { ConfigError, EXIT, ParseError } from '../core/errors.js';
import type { CertRecord, ObservedRevocation } from '../core/model.js';
import { safeText } from '../core/text.js';
import { VERSION } from '../core/version.js';
import {
  FileRefusedError,
  readCertificateFile,
  readCertificates,
  readCertificatesAsync,
} from '../x509/read.js';
import { DeadlineError, startDeadline } from '../core/deadline.js';
import { parseCertificate } from '../x509/parse.js';
import { certificateRole, isCaSet, type CertificateList } from '../x509/role.js';
import { verifyChain } from '../x509/verify/verify.js';
import type { EndpointSource } from '../inventory/types.js';
import { Fetcher } from '../sources/http/fetcher.js';
import { RevocationStage, revocationPath } from '../evaluate/revocation/check.js';
import { inspectAnchors, TRUST_STORES, type TrustStoreName } from './inspect-trust.js';
import { inspectCertificate, renderInspectText, type InspectReport } from './inspect-render.js';

export type { InspectReport } from './inspect-render.js';

export const STARTTLS = ['smtp', 'imap', 'pop3', 'ldap', 'postgres'] as const;

export interface InspectOptions {
  /** A file (relative to cwd), or a server: host, host:port, https://host[:port], [v6]:port. */
  target: string;
  cwd: string;
  /** SNI to send and the name to check (default: the host, unless it is an IP). */
  serverName?: string;
  starttls?: string;
  /** Proxy URL: http://host:port or socks5://host:port. */
  via?: string;
  timeoutMs: number;
  /** For PKCS#12/JKS files (the target and --ca files): the environment variable holding the password. */
  passwordEnv?: string;
  /** Which store's anchors to trust (default system, falling back to bundled). */
  trust?: TrustStoreName;
  /** CA files to trust besides the store (as the user wrote them; resolved against cwd). */
  caFiles?: string[];
  now: Date;
  env: NodeJS.ProcessEnv;
  /** Fetch nothing (no OCSP or CRL): revocation shows only what a stapled response says. */
  offline?: boolean;
}

export interface InspectResult {
  /** 0 trusted and valid now (a store: every certificate valid now); 1 otherwise or unreachable. */
  exitCode: number;
  kind: 'endpoint' | 'file';
  trusted: boolean;
  /** The structured picture (--format json; schemas/inspect.v1.schema.json). */
  report: InspectReport;
  /** The readable picture; every string from the server or the certificates is escaped. */
  text: string;
}

const DEFAULT_PORT = 443;

/** A host name (letters, digits, hyphens, underscores, dots) or an IP address. */
function isHost(h: string): boolean {
  if (isIP(h)) return true;
  return /^(?=.{1,253}\.?$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/.test(
    h,
  );
}

function portOf(s: string | undefined): number | null {
  if (s === undefined || s === '') return DEFAULT_PORT;
  if (!/^\d{1,5}$/.test(s)) return null;
  const n = Number(s);
  return n >= 1 && n <= 65535 ? n : null;
}

/**
 * A server target: host, host:port, https://host[:port][/path], [v6]:port, [v6] or a bare IPv6
 * address (port 443 when none is given); null when the text is none of these.
 */
export function parseServerTarget(s: string): { host: string; port: number } | null {
  let text = s;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text);
  if (scheme) {
    if (scheme[1]!.toLowerCase() !== 'https') return null;
    text = text.slice(scheme[0].length).replace(/[/?#].*$/s, '');
  }
  if (isIP(text) === 6) return { host: text, port: DEFAULT_PORT };
  const m = /^\[([^\]]+)\](?::([^:]*))?$/.exec(text) ?? /^([^:[\]]+)(?::([^:]*))?$/.exec(text);
  if (!m) return null;
  const host = m[1]!;
  const port = portOf(m[2]);
  if (port === null || !isHost(host)) return null;
  if (m[0].startsWith('[') && isIP(host) !== 6) return null;
  return { host, port };
}

/** Looks like a file name rather than a server: a path separator or a certificate file extension. */
function looksLikeFile(s: string): boolean {
  return /[/\\]/.test(s) || /\.(pem|crt|cer|der|p12|pfx|jks|p7b|p7c|keystore|truststore|conf)$/i.test(s);
}

export async function inspect(opts: InspectOptions): Promise<InspectResult> {
  const trust = opts.trust ?? 'system';
  if (!(TRUST_STORES as readonly string[]).includes(trust))
    throw new ConfigError(
      `--trust '${safeText(String(trust))}' is not valid; expected system, bundled or none`,
    );
  const password = passwordOf(opts);
  const anchors = await inspectAnchors({
    trust,
    caFiles: (opts.caFiles ?? []).map((f) => ({ file: path.resolve(opts.cwd, f), shown: f })),
    password,
    timeoutMs: opts.timeoutMs,
    env: opts.env,
  });
  if (trust === 'none' && anchors.anchors.length === 0)
    anchors.notes.push('--trust none and no --ca: nothing is trusted, so no chain can be');
  const file = path.resolve(opts.cwd, opts.target);
  if (existsSync(file)) return inspectFile(file, opts, password, anchors);
  const hp = parseServerTarget(opts.target);
  if (!hp || (looksLikeFile(opts.target) && !/^https:\/\//i.test(opts.target)))
    throw new ConfigError(
      looksLikeFile(opts.target)
        ? `inspect: ${safeText(opts.target)}: no such file`
        : `inspect: '${safeText(opts.target)}' is neither an existing file nor a server (host, host:port, https://host[:port], [v6]:port)`,
    );
  return inspectEndpoint(hp, opts, anchors);
}

function passwordOf(opts: InspectOptions): string | undefined {
  const passwordEnv = opts.passwordEnv;
  const password = passwordEnv ? opts.env[passwordEnv] : undefined;
  if (passwordEnv && password === undefined)
    throw new ConfigError(`--password ${passwordEnv}: that environment variable is not set`);
  return password;
}

type Anchors = Awaited<ReturnType<typeof inspectAnchors>>;

function baseReport(opts: InspectOptions, anchors: Anchors): Omit<InspectReport, 'target' | 'certificates'> {
  return {
    schemaVersion: 1,
    kind: 'certwarden/inspect',
    tool: { name: 'certwarden', version: VERSION },
    inspectedAt: opts.now.toISOString(),
    presentation: 'chain',
    trust: {
      store: { requested: anchors.requested, used: anchors.used },
      sources: anchors.sources,
      anchors: anchors.anchors.length,
      verdict: 'not-checked',
      trusted: false,
      anchor: null,
      hostname: null,
      problems: [],
      notes: [...anchors.notes],
    },
    revocation: null,
    exitCode: EXIT.findings,
  };
}

function hostRef(name: string): { kind: 'DNS' | 'IP'; value: string } {
  return isIP(name) ? { kind: 'IP', value: name } : { kind: 'DNS', value: name.replace(/\.$/, '') };
}

async function inspectEndpoint(
  hp: { host: string; port: number },
  opts: InspectOptions,
  anchors: Anchors,
): Promise<InspectResult> {
  const starttls = opts.starttls;
  if (starttls && !(STARTTLS as readonly string[]).includes(starttls))
    throw new ConfigError(
      `--starttls '${safeText(starttls)}' is not supported; expected one of ${STARTTLS.join(', ')}`,
    );
  const ep: EndpointSource = {
    ...hp,
    serverName: opts.serverName,
    starttls: starttls as EndpointSource['starttls'],
    via: opts.via,
  };
  const { probeEndpoint } = await import('../sources/endpoint/probe.js');
  const probe = await probeEndpoint(ep, { timeoutMs: opts.timeoutMs });
  const report: InspectReport = {
    ...baseReport(opts, anchors),
    target: {
      kind: 'endpoint',
      input: opts.target,
      endpoint: {
        host: probe.host,
        port: probe.port,
        serverName: probe.serverName,
        starttls: probe.starttls,
        via: probe.via,
        address: probe.address,
        reachable: probe.ok,
        error: probe.error,
        protocol: probe.protocol,
        cipher: probe.cipher,
        clientCertificateRequested: probe.clientCertRequested,
        chainFrom: probe.chainMethod,
        attempts: probe.attempts,
        elapsedMs: probe.elapsedMs,
        notes: probe.notes,
      },
      file: null,
    },
    certificates: [],
  };
  if (!probe.ok) return finish(report, 'endpoint');
  const records: (CertRecord | string)[] = probe.chain.map((der, i) => {
    try {
      return parseCertificate(der, `presented[${i}]`);
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  });
  report.certificates = describeAll(records, 'presented', opts.now);
  const leaf = records[0];
  const name = opts.serverName ?? hp.host;
  if (typeof leaf === 'object') {
    const rest = records.slice(1).filter((r): r is CertRecord => typeof r === 'object');
    judge(report, leaf, rest, anchors, opts.now, { purpose: 'serverAuth', hostname: hostRef(name) });
    report.revocation = await checkRevocation([leaf, ...rest], probe.ocspResponse ?? null, anchors, opts);
  }
  return finish(report, 'endpoint');
}

/** Revocation status of each certificate of the path to the anchors, and of a stapled response. */
async function checkRevocation(
  records: CertRecord[],
  staple: Buffer | null,
  anchors: Anchors,
  opts: InspectOptions,
): Promise<ObservedRevocation> {
  const fetcher = new Fetcher({ offline: opts.offline, timeoutMs: opts.timeoutMs });
  try {
    const stage = new RevocationStage({ fetcher, now: opts.now, timeoutMs: opts.timeoutMs });
    return await stage.checkPath(revocationPath(records, anchors.anchors, [], opts.now), staple);
  } finally {
    fetcher.close();
  }
}

/** Every certificate of a list, with its role from the one role rule. */
function describeAll(records: (CertRecord | string)[], list: CertificateList, now: Date) {
  return records.map((r, i) =>
    typeof r === 'string'
      ? { index: i, error: r }
      : // a store is a set, not a chain: no certificate "follows" another
        inspectCertificate(
          r,
          i,
          certificateRole(r, i, list),
          now,
          list === 'store' ? undefined : records[i - 1],
        ),
  );
}

/** Verifies leaf + rest against the anchors into report.trust. */
function judge(
  report: InspectReport,
  leaf: CertRecord,
  rest: CertRecord[],
  anchors: Anchors,
  now: Date,
  extra: { purpose?: 'serverAuth'; hostname?: { kind: 'DNS' | 'IP'; value: string } } = {},
): void {
  const v = verifyChain(leaf, rest, anchors.anchors, { now, ...extra });
  const t = report.trust;
  t.verdict = v.trusted ? 'trusted' : 'not-trusted';
  t.trusted = v.trusted;
  t.anchor = v.anchor;
  t.hostname = extra.hostname?.value ?? null;
  t.problems = v.problems.map((p) => ({ code: p.code, message: p.message, certificate: p.certificate }));
}

/** The exit code and the text, once the report is complete. */
function finish(report: InspectReport, kind: 'endpoint' | 'file'): InspectResult {
  const certs = report.certificates;
  const allValid = certs.every((c) => !('error' in c) && c.validity === 'valid');
  const ok =
    report.presentation === 'store'
      ? certs.length > 0 && allValid
      : report.trust.trusted && certs.length > 0 && !('error' in certs[0]!);
  report.exitCode = ok ? EXIT.clean : EXIT.findings;
  return {
    exitCode: report.exitCode,
    kind,
    trusted: report.trust.trusted,
    report,
    text: renderInspectText(report),
  };
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
  password: string | undefined,
): Promise<ReturnType<typeof readCertificates>> {
  // One deadline for reading and decoding: a keystore's key derivation stops with it too.
  const deadline = startDeadline(opts.timeoutMs);
  try {
    // Stat first (a FIFO or device is refused, never opened), a size cap, and a deadline.
    const bytes = await readCertificateFile(file, { timeoutMs: opts.timeoutMs, signal: deadline.signal });
    // A certificate next to its key (kubelet-client-current.pem): read the certificates, never the key.
    return await readCertificatesAsync(bytes, {
      file,
      password,
      privateKeys: 'skip',
      signal: deadline.signal,
    });
  } catch (err) {
    // A file that is not a certificate (or holds only a private key) is a problem with the input.
    if (err instanceof ParseError) throw new ConfigError(forInspect(err.message));
    if (err instanceof FileRefusedError) throw new ConfigError(`${err.path}: ${err.message}`);
    if (err instanceof DeadlineError) throw new ConfigError(err.message);
    throw err;
  } finally {
    deadline.dispose();
  }
}

async function inspectFile(
  file: string,
  opts: InspectOptions,
  password: string | undefined,
  anchors: Anchors,
): Promise<InspectResult> {
  const res = await readFileCertificates(file, opts, password);
  const records = res.certificates.map((c) => c.record);
  // A file whose first certificate is a CA and that holds no end-entity certificate is a set of
  // anchors (a CA bundle, a trust store), not a chain: no chain order, no chain verdict.
  // The same rule the evaluation uses for a file target (x509/role.ts).
  const isStore = isCaSet(records);
  const report: InspectReport = {
    ...baseReport(opts, anchors),
    presentation: isStore ? 'store' : 'chain',
    target: {
      kind: 'file',
      input: opts.target,
      endpoint: null,
      file: { path: file, format: res.format, notes: res.warnings },
    },
    certificates: describeAll(records, isStore ? 'store' : 'file', opts.now),
  };
  if (isStore) {
    report.trust.verdict = 'not-applicable';
    return finish(report, 'file');
  }
  // The certificate judged: the file's leaf, else its first end-entity certificate, else its first.
  const leafIndex = records.findIndex((r, i) => certificateRole(r, i, 'file') === 'leaf');
  const leaf = records[leafIndex] ?? records.find((r) => !r.isCA) ?? records[0];
  if (!leaf) return finish(report, 'file');
  const others = records.filter((r) => r !== leaf);
  judge(report, leaf, others, anchors, opts.now);
  report.revocation = await checkRevocation([leaf, ...others], null, anchors, opts);
  if (!report.trust.trusted) {
    // Say plainly when the path ends at a self-signed CA the file itself carries (or the leaf is one).
    const fileRoots = records
      .filter((r) => (r.isCA || r === leaf) && r.selfIssued)
      .map((r) => ({ id: r.subject.dn, record: r }));
    const own = fileRoots.length ? verifyChain(leaf, others, fileRoots, { now: opts.now }) : undefined;
    if (own?.trusted) report.trust.selfSignedRootInFile = own.anchor;
  }
  return finish(report, 'file');
}
