// Each command loads only what it uses: the CLI run as a child process with a module hook listing
// every file it loads. --version and --help load no command; validate and a file scan load neither
// octokit nor the Kubernetes client (nor github/, renewal/ or the Kubernetes API client module).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const entry = path.join(repoRoot, 'src/cli/index.ts');
const tsx = import.meta.resolve('tsx');
// fs.writeSync, not process.stderr: the hooks run on their own thread, whose stream writes can be
// lost when the command's process exits soon after loading.
const hooks = `import { writeSync } from 'node:fs';
export async function load(url, context, next) {
  if (url.startsWith('file:')) writeSync(2, 'LOADED ' + url + '\\n');
  return next(url, context);
}`;
const register = `import { register } from 'node:module';
register(${JSON.stringify('data:text/javascript,' + encodeURIComponent(hooks))});`;

/** Runs the CLI; returns its exit code and the repository-relative files it loaded. */
async function loaded(
  args: string[],
  cwd = repoRoot,
): Promise<{ code: number; files: string[]; out: string }> {
  const child = spawn(
    process.execPath,
    ['--import', tsx, '--import', 'data:text/javascript,' + encodeURIComponent(register), entry, ...args],
    { cwd, env: { PATH: process.env['PATH'], HOME: process.env['HOME'] }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  const files = [...err.matchAll(/^LOADED (file:\S+)$/gm)].map((m) =>
    path
      .relative(repoRoot, fileURLToPath(m[1] as string))
      .split(path.sep)
      .join('/'),
  );
  return { code, files, out: out + err.replace(/^LOADED .*\n/gm, '') };
}

const heavy = (files: string[]) =>
  files.filter((f) =>
    /^node_modules\/(octokit|@octokit|@kubernetes)\/|^src\/(github|renewal)\/|^src\/sources\/kubernetes\/client\.ts$/.test(
      f,
    ),
  );

describe('what each command loads', function () {
  this.timeout(60_000);

  it('--version and --help load the command table and nothing of any command', async () => {
    for (const args of [['--version'], ['--help'], ['scan', '--help']]) {
      const r = await loaded(args);
      assert.equal(r.code, 0, r.out);
      // The CLI's own table and helpers, the core and the report format list; no command's face.
      const outside = r.files.filter(
        (f) =>
          f.startsWith('src/') &&
          (!/^src\/(cli|core)\/[a-z-]+\.ts$|^src\/report\/(index|text)\.ts$/.test(f) ||
            /^src\/cli\/(validate|scan|inspect|discover|policy-test|sync|renew|demo)\.ts$/.test(f)),
      );
      assert.deepEqual(outside, [], args.join(' '));
      assert.deepEqual(
        r.files.filter((f) => f.startsWith('node_modules/')),
        [],
        args.join(' '),
      );
    }
  });

  it('validate and a scan of files and kubeconfigs load neither octokit nor the Kubernetes client', async () => {
    const inv = ['--inventory', 'inventory/example'];
    const validate = await loaded(['validate', ...inv]);
    assert.equal(validate.code, 0, validate.out);
    assert.ok(validate.files.includes('src/commands/validate.ts'));
    assert.deepEqual(heavy(validate.files), []);
    const scan = await loaded(['scan', ...inv, '--now', '2026-12-01T00:00:00Z', '--format', 'json']);
    assert.equal(scan.code, 1, scan.out);
    assert.ok(scan.files.includes('src/sources/file/collector.ts'));
    assert.deepEqual(heavy(scan.files), []);
  });

  it('renew, which needs them, does load them (the trace sees what it should)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'cw-lazy-'));
    try {
      const r = await loaded(['renew', '--dry-run', '--renewals', dir, '--inventory', 'inventory/example']);
      assert.equal(r.code, 0, r.out);
      assert.match(r.out, /nothing to do: no renewal requests/);
      const h = heavy(r.files);
      // The modules that wrap the two clients,
      assert.ok(h.includes('src/sources/kubernetes/client.ts'), h.join('\n'));
      assert.ok(
        h.some((f) => f.startsWith('src/github/')),
        h.join('\n'),
      );
      // and the packages themselves:
      assert.ok(
        h.some((f) => f.startsWith('node_modules/@kubernetes/')),
        h.join('\n'),
      );
      assert.ok(
        h.some((f) => f.startsWith('node_modules/octokit/')),
        h.join('\n'),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
