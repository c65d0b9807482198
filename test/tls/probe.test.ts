import { strict as assert } from 'node:assert';
import * as tls from 'node:tls';
import { Pki, type Issued } from '../support/pki.js';
import { startTlsServer, type TlsServer } from '../support/tls-servers.js';
import { probeEndpoint } from '../../src/sources/endpoint/probe.js';

const sha = (b: Buffer): string => b.toString('hex');

describe('TLS probe: what the server presents', () => {
  let pki: Pki;
  let root: Issued;
  let inter: Issued;
  let leaf: Issued;
  let rsaLeaf: Issued;
  let other: Issued;
  let second: Issued;
  const servers: TlsServer[] = [];
  const serve = async (opts: Parameters<typeof startTlsServer>[0], host?: string): Promise<TlsServer> => {
    const s = await startTlsServer(opts, host);
    servers.push(s);
    return s;
  };

  before(async () => {
    pki = new Pki();
    root = await pki.ca({ cn: 'Probe Test Root' });
    inter = await pki.ca({ cn: 'Probe Test Issuing', issuer: root, pathLen: 0 });
    leaf = await pki.leaf({ cn: 'svc.test', dns: ['svc.test'], issuer: inter });
    rsaLeaf = await pki.leaf({ cn: 'rsa.test', dns: ['rsa.test'], issuer: inter, key: 'rsa2048' });
    other = await pki.ca({ cn: 'Unrelated CA' });
    second = await pki.leaf({ cn: 'second.test', dns: ['second.test'], issuer: inter });
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  for (const version of ['TLSv1.2', 'TLSv1.3'] as const) {
    it(`reads the chain exactly as sent over ${version}, keeping wrong order and unrelated extras`, async () => {
      const s = await serve({
        cert: pki.chainPem(leaf, root, other, inter),
        key: leaf.keyPem,
        minVersion: version,
        maxVersion: version,
      });
      const r = await probeEndpoint(
        { host: '127.0.0.1', port: s.port, serverName: 'svc.test' },
        { timeoutMs: 3000 },
      );
      assert.equal(r.error, null);
      assert.equal(r.ok, true);
      assert.equal(r.chainMethod, 'handshake');
      assert.equal(r.protocol, version);
      assert.deepEqual(
        r.chain.map(sha),
        [leaf, root, other, inter].map((c) => c.der.toString('hex')),
      );
    });

    it(`reports a leaf-only server as sending one certificate over ${version}`, async () => {
      const s = await serve({ cert: leaf.pem, key: leaf.keyPem, minVersion: version, maxVersion: version });
      const r = await probeEndpoint(
        { host: '127.0.0.1', port: s.port, serverName: 'svc.test' },
        { timeoutMs: 3000 },
      );
      assert.equal(r.chainMethod, 'handshake');
      assert.deepEqual(r.chain.map(sha), [leaf.der.toString('hex')]);
    });

    it(`still yields the chain of a server that requires a client certificate over ${version}`, async () => {
      const s = await serve({
        cert: pki.chainPem(leaf, inter),
        key: leaf.keyPem,
        minVersion: version,
        maxVersion: version,
        requestCert: true,
        rejectUnauthorized: true,
        ca: root.pem,
      });
      const r = await probeEndpoint(
        { host: '127.0.0.1', port: s.port, serverName: 'svc.test' },
        { timeoutMs: 3000 },
      );
      assert.equal(r.ok, true, JSON.stringify(r.error));
      assert.equal(r.clientCertRequested, true);
      assert.deepEqual(
        r.chain.map(sha),
        [leaf, inter].map((c) => c.der.toString('hex')),
      );
    });
  }

  for (const suite of ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256']) {
    it(`decrypts the TLS 1.3 handshake to read the chain as sent with ${suite}`, async () => {
      const s = await serve({
        cert: pki.chainPem(leaf, root, inter),
        key: leaf.keyPem,
        minVersion: 'TLSv1.3',
        ciphers: suite,
      });
      const r = await probeEndpoint(
        { host: '127.0.0.1', port: s.port, serverName: 'svc.test' },
        { timeoutMs: 3000 },
      );
      assert.equal(r.cipher, suite);
      assert.equal(r.chainMethod, 'handshake');
      assert.deepEqual(
        r.chain.map(sha),
        [leaf, root, inter].map((c) => c.der.toString('hex')),
      );
    });
  }

  it('follows a TLS 1.3 HelloRetryRequest and still reads the chain from the handshake', async () => {
    // The client's first key share is X25519; a server that only accepts P-384 must ask again.
    const s = await serve({
      cert: pki.chainPem(leaf, root),
      key: leaf.keyPem,
      minVersion: 'TLSv1.3',
      ecdhCurve: 'P-384',
    });
    const r = await probeEndpoint(
      { host: '127.0.0.1', port: s.port, serverName: 'svc.test' },
      { timeoutMs: 3000 },
    );
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.equal(r.chainMethod, 'handshake');
    assert.deepEqual(
      r.chain.map(sha),
      [leaf, root].map((c) => c.der.toString('hex')),
    );
  });

  it('falls back to the TLS library chain when raw capture is off, which loses the order and extras we report', async () => {
    const s = await serve({ cert: pki.chainPem(leaf, root, other, inter), key: leaf.keyPem });
    const r = await probeEndpoint(
      { host: '127.0.0.1', port: s.port, serverName: 'svc.test' },
      { timeoutMs: 3000, rawChain: false },
    );
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.equal(r.chainMethod, 'peer-certificate');
    assert.match(r.notes.join(' '), /raw chain capture disabled/);
    assert.equal(sha(r.chain[0]!), leaf.der.toString('hex'));
    // node rebuilt leaf -> issuing and dropped the root and the unrelated CA it was sent: the very
    // reason the probe reads the Certificate message itself
    assert.deepEqual(
      r.chain.map(sha),
      [leaf, inter].map((c) => c.der.toString('hex')),
    );
  });

  it('still reads the certificates of a legacy TLS 1.0 server and names the old protocol', async () => {
    const s = await serve({
      cert: pki.chainPem(rsaLeaf, inter),
      key: rsaLeaf.keyPem,
      minVersion: 'TLSv1',
      maxVersion: 'TLSv1',
      ciphers: 'DEFAULT:@SECLEVEL=0',
    });
    const r = await probeEndpoint(
      { host: '127.0.0.1', port: s.port, serverName: 'rsa.test' },
      { timeoutMs: 3000 },
    );
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.equal(r.protocol, 'TLSv1');
    assert.equal(r.chainMethod, 'handshake');
    assert.equal(sha(r.chain[0]!), rsaLeaf.der.toString('hex'));
  });

  it('says no client certificate was requested when the server did not ask for one', async () => {
    const s = await serve({ cert: pki.chainPem(leaf, inter), key: leaf.keyPem });
    const r = await probeEndpoint(
      { host: '127.0.0.1', port: s.port, serverName: 'svc.test' },
      { timeoutMs: 3000 },
    );
    assert.equal(r.clientCertRequested, false);
  });

  it('reports the negotiated cipher by its standard name', async () => {
    const s = await serve({
      cert: pki.chainPem(rsaLeaf, inter),
      key: rsaLeaf.keyPem,
      maxVersion: 'TLSv1.2',
      ciphers: 'ECDHE-RSA-AES256-GCM-SHA384',
    });
    const r = await probeEndpoint(
      { host: '127.0.0.1', port: s.port, serverName: 'rsa.test' },
      { timeoutMs: 3000 },
    );
    assert.equal(r.protocol, 'TLSv1.2');
    assert.equal(r.cipher, 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384');
  });

  it('sends the serverName as SNI and picks the certificate the server chooses for it', async () => {
    const s = await serve({
      cert: pki.chainPem(leaf, inter),
      key: leaf.keyPem,
      SNICallback: (name, cb) => {
        cb(
          null,
          name === 'second.test'
            ? tls.createSecureContext({ cert: pki.chainPem(second, inter), key: second.keyPem })
            : undefined,
        );
      },
    });
    const r = await probeEndpoint(
      { host: '127.0.0.1', port: s.port, serverName: 'second.test' },
      { timeoutMs: 3000 },
    );
    assert.deepEqual(s.serverNames, ['second.test']);
    assert.equal(r.serverName, 'second.test');
    assert.equal(sha(r.chain[0]!), second.der.toString('hex'));
  });

  it('never sends an IP address as SNI, for an IP host or an IP serverName', async () => {
    const s = await serve({ cert: pki.chainPem(leaf, inter), key: leaf.keyPem });
    const a = await probeEndpoint({ host: '127.0.0.1', port: s.port }, { timeoutMs: 3000 });
    const b = await probeEndpoint(
      { host: '127.0.0.1', port: s.port, serverName: '127.0.0.1' },
      { timeoutMs: 3000 },
    );
    assert.equal(a.ok && b.ok, true);
    assert.deepEqual(s.serverNames, []);
    assert.equal(a.serverName, null);
    assert.match(b.notes.join(' '), /no SNI was sent/);
  });

  it('sends the host name as SNI when no serverName is given', async () => {
    const s = await serve({ cert: pki.chainPem(leaf, inter), key: leaf.keyPem });
    const r = await probeEndpoint(
      { host: 'svc.test', port: s.port },
      { timeoutMs: 3000, lookup: async () => [{ address: '127.0.0.1', family: 4 }] },
    );
    assert.equal(r.ok, true);
    assert.equal(r.address, '127.0.0.1');
    assert.deepEqual(s.serverNames, ['svc.test']);
  });

  it('reaches an IPv6 literal, with or without brackets', async function () {
    let s: TlsServer;
    try {
      s = await serve({ cert: pki.chainPem(leaf, inter), key: leaf.keyPem }, '::1');
    } catch {
      return this.skip(); // no IPv6 loopback on this machine
    }
    const a = await probeEndpoint({ host: '::1', port: s.port, serverName: 'svc.test' }, { timeoutMs: 3000 });
    const b = await probeEndpoint(
      { host: '[::1]', port: s.port, serverName: 'svc.test' },
      { timeoutMs: 3000 },
    );
    assert.equal(a.ok, true, JSON.stringify(a.error));
    assert.equal(b.ok, true, JSON.stringify(b.error));
    assert.equal(a.address, '::1');
    assert.equal(sha(b.chain[0]!), leaf.der.toString('hex'));
  });

  it('tries the next resolved address when the first refuses', async () => {
    const s = await serve({ cert: pki.chainPem(leaf, inter), key: leaf.keyPem });
    const r = await probeEndpoint(
      { host: 'svc.test', port: s.port },
      {
        timeoutMs: 3000,
        lookup: async () => [
          { address: '127.0.0.2', family: 4 },
          { address: '127.0.0.1', family: 4 },
        ],
      },
    );
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.equal(r.address, '127.0.0.1');
  });
});
