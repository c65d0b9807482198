// The project's CI and the example workflows users copy: every third-party action pinned by full
// commit SHA, least-privilege permissions per job, credentials and write access never in one job.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
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

type Job = {
  permissions?: Record<string, string> | string;
  steps?: { uses?: string; env?: Record<string, string> }[];
  env?: Record<string, string>;
};

describe('workflows', () => {
  it('there are the CI workflow and the three example workflows', () => {
    assert.deepEqual(files.sort(), [
      '.github/workflows/ci.yml',
      'docs/workflows/certwarden-pr.yml',
      'docs/workflows/certwarden-scheduled.yml',
      'docs/workflows/certwarden-zones.yml',
    ]);
  });

  for (const file of files) {
    const text = readFileSync(path.join(root, file), 'utf8');
    const wf = parse(text) as {
      on: Record<string, unknown>;
      permissions?: unknown;
      jobs: Record<string, Job>;
    };

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
  }

  it('the scheduled example scans and syncs in separate jobs, the sync job after the scan', () => {
    const wf = parse(readFileSync(path.join(root, 'docs/workflows/certwarden-scheduled.yml'), 'utf8')) as {
      jobs: Record<string, Job & { needs?: string }>;
    };
    assert.deepEqual(wf.jobs['scan']!.permissions, { contents: 'read' });
    assert.equal(wf.jobs['sync']!.needs, 'scan');
    assert.equal((wf.jobs['sync']!.permissions as Record<string, string>)['issues'], 'write');
  });

  it('action.yml runs on node24 from dist/action.js and declares exactly the inputs the action reads', () => {
    const action = parse(readFileSync(path.join(root, 'action.yml'), 'utf8')) as {
      runs: { using: string; main: string };
      inputs: Record<string, unknown>;
    };
    assert.equal(action.runs.using, 'node24');
    assert.equal(action.runs.main, 'dist/action.js');
    const read = new Set<string>();
    readInputs(
      (n) => {
        read.add(n);
        return '';
      },
      { GITHUB_WORKSPACE: root },
    );
    assert.deepEqual([...read].sort(), Object.keys(action.inputs).sort());
  });
});
