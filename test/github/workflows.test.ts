// The project's CI and the example workflows users copy: every third-party action pinned by full
// commit SHA, least-privilege permissions per job, credentials and write access never in one job.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { readInputs } from '../../src/action/inputs.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const files = ['.github/workflows', 'docs/workflows'].flatMap((d) =>
  readdirSync(path.join(root, d))
    .filter((f) => f.endsWith('.yml'))
    .map((f) => path.join(d, f)),
);

type Step = { uses?: string; env?: Record<string, string>; with?: Record<string, string> };
type Job = {
  permissions?: Record<string, string> | string;
  steps?: Step[];
  env?: Record<string, string>;
  needs?: string | string[];
};
type Workflow = { on: Record<string, unknown>; permissions?: unknown; jobs: Record<string, Job> };

const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const workflow = (file: string) => parse(read(file)) as Workflow;
const action = parse(read('action.yml')) as {
  runs: { using: string; main: string };
  inputs: Record<string, { default?: string }>;
};
/** A certwarden step: this repository (`./`) or the release users pin. */
const isCertwarden = (s: Step) => s.uses === './' || /^certwarden\/certwarden@/.test(s.uses ?? '');
const certwardenSteps = (wf: Workflow) =>
  Object.values(wf.jobs).flatMap((j) => (j.steps ?? []).filter(isCertwarden));

