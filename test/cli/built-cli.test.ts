// The command line as a user meets it: the built CLI (dist/cli.js) as a child process, asserting on
// the text a person reads and on exit codes — usage errors, --output, colour (NO_COLOR, FORCE_COLOR,
// --color, a terminal through script(1)), the text report's columns, progress in a CI log, validate's
// messages, certwarden test, Prometheus, kubeadm, --target and the CA that is not valid yet.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { Pki } from '../support/pki.js';
import { TempDir } from '../support/fs.js';
import { tarpit, type Running } from '../support/tls-servers.js';
import { hasScript, runBuilt, runInTerminal, builtCli } from '../support/built-cli.js';

const NOW = '2026-12-01T00:00:00Z';
const DAY = 86_400_000;
// eslint-disable-next-line no-control-regex -- the point is to find terminal escapes
const ESC = /\x1b\[/;
// eslint-disable-next-line no-control-regex -- the point is to remove terminal escapes
const strip = (s: string) => s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');

describe('the built certwarden CLI, as a user runs it', function () {
  this.timeout(60_000);
  let tmp: TempDir;
  let slow: Running;

  before(async () => {
    tmp = new TempDir();
    const pki = new Pki({ now: new Date(NOW) });
    const root = await pki.ca({ cn: 'Built Root' });
    const issuing = await pki.ca({ cn: 'Built Issuing', issuer: root, pathLen: 0 });
    const web = await pki.leaf({ cn: 'web.test', dns: ['web.test'], issuer: issuing, eku: ['serverAuth'] });
    const gone = await pki.leaf({
      cn: 'gone.test',
      dns: ['gone.test'],
      issuer: issuing,
      notBefore: new Date(Date.parse(NOW) - 100 * DAY),
      days: 90,
    });
    // A CA whose validity starts next month, and a leaf it issued.
    const early = await pki.ca({
      cn: 'Early Issuing',
      issuer: root,
      notBefore: new Date(Date.parse(NOW) + 30 * DAY),
      days: 3650,
    });
    const fromEarly = await pki.leaf({ cn: 'early.test', dns: ['early.test'], issuer: early });
    tmp.write('inv/anchors/root.pem', root.pem);
    tmp.write('inv/certs/web.pem', pki.chainPem(web, issuing));
    tmp.write('inv/certs/gone.pem', pki.chainPem(gone, issuing));
    tmp.write('inv/certs/early.pem', pki.chainPem(fromEarly, early));
    tmp.write('inv/bundle.pem', root.pem);
    tmp.write('inv/inventory.yaml', {
      apiVersion: 'certwarden/v1',
      kind: 'Inventory',
      metadata: { name: 'built' },
      defaults: { policies: ['baseline'] },
      anchors: [{ id: 'root', file: 'anchors/root.pem' }],
      bundles: [{ id: 'client-bundle', file: 'bundle.pem', contains: ['root'] }],
      targets: [
        { id: 'web', file: { path: 'certs/web.pem' }, expect: { chainTo: 'root' } },
        { id: 'gone', file: { path: 'certs/gone.pem' }, expect: { chainTo: 'root' } },
        { id: 'early', file: { path: 'certs/early.pem' }, expect: { chainTo: 'root' } },
        { id: 'missing', file: { path: '/nonexistent/certwarden-built/missing.pem' } },
      ],
    });
    tmp.write('waivers/team.yaml', {
      apiVersion: 'certwarden/v1',
      kind: 'Policy',
      metadata: { name: 'team-waivers' },
      rules: [],
      waivers: [
        {
          rule: 'source.unreachable',
          target: 'missing',
          reason: 'decommissioned',
          owner: '@ops',
          expires: '2027-01-31',
        },
      ],
    });
    slow = await tarpit();
    tmp.write('slow/inventory.yaml', {
      apiVersion: 'certwarden/v1',
      kind: 'Inventory',
      metadata: { name: 'slow' },
      targets: [
        { id: 'quick', file: { path: '../inv/certs/web.pem' } },
        { id: 'tarpit', endpoint: { host: '127.0.0.1', port: slow.port } },
      ],
    });
  });
  after(async () => {
    await slow?.close();
    tmp?.cleanup();
  });

  const scan = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    runBuilt(['scan', '--inventory', 'inv', '--now', NOW, ...args], { cwd: tmp.dir, env });

  describe('usage errors', () => {
    it('names an unknown option and the closest real one, exits 2, and shows no parser internals', async () => {
      const r = await runBuilt(['scan', '--formt', 'json']);
      assert.equal(r.code, 2);
      assert.equal(
        r.stderr,
        "error: unknown option '--formt' (did you mean '--format'?)\nRun 'certwarden scan --help' for the options.\n",
      );
      assert.equal(r.stdout, '');
    });

    it('refuses an argument a command does not take instead of dropping it', async () => {
      const r = await runBuilt(['scan', 'clean'], { cwd: tmp.dir });
      assert.equal(r.code, 2);
      assert.match(
        r.stderr,
        /^error: unexpected argument 'clean': certwarden scan takes no arguments, only options$/m,
      );
      const v = await runBuilt(['validate', 'inv'], { cwd: tmp.dir });
      assert.equal(v.code, 2);
      assert.match(v.stderr, /unexpected argument 'inv'/);
    });

    it('says which value an option needs', async () => {
      const r = await runBuilt(['scan', '--format']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /^error: option '--format' needs a value \(FORMAT\)$/m);
      const q = await runBuilt(['scan', '--quiet=yes']);
      assert.match(q.stderr, /option '--quiet' takes no value/);
    });

    it('accepts --fail-on info like sync does, and lists it when refusing a level', async () => {
      const info = await scan(['--target', 'web', '--fail-on', 'info']);
      assert.ok(info.code === 0 || info.code === 1, info.stderr);
      assert.doesNotMatch(info.stderr, /not valid/);
      const bad = await scan(['--fail-on', 'notice']);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /--fail-on 'notice' is not valid; expected error, warning, info or never/);
    });
  });

  describe('--output', () => {
    it('into a folder that does not exist: exit 2 and a plain sentence, before any work, nothing created', async () => {
      const r = await scan(['--format', 'json', '--output', 'reports/today.json']);
      assert.equal(r.code, 2);
      assert.equal(
        r.stderr,
        'error: --output reports/today.json: the folder reports does not exist; create it first (mkdir -p reports)\n',
      );
      assert.ok(!existsSync(tmp.path('reports')));
    });

    it('says on stderr what it wrote where, and nothing on stdout', async () => {
      const r = await scan(['--format', 'json', '--output', 'report.json']);
      assert.equal(r.code, 1);
      assert.equal(r.stdout, '');
      assert.match(
        r.stderr,
        /^wrote the json report to report\.json \(5 target\(s\); \d+ error\(s\), \d+ warning\(s\), \d+ info\)$/m,
      );
      assert.equal(JSON.parse(readFileSync(tmp.path('report.json'), 'utf8')).schemaVersion, 1);
      const c = await runBuilt(['collect', '--inventory', 'inv', '--now', NOW, '--output', 'obs.json'], {
        cwd: tmp.dir,
      });
      assert.equal(c.code, 0, c.stderr);
      assert.match(c.stderr, /^wrote the observations to obs\.json$/m);
    });
  });

  describe('the text report', () => {
    it('has no colour in a pipe, with NO_COLOR, or with --color never; FORCE_COLOR and --color always colour it', async () => {
      const plain = await scan([]);
      assert.doesNotMatch(plain.stdout, ESC);
      const noColor = await scan([], { NO_COLOR: '1', FORCE_COLOR: undefined });
      assert.doesNotMatch(noColor.stdout, ESC);
      const forced = await scan([], { FORCE_COLOR: '1' });
      assert.match(forced.stdout, ESC);
      const never = await scan(['--color', 'never'], { FORCE_COLOR: '1' });
      assert.doesNotMatch(never.stdout, ESC);
      const always = await scan(['--color', 'always'], { NO_COLOR: '1' });
      assert.match(always.stdout, ESC);
      // colour changes nothing but the escapes
      assert.equal(strip(forced.stdout), plain.stdout);
      const bad = await scan(['--color', 'sometimes']);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /--color 'sometimes' is not valid; expected auto, always or never/);
    });

    it('on a terminal is coloured unless NO_COLOR is set, and counts of zero are not painted', async function () {
      if (!hasScript()) this.skip();
      const cmd = `node ${builtCli} scan --inventory inv --now ${NOW} --target web --quiet`;
      const tty = await runInTerminal(cmd, { cwd: tmp.dir });
      assert.match(tty.output, ESC);
      assert.ok(tty.output.includes(': 0 error(s), 0 warning(s)'), 'counts of zero are not painted');
      const no = await runInTerminal(cmd, { cwd: tmp.dir, env: { NO_COLOR: '1' } });
      assert.doesNotMatch(no.output, ESC);
      assert.match(no.output, /No findings\./);
    });

    it("aligns every column by what is visible, with each finding's inventory FILE:LINE and one way to say days", async () => {
      const r = await scan(['--policies', 'waivers'], { FORCE_COLOR: '1' });
      const text = strip(r.stdout);
      const lines = text.split('\n');
      const header = lines.findIndex((l) => l.startsWith('SEVERITY'));
      const rows = lines.slice(header, lines.indexOf('', header));
      assert.ok(rows.length >= 4, text);
      const col = (name: string) => rows[0]!.indexOf(name);
      for (const name of ['TARGET', 'CHECK', 'INVENTORY', 'MESSAGE']) {
        for (const row of rows.slice(1)) {
          assert.equal(row[col(name) - 1], ' ', `column ${name} starts after a space in: ${row}`);
          assert.notEqual(row[col(name)], ' ', `column ${name} is filled in: ${row}`);
        }
      }
      // CHECK says a rule's name only when it differs from the check
      assert.match(
        text,
        /^ERROR\s+gone\s+expiry\s+inv\/inventory\.yaml:\d+\s+certificate "gone\.test" expired 10 days ago \(notAfter [^)]+\)$/m,
      );
      assert.doesNotMatch(text, /expiry\/expiry|days remaining\)/);
      assert.match(
        text,
        /^ERROR\s+early\s+chain\.not-yet-valid-ca\s+inv\/inventory\.yaml:\d+\s+'CN=Early Issuing': is not valid before /m,
      );
      assert.doesNotMatch(text, /chain\.expired-ca/);
      // waived rows in columns too
      const waived = lines.slice(lines.findIndex((l) => l.startsWith('Waived (1):')) + 1);
      assert.match(
        waived[0]!,
        /^ {2}missing {2}source\.unreachable {2}inv\/inventory\.yaml:\d+ {2}waived by @ops until 2027-01-31: decommissioned$/,
      );
      // the certificates list says days the same way
      assert.match(text, /^ {2}expired 10 days ago {2}gone /m);
      assert.match(text, /^ {2}\d+ days remaining {2}/m);
    });
  });

  describe('progress', () => {
    it('in a CI log (stderr not a terminal) prints a line every 10 s naming the target it waits for', async () => {
      const started = Date.now();
      const r = await runBuilt(['scan', '--inventory', 'slow', '--timeout', '12000', '--fail-on', 'never'], {
        cwd: tmp.dir,
      });
      assert.equal(r.code, 0, r.stderr);
      assert.ok(Date.now() - started >= 10_000);
      assert.match(r.stderr, /^certwarden: 1\/2 target\(s\) collected after 10s; waiting for tarpit$/m);
      assert.doesNotMatch(r.stderr, /\r/);
      assert.doesNotMatch(r.stderr, ESC);
    });

    it('on a terminal draws a bar that names the target it waits for', async function () {
      if (!hasScript()) this.skip();
      const r = await runInTerminal(
        `node ${builtCli} scan --inventory slow --timeout 2500 --fail-on never > /dev/null`,
        { cwd: tmp.dir },
      );
      assert.match(r.output, /scanning \[[#-]+\] 1\/2 50%.* · waiting for tarpit/);
      assert.doesNotMatch(r.output, /certwarden: 1\/2/);
    });

    it('is silent with --quiet', async () => {
      const r = await runBuilt(
        ['scan', '--inventory', 'slow', '--timeout', '1000', '--quiet', '--fail-on', 'never'],
        {
          cwd: tmp.dir,
        },
      );
      assert.equal(r.stderr, '');
    });
  });

  describe('Prometheus', () => {
    it('exports read errors, the scan duration and x509-certificate-exporter names, in valid exposition text', async () => {
      const r = await scan(['--format', 'prometheus', '--fail-on', 'never']);
      assert.equal(r.code, 0, r.stderr);
      const t = r.stdout;
      assert.match(t, /^x509_read_errors 1$/m);
      assert.match(
        t,
        /^certwarden_target_up\{target="missing",source="file",zone="",reason="not-found"\} 0$/m,
      );
      assert.match(t, /^certwarden_target_up\{target="web",source="file",zone="",reason=""\} 1$/m);
      assert.match(t, /^certwarden_scan_duration_seconds \d+(\.\d+)?$/m);
      const web = t.split('\n').find((l) => l.startsWith('x509_cert_not_after{target="web"'))!;
      for (const label of [
        'subject_CN="web.test"',
        'issuer_CN="Built Issuing"',
        'serial_number="',
        'filename="web.pem"',
        'filepath="',
        'secret_namespace=""',
      ])
        assert.ok(web.includes(label), `${label} in ${web}`);
      for (const l of t.trimEnd().split('\n'))
        assert.match(
          l,
          /^(# (HELP|TYPE) \S+ .+|[a-z_0-9]+(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\["\\n])*",?)*\})? -?\d+(\.\d+)?)$/,
        );
      // every series of a metric has the same label names
      const names = new Map<string, string>();
      for (const l of t.split('\n').filter((x) => /^x509_cert_/.test(x))) {
        const [, metric, labels] = /^(\w+)\{(.*)\} /.exec(l)!;
        const keys = [...labels!.matchAll(/(\w+)="/g)].map((m) => m[1]).join(',');
        if (names.has(metric!)) assert.equal(keys, names.get(metric!));
        names.set(metric!, keys);
      }
    });
  });

  describe('validate', () => {
    const validate = (name: string, yaml: string, files: Record<string, string> = {}) => {
      tmp.write(`v-${name}/inventory.yaml`, yaml);
      for (const [f, c] of Object.entries(files)) tmp.write(`v-${name}/${f}`, c);
      return runBuilt(['validate', '--inventory', `v-${name}`], { cwd: tmp.dir });
    };
    const head = 'apiVersion: certwarden/v1\nkind: Inventory\nmetadata: {name: v}\n';

    it('refuses a URL as an endpoint host, an undeclared zone and a policy file that does not exist, each at its line', async () => {
      const r = await validate(
        'refs',
        `${head}zones: [{name: albion}, {name: dmz}]\ntargets:\n  - id: a\n    endpoint: {host: https://127.0.0.1, port: 443}\n    zone: albino\n    policies: [../policies/team.yaml]\n`,
      );
      assert.equal(r.code, 2);
      assert.equal(
        r.stderr,
        [
          `v-refs/inventory.yaml:7:22: error: targets[0].endpoint.host: expected a host name or IP address, got "https://127.0.0.1"; write host: 127.0.0.1 and port: 443`,
          `v-refs/inventory.yaml:8:11: error: targets[0].zone: unknown zone 'albino'; did you mean 'albion'? (declared: albion, dmz)`,
          `v-refs/inventory.yaml:9:16: error: targets[0].policies[0]: policy file '../policies/team.yaml' does not exist (looked for ${tmp.path('policies/team.yaml')})`,
          '',
        ].join('\n'),
      );
    });

    it("says 'did you mean' for anchor ids, policy names, check names and --target", async () => {
      const r = await validate(
        'names',
        `${head}anchors: [{id: root, file: root.pem}]\ntargets:\n  - id: web\n    file: {path: web.pem}\n    expect: {chainTo: roto}\n    policies: [public-tsl]\n`,
        {
          'root.pem': readFileSync(tmp.path('inv/anchors/root.pem'), 'utf8'),
          'web.pem': readFileSync(tmp.path('inv/certs/web.pem'), 'utf8'),
        },
      );
      assert.equal(r.code, 2);
      assert.match(
        r.stderr,
        /:8:23: error: targets\[0\]\.expect\.chainTo: unknown anchor id 'roto'; did you mean 'root'\? \(declared: root\)/,
      );
      assert.match(
        r.stderr,
        /:9:16: error: targets\[0\]\.policies\[0\]: unknown policy 'public-tsl'; did you mean 'public-tls'\?/,
      );
      tmp.write(
        'pol-typo/team.yaml',
        'apiVersion: certwarden/v1\nkind: Policy\nmetadata: {name: team}\nrules:\n  - id: team-key\n    check: keys\n',
      );
      const c = await runBuilt(['validate', '--inventory', 'inv', '--policies', 'pol-typo'], {
        cwd: tmp.dir,
      });
      assert.equal(c.code, 2);
      assert.match(
        c.stderr,
        /team\.yaml:6:12: error: rules\[0\]\.check: expected one of [^\n]*, got "keys"; did you mean 'key'\?/,
      );
      const t = await runBuilt(['validate', '--inventory', 'inv', '--target', 'webb'], { cwd: tmp.dir });
      assert.equal(t.code, 2);
      assert.match(t.stderr, /unknown target id 'webb' given with --target; did you mean 'web'\?/);
    });

    it('says a tab in the indentation once, points an indentation error at its column, and names the date format', async () => {
      const tab = await validate(
        'tab',
        `${head}targets:\n  - id: a\n    file: {path: x.pem}\n\texpect: {chainTo: r}\n  - id: b\n    file: {path: y.pem}\n`,
      );
      assert.equal(tab.code, 2);
      assert.equal(
        tab.stderr,
        'v-tab/inventory.yaml:7:1: error: tabs are not allowed in YAML indentation; indent with spaces\n',
      );
      const indent = await validate(
        'indent',
        `${head}targets:\n  - id: a\n    file: {path: x.pem}\n     expect: {chainTo: r}\n`,
      );
      assert.equal(
        indent.stderr,
        'v-indent/inventory.yaml:7:6: error: invalid YAML: All mapping items must start at the same column: this line starts at column 6, the line above at column 5\n',
      );
      tmp.write(
        'pol-date/team.yaml',
        "apiVersion: certwarden/v1\nkind: Policy\nmetadata: {name: team}\nrules: []\nwaivers:\n  - {rule: expiry, target: web, reason: r, owner: '@o', expires: 31/12/2026}\n",
      );
      const date = await runBuilt(['validate', '--inventory', 'inv', '--policies', 'pol-date'], {
        cwd: tmp.dir,
      });
      assert.equal(date.code, 2);
      assert.match(
        date.stderr,
        /waivers\[0\]\.expires: expected YYYY-MM-DD \(waives through that day, UTC\) or an ISO-8601 timestamp \(UTC without an offset\), got "31\/12\/2026"/,
      );
      assert.doesNotMatch(date.stderr, /\\d|\^/);
    });
  });

  describe('certwarden test', () => {
    before(() => {
      tmp.write(
        'packs/team.yaml',
        "apiVersion: certwarden/v1\nkind: Policy\nmetadata: {name: team}\nrules:\n  - id: team-expiry\n    check: expiry\n    params: {warnDays: 30}\nwaivers:\n  - {rule: team-expiry, target: web, reason: old, owner: '@ops', expires: 2026-01-01}\n",
      );
      tmp.write(
        'packs/team.test.yaml',
        [
          'apiVersion: certwarden/v1',
          'kind: PolicyTest',
          'now: 2026-06-01T00:00:00Z',
          'certificates:',
          '  soon: {cn: soon.test, days: 10, notBefore: -7}',
          '  fine: {cn: fine.test, days: 365, notBefore: -7}',
          'cases:',
          '  - name: soon on web',
          '    certificate: soon',
          '    target: {id: web}',
          '    findings: [{rule: team-expiry}, {check: waiver.expired}]',
          '  - name: fine elsewhere',
          '    certificate: fine',
          '    target: {id: other}',
          '    noOtherFindings: true',
          '  - name: fine with a typo',
          '    certificate: fine',
          '    notFindings: [{rule: team-expry}, {check: expiri}]',
          '',
        ].join('\n'),
      );
    });

    it('refuses a rule or check name no pack produces, and lists an expired waiver once, not in every case', async () => {
      const r = await runBuilt(['test', 'packs'], { cwd: tmp.dir });
      assert.equal(r.code, 2, r.stdout);
      assert.match(
        r.stdout,
        /cases\[2\]\.notFindings\[0\]\.rule: unknown rule 'team-expry'; did you mean 'team-expiry'\?/,
      );
      assert.match(
        r.stdout,
        /cases\[2\]\.notFindings\[1\]\.check: unknown check 'expiri'; did you mean 'expiry'\?/,
      );
      assert.equal(
        r.stdout.match(/waiver of rule 'team-expiry' for web expired on 2026-01-01/g)?.length,
        1,
        r.stdout,
      );
      assert.match(r.stdout, /^ {2}ok {3}soon on web$/m);
      assert.match(r.stdout, /^ {2}ok {3}fine elsewhere$/m);
    });
  });

  describe('scope', () => {
    it('reports a missing kubeadm pkiDir once', async () => {
      tmp.write('kubeadm/inventory.yaml', {
        apiVersion: 'certwarden/v1',
        kind: 'Inventory',
        metadata: { name: 'k' },
        targets: [
          {
            id: 'cp1',
            preset: {
              kubeadm: {
                pkiDir: 'no-such-folder/pki',
                nodeName: 'cp1',
                advertiseAddress: '10.0.0.10',
                serviceSubnet: '10.96.0.0/12',
                clusterDomain: 'cluster.local',
              },
            },
          },
        ],
      });
      const r = await runBuilt(['scan', '--inventory', 'kubeadm', '--format', 'json', '--quiet'], {
        cwd: tmp.dir,
      });
      const report = JSON.parse(r.stdout);
      assert.deepEqual(
        report.findings.map((f: any) => `${f.target} ${f.check}`),
        ['cp1 source.unreachable'],
      );
      assert.match(report.findings[0].message, /no-such-folder\/pki/);
    });

    it('--target limits the bundles reported to the ones named', async () => {
      const onlyWeb = JSON.parse((await scan(['--target', 'web', '--format', 'json'])).stdout);
      assert.deepEqual(
        onlyWeb.targets.map((t: any) => t.id),
        ['web'],
      );
      assert.ok(
        !onlyWeb.findings.some((f: any) => f.target === 'client-bundle'),
        JSON.stringify(onlyWeb.findings),
      );
      const bundle = JSON.parse((await scan(['--target', 'client-bundle', '--format', 'json'])).stdout);
      assert.ok(bundle.findings.every((f: any) => f.target === 'client-bundle'));
    });
  });

  describe('help', () => {
    it('collect and discover list only the options they use; renew has examples', async () => {
      const collect = (await runBuilt(['collect', '--help'])).stdout;
      assert.doesNotMatch(collect, /--format|--fail-on|--color/);
      const discover = (await runBuilt(['discover', '--help'])).stdout;
      assert.doesNotMatch(discover, /--policies|--format|--fail-on/);
      const renew = (await runBuilt(['renew', '--help'])).stdout;
      assert.match(renew, /^Examples:\n {2}certwarden renew --dry-run$/m);
    });
  });
});
