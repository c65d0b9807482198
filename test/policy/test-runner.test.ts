import assert from 'node:assert/strict';
import path from 'node:path';
import { runPolicyTests } from '../../src/policy/test-runner.js';
import { tempTree } from './helpers.js';

function capture() {
  const lines: string[] = [];
  return { lines, io: { out: (l: string) => void lines.push(l) } };
}

const PACK = `apiVersion: certwarden/v1
kind: Policy
metadata: {name: team}
rules:
  - id: team-keys
    check: key
    params: {allow: [{type: EC, curves: [P-256]}]}
`;

describe('certwarden test (policy unit tests)', () => {
  it('the shipped packs pass their own tests', async () => {
    const { lines, io } = capture();
    const r = await runPolicyTests(['policies'], io);
    assert.equal(r.failed, 0, lines.join('\n'));
    assert.ok(r.passed >= 30, `ran ${r.passed} cases`);
    assert.equal(r.exitCode, 0);
    assert.match(lines.at(-1)!, new RegExp(`^${r.passed} passed, 0 failed$`));
    assert.ok(lines.includes('policies/baseline.test.yaml'));
  });

  it('a case whose findings differ fails with what was expected and what was produced, and exit code 1', async () => {
    const dir = tempTree({
      'team.yaml': PACK,
      'team.test.yaml': `apiVersion: certwarden/v1
kind: PolicyTest
now: "2026-12-01T00:00:00Z"
certificates:
  p384: {cn: p384.example, key: p384}
  p256: {cn: p256.example, key: p256}
  from-pem: {pem: leaf.pem}
cases:
  - name: P-384 keys are refused
    certificate: p384
    findings: [{rule: team-keys, message: "EC P-384"}]
  - name: this case is wrong on purpose
    certificate: p256
    findings: [{rule: team-keys}]
`,
      'leaf.pem': '',
    });
    const { lines, io } = capture();
    const r = await runPolicyTests([dir], io);
    // leaf.pem is empty: a problem in the test file, reported with its line
    assert.equal(r.exitCode, 2);
    assert.ok(
      lines.some((l) => /team\.test\.yaml:7:\d+: error: certificate 'from-pem'/.test(l)),
      lines.join('\n'),
    );
    assert.ok(lines.some((l) => /ok {3}P-384 keys are refused/.test(l)));
    const fail = lines.findIndex((l) => l.includes('FAIL this case is wrong on purpose'));
    assert.ok(fail > 0, lines.join('\n'));
    assert.match(lines[fail]!, /team\.test\.yaml:12\)/);
    assert.match(lines[fail + 1]!, /expected a finding \{rule: "team-keys"\}/);
    assert.match(lines[fail + 2]!, /no findings were produced/);
    assert.equal(r.passed, 1);
    assert.equal(r.failed, 1);
  });

  it('exits 1 when a case fails and the files are otherwise fine', async () => {
    const dir = tempTree({
      'team.yaml': PACK,
      'team.test.yaml': `apiVersion: certwarden/v1
kind: PolicyTest
certificates:
  p256: {cn: p256.example}
cases:
  - name: wrong on purpose
    certificate: p256
    notFindings: []
    findings: [{check: key}]
`,
    });
    const r = await runPolicyTests([dir], capture().io);
    assert.deepEqual(r, { passed: 0, failed: 1, exitCode: 1 });
  });

  it('a broken rule fails the run before any case, naming file and line, with exit code 2', async () => {
    const dir = tempTree({
      'team.yaml': PACK.replace('check: key', 'check: keys'),
      'team.test.yaml': 'apiVersion: certwarden/v1\nkind: PolicyTest\ncases: []\n',
    });
    const { lines, io } = capture();
    const r = await runPolicyTests([dir], io);
    assert.equal(r.exitCode, 2);
    assert.equal(lines[0], 'policies do not load:');
    assert.match(
      lines[1]!,
      new RegExp(
        `${path.join(dir, 'team.yaml').replace(/\./g, '\\.')}:6:12: error: rules\\[0\\]\\.check: expected one of expiry, validity, key, .* got "keys"`,
      ),
    );
  });
});
