import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { KubeApiServer, tlsSecret } from '../support/kube-api-server.js';
import { main, type CliIO } from '../../src/cli/main.js';
import { runDiscoverCommand } from '../../src/cli/discover.js';
import { ConfigError } from '../../src/core/errors.js';

function captureIO(cwd: string, env: NodeJS.ProcessEnv = {}): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (s) => out.push(s),
    stderr: (s) => err.push(s),
    stdoutIsTTY: false,
    stderrIsTTY: false,
    env,
    cwd,
  };
}

describe('certwarden discover', () => {
  let server: KubeApiServer;
  let dir: string;

  before(async () => {
    server = await KubeApiServer.start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cw-discover-cmd-'));
    const root = await server.pki.ca({ cn: 'Root' });
    const leaf = await server.pki.leaf({ cn: 'a.example', issuer: root });
    server.add('Secret', tlsSecret('mtg', 'test-ingress', leaf.pem, leaf.keyPem));
    server.add('Secret', tlsSecret('mtg', 'other', leaf.pem, leaf.keyPem));
    server.add('Secret', tlsSecret('locked', 'x', leaf.pem, leaf.keyPem));
    server.add('ConfigMap', {
      metadata: { name: 'kube-root-ca.crt', namespace: 'mtg' },
      data: { 'ca.crt': root.pem },
    });
    server.forbid({ kind: 'ConfigMap', namespace: 'locked' });
    fs.writeFileSync(path.join(dir, 'kubeconfig'), server.kubeconfig({ auth: 'cert', context: 'lab' }));
    fs.mkdirSync(path.join(dir, 'inventory'));
    fs.writeFileSync(
      path.join(dir, 'inventory', 'avilla.yaml'),
      [
        'apiVersion: certwarden/v1',
        'kind: Inventory',
        'metadata: {name: avilla}',
        'clusters:',
        '  - name: avilla',
        '    kubeconfig: {env: KUBECONFIG_AVILLA}',
        'targets:',
        '  - id: ingress-tls',
        '    kubernetes: {cluster: avilla, kind: Secret, namespace: mtg, name: test-ingress}',
        '',
      ].join('\n'),
    );
  });
  after(async () => {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('--cluster prints inventory YAML for the objects the inventory does not declare', async () => {
    const io = captureIO(dir, { KUBECONFIG_AVILLA: server.kubeconfig({ auth: 'token' }) });
    const code = await main(['discover', '--cluster', 'avilla'], io);
    assert.equal(code, 0, io.err.join(''));
    const doc = parseYaml(io.out.join('')) as { targets: { id: string }[] };
    assert.deepEqual(doc.targets.map((t) => t.id).sort(), [
      'avilla-cluster-ca',
      'avilla-locked-x',
      'avilla-mtg-other',
    ]);
    assert.match(
      io.err.join(''),
      /discovered 4 certificate-bearing object\(s\) in cluster avilla; 3 not declared in the inventory/,
    );
  });

  it('--kubeconfig --context --all prints every object with a clusters entry, and warns about a forbidden namespace', async () => {
    const io = captureIO(dir);
    const code = await main(
      [
        'discover',
        '--kubeconfig',
        'kubeconfig',
        '--context',
        'lab',
        '--all',
        '--namespace',
        'mtg',
        '--namespace',
        'locked',
      ],
      io,
    );
    assert.equal(code, 0, io.err.join(''));
    const doc = parseYaml(io.out.join('')) as {
      clusters: { name: string; kubeconfig: { path: string; context: string } }[];
      targets: { id: string }[];
    };
    assert.deepEqual(doc.clusters, [
      { name: 'lab', kubeconfig: { path: path.join(dir, 'kubeconfig'), context: 'lab' } },
    ]);
    assert.deepEqual(doc.targets.map((t) => t.id).sort(), [
      'lab-cluster-ca',
      'lab-locked-x',
      'lab-mtg-other',
      'lab-mtg-test-ingress',
    ]);
    assert.match(
      io.err.join(''),
      /warning: discover lab-discovered: list ConfigMap in namespace locked: 403 Forbidden/,
    );
  });

  it('refuses an unknown cluster with a configuration error naming the clusters', async () => {
    // Called directly: under mocha the CLI's lazily imported command module gets its own copy of
    // src/core/errors.ts, so main() cannot recognise the ConfigError (see the report).
    const io = captureIO(dir, { KUBECONFIG_AVILLA: 'x' });
    await assert.rejects(runDiscoverCommand({ cluster: 'nope' }, io), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.equal(e.message, "error: unknown cluster 'nope'. Expected one of: avilla");
      return true;
    });
    await assert.rejects(
      runDiscoverCommand({}, io),
      /discover needs --cluster NAME \(a cluster from the inventory\) or --kubeconfig FILE/,
    );
  });

  it('exits 3 when the cluster cannot be reached', async () => {
    const dead = await KubeApiServer.start({ pki: server.pki });
    const kc = dead.kubeconfig({ auth: 'token' });
    await dead.close();
    const io = captureIO(dir, { KUBECONFIG_AVILLA: kc });
    const code = await main(['discover', '--cluster', 'avilla'], io);
    assert.equal(code, 3);
    assert.match(io.err.join(''), /cluster avilla is unreachable/);
  });
});
