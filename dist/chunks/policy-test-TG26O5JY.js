import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  IssueError,
  KEY_SPECS,
  issueCertificate
} from "./chunk-XAXDMLBH.js";
import "./chunk-BXKYJKHU.js";
import {
  CHECKS,
  applyWaivers,
  evaluatePolicies,
  loadPolicies,
  waiverCovers
} from "./chunk-6PZWKSTY.js";
import "./chunk-KB4OYESQ.js";
import {
  DEFAULT_SEVERITY,
  parseYaml
} from "./chunk-CQLXS4C2.js";
import "./chunk-T6OBV2YL.js";
import {
  suggest
} from "./chunk-NRN5HDCZ.js";
import "./chunk-VBV66OCF.js";
import "./chunk-LOAWET6W.js";
import {
  readCertificates
} from "./chunk-FVSSEFCQ.js";
import "./chunk-I32IJZLF.js";
import "./chunk-HSQZZC7B.js";
import {
  CONFIG_READ_TIMEOUT_MS,
  readFailure,
  safeRead,
  safeReadSync,
  safeReadText
} from "./chunk-UHECHRFN.js";
import {
  ConfigError,
  EXIT,
  formatProblem
} from "./chunk-WW3ZWNRQ.js";
import "./chunk-DDCI7ZLU.js";

// src/cli/policy-test.ts
import path2 from "node:path";

// src/policy/test-runner.ts
import { readdir, stat } from "node:fs/promises";
import path from "node:path";

// src/x509/fixture-issuer.ts
var FIXTURE_KEYS = [...KEY_SPECS];
var FIXTURE_HASHES = ["sha1", "sha256", "sha384", "sha512"];
var DAY = 864e5;
var HASH = {
  sha1: "SHA-1",
  sha256: "SHA-256",
  sha384: "SHA-384",
  sha512: "SHA-512"
};
var FixtureError = class extends Error {
  constructor(fixture, message) {
    super(`${fixture}: ${message}`);
    this.fixture = fixture;
    this.name = "FixtureError";
  }
  fixture;
};
async function issueFixtures(descriptions, now) {
  const built = /* @__PURE__ */ new Map();
  const visiting = /* @__PURE__ */ new Set();
  const build = async (name) => {
    const done = built.get(name);
    if (done) return done;
    const d = descriptions[name];
    if (!d) throw new FixtureError(name, "no such fixture certificate");
    if (visiting.has(name)) throw new FixtureError(name, "issuer chain loops back to itself");
    visiting.add(name);
    const issuer = d.issuer ? await build(d.issuer).catch((e) => {
      if (e instanceof FixtureError && e.fixture === d.issuer && /no such/.test(e.message))
        throw new FixtureError(name, `issuer '${d.issuer}' is not a fixture in this file`);
      throw e;
    }) : null;
    const b = await issueOne(name, d, issuer, now);
    built.set(name, b);
    visiting.delete(name);
    return b;
  };
  for (const name of Object.keys(descriptions)) await build(name);
  return new Map(
    [...built].map(([name, c]) => [name, { name, der: new Uint8Array(c.der), pem: c.pem, sha256: c.sha256 }])
  );
}
async function issueOne(name, d, issuer, now) {
  const key = d.key ?? "p256";
  if (!FIXTURE_KEYS.includes(key))
    throw new FixtureError(name, `unknown key '${key}' (valid: ${FIXTURE_KEYS.join(", ")})`);
  if (d.hash && !FIXTURE_HASHES.includes(d.hash))
    throw new FixtureError(name, `unknown hash '${d.hash}' (valid: ${FIXTURE_HASHES.join(", ")})`);
  const notBefore = new Date(now.getTime() + (d.notBefore ?? -1) * DAY);
  try {
    return await issueCertificate({
      cn: d.cn ?? name,
      o: d.o,
      ou: d.ou,
      dns: d.dns,
      ips: d.ips,
      emails: d.emails,
      key,
      hash: d.hash && HASH[d.hash],
      // default: by the signer's key (a P-384 CA signs with SHA-384)
      ca: d.ca ?? false,
      pathLen: d.pathLen,
      issuer: issuer ?? void 0,
      eku: d.eku,
      keyUsage: d.keyUsage,
      basicConstraints: d.basicConstraints,
      notBefore,
      notAfter: d.notAfter !== void 0 ? new Date(now.getTime() + d.notAfter * DAY) : void 0,
      days: d.days
    });
  } catch (e) {
    if (e instanceof IssueError) throw new FixtureError(name, e.message);
    throw e;
  }
}

