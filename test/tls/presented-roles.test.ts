// Roles of what a server presents, end to end through `scan`: the first certificate a server sends
// is its leaf whatever its CA flag (an `openssl req -x509` certificate has CA:TRUE), and a non-CA
// certificate sent after it is not a leaf. The report and policy agree (x509/role.ts decides both).
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Report } from '../../src/core/model.js';
import { runCli } from '../support/cli.js';
import { Pki, type Issued } from '../support/pki.js';
import { startTlsServer, type TlsServer } from '../support/tls-servers.js';

/** A pack whose one rule fires on every certificate policy sees as a leaf. */
const POLICY = `apiVersion: certwarden/v1
kind: Policy
metadata: {name: roles}
rules:
  - id: leaf-seen
    expr: 'false'
    message: policy sees a leaf
    severity: info
    appliesTo: leaf
`;

describe('certificate roles of what a server presents (report and policy)', function () {
  this.timeout(60_000);
  const pki = new Pki();
  let dir: string;
  let selfSigned: Issued;
  let leaf: Issued;
  let stray: Issued;
  let servers: TlsServer[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'certwarden-roles-'));
    selfSigned = await pki.ca({ cn: 'selfsigned.test', dns: ['selfsigned.test'] });
    const ca = await pki.ca({ cn: 'Roles Root' });
    leaf = await pki.leaf({ cn: 'chain.test', dns: ['chain.test'], issuer: ca });
    stray = await pki.leaf({ cn: 'stray.test', dns: ['stray.test'], issuer: ca });
    servers = [
      await startTlsServer({ cert: selfSigned.pem, key: selfSigned.keyPem }),
      await startTlsServer({ cert: pki.chainPem(leaf, stray), key: leaf.keyPem }),
    ];
    mkdirSync(join(dir, 'policies'));
    writeFileSync(join(dir, 'policies', 'roles.yaml'), POLICY);
    writeFileSync(
      join(dir, 'inventory.yaml'),
      `apiVersion: certwarden/v1
kind: Inventory
metadata: {name: roles}
defaults: {policies: [roles]}
targets:
  - id: self-signed
    endpoint: {host: 127.0.0.1, port: ${servers[0]!.port}, serverName: selfsigned.test}
  - id: chain
    endpoint: {host: 127.0.0.1, port: ${servers[1]!.port}, serverName: chain.test}
`,
    );
  });

  after(async () => {
    for (const s of servers) await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('calls a self-signed CA:TRUE server certificate the leaf, and a non-CA certificate after the leaf an intermediate', async () => {
    const r = await runCli([
      'scan',
      '--inventory',
      join(dir, 'inventory.yaml'),
      '--policies',
      join(dir, 'policies'),
      '--format',
      'json',
      '--fail-on',
      'never',
      '--quiet',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    const roles = (id: string) =>
      report.targets.find((t) => t.id === id)!.certificates.map((c) => [c.sha256, c.isCA, c.role]);
    assert.deepEqual(roles('self-signed'), [[selfSigned.sha256, true, 'leaf']]);
    assert.deepEqual(roles('chain'), [
      [leaf.sha256, false, 'leaf'],
      [stray.sha256, false, 'intermediate'],
    ]);
    const seen = report.findings
      .filter((f) => f.rule === 'leaf-seen')
      .map((f) => [f.target, f.certificate])
      .sort();
    assert.deepEqual(seen, [
      ['chain', leaf.sha256],
      ['self-signed', selfSigned.sha256],
    ]);
  });
});
