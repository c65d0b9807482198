// `certwarden renew`: applies each merged, not yet applied renewal request under the renewals folder.
// Per request: check the default branch still holds it unapplied (an older checkout never issues
// twice), find the merged PR that approved it, apply it (applyRenewal: CSR, approval citing the PR,
// Secret), and record the outcome in the request file through a commit (or in the working tree).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, EXIT } from '../core/errors.js';
import type { GitHub } from '../github/client.js';
import { GitHubRequestError } from '../github/client.js';
import { escapeLog } from '../core/escape.js';
import { resolveBotLogin } from '../github/state.js';
import type { CommandEnv } from './io.js';
import { connectGitHub } from './github-access.js';
import type { RepoRef } from '../github/types.js';
import { parseCertificate } from '../x509/parse.js';
import { pemBlocks } from '../x509/pem.js';
import type { ClusterRef } from '../inventory/types.js';
import type { Observation } from '../core/model.js';
import { load, type Loaded } from '../pipeline.js';
import { applyWaivers, evaluatePolicies } from '../policy/evaluate.js';
import type { KubeWriteApi } from '../sources/kubernetes/client.js';
import type { Logger } from '../core/logger.js';
import { silentLogger } from '../core/logger.js';
import type { ApplyDeps, RenewalOutcome } from '../renewal/apply.js';
import { localLedger, type Approval, type RenewalLedger, type RenewalStatus } from '../renewal/record.js';
import { gitHubLedger } from '../github/renewal-record.js';
import { readRenewalRequests, type RenewalRequest } from '../renewal/request.js';

/** The apply step (src/renewal/apply.ts); passed in so tests can stand in for a cluster. */
export type ApplyFn = (req: RenewalRequest, deps: ApplyDeps) => Promise<RenewalOutcome>;

/** GitHub access for renew: where approvals are found and outcomes committed. */
export interface RenewGitHub {
  gh: GitHub;
  repo: RepoRef;
  botLogin: string;
  /** Default: the repository's default branch. */
  branch?: string;
}

export interface RenewOptions {
  /** Folder of request files (absolute). */
  renewalsDir: string;
  /** Root of the checkout: request paths in the repository are relative to it. */
  repoRoot: string;
  dryRun?: boolean;
  /** null: no GitHub access; approvals from `git log`, outcomes written to the working tree. */
  github: RenewGitHub | null;
  /** The Kubernetes client for a cluster named in a request (throws ConfigError for unknown ones). */
  kubeFor: (cluster: string) => KubeWriteApi;
  apply: ApplyFn;
  /** Extra knobs for the apply step (wait bounds, CA, test hooks). */
  applyDeps?: Partial<Omit<ApplyDeps, 'kube' | 'approvalMessage'>>;
  /** The policy check of the issued certificate for a request (see policyVerifier); none: no check. */
  verifyFor?: (req: RenewalRequest) => ApplyDeps['verify'];
  now?: () => Date;
  logger?: Logger;
}

/** What happened to one request file. */
export interface RenewItem {
  file: string;
  target: string;
  id: string;
  result: 'applied' | 'failed' | 'skipped' | 'would-apply' | 'error';
  message: string;
  approvedBy?: string;
  sha256?: string;
  notAfter?: string;
  /** The commit recording the outcome (GitHub), when one was made. */
  commit?: string | null;
  /** The renewal.failed issue opened or updated. */
  issue?: number;
}

export interface RenewResult {
  /** 0 all applied or nothing to do, 1 a request failed, 3 a runtime error (GitHub, cluster). */
  exitCode: 0 | 1 | 3;
  items: RenewItem[];
}

/** The Approved condition's message: which request, approved by which merged PR (or commit). */
export function approvalMessage(req: RenewalRequest, a: Approval): string {
  const by = a.pull
    ? `pull request ${a.ref} (${a.pull.url}), merged as ${a.commit.slice(0, 12)}`
    : `commit ${a.commit} (no merged pull request found for it)`;
  return `Approved by certwarden renew: renewal request ${req.metadata.id} for target ${req.metadata.target}, approved by ${by}.`;
}

function posix(rel: string): string {
  return rel.split(path.sep).join('/');
}

/** Where runRenew is: options, the ledger approvals are read from and outcomes recorded in, the log. */
interface RenewRun {
  opts: RenewOptions;
  ledger: RenewalLedger;
  log: Logger;
  now: () => Date;
}

