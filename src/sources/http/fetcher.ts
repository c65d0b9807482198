// The real HTTP fetcher behind the HttpFetcher port. Everything fetched here (OCSP responses, CRLs,
// CA certificates) is signed and verified by the caller, so the transport needs no trust of its
// own; what it must do is stay bounded whatever a server does: http and https only, at most three
// redirects, a size cap per request, a deadline per fetch within the caller's, a bounded number of
// fetches at once, each distinct request made once per run, and a host that did not answer (a
// tarpit, a black hole) asked only once.
import * as http from 'node:http';
import * as https from 'node:https';
import { createHash } from 'node:crypto';
import { safeText } from '../../core/text.js';
import { Gate } from '../../core/limit.js';
import { parseHttpUrl, showUrl } from './url.js';
import { OFFLINE_FLAG, fetchingOff } from './offline.js';
import type { FetchFail, FetchFailure, FetchRequest, FetchResult, HttpFetcher } from './types.js';

/** Name under which collectors find the run's fetcher in CollectContext.services (and tests hand in their own). */
export const HTTP_FETCHER_SERVICE = 'httpFetcher';

export interface FetcherOptions {
  /** Turn every fetch off (air-gapped zones). */
  offline?: boolean;
  /** Why it is off, for findings (default "--offline"). */
  offlineReason?: string;
  /** Fetches in flight at once (default 16). */
  concurrency?: number;
  /** Deadline of one fetch, redirects included, ms (default 5000); never beyond the caller's. */
  timeoutMs?: number;
  /** Redirects followed (default 3). */
  maxRedirects?: number;
  /** Clock, for tests of deadlines (default Date.now). */
  clock?: () => number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const GRACE_MS = 25;
/** Failures that say the host itself is not answering: later requests to it fail fast. */
const HOST_DOWN = new Set<FetchFailure>(['timeout', 'refused', 'dns']);

class Failure extends Error {
  constructor(
    readonly reason: FetchFailure,
    message: string,
  ) {
    super(message);
  }
}

/** The fetcher for one run. close() releases kept-alive connections. */
export class Fetcher implements HttpFetcher {
  readonly offline: boolean;
  readonly offlineReason?: string;
  private readonly gate: Gate;
  private readonly timeoutMs: number;
  private readonly maxRedirects: number;
  private readonly clock: () => number;
  private readonly cache = new Map<string, Promise<FetchResult>>();
  private readonly downHosts = new Map<string, FetchFail>();
  private readonly agents = {
    http: new http.Agent({ keepAlive: true, maxSockets: 64 }),
    https: new https.Agent({ keepAlive: true, maxSockets: 64 }),
  };

  constructor(opts: FetcherOptions = {}) {
    this.offline = opts.offline === true;
    if (this.offline) this.offlineReason = opts.offlineReason ?? OFFLINE_FLAG;
    this.gate = new Gate(Math.max(1, opts.concurrency ?? 16));
    this.timeoutMs = Math.max(1, opts.timeoutMs ?? 5000);
    this.maxRedirects = Math.max(0, opts.maxRedirects ?? 3);
    this.clock = opts.clock ?? Date.now;
  }

  /** Distinct requests made so far (cache entries), for reports and benchmarks. */
  get requests(): number {
    return this.cache.size;
  }

  fetch(req: FetchRequest): Promise<FetchResult> {
    const method = req.method ?? 'GET';
    const key = `${method} ${req.url} ${req.body ? createHash('sha256').update(req.body).digest('base64') : ''}`;
    let hit = this.cache.get(key);
    if (!hit) {
      hit = this.run({ ...req, method });
      this.cache.set(key, hit);
    }
    // A cached or queued fetch may outlive a caller's deadline: the caller stops waiting at its own.
    // (A little grace lets a fetch that times out on its own say so first, and mark its host down.)
    const deadline = Math.min(req.deadline ?? Infinity, this.clock() + this.timeoutMs);
    return this.within(hit, req.url, deadline + GRACE_MS);
  }

  async ocsp(
    url: string,
    request: Buffer,
    opts: { maxBytes: number; deadline?: number },
  ): Promise<FetchResult> {
    const post = await this.fetch({
      url,
      method: 'POST',
      body: request,
      contentType: 'application/ocsp-request',
      accept: 'application/ocsp-response',
      ...opts,
    });
    // Only an HTTP-level refusal of the POST is worth a GET; a host that is down stays down.
    if (post.ok || (post.reason !== 'status' && post.reason !== 'io')) return post;
    const sep = url.endsWith('/') ? '' : '/';
    const get = await this.fetch({
      url: `${url}${sep}${encodeURIComponent(request.toString('base64'))}`,
      accept: 'application/ocsp-response',
      ...opts,
    });
    return get.ok ? { ...get, url } : { ...post, message: `${post.message}; GET: ${get.message}` };
  }

  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  private fail(url: string, reason: FetchFailure, message: string, started: number): FetchFail {
    return { ok: false, url, reason, message, elapsedMs: this.clock() - started };
  }

  private within(p: Promise<FetchResult>, url: string, deadline: number): Promise<FetchResult> {
    const started = this.clock();
    const left = deadline - started;
    if (left <= 0)
      return Promise.resolve(this.fail(url, 'timeout', 'no time left within the deadline', started));
    return new Promise((resolve) => {
      const t = setTimeout(
        () =>
          resolve(this.fail(url, 'timeout', `no answer from ${showUrl(url)} within the deadline`, started)),
        left,
      );
      void p.then((r) => {
        clearTimeout(t);
        resolve(r);
      });
    });
  }

