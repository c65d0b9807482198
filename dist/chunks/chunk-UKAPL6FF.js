import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  DEFAULT_SKEW_MS,
  Fetcher,
  HTTP_FETCHER_SERVICE,
  NETWORK_FETCH_OFF,
  OfflineFetcher,
  RevocationStage,
  TLS_FEATURE_OID,
  fetchingOff,
  matchPeerName,
  parseIp,
  revocationPath,
  showUrl,
  verifyChain
} from "./chunk-DIO6O7OV.js";
import {
  declaredObjects,
  discoverTargets,
  discoveredObject,
  isDeclared,
  loadInventory,
  readBundleFile,
  undeclaredFinding
} from "./chunk-AGNHQRE6.js";
import {
  applyWaivers,
  checkTargetPolicies,
  checkWaiverTargets,
  evaluatePolicies,
  loadPolicies,
  policyPathsOf
} from "./chunk-6PZWKSTY.js";
import {
  factsFor,
  issuedBy
} from "./chunk-KB4OYESQ.js";
import {
  makeFinding
} from "./chunk-CQLXS4C2.js";
import {
  actsAsCA,
  certificateRole,
  isCaSet,
  listOf
} from "./chunk-T6OBV2YL.js";
import {
  SEVERITY_RANK
} from "./chunk-KNCNIMYE.js";
import {
  silentLogger
} from "./chunk-OS4GY4HV.js";
import {
  Gate,
  mapLimit
} from "./chunk-QZW4XWZK.js";
import {
  VERSION
} from "./chunk-NLX2LEXV.js";
import {
  daysUntil,
  normaliseFingerprint,
  safeText,
  suggest
} from "./chunk-NRN5HDCZ.js";
import {
  stripUserinfo
} from "./chunk-O6SZIQSQ.js";
import {
  readCertificates
} from "./chunk-FVSSEFCQ.js";
import {
  EXTENSION_OIDS,
  TAG,
  contents,
  decodeCertificate,
  decodeGeneralName,
  expectTag,
  inner,
  oidAt,
  parseCertificate,
  parseOne
} from "./chunk-HSQZZC7B.js";
import {
  ConfigError,
  ParseError,
  formatProblem
} from "./chunk-WW3ZWNRQ.js";

// src/evaluate/report.ts
function reportCert(r, role, now, origin) {
  return {
    sha256: r.sha256,
    subject: r.subject,
    issuer: r.issuer,
    serial: r.serial,
    notBefore: r.notBefore,
    notAfter: r.notAfter,
    daysRemaining: daysUntil(r.notAfter, now),
    dnsNames: r.dnsNames,
    ipAddresses: r.ipAddresses,
    keyType: r.keyType,
    keyBits: r.keyBits,
    curve: r.curve,
    signatureAlgorithm: r.signatureAlgorithm,
    isCA: r.isCA,
    role,
    ...origin ? { origin } : {}
  };
}
function storeRole(r) {
  return certificateRole(r, 0, "store");
}
function reportStoreCert(c, now) {
  return reportCert(c.record, storeRole(c.record), now, c.origin);
}
function sourceSummary(t) {
  const s = t.source;
  const fields = { ...s[t.source.kind] };
  if (typeof fields.via === "string") fields.via = stripUserinfo(fields.via);
  return { kind: t.source.kind, ...fields };
}
function sortFindings(f) {
  return f.sort(
    (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.target.localeCompare(b.target) || a.check.localeCompare(b.check) || a.id.localeCompare(b.id)
  );
}
function assembleReport(targets, findings, certificates, now) {
  const open = new Set(findings.filter((f) => !f.waived).map((f) => f.target));
  for (const t of targets)
    if (t.status === "ok" || t.status === "findings") t.status = open.has(t.id) ? "findings" : "ok";
  const counts = { error: 0, warning: 0, info: 0 };
  let waived = 0;
  for (const f of findings) {
    if (f.waived) waived++;
    else counts[f.severity]++;
  }
  return {
    schemaVersion: 1,
    tool: { name: "certwarden", version: VERSION },
    evaluatedAt: now.toISOString(),
    summary: { targets: targets.length, certificates, findings: counts, waived },
    targets,
    findings
  };
}
function exitCodeFor(report, failOn) {
  if (failOn === "never") return 0;
  const threshold = SEVERITY_RANK[failOn];
  return report.findings.some((f) => !f.waived && SEVERITY_RANK[f.severity] >= threshold) ? 1 : 0;
}

// src/inventory/presets/kubeadm.ts
import { existsSync } from "node:fs";
import path from "node:path";

// src/inventory/presets/kubeadm-table.ts
function firstServiceIp(subnet) {
  const first = subnet.split(",")[0].trim();
  const [addr, bitsText] = first.split("/");
  const bits = Number(bitsText);
  if (!addr || !Number.isInteger(bits))
    throw new Error(`invalid serviceSubnet ${JSON.stringify(subnet)}: expected CIDR such as 10.96.0.0/12`);
  if (addr.includes(":")) {
    const parts = expandIpv6(addr);
    let n2 = parts.reduce((acc, p) => acc << 16n | BigInt(p), 0n);
    const mask = bits === 0 ? 0n : (1n << 128n) - 1n ^ (1n << BigInt(128 - bits)) - 1n;
    n2 = (n2 & mask) + 1n;
    const out = [];
    for (let i = 7; i >= 0; i--) out.push((n2 >> BigInt(i * 16) & 0xffffn).toString(16));
    return compressIpv6(out);
  }
  const octets = addr.split(".").map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255))
    throw new Error(`invalid serviceSubnet ${JSON.stringify(subnet)}: expected CIDR such as 10.96.0.0/12`);
  let n = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - bits);
  n = Math.floor(n / size) * size + 1;
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
}
function expandIpv6(a) {
  const [head, tail] = a.split("::");
  const h = head ? head.split(":").map((x) => parseInt(x, 16)) : [];
  const t = tail !== void 0 && tail ? tail.split(":").map((x) => parseInt(x, 16)) : [];
  const fill = a.includes("::") ? new Array(8 - h.length - t.length).fill(0) : [];
  return [...h, ...fill, ...t];
}
function compressIpv6(groups) {
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== "0") {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === "0") j++;
    if (j - i > bestLen && j - i > 1) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return groups.join(":");
  return `${groups.slice(0, best).join(":")}::${groups.slice(best + bestLen).join(":")}`;
}
var ADMIN_GROUPS = [["kubeadm:cluster-admins"], ["system:masters"]];
function kubeadmTable(p) {
  const domain = p.clusterDomain ?? "cluster.local";
  const ips = [];
  if (p.serviceSubnet) ips.push(firstServiceIp(p.serviceSubnet));
  if (p.advertiseAddress) ips.push(p.advertiseAddress);
  const dns = [
    p.nodeName,
    "kubernetes",
    "kubernetes.default",
    "kubernetes.default.svc",
    `kubernetes.default.svc.${domain}`
  ];
  if (p.controlPlaneEndpoint) {
    const host = p.controlPlaneEndpoint.replace(/^\[|\](:\d+)?$|:\d+$/g, "");
    if (/^[\d.]+$/.test(host) || host.includes(":")) ips.push(host);
    else dns.push(host);
  }
  const etcdIps = [...p.advertiseAddress ? [p.advertiseAddress] : [], "127.0.0.1", "::1"];
  const entries = [
    {
      role: "kubernetes-ca",
      file: "pki/ca.crt",
      kind: "file",
      ca: true,
      issuer: null,
      CN: "kubernetes",
      usages: []
    },
    {
      role: "apiserver",
      file: "pki/apiserver.crt",
      kind: "file",
      ca: false,
      issuer: "ca.crt",
      CN: "kube-apiserver",
      dnsNames: dns,
      ipAddresses: ips,
      usages: ["serverAuth"]
    },
    {
      role: "apiserver-kubelet-client",
      file: "pki/apiserver-kubelet-client.crt",
      kind: "file",
      ca: false,
      issuer: "ca.crt",
      CN: "kube-apiserver-kubelet-client",
      acceptedO: ADMIN_GROUPS,
      usages: ["clientAuth"]
    },
    {
      role: "front-proxy-ca",
      file: "pki/front-proxy-ca.crt",
      kind: "file",
      ca: true,
      issuer: null,
      CN: "front-proxy-ca",
      usages: []
    },
    {
      role: "front-proxy-client",
      file: "pki/front-proxy-client.crt",
      kind: "file",
      ca: false,
      issuer: "front-proxy-ca.crt",
      CN: "front-proxy-client",
      usages: ["clientAuth"]
    }
  ];
  if (p.etcd !== false) {
    entries.push(
      {
        role: "etcd-ca",
        file: "pki/etcd/ca.crt",
        kind: "file",
        ca: true,
        issuer: null,
        CN: "etcd-ca",
        usages: []
      },
      {
        role: "etcd-server",
        file: "pki/etcd/server.crt",
        kind: "file",
        ca: false,
        issuer: "etcd/ca.crt",
        CN: p.nodeName,
        dnsNames: [p.nodeName, "localhost"],
        ipAddresses: etcdIps,
        usages: ["serverAuth", "clientAuth"]
      },
      {
        role: "etcd-peer",
        file: "pki/etcd/peer.crt",
        kind: "file",
        ca: false,
        issuer: "etcd/ca.crt",
        CN: p.nodeName,
        dnsNames: [p.nodeName, "localhost"],
        ipAddresses: etcdIps,
        usages: ["serverAuth", "clientAuth"]
      },
      {
        role: "etcd-healthcheck-client",
        file: "pki/etcd/healthcheck-client.crt",
        kind: "file",
        ca: false,
        issuer: "etcd/ca.crt",
        CN: "kube-etcd-healthcheck-client",
        usages: ["clientAuth"]
      },
      {
        role: "apiserver-etcd-client",
        file: "pki/apiserver-etcd-client.crt",
        kind: "file",
        ca: false,
        issuer: "etcd/ca.crt",
        CN: "kube-apiserver-etcd-client",
        usages: ["clientAuth"]
      }
    );
  }
  entries.push(
    {
      role: "admin",
      file: "admin.conf",
      kind: "kubeconfig",
      ca: false,
      issuer: "ca.crt",
      CN: "kubernetes-admin",
      acceptedO: ADMIN_GROUPS,
      usages: ["clientAuth"]
    },
    {
      role: "super-admin",
      file: "super-admin.conf",
      kind: "kubeconfig",
      ca: false,
      issuer: "ca.crt",
      CN: "kubernetes-super-admin",
      O: ["system:masters"],
      usages: ["clientAuth"],
      optional: true
    },
    {
      role: "controller-manager",
      file: "controller-manager.conf",
      kind: "kubeconfig",
      ca: false,
      issuer: "ca.crt",
      CN: "system:kube-controller-manager",
      usages: ["clientAuth"]
    },
    {
      role: "scheduler",
      file: "scheduler.conf",
      kind: "kubeconfig",
      ca: false,
      issuer: "ca.crt",
      CN: "system:kube-scheduler",
      usages: ["clientAuth"]
    },
    {
      role: "kubelet",
      file: "kubelet.conf",
      kind: "kubeconfig",
      ca: false,
      issuer: "ca.crt",
      CN: `system:node:${p.nodeName}`,
      O: ["system:nodes"],
      usages: ["clientAuth"]
    }
  );
  return entries;
}

