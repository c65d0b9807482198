import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  SEVERITY_RANK
} from "./chunk-KNCNIMYE.js";
import {
  escapeCodeBlock,
  escapeMarkdown,
  escapeTitle,
  markerValue,
  readMarkerValue
} from "./chunk-4CY5QMJ4.js";
import {
  parseSecretYaml
} from "./chunk-O6SZIQSQ.js";
import {
  require_dist
} from "./chunk-LOAWET6W.js";
import {
  readFailure,
  safeReadTextSync
} from "./chunk-UHECHRFN.js";
import {
  ConfigError
} from "./chunk-WW3ZWNRQ.js";
import {
  __toESM
} from "./chunk-DDCI7ZLU.js";

// src/github/markers.ts
var LABEL = "certwarden";
var DASHBOARD_LABEL = "certwarden:dashboard";
var PR_LABEL = "certwarden:pr";
var DASHBOARD_TITLE = "certwarden dashboard";
function findingMarker(id) {
  return `<!-- certwarden:finding=${markerValue(id)} -->`;
}
function targetMarker(target) {
  return `<!-- certwarden:target=${markerValue(target)} -->`;
}
var DASHBOARD_MARKER = "<!-- certwarden:dashboard -->";
function prMarker(m) {
  const parts = [
    `kind=${markerValue(m.kind)}`,
    `target=${markerValue(m.target)}`,
    `key=${markerValue(m.key)}`,
    `head=${m.head ? markerValue(m.head) : "-"}`
  ];
  if (m.closedBy) parts.push(`closed-by=${m.closedBy}`);
  return `<!-- certwarden:pr ${parts.join(" ")} -->`;
}
function closedMarker(id) {
  return `<!-- certwarden:closed=${markerValue(id)} -->`;
}
var CLOSED_BY_RE = /\n*<!-- certwarden:closed-by=certwarden reason=([a-z-]+) -->\n*/;
function withClosedByMarker(body, reason) {
  return `${body.replace(CLOSED_BY_RE, "").trimEnd()}

<!-- certwarden:closed-by=certwarden reason=${reason} -->
`;
}
function parseClosedByMarker(body) {
  const m = CLOSED_BY_RE.exec(body ?? "");
  const r = m?.[1];
  return r === "fixed" || r === "waived" || r === "below-threshold" || r === "duplicate" ? r : null;
}
function reopenedMarker(id, when) {
  return `<!-- certwarden:reopened=${markerValue(id)} at=${markerValue(when)} -->`;
}
function parseFindingMarker(body) {
  const m = /<!-- certwarden:finding=(\S+) -->/.exec(body ?? "");
  return m ? readMarkerValue(m[1]) : null;
}
function parseTargetMarker(body) {
  const m = /<!-- certwarden:target=(\S+) -->/.exec(body ?? "");
  return m ? readMarkerValue(m[1]) : null;
}
function hasDashboardMarker(body) {
  return (body ?? "").includes(DASHBOARD_MARKER);
}
function parsePrMarker(body) {
  const m = /<!-- certwarden:pr ([^<>]*?) -->/.exec(body ?? "");
  if (!m) return null;
  const fields = /* @__PURE__ */ new Map();
  for (const part of m[1].split(" ")) {
    const eq = part.indexOf("=");
    if (eq > 0) fields.set(part.slice(0, eq), readMarkerValue(part.slice(eq + 1)));
  }
  const kind = fields.get("kind");
  const target = fields.get("target");
  const key = fields.get("key");
  if (!kind || !target || !key) return null;
  const head = fields.get("head");
  return {
    kind,
    target,
    key,
    head: head && head !== "-" ? head : null,
    closedBy: fields.get("closed-by") === "certwarden" ? "certwarden" : null
  };
}
function withPrMarker(body, m) {
  const re = /<!-- certwarden:pr [^<>]*? -->/;
  return re.test(body) ? body.replace(re, prMarker(m)) : `${body}
${prMarker(m)}
`;
}

// src/github/plan-input.ts
import { createHash } from "node:crypto";
import path from "node:path";
function indexInput(input) {
  const targets = new Map(input.report.targets.map((t) => [t.id, t]));
  const certs = /* @__PURE__ */ new Map();
  for (const t of input.report.targets)
    for (const c of t.certificates) if (!certs.has(c.sha256)) certs.set(c.sha256, c);
  const invTargets = new Map((input.inventory?.targets ?? []).map((t) => [t.id, t]));
  const findingsByTarget = /* @__PURE__ */ new Map();
  for (const f of input.report.findings) {
    if (f.waived) continue;
    const list = findingsByTarget.get(f.target) ?? [];
    list.push(f);
    findingsByTarget.set(f.target, list);
  }
  return { targets, certs, invTargets, findingsByTarget };
}
function ownersOf(target, idx, input) {
  const rt = idx.targets.get(target);
  if (rt?.owners?.length) return rt.owners;
  const it = idx.invTargets.get(target);
  if (it?.owners.length) return it.owners;
  const inv = input.inventory?.inventories.find((d) => d.name === it?.inventory);
  return inv?.owners ?? [];
}
function parseOwners(owners) {
  const users = [];
  const teams = [];
  for (const o of owners) {
    const m = /^@?([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))(?:\/([A-Za-z0-9._-]{1,100}))?$/.exec(o.trim());
    if (!m) continue;
    if (m[2]) teams.push({ org: m[1], slug: m[2] });
    else users.push(m[1]);
  }
  return { users: [...new Set(users)], teams };
}
function repoPath(file, repoRoot = ".") {
  const rel = path.isAbsolute(file) ? path.relative(path.resolve(repoRoot), file) : path.normalize(file);
  const posix = rel.split(path.sep).join("/");
  if (!posix || posix.startsWith("../") || posix === ".." || path.isAbsolute(posix)) return null;
  return posix.replace(/^\.\//, "");
}
function branchName(kind, target) {
  const parts = target.replace(/[^A-Za-z0-9._/-]/g, "-").split("/").map(
    (c) => c.replace(/\.{2,}/g, ".").replace(/^[.-]+/, "").replace(/\.lock$/, "-lock").replace(/\.$/, "")
  ).filter(Boolean);
  return `certwarden/${kind}/${parts.join("/") || "target"}`;
}
function changeKey(parts) {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 16);
}

