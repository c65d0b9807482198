// Tiny real proxies on loopback: HTTP CONNECT and SOCKS5 (no auth). They only ever connect to
// loopback addresses and record what they were asked for, so tests can assert the tunnel was used.
import * as net from 'node:net';
import { listen, type Running } from './tls-servers.js';

export interface TestProxy extends Running {
  url: string;
  /** "host:port" of each tunnel requested. */
  requests: string[];
}

/** Names resolved by the proxy itself; anything not loopback is refused (tests never leave loopback). */
function loopbackTarget(host: string, names: Record<string, string>): string | null {
  const h = names[host] ?? host;
  return h === '127.0.0.1' || h === '::1' || h === 'localhost' ? h : null;
}

function pipe(a: net.Socket, b: net.Socket): void {
  a.pipe(b);
  b.pipe(a);
  a.on('error', () => b.destroy());
  b.on('error', () => a.destroy());
  a.on('close', () => b.destroy());
  b.on('close', () => a.destroy());
}

/** HTTP CONNECT proxy; `names` maps names only the proxy can resolve to loopback addresses. */
export async function startHttpProxy(
  opts: { names?: Record<string, string>; status?: number } = {},
): Promise<TestProxy> {
  const requests: string[] = [];
  const srv = net.createServer((client) => {
    client.on('error', () => {});
    let head = '';
    const onData = (d: Buffer): void => {
      head += d.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      client.off('data', onData);
      const m = /^CONNECT (\S+):(\d+) HTTP\/1\.[01]/.exec(head) ?? /^CONNECT \[(\S+)\]:(\d+) HTTP/.exec(head);
      if (!m) return void client.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      requests.push(`${m[1]}:${m[2]}`);
      if (opts.status) return void client.end(`HTTP/1.1 ${opts.status} Forbidden by test\r\n\r\n`);
      const target = loopbackTarget(m[1]!, opts.names ?? {});
      if (!target) return void client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      const upstream = net.connect({ host: target, port: Number(m[2]) });
      upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
      upstream.once('connect', () => {
        client.write('HTTP/1.1 200 Connection established\r\n\r\n');
        pipe(client, upstream);
      });
    };
    client.on('data', onData);
  });
  const running = await listen(srv);
  return Object.assign(running, { url: `http://127.0.0.1:${running.port}`, requests });
}

/** SOCKS5 proxy (no authentication, CONNECT only). */
export async function startSocks5Proxy(opts: { names?: Record<string, string> } = {}): Promise<TestProxy> {
  const requests: string[] = [];
  const srv = net.createServer((client) => {
    client.on('error', () => {});
    let buf = Buffer.alloc(0);
    let stage: 'greet' | 'request' = 'greet';
    const onData = (d: Buffer): void => {
      buf = Buffer.concat([buf, d]);
      if (stage === 'greet') {
        if (buf.length < 2 || buf.length < 2 + buf[1]!) return;
        buf = buf.subarray(2 + buf[1]!);
        client.write(Buffer.from([5, 0]));
        stage = 'request';
      }
      if (buf.length < 5) return;
      const atyp = buf[3]!;
      const alen = atyp === 1 ? 4 : atyp === 4 ? 16 : 1 + buf[4]!;
      if (buf.length < 4 + alen + 2) return;
      client.off('data', onData);
      const addr =
        atyp === 1
          ? [...buf.subarray(4, 8)].join('.')
          : atyp === 4
            ? (buf.subarray(4, 20).toString('hex').match(/.{4}/g) ?? [])
                .map((g) => parseInt(g, 16).toString(16))
                .join(':')
                .replace(/(^|:)0(:0)+(:|$)/, '::')
            : buf.subarray(5, 5 + buf[4]!).toString('utf8');
      const port = buf.readUInt16BE(4 + alen);
      requests.push(`${addr}:${port}`);
      const reply = (rep: number): Buffer => Buffer.from([5, rep, 0, 1, 0, 0, 0, 0, 0, 0]);
      const target = loopbackTarget(addr, opts.names ?? {});
      if (!target) return void client.end(reply(4));
      const upstream = net.connect({ host: target, port });
      upstream.on('error', (e: NodeJS.ErrnoException) =>
        client.end(reply(e.code === 'ECONNREFUSED' ? 5 : 1)),
      );
      upstream.once('connect', () => {
        client.write(reply(0));
        pipe(client, upstream);
      });
    };
    client.on('data', onData);
  });
  const running = await listen(srv);
  return Object.assign(running, { url: `socks5://127.0.0.1:${running.port}`, requests });
}
