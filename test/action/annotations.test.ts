// Per-finding annotations from the action's scan (and sync that scans), read from the child's stdout
// as the runner reads them: `::error file=…,line=…,col=…::message` lines.
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startGitHubApiServer } from '../support/github-api-server.js';
import { Pki } from '../support/pki.js';
import { FILES_INVENTORY, perTest, runAction } from './run-action.js';

interface Command {
  name: string;
  props: Record<string, string>;
  message: string;
}

/** Every workflow command the runner would read from this output (a line starting with `::`). */
function commands(stdout: string): Command[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('::'))
    .map((l) => {
      const m = /^::([\w-]+)(?: ([^:]*))?::(.*)$/.exec(l);
      assert.ok(m, `a well-formed workflow command: ${l}`);
      const props = Object.fromEntries(
        (m[2] ?? '')
          .split(',')
          .filter(Boolean)
          .map((kv) => {
            const i = kv.indexOf('=');
            return [kv.slice(0, i), decodeURIComponent(kv.slice(i + 1))];
          }),
      );
      return { name: m[1]!, props, message: m[3]! };
    });
}

/** The line number (1-based) of the first line of `text` containing `needle`. */
function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, needle);
  return i + 1;
}

describe('the action annotates each finding at its inventory line', function () {
  this.timeout(120_000);
  const made = perTest();

  async function workspace(certs: Record<string, string>, inventory: string): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'cw-annotate-'));
    made.dirs.push(dir);
    await mkdir(path.join(dir, 'inventory/anchors'), { recursive: true });
    for (const [name, pem] of Object.entries(certs)) await writeFile(path.join(dir, 'inventory', name), pem);
    await writeFile(path.join(dir, 'inventory/files.yaml'), inventory);
    return dir;
  }

  /** One target whose certificate has hostile names: an extra SAN (error) and 9 days left (warning). */
  async function hostileWorkspace(): Promise<{ dir: string; yaml: string }> {
    const pki = new Pki();
    const root = await pki.ca({ cn: 'Root', key: 'p256' });
    const leaf = await pki.leaf({
      cn: 'svc.example\r\n::add-mask::svc\n::warning file=evil.yaml::cn',
      dns: ['svc.example', 'x\n::add-mask::svc\n::error file=evil.yaml,line=1::pwned', 'a,file=evil:b'],
      issuer: root,
      key: 'p256',
      days: 10,
    });
    const yaml = `${FILES_INVENTORY}  - id: svc-cert
    file: {path: svc.pem}
    expect:
      chainTo: root
      dnsNames: [svc.example]
      onlyListedNames: true
`;
    return { dir: await workspace({ 'anchors/root.pem': root.pem, 'svc.pem': leaf.pem }, yaml), yaml };
  }

  it('scan annotates an error finding as an error and a warning as a warning, at the file and line relative to the workspace', async () => {
    const { dir, yaml } = await hostileWorkspace();
    const run = await runAction(dir, { mode: 'scan', now: new Date().toISOString() });
    assert.equal(run.code, 1, run.stdout);
    const dnsLine = lineOf(yaml, 'dnsNames:');
    const targetLine = lineOf(yaml, '- id: svc-cert');
    assert.match(
      run.stdout,
      new RegExp(
        `^::error title=certwarden expect\\.dnsNames%3A svc-cert,file=inventory/files\\.yaml,line=${dnsLine},col=\\d+::unexpected DNS name`,
        'm',
      ),
    );
    assert.match(
      run.stdout,
      new RegExp(
        `^::warning title=certwarden expiry%3A svc-cert,file=inventory/files\\.yaml,line=${targetLine},col=\\d+::certificate .* days remaining`,
        'm',
      ),
    );
    assert.match(
      run.stdout,
      /^::error::findings at or above fail-on 'error': 1 error\(s\), 1 warning\(s\)$/m,
    );
    assert.doesNotMatch(run.summary, /not annotated/, 'every finding was annotated');
  });

  it('a finding whose inventory lies outside the workspace is annotated without a file GitHub could not show', async () => {
    const { dir } = await hostileWorkspace();
    const elsewhere = await mkdtemp(path.join(tmpdir(), 'cw-annotate-ws-'));
    made.dirs.push(elsewhere);
    const run = await runAction(elsewhere, {
      mode: 'scan',
      inventory: path.join(dir, 'inventory'),
      now: new Date().toISOString(),
    });
    const cmds = commands(run.stdout).filter((c) => c.props['title']?.startsWith('certwarden '));
    assert.deepEqual(
      cmds.map((c) => [c.name, c.props]),
      [
        ['error', { title: 'certwarden expect.dnsNames: svc-cert' }],
        ['warning', { title: 'certwarden expiry: svc-cert' }],
      ],
    );
  });

  it('hostile certificate names cannot start a workflow command or add annotation properties', async () => {
    const { dir } = await hostileWorkspace();
    const run = await runAction(dir, { mode: 'scan', now: new Date().toISOString() });
    const cmds = commands(run.stdout);
    assert.deepEqual(
      cmds.map((c) => c.name),
      ['error', 'warning', 'error'],
      'two finding annotations and the failure, nothing else (no add-mask, no forged annotation)',
    );
    for (const c of cmds.slice(0, 2)) {
      assert.deepEqual(Object.keys(c.props), ['title', 'file', 'line', 'col']);
      assert.equal(c.props['file'], 'inventory/files.yaml');
    }
    assert.match(cmds[0]!.message, /::add-mask::svc/, 'the hostile name is there, but inside the message');
    assert.doesNotMatch(run.stdout, /^\s*::add-mask::/m);
  });

  it('more findings than GitHub shows: at most 10 annotations per level, one error fewer when the step fails, and the job summary says how many were left', async () => {
    const now = new Date();
    const past = new Pki({ now: new Date(now.getTime() - 30 * 86_400_000) });
    const root = await new Pki().ca({ cn: 'Root', key: 'p256' });
    const expired = await past.leaf({ cn: 'old.example', issuer: root, key: 'p256', days: 1 });
    const soon = await new Pki().leaf({ cn: 'soon.example', issuer: root, key: 'p256', days: 10 });
    const targets = Array.from(
      { length: 12 },
      (_, i) =>
        `  - id: old-${i}\n    file: {path: old.pem}\n  - id: soon-${i}\n    file: {path: soon.pem}\n`,
    ).join('');
    const dir = await workspace(
      { 'anchors/root.pem': root.pem, 'old.pem': expired.pem, 'soon.pem': soon.pem },
      FILES_INVENTORY + targets,
    );

    const failing = await runAction(dir, { mode: 'scan', json: 'report.json', now: now.toISOString() });
    assert.equal(failing.code, 1, failing.stdout);
    const report = JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8')) as {
      summary: { findings: { error: number; warning: number; info: number } };
    };
    const { error, warning, info } = report.summary.findings;
    assert.ok(error >= 12 && warning >= 12, `${error} errors and ${warning} warnings`);
    const annotated = (cmds: Command[], level: string) =>
      cmds.filter((c) => c.name === level && c.props['file'] === 'inventory/files.yaml');
    const cmds = commands(failing.stdout);
    assert.equal(annotated(cmds, 'error').length, 9, 'nine errors and the failure make ten');
    assert.equal(cmds.filter((c) => c.name === 'error' && !c.props['file']).length, 1);
    assert.equal(annotated(cmds, 'warning').length, 10);
    assert.ok(
      annotated(cmds, 'error').every((c) => /^certwarden expiry: old-\d+$/.test(c.props['title']!)),
      'the errors annotated are the expired certificates',
    );
    const left = error - 9 + (warning - 10) + Math.max(0, info - 10);
    assert.match(failing.summary, new RegExp(`${left} finding\\(s\\) not annotated`));

    const green = await runAction(dir, { mode: 'scan', 'fail-on': 'never', now: now.toISOString() });
    assert.equal(green.code, 0, green.stdout);
    assert.equal(annotated(commands(green.stdout), 'error').length, 10, 'no failure: all ten for findings');
    assert.match(green.summary, new RegExp(`${left - 1} finding\\(s\\) not annotated`));
  });

  it('sync that scans annotates its findings; sync from a report leaves that to the scan step that wrote it', async () => {
    const { dir, yaml } = await hostileWorkspace();
    const server = made.server(await startGitHubApiServer());
    const env = {
      GITHUB_API_URL: server.url,
      GITHUB_REPOSITORY: 'acme/pki',
      GITHUB_SERVER_URL: 'http://127.0.0.1',
      GITHUB_RUN_ID: '7',
    };
    const inputs = { mode: 'sync', token: 'test-token', 'dry-run': 'true', now: new Date().toISOString() };
    const scanning = await runAction(dir, { ...inputs, json: 'report.json' }, env);
    assert.equal(scanning.code, 0, scanning.stdout);
    assert.match(
      scanning.stdout,
      new RegExp(
        `^::error title=certwarden expect\\.dnsNames%3A svc-cert,file=inventory/files\\.yaml,line=${lineOf(yaml, 'dnsNames:')},`,
        'm',
      ),
    );
    assert.match(
      scanning.stdout,
      /^::warning title=certwarden expiry%3A svc-cert,file=inventory\/files\.yaml,/m,
    );
    assert.deepEqual(server.writes(), [], 'a dry run writes nothing');

    const fromReport = await runAction(dir, { ...inputs, report: 'report.json' }, env);
    assert.equal(fromReport.code, 0, fromReport.stdout);
    assert.doesNotMatch(fromReport.stdout, /^::(error|warning|notice) title=certwarden/m);
  });
});
