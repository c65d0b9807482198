import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { readCertificates } from '../../src/x509/read.js';
import { holdsPrivateKey } from '../../src/inventory/files.js';
import { readBundleFile } from '../../src/inventory/load.js';
import { inventorySchema } from '../../src/inventory/schema.js';
import { validateInventory } from '../../src/inventory/validate.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const example = join(repo, 'inventory', 'example');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('the example inventory', () => {
  it('validates with no problems, with locations relative to the working folder', async () => {
    const { inventory, problems } = await validateInventory([example], { cwd: repo });
    assert.deepEqual(problems, []);
    assert.deepEqual(
      inventory.inventories.map((i) => [i.name, i.file]),
      [
        ['kubernetes-avilla', 'inventory/example/kubernetes.yaml'],
        ['mes-albion', 'inventory/example/mes-albion.yaml'],
      ],
    );
    assert.deepEqual(
      inventory.targets.map((t) => `${t.id}:${t.source.kind}:${t.zone}`),
      [
        'avilla-admin-kubeconfig:kubeconfig:avilla',
        'mach2-albion:file:albion',
        'historian-albion:file:albion',
        'mes-client-truststore:file:albion',
      ],
    );
    assert.deepEqual([...inventory.anchors.keys()].sort(), [
      'avilla-kubernetes-ca',
      'structures-issuing',
      'structures-root',
    ]);
  });

  it('passes the shipped JSON Schema document by document, as an editor would check it', () => {
    const validate = new Ajv({ strict: true, allErrors: true }).compile(inventorySchema);
    for (const name of ['mes-albion.yaml', 'kubernetes.yaml']) {
      const text = readFileSync(join(example, name), 'utf8');
      assert.match(
        text,
        /^# yaml-language-server: \$schema=\.\.\/\.\.\/schemas\/inventory\.v1\.schema\.json$/m,
      );
      assert.equal(validate(parse(text)), true, `${name}: ${JSON.stringify(validate.errors)}`);
    }
  });

  it('commits no private key anywhere', () => {
    const files = filesUnder(example);
    assert.ok(files.length >= 10);
    for (const f of files) assert.equal(holdsPrivateKey(readFileSync(f)), false, relative(repo, f));
  });

  it('carries its deliberate problems: a certificate ending 2026-12-20 and a bundle without the issuing CA', async () => {
    const { inventory } = await validateInventory([example]);
    const historian = readCertificates(readFileSync(join(example, 'certs/historian-albion.pem')), {
      file: 'historian',
      format: 'auto',
    });
    assert.equal(historian.certificates[0].record.notAfter, '2026-12-20T00:00:00.000Z');
    const bundle = inventory.bundles.find((b) => b.id === 'mes-client-bundle')!;
    assert.deepEqual(
      readBundleFile(bundle).map((c) => c.record.sha256),
      [inventory.anchors.get('structures-root')!.sha256],
    );
    assert.deepEqual(bundle.contains, ['structures-root', 'structures-issuing']);
  });

  it('pins the leaf it declares', async () => {
    const { inventory } = await validateInventory([example]);
    const mach2 = inventory.targets.find((t) => t.id === 'mach2-albion')!;
    assert.equal(mach2.source.kind, 'file');
    const path = mach2.source.kind === 'file' ? mach2.source.file.path : '';
    const leaf = readCertificates(readFileSync(path), { file: path, format: 'auto' }).certificates[0].record;
    assert.equal(mach2.expect?.sha256, leaf.sha256);
  });
});
