// The Kubernetes API client certwarden uses: HttpKubeApi turns an inventory ClusterRef into the
// read-only KubeApi (read.ts: list/get, bodies sanitised as soon as they are parsed, so private keys
// never leave) and the write API of the renewal apply step (below: CSRs and whole Secrets).
// Kubeconfig loading and its safety rules are in config.ts, requests in transport.ts, errors in errors.ts.
import type { KubeConfig } from '@kubernetes/client-node';
import { ConfigError, formatProblem } from '../../core/errors.js';
import type { ClusterRef } from '../../inventory/types.js';
import { safeText } from '../../core/text.js';
import { apiPath, type KubeKind } from './kinds.js';
import type { KubeObject } from './sanitize.js';
import { KubeApiError, KubeconfigUnusable } from './errors.js';
import { loadKubeConfig, type ClientOptions } from './config.js';
import { KubeTransport, type RawResponse } from './transport.js';
import {
  getObject,
  listNamespacesPage,
  listPage,
  type GetOptions,
  type KubeApi,
  type KubeFactory,
  type ListOptions,
  type ListPage,
  type NamespacePage,
} from './read.js';

export { KubeApiError } from './errors.js';

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
const APPROVAL_REASON = 'CertwardenApproved';

/** A KubeApi over raw HTTPS requests, with the TLS and credentials client-node derives from a KubeConfig. */
export class HttpKubeApi implements KubeApi, KubeWriteApi {
  private readonly http: KubeTransport;

  constructor(kc: KubeConfig, opts: ClientOptions = {}) {
    this.http = new KubeTransport(kc, opts);
  }

  list(kind: KubeKind, opts: ListOptions): Promise<ListPage> {
    return listPage(this.http, kind, opts);
  }

  listNamespaces(opts: { limit: number; continue?: string }): Promise<NamespacePage> {
    return listNamespacesPage(this.http, opts);
  }

  get(
    kind: KubeKind,
    namespace: string | null | undefined,
    name: string,
    opts: GetOptions = {},
  ): Promise<KubeObject | null> {
    return getObject(this.http, kind, namespace, name, opts);
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
      res = await this.http.request(kind, namespace, pathname, method, payload);
    } finally {
      payload?.fill(0);
    }
    if (res.status === 404 && nullOn404) {
      res.body.fill(0);
      return null as T;
    }
    if (res.status < 200 || res.status > 299) {
      const err = this.http.errorFor(kind, namespace, res, verb);
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
    this.http.close();
  }
}

/** Builds the KubeApi for one inventory cluster (throws ConfigError for unsafe or unreadable kubeconfigs). */
export function createKubeApi(cluster: ClusterRef, opts: ClientOptions = {}): HttpKubeApi {
  return new HttpKubeApi(loadKubeConfig(cluster, opts), opts);
}

/**
 * A factory over the inventory's clusters, caching one client per cluster. A cluster whose
 * kubeconfig cannot be used throws KubeconfigUnusable (remembered: asked once, said once), which
 * collectors turn into a failed source on that cluster's targets.
 */
export function kubeFactory(
  clusters: Map<string, ClusterRef>,
  opts: ClientOptions = {},
): KubeFactory & { close(): void } {
  const cache = new Map<string, HttpKubeApi>();
  const unusable = new Map<string, KubeconfigUnusable>();
  const f = (name: string): KubeApi => {
    const hit = cache.get(name);
    if (hit) return hit;
    const failed = unusable.get(name);
    if (failed) throw failed;
    const ref = clusters.get(name);
    if (!ref)
      throw new ConfigError(
        `unknown cluster '${name}'. Expected one of: ${[...clusters.keys()].join(', ') || '(no clusters declared)'}`,
      );
    let api: HttpKubeApi;
    try {
      api = createKubeApi(ref, opts);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      const err = new KubeconfigUnusable(name, e.problems.map((p) => p.message).join('; '));
      unusable.set(name, err);
      opts.logger?.warn(`${formatProblem(e.problems[0] ?? { location: null, message: err.message })}`);
      throw err;
    }
    cache.set(name, api);
    return api;
  };
  return Object.assign(f, { close: () => cache.forEach((a) => a.close()) });
}