// src/policy/test-format.ts
var CASE_KEYS = /* @__PURE__ */ new Set([
  "name",
  "certificates",
  "certificate",
  "pem",
  "now",
  "policies",
  "target",
  "chain",
  "findings",
  "notFindings",
  "noOtherFindings"
]);
var FILE_KEYS = /* @__PURE__ */ new Set(["apiVersion", "kind", "metadata", "policies", "now", "certificates", "cases"]);
var MATCHER_KEYS = /* @__PURE__ */ new Set(["rule", "check", "severity", "message", "certificate", "waived"]);
function structureProblems(doc) {
  const out = [];
  const t = doc.data;
  const bad = (p, m) => out.push({ location: doc.locate(p), message: m });
  if (!t || typeof t !== "object" || Array.isArray(t))
    return [
      {
        location: doc.locate([]),
        message: "a policy test file is a mapping with apiVersion, kind: PolicyTest, cases"
      }
    ];
  if (t.apiVersion !== "certwarden/v1") bad(["apiVersion"], `apiVersion: expected "certwarden/v1"`);
  if (t.kind !== "PolicyTest") bad(["kind"], `kind: expected "PolicyTest"`);
  for (const k of Object.keys(t))
    if (!FILE_KEYS.has(k) && !k.startsWith("x-"))
      bad([k], `unknown key '${k}' (allowed: ${[...FILE_KEYS].join(", ")})`);
  if (!Array.isArray(t.cases) || t.cases.length === 0)
    bad(["cases"], "cases: expected a non-empty list of test cases");
  else
    t.cases.forEach((c, i) => {
      if (!c || typeof c !== "object") return bad(["cases", i], `cases[${i}]: expected a mapping`);
      for (const k of Object.keys(c))
        if (!CASE_KEYS.has(k) && !k.startsWith("x-"))
          bad(["cases", i, k], `cases[${i}]: unknown key '${k}' (allowed: ${[...CASE_KEYS].join(", ")})`);
      if (typeof c.name !== "string")
        bad(["cases", i], `cases[${i}]: missing 'name' (a sentence saying what the case shows)`);
      const sources = ["certificates", "certificate", "pem"].filter((k) => k in c);
      if (sources.length !== 1)
        bad(["cases", i], `cases[${i}]: give exactly one of certificate, certificates, pem`);
      for (const key of ["findings", "notFindings"]) {
        const list = c[key];
        if (list === void 0) continue;
        if (!Array.isArray(list))
          bad(["cases", i, key], `cases[${i}].${key}: expected a list of finding matchers`);
        else
          list.forEach((m, j) => {
            if (!m || typeof m !== "object")
              return bad(
                ["cases", i, key, j],
                `cases[${i}].${key}[${j}]: expected a mapping {rule, check, severity, message, certificate, waived}`
              );
            for (const k of Object.keys(m))
              if (!MATCHER_KEYS.has(k))
                bad(
                  ["cases", i, key, j, k],
                  `cases[${i}].${key}[${j}]: unknown key '${k}' (allowed: ${[...MATCHER_KEYS].join(", ")})`
                );
          });
      }
    });
  if (t.now !== void 0 && Number.isNaN(Date.parse(String(t.now))))
    bad(["now"], `now: expected an ISO-8601 time, got ${JSON.stringify(t.now)}`);
  return out;
}

