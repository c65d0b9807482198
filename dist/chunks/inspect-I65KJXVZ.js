import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  require_Reflect,
  require_x509_cjs
} from "./chunk-BXKYJKHU.js";
import {
  Fetcher,
  RevocationStage,
  revocationPath,
  verifyChain
} from "./chunk-DIO6O7OV.js";
import "./chunk-KB4OYESQ.js";
import {
  certificateRole,
  isCaSet
} from "./chunk-T6OBV2YL.js";
import "./chunk-QZW4XWZK.js";
import {
  VERSION
} from "./chunk-NLX2LEXV.js";
import {
  parseInt10,
  parseNow,
  strings
} from "./chunk-COV2FAQ7.js";
import "./chunk-LWH7DEBG.js";
import {
  expiryPhrase,
  safeText
} from "./chunk-NRN5HDCZ.js";
import {
  readCertificateFile,
  readCertificates,
  readCertificatesAsync
} from "./chunk-FVSSEFCQ.js";
import "./chunk-I32IJZLF.js";
import {
  EXTENSION_OIDS,
  parseCertificate
} from "./chunk-HSQZZC7B.js";
import {
  DeadlineError,
  FileRefusedError,
  startDeadline
} from "./chunk-UHECHRFN.js";
import {
  ConfigError,
  EXIT,
  ParseError
} from "./chunk-WW3ZWNRQ.js";
import {
  __toESM
} from "./chunk-DDCI7ZLU.js";

// src/commands/inspect.ts
import { existsSync as existsSync2 } from "node:fs";
import { isIP } from "node:net";
import path from "node:path";

// src/commands/inspect-trust.ts
import { existsSync } from "node:fs";
import tls from "node:tls";
var TRUST_STORES = ["system", "bundled", "none"];
var SYSTEM_BUNDLES = [
  "/etc/ssl/certs/ca-certificates.crt",
  // Debian, Ubuntu, Alpine, Arch
  "/etc/pki/tls/certs/ca-bundle.crt",
  // Fedora, RHEL, CentOS
  "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
  // RHEL 7+
  "/etc/ssl/ca-bundle.pem",
  // openSUSE
  "/etc/ssl/cert.pem"
  // macOS, OpenBSD, Alpine
];
function fromPems(pems, label, seen) {
  const out = [];
  for (const pem of pems) {
    try {
      for (const c of readCertificates(Buffer.from(pem), { file: label, format: "pem" }).certificates) {
        if (seen.has(c.record.sha256)) continue;
        seen.add(c.record.sha256);
        out.push(c.record);
      }
    } catch {
    }
  }
  return out;
}
function anchorsOf(records, from) {
  return records.map((r) => ({ id: `${r.subject.CN ?? r.subject.dn} (${from})`, record: r }));
}
function nodeSystemStore() {
  const get = tls.getCACertificates;
  if (typeof get !== "function") return null;
  try {
    const pems = get("system");
    return pems.length ? pems : null;
  } catch {
    return null;
  }
}
async function systemStore(env, seen) {
  const fromNode = nodeSystemStore();
  if (fromNode) {
    const records = fromPems(fromNode, "system store", seen);
    if (records.length)
      return {
        source: { kind: "system", from: "tls.getCACertificates('system')", certificates: records.length },
        anchors: anchorsOf(records, "system store")
      };
  }
  const candidates = [...env.SSL_CERT_FILE ? [env.SSL_CERT_FILE] : [], ...SYSTEM_BUNDLES];
  for (const file of candidates) {
    if (!existsSync(file)) continue;
    try {
      const bytes = await readCertificateFile(file, { timeoutMs: 1e4 });
      const records = readCertificates(bytes, { file, format: "pem" }).certificates.map((c) => c.record).filter((r) => !seen.has(r.sha256) && seen.add(r.sha256));
      if (records.length)
        return {
          source: { kind: "system", from: file, certificates: records.length },
          anchors: anchorsOf(records, "system store")
        };
    } catch {
    }
  }
  return null;
}
async function caFile(file, shown, password, timeoutMs) {
  try {
    const bytes = await readCertificateFile(file, { timeoutMs });
    const res = readCertificates(bytes, { file, password, privateKeys: "skip" });
    if (!res.certificates.length) throw new ConfigError(`--ca ${shown}: holds no certificate`);
    return res.certificates.map((c) => c.record);
  } catch (err) {
    if (err instanceof ParseError || err instanceof FileRefusedError)
      throw new ConfigError(`--ca ${shown}: ${safeText(err.message.replace(`${file}: `, ""))}`);
    if (err.code === "ENOENT")
      throw new ConfigError(`--ca ${shown}: no such file`);
    throw err;
  }
}
async function inspectAnchors(opts) {
  const seen = /* @__PURE__ */ new Set();
  const out = {
    requested: opts.trust,
    used: opts.trust,
    sources: [],
    anchors: [],
    notes: []
  };
  for (const ca of opts.caFiles) {
    const records = (await caFile(ca.file, ca.shown, opts.password, opts.timeoutMs)).filter(
      (r) => !seen.has(r.sha256) && seen.add(r.sha256)
    );
    out.sources.push({ kind: "ca", from: ca.shown, certificates: records.length });
    out.anchors.push(...anchorsOf(records, `--ca ${ca.shown}`));
  }
  let store = opts.trust;
  if (store === "system") {
    const system = await systemStore(opts.env, seen);
    if (system) {
      out.sources.push(system.source);
      out.anchors.push(...system.anchors);
    } else {
      out.notes.push("no system CA store found on this machine; using node's bundled roots");
      store = "bundled";
    }
  }
  if (store === "bundled") {
    const records = fromPems(tls.rootCertificates, "node's bundled roots", seen);
    out.sources.push({ kind: "bundled", from: "tls.rootCertificates", certificates: records.length });
    out.anchors.push(...anchorsOf(records, "node's bundled roots"));
  }
  out.used = store;
  return out;
}

