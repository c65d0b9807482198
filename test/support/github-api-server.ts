// A GitHub REST API test server on 127.0.0.1 with state (issues, labels, comments, pulls, refs, trees,
// blobs, commits). Every request (path + method, path and query parameters, JSON body) and every
// response is checked against GitHub's published OpenAPI description (@octokit/openapi); anything
// that does not match is recorded in `violations` (tests assert it stays empty) and a bad request is
// answered 400 so the client fails visibly. Failures can be injected (e.g. 502 after doing a create).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import formatsModule from 'ajv-formats';

// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = ((formatsModule as unknown as { default?: unknown }).default ?? formatsModule) as (
  ajv: Ajv,
) => Ajv;

// ---------------------------------------------------------------------------------------------
// OpenAPI description: loaded once per process, schemas turned from OpenAPI 3.0 into JSON Schema.

type Json = any;

interface Spec {
  paths: Record<string, Record<string, Json>>;
  components: {
    schemas: Record<string, Json>;
    parameters: Record<string, Json>;
    responses: Record<string, Json>;
  };
}

interface Route {
  template: string;
  regex: RegExp;
  names: string[];
}

interface OpenApi {
  spec: Spec;
  routes: Route[];
  ajv: Ajv;
  paramAjv: Ajv;
  validators: Map<string, ValidateFunction | null>;
}

let cached: OpenApi | null = null;

/** OpenAPI 3.0 -> JSON Schema: `nullable`, `$ref` siblings, refs into the shared components document. */
function toJsonSchema(s: Json): Json {
  if (!s || typeof s !== 'object' || Array.isArray(s)) return s;
  const o: Json = { ...s };
  if (o.properties)
    o.properties = Object.fromEntries(Object.entries(o.properties).map(([k, v]) => [k, toJsonSchema(v)]));
  if (o.items) o.items = toJsonSchema(o.items);
  if (o.additionalProperties && typeof o.additionalProperties === 'object')
    o.additionalProperties = toJsonSchema(o.additionalProperties);
  for (const k of ['allOf', 'anyOf', 'oneOf']) if (Array.isArray(o[k])) o[k] = o[k].map(toJsonSchema);
  if (o.not) o.not = toJsonSchema(o.not);
  delete o.example;
  delete o.examples;
  delete o.discriminator;
  if (typeof o.$ref === 'string' && o.$ref.startsWith('#/')) o.$ref = `gh${o.$ref}`;
  if (o.nullable) {
    delete o.nullable;
    if (o.type && !o.$ref) {
      o.type = [o.type, 'null'];
      if (o.enum) o.enum = [...o.enum, null];
      return o;
    }
    return { anyOf: [{ type: 'null' }, o] };
  }
  if (o.$ref && Object.keys(o).length > 1) {
    const { $ref, ...rest } = o;
    return { ...rest, allOf: [{ $ref }] };
  }
  return o;
}

