// `revocation: {mode}` in defaults and per target, and expect.ocspStapling: read, inherited, and
// refused at their line when misspelt.
import { strict as assert } from 'node:assert';
import { TempDir } from '../support/fs.js';
import { runCli } from '../support/cli.js';
import { loadInventory } from '../../src/inventory/load.js';
import { readInputs } from '../../src/action/inputs.js';
import { scanOptions } from '../../src/action/report.js';
import { silentLogger } from '../../src/core/logger.js';

describe('inventory revocation settings', () => {
  let tmp: TempDir;
  beforeEach(() => (tmp = new TempDir()));
  afterEach(() => tmp.cleanup());

  const inventory = (defaults: object, targets: object[]) => ({
    apiVersion: 'certwarden/v1',
    kind: 'Inventory',
    metadata: { name: 'rev' },
    defaults,
    targets,
  });

  it('takes the target’s own mode, else the file’s default, else none (soft)', async () => {
    tmp.write(
      'inv/a.yaml',
      inventory({ revocation: { mode: 'hard' } }, [
        { id: 'inherits', endpoint: { host: '127.0.0.1', port: 1 } },
        {
          id: 'own',
          endpoint: { host: '127.0.0.1', port: 1 },
          revocation: { mode: 'off' },
          expect: { ocspStapling: true },
        },
      ]),
    );
    tmp.write('inv/b.yaml', {
      ...inventory({}, [{ id: 'plain', endpoint: { host: '127.0.0.1', port: 1 } }]),
      metadata: { name: 'b' },
    });
    const inv = await loadInventory([tmp.path('inv')], {});
    const byId = new Map(inv.targets.map((t) => [t.id, t]));
    assert.deepEqual(byId.get('inherits')?.revocation, { mode: 'hard' });
    assert.deepEqual(byId.get('own')?.revocation, { mode: 'off' });
    assert.equal(byId.get('own')?.expect?.ocspStapling, true);
    assert.equal(byId.get('plain')?.revocation, undefined);
  });

  it('refuses an unknown mode and a non-boolean ocspStapling at their lines', async () => {
    tmp.write(
      'inv/a.yaml',
      inventory({}, [
        {
          id: 't',
          endpoint: { host: '127.0.0.1', port: 1 },
          revocation: { mode: 'strict' },
          expect: { ocspStapling: 'yes' },
        },
      ]),
    );
    const r = await runCli(['validate', '--inventory', tmp.path('inv')]);
    assert.equal(r.code, 2);
    const out = r.stdout + r.stderr;
    assert.match(
      out,
      /a\.yaml:12:13: error: targets\[0\]\.revocation\.mode: expected one of soft, hard, off, got "strict"/,
    );
    assert.match(
      out,
      /a\.yaml:14:21: error: targets\[0\]\.expect\.ocspStapling: expected true or false, got "yes"/,
    );
  });
});

describe('the action’s offline input', () => {
  const read = (inputs: Record<string, string>) =>
    readInputs((n) => inputs[n] ?? '', { GITHUB_WORKSPACE: '/ws' });

  it('is off unless set, and takes true or false', () => {
    assert.equal(read({}).offline, false);
    assert.equal(read({ offline: 'true' }).offline, true);
    assert.throws(
      () => read({ offline: 'sometimes' }),
      /Invalid offline 'sometimes'\. Expected true or false\./,
    );
  });

  it('reaches the scan options', () => {
    const io = { logger: silentLogger, env: {} } as unknown as Parameters<typeof scanOptions>[1];
    assert.equal(scanOptions(read({ offline: 'true' }), io).offline, true);
  });
});
