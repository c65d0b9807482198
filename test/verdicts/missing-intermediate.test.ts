// The commonest TLS fault gets its name: a server that sends only its leaf, whose issuer the
// inventory does not know, is `chain.incomplete` naming the missing issuer (subject, authority key
// id), not `chain.untrusted`. When the leaf names a caIssuers URL and the run has a fetcher, the
// intermediate is fetched (here from a loopback HTTP server), the path through it is verified, and
// the remediation says which intermediate to send and that with it the chain is trusted. Fetched
// bytes that are not a certificate are said so. Real parts: openssl-made certificates with
// authorityInfoAccess, `openssl s_server` endpoints, a node:http server for the caIssuers URL.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { runScan } from '../../src/pipeline.js';
import type { Finding } from '../../src/core/model.js';
import type { IssuerFetcher } from '../../src/sources/ca-issuers.js';
import { TempDir, openssl } from '../certificates/helpers.js';
import { TempDir as InventoryDir } from '../support/fs.js';
import { startOpensslServer, type NginxLab } from '../support/nginx.js';

/**
 * A small stand-in for the run's HTTP fetcher (issue 13's sources/http Fetcher satisfies the same
 * port): GET over loopback with a size cap, or offline.
 */
function loopbackFetcher(offline = false): IssuerFetcher & { urls: string[] } {
  const urls: string[] = [];
  return {
    offline,
    urls,
    fetch: ({ url, maxBytes }) =>
      new Promise((resolve) => {
        urls.push(url);
        http
          .get(url, (res) => {
            const chunks: Buffer[] = [];
            let size = 0;
            res.on('data', (c: Buffer) => {
              size += c.length;
              if (size > maxBytes) res.destroy();
              else chunks.push(c);
            });
            res.on('close', () =>
              size > maxBytes
                ? resolve({ ok: false, reason: 'too-large', message: `more than ${maxBytes} bytes` })
                : res.statusCode === 200
                  ? resolve({ ok: true, body: Buffer.concat(chunks), finalUrl: url })
                  : resolve({ ok: false, reason: 'status', message: `HTTP ${res.statusCode}` }),
            );
          })
          .on('error', (e) => resolve({ ok: false, reason: 'io', message: e.message }));
      }),
  };
}

