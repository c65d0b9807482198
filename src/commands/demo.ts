// `demo`: start the lab, scan it with the real pipeline, render the report and what GitHub sync would
// do (dry run), check that every planted fault was found, stop everything. Loopback only.
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Report } from '../core/model.js';
import type { LoadedInventory } from '../inventory/types.js';
import { runScan, type OutputFormat } from '../pipeline.js';
import { render } from '../report/index.js';
import { startLab, type Lab, type LabEndpoint } from '../demo/lab.js';
import type { LineSink } from './io.js';

/** Deadline per endpoint in the demo: short, so the tarpit is cut quickly. */
export const DEMO_TIMEOUT_MS = 2000;

export interface DemoOptions {
  format: OutputFormat;
  color: boolean;
  /** Keep the temporary folder. */
  keep: boolean;
  env: NodeJS.ProcessEnv;
  /** What the lab is doing, line by line, while it runs (the CLI's stderr). */
  onLine: LineSink;
}

export interface DemoResult {
  /** 0 when every planted fault was reported as expected, 3 otherwise. */
  exitCode: 0 | 3;
  report: Report;
  /** The report rendered in the format asked for. */
  text: string;
  /** What GitHub sync would do (text format only); null when not planned. */
  plan: string[] | null;
  /** Why the dry run was skipped; null when it ran or was not asked for. */
  planError: string | null;
  /** Planted faults not reported as expected; empty when the demo worked. */
  misses: string[];
  /** Planted situations: the endpoints and the trust bundle. */
  planted: number;
  /** The exit code a real scan of the lab would give. */
  scanExitCode: number;
  seconds: number;
  /** The lab's temporary folder (removed unless kept). */
  dir: string;
}

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

function describeLab(lab: Lab, onLine: LineSink): void {
  const width = Math.max(...lab.endpoints.map((e) => e.id.length));
  for (const e of lab.endpoints) onLine(`  ${e.id.padEnd(width)}  ${e.host}:${e.port}  ${e.expect}`);
  onLine(`  ${'demo-client-bundle'.padEnd(width)}  trust-bundle.pem  bundle.missing: lacks the issuing CA`);
  onLine(
    `inventory written to ${lab.inventoryDir}; scanning with a ${DEMO_TIMEOUT_MS} ms deadline per endpoint …`,
  );
  onLine('');
}

/** Runs the demo and stops everything it started, whatever happens. */
export async function demo(opts: DemoOptions): Promise<DemoResult> {
  const t0 = Date.now();
  opts.onLine('certwarden demo: building a PKI and starting TLS endpoints on 127.0.0.1 …');
  const lab = await startLab();
  try {
    describeLab(lab, opts.onLine);
    const { report, exitCode, loaded } = await runScan({
      inventoryDirs: [lab.inventoryDir],
      policyDirs: [],
      failOn: 'error',
      concurrency: 16,
      timeoutMs: DEMO_TIMEOUT_MS,
      env: opts.env,
    });
    const text = await render(opts.format, report, { color: opts.color });
    let plan: string[] | null = null;
    let planError: string | null = null;
    if (opts.format === 'text') {
      try {
        plan = await githubDryRun(lab, report, loaded.inventory);
      } catch (err) {
        planError = err instanceof Error ? err.message : String(err);
      }
    }
    const misses = checkLabReport(lab, report);
    return {
      exitCode: misses.length ? 3 : 0,
      report,
      text,
      plan,
      planError,
      misses,
      planted: lab.endpoints.length + 1,
      scanExitCode: exitCode,
      seconds: (Date.now() - t0) / 1000,
      dir: lab.dir,
    };
  } finally {
    await lab.stop();
    if (!opts.keep) await rm(lab.dir, { recursive: true, force: true });
  }
}
