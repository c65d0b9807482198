import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  CHANGE_TRAILER,
  GitHubRequestError,
  connectGitHub,
  resolveBotLogin,
  statusOf
} from "./chunk-RFCKPBGI.js";
import {
  LABEL,
  issueBody,
  issueTitle,
  parseFindingMarker,
  parseRenewalRequest,
  readRenewalRequests,
  renderRenewalRequest
} from "./chunk-5NWBSDSS.js";
import {
  load
} from "./chunk-UKAPL6FF.js";
import {
  applyWaivers,
  evaluatePolicies
} from "./chunk-6PZWKSTY.js";
import {
  makeFinding
} from "./chunk-CQLXS4C2.js";
import {
  silentLogger
} from "./chunk-OS4GY4HV.js";
import {
  escapeLog,
  escapeMarkdown
} from "./chunk-4CY5QMJ4.js";
import {
  pemBlocks
} from "./chunk-I32IJZLF.js";
import {
  parseCertificate
} from "./chunk-HSQZZC7B.js";
import {
  ConfigError,
  EXIT
} from "./chunk-WW3ZWNRQ.js";

// src/commands/renew.ts
import { existsSync } from "node:fs";
import path3 from "node:path";

// src/renewal/record.ts
import { execFile } from "node:child_process";
import { rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

// src/evaluate/renewal.ts
function renewalFailedFinding(r) {
  return makeFinding({
    target: r.target,
    check: "renewal.failed",
    message: `renewal request ${r.request} for ${r.target} failed: ${r.message}`,
    certificate: r.replaces,
    location: { file: r.file, line: 1, column: 1 },
    remediation: { kind: "renew", request: r.request, secret: r.secret }
  });
}

// src/renewal/record.ts
var run = promisify(execFile);
var NOT_APPROVED = "no commit holds this file: a request is approved by merging it";
async function lastLocalCommit(repoRoot, file) {
  try {
    const { stdout } = await run("git", ["log", "-1", "--format=%H", "--", file], { cwd: repoRoot });
    const sha = stdout.trim();
    return /^[0-9a-f]{40,64}$/.test(sha) ? sha : null;
  } catch {
    return null;
  }
}
function withStatus(req, status) {
  return renderRenewalRequest({ ...req, status });
}
async function recordLocally(file, req, status) {
  const tmp = `${file}.certwarden-tmp`;
  await writeFile(tmp, withStatus(req, status));
  await rename(tmp, file);
}
function failureFinding(req, file, message) {
  return renewalFailedFinding({
    target: req.metadata.target,
    request: req.metadata.id,
    replaces: req.spec.replaces ?? null,
    secret: `${req.spec.secret.namespace}/${req.spec.secret.name}`,
    file,
    message
  });
}
function localLedger(repoRoot) {
  return {
    async approved(rel, local) {
      const commit = await lastLocalCommit(repoRoot, rel);
      if (!commit) return { skip: NOT_APPROVED };
      return { request: local, approval: { ref: `commit ${commit}`, pull: null, commit } };
    },
    async record(rel, request, status) {
      await recordLocally(path.resolve(repoRoot, rel), request, status);
      return { commit: null };
    }
  };
}

// src/github/renewal-record.ts
import path2 from "node:path";
async function call(what, fn) {
  try {
    return await fn();
  } catch (e) {
    throw e instanceof GitHubRequestError ? e : new GitHubRequestError(what, e);
  }
}
async function defaultBranch(gh, repo) {
  const { data } = await call(`GET /repos/${repo.owner}/${repo.repo}`, () => gh.rest.repos.get({ ...repo }));
  return data.default_branch;
}
async function fileOnBranch(gh, repo, path4, branch) {
  try {
    const { data } = await gh.rest.repos.getContent({ ...repo, path: path4, ref: branch });
    if (Array.isArray(data) || data.type !== "file" || !("content" in data)) return null;
    return Buffer.from(data.content, "base64").toString("utf8");
  } catch (e) {
    if (statusOf(e) === 404) return null;
    throw new GitHubRequestError(`GET /repos/${repo.owner}/${repo.repo}/contents/${path4}?ref=${branch}`, e);
  }
}
async function findApproval(gh, repo, path4, branch) {
  const base = `/repos/${repo.owner}/${repo.repo}`;
  const { data: commits } = await call(
    `GET ${base}/commits?path=${path4}`,
    () => gh.rest.repos.listCommits({ ...repo, sha: branch, path: path4, per_page: 1 })
  );
  const commit = commits[0]?.sha;
  if (!commit) return null;
  const { data: pulls } = await call(
    `GET ${base}/commits/${commit}/pulls`,
    () => gh.rest.repos.listPullRequestsAssociatedWithCommit({ ...repo, commit_sha: commit, per_page: 100 })
  );
  const merged = pulls.filter((p) => p.merged_at && p.base.ref === branch).sort((a, b) => a.merged_at < b.merged_at ? 1 : -1)[0];
  if (!merged) return { ref: `commit ${commit}`, pull: null, commit };
  return {
    ref: `${repo.owner}/${repo.repo}#${merged.number}`,
    pull: { number: merged.number, url: merged.html_url },
    // The commit the merge made on the branch (the listed commit may be the PR's own).
    commit: merged.merge_commit_sha ?? commit
  };
}
async function commitFile(gh, repo, branch, path4, content, message) {
  const base = `/repos/${repo.owner}/${repo.repo}`;
  for (let attempt = 0; ; attempt++) {
    const { data: ref } = await call(
      `GET ${base}/git/ref/heads/${branch}`,
      () => gh.rest.git.getRef({ ...repo, ref: `heads/${branch}` })
    );
    const parent = ref.object.sha;
    const next = content(await fileOnBranch(gh, repo, path4, parent));
    if (next === null) return null;
    const { data: parentCommit } = await call(
      `GET ${base}/git/commits/${parent}`,
      () => gh.rest.git.getCommit({ ...repo, commit_sha: parent })
    );
    const { data: blob } = await call(
      `POST ${base}/git/blobs`,
      () => gh.rest.git.createBlob({ ...repo, content: next, encoding: "utf-8" })
    );
    const { data: tree } = await call(
      `POST ${base}/git/trees`,
      () => gh.rest.git.createTree({
        ...repo,
        base_tree: parentCommit.tree.sha,
        tree: [{ path: path4, mode: "100644", type: "blob", sha: blob.sha }]
      })
    );
    const { data: commit } = await call(
      `POST ${base}/git/commits`,
      () => gh.rest.git.createCommit({ ...repo, message, tree: tree.sha, parents: [parent] })
    );
    try {
      await gh.rest.git.updateRef({ ...repo, ref: `heads/${branch}`, sha: commit.sha, force: false });
      return commit.sha;
    } catch (e) {
      if (statusOf(e) !== 422 || attempt >= 2)
        throw new GitHubRequestError(`PATCH ${base}/git/refs/heads/${branch}`, e);
    }
  }
}
async function recordOnGitHub(gh, repo, branch, path4, req, status) {
  const message = `certwarden: renewal of ${req.metadata.target} ${status.state} (${req.metadata.id})

Approved by ${status.approvedBy ?? "unknown"}.

${CHANGE_TRAILER} renew-${req.metadata.id}
`;
  return commitFile(
    gh,
    repo,
    branch,
    path4,
    (current) => {
      if (current === null) return null;
      let onBranch;
      try {
        onBranch = parseRenewalRequest(current, path4);
      } catch {
        return null;
      }
      if (onBranch.metadata.id !== req.metadata.id || onBranch.status?.state === "applied") return null;
      return withStatus(req, status);
    },
    message
  );
}
async function openIssueWith(gh, repo, botLogin, id) {
  const items = await call(
    `GET /repos/${repo.owner}/${repo.repo}/issues?labels=${LABEL}`,
    () => gh.paginate(gh.rest.issues.listForRepo, { ...repo, labels: LABEL, state: "open", per_page: 100 })
  );
  return items.find(
    (i) => !i.pull_request && (i.user?.login ?? "").toLowerCase() === botLogin.toLowerCase() && parseFindingMarker(i.body) === id
  );
}
async function reportFailure(gh, repo, botLogin, f, detail) {
  const title = issueTitle(f, void 0);
  const body = issueBody(
    f,
    void 0,
    void 0,
    `### What happened

${escapeMarkdown(detail)}

The request file records the failure. \`certwarden sync\` proposes a new request for this certificate while it stays in its renewal window; this issue is closed when a renewal of the target succeeds.`
  );
  const existing = await openIssueWith(gh, repo, botLogin, f.id);
  const base = `/repos/${repo.owner}/${repo.repo}`;
  if (existing) {
    if ((existing.body ?? "").trim() !== body.trim())
      await call(
        `PATCH ${base}/issues/${existing.number}`,
        () => gh.rest.issues.update({ ...repo, issue_number: existing.number, title, body })
      );
    return existing.number;
  }
  const { data } = await call(
    `POST ${base}/issues`,
    () => gh.rest.issues.create({
      ...repo,
      title,
      body,
      labels: [LABEL, `severity:${f.severity}`, `check:${f.check}`],
      request: { retries: 0 }
    })
  );
  return data.number;
}
async function closeFailure(gh, repo, botLogin, f, comment) {
  const existing = await openIssueWith(gh, repo, botLogin, f.id);
  if (!existing) return null;
  const base = `/repos/${repo.owner}/${repo.repo}`;
  await call(
    `POST ${base}/issues/${existing.number}/comments`,
    () => gh.rest.issues.createComment({ ...repo, issue_number: existing.number, body: escapeMarkdown(comment) })
  );
  await call(
    `PATCH ${base}/issues/${existing.number}`,
    () => gh.rest.issues.update({
      ...repo,
      issue_number: existing.number,
      state: "closed",
      state_reason: "completed"
    })
  );
  return existing.number;
}
function gitHubLedger(o) {
  const { gh, repo } = o;
  let branch = o.branch ?? null;
  const onBranch = async () => branch ??= await defaultBranch(gh, repo);
  return {
    async approved(rel, local) {
      if (rel.startsWith("../"))
        throw new ConfigError(
          `${path2.resolve(o.repoRoot, rel)}: the renewals folder must lie inside the repository checkout ${o.repoRoot}`
        );
      const b = await onBranch();
      const text = await fileOnBranch(gh, repo, rel, b);
      if (text === null) return { skip: `not on ${b}: not merged (yet)` };
      const req = parseRenewalRequest(text, `${b}:${rel}`);
      if (req.metadata.id !== local.metadata.id)
        return {
          skip: `${b} holds another request (${req.metadata.id}) for this target; this checkout is out of date`
        };
      if (req.status && req.status.state !== "pending")
        return { skip: `already ${req.status.state} on ${b}` };
      const approval = await findApproval(gh, repo, rel, b);
      return approval ? { request: req, approval } : { skip: NOT_APPROVED };
    },
    async record(rel, request, status) {
      const b = await onBranch();
      const message = status.message ?? "";
      const finding = failureFinding(request, rel, message);
      let issue;
      if (status.state === "failed") issue = await reportFailure(gh, repo, o.botLogin, finding, message);
      else
        await closeFailure(
          gh,
          repo,
          o.botLogin,
          finding,
          `Renewal request ${request.metadata.id} was applied (certificate ${status.sha256 ?? ""}). Closing.`
        );
      const commit = await recordOnGitHub(gh, repo, b, rel, request, status);
      return issue === void 0 ? { commit } : { commit, issue };
    }
  };
}

// src/commands/renew.ts
function approvalMessage(req, a) {
  const by = a.pull ? `pull request ${a.ref} (${a.pull.url}), merged as ${a.commit.slice(0, 12)}` : `commit ${a.commit} (no merged pull request found for it)`;
  return `Approved by certwarden renew: renewal request ${req.metadata.id} for target ${req.metadata.target}, approved by ${by}.`;
}
function posix(rel) {
  return rel.split(path3.sep).join("/");
}
async function applyOne(run2, item, req, approval) {
  const { opts, log } = run2;
  const kube = opts.kubeFor(req.spec.cluster);
  const verify = opts.verifyFor?.(req);
  const outcome = await opts.apply(req, {
    ...opts.applyDeps,
    ...verify ? { verify } : {},
    kube,
    approvalMessage: approvalMessage(req, approval),
    logger: log
  });
  const status = {
    state: outcome.state,
    csrName: outcome.csrName,
    ...outcome.sha256 ? { sha256: outcome.sha256 } : {},
    ...outcome.notAfter ? { notAfter: outcome.notAfter } : {},
    appliedAt: run2.now().toISOString(),
    approvedBy: approval.ref,
    message: outcome.message
  };
  item.result = outcome.state;
  item.message = outcome.message;
  item.sha256 = outcome.sha256;
  item.notAfter = outcome.notAfter;
  const recorded = await run2.ledger.record(item.file, req, status);
  if (opts.github) item.commit = recorded.commit;
  if (recorded.issue !== void 0) item.issue = recorded.issue;
  const line = `${item.file}: ${outcome.state}${outcome.sha256 ? ` (certificate ${outcome.sha256}, not after ${outcome.notAfter ?? "?"})` : ""}, approved by ${approval.ref}: ${outcome.message}`;
  if (outcome.state === "failed") log.error(escapeLog(line));
  else log.info(escapeLog(line));
}
async function renewOne(run2, item, local) {
  const state = local.status?.state ?? "pending";
  if (state !== "pending") {
    item.message = state === "applied" ? "already applied" : "failed earlier (see its renewal.failed issue); sync proposes a new request";
    return;
  }
  const approved = await run2.ledger.approved(item.file, local);
  if ("skip" in approved) {
    item.message = approved.skip;
    return;
  }
  const { request: req, approval } = approved;
  item.approvedBy = approval.ref;
  if (run2.opts.dryRun) {
    item.result = "would-apply";
    item.message = `would request a ${req.spec.signerName} certificate for ${req.spec.subject.CN} in cluster ${req.spec.cluster}, approve it citing ${approval.ref}, and write Secret ${req.spec.secret.namespace}/${req.spec.secret.name}`;
    return;
  }
  await applyOne(run2, item, req, approval);
}
async function runRenew(opts) {
  const run2 = {
    opts,
    ledger: opts.github ? gitHubLedger({ ...opts.github, repoRoot: opts.repoRoot }) : localLedger(opts.repoRoot),
    log: opts.logger ?? silentLogger,
    now: opts.now ?? (() => /* @__PURE__ */ new Date())
  };
  const requests = readRenewalRequests(opts.renewalsDir);
  const items = [];
  for (const { file, request: local } of requests) {
    const item = {
      file: posix(path3.relative(opts.repoRoot, file)),
      target: local.metadata.target,
      id: local.metadata.id,
      result: "skipped",
      message: ""
    };
    items.push(item);
    try {
      await renewOne(run2, item, local);
      if (item.result === "skipped" || item.result === "would-apply")
        run2.log.info(escapeLog(`${item.file}: ${item.message}`));
    } catch (e) {
      if (e instanceof ConfigError) throw e;
      item.result = "error";
      item.message = e instanceof Error ? e.message : String(e);
      run2.log.error(escapeLog(`${item.file}: ${item.message}`));
    }
  }
  const exitCode = items.some((i) => i.result === "error") ? 3 : items.some((i) => i.result === "failed") ? 1 : 0;
  return { exitCode, items };
}
function policyVerifier(loaded, now) {
  return (req) => {
    const target = loaded.inventory.targets.find((t) => t.id === req.metadata.target);
    if (!target) return void 0;
    return async (certPem) => {
      const block = pemBlocks(certPem, "issued certificate").find((b) => b.label === "CERTIFICATE");
      if (!block) return ["the signer returned no certificate"];
      const at = now();
      const observation = {
        target: target.id,
        source: { kind: "kubernetes" },
        collectedAt: at.toISOString(),
        status: "ok",
        error: null,
        certificates: [{ origin: "tls.crt[0]", record: parseCertificate(block.der, "issued certificate") }],
        trustStore: null
      };
      const findings = applyWaivers(
        evaluatePolicies(loaded.policies, { target, observation, chain: null, now: at }),
        loaded.policies,
        at,
        [target]
      );
      return findings.filter((f) => f.severity === "error" && !f.waived).map((f) => `${f.rule ?? f.check}: ${f.message}`);
    };
  };
}
function describeRenew(items) {
  if (!items.length) return ["nothing to do: no renewal requests"];
  return items.map(
    (i) => escapeLog(
      `${i.file}: ${i.result}${i.message ? ` \u2014 ${i.message}` : ""}${i.issue ? ` (issue #${i.issue})` : ""}`
    )
  );
}
function countRenewItems(items) {
  const counts = { applied: 0, failed: 0, skipped: 0, "would-apply": 0, error: 0 };
  for (const i of items) counts[i.result]++;
  return counts;
}
async function loadForRenew(opts) {
  const pending = existsSync(opts.renewalsDir) && readRenewalRequests(opts.renewalsDir).some((r) => (r.request.status?.state ?? "pending") === "pending");
  if (!pending || opts.dryRun) return null;
  if (!opts.inventoryDirs.length)
    throw new ConfigError(
      "renew needs the inventory to find the clusters of the requests: pass --inventory DIR"
    );
  return load({ inventoryDirs: opts.inventoryDirs, policyDirs: opts.policyDirs, env: opts.env });
}
async function renew(opts) {
  const log = opts.logger ?? silentLogger;
  const loaded = await loadForRenew(opts);
  const clusters = loaded?.inventory.clusters ?? /* @__PURE__ */ new Map();
  const { createKubeApi } = await import("./client-5ASEB5VY.js");
  const clients = /* @__PURE__ */ new Map();
  const kubeFor = (cluster) => {
    const ref = clusters.get(cluster);
    if (!ref)
      throw new ConfigError(
        `unknown cluster '${cluster}' in a renewal request. Expected one of: ${[...clusters.keys()].join(", ") || "(no clusters declared)"}`
      );
    const hit = clients.get(cluster) ?? createKubeApi(ref, { env: opts.env });
    clients.set(cluster, hit);
    return hit;
  };
  const useGitHub = Boolean(opts.token && opts.repo);
  try {
    let github = null;
    if (opts.token && opts.repo) {
      const gh = connectGitHub({ token: opts.token, apiUrl: opts.apiUrl, logger: log });
      github = { gh, repo: opts.repo, botLogin: await resolveBotLogin(gh) };
    } else
      log.info(
        "no GitHub access (GITHUB_TOKEN, GITHUB_REPOSITORY): approvals from git log, outcomes written to the working tree"
      );
    const { applyRenewal } = await import("./apply-BZBDAR6Q.js");
    const res = await runRenew({
      renewalsDir: opts.renewalsDir,
      repoRoot: opts.repoRoot,
      dryRun: opts.dryRun,
      github,
      kubeFor,
      apply: applyRenewal,
      ...loaded ? { verifyFor: policyVerifier(loaded, () => /* @__PURE__ */ new Date()) } : {},
      logger: log
    });
    return { ...res, counts: countRenewItems(res.items), github: useGitHub, error: null };
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    const error = escapeLog(
      e instanceof GitHubRequestError ? e.message : `renew failed: ${e instanceof Error ? e.message : String(e)}`
    );
    return { exitCode: EXIT.runtime, items: [], counts: countRenewItems([]), github: useGitHub, error };
  } finally {
    clients.forEach((c) => c.close());
  }
}

export {
  describeRenew,
  renew
};
