// `certwarden renew`: applies each merged, not yet applied renewal request under the renewals folder.
// Per request: check the default branch still holds it unapplied (an older checkout never issues
// twice), find the merged PR that approved it, apply it (applyRenewal: CSR, approval citing the PR,
// Secret), and record the outcome in the request file through a commit (or in the working tree).
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CliIO } from '../cli/main.js';
import { ConfigError, EXIT } from '../core/errors.js';
import type { GitHub } from '../github/client.js';
import { createGitHub, GitHubRequestError } from '../github/client.js';
import { escapeLog } from '../core/escape.js';
import { resolveBotLogin } from '../github/state.js';
import { readGitHubEnv } from '../github/sync.js';
import { ioLogger } from './sync.js';
import type { RepoRef } from '../github/types.js';
import { parseCertificate } from '../x509/parse.js';
import { pemBlocks } from '../x509/pem.js';
import type { ClusterRef } from '../inventory/types.js';
import type { Observation } from '../core/model.js';
import type { Loaded } from '../pipeline.js';
import { applyWaivers, evaluatePolicies } from '../policy/evaluate.js';
import type { KubeWriteApi } from '../sources/kubernetes/client.js';
import type { Logger } from '../core/logger.js';
import { silentLogger } from '../core/logger.js';
import type { ApplyDeps, RenewalOutcome } from '../renewal/apply.js';
import {
  closeFailure,
  defaultBranch,
  failureFinding,
  fileOnBranch,
  findApproval,
  lastLocalCommit,
  recordLocally,
  recordOnGitHub,
  reportFailure,
  type Approval,
} from '../renewal/record.js';
import { parseRenewalRequest, readRenewalRequests, type RenewalRequest } from '../renewal/request.js';

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

