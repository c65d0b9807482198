// The CLI's `sync` command: a report file (or a scan), GitHub from the usual variables, exit codes.
import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CliIO } from '../../src/cli/main.js';
import { runSyncCommand } from '../../src/cli/sync.js';
import { startGitHubApiServer, type GitHubApiServer } from '../support/github-api-server.js';
import { scenario, writeAnchors, type Scenario } from './scenario.js';

function fakeIO(cwd: string, env: NodeJS.ProcessEnv): CliIO & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (s: string) => void (io.out += s),
    stderr: (s: string) => void (io.err += s),
    stdoutIsTTY: false,
    stderrIsTTY: false,
    env,
    cwd,
  };
  return io;
}

describe('certwarden sync (the command)', function () {
  this.timeout(60_000);
  let sc: Scenario;
  let server: GitHubApiServer | null = null;
  beforeEach(async () => {
    sc = await scenario();
    await writeAnchors(sc);
    await writeFile(path.join(sc.root, 'report.json'), JSON.stringify(sc.report));
  });
  afterEach(async () => {
    const violations = server?.violations ?? [];
    await server?.close();
    server = null;
    await rm(sc.root, { recursive: true, force: true });
    assert.deepEqual(violations, []);
  });

  it('--dry-run without GitHub access prints the plan and exits 0', async () => {
    const io = fakeIO(sc.root, {});
    const code = await runSyncCommand({ report: 'report.json', 'dry-run': true }, io);
    assert.equal(code, 0, io.err);
    assert.match(io.out, /^GitHub sync plan \(dry run\):\n/);
    assert.match(io.out, /open issue "\[error\] chain\.untrusted: db-1 \(db-1\.example\)"/);
    assert.match(io.out, /open PR "certwarden: update the pin of api-1" on certwarden\/pin\/api-1/);
    assert.match(
      io.out,
      /open PR "certwarden: update trust bundle mes-bundle" on certwarden\/bundle\/mes-bundle/,
    );
  });

  it('applies against GITHUB_API_URL with GITHUB_TOKEN and GITHUB_REPOSITORY, and a rerun writes nothing', async () => {
    server = await startGitHubApiServer({ files: sc.files });
    const env = { GITHUB_TOKEN: 'test-token', GITHUB_REPOSITORY: 'acme/pki', GITHUB_API_URL: server.url };
    const io = fakeIO(sc.root, env);
    assert.equal(await runSyncCommand({ report: 'report.json' }, io), 0, io.err);
    assert.match(io.out, /opened issue #\d+/);
    server.resetCounts();
    const again = fakeIO(sc.root, env);
    assert.equal(await runSyncCommand({ report: 'report.json' }, again), 0, again.err);
    assert.deepEqual(server.writes(), []);
    assert.equal(again.out, 'nothing to do: GitHub is in step with the report\n');
  });

  it('configuration errors name what is wrong (exit 2 through ConfigError)', async () => {
    await assert.rejects(runSyncCommand({ report: 'report.json', repo: 'not a repo' }, fakeIO(sc.root, {})), {
      name: 'ConfigError',
      message: /Invalid repository 'not a repo' in --repo\. Expected format \{owner\}\/\{repo\}\./,
    });
    await assert.rejects(runSyncCommand({ report: 'report.json' }, fakeIO(sc.root, {})), {
      message: /no repository: set GITHUB_REPOSITORY or pass --repo OWNER\/NAME/,
    });
    await writeFile(path.join(sc.root, 'bad.json'), '{"schemaVersion": 2}');
    await assert.rejects(runSyncCommand({ report: 'bad.json', 'dry-run': true }, fakeIO(sc.root, {})), {
      message: /bad\.json: expected a certwarden JSON report \(schemaVersion: 1\)/,
    });
    await assert.rejects(
      runSyncCommand(
        { report: 'report.json', 'issues-min-severity': 'high', 'dry-run': true },
        fakeIO(sc.root, {}),
      ),
      {
        message: /--issues-min-severity 'high' is not a severity; expected one of error, warning, info/,
      },
    );
  });

  it('GitHub failing exits 3 and says which request failed', async () => {
    server = await startGitHubApiServer({ files: sc.files, tokens: { other: 'someone' } });
    const io = fakeIO(sc.root, {
      GITHUB_TOKEN: 'test-token',
      GITHUB_REPOSITORY: 'acme/pki',
      GITHUB_API_URL: server.url,
    });
    assert.equal(await runSyncCommand({ report: 'report.json' }, io), 3);
    assert.match(io.err, /GET \/user: 401/);
  });
});
