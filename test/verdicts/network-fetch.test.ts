// The inventory's `network: {fetch: false}` (in `defaults`, on a zone, on a target) turns off every
// fetch certwarden makes beside collection for those targets, as --offline does for a whole run:
// no issuer from an AIA caIssuers URL, no CRL (nor OCSP). Real parts: certificates from the PKI
// builder, node:tls endpoints on 127.0.0.1 (one sends its leaf only, one its leaf and intermediate),
// a CRL made by `openssl ca`, and a loopback HTTP server that counts the requests it gets.
import assert from 'node:assert/strict';
import * as tls from 'node:tls';
import { runScan } from '../../src/pipeline.js';
import { loadInventoryWithProblems } from '../../src/inventory/load.js';
import { expandKubeadmPreset } from '../../src/inventory/presets/kubeadm.js';
import type { Finding, Report } from '../../src/core/model.js';
import { Pki, x509, type Issued } from '../support/pki.js';
import { TempDir } from '../support/fs.js';
import { OpensslCa } from '../support/openssl-ca.js';
import { startTlsServer, type TlsServer } from '../support/tls-servers.js';
import { revocationExtensions, serveFiles, type FileServer } from '../support/revocation.js';
import { runCli } from '../support/cli.js';

const WHY = /not fetched: fetching is off \(network\.fetch: false in the inventory\)/;

