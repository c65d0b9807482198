import { strict as assert } from 'node:assert';
import { certificateRole, listOf, type CertificateList } from '../../src/x509/role.js';
import { parseCertificate } from '../../src/x509/parse.js';
import { Pki } from '../support/pki.js';

const leafCert = { isCA: false, selfIssued: false };
const selfSignedCa = { isCA: true, selfIssued: true };
const subCa = { isCA: true, selfIssued: false };
const v1Root = { isCA: false, selfIssued: true };

describe('certificateRole: one rule for the report and for policy', () => {
  const table: [string, { isCA: boolean; selfIssued: boolean }, number, CertificateList, string][] = [
    ['a server certificate', leafCert, 0, 'presented', 'leaf'],
    [
      'a self-signed server certificate with CA:TRUE (openssl req -x509)',
      selfSignedCa,
      0,
      'presented',
      'leaf',
    ],
    ['a CA certificate a Secret holds as its certificate', subCa, 0, 'presented', 'leaf'],
    ['the intermediate a server sends', subCa, 1, 'presented', 'intermediate'],
    ['a non-CA certificate a server sends after its leaf', leafCert, 1, 'presented', 'intermediate'],
    ['the root a server sends', selfSignedCa, 2, 'presented', 'root'],
    ['a v1 root (no CA flag) a server sends', v1Root, 2, 'presented', 'root'],
    ['a certificate file', leafCert, 0, 'file', 'leaf'],
    ['a CA certificate file (kubeadm ca.crt)', selfSignedCa, 0, 'file', 'root'],
    ['an intermediate CA file', subCa, 0, 'file', 'intermediate'],
    ['the chain in a certificate file', subCa, 1, 'file', 'intermediate'],
    ['a root in a trust store, first or not', selfSignedCa, 0, 'store', 'root'],
    ['an intermediate in a trust store', subCa, 3, 'store', 'intermediate'],
    ['a v1 root in a trust store', v1Root, 0, 'store', 'root'],
  ];
  for (const [what, cert, index, list, role] of table) {
    it(`calls ${what} (index ${index}, ${list}) a ${role}`, () => {
      assert.equal(certificateRole(cert, index, list), role);
    });
  }

  it('reads certificate files as files and what every other source gives as presented', () => {
    assert.equal(listOf('file'), 'file');
    for (const kind of ['endpoint', 'kubernetes', 'kubeconfig', 'discover'])
      assert.equal(listOf(kind), 'presented');
  });

  it('decides from the parsed record', async () => {
    const pki = new Pki();
    const root = parseCertificate((await pki.ca({ cn: 'Role Root' })).der);
    assert.equal(certificateRole(root, 0, 'presented'), 'leaf');
    assert.equal(certificateRole(root, 0, 'file'), 'root');
    assert.equal(certificateRole(root, 1, 'presented'), 'root');
  });
});
