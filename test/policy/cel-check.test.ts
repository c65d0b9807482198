import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadPolicies } from '../../src/policy/load.js';
import { evaluatePolicies } from '../../src/policy/evaluate.js';
import { compileCel, CelCompileError, celModel, representativeModels } from '../../src/policy/cel.js';
import { MODEL_TYPES, typeName, type CelT } from '../../src/policy/cel-check.js';
import { ConfigError } from '../../src/core/errors.js';
import { Pki } from '../support/pki.js';
import { runCli } from '../support/cli.js';
import { observe, target, tempTree } from './helpers.js';

const NOW = new Date('2026-12-01T00:00:00Z');
const HEADER = 'apiVersion: certwarden/v1\nkind: Policy\nmetadata: {name: mine}\nrules:\n';

async function loadError(files: Record<string, string>): Promise<{ dir: string; err: ConfigError }> {
  const dir = tempTree(files);
  try {
    await loadPolicies([dir], { noShipped: true });
  } catch (e) {
    if (e instanceof ConfigError) return { dir, err: e };
    throw e;
  }
  assert.fail('loading should have failed');
}

function compileError(source: string): CelCompileError {
  try {
    compileCel(source);
  } catch (e) {
    if (e instanceof CelCompileError) return e;
    throw e;
  }
  assert.fail(`${source} should not compile`);
}

