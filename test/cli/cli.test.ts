import assert from 'node:assert/strict';
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { Pki } from '../support/pki.js';
import { TempDir } from '../support/fs.js';
import { runCli } from '../support/cli.js';
import { commands } from '../../src/cli/commands.js';

const NOW = '2026-12-01T00:00:00Z';
const DAY = 86_400_000;

describe('the certwarden command line', function () {
  let tmp: TempDir;
  before(async () => {
    tmp = new TempDir();
    const pki = new Pki({ now: new Date(NOW) });
    const root = await pki.ca({ cn: 'Example Root' });
    const issuing = await pki.ca({ cn: 'Example Issuing', issuer: root, pathLen: 0 });
    const web = await pki.leaf({
      cn: 'web.example',
      dns: ['web.example'],
      issuer: issuing,
      eku: ['serverAuth'],
    });
    const soon = await pki.leaf({
      cn: 'soon.example',
      dns: ['soon.example'],
      issuer: issuing,
      notBefore: new Date(Date.parse(NOW) - 80 * DAY),
      days: 90,
    });
    tmp.write('inv/anchors/root.pem', root.pem);
    tmp.write('inv/anchors/issuing.pem', issuing.pem);
    tmp.write('inv/certs/web.pem', pki.chainPem(web, issuing));
    tmp.write('inv/certs/soon.pem', pki.chainPem(soon, issuing));
    tmp.write('inv/bundle.pem', root.pem);
    tmp.write('inv/inventory.yaml', {
      apiVersion: 'certwarden/v1',
      kind: 'Inventory',
      metadata: { name: 'cli-test' },
      defaults: { policies: ['baseline'] },
      anchors: [
        {
          id: 'root',
          file: 'anchors/root.pem',
          sha256: root.sha256.toUpperCase().replace(/(..)(?!$)/g, '$1:'),
        },
        { id: 'issuing', file: 'anchors/issuing.pem' },
      ],
      bundles: [{ id: 'client-bundle', file: 'bundle.pem', contains: ['root', 'issuing'] }],
      targets: [
        {
          id: 'web',
          file: { path: 'certs/web.pem' },
          expect: { chainTo: 'root', dnsNames: ['web.example'], sha256: web.sha256 },
        },
        { id: 'soon', file: { path: 'certs/soon.pem' }, expect: { chainTo: 'root' } },
        { id: 'gone', file: { path: '/nonexistent/certwarden-test/missing.pem' } },
      ],
    });
  });
  after(() => tmp.cleanup());

  it('lists every command in --help and teaches each one with its own --help', async () => {
    const top = await runCli(['--help']);
    assert.equal(top.code, 0);
    for (const name of Object.keys(commands)) {
      assert.match(top.stdout, new RegExp(`\\b${name}\\b`));
      const sub = await runCli([name, '--help']);
      assert.equal(sub.code, 0, name);
      assert.match(sub.stdout, /Options:/, name);
    }
  });

  it('exits 2 with a suggestion on an unknown command or option', async () => {
    const a = await runCli(['scna']);
    assert.equal(a.code, 2);
    assert.match(a.stderr, /unknown command 'scna'.*did you mean 'scan'/);
    const b = await runCli(['scan', '--colour']);
    assert.equal(b.code, 2);
    assert.match(b.stderr, /--colour/);
  });

  it('refuses a policies folder that does not exist', async () => {
    const r = await runCli(['scan', '--inventory', tmp.path('inv'), '--policies', tmp.path('none')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /none: not found/);
  });

  it('refuses a --now that is not a date, naming the expected form', async () => {
    const r = await runCli(['scan', '--inventory', tmp.path('inv'), '--now', 'tomorrow']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--now 'tomorrow' is not a date; expected ISO-8601/);
  });

  it('writes a JSON report that follows the published report schema, and exits 1 on errors', async () => {
    const out = tmp.path('report.json');
    const r = await runCli([
      'scan',
      '--inventory',
      tmp.path('inv'),
      '--now',
      NOW,
      '--format',
      'json',
      '--output',
      out,
    ]);
    assert.equal(r.code, 1, r.stderr);
    const report: any = JSON.parse(readFileSync(out, 'utf8'));
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile<any>(JSON.parse(readFileSync('schemas/report.v1.schema.json', 'utf8')));
    assert.ok(validate(report), JSON.stringify(validate.errors, null, 2));
    assert.equal(report.evaluatedAt, '2026-12-01T00:00:00.000Z');
    const checks = report.findings.map((f: any) => `${f.target} ${f.check}`).sort();
    assert.deepEqual(checks, ['client-bundle bundle.missing', 'gone source.unreachable', 'soon expiry']);
    const soon = report.findings.find((f: any) => f.target === 'soon');
    assert.equal(soon.rule !== null, true);
    assert.equal(soon.severity, 'warning');
    const web = report.targets.find((t: any) => t.id === 'web');
    assert.equal(web.status, 'ok');
    assert.equal(web.chain.trusted, true);
    assert.equal(web.chain.anchor, 'root');
    assert.deepEqual(
      web.certificates.map((c: any) => c.role),
      ['leaf', 'intermediate'],
    );
    // Nothing half-written beside the report.
    assert.deepEqual(
      readdirSync(tmp.dir).filter((f) => f.includes('.tmp')),
      [],
    );
  });

  it('exits 0 with --fail-on never and 1 with --fail-on warning when only warnings would remain', async () => {
    const never = await runCli(['scan', '--inventory', tmp.path('inv'), '--now', NOW, '--fail-on', 'never']);
    assert.equal(never.code, 0);
    assert.match(never.stdout, /soon\.example|soon/);
    const onlySoon = await runCli([
      'scan',
      '--inventory',
      tmp.path('inv'),
      '--now',
      NOW,
      '--target',
      'soon',
      '--fail-on',
      'warning',
    ]);
    assert.equal(onlySoon.code, 1);
    const onlySoonErr = await runCli([
      'scan',
      '--inventory',
      tmp.path('inv'),
      '--now',
      NOW,
      '--target',
      'web',
      '--fail-on',
      'error',
    ]);
    assert.equal(
      onlySoonErr.code,
      0,
      '--target web judges web only, not the bundle (which lacks the intermediate)',
    );
    const bundle = await runCli([
      'scan',
      '--inventory',
      tmp.path('inv'),
      '--now',
      NOW,
      '--target',
      'client-bundle',
    ]);
    assert.equal(bundle.code, 1, 'naming the bundle with --target judges it');
    assert.match(bundle.stdout, /client-bundle\s+bundle\.missing/);
  });

  it('gives the same report from collect then evaluate as from scan', async () => {
    const obs = tmp.path('obs.json');
    const c = await runCli(['collect', '--inventory', tmp.path('inv'), '--now', NOW, '--output', obs]);
    assert.equal(c.code, 0, c.stderr);
    assert.ok(existsSync(obs));
    const e = await runCli([
      'evaluate',
      '--inventory',
      tmp.path('inv'),
      '--observations',
      obs,
      '--now',
      NOW,
      '--format',
      'json',
    ]);
    const s = await runCli(['scan', '--inventory', tmp.path('inv'), '--now', NOW, '--format', 'json']);
    assert.equal(e.code, s.code);
    assert.deepEqual(JSON.parse(e.stdout), JSON.parse(s.stdout));
  });

  it('reports a target with no observation as not collected, and counts an observation given twice once', async () => {
    const obs = tmp.path('obs-partial.json');
    const c = await runCli([
      'collect',
      '--inventory',
      tmp.path('inv'),
      '--now',
      NOW,
      '--target',
      'web',
      '--output',
      obs,
    ]);
    assert.equal(c.code, 0, c.stderr);
    const once = await runCli([
      'evaluate',
      '--inventory',
      tmp.path('inv'),
      '--observations',
      obs,
      '--now',
      NOW,
      '--format',
      'json',
    ]);
    const twice = await runCli([
      'evaluate',
      '--inventory',
      tmp.path('inv'),
      '--observations',
      obs,
      '--observations',
      obs,
      '--now',
      NOW,
      '--format',
      'json',
    ]);
    assert.deepEqual(JSON.parse(twice.stdout), JSON.parse(once.stdout));
    const report = JSON.parse(once.stdout);
    const notCollected = report.findings
      .filter((f: any) => f.check === 'source.unreachable')
      .map((f: any) => f.target)
      .sort();
    assert.deepEqual(notCollected, ['gone', 'soon']);
    assert.match(report.findings.find((f: any) => f.target === 'soon').message, /not-collected/);
    assert.equal(report.targets.find((t: any) => t.id === 'web').status, 'ok');
  });

  it('refuses a --zone that no target is in, listing the zones there are', async () => {
    const r = await runCli(['scan', '--inventory', tmp.path('inv'), '--zone', 'nope']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no target is in zone 'nope' \(zones in this inventory: none\)/);
  });

  it('marks a target whose only findings are waived as ok, and counts the waiver', async () => {
    tmp.write('waivers/team.yaml', {
      apiVersion: 'certwarden/v1',
      kind: 'Policy',
      metadata: { name: 'team-waivers' },
      rules: [],
      waivers: [
        { rule: 'expiry', target: 'soon', reason: 'renewal booked', owner: '@ops', expires: '2027-01-31' },
      ],
    });
    const r = await runCli([
      'scan',
      '--inventory',
      tmp.path('inv'),
      '--policies',
      tmp.path('waivers'),
      '--now',
      NOW,
      '--format',
      'json',
      '--target',
      'soon',
    ]);
    const report = JSON.parse(r.stdout);
    assert.equal(report.summary.waived, 1, r.stderr);
    assert.equal(report.targets.find((t: any) => t.id === 'soon').status, 'ok');
  });

  it('refuses an observations file that is not one, saying what was expected', async () => {
    const bogus = tmp.write('bogus.json', '{"hello": 1}');
    const r = await runCli(['evaluate', '--inventory', tmp.path('inv'), '--observations', bogus]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /expected a certwarden observations file/);
  });
});
