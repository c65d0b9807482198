// One kind of pull request certwarden proposes (pin, bundle, renew, ...). Each kind is one module of
// this folder implementing PullKind and one line in index.ts; the planner (plan.ts), filesNeeded and
// the dry-run text reach a kind only through this interface.
import type { PlanIndex, SyncInput } from '../plan-input.js';
import type { FileChange, PullChange } from '../types.js';

/** What a kind reads to pick its work: enough to list the files it needs before any is read. */
export type PullScope = Pick<SyncInput, 'report' | 'inventory' | 'repoRoot'>;

/** What a kind reads to plan one PR. */
export interface PullContext {
  input: SyncInput;
  idx: PlanIndex;
  /** Repository files as on the base branch, by repository-relative path. */
  files: Record<string, string>;
}

/** A PR a kind proposes; the planner adds branch, title, labels, reviewers and the change key. */
export interface ProposedPull {
  op: 'propose';
  target: string;
  body: string;
  commitMessage: string;
  files: FileChange[];
  /** Owners asked to review (`@user`, `@org/team`). */
  owners: readonly string[];
  /**
   * What identifies the change besides kind, target and the paths it edits (the PR marker's key:
   * a PR closed unmerged with the same key is never proposed again).
   */
  key: unknown[];
}

/**
 * The outcome of planning one group: a PR to propose, a reason it is not proposed (shown in the
 * plan as `skip <noun> PR for <target>: <reason>`), or null when there is nothing to change.
 */
export type PlannedPull = ProposedPull | { op: 'skip'; target: string; reason: string } | null;

export interface PullKind<G = unknown> {
  /** Recorded in the PR marker and the branch name `certwarden/<kind>/<target>`. */
  readonly kind: string;
  /** How the plan names one of its PRs: `<noun> PR for <target>`. */
  readonly noun: string;
  /** The finding checks it acts on. */
  readonly checks: readonly string[];
  /** The PR title for a target (escaped for a title). */
  title(target: string): string;
  /** The findings it takes, grouped one group per PR, in report order. */
  groups(scope: PullScope): G[];
  /** The repository file a group's PR edits (read from the base branch), or null when outside it. */
  file(group: G, scope: PullScope): string | null;
  /** The PR for one group. */
  plan(group: G, ctx: PullContext): PlannedPull;
  /** Whether this run saw enough to tell that an open PR of this kind for `target` is no longer needed. */
  covers(target: string, ctx: PullContext): boolean;
  /** Words the dry-run plan adds after `open PR "<title>" on <branch>`. */
  planNote?(change: PullChange): string;
}