describe('CEL expressions are checked against the model when packs load', () => {
  it('a misspelt field is refused at load with file, line and the column of the field, and a suggestion', async () => {
    const { dir, err } = await loadError({
      'p.yaml': HEADER + '  - id: typo\n    expr: cert.subjct.CN == "x"\n    message: m\n',
    });
    assert.equal(err.problems.length, 1);
    const p = err.problems[0]!;
    assert.deepEqual(p.location, { file: path.join(dir, 'p.yaml'), line: 6, column: 11 + 'cert.'.length });
    assert.match(p.message, /^rule 'typo' expr: cert has no field 'subjct'; did you mean 'subject'\?/);
  });

  it('an expression that yields an int instead of a bool is refused at load', async () => {
    const { err } = await loadError({
      'p.yaml': HEADER + '  - id: days\n    expr: cert.daysRemaining\n    message: m\n',
    });
    assert.equal(err.problems.length, 1);
    assert.equal(err.problems[0]!.location?.line, 6);
    assert.equal(err.problems[0]!.location?.column, 11);
    assert.match(err.problems[0]!.message, /rule 'days' expr: the expression yields int, not a bool/);
  });

  it('a `when` is held to the same checks as `expr`', async () => {
    const { err } = await loadError({
      'p.yaml':
        HEADER +
        '  - id: w1\n    check: expiry\n    when: target.zon == "dmz"\n' +
        '  - id: w2\n    check: expiry\n    when: target.labels\n',
    });
    assert.deepEqual(
      err.problems.map((p) => [p.location?.line, p.message.replace(/;.*|,.*/, '')]),
      [
        [7, "rule 'w1' when: target has no field 'zon'"],
        [10, "rule 'w2' when: the expression yields map(string"],
      ],
    );
  });

  it('in a block scalar, a misspelt field on the second line is located on that line of the file', async () => {
    const { err } = await loadError({
      'p.yaml':
        HEADER +
        '  - id: multi\n    expr: |\n      cert.lifetimeDays <= 90 &&\n        cert.issuer.CNN == ""\n    message: m\n',
    });
    const p = err.problems[0]!;
    assert.equal(p.location?.line, 8);
    assert.equal(p.location?.column, 9 + 'cert.issuer.'.length);
    assert.match(p.message, /cert\.issuer has no field 'CNN'; did you mean 'CN'\?/);
  });

  it('a misspelt field behind a short-circuit, inside has() or inside a macro is still refused', () => {
    assert.match(compileError('cert.isCA || cert.pathLenn >= 0').message, /cert has no field 'pathLenn'/);
    assert.match(compileError('has(cert.subjct)').message, /cert has no field 'subjct'/);
    assert.match(compileError('cert.dnsNames.all(n, n.host == "x")').message, /field 'host' of a string/);
    assert.match(compileError('chain.problem.size() == 0').message, /did you mean 'problems'/);
    assert.match(compileError('cert.subject["cn"] == "x"').message, /cert\.subject has no field 'cn'/);
  });

  it('operators applied to values of the wrong type are refused, wherever they sit', () => {
    const cases: [string, RegExp, number][] = [
      ['cert.daysRemaining > "30"', /no operator '>' for \(int, string\)/, 1],
      ['cert.isCA && cert.keyBits', /'&&' needs bool operands, got int/, 14],
      ['cert.isCA || cert.keyBits + 0.5 > 2048.0', /no operator '\+' for \(int, double\)/, 14],
      ['cert.dnsNames.exists(n, n.size())', /condition of all\(\)\/exists\(\) must be a bool, got int/, 25],
      ['cert.keyBits ? true : false', /condition must be a bool, got int/, 1],
    ];
    for (const [src, re, column] of cases) {
      const e = compileError(src);
      assert.match(e.message, re, src);
      assert.equal(e.column, column, src);
    }
  });

  it('a result whose type only shows when run is refused by the trial run over representative models', () => {
    const e = compileError('cert.isCA ? 1 : true');
    assert.match(
      e.message,
      /the expression yields an int, not a bool \(for an intermediate at an endpoint target\)/,
    );
  });

  it('data-dependent expressions are accepted: missing map keys, has() on a map, list indexes, conversions', () => {
    for (const src of [
      'target.labels["tier"] == "gold"',
      'target.labels.tier == "gold"',
      'has(target.labels.tier) && target.labels.tier == "gold"',
      '"tier" in target.labels && target.labels["tier"] == "gold"',
      'cert.dnsNames[0] == "www.example"',
      'size(cert.dnsNames) == 0 || cert.dnsNames[0].endsWith(".example")',
      'int(target.labels["maxDays"]) >= cert.lifetimeDays',
      'cert.lifetimeDays / cert.daysRemaining < 10',
      'has(cert.subject.CN)',
      'type(cert.keyBits) == int',
      'cert.daysRemaining > 2.5',
      'cert.notAfter - now > duration("720h")',
      'cert.notAfter.getFullYear() < 2030',
      'cert.dnsNames.map(n, n.lowerAscii()).all(n, n.endsWith(".example"))',
      'cert.subject.O.exists_one(o, o == "system:masters")',
      'cert.dnsNames.filter(n, n.startsWith("*.")).size() <= 1',
      'target.labels.all(k, k.matches("^[a-z]+$"))',
      'chain.evaluated && chain.trusted && chain.anchor != "" && chain.length > 1',
    ])
      assert.doesNotThrow(() => compileCel(src), src);
  });

  it('a data-dependent expression that errors at scan time is still reported as failing, not passing', async () => {
    const dir = tempTree({
      'p.yaml':
        HEADER + '  - id: gold\n    expr: target.labels["tier"] == "gold"\n    message: gold tier only\n',
    });
    const set = await loadPolicies([dir], { noShipped: true });
    const pki = new Pki({ now: NOW });
    const leaf = await pki.leaf({ cn: 'x' });
    const t = target({ id: 'plain', policies: ['mine'] });
    const f = evaluatePolicies(set, { target: t, observation: observe(t, [leaf]), chain: null, now: NOW });
    assert.equal(f.length, 1);
    assert.match(f[0]!.message, /gold tier only: .*\(cannot evaluate: /);
  });

  it('every example in docs/policies.md compiles', () => {
    const doc = readFileSync('docs/policies.md', 'utf8');
    const block = /Examples:\n\n```\n([\s\S]*?)```/.exec(doc)![1]!;
    const examples = block
      .split('\n')
      .map((l) => l.replace(/\s+#.*$/, '').trim())
      .filter(Boolean);
    assert.ok(examples.length >= 5);
    for (const src of examples) assert.doesNotThrow(() => compileCel(src), src);
    const inYaml = [...doc.matchAll(/^\s+(expr|when): (.+?)(?: #.*)?$/gm)].map((m) =>
      m[2]!.replace(/^'(.*)'$/, '$1'),
    );
    assert.ok(inYaml.length >= 3, inYaml.join('\n'));
    for (const src of inYaml) assert.doesNotThrow(() => compileCel(src), src);
  });

  it('the declared model types match the values celModel binds, field for field', async () => {
    const pki = new Pki({ now: NOW });
    const leaf = await pki.leaf({ cn: 'x', dns: ['x.example'] });
    const t = target({ id: 't', labels: { a: 'b' } });
    const record = observe(t, [leaf]).certificates[0]!.record;
    const model = celModel({
      cert: record,
      role: 'leaf',
      origin: 'file[0]',
      index: 0,
      target: t,
      chain: null,
      now: NOW,
    });
    const kindOf = (v: unknown): string => {
      if (typeof v === 'bigint') return 'int';
      if (typeof v === 'string') return 'string';
      if (typeof v === 'boolean') return 'bool';
      if (Array.isArray(v)) return 'list(string)';
      if (v instanceof Map) return 'map(string, string)';
      if ((v as { $typeName?: string }).$typeName === 'google.protobuf.Timestamp') return 'timestamp';
      return 'object';
    };
    const compare = (value: Record<string, unknown>, type: CelT, where: string): void => {
      assert.equal(type.kind, 'object', where);
      if (type.kind !== 'object') return;
      assert.deepEqual(Object.keys(value).sort(), Object.keys(type.fields).sort(), where);
      for (const [k, v] of Object.entries(value)) {
        const ft: CelT = type.fields[k]!;
        if (ft.kind === 'object') compare(v as Record<string, unknown>, ft, `${where}.${k}`);
        else assert.equal(typeName(ft), kindOf(v), `${where}.${k}`);
      }
    };
    for (const name of ['cert', 'chain', 'target'] as const)
      compare(model[name] as Record<string, unknown>, MODEL_TYPES[name]!, name);
    assert.equal(typeName(MODEL_TYPES.now!), kindOf(model.now));
  });

  it('every field of the model is listed in the docs table', () => {
    const doc = readFileSync('docs/policies.md', 'utf8');
    for (const name of ['cert', 'chain', 'target'] as const) {
      const row = new RegExp(`^\\| \`${name}\` +\\|(.*)$`, 'm').exec(doc)![1]!;
      const t = MODEL_TYPES[name]!;
      if (t.kind !== 'object') assert.fail(name);
      for (const field of Object.keys(t.fields)) assert.ok(row.includes(`\`${field}\``), `${name}.${field}`);
    }
  });

  it('the representative models cover every role at every common source kind', () => {
    const what = representativeModels().map((m) => m.what);
    for (const role of ['a leaf', 'an intermediate', 'a root'])
      for (const kind of ['an endpoint', 'a file', 'a kubeconfig', 'a kubernetes'])
        assert.ok(what.includes(`${role} at ${kind} target`), `${role} at ${kind}`);
  });
});

describe('certwarden validate and test refuse a bad expression', () => {
  const files = {
    'policies/mine.yaml': HEADER + '  - id: typo\n    expr: cert.subjct.CN == "x"\n    message: m\n',
    'policies/mine.test.yaml':
      'apiVersion: certwarden/v1\nkind: PolicyTest\ncertificates:\n  a: {cn: a}\ncases:\n  - name: any\n    certificate: a\n',
    'inventory/inv.yaml':
      'apiVersion: certwarden/v1\nkind: Inventory\nmetadata: {name: inv}\ndefaults: {policies: [mine]}\ntargets:\n  - id: web\n    endpoint: {host: 127.0.0.1, port: 1}\n',
  };

  it('`certwarden validate` exits 2 naming FILE:LINE:COLUMN of the field', async () => {
    const dir = tempTree(files);
    const r = await runCli(['validate', '--inventory', 'inventory', '--policies', 'policies'], { cwd: dir });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.ok(
      r.stderr.includes(
        `${path.join(dir, 'policies/mine.yaml')}:6:16: error: rule 'typo' expr: cert has no field 'subjct'`,
      ),
      r.stderr,
    );
  });

  it('`certwarden test` exits 2 before running any case', async () => {
    const dir = tempTree(files);
    const r = await runCli(['test', 'policies'], { cwd: dir });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stdout + r.stderr, /mine\.yaml:6:16: error: rule 'typo' expr: cert has no field 'subjct'/);
  });
});
