import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  validateInputs
} from "./chunk-2O642S6S.js";
import {
  gitHubAccess
} from "./chunk-5FL5QDQ5.js";
import {
  scanOptions
} from "./chunk-5NXTENQN.js";
import {
  GitHubRequestError,
  connectGitHub,
  resolveBotLogin
} from "./chunk-RFCKPBGI.js";
import "./chunk-5NWBSDSS.js";
import "./chunk-GM4MYX53.js";
import "./chunk-5ZSSXF47.js";
import {
  load,
  runScan
} from "./chunk-UKAPL6FF.js";
import "./chunk-DIO6O7OV.js";
import "./chunk-AGNHQRE6.js";
import "./chunk-6PZWKSTY.js";
import "./chunk-KB4OYESQ.js";
import "./chunk-CQLXS4C2.js";
import "./chunk-T6OBV2YL.js";
import {
  SEVERITY_RANK
} from "./chunk-KNCNIMYE.js";
import {
  silentLogger
} from "./chunk-OS4GY4HV.js";
import "./chunk-QZW4XWZK.js";
import "./chunk-HNLBEK77.js";
import "./chunk-NLX2LEXV.js";
import "./chunk-LWH7DEBG.js";
import "./chunk-NRN5HDCZ.js";
import "./chunk-6B73ZJPQ.js";
import "./chunk-VBV66OCF.js";
import {
  escapeLog,
  escapeMarkdown
} from "./chunk-4CY5QMJ4.js";
import "./chunk-O6SZIQSQ.js";
import "./chunk-LOAWET6W.js";
import "./chunk-FVSSEFCQ.js";
import "./chunk-I32IJZLF.js";
import "./chunk-HSQZZC7B.js";
import "./chunk-UHECHRFN.js";
import {
  ConfigError
} from "./chunk-WW3ZWNRQ.js";
import "./chunk-DDCI7ZLU.js";

// src/commands/plan.ts
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