export function loadOpenApi(): OpenApi {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const file = require.resolve('@octokit/openapi/generated/api.github.com.json');
  const spec = JSON.parse(readFileSync(file, 'utf8')) as Spec;
  const schemas = Object.fromEntries(
    Object.entries(spec.components.schemas).map(([k, v]) => [k, toJsonSchema(v)]),
  );
  const ajv = new Ajv({ strict: false, validateSchema: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('repo.nwo', /^[^/\s]+\/[^/\s]+$/);
  ajv.addSchema({ $id: 'gh', components: { schemas } });
  const paramAjv = new Ajv({ strict: false, validateSchema: false, coerceTypes: 'array', allErrors: true });
  addFormats(paramAjv);
  const routes: Route[] = Object.keys(spec.paths).map((template) => {
    const names: string[] = [];
    const multi = new Set<string>();
    for (const op of Object.values(spec.paths[template] ?? {})) {
      for (const p of (op as Json).parameters ?? []) {
        const param = resolveParam(spec, p);
        if (param?.['x-multi-segment']) multi.add(param.name);
      }
    }
    const pattern = template
      .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
      .replace(/\{([^}]+)\}/g, (_m, name: string) => {
        names.push(name);
        return multi.has(name) ? '(.+)' : '([^/]+)';
      });
    return { template, regex: new RegExp(`^${pattern}$`), names };
  });
  // Literal paths first, so /repos/{o}/{r}/issues/comments beats /repos/{o}/{r}/issues/{issue_number}.
  routes.sort((a, b) => a.names.length - b.names.length);
  cached = { spec, routes, ajv, paramAjv, validators: new Map() };
  return cached;
}

function resolveParam(spec: Spec, p: Json): Json {
  if (p?.$ref) return spec.components.parameters[String(p.$ref).split('/').pop() as string];
  return p;
}

function resolveResponse(spec: Spec, r: Json): Json {
  if (r?.$ref) return spec.components.responses[String(r.$ref).split('/').pop() as string];
  return r;
}

function validator(
  api: OpenApi,
  key: string,
  make: () => Json | null,
  params = false,
): ValidateFunction | null {
  if (api.validators.has(key)) return api.validators.get(key) ?? null;
  const schema = make();
  const v = schema ? (params ? api.paramAjv : api.ajv).compile(schema) : null;
  api.validators.set(key, v);
  return v;
}

function errorsText(v: ValidateFunction): string {
  return (v.errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || '/'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`)
    .join('; ');
}

// ---------------------------------------------------------------------------------------------
// Sample objects: every required field of a schema filled, then overridden with the server's state.

function sample(api: OpenApi, schema: Json, depth = 0): Json {
  if (!schema || depth > 12) return null;
  if (schema.$ref) {
    const name = String(schema.$ref).split('/').pop() as string;
    return sample(api, api.spec.components.schemas[name], depth + 1);
  }
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((s: Json) => sample(api, s, depth + 1)));
  if (schema.anyOf || schema.oneOf) return sample(api, (schema.anyOf ?? schema.oneOf)[0], depth + 1);
  if (schema.nullable) return null;
  if (schema.enum) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const out: Json = {};
      for (const k of schema.required ?? []) out[k] = sample(api, schema.properties?.[k] ?? {}, depth + 1);
      return out;
    }
    case 'array':
      return [];
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return false;
    case 'string':
      if (schema.format === 'date-time') return '2026-01-01T00:00:00Z';
      if (schema.format === 'uri') return 'http://127.0.0.1/x';
      if (schema.format === 'email') return 'someone@example.com';
      return 'x';
    default:
      return null;
  }
}

const samples = new Map<string, Json>();
function base(api: OpenApi, name: string): Json {
  if (!samples.has(name)) samples.set(name, sample(api, { $ref: `#/components/schemas/${name}` }));
  return structuredClone(samples.get(name));
}

// ---------------------------------------------------------------------------------------------
// State.

export interface IssueRecord {
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  stateReason: string | null;
  labels: string[];
  assignees: string[];
  user: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  pull: null | {
    headRef: string;
    headSha: string;
    baseRef: string;
    merged: boolean;
    mergedAt: string | null;
    /** The commit a merge made on the base branch (PUT …/merge). */
    mergeCommitSha?: string | null;
    reviewers: string[];
    teams: string[];
  };
}

export interface CommentRecord {
  id: number;
  issue: number;
  body: string;
  user: string;
  createdAt: string;
  updatedAt: string;
}

export interface LabelRecord {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface CommitRecord {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
  author: { name: string; email: string; date: string };
}

export interface RecordedRequest {
  method: string;
  path: string;
  route: string | null;
  status: number;
  /** The query string, '' when there is none. */
  query: string;
  /** The request body as sent ('' without one), for tests that check what certwarden wrote. */
  body: string;
}

export interface Injection {
  method: string;
  /** Matched against the request path (without query). */
  path: RegExp;
  status: number;
  /** 'after': do the work, then answer with the failure (the ambiguous case). */
  when: 'before' | 'after';
  times: number;
  message?: string;
  headers?: Record<string, string>;
}

export interface ServerOptions {
  owner?: string;
  repo?: string;
  /** token -> login; default { 'test-token': 'certwarden-bot' }. */
  tokens?: Record<string, string>;
  /** Answer GET /user with 403 like a GITHUB_TOKEN does. */
  userForbidden?: boolean;
  defaultBranch?: string;
  /** Files of the default branch's first commit. */
  files?: Record<string, string>;
  /** Users that may be assigned / requested as reviewers (default: anyone). */
  collaborators?: string[];
  /**
   * The server's clock (created/updated times), one second per change from here. Default
   * 2026-11-01T00:00:00Z, the day the test reports are scanned.
   */
  clockStart?: string;
}

export interface GitHubApiServer {
  url: string;
  owner: string;
  repo: string;
  issues: Map<number, IssueRecord>;
  comments: CommentRecord[];
  labels: Map<string, LabelRecord>;
  refs: Map<string, string>;
  commits: Map<string, CommitRecord>;
  trees: Map<string, Record<string, string>>;
  blobs: Map<string, string>;
  requests: RecordedRequest[];
  violations: string[];
  /** Pending failure injections (clear with `injections.length = 0`). */
  injections: Injection[];
  inject(i: Omit<Injection, 'times' | 'when'> & Partial<Pick<Injection, 'times' | 'when'>>): void;
  /** Requests that change something (anything but GET/HEAD), since the last resetCounts(). */
  writes(): RecordedRequest[];
  reads(): RecordedRequest[];
  resetCounts(): void;
  /** Content of a file on a branch, or null. */
  fileAt(branch: string, path: string): string | null;
  /** A human's actions. */
  createIssueAs(login: string, fields: { title: string; body: string; labels: string[] }): IssueRecord;
  /** A human closes an issue (the body is left as it is). */
  closeIssue(number: number): void;
  closePull(number: number, merged?: boolean): void;
  pushAs(login: string, branch: string, files: Record<string, string>): string;
  /** A human merges a PR (what PUT /repos/{o}/{r}/pulls/{n}/merge does); returns the merge commit. */
  mergeAs(login: string, number: number): string;
  close(): Promise<void>;
}

export async function startGitHubApiServer(opts: ServerOptions = {}): Promise<GitHubApiServer> {
  const api = loadOpenApi();
  const owner = opts.owner ?? 'acme';
  const repo = opts.repo ?? 'pki';
  const tokens = opts.tokens ?? { 'test-token': 'certwarden-bot' };
  const defaultBranch = opts.defaultBranch ?? 'main';
  let clock = Date.parse(opts.clockStart ?? '2026-11-01T00:00:00Z');
  const tick = () => new Date((clock += 1000)).toISOString().replace(/\.\d{3}Z$/, 'Z');
  let nextNumber = 1;
  let nextId = 1000;

  const issues = new Map<number, IssueRecord>();
  const comments: CommentRecord[] = [];
  const labels = new Map<string, LabelRecord>();
  const refs = new Map<string, string>();
  const commits = new Map<string, CommitRecord>();
  const trees = new Map<string, Record<string, string>>();
  const blobs = new Map<string, string>();
  const requests: RecordedRequest[] = [];
  const violations: string[] = [];
  const injections: Injection[] = [];
  let countFrom = 0;

  const hash = (s: string) => createHash('sha1').update(s).digest('hex');
  const putBlob = (content: string) => {
    const sha = hash(`blob ${content}`);
    blobs.set(sha, content);
    return sha;
  };
  const putTree = (entries: Record<string, string>) => {
    const sorted = Object.fromEntries(Object.entries(entries).sort(([a], [b]) => a.localeCompare(b)));
    const sha = hash(`tree ${JSON.stringify(sorted)}`);
    trees.set(sha, sorted);
    return sha;
  };
  const putCommit = (c: Omit<CommitRecord, 'sha'>) => {
    const sha = hash(`commit ${JSON.stringify(c)}`);
    commits.set(sha, { ...c, sha });
    return sha;
  };
  const rootTree = putTree(
    Object.fromEntries(Object.entries(opts.files ?? {}).map(([p, c]) => [p, putBlob(c)])),
  );
  refs.set(
    `heads/${defaultBranch}`,
    putCommit({
      tree: rootTree,
      parents: [],
      message: 'initial',
      author: { name: 'Ada', email: 'ada@example.com', date: tick() },
    }),
  );

  const ensureLabel = (name: string): LabelRecord => {
    const existing = labels.get(name.toLowerCase());
    if (existing) return existing;
    const l = { id: nextId++, name, color: 'ededed', description: null };
    labels.set(name.toLowerCase(), l);
    return l;
  };

  let url = '';
  const repoUrl = () => `${url}/repos/${owner}/${repo}`;
  const userJson = (login: string) => ({
    ...base(api, 'simple-user'),
    login,
    id: login.length * 1000 + login.charCodeAt(0),
    type: login.endsWith('[bot]') ? 'Bot' : 'User',
    html_url: `http://127.0.0.1/${encodeURIComponent(login)}`,
  });
  const labelJson = (l: LabelRecord, strict = false) => ({
    ...base(api, 'label'),
    id: l.id,
    name: l.name,
    color: l.color,
    description: strict ? (l.description ?? '') : l.description,
    default: false,
    url: `${repoUrl()}/labels/${encodeURIComponent(l.name)}`,
  });
  const issueJson = (i: IssueRecord) => ({
    ...base(api, 'issue'),
    id: i.number + 50_000,
    number: i.number,
    title: i.title,
    body: i.body,
    state: i.state,
    state_reason: i.stateReason,
    user: userJson(i.user),
    labels: i.labels.map((n) => labelJson(ensureLabel(n))),
    assignee: i.assignees[0] ? userJson(i.assignees[0]) : null,
    assignees: i.assignees.map(userJson),
    milestone: null,
    locked: false,
    active_lock_reason: null,
    comments: comments.filter((c) => c.issue === i.number).length,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    closed_at: i.closedAt,
    author_association: 'MEMBER',
    url: `${repoUrl()}/issues/${i.number}`,
    html_url: `http://127.0.0.1/${owner}/${repo}/issues/${i.number}`,
    ...(i.pull
      ? {
          pull_request: {
            url: `${repoUrl()}/pulls/${i.number}`,
            html_url: `http://127.0.0.1/${owner}/${repo}/pull/${i.number}`,
            diff_url: `http://127.0.0.1/${owner}/${repo}/pull/${i.number}.diff`,
            patch_url: `http://127.0.0.1/${owner}/${repo}/pull/${i.number}.patch`,
            merged_at: i.pull.mergedAt,
          },
        }
      : {}),
  });
  const branchJson = (ref: string, sha: string, schema: string) => ({
    ...base(api, schema).head,
    label: `${owner}:${ref}`,
    ref,
    sha,
    user: userJson(owner),
  });
  const pullJson = (i: IssueRecord, schema: 'pull-request' | 'pull-request-simple') => {
    const p = i.pull!;
    const out = {
      ...base(api, schema),
      id: i.number + 90_000,
      number: i.number,
      title: i.title,
      body: i.body,
      state: i.state,
      user: userJson(i.user),
      // pull-request-simple declares label descriptions as non-null strings.
      labels: i.labels.map((n) => labelJson(ensureLabel(n), schema === 'pull-request-simple')),
      assignee: null,
      assignees: [],
      requested_reviewers: p.reviewers.map(userJson),
      requested_teams: [],
      milestone: null,
      locked: false,
      active_lock_reason: null,
      draft: false,
      created_at: i.createdAt,
      updated_at: i.updatedAt,
      closed_at: i.closedAt,
      merged_at: p.mergedAt,
      merge_commit_sha: p.mergeCommitSha ?? null,
      auto_merge: null,
      author_association: 'MEMBER',
      head: branchJson(p.headRef, p.headSha, schema),
      base: branchJson(p.baseRef, refs.get(`heads/${p.baseRef}`) ?? '', schema),
      url: `${repoUrl()}/pulls/${i.number}`,
      html_url: `http://127.0.0.1/${owner}/${repo}/pull/${i.number}`,
    } as Json;
    if (schema === 'pull-request')
      Object.assign(out, {
        merged: p.merged,
        mergeable: true,
        mergeable_state: 'clean',
        merged_by: null,
        comments: 0,
        review_comments: 0,
        commits: 1,
        additions: 1,
        deletions: 1,
        changed_files: 1,
        maintainer_can_modify: false,
        rebaseable: true,
      });
    return out;
  };
  const commentJson = (c: CommentRecord) => ({
    ...base(api, 'issue-comment'),
    id: c.id,
    body: c.body,
    user: userJson(c.user),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    issue_url: `${repoUrl()}/issues/${c.issue}`,
    html_url: `http://127.0.0.1/${owner}/${repo}/issues/${c.issue}#issuecomment-${c.id}`,
    url: `${repoUrl()}/issues/comments/${c.id}`,
    author_association: 'MEMBER',
  });
  const refJson = (ref: string, sha: string) => ({
    ref: `refs/${ref}`,
    node_id: 'REF_x',
    url: `${repoUrl()}/git/refs/${ref}`,
    object: { type: 'commit', sha, url: `${repoUrl()}/git/commits/${sha}` },
  });
  const commitJson = (c: CommitRecord) => ({
    ...base(api, 'git-commit'),
    sha: c.sha,
    node_id: 'C_x',
    url: `${repoUrl()}/git/commits/${c.sha}`,
    html_url: `http://127.0.0.1/${owner}/${repo}/commit/${c.sha}`,
    author: c.author,
    committer: c.author,
    message: c.message,
    tree: { sha: c.tree, url: `${repoUrl()}/git/trees/${c.tree}` },
    parents: c.parents.map((sha) => ({
      sha,
      url: `${repoUrl()}/git/commits/${sha}`,
      html_url: `http://127.0.0.1/${owner}/${repo}/commit/${sha}`,
    })),
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  });
  const treeJson = (sha: string) => ({
    sha,
    url: `${repoUrl()}/git/trees/${sha}`,
    truncated: false,
    tree: Object.entries(trees.get(sha) ?? {}).map(([path, blob]) => ({
      path,
      mode: '100644',
      type: 'blob',
      sha: blob,
      size: (blobs.get(blob) ?? '').length,
      url: `${repoUrl()}/git/blobs/${blob}`,
    })),
  });

  class HttpError extends Error {
    constructor(
      readonly status: number,
      message: string,
      readonly extra: Json = {},
    ) {
      super(message);
    }
  }
  const notFound = () => new HttpError(404, 'Not Found');
  const invalid = (message: string, errors: Json[] = []) => new HttpError(422, message, { errors });
  const getIssue = (n: string) => {
    const i = issues.get(Number(n));
    if (!i) throw notFound();
    return i;
  };

  function paginate<T>(items: T[], query: Record<string, string>, path: string, res: Headers): T[] {
    const perPage = Math.min(100, Number(query['per_page'] ?? 30));
    const page = Number(query['page'] ?? 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (p: number, rel: string) => {
      const q = new URLSearchParams({ ...query, page: String(p) });
      return `<${url}${path}?${q}>; rel="${rel}"`;
    };
    const links = [];
    if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
    if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'));
    if (links.length) res.set('link', links.join(', '));
    return items.slice((page - 1) * perPage, page * perPage);
  }

  type Headers = Map<string, string>;
  type Handler = (a: {
    p: Record<string, string>;
    q: Record<string, string>;
    b: Json;
    login: string;
    path: string;
    h: Headers;
  }) => [number, Json];

  const order = (list: IssueRecord[], q: Record<string, string>) => {
    const key = q['sort'] === 'updated' ? 'updatedAt' : 'createdAt';
    const dir = q['direction'] ?? 'desc';
    return [...list].sort(
      (a, b) =>
        (a[key] === b[key] ? a.number - b.number : a[key] < b[key] ? -1 : 1) * (dir === 'asc' ? 1 : -1),
    );
  };

  const R = `/repos/{owner}/{repo}`;
  const handlers: Record<string, Handler> = {
    'GET /user': ({ login }) => {
      if (opts.userForbidden) throw new HttpError(403, 'Resource not accessible by integration');
      return [
        200,
        {
          ...base(api, 'private-user'),
          ...userJson(login),
          user_view_type: 'private',
          created_at: '2020-01-01T00:00:00Z',
          updated_at: '2020-01-01T00:00:00Z',
        },
      ];
    },
    [`GET ${R}`]: () => [
      200,
      {
        ...base(api, 'full-repository'),
        name: repo,
        full_name: `${owner}/${repo}`,
        default_branch: defaultBranch,
        owner: userJson(owner),
      },
    ],
    [`GET ${R}/issues`]: ({ q, path, h }) => {
      const want = (q['labels'] ?? '')
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean);
      const state = q['state'] ?? 'open';
      let list = [...issues.values()].filter(
        (i) =>
          (state === 'all' || i.state === state) &&
          want.every((w) => i.labels.some((l) => l.toLowerCase() === w)) &&
          (!q['creator'] || i.user.toLowerCase() === q['creator'].toLowerCase()) &&
          (!q['since'] || i.updatedAt >= q['since']),
      );
      list = order(list, q);
      return [200, paginate(list, q, path, h).map(issueJson)];
    },
    [`POST ${R}/issues`]: ({ b, login }) => {
      const assignees = (b.assignees ?? []) as string[];
      const bad = assignees.filter((a) => opts.collaborators && !opts.collaborators.includes(a));
      if (bad.length)
        throw invalid('Validation Failed', [
          { resource: 'Issue', field: 'assignees', code: 'invalid', value: bad[0] },
        ]);
      const now = tick();
      const rec: IssueRecord = {
        number: nextNumber++,
        title: String(b.title),
        body: b.body ?? null,
        state: 'open',
        stateReason: null,
        labels: ((b.labels ?? []) as string[]).map((l) => ensureLabel(l).name),
        assignees,
        user: login,
        createdAt: now,
        updatedAt: now,
        closedAt: null,
        pull: null,
      };
      issues.set(rec.number, rec);
      return [201, issueJson(rec)];
    },
    [`GET ${R}/issues/{issue_number}`]: ({ p }) => [200, issueJson(getIssue(p['issue_number'] as string))],
    [`PATCH ${R}/issues/{issue_number}`]: ({ p, b }) => {
      const i = getIssue(p['issue_number'] as string);
      if (b.title !== undefined) i.title = String(b.title);
      if (b.body !== undefined) i.body = b.body;
      if (b.labels !== undefined) i.labels = (b.labels as string[]).map((l) => ensureLabel(l).name);
      if (b.assignees !== undefined) i.assignees = b.assignees;
      if (b.state !== undefined && b.state !== i.state) {
        i.state = b.state;
        i.closedAt = b.state === 'closed' ? tick() : null;
        i.stateReason = b.state === 'closed' ? (b.state_reason ?? 'completed') : 'reopened';
      }
      i.updatedAt = tick();
      return [200, issueJson(i)];
    },
    [`GET ${R}/issues/{issue_number}/comments`]: ({ p, q, path, h }) => {
      getIssue(p['issue_number'] as string);
      return [
        200,
        paginate(
          comments.filter((c) => c.issue === Number(p['issue_number'])),
          q,
          path,
          h,
        ).map(commentJson),
      ];
    },
    [`POST ${R}/issues/{issue_number}/comments`]: ({ p, b, login }) => {
      const i = getIssue(p['issue_number'] as string);
      const now = tick();
      const c = {
        id: nextId++,
        issue: i.number,
        body: String(b.body),
        user: login,
        createdAt: now,
        updatedAt: now,
      };
      comments.push(c);
      return [201, commentJson(c)];
    },
    [`PATCH ${R}/issues/comments/{comment_id}`]: ({ p, b }) => {
      const c = comments.find((x) => x.id === Number(p['comment_id']));
      if (!c) throw notFound();
      c.body = String(b.body);
      c.updatedAt = tick();
      return [200, commentJson(c)];
    },
    [`POST ${R}/issues/{issue_number}/labels`]: ({ p, b }) => {
      const i = getIssue(p['issue_number'] as string);
      const add = (Array.isArray(b) ? b : (b.labels ?? [])) as (string | { name: string })[];
      for (const l of add) {
        const name = typeof l === 'string' ? l : l.name;
        if (!i.labels.some((x) => x.toLowerCase() === name.toLowerCase()))
          i.labels.push(ensureLabel(name).name);
      }
      i.updatedAt = tick();
      return [200, i.labels.map((n) => labelJson(ensureLabel(n)))];
    },
    [`GET ${R}/labels`]: ({ q, path, h }) => [
      200,
      paginate([...labels.values()], q, path, h).map((l) => labelJson(l)),
    ],
    [`GET ${R}/labels/{name}`]: ({ p }) => {
      const l = labels.get(String(p['name']).toLowerCase());
      if (!l) throw notFound();
      return [200, labelJson(l)];
    },
    [`POST ${R}/labels`]: ({ b }) => {
      if (labels.has(String(b.name).toLowerCase()))
        throw invalid('Validation Failed', [{ resource: 'Label', code: 'already_exists', field: 'name' }]);
      const l = {
        id: nextId++,
        name: String(b.name),
        color: String(b.color ?? 'ededed'),
        description: b.description ?? null,
      };
      labels.set(l.name.toLowerCase(), l);
      return [201, labelJson(l)];
    },
    [`GET ${R}/pulls`]: ({ q, path, h }) => {
      const state = q['state'] ?? 'open';
      let list = [...issues.values()].filter((i) => i.pull && (state === 'all' || i.state === state));
      if (q['head']) list = list.filter((i) => `${owner}:${i.pull!.headRef}` === q['head']);
      if (q['base']) list = list.filter((i) => i.pull!.baseRef === q['base']);
      list = order(list, q);
      return [200, paginate(list, q, path, h).map((i) => pullJson(i, 'pull-request-simple'))];
    },
    [`GET ${R}/pulls/{pull_number}`]: ({ p }) => {
      const i = getIssue(p['pull_number'] as string);
      if (!i.pull) throw notFound();
      return [200, pullJson(i, 'pull-request')];
    },
    [`POST ${R}/pulls`]: ({ b, login }) => {
      const head = String(b.head).replace(new RegExp(`^${owner}:`), '');
      const sha = refs.get(`heads/${head}`);
      if (!sha)
        throw invalid('Validation Failed', [{ resource: 'PullRequest', field: 'head', code: 'invalid' }]);
      if (!refs.has(`heads/${b.base}`))
        throw invalid('Validation Failed', [{ resource: 'PullRequest', field: 'base', code: 'invalid' }]);
      if ([...issues.values()].some((i) => i.pull && i.state === 'open' && i.pull.headRef === head)) {
        throw invalid('Validation Failed', [
          {
            resource: 'PullRequest',
            code: 'custom',
            message: `A pull request already exists for ${owner}:${head}.`,
          },
        ]);
      }
      const now = tick();
      const rec: IssueRecord = {
        number: nextNumber++,
        title: String(b.title),
        body: b.body ?? null,
        state: 'open',
        stateReason: null,
        labels: [],
        assignees: [],
        user: login,
        createdAt: now,
        updatedAt: now,
        closedAt: null,
        pull: {
          headRef: head,
          headSha: sha,
          baseRef: String(b.base),
          merged: false,
          mergedAt: null,
          reviewers: [],
          teams: [],
        },
      };
      issues.set(rec.number, rec);
      return [201, pullJson(rec, 'pull-request')];
    },
    [`PATCH ${R}/pulls/{pull_number}`]: ({ p, b }) => {
      const i = getIssue(p['pull_number'] as string);
      if (!i.pull) throw notFound();
      if (b.title !== undefined) i.title = String(b.title);
      if (b.body !== undefined) i.body = b.body;
      if (b.state !== undefined && b.state !== i.state) {
        i.state = b.state;
        i.closedAt = b.state === 'closed' ? tick() : null;
      }
      i.updatedAt = tick();
      return [200, pullJson(i, 'pull-request')];
    },
    [`POST ${R}/pulls/{pull_number}/requested_reviewers`]: ({ p, b }) => {
      const i = getIssue(p['pull_number'] as string);
      if (!i.pull) throw notFound();
      const users = (b.reviewers ?? []) as string[];
      if (users.some((u) => opts.collaborators && !opts.collaborators.includes(u)))
        throw invalid('Reviews may only be requested from collaborators.');
      i.pull.reviewers.push(...users);
      i.pull.teams.push(...((b.team_reviewers ?? []) as string[]));
      return [201, pullJson(i, 'pull-request-simple')];
    },
    [`GET ${R}/git/ref/{ref}`]: ({ p }) => {
      const sha = refs.get(String(p['ref']));
      if (!sha) throw notFound();
      return [200, refJson(String(p['ref']), sha)];
    },
    [`POST ${R}/git/refs`]: ({ b }) => {
      const ref = String(b.ref).replace(/^refs\//, '');
      if (!/^refs\/heads\/./.test(String(b.ref))) throw invalid('Reference name must start with refs/heads/');
      if (refs.has(ref)) throw invalid('Reference already exists');
      if (!commits.has(String(b.sha))) throw invalid('Object does not exist');
      refs.set(ref, String(b.sha));
      return [201, refJson(ref, String(b.sha))];
    },
    [`PATCH ${R}/git/refs/{ref}`]: ({ p, b }) => {
      const ref = String(p['ref']);
      const cur = refs.get(ref);
      if (!cur) throw invalid('Reference does not exist');
      if (!commits.has(String(b.sha))) throw invalid('Object does not exist');
      if (!b.force && !isAncestor(cur, String(b.sha))) throw invalid('Update is not a fast forward');
      refs.set(ref, String(b.sha));
      for (const i of issues.values())
        if (i.pull && i.state === 'open' && `heads/${i.pull.headRef}` === ref) i.pull.headSha = String(b.sha);
      return [200, refJson(ref, String(b.sha))];
    },
    [`DELETE ${R}/git/refs/{ref}`]: ({ p }) => {
      if (!refs.delete(String(p['ref']))) throw invalid('Reference does not exist');
      return [204, null];
    },
    [`POST ${R}/git/blobs`]: ({ b }) => {
      const content =
        b.encoding === 'base64'
          ? Buffer.from(String(b.content), 'base64').toString('utf8')
          : String(b.content);
      const sha = putBlob(content);
      return [201, { url: `${repoUrl()}/git/blobs/${sha}`, sha }];
    },
    [`POST ${R}/git/trees`]: ({ b }) => {
      const entries: Record<string, string> = b.base_tree
        ? { ...(trees.get(String(b.base_tree)) ?? {}) }
        : {};
      if (b.base_tree && !trees.has(String(b.base_tree))) throw invalid('base_tree does not exist');
      for (const e of b.tree as Json[]) {
        if (e.sha === null) delete entries[e.path];
        else if (e.content !== undefined) entries[e.path] = putBlob(String(e.content));
        else if (blobs.has(e.sha)) entries[e.path] = e.sha;
        else throw invalid(`tree.sha ${e.sha} is not a valid blob`);
      }
      return [201, treeJson(putTree(entries))];
    },
    [`POST ${R}/git/commits`]: ({ b, login }) => {
      if (!trees.has(String(b.tree))) throw invalid('Tree SHA does not exist');
      for (const parent of (b.parents ?? []) as string[])
        if (!commits.has(parent)) throw invalid('Parent SHA does not exist');
      const sha = putCommit({
        tree: String(b.tree),
        parents: b.parents ?? [],
        message: String(b.message),
        author: b.author ?? { name: login, email: `${login}@users.noreply.example`, date: tick() },
      });
      return [201, commitJson(commits.get(sha)!)];
    },
    [`GET ${R}/git/commits/{commit_sha}`]: ({ p }) => {
      const c = commits.get(String(p['commit_sha']));
      if (!c) throw notFound();
      return [200, commitJson(c)];
    },
  };

  /** Files of a commit (its flat tree: path -> blob sha). */
  const filesOf = (sha: string | undefined): Record<string, string> =>
    (sha ? trees.get(commits.get(sha)?.tree ?? '') : undefined) ?? {};

  function ancestors(sha: string): Set<string> {
    const seen = new Set<string>();
    const stack = [sha];
    while (stack.length) {
      const s = stack.pop()!;
      if (seen.has(s)) continue;
      seen.add(s);
      stack.push(...(commits.get(s)?.parents ?? []));
    }
    return seen;
  }

  /** Merges a PR like GitHub's merge button: a merge commit on the base with the PR's changes. */
  function merge(i: IssueRecord, login: string, title?: string): string {
    const p = i.pull!;
    if (i.state !== 'open') throw new HttpError(405, 'Pull Request is not mergeable');
    const baseSha = refs.get(`heads/${p.baseRef}`)!;
    const onBase = ancestors(baseSha);
    // The merge base: the newest commit of the head's first-parent line that the base already has.
    let mb: string | undefined = p.headSha;
    while (mb && !onBase.has(mb)) mb = commits.get(mb)?.parents[0];
    const before = filesOf(mb);
    const after = filesOf(p.headSha);
    const files = { ...filesOf(baseSha) };
    for (const [path, blob] of Object.entries(after)) if (before[path] !== blob) files[path] = blob;
    for (const path of Object.keys(before)) if (!(path in after)) delete files[path];
    const sha = putCommit({
      tree: putTree(files),
      parents: [baseSha, p.headSha],
      message: `${title ?? `Merge pull request #${i.number} from ${owner}/${p.headRef}`}\n\n${i.title}`,
      author: { name: login, email: `${login}@example.com`, date: tick() },
    });
    refs.set(`heads/${p.baseRef}`, sha);
    i.state = 'closed';
    i.closedAt = i.updatedAt = tick();
    p.merged = true;
    p.mergedAt = i.closedAt;
    p.mergeCommitSha = sha;
    return sha;
  }

  /** Commits reachable from `sha`, newest first (by author date, then walk order). */
  function history(sha: string): CommitRecord[] {
    return [...ancestors(sha)]
      .map((s) => commits.get(s)!)
      .filter(Boolean)
      .sort((a, b) => (a.author.date < b.author.date ? 1 : a.author.date > b.author.date ? -1 : 0));
  }

  const restCommitJson = (c: CommitRecord) => ({
    ...base(api, 'commit'),
    url: `${repoUrl()}/commits/${c.sha}`,
    sha: c.sha,
    node_id: 'C_x',
    html_url: `http://127.0.0.1/${owner}/${repo}/commit/${c.sha}`,
    comments_url: `${repoUrl()}/commits/${c.sha}/comments`,
    commit: {
      url: `${repoUrl()}/git/commits/${c.sha}`,
      author: c.author,
      committer: c.author,
      message: c.message,
      comment_count: 0,
      tree: { sha: c.tree, url: `${repoUrl()}/git/trees/${c.tree}` },
      verification: {
        verified: false,
        reason: 'unsigned',
        signature: null,
        payload: null,
        verified_at: null,
      },
    },
    author: null,
    committer: null,
    parents: c.parents.map((sha) => ({
      sha,
      url: `${repoUrl()}/commits/${sha}`,
      html_url: `http://127.0.0.1/${owner}/${repo}/commit/${sha}`,
    })),
  });

  Object.assign(handlers, {
    [`PUT ${R}/pulls/{pull_number}/merge`]: ({ p, b, login }) => {
      const i = getIssue(p['pull_number'] as string);
      if (!i.pull) throw notFound();
      if (b?.sha && b.sha !== i.pull.headSha)
        throw new HttpError(409, 'Head branch was modified. Review and try the merge again.');
      const sha = merge(i, login, b?.commit_title);
      return [200, { sha, merged: true, message: 'Pull Request successfully merged' }];
    },
    [`GET ${R}/commits/{commit_sha}/pulls`]: ({ p, q, path, h }) => {
      const sha = String(p['commit_sha']);
      const list = [...issues.values()].filter(
        (i) => i.pull && (i.pull.mergeCommitSha === sha || i.pull.headSha === sha),
      );
      return [200, paginate(list, q, path, h).map((i) => pullJson(i, 'pull-request-simple'))];
    },
    [`GET ${R}/commits`]: ({ q, path, h }) => {
      const start = q['sha']
        ? (refs.get(`heads/${q['sha']}`) ?? (commits.has(q['sha']) ? q['sha'] : undefined))
        : refs.get(`heads/${defaultBranch}`);
      if (!start) throw notFound();
      let list = history(start);
      const file = q['path'];
      if (file) {
        // Like `git log -- <path>`: a commit counts when its version of the file differs from every
        // parent's (so a merge that only brings in a branch's change is not listed; the branch's commit is).
        list = list.filter((c) => {
          const mine = trees.get(c.tree)?.[file];
          if (!c.parents.length) return mine !== undefined;
          return c.parents.every((parent) => filesOf(parent)[file] !== mine);
        });
      }
      return [200, paginate(list, q, path, h).map(restCommitJson)];
    },
    [`GET ${R}/contents/{path}`]: ({ p, q }) => {
      const ref = q['ref'] ?? defaultBranch;
      const head = refs.get(`heads/${ref}`) ?? (commits.has(ref) ? ref : undefined);
      const file = String(p['path']);
      const blob = filesOf(head)[file];
      if (!blob) throw notFound();
      const content = blobs.get(blob) ?? '';
      const self = `${repoUrl()}/contents/${file}?ref=${ref}`;
      return [
        200,
        {
          type: 'file',
          encoding: 'base64',
          size: Buffer.byteLength(content),
          name: file.split('/').pop(),
          path: file,
          content: Buffer.from(content).toString('base64'),
          sha: blob,
          url: self,
          git_url: `${repoUrl()}/git/blobs/${blob}`,
          html_url: `http://127.0.0.1/${owner}/${repo}/blob/${ref}/${file}`,
          download_url: `http://127.0.0.1/${owner}/${repo}/raw/${ref}/${file}`,
          _links: {
            self,
            git: `${repoUrl()}/git/blobs/${blob}`,
            html: `http://127.0.0.1/${owner}/${repo}/blob/${ref}/${file}`,
          },
        },
      ];
    },
  } satisfies Record<string, Handler>);

  function isAncestor(ancestor: string, sha: string): boolean {
    const seen = new Set<string>();
    const stack = [sha];
    while (stack.length) {
      const s = stack.pop()!;
      if (s === ancestor) return true;
      if (seen.has(s)) continue;
      seen.add(s);
      stack.push(...(commits.get(s)?.parents ?? []));
    }
    return false;
  }

  function validateRequest(
    route: Route,
    method: string,
    params: Record<string, string>,
    query: Record<string, string>,
    body: Json,
  ): string[] {
    const op = api.spec.paths[route.template]?.[method.toLowerCase()];
    if (!op) return [`${method} ${route.template} is not an operation in GitHub's OpenAPI description`];
    const problems: string[] = [];
    const ps = ((op.parameters ?? []) as Json[]).map((p) => resolveParam(api.spec, p));
    for (const where of ['path', 'query'] as const) {
      const key = `${method} ${route.template} ${where}`;
      const v = validator(
        api,
        key,
        () => {
          const list = ps.filter((p) => p.in === where);
          return {
            type: 'object',
            properties: Object.fromEntries(list.map((p) => [p.name, toJsonSchema(p.schema ?? {})])),
            required: list.filter((p) => p.required).map((p) => p.name),
            additionalProperties: false,
          };
        },
        true,
      );
      const data = where === 'path' ? { ...params } : { ...query };
      if (v && !v(data))
        problems.push(`${where} parameters of ${method} ${route.template}: ${errorsText(v)}`);
    }
    const hasBody = body !== undefined;
    const content = op.requestBody?.content?.['application/json'];
    if (hasBody && !content) problems.push(`${method} ${route.template} takes no JSON body`);
    if (!hasBody && op.requestBody?.required)
      problems.push(`${method} ${route.template} requires a JSON body`);
    if (hasBody && content) {
      const v = validator(api, `${method} ${route.template} body`, () => toJsonSchema(content.schema));
      if (v && !v(body)) problems.push(`body of ${method} ${route.template}: ${errorsText(v)}`);
    }
    return problems;
  }

  function validateResponse(route: Route, method: string, status: number, body: Json): string[] {
    const op = api.spec.paths[route.template]?.[method.toLowerCase()];
    const declared = op?.responses?.[String(status)] ?? op?.responses?.default;
    if (!declared) return [`${method} ${route.template} does not declare a ${status} response`];
    const r = resolveResponse(api.spec, declared);
    const content = r?.content?.['application/json'];
    if (!content)
      return body === null || body === undefined
        ? []
        : [`${method} ${route.template} ${status} declares no JSON body`];
    const v = validator(api, `${method} ${route.template} ${status}`, () => toJsonSchema(content.schema));
    if (v && !v(body)) return [`response ${status} of ${method} ${route.template}: ${errorsText(v)}`];
    return [];
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const u = new URL(req.url ?? '/', url);
    const method = (req.method ?? 'GET').toUpperCase();
    const query = Object.fromEntries(u.searchParams);
    const headers: Headers = new Map();
    const send = (status: number, body: Json, route: string | null) => {
      requests.push({ method, path: u.pathname, route, status, query: u.search, body: raw });
      const out = body === null || status === 204 ? '' : JSON.stringify(body);
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'x-ratelimit-remaining': '4999',
        'x-ratelimit-limit': '5000',
        ...Object.fromEntries(headers),
      });
      res.end(out);
    };
    const error = (status: number, message: string, route: string | null, extra: Json = {}) =>
      send(status, { message, documentation_url: 'https://docs.github.com/rest', ...extra }, route);

    const auth = /^(?:token|bearer) (.+)$/i.exec(req.headers['authorization'] ?? '');
    const login = auth ? tokens[auth[1] as string] : undefined;
    if (!login) return error(401, 'Bad credentials', null);

    const pathname = u.pathname;
    const route = api.routes.find((r) => r.regex.test(pathname));
    if (!route) {
      violations.push(`${method} ${pathname}: no such path in GitHub's OpenAPI description`);
      return error(404, 'Not Found', null);
    }
    const m = route.regex.exec(pathname)!;
    const params = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(m[i + 1] as string)]));
    let body: Json = undefined;
    if (raw.length) {
      try {
        body = JSON.parse(raw);
      } catch {
        violations.push(`${method} ${route.template}: body is not JSON`);
        return error(400, 'Problems parsing JSON', route.template);
      }
    }
    const problems = validateRequest(route, method, params, query, body);
    if (problems.length) {
      violations.push(...problems);
      return error(
        400,
        `request does not match GitHub's OpenAPI description: ${problems.join(' | ')}`,
        route.template,
      );
    }
    const handler = handlers[`${method} ${route.template}`];
    if (!handler) {
      violations.push(`${method} ${route.template}: valid in OpenAPI but not implemented by the test server`);
      return error(501, 'not implemented by the test server', route.template);
    }
    const inj = injections.find((i) => i.times > 0 && i.method === method && i.path.test(pathname));
    if (inj && inj.when === 'before') {
      inj.times--;
      for (const [k, v] of Object.entries(inj.headers ?? {})) headers.set(k, v);
      return error(inj.status, inj.message ?? 'Injected failure', route.template);
    }
    let status: number;
    let out: Json;
    try {
      [status, out] = handler({ p: params, q: query, b: body, login, path: pathname, h: headers });
    } catch (e) {
      if (e instanceof HttpError) {
        // Where the description declares an error status without a body, answer without one.
        const declared =
          api.spec.paths[route.template]?.[method.toLowerCase()]?.responses?.[String(e.status)];
        const hasBody = !!resolveResponse(api.spec, declared)?.content;
        const errBody = hasBody
          ? { message: e.message, documentation_url: 'https://docs.github.com/rest', ...e.extra }
          : null;
        violations.push(...validateResponse(route, method, e.status, errBody));
        return send(e.status, errBody, route.template);
      }
      throw e;
    }
    const resProblems = validateResponse(route, method, status, out);
    violations.push(...resProblems);
    if (inj && inj.when === 'after') {
      inj.times--;
      return error(inj.status, inj.message ?? 'Bad Gateway', route.template);
    }
    send(status, out, route.template);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      violations.push(`test server crashed: ${e instanceof Error ? e.stack : String(e)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'test server error' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const treeFiles = (sha: string | undefined) => (sha ? trees.get(commits.get(sha)?.tree ?? '') : undefined);
  return {
    url,
    owner,
    repo,
    issues,
    comments,
    labels,
    refs,
    commits,
    trees,
    blobs,
    requests,
    violations,
    injections,
    inject: (i) => injections.push({ when: 'after', times: 1, ...i }),
    writes: () => requests.slice(countFrom).filter((r) => r.method !== 'GET' && r.method !== 'HEAD'),
    reads: () => requests.slice(countFrom).filter((r) => r.method === 'GET' || r.method === 'HEAD'),
    resetCounts: () => void (countFrom = requests.length),
    fileAt: (branch, path) => {
      const blob = treeFiles(refs.get(`heads/${branch}`))?.[path];
      return blob ? (blobs.get(blob) ?? null) : null;
    },
    createIssueAs: (login, f) => {
      const now = tick();
      const rec: IssueRecord = {
        number: nextNumber++,
        title: f.title,
        body: f.body,
        state: 'open',
        stateReason: null,
        labels: f.labels.map((l) => ensureLabel(l).name),
        assignees: [],
        user: login,
        createdAt: now,
        updatedAt: now,
        closedAt: null,
        pull: null,
      };
      issues.set(rec.number, rec);
      return rec;
    },
    closeIssue: (n) => {
      const i = issues.get(n)!;
      i.state = 'closed';
      i.stateReason = 'completed';
      i.closedAt = i.updatedAt = tick();
    },
    closePull: (n, merged = false) => {
      const i = issues.get(n)!;
      i.state = 'closed';
      i.closedAt = i.updatedAt = tick();
      if (merged && i.pull) {
        i.pull.merged = true;
        i.pull.mergedAt = i.closedAt;
      }
    },
    pushAs: (login, branch, files) => {
      const head = refs.get(`heads/${branch}`)!;
      const tree = putTree({
        ...treeFiles(head),
        ...Object.fromEntries(Object.entries(files).map(([p, c]) => [p, putBlob(c)])),
      });
      const sha = putCommit({
        tree,
        parents: [head],
        message: `edit by ${login}`,
        author: { name: login, email: `${login}@example.com`, date: tick() },
      });
      refs.set(`heads/${branch}`, sha);
      for (const i of issues.values())
        if (i.pull && i.state === 'open' && i.pull.headRef === branch) i.pull.headSha = sha;
      return sha;
    },
    mergeAs: (login, n) => {
      const i = issues.get(n);
      if (!i?.pull) throw new Error(`#${n} is not a pull request`);
      return merge(i, login);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
