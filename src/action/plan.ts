// Mode plan (pull requests): validate, then the plan command: targets added, removed and changed
// versus the base ref, with a live scan of the new and changed ones, as one sticky comment and the
// job summary.
import { plan } from '../commands/plan.js';
import { gitHubAccess } from './github.js';
import { scanOptions } from './report.js';
import type { ModeFn } from './types.js';
import { validateInputs } from './validate.js';

export const planMode: ModeFn = async (inputs, io) => {
  const checked = await validateInputs(inputs, io);
  const gh = gitHubAccess(io);
  const pullRequest = io.event.pullRequest;
  const res = await plan({
    scan: scanOptions(inputs, io),
    head: checked.valid?.loaded.inventory ?? null,
    problems: Number(checked.mode.outputs['problems']),
    workspace: inputs.workspace,
    baseRef: inputs.baseRef,
    scanChanged: inputs.scanChanged,
    comment:
      pullRequest && gh.repo && inputs.token && !inputs.dryRun
        ? {
            pullRequest,
            repo: gh.repo,
            token: inputs.token,
            ...(gh.apiUrl ? { apiUrl: gh.apiUrl } : {}),
            ...(inputs.botLogin ? { botLogin: inputs.botLogin } : {}),
          }
        : null,
    logger: io.logger,
  });
  const outputs: Record<string, string> = res.diff
    ? {
        problems: '0',
        added: res.diff.added.join(','),
        removed: res.diff.removed.join(','),
        changed: res.diff.changed.map((c) => c.id).join(','),
      }
    : { ...checked.mode.outputs };
  if (res.commentId !== null) outputs['comment-id'] = String(res.commentId);
  return { outputs, summary: res.body, failure: checked.mode.failure };
};
