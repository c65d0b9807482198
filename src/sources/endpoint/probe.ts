// The live TLS probe: one endpoint in, exactly one result out, within a hard deadline that covers DNS,
// connect, proxy tunnel, STARTTLS and handshake (every socket is destroyed when it passes).
// The chain is read from the wire (see handshake-tap.ts) so it is the list the server really sent.
import * as net from 'node:net';
import * as tls from 'node:tls';
import { promises as dns } from 'node:dns';
import { Duplex } from 'node:stream';
import type { EndpointSource } from '../../inventory/types.js';
import { HandshakeTap, alertName } from './handshake-tap.js';
import { ProbeError, type ProbeFailure } from './conversation.js';
import { openTunnel, parseProxy } from './proxy.js';
import { startTls, type StartTlsProtocol } from './starttls.js';
import { safeText } from '../../core/text.js';
import { stripUserinfo } from '../../core/input-errors.js';

export type { ProbeFailure } from './conversation.js';

/** Resolves a host name to addresses (dns.lookup by default; tests inject their own). */
export type LookupFn = (host: string) => Promise<Array<{ address: string; family: number }>>;

export interface ProbeOptions {
  /** Hard deadline for the whole probe, retries included, ms. */
  timeoutMs: number;
  /** Extra attempts after a transient failure (reset before any TLS reply, DNS EAI_AGAIN). Default 1. Never after a timeout. */
  retries?: number;
  signal?: AbortSignal;
  lookup?: LookupFn;
  /**
   * Called once when the server has sent nothing for `stallMs` (default 250) since the probe began:
   * the probe is now only waiting (tarpit, black hole, slow server). A scheduler may free the
   * probe's concurrency slot; the probe itself still runs to its own deadline.
   */
  onStall?: () => void;
  stallMs?: number;
  /** Read the chain from the wire (default true). false: only node's rebuilt chain (chainMethod "peer-certificate"). */
  rawChain?: boolean;
}

/** Default for ProbeOptions.stallMs. */
export const DEFAULT_STALL_MS = 250;

/** Everything a probe learnt about one endpoint. Certificates are DER, in the order the server sent them. */
export interface ProbeResult {
  host: string;
  port: number;
  /** SNI sent (never an IP address); null when none was sent. */
  serverName: string | null;
  starttls: StartTlsProtocol | null;
  via: string | null;
  /** The address the TCP connection went to (the proxy's when `via` is set). */
  address: string | null;
  ok: boolean;
  chain: Buffer[];
  /** "handshake": the raw Certificate message; "peer-certificate": node's rebuilt chain (fallback). */
  chainMethod: 'handshake' | 'peer-certificate' | null;
  protocol: string | null;
  cipher: string | null;
  clientCertRequested: boolean;
  /** The OCSP response the server stapled (DER); null or absent when none. */
  ocspResponse?: Buffer | null;
  error: { reason: ProbeFailure; message: string } | null;
  /** Facts worth showing that are not failures, e.g. the handshake ended with an alert after the chain was read. */
  notes: string[];
  attempts: number;
  elapsedMs: number;
}

/** The probe behind an interface, so collectors and tests can hand in another. */
export type Prober = (ep: EndpointSource, opts: ProbeOptions) => Promise<ProbeResult>;

type Phase = 'dns' | 'connect' | 'proxy' | 'starttls' | 'handshake';

const PHASE_TEXT: Record<Phase, string> = {
  dns: 'while resolving the host name',
  connect: 'while connecting',
  proxy: 'while opening the proxy tunnel',
  starttls: 'during the STARTTLS dialogue',
  handshake:
    'waiting for the TLS handshake (the server accepted the connection but did not complete a handshake)',
};

// A scanner must see legacy servers' certificates too (old appliances): accept TLS 1.0+ and any key size;
// the policy checks judge protocol, cipher and key afterwards. We never verify here: verification is
// done against the inventory's anchors by the chain builder.
let sharedContext: tls.SecureContext | null = null;
function secureContext(): tls.SecureContext {
  sharedContext ??= tls.createSecureContext({
    minVersion: 'TLSv1',
    ciphers: `${tls.DEFAULT_CIPHERS}:@SECLEVEL=0`,
  });
  return sharedContext;
}