// src/inventory/presets/kubeadm.ts
var KUBEADM_POLICY = "kubernetes-pki";
function expandKubeadmPreset(target, opts = {}) {
  if (target.source.kind !== "preset") return [target];
  const k = target.source.preset.kubeadm;
  const exists = opts.exists ?? existsSync;
  const base = path.dirname(target.location.file);
  const pkiDir = path.resolve(base, k.pkiDir);
  const confDir = path.resolve(base, k.confDir ?? path.dirname(pkiDir));
  const policies = [.../* @__PURE__ */ new Set([...target.policies ?? [], KUBEADM_POLICY])];
  if (!(opts.dirExists ?? existsSync)(pkiDir))
    return [
      {
        id: target.id,
        inventory: target.inventory,
        location: target.location,
        source: { kind: "file", file: { path: pkiDir } },
        policies,
        owners: target.owners,
        zone: target.zone,
        labels: { ...target.labels },
        expandedFrom: target.id,
        ...target.network ? { network: target.network } : {},
        ...target.paths ? { paths: { ...target.paths } } : {}
      }
    ];
  const out = [];
  for (const e of kubeadmTable(k)) {
    const abs = e.kind === "file" ? path.join(pkiDir, e.file.replace(/^pki\//, "")) : path.join(confDir, e.file);
    if (e.optional && !exists(abs)) continue;
    const expect = { subject: { CN: e.CN, ...e.O ? { O: e.O } : {} } };
    if (e.dnsNames?.length) expect.dnsNames = e.dnsNames;
    if (e.ipAddresses?.length) expect.ipAddresses = e.ipAddresses;
    const t = {
      id: `${target.id}/${e.file}`,
      inventory: target.inventory,
      location: target.location,
      source: e.kind === "file" ? { kind: "file", file: { path: abs, format: "pem" } } : { kind: "kubeconfig", kubeconfig: { path: abs } },
      expect,
      renewal: target.renewal ?? {
        method: "kubeadm",
        runbook: "kubeadm certs renew all (then restart the control-plane static pods)"
      },
      policies,
      owners: target.owners,
      zone: target.zone,
      labels: { ...target.labels },
      expandedFrom: target.id,
      role: e.role,
      ...target.network ? { network: target.network } : {},
      ...target.paths ? { paths: { ...target.paths } } : {},
      kubeadm: {
        role: e.role,
        file: e.file,
        caFile: e.issuer ? path.join(pkiDir, e.issuer) : null,
        caName: e.issuer,
        CN: e.CN,
        acceptedO: e.acceptedO ?? null,
        nodeName: k.nodeName
      }
    };
    out.push(t);
  }
  return out;
}

// src/sources/registry.ts
var loaders = {
  file: async () => (await import("./collector-6E6LC6QB.js")).fileCollector,
  kubeconfig: async () => (await import("./collector-HBOZADOW.js")).kubeconfigCollector,
  endpoint: async () => (await import("./collector-U5GBCF2N.js")).endpointCollector,
  kubernetes: async () => (await import("./collector-N3G6A56T.js")).kubernetesCollector,
  discover: async () => (await import("./discover-collector-RL6YVWZ6.js")).discoverCollector
};
var cache = /* @__PURE__ */ new Map();
function collectorFor(kind) {
  const load2 = loaders[kind];
  if (!load2)
    throw new ConfigError(`unknown source kind '${kind}' (valid: ${Object.keys(loaders).join(", ")})`);
  let c = cache.get(kind);
  if (!c) {
    c = load2();
    cache.set(kind, c);
  }
  return c;
}
function collectContext(c) {
  return { ...c, env: c.env ?? process.env };
}
async function collectOne(t, ctx) {
  try {
    const collector = await collectorFor(t.source.kind);
    return await collector.collect(t, ctx);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    ctx.logger.debug(`collector for ${t.id} failed: ${message}`);
    return [
      {
        target: t.id,
        source: { kind: t.source.kind },
        collectedAt: ctx.now.toISOString(),
        status: "error",
        error: { reason: "internal", message },
        certificates: [],
        trustStore: null
      }
    ];
  }
}
async function batchCollectors(targets) {
  const kinds = [...new Set(targets.map((t) => t.source.kind))].filter((k) => loaders[k]);
  const loaded = await Promise.all(
    // A collector that fails to load is reported per target, by collectOne.
    kinds.map(
      (k) => collectorFor(k).then(
        (c) => c.collectMany ? c : null,
        () => null
      )
    )
  );
  const out = /* @__PURE__ */ new Map();
  kinds.forEach((k, i) => {
    const c = loaded[i];
    if (c) out.set(k, c);
  });
  return out;
}
async function collectTargets(targets, ctx, opts, sink) {
  const batches = await batchCollectors(targets);
  const doneBy = /* @__PURE__ */ new Map();
  const progress = (group) => (done) => {
    doneBy.set(group, done);
    let sum = 0;
    for (const n of doneBy.values()) sum += n;
    opts.onProgress?.(sum, targets.length);
  };
  const others = targets.filter((t) => !batches.has(t.source.kind));
  await Promise.all([
    ...[...batches].map(
      ([kind, c]) => c.collectMany(
        targets.filter((t) => t.source.kind === kind),
        ctx,
        { concurrency: opts.concurrency, onDone: progress(kind) },
        sink
      )
    ),
    mapLimit(others, opts.concurrency, async (t) => sink(t, await collectOne(t, ctx)), progress("*"))
  ]);
}

// src/x509/aia.ts
var CA_ISSUERS = "1.3.6.1.5.5.7.48.2";
function caIssuersUrls(der) {
  const { layout } = decodeCertificate(der);
  const ext = layout?.extensions.first.get(EXTENSION_OIDS.authorityInfoAccess);
  if (!ext) return [];
  const out = [];
  try {
    const value = contents(der, ext.value);
    for (const ad of inner(value, parseOne(value, TAG.SEQUENCE))) {
      const [method, location] = inner(value, expectTag(ad, TAG.SEQUENCE, "AccessDescription"));
      if (!method || !location || oidAt(value, method) !== CA_ISSUERS) continue;
      const name = decodeGeneralName(value, location);
      if (name.type === "uri" && name.ascii && !out.includes(name.value)) out.push(name.value);
    }
  } catch {
    return out;
  }
  return out;
}
function topOfPresented(presented) {
  let top = presented[0];
  if (!top) return null;
  const seen = /* @__PURE__ */ new Set([top.sha256]);
  for (; ; ) {
    const current = top;
    const next = presented.find((c) => !seen.has(c.sha256) && c.subject.dn === current.issuer.dn);
    if (!next || current.selfIssued) return current;
    seen.add(next.sha256);
    top = next;
  }
}

// src/sources/ca-issuers.ts
var CA_ISSUERS_MAX_BYTES = 64 * 1024;
async function fetchMissingIssuers(obs, fetcher, opts) {
  if (obs.status !== "ok" || obs.source.kind !== "endpoint" && obs.source.kind !== "kubernetes") return obs;
  const top = topOfPresented(obs.certificates.map((c) => c.record));
  if (!top || top.selfIssued || opts.known.has(top.issuer.dn)) return obs;
  const urls = caIssuersUrls(Buffer.from(top.der, "base64"));
  if (urls.length === 0) return obs;
  const issuers = [];
  for (const url of urls.slice(0, 3)) {
    const got = await fetchOne(url, top, fetcher, opts.deadline);
    issuers.push(got);
    if (got.certificates.length) break;
  }
  return { ...obs, issuers };
}
async function fetchOne(url, top, fetcher, deadline) {
  const base = { for: top.sha256, url: safeText(url).slice(0, 300) };
  if (!/^https?:\/\//i.test(url))
    return { ...base, certificates: [], error: "not an http or https URL; not fetched" };
  if (fetcher.offline) return { ...base, certificates: [], error: fetchingOff(fetcher.offlineReason) };
  const res = await fetcher.fetch({
    url,
    maxBytes: CA_ISSUERS_MAX_BYTES,
    accept: "application/pkix-cert, application/pkcs7-mime",
    ...deadline !== void 0 ? { deadline } : {}
  });
  if (!res.ok)
    return { ...base, certificates: [], error: `${res.reason}: ${safeText(res.message).slice(0, 200)}` };
  try {
    const read = readCertificates(res.body, { file: base.url, format: "auto" });
    const certificates = read.certificates.slice(0, 8).map((c, i) => ({ origin: `caIssuers[${i}]`, record: c.record }));
    return { ...base, certificates, error: certificates.length ? null : "served no certificate" };
  } catch (e) {
    const why = e instanceof ParseError ? e.message.replace(`${base.url}: `, "") : "unreadable";
    return {
      ...base,
      certificates: [],
      error: `served something that is not a certificate (${safeText(why).slice(0, 160)})`
    };
  }
}
function issuerCompleter(fetcher, anchors, timeoutMs) {
  if (!fetcher) return null;
  const known = /* @__PURE__ */ new Set();
  for (const a of anchors) {
    try {
      known.add(parseCertificate(Buffer.from(a.der, "base64"), "anchor").subject.dn);
    } catch {
    }
  }
  return (obs) => fetchMissingIssuers(obs, fetcher, { known, deadline: Date.now() + timeoutMs });
}

// src/evaluate/trust.ts
import { rootCertificates } from "node:tls";
var systemRoots = null;
function platformRoots() {
  if (!systemRoots) {
    systemRoots = [];
    for (const pem of rootCertificates) {
      try {
        for (const c of readCertificates(Buffer.from(pem), {
          file: "node:tls.rootCertificates",
          format: "pem"
        }).certificates) {
          systemRoots.push({ id: `system:${c.record.subject.CN ?? c.record.subject.dn}`, record: c.record });
        }
      } catch {
      }
    }
  }
  return systemRoots;
}
function anchorRecord(a) {
  return parseCertificate(Buffer.from(a.der, "base64"), a.file);
}
function buildAnchorSet(anchors, parse = anchorRecord) {
  const records = /* @__PURE__ */ new Map();
  const roots = [];
  const intermediates = [];
  for (const a of anchors.values()) {
    const record = parse(a);
    records.set(a.id, record);
    (record.selfIssued ? roots : intermediates).push({ id: a.id, record });
  }
  return { byId: anchors, records, roots, intermediates };
}
function issuedByAnchor(leaf, anchor) {
  return anchor !== void 0 && issuedBy(leaf, anchor);
}
var LEAF_TIME_CODES = /* @__PURE__ */ new Set(["expired", "not-yet-valid"]);
function chainJob(target, presented, set, now, location) {
  const leaf = presented[0]?.record;
  if (!leaf) return null;
  const strict = target.source.kind === "endpoint" || target.source.kind === "kubernetes";
  const chainTo = target.expect?.chainTo;
  let anchors;
  if (chainTo) {
    const rec = set.records.get(chainTo);
    if (!rec) return null;
    anchors = [{ id: chainTo, record: rec }];
  } else {
    anchors = [...set.roots, ...strict ? platformRoots() : []];
  }
  if (anchors.length === 0) return null;
  return {
    target,
    leaf,
    presentedRest: presented.slice(1).map((c) => c.record),
    set,
    strict,
    chainTo,
    anchors,
    helpers: [...set.roots, ...set.intermediates].filter((a) => a.id !== chainTo).map((a) => a.record),
    judgeTrust: Boolean(chainTo) || target.source.kind === "endpoint" || strict && set.roots.length > 0,
    opts: { now, purpose: target.source.kind === "endpoint" ? "serverAuth" : null },
    base: { target: target.id, location }
  };
}
function verifyPresented(job) {
  const { leaf, presentedRest, helpers, anchors, opts, strict } = job;
  const result = verifyChain(leaf, strict ? presentedRest : [...presentedRest, ...helpers], anchors, opts);
  if (result.trusted || !strict) return { result, missing: [] };
  const second = verifyChain(leaf, [...presentedRest, ...helpers], anchors, opts);
  if (!second.trusted) return { result, missing: [] };
  const sent = new Set(presentedRest.map((r) => r.sha256));
  const anchorFp = new Set(anchors.map((a) => a.record.sha256));
  const missing = helpers.filter(
    (h) => second.path.includes(h.sha256) && !sent.has(h.sha256) && !anchorFp.has(h.sha256)
  );
  return { result: second, missing };
}
function incompleteFindings(job, missing, chain) {
  const out = [];
  for (const m of missing) {
    const p = {
      code: "incomplete",
      message: `intermediate ${m.subject.dn} was not sent`,
      certificate: m.sha256
    };
    chain.problems.push(p);
    chain.trusted = false;
    out.push(
      makeFinding({
        ...job.base,
        check: "chain.incomplete",
        certificate: m.sha256,
        message: `the server does not send intermediate ${m.subject.dn}; clients without it cannot build a path`,
        remediation: { kind: "manual", hint: "configure the full chain (leaf, then intermediates)" }
      })
    );
  }
  return out;
}
function untrustedFindings(job, result) {
  const { leaf, chainTo, base, set } = job;
  const out = [];
  const expiredCas = result.problems.filter(
    (p) => p.code === "expired-ca" || LEAF_TIME_CODES.has(p.code) && p.certificate && p.certificate !== leaf.sha256
  );
  const leafTimeOnly = result.problems.length > 0 && result.problems.every((p) => LEAF_TIME_CODES.has(p.code) && p.certificate === leaf.sha256);
  for (const p of expiredCas) {
    out.push(
      makeFinding({
        ...base,
        // a CA that is not valid yet has not expired: it gets its own name
        check: p.code === "not-yet-valid" ? "chain.not-yet-valid-ca" : "chain.expired-ca",
        certificate: p.certificate,
        message: p.message,
        remediation: { kind: "manual" }
      })
    );
  }
  if (leafTimeOnly || expiredCas.length > 0 || !job.judgeTrust) return out;
  if (chainTo) {
    const other = verifyChain(
      leaf,
      [...job.presentedRest, ...job.helpers],
      [...set.roots, ...set.intermediates].filter((a) => a.id !== chainTo),
      job.opts
    );
    if (other.trusted) {
      out.push(
        makeFinding({
          ...base,
          check: "expect.chainTo",
          certificate: leaf.sha256,
          location: job.target.paths?.["expect.chainTo"] ?? base.location,
          message: `chains to anchor '${other.anchor}', not to '${chainTo}'`
        })
      );
      return out;
    }
  }
  const why = result.problems.map((p) => p.message).join("; ") || "no path to a trusted anchor";
  out.push(
    makeFinding({
      ...base,
      check: "chain.untrusted",
      certificate: leaf.sha256,
      message: `not trusted${chainTo ? ` by '${chainTo}'` : ""}: ${why}`
    })
  );
  return out;
}
function servedChainFindings(job, result, chain) {
  const { leaf, presentedRest, base } = job;
  const out = [];
  const onPath = result.path.slice(1);
  const sentOrder = presentedRest.map((r) => r.sha256).filter((fp) => onPath.includes(fp));
  const expectedOrder = onPath.filter((fp) => sentOrder.includes(fp));
  if (sentOrder.join() !== expectedOrder.join()) {
    out.push(
      makeFinding({
        ...base,
        check: "chain.order",
        certificate: leaf.sha256,
        message: "intermediates are not sent in issuing order (leaf, then its issuer, \u2026)"
      })
    );
    chain.problems.push({ code: "order", message: "intermediates out of order", certificate: null });
  }
  const anchorFp = result.path[result.path.length - 1];
  for (const r of presentedRest) {
    if (!result.path.includes(r.sha256) && r.sha256 !== anchorFp) {
      out.push(
        makeFinding({
          ...base,
          check: "chain.extra",
          certificate: r.sha256,
          message: `sends ${r.subject.dn}, which is not part of the path to '${result.anchor}'`
        })
      );
      chain.problems.push({
        code: "extra",
        message: `unneeded certificate ${r.subject.dn}`,
        certificate: r.sha256
      });
    }
  }
  return out;
}
function keyId(hex) {
  return hex ? (hex.match(/../g) ?? []).join(":") : "none";
}
function missingIssuer(job, fetched) {
  const { leaf, base } = job;
  const top = topOfPresented([leaf, ...job.presentedRest]);
  if (!top || top.selfIssued || job.anchors.some((a) => a.record.subject.dn === top.issuer.dn)) return null;
  const tries = fetched.filter((f) => f.for === top.sha256);
  const found = tries.flatMap((f) => f.certificates.map((c) => ({ record: c.record, url: f.url }))).find((c) => issuedBy(top, c.record));
  if (found?.record.selfIssued) return null;
  if (!found && top.sha256 !== leaf.sha256) return null;
  const issuer2 = found?.record;
  const name = issuer2?.subject.dn ?? top.issuer.dn;
  const aki = keyId(top.authorityKeyId);
  let message = `the server does not send the issuer of ${top.subject.dn}: ${name} (authority key id ${aki}); clients without it cannot build a path`;
  let hint = `send the intermediate ${name} after the certificate`;
  const out = [];
  let completed = null;
  if (found && issuer2) {
    completed = verifyChain(leaf, [...job.presentedRest, ...job.helpers, issuer2], job.anchors, job.opts);
    message += ` (fetched from its caIssuers URL ${found.url})`;
    if (completed.trusted)
      hint = `send the intermediate ${name}; with it the chain is trusted by '${completed.anchor}'`;
  } else {
    const urls = caIssuersUrls(Buffer.from(top.der, "base64"));
    const why = tries.map((t) => `${t.url}: ${t.error ?? "no issuing certificate"}`).join("; ");
    message += urls.length === 0 ? " (its certificate names no caIssuers URL)" : why ? ` (caIssuers: ${why})` : ` (caIssuers ${urls[0]} not fetched in this run)`;
  }
  const problem = {
    code: "incomplete",
    message: `issuer ${name} was not sent`,
    certificate: issuer2?.sha256 ?? null
  };
  out.push(
    makeFinding({
      ...base,
      check: "chain.incomplete",
      certificate: issuer2?.sha256 ?? top.sha256,
      key: issuer2 ? null : `${top.sha256}\0${name}`,
      message,
      remediation: { kind: "manual", hint }
    })
  );
  const chain = {
    trusted: false,
    anchor: completed?.trusted ? completed.anchor : null,
    path: completed?.path ?? [],
    problems: [problem, ...completed && !completed.trusted ? completed.problems : []]
  };
  if (completed && !completed.trusted) out.push(...untrustedFindings(job, completed));
  return { chain, findings: out };
}
function evaluateChain(target, presented, set, now, location, fetched = []) {
  const job = chainJob(target, presented, set, now, location);
  if (!job) return { chain: null, findings: [] };
  const { result, missing } = verifyPresented(job);
  if (!result.trusted && job.strict && job.judgeTrust && missing.length === 0) {
    const gap = missingIssuer(job, fetched);
    if (gap) return gap;
  }
  const chain = {
    trusted: result.trusted,
    anchor: result.anchor,
    path: result.path,
    problems: [...result.problems]
  };
  const findings = incompleteFindings(job, missing, chain);
  if (!result.trusted) findings.push(...untrustedFindings(job, result));
  else if (job.strict) findings.push(...servedChainFindings(job, result, chain));
  return { chain, findings };
}

// src/evaluate/revocation/observe.ts
function namesASource(record) {
  const f = factsFor(record);
  return f.extensions.has(EXTENSION_OIDS.authorityInfoAccess) || f.extensions.has(EXTENSION_OIDS.crlDistributionPoints) || f.extensions.has(TLS_FEATURE_OID);
}
var RevocationObserver = class {
  constructor(inventory, opts) {
    this.inventory = inventory;
    this.stage = new RevocationStage({ fetcher: opts.fetcher, now: opts.now, timeoutMs: opts.timeoutMs });
    this.gate = new Gate(Math.max(1, opts.concurrency ?? 32));
  }
  inventory;
  stage;
  anchorSet = null;
  gate;
  /** `list` with revocation results on each observation of a path that `target`'s mode asks to check. */
  async observe(target, list) {
    const mode = target.revocation?.mode ?? "soft";
    if (mode === "off" || target.trustStore) return list;
    const wanted = list.filter(
      (o) => o.status === "ok" && o.certificates.length > 0 && (mode === "hard" || o.tls?.ocspStaple || o.certificates.some((c) => namesASource(c.record)))
    );
    if (wanted.length === 0) return list;
    await this.gate.enter();
    try {
      await Promise.all(wanted.map(async (o) => void (o.revocation = await this.check(target, o))));
    } finally {
      this.gate.leave();
    }
    return list;
  }
  check(target, obs) {
    this.anchorSet ??= buildAnchorSet(this.inventory.anchors);
    const set = this.anchorSet;
    const chainTo = target.expect?.chainTo ? set.records.get(target.expect.chainTo) : void 0;
    const strict = target.source.kind === "endpoint" || target.source.kind === "kubernetes";
    const anchors = chainTo ? [{ id: target.expect.chainTo, record: chainTo }] : [...set.roots, ...strict ? platformRoots() : []];
    const helpers = [...set.roots, ...set.intermediates].map((a) => a.record);
    const path2 = revocationPath(
      obs.certificates.map((c) => c.record),
      anchors,
      helpers,
      this.stage.now
    );
    const staple = obs.tls?.ocspStaple ? Buffer.from(obs.tls.ocspStaple, "base64") : null;
    return this.stage.checkPath(path2, staple);
  }
};

// src/evaluate/expect.ts
import { isIP } from "node:net";
function canonicalIp(ip) {
  const bare = ip.replace(/^\[|\]$/g, "");
  if (isIP(bare) === 6) return new URL(`http://[${bare}]/`).hostname.replace(/^\[|\]$/g, "");
  if (isIP(bare) === 4)
    return bare.split(".").map((o) => String(Number(o))).join(".");
  return bare.toLowerCase();
}
function asList(v) {
  if (v === void 0) return [];
  return Array.isArray(v) ? v : [v];
}
function subjectDiffs(name, want) {
  const diffs = [];
  if (want.CN !== void 0 && name.CN !== want.CN)
    diffs.push(`CN is ${JSON.stringify(name.CN)}, expected ${JSON.stringify(want.CN)}`);
  for (const attr of ["O", "OU", "C"]) {
    if (want[attr] === void 0) continue;
    const have = new Set(name[attr]);
    const expected = new Set(asList(want[attr]));
    const same = have.size === expected.size && [...expected].every((v) => have.has(v));
    if (!same)
      diffs.push(`${attr} is ${JSON.stringify([...have])}, expected ${JSON.stringify([...expected])}`);
  }
  return diffs;
}
function at(target, path2) {
  return target.paths?.[path2] ?? target.location;
}
function leafFinding(ctx, check, path2, message, remediation = { kind: "renew" }) {
  return makeFinding({
    target: ctx.target.id,
    certificate: ctx.leaf.sha256,
    check,
    message,
    location: at(ctx.target, path2),
    remediation
  });
}
var subject = (expect, ctx) => {
  if (!expect.subject) return null;
  const diffs = subjectDiffs(ctx.leaf.subject, expect.subject);
  if (!diffs.length) return null;
  return leafFinding(ctx, "expect.subject", "expect.subject", `subject differs: ${diffs.join("; ")}`);
};
var dnsNames = (expect, ctx) => {
  if (!expect.dnsNames) return null;
  const { leaf } = ctx;
  const have = new Set(leaf.dnsNames.map((n) => n.toLowerCase()));
  const missing = expect.dnsNames.filter((n) => !have.has(n.toLowerCase()));
  const wanted = new Set(expect.dnsNames.map((n) => n.toLowerCase()));
  const extra = expect.onlyListedNames ? leaf.dnsNames.filter((n) => !wanted.has(n.toLowerCase())) : [];
  if (!missing.length && !extra.length) return null;
  const parts = [];
  if (missing.length) parts.push(`missing DNS name(s) ${missing.join(", ")}`);
  if (extra.length) parts.push(`unexpected DNS name(s) ${extra.join(", ")}`);
  return leafFinding(
    ctx,
    "expect.dnsNames",
    "expect.dnsNames",
    `${parts.join("; ")} (certificate has: ${leaf.dnsNames.join(", ") || "none"})`
  );
};
var ipAddresses = (expect, ctx) => {
  if (!expect.ipAddresses) return null;
  const have = new Set(ctx.leaf.ipAddresses.map(canonicalIp));
  const wanted = new Set(expect.ipAddresses.map(canonicalIp));
  const missing = [...wanted].filter((ip) => !have.has(ip));
  const extra = expect.onlyListedNames ? [...have].filter((ip) => !wanted.has(ip)) : [];
  if (!missing.length && !extra.length) return null;
  const parts = [];
  if (missing.length) parts.push(`missing IP address(es) ${missing.join(", ")}`);
  if (extra.length) parts.push(`unexpected IP address(es) ${extra.join(", ")}`);
  return leafFinding(
    ctx,
    "expect.ipAddresses",
    "expect.ipAddresses",
    `${parts.join("; ")} (certificate has: ${[...have].join(", ") || "none"})`
  );
};
var issuer = (expect, ctx) => {
  if (expect.issuer === void 0) return null;
  const { leaf } = ctx;
  if (typeof expect.issuer === "string") {
    const anchor = ctx.anchors.get(expect.issuer);
    if (!anchor || ctx.issuedBy(leaf, anchor)) return null;
    return leafFinding(
      ctx,
      "expect.issuer",
      "expect.issuer",
      `not issued by anchor '${expect.issuer}' (issuer is ${leaf.issuer.dn})`
    );
  }
  const diffs = subjectDiffs(leaf.issuer, expect.issuer);
  if (!diffs.length) return null;
  return leafFinding(ctx, "expect.issuer", "expect.issuer", `issuer differs: ${diffs.join("; ")}`);
};
var extKeyUsage = (expect, ctx) => {
  if (!expect.extKeyUsage) return null;
  const { leaf } = ctx;
  const have = new Set(leaf.extKeyUsage ?? []);
  const missing = expect.extKeyUsage.filter((u) => !have.has(u));
  if (!missing.length) return null;
  const what = leaf.extKeyUsage === null ? "the certificate has no extendedKeyUsage extension" : `it has ${[...have].join(", ") || "none"}`;
  return leafFinding(
    ctx,
    "expect.extKeyUsage",
    "expect.extKeyUsage",
    `missing extended key usage ${missing.join(", ")} (${what})`
  );
};
var pin = (expect, ctx) => {
  if (!expect.sha256) return null;
  const pinned = normaliseFingerprint(expect.sha256);
  const live = ctx.leaf.sha256;
  if (pinned === live) return null;
  return leafFinding(
    ctx,
    "pin.drift",
    "expect.sha256",
    `live certificate ${live} differs from the pinned ${pinned}`,
    { kind: "pin", sha256: live }
  );
};
var CHECKS = [subject, dnsNames, ipAddresses, issuer, extKeyUsage, pin];
function evaluateExpect(expect, ctx) {
  const out = [];
  for (const check of CHECKS) {
    const f = check(expect, ctx);
    if (f) out.push(f);
  }
  return out;
}

// src/evaluate/hostname.ts
import { isIP as isIP2 } from "node:net";
function referenceName(ep) {
  const raw = ep.serverName ?? ep.host;
  const name = raw.startsWith("[") && raw.endsWith("]") ? raw.slice(1, -1) : raw;
  return isIP2(name) ? { kind: "IP", value: name } : { kind: "DNS", value: name };
}
function subjectAltNames(c) {
  const out = [];
  for (const value of c.dnsNames) out.push({ type: "dns", value, ascii: /^[\x00-\x7f]*$/.test(value) });
  for (const ip of c.ipAddresses) {
    const bytes = parseIp(ip);
    if (bytes) out.push({ type: "ip", bytes });
  }
  const count = c.dnsNames.length + c.ipAddresses.length + c.emailAddresses.length + c.uris.length;
  return count === 0 ? null : out;
}
function hostnameMismatch(c, ep) {
  return matchPeerName(subjectAltNames(c), referenceName(ep));
}
function hostnameFinding(target, served, location) {
  if (target.source.kind !== "endpoint") return null;
  const ep = target.source.endpoint;
  const why = hostnameMismatch(served, ep);
  if (why === null) return null;
  const name = referenceName(ep).value;
  const cn = served.subject.CN;
  const label = cn ? `certificate ${quoted(cn)}` : `certificate ${served.sha256.slice(0, 16)}`;
  return makeFinding({
    target: target.id,
    check: "chain.hostname",
    certificate: served.sha256,
    location,
    message: `${label} does not cover the host ${quoted(name)}${ep.serverName !== void 0 ? " (serverName)" : ""}: ${why}`,
    remediation: { kind: "renew" }
  });
}
function quoted(s) {
  return JSON.stringify(s.length > 200 ? `${s.slice(0, 200)}\u2026` : s);
}

// src/evaluate/stores.ts
function evaluateStore(store, want, ctx) {
  const out = [];
  const have = new Map(store.map((c) => [c.record.sha256, c.record]));
  const wantedFps = /* @__PURE__ */ new Set();
  const prefix = ctx.kind;
  for (const id of want.contains ?? []) {
    const anchor = ctx.anchors.get(id);
    if (!anchor) continue;
    wantedFps.add(anchor.sha256);
    if (!have.has(anchor.sha256)) {
      out.push(
        makeFinding({
          target: ctx.targetId,
          check: `${prefix}.missing`,
          message: `does not contain anchor '${id}' (sha256 ${anchor.sha256})`,
          certificate: anchor.sha256,
          location: ctx.location,
          remediation: ctx.remediation ?? { kind: "bundle", add: id }
        })
      );
    }
  }
  const nowMs = ctx.now.getTime();
  for (const c of store) {
    const r = c.record;
    const label = `${r.subject.dn} (sha256 ${r.sha256.slice(0, 16)}\u2026, ${c.origin})`;
    if (want.only && !wantedFps.has(r.sha256)) {
      if (prefix === "trustStore")
        out.push(
          makeFinding({
            target: ctx.targetId,
            check: "trustStore.unexpected",
            message: `holds ${label}, which is not in the declared list`,
            certificate: r.sha256,
            location: ctx.location,
            remediation: { kind: "bundle", remove: r.sha256 }
          })
        );
    }
    if (Date.parse(r.notAfter) <= nowMs) {
      out.push(
        makeFinding({
          target: ctx.targetId,
          check: `${prefix}.expired`,
          message: `holds ${label}, which expired on ${r.notAfter}`,
          certificate: r.sha256,
          location: ctx.location,
          remediation: { kind: "bundle", remove: r.sha256 }
        })
      );
    }
    if (!actsAsCA(r) && prefix === "trustStore") {
      out.push(
        makeFinding({
          target: ctx.targetId,
          check: "trustStore.not-ca",
          message: `holds ${label}, which is not a CA certificate`,
          certificate: r.sha256,
          location: ctx.location
        })
      );
    }
  }
  return out;
}
function evaluateBundles(bundles, anchors, now) {
  const out = { targets: [], findings: [], certificates: 0 };
  for (const { bundle: b, certificates, error } of bundles) {
    const bf = [];
    const store = certificates ?? [];
    if (error !== void 0) {
      bf.push(makeFinding({ target: b.id, check: "source.error", location: b.location, message: error }));
    } else {
      bf.push(
        ...evaluateStore(
          store,
          { contains: b.contains, only: b.only },
          {
            targetId: b.id,
            location: b.location,
            kind: "bundle",
            anchors,
            now,
            remediation: { kind: "bundle", file: b.file }
          }
        )
      );
    }
    out.certificates += store.length;
    out.targets.push({
      id: b.id,
      inventory: { file: b.location.file, line: b.location.line },
      source: { kind: "bundle", file: b.file, ...b.key ? { key: b.key } : {} },
      status: bf.length ? "findings" : "ok",
      certificates: store.map((c) => reportStoreCert(c, now)),
      chain: null
    });
    out.findings.push(...bf);
  }
  return out;
}

// src/evaluate/source.ts
function failedSourceFinding(target, obs) {
  const check = obs.status === "unreachable" ? "source.unreachable" : "source.error";
  const reason = obs.error?.reason ?? "unknown";
  const severity = obs.details?.severity === "warning" ? "warning" : void 0;
  return makeFinding({
    target: target.id,
    check,
    key: reason,
    severity,
    location: target.location,
    message: `${obs.status === "unreachable" ? "unreachable" : "cannot be read"} (${reason}): ${obs.error?.message ?? ""}`.trim(),
    remediation: { kind: "manual" }
  });
}
function emptySourceFinding(target, obs) {
  const store = obs.trustStore;
  if (obs.certificates.length > 0 || store && store.length > 0) return null;
  if (obs.details?.certificatesExpected === false) return null;
  return makeFinding({
    target: target.id,
    check: "source.empty",
    location: target.location,
    message: "no certificate found at this source"
  });
}
function notCollected(t, now) {
  return {
    target: t.id,
    source: { kind: t.source.kind },
    collectedAt: now.toISOString(),
    status: "unreachable",
    error: {
      reason: "not-collected",
      message: `no observation for this target${t.zone ? ` (zone '${t.zone}')` : ""}: was it collected, with this inventory?`
    },
    certificates: [],
    trustStore: null
  };
}

// src/evaluate/kubernetes/csr-audit.ts
var SIGNER_RULES = {
  "kubernetes.io/kube-apiserver-client-kubelet": (r) => {
    const p = [];
    if (!r.subject.CN || !/^system:node:[^\s]+$/.test(r.subject.CN))
      p.push(
        `CN must be system:node:<nodeName> (is ${r.subject.CN === null ? "absent" : `'${safeText(r.subject.CN)}'`})`
      );
    if (r.subject.O.length !== 1 || r.subject.O[0] !== "system:nodes")
      p.push(
        `O must be exactly system:nodes (is ${r.subject.O.length ? r.subject.O.map((o) => `'${safeText(o)}'`).join(", ") : "absent"})`
      );
    const sans = r.dnsNames.length + r.ipAddresses.length + r.emailAddresses.length + r.uris.length;
    if (sans) p.push(`must have no subject alternative names (has ${sans})`);
    return p;
  },
  "kubernetes.io/kubelet-serving": (r) => {
    const p = [];
    if (!r.subject.CN || !/^system:node:[^\s]+$/.test(r.subject.CN))
      p.push(
        `CN must be system:node:<nodeName> (is ${r.subject.CN === null ? "absent" : `'${safeText(r.subject.CN)}'`})`
      );
    if (r.subject.O.length !== 1 || r.subject.O[0] !== "system:nodes")
      p.push(
        `O must be exactly system:nodes (is ${r.subject.O.length ? r.subject.O.map((o) => `'${safeText(o)}'`).join(", ") : "absent"})`
      );
    if (r.emailAddresses.length || r.uris.length)
      p.push("may carry only DNS and IP subject alternative names");
    if (!r.dnsNames.length && !r.ipAddresses.length)
      p.push("needs at least one DNS or IP subject alternative name");
    return p;
  }
};
function isCsr(o) {
  return o.details?.kind === "CertificateSigningRequest" && o.status === "ok";
}
function auditCsrs(observations, opts) {
  const out = [];
  const pendingMs = (opts.pendingHours ?? 24) * 36e5;
  const unissuedMs = (opts.unissuedMinutes ?? 15) * 6e4;
  const now = opts.now.getTime();
  for (const o of observations) {
    if (!isCsr(o)) continue;
    const d = o.details;
    const name = safeText(String(d.name ?? "?"));
    const signer = typeof d.signerName === "string" ? d.signerName : null;
    const issued = o.certificates.length > 0;
    const denied = d.denied === true;
    const failed = d.failed === true;
    const approved = d.approved === true;
    const created = typeof d.created === "string" ? Date.parse(d.created) : NaN;
    if (approved && !issued && !denied && !failed) {
      const since = typeof d.approvedAt === "string" ? Date.parse(d.approvedAt) : created;
      if (!Number.isFinite(since) || now - since >= unissuedMs) {
        out.push(
          makeFinding({
            target: o.target,
            check: "csr.unissued",
            key: `csr/${d.name}`,
            message: `CertificateSigningRequest ${name} (signer ${safeText(signer ?? "?")}) was approved${Number.isFinite(since) ? ` ${ago(now - since)} ago` : ""} but no certificate was issued: is a signer running for it?`,
            remediation: { kind: "manual" }
          })
        );
      }
    } else if (!approved && !denied && !failed && !issued && Number.isFinite(created) && now - created >= pendingMs) {
      out.push(
        makeFinding({
          target: o.target,
          check: "csr.pending",
          key: `csr/${d.name}`,
          message: `CertificateSigningRequest ${name} (signer ${safeText(signer ?? "?")}, requested by ${safeText(String(d.username ?? "?"))}) has been pending for ${ago(now - created)}: approve or deny it`,
          remediation: { kind: "manual" }
        })
      );
    }
    const rule = signer ? SIGNER_RULES[signer] : void 0;
    const cert = o.certificates[0];
    if (rule && cert) {
      const problems = rule(cert.record);
      if (problems.length) {
        out.push(
          makeFinding({
            target: o.target,
            check: "csr.signer-rules",
            certificate: cert.record.sha256,
            message: `CertificateSigningRequest ${name}: the certificate issued by signer ${safeText(signer)} breaks its rules: ${problems.join("; ")}`,
            remediation: { kind: "manual" }
          })
        );
      }
    }
  }
  return out;
}
function ago(ms) {
  const h = ms / 36e5;
  if (h >= 48) return `${Math.floor(h / 24)} days`;
  if (h >= 1) return `${Math.floor(h)} hours`;
  return `${Math.max(0, Math.floor(ms / 6e4))} minutes`;
}

// src/evaluate/kubernetes/webhooks.ts
function serviceDnsNames(namespace, name, clusterDomain = "cluster.local") {
  return [`${name}.${namespace}.svc`, `${name}.${namespace}.svc.${clusterDomain}`, `${name}.${namespace}`];
}
function servicesOf(o) {
  const d = o.details ?? {};
  const svc = (v) => {
    const s = v;
    return s && typeof s.namespace === "string" && typeof s.name === "string" ? { namespace: s.namespace, name: s.name } : null;
  };
  if (d.kind === "APIService") {
    const service = svc(d.service);
    return service ? [{ webhook: String(d.name), service, caBundle: o.trustStore ?? [] }] : [];
  }
  if (d.kind !== "ValidatingWebhookConfiguration" && d.kind !== "MutatingWebhookConfiguration") return [];
  const out = [];
  for (const w of d.webhooks ?? []) {
    const service = svc(w.service);
    if (!service) continue;
    const prefix = `webhooks[${w.name}].caBundle[`;
    out.push({
      webhook: w.name,
      service,
      caBundle: (o.trustStore ?? []).filter((c) => c.origin.startsWith(prefix))
    });
  }
  return out;
}
function pairable(o, opts = {}) {
  if (o.status !== "ok") return false;
  if (o.source.objectKind === "Secret")
    return (o.source.kind === "kubernetes" || opts.includeDiscovered === true && o.source.kind === "discover") && o.certificates.length > 0;
  return servicesOf(o).length > 0;
}
function webhookServingPairs(observations, opts = {}) {
  const secrets = observations.filter(
    (o) => o.status === "ok" && o.source.objectKind === "Secret" && (o.source.kind === "kubernetes" || opts.includeDiscovered && o.source.kind === "discover") && o.certificates.length > 0
  );
  const out = [];
  for (const o of observations) {
    if (o.status !== "ok") continue;
    for (const s of servicesOf(o)) {
      const names = new Set(serviceDnsNames(s.service.namespace, s.service.name, opts.clusterDomain));
      for (const sec of secrets) {
        if (sec.source.cluster !== o.source.cluster || sec.source.namespace !== s.service.namespace) continue;
        const leaf = sec.certificates[0]?.record;
        if (!leaf || !leaf.dnsNames.some((n) => names.has(n.toLowerCase()))) continue;
        out.push({
          target: o.target,
          webhook: s.webhook,
          service: s.service,
          caBundle: s.caBundle,
          servingTarget: sec.target,
          serving: sec.certificates
        });
      }
    }
  }
  return out;
}
function webhookTrustFindings(observations, locate, now) {
  const out = [];
  for (const pair of webhookServingPairs(observations)) {
    const leaf = pair.serving[0]?.record;
    if (!leaf) continue;
    const anchors = pair.caBundle.map((c, i) => ({ id: `${pair.target} caBundle[${i}]`, record: c.record }));
    const v = verifyChain(
      leaf,
      pair.serving.slice(1).map((c) => c.record),
      anchors,
      { now }
    );
    if (v.trusted) continue;
    out.push(
      makeFinding({
        target: pair.target,
        check: "chain.untrusted",
        certificate: leaf.sha256,
        location: locate(pair.target),
        message: `caBundle of webhook ${pair.webhook} does not trust the certificate served by ${pair.servingTarget} for service ${pair.service.namespace}/${pair.service.name}: ${v.problems.map((p) => p.message).join("; ") || "no path"}`
      })
    );
  }
  return out;
}

// src/evaluate/kubernetes/index.ts
var KubernetesAudit = class {
  /** `targets`: every target of the inventory (an object declared anywhere is not undeclared). */
  constructor(targets, now) {
    this.now = now;
    this.declared = declaredObjects(targets);
    this.discover = discoverTargets(targets);
  }
  now;
  declared;
  discover;
  findings = [];
  pairing = [];
  /**
   * True for an object a discover target found that a `kubernetes` target declares: that target
   * judges it, so the discovered copy is not judged again (one defect, one finding).
   */
  coveredElsewhere(o) {
    const d = discoveredObject(o);
    return d !== null && isDeclared(d, this.declared);
  }
  add(o) {
    if (o.source.kind !== "kubernetes" && o.source.kind !== "discover") return;
    this.findings.push(...auditCsrs([o], { now: this.now }));
    const d = discoveredObject(o);
    if (d && !isDeclared(d, this.declared)) {
      const f = undeclaredFinding(d, this.discover);
      if (f) this.findings.push(f);
    }
    if (pairable(o)) this.pairing.push(o);
  }
  /** The findings so far and webhook caBundle trust; `locate` gives a target's inventory location. */
  finish(locate) {
    return [...this.findings, ...webhookTrustFindings(this.pairing, locate, this.now)];
  }
};

// src/evaluate/revocation/findings.ts
function who(obs, sha, index) {
  const rec = obs.certificates.find((c) => c.record.sha256 === sha)?.record;
  const name = rec ? rec.subject.CN ?? rec.subject.dn : sha.slice(0, 16);
  return `${index === 0 ? "leaf" : "intermediate"} '${name}'`;
}
var day = (iso) => iso ? iso.replace(/\.\d{3}Z$/, "Z") : "an unknown time";
function sourceText(c) {
  const by = c.source === "staple" ? "the stapled OCSP response" : c.source === "ocsp" ? "OCSP" : "the CRL";
  return c.url ? `${by} (${showUrl(c.url)})` : by;
}
function stale(c, now) {
  return c.nextUpdate !== null && now.getTime() > Date.parse(c.nextUpdate) + DEFAULT_SKEW_MS;
}
function revocationFindings(obs, input) {
  const out = [];
  const { target, location, mode, now } = input;
  if (input.expectStapling && input.isEndpoint && obs.status === "ok") {
    const staple = obs.revocation?.staple ?? null;
    const message = !obs.tls?.ocspStaple ? "the target expects a stapled OCSP response, and the server stapled none" : staple?.problem ? `the target expects a usable stapled OCSP response, and the one the server stapled cannot be used: ${staple.problem}` : null;
    if (message)
      out.push(
        makeFinding({
          target,
          check: "expect.ocspStapling",
          certificate: obs.certificates[0]?.record.sha256 ?? null,
          location: input.expectLocation ?? location,
          message,
          remediation: {
            kind: "manual",
            hint: "turn on OCSP stapling on the server (nginx: ssl_stapling on; Apache: SSLUseStapling On)"
          }
        })
      );
  }
  const rev = obs.revocation;
  if (mode === "off" || !rev) return out;
  rev.checks.forEach((c, i) => {
    const name = who(obs, c.certificate, i);
    const base = { target, location, certificate: c.certificate };
    if (i === 0 && c.mustStaple && input.isEndpoint && (!rev.staple || rev.staple.problem)) {
      out.push(
        makeFinding({
          ...base,
          check: "revocation.must-staple",
          message: rev.staple ? `${name} requires OCSP stapling (TLS feature must-staple), and the stapled response cannot be used: ${rev.staple.problem}; clients that honour must-staple refuse the connection` : `${name} requires OCSP stapling (TLS feature must-staple), and the server staples nothing; clients that honour must-staple refuse the connection`,
          remediation: {
            kind: "manual",
            hint: "turn on OCSP stapling on the server, or reissue the certificate without must-staple"
          }
        })
      );
    }
    if (c.status === "revoked") {
      out.push(
        makeFinding({
          ...base,
          check: "revocation.revoked",
          message: `${name} was revoked at ${day(c.revokedAt)}${c.reason ? ` (reason: ${c.reason})` : ""}, according to ${sourceText(c)}`,
          remediation: i === 0 ? { kind: "renew" } : {
            kind: "manual",
            hint: "the intermediate was revoked: install the current intermediate from the CA"
          }
        })
      );
      return;
    }
    if (c.unchecked) {
      if (mode !== "hard") return;
      out.push(
        makeFinding({
          ...base,
          check: "revocation.unknown",
          severity: "error",
          message: `revocation status of ${name} is unknown (revocation mode hard): ${c.problems.join("; ")}`,
          remediation: { kind: "manual" }
        })
      );
      return;
    }
    if (c.status === "unknown") {
      out.push(
        makeFinding({
          ...base,
          check: "revocation.unknown",
          ...mode === "hard" ? { severity: "error" } : {},
          message: `revocation status of ${name} is unknown: ${c.problems.join("; ") || "no source answered"}`,
          remediation: { kind: "manual" }
        })
      );
      return;
    }
    if (stale(c, now)) {
      out.push(
        makeFinding({
          ...base,
          check: "revocation.stale",
          message: `revocation information for ${name} is stale: ${sourceText(c)} was due to be replaced at ${day(c.nextUpdate)} (it says ${c.status} as of ${day(c.thisUpdate)})`,
          remediation: {
            kind: "manual",
            hint: c.source === "crl" ? "the CA must publish a fresh CRL" : "the OCSP responder (or the server stapling it) must refresh its response"
          }
        })
      );
    }
  });
  return out;
}
function reportedRevocation(obs, mode) {
  const out = /* @__PURE__ */ new Map();
  if (mode === "off" || !obs.revocation) return out;
  for (const c of obs.revocation.checks) {
    if (c.unchecked === "no-source" && mode !== "hard") continue;
    const { status, source, checkedAt, thisUpdate, nextUpdate, reason, revokedAt } = c;
    out.set(c.certificate, { status, source, checkedAt, thisUpdate, nextUpdate, reason, revokedAt });
  }
  return out;
}
function reportedTls(tls) {
  const { ocspStaple, ...rest } = tls;
  return ocspStaple ? { ...rest, ocspStapled: true } : rest;
}
function withRevocation(c, r) {
  return r ? { ...c, revocation: r } : c;
}

// src/evaluate/evaluator.ts
function newestPerTarget(observations) {
  const newest = /* @__PURE__ */ new Map();
  for (const o of observations) {
    const prev = newest.get(o.target);
    if (!prev || Date.parse(o.collectedAt) >= Date.parse(prev.collectedAt)) newest.set(o.target, o);
  }
  return observations.filter((o) => newest.get(o.target) === o);
}
function childTarget(parent, id) {
  return { ...parent, id, expect: void 0, trustStore: void 0, expandedFrom: parent.id };
}
function judgeObservation(target, obs, ctx) {
  if (obs.status !== "ok") return { findings: [failedSourceFinding(target, obs)], chain: null };
  const { inventory, policies } = ctx.input;
  const { anchorSet, now } = ctx;
  const findings = [];
  let chain = null;
  const empty = emptySourceFinding(target, obs);
  if (empty) findings.push(empty);
  const leaf = obs.certificates[0];
  if (leaf) {
    if (target.expect) {
      findings.push(
        ...evaluateExpect(target.expect, {
          target,
          leaf: leaf.record,
          anchors: inventory.anchors,
          issuedBy: (l, a) => issuedByAnchor(l, anchorSet.records.get(a.id))
        })
      );
    }
    const caSet = obs.source.kind === "file" && !target.expect?.chainTo && isCaSet(obs.certificates.map((c) => c.record));
    const ce = caSet ? { chain: null, findings: [] } : evaluateChain(target, obs.certificates, anchorSet, now, target.location, obs.issuers);
    chain = ce.chain;
    findings.push(...ce.findings);
    const hostname = hostnameFinding(target, leaf.record, target.location);
    if (hostname) findings.push(hostname);
    findings.push(
      ...revocationFindings(obs, {
        target: target.id,
        isEndpoint: target.source.kind === "endpoint",
        mode: target.revocation?.mode ?? "soft",
        expectStapling: target.expect?.ocspStapling === true,
        now,
        location: target.location,
        expectLocation: target.paths?.["expect.ocspStapling"]
      })
    );
  }
  if (target.trustStore) {
    findings.push(
      ...evaluateStore(obs.trustStore ?? obs.certificates, target.trustStore, {
        targetId: target.id,
        location: target.paths?.["trustStore"] ?? target.location,
        kind: "trustStore",
        anchors: inventory.anchors,
        now
      })
    );
  }
  findings.push(...evaluatePolicies(policies, { target, observation: obs, chain, now }));
  return { findings, chain };
}
var Evaluator = class {
  constructor(input, now) {
    this.input = input;
    this.now = now;
    const { inventory } = input;
    this.anchorSet = buildAnchorSet(inventory.anchors);
    this.byId = new Map(inventory.targets.map((t) => [t.id, t]));
    this.order = new Map(inventory.targets.map((t, i) => [t.id, i]));
    this.kube = new KubernetesAudit(inventory.targets, now);
  }
  input;
  now;
  anchorSet;
  byId;
  order;
  findings = [];
  reportTargets = [];
  /** Ids of the targets evaluated (children too: their Target is made again when asked for). */
  evaluatedIds = [];
  /** Report entries of certificates by sha256, role and origin: shared by the targets presenting them. */
  certEntries = /* @__PURE__ */ new Map();
  /** Each shared entry's number, and the lists of shared entries by their numbers. */
  entryNumbers = /* @__PURE__ */ new Map();
  lists = /* @__PURE__ */ new Map();
  /** Report `inventory` and `source` fields, shared by the children of one declared target. */
  shared = /* @__PURE__ */ new WeakMap();
  kube;
  seen = /* @__PURE__ */ new Set();
  certCount = 0;
  seq = 0;
  /** The target of an id (an observation's): declared, or a child of a declared one; undefined when gone. */
  targetById(id) {
    const target = this.byId.get(id);
    if (target) return target;
    const parent = this.byId.get(id.split("/")[0] ?? "");
    return parent ? childTarget(parent, id) : void 0;
  }
  /**
   * A certificate as the report lists it. Entries are plain data and the same for every target that
   * presents that certificate in that role and place, so they are made once and shared (frozen): a
   * cluster of 100,000 Secrets holding a few hundred distinct certificates keeps a few hundred.
   */
  certEntry(record, role, origin) {
    const key = `${record.sha256}\0${role}\0${origin ?? ""}`;
    let entry = this.certEntries.get(key);
    if (!entry) {
      this.certEntries.set(key, entry = Object.freeze(reportCert(record, role, this.now, origin)));
      this.entryNumbers.set(entry, this.entryNumbers.size);
    }
    return entry;
  }
  /**
   * The same list of shared entries is shared too (frozen): a cluster's Secrets mostly hold the
   * same few leaf and CA pairs. A list with an entry of its own (revocation) is kept as it is.
   */
  sharedList(certs) {
    let key = "";
    for (const c of certs) {
      const n = this.entryNumbers.get(c);
      if (n === void 0) return certs;
      key += `${n},`;
    }
    let list = this.lists.get(key);
    if (!list) this.lists.set(key, list = Object.freeze(certs));
    return list;
  }
  /** The report's `inventory` and `source` of a target, shared with its siblings. */
  sharedFields(target) {
    let f = this.shared.get(target.source);
    if (!f || f.inventory.file !== target.location.file || f.inventory.line !== target.location.line) {
      f = {
        inventory: Object.freeze({ file: target.location.file, line: target.location.line }),
        source: Object.freeze(sourceSummary(target))
      };
      this.shared.set(target.source, f);
    }
    return f;
  }
  add(obs) {
    const now = this.now;
    const target = this.targetById(obs.target);
    if (!target) return;
    const declaredId = target.expandedFrom && !this.byId.has(target.id) ? target.expandedFrom : target.id;
    this.seen.add(declaredId);
    if (this.kube.coveredElsewhere(obs)) return;
    this.kube.add(obs);
    this.evaluatedIds.push(target.id);
    const { findings, chain } = judgeObservation(target, obs, {
      input: this.input,
      anchorSet: this.anchorSet,
      now
    });
    const revocation = reportedRevocation(obs, target.revocation?.mode ?? "soft");
    const certs = [
      ...obs.certificates.map(
        (c, i) => withRevocation(
          this.certEntry(c.record, certificateRole(c.record, i, listOf(obs.source.kind)), c.origin),
          revocation.get(c.record.sha256)
        )
      ),
      ...(obs.trustStore ?? []).map((c) => this.certEntry(c.record, storeRole(c.record), c.origin))
    ];
    const { inventory: where, source } = this.sharedFields(target);
    this.certCount += certs.length;
    const certificates = this.sharedList(certs);
    const rankId = target.expandedFrom && !this.order.has(target.id) ? target.expandedFrom : target.id;
    this.reportTargets.push({
      rank: this.order.get(rankId) ?? Number.MAX_SAFE_INTEGER,
      seq: this.seq++,
      target: {
        id: target.id,
        inventory: where,
        source,
        status: obs.status !== "ok" ? obs.status : findings.length ? "findings" : "ok",
        certificates,
        chain,
        zone: target.zone,
        owners: target.owners,
        labels: target.labels,
        ...obs.tls ? { tls: reportedTls(obs.tls) } : {}
      }
    });
    this.findings.push(...findings);
  }
  /** The targets evaluated, for waivers: looked up by id, or listed (children made as they are read). */
  evaluatedTargetsView() {
    const ids = this.evaluatedIds;
    const byId = (id) => this.targetById(id);
    return {
      get: byId,
      *[Symbol.iterator]() {
        for (const id of ids) {
          const t = byId(id);
          if (t) yield t;
        }
      }
    };
  }
  /** The report: every target of the run accounted for, cross-object and bundle findings, waivers. */
  finish(bundles) {
    const { inventory, policies } = this.input;
    const now = this.now;
    for (const t of this.input.targets) if (!this.seen.has(t.id)) this.add(notCollected(t, now));
    const findings = this.findings;
    const reportTargets = this.reportTargets.sort((a, b2) => a.rank - b2.rank || a.seq - b2.seq).map((r) => r.target);
    const locate = (id) => (this.byId.get(id) ?? this.byId.get(id.split("/")[0] ?? ""))?.location ?? null;
    for (const f of this.kube.finish(locate)) findings.push(f);
    const b = evaluateBundles(bundles, inventory.anchors, now);
    reportTargets.push(...b.targets);
    findings.push(...b.findings);
    const final = sortFindings(
      applyWaivers(findings, policies, now, this.evaluatedTargetsView(), {
        inventoryTargets: inventory.targets
      })
    );
    return assembleReport(reportTargets, final, this.certCount + b.certificates, now);
  }
};
function evaluateObservations(input, observations, bundles, now) {
  const e = new Evaluator(input, now);
  for (const o of newestPerTarget(observations)) e.add(o);
  return e.finish(bundles);
}

// src/pipeline.ts
function expandPresets(targets) {
  return targets.flatMap((t) => t.source.kind === "preset" ? expandKubeadmPreset(t) : [t]);
}
function checkWaivers(policies, targets, logger) {
  const problems = checkWaiverTargets(policies, targets);
  const errors = problems.filter((p) => p.level === "error");
  if (errors.length) throw new ConfigError(errors.map(({ location, message }) => ({ location, message })));
  for (const w of problems)
    if (w.level === "warning") logger.warn(formatProblem(w).replace(": error: ", ": warning: "));
}
function selectTargets(expanded, bundles, zone, ids) {
  const wanted = ids?.length ? new Set(ids) : null;
  if (wanted) {
    const known = /* @__PURE__ */ new Set([
      ...expanded.flatMap((t) => [t.id, t.expandedFrom ?? t.id]),
      ...bundles.map((b) => b.id)
    ]);
    const unknown = [...wanted].filter((id) => !known.has(id));
    if (unknown.length)
      throw new ConfigError(
        unknown.map((id) => {
          const near = suggest(id, known);
          return {
            location: null,
            message: `unknown target id '${safeText(id)}' given with --target${near ? `; did you mean '${safeText(near)}'?` : ""}`
          };
        })
      );
  }
  if (zone && !expanded.some((t) => t.zone === zone)) {
    const zones = [...new Set(expanded.map((t) => t.zone).filter((z) => Boolean(z)))].sort();
    throw new ConfigError(
      `no target is in zone '${zone}' (zones in this inventory: ${zones.join(", ") || "none"})`
    );
  }
  return expanded.filter(
    (t) => (!zone || t.zone === zone) && (!wanted || wanted.has(t.id) || t.expandedFrom !== void 0 && wanted.has(t.expandedFrom))
  );
}
async function load(opts) {
  const named = await loadPolicies(opts.policyDirs);
  const inventory = await loadInventory(opts.inventoryDirs, {
    env: opts.env,
    policyNames: [...named.policies.keys()]
  });
  if (inventory.inventories.length === 0) {
    throw new ConfigError(
      `no inventory found in ${opts.inventoryDirs.join(", ")}: expected YAML files with 'apiVersion: certwarden/v1' and 'kind: Inventory'`
    );
  }
  const expanded = expandPresets(inventory.targets);
  const byPath = policyPathsOf(expanded);
  const policies = byPath.length ? await loadPolicies([...opts.policyDirs, ...byPath]) : named;
  checkTargetPolicies(policies, expanded);
  for (const w of inventory.warnings ?? [])
    (opts.logger ?? silentLogger).warn(formatProblem(w).replace(": error: ", ": warning: "));
  checkWaivers(policies, expanded, opts.logger ?? silentLogger);
  const targets = selectTargets(expanded, inventory.bundles, opts.zone, opts.targets);
  const wanted = opts.targets?.length ? new Set(opts.targets) : null;
  const bundles = wanted ? inventory.bundles.filter((b) => wanted.has(b.id)) : inventory.bundles;
  return { inventory: { ...inventory, targets: expanded, bundles }, policies, targets };
}
async function collect(loaded, opts) {
  const out = [];
  const index = new Map(loaded.targets.map((t, i) => [t.id, i]));
  await collectInto(loaded, opts, (t, obs) => {
    const list = out[index.get(t.id) ?? 0] ??= [];
    for (const o of obs) list.push(o);
  });
  return out.flatMap((o) => o ?? []);
}
async function collectInto(loaded, opts, sink) {
  const now = opts.now ?? /* @__PURE__ */ new Date();
  const timeoutMs = opts.timeoutMs ?? 1e4;
  const given = opts.services?.[HTTP_FETCHER_SERVICE];
  const fetcher = given ?? new Fetcher({ offline: opts.offline, timeoutMs });
  const logger = opts.logger ?? silentLogger;
  const ctx = collectContext({
    now,
    logger,
    timeoutMs,
    env: opts.env,
    inventory: loaded.inventory,
    services: { ...opts.services, [HTTP_FETCHER_SERVICE]: fetcher }
  });
  const besideWith = (f) => ({
    complete: issuerCompleter(f, loaded.inventory.anchors.values(), timeoutMs),
    revocation: new RevocationObserver(loaded.inventory, { fetcher: f, now, timeoutMs })
  });
  const online = besideWith(fetcher);
  let offline = null;
  const besideFor = (t) => t.network?.fetch === false ? offline ??= besideWith(new OfflineFetcher(NETWORK_FETCH_OFF)) : online;
  const checking = [];
  const watch = opts.watch;
  const handOn = (t, list) => {
    sink(t, list);
    watch?.done(t.id);
  };
  const beside = async (t, list) => {
    const { complete, revocation } = besideFor(t);
    const completed = complete ? await Promise.all(list.map(complete)) : list;
    return revocation.observe(t, completed);
  };
  watch?.start(loaded.targets.map((t) => t.id));
  try {
    await collectTargets(
      loaded.targets,
      ctx,
      { concurrency: opts.concurrency ?? 50, onProgress: opts.onProgress },
      (t, list) => void checking.push(
        beside(t, list).then(
          (l) => handOn(t, l),
          (err) => {
            logger.warn(
              `issuer or revocation check of ${t.id} failed: ${err instanceof Error ? err.message : String(err)}`
            );
            handOn(t, list);
          }
        )
      )
    );
    await Promise.all(checking);
  } finally {
    watch?.end();
    if (!given) fetcher.close();
  }
}
function readBundles(bundles) {
  return bundles.map((bundle) => {
    try {
      return { bundle, certificates: readBundleFile(bundle) };
    } catch (err) {
      return { bundle, error: err instanceof Error ? err.message : String(err) };
    }
  });
}
function evaluate(loaded, observations, now) {
  return evaluateObservations(loaded, observations, readBundles(loaded.inventory.bundles), now);
}
async function runScan(opts) {
  const now = opts.now ?? /* @__PURE__ */ new Date();
  const loaded = await load(opts);
  const evaluator = new Evaluator(loaded, now);
  const kept = [];
  await collectInto(loaded, { ...opts, now }, (_t, list) => {
    for (const o of list) {
      evaluator.add(o);
      if (opts.keepObservations) kept.push(o);
    }
  });
  const report = evaluator.finish(readBundles(loaded.inventory.bundles));
  return { report, exitCode: exitCodeFor(report, opts.failOn ?? "error"), loaded, observations: kept };
}

export {
  exitCodeFor,
  load,
  collect,
  evaluate,
  runScan
};
