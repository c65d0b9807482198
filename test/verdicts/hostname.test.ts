// The name every TLS client checks is intrinsic to endpoint targets: a certificate that does not
// cover the name clients use is one `chain.hostname` finding whatever the policy packs — with only a
// custom pack, and with baseline and public-tls both on (which used to give one finding per pack).
// A real node:tls server on 127.0.0.1 serves the certificates.
import assert from 'node:assert/strict';
import { runScan } from '../../src/pipeline.js';
import { hostnameFinding } from '../../src/evaluate/hostname.js';
import type { Target } from '../../src/inventory/types.js';
import { Pki } from '../support/pki.js';
import { TempDir } from '../support/fs.js';
import { captureLogger } from '../kube/helpers.js';
import { startTlsServer, type TlsServer } from '../support/tls-servers.js';
import { observe, target } from '../policy/helpers.js';

describe('chain.hostname: intrinsic to endpoints, once, whatever the packs', function () {
  this.timeout(60_000);
  let server: TlsServer;
  let tmp: TempDir;

  before(async () => {
    const pki = new Pki();
    const root = await pki.ca({ cn: 'Shop Root' });
    const leaf = await pki.leaf({
      cn: 'localhost',
      dns: ['localhost'],
      ips: ['127.0.0.1'],
      issuer: root,
      eku: ['serverAuth'],
    });
    server = await startTlsServer({ key: leaf.keyPem, cert: leaf.pem + root.pem });
    tmp = new TempDir();
    tmp.write('inventory/anchors/root.pem', root.pem);
    tmp.write('policies/team.yaml', {
      apiVersion: 'certwarden/v1',
      kind: 'Policy',
      metadata: { name: 'team' },
      rules: [{ id: 'team-expiry', check: 'expiry', params: { warnDays: 10, errorDays: 2 } }],
      waivers: [
        {
          rule: 'hostname-matches-san',
          target: 'both-packs',
          reason: 'an old waiver',
          owner: '@shop',
          expires: '2099-01-01',
        },
      ],
    });
    const ep = (serverName: string) => ({ host: '127.0.0.1', port: server.port, serverName });
    tmp.write('inventory/shop.yaml', {
      apiVersion: 'certwarden/v1',
      kind: 'Inventory',
      metadata: { name: 'shop' },
      anchors: [{ id: 'shop-root', file: 'anchors/root.pem' }],
      targets: [
        { id: 'custom-only', endpoint: ep('shop.example'), policies: ['team'] },
        { id: 'both-packs', endpoint: ep('shop.example'), policies: ['baseline', 'public-tls'] },
        { id: 'right-name', endpoint: ep('localhost'), policies: ['baseline', 'public-tls'] },
        { id: 'no-packs', endpoint: { host: '127.0.0.1', port: server.port }, policies: [] },
      ],
    });
  });
  after(async () => {
    await server.close();
    tmp.cleanup();
  });

  it('reports the wrong name once per endpoint, with a custom pack only and with two shipped packs', async () => {
    const logger = captureLogger();
    const { report } = await runScan({
      inventoryDirs: [tmp.path('inventory')],
      policyDirs: [tmp.path('policies')],
      env: {},
      logger,
      failOn: 'never',
    });
    const names = report.findings.filter((f) => f.check === 'chain.hostname' || f.check === 'san');
    assert.deepEqual(
      names.map((f) => [f.target, f.check, f.rule, f.severity]).sort(),
      [
        ['both-packs', 'chain.hostname', null, 'error'],
        ['custom-only', 'chain.hostname', null, 'error'],
      ],
      JSON.stringify(report.findings, null, 1),
    );
    for (const f of names) {
      assert.match(
        f.message,
        /^certificate "localhost" does not cover the host "shop\.example" \(serverName\)/,
      );
      assert.equal(f.remediation?.kind, 'renew');
    }
    // The right name is fine, and so is an IP host (no serverName) covered by the IP SAN: with no
    // pack at all, that endpoint has nothing to report.
    assert.equal(report.targets.find((t) => t.id === 'no-packs')?.status, 'ok');
    // A waiver of the former pack rule keeps applying, to chain.hostname, and says to rename it.
    assert.ok(
      logger.lines.some((l) =>
        /warning: waiver of rule 'hostname-matches-san': its findings are now 'chain\.hostname'.*rename its rule to 'chain\.hostname'/.test(
          l,
        ),
      ),
      logger.lines.join('\n'),
    );
    const waived = names.filter((f) => f.waived);
    assert.deepEqual(
      waived.map((f) => [f.target, f.waived?.reason]),
      [['both-packs', 'an old waiver']],
    );
  });

  describe('the name a client verifies, as the policy tests of the shipped packs had it', () => {
    const pki = new Pki();
    const endpoint = (host: string, serverName?: string): Target =>
      target({
        id: 'ep',
        source: { kind: 'endpoint', endpoint: { host, port: 443, ...(serverName ? { serverName } : {}) } },
      });
    const cases: [string, { dns?: string[]; ips?: string[] }, Target, RegExp | null][] = [
      [
        'a serverName not among the SANs',
        { dns: ['localhost'] },
        endpoint('127.0.0.1', 'wrong.example'),
        /"wrong\.example" \(serverName\)/,
      ],
      ['an IPv6 host among the IP SANs', { dns: ['localhost'], ips: ['::1'] }, endpoint('::1'), null],
      [
        'an IP host missing from the IP SANs',
        { ips: ['127.0.0.1'] },
        endpoint('10.0.0.5'),
        /IP '10\.0\.0\.5' matches none of the subjectAltNames/,
      ],
      [
        'a wildcard covers one label, case-insensitively',
        { dns: ['*.shop.example'] },
        endpoint('WWW.Shop.Example'),
        null,
      ],
      [
        'a wildcard does not cover the bare domain',
        { dns: ['*.shop.example'] },
        endpoint('shop.example'),
        /does not cover the host "shop\.example"/,
      ],
      [
        'a wildcard does not cover two labels',
        { dns: ['*.shop.example'] },
        endpoint('a.b.shop.example'),
        /a\.b\.shop\.example/,
      ],
      [
        'a certificate without SANs does not match by its CN',
        {},
        endpoint('legacy.example'),
        /no subjectAltName/,
      ],
      ['a file target is not judged on names', { dns: ['localhost'] }, target({ id: 'f' }), null],
      [
        "a Secret's certificate is not judged on names",
        { dns: ['localhost'] },
        target({
          id: 'k',
          source: { kind: 'kubernetes', kubernetes: { cluster: 'c', kind: 'Secret', name: 'x' } },
        }),
        null,
      ],
    ];
    for (const [name, sans, t, expected] of cases) {
      it(name, async () => {
        const c = await pki.leaf({ cn: 'legacy.example', ...sans });
        const f = hostnameFinding(t, observe(t, [c]).certificates[0]!.record, t.location);
        if (expected === null) assert.equal(f, null, f?.message);
        else {
          assert.equal(f?.check, 'chain.hostname');
          assert.match(f!.message, expected);
        }
      });
    }
  });
});
