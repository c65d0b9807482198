// An HTTPS Kubernetes API server for tests, on 127.0.0.1, speaking the real list/get protocol:
// discovery (/version, /api, /apis, resource lists), list with limit/continue and resourceVersion,
// get, Status errors. Client-certificate and bearer-token authentication. 403 injection per
// kind/namespace, 410 injection on a continue token, kinds that are "not installed" (404).
// Real enough that Debian's kubectl talks to it (test/kube/kubectl.test.ts).
// Writes for the renewal apply step: create/get/delete of CertificateSigningRequests, PUT of their
// approval subresource, create/replace of Secrets (optimistic concurrency, the API's validation of
// data keys and kubernetes.io/tls Secrets), and a signer: a real CA key that signs approved CSRs for
// its signerName, honouring expirationSeconds, copying SANs and turning usages into EKUs.
import * as https from 'node:https';
import { createHash, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Pki, x509, type Issued } from './pki.js';
import { KINDS, type KindInfo, type KubeKind } from '../../src/sources/kubernetes/kinds.js';

type Obj = Record<string, any>;

/**
 * A 403 rule: every list/get of `kind` (in `namespace`, or anywhere when omitted) is forbidden.
 * `kind: 'Namespace'` forbids listing namespaces (GET /api/v1/namespaces).
 */
export interface ForbidRule {
  kind: KubeKind | 'Namespace';
  namespace?: string;
  /** Only cluster-wide lists (namespace omitted in the request). */
  clusterWideOnly?: boolean;
}

/** A 410 rule: the `page`-th continue request (1 = the first continue) of `kind` answers 410 Gone. */
export interface ExpireRule {
  kind: KubeKind;
  page: number;
  /** Offer an inconsistent-continue token in the 410 Status (as the real server does when it can). */
  carryToken?: boolean;
  /** How many times the rule fires (default 1). */
  times?: number;
}

export interface RequestLog {
  method: string;
  path: string;
  query: Record<string, string>;
  user: string | null;
  status: number;
}

/** A CSR signer: signs approved CSRs for `signerName` with `ca`. */
export interface SignerOptions {
  signerName: string;
  /** The signing CA (default: a new P-256 CA). */
  ca?: Issued;
  /** Denies a CSR when it is created if this returns a reason (an injected approver policy). */
  deny?: (csr: Obj) => string | null;
  /** Fails an approved CSR instead of signing it if this returns a message. */
  fail?: (csr: Obj) => string | null;
  /** Append the CA certificate after the leaf in status.certificate. */
  chain?: boolean;
  /** Replaces what the signer returns (a misbehaving signer: another key, other names, garbage). */
  tamper?: (pem: string) => string | Promise<string>;
  /** Clock for notBefore/notAfter (default: the real clock). */
  now?: () => Date;
}

/** A certificate the signer issued. */
export interface SignedRecord {
  csr: string;
  sha256: string;
  pem: string;
  notBefore: Date;
  notAfter: Date;
}

/** The signer as tests see it: its CA and every certificate it issued. */
export interface TestSigner {
  readonly signerName: string;
  readonly ca: Issued;
  readonly issued: SignedRecord[];
}

interface Generated {
  count: number;
  make: (i: number) => Obj;
}

interface ContinueToken {
  k: string; // kind
  ns: string; // namespace scope ('' = all)
  o: number; // offset
  rv: number; // resourceVersion the list started at
  p: number; // page number of the continue request (1 = first continue)
}

const CORE_RESOURCES = [
  {
    name: 'namespaces',
    singularName: 'namespace',
    namespaced: false,
    kind: 'Namespace',
    verbs: ['get', 'list'],
    shortNames: ['ns'],
  },
];

export class KubeApiServer {
  readonly pki: Pki;
  readonly serverCA: Issued;
  readonly clientCA: Issued;
  readonly clientCert: Issued;
  readonly tokens = new Map<string, string>();
  readonly requests: RequestLog[] = [];
  private server!: https.Server;
  private store = new Map<KubeKind, Map<string, Obj>>();
  private sorted = new Map<KubeKind, Obj[]>();
  private generated = new Map<KubeKind, Generated>();
  private forbidden: ForbidRule[] = [];
  private expires: (ExpireRule & { fired: number })[] = [];
  private missing = new Set<KubeKind>();
  private extraNamespaces = new Set<string>();
  private rv = 1000;
  private signers = new Map<string, SignerOptions & TestSigner>();
  private signing = new Set<string>();
  /** Called between the pages of a list, with the continue token's page number (tests mutate the store here). */
  onContinue: ((kind: KubeKind, page: number) => void) | null = null;
  port = 0;

