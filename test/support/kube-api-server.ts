// An HTTPS Kubernetes API server for tests, on 127.0.0.1, speaking the real list/get protocol:
// discovery (/version, /api, /apis, resource lists), list with limit/continue and resourceVersion,
// get, Status errors. Client-certificate and bearer-token authentication. 403 injection per
// kind/namespace, 410 injection on a continue token, kinds that are "not installed" (404).
// Real enough that Debian's kubectl talks to it (test/kube/kubectl.test.ts).
import * as https from 'node:https';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Pki, type Issued } from './pki.js';
import { KINDS, type KubeKind } from '../../src/kube/kinds.js';

type Obj = Record<string, any>;

/** A 403 rule: every list/get of `kind` (in `namespace`, or anywhere when omitted) is forbidden. */
export interface ForbidRule {
  kind: KubeKind;
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
  private rv = 1000;
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
    const set = new Set<string>();
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
      send(200, {
        kind: 'NamespaceList',
        apiVersion: 'v1',
        metadata: { resourceVersion: String(this.rv) },
        items: this.namespaces().map((n) => ({
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
        send(404, {
          ...statusBody(
            404,
            'NotFound',
            `${info.plural}${info.group ? '.' + info.group : ''} "${name}" not found`,
          ),
          details: { name, group: info.group, kind: info.plural },
        });
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

function encodeToken(t: ContinueToken): string {
  return Buffer.from(JSON.stringify(t)).toString('base64url');
}

function key(o: Obj): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
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