describe('a leaf-only server: chain.incomplete naming the missing issuer, completed through AIA', function () {
  this.timeout(120_000);
  let certs: TempDir;
  let inv: InventoryDir;
  let web: http.Server;
  let base: string;
  const servers: NginxLab[] = [];

  before(async () => {
    certs = new TempDir();
    inv = new InventoryDir();
    web = http.createServer((req, res) => {
      if (req.url === '/issuing.cer') res.end(certs.read('issuing.der'));
      else if (req.url === '/garbage.cer') res.end(Buffer.from('<html>not a certificate</html>'));
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
    const run = (args: string[]) => openssl(args, certs.path);
    const key = (name: string) =>
      run(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.key`]);
    key('root');
    run([
      'req',
      '-x509',
      '-new',
      '-key',
      'root.key',
      '-subj',
      '/CN=Plant Root',
      '-days',
      '3650',
      '-out',
      'root.pem',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    const issue = (name: string, subj: string, signer: string, ext: string) => {
      key(name);
      certs.write(`${name}.ext`, ext);
      run(['req', '-new', '-key', `${name}.key`, '-subj', subj, '-out', `${name}.csr`]);
      run([
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        `${signer}.pem`,
        '-CAkey',
        `${signer}.key`,
        '-CAcreateserial',
        '-days',
        '365',
        '-extfile',
        `${name}.ext`,
        '-out',
        `${name}.pem`,
      ]);
    };
    issue(
      'issuing',
      '/CN=Plant Issuing CA',
      'root',
      'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n',
    );
    run(['x509', '-in', 'issuing.pem', '-outform', 'DER', '-out', 'issuing.der']);
    const leafExt = (aia: string | null) =>
      `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost\nauthorityKeyIdentifier=keyid\n${aia ? `authorityInfoAccess=caIssuers;URI:${aia}\n` : ''}`;
    issue('aia', '/CN=localhost', 'issuing', leafExt(`${base}/issuing.cer`));
    issue('noaia', '/CN=localhost', 'issuing', leafExt(null));
    issue('garbage', '/CN=localhost', 'issuing', leafExt(`${base}/garbage.cer`));
    const serve = async (leaf: string, chain?: string) => {
      const s = await startOpensslServer({
        certPem: certs.read(`${leaf}.pem`).toString(),
        keyPem: certs.read(`${leaf}.key`).toString(),
        ...(chain ? { chainPem: certs.read(`${chain}.pem`).toString() } : {}),
      });
      servers.push(s);
      return s.ports[0]!;
    };
    const ep = async (id: string, leaf: string, chain?: string) => ({
      id,
      endpoint: { host: '127.0.0.1', port: await serve(leaf, chain), serverName: 'localhost' },
    });
    inv.write('inventory/anchors/root.pem', certs.read('root.pem'));
    inv.write('inventory/plant.yaml', {
      apiVersion: 'certwarden/v1',
      kind: 'Inventory',
      metadata: { name: 'plant' },
      defaults: { policies: [] },
      anchors: [{ id: 'plant-root', file: 'anchors/root.pem' }],
      targets: [
        await ep('with-aia', 'aia'),
        await ep('without-aia', 'noaia'),
        await ep('garbage-aia', 'garbage'),
        await ep('full-chain', 'aia', 'issuing'),
      ],
    });
  });
  after(async () => {
    for (const s of servers) await s.stop();
    await new Promise((r) => web.close(r));
    certs.remove();
    inv.cleanup();
  });

  const scan = async (fetcher?: IssuerFetcher, offline = false) =>
    (
      await runScan({
        inventoryDirs: [inv.path('inventory')],
        policyDirs: [],
        env: {},
        failOn: 'never',
        offline,
        ...(fetcher ? { services: { httpFetcher: fetcher } } : {}),
      })
    ).report;
  const chainFindings = (findings: Finding[], target: string) =>
    findings.filter((f) => f.target === target && f.check.startsWith('chain.'));
  const AKI = /authority key id [0-9a-f]{2}(:[0-9a-f]{2}){19}/;

  it('fetches the intermediate, verifies the path through it, and says which one to send', async () => {
    const fetcher = loopbackFetcher();
    const report = await scan(fetcher);
    const aia = chainFindings(report.findings, 'with-aia');
    assert.deepEqual(
      aia.map((f) => f.check),
      ['chain.incomplete'],
      JSON.stringify(report.findings, null, 1),
    );
    assert.match(aia[0]!.message, /does not send the issuer of CN=localhost: CN=Plant Issuing CA/);
    assert.match(aia[0]!.message, AKI);
    assert.match(aia[0]!.message, new RegExp(`fetched from its caIssuers URL ${base}/issuing\\.cer`));
    assert.equal(
      aia[0]!.remediation?.hint,
      "send the intermediate CN=Plant Issuing CA; with it the chain is trusted by 'plant-root'",
    );
    const target = report.targets.find((t) => t.id === 'with-aia')!;
    assert.equal(target.chain?.trusted, false);
    assert.equal(target.chain?.problems[0]?.code, 'incomplete');
    // The full chain is fine; the fetch was made only for the servers that left their issuer out.
    assert.deepEqual(chainFindings(report.findings, 'full-chain'), []);
    assert.deepEqual(fetcher.urls.sort(), [`${base}/garbage.cer`, `${base}/issuing.cer`]);
  });

  it('names the missing issuer when the leaf has no caIssuers URL, or it serves no certificate', async () => {
    const report = await scan(loopbackFetcher());
    const none = chainFindings(report.findings, 'without-aia');
    assert.deepEqual(
      none.map((f) => f.check),
      ['chain.incomplete'],
    );
    assert.match(none[0]!.message, /CN=Plant Issuing CA/);
    assert.match(none[0]!.message, AKI);
    assert.match(none[0]!.message, /its certificate names no caIssuers URL/);
    assert.equal(
      none[0]!.remediation?.hint,
      'send the intermediate CN=Plant Issuing CA after the certificate',
    );
    const bad = chainFindings(report.findings, 'garbage-aia');
    assert.deepEqual(
      bad.map((f) => f.check),
      ['chain.incomplete'],
    );
    assert.match(bad[0]!.message, /garbage\.cer: served something that is not a certificate/);
  });

  it("the run's own fetcher follows caIssuers; --offline turns it off and says so", async () => {
    // No fetcher handed in: the run makes its own (sources/http Fetcher) and fetches the issuer.
    const own = await scan();
    const fetched = chainFindings(own.findings, 'with-aia');
    assert.deepEqual(
      fetched.map((x) => x.check),
      ['chain.incomplete'],
    );
    assert.match(fetched[0]!.message, new RegExp(`fetched from its caIssuers URL ${base}/issuing\\.cer`));
    assert.match(String(fetched[0]!.remediation?.hint), /trusted by 'plant-root'/);
    for (const report of [await scan(loopbackFetcher(true)), await scan(undefined, true)]) {
      const f = chainFindings(report.findings, 'with-aia');
      assert.deepEqual(
        f.map((x) => x.check),
        ['chain.incomplete'],
      );
      assert.match(f[0]!.message, /CN=Plant Issuing CA/);
      assert.match(f[0]!.message, /not fetched: fetching is off/);
    }
  });
});