describe('inventory network.fetch: false fetches nothing beside collection, and says why', function () {
  this.timeout(60_000);
  const pki = new Pki();
  let tmp: TempDir;
  let files: FileServer;
  let ca: OpensslCa;
  const servers: TlsServer[] = [];
  /** Per certificate set ('a', 'b'): the leaf and the two endpoints that serve it. */
  const sets = new Map<string, { leaf: Issued; leafOnly: number; chained: number }>();

  before(async () => {
    tmp = new TempDir();
    files = await serveFiles();
    const root = await pki.ca({ cn: 'Net Root' });
    const issuing = await pki.ca({ cn: 'Net Issuing', issuer: root, pathLen: 0 });
    ca = new OpensslCa(issuing);
    const crl = ca.crl();
    const serve = async (opts: tls.TlsOptions) => {
      const s = await startTlsServer(opts);
      servers.push(s);
      return s.port;
    };
    // Two leaves alike but for their URLs (/a/… and /b/…), so each request says whose it was.
    for (const set of ['a', 'b']) {
      files.files.set(`/${set}/issuing.cer`, Buffer.from(issuing.der));
      files.files.set(`/${set}/issuing.crl`, crl);
      const leaf = await pki.leaf({
        cn: `${set}.net.test`,
        dns: [`${set}.net.test`],
        issuer: issuing,
        eku: ['serverAuth'],
        extensions: [
          new x509.AuthorityInfoAccessExtension({ caIssuers: [`${files.url}/${set}/issuing.cer`] }),
          ...revocationExtensions({ crl: [`${files.url}/${set}/issuing.crl`] }),
        ],
      });
      sets.set(set, {
        leaf,
        leafOnly: await serve({ key: leaf.keyPem, cert: leaf.pem }),
        chained: await serve({ key: leaf.keyPem, cert: leaf.pem + issuing.pem }),
      });
    }
    tmp.write('anchors/root.pem', root.pem);
  });

  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await ca?.close();
    await files?.close();
    tmp?.cleanup();
  });

  /** The two targets of a certificate set: `<set>-leaf-only` and `<set>-chained`, with `extra` keys. */
  const targets = (set: string, extra: Record<string, unknown> = {}) => {
    const s = sets.get(set)!;
    const ep = (port: number) => ({ host: '127.0.0.1', port, serverName: `${set}.net.test` });
    return [
      { id: `${set}-leaf-only`, endpoint: ep(s.leafOnly), ...extra },
      { id: `${set}-chained`, endpoint: ep(s.chained), ...extra },
    ];
  };

  /** Scans an inventory (hard revocation: an unchecked leaf is a finding); the requests it caused, by path. */
  const scan = async (name: string, doc: Record<string, unknown>) => {
    const defaults = (doc.defaults ?? {}) as Record<string, unknown>;
    tmp.write(`${name}/net.yaml`, {
      apiVersion: 'certwarden/v1',
      kind: 'Inventory',
      metadata: { name },
      ...doc,
      defaults: { policies: [], revocation: { mode: 'hard' }, ...defaults },
      anchors: [{ id: 'net-root', file: '../anchors/root.pem' }],
    });
    const before = new Map(files.hits);
    const { report } = await runScan({
      inventoryDirs: [tmp.path(name)],
      policyDirs: [],
      env: {},
      failOn: 'never',
      timeoutMs: 5000,
    });
    const hits: Record<string, number> = {};
    for (const [path, n] of files.hits)
      if (n !== (before.get(path) ?? 0)) hits[path] = n - (before.get(path) ?? 0);
    return { report, hits };
  };

  const incomplete = (r: Report, target: string): Finding[] =>
    r.findings.filter((f) => f.target === target && f.check === 'chain.incomplete');
  /** revocation.unknown about the leaf of `set` on its chained target. */
  const leafUnknown = (r: Report, set: string): Finding[] =>
    r.findings.filter(
      (f) =>
        f.target === `${set}-chained` &&
        f.check === 'revocation.unknown' &&
        f.certificate === sets.get(set)!.leaf.sha256,
    );
  const leafStatus = (r: Report, set: string) =>
    r.targets.find((t) => t.id === `${set}-chained`)!.certificates[0]!.revocation;

  /** Nothing fetched for `set`, and both findings say why. */
  const assertNotFetched = (r: Report, set: string) => {
    const inc = incomplete(r, `${set}-leaf-only`);
    assert.equal(inc.length, 1, JSON.stringify(r.findings, null, 1));
    assert.match(inc[0]!.message, /does not send the issuer of CN=\w\.net\.test: CN=Net Issuing/);
    assert.match(inc[0]!.message, new RegExp(`caIssuers: ${files.url}/${set}/issuing\\.cer: ${WHY.source}`));
    const unknown = leafUnknown(r, set);
    assert.equal(unknown.length, 1, JSON.stringify(r.findings, null, 1));
    assert.match(unknown[0]!.message, WHY);
    assert.equal(unknown[0]!.severity, 'error');
    assert.equal(leafStatus(r, set)?.status, 'unknown');
  };

  /** Fetched for `set`: the issuer from caIssuers, the leaf's status from the CRL. */
  const assertFetched = (r: Report, set: string) => {
    const inc = incomplete(r, `${set}-leaf-only`);
    assert.equal(inc.length, 1, JSON.stringify(r.findings, null, 1));
    assert.match(
      inc[0]!.message,
      new RegExp(`fetched from its caIssuers URL ${files.url}/${set}/issuing\\.cer`),
    );
    assert.deepEqual(leafUnknown(r, set), []);
    assert.equal(leafStatus(r, set)?.status, 'good');
    assert.equal(leafStatus(r, set)?.source, 'crl');
  };

  it('(a) by default fetches the missing intermediate and the CRL', async () => {
    const { report, hits } = await scan('open', { targets: targets('a') });
    assert.deepEqual(hits, { '/a/issuing.cer': 1, '/a/issuing.crl': 1 });
    assertFetched(report, 'a');
  });

  it('(b) defaults.network.fetch: false: no request at all, and the findings say why', async () => {
    const { report, hits } = await scan('defaults-off', {
      defaults: { network: { fetch: false } },
      targets: targets('a'),
    });
    assert.deepEqual(hits, {});
    assertNotFetched(report, 'a');
  });

  it('(c) an air-gapped zone, or a target of its own, fetches nothing', async () => {
    const zone = await scan('zone-off', {
      zones: [{ name: 'air', network: { fetch: false } }],
      defaults: { zone: 'air' },
      targets: targets('a'),
    });
    assert.deepEqual(zone.hits, {});
    assertNotFetched(zone.report, 'a');
    const own = await scan('target-off', { targets: targets('a', { network: { fetch: false } }) });
    assert.deepEqual(own.hits, {});
    assertNotFetched(own.report, 'a');
  });

  it('(d) in one run, only the targets with fetch on fetch', async () => {
    const { report, hits } = await scan('mixed', {
      // Both in the air-gapped zone: 'a' says yes of its own, 'b' takes the zone's no (which wins
      // over the file's yes).
      defaults: { network: { fetch: true } },
      zones: [{ name: 'air', network: { fetch: false } }],
      targets: [...targets('a', { zone: 'air', network: { fetch: true } }), ...targets('b', { zone: 'air' })],
    });
    assert.deepEqual(hits, { '/a/issuing.cer': 1, '/a/issuing.crl': 1 });
    assertFetched(report, 'a');
    assertNotFetched(report, 'b');
  });

  it('--offline still says --offline', async () => {
    tmp.write('flag/net.yaml', {
      apiVersion: 'certwarden/v1',
      kind: 'Inventory',
      metadata: { name: 'flag' },
      defaults: { policies: [], revocation: { mode: 'hard' } },
      anchors: [{ id: 'net-root', file: '../anchors/root.pem' }],
      targets: targets('a'),
    });
    const before = [...files.hits.values()].reduce((x, y) => x + y, 0);
    const { report } = await runScan({
      inventoryDirs: [tmp.path('flag')],
      policyDirs: [],
      env: {},
      failOn: 'never',
      offline: true,
    });
    assert.equal(
      [...files.hits.values()].reduce((x, y) => x + y, 0),
      before,
    );
    assert.match(leafUnknown(report, 'a')[0]!.message, /not fetched: fetching is off \(--offline\)/);
    assert.match(incomplete(report, 'a-leaf-only')[0]!.message, /not fetched: fetching is off \(--offline\)/);
  });
});

