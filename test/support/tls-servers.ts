// Real peers on 127.0.0.1 for the TLS tests: node:tls servers, misbehaving TCP servers, and small
// STARTTLS front ends (a real clear-text greeting, then a real TLS handshake on the same socket).
import * as net from 'node:net';
import * as tls from 'node:tls';

export interface Running {
  port: number;
  host: string;
  close(): Promise<void>;
}

/** Listens on an OS-chosen loopback port and tracks sockets so close() never hangs. */
export async function listen(server: net.Server, host = '127.0.0.1'): Promise<Running> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  });
  server.on('secureConnection', (s: net.Socket) => s.on('error', () => {}));
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    host,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A node:tls server; every accepted connection gets a short reply and is ended. */
export interface TlsServer extends Running {
  /** SNI names the server received in ClientHellos, in order (a ClientHello without SNI adds nothing). */
  serverNames: string[];
  handshakes: number;
}

export async function startTlsServer(options: tls.TlsOptions, host = '127.0.0.1'): Promise<TlsServer> {
  const serverNames: string[] = [];
  const inner = options.SNICallback;
  const SNICallback: tls.TlsOptions['SNICallback'] = (name, cb) => {
    serverNames.push(name);
    if (inner) inner(name, cb);
    else cb(null, undefined);
  };
  const srv = tls.createServer({ ...options, SNICallback }, (s) => s.end('hello\n'));
  const state = { handshakes: 0 };
  srv.on('secureConnection', () => state.handshakes++);
  const running = await listen(srv, host);
  return Object.defineProperties(Object.assign(running, { serverNames }), {
    handshakes: { get: () => state.handshakes, enumerable: true },
  }) as TlsServer;
}

/** A TCP server whose per-connection behaviour the test decides (tarpit, garbage, reset, drip …). */
export async function startRawServer(
  onConnection: (s: net.Socket, index: number) => void,
): Promise<Running & { connections: number }> {
  let n = 0;
  const srv = net.createServer((s) => onConnection(s, n++));
  const running = await listen(srv);
  return Object.defineProperty(running, 'connections', { get: () => n, enumerable: true }) as Running & {
    connections: number;
  };
}

/** Accepts and never answers. */
export const tarpit = (): Promise<Running & { connections: number }> => startRawServer(() => {});

export type StartTlsKind = 'smtp' | 'imap' | 'pop3' | 'ldap' | 'postgres';

/**
 * A clear-text server speaking just enough of a mail/directory/database protocol to offer STARTTLS,
 * then the same socket is upgraded to TLS with `options`. `refuse` makes it decline the upgrade.
 */
export async function startStartTlsServer(
  kind: StartTlsKind,
  options: tls.TlsOptions,
  refuse = false,
): Promise<Running> {
  const ctx = tls.createSecureContext(options);
  const upgrade = (s: net.Socket): void => {
    s.removeAllListeners('data');
    const t = new tls.TLSSocket(s, { isServer: true, secureContext: ctx });
    t.on('error', () => {});
    t.on('secure', () => t.end('ready\r\n'));
  };
  const srv = net.createServer((s) => {
    s.on('error', () => {});
    let buf = '';
    const lines = (onLine: (l: string) => void) =>
      s.on('data', (d: Buffer) => {
        buf += d.toString('latin1');
        for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
          const l = buf.slice(0, i).replace(/\r$/, '');
          buf = buf.slice(i + 1);
          onLine(l);
        }
      });
    switch (kind) {
      case 'smtp':
        s.write('220-mail.test ESMTP ready\r\n220 second greeting line\r\n');
        lines((l) => {
          if (/^EHLO /i.test(l))
            s.write(`250-mail.test\r\n250-PIPELINING\r\n${refuse ? '' : '250-STARTTLS\r\n'}250 8BITMIME\r\n`);
          else if (/^STARTTLS/i.test(l)) {
            s.write('220 go ahead\r\n');
            upgrade(s);
          } else s.write('502 no\r\n');
        });
        return;
      case 'imap':
        s.write('* OK [CAPABILITY IMAP4rev1 STARTTLS] imap.test ready\r\n');
        lines((l) => {
          const [tag, cmd] = l.split(' ');
          if (cmd?.toUpperCase() === 'STARTTLS') {
            if (refuse) return void s.write(`${tag} NO not now\r\n`);
            s.write(`* CAPABILITY IMAP4rev1\r\n${tag} OK begin TLS\r\n`);
            upgrade(s);
          } else s.write(`${tag} BAD\r\n`);
        });
        return;
      case 'pop3':
        s.write('+OK pop3.test ready\r\n');
        lines((l) => {
          if (l.toUpperCase() === 'STLS') {
            if (refuse) return void s.write('-ERR not now\r\n');
            s.write('+OK begin TLS\r\n');
            upgrade(s);
          } else s.write('-ERR\r\n');
        });
        return;
      case 'ldap':
        s.once('data', (d: Buffer) => {
          // Expect an ExtendedRequest carrying the StartTLS OID; answer with resultCode 0 (or 2 = protocolError).
          const ok = d.includes(Buffer.from('1.3.6.1.4.1.1466.20037')) && d[0] === 0x30;
          const code = ok && !refuse ? 0 : 2;
          const oid = Buffer.from('1.3.6.1.4.1.1466.20037');
          const op = Buffer.from([0x0a, 0x01, code, 0x04, 0x00, 0x04, 0x00, 0x8a, oid.length, ...oid]);
          const resp = Buffer.from([0x78, op.length, ...op]);
          const msg = Buffer.from([0x30, 3 + resp.length, 0x02, 0x01, 0x01, ...resp]);
          s.write(msg);
          if (code === 0) upgrade(s);
        });
        return;
      case 'postgres':
        s.once('data', (d: Buffer) => {
          const isSslRequest = d.length === 8 && d.readUInt32BE(0) === 8 && d.readUInt32BE(4) === 80877103;
          if (!isSslRequest || refuse) return void s.write('N');
          s.write('S');
          upgrade(s);
        });
        return;
    }
  });
  return listen(srv);
}
