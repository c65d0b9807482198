// Mode sync: the sync command (from a report input, or scanning first); what it did as outputs and
// in the job summary.
import { EXIT } from '../core/errors.js';
import { escapeMarkdown } from '../core/escape.js';
import { sync } from '../commands/sync.js';
import { gitHubAccess } from './github.js';
import {
  annotateFindings,
  countsOf,
  maskSecrets,
  pathOutputs,
  reportFiles,
  scanOptions,
  summaryOf,
} from './report.js';
import type { ModeFn } from './types.js';

export const syncMode: ModeFn = async (inputs, io) => {
  const gh = gitHubAccess(io);
  const res = await sync({
    ...(inputs.report ? { reportFile: inputs.report } : {}),
    scan: scanOptions(inputs, io),
    reports: reportFiles(inputs),
    onInventory: (inventory) => maskSecrets(inventory, io),
    repo: gh.repo,
    token: inputs.token ?? undefined,
    apiUrl: gh.apiUrl,
    runUrl: gh.runUrl,
    botLogin: inputs.botLogin ?? undefined,
    minSeverity: inputs.issuesMinSeverity,
    dryRun: inputs.dryRun,
    repoRoot: inputs.workspace,
    logger: io.logger,
  });
  const report = res.report;
  const lines = res.lines.map((l) => `- ${escapeMarkdown(l)}`).join('\n');
  const syncSummary = `### certwarden sync${inputs.dryRun ? ' (dry run)' : ''}\n\n${lines || '- nothing to do'}\n`;
  const failed = res.exitCode !== EXIT.clean;
  // A report handed in was annotated by the scan step that wrote it.
  const summary = res.scanned
    ? `${await summaryOf(report, gh.runUrl, io)}${annotateFindings(report, inputs, io, failed)}\n${syncSummary}`
    : syncSummary;
  return {
    outputs: {
      ...countsOf(report),
      ...pathOutputs(res.outputs),
      issues: (res.applied?.issues ?? []).join(','),
      'pull-requests': (res.applied?.pulls ?? []).join(','),
      'exit-code': String(res.exitCode),
    },
    summary,
    failure: !failed
      ? null
      : `sync ${res.exitCode === EXIT.config ? 'configuration error' : 'failed part way'}: ${res.error ?? ''}`,
  };
};
