// Canaries: a private key, a token and a basic-auth password planted where each hole of the security
// review was (a kubeconfig whose wrapped client-key-data lost its indentation, a token on the line
// before a bad line, a server URL with user:password@, a JSON report or observations file that does
// not parse, a broken renewal request, a proxy URL with userinfo). Not a fragment of any canary may
// reach any output format, error message, or request body sent to GitHub.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { Pki, type Issued } from '../support/pki.js';
import { TempDir } from '../support/fs.js';
import { runCli, type CliRun } from '../support/cli.js';
import { startGitHubApiServer } from '../support/github-api-server.js';

const TOKEN = 'cwCanaryToken7f3e9a1b5c2d8e4f6a0b';
const PASSWORD = 'cwCanaryPassw0rd-9d8c7b6a';
const FORMATS = ['text', 'json', 'sarif', 'markdown', 'prometheus'] as const;

describe('canaries: no secret in any output', function () {
  this.timeout(120_000);
  let tmp: TempDir;
  let ca: Issued;
  let client: Issued;
  /** Lines of the planted private key's base64 body, as a kubeconfig wraps them. */
  let keyLines: string[];
  let canaries: string[];

  before(async () => {
    tmp = new TempDir();
    const pki = new Pki();
    ca = await pki.ca({ cn: 'kubernetes' });
    client = await pki.leaf({
      cn: 'kubernetes-admin',
      o: ['system:masters'],
      issuer: ca,
      eku: ['clientAuth'],
    });
    const keyB64 = Buffer.from(client.keyPem).toString('base64');
    keyLines = keyB64.match(/.{1,64}/g)!;
    canaries = [TOKEN, PASSWORD, ...keyLines.slice(1, -1).map((l) => l.slice(8, 40)), 'PRIVATE KEY'];
  });
  after(() => tmp.cleanup());

  /** Fails when any canary is in `text`, naming where. */
  function assertClean(where: string, text: string): void {
    for (const c of canaries) assert.ok(!text.includes(c), `${where} holds the canary ${c.slice(0, 12)}…`);
  }
  function clean(where: string, r: CliRun): void {
    assertClean(`${where} (exit ${r.code})`, r.stdout + r.stderr);
  }

  /**
   * A node kubeconfig (admin.conf) whose wrapped client-key-data lost its indentation, with a token
   * on the line before the bad line and a server URL holding user:password@.
   */
  function brokenKubeconfig(): string {
    return [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- cluster:',
      `    certificate-authority-data: ${Buffer.from(ca.pem).toString('base64')}`,
      `    server: https://admin:${PASSWORD}@127.0.0.1:6443`,
      '  name: kubernetes',
      'users:',
      '- name: kubernetes-admin',
      '  user:',
      `    token: ${TOKEN}`,
      `    client-key-data: ${keyLines[0]}`,
      ...keyLines.slice(1),
      'contexts: []',
      '',
    ].join('\n');
  }

  function inventory(dir: string, doc: Record<string, unknown>): string {
    tmp.write(`${dir}/inventory.yaml`, {
      apiVersion: 'certwarden/v1',
      kind: 'Inventory',
      metadata: { name: dir.replace(/[^a-z0-9-]/gi, '-') },
      ...doc,
    });
    return tmp.path(dir);
  }

  it('the planted kubeconfig really is broken on the key lines, and holds every canary', async () => {
    const text = brokenKubeconfig();
    for (const c of [TOKEN, PASSWORD, keyLines[1]!]) assert.ok(text.includes(c));
    const { parse } = await import('yaml');
    assert.throws(
      () => parse(text),
      (e: Error) => e.message.includes(keyLines[1]!.slice(0, 20)),
      "the yaml parser's own message quotes the key: what certwarden must never pass on",
    );
  });

  it('a broken kubeconfig target: a source.error in every format, naming line and kind, quoting nothing', async () => {
    const file = tmp.write('node/admin.conf', brokenKubeconfig());
    const inv = inventory('kc-target', { targets: [{ id: 'cp1-admin-conf', kubeconfig: { path: file } }] });
    for (const format of FORMATS) {
      const r = await runCli(['scan', '--inventory', inv, '--format', format, '--fail-on', 'never']);
      assert.equal(r.code, 0, r.stderr);
      clean(`scan --format ${format}`, r);
    }
    // Written to files too: the JSON report goes to its file in pieces (report/json.ts).
    for (const format of FORMATS) {
      const out = tmp.path(`kc-target-report.${format}`);
      const r = await runCli([
        'scan',
        '--inventory',
        inv,
        '--format',
        format,
        '--output',
        out,
        '--fail-on',
        'never',
      ]);
      assert.equal(r.code, 0, r.stderr);
      clean(`scan --format ${format} --output`, r);
      assertClean(`the ${format} report file`, readFileSync(out, 'utf8'));
    }
    const json = await runCli(['scan', '--inventory', inv, '--format', 'json', '--fail-on', 'never']);
    const f = (JSON.parse(json.stdout) as { findings: { check: string; message: string }[] }).findings;
    assert.deepEqual(
      f.map((x) => x.check),
      ['source.error'],
    );
    // The line that lost its indentation (the key's second line, line 13), in words.
    assert.match(f[0]!.message, /admin\.conf:13:1: not valid YAML: .*\(the content is not shown\)/);
  });

  it('...and through sync, no GitHub request body holds a canary', async () => {
    const file = tmp.write('repo/node/admin.conf', brokenKubeconfig());
    const inv = inventory('repo/inventory', { targets: [{ id: 'admin-conf', kubeconfig: { path: file } }] });
    const scan = await runCli(['scan', '--inventory', inv, '--format', 'json', '--fail-on', 'never']);
    assert.equal(scan.code, 0, scan.stderr);
    writeFileSync(tmp.path('repo/report.json'), scan.stdout);
    const server = await startGitHubApiServer();
    try {
      const env = { GITHUB_TOKEN: 'test-token', GITHUB_REPOSITORY: 'acme/pki', GITHUB_API_URL: server.url };
      const r = await runCli(['sync', '--report', 'report.json'], { cwd: tmp.path('repo'), env });
      assert.equal(r.code, 0, r.stderr);
      clean('sync', r);
      const writes = server.requests.filter((q) => q.method !== 'GET');
      assert.ok(
        writes.some((q) => q.body.includes('admin-conf')),
        'the finding reached GitHub (an issue for the target)',
      );
      for (const q of server.requests) assertClean(`${q.method} ${q.path}`, q.body);
      for (const i of server.issues.values()) assertClean(`issue #${i.number}`, `${i.title}\n${i.body}`);
    } finally {
      await server.close();
    }
  });

  it("a cluster's kubeconfig that does not parse, from a file or an environment variable, is a source.error that quotes nothing", async () => {
    const file = tmp.write('cluster/admin.conf', brokenKubeconfig());
    const target = { id: 's', kubernetes: { cluster: 'c', kind: 'Secret', namespace: 'ns', name: 'n' } };
    for (const [name, kubeconfig, env] of [
      ['path', { path: file }, {}],
      ['env', { env: 'KUBECONFIG_C' }, { KUBECONFIG_C: brokenKubeconfig() }],
    ] as const) {
      const inv = inventory(`cluster-${name}`, { clusters: [{ name: 'c', kubeconfig }], targets: [target] });
      for (const format of FORMATS) {
        const r = await runCli(
          ['scan', '--inventory', inv, '--format', format, '--timeout', '2000', '--fail-on', 'never'],
          { env },
        );
        assert.equal(r.code, 0, r.stdout + r.stderr);
        clean(`cluster kubeconfig from ${name}, --format ${format}`, r);
        if (format === 'text') assert.match(r.stdout, /kubeconfig .*:13:1 is not valid: not valid YAML/);
      }
    }
  });

  it('a server URL with user:password@ loses its userinfo in every message', async () => {
    const kc = (server: string) =>
      [
        'apiVersion: v1',
        'kind: Config',
        `clusters: [{name: c, cluster: {server: "${server}"}}]`,
        `users: [{name: u, user: {token: ${TOKEN}}}]`,
        'contexts: [{name: x, context: {cluster: c, user: u}}]',
        'current-context: x',
      ].join('\n');
    const target = { id: 's', kubernetes: { cluster: 'c', kind: 'Secret', namespace: 'ns', name: 'n' } };
    // Plain HTTP is refused, naming the server without its password; HTTPS to a closed port is
    // unreachable: both are the target's finding, in every format.
    for (const [name, server, said] of [
      ['http', `http://admin:${PASSWORD}@127.0.0.1:1`, /server http:\/\/127\.0\.0\.1:1 is plain HTTP/],
      ['https', `https://admin:${PASSWORD}@127.0.0.1:1`, /source\.(unreachable|error)/],
    ] as const) {
      const inv = inventory(`userinfo-${name}`, {
        clusters: [{ name: 'c', kubeconfig: { path: tmp.write(`userinfo/${name}.conf`, kc(server)) } }],
        targets: [target],
      });
      for (const format of FORMATS) {
        const r = await runCli([
          'scan',
          '--inventory',
          inv,
          '--format',
          format,
          '--timeout',
          '2000',
          '--fail-on',
          'never',
        ]);
        assert.equal(r.code, 0, r.stderr);
        clean(`${name} cluster, --format ${format}`, r);
        if (format === 'text') assert.match(r.stdout, said);
      }
    }
  });

  it('an endpoint reached through a proxy URL with a password: the report keeps the proxy, not the password', async () => {
    const inv = inventory('proxy', {
      targets: [
        {
          id: 'mes',
          endpoint: { host: 'mes.example', port: 443, via: `http://scanner:${PASSWORD}@127.0.0.1:1` },
        },
      ],
    });
    for (const format of FORMATS) {
      const r = await runCli([
        'scan',
        '--inventory',
        inv,
        '--format',
        format,
        '--timeout',
        '2000',
        '--fail-on',
        'never',
      ]);
      assert.equal(r.code, 0, r.stderr);
      clean(`proxy, --format ${format}`, r);
    }
    const json = await runCli([
      'scan',
      '--inventory',
      inv,
      '--format',
      'json',
      '--timeout',
      '2000',
      '--fail-on',
      'never',
    ]);
    const t = (JSON.parse(json.stdout) as { targets: { source: { via?: string } }[] }).targets[0]!;
    assert.equal(t.source.via, 'http://127.0.0.1:1');
  });

  it('sync --report and evaluate --observations of a file that is not JSON (a kubeconfig, a token file) quote nothing', async () => {
    const kubeconfig = tmp.write('json/admin.conf', brokenKubeconfig());
    const tokenJson = tmp.write('json/token.json', `{"token": "${TOKEN}", "password": "${PASSWORD}" oops}`);
    const inv = inventory('json-inv', { targets: [] });
    for (const file of [kubeconfig, tokenJson]) {
      const sync = await runCli(['sync', '--report', file, '--dry-run'], {
        env: { GITHUB_REPOSITORY: 'acme/pki' },
      });
      assert.equal(sync.code, 2);
      assert.match(sync.stderr, /not a readable JSON report: not valid JSON/);
      clean('sync --report', sync);
      const ev = await runCli(['evaluate', '--inventory', inv, '--observations', file]);
      assert.equal(ev.code, 2);
      assert.match(ev.stderr, /not a readable observations file: not valid JSON/);
      clean('evaluate --observations', ev);
    }
  });

  it('a renewal request that does not parse quotes nothing; an alias bomb in one is bad input (exit 2)', async () => {
    const inv = inventory('renew-inv', { targets: [] });
    tmp.write(
      'renewals-bad/webhook-tls.yaml',
      `apiVersion: certwarden/v1\nkind: RenewalRequest\nmetadata:\n  note: ${TOKEN}\n bad: [${PASSWORD}\n`,
    );
    const bad = await runCli([
      'renew',
      '--inventory',
      inv,
      '--renewals',
      tmp.path('renewals-bad'),
      '--dry-run',
    ]);
    assert.equal(bad.code, 2, bad.stdout + bad.stderr);
    assert.match(bad.stderr, /webhook-tls\.yaml:\d+:\d+: error: not valid YAML: /);
    clean('renew', bad);
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++)
      bomb.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)}]`,
      );
    tmp.write('renewals-bomb/bomb.yaml', `${bomb.join('\n')}\n`);
    const r = await runCli([
      'renew',
      '--inventory',
      inv,
      '--renewals',
      tmp.path('renewals-bomb'),
      '--dry-run',
    ]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(
      r.stderr,
      /bomb\.yaml:1:1: error: not valid YAML: more than 10 alias expansions, refused as a possible alias bomb/,
    );
  });
});
