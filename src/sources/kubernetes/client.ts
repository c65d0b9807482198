// The one file that imports @kubernetes/client-node. It turns an inventory ClusterRef into a KubeApi:
// kubeconfig loading (file, env var text, in-cluster), the safety rules (no exec / auth-provider
// users, no skipped TLS verification unless the inventory allows it), and raw list/get requests
// whose JSON is sanitised (sanitize.ts) as soon as it is parsed, so private keys never leave here.
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as http from 'node:http';
import * as path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { ConfigError } from '../../core/errors.js';
import type { ClusterRef } from '../../inventory/types.js';
import { safeText } from '../../core/text.js';
import { apiPath, KINDS, type KubeKind } from './kinds.js';
import { sanitizeObject, type KubeObject } from './sanitize.js';
import { JsonScanError, scanList, scanObject } from './json-scan.js';

export type { KubeObject } from './sanitize.js';

export interface ListOptions {
  namespace?: string;
  limit: number;
  continue?: string;
  /** Keys to keep besides certificate keys (Secrets/ConfigMaps). */
  keep?: string[];
}

export interface ListPage {
  items: KubeObject[];
  /** Token for the next page; null when this was the last page. */
  continue: string | null;
  resourceVersion: string | null;
}

/** One page of namespace names (GET /api/v1/namespaces). */
export interface NamespacePage {
  names: string[];
  /** Token for the next page; null when this was the last page. */
  continue: string | null;
}

/** What a KubeApiError is about: a kind certwarden reads, or the namespace list. */
export type KubeErrorKind = KubeKind | 'Namespace';

export interface GetOptions {
  /** A named key to keep (a declared target's `key`), besides certificate keys. */
  keep?: string[];
}

/** The small interface every Kubernetes consumer in certwarden uses. */
export interface KubeApi {
  list(kind: KubeKind, opts: ListOptions): Promise<ListPage>;
  /** null when the object does not exist (404). */
  get(
    kind: KubeKind,
    namespace: string | null | undefined,
    name: string,
    opts?: GetOptions,
  ): Promise<KubeObject | null>;
  /**
   * One page of the cluster's namespaces: discovery lists a kind per namespace when its cluster-wide
   * list is forbidden. Optional (small fakes in tests need not have it).
   */
  listNamespaces?(opts: { limit: number; continue?: string }): Promise<NamespacePage>;
}

/** One condition of a CertificateSigningRequest (Approved, Denied, Failed). */
export interface CsrCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastUpdateTime?: string;
}

/** A CertificateSigningRequest (certificates.k8s.io/v1) as the write API sends and receives it. */
export interface CsrObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    resourceVersion?: string;
    uid?: string;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec: {
    /** Base64 of the PKCS#10 PEM. */
    request: string;
    signerName: string;
    usages?: string[];
    expirationSeconds?: number;
    username?: string;
  };
  status?: {
    conditions?: CsrCondition[];
    /** Base64 of the issued PEM (leaf, possibly followed by a chain). */
    certificate?: string;
  };
}

/** A Secret with all its data (values base64). Only the renewal apply step ever holds one. */
export interface SecretObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    resourceVersion?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [k: string]: unknown;
  };
  type?: string;
  data?: Record<string, string>;
  immutable?: boolean;
}

/**
 * Write operations for the renewal apply step (separate from the read-only KubeApi). Secrets read
 * here carry private keys: callers must keep them in memory, never log or return them.
 */
export interface KubeWriteApi {
  createCsr(obj: CsrObject): Promise<CsrObject>;
  /** null when the CSR does not exist. */
  getCsr(name: string): Promise<CsrObject | null>;
  /** Adds an Approved condition (reason CertwardenApproved) through the approval subresource. */
  approveCsr(name: string, message: string): Promise<CsrObject>;
  /** Deletes a CSR; a CSR that is already gone is not an error. */
  deleteCsr(name: string): Promise<void>;
  /** The whole Secret, tls.key included; null when it does not exist. */
  getSecretFull(namespace: string, name: string): Promise<SecretObject | null>;
  createSecret(namespace: string, obj: SecretObject): Promise<SecretObject>;
  /** Replaces the Secret if its resourceVersion is still `resourceVersion` (else 409 Conflict). */
  replaceSecret(
    namespace: string,
    name: string,
    obj: SecretObject,
    resourceVersion: string,
  ): Promise<SecretObject>;
}

