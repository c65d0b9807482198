// Runs the action through its real entry point: a child `node` process with INPUT_* variables,
// GITHUB_OUTPUT / GITHUB_STEP_SUMMARY in temp files; the caller adds GITHUB_API_URL and the like.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GitHubApiServer } from '../support/github-api-server.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const entry = path.join(repoRoot, 'src/action/index.ts');
// The child runs in a workspace outside the repository: give it tsx by absolute URL.
const tsx = import.meta.resolve('tsx');

export interface Run {
  code: number;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
}

/** Parses the GITHUB_OUTPUT file format (name<<delimiter … delimiter). */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const m of text.matchAll(re)) out[m[1] as string] = m[3] as string;
  return out;
}

export async function runAction(
  cwd: string,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
): Promise<Run> {
  const tmp = await mkdtemp(path.join(tmpdir(), 'cw-action-'));
  const outFile = path.join(tmp, 'output');
  const summaryFile = path.join(tmp, 'summary');
  await writeFile(outFile, '');
  await writeFile(summaryFile, '');
  const childEnv: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    GITHUB_WORKSPACE: cwd,
    GITHUB_OUTPUT: outFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: tmp,
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    ...env,
  };
  const child = spawn(process.execPath, ['--import', tsx, entry], {
    cwd,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stdout += d.toString()));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  const run = {
    code,
    stdout,
    outputs: parseOutputs(await readFile(outFile, 'utf8')),
    summary: await readFile(summaryFile, 'utf8'),
  };
  await rm(tmp, { recursive: true, force: true });
  return run;
}

/** The head of a file inventory with anchor `root` (inventory/anchors/root.pem); targets follow. */
export const FILES_INVENTORY = `apiVersion: certwarden/v1
kind: Inventory
metadata:
  name: files
  owners: ["@alice"]
anchors:
  - id: root
    file: anchors/root.pem
targets:
`;

/**
 * An inventory with one kubernetes-csr renewal target, `webhook`, in cluster avilla (kubeconfig from
 * KUBECONFIG_AVILLA); `extra` adds lines to the target (e.g. its policies).
 */
export function webhookInventory(extra = ''): string {
  return `apiVersion: certwarden/v1
kind: Inventory
metadata:
  name: platform
  owners: ["@alice"]
clusters:
  - name: avilla
    kubeconfig: {env: KUBECONFIG_AVILLA}
targets:
  - id: webhook
    kubernetes: {cluster: avilla, kind: Secret, namespace: webhooks, name: webhook-tls}
${extra}    renewal:
      method: kubernetes-csr
      signerName: example.com/webhook-serving
      usages: [digital signature, key encipherment, server auth]
`;
}

/** What a test made: temporary folders and GitHub API test servers (see perTest). */
export interface TestResources {
  /** Folders removed after the test. */
  dirs: string[];
  /** Registers a server: closed after the test, which fails if the server saw an API violation. */
  server(s: GitHubApiServer): GitHubApiServer;
}

/** Resources of the current test, released after each test of the calling `describe`. */
export function perTest(): TestResources {
  const dirs: string[] = [];
  const servers: GitHubApiServer[] = [];
  afterEach(async () => {
    const violations = servers.flatMap((s) => s.violations);
    for (const s of servers.splice(0)) await s.close();
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
    assert.deepEqual(violations, []);
  });
  return {
    dirs,
    server: (s) => {
      servers.push(s);
      return s;
    },
  };
}
