import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { Pki } from '../support/pki.js';

describe('test PKI builder', () => {
  it('builds a root, an intermediate and a leaf that verify with node crypto', async () => {
    const pki = new Pki();
    const root = await pki.ca({ cn: 'Test Root', key: 'rsa2048' });
    const inter = await pki.ca({ cn: 'Issuing', issuer: root, pathLen: 0 });
    const leaf = await pki.leaf({
      cn: 'svc.example',
      dns: ['svc.example'],
      ips: ['127.0.0.1'],
      issuer: inter,
      eku: ['serverAuth'],
    });
    const l = new X509Certificate(leaf.der);
    const i = new X509Certificate(inter.der);
    const r = new X509Certificate(root.der);
    assert.equal(l.verify(i.publicKey), true);
    assert.equal(i.verify(r.publicKey), true);
    assert.equal(r.verify(r.publicKey), true);
    assert.equal(l.checkHost('svc.example'), 'svc.example');
    assert.equal(i.ca, true);
    assert.equal(l.ca, false);
    assert.match(leaf.keyPem, /BEGIN PRIVATE KEY/);
    const csr = await pki.csr({ subject: 'CN=system:node:n1, O=system:nodes' });
    assert.match(csr.pem, /BEGIN CERTIFICATE REQUEST/);
  });
});