describe('workflows', () => {
  it("there are the CI and image workflows, the repository's own certwarden workflows and the three example workflows", () => {
    assert.deepEqual(files.sort(), [
      '.github/workflows/certwarden-pr.yml',
      '.github/workflows/certwarden-scheduled.yml',
      '.github/workflows/ci.yml',
      '.github/workflows/image.yml',
      'docs/workflows/certwarden-pr.yml',
      'docs/workflows/certwarden-scheduled.yml',
      'docs/workflows/certwarden-zones.yml',
    ]);
  });

  for (const file of files) {
    const text = read(file);
    const wf = workflow(file);

    it(`${file}: every third-party action is pinned by a full commit SHA with its version noted`, () => {
      const uses = text.split('\n').filter((l) => /^\s*-?\s*uses:/.test(l));
      assert.ok(uses.length > 0);
      for (const line of uses) {
        const ref = /uses:\s*(\S+)/.exec(line)![1]!;
        if (ref === './' || ref === 'certwarden/certwarden@RELEASE_SHA') continue;
        assert.match(ref, /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/, line);
        assert.match(line, /# v\d+\.\d+\.\d+/, `version comment on: ${line}`);
      }
    });

    it(`${file}: read-only by default, and every job states its own permissions`, () => {
      assert.deepEqual(wf.permissions, { contents: 'read' });
      for (const [name, job] of Object.entries(wf.jobs))
        assert.ok(job.permissions && typeof job.permissions === 'object', `job ${name} has permissions`);
    });

    it(`${file}: jobs that hold secrets (cluster credentials) run in a protected environment`, () => {
      for (const [name, job] of Object.entries(wf.jobs)) {
        if (!JSON.stringify(job).includes('secrets.')) continue;
        assert.ok(
          typeof (job as { environment?: unknown }).environment === 'string',
          `job ${name} holds secrets but names no environment`,
        );
      }
    });

    it(`${file}: a job that uploads SARIF may read the run (actions: read) and write security events`, () => {
      for (const [name, job] of Object.entries(wf.jobs)) {
        if (!(job.steps ?? []).some((st) => /codeql-action\/upload-sarif@/.test(st.uses ?? ''))) continue;
        const p = job.permissions as Record<string, string>;
        assert.equal(p['actions'], 'read', `job ${name}`);
        assert.equal(p['security-events'], 'write', `job ${name}`);
      }
    });

    it(`${file}: never runs on pull_request_target`, () => {
      assert.ok(!('pull_request_target' in wf.on));
    });

    it(`${file}: no job holds both secrets and write permissions`, () => {
      for (const [name, job] of Object.entries(wf.jobs)) {
        const writes = Object.entries(job.permissions as Record<string, string>)
          .filter(([, v]) => v === 'write')
          .map(([k]) => k);
        const secrets = JSON.stringify(job).includes('secrets.');
        assert.ok(!(secrets && writes.length), `job ${name} holds secrets and ${writes.join(', ')} write`);
      }
    });

    it(`${file}: every certwarden step passes only inputs action.yml declares, with values the action accepts`, () => {
      const steps = certwardenSteps(wf);
      // The image workflow builds the container the CronJob runs; it does not run the action.
      assert.ok(steps.length > 0 || file === '.github/workflows/image.yml', 'the workflow runs certwarden');
      for (const step of steps) {
        const given = step.with ?? {};
        for (const name of Object.keys(given))
          assert.ok(name in action.inputs, `input '${name}' of ${step.uses} is declared in action.yml`);
        const inputs = readInputs(
          (n) => {
            const v = given[n] ?? action.inputs[n]?.default ?? '';
            return /\$\{\{/.test(v) ? 'from-an-expression' : String(v);
          },
          { GITHUB_WORKSPACE: root },
        );
        for (const dir of inputs.inventory)
          assert.ok(existsSync(dir) || step.uses !== './', `inventory ${dir} exists in this repository`);
      }
    });
  }

  it('every job that runs the action from this repository (uses: ./) checks it out first', () => {
    let local = 0;
    for (const file of files)
      for (const [name, job] of Object.entries(workflow(file).jobs)) {
        const steps = job.steps ?? [];
        const first = steps.findIndex((s) => s.uses === './');
        const checkout = steps.findIndex((s) => /^actions\/checkout@/.test(s.uses ?? ''));
        if (first < 0) continue;
        local++;
        assert.ok(checkout >= 0 && checkout < first, `${file}: job ${name} checks out before uses: ./`);
      }
    assert.ok(local >= 4, `${local} jobs run the action from this repository`);
  });

  it('every third-party action has one pinned SHA across all workflows (no SHA of its own in a new file)', () => {
    const shas = new Map<string, Set<string>>();
    for (const file of files)
      for (const m of read(file).matchAll(/uses:\s*([\w.-]+\/[\w./-]+)@([0-9a-f]{40})/g))
        shas.set(m[1]!, (shas.get(m[1]!) ?? new Set()).add(m[2]!));
    assert.ok(shas.size >= 4);
    for (const [action, set] of shas)
      assert.equal(set.size, 1, `${action} is pinned to ${[...set].join(' and ')}`);
  });

  it("the repository's PR workflow validates and plans its example inventory with ./ on pull_request, writing only its comment", () => {
    const wf = workflow('.github/workflows/certwarden-pr.yml');
    assert.deepEqual(Object.keys(wf.on), ['pull_request']);
    assert.deepEqual((wf.on['pull_request'] as { paths: string[] }).paths, ['inventory/**', 'policies/**']);
    const steps = certwardenSteps(wf);
    assert.deepEqual(
      steps.map((s) => [s.uses, s.with?.['mode'], s.with?.['inventory']]),
      [
        ['./', 'validate', 'inventory/example'],
        ['./', 'plan', 'inventory/example'],
      ],
    );
    assert.deepEqual(wf.jobs['validate']!.permissions, { contents: 'read' });
    assert.deepEqual(wf.jobs['plan']!.permissions, { contents: 'read', 'pull-requests': 'write' });
    assert.ok(!read('.github/workflows/certwarden-pr.yml').includes('secrets.'));
  });

  it("the repository's scheduled workflow scans to SARIF, uploads it to code scanning, and syncs only as a dry run with read permissions", () => {
    const wf = workflow('.github/workflows/certwarden-scheduled.yml');
    assert.ok('schedule' in wf.on);
    const scan = wf.jobs['scan']!.steps!.find((s) => s.with?.['mode'] === 'scan')!;
    assert.equal(scan.uses, './');
    assert.equal(scan.with!['inventory'], 'inventory/example');
    const upload = wf.jobs['code-scanning']!.steps!.find((s) =>
      /codeql-action\/upload-sarif@/.test(s.uses ?? ''),
    )!;
    assert.equal(
      upload.with!['sarif_file'],
      scan.with!['sarif'],
      'the SARIF the scan writes is the one uploaded',
    );
    assert.equal(wf.jobs['code-scanning']!.needs, 'scan');
    assert.equal(
      (wf.jobs['code-scanning']!.permissions as Record<string, string>)['security-events'],
      'write',
    );
    const sync = wf.jobs['sync']!.steps!.find((s) => s.with?.['mode'] === 'sync')!;
    assert.equal(sync.uses, './');
    assert.equal(sync.with!['dry-run'], 'true', 'the example inventory never opens real issues');
    assert.equal(sync.with!['report'], scan.with!['json']);
    assert.deepEqual(
      Object.values(wf.jobs['sync']!.permissions as Record<string, string>).filter((v) => v !== 'read'),
      [],
      'a dry run needs no write permission',
    );
  });

  it('the scheduled example scans and syncs in separate jobs, the sync job after the scan', () => {
    const wf = workflow('docs/workflows/certwarden-scheduled.yml');
    assert.deepEqual(wf.jobs['scan']!.permissions, { contents: 'read' });
    assert.equal(wf.jobs['sync']!.needs, 'scan');
    assert.equal((wf.jobs['sync']!.permissions as Record<string, string>)['issues'], 'write');
  });

  it('action.yml runs on node24 from dist/action.js and declares exactly the inputs the action reads', () => {
    assert.equal(action.runs.using, 'node24');
    assert.equal(action.runs.main, 'dist/action.js');
    const names = new Set<string>();
    readInputs(
      (n) => {
        names.add(n);
        return '';
      },
      { GITHUB_WORKSPACE: root },
    );
    assert.deepEqual([...names].sort(), Object.keys(action.inputs).sort());
  });
});