  private constructor(pki: Pki, serverCA: Issued, clientCA: Issued, clientCert: Issued) {
    this.pki = pki;
    this.serverCA = serverCA;
    this.clientCA = clientCA;
    this.clientCert = clientCert;
  }

  /** Starts a server with its own PKI: a server CA, a serving certificate for 127.0.0.1, a client CA. */
  static async start(opts: { pki?: Pki; tokens?: Record<string, string> } = {}): Promise<KubeApiServer> {
    const pki = opts.pki ?? new Pki();
    const serverCA = await pki.ca({ cn: 'kubernetes test CA' });
    const clientCA = await pki.ca({ cn: 'kubernetes test client CA' });
    const serving = await pki.leaf({
      cn: 'kube-apiserver',
      dns: ['localhost', 'kubernetes'],
      ips: ['127.0.0.1'],
      issuer: serverCA,
      eku: ['serverAuth'],
    });
    const clientCert = await pki.leaf({
      cn: 'certwarden-reader',
      o: ['certwarden:readers'],
      issuer: clientCA,
      eku: ['clientAuth'],
    });
    const s = new KubeApiServer(pki, serverCA, clientCA, clientCert);
    for (const [t, u] of Object.entries(
      opts.tokens ?? { 'test-token-123': 'system:serviceaccount:certwarden:scanner' },
    ))
      s.tokens.set(t, u);
    s.server = https.createServer(
      {
        key: serving.keyPem,
        cert: pki.chainPem(serving),
        ca: [clientCA.pem],
        requestCert: true,
        rejectUnauthorized: false,
      },
      (req, res) => s.handle(req, res),
    );
    s.server.keepAliveTimeout = 5000;
    await new Promise<void>((r) => s.server.listen(0, '127.0.0.1', r));
    s.port = (s.server.address() as AddressInfo).port;
    return s;
  }

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  // ---- store ---------------------------------------------------------------------------------

  /** Adds (or replaces) an object; assigns uid, resourceVersion and creationTimestamp when missing. */
  add(kind: KubeKind, obj: Obj): Obj {
    const info = KINDS[kind];
    const o = structuredClone(obj);
    o.apiVersion ??= info.group ? `${info.group}/${info.version}` : info.version;
    o.kind ??= kind;
    o.metadata ??= {};
    if (!o.metadata.name) throw new Error('test object needs metadata.name');
    if (info.namespaced) o.metadata.namespace ??= 'default';
    else delete o.metadata.namespace;
    o.metadata.uid ??= randomUUID();
    o.metadata.creationTimestamp ??= new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    o.metadata.resourceVersion = String(++this.rv);
    this.map(kind).set(key(o), o);
    this.sorted.delete(kind);
    return o;
  }

  remove(kind: KubeKind, namespace: string | null, name: string): void {
    this.map(kind).delete(`${namespace ?? ''}/${name}`);
    this.sorted.delete(kind);
    this.rv++;
  }

  /** `count` objects made on demand (after the stored ones), so benchmarks need no memory for them. */
  addGenerated(kind: KubeKind, count: number, make: (i: number) => Obj): void {
    this.generated.set(kind, { count, make });
  }

  /** A stored object (a copy), or null. */
  object(kind: KubeKind, namespace: string | null, name: string): Obj | null {
    const o = this.map(kind).get(`${KINDS[kind].namespaced ? (namespace ?? '') : ''}/${name}`);
    return o ? structuredClone(o) : null;
  }

  /** Every stored object of a kind (copies). */
  objects(kind: KubeKind): Obj[] {
    return [...this.map(kind).values()].map((o) => structuredClone(o));
  }

  /** Installs a signer for `opts.signerName`; approved CSRs for it are signed shortly after approval. */
  async signer(opts: SignerOptions): Promise<TestSigner> {
    const ca = opts.ca ?? (await this.pki.ca({ cn: `test signer ${opts.signerName}` }));
    const s = Object.assign({}, opts, { ca, issued: [] as SignedRecord[] });
    this.signers.set(opts.signerName, s);
    // Like a controller that starts late: approved CSRs still waiting for this signer get signed.
    for (const o of this.map('CertificateSigningRequest').values())
      if (
        o.spec?.signerName === opts.signerName &&
        !o.status?.certificate &&
        (o.status?.conditions ?? []).some((c: Obj) => c.type === 'Approved' && c.status === 'True')
      )
        void this.sign(o.metadata.name);
    return s;
  }

