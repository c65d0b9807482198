import assert from 'node:assert/strict';
import path from 'node:path';
import { loadPolicies, parseExpiry } from '../../src/policy/load.js';
import { applyWaivers, checkWaiverTargets } from '../../src/policy/waivers.js';
import { ConfigError } from '../../src/core/errors.js';
import { makeFinding } from '../../src/core/findings.js';
import type { Finding } from '../../src/core/model.js';
import { Pki } from '../support/pki.js';
import { target, tempTree } from './helpers.js';

const NOW = new Date('2026-12-01T00:00:00Z');

const pack = (waivers: string[], rules = '  - {id: keys, check: key, params: {allow: [{type: EC}]}}\n') =>
  `apiVersion: certwarden/v1\nkind: Policy\nmetadata: {name: team}\nrules:\n${rules}waivers:\n${waivers.join('\n')}\n`;

const waiver = (fields: string) => `  - {rule: keys, reason: r, owner: "@o", ${fields}}`;

async function loadError(text: string): Promise<{ file: string; err: ConfigError }> {
  const dir = tempTree({ 'team.yaml': text });
  try {
    await loadPolicies([dir], { noShipped: true });
  } catch (e) {
    if (e instanceof ConfigError) return { file: path.join(dir, 'team.yaml'), err: e };
    throw e;
  }
  assert.fail('loading should have failed');
}

describe('waiver expiry dates', () => {
  it('an impossible date such as 2027-02-30 is refused at its line, saying why', async () => {
    const { file, err } = await loadError(
      pack([waiver('target: a, expires: 2027-03-31'), waiver('target: b, expires: 2027-02-30')]),
    );
    assert.equal(err.problems.length, 1);
    assert.equal(err.problems[0]!.location?.file, file);
    assert.equal(err.problems[0]!.location?.line, 8);
    assert.equal(
      err.problems[0]!.message,
      'waivers[1].expires: "2027-02-30" is not a valid date: February 2027 has 28 days',
    );
  });

  it('a month 13, a 31st of April and a 24:00 time are refused too; a leap day is accepted', async () => {
    for (const [bad, why] of [
      ['2027-13-01', /there is no month 13/],
      ['2027-04-31', /April 2027 has 30 days/],
      ['"2027-03-31T24:00:00Z"', /24:00:00 is not a time of day/],
      ['"2027-03-31T10:00:00+25:00"', /\+25:00 is not a UTC offset/],
      ['next-tuesday', /expected YYYY-MM-DD \(waives through that day, UTC\) or an ISO-8601 timestamp/],
    ] as const) {
      const { err } = await loadError(pack([waiver(`target: a, expires: ${bad}`)]));
      assert.match(err.message, why, bad);
      assert.equal(err.problems[0]!.location?.line, 7, bad);
    }
    const dir = tempTree({ 'team.yaml': pack([waiver('target: a, expires: 2028-02-29')]) });
    const set = await loadPolicies([dir], { noShipped: true });
    assert.equal(set.policies.get('team')!.waivers[0]!.expiresAt.toISOString(), '2028-03-01T00:00:00.000Z');
  });

  it('a date waives through that day in UTC; a timestamp until that instant, UTC when it has no offset', () => {
    assert.equal(parseExpiry('2027-03-31')!.toISOString(), '2027-04-01T00:00:00.000Z');
    assert.equal(parseExpiry('2027-03-31T10:00:00Z')!.toISOString(), '2027-03-31T10:00:00.000Z');
    assert.equal(parseExpiry('2027-03-31T10:00:00+02:00')!.toISOString(), '2027-03-31T08:00:00.000Z');
    assert.equal(parseExpiry('2027-03-31 10:00')!.toISOString(), '2027-03-31T10:00:00.000Z');
    assert.equal(parseExpiry('2027-02-29'), null);
    assert.equal(parseExpiry('March 3 2027'), null);
  });
});

describe('checkWaiverTargets', () => {
  const targets = [
    target({ id: 'web-1', policies: ['team'], labels: { tier: 'front' }, zone: 'dmz' }),
    target({ id: 'web-2', policies: ['team'] }),
    target({ id: 'cp1/pki/apiserver.crt', policies: ['team'], expandedFrom: 'cp1' }),
    target({ id: 'other', policies: ['baseline'] }),
  ];
  async function problems(waivers: string[]) {
    const dir = tempTree({ 'team.yaml': pack(waivers) });
    const set = await loadPolicies([dir]);
    return checkWaiverTargets(set, targets).map((p) => [p.level, p.location?.line, p.message]);
  }

  it('a plain target id that no target has is an error at the waiver, with the nearest id', async () => {
    assert.deepEqual(await problems([waiver('target: web-l, expires: 2027-01-01')]), [
      [
        'error',
        7,
        "waiver of rule 'keys' names target 'web-l', which no inventory target has (did you mean 'web-1'?)",
      ],
    ]);
  });

  it('existing ids, preset ids, matching patterns and matching selectors are fine', async () => {
    assert.deepEqual(
      await problems([
        waiver('target: web-1, expires: 2027-01-01'),
        waiver('target: cp1, expires: 2027-01-01'),
        waiver('target: "web-*", expires: 2027-01-01'),
        waiver('selector: {labels: {tier: front}, zone: dmz}, expires: 2027-01-01'),
        '  - {rule: expect.subject, target: other, reason: r, owner: "@o", expires: 2027-01-01}',
      ]),
      [],
    );
  });

  it('a pattern or selector that matches no target is a warning', async () => {
    assert.deepEqual(
      await problems([
        waiver('target: "db-*", expires: 2027-01-01'),
        waiver('selector: {labels: {tier: back}}, expires: 2027-01-01'),
        waiver('target: web-2, selector: {zone: dmz}, expires: 2027-01-01'),
      ]),
      [
        ['warning', 7, "waiver of rule 'keys' for db-* matches no inventory target"],
        [
          'warning',
          8,
          'waiver of rule \'keys\' for selector {"labels":{"tier":"back"}} matches no inventory target',
        ],
        [
          'warning',
          9,
          'waiver of rule \'keys\' for web-2 (selector {"zone":"dmz"}) matches no inventory target',
        ],
      ],
    );
  });

  it('a waiver of a rule that none of its targets evaluates is a warning', async () => {
    assert.deepEqual(await problems([waiver('target: other, expires: 2027-01-01')]), [
      [
        'warning',
        7,
        "waiver of rule 'keys': none of the 1 target it covers uses a policy with that rule (other)",
      ],
    ]);
  });
});