const defaultLookup: LookupFn = (host) => dns.lookup(host, { all: true, verbatim: true });

/** Passes the server's bytes to TLS while showing them to the tap first. */
class TapStream extends Duplex {
  constructor(
    private readonly sock: net.Socket,
    onData: (b: Buffer) => void,
  ) {
    super();
    sock.on('data', (d: Buffer) => {
      onData(d);
      if (!this.push(d)) sock.pause();
    });
    sock.on('end', () => this.push(null));
    sock.on('error', (e) => this.destroy(e));
    sock.on('close', () => this.destroy());
  }
  override _read(): void {
    this.sock.resume();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    if (this.sock.destroyed) return cb();
    this.sock.write(chunk, () => cb());
  }
  override _final(cb: () => void): void {
    this.sock.end();
    cb();
  }
  override _destroy(err: Error | null, cb: (e: Error | null) => void): void {
    this.sock.destroy();
    cb(err);
  }
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

const noop = (): void => {};

/** Probes one endpoint. Never throws; always resolves exactly once, by the deadline at the latest. */
export async function probeEndpoint(ep: EndpointSource, opts: ProbeOptions): Promise<ProbeResult> {
  const started = Date.now();
  try {
    return await probeInner(ep, opts, started);
  } catch (e) {
    // Only a bug (or a malformed endpoint object) gets here; it still yields one typed result.
    return {
      host: String(ep?.host ?? ''),
      port: Number(ep?.port),
      serverName: null,
      starttls: ep?.starttls ?? null,
      via: ep?.via ? stripUserinfo(ep.via) : null,
      address: null,
      ok: false,
      chain: [],
      chainMethod: null,
      protocol: null,
      cipher: null,
      clientCertRequested: false,
      error: {
        reason: 'protocol',
        message: `probe failed: ${safeText(e instanceof Error ? e.message : String(e))}`,
      },
      notes: [],
      attempts: 1,
      elapsedMs: Date.now() - started,
    };
  }
}

async function probeInner(ep: EndpointSource, opts: ProbeOptions, started: number): Promise<ProbeResult> {
  const deadline = started + Math.max(1, opts.timeoutMs);
  const host = stripBrackets(String(ep.host ?? ''));
  const sni =
    ep.serverName && net.isIP(stripBrackets(ep.serverName)) === 0
      ? ep.serverName
      : net.isIP(host)
        ? null
        : host;
  const base: ProbeResult = {
    host,
    port: ep.port,
    serverName: sni || null,
    starttls: ep.starttls ?? null,
    via: ep.via ? stripUserinfo(ep.via) : null,
    address: null,
    ok: false,
    chain: [],
    chainMethod: null,
    protocol: null,
    cipher: null,
    clientCertRequested: false,
    error: null,
    notes: [],
    attempts: 0,
    elapsedMs: 0,
  };
  if (ep.serverName && !sni) base.notes.push('serverName is an IP address; no SNI was sent');
  const retries = Math.max(0, opts.retries ?? 1);
  // One stall watch for the whole probe (retries included): cleared by the server's first byte.
  let stallTimer: NodeJS.Timeout | null = opts.onStall
    ? setTimeout(() => {
        stallTimer = null;
        opts.onStall?.();
      }, opts.stallMs ?? DEFAULT_STALL_MS)
    : null;
  const progress = (): void => {
    if (stallTimer) clearTimeout(stallTimer);
    stallTimer = null;
  };
  let result: ProbeResult = base;
  for (let attempt = 1; ; attempt++) {
    result = await attemptOnce({ ...base, notes: [...base.notes] }, ep, deadline, opts, progress);
    result.attempts = attempt;
    const transient = result.error && (result as ProbeResult & { transient?: boolean }).transient;
    delete (result as ProbeResult & { transient?: boolean }).transient;
    if (result.ok || !transient || attempt > retries) break;
    const backoff = 50 * attempt;
    if (Date.now() + backoff >= deadline - 50 || opts.signal?.aborted) break;
    await new Promise((r) => setTimeout(r, backoff));
  }
  progress();
  result.elapsedMs = Date.now() - started;
  return result;
}

function attemptOnce(
  res: ProbeResult,
  ep: EndpointSource,
  deadline: number,
  opts: ProbeOptions,
  progress: () => void,
): Promise<ProbeResult> {
  return new Promise<ProbeResult>((resolve) =>
    new Attempt(res, ep, deadline, opts, progress, resolve).start(),
  );
}

/**
 * One connection attempt: DNS, TCP (directly or through a proxy tunnel), STARTTLS, the TLS
 * handshake. Settles exactly once (`finish`), at the latest when the deadline passes, and destroys
 * every socket it opened when it does.
 */
class Attempt {
  private readonly sockets: Array<{ destroy(): void }> = [];
  private phase: Phase = 'dns';
  private settled = false;
  private readonly tap = new HandshakeTap();
  private firstBytes: Buffer | null = null;
  private timer: NodeJS.Timeout | undefined;
  private readonly onAbort = (): void => this.finish(new ProbeError('timeout', 'scan cancelled'));

