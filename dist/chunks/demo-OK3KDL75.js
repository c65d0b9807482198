import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  issueCertificate
} from "./chunk-XAXDMLBH.js";
import "./chunk-BXKYJKHU.js";
import {
  runScan
} from "./chunk-UKAPL6FF.js";
import "./chunk-DIO6O7OV.js";
import "./chunk-AGNHQRE6.js";
import "./chunk-6PZWKSTY.js";
import "./chunk-KB4OYESQ.js";
import "./chunk-CQLXS4C2.js";
import "./chunk-T6OBV2YL.js";
import "./chunk-KNCNIMYE.js";
import "./chunk-OS4GY4HV.js";
import "./chunk-QZW4XWZK.js";
import "./chunk-HNLBEK77.js";
import "./chunk-NLX2LEXV.js";
import {
  colorFor,
  parseFormat
} from "./chunk-COV2FAQ7.js";
import {
  render
} from "./chunk-LWH7DEBG.js";
import {
  safeText
} from "./chunk-NRN5HDCZ.js";
import "./chunk-VBV66OCF.js";
import "./chunk-O6SZIQSQ.js";
import "./chunk-LOAWET6W.js";
import "./chunk-FVSSEFCQ.js";
import "./chunk-I32IJZLF.js";
import "./chunk-HSQZZC7B.js";
import "./chunk-UHECHRFN.js";
import "./chunk-WW3ZWNRQ.js";
import "./chunk-DDCI7ZLU.js";

// src/commands/demo.ts
import { readFile, rm as rm2 } from "node:fs/promises";
import path2 from "node:path";

