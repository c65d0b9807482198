// `certwarden renew`: options -> renew -> one line per request on stdout.
import path from 'node:path';
import { gitHubAccess } from '../commands/github-access.js';
import { describeRenew, renew } from '../commands/renew.js';
import { ioLogger } from './io.js';
import { dirsOf, type CommandContext } from './options.js';

export async function run({ values, io }: CommandContext): Promise<number> {
  const gh = gitHubAccess(io.env);
  const dryRun = Boolean(values['dry-run']);
  const res = await renew({
    renewalsDir: path.resolve(io.cwd, String(values['renewals'] ?? 'renewals')),
    repoRoot: io.cwd,
    inventoryDirs: dirsOf(values['inventory'], 'inventory', io.cwd),
    policyDirs: dirsOf(values['policies'], 'policies', io.cwd),
    dryRun,
    ...(gh.token ? { token: gh.token } : {}),
    repo: gh.repo,
    ...(gh.apiUrl ? { apiUrl: gh.apiUrl } : {}),
    env: io.env,
    logger: ioLogger(io),
  });
  if (res.error !== null) {
    io.stderr(`error: ${res.error}\n`);
    return res.exitCode;
  }
  const lines = describeRenew(res.items).map((l) => (dryRun ? `  - ${l}` : l));
  io.stdout(`${dryRun ? 'renew (dry run):\n' : ''}${lines.join('\n')}\n`);
  return res.exitCode;
}
