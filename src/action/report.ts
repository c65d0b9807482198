// What the scanning modes share: the scan options from the inputs, masking the secrets the inventory
// names, the counts outputs, the job summary and one annotation per finding.
import path from 'node:path';
import type { Report } from '../core/model.js';
import { escapeLog } from '../core/escape.js';
import type { LoadedInventory } from '../inventory/types.js';
import type { ScanOptions } from '../pipeline.js';
import { toAnnotations, type Annotation } from '../report/annotations.js';
import { render } from '../report/index.js';
import type { RenderedReport, ReportOutput } from '../commands/report-output.js';
import { EXIT } from '../core/errors.js';
import type { Inputs } from './inputs.js';
import type { ActionIO, ModeResult } from './types.js';

export function scanOptions(inputs: Inputs, io: ActionIO, over: Partial<ScanOptions> = {}): ScanOptions {
  return {
    inventoryDirs: inputs.inventory,
    policyDirs: inputs.policies,
    now: inputs.now ?? undefined,
    failOn: inputs.failOn,
    concurrency: inputs.concurrency,
    timeoutMs: inputs.timeoutMs,
    offline: inputs.offline,
    zone: inputs.zone ?? undefined,
    logger: io.logger,
    env: io.env,
    ...over,
  };
}

/** Values the inventory names by environment variable (kubeconfigs, keystore passwords) are masked. */
export function maskSecrets(inv: LoadedInventory, io: ActionIO): void {
  const names = new Set<string>();
  for (const c of inv.clusters.values()) if (c.kubeconfig.env) names.add(c.kubeconfig.env);
  for (const t of inv.targets) {
    const s = t.source as { file?: { passwordEnv?: string }; kubernetes?: { passwordEnv?: string } };
    if (s.file?.passwordEnv) names.add(s.file.passwordEnv);
    if (s.kubernetes?.passwordEnv) names.add(s.kubernetes.passwordEnv);
  }
  for (const n of names) {
    const v = io.env[n];
    if (v) for (const line of [v, ...v.split('\n')]) if (line.trim().length >= 4) io.secret(line.trim());
  }
}

export function countsOf(report: Report): Record<string, string> {
  return {
    errors: String(report.summary.findings.error),
    warnings: String(report.summary.findings.warning),
    infos: String(report.summary.findings.info),
    waived: String(report.summary.waived),
    targets: String(report.summary.targets),
    certificates: String(report.summary.certificates),
  };
}

/** The JSON and SARIF files the inputs ask for (their folders are created). */
export function reportFiles(inputs: Inputs): ReportOutput[] {
  return [
    ...(inputs.json ? [{ format: 'json' as const, file: inputs.json, mkdir: true }] : []),
    ...(inputs.sarif ? [{ format: 'sarif' as const, file: inputs.sarif, mkdir: true }] : []),
  ];
}

/** The json-path and sarif-path outputs for the files written. */
export function pathOutputs(written: RenderedReport[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of written) if (r.file) out[`${r.format}-path`] = r.file;
  return out;
}

export async function summaryOf(report: Report, runUrl: string | undefined, io: ActionIO): Promise<string> {
  try {
    return await render('markdown', report, { runUrl });
  } catch (e) {
    io.logger.debug(`markdown reporter unavailable (${escapeLog(String(e))}); using text`);
    const text = await render('text', report, { color: false });
    return `### certwarden\n\n<pre>\n${text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</pre>\n`;
  }
}

/** GitHub shows at most this many annotations of each level per step (and 50 per job). */
const ANNOTATIONS_PER_LEVEL = 10;

/**
 * One annotation per open finding, most severe first, within GitHub's limits: 10 of each level per
 * step, one error fewer when the step fails (setFailed is an error annotation too). Locations outside
 * the workspace are left off (GitHub could not show them on a file). Returns the job summary's note
 * on the findings left unannotated, or '' when every one was annotated.
 */
export function annotateFindings(report: Report, inputs: Inputs, io: ActionIO, failing: boolean): string {
  const room: Record<Annotation['level'], number> = {
    error: ANNOTATIONS_PER_LEVEL - (failing ? 1 : 0),
    warning: ANNOTATIONS_PER_LEVEL,
    notice: ANNOTATIONS_PER_LEVEL,
  };
  let left = 0;
  for (const a of toAnnotations(report, { root: inputs.workspace, limit: Infinity })) {
    if (room[a.level] <= 0) {
      left++;
      continue;
    }
    room[a.level]--;
    const inWorkspace = a.file && !path.isAbsolute(a.file) && !a.file.startsWith('../');
    io.annotateFinding(inWorkspace ? a : { level: a.level, title: a.title, message: a.message });
  }
  return left
    ? `\n> [!NOTE]\n> ${left} finding(s) not annotated: GitHub shows at most ${ANNOTATIONS_PER_LEVEL} annotations of each level per step, so the most severe were annotated first. Every finding is listed in this summary and in the JSON and SARIF reports.\n`
    : '';
}

/** What scan and evaluate give the runner for a report: outputs, job summary, annotations, failure. */
export async function reportResult(
  report: Report,
  exitCode: number,
  written: RenderedReport[],
  inputs: Inputs,
  io: ActionIO,
): Promise<ModeResult> {
  const failure =
    exitCode === EXIT.findings
      ? `findings at or above fail-on '${inputs.failOn}': ${report.summary.findings.error} error(s), ${report.summary.findings.warning} warning(s)`
      : null;
  const note = annotateFindings(report, inputs, io, failure !== null);
  return {
    outputs: { ...countsOf(report), ...pathOutputs(written), 'exit-code': String(exitCode) },
    summary: (await summaryOf(report, io.event.runUrl ?? undefined, io)) + note,
    failure,
  };
}