// src/github/render.ts
var BODY_LIMIT = 65536;
var DASHBOARD_BUDGET = 6e4;
function issueTitle(f, cert) {
  const check = f.rule && f.rule !== f.check ? `${f.check}/${f.rule}` : f.check;
  const cn = cert?.subject.CN ? ` (${cert.subject.CN})` : "";
  return escapeTitle(`[${f.severity}] ${check}: ${f.target}${cn}`);
}
function certLines(c) {
  return [
    `| Subject | ${escapeMarkdown(c.subject.dn)} |`,
    `| Issuer | ${escapeMarkdown(c.issuer.dn)} |`,
    `| Not after | ${escapeMarkdown(c.notAfter)} |`,
    `| SHA-256 | ${escapeMarkdown(c.sha256)} |`,
    ...c.dnsNames.length ? [
      `| DNS names | ${c.dnsNames.slice(0, 20).map(escapeMarkdown).join(", ")}${c.dnsNames.length > 20 ? ", \u2026" : ""} |`
    ] : []
  ];
}
function issueBody(f, cert, target, extraBody) {
  const lines = [
    findingMarker(f.id),
    targetMarker(f.target),
    "",
    `**${escapeMarkdown(f.message)}**`,
    "",
    "| | |",
    "|---|---|",
    `| Severity | ${escapeMarkdown(f.severity)} |`,
    `| Check | ${escapeMarkdown(f.check)}${f.rule ? ` (rule ${escapeMarkdown(f.rule)})` : ""} |`,
    `| Target | ${escapeMarkdown(f.target)} |`
  ];
  const loc = f.location ?? (target ? { file: target.inventory.file, line: target.inventory.line, column: 1 } : null);
  if (loc) lines.push(`| Inventory | ${escapeMarkdown(`${loc.file}:${loc.line}`)} |`);
  if (cert) lines.push(...certLines(cert));
  else if (f.certificate) lines.push(`| Certificate | ${escapeMarkdown(f.certificate)} |`);
  if (f.remediation) {
    const { kind, ...rest } = f.remediation;
    const extra = Object.entries(rest).filter(([, v]) => typeof v === "string" || typeof v === "number").map(([k, v]) => `${escapeMarkdown(k)}: ${escapeMarkdown(String(v))}`);
    lines.push(`| Remediation | ${escapeMarkdown(kind)}${extra.length ? ` (${extra.join("; ")})` : ""} |`);
  }
  if (extraBody) lines.push("", extraBody);
  lines.push(
    "",
    `Finding id: ${escapeMarkdown(f.id)}. This issue is kept in step by certwarden: it is closed when the finding is gone.`
  );
  return clampBody(lines.join("\n"));
}
function closeComment(reason, f, when) {
  const text = {
    fixed: `certwarden no longer finds this problem (scan of ${escapeMarkdown(when)}). Closing.`,
    waived: `This finding is now waived${f?.waived ? `: ${escapeMarkdown(f.waived.reason)} (owner ${escapeMarkdown(f.waived.owner)}, until ${escapeMarkdown(f.waived.expires)})` : ""}. Closing.`,
    "below-threshold": `This finding's severity (${escapeMarkdown(f?.severity ?? "")}) is now below the threshold for issues. Closing.`,
    duplicate: "Another certwarden issue tracks this finding. Closing this duplicate."
  }[reason];
  return text;
}
function reopenComment(reason, when) {
  return reason === "back" ? `certwarden finds this problem again (scan of ${escapeMarkdown(when)}). Reopening.` : `Still present in the scan of ${escapeMarkdown(when)}; closing an issue does not fix the certificate \u2014 add a waiver in git to accept it. Reopening.`;
}
function bucket(days) {
  if (days === null) return "no certificate";
  if (days < 0) return "expired";
  if (days <= 7) return "\u2264 7 days";
  if (days <= 30) return "\u2264 30 days";
  return "later";
}
function dayOf(evaluatedAt) {
  const t = Date.parse(evaluatedAt);
  return Number.isNaN(t) ? escapeMarkdown(evaluatedAt) : `${new Date(t).toISOString().slice(0, 10)} UTC`;
}
function dashboardBody(report, groupOf2, links, findingsByTarget, runUrl) {
  const groups = /* @__PURE__ */ new Map();
  let extra = "";
  for (const t of report.targets) {
    const g = groupOf2(t);
    const rows = groups.get(g) ?? [];
    groups.set(g, rows);
    const refs = [
      ...(findingsByTarget.get(t.id) ?? []).map((f) => {
        const n = links.issues.get(f.id);
        return n ? `#${n}` : null;
      }),
      ...(links.pulls.get(t.id) ?? []).map((n) => `#${n}`)
    ].filter((x) => x !== null);
    const refText = refs.length ? [...new Set(refs)].join(" ") : "";
    if (!t.certificates.length) {
      rows.push({ days: null, line: `| \u2014 | ${escapeMarkdown(t.id)} | \u2014 | ${escapeMarkdown(t.status)} | \u2014 | ${refText} |` });
      continue;
    }
    for (const c of t.certificates) {
      rows.push({
        days: c.daysRemaining,
        line: `| ${c.daysRemaining} | ${escapeMarkdown(t.id)} | ${escapeMarkdown(c.role)} | ${escapeMarkdown(c.subject.CN ?? c.subject.dn)} | ${escapeMarkdown(c.notAfter.slice(0, 10))} | ${refText} |`
      });
    }
  }
  const s = report.summary;
  const head = [
    DASHBOARD_MARKER,
    `# ${DASHBOARD_TITLE}`,
    "",
    `Days left as of ${dayOf(report.evaluatedAt)}: ${s.targets} targets, ${s.certificates} certificates; findings: ${s.findings.error} error, ${s.findings.warning} warning, ${s.findings.info} info; ${s.waived} waived.`,
    "",
    ""
  ].join("\n");
  const scanned = new Set(report.targets.map((t) => t.id));
  const others = [...findingsByTarget.entries()].filter(([t]) => !scanned.has(t));
  if (others.length) {
    const rows = others.flatMap(
      ([t, fs]) => fs.map((f) => {
        const n = links.issues.get(f.id);
        const refs = [n ? `#${n}` : "", ...(links.pulls.get(t) ?? []).map((p) => `#${p}`)].filter(Boolean).join(" ");
        return `| ${escapeMarkdown(f.severity)} | ${escapeMarkdown(t)} | ${escapeMarkdown(f.check)} | ${refs} |`;
      })
    );
    extra = `## Other findings (${rows.length})

| Severity | Bundle or object | Check | Issues and PRs |
|---|---|---|---|
${rows.slice(0, 200).join("\n")}
`;
  }
  const tableHead = "| Days left | Target | Role | Subject | Not after | Issues and PRs |\n|---:|---|---|---|---|---|";
  const names = [...groups.keys()].sort();
  const sections = /* @__PURE__ */ new Map();
  for (const name of names) {
    const rows = (groups.get(name) ?? []).sort((a, b) => (a.days ?? -Infinity) - (b.days ?? -Infinity));
    sections.set(
      name,
      `## ${escapeMarkdown(name)} (${rows.length})

${tableHead}
${rows.map((r) => r.line).join("\n")}
`
    );
  }
  if (extra) sections.set("\0other", extra);
  const total = () => head.length + [...sections.values()].reduce((n, v) => n + v.length + 1, 0);
  const bySize = [...names].sort((a, b) => (sections.get(b)?.length ?? 0) - (sections.get(a)?.length ?? 0));
  for (const name of bySize) {
    if (total() <= DASHBOARD_BUDGET) break;
    const rows = groups.get(name) ?? [];
    const counts = /* @__PURE__ */ new Map();
    for (const r of rows) counts.set(bucket(r.days), (counts.get(bucket(r.days)) ?? 0) + 1);
    const summary = ["expired", "\u2264 7 days", "\u2264 30 days", "later", "no certificate"].filter((b) => counts.get(b)).map((b) => `${counts.get(b)} ${b}`).join(", ");
    const soonest = rows.slice(0, 10).map((r) => r.line);
    const more = runUrl ? `the full table is in the [job summary](${runUrl})` : "the full table is in the job summary of the scan";
    sections.set(
      name,
      `## ${escapeMarkdown(name)} (${rows.length})

${summary}. Folded: the 10 soonest are below, ${more}.

${tableHead}
${soonest.join("\n")}
`
    );
  }
  let body = `${head}${[...sections.values()].join("\n")}`;
  if (body.length > DASHBOARD_BUDGET) {
    let kept = head;
    let omitted = 0;
    for (const v of sections.values()) {
      if (kept.length + v.length + 200 > DASHBOARD_BUDGET) omitted++;
      else kept += `${v}
`;
    }
    body = `${kept}
${omitted} more inventories are left out to keep this issue under GitHub's size limit; see the job summary.
`;
  }
  return body;
}
function renewalNoteBody(note) {
  const code = (lines) => [
    "```sh",
    ...lines.map((l) => escapeCodeBlock(l.replace(/[\r\n]+/g, " "))),
    "```"
  ];
  const runbook = note.runbook ? ["", `Runbook: ${escapeMarkdown(note.runbook)}`] : [];
  if (note.method === "manual")
    return [
      "### How to renew",
      "",
      note.runbook ? `Follow the inventory's runbook: ${escapeMarkdown(note.runbook)}` : "This certificate is renewed by hand; the inventory gives no runbook."
    ].join("\n");
  if (note.method === "kubeadm") {
    const lines = ["### How to renew (kubeadm)", ""];
    if (note.renew.length)
      lines.push(
        `On control-plane node ${escapeMarkdown(note.node)}, renew exactly the expiring certificates:`,
        "",
        ...code(note.renew.map((n) => `sudo kubeadm certs renew ${n}`)),
        "",
        "Then restart the control-plane static pods so they load the new certificates (kubeadm does not restart them):",
        "",
        ...code([
          "sudo mkdir -p /etc/kubernetes/manifests.off",
          "sudo mv /etc/kubernetes/manifests/*.yaml /etc/kubernetes/manifests.off/",
          "sleep 20   # wait until the kubelet has stopped the pods",
          "sudo mv /etc/kubernetes/manifests.off/*.yaml /etc/kubernetes/manifests/",
          "sudo kubeadm certs check-expiration"
        ]),
        "",
        ...note.renew.some((n) => n.endsWith(".conf")) ? [
          "Renewed kubeconfigs: copy the new `admin.conf` to the users who use it (e.g. `~/.kube/config`).",
          ""
        ] : []
      );
    for (const o of note.other) lines.push(`- ${escapeMarkdown(o.file)}: ${escapeMarkdown(o.advice)}`);
    lines.push(...runbook);
    return lines.join("\n");
  }
  const ns = note.secret?.namespace ?? "<namespace>";
  const secret = note.secret?.name ?? "<secret>";
  const cert = secret;
  return [
    "### How to renew (cert-manager)",
    "",
    `cert-manager should have renewed this certificate before now: the Certificate for Secret ${escapeMarkdown(`${ns}/${secret}`)}${note.cluster ? ` in cluster ${escapeMarkdown(note.cluster)}` : ""} is probably not Ready or past its renewalTime. Check:`,
    "",
    ...code([
      `kubectl -n ${ns} get certificate -o wide`,
      `kubectl -n ${ns} describe certificate ${cert}   # Ready condition, renewalTime, last failure`,
      `kubectl -n ${ns} get certificaterequests,orders,challenges`,
      "kubectl get clusterissuers,issuers -A   # is the issuer Ready?",
      "kubectl -n cert-manager logs deploy/cert-manager --since=24h | grep -i error",
      `cmctl renew -n ${ns} ${cert}   # once the cause is fixed, force a renewal`
    ]),
    ...runbook
  ].join("\n");
}
function clampBody(body) {
  return body.length < BODY_LIMIT - 1e3 ? body : `${body.slice(0, BODY_LIMIT - 1100)}

\u2026 (truncated)`;
}

