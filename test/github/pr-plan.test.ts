// The plan comment on inventory pull requests: what changed versus the base, said safely.
import assert from 'node:assert/strict';
import { diffInventories, planCommentBody, PLAN_MARKER } from '../../src/github/pr-plan.js';
import type { LoadedInventory, Target } from '../../src/inventory/types.js';
import { makeFinding } from '../../src/core/findings.js';
import { cert, report, target } from './scenario.js';

const t = (id: string, over: Partial<Target> = {}, root = '/base'): Target => ({
  id,
  inventory: 'prod',
  location: { file: `${root}/inventory/prod.yaml`, line: 3, column: 5 },
  source: { kind: 'file', file: { path: `${root}/certs/${id}.pem` } },
  policies: ['baseline'],
  owners: [],
  zone: null,
  labels: {},
  ...over,
});
const inv = (targets: Target[]): LoadedInventory => ({
  inventories: [],
  anchors: new Map(),
  bundles: [],
  clusters: new Map(),
  targets,
});

describe('the plan comment for inventory pull requests', () => {
  it('lists targets added, removed and changed, ignoring moves and the checkout folder', () => {
    const base = inv([t('kept'), t('moved'), t('gone'), t('edited')]);
    const head = inv([
      t('kept', {}, '/head'),
      t('moved', { location: { file: '/head/inventory/other.yaml', line: 40, column: 5 } }, '/head'),
      t('edited', { expect: { dnsNames: ['x.example'] } }, '/head'),
      t('new', {}, '/head'),
    ]);
    assert.deepEqual(diffInventories(base, head, { base: '/base', head: '/head' }), {
      added: ['new'],
      removed: ['gone'],
      changed: [{ id: 'edited', fields: ['expect'] }],
    });
  });

  it('without a base every target is added', () => {
    assert.deepEqual(diffInventories(null, inv([t('a')])).added, ['a']);
  });

  it('shows what the live scan found for added targets, with hostile text escaped', () => {
    const scan = report(
      [target('new', [cert('1'.repeat(64), 'new.example', 5)])],
      [
        makeFinding({
          target: 'new',
          check: 'expiry',
          rule: 'expiry',
          severity: 'error',
          message: 'expires @everyone <!-- x --> ::error::y',
          certificate: '1'.repeat(64),
        }),
      ],
    );
    const body = planCommentBody(
      { added: ['new'], removed: ['gone'], changed: [] },
      { baseRef: 'origin/main', scan },
    );
    assert.ok(body.startsWith(PLAN_MARKER));
    assert.match(
      body,
      /\*\*Added\*\*\n- new — live: 1 finding\(s\), 5 days left: error expiry: expires @\u200beveryone &lt;!-- x --&gt; :\u200b:error:\u200b:y/,
    );
    assert.match(body, /\*\*Removed\*\*\n- gone/);
    assert.equal(body.match(/<!--/g)!.length, 1, 'only our marker is a comment');
  });
});
