// The workflow event as the action reads it through @actions/github's context, and the renew mode's
// outputs built from the renew command's structured result.
import assert from 'node:assert/strict';
import path from 'node:path';
import { readEvent, type EventContext } from '../../src/action/event.js';
import { readInputs } from '../../src/action/inputs.js';
import { renewModeResult } from '../../src/action/renew.js';
import { countRenewItems, type RenewCommandResult, type RenewItem } from '../../src/commands/renew.js';

function ctx(payload: EventContext['payload'], repository: string | null, runId = Number.NaN): EventContext {
  return {
    payload,
    get repo() {
      if (!repository)
        throw new Error("context.repo requires a GITHUB_REPOSITORY environment variable like 'owner/repo'");
      const [owner, repo] = repository.split('/');
      return { owner: owner as string, repo: repo as string };
    },
    serverUrl: 'https://github.example',
    runId,
  };
}

describe('the workflow event', () => {
  it('gives the pull request number, its base branch, the repository and the run link', () => {
    const e = readEvent(ctx({ pull_request: { number: 12, base: { ref: 'release/1.x' } } }, 'acme/pki', 77));
    assert.deepEqual(e, {
      pullRequest: 12,
      baseBranch: 'release/1.x',
      repository: 'acme/pki',
      runUrl: 'https://github.example/acme/pki/actions/runs/77',
    });
  });

  it('outside a pull request and a repository has none of them', () => {
    assert.deepEqual(readEvent(ctx({}, null)), {
      pullRequest: null,
      baseBranch: null,
      repository: null,
      runUrl: null,
    });
  });

  it("makes the pull request's base branch the plan's default base, before GITHUB_BASE_REF and after the input", () => {
    const ws = path.resolve('/work/space');
    const read = (inputs: Record<string, string>, baseBranch: string | null) =>
      readInputs((n) => inputs[n] ?? '', { GITHUB_WORKSPACE: ws, GITHUB_BASE_REF: 'main' }, { baseBranch })
        .baseRef;
    assert.equal(read({}, 'release/1.x'), 'origin/release/1.x');
    assert.equal(read({}, null), 'origin/main');
    assert.equal(read({ 'base-ref': 'v2' }, 'release/1.x'), 'v2');
    assert.throws(() => read({}, '--upload-pack=x'), { name: 'InputError', message: /Invalid base-ref/ });
  });
});

describe("the renew mode's outputs", () => {
  const item = (file: string, result: RenewItem['result'], message = ''): RenewItem => ({
    file,
    target: 'webhook',
    id: 'c0ffee0123456789abcd',
    result,
    message,
  });
  const result = (
    exitCode: RenewCommandResult['exitCode'],
    items: RenewItem[],
    extra: Partial<RenewCommandResult> = {},
  ): RenewCommandResult => ({
    exitCode,
    items,
    counts: countRenewItems(items),
    github: false,
    error: null,
    ...extra,
  });

  it('counts each result and lists every request in the summary', () => {
    const r = renewModeResult(
      { dryRun: false },
      result(1, [
        item('renewals/a.yaml', 'applied', 'written to Secret webhooks/a'),
        item('renewals/b.yaml', 'failed', 'signer quota exhausted'),
        item('renewals/c.yaml', 'skipped', 'already applied'),
      ]),
    );
    assert.deepEqual(r.outputs, { applied: '1', failed: '1', 'exit-code': '1' });
    assert.equal(
      r.summary,
      '### certwarden renew\n\n- renewals/a.yaml: applied — written to Secret webhooks/a\n- renewals/b.yaml: failed — signer quota exhausted\n- renewals/c.yaml: skipped — already applied\n',
    );
    assert.equal(r.failure, '1 renewal request(s) failed (recorded in the request file)');
  });

  it('says a failure was reported in an issue when GitHub was used', () => {
    const r = renewModeResult(
      { dryRun: false },
      result(1, [item('renewals/b.yaml', 'failed', 'denied')], { github: true }),
    );
    assert.equal(r.failure, '1 renewal request(s) failed (recorded, and reported in a renewal.failed issue)');
  });

  it('after a GitHub or cluster error counts nothing and says a re-run continues', () => {
    const r = renewModeResult({ dryRun: true }, result(3, [], { error: 'GET /user: 401' }));
    assert.deepEqual(r.outputs, { applied: '0', failed: '0', 'would-apply': '0', 'exit-code': '3' });
    assert.equal(r.summary, '### certwarden renew (dry run)\n\n- nothing to do\n');
    assert.match(
      r.failure ?? '',
      /^renew stopped on a GitHub or cluster error; .* a re-run continues where it stopped$/,
    );
  });
});