/** Applies one approved request and records its outcome through the ledger. */
async function applyOne(
  run: RenewRun,
  item: RenewItem,
  req: RenewalRequest,
  approval: Approval,
): Promise<void> {
  const { opts, log } = run;
  const kube = opts.kubeFor(req.spec.cluster);
  const verify = opts.verifyFor?.(req);
  const outcome = await opts.apply(req, {
    ...opts.applyDeps,
    ...(verify ? { verify } : {}),
    kube,
    approvalMessage: approvalMessage(req, approval),
    logger: log,
  });
  const status: RenewalStatus = {
    state: outcome.state,
    csrName: outcome.csrName,
    ...(outcome.sha256 ? { sha256: outcome.sha256 } : {}),
    ...(outcome.notAfter ? { notAfter: outcome.notAfter } : {}),
    appliedAt: run.now().toISOString(),
    approvedBy: approval.ref,
    message: outcome.message,
  };
  item.result = outcome.state;
  item.message = outcome.message;
  item.sha256 = outcome.sha256;
  item.notAfter = outcome.notAfter;
  const recorded = await run.ledger.record(item.file, req, status);
  if (opts.github) item.commit = recorded.commit;
  if (recorded.issue !== undefined) item.issue = recorded.issue;
  const line = `${item.file}: ${outcome.state}${outcome.sha256 ? ` (certificate ${outcome.sha256}, not after ${outcome.notAfter ?? '?'})` : ''}, approved by ${approval.ref}: ${outcome.message}`;
  if (outcome.state === 'failed') log.error(escapeLog(line));
  else log.info(escapeLog(line));
}

/** One request file: skipped, described (dry run), or applied and recorded. */
async function renewOne(run: RenewRun, item: RenewItem, local: RenewalRequest): Promise<void> {
  const state = local.status?.state ?? 'pending';
  if (state !== 'pending') {
    item.message =
      state === 'applied'
        ? 'already applied'
        : 'failed earlier (see its renewal.failed issue); sync proposes a new request';
    return;
  }
  const approved = await run.ledger.approved(item.file, local);
  if ('skip' in approved) {
    item.message = approved.skip;
    return;
  }
  const { request: req, approval } = approved;
  item.approvedBy = approval.ref;
  if (run.opts.dryRun) {
    item.result = 'would-apply';
    item.message = `would request a ${req.spec.signerName} certificate for ${req.spec.subject.CN} in cluster ${req.spec.cluster}, approve it citing ${approval.ref}, and write Secret ${req.spec.secret.namespace}/${req.spec.secret.name}`;
    return;
  }
  await applyOne(run, item, req, approval);
}

/** Applies every pending request under the folder, one at a time. Throws ConfigError for bad input. */
export async function runRenew(opts: RenewOptions): Promise<RenewResult> {
  const run: RenewRun = {
    opts,
    ledger: opts.github
      ? gitHubLedger({ ...opts.github, repoRoot: opts.repoRoot })
      : localLedger(opts.repoRoot),
    log: opts.logger ?? silentLogger,
    now: opts.now ?? (() => new Date()),
  };
  const requests = readRenewalRequests(opts.renewalsDir); // ConfigError for a malformed file: before anything is done
  const items: RenewItem[] = [];
  for (const { file, request: local } of requests) {
    const item: RenewItem = {
      file: posix(path.relative(opts.repoRoot, file)),
      target: local.metadata.target,
      id: local.metadata.id,
      result: 'skipped',
      message: '',
    };
    items.push(item);
    try {
      await renewOne(run, item, local);
      // Skips and dry-run lines are logged here; applied and failed ones by applyOne.
      if (item.result === 'skipped' || item.result === 'would-apply')
        run.log.info(escapeLog(`${item.file}: ${item.message}`));
    } catch (e) {
      if (e instanceof ConfigError) throw e;
      item.result = 'error';
      item.message = e instanceof Error ? e.message : String(e);
      run.log.error(escapeLog(`${item.file}: ${item.message}`));
    }
  }
  const exitCode = items.some((i) => i.result === 'error')
    ? 3
    : items.some((i) => i.result === 'failed')
      ? 1
      : 0;
  return { exitCode, items };
}

/**
 * The policy check of an issued certificate: the target's policy packs run on it as if it were
 * observed in the Secret; error findings (not waived) are the problems that stop the Secret write.
 */
export function policyVerifier(
  loaded: Pick<Loaded, 'policies' | 'inventory'>,
  now: () => Date,
): (req: RenewalRequest) => ApplyDeps['verify'] {
  return (req) => {
    const target = loaded.inventory.targets.find((t) => t.id === req.metadata.target);
    if (!target) return undefined;
    return async (certPem) => {
      const block = pemBlocks(certPem, 'issued certificate').find((b) => b.label === 'CERTIFICATE');
      if (!block) return ['the signer returned no certificate'];
      const at = now();
      const observation: Observation = {
        target: target.id,
        source: { kind: 'kubernetes' },
        collectedAt: at.toISOString(),
        status: 'ok',
        error: null,
        certificates: [{ origin: 'tls.crt[0]', record: parseCertificate(block.der, 'issued certificate') }],
        trustStore: null,
      };
      const findings = applyWaivers(
        evaluatePolicies(loaded.policies, { target, observation, chain: null, now: at }),
        loaded.policies,
        at,
        [target],
      );
      return findings
        .filter((f) => f.severity === 'error' && !f.waived)
        .map((f) => `${f.rule ?? f.check}: ${f.message}`);
    };
  };
}