// src/demo/lab.ts
import * as net from "node:net";
import * as tls from "node:tls";
import { mkdtemp, mkdir, writeFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

// src/x509/demo-issuer.ts
function issue(opts, ca, now) {
  const { cn, issuer, notBefore, notAfter, dnsNames: dns, ipAddresses: ips } = opts;
  const role = ca ? { ca, pathLen: 1 } : { days: 90, eku: ["serverAuth"] };
  return issueCertificate({ cn, issuer, notBefore, notAfter, now, dns, ips, ...role });
}
function demoCa(opts, now = /* @__PURE__ */ new Date()) {
  return issue(opts, true, now);
}
async function demoLeaf(opts, now = /* @__PURE__ */ new Date()) {
  const { subject, pem, der, keyPem, sha256 } = await issue(opts, false, now);
  return { subject, pem, der, keyPem, sha256 };
}

// src/demo/lab.ts
var DAY = 864e5;
var HOST = "127.0.0.1";
async function listen(server) {
  const sockets = /* @__PURE__ */ new Set();
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("error", () => {
    });
    s.on("close", () => sockets.delete(s));
  });
  server.on("tlsClientError", () => {
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, HOST, () => resolve());
  });
  return {
    port: server.address().port,
    close: () => new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    })
  };
}
function tlsEndpoint(chain, key) {
  const srv = tls.createServer({ cert: chain.map((c) => c.pem).join(""), key }, (s) => {
    s.on("error", () => {
    });
    s.end("certwarden demo lab\n");
  });
  return listen(srv);
}
var yamlString = (s) => JSON.stringify(s);
async function labCas(now) {
  const root = await demoCa({ cn: "Demo Lab Root CA" }, now);
  const issuing = await demoCa({ cn: "Demo Lab Issuing CA", issuer: root }, now);
  const rogueRoot = await demoCa({ cn: "Rogue Root CA" }, now);
  const rogueIssuing = await demoCa({ cn: "Rogue Issuing CA", issuer: rogueRoot }, now);
  return { root, issuing, rogueIssuing };
}
function faultPlan({ issuing, rogueIssuing }, now) {
  const leaf = (name, issuer, notBefore, notAfter) => demoLeaf({ cn: name, dnsNames: [name], issuer, notBefore, notAfter }, now);
  const at = (days, extraMs = 0) => new Date(now.getTime() + days * DAY + extraMs);
  return [
    {
      fault: "healthy",
      name: "healthy.demo.test",
      chain: async () => [await leaf("healthy.demo.test", issuing), issuing],
      expect: "no findings"
    },
    {
      fault: "expired",
      name: "expired.demo.test",
      chain: async () => [await leaf("expired.demo.test", issuing, at(-100), at(-10)), issuing],
      expect: "expiry error: expired 10 days ago"
    },
    {
      fault: "expiring-soon",
      name: "expiring.demo.test",
      chain: async () => [await leaf("expiring.demo.test", issuing, at(-85), at(5, 36e5)), issuing],
      expect: "expiry error: 5 days left"
    },
    {
      fault: "missing-intermediate",
      name: "leaf-only.demo.test",
      chain: async () => [await leaf("leaf-only.demo.test", issuing)],
      expect: "chain.incomplete: the issuing CA is not sent"
    },
    {
      fault: "wrong-name",
      name: "wrong-name.demo.test",
      chain: async () => [await leaf("other-host.demo.test", issuing), issuing],
      expect: "expect.dnsNames: the certificate is for another name"
    },
    {
      fault: "untrusted-root",
      name: "untrusted.demo.test",
      chain: async () => [await leaf("untrusted.demo.test", rogueIssuing), rogueIssuing],
      expect: "chain.untrusted: issued by a CA outside the inventory"
    },
    {
      fault: "tarpit",
      name: "tarpit.demo.test",
      expect: "source.unreachable (timeout): accepts, never answers"
    }
  ];
}
async function startEndpoint(p) {
  if (!p.chain)
    return { running: await listen(net.createServer((s) => s.on("error", () => {
    }))), leafSha256: null };
  const chain = await p.chain();
  const leaf = chain[0];
  return { running: await tlsEndpoint(chain, leaf.keyPem), leafSha256: leaf.sha256 };
}
async function writeLabInventory(inventoryDir, cas, endpoints) {
  await mkdir(path.join(inventoryDir, "anchors"), { recursive: true });
  await writeFile(path.join(inventoryDir, "anchors", "demo-root.pem"), cas.root.pem);
  await writeFile(path.join(inventoryDir, "anchors", "demo-issuing.pem"), cas.issuing.pem);
  const bundleFile = path.join(inventoryDir, "trust-bundle.pem");
  await writeFile(bundleFile, cas.root.pem);
  await writeFile(path.join(inventoryDir, "demo.yaml"), inventoryYaml(endpoints, cas.root.sha256));
  return { bundleFile };
}
async function startLab(opts = {}) {
  const now = opts.now ?? /* @__PURE__ */ new Date();
  const dir = await mkdtemp(path.join(opts.parentDir ?? tmpdir(), "certwarden-demo-"));
  const running = [];
  const stop = async () => {
    await Promise.all(running.splice(0).map((r) => r.close()));
  };
  try {
    const cas = await labCas(now);
    const endpoints = [];
    for (const p of faultPlan(cas, now)) {
      const { running: r, leafSha256 } = await startEndpoint(p);
      running.push(r);
      endpoints.push({
        id: `demo-${p.fault}`,
        fault: p.fault,
        host: HOST,
        port: r.port,
        serverName: p.name,
        expect: p.expect,
        leafSha256
      });
    }
    const inventoryDir = path.join(dir, "inventory");
    const { bundleFile } = await writeLabInventory(inventoryDir, cas, endpoints);
    return {
      dir,
      inventoryDir,
      endpoints,
      anchors: { root: cas.root.pem, intermediate: cas.issuing.pem },
      bundleFile,
      stop
    };
  } catch (err) {
    await stop();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
function inventoryYaml(endpoints, rootSha256) {
  const targets = endpoints.map(
    (e) => [
      `  # ${e.fault}: ${e.expect}`,
      `  - id: ${e.id}`,
      `    endpoint: {host: ${yamlString(e.host)}, port: ${e.port}, serverName: ${yamlString(e.serverName)}}`,
      `    expect:`,
      `      dnsNames: [${yamlString(e.serverName)}]`,
      `      chainTo: demo-root`,
      `    labels: {fault: ${yamlString(e.fault)}}`
    ].join("\n")
  ).join("\n");
  return `# Written by \`certwarden demo\`: a lab on 127.0.0.1 with typical faults.
apiVersion: certwarden/v1
kind: Inventory
metadata:
  name: demo-lab
  description: The certwarden demo lab (loopback only).
  owners: ['@demo/platform']
defaults:
  policies: [baseline]
  zone: lab
anchors:
  - id: demo-root
    file: anchors/demo-root.pem
    sha256: ${rootSha256}
  - id: demo-issuing
    file: anchors/demo-issuing.pem
bundles:
  # The client trust bundle: it should hold both lab CAs but lacks the issuing CA.
  - id: demo-client-bundle
    file: trust-bundle.pem
    contains: [demo-root, demo-issuing]
targets:
${targets}
`;
}

// src/commands/demo.ts
var DEMO_TIMEOUT_MS = 2e3;
var FAULT_CHECKS = {
  healthy: (c) => c.length === 0,
  expired: (c) => c.includes("expiry"),
  "expiring-soon": (c) => c.includes("expiry"),
  "missing-intermediate": (c) => c.includes("chain.incomplete"),
  "wrong-name": (c) => c.includes("expect.dnsNames") || c.includes("san"),
  "untrusted-root": (c) => c.includes("chain.untrusted") || c.includes("expect.chainTo"),
  tarpit: (c) => c.includes("source.unreachable")
};
function checkLabReport(lab, report) {
  const misses = [];
  for (const e of lab.endpoints) {
    const checks = report.findings.filter((f) => f.target === e.id && !f.waived).map((f) => f.check);
    if (!FAULT_CHECKS[e.fault](checks))
      misses.push(`${e.id}: expected ${e.expect}, got ${checks.length ? checks.join(", ") : "no findings"}`);
  }
  const bundle = report.findings.filter((f) => f.target === "demo-client-bundle").map((f) => f.check);
  if (!bundle.includes("bundle.missing"))
    misses.push(`demo-client-bundle: expected bundle.missing, got ${bundle.join(", ") || "no findings"}`);
  return misses;
}
async function githubDryRun(lab, report, inventory) {
  const { planSync, describePlan, filesNeeded } = await import("./plan-H66QFL53.js");
  const { EMPTY_STATE } = await import("./types-DUZAS4OJ.js");
  const input = {
    report,
    inventory,
    existing: EMPTY_STATE,
    botLogin: "certwarden-demo[bot]",
    minSeverity: "warning",
    now: new Date(report.evaluatedAt),
    repoRoot: lab.inventoryDir
  };
  const files = {};
  for (const f of filesNeeded(input)) {
    try {
      files[f] = await readFile(path2.join(lab.inventoryDir, f), "utf8");
    } catch {
    }
  }
  return describePlan(planSync({ ...input, files }));
}
function describeLab(lab, onLine) {
  const width = Math.max(...lab.endpoints.map((e) => e.id.length));
  for (const e of lab.endpoints) onLine(`  ${e.id.padEnd(width)}  ${e.host}:${e.port}  ${e.expect}`);
  onLine(`  ${"demo-client-bundle".padEnd(width)}  trust-bundle.pem  bundle.missing: lacks the issuing CA`);
  onLine(
    `inventory written to ${lab.inventoryDir}; scanning with a ${DEMO_TIMEOUT_MS} ms deadline per endpoint \u2026`
  );
  onLine("");
}
async function demo(opts) {
  const t0 = Date.now();
  opts.onLine("certwarden demo: building a PKI and starting TLS endpoints on 127.0.0.1 \u2026");
  const lab = await startLab();
  try {
    describeLab(lab, opts.onLine);
    const { report, exitCode, loaded } = await runScan({
      inventoryDirs: [lab.inventoryDir],
      policyDirs: [],
      failOn: "error",
      concurrency: 16,
      timeoutMs: DEMO_TIMEOUT_MS,
      env: opts.env
    });
    const text = await render(opts.format, report, { color: opts.color });
    let plan = null;
    let planError = null;
    if (opts.format === "text") {
      try {
        plan = await githubDryRun(lab, report, loaded.inventory);
      } catch (err) {
        planError = err instanceof Error ? err.message : String(err);
      }
    }
    const misses = checkLabReport(lab, report);
    return {
      exitCode: misses.length ? 3 : 0,
      report,
      text,
      plan,
      planError,
      misses,
      planted: lab.endpoints.length + 1,
      scanExitCode: exitCode,
      seconds: (Date.now() - t0) / 1e3,
      dir: lab.dir
    };
  } finally {
    await lab.stop();
    if (!opts.keep) await rm2(lab.dir, { recursive: true, force: true });
  }
}

// src/cli/demo.ts
async function runDemo(io) {
  const format = parseFormat(io.format);
  const res = await demo({
    format,
    color: io.color ?? io.stdoutIsTTY,
    keep: Boolean(io.keep),
    env: io.env,
    onLine: (line) => io.stderr(`${line}
`)
  });
  io.stdout(res.text);
  if (res.plan)
    io.stdout(`
GitHub sync (dry run) would:
${res.plan.map((l) => `  - ${safeText(l)}`).join("\n")}
`);
  if (res.planError !== null) io.stderr(`(GitHub dry run skipped: ${safeText(res.planError)})
`);
  if (res.misses.length)
    io.stderr(
      `
demo: ${res.misses.length} planted fault(s) not reported as expected:
${res.misses.map((m) => `  - ${safeText(m)}`).join("\n")}
`
    );
  else
    io.stderr(
      `
demo: all ${res.planted} planted situations were reported as expected in ${res.seconds.toFixed(1)} s (a real scan would exit ${res.scanExitCode}).
`
    );
  if (io.keep) io.stderr(`lab files kept in ${res.dir}
`);
  return res.exitCode;
}
async function run({ values, io }) {
  return runDemo({
    ...io,
    format: parseFormat(values.format),
    keep: Boolean(values.keep),
    color: colorFor(values.color, io)
  });
}
export {
  run,
  runDemo
};