  /** Resolves when no signing is in progress (tests that inspect the store right after an approval). */
  async settled(): Promise<void> {
    while (this.signing.size) await new Promise((r) => setTimeout(r, 5));
  }

  /** A namespace that exists even when no stored object is in it (listed by GET /api/v1/namespaces). */
  addNamespace(name: string): void {
    this.extraNamespaces.add(name);
  }

  forbid(rule: ForbidRule): void {
    this.forbidden.push(rule);
  }

  expireContinue(rule: ExpireRule): void {
    this.expires.push({ ...rule, fired: 0 });
  }

  /** The kind's API is not served (e.g. cert-manager's CRD is not installed). */
  uninstall(kind: KubeKind): void {
    this.missing.add(kind);
  }

  private map(kind: KubeKind): Map<string, Obj> {
    let m = this.store.get(kind);
    if (!m) this.store.set(kind, (m = new Map()));
    return m;
  }

  private list(kind: KubeKind): Obj[] {
    let s = this.sorted.get(kind);
    if (!s) {
      s = [...this.map(kind).values()].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
      this.sorted.set(kind, s);
    }
    return s;
  }

  private namespaces(): string[] {
    const set = new Set<string>(this.extraNamespaces);
    for (const [kind, m] of this.store)
      if (KINDS[kind].namespaced) for (const o of m.values()) set.add(o.metadata.namespace);
    return [...set].sort();
  }

  // ---- kubeconfig ----------------------------------------------------------------------------

  /** A kubeconfig (YAML text) for this server: client-certificate or bearer-token user. */
  kubeconfig(
    opts: {
      auth?: 'cert' | 'token';
      token?: string;
      context?: string;
      extra?: { user?: string; cluster?: string };
    } = {},
  ): string {
    const auth = opts.auth ?? 'cert';
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const ctx = opts.context ?? 'test';
    const user =
      auth === 'cert'
        ? `    client-certificate-data: ${b64(this.clientCert.pem)}\n    client-key-data: ${b64(this.clientCert.keyPem)}\n`
        : `    token: ${opts.token ?? [...this.tokens.keys()][0]}\n`;
    return [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: test',
      '  cluster:',
      `    server: ${this.url}`,
      `    certificate-authority-data: ${b64(this.serverCA.pem)}`,
      ...(opts.extra?.cluster ? [opts.extra.cluster] : []),
      'users:',
      '- name: test-user',
      '  user:',
      user.replace(/\n$/, ''),
      ...(opts.extra?.user ? [opts.extra.user] : []),
      'contexts:',
      `- name: ${ctx}`,
      '  context: {cluster: test, user: test-user}',
      `current-context: ${ctx}`,
      '',
    ].join('\n');
  }