/** One line per request for stdout. */
export function describeRenew(items: RenewItem[]): string[] {
  if (!items.length) return ['nothing to do: no renewal requests'];
  return items.map((i) =>
    escapeLog(
      `${i.file}: ${i.result}${i.message ? ` — ${i.message}` : ''}${i.issue ? ` (issue #${i.issue})` : ''}`,
    ),
  );
}

/** What `renew` needs: the folders, GitHub access (or none), and whether to change anything. */
export interface RenewCommandOptions extends CommandEnv {
  /** Folder of request files (absolute). */
  renewalsDir: string;
  /** Root of the checkout. */
  repoRoot: string;
  /** Inventory folders (absolute) naming the requests' clusters; needed when a request is to be applied. */
  inventoryDirs: string[];
  policyDirs: string[];
  dryRun: boolean;
  /** GitHub access; without both token and repo, approvals come from git log and outcomes go to the working tree. */
  token?: string;
  repo: RepoRef | null;
  apiUrl?: string;
}

/** What happened to every request, counted by result. */
export interface RenewCommandResult extends RenewResult {
  counts: Record<RenewItem['result'], number>;
  /** Whether GitHub was used (approvals from merged pull requests, outcomes committed, failures as issues). */
  github: boolean;
  /** Why renew stopped part way (exitCode 3: GitHub or a cluster failed); null otherwise. */
  error: string | null;
}

/** Counts items by result. */
export function countRenewItems(items: RenewItem[]): Record<RenewItem['result'], number> {
  const counts = { applied: 0, failed: 0, skipped: 0, 'would-apply': 0, error: 0 };
  for (const i of items) counts[i.result]++;
  return counts;
}

/** The inventory, read once before any request is applied (a bad inventory is exit 2 up front). */
async function loadForRenew(opts: RenewCommandOptions): Promise<Loaded | null> {
  const pending =
    existsSync(opts.renewalsDir) &&
    readRenewalRequests(opts.renewalsDir).some((r) => (r.request.status?.state ?? 'pending') === 'pending');
  if (!pending || opts.dryRun) return null;
  if (!opts.inventoryDirs.length)
    throw new ConfigError(
      'renew needs the inventory to find the clusters of the requests: pass --inventory DIR',
    );
  return load({ inventoryDirs: opts.inventoryDirs, policyDirs: opts.policyDirs, env: opts.env });
}

/** The renew command: inventory clusters and GitHub access -> runRenew. Throws ConfigError for bad input. */
export async function renew(opts: RenewCommandOptions): Promise<RenewCommandResult> {
  const log = opts.logger ?? silentLogger;
  const loaded = await loadForRenew(opts);
  const clusters = loaded?.inventory.clusters ?? new Map<string, ClusterRef>();
  const { createKubeApi } = await import('../sources/kubernetes/client.js');
  const clients = new Map<string, KubeWriteApi & { close(): void }>();
  const kubeFor = (cluster: string): KubeWriteApi => {
    const ref = clusters.get(cluster);
    if (!ref)
      throw new ConfigError(
        `unknown cluster '${cluster}' in a renewal request. Expected one of: ${[...clusters.keys()].join(', ') || '(no clusters declared)'}`,
      );
    const hit = clients.get(cluster) ?? createKubeApi(ref, { env: opts.env });
    clients.set(cluster, hit);
    return hit;
  };
  const useGitHub = Boolean(opts.token && opts.repo);
  try {
    let github: RenewGitHub | null = null;
    if (opts.token && opts.repo) {
      const gh = connectGitHub({ token: opts.token, apiUrl: opts.apiUrl, logger: log });
      github = { gh, repo: opts.repo, botLogin: await resolveBotLogin(gh) };
    } else
      log.info(
        'no GitHub access (GITHUB_TOKEN, GITHUB_REPOSITORY): approvals from git log, outcomes written to the working tree',
      );
    const { applyRenewal } = await import('../renewal/apply.js');
    const res = await runRenew({
      renewalsDir: opts.renewalsDir,
      repoRoot: opts.repoRoot,
      dryRun: opts.dryRun,
      github,
      kubeFor,
      apply: applyRenewal,
      ...(loaded ? { verifyFor: policyVerifier(loaded, () => new Date()) } : {}),
      logger: log,
    });
    return { ...res, counts: countRenewItems(res.items), github: useGitHub, error: null };
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    const error = escapeLog(
      e instanceof GitHubRequestError
        ? e.message
        : `renew failed: ${e instanceof Error ? e.message : String(e)}`,
    );
    return { exitCode: EXIT.runtime, items: [], counts: countRenewItems([]), github: useGitHub, error };
  } finally {
    clients.forEach((c) => c.close());
  }
}