  constructor(
    private readonly res: ProbeResult,
    private readonly ep: EndpointSource,
    private readonly deadline: number,
    private readonly opts: ProbeOptions,
    private readonly progress: () => void,
    private readonly resolve: (r: ProbeResult) => void,
  ) {}

  start(): void {
    const { opts } = this;
    this.timer = setTimeout(
      () =>
        this.finish(
          new ProbeError(
            'timeout',
            `no answer within the ${opts.timeoutMs} ms deadline ${PHASE_TEXT[this.phase]}`,
          ),
        ),
      Math.max(0, this.deadline - Date.now()),
    );
    if (opts.signal?.aborted) return this.onAbort();
    opts.signal?.addEventListener('abort', this.onAbort, { once: true });
    this.run().catch((e: unknown) => this.finish(this.classify(e)));
  }

  private finish(error: ProbeError | null): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.opts.signal?.removeEventListener('abort', this.onAbort);
    for (const s of this.sockets) s.destroy();
    const res = this.res;
    if (error) {
      res.ok = false;
      res.error = { reason: error.reason, message: error.message };
      (res as ProbeResult & { transient?: boolean }).transient = error.transient;
    } else res.ok = true;
    this.resolve(res);
  }

  private classify(e: unknown): ProbeError {
    return classify(e, this.tap, this.firstBytes);
  }

  private connect(address: string, port: number): Promise<net.Socket> {
    return new Promise((ok, fail) => {
      const s = net.connect({ host: address, port });
      s.on('error', noop); // errors after settling must not crash the process
      this.sockets.push(s);
      s.setNoDelay(true);
      s.once('connect', () => {
        s.off('error', fail);
        ok(s);
      });
      s.once('error', fail);
    });
  }

  private async resolveHost(name: string): Promise<string[]> {
    if (net.isIP(name)) return [name];
    try {
      const addrs = await (this.opts.lookup ?? defaultLookup)(name);
      if (!addrs.length) throw Object.assign(new Error('no addresses'), { code: 'ENOTFOUND' });
      return addrs.map((a) => a.address);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? '';
      throw new ProbeError(
        'dns',
        `cannot resolve '${safeText(name)}' (${code || (e as Error).message})`,
        code === 'EAI_AGAIN',
      );
    }
  }

  private async run(): Promise<void> {
    const { res, ep } = this;
    if (!res.host) throw new ProbeError('dns', 'endpoint has no host');
    if (!Number.isInteger(res.port) || res.port < 1 || res.port > 65535) {
      throw new ProbeError('refused', `invalid port ${safeText(String(res.port))}`);
    }
    const sock = ep.via ? await this.throughProxy(ep.via) : await this.direct();
    // The first byte from the target (greeting or TLS reply) means it is alive, not a tarpit.
    // Safe to listen here: nothing is read before the STARTTLS/TLS readers attach in this same turn.
    sock.once('data', this.progress);
    if (ep.starttls) {
      this.phase = 'starttls';
      await startTls(sock, ep.starttls);
    }
    this.phase = 'handshake';
    await this.handshake(sock);
  }