// src/policy/test-runner.ts
async function testFiles(dir) {
  const st = await stat(dir);
  if (st.isFile()) return /\.test\.ya?ml$/.test(dir) ? [dir] : [];
  return (await readdir(dir)).filter((n) => /\.test\.ya?ml$/.test(n)).sort().map((n) => path.join(dir, n));
}
function describe(f, names) {
  const cert = f.certificate ? names.get(f.certificate) ?? f.certificate.slice(0, 12) : "-";
  return `${f.rule ?? f.check} [${f.check}] ${f.severity}${f.waived ? " (waived)" : ""} on ${cert}: ${f.message}`;
}
function matches(m, f, fixtures) {
  if (m.rule !== void 0 && f.rule !== m.rule && !(f.rule === null && f.check === m.rule)) return false;
  if (m.check !== void 0 && f.check !== m.check) return false;
  if (m.severity !== void 0 && f.severity !== m.severity) return false;
  if (m.message !== void 0 && !f.message.toLowerCase().includes(m.message.toLowerCase())) return false;
  if (m.certificate !== void 0 && f.certificate !== (fixtures.get(m.certificate)?.sha256 ?? m.certificate))
    return false;
  if (m.waived !== void 0 && Boolean(f.waived) !== m.waived) return false;
  return true;
}
function matcherText(m) {
  return `{${Object.entries(m).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(", ")}}`;
}
function buildTarget(c, file, index, policies, loc) {
  const t = c.target ?? {};
  const id = t.id ?? `case-${index + 1}`;
  const kind = t.source ?? (t.host ? "endpoint" : "file");
  const source = kind === "endpoint" ? {
    kind,
    endpoint: {
      host: t.host ?? "localhost",
      port: t.port ?? 443,
      ...t.serverName ? { serverName: t.serverName } : {}
    }
  } : kind === "kubeconfig" ? { kind, kubeconfig: { path: file } } : kind === "kubernetes" ? { kind, kubernetes: { cluster: "test", kind: "Secret", namespace: "default", name: id } } : { kind: "file", file: { path: file } };
  const target = {
    id,
    inventory: t.inventory ?? "policy-test",
    location: loc,
    source,
    policies,
    owners: t.owners ?? [],
    zone: t.zone ?? null,
    labels: t.labels ?? {},
    ...t.role || t.kubeadm ? { role: t.role ?? t.kubeadm?.role } : {}
  };
  if (t.kubeadm) {
    const nodeName = t.kubeadm.nodeName ?? "node-1";
    const issuer = t.kubeadm.issuer;
    target.kubeadm = {
      role: t.kubeadm.role,
      file: `${t.kubeadm.role}.crt`,
      caFile: issuer ? `fixture:${issuer}` : null,
      caName: issuer ? "ca.crt" : null,
      CN: t.kubeadm.CN ?? (t.kubeadm.role === "kubelet" ? `system:node:${nodeName}` : ""),
      acceptedO: t.kubeadm.acceptedO ?? null,
      nodeName
    };
  }
  return target;
}
function originFor(kind, i) {
  if (kind === "endpoint") return `presented[${i}]`;
  if (kind === "kubeconfig") return "users[test].client-certificate";
  if (kind === "kubernetes") return `tls.crt[${i}]`;
  return `file[${i}]`;
}
async function runPolicyTests(dirs, io = { out: (l) => void process.stdout.write(l + "\n") }) {
  const fixturePem = /* @__PURE__ */ new Map();
  let set;
  try {
    set = await loadPolicies(dirs, { io: fixtureIo(fixturePem) });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    io.out("policies do not load:");
    for (const p of e.problems) io.out(`  ${formatProblem(p)}`);
    return { passed: 0, failed: 0, exitCode: EXIT.config };
  }
  const run2 = { set, io, fixturePem, problems: [], passed: 0, failed: 0, listedWaivers: /* @__PURE__ */ new Set() };
  const files = [];
  for (const d of dirs) {
    try {
      files.push(...await testFiles(path.resolve(d)));
    } catch (e) {
      run2.problems.push({ location: null, message: `${d}: ${e.message}` });
    }
  }
  if (!files.length && !run2.problems.length) io.out(`no *.test.yaml files in ${dirs.join(", ")}`);
  for (const file of files) await runTestFile(run2, file);
  const { passed, failed, problems } = run2;
  for (const p of problems) io.out(formatProblem(p));
  io.out(
    `${passed} passed, ${failed} failed${problems.length ? `, ${problems.length} problem${problems.length === 1 ? "" : "s"} in test files` : ""}`
  );
  const exitCode = problems.length ? EXIT.config : failed ? EXIT.findings : EXIT.clean;
  return { passed, failed, exitCode };
}
function readPem(file) {
  return safeRead(file, { kind: "certificate", timeoutMs: CONFIG_READ_TIMEOUT_MS });
}
function fixtureIo(fixturePem) {
  return {
    readFile: (p) => {
      if (p.startsWith("fixture:")) {
        const pem = fixturePem.get(p.slice("fixture:".length));
        if (pem === void 0) throw Object.assign(new Error("no such fixture"), { code: "ENOENT" });
        return Buffer.from(pem);
      }
      return safeReadSync(p, { kind: "certificate" });
    }
  };
}
async function runTestFile(run2, file) {
  let text;
  try {
    text = await safeReadText(file, { kind: "policy", timeoutMs: CONFIG_READ_TIMEOUT_MS });
  } catch (e) {
    run2.problems.push({ location: { file, line: 1, column: 1 }, message: `cannot read: ${readFailure(e)}` });
    return;
  }
  const { docs, problems: yp } = parseYaml(text, file);
  const fileProblems = [...yp, ...docs.flatMap(structureProblems)];
  if (fileProblems.length) {
    run2.problems.push(...fileProblems);
    return;
  }
  for (const doc of docs) {
    const t = doc.data;
    const relative = path.relative(process.cwd(), file);
    const rel = relative && !relative.startsWith("..") ? relative : file;
    run2.io.out(rel);
    const defaultPolicies = t.policies ?? [path.basename(file).replace(/\.test\.ya?ml$/, "")];
    for (const p of defaultPolicies) {
      if (!run2.set.policies.has(p))
        run2.problems.push({
          location: doc.locate(t.policies ? ["policies"] : []),
          message: `unknown policy '${p}' (loaded: ${[...run2.set.policies.keys()].join(", ")})`
        });
    }
    run2.problems.push(...matcherProblems(run2.set, doc, t, defaultPolicies));
    listExpiredWaivers(run2, new Date(t.now ?? Date.now()));
    const fixtures = await loadFixtures(run2, file, doc, t);
    if (!fixtures) continue;
    for (const f of fixtures.values()) run2.fixturePem.set(f.name, f.pem);
    const names = new Map([...fixtures.values()].map((f) => [f.sha256, f.name]));
    const docRun = { file, rel, t, doc, defaultPolicies, fixtures, names };
    for (const [i, c] of t.cases.entries()) await runCase(run2, docRun, c, i);
  }
}
function knownChecks() {
  return [.../* @__PURE__ */ new Set([...CHECKS.keys(), "cel", ...Object.keys(DEFAULT_SEVERITY)])].sort();
}
function matcherProblems(set, doc, t, defaults) {
  const out = [];
  const checks = knownChecks();
  (t.cases ?? []).forEach((c, i) => {
    const packs = (c.policies ?? defaults).map((n) => set.policies.get(n));
    const known = packs.every(Boolean) ? packs : [...set.policies.values()];
    const rules = [
      .../* @__PURE__ */ new Set([...known.flatMap((p) => p.rules.map((r) => r.id)), ...Object.keys(DEFAULT_SEVERITY)])
    ].sort();
    for (const list of ["findings", "notFindings"])
      (c[list] ?? []).forEach((m, j) => {
        const at = ["cases", i, list, j];
        if (m.rule !== void 0 && !rules.includes(m.rule)) {
          const near = suggest(m.rule, rules);
          out.push({
            location: doc.locate([...at, "rule"]),
            message: `cases[${i}].${list}[${j}].rule: unknown rule '${m.rule}'${near ? `; did you mean '${near}'?` : ""} (rules of ${(c.policies ?? defaults).join(", ")}: ${known.flatMap((p) => p.rules.map((r) => r.id)).join(", ") || "none"}; or a finding check such as chain.untrusted)`
          });
        }
        if (m.check !== void 0 && !checks.includes(m.check)) {
          const near = suggest(m.check, checks);
          out.push({
            location: doc.locate([...at, "check"]),
            message: `cases[${i}].${list}[${j}].check: unknown check '${m.check}'${near ? `; did you mean '${near}'?` : ""} (checks: ${checks.join(", ")})`
          });
        }
      });
  });
  return out;
}
function listExpiredWaivers(run2, now) {
  for (const p of run2.set.policies.values())
    for (const w of p.waivers) {
      if (now.getTime() < w.expiresAt.getTime() || run2.listedWaivers.has(w)) continue;
      run2.listedWaivers.add(w);
      const rel = path.relative(process.cwd(), w.location.file);
      const file = rel && !rel.startsWith("..") ? rel : w.location.file;
      run2.io.out(
        `  note ${file}:${w.location.line}: waiver of rule '${w.rule}' for ${w.target ?? "a selector"} expired on ${w.expires}; cases whose target it covers report it as waiver.expired`
      );
    }
}
function concernsCase(f, set, target) {
  if (f.check !== "waiver.expired") return true;
  const w = [...set.policies.values()].flatMap((p) => p.waivers).find((x) => x.location.file === f.location?.file && x.location.line === f.location.line);
  return !w || waiverCovers(w, target);
}
async function loadFixtures(run2, file, doc, t) {
  const baseNow = new Date(t.now ?? Date.now());
  const described = {};
  const fixtures = /* @__PURE__ */ new Map();
  for (const [name, d] of Object.entries(t.certificates ?? {})) {
    if (d && typeof d === "object" && "pem" in d) {
      try {
        const bytes = await readPem(path.resolve(path.dirname(file), String(d.pem)));
        const r = readCertificates(bytes, { file: String(d.pem), format: "auto" });
        const first = r.certificates[0];
        if (!first) throw new Error("no certificate in the file");
        const der = Buffer.from(first.record.der, "base64");
        fixtures.set(name, { name, der, pem: bytes.toString("utf8"), sha256: first.record.sha256 });
      } catch (e) {
        run2.problems.push({
          location: doc.locate(["certificates", name]),
          message: `certificate '${name}': ${e.message}`
        });
      }
    } else described[name] = d;
  }
  try {
    for (const [k, v] of await issueFixtures(described, baseNow)) fixtures.set(k, v);
  } catch (e) {
    if (!(e instanceof FixtureError)) throw e;
    run2.problems.push({
      location: doc.locate(["certificates", e.fixture]),
      message: `certificate ${e.message}`
    });
    return null;
  }
  return fixtures;
}
async function runCase(run2, d, c, i) {
  const loc = d.doc.locate(["cases", i]);
  const fail = (why2) => {
    run2.failed++;
    run2.io.out(`  FAIL ${c.name}  (${d.rel}:${loc.line})`);
    for (const w of why2) run2.io.out(`       ${w}`);
  };
  let certs;
  try {
    certs = await caseCertificates(d, c);
  } catch (e) {
    fail([`cannot build the case: ${e.message}`]);
    return;
  }
  const now = new Date(c.now ?? d.t.now ?? Date.now());
  const target = buildTarget(c, d.file, i, c.policies ?? d.defaultPolicies, loc);
  const observation = {
    target: target.id,
    source: { kind: target.source.kind },
    collectedAt: now.toISOString(),
    status: "ok",
    error: null,
    certificates: certs,
    trustStore: null
  };
  const chain = c.chain ? {
    trusted: c.chain.trusted ?? false,
    anchor: c.chain.anchor ?? null,
    path: certs.map((x) => x.record.sha256).slice(0, c.chain.length ?? certs.length),
    problems: []
  } : null;
  let findings;
  try {
    findings = applyWaivers(evaluatePolicies(run2.set, { target, observation, chain, now }), run2.set, now, [
      target
    ]).filter((f) => concernsCase(f, run2.set, target));
  } catch (e) {
    if (e instanceof ConfigError) {
      fail(e.problems.map((p) => p.message));
      return;
    }
    throw e;
  }
  const why = mismatches(c, findings, d);
  if (why.length) {
    why.push(findings.length ? `findings produced:` : "no findings were produced");
    for (const f of findings) why.push(`  - ${describe(f, d.names)}`);
    fail(why);
  } else {
    run2.passed++;
    run2.io.out(`  ok   ${c.name}`);
  }
}
async function caseCertificates(d, c) {
  const kind = c.target?.source ?? (c.target?.host ? "endpoint" : "file");
  if (c.pem !== void 0) {
    const r = readCertificates(await readPem(path.resolve(path.dirname(d.file), c.pem)), {
      file: c.pem,
      format: "auto"
    });
    return r.certificates.map((oc, j) => ({ origin: originFor(kind, j), record: oc.record }));
  }
  const list = c.certificates ?? [c.certificate];
  return list.map((n, j) => {
    const f = d.fixtures.get(n);
    if (!f)
      throw new Error(
        `certificate '${n}' is not a fixture in this file (have: ${[...d.fixtures.keys()].join(", ")})`
      );
    const rec = readCertificates(f.der, { file: n, format: "der" }).certificates[0].record;
    return { origin: originFor(kind, j), record: rec };
  });
}
function mismatches(c, findings, d) {
  const why = [];
  const used = /* @__PURE__ */ new Set();
  for (const m of c.findings ?? []) {
    const hit = findings.filter((f) => matches(m, f, d.fixtures));
    if (!hit.length) why.push(`expected a finding ${matcherText(m)}`);
    hit.forEach((f) => used.add(f));
  }
  for (const m of c.notFindings ?? []) {
    for (const f of findings.filter((x) => matches(m, x, d.fixtures)))
      why.push(`unexpected finding ${matcherText(m)}: ${describe(f, d.names)}`);
  }
  if (c.noOtherFindings) {
    for (const f of findings) if (!used.has(f)) why.push(`unexpected finding: ${describe(f, d.names)}`);
  }
  return why;
}

// src/commands/test.ts
async function policyTests(opts) {
  return runPolicyTests(opts.dirs, { out: opts.onLine });
}

// src/cli/policy-test.ts
async function run({ positionals, io }) {
  const dirs = (positionals.length ? positionals : ["policies"]).map((d) => path2.resolve(io.cwd, d));
  const res = await policyTests({ dirs, onLine: (line) => io.stdout(line + "\n") });
  return res.exitCode;
}
export {
  run
};
