import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { inventorySchema } from '../../src/inventory/schema.js';
import { validateInventory } from '../../src/inventory/validate.js';
import { TempDir } from '../support/fs.js';
import { HEADER, problemAt } from './helpers.js';

describe('inventory JSON Schema', () => {
  let tmp: TempDir;
  beforeEach(() => (tmp = new TempDir('certwarden-inv-schema-')));
  afterEach(() => tmp.cleanup());

  async function problemsOf(yaml: string, name = 'inv.yaml') {
    const file = tmp.write(name, yaml);
    const { problems } = await validateInventory([tmp.dir]);
    return { file, problems };
  }

  it('compiles in ajv strict mode and is a valid draft-07 schema', () => {
    const shipped = JSON.parse(
      readFileSync(new URL('../../schemas/inventory.v1.schema.json', import.meta.url), 'utf8'),
    );
    const ajv = new Ajv({ strict: true });
    assert.equal(ajv.validateSchema(shipped), true, JSON.stringify(ajv.errors));
    const validate = ajv.compile(shipped);
    assert.equal(validate({ apiVersion: 'certwarden/v1', kind: 'Inventory', metadata: { name: 'x' } }), true);
    assert.equal(
      validate({ apiVersion: 'certwarden/v1', kind: 'Inventory', metadata: { name: 'x' }, extra: 1 }),
      false,
    );
    assert.deepEqual(inventorySchema, shipped, 'the engine validates with the shipped schema file');
  });

  it('describes every property so editors can show help', () => {
    const missing: string[] = [];
    const visit = (s: any, path: string) => {
      if (!s || typeof s !== 'object') return;
      for (const [k, v] of Object.entries<any>(s.properties ?? {})) {
        if (v !== true && !v.description) missing.push(`${path}.${k}`);
        visit(v, `${path}.${k}`);
      }
      for (const [k, v] of Object.entries<any>(s.definitions ?? {})) visit(v, `definitions.${k}`);
      if (s.items) visit(s.items, `${path}[]`);
    };
    visit(inventorySchema, '');
    assert.deepEqual(
      missing.filter((p) => !/oneOf/.test(p)),
      [],
    );
  });

  it('names file, line, column, key and expectation for a wrong type', async () => {
    const { file, problems } = await problemsOf(
      `${HEADER}metadata: {name: a}\ntargets:\n  - id: web\n    endpoint:\n      host: web.example\n      port: https\n`,
    );
    problemAt(problems, file, 8, 'targets[0].endpoint.port: expected an integer 1-65535, got "https"', 13);
    assert.equal(problems.length, 1);
  });

  it('rejects a port out of range with the same expectation', async () => {
    const { file, problems } = await problemsOf(
      `${HEADER}metadata: {name: a}\ntargets:\n  - id: web\n    endpoint: {host: h, port: 70000}\n`,
    );
    problemAt(problems, file, 6, 'targets[0].endpoint.port: expected an integer 1-65535, got 70000');
  });

  it('reports an unknown key at the key, lists the allowed keys and suggests the closest', async () => {
    const { file, problems } = await problemsOf(
      `${HEADER}metadata: {name: a}\ntargets:\n  - id: web\n    endpoint: {host: h, port: 443}\n    expcet:\n      chainTo: x\n`,
    );
    const p = problemAt(
      problems,
      file,
      7,
      /^targets\[0\]: unknown key 'expcet' \(allowed: id, description, endpoint, .*; did you mean 'expect'\?\)$/,
      5,
    );
    assert.match(p.message, /allowed: [^)]*trustStore, renewal, revocation, policies, owners, zone, labels/);
  });

  it('accepts keys starting with x- anywhere and ignores them', async () => {
    const { problems } = await problemsOf(
      `${HEADER}x-team: infra\nmetadata: {name: a, x-ticket: 12}\ntargets:\n  - id: web\n    x-cmdb: CI-1\n    endpoint: {host: h, port: 443, x-note: hi}\n`,
    );
    assert.deepEqual(problems, []);
  });

  it('names both sources when a target has two', async () => {
    const { file, problems } = await problemsOf(
      `${HEADER}metadata: {name: a}\ntargets:\n  - id: web\n    endpoint: {host: h, port: 443}\n    file: {path: /etc/web.pem}\n`,
    );
    problemAt(
      problems,
      file,
      7,
      "targets[0]: found both 'endpoint' and 'file'; a target has exactly one source (one of endpoint, kubernetes, file, kubeconfig, preset, discover)",
      5,
    );
    assert.equal(problems.length, 1);
  });

  it('says which sources are allowed when a target has none', async () => {
    const { file, problems } = await problemsOf(
      `${HEADER}metadata: {name: a}\ntargets:\n  - id: web\n    zone: dmz\n`,
    );
    problemAt(
      problems,
      file,
      5,
      'targets[0]: a target needs exactly one source; found none (allowed: endpoint, kubernetes, file, kubeconfig, preset, discover)',
    );
    assert.equal(problems.length, 1);
  });

  it('reports a misspelt source key once, with the suggestion, not also as a missing source', async () => {
    const { file, problems } = await problemsOf(
      `${HEADER}metadata: {name: a}\ntargets:\n  - id: web\n    endpont: {host: h, port: 1}\n`,
    );
    problemAt(problems, file, 6, /^targets\[0\]: unknown key 'endpont' .*did you mean 'endpoint'\?\)$/);
    assert.equal(problems.length, 1);
  });

  it('lists the values of an enum', async () => {
    const { file, problems } = await problemsOf(
      `${HEADER}metadata: {name: a}\ntargets:\n  - id: mail\n    endpoint: {host: h, port: 25, starttls: smtps}\n`,
    );
    problemAt(
      problems,
      file,
      6,
      'targets[0].endpoint.starttls: expected one of smtp, imap, pop3, ldap, postgres, got "smtps"; did you mean \'smtp\'?',
    );
  });

  it('reports a missing required key at the mapping that lacks it', async () => {
    const { file, problems } = await problemsOf(
      `${HEADER}metadata: {name: a}\ntargets:\n  - id: web\n    endpoint: {port: 443}\n`,
    );
    problemAt(problems, file, 6, "targets[0].endpoint: missing required key 'host'");
  });

  it('requires a namespace for namespaced kinds only', async () => {
    const { file, problems } = await problemsOf(
      `${HEADER}metadata: {name: a}\nclusters:\n  - {name: c, kubeconfig: {inCluster: true}}\ntargets:\n  - id: s\n    kubernetes: {cluster: c, kind: Secret, name: tls}\n  - id: w\n    kubernetes: {cluster: c, kind: ValidatingWebhookConfiguration, name: hooks}\n`,
    );
    problemAt(problems, file, 8, "targets[0].kubernetes: missing required key 'namespace'");
    assert.equal(problems.length, 1);
  });

  it('checks the apiVersion', async () => {
    const { file, problems } = await problemsOf(
      `apiVersion: certwarden/v2\nkind: Inventory\nmetadata: {name: a}\n`,
    );
    problemAt(problems, file, 1, 'apiVersion: expected "certwarden/v1", got "certwarden/v2"', 13);
  });

  it('finds an unknown key inside an issuer subject instead of a vague either/or', async () => {
    const { file, problems } = await problemsOf(
      `${HEADER}metadata: {name: a}\ntargets:\n  - id: web\n    file: {path: /w.pem}\n    expect:\n      issuer: {CNN: Issuing}\n`,
    );
    problemAt(
      problems,
      file,
      8,
      /^targets\[0\]\.expect\.issuer: unknown key 'CNN' \(allowed: CN, O, OU, C, .*did you mean 'CN'\?\)$/,
    );
    assert.equal(problems.length, 1);
  });

  it('explains the issuer forms when the value fits neither', async () => {
    const { file, problems } = await problemsOf(
      `${HEADER}metadata: {name: a}\ntargets:\n  - id: web\n    file: {path: /w.pem}\n    expect: {issuer: 42}\n`,
    );
    problemAt(
      problems,
      file,
      7,
      'targets[0].expect.issuer: expected an anchor id or a subject mapping {CN, O, OU, C}, got 42',
    );
  });

  it('requires exactly one way to reach a cluster', async () => {
    const { file, problems } = await problemsOf(
      `${HEADER}metadata: {name: a}\nclusters:\n  - name: c1\n    kubeconfig: {path: /k, env: KUBECONFIG_C1}\n`,
    );
    problemAt(
      problems,
      file,
      6,
      /^clusters\[0\]\.kubeconfig: found both 'path' and 'env'; exactly one is allowed/,
    );
  });

  it('checks pins, owners and ids by their form', async () => {
    const { file, problems } = await problemsOf(
      `${HEADER}metadata: {name: a, owners: [brent]}\ntargets:\n  - id: web site\n    file: {path: /w.pem}\n    expect: {sha256: abc}\n`,
    );
    problemAt(
      problems,
      file,
      3,
      `metadata.owners[0]: expected a GitHub user '@login' or team '@org/team', got "brent"`,
    );
    problemAt(
      problems,
      file,
      5,
      'targets[0].id: expected an id (letters, digits, ".", "_", "-"), got "web site"',
    );
    problemAt(
      problems,
      file,
      7,
      'targets[0].expect.sha256: expected a SHA-256 fingerprint (64 hex digits, colons allowed), got "abc"',
    );
  });

  it('explains that YAML merge keys are not supported', async () => {
    const { file, problems } = await problemsOf(
      `${HEADER}metadata: {name: a}\ntargets:\n  - id: web\n    <<: {zone: dmz}\n    endpoint: {host: h, port: 1}\n`,
    );
    problemAt(problems, file, 6, /unknown key '<<' .*YAML merge keys \('<<'\) are not supported/);
  });

  it('escapes control characters of hostile keys and values instead of printing them', async () => {
    const { problems } = await problemsOf(
      `${HEADER}metadata: {name: a}\ntargets:\n  - id: web\n    "ex\\e[31mpect": 1\n    endpoint: {host: h, port: "\\e]8;;x\\u202e"}\n`,
    );
    const text = problems.map((p) => p.message).join('\n');
    assert.equal(problems.length, 2);
    assert.ok(!text.includes('\u001b') && !text.includes('\u202e'), text);
    assert.match(text, /unknown key 'ex\\x1b\[31mpect'/);
  });
});