  /** A tunnel to the endpoint through the HTTP proxy `via`. */
  private async throughProxy(via: string): Promise<net.Socket> {
    const res = this.res;
    const proxy = parseProxy(via);
    this.phase = 'dns';
    const addrs = await this.resolveHost(proxy.host).catch((e: ProbeError) => {
      throw new ProbeError('proxy', `proxy ${e.message}`);
    });
    this.phase = 'connect';
    const sock = await this.connect(addrs[0]!, proxy.port).catch((e: NodeJS.ErrnoException) => {
      throw new ProbeError(
        'proxy',
        `cannot connect to proxy ${safeText(stripUserinfo(via))}: ${e.code ?? e.message}`,
      );
    });
    res.address = addrs[0]!;
    this.phase = 'proxy';
    await openTunnel(sock, proxy, res.host, res.port);
    return sock;
  }

  /** A connection to the first of the host's addresses that accepts one. */
  private async direct(): Promise<net.Socket> {
    const res = this.res;
    const addrs = await this.resolveHost(res.host);
    this.phase = 'connect';
    let lastErr: unknown = null;
    for (const a of addrs) {
      try {
        const got = await this.connect(a, res.port);
        res.address = a;
        return got;
      } catch (e) {
        lastErr = e;
      }
    }
    throw lastErr;
  }

  /** The TLS handshake over `sock`; settles the attempt (the returned promise never does). */
  private handshake(sock: net.Socket): Promise<void> {
    return new Promise(() => {
      const { opts, tap, res } = this;
      const raw = opts.rawChain !== false;
      if (!raw) tap.stopCapture('raw chain capture disabled');
      // Always through our stream: handing TLS a net.Socket that is already reading (STARTTLS,
      // proxies, the stall watch) is not safe in node, and the first bytes are useful in errors.
      const wire = new TapStream(sock, (d) => {
        this.firstBytes ??= Buffer.from(d.subarray(0, 16));
        try {
          if (raw) tap.feed(d);
        } catch {
          // The tap is an observer: whatever a hostile server sends, it must not break the probe.
        }
      });
      wire.on('error', noop);
      this.sockets.push(wire);
      const connectOptions: tls.ConnectionOptions & Pick<tls.TLSSocketOptions, 'requestOCSP'> = {
        socket: wire,
        servername: res.serverName ?? undefined,
        rejectUnauthorized: false,
        secureContext: secureContext(),
        checkServerIdentity: () => undefined,
        // Ask for a stapled OCSP response (status_request); revocation checking verifies it.
        requestOCSP: true,
      };
      const t = tls.connect(connectOptions);
      // node passes null when the server stapled nothing
      t.on('OCSPResponse', (r: Buffer | null) => {
        if (r?.length) res.ocspResponse = Buffer.from(r);
      });
      this.sockets.push(t);
      if (raw) {
        t.on('keylog', (line: Buffer) => {
          try {
            tap.keylog(line);
          } catch {
            // see above: capture problems fall back to the TLS library's chain
          }
        });
      }
      t.once('secureConnect', () => this.connected(t));
      t.on('error', (e: NodeJS.ErrnoException) => this.failed(e));
      t.on('close', () => {
        if (!this.settled)
          this.finish(this.classify(Object.assign(new Error('connection closed'), { code: 'ECONNRESET' })));
      });
    });
  }

  /** The handshake completed: the connection facts and the chain (from the wire, else node's). */
  private connected(t: tls.TLSSocket): void {
    const { res } = this;
    const st = this.tap.state;
    res.protocol = t.getProtocol() ?? st.protocol;
    const c = t.getCipher() as tls.CipherNameAndProtocol & { standardName?: string };
    res.cipher = c?.standardName ?? st.cipher ?? c?.name ?? null;
    res.clientCertRequested = st.clientCertRequested;
    if (st.chain) {
      res.chain = st.chain;
      res.chainMethod = 'handshake';
    } else {
      res.chain = peerChain(t.getPeerCertificate(true));
      res.chainMethod = 'peer-certificate';
      res.notes.push(
        `raw Certificate message not captured (${st.captureProblem ?? 'not seen'}); chain as rebuilt by the TLS library`,
      );
    }
    this.finish(null);
  }