describe('expired waivers in a partial run', () => {
  const finding = (t: string): Finding =>
    makeFinding({ target: t, check: 'key', rule: 'keys', message: 'weak', certificate: 'ab'.repeat(32) });
  async function expiredMessages(
    waivers: string[],
    findings: Finding[],
    evaluated: string[],
    inventory?: string[],
  ): Promise<string[]> {
    const dir = tempTree({ 'team.yaml': pack(waivers) });
    const set = await loadPolicies([dir], { noShipped: true });
    const t = (id: string) => target({ id, policies: ['team'] });
    return applyWaivers(
      findings,
      set,
      NOW,
      evaluated.map(t),
      inventory ? { inventoryTargets: inventory.map(t) } : {},
    )
      .filter((f) => f.check === 'waiver.expired')
      .map((f) => f.message.replace(/^.*expired on 2026-11-01; /, ''));
  }

  it('an expired waiver for a target that was not evaluated does not say it can be removed', async () => {
    assert.deepEqual(await expiredMessages([waiver('target: web-2, expires: 2026-11-01')], [], ['web-1']), [
      'none of the targets it covers was evaluated in this run',
    ]);
  });

  it('an expired waiver for an evaluated target with no finding can be removed', async () => {
    assert.deepEqual(await expiredMessages([waiver('target: web-1, expires: 2026-11-01')], [], ['web-1']), [
      'it no longer matches any finding and can be removed',
    ]);
  });

  it('an expired waiver that still matches a finding says the finding is reported again', async () => {
    assert.deepEqual(
      await expiredMessages([waiver('target: web-1, expires: 2026-11-01')], [finding('web-1')], ['web-1']),
      ['the 1 finding it covered is reported again'],
    );
  });

  it('a pattern is called removable only when every inventory target it covers was evaluated', async () => {
    const w = [waiver('target: "web-*", expires: 2026-11-01')];
    const partial =
      'it matched no finding in the 1 target it covers that was evaluated in this run (others it covers were not)';
    assert.deepEqual(await expiredMessages(w, [], ['web-1']), [partial]);
    assert.deepEqual(await expiredMessages(w, [], ['web-1'], ['web-1', 'web-2', 'db']), [partial]);
    assert.deepEqual(await expiredMessages(w, [], ['web-1', 'web-2'], ['web-1', 'web-2', 'db']), [
      'it no longer matches any finding and can be removed',
    ]);
  });

  it('a scan limited with --target gives no removal advice for the waiver of a target it did not scan', async () => {
    const pipeline = await import('../../src/pipeline.js');
    const pki = new Pki({ now: NOW });
    const weak = await pki.leaf({ cn: 'weak', key: 'rsa1024' });
    const dir = tempTree({
      'policies/team.yaml': pack(
        [waiver('target: scanned, expires: 2026-11-01'), waiver('target: skipped, expires: 2026-11-01')],
        '  - {id: keys, check: key, params: {allow: [{type: RSA, minBits: 2048}]}}\n',
      ),
      'inventory/weak.pem': weak.pem,
      'inventory/inv.yaml': [
        'apiVersion: certwarden/v1',
        'kind: Inventory',
        'metadata: {name: inv}',
        'defaults: {policies: [team]}',
        'targets:',
        '  - {id: scanned, file: {path: weak.pem}}',
        '  - {id: skipped, file: {path: weak.pem}}',
        '',
      ].join('\n'),
    });
    const opts = {
      inventoryDirs: [path.join(dir, 'inventory')],
      policyDirs: [path.join(dir, 'policies')],
      targets: ['scanned'],
      now: NOW,
      env: {},
    };
    const loaded = await pipeline.load(opts);
    const report = pipeline.evaluate(loaded, await pipeline.collect(loaded, opts), NOW);
    const expired = report.findings
      .filter((f) => f.check === 'waiver.expired')
      .map((f) => [f.target, f.message.replace(/^.*expired on 2026-11-01; /, '')]);
    assert.deepEqual(expired.sort(), [
      ['scanned', 'the 1 finding it covered is reported again'],
      ['skipped', 'none of the targets it covers was evaluated in this run'],
    ]);
    assert.ok(!report.findings.some((f) => /can be removed/.test(f.message)));
  });
});
