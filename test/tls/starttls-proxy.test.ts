import { strict as assert } from 'node:assert';
import { Pki, type Issued } from '../support/pki.js';
import {
  startStartTlsServer,
  startTlsServer,
  tarpit,
  type Running,
  type StartTlsKind,
} from '../support/tls-servers.js';
import { startHttpProxy, startSocks5Proxy } from '../support/tls-proxies.js';
import { probeEndpoint } from '../../src/sources/endpoint/probe.js';

describe('TLS probe: STARTTLS and proxies', () => {
  let pki: Pki;
  let inter: Issued;
  let leaf: Issued;
  const running: Running[] = [];
  const keep = <T extends Running>(r: T): T => {
    running.push(r);
    return r;
  };

  before(async () => {
    pki = new Pki();
    const root = await pki.ca({ cn: 'Mail Root' });
    inter = await pki.ca({ cn: 'Mail Issuing', issuer: root });
    leaf = await pki.leaf({ cn: 'mail.test', dns: ['mail.test'], issuer: inter });
  });
  after(async () => {
    await Promise.all(running.map((r) => r.close()));
  });

  const kinds: StartTlsKind[] = ['smtp', 'imap', 'pop3', 'ldap', 'postgres'];
  for (const kind of kinds) {
    it(`upgrades ${kind} with STARTTLS and reads the chain the server sends`, async () => {
      const s = keep(await startStartTlsServer(kind, { cert: pki.chainPem(leaf, inter), key: leaf.keyPem }));
      const r = await probeEndpoint(
        { host: '127.0.0.1', port: s.port, serverName: 'mail.test', starttls: kind },
        { timeoutMs: 3000 },
      );
      assert.equal(r.ok, true, JSON.stringify(r.error));
      assert.equal(r.starttls, kind);
      assert.deepEqual(
        r.chain.map((c) => c.toString('hex')),
        [leaf, inter].map((c) => c.der.toString('hex')),
      );
    });

    it(`reports a ${kind} server that declines STARTTLS as a protocol failure`, async () => {
      const s = keep(await startStartTlsServer(kind, { cert: leaf.pem, key: leaf.keyPem }, true));
      const r = await probeEndpoint({ host: '127.0.0.1', port: s.port, starttls: kind }, { timeoutMs: 3000 });
      assert.equal(r.ok, false);
      assert.equal(r.error?.reason, 'protocol');
      assert.match(r.error!.message, new RegExp(kind === 'postgres' ? 'PostgreSQL' : kind.toUpperCase()));
    });
  }

  it('counts a mail server that never greets against the deadline', async () => {
    const s = keep(await tarpit());
    const r = await probeEndpoint({ host: '127.0.0.1', port: s.port, starttls: 'smtp' }, { timeoutMs: 500 });
    assert.equal(r.error?.reason, 'timeout');
    assert.match(r.error!.message, /STARTTLS/);
  });

  it('reaches a server through an HTTP CONNECT proxy, letting the proxy resolve the name', async () => {
    const s = keep(await startTlsServer({ cert: pki.chainPem(leaf, inter), key: leaf.keyPem }));
    const proxy = keep(await startHttpProxy({ names: { 'mail.internal.test': '127.0.0.1' } }));
    const lookup = async (h: string): Promise<Array<{ address: string; family: number }>> => {
      if (h === '127.0.0.1') return [{ address: h, family: 4 }];
      throw Object.assign(new Error(`only the proxy knows ${h}`), { code: 'ENOTFOUND' });
    };
    const r = await probeEndpoint(
      { host: 'mail.internal.test', port: s.port, via: proxy.url },
      { timeoutMs: 3000, lookup },
    );
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.deepEqual(proxy.requests, [`mail.internal.test:${s.port}`]);
    assert.deepEqual(s.serverNames, ['mail.internal.test']);
    assert.equal(r.chain[0]!.toString('hex'), leaf.der.toString('hex'));
  });

  it('reaches a server through a SOCKS5 proxy, also with STARTTLS', async () => {
    const s = keep(await startStartTlsServer('smtp', { cert: pki.chainPem(leaf, inter), key: leaf.keyPem }));
    const proxy = keep(await startSocks5Proxy({ names: { 'mail.internal.test': '127.0.0.1' } }));
    const r = await probeEndpoint(
      { host: 'mail.internal.test', port: s.port, via: proxy.url, starttls: 'smtp', serverName: 'mail.test' },
      { timeoutMs: 3000 },
    );
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.deepEqual(proxy.requests, [`mail.internal.test:${s.port}`]);
    assert.equal(r.chain.length, 2);
  });

  it('passes IPv4 literals to a SOCKS5 proxy as addresses', async () => {
    const s = keep(await startTlsServer({ cert: pki.chainPem(leaf, inter), key: leaf.keyPem }));
    const proxy = keep(await startSocks5Proxy());
    const r = await probeEndpoint({ host: '127.0.0.1', port: s.port, via: proxy.url }, { timeoutMs: 3000 });
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.deepEqual(proxy.requests, [`127.0.0.1:${s.port}`]);
  });

  it('reports a proxy that refuses the tunnel as a proxy failure with its status line', async () => {
    const proxy = keep(await startHttpProxy({ status: 403 }));
    const r = await probeEndpoint({ host: 'mail.test', port: 443, via: proxy.url }, { timeoutMs: 3000 });
    assert.equal(r.error?.reason, 'proxy');
    assert.match(r.error!.message, /403/);
  });

  it('reports a target refused behind a SOCKS5 proxy as refused', async () => {
    const gone = await tarpit();
    await gone.close();
    const proxy = keep(await startSocks5Proxy());
    const r = await probeEndpoint(
      { host: '127.0.0.1', port: gone.port, via: proxy.url },
      { timeoutMs: 3000 },
    );
    assert.equal(r.error?.reason, 'refused');
    assert.match(r.error!.message, /SOCKS5/);
  });

  it('reports a proxy that is down as a proxy failure', async () => {
    const gone = await tarpit();
    await gone.close();
    const r = await probeEndpoint(
      { host: 'mail.test', port: 443, via: `http://127.0.0.1:${gone.port}` },
      { timeoutMs: 3000 },
    );
    assert.equal(r.error?.reason, 'proxy');
  });

  it('reports a malformed via as a proxy failure naming the expected form', async () => {
    const r = await probeEndpoint({ host: 'mail.test', port: 443, via: 'ftp://x' }, { timeoutMs: 3000 });
    assert.equal(r.error?.reason, 'proxy');
    assert.match(r.error!.message, /expected http:\/\/host:port or socks5:\/\/host:port/);
  });
});

describe('SOCKS5 address encoding', () => {
  it('encodes IPv6 literals, including compressed and IPv4-embedded forms, as 16 bytes', async () => {
    const { ipv6Bytes } = await import('../../src/sources/endpoint/proxy.js');
    assert.equal(ipv6Bytes('::1').toString('hex'), '00000000000000000000000000000001');
    assert.equal(ipv6Bytes('fe80::1:2').toString('hex'), 'fe800000000000000000000000010002');
    assert.equal(ipv6Bytes('::ffff:10.0.0.1').toString('hex'), '00000000000000000000ffff0a000001');
  });
});