  /** The handshake failed: after the chain was read that is a note, before it the attempt's failure. */
  private failed(e: NodeJS.ErrnoException): void {
    const { res } = this;
    const st = this.tap.state;
    if (st.chain && !this.settled) {
      // The server showed its chain and then ended the handshake (e.g. it wants a client
      // certificate): the chain is what we came for.
      res.protocol = st.protocol;
      res.cipher = st.cipher;
      res.clientCertRequested = st.clientCertRequested;
      res.chain = st.chain;
      res.chainMethod = 'handshake';
      res.notes.push(`handshake did not complete after the chain was read: ${describeTlsError(e, st.alert)}`);
      return this.finish(null);
    }
    this.finish(this.classify(e));
  }
}

/** node's detailed peer certificate, walked leaf -> issuer (stops at a self-reference). */
function peerChain(cert: tls.DetailedPeerCertificate | Record<string, never>): Buffer[] {
  const out: Buffer[] = [];
  const seen = new Set<string>();
  let c = cert as tls.DetailedPeerCertificate | undefined;
  while (c && c.raw && !seen.has(c.fingerprint256)) {
    seen.add(c.fingerprint256);
    out.push(Buffer.from(c.raw));
    c = c.issuerCertificate;
  }
  return out;
}

/** Short text for a TLS error: the alert name when there is one, not OpenSSL's whole error line. */
function describeTlsError(e: NodeJS.ErrnoException, alert: string | null): string {
  if (alert) return `server sent alert ${alert}`;
  const n = /SSL alert number (\d+)/.exec(e.message);
  if (n) return `server sent alert ${alertName(Number(n[1]))}`;
  return safeText(e.message.split(':').slice(-1)[0]?.trim() || e.message);
}

function preview(b: Buffer | null): string {
  if (!b) return '';
  const text = b.toString('latin1');
  return /^[\x20-\x7e\r\n\t]+$/.test(text)
    ? ` ('${safeText(text.slice(0, 16))}')`
    : ` (0x${b.subarray(0, 8).toString('hex')})`;
}

/** Maps any error to one typed failure. */
function classify(e: unknown, tap: HandshakeTap, firstBytes: Buffer | null): ProbeError {
  if (e instanceof ProbeError) return e;
  const err = e as NodeJS.ErrnoException;
  const code = err?.code ?? '';
  const msg = safeText(String(err?.message ?? e));
  const st = tap.state;
  if (code === 'ECONNREFUSED') return new ProbeError('refused', `connection refused (${msg})`);
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL') {
    return new ProbeError('refused', `host unreachable (${code})`);
  }
  if (st.alert && st.alert !== 'close_notify (0)')
    return new ProbeError('tls-alert', `server sent TLS alert ${st.alert}`);
  if (st.notTls)
    return new ProbeError('protocol', `server answered with something that is not TLS${preview(firstBytes)}`);
  if (/ALERT/.test(code)) return new ProbeError('tls-alert', describeTlsError(err, null));
  if (code === 'ERR_SSL_UNSUPPORTED_PROTOCOL' || code === 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION') {
    return new ProbeError(
      'protocol',
      `no protocol version in common with the server${st.protocol ? ` (it chose ${st.protocol})` : ''}: ${msg}`,
    );
  }
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_'))
    return new ProbeError('protocol', `TLS protocol error: ${msg}`);
  if (code === 'ECONNRESET' || code === 'EPIPE' || /socket disconnected|hang up/i.test(msg)) {
    const sawTls = st.protocol !== null;
    return new ProbeError(
      'reset',
      sawTls
        ? `connection closed by the server during the handshake`
        : `connection closed by the server before any TLS reply`,
      !sawTls && firstBytes === null,
    );
  }
  return new ProbeError('protocol', msg || 'unknown failure');
}
