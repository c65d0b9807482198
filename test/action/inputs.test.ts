// Action inputs: one typed object, and errors that name the input, the bad value and the expected form.
import assert from 'node:assert/strict';
import path from 'node:path';
import { readInputs } from '../../src/action/inputs.js';

const ws = path.resolve('/work/space');
const read = (inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}) =>
  readInputs((n) => inputs[n] ?? '', { GITHUB_WORKSPACE: ws, ...env });

describe('action inputs', () => {
  it('defaults: scan the ./inventory folder, fail on errors, issues from warnings', () => {
    const i = read({});
    assert.equal(i.mode, 'scan');
    assert.deepEqual(i.inventory, [path.join(ws, 'inventory')]);
    assert.equal(i.failOn, 'error');
    assert.equal(i.issuesMinSeverity, 'warning');
    assert.equal(i.dryRun, false);
    assert.equal(i.concurrency, 50);
    assert.equal(i.timeoutMs, 10_000);
  });

  it('lists take lines or commas, paths resolve against the workspace', () => {
    const i = read({ inventory: 'inventory/a\ninventory/b, /abs/c', sarif: 'out/x.sarif' });
    assert.deepEqual(i.inventory, [path.join(ws, 'inventory/a'), path.join(ws, 'inventory/b'), '/abs/c']);
    assert.equal(i.sarif, path.join(ws, 'out/x.sarif'));
  });

  it('the plan base defaults to the pull request base branch', () => {
    assert.equal(read({}, { GITHUB_BASE_REF: 'main' }).baseRef, 'origin/main');
    assert.equal(read({ 'base-ref': 'release/1.x' }, { GITHUB_BASE_REF: 'main' }).baseRef, 'release/1.x');
  });

  it('fail-on takes info as the CLI does', () => {
    assert.equal(read({ 'fail-on': 'info' }).failOn, 'info');
  });

  const cases: [Record<string, string>, RegExp][] = [
    [
      { mode: 'deploy' },
      /^Invalid mode 'deploy'\. Expected one of: validate, plan, scan, sync, renew, collect, evaluate\.$/,
    ],
    [
      { 'fail-on': 'critical' },
      /^Invalid fail-on 'critical'\. Expected one of: error, warning, info, never\.$/,
    ],
    [{ 'dry-run': 'maybe' }, /^Invalid dry-run 'maybe'\. Expected true or false\.$/],
    [{ concurrency: '0' }, /^Invalid concurrency '0'\. Expected a whole number from 1 to 1000\.$/],
    [{ 'timeout-ms': '5s' }, /^Invalid timeout-ms '5s'\. Expected a whole number from 100 to 600000\.$/],
    [{ now: 'tomorrow' }, /^Invalid now 'tomorrow'\. Expected an ISO-8601 time/],
    [{ zone: 'a b' }, /^Invalid zone 'a b'\. Expected a zone name/],
    [
      { 'issues-min-severity': 'high' },
      /^Invalid issues-min-severity 'high'\. Expected one of: error, warning, info\.$/,
    ],
    [{ mode: 'sync' }, /^Input token is empty\. sync needs a token/],
    [
      { mode: 'scan', report: 'r.json' },
      /^Input report 'r\.json' is only used by mode sync \(mode is scan\)\.$/,
    ],
    [{ 'base-ref': '--upload-pack=x' }, /^Invalid base-ref '--upload-pack=x'\. Expected a git ref/],
    [{ mode: 'evaluate' }, /^Input observations is empty\. evaluate needs the observations files/],
    [
      { mode: 'scan', observations: 'o.json' },
      /^Input observations is only used by modes collect and evaluate \(mode is scan\)\.$/,
    ],
  ];
  for (const [inputs, message] of cases) {
    it(`refuses ${JSON.stringify(inputs)} saying what was expected`, () => {
      assert.throws(() => read(inputs), { name: 'InputError', message });
    });
  }

  it('only the modes that call GitHub (plan, sync, renew) keep the token', () => {
    for (const mode of ['plan', 'sync', 'renew'])
      assert.equal(read({ mode, token: 'ghs_x' }).token, 'ghs_x', mode);
    for (const mode of ['validate', 'scan', 'collect'])
      assert.equal(read({ mode, token: 'ghs_x' }).token, null, mode);
    assert.equal(read({ mode: 'evaluate', token: 'ghs_x', observations: 'o' }).token, null);
  });

  it('collect and evaluate take their observations files, resolved against the workspace', () => {
    assert.deepEqual(read({ mode: 'collect', observations: 'zones/a.json' }).observations, [
      path.join(ws, 'zones/a.json'),
    ]);
    assert.deepEqual(read({ mode: 'evaluate', observations: 'zones\n/abs/b.json' }).observations, [
      path.join(ws, 'zones'),
      '/abs/b.json',
    ]);
  });

  it('sync as a dry run needs no token', () => {
    assert.equal(read({ mode: 'sync', 'dry-run': 'true' }).dryRun, true);
  });
});
