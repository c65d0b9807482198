import { strict as assert } from 'node:assert';
import { Pki, type Issued } from '../support/pki.js';
import {
  nginxBinary,
  opensslBinary,
  startNginx,
  startOpensslServer,
  type NginxLab,
} from '../support/nginx.js';
import { probeEndpoint } from '../../src/sources/endpoint/probe.js';

const hex = (b: Buffer): string => b.toString('hex');

describe('TLS probe against Debian nginx', function () {
  let pki: Pki;
  let root: Issued;
  let inter: Issued;
  let leaf: Issued;
  let lab: NginxLab;
  // Sites, in this order: full chain, leaf only, TLS 1.2 only, TLS 1.3 only, client certificate required.
  let port: { full: number; leafOnly: number; tls12: number; tls13: number; mtls: number };

  before(async function () {
    if (!nginxBinary()) {
      console.log('    skipped: nginx is not installed (apt-get install -y nginx; .ci/run installs it)');
      return this.skip();
    }
    pki = new Pki();
    root = await pki.ca({ cn: 'Nginx Test Root' });
    inter = await pki.ca({ cn: 'Nginx Test Issuing', issuer: root });
    leaf = await pki.leaf({ cn: 'web.test', dns: ['web.test'], issuer: inter, key: 'rsa2048' });
    const full = pki.chainPem(leaf, inter);
    lab = await startNginx([
      { certPem: full, keyPem: leaf.keyPem },
      { certPem: leaf.pem, keyPem: leaf.keyPem },
      { certPem: full, keyPem: leaf.keyPem, protocols: 'TLSv1.2' },
      { certPem: full, keyPem: leaf.keyPem, protocols: 'TLSv1.3' },
      { certPem: full, keyPem: leaf.keyPem, clientCaPem: root.pem },
    ]);
    const [a, b, c, d, e] = lab.ports as [number, number, number, number, number];
    port = { full: a, leafOnly: b, tls12: c, tls13: d, mtls: e };
  });
  after(async () => {
    await lab?.stop();
  });

  it('reads the full chain nginx sends, leaf then intermediate', async () => {
    const r = await probeEndpoint(
      { host: '127.0.0.1', port: port.full, serverName: 'web.test' },
      { timeoutMs: 3000 },
    );
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.equal(r.chainMethod, 'handshake');
    assert.deepEqual(r.chain.map(hex), [hex(leaf.der), hex(inter.der)]);
  });

  it('sees that a leaf-only nginx sends no intermediate', async () => {
    const r = await probeEndpoint(
      { host: '127.0.0.1', port: port.leafOnly, serverName: 'web.test' },
      { timeoutMs: 3000 },
    );
    assert.deepEqual(r.chain.map(hex), [hex(leaf.der)]);
  });

  it('reports TLS 1.2 for an nginx limited to TLS 1.2, with the chain from the handshake', async () => {
    const r = await probeEndpoint(
      { host: '127.0.0.1', port: port.tls12, serverName: 'web.test' },
      { timeoutMs: 3000 },
    );
    assert.equal(r.protocol, 'TLSv1.2');
    assert.match(r.cipher ?? '', /^TLS_ECDHE_RSA_WITH_/);
    assert.equal(r.chainMethod, 'handshake');
    assert.equal(r.chain.length, 2);
  });

  it('reports TLS 1.3 for an nginx limited to TLS 1.3, with the chain decrypted from the handshake', async () => {
    const r = await probeEndpoint(
      { host: '127.0.0.1', port: port.tls13, serverName: 'web.test' },
      { timeoutMs: 3000 },
    );
    assert.equal(r.protocol, 'TLSv1.3');
    assert.match(r.cipher ?? '', /^TLS_(AES|CHACHA20)/);
    assert.equal(r.chainMethod, 'handshake');
    assert.deepEqual(r.chain.map(hex), [hex(leaf.der), hex(inter.der)]);
  });

  it('reads the chain of an nginx that requires a client certificate and says it asked for one', async () => {
    const r = await probeEndpoint(
      { host: '127.0.0.1', port: port.mtls, serverName: 'web.test' },
      { timeoutMs: 3000 },
    );
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.equal(r.clientCertRequested, true);
    assert.deepEqual(r.chain.map(hex), [hex(leaf.der), hex(inter.der)]);
  });

  it('says an nginx without ssl_verify_client did not ask for a client certificate', async () => {
    const r = await probeEndpoint(
      { host: '127.0.0.1', port: port.full, serverName: 'web.test' },
      { timeoutMs: 3000 },
    );
    assert.equal(r.clientCertRequested, false);
  });
});

describe('TLS probe against openssl s_server', function () {
  let pki: Pki;
  let inter: Issued;
  let leaf: Issued;
  let other: Issued;
  const labs: NginxLab[] = [];

  before(async function () {
    if (!opensslBinary()) {
      console.log('    skipped: openssl is not installed');
      return this.skip();
    }
    pki = new Pki();
    const root = await pki.ca({ cn: 'OpenSSL Test Root' });
    inter = await pki.ca({ cn: 'OpenSSL Test Issuing', issuer: root });
    other = await pki.ca({ cn: 'OpenSSL Unrelated' });
    leaf = await pki.leaf({ cn: 'ossl.test', dns: ['ossl.test'], issuer: inter });
  });
  after(async () => {
    await Promise.all(labs.map((l) => l.stop()));
  });

  for (const flag of ['-tls1_2', '-tls1_3']) {
    it(`keeps an unrelated extra certificate that s_server sends (${flag})`, async () => {
      const lab = await startOpensslServer({
        certPem: leaf.pem,
        keyPem: leaf.keyPem,
        chainPem: pki.chainPem(other, inter),
        args: [flag],
      });
      labs.push(lab);
      const r = await probeEndpoint(
        { host: '127.0.0.1', port: lab.ports[0]!, serverName: 'ossl.test' },
        { timeoutMs: 3000 },
      );
      assert.equal(r.ok, true, JSON.stringify(r.error));
      assert.equal(r.chainMethod, 'handshake');
      assert.equal(r.protocol, flag === '-tls1_2' ? 'TLSv1.2' : 'TLSv1.3');
      assert.deepEqual(r.chain.map(hex), [hex(leaf.der), hex(other.der), hex(inter.der)]);
    });
  }
});
