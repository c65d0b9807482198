// Plain data for GitHub sync: what exists on GitHub (read by state.ts), and the plan (made by
// plan.ts, applied by apply.ts, printed by `sync --dry-run`).
import type { ClosedReason, PrMarker } from './markers.js';

export interface RepoRef {
  owner: string;
  repo: string;
}

/** A certwarden issue authored by the bot (others are never read into the state). */
export interface ExistingIssue {
  number: number;
  title: string;
  body: string;
  labels: string[];
  assignees: string[];
  /** The finding id from the hidden marker; null for the dashboard. */
  findingId: string | null;
  /** The target named in the body's target marker, when present. */
  target: string | null;
  dashboard: boolean;
  /** Closed issues only (ExistingState.closed): why certwarden closed it, null when someone else did. */
  closedBy?: ClosedReason | null;
}

/** A certwarden pull request authored by the bot. */
export interface ExistingPull {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  merged: boolean;
  /** Head branch and commit; known for open PRs (from the pulls list), null for closed ones. */
  branch: string | null;
  headSha: string | null;
  labels: string[];
  marker: PrMarker;
}

export interface ExistingState {
  issues: ExistingIssue[];
  pulls: ExistingPull[];
  /** Names of the labels that exist in the repository. */
  labels: string[];
  /**
   * Closed bot-authored finding issues, read only for findings that have no open issue (recently
   * updated first, within a bounded window): such an issue is reopened rather than a new one opened.
   */
  closed?: ExistingIssue[];
}

export const EMPTY_STATE: ExistingState = { issues: [], pulls: [], labels: [] };

export interface LabelSpec {
  name: string;
  color: string;
  description: string;
}

export interface FileChange {
  path: string; // repository-relative, POSIX separators
  content: string;
}

export type IssueAction =
  | {
      op: 'create-issue';
      findingId: string;
      title: string;
      body: string;
      labels: string[];
      assignees: string[];
    }
  | {
      op: 'update-issue';
      number: number;
      findingId: string;
      title: string;
      body: string;
      labels: string[];
      /** What differs: 'title', 'body', 'labels'. */
      changes: string[];
    }
  | {
      op: 'close-issue';
      number: number;
      findingId: string;
      reason: ClosedReason;
      comment: string;
      /** The issue's body with the closed-by marker, written with the close. */
      body: string;
    }
  | {
      op: 'reopen-issue';
      number: number;
      findingId: string;
      /** 'closed-by-human': closed while the finding persisted; 'back': certwarden closed it and it returned. */
      reason: 'closed-by-human' | 'back';
      title: string;
      body: string;
      labels: string[];
      comment: string;
    };

export type DashboardAction =
  | { op: 'create-dashboard'; title: string; body: string; labels: string[] }
  | { op: 'update-dashboard'; number: number; title: string; body: string }
  | { op: 'none'; number: number };

export interface PullChange {
  /** A kind of the pulls registry (pulls/index.ts): pin, bundle, renew. */
  kind: string;
  target: string;
  branch: string;
  key: string;
  title: string;
  body: string;
  labels: string[];
  reviewers: string[];
  teamReviewers: string[];
  commitMessage: string;
  files: FileChange[];
}

export type PullAction =
  | ({ op: 'create-pr'; base: string; knownHeads: string[] } & PullChange)
  | ({ op: 'update-pr'; number: number; base: string; pushCommit: boolean; changes: string[] } & PullChange)
  | {
      op: 'close-pr';
      number: number;
      branch: string;
      kind: string;
      target: string;
      comment: string;
      body: string;
    };

export interface Skipped {
  what: string;
  reason: string;
}

/** Everything sync will do, as data. Applying an empty plan makes no request that writes. */
export interface SyncPlan {
  labels: LabelSpec[];
  issues: IssueAction[];
  dashboard: DashboardAction;
  pulls: PullAction[];
  skipped: Skipped[];
}

/** Number of write requests' worth of actions (0 means a rerun writes nothing). */
export function planIsEmpty(plan: SyncPlan): boolean {
  return (
    plan.labels.length === 0 &&
    plan.issues.length === 0 &&
    plan.pulls.length === 0 &&
    plan.dashboard.op === 'none'
  );
}