// src/github/plan-dashboard.ts
function groupOf(input) {
  const byFile = new Map(
    (input.inventory?.inventories ?? []).map((d) => [repoPath(d.file, input.repoRoot) ?? d.file, d.name])
  );
  const invTargets = new Map((input.inventory?.targets ?? []).map((t) => [t.id, t.inventory]));
  return (t) => invTargets.get(t.id) ?? byFile.get(repoPath(t.inventory.file, input.repoRoot) ?? t.inventory.file) ?? t.inventory.file;
}
function planDashboard(input, links) {
  const idx = indexInput(input);
  const body = dashboardBody(input.report, groupOf(input), links, idx.findingsByTarget, input.runUrl);
  const existing = input.existing.issues.filter((i) => i.dashboard).sort((a, b) => a.number - b.number)[0];
  if (!existing)
    return { op: "create-dashboard", title: DASHBOARD_TITLE, body, labels: [LABEL, DASHBOARD_LABEL] };
  if (existing.body.trim() === body.trim() && existing.title === DASHBOARD_TITLE)
    return { op: "none", number: existing.number };
  return { op: "update-dashboard", number: existing.number, title: DASHBOARD_TITLE, body };
}

// src/renewal/plan.ts
import { createHash as createHash2 } from "node:crypto";

// src/renewal/request.ts
var import_yaml = __toESM(require_dist(), 1);
import { readdirSync, existsSync, statSync } from "node:fs";
import path2 from "node:path";
var MAX_REQUEST_ALIASES = 10;
var KEY_TYPES = ["RSA", "EC", "Ed25519"];
function fail(file, line, message) {
  throw new ConfigError(message, { file, line, column: 1 });
}
function parseRenewalRequest(text, file) {
  const parsed = parseSecretYaml(text, file, MAX_REQUEST_ALIASES);
  if (!parsed.ok) throw new ConfigError([parsed.problem]);
  const r = parsed.data;
  const need = (ok, what) => {
    if (!ok) fail(file, 1, `renewal request: ${what}`);
  };
  need(
    r && r.apiVersion === "certwarden/v1" && r.kind === "RenewalRequest",
    "expected 'apiVersion: certwarden/v1' and 'kind: RenewalRequest'"
  );
  const m = r.metadata;
  const s = r.spec;
  need(
    m && typeof m.target === "string" && typeof m.id === "string" && typeof m.createdAt === "string",
    "metadata needs target, id and createdAt (strings)"
  );
  need(s && s.method === "kubernetes-csr", "spec.method must be 'kubernetes-csr'");
  need(
    typeof s.cluster === "string" && typeof s.signerName === "string",
    "spec needs cluster and signerName"
  );
  need(
    Array.isArray(s.usages) && s.usages.every((u) => typeof u === "string"),
    "spec.usages must be a list of key usages, e.g. [digital signature, key encipherment, server auth]"
  );
  need(s.subject && typeof s.subject.CN === "string", "spec.subject.CN is required");
  need(s.key && KEY_TYPES.includes(s.key.type), `spec.key.type must be one of ${KEY_TYPES.join(", ")}`);
  need(
    s.secret && typeof s.secret.namespace === "string" && typeof s.secret.name === "string",
    "spec.secret needs namespace and name"
  );
  if (s.expirationSeconds !== void 0)
    need(
      Number.isInteger(s.expirationSeconds) && s.expirationSeconds >= 600,
      "spec.expirationSeconds must be a whole number \u2265 600 (the Kubernetes minimum)"
    );
  if (r.status)
    need(
      ["pending", "applied", "failed"].includes(r.status.state),
      "status.state must be pending, applied or failed"
    );
  return r;
}
function renderRenewalRequest(r) {
  return `# certwarden renewal request for target '${r.metadata.target}'. Merging the pull request that adds this
# file approves it: \`certwarden renew\` then creates the CertificateSigningRequest, approves it citing
# the pull request, and writes the new certificate and key to the Secret. No key material is stored here.
${(0, import_yaml.stringify)(r, { lineWidth: 0 })}`;
}
function readRenewalRequests(dir) {
  if (!existsSync(dir)) return [];
  if (!statSync(dir).isDirectory())
    throw new ConfigError(`renewals folder ${dir} is not a folder`, { file: dir, line: 1, column: 1 });
  return readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => {
    const file = path2.join(dir, f);
    return { file, request: parseRenewalRequest(readRequestFile(file, dir), file) };
  });
}
function readRequestFile(file, dir) {
  try {
    return safeReadTextSync(file, { kind: "renewal", within: dir });
  } catch (e) {
    throw new ConfigError(`renewal request: ${readFailure(e)}`, { file, line: 1, column: 1 });
  }
}
function requestFileName(target) {
  return `${target.replace(/[^A-Za-z0-9._-]/g, "_")}.yaml`;
}

