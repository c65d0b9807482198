// Where `renew` reads approvals and records outcomes, behind one port (RenewalLedger): GitHub (the
// request file on the default branch, the merged pull request that added it, a follow-up commit and
// the `renewal.failed` issue: src/github/renewal-record.ts) or, without GitHub access, the local
// checkout (`git log` and the working tree: localLedger below). renewal/ never imports github/.
import { execFile } from 'node:child_process';
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { renewalFailedFinding } from '../evaluate/renewal.js';
import type { Finding } from '../core/model.js';
import { renderRenewalRequest, type RenewalRequest } from './request.js';

const run = promisify(execFile);

/** Who approved a request: the merged pull request that added it, or the commit when none is found. */
export interface Approval {
  /** `owner/repo#12`, or `commit <sha>`. */
  ref: string;
  pull: { number: number; url: string } | null;
  commit: string;
}

/** The outcome recorded in a request file. */
export type RenewalStatus = NonNullable<RenewalRequest['status']>;

/** A request as approved, ready to apply, or why it is not applied now. */
export type ApprovedRequest = { request: RenewalRequest; approval: Approval } | { skip: string };

/** What recording an outcome did: the commit that holds it, the `renewal.failed` issue opened or updated. */
export interface RecordResult {
  commit: string | null;
  issue?: number;
}

/** The port through which renewal reads approvals and records outcomes. */
export interface RenewalLedger {
  /**
   * The request to apply for the checkout's request file `rel` (a path relative to the repository
   * root, with `/`), as approved, with who approved it; or why it is skipped.
   */
  approved(rel: string, local: RenewalRequest): Promise<ApprovedRequest>;
  /**
   * Records what applying `request` came to. The `renewal.failed` issue (where there is one) comes
   * before the status: the status ends the request's processing, so a crash in between leaves the
   * request pending (a re-run reports again), never recorded unreported.
   */
  record(rel: string, request: RenewalRequest, status: RenewalStatus): Promise<RecordResult>;
}

/** Skip reason when nothing approved a request file. */
export const NOT_APPROVED = 'no commit holds this file: a request is approved by merging it';

/** The commit that last changed a file in the local checkout (`git log -1`); null when uncommitted. */
export async function lastLocalCommit(repoRoot: string, file: string): Promise<string | null> {
  try {
    const { stdout } = await run('git', ['log', '-1', '--format=%H', '--', file], { cwd: repoRoot });
    const sha = stdout.trim();
    return /^[0-9a-f]{40,64}$/.test(sha) ? sha : null;
  } catch {
    return null;
  }
}

/** The request file's text with the outcome recorded in `status`. */
export function withStatus(req: RenewalRequest, status: RenewalStatus): string {
  return renderRenewalRequest({ ...req, status });
}

/** Records an outcome in the working tree (write to a temporary file, then rename). */
export async function recordLocally(file: string, req: RenewalRequest, status: RenewalStatus): Promise<void> {
  const tmp = `${file}.certwarden-tmp`;
  await writeFile(tmp, withStatus(req, status));
  await rename(tmp, file);
}

/** The `renewal.failed` finding of a request: one per target and certificate being replaced. */
export function failureFinding(req: RenewalRequest, file: string, message: string): Finding {
  return renewalFailedFinding({
    target: req.metadata.target,
    request: req.metadata.id,
    replaces: req.spec.replaces ?? null,
    secret: `${req.spec.secret.namespace}/${req.spec.secret.name}`,
    file,
    message,
  });
}

/**
 * The ledger of a checkout without GitHub access: a request is approved by the commit that last
 * changed its file (`git log`), and outcomes are written to the working tree.
 */
export function localLedger(repoRoot: string): RenewalLedger {
  return {
    async approved(rel, local) {
      const commit = await lastLocalCommit(repoRoot, rel);
      if (!commit) return { skip: NOT_APPROVED };
      return { request: local, approval: { ref: `commit ${commit}`, pull: null, commit } };
    },
    async record(rel, request, status) {
      await recordLocally(path.resolve(repoRoot, rel), request, status);
      return { commit: null };
    },
  };
}
