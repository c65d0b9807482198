import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../src/core/errors.js';
import { loadInventory, readBundleFile } from '../../src/inventory/load.js';
import { validateInventory, formatProblems, validateExitCode } from '../../src/inventory/validate.js';
import { Pki, type Issued } from '../support/pki.js';
import { TempDir } from '../support/fs.js';
import { HEADER, problemAt } from './helpers.js';

/** The base64 body of a PEM private key (what must never appear in any message). */
function keyBody(keyPem: string): string[] {
  return keyPem
    .split('\n')
    .filter((l) => l && !l.startsWith('-----'))
    .filter((l) => l.length >= 16);
}

function assertNoKeyIn(text: string, keyPem: string): void {
  for (const line of keyBody(keyPem))
    assert.ok(!text.includes(line), 'a line of the private key appears in the output');
  assert.ok(
    !text.includes(Buffer.from(keyPem).toString('base64').slice(0, 40)),
    'the base64 of the key appears in the output',
  );
}

describe('inventory loading', () => {
  let pki: Pki;
  let root: Issued;
  let issuing: Issued;
  let leaf: Issued;
  let tmp: TempDir;

  before(async () => {
    pki = new Pki();
    root = await pki.ca({ cn: 'Inventory Test Root' });
    issuing = await pki.ca({ cn: 'Inventory Test Issuing', issuer: root, pathLen: 0 });
    leaf = await pki.leaf({ cn: 'web.example', dns: ['web.example'], issuer: issuing });
  });
  beforeEach(() => (tmp = new TempDir('certwarden-inv-load-')));
  afterEach(() => tmp.cleanup());

  const validate = async (opts = {}) => (await validateInventory([tmp.dir], opts)).problems;

  describe('a valid inventory', () => {
    it('resolves targets with inherited defaults, absolute paths, locations and key paths', async () => {
      tmp.write('inv/anchors/root.pem', root.pem);
      tmp.write('inv/anchors/issuing.pem', issuing.pem);
      tmp.write('inv/bundle.pem', root.pem);
      const colonPin = root.sha256.toUpperCase().replace(/(..)(?!$)/g, '$1:');
      const file = tmp.write(
        'inv/site.yaml',
        [
          HEADER.trimEnd(), //                                            1-2
          'metadata: {name: site, owners: ["@acme/pki"]}', //               3
          'defaults:', //                                                  4
          '  policies: [baseline, public-tls]', //                        5
          '  zone: dmz', //                                                6
          '  labels: {site: albion, tier: 1}', //                          7
          'clusters:', //                                                  8
          '  - name: avilla', //                                           9
          '    kubeconfig: {path: kube/avilla.conf, context: admin}', //    10
          'anchors:', //                                                   11
          '  - id: root', //                                               12
          '    file: anchors/root.pem', //                                 13
          `    sha256: "${colonPin}"`, //                                   14
          '  - id: issuing', //                                            15
          '    file: anchors/issuing.pem', //                              16
          'bundles:', //                                                   17
          '  - {id: clients, file: bundle.pem, contains: [root, issuing]}', // 18
          'targets:', //                                                   19
          '  - id: web', //                                                20
          '    endpoint: {host: web.example, port: 443}', //               21
          '    expect:', //                                                22
          '      issuer: issuing', //                                      23
          '      chainTo: root', //                                        24
          `      sha256: ${leaf.sha256.toUpperCase()}`, //                  25
          '      x-note: ignored', //                                      26
          '    renewal: {method: manual, runbook: "call PKI"}', //         27
          '  - id: web-file', //                                           28
          '    file: {path: certs/web.pem, format: pem}', //               29
          '    policies: [baseline]', //                                   30
          '    owners: ["@brent"]', //                                     31
          '    zone: albion', //                                           32
          '    labels: {tier: 2, admin: true}', //                         33
          '  - id: secret', //                                             34
          '    kubernetes: {cluster: avilla, kind: Secret, namespace: mtg, name: tls}', // 35
          '    trustStore: {contains: [root], only: true}', //             36
          '  - id: cp1', //                                                37
          '    preset: {kubeadm: {nodeName: cp1, advertiseAddress: 10.0.0.10, serviceSubnet: 10.96.0.0/12}}', // 38
          '',
        ].join('\n'),
      );
      tmp.write('inv/certs/web.pem', leaf.pem);
      // A kubeconfig file of the repository must exist (its content is read only by a scan).
      tmp.write('inv/kube/avilla.conf', 'apiVersion: v1\nkind: Config\n');
      const inv = await loadInventory([tmp.dir]);
      const dir = tmp.path('inv');

      assert.deepEqual(inv.inventories, [
        {
          name: 'site',
          file,
          owners: ['@acme/pki'],
          defaults: { policies: ['baseline', 'public-tls'], zone: 'dmz', owners: ['@acme/pki'] },
        },
      ]);
      assert.deepEqual([...inv.anchors.keys()], ['root', 'issuing']);
      const a = inv.anchors.get('root')!;
      assert.equal(a.file, join(dir, 'anchors/root.pem'));
      assert.equal(a.sha256, root.sha256);
      assert.equal(a.der, root.der.toString('base64'));
      assert.deepEqual(a.location, { file, line: 12, column: 5 });
      assert.deepEqual(inv.bundles, [
        {
          id: 'clients',
          file: join(dir, 'bundle.pem'),
          contains: ['root', 'issuing'],
          location: { file, line: 18, column: 5 },
        },
      ]);
      assert.deepEqual(inv.clusters.get('avilla'), {
        name: 'avilla',
        kubeconfig: { path: join(dir, 'kube/avilla.conf'), context: 'admin' },
        location: { file, line: 9, column: 5 },
      });

      assert.deepEqual(
        inv.targets.map((t) => t.id),
        ['web', 'web-file', 'secret', 'cp1'],
      );
      const [web, webFile, secret, cp1] = inv.targets;
      assert.equal(web.inventory, 'site');
      assert.deepEqual(web.location, { file, line: 20, column: 5 });
      assert.deepEqual(web.source, { kind: 'endpoint', endpoint: { host: 'web.example', port: 443 } });
      assert.deepEqual(web.expect, { issuer: 'issuing', chainTo: 'root', sha256: leaf.sha256 });
      assert.deepEqual(web.renewal, { method: 'manual', runbook: 'call PKI' });
      assert.deepEqual(web.policies, ['baseline', 'public-tls']);
      assert.deepEqual(web.owners, ['@acme/pki']);
      assert.equal(web.zone, 'dmz');
      assert.deepEqual(web.labels, { site: 'albion', tier: '1' });
      assert.deepEqual(web.paths?.['expect.sha256'], { file, line: 25, column: 15 });
      assert.deepEqual(web.paths?.['expect.chainTo'], { file, line: 24, column: 16 });
      assert.deepEqual(web.paths?.['endpoint.port'], { file, line: 21, column: 41 });

      assert.deepEqual(webFile.source, {
        kind: 'file',
        file: { path: join(dir, 'certs/web.pem'), format: 'pem' },
      });
      assert.deepEqual(webFile.policies, ['baseline']);
      assert.deepEqual(webFile.owners, ['@brent']);
      assert.equal(webFile.zone, 'albion');
      assert.deepEqual(webFile.labels, { site: 'albion', tier: '2', admin: 'true' });

      assert.deepEqual(secret.source, {
        kind: 'kubernetes',
        kubernetes: { cluster: 'avilla', kind: 'Secret', namespace: 'mtg', name: 'tls' },
      });
      assert.deepEqual(secret.trustStore, { contains: ['root'], only: true });
      assert.deepEqual(secret.paths?.['trustStore'], { file, line: 36, column: 17 });

      assert.deepEqual(cp1.source, {
        kind: 'preset',
        preset: {
          kubeadm: {
            nodeName: 'cp1',
            advertiseAddress: '10.0.0.10',
            serviceSubnet: '10.96.0.0/12',
            pkiDir: '/etc/kubernetes/pki',
          },
        },
      });
    });

    it('uses the baseline pack when neither the target nor the defaults name policies, and owners from metadata', async () => {
      tmp.write(
        'a.yaml',
        `${HEADER}metadata: {name: a, owners: ["@acme/ops"]}\ntargets:\n  - {id: t, endpoint: {host: h, port: 1}}\n`,
      );
      const inv = await loadInventory([tmp.dir]);
      assert.deepEqual(inv.targets[0].policies, ['baseline']);
      assert.deepEqual(inv.targets[0].owners, ['@acme/ops']);
      assert.equal(inv.targets[0].zone, null);
    });

    it('reads YAML 1.2 core values as written: no, on and 0777 are not booleans or octal', async () => {
      tmp.write(
        'a.yaml',
        `${HEADER}metadata: {name: a}\ndefaults:\n  zone: no\n  labels: {debug: on, mode: 0777}\ntargets:\n  - {id: t, endpoint: {host: h, port: 1}}\n`,
      );
      const inv = await loadInventory([tmp.dir]);
      assert.equal(inv.targets[0].zone, 'no');
      assert.deepEqual(inv.targets[0].labels, { debug: 'on', mode: '777' });
    });

    it('reads every document of a multi-document file and skips documents of other kinds', async () => {
      tmp.write(
        'all.yaml',
        `${HEADER}metadata: {name: one}\ntargets:\n  - {id: t1, endpoint: {host: h, port: 1}}\n---\napiVersion: certwarden/v1\nkind: Policy\nmetadata: {name: p}\nrules: []\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n---\n${HEADER}metadata: {name: two}\ntargets:\n  - {id: t2, endpoint: {host: h, port: 2}}\n`,
      );
      tmp.write('sub/values.yaml', 'replicas: 3\n'); // foreign YAML without kind: skipped
      const inv = await loadInventory([tmp.dir]);
      assert.deepEqual(
        inv.inventories.map((i) => i.name),
        ['one', 'two'],
      );
      assert.deepEqual(
        inv.targets.map((t) => t.id),
        ['t1', 't2'],
      );
      assert.equal(inv.targets[1].location.line, 20);
    });

    it('reads folders recursively in sorted order and accepts a single file', async () => {
      tmp.write(
        'b/z.yaml',
        `${HEADER}metadata: {name: z}\ntargets:\n  - {id: z, endpoint: {host: h, port: 1}}\n`,
      );
      tmp.write(
        'a/y.yml',
        `${HEADER}metadata: {name: y}\ntargets:\n  - {id: y, endpoint: {host: h, port: 1}}\n`,
      );
      tmp.write('.hidden/x.yaml', `${HEADER}metadata: {name: x}\n`);
      assert.deepEqual(
        (await loadInventory([tmp.dir])).targets.map((t) => t.id),
        ['y', 'z'],
      );
      assert.deepEqual(
        (await loadInventory([tmp.path('b/z.yaml')])).targets.map((t) => t.id),
        ['z'],
      );
    });

    it('follows symbolic links to inventory files', async () => {
      const real = tmp.write(
        'shared/real.yaml',
        `${HEADER}metadata: {name: r}\ntargets:\n  - {id: r, endpoint: {host: h, port: 1}}\n`,
      );
      mkdirSync(tmp.path('inv'));
      symlinkSync(real, tmp.path('inv/link.yaml'));
      assert.deepEqual(
        (await loadInventory([tmp.path('inv')])).targets.map((t) => [t.id, t.location.file]),
        [['r', tmp.path('inv/link.yaml')]],
      );
    });

    it('reports a document without kind that looks like an inventory', async () => {
      const file = tmp.write('a.yaml', `apiVersion: certwarden/v1\nmetadata: {name: a}\ntargets: []\n`);
      problemAt(await validate(), file, 1, "missing required key 'kind' (expected kind: Inventory)");
    });
  });

  describe('YAML safety', () => {
    it('refuses duplicate keys, naming both lines', async () => {
      const file = tmp.write(
        'a.yaml',
        `${HEADER}metadata: {name: a}\ntargets:\n  - id: t\n    endpoint:\n      host: h\n      port: 443\n      port: 8443\n`,
      );
      problemAt(await validate(), file, 9, "duplicate key 'port' (first at line 8)", 7);
    });

    it('refuses an alias bomb before expanding it (9^9 nodes would never finish)', async () => {
      const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
      for (let i = 1; i < 9; i++) {
        const prev = String.fromCharCode(96 + i);
        const name = String.fromCharCode(97 + i);
        levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
      }
      const file = tmp.write(
        'bomb.yaml',
        `${HEADER}metadata: {name: a}\nx-bomb:\n${levels.map((l) => `  ${l}`).join('\n')}\n`,
      );
      const problems = await validate();
      problemAt(
        problems,
        file,
        6,
        /^too many YAML aliases \(more than 50 expansions\): refused as a possible alias bomb/,
      );
      assert.equal(problems.length, 1);
    });

    it('allows a few aliases for shared values', async () => {
      tmp.write(
        'a.yaml',
        `${HEADER}metadata: {name: a}\ntargets:\n  - id: t1\n    endpoint: &ep {host: h, port: 1}\n  - id: t2\n    endpoint: *ep\n`,
      );
      const inv = await loadInventory([tmp.dir]);
      assert.deepEqual(inv.targets[1].source, { kind: 'endpoint', endpoint: { host: 'h', port: 1 } });
    });

    it('refuses custom tags', async () => {
      const file = tmp.write('a.yaml', `${HEADER}metadata: {name: !Ref other}\n`);
      problemAt(await validate(), file, 3, /^YAML tags are not allowed here \(unknown tag !Ref\)/);
    });

    it('reports a YAML syntax error with its line', async () => {
      const file = tmp.write('a.yaml', `${HEADER}metadata: {name: a\ntargets: []\n`);
      const problems = await validate();
      assert.ok(problems.length >= 1);
      assert.ok(
        problems.every((p) => p.location?.file === file && /^invalid YAML: /.test(p.message)),
        formatProblems(problems),
      );
    });
  });

  describe('references', () => {
    it('reports an unknown anchor id and lists the declared ones', async () => {
      tmp.write('root.pem', root.pem);
      const file = tmp.write(
        'a.yaml',
        `${HEADER}metadata: {name: a}\nanchors:\n  - {id: root, file: root.pem}\ntargets:\n  - id: t\n    endpoint: {host: h, port: 1}\n    expect:\n      chainTo: rot\n    trustStore: {contains: [root, issuing]}\n`,
      );
      const problems = await validate();
      problemAt(
        problems,
        file,
        10,
        "targets[0].expect.chainTo: unknown anchor id 'rot'; did you mean 'root'? (declared: root)",
        16,
      );
      problemAt(
        problems,
        file,
        11,
        "targets[0].trustStore.contains[1]: unknown anchor id 'issuing' (declared: root)",
      );
      assert.equal(problems.length, 2);
    });

    it('checks issuer ids, bundle contents and cluster names', async () => {
      tmp.write('b.pem', root.pem);
      const file = tmp.write(
        'a.yaml',
        `${HEADER}metadata: {name: a}\nbundles:\n  - {id: b, file: b.pem, contains: [nope]}\ntargets:\n  - id: t\n    kubernetes: {cluster: avila, kind: Secret, namespace: n, name: s}\n    expect: {issuer: ghost}\n  - id: d\n    discover: {cluster: avila}\n`,
      );
      const problems = await validate();
      problemAt(
        problems,
        file,
        5,
        "bundles[0].contains[0]: unknown anchor id 'nope' (no anchor ids are declared)",
      );
      problemAt(
        problems,
        file,
        8,
        "targets[0].kubernetes.cluster: unknown cluster 'avila' (no clusters are declared)",
      );
      problemAt(
        problems,
        file,
        9,
        "targets[0].expect.issuer: unknown anchor id 'ghost' (no anchor ids are declared)",
      );
      problemAt(
        problems,
        file,
        11,
        "targets[1].discover.cluster: unknown cluster 'avila' (no clusters are declared)",
      );
    });

    it('resolves anchors declared in another inventory file', async () => {
      tmp.write('root.pem', root.pem);
      tmp.write('a.yaml', `${HEADER}metadata: {name: a}\nanchors:\n  - {id: root, file: root.pem}\n`);
      tmp.write(
        'b.yaml',
        `${HEADER}metadata: {name: b}\ntargets:\n  - {id: t, endpoint: {host: h, port: 1}, expect: {chainTo: root}}\n`,
      );
      assert.deepEqual(await validate(), []);
    });

    it('reports a target id used in two files at both places', async () => {
      const a = tmp.write(
        'a.yaml',
        `${HEADER}metadata: {name: a}\ntargets:\n  - id: web\n    endpoint: {host: h, port: 1}\n`,
      );
      const b = tmp.write(
        'b/b.yaml',
        `${HEADER}metadata: {name: b}\ntargets:\n  - {id: other, endpoint: {host: h, port: 1}}\n  - {id: web, file: {path: /x.pem}}\n`,
      );
      const problems = await validate();
      problemAt(
        problems,
        a,
        5,
        `duplicate id 'web' (also at ${b}:6:10); ids must be unique across the repository`,
        9,
      );
      problemAt(
        problems,
        b,
        6,
        `duplicate id 'web' (also at ${a}:5:9); ids must be unique across the repository`,
        10,
      );
      assert.equal(problems.length, 2);
    });

    it('reports duplicate inventory names and anchor ids', async () => {
      tmp.write('root.pem', root.pem);
      const a = tmp.write(
        'a.yaml',
        `${HEADER}metadata: {name: same}\nanchors:\n  - {id: root, file: root.pem}\n`,
      );
      const b = tmp.write(
        'b.yaml',
        `${HEADER}metadata: {name: same}\nanchors:\n  - {id: root, file: root.pem}\n`,
      );
      const problems = await validate();
      problemAt(
        problems,
        a,
        3,
        /^duplicate inventory name \(metadata.name\) 'same' \(also at .*b\.yaml:3:18\)/,
      );
      problemAt(
        problems,
        b,
        3,
        /^duplicate inventory name \(metadata.name\) 'same' \(also at .*a\.yaml:3:18\)/,
      );
      problemAt(problems, a, 5, /^duplicate anchor id 'root'/);
      problemAt(problems, b, 5, /^duplicate anchor id 'root'/);
    });

    it('checks policy names when the available packs are given', async () => {
      const file = tmp.write(
        'a.yaml',
        `${HEADER}metadata: {name: a}\ndefaults: {policies: [baseline, basline]}\ntargets: []\n`,
      );
      problemAt(
        await validate({ policyNames: ['baseline', 'kubernetes-pki'] }),
        file,
        4,
        "defaults.policies[1]: unknown policy 'basline'; did you mean 'baseline'? (declared: baseline, kubernetes-pki)",
      );
      assert.deepEqual(await validate(), []);
    });

    it('checks IP addresses and the kubeadm service subnet', async () => {
      const file = tmp.write(
        'a.yaml',
        `${HEADER}metadata: {name: a}\ntargets:\n  - id: t\n    endpoint: {host: h, port: 1}\n    expect: {ipAddresses: [10.0.0.1, '::1', 10.0.0.300]}\n  - id: cp1\n    preset: {kubeadm: {nodeName: cp1, advertiseAddress: cp1.local, serviceSubnet: 10.96.0.0/33}}\n`,
      );
      const problems = await validate();
      problemAt(
        problems,
        file,
        7,
        'targets[0].expect.ipAddresses[2]: expected an IPv4 or IPv6 address, got "10.0.0.300"',
      );
      problemAt(
        problems,
        file,
        9,
        'targets[1].preset.kubeadm.advertiseAddress: expected an IP address, got "cp1.local"',
      );
      problemAt(
        problems,
        file,
        9,
        'targets[1].preset.kubeadm.serviceSubnet: expected a CIDR such as 10.96.0.0/12, got "10.96.0.0/33"',
      );
      assert.equal(problems.length, 3);
    });

    it('requires a repository-relative file target to exist', async () => {
      const file = tmp.write(
        'a.yaml',
        `${HEADER}metadata: {name: a}\ntargets:\n  - {id: t, file: {path: certs/missing.pem}}\n  - {id: node, file: {path: /etc/node-only.pem}}\n`,
      );
      const problems = await validate();
      problemAt(problems, file, 5, /^targets\[0\]\.file\.path: file 'certs\/missing.pem' does not exist/);
      assert.equal(problems.length, 1, 'absolute paths live on scanned machines and are not checked');
    });
  });

  describe('anchor files', () => {
    const anchorInventory = (pin?: string) =>
      `${HEADER}metadata: {name: a}\nanchors:\n  - id: root\n    file: anchors/root.pem\n${pin ? `    sha256: "${pin}"\n` : ''}`;

    it('refuses a file that is not a certificate', async () => {
      tmp.write('anchors/root.pem', 'hello, this is not a certificate\n');
      const file = tmp.write('a.yaml', anchorInventory());
      problemAt(
        await validate(),
        file,
        6,
        /^anchors\[0\]\.file: anchor file 'anchors\/root\.pem' is not a readable certificate file: /,
        11,
      );
    });

    it('refuses a leaf certificate: anchors are CAs', async () => {
      tmp.write('anchors/root.pem', leaf.pem);
      const file = tmp.write('a.yaml', anchorInventory());
      problemAt(
        await validate(),
        file,
        6,
        "anchors[0].file: anchor file 'anchors/root.pem' is not a CA certificate (basicConstraints cA is not true; subject CN=web.example); anchors are roots or intermediates",
      );
    });

    it('refuses a missing file', async () => {
      const file = tmp.write('a.yaml', anchorInventory());
      problemAt(
        await validate(),
        file,
        6,
        "anchors[0].file: file 'anchors/root.pem' does not exist (paths are relative to the inventory file's folder)",
      );
    });

    it('refuses a file with several certificates', async () => {
      tmp.write('anchors/root.pem', root.pem + issuing.pem);
      const file = tmp.write('a.yaml', anchorInventory());
      problemAt(
        await validate(),
        file,
        6,
        /^anchors\[0\]\.file: anchor file 'anchors\/root\.pem' holds 2 certificates; an anchor is one CA certificate/,
      );
    });

    it('reports a pin that does not match the file, at the pin', async () => {
      tmp.write('anchors/root.pem', root.pem);
      const file = tmp.write('a.yaml', anchorInventory(issuing.sha256));
      const problems = await validate();
      problemAt(
        problems,
        file,
        7,
        `anchors[0].sha256: pin does not match 'anchors/root.pem': the pin is ${issuing.sha256}, the file's certificate is ${root.sha256}`,
        13,
      );
      assert.equal(problems.length, 1);
    });

    it('accepts a pin in any case, with or without colons', async () => {
      tmp.write('anchors/root.pem', root.pem);
      tmp.write('a.yaml', anchorInventory(root.sha256.toUpperCase().replace(/(..)(?!$)/g, '$1:')));
      assert.deepEqual(await validate(), []);
      tmp.write('a.yaml', anchorInventory(root.sha256.toUpperCase()));
      assert.deepEqual(await validate(), []);
    });

    it('accepts a DER anchor relative to the inventory file, also from a nested folder', async () => {
      tmp.write('nested/anchors/root.der', root.der);
      tmp.write(
        'nested/a.yaml',
        `${HEADER}metadata: {name: a}\nanchors:\n  - {id: root, file: anchors/root.der, sha256: ${root.sha256}}\n`,
      );
      const inv = await loadInventory([tmp.dir]);
      assert.equal(inv.anchors.get('root')?.sha256, root.sha256);
    });
  });

  describe('private keys', () => {
    it('refuses a private key inside an inventory file without echoing it', async () => {
      const body = leaf.keyPem.trimEnd().replace(/^/gm, '      ');
      const file = tmp.write(
        'a.yaml',
        `${HEADER}metadata: {name: a}\ntargets:\n  - id: t\n    endpoint: {host: h, port: 1}\n    x-key: |\n${body}\n`,
      );
      const err = await loadInventory([tmp.dir]).then(
        () => assert.fail('loaded an inventory with a private key'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof ConfigError);
      assert.equal(err.problems.length, 1);
      problemAt(
        err.problems,
        file,
        8,
        /^this file contains a private key; certwarden never reads private keys/,
      );
      assertNoKeyIn(err.message, leaf.keyPem);
      assertNoKeyIn(JSON.stringify(err.problems), leaf.keyPem);
    });

    it('refuses a base64-encoded private key in any YAML of the folder (e.g. a committed Secret)', async () => {
      const encoded = Buffer.from(leaf.keyPem).toString('base64');
      const file = tmp.write(
        'manifests/secret.yaml',
        `apiVersion: v1\nkind: Secret\nmetadata: {name: web-tls}\ntype: kubernetes.io/tls\ndata:\n  tls.crt: ${Buffer.from(leaf.pem).toString('base64')}\n  tls.key: ${encoded}\n`,
      );
      const problems = await validate();
      problemAt(
        problems,
        file,
        7,
        /^data\.tls\.key: this value is a private key; certwarden never reads private keys/,
      );
      assertNoKeyIn(formatProblems(problems), leaf.keyPem);
      assert.ok(!formatProblems(problems).includes(encoded.slice(0, 40)));
    });

    it('refuses an anchor file that carries its private key', async () => {
      tmp.write('anchors/root.pem', root.pem + root.keyPem);
      const file = tmp.write(
        'a.yaml',
        `${HEADER}metadata: {name: a}\nanchors:\n  - id: root\n    file: anchors/root.pem\n`,
      );
      const problems = await validate();
      problemAt(
        problems,
        file,
        6,
        /^anchors\[0\]\.file: anchor file 'anchors\/root\.pem' contains a private key; certwarden never reads private keys/,
      );
      assertNoKeyIn(formatProblems(problems), root.keyPem);
    });

    it('refuses a bundle Secret manifest that holds tls.key, naming the key but not its value', async () => {
      tmp.write(
        'manifests/bundle.yaml',
        `apiVersion: v1\nkind: Secret\nmetadata: {name: b, namespace: ns}\ndata:\n  ca.crt: ${Buffer.from(root.pem).toString('base64')}\n  tls.key: ${Buffer.from(root.keyPem).toString('base64')}\n`,
      );
      const file = tmp.write(
        'inv/a.yaml',
        `${HEADER}metadata: {name: a}\nbundles:\n  - id: b\n    file: ../manifests/bundle.yaml\n`,
      );
      const problems = (await validateInventory([tmp.path('inv')])).problems;
      problemAt(
        problems,
        file,
        6,
        /^bundles\[0\]\.file: bundle manifest '\.\.\/manifests\/bundle\.yaml' holds a private key \(Secret data key 'tls\.key'\)/,
      );
      assertNoKeyIn(formatProblems(problems), root.keyPem);
    });

    it('refuses a committed kubeconfig target that embeds its client key', async () => {
      const kubeconfig = `apiVersion: v1\nkind: Config\nusers:\n  - name: u\n    user:\n      client-certificate-data: ${Buffer.from(leaf.pem).toString('base64')}\n      client-key-data: ${Buffer.from(leaf.keyPem).toString('base64')}\n`;
      tmp.write('inv/kube/admin.conf', kubeconfig);
      const file = tmp.write(
        'inv/a.yaml',
        `${HEADER}metadata: {name: a}\ntargets:\n  - id: k\n    kubeconfig: {path: kube/admin.conf}\n`,
      );
      const problems = (await validateInventory([tmp.path('inv')])).problems;
      problemAt(
        problems,
        file,
        6,
        /^targets\[0\]\.kubeconfig\.path: 'kube\/admin\.conf' contains a private key/,
      );
      assertNoKeyIn(formatProblems(problems), leaf.keyPem);
    });
  });

  describe('bundles', () => {
    it('reads the key of a ConfigMap manifest, a Secret manifest (base64) and a PEM file', async () => {
      tmp.write(
        'cm.yaml',
        `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata:\n  bundle.pem: |\n${(root.pem + issuing.pem).trimEnd().replace(/^/gm, '    ')}\n`,
      );
      tmp.write(
        'secret.yaml',
        `apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  ca.crt: ${Buffer.from(root.pem).toString('base64')}\n`,
      );
      tmp.write('bundle.pem', issuing.pem);
      tmp.write(
        'inv.yaml',
        `${HEADER}metadata: {name: a}\nbundles:\n  - {id: cm, file: cm.yaml, key: bundle.pem}\n  - {id: secret, file: secret.yaml}\n  - {id: pem, file: bundle.pem}\n`,
      );
      const inv = await loadInventory([tmp.dir]);
      const sha = (id: string) =>
        readBundleFile(inv.bundles.find((b) => b.id === id)!).map((c) => c.record.sha256);
      assert.deepEqual(sha('cm'), [root.sha256, issuing.sha256]);
      assert.deepEqual(sha('secret'), [root.sha256]);
      assert.deepEqual(sha('pem'), [issuing.sha256]);
    });

    it('reports a manifest without the key, listing the keys it has', async () => {
      tmp.write(
        'cm.yaml',
        `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata:\n  ca.pem: |\n${root.pem.trimEnd().replace(/^/gm, '    ')}\n`,
      );
      const file = tmp.write(
        'inv.yaml',
        `${HEADER}metadata: {name: a}\nbundles:\n  - id: cm\n    file: cm.yaml\n`,
      );
      problemAt(
        await validate(),
        file,
        6,
        "bundles[0].file: bundle manifest 'cm.yaml' has no key 'ca.crt' (keys: ca.pem); set `key`",
      );
    });

    it('throws a ConfigError located at the bundle when the file changed after loading', async () => {
      tmp.write('b.pem', root.pem);
      const file = tmp.write(
        'inv.yaml',
        `${HEADER}metadata: {name: a}\nbundles:\n  - id: b\n    file: b.pem\n`,
      );
      const inv = await loadInventory([tmp.dir]);
      tmp.write('b.pem', 'garbage');
      assert.throws(
        () => readBundleFile(inv.bundles[0]),
        (e: unknown) =>
          e instanceof ConfigError &&
          e.problems[0].location?.file === file &&
          e.problems[0].location.line === 5 &&
          /^bundle 'b': bundle file/.test(e.problems[0].message),
      );
    });
  });

  describe('errors', () => {
    it('collects every problem into one ConfigError, sorted by file and line, one FILE:LINE:COLUMN line each', async () => {
      const file = tmp.write(
        'a.yaml',
        `${HEADER}metadata: {name: a}\ntargets:\n  - id: t\n    endpoint: {host: h, port: https}\n  - id: u\n    endpoint: {host: h, port: 1}\n    expcet: {}\n`,
      );
      const err = await loadInventory([tmp.dir]).catch((e: unknown) => e);
      assert.ok(err instanceof ConfigError);
      const lines = err.message.split('\n');
      assert.equal(lines.length, 2);
      assert.equal(
        lines[0],
        `${file}:6:31: error: targets[0].endpoint.port: expected an integer 1-65535, got "https"`,
      );
      assert.match(
        lines[1],
        new RegExp(
          `^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:9:5: error: targets\\[1\\]: unknown key 'expcet'`,
        ),
      );
      const result = await validateInventory([tmp.dir]);
      assert.equal(validateExitCode(result), 2);
      assert.equal(formatProblems(result.problems), `${err.message}\n`);
    });

    it('reports a missing inventory folder', async () => {
      const problems = (await validateInventory([tmp.path('nope')])).problems;
      assert.deepEqual(problems, [
        { location: null, message: `inventory path '${tmp.path('nope')}' does not exist` },
      ]);
    });
  });
});
