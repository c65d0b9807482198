// Mode renew: the renew command itself, so the step applies, records and fails exactly as
// `certwarden renew` does (exit 1: a request failed, 2: configuration, 3: GitHub or the cluster
// failed part way). Outputs and the job summary come from its result, request by request.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, EXIT } from '../core/errors.js';
import { escapeMarkdown } from '../core/escape.js';
import { validate } from '../commands/validate.js';
import { describeRenew, renew, type RenewCommandResult } from '../commands/renew.js';
import { gitHubAccess } from './github.js';
import { maskSecrets, scanOptions } from './report.js';
import type { Inputs } from './inputs.js';
import type { ModeFn, ModeResult } from './types.js';

function failureOf(res: RenewCommandResult): string | null {
  if (res.exitCode === EXIT.clean) return null;
  if (res.exitCode === EXIT.findings)
    return `${res.counts.failed} renewal request(s) failed (recorded${res.github ? ', and reported in a renewal.failed issue' : ' in the request file'})`;
  return 'renew stopped on a GitHub or cluster error; nothing was recorded for that request, and a re-run continues where it stopped';
}

/** The mode's outputs, summary and failure from the renew command's result. */
export function renewModeResult(inputs: Pick<Inputs, 'dryRun'>, res: RenewCommandResult): ModeResult {
  const items = describeRenew(res.items)
    .map((l) => `- ${escapeMarkdown(l)}`)
    .join('\n');
  return {
    outputs: {
      applied: String(res.counts.applied),
      failed: String(res.counts.failed),
      ...(inputs.dryRun ? { 'would-apply': String(res.counts['would-apply']) } : {}),
      'exit-code': String(res.exitCode),
    },
    summary: `### certwarden renew${inputs.dryRun ? ' (dry run)' : ''}\n\n${res.error === null ? items : '- nothing to do'}\n`,
    failure: failureOf(res),
  };
}

/** The policy packs that check issued certificates: the input, else the workspace's policies/ folder (as `certwarden renew`). */
function renewPolicyDirs(inputs: Inputs): string[] {
  if (inputs.policies.length) return inputs.policies;
  const dir = path.join(inputs.workspace, 'policies');
  return existsSync(dir) ? [dir] : [];
}

export const renewMode: ModeFn = async (inputs, io) => {
  // Best effort: mask the kubeconfigs the inventory names before anything can print them.
  await validate(scanOptions(inputs, io)).then(
    (v) => maskSecrets(v.loaded.inventory, io),
    () => undefined,
  );
  let res: RenewCommandResult;
  try {
    const gh = gitHubAccess(io);
    res = await renew({
      renewalsDir: inputs.renewals,
      repoRoot: inputs.workspace,
      inventoryDirs: inputs.inventory,
      policyDirs: renewPolicyDirs(inputs),
      dryRun: inputs.dryRun,
      // The token input, else GITHUB_TOKEN (as `certwarden renew` reads it).
      token: inputs.token ?? gh.token,
      repo: gh.repo,
      apiUrl: gh.apiUrl,
      env: io.env,
      logger: io.logger,
    });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    for (const p of e.problems) io.annotate(p);
    return {
      outputs: { applied: '0', failed: '0', 'exit-code': String(EXIT.config) },
      summary: null,
      failure: `renew: ${e.problems.length} configuration problem(s); see the annotations`,
    };
  }
  if (res.error !== null) io.logger.error(res.error);
  for (const l of res.error === null ? describeRenew(res.items) : [])
    io.logger.info(inputs.dryRun ? `  - ${l}` : l);
  return renewModeResult(inputs, res);
};