/** The approval condition reason certwarden writes. */
export const APPROVAL_REASON = 'CertwardenApproved';

/** Builds a KubeApi for a cluster named in the inventory. */
export type KubeFactory = (clusterName: string) => KubeApi;

/** A refused or failed API request. `status` is the HTTP status (0 for a network failure). */
export class KubeApiError extends Error {
  readonly status: number;
  /** Kubernetes Status reason (Forbidden, Expired, NotFound …) or a network reason (refused, timeout …). */
  readonly reason: string;
  readonly kind: KubeErrorKind;
  readonly namespace: string | null;
  /** After a 410 on a continue token: the token the server offers to continue with, if any. */
  readonly continueToken: string | null;
  constructor(o: {
    status: number;
    reason: string;
    message: string;
    kind: KubeErrorKind;
    namespace?: string | null;
    continueToken?: string | null;
  }) {
    super(o.message);
    this.name = 'KubeApiError';
    this.status = o.status;
    this.reason = o.reason;
    this.kind = o.kind;
    this.namespace = o.namespace ?? null;
    this.continueToken = o.continueToken ?? null;
  }
}

export interface ClientOptions {
  env?: NodeJS.ProcessEnv;
  /** Per request deadline, ms. */
  timeoutMs?: number;
  /** Root for the in-cluster service account files (tests); default '' (i.e. /var/run/secrets/…). */
  serviceAccountRoot?: string;
  /** Largest response body accepted, bytes (a page of objects, not the cluster). */
  maxBodyBytes?: number;
}

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** Loads the kubeconfig a ClusterRef names and applies the context. Throws ConfigError. */
export function loadKubeConfig(cluster: ClusterRef, opts: ClientOptions = {}): KubeConfig {
  const env = opts.env ?? process.env;
  const where = `cluster '${cluster.name}'`;
  const kc = new KubeConfig();
  const src = cluster.kubeconfig;
  if (src.inCluster) {
    const host = env.KUBERNETES_SERVICE_HOST;
    const port = env.KUBERNETES_SERVICE_PORT;
    if (!host || !port) {
      throw new ConfigError(
        `${where}: inCluster is set but KUBERNETES_SERVICE_HOST/KUBERNETES_SERVICE_PORT are not (expected to run in a pod)`,
        cluster.location,
      );
    }
    const root = `${opts.serviceAccountRoot ?? ''}${SA_DIR}`;
    const caFile = path.join(root, 'ca.crt');
    const tokenFile = path.join(root, 'token');
    for (const f of [caFile, tokenFile]) {
      if (!fs.existsSync(f))
        throw new ConfigError(
          `${where}: inCluster is set but ${f} does not exist (expected a mounted service account)`,
          cluster.location,
        );
    }
    const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
    kc.loadFromClusterAndUser(
      { name: 'inCluster', server, caFile, skipTLSVerify: false },
      // client-node's tokenFile provider re-reads the token, so rotated service account tokens work.
      { name: 'inClusterUser', authProvider: { name: 'tokenFile', config: { tokenFile } } },
    );
    return kc; // built here, so the exec/auth-provider rule does not apply to it
  }
  let text: string;
  let file: string | undefined;
  if (src.path) {
    file = src.path;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new ConfigError(
        `${where}: cannot read kubeconfig file ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
        cluster.location,
      );
    }
  } else if (src.env) {
    const v = env[src.env];
    if (v === undefined || v.trim() === '') {
      throw new ConfigError(
        `${where}: environment variable ${src.env} is not set (expected the kubeconfig text)`,
        cluster.location,
      );
    }
    if (!/\n/.test(v.trim()) && !/^\s*[{]/.test(v) && fs.existsSync(v.trim())) {
      throw new ConfigError(
        `${where}: environment variable ${src.env} holds a path; it must hold the kubeconfig text (use kubeconfig: {path: …} for a file)`,
        cluster.location,
      );
    }
    text = v;
  } else {
    throw new ConfigError(`${where}: kubeconfig needs one of path, env or inCluster`, cluster.location);
  }
  try {
    kc.loadFromString(text);
  } catch (e) {
    // The parser's message may quote the document, which may hold credentials: say only what failed.
    const first = safeText(String((e as Error).message ?? '').split('\n')[0] ?? '').slice(0, 120);
    throw new ConfigError(
      `${where}: kubeconfig ${file ?? `from ${src.env}`} is not valid (${first.includes('-----') ? 'parse error' : first})`,
      cluster.location,
    );
  }
  if (file) resolveRelativeFiles(kc, path.dirname(file));
  if (src.context) {
    if (!kc.getContextObject(src.context)) {
      throw new ConfigError(
        `${where}: context '${src.context}' is not in the kubeconfig. Expected one of: ${
          kc
            .getContexts()
            .map((c) => c.name)
            .join(', ') || '(none)'
        }`,
        cluster.location,
      );
    }
    kc.setCurrentContext(src.context);
  }
  checkSafety(kc, cluster);
  return kc;
}

function resolveRelativeFiles(kc: KubeConfig, dir: string): void {
  // loadFromString does not know the file's folder; kubectl resolves relative paths against it.
  for (const c of kc.clusters)
    if (c.caFile && !path.isAbsolute(c.caFile)) c.caFile = path.join(dir, c.caFile);
  for (const u of kc.users) {
    if (u.certFile && !path.isAbsolute(u.certFile)) u.certFile = path.join(dir, u.certFile);
    if (u.keyFile && !path.isAbsolute(u.keyFile)) u.keyFile = path.join(dir, u.keyFile);
  }
}

/** The safety rules for a kubeconfig from the inventory. Throws ConfigError naming the rule and the flag. */
export function checkSafety(kc: KubeConfig, cluster: ClusterRef): void {
  const where = `cluster '${cluster.name}'`;
  const ctxName = kc.getCurrentContext();
  if (!ctxName || !kc.getContextObject(ctxName)) {
    throw new ConfigError(
      `${where}: the kubeconfig has no current context; set kubeconfig.context`,
      cluster.location,
    );
  }
  const user = kc.getCurrentUser();
  const kcluster = kc.getCurrentCluster();
  if (!kcluster)
    throw new ConfigError(
      `${where}: context '${ctxName}' names no cluster that the kubeconfig defines`,
      cluster.location,
    );
  const problems: string[] = [];
  if (user?.exec && !cluster.allowExec) {
    problems.push(
      `user '${safeText(user.name)}' runs a command (exec: ${safeText(String(user.exec.command ?? '?'))}); certwarden does not run commands from kubeconfigs unless the cluster sets allowExec: true`,
    );
  }
  if (user?.authProvider && !cluster.allowExec) {
    problems.push(
      `user '${safeText(user.name)}' uses an auth-provider (${safeText(String(user.authProvider.name ?? '?'))}), which may run commands; refused unless the cluster sets allowExec: true`,
    );
  }
  if (kcluster.skipTLSVerify && !cluster.allowInsecure) {
    problems.push(
      `cluster '${safeText(kcluster.name)}' sets insecure-skip-tls-verify; refused unless the cluster sets allowInsecure: true`,
    );
  }
  if (/^http:/i.test(kcluster.server) && !cluster.allowInsecure) {
    problems.push(
      `cluster '${safeText(kcluster.name)}' server ${safeText(kcluster.server)} is plain HTTP; refused unless the cluster sets allowInsecure: true`,
    );
  }
  if (problems.length) {
    throw new ConfigError(problems.map((p) => ({ location: cluster.location, message: `${where}: ${p}` })));
  }
}

interface RawResponse {
  status: number;
  body: Buffer;
}

/** A KubeApi over raw HTTPS requests, with the TLS and credentials client-node derives from a KubeConfig. */
export class HttpKubeApi implements KubeApi, KubeWriteApi {
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

  async list(kind: KubeKind, opts: ListOptions): Promise<ListPage> {
    const q = new URLSearchParams();
    q.set('limit', String(opts.limit));
    if (opts.continue) q.set('continue', opts.continue);
    const res = await this.request(kind, opts.namespace ?? null, `${apiPath(kind, opts.namespace)}?${q}`);
    if (res.status !== 200) throw this.errorFor(kind, opts.namespace ?? null, res, 'list');
    const keep = new Set(opts.keep ?? []);
    const doc = readBody(res.body, kind, () => scanList(res.body, kind, keep));
    const meta = doc.metadata;
    const page: ListPage = {
      items: doc.items.map((it) => sanitizeObject(kind, it, { keep: opts.keep })),
      continue: typeof meta.continue === 'string' && meta.continue ? meta.continue : null,
      resourceVersion: typeof meta.resourceVersion === 'string' ? meta.resourceVersion : null,
    };
    return page;
  }

  async listNamespaces(opts: { limit: number; continue?: string }): Promise<NamespacePage> {
    const q = new URLSearchParams();
    q.set('limit', String(opts.limit));
    if (opts.continue) q.set('continue', opts.continue);
    const res = await this.request('Namespace', null, `/api/v1/namespaces?${q}`);
    if (res.status !== 200) throw this.errorFor('Namespace', null, res, 'list');
    const doc = readBody(res.body, 'Namespace', () => {
      const d = JSON.parse(res.body.toString('utf8')) as {
        metadata?: { continue?: unknown };
        items?: { metadata?: { name?: unknown } }[];
      };
      if (!d || typeof d !== 'object' || !Array.isArray(d.items)) throw new SyntaxError('not a list');
      return d;
    });
    // Namespace names are DNS-1123 labels on every real server; anything else (hostile) is dropped.
    const names = (doc.items ?? [])
      .map((it) => it?.metadata?.name)
      .filter((n): n is string => typeof n === 'string' && /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(n));
    const cont = doc.metadata?.continue;
    return { names, continue: typeof cont === 'string' && cont ? cont : null };
  }

  async get(
    kind: KubeKind,
    namespace: string | null | undefined,
    name: string,
    opts: GetOptions = {},
  ): Promise<KubeObject | null> {
    const ns = KINDS[kind].namespaced ? (namespace ?? null) : null;
    const res = await this.request(kind, ns, apiPath(kind, ns, name));
    if (res.status === 404) return null;
    if (res.status !== 200) throw this.errorFor(kind, ns, res, 'get');
    const keep = new Set(opts.keep ?? []);
    return sanitizeObject(
      kind,
      readBody(res.body, kind, () => scanObject(res.body, 0, kind, keep)),
      { keep: opts.keep },
    );
  }

  async createCsr(obj: CsrObject): Promise<CsrObject> {
    return this.write<CsrObject>(
      'CertificateSigningRequest',
      null,
      'POST',
      apiPath('CertificateSigningRequest'),
      {
        apiVersion: 'certificates.k8s.io/v1',
        kind: 'CertificateSigningRequest',
        ...obj,
      },
      'create',
    );
  }

  async getCsr(name: string): Promise<CsrObject | null> {
    return this.write<CsrObject>(
      'CertificateSigningRequest',
      null,
      'GET',
      apiPath('CertificateSigningRequest', null, name),
      undefined,
      'get',
      true,
    );
  }

  async approveCsr(name: string, message: string): Promise<CsrObject> {
    // The approval subresource takes the whole object; a concurrent update (409) is retried on a fresh copy.
    for (let attempt = 0; ; attempt++) {
      const csr = await this.getCsr(name);
      if (!csr)
        throw new KubeApiError({
          status: 404,
          reason: 'NotFound',
          kind: 'CertificateSigningRequest',
          message: `approve CertificateSigningRequest ${safeText(name)}: 404 NotFound`,
        });
      const conditions = (csr.status?.conditions ?? []).filter((c) => c.type !== 'Approved');
      conditions.push({
        type: 'Approved',
        status: 'True',
        reason: APPROVAL_REASON,
        message,
        lastUpdateTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      });
      const body: CsrObject = { ...csr, status: { ...csr.status, conditions } };
      try {
        return await this.write<CsrObject>(
          'CertificateSigningRequest',
          null,
          'PUT',
          `${apiPath('CertificateSigningRequest', null, name)}/approval`,
          body,
          'approve',
        );
      } catch (e) {
        if (e instanceof KubeApiError && e.status === 409 && attempt < 3) continue;
        throw e;
      }
    }
  }

  async deleteCsr(name: string): Promise<void> {
    try {
      await this.write(
        'CertificateSigningRequest',
        null,
        'DELETE',
        apiPath('CertificateSigningRequest', null, name),
        undefined,
        'delete',
      );
    } catch (e) {
      if (e instanceof KubeApiError && e.status === 404) return;
      throw e;
    }
  }

  async getSecretFull(namespace: string, name: string): Promise<SecretObject | null> {
    return this.write<SecretObject>(
      'Secret',
      namespace,
      'GET',
      apiPath('Secret', namespace, name),
      undefined,
      'get',
      true,
    );
  }

  async createSecret(namespace: string, obj: SecretObject): Promise<SecretObject> {
    return this.write<SecretObject>(
      'Secret',
      namespace,
      'POST',
      apiPath('Secret', namespace),
      {
        apiVersion: 'v1',
        kind: 'Secret',
        ...obj,
        metadata: { ...obj.metadata, namespace },
      },
      'create',
    );
  }

  async replaceSecret(
    namespace: string,
    name: string,
    obj: SecretObject,
    resourceVersion: string,
  ): Promise<SecretObject> {
    return this.write<SecretObject>(
      'Secret',
      namespace,
      'PUT',
      apiPath('Secret', namespace, name),
      {
        apiVersion: 'v1',
        kind: 'Secret',
        ...obj,
        metadata: { ...obj.metadata, name, namespace, resourceVersion },
      },
      'replace',
    );
  }

  /**
   * One write (or full read) request. Bodies are JSON; request and response buffers are wiped once
   * used, as Secret bodies carry private keys. Error messages never quote long base64 runs.
   */
  private async write<T>(
    kind: KubeKind,
    namespace: string | null,
    method: string,
    pathname: string,
    body: unknown,
    verb: string,
    nullOn404 = false,
  ): Promise<T> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
    let res: RawResponse;
    try {
      res = await this.request(kind, namespace, pathname, method, payload);
    } finally {
      payload?.fill(0);
    }
    if (res.status === 404 && nullOn404) {
      res.body.fill(0);
      return null as T;
    }
    if (res.status < 200 || res.status > 299) {
      const err = this.errorFor(kind, namespace, res, verb);
      throw new KubeApiError({
        status: err.status,
        reason: err.reason,
        kind,
        namespace,
        message: err.message.replace(/[A-Za-z0-9+/=]{40,}/g, '[…]'),
      });
    }
    try {
      return JSON.parse(res.body.toString('utf8')) as T;
    } catch {
      throw new KubeApiError({
        status: res.status,
        reason: 'protocol',
        kind,
        namespace,
        message: `${verb} ${kind}: the API server answered with a body that is not valid JSON`,
      });
    } finally {
      res.body.fill(0);
    }
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

  private async request(
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

  private errorFor(
    kind: KubeErrorKind,
    namespace: string | null,
    res: RawResponse,
    verb: string,
  ): KubeApiError {
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
function readBody<T>(body: Buffer, kind: KubeErrorKind, scan: () => T): T {
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
    message: `${kind}: ${safeText(`${code ? code + ' ' : ''}${e.message}`).slice(0, 200)}`,
  });
}

/** Builds the KubeApi for one inventory cluster (throws ConfigError for unsafe or unreadable kubeconfigs). */
export function createKubeApi(cluster: ClusterRef, opts: ClientOptions = {}): HttpKubeApi {
  return new HttpKubeApi(loadKubeConfig(cluster, opts), opts);
}

/** A factory over the inventory's clusters, caching one client per cluster. */
export function kubeFactory(
  clusters: Map<string, ClusterRef>,
  opts: ClientOptions = {},
): KubeFactory & { close(): void } {
  const cache = new Map<string, HttpKubeApi>();
  const f = (name: string): KubeApi => {
    const hit = cache.get(name);
    if (hit) return hit;
    const ref = clusters.get(name);
    if (!ref)
      throw new ConfigError(
        `unknown cluster '${name}'. Expected one of: ${[...clusters.keys()].join(', ') || '(no clusters declared)'}`,
      );
    const api = createKubeApi(ref, opts);
    cache.set(name, api);
    return api;
  };
  return Object.assign(f, { close: () => cache.forEach((a) => a.close()) });
}
