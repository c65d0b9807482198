// A real OpenSSL CA around a certificate from the PKI builder: `openssl ca` keeps its database
// (index.txt), revokes certificates and makes CRLs (`-gencrl`), and `openssl ocsp` answers from
// that database, either once into a file (-respout) or as a responder on a loopback port.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Issued } from './pki.js';

/** openssl time form for -crl_lastupdate / -crl_nextupdate. */
export function opensslTime(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:T]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

function run(args: string[], cwd: string): string {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0)
    throw new Error(`openssl ${args[0]} failed: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return r.stdout;
}

export interface Responder {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** The CA's database and tools. `ca` must have been issued with its key (Issued.keyPem). */
export class OpensslCa {
  readonly dir: string;
  private n = 0;
  private readonly children = new Set<ChildProcess>();

  constructor(readonly ca: Issued) {
    this.dir = mkdtempSync(join(tmpdir(), 'certwarden-ca-'));
    writeFileSync(join(this.dir, 'ca.pem'), ca.pem);
    writeFileSync(join(this.dir, 'ca.key'), ca.keyPem, { mode: 0o600 });
    writeFileSync(join(this.dir, 'index.txt'), '');
    writeFileSync(join(this.dir, 'index.txt.attr'), 'unique_subject = no\n');
    writeFileSync(join(this.dir, 'crlnumber'), '01\n');
    writeFileSync(
      join(this.dir, 'ca.cnf'),
      `[ ca ]
default_ca = CA_default
[ CA_default ]
dir = ${this.dir}
database = $dir/index.txt
new_certs_dir = $dir
certificate = $dir/ca.pem
private_key = $dir/ca.key
crlnumber = $dir/crlnumber
default_md = sha256
default_crl_days = 7
policy = policy_any
unique_subject = no
crl_extensions = crl_ext
[ policy_any ]
commonName = optional
[ crl_ext ]
authorityKeyIdentifier = keyid:always
[ idp_ca_only ]
authorityKeyIdentifier = keyid:always
issuingDistributionPoint = critical, @idp_section
[ idp_section ]
onlyCA = TRUE
`,
    );
  }

  private file(name: string, body: string): string {
    const p = join(this.dir, name);
    writeFileSync(p, body);
    return p;
  }

  private certFile(c: Issued): string {
    return this.file(`cert-${++this.n}.pem`, c.pem);
  }

  /** Records `cert` as valid in the database (so the responder answers good, not unknown). */
  valid(cert: Issued): void {
    run(['ca', '-config', 'ca.cnf', '-valid', this.certFile(cert)], this.dir);
  }

  /** Revokes `cert` (reason: keyCompromise, superseded, …). */
  revoke(cert: Issued, reason = 'keyCompromise'): void {
    run(['ca', '-config', 'ca.cnf', '-revoke', this.certFile(cert), '-crl_reason', reason], this.dir);
  }

  /** A CRL from `openssl ca -gencrl`, as DER. */
  crl(opts: { lastUpdate?: Date; nextUpdate?: Date; hours?: number; extensions?: string } = {}): Buffer {
    const out = join(this.dir, `crl-${++this.n}.pem`);
    const args = ['ca', '-config', 'ca.cnf', '-gencrl', '-out', out];
    if (opts.lastUpdate) args.push('-crl_lastupdate', opensslTime(opts.lastUpdate));
    if (opts.nextUpdate) args.push('-crl_nextupdate', opensslTime(opts.nextUpdate));
    if (opts.hours) args.push('-crlhours', String(opts.hours));
    if (opts.extensions) args.push('-crlexts', opts.extensions);
    run(args, this.dir);
    const der = join(this.dir, `crl-${this.n}.der`);
    run(['crl', '-in', out, '-outform', 'DER', '-out', der], this.dir);
    return readFileSync(der);
  }

  /** One OCSP response for `cert` from the database, signed by `signer` (default: the CA), as DER. */
  ocspResponse(
    cert: Issued,
    opts: { signer?: Issued; minutes?: number; badsig?: boolean; byKey?: boolean } = {},
  ): Buffer {
    const signer = opts.signer ?? this.ca;
    const out = join(this.dir, `resp-${++this.n}.der`);
    const args = [
      'ocsp',
      '-index',
      'index.txt',
      '-CA',
      'ca.pem',
      '-rsigner',
      this.certFile(signer),
      '-rkey',
      this.file(`key-${this.n}.pem`, signer.keyPem),
      '-issuer',
      'ca.pem',
      '-cert',
      this.certFile(cert),
      '-respout',
      out,
      '-nmin',
      String(opts.minutes ?? 60),
    ];
    if (opts.badsig) args.push('-badsig');
    if (opts.byKey) args.push('-resp_key_id');
    run(args, this.dir);
    return readFileSync(out);
  }

  /**
   * `openssl ocsp` as a responder, signing with `signer` (default: the CA), on `port` (default: one
   * the system picks). It reads the database when it starts: record certificates first (a test
   * that needs the URL inside its certificates picks a port with freePort() beforehand). Ready once
   * it prints that it waits for connections (a probe of the port would occupy it).
   */
  async responder(
    opts: { signer?: Issued; minutes?: number; port?: number; multi?: number } = {},
  ): Promise<Responder> {
    const signer = opts.signer ?? this.ca;
    const args = [
      'ocsp',
      '-index',
      'index.txt',
      '-CA',
      'ca.pem',
      '-rsigner',
      this.certFile(signer),
      '-rkey',
      this.file(`key-${++this.n}.pem`, signer.keyPem),
      '-port',
      String(opts.port ?? 0),
      '-nmin',
      String(opts.minutes ?? 60),
      '-ignore_err',
      ...(opts.multi ? ['-multi', String(opts.multi)] : []),
    ];
    const child = spawn('openssl', args, { cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    this.children.add(child);
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      let err = '';
      let port = 0;
      const timer = setTimeout(() => reject(new Error(`openssl ocsp did not start: ${err.trim()}`)), 10_000);
      const check = (): void => {
        const m = /ACCEPT [^\s]*:(\d+)/.exec(out);
        if (m) port = Number(m[1]);
        // With -multi the workers print nothing; the parent has bound the port once it says ACCEPT.
        if (port && (opts.multi || /waiting for OCSP client connections/.test(out + err))) {
          clearTimeout(timer);
          resolve(port);
        }
      };
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        check();
      });
      child.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        check();
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`openssl ocsp exited (${code}): ${err.trim()}`));
      });
    });
    return {
      port,
      url: `http://127.0.0.1:${port}`,
      stop: () => stopChild(child, this.children),
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.children].map((c) => stopChild(c, this.children)));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Ends a responder. With -multi, openssl puts itself and its workers in a process group of their own
 * and its parent waits out SIGTERM, so the group is killed; a single responder takes SIGTERM.
 */
function stopChild(child: ChildProcess, set: Set<ChildProcess>): Promise<void> {
  set.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      child.kill('SIGTERM'); // not a group leader: no -multi
    }
  });
}