describe('inventory network: resolution and validation', () => {
  let tmp: TempDir;
  beforeEach(() => (tmp = new TempDir('certwarden-net-')));
  afterEach(() => tmp.cleanup());

  const header = 'apiVersion: certwarden/v1\nkind: Inventory\n';
  const ep = '{host: h.example, port: 443}';

  it("takes the target's own, else its zone's (declared in any file), else the file's defaults, else on", async () => {
    tmp.write(
      'zones.yaml',
      `${header}metadata: {name: zones}\nzones:\n  - {name: air, network: {fetch: false}}\n  - {name: open, network: {fetch: true}}\n  - {name: plain}\n`,
    );
    tmp.write(
      'off.yaml',
      `${header}metadata: {name: off}\ndefaults: {network: {fetch: false}}\ntargets:\n` +
        `  - {id: d, endpoint: ${ep}}\n` +
        `  - {id: d-open, endpoint: ${ep}, zone: open}\n` +
        `  - {id: d-plain, endpoint: ${ep}, zone: plain}\n` +
        `  - {id: d-own, endpoint: ${ep}, zone: air, network: {fetch: true}}\n`,
    );
    tmp.write(
      'on.yaml',
      `${header}metadata: {name: on}\ntargets:\n` +
        `  - {id: n, endpoint: ${ep}}\n` +
        `  - {id: n-air, endpoint: ${ep}, zone: air}\n` +
        `  - {id: n-preset, zone: air, preset: {kubeadm: {pkiDir: ./nowhere, nodeName: cp1}}}\n`,
    );
    const { inventory, problems } = await loadInventoryWithProblems([tmp.dir]);
    assert.deepEqual(problems, []);
    const fetch = Object.fromEntries(inventory.targets.map((t) => [t.id, t.network?.fetch ?? 'unset']));
    assert.deepEqual(fetch, {
      d: false,
      'd-open': true,
      'd-plain': false,
      'd-own': true,
      n: 'unset',
      'n-air': false,
      'n-preset': false,
    });
    assert.deepEqual(inventory.zones?.get('air')?.network, { fetch: false });
    // A preset's targets keep it: the kubeadm files of an air-gapped node are not checked online either.
    const preset = inventory.targets.find((t) => t.id === 'n-preset')!;
    const expanded = expandKubeadmPreset(preset);
    assert.ok(expanded.length > 0);
    assert.ok(expanded.every((t) => t.network?.fetch === false));
  });

  it('a zone declared twice must say the same about network.fetch', async () => {
    const a = tmp.write(
      'a.yaml',
      `${header}metadata: {name: a}\nzones:\n  - {name: air, network: {fetch: false}}\n`,
    );
    const b = tmp.write('b.yaml', `${header}metadata: {name: b}\nzones:\n  - {name: air}\n`);
    const { problems } = await loadInventoryWithProblems([tmp.dir]);
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.equal(problems[0]!.location?.file, b);
    assert.equal(problems[0]!.location?.line, 5);
    assert.equal(
      problems[0]!.message,
      `zones[0]: zone 'air' is also declared at ${a}:5 with another network.fetch; a zone has one network setting`,
    );
  });

  it('validate reports a wrong value, or an unknown key, at its file:line', async () => {
    const file = tmp.write(
      'inventory/bad.yaml',
      `${header}metadata: {name: bad}\ndefaults:\n  network:\n    fetch: "no"\nzones:\n  - name: air\n    network: {fetch: false, proxy: x}\ntargets:\n  - id: t\n    endpoint: ${ep}\n    network: {}\n`,
    );
    const r = await runCli(['validate', '--inventory', tmp.path('inventory')]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    const out = r.stdout + r.stderr;
    const at = (line: number) =>
      new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${line}:\\d+: error: `);
    assert.match(
      out,
      new RegExp(`${at(6).source}defaults\\.network\\.fetch: expected true or false, got "no"`),
    );
    assert.match(out, new RegExp(`${at(9).source}zones\\[0\\]\\.network: unknown key 'proxy'`));
    assert.match(out, new RegExp(`${at(13).source}targets\\[0\\]\\.network: missing required key 'fetch'`));
  });
});
