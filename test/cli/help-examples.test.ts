// Every example in every command's --help runs as written: each line is run by a shell, with
// `certwarden` on PATH as the built CLI, in a copy of this repository's example data (inventory/,
// policies/). What an example needs besides is there as it would be for a user: a kubeconfig.yaml
// for the Kubernetes test API server, a TLS server on 127.0.0.1:8443 and its ca.pem. Only loopback.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, writeFileSync } from 'node:fs';
import tls from 'node:tls';
import path from 'node:path';
import { TempDir } from '../support/fs.js';
import { Pki } from '../support/pki.js';
import { KubeApiServer, tlsSecret } from '../support/kube-api-server.js';
import { builtCli, ensureBuilt, repoRoot, userEnv } from '../support/built-cli.js';
import { commands } from '../../src/cli/commands.js';

function sh(
  line: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', line], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, out, err });
    });
  });
}

describe("every command's --help examples run as written", function () {
  this.timeout(300_000);
  let tmp: TempDir;
  let kube: KubeApiServer;
  let server8443: { close(): Promise<void> } | null = null;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    ensureBuilt();
    tmp = new TempDir('certwarden-examples-');
    const work = tmp.path('checkout');
    mkdirSync(work);
    cpSync(path.join(repoRoot, 'inventory'), path.join(work, 'inventory'), { recursive: true });
    cpSync(path.join(repoRoot, 'policies'), path.join(work, 'policies'), { recursive: true });
    // `certwarden` on PATH, as `npm link` would put it.
    const bin = tmp.path('bin');
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'certwarden'), `#!/bin/sh\nexec "${process.execPath}" "${builtCli}" "$@"\n`);
    chmodSync(path.join(bin, 'certwarden'), 0o755);
    env = userEnv({
      PATH: `${bin}:${process.env.PATH}`,
      GITHUB_TOKEN: undefined,
      GITHUB_REPOSITORY: undefined,
    });
    // discover: a cluster with a TLS Secret in namespace mtg, reached through kubeconfig.yaml.
    kube = await KubeApiServer.start();
    const root = await kube.pki.ca({ cn: 'Examples Root' });
    const leaf = await kube.pki.leaf({ cn: 'ingress.example', issuer: root });
    kube.add('Secret', tlsSecret('mtg', 'test-ingress', leaf.pem, leaf.keyPem));
    writeFileSync(path.join(work, 'kubeconfig.yaml'), kube.kubeconfig({ auth: 'cert' }));
    // inspect https://127.0.0.1:8443 --servername localhost --ca ca.pem
    const pki = new Pki();
    const ca = await pki.ca({ cn: 'Examples CA' });
    const leaf8443 = await pki.leaf({ cn: 'localhost', dns: ['localhost'], issuer: ca, eku: ['serverAuth'] });
    writeFileSync(path.join(work, 'ca.pem'), ca.pem);
    try {
      server8443 = await startTlsServerOn(8443, { key: leaf8443.keyPem, cert: leaf8443.pem });
    } catch {
      server8443 = null; // port 8443 taken on this machine: that one example is reported as not run
    }
  });
  after(async () => {
    await server8443?.close();
    await kube?.close();
    tmp?.cleanup();
  });

  for (const [name, cmd] of Object.entries(commands)) {
    it(`${name}: ${(cmd.examples ?? []).length} example(s), each runs without an error`, async function () {
      assert.ok(cmd.examples?.length, `certwarden ${name} --help has no example`);
      for (const example of cmd.examples!) {
        if (example.includes(':8443') && !server8443) {
          this.test!.title += ' (the :8443 example was not run: the port is in use)';
          continue;
        }
        const r = await sh(example, tmp.path('checkout'), env);
        const shown = `$ ${example}\n${r.out.slice(-2000)}${r.err.slice(-2000)}`;
        // Only scan and evaluate may exit 1: the example inventory plants findings on purpose.
        const allowed = name === 'scan' || name === 'evaluate' ? [0, 1] : [0];
        assert.ok(allowed.includes(r.code), `exit ${r.code}\n${shown}`);
        assert.doesNotMatch(r.err, /^error: /m, shown);
        assert.doesNotMatch(r.err, /internal error|command not found/, shown);
      }
    });
  }
});

/** A TLS server on 127.0.0.1 at a fixed port (the example names 8443); rejects when the port is taken. */
async function startTlsServerOn(
  port: number,
  options: { key: string; cert: string },
): Promise<{ close(): Promise<void> }> {
  const server = tls.createServer(options, (sock) => sock.end());
  const open = new Set<import('node:net').Socket>();
  server.on('secureConnection', (s) => {
    open.add(s);
    s.on('close', () => open.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
