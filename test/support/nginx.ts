// Foreign TLS peers for tests: Debian's nginx (own config and prefix in a temp folder, free loopback
// ports) and `openssl s_server`. Both are real programs; tests skip with a reason when absent.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface NginxSite {
  /** Certificate chain PEM as nginx should send it (leaf first). */
  certPem: string;
  keyPem: string;
  protocols?: string; // e.g. "TLSv1.2", "TLSv1.3", "TLSv1.2 TLSv1.3"
  /** When set, nginx requires a client certificate issued by this CA. */
  clientCaPem?: string;
}

export interface NginxLab {
  ports: number[];
  stop(): Promise<void>;
}

const NGINX_CANDIDATES = ['/usr/sbin/nginx', '/usr/bin/nginx'];

/** Path of the nginx binary, or null (tests then skip, saying why). */
export function nginxBinary(): string | null {
  for (const p of NGINX_CANDIDATES) if (existsSync(p)) return p;
  const r = spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : null;
}

export function opensslBinary(): string | null {
  const r = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  return r.status === 0 ? 'openssl' : null;
}

/** A free loopback port chosen by the OS (released just before use). */
export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** Resolves once something accepts on the port, or rejects after `ms`. */
export async function waitForPort(port: number, ms = 5000, child?: ChildProcess): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    if (child && child.exitCode !== null)
      throw new Error(`process exited with ${child.exitCode} before listening`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nothing listening on 127.0.0.1:${port} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Starts one nginx (foreground, own prefix) serving each site on its own loopback port. */
export async function startNginx(sites: NginxSite[]): Promise<NginxLab> {
  const bin = nginxBinary();
  if (!bin) throw new Error('nginx is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'certwarden-nginx-'));
  mkdirSync(join(dir, 'tmp'));
  const ports: number[] = [];
  const servers: string[] = [];
  for (const [i, site] of sites.entries()) {
    const port = await freePort();
    ports.push(port);
    writeFileSync(join(dir, `site${i}.crt`), site.certPem);
    writeFileSync(join(dir, `site${i}.key`), site.keyPem, { mode: 0o600 });
    const lines = [
      `listen 127.0.0.1:${port} ssl;`,
      `ssl_certificate ${dir}/site${i}.crt;`,
      `ssl_certificate_key ${dir}/site${i}.key;`,
      `ssl_protocols ${site.protocols ?? 'TLSv1.2 TLSv1.3'};`,
    ];
    if (site.clientCaPem) {
      writeFileSync(join(dir, `site${i}-client-ca.crt`), site.clientCaPem);
      lines.push(`ssl_client_certificate ${dir}/site${i}-client-ca.crt;`, 'ssl_verify_client on;');
    }
    lines.push('location / { return 200 "certwarden test\\n"; }');
    servers.push(`  server {\n    ${lines.join('\n    ')}\n  }`);
  }
  const tmp = join(dir, 'tmp');
  const conf = `daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${tmp}/body;
  proxy_temp_path ${tmp}/proxy;
  fastcgi_temp_path ${tmp}/fastcgi;
  uwsgi_temp_path ${tmp}/uwsgi;
  scgi_temp_path ${tmp}/scgi;
${servers.join('\n')}
}
`;
  writeFileSync(join(dir, 'nginx.conf'), conf);
  const child = spawn(bin, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], {
    stdio: 'ignore',
  });
  const stop = async (): Promise<void> => {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const p of ports) await waitForPort(p, 5000, child);
  } catch (e) {
    const log = existsSync(join(dir, 'error.log'))
      ? readFileSync(join(dir, 'error.log'), 'utf8').slice(-500)
      : '';
    await stop();
    throw new Error(`nginx did not start: ${(e as Error).message}\n${log}`);
  }
  return { ports, stop };
}

/** `openssl s_server` sending `certPem` (leaf) plus `chainPem` as its chain. */
export async function startOpensslServer(opts: {
  certPem: string;
  keyPem: string;
  chainPem?: string;
  args?: string[];
}): Promise<NginxLab> {
  const dir = mkdtempSync(join(tmpdir(), 'certwarden-openssl-'));
  writeFileSync(join(dir, 'cert.pem'), opts.certPem);
  writeFileSync(join(dir, 'key.pem'), opts.keyPem, { mode: 0o600 });
  const args = [
    's_server',
    '-quiet',
    '-accept',
    '',
    '-cert',
    join(dir, 'cert.pem'),
    '-key',
    join(dir, 'key.pem'),
    '-www',
  ];
  if (opts.chainPem) {
    writeFileSync(join(dir, 'chain.pem'), opts.chainPem);
    args.push('-cert_chain', join(dir, 'chain.pem'));
  }
  args.push(...(opts.args ?? []));
  const port = await freePort();
  args[3] = `127.0.0.1:${port}`;
  const child = spawn('openssl', args, { stdio: 'ignore' });
  const stop = async (): Promise<void> => {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, 5000, child);
  } catch (e) {
    await stop();
    throw e;
  }
  return { ports: [port], stop };
}
