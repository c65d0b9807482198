// pin: the live certificate of a target changed (`pin.drift`) and the new one passes every other
// check, so the PR moves `expect.sha256` in the target's inventory file. One PR per drift finding.
import type { Finding, ReportCertificate } from '../../core/model.js';
import { SEVERITY_RANK } from '../../core/model.js';
import { escapeMarkdown as md, escapeTitle } from '../../core/escape.js';
import type { Target } from '../../inventory/types.js';
import { editPin } from '../edits.js';
import { ownersOf, repoPath } from '../plan-input.js';
import { certLines, clampBody } from '../render.js';
import type { PullKind } from './kind.js';

const CHECK = 'pin.drift';

interface PinGroup {
  finding: Finding;
  invTarget: Target | undefined;
  /** The inventory file the report names for the target (when the inventory is not loaded). */
  reportFile: string | undefined;
}

function pinPrBody(
  target: string,
  file: string,
  oldPin: string | null,
  cert: ReportCertificate | undefined,
  sha256: string,
): string {
  return clampBody(
    [
      `The live certificate of target **${md(target)}** changed and the new one passes every check, so this PR moves the pin in ${md(file)}.`,
      '',
      '| | |',
      '|---|---|',
      `| Old pin | ${oldPin ? md(oldPin) : '—'} |`,
      `| New pin | ${md(sha256)} |`,
      ...(cert ? certLines(cert) : []),
      '',
      'Review the new certificate before merging: merging accepts it as the expected one.',
    ].join('\n'),
  );
}

function pinFile(g: PinGroup, repoRoot: string | undefined): string | null {
  return repoPath(g.invTarget?.location.file ?? g.reportFile ?? '', repoRoot);
}

export const pin: PullKind<PinGroup> = {
  kind: 'pin',
  noun: 'pin',
  checks: [CHECK],
  title: (target) => escapeTitle(`certwarden: update the pin of ${target}`),

  groups(scope) {
    const invTargets = new Map((scope.inventory?.targets ?? []).map((t) => [t.id, t]));
    const files = new Map(scope.report.targets.map((t) => [t.id, t.inventory.file]));
    return scope.report.findings
      .filter((f) => f.check === CHECK && !f.waived)
      .map((finding) => ({
        finding,
        invTarget: invTargets.get(finding.target),
        reportFile: files.get(finding.target),
      }));
  },

  file: (g, scope) => pinFile(g, scope.repoRoot),

  plan(g, ctx) {
    const f = g.finding;
    const sha = String(
      (f.remediation?.['sha256'] as string | undefined) ?? f.certificate ?? '',
    ).toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(sha)) return null;
    const others = (ctx.idx.findingsByTarget.get(f.target) ?? []).filter(
      (o) => o.check !== CHECK && SEVERITY_RANK[o.severity] >= SEVERITY_RANK.warning,
    );
    if (others.length)
      return {
        op: 'skip',
        target: f.target,
        reason: `the new certificate has other findings (${[...new Set(others.map((o) => o.check))].join(', ')})`,
      };
    if (g.invTarget?.expandedFrom) return null;
    const file = pinFile(g, ctx.input.repoRoot);
    const text = file === null ? undefined : ctx.files[file];
    if (file === null || text === undefined)
      return {
        op: 'skip',
        target: f.target,
        reason: `inventory file ${file ?? '(outside the repository)'} not available`,
      };
    const edited = editPin(text, f.target, sha);
    if (edited === null || edited === text) return null; // no diff, no PR
    return {
      op: 'propose',
      target: f.target,
      body: pinPrBody(f.target, file, g.invTarget?.expect?.sha256 ?? null, ctx.idx.certs.get(sha), sha),
      commitMessage: `certwarden: pin ${f.target} to ${sha.slice(0, 16)}`,
      files: [{ path: file, content: edited }],
      owners: ownersOf(f.target, ctx.idx, ctx.input),
      key: [sha],
    };
  },

  // Whether a pin is still wanted is known only for targets this run scanned.
  covers: (target, ctx) => ctx.idx.targets.has(target),
};