  private async run(req: FetchRequest & { method: 'GET' | 'POST' }): Promise<FetchResult> {
    const started = this.clock();
    const first = parseHttpUrl(req.url);
    if (!first)
      return this.fail(
        req.url,
        'scheme',
        `${showUrl(req.url)} is not an http or https URL; not fetched`,
        started,
      );
    if (this.offline) return this.fail(req.url, 'offline', fetchingOff(this.offlineReason), started);
    const deadline = Math.min(started + this.timeoutMs, req.deadline ?? Infinity);
    // Only a fetch that had its full time and got nothing says the host is down; one cut short by
    // its caller's deadline says nothing about the host.
    const fullWindow = deadline === started + this.timeoutMs;
    await this.gate.enter();
    try {
      let url = first;
      let method = req.method;
      let body = req.body;
      for (let hop = 0; ; hop++) {
        const down = this.downHosts.get(url.host);
        if (down)
          return this.fail(
            req.url,
            down.reason,
            `${down.message} (not asked again: the host did not answer earlier in this run)`,
            started,
          );
        if (this.clock() >= deadline)
          return this.fail(
            req.url,
            'timeout',
            `no time left to fetch ${showUrl(url.href)} within the deadline`,
            started,
          );
        let res: Answer;
        try {
          res = await this.once(url, method, body, req, deadline);
        } catch (e) {
          const f = e instanceof Failure ? e : new Failure('io', safeText((e as Error).message));
          const out = this.fail(req.url, f.reason, f.message, started);
          if (HOST_DOWN.has(f.reason) && (f.reason !== 'timeout' || fullWindow))
            this.downHosts.set(url.host, out);
          return out;
        }
        if (REDIRECTS.has(res.status)) {
          if (hop >= this.maxRedirects)
            return this.fail(
              req.url,
              'redirects',
              `more than ${this.maxRedirects} redirects from ${showUrl(req.url)}`,
              started,
            );
          const next = res.location ? parseHttpUrl(new URL(res.location, url).href) : null;
          if (!next)
            return this.fail(
              req.url,
              'redirects',
              `${showUrl(url.href)} redirects to a URL that is not http or https`,
              started,
            );
          if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
            method = 'GET';
            body = undefined;
          }
          url = next;
          continue;
        }
        if (res.status !== 200)
          return this.fail(req.url, 'status', `${showUrl(url.href)} answered HTTP ${res.status}`, started);
        return {
          ok: true,
          url: req.url,
          finalUrl: url.href,
          status: res.status,
          contentType: res.contentType,
          body: res.body,
          elapsedMs: this.clock() - started,
        };
      }
    } finally {
      this.gate.leave();
    }
  }

  /** One HTTP exchange, ended by `deadline` at the latest; throws Failure. */
  private once(
    url: URL,
    method: 'GET' | 'POST',
    body: Buffer | undefined,
    req: FetchRequest,
    deadline: number,
  ): Promise<Answer> {
    return new Promise<Answer>((resolve, reject) => {
      const mod = url.protocol === 'https:' ? https : http;
      const headers: Record<string, string> = { 'user-agent': 'certwarden', accept: req.accept ?? '*/*' };
      if (body) {
        headers['content-type'] = req.contentType ?? 'application/octet-stream';
        headers['content-length'] = String(body.length);
      }
      let settled = false;
      const done = (err: Failure | null, answer?: Answer): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) {
          r.destroy();
          reject(err);
        } else resolve(answer!);
      };
      const r = mod.request(
        url,
        {
          method,
          headers,
          agent: url.protocol === 'https:' ? this.agents.https : this.agents.http,
          // The objects fetched are signed and verified by the caller; the transport is not trusted.
          ...(url.protocol === 'https:' ? { rejectUnauthorized: false } : {}),
        },
        (res) => {
          const status = res.statusCode ?? 0;
          const location = typeof res.headers.location === 'string' ? res.headers.location : null;
          const contentType = res.headers['content-type'] ?? null;
          if (status !== 200) {
            res.resume();
            return done(null, { status, location, contentType, body: Buffer.alloc(0) });
          }
          const declared = Number(res.headers['content-length']);
          if (Number.isFinite(declared) && declared > req.maxBytes)
            return done(
              new Failure(
                'too-large',
                `${showUrl(url.href)} sends ${declared} bytes, more than the ${req.maxBytes} allowed`,
              ),
            );
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > req.maxBytes)
              return done(
                new Failure(
                  'too-large',
                  `${showUrl(url.href)} sends more than the ${req.maxBytes} bytes allowed`,
                ),
              );
            chunks.push(c);
          });
          res.on('end', () =>
            done(null, { status, location, contentType, body: Buffer.concat(chunks, size) }),
          );
          res.on('aborted', () =>
            done(new Failure('io', `${showUrl(url.href)} closed the connection mid-answer`)),
          );
          res.on('error', (e) => done(new Failure('io', `${showUrl(url.href)}: ${safeText(e.message)}`)));
        },
      );
      const timer = setTimeout(
        () => done(new Failure('timeout', `no answer from ${showUrl(url.href)} within the deadline`)),
        Math.max(0, deadline - this.clock()),
      );
      r.on('error', (e: NodeJS.ErrnoException) => done(classify(e, url)));
      r.end(body);
    });
  }
}

interface Answer {
  status: number;
  location: string | null;
  contentType: string | null;
  body: Buffer;
}

function classify(e: NodeJS.ErrnoException, url: URL): Failure {
  const code = e.code ?? '';
  const where = showUrl(url.href);
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH')
    return new Failure('refused', `${where}: connection refused (${code})`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME')
    return new Failure('dns', `${where}: the host name does not resolve (${code})`);
  return new Failure('io', `${where}: ${safeText(code || e.message)}`);
}