// src/renewal/plan.ts
var RENEWALS_DIR = "renewals";
function renewalPath(target) {
  return `${RENEWALS_DIR}/${requestFileName(target)}`;
}
var CURVE_ALIASES = {
  "p-256": "P-256",
  prime256v1: "P-256",
  secp256r1: "P-256",
  "p-384": "P-384",
  secp384r1: "P-384",
  "p-521": "P-521",
  secp521r1: "P-521"
};
function curveName(c) {
  return c ? CURVE_ALIASES[c.toLowerCase()] ?? null : null;
}
function keyAllowFor(target, policies) {
  if (!policies) return null;
  const out = [];
  let found = false;
  for (const name of target.policies) {
    for (const rule of policies.policies.get(name)?.rules ?? []) {
      if (rule.check !== "key" || !Array.isArray(rule.params["allow"])) continue;
      found = true;
      for (const a of rule.params["allow"]) {
        if (a && typeof a === "object" && typeof a.type === "string") out.push(a);
      }
    }
  }
  return found ? out : null;
}
function keySpecFor(cert, allow) {
  const allowed = (type) => !allow || allow.some((a) => a.type.toUpperCase() === type.toUpperCase());
  const rsa = () => {
    const policyMin = Math.max(
      0,
      ...(allow ?? []).filter((a) => a.type.toUpperCase() === "RSA").map((a) => a.minBits ?? 0)
    );
    const current2 = cert?.keyType === "RSA" ? cert.keyBits ?? 0 : 0;
    return { type: "RSA", bits: Math.max(2048, policyMin, current2) };
  };
  const ec = () => {
    const curves = (allow ?? []).filter((a) => a.type.toUpperCase() === "EC").flatMap((a) => a.curves ?? []).map(curveName).filter((c) => c !== null);
    const current2 = cert?.keyType === "EC" ? curveName(cert.curve) : null;
    if (current2 && (!curves.length || curves.includes(current2))) return { type: "EC", curve: current2 };
    return { type: "EC", curve: curves.includes("P-256") || !curves.length ? "P-256" : curves[0] };
  };
  const byType = { RSA: rsa, EC: ec, Ed25519: () => ({ type: "Ed25519" }) };
  const current = cert?.keyType;
  if (current && byType[current] && allowed(current)) return byType[current]();
  for (const a of allow ?? []) {
    const t = Object.keys(byType).find((k) => k.toUpperCase() === a.type.toUpperCase());
    if (t) return byType[t]();
  }
  return ec();
}
function renewalSecret(t) {
  if (t.renewal?.secret) return t.renewal.secret;
  if (t.source.kind === "kubernetes" && t.source.kubernetes.kind === "Secret" && t.source.kubernetes.namespace)
    return { namespace: t.source.kubernetes.namespace, name: t.source.kubernetes.name };
  return null;
}
function renewalCluster(t) {
  if (typeof t.renewal?.["cluster"] === "string") return t.renewal["cluster"];
  if (t.source.kind === "kubernetes") return t.source.kubernetes.cluster;
  return null;
}
function requestId(target, spec, retryOf = null) {
  return createHash2("sha256").update(JSON.stringify({ target, spec, retryOf })).digest("hex").slice(0, 20);
}
function renewalCandidates(report, inventory) {
  if (!inventory) return [];
  const targets = new Map(inventory.targets.map((t) => [t.id, t]));
  const certs = /* @__PURE__ */ new Map();
  for (const t of report.targets)
    for (const c of t.certificates) if (!certs.has(c.sha256)) certs.set(c.sha256, c);
  const best = /* @__PURE__ */ new Map();
  for (const f of report.findings) {
    if (f.check !== "expiry" || f.waived || SEVERITY_RANK[f.severity] < SEVERITY_RANK.warning) continue;
    const t = targets.get(f.target);
    if (!t?.renewal) continue;
    const cert = f.certificate ? certs.get(f.certificate) : void 0;
    const prev = best.get(t.id);
    const rank = (c) => SEVERITY_RANK[c.finding.severity] * 2 + (c.cert?.role === "leaf" || !c.cert ? 1 : 0);
    const cand = { target: t, finding: f, cert };
    if (!prev || rank(cand) > rank(prev)) best.set(t.id, cand);
  }
  return [...best.values()].sort((a, b) => a.target.id.localeCompare(b.target.id));
}
function defaultUsages(cert) {
  const server = !!cert && (cert.dnsNames.length > 0 || cert.ipAddresses.length > 0);
  return ["digital signature", "key encipherment", server ? "server auth" : "client auth"];
}
function planRenewalRequest(c, opts) {
  const t = c.target;
  const target = t.id;
  const r = t.renewal;
  const cluster = renewalCluster(t);
  const secret = renewalSecret(t);
  if (!r.signerName) return { op: "skip", target, reason: "renewal.signerName is not set in the inventory" };
  if (!cluster)
    return { op: "skip", target, reason: "no cluster: set renewal.cluster or use a kubernetes source" };
  if (!secret)
    return { op: "skip", target, reason: "no target Secret: set renewal.secret {namespace, name}" };
  if (!c.cert) return { op: "skip", target, reason: "the expiring certificate is not in the report" };
  if (c.cert.role !== "leaf")
    return {
      op: "skip",
      target,
      reason: `the expiring certificate is a ${c.cert.role} CA; a CSR renews only the leaf`
    };
  const subject = { CN: c.cert.subject.CN ?? "" };
  if (!subject.CN) return { op: "skip", target, reason: "the current certificate has no CN to request" };
  if (c.cert.subject.O.length) subject.O = [...c.cert.subject.O];
  if (c.cert.subject.OU.length) subject.OU = [...c.cert.subject.OU];
  const spec = {
    method: "kubernetes-csr",
    cluster,
    signerName: r.signerName,
    usages: r.usages?.length ? [...r.usages] : defaultUsages(c.cert),
    ...r.expirationSeconds !== void 0 ? { expirationSeconds: r.expirationSeconds } : {},
    subject,
    ...c.cert.dnsNames.length ? { dnsNames: [...c.cert.dnsNames] } : {},
    ...c.cert.ipAddresses.length ? { ipAddresses: [...c.cert.ipAddresses] } : {},
    key: opts.key,
    secret: { namespace: secret.namespace, name: secret.name },
    replaces: c.cert.sha256
  };
  let previous = null;
  if (opts.baseFile !== null) {
    try {
      previous = parseRenewalRequest(opts.baseFile, renewalPath(target));
    } catch {
      previous = null;
    }
  }
  let retryOf = null;
  if (previous && previous.spec.replaces === c.cert.sha256) {
    const state = previous.status?.state ?? "pending";
    if (state === "pending")
      return {
        op: "skip",
        target,
        reason: `request ${previous.metadata.id} is merged and waits for 'certwarden renew'`
      };
    if (state === "applied")
      return {
        op: "skip",
        target,
        reason: `request ${previous.metadata.id} was applied; the next scan should see the new certificate`
      };
    retryOf = previous.metadata.id;
  }
  const request = {
    apiVersion: "certwarden/v1",
    kind: "RenewalRequest",
    metadata: {
      target,
      id: requestId(target, spec, retryOf),
      createdAt: opts.createdAt,
      finding: c.finding.id
    },
    spec
  };
  return { op: "propose", target, path: renewalPath(target), request, cert: c.cert, previous };
}
var KUBEADM_CERT_NAMES = {
  "pki/apiserver.crt": "apiserver",
  "pki/apiserver-kubelet-client.crt": "apiserver-kubelet-client",
  "pki/apiserver-etcd-client.crt": "apiserver-etcd-client",
  "pki/front-proxy-client.crt": "front-proxy-client",
  "pki/etcd/server.crt": "etcd-server",
  "pki/etcd/peer.crt": "etcd-peer",
  "pki/etcd/healthcheck-client.crt": "etcd-healthcheck-client",
  "admin.conf": "admin.conf",
  "super-admin.conf": "super-admin.conf",
  "controller-manager.conf": "controller-manager.conf",
  "scheduler.conf": "scheduler.conf"
};
function renewalNotes(report, inventory) {
  const out = /* @__PURE__ */ new Map();
  const cands = renewalCandidates(report, inventory);
  const expiringByNode = /* @__PURE__ */ new Map();
  for (const c of cands) {
    if (c.target.renewal?.method !== "kubeadm") continue;
    const node = c.target.expandedFrom ?? c.target.id;
    const file = c.target.expandedFrom ? c.target.id.slice(node.length + 1) : c.target.id;
    expiringByNode.set(node, [...expiringByNode.get(node) ?? [], file]);
  }
  for (const c of cands) {
    const r = c.target.renewal;
    const runbook = typeof r.runbook === "string" ? r.runbook : null;
    const ids = report.findings.filter((f) => f.check === "expiry" && f.target === c.target.id && !f.waived).map((f) => f.id);
    let note = null;
    if (r.method === "manual") note = { method: "manual", runbook };
    else if (r.method === "cert-manager") {
      note = {
        method: "cert-manager",
        secret: renewalSecret(c.target),
        cluster: renewalCluster(c.target),
        runbook
      };
    } else if (r.method === "kubeadm") {
      const node = c.target.expandedFrom ?? c.target.id;
      const files = [...new Set(expiringByNode.get(node) ?? [])].sort();
      const renew2 = [
        ...new Set(files.map((f) => KUBEADM_CERT_NAMES[f]).filter((n) => !!n))
      ].sort();
      const other = files.filter((f) => !KUBEADM_CERT_NAMES[f]).map((f) => ({
        file: f,
        advice: f === "kubelet.conf" ? "the kubelet rotates its client certificate itself (check rotateCertificates and that the kubelet runs)" : /ca\.crt$/.test(f) ? "a CA: kubeadm does not renew CAs; plan a CA rotation" : "not renewed by kubeadm certs renew; renew by hand"
      }));
      note = { method: "kubeadm", node, renew: renew2, other, runbook };
    }
    if (note) for (const id of ids) out.set(id, note);
  }
  return out;
}

