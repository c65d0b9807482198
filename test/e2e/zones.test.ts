// A server in another network zone, reached through the zone's proxy: the runner cannot resolve
// its name itself; the SOCKS5 proxy of the zone can.
import assert from 'node:assert/strict';
import { Pki } from '../support/pki.js';
import { TempDir } from '../support/fs.js';
import { startTlsServer, type TlsServer } from '../support/tls-servers.js';
import { startSocks5Proxy, type TestProxy } from '../support/tls-proxies.js';
import { runScan } from '../../src/pipeline.js';
import { runCli } from '../support/cli.js';

describe('network zones', function () {
  let tmp: TempDir;
  let server: TlsServer;
  let proxy: TestProxy;
  before(async () => {
    tmp = new TempDir();
    const pki = new Pki();
    const root = await pki.ca({ cn: 'MES Root' });
    const leaf = await pki.leaf({
      cn: 'mes.albion.internal',
      dns: ['mes.albion.internal'],
      issuer: root,
      eku: ['serverAuth'],
    });
    server = await startTlsServer({ key: leaf.keyPem, cert: leaf.pem });
    proxy = await startSocks5Proxy({ names: { 'mes.albion.internal': '127.0.0.1' } });
    tmp.write('inventory/anchors/root.pem', root.pem);
    tmp.write('inventory/mes.yaml', {
      apiVersion: 'certwarden/v1',
      kind: 'Inventory',
      metadata: { name: 'mes' },
      zones: [
        {
          name: 'albion',
          via: `socks5://127.0.0.1:${proxy.port}`,
          description: 'MES subnet, reached through its SOCKS proxy',
        },
        // once zones are declared, every zone a target names must be one of them
        { name: 'avilla' },
      ],
      anchors: [{ id: 'root', file: 'anchors/root.pem' }],
      targets: [
        {
          id: 'mes-server',
          zone: 'albion',
          endpoint: { host: 'mes.albion.internal', port: server.port },
          expect: { chainTo: 'root', dnsNames: ['mes.albion.internal'] },
        },
        { id: 'elsewhere', zone: 'avilla', file: { path: '/nonexistent/certwarden/elsewhere.pem' } },
      ],
    });
  });
  after(async () => {
    await server.close();
    await proxy.close();
    tmp.cleanup();
  });

  it("reaches an endpoint through its zone's proxy when the target names no via of its own", async () => {
    const { report } = await runScan({
      inventoryDirs: [tmp.path('inventory')],
      policyDirs: [],
      zone: 'albion',
      timeoutMs: 3000,
    });
    assert.deepEqual(
      report.targets.map((t) => [t.id, t.status]),
      [['mes-server', 'ok']],
      JSON.stringify(report.findings),
    );
    assert.equal(report.targets[0]!.chain?.trusted, true);
    assert.deepEqual(report.findings, []);
    assert.ok(
      proxy.requests.some((t) => t.startsWith('mes.albion.internal:')),
      'the name was resolved by the proxy',
    );
  });

  it('refuses a zone declared twice with different proxies, naming both places', async () => {
    tmp.write('inventory/other.yaml', {
      apiVersion: 'certwarden/v1',
      kind: 'Inventory',
      metadata: { name: 'other' },
      zones: [{ name: 'albion', via: 'http://127.0.0.1:3128' }],
    });
    try {
      const r = await runCli(['validate', '--inventory', tmp.path('inventory')]);
      assert.equal(r.code, 2);
      assert.match(
        r.stderr,
        /other\.yaml:\d+:\d+: error: zones\[0\]: zone 'albion' is also declared at .*mes\.yaml:\d+ with another via/,
      );
    } finally {
      tmp.write('inventory/other.yaml', '# removed\n');
    }
  });
});