// src/x509/describe.ts
var import_reflect_metadata = __toESM(require_Reflect(), 1);
var import_x509 = __toESM(require_x509_cjs(), 1);
var NAMES = Object.fromEntries(
  Object.entries(EXTENSION_OIDS).map(([name, oid]) => [oid, name])
);
var POLICY_NAMES = {
  "2.5.29.32.0": "anyPolicy",
  "2.23.140.1.1": "extended validation",
  "2.23.140.1.2.1": "domain validated",
  "2.23.140.1.2.2": "organization validated",
  "2.23.140.1.2.3": "individual validated",
  "2.23.140.1.3": "extended validation code signing",
  "2.23.140.1.4.1": "code signing"
};
function generalName(g) {
  const v = String(g.value);
  switch (g.type) {
    case "url":
      return v;
    case "dns":
      return `DNS:${v}`;
    case "ip":
      return `IP:${v}`;
    case "email":
      return `email:${v}`;
    case "dn":
      return `DirName:${v}`;
    default:
      return `${g.type}:${v}`;
  }
}
function describeExtensions(der) {
  const view = {
    all: [],
    authorityInfoAccess: null,
    crlDistributionPoints: null,
    certificatePolicies: null,
    error: null
  };
  let cert;
  try {
    cert = new import_x509.X509Certificate(Buffer.from(der));
  } catch (e) {
    view.error = e instanceof Error ? e.message : String(e);
    return view;
  }
  for (const ext of cert.extensions) {
    view.all.push({ oid: ext.type, name: NAMES[ext.type] ?? null, critical: ext.critical });
    try {
      if (ext instanceof import_x509.AuthorityInfoAccessExtension) {
        view.authorityInfoAccess = {
          ocsp: ext.ocsp.map(generalName),
          caIssuers: ext.caIssuers.map(generalName)
        };
      } else if (ext instanceof import_x509.CRLDistributionPointsExtension) {
        view.crlDistributionPoints = ext.distributionPoints.flatMap((dp) => [
          ...(dp.distributionPoint?.fullName ?? []).map(
            (n) => n.uniformResourceIdentifier !== void 0 ? n.uniformResourceIdentifier : n.dNSName !== void 0 ? `DNS:${n.dNSName}` : "a name that is not a URI"
          ),
          ...dp.distributionPoint?.nameRelativeToCRLIssuer ? ["a name relative to the CRL issuer"] : []
        ]);
      } else if (ext instanceof import_x509.CertificatePolicyExtension) {
        view.certificatePolicies = ext.policies.map((oid) => ({ oid, name: POLICY_NAMES[oid] ?? null }));
      }
    } catch (e) {
      view.error ??= `${NAMES[ext.type] ?? ext.type}: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  return view;
}

// src/commands/inspect-render.ts
function hex(s) {
  return s ? s.replace(/:/g, "").toLowerCase() : null;
}
function inspectCertificate(c, index, role, now, prev) {
  const ext = describeExtensions(Buffer.from(c.der, "base64"));
  const critical = (name) => ext.all.some((e) => e.name === name && e.critical);
  const present = (name) => ext.all.some((e) => e.name === name);
  const nb = Date.parse(c.notBefore);
  const na = Date.parse(c.notAfter);
  const notes = [];
  if (index > 0 && typeof prev === "object" && prev.issuer.dn !== c.subject.dn)
    notes.push("does not issue the certificate before it (sent out of order or not needed)");
  if (role !== "leaf" && !c.isCA) notes.push("is not a CA certificate (basic constraints do not say CA)");
  if (ext.error) notes.push(`some extensions could not be read for display: ${ext.error}`);
  return {
    index,
    role,
    subject: c.subject,
    issuer: c.issuer,
    serial: c.serial,
    version: c.version,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    daysRemaining: Math.floor((na - now.getTime()) / 864e5),
    validity: now.getTime() < nb ? "not-yet-valid" : now.getTime() >= na ? "expired" : "valid",
    expiry: expiryPhrase(c.notAfter, now),
    sha256: c.sha256,
    selfIssued: c.selfIssued,
    key: { type: c.keyType, bits: c.keyBits, curve: c.curve, error: c.keyError },
    signatureAlgorithm: c.signatureAlgorithm,
    subjectAltNames: { dns: c.dnsNames, ip: c.ipAddresses, email: c.emailAddresses, uri: c.uris },
    basicConstraints: c.hasBasicConstraints || present("basicConstraints") ? { ca: c.isCA, pathLen: c.pathLen, critical: critical("basicConstraints") } : null,
    keyUsage: c.keyUsage ? { usages: c.keyUsage, critical: critical("keyUsage") } : null,
    extendedKeyUsage: c.extKeyUsage ? { usages: c.extKeyUsage, critical: critical("extKeyUsage") } : null,
    subjectKeyId: hex(c.subjectKeyId),
    authorityKeyId: hex(c.authorityKeyId),
    authorityInfoAccess: ext.authorityInfoAccess,
    crlDistributionPoints: ext.crlDistributionPoints,
    certificatePolicies: ext.certificatePolicies,
    extensions: ext.all,
    notes
  };
}
var line = (label, value) => `${label.padEnd(10)} ${value}`.trimEnd();
var field = (label, value) => `    ${label.padEnd(9)} ${value}`.trimEnd();
var crit = (critical) => critical ? " (critical)" : "";
function keyText(k) {
  if (k.error) return `${k.type} (unreadable: ${safeText(k.error)})`;
  const size = k.curve ?? (k.bits ? `${k.bits} bits` : null);
  return size ? `${k.type} ${safeText(size)}` : k.type;
}
function roleText(c) {
  if (c.role === "root") return "root (self-signed CA)";
  if (c.role === "intermediate") return c.basicConstraints?.ca ? "intermediate CA" : "intermediate";
  return c.basicConstraints?.ca ? "leaf (a CA certificate served as the leaf)" : "leaf";
}
var KNOWN = /* @__PURE__ */ new Set([
  "basicConstraints",
  "keyUsage",
  "extKeyUsage",
  "subjectAltName",
  "subjectKeyId",
  "authorityKeyId",
  "authorityInfoAccess",
  "crlDistributionPoints",
  "certificatePolicies"
]);
function certificateBlock(c) {
  if ("error" in c) return [`[${c.index}] cannot be parsed: ${safeText(c.error)}`];
  const out = [`[${c.index}] ${roleText(c)}`];
  out.push(field("subject", safeText(c.subject.dn)));
  out.push(field("issuer", safeText(c.issuer.dn)));
  out.push(field("serial", c.serial));
  const when = c.validity === "not-yet-valid" ? `not valid yet, ${c.expiry}` : c.expiry;
  out.push(field("valid", `${c.notBefore} .. ${c.notAfter} (${when})`));
  const n = c.subjectAltNames;
  const sans = [
    ...n.dns.map((d) => `DNS:${d}`),
    ...n.ip.map((a) => `IP:${a}`),
    ...n.email.map((e) => `email:${e}`),
    ...n.uri.map((u) => `URI:${u}`)
  ];
  if (sans.length) out.push(field("SANs", sans.map(safeText).join(", ")));
  out.push(field("key", `${keyText(c.key)}, signed ${safeText(c.signatureAlgorithm)}`));
  const bc = c.basicConstraints;
  out.push(
    field(
      "CA",
      bc ? `${bc.ca ? "yes" : "no"}${bc.ca && bc.pathLen !== null ? `, path length ${bc.pathLen}` : ""} (basic constraints${bc.critical ? ", critical" : ""})` : "no (no basic constraints extension)"
    )
  );
  if (c.keyUsage) out.push(field("key usage", c.keyUsage.usages.join(", ") + crit(c.keyUsage.critical)));
  if (c.extendedKeyUsage)
    out.push(
      field(
        "ext usage",
        c.extendedKeyUsage.usages.map(safeText).join(", ") + crit(c.extendedKeyUsage.critical)
      )
    );
  if (c.subjectKeyId) out.push(field("SKI", c.subjectKeyId));
  if (c.authorityKeyId) out.push(field("AKI", c.authorityKeyId));
  for (const u of c.authorityInfoAccess?.ocsp ?? []) out.push(field("OCSP", safeText(u)));
  for (const u of c.authorityInfoAccess?.caIssuers ?? []) out.push(field("CA issuer", safeText(u)));
  for (const u of c.crlDistributionPoints ?? []) out.push(field("CRL", safeText(u)));
  if (c.certificatePolicies?.length)
    out.push(
      field(
        "policies",
        c.certificatePolicies.map((p) => p.name ? `${p.oid} (${p.name})` : p.oid).join(", ")
      )
    );
  const others = c.extensions.filter((e) => !e.name || !KNOWN.has(e.name));
  if (others.length)
    out.push(field("other ext", others.map((e) => `${e.name ?? e.oid}${crit(e.critical)}`).join(", ")));
  out.push(field("sha256", c.sha256));
  for (const note of c.notes) out.push(field("note", safeText(note)));
  return out;
}
function storeLines(certs) {
  const readable = certs.filter((c) => !("error" in c));
  const expired = readable.filter((c) => c.validity === "expired").length;
  const early = readable.filter((c) => c.validity === "not-yet-valid").length;
  const out = [
    line(
      "store",
      `${certs.length} CA certificate(s), a trust store or CA bundle (not a chain): ${readable.length - expired - early} valid now${expired ? `, ${expired} expired` : ""}${early ? `, ${early} not valid yet` : ""}`
    )
  ];
  if (certs.length <= 5) {
    for (const c of certs) out.push("", ...certificateBlock(c));
    return out;
  }
  out.push("");
  for (const c of certs) {
    if ("error" in c) out.push(`[${c.index}] cannot be parsed: ${safeText(c.error)}`);
    else
      out.push(
        `[${c.index}] ${safeText(c.subject.CN ?? c.subject.dn)}  (notAfter ${c.notAfter.slice(0, 10)}, ${c.expiry})  sha256 ${c.sha256.slice(0, 16)}\u2026`
      );
  }
  out.push("", "(--format json shows every certificate with its extensions)");
  return out;
}
function endpointLines(ep, count) {
  const out = [];
  const where = `${ep.host.includes(":") ? `[${safeText(ep.host)}]` : safeText(ep.host)}:${ep.port}`;
  out.push(line("endpoint", `${where}${ep.serverName ? ` (SNI ${safeText(ep.serverName)})` : " (no SNI)"}`));
  if (ep.starttls) out.push(line("starttls", ep.starttls));
  if (ep.via) out.push(line("via", safeText(ep.via)));
  if (ep.address) out.push(line("address", safeText(ep.address)));
  if (!ep.reachable) {
    out.push(line("result", `unreachable: ${ep.error?.reason ?? "unknown"}`));
    out.push(line("", safeText(ep.error?.message ?? "")));
    out.push(line("attempts", `${ep.attempts} in ${ep.elapsedMs} ms`));
    return out;
  }
  out.push(line("protocol", safeText(ep.protocol ?? "unknown")));
  out.push(line("cipher", safeText(ep.cipher ?? "unknown")));
  out.push(`client certificate requested: ${ep.clientCertificateRequested ? "yes" : "no"}`);
  out.push(
    line(
      "chain",
      `${count} certificate(s) as sent, read from ${ep.chainFrom === "handshake" ? "the handshake (exact order and extras)" : "the TLS library (rebuilt; order and extras may differ)"}`
    )
  );
  for (const n of ep.notes) out.push(line("note", safeText(n)));
  return out;
}
function trustLines(r) {
  const t = r.trust;
  const out = [];
  if (t.sources.length) {
    const words = t.sources.map(
      (s) => s.kind === "ca" ? `--ca ${safeText(s.from)} (${s.certificates})` : `${s.kind === "system" ? "the system store" : "node's bundled roots"} (${safeText(s.from)}, ${s.certificates})`
    );
    out.push(line("anchors", words.join(" + ")));
  }
  for (const n of t.notes) out.push(line("note", safeText(n)));
  if (t.verdict === "trusted") {
    out.push(
      line(
        "trusted",
        `yes, chains to ${safeText(t.anchor ?? "?")}${t.hostname ? ` and is valid for ${safeText(t.hostname)}` : ""}`
      )
    );
  } else if (t.verdict === "not-trusted") {
    out.push(
      t.selfSignedRootInFile ? line(
        "trusted",
        `NO: chains to the self-signed root in this file, which is not a trusted anchor: ${safeText(t.selfSignedRootInFile)}`
      ) : line("trusted", "NO")
    );
  }
  for (const p of t.problems) out.push(`  - ${p.code}: ${safeText(p.message)}`);
  return out;
}
function renderInspectText(r) {
  const out = [];
  const ep = r.target.endpoint;
  const file = r.target.file;
  if (ep) out.push(...endpointLines(ep, r.certificates.length));
  if (file) {
    out.push(
      line("file", `${safeText(file.path)} (${file.format}, ${r.certificates.length} certificate(s))`)
    );
    for (const w of file.notes) out.push(line("note", safeText(w)));
  }
  if (ep && !ep.reachable) return out.join("\n") + "\n";
  if (r.presentation === "store") out.push(...storeLines(r.certificates));
  else for (const c of r.certificates) out.push("", ...certificateBlock(c));
  const trust = trustLines(r);
  if (trust.length) out.push("", ...trust);
  if (r.revocation) out.push("", ...revocationLines(r.revocation, r.certificates, Boolean(ep)));
  return out.join("\n") + "\n";
}
function statusText(c) {
  const when = [c.thisUpdate && `thisUpdate ${c.thisUpdate}`, c.nextUpdate && `nextUpdate ${c.nextUpdate}`].filter(Boolean).join(", ");
  const head = c.status === "revoked" ? `REVOKED at ${c.revokedAt ?? "?"}${c.reason ? ` (${safeText(c.reason)})` : ""}` : c.status;
  return when ? `${head}; ${when}` : head;
}
function revocationLines(rev, certs, endpoint) {
  const out = [];
  if (endpoint) {
    const s = rev.staple;
    out.push(
      line(
        "staple",
        !s ? "none (the server stapled no OCSP response)" : s.problem ? `cannot be used: ${safeText(s.problem)}` : statusText(s)
      )
    );
  }
  out.push("revocation");
  for (const c of rev.checks) {
    const i = certs.findIndex((x) => "sha256" in x && x.sha256 === c.certificate);
    const from = c.source ? ` from ${c.source}${c.url ? ` ${safeText(c.url)}` : ""}` : "";
    const must = c.mustStaple ? " [must-staple]" : "";
    if (c.unchecked === "no-source") out.push(`  [${i}] not checked: names no OCSP responder or CRL${must}`);
    else out.push(`  [${i}] ${statusText(c)}${from}${must}`);
    if (c.status !== "good" && c.unchecked !== "no-source")
      for (const p of c.problems) out.push(`        - ${safeText(p)}`);
  }
  if (rev.checks.length === 0) out.push("  nothing to check (no certificate with a known issuer)");
  return out;
}

// src/commands/inspect.ts
var STARTTLS = ["smtp", "imap", "pop3", "ldap", "postgres"];
var DEFAULT_PORT = 443;
function isHost(h) {
  if (isIP(h)) return true;
  return /^(?=.{1,253}\.?$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/.test(
    h
  );
}
function portOf(s) {
  if (s === void 0 || s === "") return DEFAULT_PORT;
  if (!/^\d{1,5}$/.test(s)) return null;
  const n = Number(s);
  return n >= 1 && n <= 65535 ? n : null;
}
function parseServerTarget(s) {
  let text = s;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text);
  if (scheme) {
    if (scheme[1].toLowerCase() !== "https") return null;
    text = text.slice(scheme[0].length).replace(/[/?#].*$/s, "");
  }
  if (isIP(text) === 6) return { host: text, port: DEFAULT_PORT };
  const m = /^\[([^\]]+)\](?::([^:]*))?$/.exec(text) ?? /^([^:[\]]+)(?::([^:]*))?$/.exec(text);
  if (!m) return null;
  const host = m[1];
  const port = portOf(m[2]);
  if (port === null || !isHost(host)) return null;
  if (m[0].startsWith("[") && isIP(host) !== 6) return null;
  return { host, port };
}
function looksLikeFile(s) {
  return /[/\\]/.test(s) || /\.(pem|crt|cer|der|p12|pfx|jks|p7b|p7c|keystore|truststore|conf)$/i.test(s);
}
async function inspect(opts) {
  const trust = opts.trust ?? "system";
  if (!TRUST_STORES.includes(trust))
    throw new ConfigError(
      `--trust '${safeText(String(trust))}' is not valid; expected system, bundled or none`
    );
  const password = passwordOf(opts);
  const anchors = await inspectAnchors({
    trust,
    caFiles: (opts.caFiles ?? []).map((f) => ({ file: path.resolve(opts.cwd, f), shown: f })),
    password,
    timeoutMs: opts.timeoutMs,
    env: opts.env
  });
  if (trust === "none" && anchors.anchors.length === 0)
    anchors.notes.push("--trust none and no --ca: nothing is trusted, so no chain can be");
  const file = path.resolve(opts.cwd, opts.target);
  if (existsSync2(file)) return inspectFile(file, opts, password, anchors);
  const hp = parseServerTarget(opts.target);
  if (!hp || looksLikeFile(opts.target) && !/^https:\/\//i.test(opts.target))
    throw new ConfigError(
      looksLikeFile(opts.target) ? `inspect: ${safeText(opts.target)}: no such file` : `inspect: '${safeText(opts.target)}' is neither an existing file nor a server (host, host:port, https://host[:port], [v6]:port)`
    );
  return inspectEndpoint(hp, opts, anchors);
}
function passwordOf(opts) {
  const passwordEnv = opts.passwordEnv;
  const password = passwordEnv ? opts.env[passwordEnv] : void 0;
  if (passwordEnv && password === void 0)
    throw new ConfigError(`--password ${passwordEnv}: that environment variable is not set`);
  return password;
}
function baseReport(opts, anchors) {
  return {
    schemaVersion: 1,
    kind: "certwarden/inspect",
    tool: { name: "certwarden", version: VERSION },
    inspectedAt: opts.now.toISOString(),
    presentation: "chain",
    trust: {
      store: { requested: anchors.requested, used: anchors.used },
      sources: anchors.sources,
      anchors: anchors.anchors.length,
      verdict: "not-checked",
      trusted: false,
      anchor: null,
      hostname: null,
      problems: [],
      notes: [...anchors.notes]
    },
    revocation: null,
    exitCode: EXIT.findings
  };
}
function hostRef(name) {
  return isIP(name) ? { kind: "IP", value: name } : { kind: "DNS", value: name.replace(/\.$/, "") };
}
async function inspectEndpoint(hp, opts, anchors) {
  const starttls = opts.starttls;
  if (starttls && !STARTTLS.includes(starttls))
    throw new ConfigError(
      `--starttls '${safeText(starttls)}' is not supported; expected one of ${STARTTLS.join(", ")}`
    );
  const ep = {
    ...hp,
    serverName: opts.serverName,
    starttls,
    via: opts.via
  };
  const { probeEndpoint } = await import("./probe-BTI7HTBV.js");
  const probe = await probeEndpoint(ep, { timeoutMs: opts.timeoutMs });
  const report = {
    ...baseReport(opts, anchors),
    target: {
      kind: "endpoint",
      input: opts.target,
      endpoint: {
        host: probe.host,
        port: probe.port,
        serverName: probe.serverName,
        starttls: probe.starttls,
        via: probe.via,
        address: probe.address,
        reachable: probe.ok,
        error: probe.error,
        protocol: probe.protocol,
        cipher: probe.cipher,
        clientCertificateRequested: probe.clientCertRequested,
        chainFrom: probe.chainMethod,
        attempts: probe.attempts,
        elapsedMs: probe.elapsedMs,
        notes: probe.notes
      },
      file: null
    },
    certificates: []
  };
  if (!probe.ok) return finish(report, "endpoint");
  const records = probe.chain.map((der, i) => {
    try {
      return parseCertificate(der, `presented[${i}]`);
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  });
  report.certificates = describeAll(records, "presented", opts.now);
  const leaf = records[0];
  const name = opts.serverName ?? hp.host;
  if (typeof leaf === "object") {
    const rest = records.slice(1).filter((r) => typeof r === "object");
    judge(report, leaf, rest, anchors, opts.now, { purpose: "serverAuth", hostname: hostRef(name) });
    report.revocation = await checkRevocation([leaf, ...rest], probe.ocspResponse ?? null, anchors, opts);
  }
  return finish(report, "endpoint");
}
async function checkRevocation(records, staple, anchors, opts) {
  const fetcher = new Fetcher({ offline: opts.offline, timeoutMs: opts.timeoutMs });
  try {
    const stage = new RevocationStage({ fetcher, now: opts.now, timeoutMs: opts.timeoutMs });
    return await stage.checkPath(revocationPath(records, anchors.anchors, [], opts.now), staple);
  } finally {
    fetcher.close();
  }
}
function describeAll(records, list, now) {
  return records.map(
    (r, i) => typeof r === "string" ? { index: i, error: r } : (
      // a store is a set, not a chain: no certificate "follows" another
      inspectCertificate(
        r,
        i,
        certificateRole(r, i, list),
        now,
        list === "store" ? void 0 : records[i - 1]
      )
    )
  );
}
function judge(report, leaf, rest, anchors, now, extra = {}) {
  const v = verifyChain(leaf, rest, anchors.anchors, { now, ...extra });
  const t = report.trust;
  t.verdict = v.trusted ? "trusted" : "not-trusted";
  t.trusted = v.trusted;
  t.anchor = v.anchor;
  t.hostname = extra.hostname?.value ?? null;
  t.problems = v.problems.map((p) => ({ code: p.code, message: p.message, certificate: p.certificate }));
}
function finish(report, kind) {
  const certs = report.certificates;
  const allValid = certs.every((c) => !("error" in c) && c.validity === "valid");
  const ok = report.presentation === "store" ? certs.length > 0 && allValid : report.trust.trusted && certs.length > 0 && !("error" in certs[0]);
  report.exitCode = ok ? EXIT.clean : EXIT.findings;
  return {
    exitCode: report.exitCode,
    kind,
    trusted: report.trust.trusted,
    report,
    text: renderInspectText(report)
  };
}
function forInspect(message) {
  return message.replace(
    /set passwordEnv to the environment variable that holds it/,
    "pass --password ENV (the name of an environment variable that holds it)"
  );
}
async function readFileCertificates(file, opts, password) {
  const deadline = startDeadline(opts.timeoutMs);
  try {
    const bytes = await readCertificateFile(file, { timeoutMs: opts.timeoutMs, signal: deadline.signal });
    return await readCertificatesAsync(bytes, {
      file,
      password,
      privateKeys: "skip",
      signal: deadline.signal
    });
  } catch (err) {
    if (err instanceof ParseError) throw new ConfigError(forInspect(err.message));
    if (err instanceof FileRefusedError) throw new ConfigError(`${err.path}: ${err.message}`);
    if (err instanceof DeadlineError) throw new ConfigError(err.message);
    throw err;
  } finally {
    deadline.dispose();
  }
}
async function inspectFile(file, opts, password, anchors) {
  const res = await readFileCertificates(file, opts, password);
  const records = res.certificates.map((c) => c.record);
  const isStore = isCaSet(records);
  const report = {
    ...baseReport(opts, anchors),
    presentation: isStore ? "store" : "chain",
    target: {
      kind: "file",
      input: opts.target,
      endpoint: null,
      file: { path: file, format: res.format, notes: res.warnings }
    },
    certificates: describeAll(records, isStore ? "store" : "file", opts.now)
  };
  if (isStore) {
    report.trust.verdict = "not-applicable";
    return finish(report, "file");
  }
  const leafIndex = records.findIndex((r, i) => certificateRole(r, i, "file") === "leaf");
  const leaf = records[leafIndex] ?? records.find((r) => !r.isCA) ?? records[0];
  if (!leaf) return finish(report, "file");
  const others = records.filter((r) => r !== leaf);
  judge(report, leaf, others, anchors, opts.now);
  report.revocation = await checkRevocation([leaf, ...others], null, anchors, opts);
  if (!report.trust.trusted) {
    const fileRoots = records.filter((r) => (r.isCA || r === leaf) && r.selfIssued).map((r) => ({ id: r.subject.dn, record: r }));
    const own = fileRoots.length ? verifyChain(leaf, others, fileRoots, { now: opts.now }) : void 0;
    if (own?.trusted) report.trust.selfSignedRootInFile = own.anchor;
  }
  return finish(report, "file");
}

// src/cli/inspect.ts
function trustOf(v) {
  if (v === void 0) return void 0;
  if (!TRUST_STORES.includes(String(v)))
    throw new ConfigError(`--trust '${safeText(String(v))}' is not valid; expected system, bundled or none`);
  return v;
}
function formatOf(v) {
  const f = v ?? "text";
  if (f !== "text" && f !== "json")
    throw new ConfigError(`--format '${safeText(f)}' is not valid for inspect; expected text or json`);
  return f;
}
async function run({ values, positionals, io }) {
  const target = positionals[0];
  if (!target)
    throw new ConfigError(
      "inspect needs a TARGET: a file, or a server (host, host:port, https://host[:port])"
    );
  const format = formatOf(values.format);
  const trust = trustOf(values.trust);
  const serverName = values.servername ?? values["server-name"];
  const res = await inspect({
    target,
    cwd: io.cwd,
    ...serverName !== void 0 ? { serverName } : {},
    starttls: values.starttls,
    via: values.via,
    timeoutMs: parseInt10(values.timeout, "timeout", 1e4, 100),
    passwordEnv: values.password,
    ...trust ? { trust } : {},
    caFiles: strings(values.ca),
    now: parseNow(values.now) ?? /* @__PURE__ */ new Date(),
    env: io.env,
    offline: values.offline === true
  });
  io.stdout(format === "json" ? JSON.stringify(res.report, null, 2) + "\n" : res.text);
  return res.exitCode;
}
export {
  run
};