// src/github/plan-issues.ts
var MANAGED_PREFIXES = ["severity:", "check:", "owner:"];
function truncLabel(name) {
  return name.length <= 50 ? name : name.slice(0, 50);
}
function sameSet(a, b) {
  const x = new Set(a.map((s) => s.toLowerCase()));
  const y = new Set(b.map((s) => s.toLowerCase()));
  return x.size === y.size && [...x].every((s) => y.has(s));
}
function targetGone(target, idx, input) {
  if (target === null) return true;
  const rt = idx.targets.get(target);
  if (rt) return false;
  if (!input.inventory) return false;
  if (idx.invTargets.has(target)) return false;
  for (const id of idx.invTargets.keys()) if (target.startsWith(`${id}/`)) return false;
  return true;
}
function wantedFindings(report, minSeverity) {
  const min = SEVERITY_RANK[minSeverity];
  const byId = /* @__PURE__ */ new Map();
  for (const f of report.findings) if (!byId.has(f.id)) byId.set(f.id, f);
  return [...byId.values()].filter((f) => !f.waived && SEVERITY_RANK[f.severity] >= min).sort(
    (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.target.localeCompare(b.target)
  );
}
function idsWithoutOpenIssue(report, minSeverity, existing) {
  const open = new Set(existing.issues.map((i) => i.findingId).filter((id) => !!id));
  return new Set(
    wantedFindings(report, minSeverity).map((f) => f.id).filter((id) => !open.has(id))
  );
}
function openIssuesByFinding(input, actions) {
  const existing = /* @__PURE__ */ new Map();
  const sorted = [...input.existing.issues].filter((i) => !i.dashboard && i.findingId).sort((a, b) => a.number - b.number);
  for (const issue of sorted) {
    const id = issue.findingId;
    if (existing.has(id)) {
      actions.push({
        op: "close-issue",
        number: issue.number,
        findingId: id,
        reason: "duplicate",
        comment: closeComment("duplicate", void 0, input.report.evaluatedAt),
        body: withClosedByMarker(issue.body, "duplicate")
      });
    } else existing.set(id, issue);
  }
  return existing;
}
function closedIssuesByFinding(input, open) {
  const closed = /* @__PURE__ */ new Map();
  for (const issue of [...input.existing.closed ?? []].sort((a, b) => a.number - b.number)) {
    const id = issue.findingId;
    if (id && !open.has(id) && !closed.has(id) && issue.closedBy !== "duplicate") closed.set(id, issue);
  }
  return closed;
}
function issueContent(f, idx, input, notes) {
  const cert = f.certificate ? idx.certs.get(f.certificate) : void 0;
  const note = notes.get(f.id);
  const body = issueBody(f, cert, idx.targets.get(f.target), note ? renewalNoteBody(note) : void 0);
  const { users, teams } = parseOwners(ownersOf(f.target, idx, input));
  const labels = [
    LABEL,
    `severity:${f.severity}`,
    truncLabel(`check:${f.check}`),
    ...teams.map((t) => truncLabel(`owner:${t.org}/${t.slug}`))
  ];
  return { title: issueTitle(f, cert), body, labels, assignees: users };
}
function labelsFor(issue, ours) {
  const kept = issue.labels.filter(
    (l) => !MANAGED_PREFIXES.some((p) => l.toLowerCase().startsWith(p)) && l.toLowerCase() !== LABEL
  );
  return [.../* @__PURE__ */ new Set([...ours, ...kept])];
}
function openAction(input, f, c, shut) {
  if (!shut)
    return {
      op: "create-issue",
      findingId: f.id,
      title: c.title,
      body: c.body,
      labels: c.labels,
      assignees: c.assignees
    };
  const reason = shut.closedBy ? "back" : "closed-by-human";
  return {
    op: "reopen-issue",
    number: shut.number,
    findingId: f.id,
    reason,
    title: c.title,
    body: c.body,
    labels: labelsFor(shut, c.labels),
    comment: reopenComment(reason, input.report.evaluatedAt)
  };
}
function planWanted(input, idx, open, closed, actions, links) {
  let createsLeft = input.maxCreates ?? Infinity;
  let deferred = 0;
  const notes = renewalNotes(input.report, input.inventory);
  for (const f of wantedFindings(input.report, input.minSeverity)) {
    const c = issueContent(f, idx, input, notes);
    const prev = open.get(f.id);
    if (!prev) {
      if (createsLeft-- <= 0) {
        deferred++;
        continue;
      }
      const action = openAction(input, f, c, closed.get(f.id));
      actions.push(action);
      links.set(f.id, action.op === "reopen-issue" ? action.number : null);
      continue;
    }
    links.set(f.id, prev.number);
    const labels = labelsFor(prev, c.labels);
    const changes = [
      ...prev.title !== c.title ? ["title"] : [],
      ...prev.body.trim() !== c.body.trim() ? ["body"] : [],
      ...!sameSet(prev.labels, labels) ? ["labels"] : []
    ];
    if (changes.length)
      actions.push({
        op: "update-issue",
        number: prev.number,
        findingId: f.id,
        title: c.title,
        body: c.body,
        labels,
        changes
      });
  }
  return deferred;
}
function planUnwanted(input, idx, open, actions, skipped) {
  const byId = /* @__PURE__ */ new Map();
  for (const f of input.report.findings) if (!byId.has(f.id)) byId.set(f.id, f);
  const wantedIds = new Set(wantedFindings(input.report, input.minSeverity).map((f) => f.id));
  const close = (issue, id, reason, f) => actions.push({
    op: "close-issue",
    number: issue.number,
    findingId: id,
    reason,
    comment: closeComment(reason, f, input.report.evaluatedAt),
    body: withClosedByMarker(issue.body, reason)
  });
  for (const [id, issue] of open) {
    if (wantedIds.has(id)) continue;
    if (!byId.has(id) && issue.labels.some((l) => l.toLowerCase() === "check:renewal.failed")) continue;
    const f = byId.get(id);
    if (f?.waived) close(issue, id, "waived", f);
    else if (f) close(issue, id, "below-threshold", f);
    else {
      const rt = issue.target ? idx.targets.get(issue.target) : void 0;
      if (rt && (rt.status === "unreachable" || rt.status === "error")) {
        skipped.push({
          what: `issue #${issue.number}`,
          reason: `target ${issue.target} could not be read in this scan; kept open`
        });
        continue;
      }
      if (!rt && !targetGone(issue.target, idx, input)) {
        skipped.push({
          what: `issue #${issue.number}`,
          reason: `target ${issue.target} was not scanned in this run; kept open`
        });
        continue;
      }
      close(issue, id, "fixed");
    }
  }
}
function planIssues(input, idx, skipped) {
  const actions = [];
  const links = /* @__PURE__ */ new Map();
  const open = openIssuesByFinding(input, actions);
  const closed = closedIssuesByFinding(input, open);
  const deferred = planWanted(input, idx, open, closed, actions, links);
  planUnwanted(input, idx, open, actions, skipped);
  if (deferred) {
    skipped.push({
      what: `${deferred} new issue(s)`,
      reason: `over the limit of ${input.maxCreates} new issues per run; opened by the next runs`
    });
  }
  return { actions, links };
}

// src/github/edits.ts
var import_yaml2 = __toESM(require_dist(), 1);
import { createHash as createHash3 } from "node:crypto";
var PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;
function editPin(text, targetId, sha256) {
  const doc = (0, import_yaml2.parseDocument)(text, { keepSourceTokens: true });
  if (doc.errors.length) return null;
  const targets = doc.get("targets", true);
  if (!(0, import_yaml2.isSeq)(targets)) return null;
  const index = targets.items.findIndex((t) => (0, import_yaml2.isMap)(t) && t.get("id") === targetId);
  if (index < 0) return null;
  const existing = doc.getIn(["targets", index, "expect", "sha256"], true);
  if ((0, import_yaml2.isScalar)(existing) && existing.range) {
    if (String(existing.value).replace(/[:\s]/g, "").toLowerCase() === sha256) return text;
    const [start, end] = existing.range;
    const quote = existing.type === "QUOTE_SINGLE" ? "'" : existing.type === "PLAIN" && !/^\d+$/.test(sha256) ? "" : '"';
    return `${text.slice(0, start)}${quote}${sha256}${quote}${text.slice(end)}`;
  }
  doc.setIn(["targets", index, "expect", "sha256"], new import_yaml2.Scalar(sha256));
  return doc.toString();
}
function pemBlocks(pem) {
  return [...pem.matchAll(PEM_BLOCK)].map((m) => {
    const b64 = m[0].replace(/-----(BEGIN|END) CERTIFICATE-----/g, "").replace(/\s+/g, "");
    return { text: m[0], sha256: createHash3("sha256").update(Buffer.from(b64, "base64")).digest("hex") };
  });
}
function derToPem(derBase64) {
  const lines = derBase64.replace(/\s+/g, "").match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----
${lines.join("\n")}
-----END CERTIFICATE-----
`;
}
function editPem(pem, change) {
  let out = pem;
  const drop = new Set(change.remove);
  for (const block of pemBlocks(pem)) {
    if (!drop.has(block.sha256)) continue;
    out = out.replace(new RegExp(`${escapeRe(block.text)}\\r?\\n?`), "");
  }
  const present = new Set(pemBlocks(out).map((b) => b.sha256));
  for (const a of change.add) {
    if (present.has(a.sha256)) continue;
    if (out.length && !out.endsWith("\n")) out += "\n";
    out += derToPem(a.der);
    present.add(a.sha256);
  }
  return out;
}
function editBundleFile(text, key, change) {
  const isManifest = /^(apiVersion|kind)\s*:/m.test(text) && !text.trimStart().startsWith("-----BEGIN");
  if (!isManifest) return editPem(text, change);
  const docs = (0, import_yaml2.parseAllDocuments)(text);
  if (!Array.isArray(docs)) return null;
  const k = key ?? "ca.crt";
  for (const [docIndex, doc] of docs.entries()) {
    const kind = doc.get("kind");
    if (kind !== "ConfigMap" && kind !== "Secret") continue;
    for (const field of ["data", "stringData"]) {
      const node = doc.getIn([field, k], true);
      if (!(0, import_yaml2.isScalar)(node)) continue;
      const base64 = kind === "Secret" && field === "data";
      const before = base64 ? Buffer.from(String(node.value), "base64").toString("utf8") : String(node.value);
      const after = editPem(before, change);
      if (after === before) return text;
      const value = base64 ? Buffer.from(after, "utf8").toString("base64") : after;
      const inPlace = replaceScalar(text, node, value);
      if (inPlace !== null && readBack(inPlace, docIndex, [field, k]) === value) return inPlace;
      node.value = value;
      return docs.length === 1 ? doc.toString() : docs.map((d) => d.toString()).join("");
    }
  }
  return null;
}
function replaceScalar(text, node, value) {
  if (!node.range) return null;
  const [start, end] = node.range;
  const src = text.slice(start, end);
  if (node.type === "BLOCK_LITERAL") {
    const nl = src.indexOf("\n");
    const indent = /\n( +)\S/.exec(src)?.[1];
    if (nl < 0 || !indent) return null;
    const header = src.slice(0, nl);
    const keep = header.includes("+") ? value : value.replace(/\n+$/, "\n");
    const lines = keep.replace(/\n$/, "").split("\n").map((l) => l ? `${indent}${l}` : "");
    return `${text.slice(0, start)}${header}
${lines.join("\n")}
${text.slice(end)}`;
  }
  if (node.type === "PLAIN" && /^[A-Za-z0-9+/=]*$/.test(value))
    return `${text.slice(0, start)}${value}${text.slice(end)}`;
  return null;
}
function readBack(text, docIndex, path3) {
  const docs = (0, import_yaml2.parseAllDocuments)(text);
  return Array.isArray(docs) ? docs[docIndex]?.getIn(path3) : void 0;
}
function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// src/github/pulls/bundle.ts
var MISSING = "bundle.missing";
var EXPIRED = "bundle.expired";
function bundlePrBody(bundle2, file, added, removed) {
  return clampBody(
    [
      `Trust bundle **${escapeMarkdown(bundle2)}** in ${escapeMarkdown(file)} does not hold what the inventory requires. This PR:`,
      "",
      ...added.map((a) => `- adds anchor ${escapeMarkdown(a.id)} (SHA-256 ${escapeMarkdown(a.sha256)})`),
      ...removed.map(
        (r) => `- removes ${r.subject ? escapeMarkdown(r.subject) : "a certificate"}${r.notAfter ? `, expired ${escapeMarkdown(r.notAfter)}` : ""} (SHA-256 ${escapeMarkdown(r.sha256)})`
      ),
      "",
      "Comments and formatting of the file are kept; only the certificates change."
    ].join("\n")
  );
}
function bundleChange(inv, findings) {
  const c = {
    add: [],
    remove: [],
    addIds: []
  };
  const anchorsBySha = new Map([...inv.anchors.values()].map((a) => [a.sha256, a]));
  for (const f of findings) {
    if (!f.certificate) continue;
    if (f.check === MISSING) {
      const anchorId = typeof f.remediation?.["anchor"] === "string" ? f.remediation["anchor"] : null;
      const a = (anchorId ? inv.anchors.get(anchorId) : void 0) ?? anchorsBySha.get(f.certificate);
      if (!a) continue;
      c.add.push({ sha256: a.sha256, der: a.der });
      c.addIds.push({ id: a.id, sha256: a.sha256 });
    } else c.remove.push(f.certificate);
  }
  return c;
}
var bundle = {
  kind: "bundle",
  noun: "bundle",
  checks: [MISSING, EXPIRED],
  title: (target) => escapeTitle(`certwarden: update trust bundle ${target}`),
  // One group per bundle, in the order its first finding naming a certificate appears; bundles whose
  // findings name none come last (they change nothing, but their file is still read).
  groups(scope) {
    const inv = scope.inventory;
    if (!inv) return [];
    const withCert = /* @__PURE__ */ new Map();
    const without = /* @__PURE__ */ new Map();
    for (const f of scope.report.findings) {
      if (f.check !== MISSING && f.check !== EXPIRED || f.waived) continue;
      const bundleId = typeof f.remediation?.["bundle"] === "string" ? f.remediation["bundle"] : f.target;
      const b = inv.bundles.find((x) => x.id === bundleId);
      if (!b) continue;
      const g = withCert.get(b.id) ?? without.get(b.id) ?? { bundle: b, findings: [] };
      g.findings.push(f);
      if (f.certificate && !withCert.has(b.id)) {
        without.delete(b.id);
        withCert.set(b.id, g);
      } else if (!withCert.has(b.id)) without.set(b.id, g);
    }
    return [...withCert.values(), ...without.values()];
  },
  file: (g, scope) => repoPath(g.bundle.file, scope.repoRoot),
  plan(g, ctx) {
    const inv = ctx.input.inventory;
    if (!inv || !g.findings.some((f) => f.certificate)) return null;
    const c = bundleChange(inv, g.findings);
    const id = g.bundle.id;
    const file = repoPath(g.bundle.file, ctx.input.repoRoot);
    const text = file === null ? void 0 : ctx.files[file];
    if (file === null || text === void 0)
      return {
        op: "skip",
        target: id,
        reason: `bundle file ${file ?? "(outside the repository)"} not available`
      };
    const edited = editBundleFile(text, g.bundle.key, c);
    if (edited === null)
      return {
        op: "skip",
        target: id,
        reason: `${file} holds no certificates under ${g.bundle.key ?? "ca.crt"}`
      };
    if (edited === text) return null;
    const before = new Map(pemBlocks(text).map((b) => [b.sha256, b]));
    const removed = c.remove.filter((s) => before.has(s)).map((s) => {
      const rc = ctx.idx.certs.get(s);
      return { sha256: s, subject: rc?.subject.dn, notAfter: rc?.notAfter };
    });
    const doc = repoPath(g.bundle.location.file, ctx.input.repoRoot);
    const owners = inv.inventories.find((d) => repoPath(d.file, ctx.input.repoRoot) === doc)?.owners ?? [];
    return {
      op: "propose",
      target: id,
      body: bundlePrBody(id, file, c.addIds, removed),
      commitMessage: `certwarden: update trust bundle ${id}`,
      files: [{ path: file, content: edited }],
      owners,
      key: [[...c.add.map((a) => a.sha256)].sort(), [...c.remove].sort()]
    };
  },
  // A bundle PR is still wanted or not only when the inventory was loaded.
  covers: (_target, ctx) => !!ctx.input.inventory
};

// src/github/pulls/pin.ts
var CHECK = "pin.drift";
function pinPrBody(target, file, oldPin, cert, sha256) {
  return clampBody(
    [
      `The live certificate of target **${escapeMarkdown(target)}** changed and the new one passes every check, so this PR moves the pin in ${escapeMarkdown(file)}.`,
      "",
      "| | |",
      "|---|---|",
      `| Old pin | ${oldPin ? escapeMarkdown(oldPin) : "\u2014"} |`,
      `| New pin | ${escapeMarkdown(sha256)} |`,
      ...cert ? certLines(cert) : [],
      "",
      "Review the new certificate before merging: merging accepts it as the expected one."
    ].join("\n")
  );
}
function pinFile(g, repoRoot) {
  return repoPath(g.invTarget?.location.file ?? g.reportFile ?? "", repoRoot);
}
var pin = {
  kind: "pin",
  noun: "pin",
  checks: [CHECK],
  title: (target) => escapeTitle(`certwarden: update the pin of ${target}`),
  groups(scope) {
    const invTargets = new Map((scope.inventory?.targets ?? []).map((t) => [t.id, t]));
    const files = new Map(scope.report.targets.map((t) => [t.id, t.inventory.file]));
    return scope.report.findings.filter((f) => f.check === CHECK && !f.waived).map((finding) => ({
      finding,
      invTarget: invTargets.get(finding.target),
      reportFile: files.get(finding.target)
    }));
  },
  file: (g, scope) => pinFile(g, scope.repoRoot),
  plan(g, ctx) {
    const f = g.finding;
    const sha = String(
      f.remediation?.["sha256"] ?? f.certificate ?? ""
    ).toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(sha)) return null;
    const others = (ctx.idx.findingsByTarget.get(f.target) ?? []).filter(
      (o) => o.check !== CHECK && SEVERITY_RANK[o.severity] >= SEVERITY_RANK.warning
    );
    if (others.length)
      return {
        op: "skip",
        target: f.target,
        reason: `the new certificate has other findings (${[...new Set(others.map((o) => o.check))].join(", ")})`
      };
    if (g.invTarget?.expandedFrom) return null;
    const file = pinFile(g, ctx.input.repoRoot);
    const text = file === null ? void 0 : ctx.files[file];
    if (file === null || text === void 0)
      return {
        op: "skip",
        target: f.target,
        reason: `inventory file ${file ?? "(outside the repository)"} not available`
      };
    const edited = editPin(text, f.target, sha);
    if (edited === null || edited === text) return null;
    return {
      op: "propose",
      target: f.target,
      body: pinPrBody(f.target, file, g.invTarget?.expect?.sha256 ?? null, ctx.idx.certs.get(sha), sha),
      commitMessage: `certwarden: pin ${f.target} to ${sha.slice(0, 16)}`,
      files: [{ path: file, content: edited }],
      owners: ownersOf(f.target, ctx.idx, ctx.input),
      key: [sha]
    };
  },
  // Whether a pin is still wanted is known only for targets this run scanned.
  covers: (target, ctx) => ctx.idx.targets.has(target)
};

// src/github/pulls/renew.ts
function renewPrBody(request, file, cert, previous) {
  const s = request.spec;
  const key = s.key.type === "RSA" ? `RSA ${s.key.bits ?? 2048}` : s.key.type === "EC" ? `EC ${s.key.curve ?? "P-256"}` : s.key.type;
  const subject = [
    `CN=${s.subject.CN}`,
    ...(s.subject.O ?? []).map((o) => `O=${o}`),
    ...(s.subject.OU ?? []).map((o) => `OU=${o}`)
  ].join(", ");
  const days = s.expirationSeconds !== void 0 ? ` (${Math.round(s.expirationSeconds / 86400)} days)` : "";
  return clampBody(
    [
      `The certificate of target **${escapeMarkdown(request.metadata.target)}** is inside its renewal window (${cert.daysRemaining} days left). This PR adds the renewal request ${escapeMarkdown(file)}.`,
      ...previous?.status?.state === "failed" ? [
        "",
        `The previous request ${escapeMarkdown(previous.metadata.id)} failed${previous.status.message ? `: ${escapeMarkdown(previous.status.message)}` : ""}; this one retries it.`
      ] : [],
      "",
      "**Current certificate**",
      "",
      "| | |",
      "|---|---|",
      ...certLines(cert),
      "",
      "**What will be requested**",
      "",
      "| | |",
      "|---|---|",
      `| Subject | ${escapeMarkdown(subject)} |`,
      ...s.dnsNames?.length ? [`| DNS names | ${s.dnsNames.slice(0, 50).map(escapeMarkdown).join(", ")} |`] : [],
      ...s.ipAddresses?.length ? [`| IP addresses | ${s.ipAddresses.slice(0, 50).map(escapeMarkdown).join(", ")} |`] : [],
      `| Key | ${escapeMarkdown(key)}, generated where it is used; never stored in git |`,
      `| Usages | ${s.usages.map(escapeMarkdown).join(", ")} |`,
      `| Signer | ${escapeMarkdown(s.signerName)} |`,
      `| Lifetime | ${s.expirationSeconds !== void 0 ? `${s.expirationSeconds} s${days}` : "the signer's default"} |`,
      `| Cluster | ${escapeMarkdown(s.cluster)} |`,
      `| Target Secret | ${escapeMarkdown(`${s.secret.namespace}/${s.secret.name}`)} |`,
      `| Request id | ${escapeMarkdown(request.metadata.id)} |`,
      "",
      "**What happens on merge**",
      "",
      `Merging approves this request. The \`certwarden renew\` step (run on pushes to the default branch) then generates a new ${escapeMarkdown(key)} key in memory, creates a CertificateSigningRequest for signer ${escapeMarkdown(s.signerName)}, approves it citing this pull request, waits for the certificate, checks it matches the request, and writes \`tls.crt\` and \`tls.key\` to the Secret ${escapeMarkdown(`${s.secret.namespace}/${s.secret.name}`)} (other keys of the Secret are kept). It then records the outcome in the request file in a follow-up commit. The next scan sees the new certificate and proposes the pin update. Close this PR unmerged to refuse the renewal: it is not proposed again for this certificate.`
    ].join("\n")
  );
}
var renew = {
  kind: "renew",
  noun: "renewal",
  checks: ["expiry"],
  title: (target) => escapeTitle(`certwarden: renew the certificate of ${target}`),
  // renewalCandidates takes the expiry findings (warning or worse) and keeps the most severe per target.
  groups: (scope) => renewalCandidates(scope.report, scope.inventory).filter(
    (c) => c.target.renewal?.method === "kubernetes-csr"
  ),
  file: (c) => renewalPath(c.target.id),
  plan(c, ctx) {
    const file = renewalPath(c.target.id);
    const p = planRenewalRequest(c, {
      createdAt: ctx.input.report.evaluatedAt,
      key: keySpecFor(c.cert, keyAllowFor(c.target, ctx.input.policies)),
      baseFile: ctx.files[file] ?? null
    });
    if (p.op === "skip") return p;
    return {
      op: "propose",
      target: p.target,
      body: renewPrBody(p.request, file, p.cert, p.previous),
      commitMessage: `certwarden: request renewal of ${p.target} (${p.request.metadata.id})`,
      files: [{ path: file, content: renderRenewalRequest(p.request) }],
      owners: ownersOf(p.target, ctx.idx, ctx.input),
      // createdAt is left out: the same request proposed again is the same change.
      key: [p.request.metadata.id]
    };
  },
  covers: (_target, ctx) => !!ctx.input.inventory,
  planNote: (change) => ` adding ${change.files.map((f) => f.path).join(", ")}`
};