  // ---- HTTP ----------------------------------------------------------------------------------

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const query = Object.fromEntries(url.searchParams);
    const log: RequestLog = { method: req.method ?? 'GET', path: url.pathname, query, user: null, status: 0 };
    this.requests.push(log);
    const send = (status: number, body: unknown) => {
      log.status = status;
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(status, {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(text),
        'Cache-Control': 'no-cache, private',
      });
      res.end(text);
    };
    const user = this.authenticate(req);
    if (!user) {
      send(401, statusBody(401, 'Unauthorized', 'Unauthorized'));
      return;
    }
    log.user = user;
    const ctype = String(req.headers['content-type'] ?? 'application/json')
      .split(';')[0]!
      .trim();
    if ((req.method === 'POST' || req.method === 'PUT') && ctype !== 'application/json') {
      // This server speaks JSON only (kubectl's typed commands send protobuf and get this 415).
      req.resume();
      send(
        415,
        statusBody(
          415,
          'UnsupportedMediaType',
          `the body of the request was in an unknown format - accepted media types include: application/json`,
        ),
      );
      return;
    }
    if (req.method === 'POST' || req.method === 'PUT' || req.method === 'DELETE') {
      this.readBody(req)
        .then((body) => this.routeWrite(req.method!, url.pathname, body, user, send))
        .catch((e: Error) => send(500, statusBody(500, 'InternalError', String(e.message))));
      return;
    }
    if (req.method !== 'GET') {
      send(
        405,
        statusBody(
          405,
          'MethodNotAllowed',
          `the server does not allow this method on the requested resource`,
        ),
      );
      return;
    }
    try {
      this.route(url.pathname, url.searchParams, user, send);
    } catch (e) {
      send(500, statusBody(500, 'InternalError', String((e as Error).message)));
    }
  }

  private readBody(req: IncomingMessage): Promise<Obj | null> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > 3 * 1024 * 1024) req.destroy(new Error('request body too large'));
        else chunks.push(c);
      });
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (!text) return resolve(null);
        try {
          resolve(JSON.parse(text) as Obj);
        } catch {
          reject(new Error('request body is not JSON'));
        }
      });
      req.on('error', reject);
    });
  }

  /** POST (create), PUT (replace, CSR approval) and DELETE for Secrets and CertificateSigningRequests. */
  private routeWrite(
    method: string,
    p: string,
    body: Obj | null,
    user: string,
    send: (s: number, b: unknown) => void,
  ): void {
    const m = p.match(
      /^\/(?:api\/v1|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?(?:\/(approval))?$/,
    );
    const info =
      m &&
      Object.values(KINDS).find(
        (k) => k.group === (m[1] ?? '') && k.plural === m[4] && k.version === (m[2] ?? 'v1'),
      );
    const notAllowed = () =>
      send(
        405,
        statusBody(
          405,
          'MethodNotAllowed',
          'the server does not allow this method on the requested resource',
        ),
      );
    if (!m || !info || this.missing.has(info.kind)) {
      send(404, statusBody(404, 'NotFound', 'the server could not find the requested resource'));
      return;
    }
    if (info.kind !== 'Secret' && info.kind !== 'CertificateSigningRequest') return notAllowed();
    const ns = m[3] ? decodeURIComponent(m[3]) : null;
    const name = m[5] ? decodeURIComponent(m[5]) : null;
    const sub = m[6] ?? null;
    const verb = method === 'POST' ? 'create' : method === 'DELETE' ? 'delete' : 'update';
    if (info.namespaced !== (ns !== null)) return notAllowed();
    const denied = this.forbidden.find(
      (r) => r.kind === info.kind && (r.namespace === undefined || r.namespace === ns),
    );
    if (denied) {
      send(
        403,
        statusBody(
          403,
          'Forbidden',
          `${info.plural}${info.group ? '.' + info.group : ''} is forbidden: User "${user}" cannot ${verb} resource "${info.plural}" in API group "${info.group}"${ns ? ` in the namespace "${ns}"` : ''}`,
        ),
      );
      return;
    }
    const notFound = () => send(404, notFoundStatus(info, name ?? ''));
    const invalid = (msg: string) =>
      send(
        422,
        statusBody(
          422,
          'Invalid',
          `${info.kind} "${String(body?.metadata?.name ?? name)}" is invalid: ${msg}`,
        ),
      );
    const k = `${ns ?? ''}/${name}`;
    if (method === 'DELETE') {
      if (!name || sub) return notAllowed();
      const o = this.map(info.kind).get(k);
      if (!o) return notFound();
      this.remove(info.kind, ns, name);
      send(200, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Success',
        details: { name, kind: info.plural },
      });
      return;
    }
    if (!body || typeof body !== 'object' || !body.metadata || typeof body.metadata !== 'object') {
      send(400, statusBody(400, 'BadRequest', 'the request body must be an object with metadata'));
      return;
    }
    if (method === 'POST') {
      if (name) return notAllowed();
      const newName = body.metadata.name;
      if (typeof newName !== 'string' || !/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(newName))
        return invalid('metadata.name: Invalid value: must be a lowercase RFC 1123 subdomain');
      if (this.map(info.kind).has(`${ns ?? ''}/${newName}`)) {
        send(
          409,
          statusBody(
            409,
            'AlreadyExists',
            `${info.plural}${info.group ? '.' + info.group : ''} "${newName}" already exists`,
          ),
        );
        return;
      }
      const problem = info.kind === 'Secret' ? secretProblem(body) : csrProblem(body);
      if (problem) return invalid(problem);
      const o = structuredClone(body);
      delete o.metadata.resourceVersion;
      delete o.metadata.uid;
      delete o.metadata.creationTimestamp;
      if (info.kind === 'CertificateSigningRequest') {
        o.spec.username = user;
        o.status = {};
        const reason = this.signers.get(o.spec.signerName)?.deny?.(o);
        if (reason)
          o.status.conditions = [
            {
              type: 'Denied',
              status: 'True',
              reason: 'TestPolicy',
              message: reason,
              lastUpdateTime: isoNow(),
            },
          ];
      } else o.metadata.namespace = ns;
      send(201, this.add(info.kind, o));
      return;
    }
    // PUT
    if (!name) return notAllowed();
    const cur = this.map(info.kind).get(k);
    if (!cur) return notFound();
    if (body.metadata.name !== name) {
      send(
        400,
        statusBody(
          400,
          'BadRequest',
          `the name of the object (${String(body.metadata.name)}) does not match the name on the URL (${name})`,
        ),
      );
      return;
    }
    if (
      body.metadata.resourceVersion !== undefined &&
      body.metadata.resourceVersion !== cur.metadata.resourceVersion
    ) {
      send(
        409,
        statusBody(
          409,
          'Conflict',
          `Operation cannot be fulfilled on ${info.plural}${info.group ? '.' + info.group : ''} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
        ),
      );
      return;
    }
    if (info.kind === 'Secret') {
      if (sub) return notAllowed();
      if (body.metadata.resourceVersion === undefined)
        return invalid('metadata.resourceVersion: Invalid value: 0: must be specified for an update');
      const problem = secretProblem(body);
      if (problem) return invalid(problem);
      const o = structuredClone(body);
      o.metadata.uid = cur.metadata.uid;
      o.metadata.creationTimestamp = cur.metadata.creationTimestamp;
      o.metadata.namespace = ns;
      send(200, this.add('Secret', o));
      return;
    }
    if (sub !== 'approval') return notAllowed();
    const conditions: Obj[] = Array.isArray(body.status?.conditions) ? body.status.conditions : [];
    const has = (t: string) => conditions.some((c) => c.type === t && c.status === 'True');
    if (has('Approved') && has('Denied'))
      return invalid(
        'status.conditions: Invalid value: Approved and Denied conditions are mutually exclusive',
      );
    const before: Obj[] = cur.status?.conditions ?? [];
    for (const t of ['Approved', 'Denied'])
      if (before.some((c) => c.type === t) && !conditions.some((c) => c.type === t))
        return invalid(`status.conditions: Forbidden: updates may not remove a condition of type "${t}"`);
    const o = structuredClone(cur);
    o.status = { ...(o.status ?? {}), conditions };
    const stored = this.add('CertificateSigningRequest', o);
    send(200, stored);
    if (has('Approved')) void this.sign(name);
  }

  /** Signs an approved CSR once, if a signer serves its signerName. */
  private async sign(name: string): Promise<void> {
    const cur = this.map('CertificateSigningRequest').get(`/${name}`);
    if (!cur || cur.status?.certificate || this.signing.has(name)) return;
    if ((cur.status?.conditions ?? []).some((c: Obj) => c.type === 'Failed' || c.type === 'Denied')) return;
    const signer = this.signers.get(cur.spec.signerName);
    if (!signer) return;
    this.signing.add(name);
    try {
      const failure = signer.fail?.(cur);
      let patch: Obj;
      if (failure) {
        patch = {
          conditions: [
            ...(cur.status?.conditions ?? []),
            {
              type: 'Failed',
              status: 'True',
              reason: 'SignerValidationFailure',
              message: failure,
              lastUpdateTime: isoNow(),
            },
          ],
        };
      } else {
        const rec = await signCsr(signer, cur);
        signer.issued.push({ csr: name, ...rec });
        let pem = signer.chain ? rec.pem + signer.ca.pem : rec.pem;
        if (signer.tamper) pem = await signer.tamper(pem);
        patch = { certificate: Buffer.from(pem).toString('base64') };
      }
      const now = this.map('CertificateSigningRequest').get(`/${name}`);
      if (now && now.metadata.uid === cur.metadata.uid) {
        const o = structuredClone(now);
        o.status = { ...(o.status ?? {}), ...patch };
        this.add('CertificateSigningRequest', o);
      }
    } finally {
      this.signing.delete(name);
    }
  }

  private authenticate(req: IncomingMessage): string | null {
    const sock = req.socket as import('node:tls').TLSSocket;
    if (sock.authorized) {
      const peer = sock.getPeerCertificate();
      if (peer && peer.subject) return String(peer.subject.CN);
    }
    const h = req.headers.authorization;
    if (h && /^Bearer /i.test(h)) return this.tokens.get(h.slice(7).trim()) ?? null;
    return null;
  }

  private route(p: string, q: URLSearchParams, user: string, send: (s: number, b: unknown) => void): void {
    if (p === '/version') {
      send(200, {
        major: '1',
        minor: '32',
        gitVersion: 'v1.32.0-certwarden-test',
        gitCommit: '0',
        gitTreeState: 'clean',
        buildDate: '2026-01-01T00:00:00Z',
        goVersion: 'go1.23',
        compiler: 'gc',
        platform: 'linux/amd64',
      });
      return;
    }
    if (p === '/api') {
      send(200, {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${this.port}` }],
      });
      return;
    }
    if (p === '/apis') {
      const groups = new Map<string, string>();
      for (const info of Object.values(KINDS))
        if (info.group && !this.missing.has(info.kind)) groups.set(info.group, info.version);
      send(200, {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: [...groups].map(([name, version]) => ({
          name,
          versions: [{ groupVersion: `${name}/${version}`, version }],
          preferredVersion: { groupVersion: `${name}/${version}`, version },
        })),
      });
      return;
    }
    const gv = p.match(/^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))\/?$/);
    if (gv) {
      const group = gv[2] ?? '';
      const version = gv[1] ?? gv[3] ?? '';
      const kinds = Object.values(KINDS).filter(
        (k) => k.group === group && k.version === version && !this.missing.has(k.kind),
      );
      if (!kinds.length && group !== '') {
        send(404, statusBody(404, 'NotFound', 'the server could not find the requested resource'));
        return;
      }
      send(200, {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: group ? `${group}/${version}` : version,
        resources: [
          ...(group === '' ? CORE_RESOURCES : []),
          ...kinds.map((k) => ({
            name: k.plural,
            singularName: k.kind.toLowerCase(),
            namespaced: k.namespaced,
            kind: k.kind,
            verbs: ['get', 'list'],
            ...(k.aliases.length ? { shortNames: k.aliases } : {}),
          })),
        ],
      });
      return;
    }
    if (p === '/api/v1/namespaces') {
      if (this.forbidden.some((r) => r.kind === 'Namespace')) {
        send(403, {
          ...statusBody(
            403,
            'Forbidden',
            `namespaces is forbidden: User "${user}" cannot list resource "namespaces" in API group "" at the cluster scope`,
          ),
          details: { kind: 'namespaces' },
        });
        return;
      }
      // Names in order; limit/continue page through them (the token is the last name served).
      const all = this.namespaces();
      const after = q.get('continue') ? Buffer.from(q.get('continue')!, 'base64url').toString('utf8') : null;
      const rest = after === null ? all : all.filter((n) => n > after);
      const limit = Math.max(0, Number(q.get('limit') ?? '0') || 0);
      const page = limit ? rest.slice(0, limit) : rest;
      const meta: Obj = { resourceVersion: String(this.rv) };
      if (page.length < rest.length) meta.continue = Buffer.from(page.at(-1)!).toString('base64url');
      send(200, {
        kind: 'NamespaceList',
        apiVersion: 'v1',
        metadata: meta,
        items: page.map((n) => ({
          metadata: { name: n, uid: `ns-${n}` },
          status: { phase: 'Active' },
        })),
      });
      return;
    }
    // /api/v1[/namespaces/NS]/PLURAL[/NAME]  or  /apis/G/V[/namespaces/NS]/PLURAL[/NAME]
    const m = p.match(
      /^\/(?:api\/v1|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?$/,
    );
    const info =
      m &&
      Object.values(KINDS).find(
        (k) => k.group === (m[1] ?? '') && k.plural === m[4] && k.version === (m[2] ?? 'v1'),
      );
    if (!m || !info || this.missing.has(info.kind)) {
      send(404, statusBody(404, 'NotFound', 'the server could not find the requested resource'));
      return;
    }
    const ns = m[3] ? decodeURIComponent(m[3]) : null;
    const name = m[5] ? decodeURIComponent(m[5]) : null;
    const verb = name ? 'get' : 'list';
    const denied = this.forbidden.find(
      (r) =>
        r.kind === info.kind &&
        (r.namespace === undefined ? !r.clusterWideOnly || ns === null : r.namespace === ns),
    );
    if (denied) {
      const where = ns ? ` in the namespace "${ns}"` : info.namespaced ? ' at the cluster scope' : '';
      send(403, {
        ...statusBody(
          403,
          'Forbidden',
          `${info.plural}${info.group ? '.' + info.group : ''} is forbidden: User "${user}" cannot ${verb} resource "${info.plural}" in API group "${info.group}"${where}`,
        ),
        details: { group: info.group, kind: info.plural, ...(name ? { name } : {}) },
      });
      return;
    }
    if (name) {
      const o = this.map(info.kind).get(`${ns ?? ''}/${name}`) ?? this.findGenerated(info.kind, ns, name);
      if (!o) {
        send(404, notFoundStatus(info, name));
        return;
      }
      send(200, o);
      return;
    }
    this.serveList(info.kind, ns, q, send);
  }

  private findGenerated(kind: KubeKind, ns: string | null, name: string): Obj | null {
    const g = this.generated.get(kind);
    if (!g) return null;
    for (let i = 0; i < g.count; i++) {
      const o = g.make(i);
      if (o.metadata?.name === name && (o.metadata?.namespace ?? null) === ns) return o;
    }
    return null;
  }

  private serveList(
    kind: KubeKind,
    ns: string | null,
    q: URLSearchParams,
    send: (s: number, b: unknown) => void,
  ): void {
    const info = KINDS[kind];
    const limit = Math.max(0, Number(q.get('limit') ?? '0') || 0);
    let offset = 0;
    let startRv = this.rv;
    let page = 0;
    const cont = q.get('continue');
    if (cont) {
      let t: ContinueToken;
      try {
        t = JSON.parse(Buffer.from(cont, 'base64url').toString('utf8')) as ContinueToken;
        if (t.k !== kind || t.ns !== (ns ?? '')) throw new Error('scope');
      } catch {
        send(
          400,
          statusBody(
            400,
            'BadRequest',
            'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
          ),
        );
        return;
      }
      const rule = this.expires.find((r) => r.kind === kind && r.page === t.p && r.fired < (r.times ?? 1));
      if (rule) {
        rule.fired++;
        const body: Obj = statusBody(
          410,
          'Expired',
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
        );
        if (rule.carryToken) body.metadata = { continue: encodeToken({ ...t, rv: this.rv, p: t.p + 1000 }) };
        send(410, body);
        return;
      }
      this.onContinue?.(kind, t.p);
      offset = t.o;
      startRv = t.rv;
      page = t.p;
    }
    const stored = this.list(kind).filter((o) => ns === null || o.metadata.namespace === ns);
    const g = this.generated.get(kind);
    const total = stored.length + (g ? g.count : 0);
    const end = limit ? Math.min(total, offset + limit) : total;
    const items: string[] = [];
    for (let i = offset; i < end; i++) {
      let o: Obj;
      if (i < stored.length) o = stored[i] as Obj;
      else {
        o = (g as Generated).make(i - stored.length);
        if (ns !== null && o.metadata?.namespace !== ns) continue;
      }
      // Like the real server, items in a list carry neither kind nor apiVersion.
      const { kind: _k, apiVersion: _a, ...rest } = o;
      items.push(JSON.stringify(rest));
    }
    const meta: Obj = { resourceVersion: String(startRv) };
    if (end < total) {
      meta.continue = encodeToken({ k: kind, ns: ns ?? '', o: end, rv: startRv, p: page + 1 });
      meta.remainingItemCount = total - end;
    }
    const apiVersion = info.group ? `${info.group}/${info.version}` : info.version;
    send(
      200,
      `{"kind":"${kind}List","apiVersion":"${apiVersion}","metadata":${JSON.stringify(meta)},"items":[${items.join(',')}]}`,
    );
  }
}

