// Runs CLI invocations one after another in this (child) process and prints, as one JSON line,
// each run's exit code, output and duration, then the process's peak memory (maxRSS). The hardening
// tests spawn it so that memory is measured for the runs alone, not for the whole test suite.
import { readFileSync } from 'node:fs';
import { runCli } from '../support/cli.js';

export interface ChildCase {
  name: string;
  args: string[];
  cwd?: string;
  env?: Record<string, string>;
}

export interface ChildResult {
  name: string;
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

const cases = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as ChildCase[];
const results: ChildResult[] = [];
for (const c of cases) {
  const started = performance.now();
  const r = await runCli(c.args, { cwd: c.cwd, env: c.env });
  results.push({ name: c.name, ...r, ms: Math.round(performance.now() - started) });
  // Each case is one user's run: collect its garbage before the next, so the peak is the largest
  // single case rather than 60 cases' garbage that a lazier collector (Node 24) leaves standing.
  (globalThis as { gc?: () => void }).gc?.();
}
const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
process.stdout.write(`${JSON.stringify({ results, maxRssMb })}\n`);
process.exit(0);
