// Raw HTTPS requests to the API server with the TLS settings and credentials client-node derives
// from a KubeConfig: one kept-alive agent, a hard deadline per exchange, a cap on the body size,
// and errors mapped to KubeApiError. Response bodies are handed over as buffers the reader wipes.
import * as https from 'node:https';
import * as http from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';
import { ConfigError } from '../../core/errors.js';
import { safeText } from '../../core/text.js';
import { stripUserinfo } from '../../core/input-errors.js';
import { KINDS } from './kinds.js';
import { JsonScanError } from './json-scan.js';
import { KubeApiError, type KubeErrorKind } from './errors.js';
import type { ClientOptions } from './config.js';

export interface RawResponse {
  status: number;
  body: Buffer;
}

/** The connection to one API server: requests, their deadlines, and error mapping. */
export class KubeTransport {
  private readonly kc: KubeConfig;
  private readonly server: URL;
  private readonly timeoutMs: number;
  private readonly maxBody: number;
  private agent: http.Agent | null = null;

  constructor(kc: KubeConfig, opts: ClientOptions = {}) {
    this.kc = kc;
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new ConfigError('kubeconfig has no current cluster');
    this.server = new URL(cluster.server);
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.maxBody = opts.maxBodyBytes ?? 256 * 1024 * 1024;
  }

  /** Closes kept-alive connections. */
  close(): void {
    this.agent?.destroy();
  }

  private async requestOptions(): Promise<https.RequestOptions> {
    const o: https.RequestOptions = { headers: {} };
    await this.kc.applyToHTTPSOptions(o);
    const cluster = this.kc.getCurrentCluster();
    if (!cluster?.proxyUrl) {
      // One kept-alive agent with the same TLS settings: pages reuse the connection.
      if (!this.agent) {
        const a = {
          keepAlive: true,
          maxSockets: 4,
          ca: o.ca,
          cert: o.cert,
          key: o.key,
          servername: o.servername,
          rejectUnauthorized: o.rejectUnauthorized,
        };
        this.agent = this.server.protocol === 'http:' ? new http.Agent(a) : new https.Agent(a);
      }
      o.agent = this.agent;
    }
    return o;
  }

  async request(
    kind: KubeErrorKind,
    namespace: string | null,
    pathAndQuery: string,
    method = 'GET',
    payload?: Buffer,
  ): Promise<RawResponse> {
    const base = await this.requestOptions();
    const url = new URL(pathAndQuery, this.server);
    const mod = url.protocol === 'http:' ? http : https;
    const headers: Record<string, string | number> = {
      ...(base.headers as Record<string, string>),
      Accept: 'application/json',
      'User-Agent': 'certwarden',
    };
    if (payload) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = payload.length;
    }
    return new Promise<RawResponse>((resolve, reject) => {
      const chunks: Buffer[] = [];
      const wipe = () => {
        for (const c of chunks) c.fill(0);
        chunks.length = 0;
      };
      const fail = (e: Error) => {
        clearTimeout(deadline);
        wipe();
        reject(networkError(e, kind, namespace));
      };
      const req = mod.request(url, { ...base, method, headers, timeout: this.timeoutMs }, (res) => {
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > this.maxBody) {
            req.destroy(
              new KubeApiError({
                status: 0,
                reason: 'protocol',
                message: `response larger than ${this.maxBody} bytes; lower the page size`,
                kind,
                namespace,
              }),
            );
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => {
          clearTimeout(deadline);
          const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
          if (chunks.length > 1) wipe(); // the copy in `body` is wiped by whoever reads it
          resolve({ status: res.statusCode ?? 0, body });
        });
        res.on('error', fail);
      });
      // A hard deadline for the whole exchange: a server that drips bytes cannot hold the scan.
      const deadline = setTimeout(
        () =>
          req.destroy(
            Object.assign(new Error(`no complete answer within ${this.timeoutMs} ms`), { code: 'ETIMEDOUT' }),
          ),
        this.timeoutMs,
      );
      req.on('timeout', () =>
        req.destroy(Object.assign(new Error(`no answer within ${this.timeoutMs} ms`), { code: 'ETIMEDOUT' })),
      );
      req.on('error', fail);
      req.end(payload);
    });
  }

  errorFor(kind: KubeErrorKind, namespace: string | null, res: RawResponse, verb: string): KubeApiError {
    let status: Record<string, unknown> = {};
    try {
      status = JSON.parse(res.body.toString('utf8')) as Record<string, unknown>;
    } catch {
      /* not a Status object */
    }
    res.body.fill(0);
    const meta = (status.metadata ?? {}) as Record<string, unknown>;
    const reason = typeof status.reason === 'string' ? status.reason : `HTTP ${res.status}`;
    const serverMsg = typeof status.message === 'string' ? safeText(status.message).slice(0, 300) : '';
    const scope =
      kind !== 'Namespace' && KINDS[kind].namespaced
        ? namespace
          ? ` in namespace ${namespace}`
          : ' in all namespaces'
        : '';
    return new KubeApiError({
      status: res.status,
      reason,
      kind,
      namespace,
      message: `${verb} ${kind}${scope}: ${res.status} ${reason}${serverMsg ? `: ${serverMsg}` : ''}`,
      continueToken: typeof meta.continue === 'string' && meta.continue ? meta.continue : null,
    });
  }
}

/** Scans a response body, then wipes it: the bytes of skipped keys do not linger in memory. */
export function readBody<T>(body: Buffer, kind: KubeErrorKind, scan: () => T): T {
  try {
    return scan();
  } catch (e) {
    if (e instanceof JsonScanError || e instanceof SyntaxError) {
      // Never quote the body: it may be a Secret.
      throw new KubeApiError({
        status: 200,
        reason: 'protocol',
        message: `${kind}: the API server answered with a body that is not valid JSON (${e instanceof JsonScanError ? e.message : 'syntax error'})`,
        kind,
      });
    }
    throw e;
  } finally {
    body.fill(0);
  }
}

function networkError(e: Error, kind: KubeErrorKind, namespace: string | null): KubeApiError {
  if (e instanceof KubeApiError) return e;
  const code = (e as NodeJS.ErrnoException).code ?? '';
  const reason =
    code === 'ECONNREFUSED'
      ? 'refused'
      : code === 'ETIMEDOUT'
        ? 'timeout'
        : code === 'ECONNRESET' || code === 'EPIPE'
          ? 'reset'
          : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
            ? 'dns'
            : /certificate|self.signed|CERT_|SSL|TLS/i.test(`${code} ${e.message}`)
              ? 'tls-alert'
              : 'protocol';
  return new KubeApiError({
    status: 0,
    reason,
    kind,
    namespace,
    message: `${kind}: ${safeText(stripUserinfo(`${code ? code + ' ' : ''}${e.message}`)).slice(0, 200)}`,
  });
}