function isoNow(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

/** What the real API server's validation says about a Secret, or null. */
function secretProblem(o: Obj): string | null {
  const data = o.data ?? {};
  if (typeof data !== 'object') return 'data: Invalid value: must be a map';
  for (const [k, v] of Object.entries(data)) {
    if (!/^[-._a-zA-Z0-9]+$/.test(k))
      return `data[${k}]: Invalid value: "${k}": a valid config key must consist of alphanumeric characters, '-', '_' or '.'`;
    if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v))
      return `data[${k}]: Invalid value: not base64`;
  }
  if (o.type === 'kubernetes.io/tls')
    for (const k of ['tls.crt', 'tls.key']) if (!(k in data)) return `data[${k}]: Required value`;
  return null;
}

/** What the real API server's validation says about a new CSR, or null. */
function csrProblem(o: Obj): string | null {
  const spec = o.spec ?? {};
  if (typeof spec.signerName !== 'string' || !/^[^/]+\/[^/]+$/.test(spec.signerName))
    return 'spec.signerName: Invalid value: must be a fully qualified domain and path of the form example.com/signer-name';
  if (!Array.isArray(spec.usages) || !spec.usages.length) return 'spec.usages: Required value';
  if (
    spec.expirationSeconds !== undefined &&
    !(Number.isInteger(spec.expirationSeconds) && spec.expirationSeconds >= 600)
  )
    return 'spec.expirationSeconds: Invalid value: may not specify a duration less than 600 seconds (10 minutes)';
  const pem = typeof spec.request === 'string' ? Buffer.from(spec.request, 'base64').toString('utf8') : '';
  if (!/^-----BEGIN CERTIFICATE REQUEST-----/.test(pem.trim()))
    return 'spec.request: Invalid value: []byte{...}: PEM block type must be CERTIFICATE REQUEST';
  return null;
}