// src/github/pulls/index.ts
var PULL_KINDS = [pin, bundle, renew];
function pullKind(name) {
  return PULL_KINDS.find((k) => k.kind === name);
}

// src/github/pulls/plan.ts
function filesNeeded(scope) {
  const out = /* @__PURE__ */ new Set();
  for (const kind of PULL_KINDS)
    for (const g of kind.groups(scope)) {
      const file = kind.file(g, scope);
      if (file) out.add(file);
    }
  return [...out].sort();
}
function toChange(kind, p) {
  const { users, teams } = parseOwners(p.owners);
  return {
    kind: kind.kind,
    target: p.target,
    branch: branchName(kind.kind, p.target),
    key: changeKey([kind.kind, p.target, ...p.files.map((f) => f.path), ...p.key]),
    title: kind.title(p.target),
    body: p.body,
    labels: [LABEL, PR_LABEL],
    reviewers: users,
    teamReviewers: teams.map((t) => t.slug),
    commitMessage: p.commitMessage,
    files: p.files
  };
}
function pullCandidates(ctx, skipped) {
  const out = [];
  for (const kind of PULL_KINDS)
    for (const g of kind.groups(ctx.input)) {
      const p = kind.plan(g, ctx);
      if (p?.op === "skip") skipped.push({ what: `${kind.noun} PR for ${p.target}`, reason: p.reason });
      else if (p) out.push(toChange(kind, p));
    }
  return out;
}
var branchKey = (kind, target) => `${kind}\0${target}`;
function candidateAction(c, list, base, skipped) {
  const open = list.find((p) => p.state === "open");
  const body = `${c.body}

${prMarker({ kind: c.kind, target: c.target, key: c.key, head: open?.marker.head ?? null, closedBy: null })}
`;
  if (open) {
    if (open.headSha && open.marker.head && open.headSha !== open.marker.head) {
      skipped.push({
        what: `PR #${open.number}`,
        reason: `branch ${c.branch} has commits not made by certwarden; left alone`
      });
      return null;
    }
    const pushCommit = open.marker.key !== c.key;
    const changes = [
      ...pushCommit ? ["commit"] : [],
      ...open.title !== c.title ? ["title"] : [],
      ...pushCommit || open.body.trim() !== body.trim() ? ["body"] : []
    ];
    return changes.length ? { op: "update-pr", number: open.number, base, pushCommit, changes, ...c, body } : null;
  }
  const refused = list.find(
    (p) => p.state === "closed" && p.marker.key === c.key && (p.merged || p.marker.closedBy !== "certwarden")
  );
  if (refused) {
    skipped.push({
      what: `${c.kind} PR for ${c.target}`,
      reason: refused.merged ? `the same change was merged in #${refused.number}` : `the same change was closed unmerged in #${refused.number}; not proposed again`
    });
    return null;
  }
  const knownHeads = list.map((p) => p.marker.head).filter((h) => !!h);
  return { op: "create-pr", base, knownHeads, ...c, body };
}
function closeUnneeded(ctx, list, skipped) {
  const out = [];
  for (const p of list) {
    if (p.state !== "open") continue;
    const kind = pullKind(p.marker.kind);
    const scanned = kind ? kind.covers(p.marker.target, ctx) : !!ctx.input.inventory;
    if (!scanned) continue;
    if (p.headSha && p.marker.head && p.headSha !== p.marker.head) {
      skipped.push({
        what: `PR #${p.number}`,
        reason: "no longer needed, but a human pushed to its branch; left open"
      });
      continue;
    }
    out.push({
      op: "close-pr",
      number: p.number,
      branch: p.branch ?? branchName(p.marker.kind, p.marker.target),
      kind: p.marker.kind,
      target: p.marker.target,
      comment: `certwarden no longer needs this change (scan of ${ctx.input.report.evaluatedAt}). Closing.`,
      body: p.body.replace(
        /<!-- certwarden:pr ([^<>]*?) -->/,
        (_m, inner) => `<!-- certwarden:pr ${inner.replace(/ closed-by=\S+/, "")} closed-by=certwarden -->`
      )
    });
  }
  return out;
}
function planPulls(input, idx, skipped) {
  const ctx = { input, idx, files: input.files ?? {} };
  const base = input.baseBranch ?? "main";
  const pulls = /* @__PURE__ */ new Map();
  for (const p of input.existing.pulls) {
    const k = branchKey(p.marker.kind, p.marker.target);
    pulls.set(k, [...pulls.get(k) ?? [], p]);
  }
  const actions = [];
  const handled = /* @__PURE__ */ new Set();
  for (const c of pullCandidates(ctx, skipped)) {
    const k = branchKey(c.kind, c.target);
    handled.add(k);
    const a = candidateAction(
      c,
      (pulls.get(k) ?? []).sort((x, y) => y.number - x.number),
      base,
      skipped
    );
    if (a) actions.push(a);
  }
  for (const [k, list] of pulls) if (!handled.has(k)) actions.push(...closeUnneeded(ctx, list, skipped));
  return actions;
}

