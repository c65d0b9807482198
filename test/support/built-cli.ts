// The built CLI (dist/cli.js) run as a user runs it: a child process with its own environment,
// stdin closed, stdout and stderr pipes (so not a terminal), or a pseudo-terminal through
// script(1). dist/ is rebuilt once per test process when any source file is newer than it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const builtCli = path.join(repoRoot, 'dist/cli.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

let built = false;
/** Builds dist/ (npm run build) when it is missing or older than src/, schemas/ or the build script. */
export function ensureBuilt(): void {
  if (built) return;
  const sources = Math.max(
    newestMtime(path.join(repoRoot, 'src')),
    newestMtime(path.join(repoRoot, 'schemas')),
    statSync(path.join(repoRoot, 'scripts/build.mjs')).mtimeMs,
  );
  if (!existsSync(builtCli) || statSync(builtCli).mtimeMs < sources) {
    const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`npm run build failed:\n${r.stdout}${r.stderr}`);
  }
  built = true;
}

export interface BuiltRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment a user's shell would give: PATH and HOME, no CI or colour settings unless asked. */
export function userEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8' };
  for (const k of ['SSL_CERT_FILE', 'SSL_CERT_DIR', 'NODE_EXTRA_CA_CERTS'])
    if (process.env[k] !== undefined) env[k] = process.env[k];
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** Runs `node dist/cli.js ...args` with pipes for stdout and stderr (neither is a terminal). */
export function runBuilt(
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<BuiltRun> {
  ensureBuilt();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [builtCli, ...args], {
      cwd: opts.cwd ?? repoRoot,
      env: userEnv(opts.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** Whether script(1) can give a child a pseudo-terminal here. */
export function hasScript(): boolean {
  return spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
}

/**
 * Runs a shell command line under script(1), so stdin, stdout and stderr are one terminal; returns
 * what the terminal showed (stdout and stderr together, with CR LF line ends as a terminal gets).
 */
export function runInTerminal(
  commandLine: string,
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<{ code: number; output: string }> {
  ensureBuilt();
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', commandLine, '/dev/null'], {
      cwd: opts.cwd ?? repoRoot,
      env: userEnv({ TERM: 'xterm', COLUMNS: '160', ...opts.env }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, output });
    });
  });
}
