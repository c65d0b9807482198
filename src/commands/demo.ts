// `certwarden demo`: start the lab, scan it with the real pipeline, print the report and what GitHub
// sync would do (dry run), check that every planted fault was found, stop everything. Loopback only.
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { CliIO } from '../cli/main.js';
import type { Report } from '../core/model.js';
import type { LoadedInventory } from '../inventory/types.js';
import { runScan, type OutputFormat } from '../pipeline.js';
import { render } from '../report/index.js';
import { safeText } from '../core/text.js';
import { startLab, type Lab, type LabEndpoint } from '../demo/lab.js';

export interface DemoIO extends CliIO {
  format?: string;
  /** Keep the temporary folder (its path is printed). */
  keep?: boolean;
}

/** Deadline per endpoint in the demo: short, so the tarpit is cut quickly. */
export const DEMO_TIMEOUT_MS = 2000;

/** The finding checks that show each planted fault was seen. */
const FAULT_CHECKS: Record<LabEndpoint['fault'], (checks: string[]) => boolean> = {
  healthy: (c) => c.length === 0,
  expired: (c) => c.includes('expiry'),
  'expiring-soon': (c) => c.includes('expiry'),
  'missing-intermediate': (c) => c.includes('chain.incomplete'),
  'wrong-name': (c) => c.includes('expect.dnsNames') || c.includes('san'),
  'untrusted-root': (c) => c.includes('chain.untrusted') || c.includes('expect.chainTo'),
  tarpit: (c) => c.includes('source.unreachable'),
};

/** Which planted faults the report shows as expected; the list of misses is empty when the demo worked. */
export function checkLabReport(lab: Pick<Lab, 'endpoints'>, report: Report): string[] {
  const misses: string[] = [];
  for (const e of lab.endpoints) {
    const checks = report.findings.filter((f) => f.target === e.id && !f.waived).map((f) => f.check);
    if (!FAULT_CHECKS[e.fault](checks))
      misses.push(`${e.id}: expected ${e.expect}, got ${checks.length ? checks.join(', ') : 'no findings'}`);
  }
  const bundle = report.findings.filter((f) => f.target === 'demo-client-bundle').map((f) => f.check);
  if (!bundle.includes('bundle.missing'))
    misses.push(`demo-client-bundle: expected bundle.missing, got ${bundle.join(', ') || 'no findings'}`);
  return misses;
}

async function githubDryRun(lab: Lab, report: Report, inventory: LoadedInventory): Promise<string[]> {
  const { planSync, describePlan, filesNeeded } = await import('../github/plan.js');
  const { EMPTY_STATE } = await import('../github/types.js');
  const input = {
    report,
    inventory,
    existing: EMPTY_STATE,
    botLogin: 'certwarden-demo[bot]',
    minSeverity: 'warning' as const,
    now: new Date(report.evaluatedAt),
    repoRoot: lab.inventoryDir,
  };
  const files: Record<string, string> = {};
  for (const f of filesNeeded(input)) {
    try {
      files[f] = await readFile(path.join(lab.inventoryDir, f), 'utf8');
    } catch {
      // a file outside the lab folder: the plan says it skips that change
    }
  }
  return describePlan(planSync({ ...input, files }));
}

/** Runs the demo; returns 0 when every planted fault was reported as expected, 3 otherwise. */
export async function runDemo(io: DemoIO): Promise<number> {
  const t0 = Date.now();
  const format = (io.format ?? 'text') as OutputFormat;
  io.stderr('certwarden demo: building a PKI and starting TLS endpoints on 127.0.0.1 …\n');
  const lab = await startLab();
  let code = 0;
  try {
    const width = Math.max(...lab.endpoints.map((e) => e.id.length));
    for (const e of lab.endpoints) io.stderr(`  ${e.id.padEnd(width)}  ${e.host}:${e.port}  ${e.expect}\n`);
    io.stderr(
      `  ${'demo-client-bundle'.padEnd(width)}  trust-bundle.pem  bundle.missing: lacks the issuing CA\n`,
    );
    io.stderr(
      `inventory written to ${lab.inventoryDir}; scanning with a ${DEMO_TIMEOUT_MS} ms deadline per endpoint …\n\n`,
    );
    const { report, exitCode, loaded } = await runScan({
      inventoryDirs: [lab.inventoryDir],
      policyDirs: [],
      format,
      failOn: 'error',
      concurrency: 16,
      timeoutMs: DEMO_TIMEOUT_MS,
      env: io.env,
    });
    io.stdout(await render(format, report, { color: io.stdoutIsTTY }));
    if (format === 'text') {
      try {
        const plan = await githubDryRun(lab, report, loaded.inventory);
        io.stdout(`\nGitHub sync (dry run) would:\n${plan.map((l) => `  - ${safeText(l)}`).join('\n')}\n`);
      } catch (err) {
        io.stderr(
          `(GitHub dry run skipped: ${safeText(err instanceof Error ? err.message : String(err))})\n`,
        );
      }
    }
    const misses = checkLabReport(lab, report);
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    if (misses.length) {
      code = 3;
      io.stderr(
        `\ndemo: ${misses.length} planted fault(s) not reported as expected:\n${misses.map((m) => `  - ${safeText(m)}`).join('\n')}\n`,
      );
    } else {
      io.stderr(
        `\ndemo: all ${lab.endpoints.length + 1} planted situations were reported as expected in ${secs} s (a real scan would exit ${exitCode}).\n`,
      );
    }
  } finally {
    await lab.stop();
    if (io.keep) io.stderr(`lab files kept in ${lab.dir}\n`);
    else await rm(lab.dir, { recursive: true, force: true });
  }
  return code;
}