const USAGE_EKU: Record<string, string> = {
  'server auth': '1.3.6.1.5.5.7.3.1',
  'client auth': '1.3.6.1.5.5.7.3.2',
  'code signing': '1.3.6.1.5.5.7.3.3',
  'email protection': '1.3.6.1.5.5.7.3.4',
};
const USAGE_KU: Record<string, number> = {
  'digital signature': x509.KeyUsageFlags.digitalSignature,
  'key encipherment': x509.KeyUsageFlags.keyEncipherment,
  'content commitment': x509.KeyUsageFlags.nonRepudiation,
  'data encipherment': x509.KeyUsageFlags.dataEncipherment,
  'key agreement': x509.KeyUsageFlags.keyAgreement,
};

/** Signs a CSR object like kube-controller-manager's signer: subject and SANs from the request. */
async function signCsr(
  signer: SignerOptions & TestSigner,
  csrObj: Obj,
): Promise<{ sha256: string; pem: string; notBefore: Date; notAfter: Date }> {
  const req = new x509.Pkcs10CertificateRequest(Buffer.from(csrObj.spec.request, 'base64').toString('utf8'));
  if (!(await req.verify())) throw new Error('CSR signature does not verify');
  const now = (signer.now ?? (() => new Date()))();
  const notBefore = new Date(now.getTime() - 5 * 60_000); // the kube signer backdates by 5 minutes
  const seconds = csrObj.spec.expirationSeconds ?? 365 * 86_400;
  const notAfter = new Date(now.getTime() + seconds * 1000);
  const usages: string[] = csrObj.spec.usages ?? [];
  const extensions: x509.Extension[] = [new x509.BasicConstraintsExtension(false, undefined, true)];
  const ku = usages.reduce((f, u) => f | (USAGE_KU[u] ?? 0), 0);
  if (ku) extensions.push(new x509.KeyUsagesExtension(ku, true));
  const ekus = usages.map((u) => USAGE_EKU[u]).filter((e): e is string => !!e);
  if (ekus.length) extensions.push(new x509.ExtendedKeyUsageExtension(ekus, false));
  const san = req.extensions.find((e) => e.type === '2.5.29.17');
  if (san) extensions.push(new x509.SubjectAlternativeNameExtension(san.rawData));
  extensions.push(await x509.AuthorityKeyIdentifierExtension.create(signer.ca.cert));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: '01' + randomUUID().replace(/-/g, ''),
    subject: req.subject,
    issuer: signer.ca.cert.subject,
    notBefore,
    notAfter,
    signingAlgorithm:
      signer.ca.keys.privateKey.algorithm.name === 'ECDSA'
        ? { name: 'ECDSA', hash: 'SHA-256' }
        : signer.ca.keys.privateKey.algorithm,
    publicKey: req.publicKey,
    signingKey: signer.ca.keys.privateKey,
    extensions,
  });
  const der = Buffer.from(cert.rawData);
  return {
    sha256: createHash('sha256').update(der).digest('hex'),
    pem: cert.toString('pem') + '\n',
    notBefore,
    notAfter,
  };
}

function encodeToken(t: ContinueToken): string {
  return Buffer.from(JSON.stringify(t)).toString('base64url');
}

function key(o: Obj): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

function notFoundStatus(info: KindInfo, name: string): Obj {
  return {
    ...statusBody(404, 'NotFound', `${info.plural}${info.group ? '.' + info.group : ''} "${name}" not found`),
    details: { name, group: info.group, kind: info.plural },
  };
}

function statusBody(code: number, reason: string, message: string): Obj {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

/** A kubernetes.io/tls Secret manifest (data base64-encoded as the API returns it). */
export function tlsSecret(
  namespace: string,
  name: string,
  certPem: string,
  keyPem: string,
  extra: { ca?: string; annotations?: Record<string, string>; labels?: Record<string, string> } = {},
): Obj {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  return {
    metadata: {
      name,
      namespace,
      ...(extra.annotations ? { annotations: extra.annotations } : {}),
      ...(extra.labels ? { labels: extra.labels } : {}),
    },
    type: 'kubernetes.io/tls',
    data: {
      'tls.crt': b64(certPem),
      'tls.key': b64(keyPem),
      ...(extra.ca ? { 'ca.crt': b64(extra.ca) } : {}),
    },
  };
}
