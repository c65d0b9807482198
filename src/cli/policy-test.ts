// `certwarden test [DIR…]`: policy unit tests; the listing on stdout as it runs.
import path from 'node:path';
import { policyTests } from '../commands/test.js';
import type { CommandContext } from './options.js';

export async function run({ positionals, io }: CommandContext): Promise<number> {
  const dirs = (positionals.length ? positionals : ['policies']).map((d) => path.resolve(io.cwd, d));
  const res = await policyTests({ dirs, onLine: (line) => io.stdout(line + '\n') });
  return res.exitCode;
}
