import assert from 'node:assert/strict';
import path from 'node:path';
import { loadPolicies } from '../../src/policy/load.js';
import { evaluatePolicies } from '../../src/policy/evaluate.js';
import { checkTargetPolicies, policiesFor, policyPathsOf } from '../../src/policy/packs.js';
import { ConfigError } from '../../src/core/errors.js';
import { shippedPoliciesDir } from '../../src/policy/package-root.js';
import { Pki } from '../support/pki.js';
import { observe, target, tempTree } from './helpers.js';

async function loadError(files: Record<string, string>): Promise<{ dir: string; err: ConfigError }> {
  const dir = tempTree(files);
  try {
    await loadPolicies([dir]);
  } catch (e) {
    if (e instanceof ConfigError) return { dir, err: e };
    throw e;
  }
  assert.fail('loading should have failed');
}

const HEADER = 'apiVersion: certwarden/v1\nkind: Policy\nmetadata: {name: mine}\nrules:\n';

describe('policy loading', () => {
  it('loads the shipped packs baseline, kubernetes-pki and public-tls from the package folder', async () => {
    const set = await loadPolicies([]);
    assert.deepEqual([...set.policies.keys()].sort(), ['baseline', 'kubernetes-pki', 'public-tls']);
    assert.equal(shippedPoliciesDir(), path.resolve('policies'));
    assert.ok(set.policies.get('baseline')!.shipped);
  });

  it("a user pack with a shipped pack's name replaces it", async () => {
    const dir = tempTree({
      'b.yaml':
        'apiVersion: certwarden/v1\nkind: Policy\nmetadata: {name: baseline}\nrules:\n  - id: only-keys\n    check: key\n    params: {allow: [{type: Ed25519}]}\n',
    });
    const set = await loadPolicies([dir]);
    const b = set.policies.get('baseline')!;
    assert.equal(b.shipped, false);
    assert.deepEqual(
      b.rules.map((r) => r.id),
      ['only-keys'],
    );
  });

  it('an unknown check is an error at its line listing the valid checks', async () => {
    const { dir, err } = await loadError({
      'p.yaml': HEADER + '  - id: a\n    check: expiry\n  - id: b\n    check: exipry\n',
    });
    assert.equal(err.problems.length, 1);
    const p = err.problems[0]!;
    assert.equal(p.location?.file, path.join(dir, 'p.yaml'));
    assert.equal(p.location?.line, 8);
    assert.match(
      p.message,
      /expiry, validity, key, signature, san, eku, basic-constraints, kubernetes-naming/,
    );
  });

  it('a CEL expression that does not parse fails loading with file, line and the column inside the expression', async () => {
    const { dir, err } = await loadError({
      'p.yaml': HEADER + '  - id: bad-cel\n    expr: cert.keyBits >= \n    message: m\n',
    });
    const p = err.problems[0]!;
    assert.match(
      err.message,
      new RegExp(
        `^${path.join(dir, 'p.yaml').replace(/[.]/g, '\\.')}:6:\\d+: error: rule 'bad-cel' expr: CEL syntax error`,
      ),
    );
    assert.equal(p.location?.line, 6);
    assert.ok(p.location!.column > 11, `column ${p.location!.column} points into the expression`);
  });

  it('a CEL expression naming something outside the model is refused at load, pointing at the name', async () => {
    const { err } = await loadError({
      'p.yaml': HEADER + '  - id: typo\n    expr: "cert.isCA || certs.size() > 0"\n    message: m\n',
    });
    const p = err.problems[0]!;
    assert.match(p.message, /unknown name 'certs' \(the model has cert, chain, target, now\)/);
    assert.equal(p.location?.line, 6);
    assert.equal(p.location?.column, 11 + 1 + 'cert.isCA || '.length);
  });

  it('an unknown CEL function and a bad `when` are both reported, each at its own line', async () => {
    const { err } = await loadError({
      'p.yaml':
        HEADER +
        '  - id: f\n    expr: frobnicate(cert)\n    message: m\n  - id: w\n    check: expiry\n    when: "cert.isCA &&"\n',
    });
    assert.equal(err.problems.length, 2);
    assert.match(err.problems[0]!.message, /unknown function 'frobnicate'/);
    assert.equal(err.problems[0]!.location?.line, 6);
    assert.match(err.problems[1]!.message, /rule 'w' when: CEL syntax error/);
    assert.equal(err.problems[1]!.location?.line, 10);
  });

  it('wrong params for a built-in check are located at the parameter', async () => {
    const { err } = await loadError({
      'p.yaml': HEADER + '  - id: e\n    check: expiry\n    params:\n      warnDays: soon\n',
    });
    assert.equal(err.problems[0]!.location?.line, 8);
    assert.match(err.problems[0]!.message, /warnDays.*expected an integer/);
  });

  it('a rule with both check and expr, or an expr without message, is refused', async () => {
    const { err } = await loadError({
      'p.yaml':
        HEADER + '  - id: both\n    check: expiry\n    expr: "true"\n  - id: nomsg\n    expr: "true"\n',
    });
    const text = err.message;
    assert.match(
      text,
      /p\.yaml:5:\d+: error: .*both 'check' and 'expr'|p\.yaml:\d+:\d+: error: .*found both/,
    );
    assert.match(text, /rule 'nomsg': an 'expr' rule needs a 'message'/);
  });

  it('duplicate rule ids in a pack and a waiver for an unknown rule are errors', async () => {
    const { err } = await loadError({
      'p.yaml':
        HEADER +
        '  - id: a\n    check: expiry\n  - id: a\n    check: key\n    params: {allow: [{type: RSA}]}\nwaivers:\n  - {rule: nope, target: x, reason: r, owner: "@me", expires: 2027-01-01}\n',
    });
    assert.match(err.message, /:7:\d+: error: rules\[1\]\.id: duplicate rule id 'a' \(first at line 5\)/);
    assert.match(err.message, /:11:\d+: error: waiver names rule 'nope'/);
  });

  it('a missing policies folder is an error unless told to ignore it', async () => {
    await assert.rejects(
      loadPolicies(['/nonexistent/certwarden-policies']),
      /policies folder \/nonexistent\/certwarden-policies: not found/,
    );
    const set = await loadPolicies(['/nonexistent/certwarden-policies'], { ignoreMissing: true });
    assert.ok(set.policies.has('baseline'));
  });

  it('duplicate YAML keys in a policy are refused with both lines named', async () => {
    const { err } = await loadError({ 'p.yaml': HEADER + '  - id: a\n    check: expiry\n    check: key\n' });
    assert.match(err.message, /:7:\d+: error: duplicate key 'check' \(first at line 6\)/);
  });

  it('a target naming an unknown policy is a configuration error that lists the valid names', async () => {
    const set = await loadPolicies([]);
    const t = target({ id: 'x', policies: ['baseline', 'basline'] });
    assert.throws(
      () => checkTargetPolicies(set, [t]),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError);
        assert.match(
          e.message,
          /target 'x' uses unknown policy 'basline' \(valid: baseline, kubernetes-pki, public-tls\)/,
        );
        assert.equal(e.problems[0]!.location?.line, 12);
        return true;
      },
    );
    const pki = new Pki();
    const leaf = await pki.leaf({ cn: 'x' });
    assert.throws(
      () =>
        evaluatePolicies(set, { target: t, observation: observe(t, [leaf]), chain: null, now: new Date() }),
      ConfigError,
    );
  });

  it('a target can name a policy file by path, relative to its inventory file', async () => {
    const dir = tempTree({
      'team/extra.yaml':
        HEADER.replace('name: mine', 'name: team-extra') +
        '  - id: k\n    check: key\n    params: {allow: [{type: EC}]}\n',
    });
    const t = target({
      id: 'x',
      policies: ['baseline', '../team/extra.yaml'],
      location: { file: path.join(dir, 'inventory/a.yaml'), line: 3, column: 5 },
    });
    assert.deepEqual(policyPathsOf([t]), [path.join(dir, 'team/extra.yaml')]);
    const set = await loadPolicies(policyPathsOf([t]));
    assert.deepEqual(
      policiesFor(set, t).map((p) => p.name),
      ['baseline', 'team-extra'],
    );
    const other = target({
      id: 'y',
      policies: ['./missing.yaml'],
      location: { file: path.join(dir, 'inventory/a.yaml'), line: 9, column: 5 },
    });
    assert.throws(
      () => policiesFor(set, other),
      /target 'y' uses policy file '\.\/missing\.yaml' \(.*inventory\/missing\.yaml\), which is not a loaded policy pack/,
    );
  });
});