// src/github/pr-plan.ts
var PLAN_MARKER = "<!-- certwarden:plan -->";
function meaning(t, root) {
  const { location: _l, paths: _p, ...rest } = t;
  let text = JSON.stringify(rest);
  if (root) text = text.split(JSON.stringify(root.replace(/[\\/]+$/, "")).slice(1, -1)).join("<checkout>");
  return JSON.parse(text);
}
function diffInventories(base, head, roots = {}) {
  const before = new Map((base?.targets ?? []).map((t) => [t.id, meaning(t, roots.base)]));
  const after = new Map(head.targets.map((t) => [t.id, meaning(t, roots.head)]));
  const added = [...after.keys()].filter((id) => !before.has(id)).sort();
  const removed = [...before.keys()].filter((id) => !after.has(id)).sort();
  const changed = [];
  for (const [id, a] of after) {
    const b = before.get(id);
    if (!b) continue;
    const keys = [.../* @__PURE__ */ new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    const fields = keys.filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
    if (fields.length) changed.push({ id, fields });
  }
  changed.sort((x, y) => x.id.localeCompare(y.id));
  return { added, removed, changed };
}
function planCommentBody(diff, opts = {
  baseRef: null
}) {
  const lines = [PLAN_MARKER, "### certwarden plan", ""];
  if (opts.problems)
    lines.push(`**${opts.problems} inventory problem(s)**: see the annotations on the changed lines.`, "");
  const n = diff.added.length + diff.removed.length + diff.changed.length;
  lines.push(
    n ? `Compared with ${escapeMarkdown(opts.baseRef ?? "the base branch")}: ${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed.` : `No target changes compared with ${escapeMarkdown(opts.baseRef ?? "the base branch")}.`,
    ""
  );
  const scanOf = new Map((opts.scan?.targets ?? []).map((t) => [t.id, t]));
  const findingsOf = (id) => (opts.scan?.findings ?? []).filter((f) => f.target === id && !f.waived);
  const live = (id) => {
    if (!opts.scan) return "";
    const t = scanOf.get(id);
    if (!t) return " \u2014 not scanned here";
    const fs = findingsOf(id).sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
    const cert = t.certificates[0];
    const days = cert ? `, ${cert.daysRemaining} days left` : "";
    if (t.status === "unreachable")
      return ` \u2014 unreachable from this runner${fs[0] ? `: ${escapeMarkdown(fs[0].message)}` : ""}`;
    if (!fs.length) return ` \u2014 live: ok${days}`;
    return ` \u2014 live: ${fs.length} finding(s)${days}: ${fs.slice(0, 3).map((f) => `${escapeMarkdown(f.severity)} ${escapeMarkdown(f.check)}: ${escapeMarkdown(f.message)}`).join("; ")}${fs.length > 3 ? "; \u2026" : ""}`;
  };
  if (diff.added.length) lines.push("**Added**", ...diff.added.map((id) => `- ${escapeMarkdown(id)}${live(id)}`), "");
  if (diff.changed.length)
    lines.push(
      "**Changed**",
      ...diff.changed.map((c) => `- ${escapeMarkdown(c.id)} (${c.fields.map(escapeMarkdown).join(", ")})${live(c.id)}`),
      ""
    );
  if (diff.removed.length) lines.push("**Removed**", ...diff.removed.map((id) => `- ${escapeMarkdown(id)}`), "");
  if (opts.scanNote) lines.push(`_${escapeMarkdown(opts.scanNote)}_`, "");
  const body = lines.join("\n");
  return body.length < 6e4 ? body : `${body.slice(0, 6e4)}

\u2026 (truncated)`;
}
async function upsertPlanComment(gh, repo, issueNumber, botLogin, body) {
  const where = `/repos/${repo.owner}/${repo.repo}/issues/${issueNumber}/comments`;
  try {
    const comments = await gh.paginate(gh.rest.issues.listComments, {
      ...repo,
      issue_number: issueNumber,
      per_page: 100
    });
    const mine = comments.find(
      (c) => (c.user?.login ?? "").toLowerCase() === botLogin.toLowerCase() && (c.body ?? "").includes(PLAN_MARKER)
    );
    if (mine) {
      if ((mine.body ?? "").trim() === body.trim()) return { id: mine.id, written: false };
      await gh.rest.issues.updateComment({ ...repo, comment_id: mine.id, body });
      return { id: mine.id, written: true };
    }
    const { data } = await gh.rest.issues.createComment({
      ...repo,
      issue_number: issueNumber,
      body,
      request: { retries: 0 }
    });
    return { id: data.id, written: true };
  } catch (e) {
    throw new GitHubRequestError(`${where}`, e);
  }
}

// src/commands/plan.ts
var run = promisify(execFile);
async function loadAtRef(opts, ref, use) {
  const cwd = opts.workspace;
  let dir = null;
  try {
    const { stdout } = await run("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { cwd });
    dir = await mkdtemp(path.join(tmpdir(), "certwarden-base-"));
    await run("git", ["worktree", "add", "--detach", dir, stdout.trim()], { cwd });
    const dirs = opts.scan.inventoryDirs.map((d) => path.join(dir, path.relative(cwd, d)));
    try {
      use((await load({ ...opts.scan, inventoryDirs: dirs })).inventory, dir);
      return { note: null };
    } catch (e) {
      if (e instanceof ConfigError)
        return { note: `the inventory at ${ref} does not load; every target counts as added` };
      throw e;
    }
  } catch (e) {
    (opts.logger ?? silentLogger).warn(
      `cannot read the inventory at ${escapeLog(ref)} (${escapeLog(e instanceof Error ? e.message.split("\n")[0] ?? "" : String(e))}); fetch it (actions/checkout with fetch-depth: 0)`
    );
    return { note: `base ${ref} not available on the runner; every target counts as added` };
  } finally {
    if (dir) {
      await run("git", ["worktree", "remove", "--force", dir], { cwd }).catch(() => void 0);
      await rm(dir, { recursive: true, force: true });
    }
  }
}
async function planOfChanges(opts, head) {
  let diff = diffInventories(null, head);
  const base = opts.baseRef ? await loadAtRef(
    opts,
    opts.baseRef,
    (inv, root) => diff = diffInventories(inv, head, { base: root, head: opts.workspace })
  ) : { note: "no base ref (not a pull request); every target counts as added" };
  let scanReport = null;
  let scanNote = base.note;
  const ids = [...diff.added, ...diff.changed.map((c) => c.id)];
  if (opts.scanChanged && ids.length) {
    try {
      scanReport = (await runScan({ ...opts.scan, targets: ids, zone: void 0 })).report;
    } catch (e) {
      scanNote = `live scan skipped: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`;
    }
  }
  return { body: planCommentBody(diff, { baseRef: opts.baseRef, scan: scanReport, scanNote }), diff };
}
async function postPlan(c, body, logger) {
  try {
    const gh = connectGitHub({ token: c.token, apiUrl: c.apiUrl, logger });
    const bot = await resolveBotLogin(gh, c.botLogin);
    return (await upsertPlanComment(gh, c.repo, c.pullRequest, bot, body)).id;
  } catch (e) {
    logger.warn(
      `could not write the plan comment (${escapeLog(e instanceof Error ? e.message : String(e))}); the plan is in the job summary`
    );
    return null;
  }
}
async function plan(opts) {
  const { body, diff } = opts.head ? await planOfChanges(opts, opts.head) : {
    body: planCommentBody(
      { added: [], removed: [], changed: [] },
      { baseRef: opts.baseRef, problems: opts.problems }
    ),
    diff: null
  };
  const commentId = opts.comment ? await postPlan(opts.comment, body, opts.logger ?? silentLogger) : null;
  return { body, diff, commentId };
}

// src/action/plan.ts
var planMode = async (inputs, io) => {
  const checked = await validateInputs(inputs, io);
  const gh = gitHubAccess(io);
  const pullRequest = io.event.pullRequest;
  const res = await plan({
    scan: scanOptions(inputs, io),
    head: checked.valid?.loaded.inventory ?? null,
    problems: Number(checked.mode.outputs["problems"]),
    workspace: inputs.workspace,
    baseRef: inputs.baseRef,
    scanChanged: inputs.scanChanged,
    comment: pullRequest && gh.repo && inputs.token && !inputs.dryRun ? {
      pullRequest,
      repo: gh.repo,
      token: inputs.token,
      ...gh.apiUrl ? { apiUrl: gh.apiUrl } : {},
      ...inputs.botLogin ? { botLogin: inputs.botLogin } : {}
    } : null,
    logger: io.logger
  });
  const outputs = res.diff ? {
    problems: "0",
    added: res.diff.added.join(","),
    removed: res.diff.removed.join(","),
    changed: res.diff.changed.map((c) => c.id).join(",")
  } : { ...checked.mode.outputs };
  if (res.commentId !== null) outputs["comment-id"] = String(res.commentId);
  return { outputs, summary: res.body, failure: checked.mode.failure };
};
export {
  planMode
};
