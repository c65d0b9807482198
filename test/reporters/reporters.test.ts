import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { toSarif } from '../../src/report/sarif.js';
import { toMarkdown, mermaidText } from '../../src/report/markdown.js';
import { toPrometheus, escapeLabelValue } from '../../src/report/prometheus.js';
import { toAnnotations } from '../../src/report/annotations.js';
import { HOSTILE_CN, sampleReport } from './report-fixture.js';

// ajv-formats is CommonJS: under NodeNext its default export may arrive as the namespace's `default`.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;

/** The official SARIF 2.1.0 schema (draft-04), compiled with ajv after the draft-04 → ajv adaptation of its id. */
function sarifValidator() {
  const schema = JSON.parse(
    readFileSync(new URL('./fixtures/sarif-2.1.0-rtm.5.json', import.meta.url), 'utf8'),
  );
  delete schema.$schema;
  schema.$id = schema.id;
  delete schema.id;
  // The schema's language-tag pattern is not valid with the u flag; ajv's default regexp engine needs it off.
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

describe('SARIF reporter', () => {
  it('produces a log that validates against the SARIF 2.1.0 JSON Schema', () => {
    const validate = sarifValidator();
    const log = toSarif(sampleReport(), { root: '/repo' });
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
  });

  it('the schema check is real: a log with a wrong level is rejected', () => {
    const validate = sarifValidator();
    const log = toSarif(sampleReport(), { root: '/repo' }) as { runs: { results: { level: string }[] }[] };
    log.runs[0]!.results[0]!.level = 'fatal';
    assert.equal(validate(log), false);
  });

  it('locates results at the finding location or the inventory line of the target, relative to the repository', () => {
    const log = toSarif(sampleReport(), { root: '/repo' }) as any;
    const results = log.runs[0].results;
    const byId = (id: string) =>
      results.find((r: any) => r.partialFingerprints['certwardenFindingId/v1'] === id);
    assert.deepEqual(byId('cw-1').locations[0].physicalLocation, {
      artifactLocation: { uri: 'inventory/prod.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 14, startColumn: 5 },
    });
    assert.deepEqual(byId('cw-2').locations[0].physicalLocation.region, { startLine: 22, startColumn: 1 });
    assert.equal(byId('cw-5').locations[0].physicalLocation.artifactLocation.uri, 'policies/acme.yaml');
    assert.equal(log.runs[0].originalUriBaseIds['%SRCROOT%'].uri, 'file:///repo/');
  });

  it('has one rule per finding kind with help text, and waived findings as accepted suppressions', () => {
    const log = toSarif(sampleReport(), { root: '/repo' }) as any;
    const rules = log.runs[0].tool.driver.rules;
    assert.deepEqual(
      rules.map((r: any) => r.id),
      [
        'expiry',
        'expect.dnsNames',
        'key/strong-keys',
        'cel/admin-label',
        'waiver.expired',
        'inventory.undeclared',
      ],
    );
    for (const r of rules) assert.ok(r.help.text.length > 20, `${r.id} has help`);
    assert.match(rules[0].help.text, /expired certificate is always an error/);
    const waived = log.runs[0].results.find((r: any) => r.ruleId === 'cel/admin-label');
    assert.deepEqual(waived.suppressions, [
      {
        kind: 'external',
        status: 'accepted',
        justification: 'vendor appliance (owner @brent, until 2027-03-31)',
      },
    ]);
    assert.equal(log.runs[0].results.find((r: any) => r.ruleId === 'inventory.undeclared').level, 'note');
  });
});

describe('markdown summary', () => {
  const text = toMarkdown(sampleReport(), { runUrl: 'https://github.com/acme/certs/actions/runs/1' });

  it('has the summary table, findings grouped by severity and collapsible details', () => {
    assert.match(text, /\| 🔴 errors \| 2 \|/);
    assert.match(text, /\| waived \| 1 \|/);
    const errors = text.indexOf('### 🔴 Errors (2)');
    const warnings = text.indexOf('### 🟠 Warnings (2)');
    const info = text.indexOf('### 🔵 Info (1)');
    assert.ok(errors > 0 && warnings > errors && info > warnings);
    assert.match(text, /<details><summary>Waived findings \(1\)<\/summary>/);
    assert.match(text, /<details><summary>Certificates by target \(3 targets\)<\/summary>/);
    assert.match(text, /Details: \[workflow run\]\(https:\/\/github\.com\/acme\/certs\/actions\/runs\/1\)/);
  });

  it('charts the nearest expiries in a mermaid gantt, soonest first, grouped by urgency', () => {
    const chart = text.slice(text.indexOf('```mermaid'), text.indexOf('```', text.indexOf('```mermaid') + 3));
    assert.match(chart, /gantt\n {2}title Nearest expiries as of 2026-12-01\n {2}dateFormat YYYY-MM-DD/);
    assert.match(
      chart,
      /section Expired\n {2}web evil script alert 1 \/script admin error x code link htt\.\.\. :crit, c1, /,
    );
    assert.match(chart, /:crit, c1, 2026-01-01, 2026-11-28/);
    assert.match(chart, /section 30 days or less\n {2}api api\.example :active, c2, 2026-01-01, 2026-12-20/);
    assert.match(chart, /section Later\n {2}legacy legacy\.example :c3, 2026-01-01, 2027-06-01/);
  });

  it('escapes every string from a certificate: no HTML, no mentions, no forged marker, no workflow command, no line break', () => {
    assert.ok(!text.includes('<script>'));
    assert.ok(!text.includes('<!-- certwarden'));
    assert.ok(!/@admin/.test(text), 'mention broken');
    assert.ok(!text.includes('::error::'));
    assert.ok(
      !text.split('\n').some((l) => l.startsWith('line2')),
      'the newline in the CN does not start a new line',
    );
    assert.ok(text.includes('&lt;script&gt;'));
  });

  it('mermaid names keep only a safe alphabet', () => {
    assert.equal(mermaidText('a:b;c#d\n%%{init}%%'), 'a b c d init');
    assert.equal(mermaidText(HOSTILE_CN).includes(':'), false);
  });
});

describe('Prometheus textfile', () => {
  const text = toPrometheus(sampleReport());

  it('exports x509_cert_not_after, x509_cert_not_before and x509_cert_expired with target labels', () => {
    assert.match(text, /^# TYPE x509_cert_not_after gauge$/m);
    const api = text.split('\n').find((l) => l.startsWith('x509_cert_not_after{target="api"'))!;
    // certwarden's target labels and x509-certificate-exporter's certificate labels, on one series
    for (const label of [
      'target="api"',
      'source="file"',
      'zone=""',
      'subject_CN="api.example"',
      'issuer_CN="Test CA"',
      'serial_number="01ab"',
      'role="leaf"',
    ])
      assert.ok(api.includes(label), `${label} in ${api}`);
    assert.match(api, /sha256="b{64}"/);
    assert.match(api, /\} 1797724800$/);
    assert.match(text, /^x509_cert_expired\{target="web".*\} 1$/m);
    assert.match(text, /^x509_cert_expired\{target="api".*\} 0$/m);
    assert.match(text, /^x509_cert_not_before\{target="legacy".*\} 1767225600$/m);
    assert.match(text, /^certwarden_findings\{severity="error"\} 2$/m);
  });

  it('escapes label values and sanitises label names', () => {
    assert.equal(escapeLabelValue('a"b\\c\nd'), 'a\\"b\\\\c\\nd');
    const web = text.split('\n').find((l) => l.startsWith('x509_cert_not_after{target="web"'))!;
    assert.match(web, /label_team="web \\"frontend\\"\\\\"/);
    assert.match(web, /label_app_kubernetes_io_name="shop"/);
    assert.ok(!web.includes('\nline2'));
    // every sample line is name{labels} value, nothing else
    for (const l of text.trimEnd().split('\n'))
      assert.match(
        l,
        /^(# (HELP|TYPE) .+|[a-z_0-9]+(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\["\\n])*",?)*\})? -?\d+)$/,
      );
  });
});

describe('annotations', () => {
  it('gives open findings, most severe first, at repository-relative lines, one line each', () => {
    const a = toAnnotations(sampleReport(), { root: '/repo' });
    assert.deepEqual(
      a.map((x) => x.level),
      ['error', 'error', 'warning', 'warning', 'notice'],
    );
    assert.deepEqual(
      { file: a[0]!.file, startLine: a[0]!.startLine, startColumn: a[0]!.startColumn },
      { file: 'inventory/prod.yaml', startLine: 14, startColumn: 5 },
    );
    assert.equal(a[1]!.file, 'inventory/prod.yaml');
    assert.equal(a[1]!.startLine, 22);
    assert.ok(a.every((x) => !x.message.includes('\n')));
    assert.equal(a[0]!.title, 'certwarden expiry: web');
    assert.equal(
      a.some((x) => x.message.includes('must be labelled admin')),
      false,
      'waived findings are not annotated',
    );
  });
});

describe('reports of a real scan', () => {
  it('the SARIF of a scan of the example inventory validates against the SARIF 2.1.0 schema', async () => {
    const pipeline = await import('../../src/pipeline.js');
    const now = new Date('2026-12-01T00:00:00Z');
    const opts = {
      inventoryDirs: ['inventory/example'],
      policyDirs: [],
      now,
      env: {},
      concurrency: 4,
      timeoutMs: 5000,
    };
    const loaded = await pipeline.load(opts);
    const report = pipeline.evaluate(loaded, await pipeline.collect(loaded, opts), now);
    assert.ok(report.findings.length > 0, 'the example has findings to locate');
    const log = toSarif(report) as any;
    const results: any[] = log.runs[0].results;
    const validate = sarifValidator();
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    for (const r of results)
      assert.match(r.locations[0].physicalLocation.artifactLocation.uri, /^inventory\/example\/.+\.yaml$/);
  });
});
