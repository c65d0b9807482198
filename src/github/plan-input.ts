// What sync planning reads (the report, the inventory, what exists on GitHub, repository files) and
// the lookups shared by the issue, dashboard and pull-request planners. Pure: no network, no filesystem.
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Finding, Report, ReportCertificate, ReportTarget, Severity } from '../core/model.js';
import type { LoadedInventory, Target } from '../inventory/types.js';
import type { PolicySet } from '../policy/types.js';
import type { ExistingState } from './types.js';

export interface SyncInput {
  report: Report;
  inventory?: LoadedInventory;
  existing: ExistingState;
  botLogin: string;
  /** Findings below this severity get no issue (default warning). */
  minSeverity: Severity;
  now: Date;
  /** Repository files the PRs edit, by repository-relative path, as they are on the base branch. */
  files?: Record<string, string>;
  /** Folder that repository-relative paths are relative to (absolute inventory paths are made relative). */
  repoRoot?: string;
  baseBranch?: string;
  /** Link to the run's job summary, for folded dashboard groups. */
  runUrl?: string;
  /**
   * At most this many new issues per run (errors first). GitHub allows about 500 content-creating
   * requests an hour; the rest are opened by the next runs. Default: no limit.
   */
  maxCreates?: number;
  /** Loaded policy packs: the key type and size of renewal requests follow their `key` rules. */
  policies?: PolicySet;
}

/** The report and inventory indexed once per plan. */
export interface PlanIndex {
  targets: Map<string, ReportTarget>;
  certs: Map<string, ReportCertificate>;
  invTargets: Map<string, Target>;
  /** Findings that are not waived, by target. */
  findingsByTarget: Map<string, Finding[]>;
}

export function indexInput(input: SyncInput): PlanIndex {
  const targets = new Map(input.report.targets.map((t) => [t.id, t]));
  const certs = new Map<string, ReportCertificate>();
  for (const t of input.report.targets)
    for (const c of t.certificates) if (!certs.has(c.sha256)) certs.set(c.sha256, c);
  const invTargets = new Map((input.inventory?.targets ?? []).map((t) => [t.id, t]));
  const findingsByTarget = new Map<string, Finding[]>();
  for (const f of input.report.findings) {
    if (f.waived) continue;
    const list = findingsByTarget.get(f.target) ?? [];
    list.push(f);
    findingsByTarget.set(f.target, list);
  }
  return { targets, certs, invTargets, findingsByTarget };
}

/** Owners of a target: the report's, else the inventory target's, else its inventory document's. */
export function ownersOf(target: string, idx: PlanIndex, input: SyncInput): string[] {
  const rt = idx.targets.get(target);
  if (rt?.owners?.length) return rt.owners;
  const it = idx.invTargets.get(target);
  if (it?.owners.length) return it.owners;
  const inv = input.inventory?.inventories.find((d) => d.name === it?.inventory);
  return inv?.owners ?? [];
}

/** Parses inventory owners: `@user` -> user, `@org/team` -> team. Anything else is ignored. */
export function parseOwners(owners: readonly string[]): {
  users: string[];
  teams: { org: string; slug: string }[];
} {
  const users: string[] = [];
  const teams: { org: string; slug: string }[] = [];
  for (const o of owners) {
    const m = /^@?([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))(?:\/([A-Za-z0-9._-]{1,100}))?$/.exec(o.trim());
    if (!m) continue;
    if (m[2]) teams.push({ org: m[1] as string, slug: m[2] });
    else users.push(m[1] as string);
  }
  return { users: [...new Set(users)], teams };
}

/** Repository-relative POSIX path, or null when the file lies outside the repository. */
export function repoPath(file: string, repoRoot = '.'): string | null {
  const rel = path.isAbsolute(file) ? path.relative(path.resolve(repoRoot), file) : path.normalize(file);
  const posix = rel.split(path.sep).join('/');
  if (!posix || posix.startsWith('../') || posix === '..' || path.isAbsolute(posix)) return null;
  return posix.replace(/^\.\//, '');
}

/** A fixed branch name `certwarden/<kind>/<target>`, with characters git refuses replaced. */
export function branchName(kind: string, target: string): string {
  // git check-ref-format: no component may start with '.' or end with '.lock'; no '..', spaces, ~^:?*[\
  const parts = target
    .replace(/[^A-Za-z0-9._/-]/g, '-')
    .split('/')
    .map((c) =>
      c
        .replace(/\.{2,}/g, '.')
        .replace(/^[.-]+/, '')
        .replace(/\.lock$/, '-lock')
        .replace(/\.$/, ''),
    )
    .filter(Boolean);
  return `certwarden/${kind}/${parts.join('/') || 'target'}`;
}

/** Content hash of a proposed change (the PR marker's key). */
export function changeKey(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}
