// `certwarden sync`: options -> sync -> the plan (dry run) or what was done on stdout.
import path from 'node:path';
import { ConfigError, EXIT } from '../core/errors.js';
import { escapeLog } from '../core/escape.js';
import { gitHubAccess } from '../commands/github-access.js';
import { parseMinSeverity, sync } from '../commands/sync.js';
import { ioLogger, type CliIO } from './io.js';
import { dirsOf } from './options.js';

export async function runSyncCommand(values: Record<string, unknown>, io: CliIO): Promise<number> {
  const inventoryDirs = dirsOf(values['inventory'], 'inventory', io.cwd);
  const policyDirs = dirsOf(values['policies'], 'policies', io.cwd);
  const now = values['now'] !== undefined ? new Date(String(values['now'])) : undefined;
  if (now && Number.isNaN(now.getTime()))
    throw new ConfigError(
      `--now '${escapeLog(String(values['now']))}' is not a date; expected ISO-8601, e.g. 2026-12-01T00:00:00Z`,
    );
  const minSeverity = parseMinSeverity(values['issues-min-severity']);
  const gh = gitHubAccess(
    io.env,
    values['repo'] !== undefined ? { text: String(values['repo']), what: '--repo' } : undefined,
  );
  const log = ioLogger(io);
  const reportFile =
    values['report'] !== undefined ? path.resolve(io.cwd, String(values['report'])) : undefined;
  const dryRun = Boolean(values['dry-run']);
  const res = await sync({
    ...(reportFile !== undefined ? { reportFile } : {}),
    // A scan logs its warnings here; loading beside a report file stays quiet (as it always has).
    scan: {
      inventoryDirs,
      policyDirs,
      now,
      env: io.env,
      ...(reportFile === undefined ? { logger: log } : {}),
    },
    repo: gh.repo,
    token: gh.token,
    apiUrl: gh.apiUrl,
    runUrl: gh.runUrl,
    botLogin: values['bot-login'] as string | undefined,
    minSeverity,
    dryRun,
    now,
    repoRoot: io.cwd,
    logger: log,
  });
  if (res.exitCode === EXIT.config) throw new ConfigError(res.error ?? 'sync: invalid configuration');
  if (dryRun) io.stdout(`GitHub sync plan (dry run):\n${res.lines.map((l) => `  - ${l}`).join('\n')}\n`);
  else io.stdout(`${res.lines.join('\n')}\n`);
  if (res.error) io.stderr(`error: ${res.error}\n`);
  return res.exitCode;
}
