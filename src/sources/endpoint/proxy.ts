// Reaching other networks: a tunnel through an HTTP CONNECT or SOCKS5 proxy. The proxy resolves the
// target name, so a runner in one subnet reaches a server in another without routing changes.
import type { Socket } from 'node:net';
import { isIP } from 'node:net';
import { Conversation, ProbeError } from './conversation.js';
import { safeText } from '../../core/text.js';
import { stripUserinfo } from '../../core/input-errors.js';

export interface ProxySpec {
  kind: 'http' | 'socks5';
  host: string;
  port: number;
}

/** Parses `http://host:port` or `socks5://host:port`; a wrong form is a ProbeError('proxy'). */
export function parseProxy(via: string): ProxySpec {
  let u: URL;
  try {
    u = new URL(via);
  } catch {
    throw new ProbeError(
      'proxy',
      `invalid proxy '${safeText(stripUserinfo(via))}' (expected http://host:port or socks5://host:port)`,
    );
  }
  const kind =
    u.protocol === 'http:' ? 'http' : u.protocol === 'socks5:' || u.protocol === 'socks5h:' ? 'socks5' : null;
  if (!kind || !u.hostname) {
    throw new ProbeError(
      'proxy',
      `invalid proxy '${safeText(stripUserinfo(via))}' (expected http://host:port or socks5://host:port)`,
    );
  }
  const port = u.port ? Number(u.port) : kind === 'http' ? 80 : 1080;
  return { kind, host: u.hostname.replace(/^\[|\]$/g, ''), port };
}

function hostPort(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

async function httpConnect(socket: Socket, host: string, port: number): Promise<void> {
  const c = new Conversation(socket, 'HTTP CONNECT proxy', 'proxy');
  try {
    const hp = hostPort(host, port);
    c.write(`CONNECT ${hp} HTTP/1.1\r\nHost: ${hp}\r\n\r\n`);
    const head = (
      await c.read((b) => {
        const i = b.indexOf('\r\n\r\n');
        return i < 0 ? -1 : i + 4;
      })
    ).toString('latin1');
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(head);
    if (!status)
      throw new ProbeError(
        'proxy',
        `HTTP CONNECT proxy: malformed reply '${safeText(head.split('\r\n')[0]!.slice(0, 80))}'`,
      );
    if (status[1] !== '200') {
      throw new ProbeError(
        'proxy',
        `HTTP CONNECT proxy refused ${hp}: '${safeText(head.split('\r\n')[0]!.slice(0, 80))}'`,
      );
    }
    if (c.detach().length)
      throw new ProbeError('proxy', 'HTTP CONNECT proxy: data before the tunnel was used');
  } finally {
    c.detach();
  }
}

const SOCKS_REPLIES: Record<number, string> = {
  1: 'general failure',
  2: 'connection not allowed by ruleset',
  3: 'network unreachable',
  4: 'host unreachable',
  5: 'connection refused',
  6: 'TTL expired',
  7: 'command not supported',
  8: 'address type not supported',
};

async function socks5(socket: Socket, host: string, port: number): Promise<void> {
  const c = new Conversation(socket, 'SOCKS5 proxy', 'proxy');
  try {
    c.write(Buffer.from([5, 1, 0])); // version 5, one method: no authentication
    const m = await c.read((b) => (b.length >= 2 ? 2 : -1));
    if (m[0] !== 5 || m[1] !== 0)
      throw new ProbeError('proxy', 'SOCKS5 proxy: requires authentication or is not SOCKS5');
    let addr: Buffer;
    const fam = isIP(host);
    if (fam === 4) addr = Buffer.from([1, ...host.split('.').map(Number)]);
    else if (fam === 6) addr = Buffer.concat([Buffer.from([4]), ipv6Bytes(host)]);
    else {
      const name = Buffer.from(host, 'utf8');
      if (name.length > 255) throw new ProbeError('proxy', 'SOCKS5 proxy: host name longer than 255 bytes');
      addr = Buffer.concat([Buffer.from([3, name.length]), name]);
    }
    c.write(Buffer.concat([Buffer.from([5, 1, 0]), addr, Buffer.from([port >> 8, port & 0xff])]));
    const r = await c.read((b) => {
      if (b.length < 5) return -1;
      const len = b[3] === 1 ? 4 : b[3] === 4 ? 16 : b[3] === 3 ? 1 + b[4]! : -2;
      if (len === -2) throw new ProbeError('proxy', 'SOCKS5 proxy: malformed reply');
      return b.length >= 4 + len + 2 ? 4 + len + 2 : -1;
    });
    if (r[0] !== 5) throw new ProbeError('proxy', 'SOCKS5 proxy: malformed reply');
    if (r[1] !== 0) {
      const what = SOCKS_REPLIES[r[1]!] ?? `error ${r[1]}`;
      // The proxy reached the network but the target said no: that is the target's refusal.
      throw new ProbeError(
        r[1] === 5 ? 'refused' : 'proxy',
        `SOCKS5 proxy: ${what} for ${hostPort(host, port)}`,
      );
    }
    if (c.detach().length) throw new ProbeError('proxy', 'SOCKS5 proxy: data before the tunnel was used');
  } finally {
    c.detach();
  }
}

function ipv6Bytes(address: string): Buffer {
  // An embedded IPv4 tail (::ffff:10.0.0.1) becomes two hex groups.
  const ip = address.replace(
    /(\d+)\.(\d+)\.(\d+)\.(\d+)$/,
    (_m, a, b, c, d) =>
      `${((Number(a) << 8) | Number(b)).toString(16)}:${((Number(c) << 8) | Number(d)).toString(16)}`,
  );
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g || '0', 16), i * 2));
  return out;
}

/** Opens the tunnel on a socket already connected to the proxy. */
/** @internal exported for tests */
export { ipv6Bytes };

export function openTunnel(socket: Socket, proxy: ProxySpec, host: string, port: number): Promise<void> {
  return proxy.kind === 'http' ? httpConnect(socket, host, port) : socks5(socket, host, port);
}