// src/github/plan.ts
var COLORS = {
  "severity:error": "d73a4a",
  "severity:warning": "fbca04",
  "severity:info": "0075ca"
};
function labelSpec(name) {
  const color = COLORS[name] ?? (name.startsWith("check:") ? "c5def5" : name.startsWith("owner:") ? "bfdadc" : "5319e7");
  const description = name.startsWith("owner:") ? "Owner team from the certwarden inventory" : name === DASHBOARD_LABEL ? "The certwarden dashboard issue" : name === PR_LABEL ? "A pull request proposed by certwarden" : "Managed by certwarden";
  return { name, color, description };
}
function planSync(input) {
  const idx = indexInput(input);
  const skipped = [];
  const { actions: issues, links } = planIssues(input, idx, skipped);
  const pulls = planPulls(input, idx, skipped);
  const prLinks = /* @__PURE__ */ new Map();
  for (const p of pulls)
    if (p.op === "update-pr") prLinks.set(p.target, [...prLinks.get(p.target) ?? [], p.number]);
  for (const p of input.existing.pulls) {
    if (p.state !== "open" || pulls.some((a) => a.op === "close-pr" && a.number === p.number)) continue;
    const list = prLinks.get(p.marker.target) ?? [];
    if (!list.includes(p.number)) prLinks.set(p.marker.target, [...list, p.number]);
  }
  const dashboard = planDashboard(input, { issues: links, pulls: prLinks });
  const wantedLabels = /* @__PURE__ */ new Set([LABEL, DASHBOARD_LABEL]);
  for (const a of issues) if (a.op !== "close-issue") a.labels.forEach((l) => wantedLabels.add(l));
  for (const a of pulls) if (a.op !== "close-pr") a.labels.forEach((l) => wantedLabels.add(l));
  const have = new Set(input.existing.labels.map((l) => l.toLowerCase()));
  const labels = [...wantedLabels].filter((l) => !have.has(l.toLowerCase())).sort().map(labelSpec);
  return { labels, issues, dashboard, pulls, skipped };
}
function describePlan(plan) {
  const lines = [];
  for (const l of plan.labels) lines.push(`create label ${l.name}`);
  for (const a of plan.issues) {
    if (a.op === "create-issue") lines.push(`open issue "${a.title}" (finding ${a.findingId})`);
    else if (a.op === "update-issue") lines.push(`update issue #${a.number} (${a.changes.join(", ")})`);
    else if (a.op === "reopen-issue")
      lines.push(
        `reopen issue #${a.number} (finding ${a.findingId} ${a.reason === "back" ? "is back" : "still present; it was closed by hand"})`
      );
    else lines.push(`close issue #${a.number} (${a.reason})`);
  }
  if (plan.dashboard.op === "create-dashboard") lines.push("open the dashboard issue");
  else if (plan.dashboard.op === "update-dashboard")
    lines.push(`update the dashboard issue #${plan.dashboard.number}`);
  for (const a of plan.pulls) {
    if (a.op === "create-pr")
      lines.push(`open PR "${a.title}" on ${a.branch}${pullKind(a.kind)?.planNote?.(a) ?? ""}`);
    else if (a.op === "update-pr")
      lines.push(`update PR #${a.number} on ${a.branch} (${a.changes.join(", ")})`);
    else lines.push(`close PR #${a.number} on ${a.branch} (no longer needed)`);
  }
  for (const s of plan.skipped) lines.push(`skip ${s.what}: ${s.reason}`);
  if (!lines.length) lines.push("nothing to do");
  return lines;
}

export {
  LABEL,
  DASHBOARD_LABEL,
  PR_LABEL,
  DASHBOARD_TITLE,
  findingMarker,
  closedMarker,
  parseClosedByMarker,
  reopenedMarker,
  parseFindingMarker,
  parseTargetMarker,
  hasDashboardMarker,
  parsePrMarker,
  withPrMarker,
  issueTitle,
  issueBody,
  planDashboard,
  parseRenewalRequest,
  renderRenewalRequest,
  readRenewalRequests,
  idsWithoutOpenIssue,
  filesNeeded,
  planSync,
  describePlan
};