/** Applies every pending request under the folder, one at a time. Throws ConfigError for bad input. */
export async function runRenew(opts: RenewOptions): Promise<RenewResult> {
  const log = opts.logger ?? silentLogger;
  const now = opts.now ?? (() => new Date());
  const requests = readRenewalRequests(opts.renewalsDir); // ConfigError for a malformed file: before anything is done
  const items: RenewItem[] = [];
  let branch: string | null = null;
  const gh = opts.github;

  for (const { file, request: local } of requests) {
    const rel = posix(path.relative(opts.repoRoot, file));
    const item: RenewItem = {
      file: rel,
      target: local.metadata.target,
      id: local.metadata.id,
      result: 'skipped',
      message: '',
    };
    items.push(item);
    const skip = (message: string) => {
      item.message = message;
      log.info(escapeLog(`${rel}: ${message}`));
    };
    const state = local.status?.state ?? 'pending';
    if (state === 'applied') {
      skip('already applied');
      continue;
    }
    if (state === 'failed') {
      skip('failed earlier (see its renewal.failed issue); sync proposes a new request');
      continue;
    }
    try {
      let req = local;
      let approval: Approval | null;
      if (gh) {
        if (rel.startsWith('../'))
          throw new ConfigError(
            `${file}: the renewals folder must lie inside the repository checkout ${opts.repoRoot}`,
          );
        branch ??= gh.branch ?? (await defaultBranch(gh.gh, gh.repo));
        const text = await fileOnBranch(gh.gh, gh.repo, rel, branch);
        if (text === null) {
          skip(`not on ${branch}: not merged (yet)`);
          continue;
        }
        const onBranch = parseRenewalRequest(text, `${branch}:${rel}`);
        if (onBranch.metadata.id !== local.metadata.id) {
          skip(
            `${branch} holds another request (${onBranch.metadata.id}) for this target; this checkout is out of date`,
          );
          continue;
        }
        if (onBranch.status && onBranch.status.state !== 'pending') {
          skip(`already ${onBranch.status.state} on ${branch}`);
          continue;
        }
        req = onBranch;
        approval = await findApproval(gh.gh, gh.repo, rel, branch);
      } else {
        const commit = await lastLocalCommit(opts.repoRoot, rel);
        approval = commit ? { ref: `commit ${commit}`, pull: null, commit } : null;
      }
      if (!approval) {
        skip('no commit holds this file: a request is approved by merging it');
        continue;
      }
      item.approvedBy = approval.ref;
      if (opts.dryRun) {
        item.result = 'would-apply';
        item.message = `would request a ${req.spec.signerName} certificate for ${req.spec.subject.CN} in cluster ${req.spec.cluster}, approve it citing ${approval.ref}, and write Secret ${req.spec.secret.namespace}/${req.spec.secret.name}`;
        log.info(escapeLog(`${rel}: ${item.message}`));
        continue;
      }
      const kube = opts.kubeFor(req.spec.cluster);
      const verify = opts.verifyFor?.(req);
      const outcome = await opts.apply(req, {
        ...opts.applyDeps,
        ...(verify ? { verify } : {}),
        kube,
        approvalMessage: approvalMessage(req, approval),
        logger: log,
      });
      const status: NonNullable<RenewalRequest['status']> = {
        state: outcome.state,
        csrName: outcome.csrName,
        ...(outcome.sha256 ? { sha256: outcome.sha256 } : {}),
        ...(outcome.notAfter ? { notAfter: outcome.notAfter } : {}),
        appliedAt: now().toISOString(),
        approvedBy: approval.ref,
        message: outcome.message,
      };
      item.result = outcome.state;
      item.message = outcome.message;
      item.sha256 = outcome.sha256;
      item.notAfter = outcome.notAfter;
      if (gh && branch) {
        // The issue before the record: the record ends the request's processing, so a crash in
        // between must leave the request pending (a re-run reports again), never recorded unreported.
        const finding = failureFinding(req, rel, outcome.message);
        if (outcome.state === 'failed')
          item.issue = await reportFailure(gh.gh, gh.repo, gh.botLogin, finding, outcome.message);
        else
          await closeFailure(
            gh.gh,
            gh.repo,
            gh.botLogin,
            finding,
            `Renewal request ${req.metadata.id} was applied (certificate ${outcome.sha256 ?? ''}). Closing.`,
          );
        item.commit = await recordOnGitHub(gh.gh, gh.repo, branch, rel, req, status);
      } else {
        await recordLocally(file, req, status);
      }
      const line = `${rel}: ${outcome.state}${outcome.sha256 ? ` (certificate ${outcome.sha256}, not after ${outcome.notAfter ?? '?'})` : ''}, approved by ${approval.ref}: ${outcome.message}`;
      if (outcome.state === 'failed') log.error(escapeLog(line));
      else log.info(escapeLog(line));
    } catch (e) {
      if (e instanceof ConfigError) throw e;
      item.result = 'error';
      item.message = e instanceof Error ? e.message : String(e);
      log.error(escapeLog(`${rel}: ${item.message}`));
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

/** The CLI command: options -> inventory clusters, GitHub access -> runRenew -> exit code. */
export async function runRenewCommand(values: Record<string, unknown>, io: CliIO): Promise<number> {
  const log = ioLogger(io);
  const renewalsDir = path.resolve(io.cwd, String(values['renewals'] ?? 'renewals'));
  const dirs = ((values['inventory'] as string[] | undefined) ?? []).map((d) => path.resolve(io.cwd, d));
  if (!dirs.length && existsSync(path.join(io.cwd, 'inventory'))) dirs.push(path.join(io.cwd, 'inventory'));
  const env = readGitHubEnv(io.env);
  const dryRun = Boolean(values['dry-run']);

  // The inventory is read once, before any request is applied (a bad inventory is exit 2 up front).
  const pending =
    existsSync(renewalsDir) &&
    readRenewalRequests(renewalsDir).some((r) => (r.request.status?.state ?? 'pending') === 'pending');
  let loaded: Loaded | null = null;
  if (pending && !dryRun) {
    if (!dirs.length)
      throw new ConfigError(
        'renew needs the inventory to find the clusters of the requests: pass --inventory DIR',
      );
    const policyDirs = ((values['policies'] as string[] | undefined) ?? []).map((d) =>
      path.resolve(io.cwd, d),
    );
    if (!policyDirs.length && existsSync(path.join(io.cwd, 'policies')))
      policyDirs.push(path.join(io.cwd, 'policies'));
    const { load } = await import('../pipeline.js');
    loaded = await load({ inventoryDirs: dirs, policyDirs, env: io.env });
  }
  const clusters = loaded?.inventory.clusters ?? new Map<string, ClusterRef>();
  const { createKubeApi } = await import('../sources/kubernetes/client.js');
  const clients = new Map<string, KubeWriteApi & { close(): void }>();
  const kubeFor = (cluster: string): KubeWriteApi => {
    const ref = clusters.get(cluster);
    if (!ref)
      throw new ConfigError(
        `unknown cluster '${cluster}' in a renewal request. Expected one of: ${[...clusters.keys()].join(', ') || '(no clusters declared)'}`,
      );
    const hit = clients.get(cluster) ?? createKubeApi(ref, { env: io.env });
    clients.set(cluster, hit);
    return hit;
  };

  try {
    let github: RenewGitHub | null = null;
    if (env.token && env.repo) {
      const loopback =
        !!env.apiUrl && /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/.test(env.apiUrl);
      const gh = createGitHub({
        token: env.token,
        baseUrl: env.apiUrl,
        logger: log,
        spacing: loopback ? 'none' : 'github',
      });
      github = { gh, repo: env.repo, botLogin: await resolveBotLogin(gh) };
    } else
      log.info(
        'no GitHub access (GITHUB_TOKEN, GITHUB_REPOSITORY): approvals from git log, outcomes written to the working tree',
      );
    const { applyRenewal } = await import('../renewal/apply.js');
    const res = await runRenew({
      renewalsDir,
      repoRoot: io.cwd,
      dryRun,
      github,
      kubeFor,
      apply: applyRenewal,
      ...(loaded ? { verifyFor: policyVerifier(loaded, () => new Date()) } : {}),
      logger: log,
    });
    io.stdout(
      `${dryRun ? 'renew (dry run):\n' : ''}${describeRenew(res.items)
        .map((l) => (dryRun ? `  - ${l}` : l))
        .join('\n')}\n`,
    );
    return res.exitCode;
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    io.stderr(
      `error: ${escapeLog(e instanceof GitHubRequestError ? e.message : `renew failed: ${e instanceof Error ? e.message : String(e)}`)}\n`,
    );
    return EXIT.runtime;
  } finally {
    clients.forEach((c) => c.close());
  }
}
