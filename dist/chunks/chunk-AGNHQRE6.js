import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  describeValue,
  formatPath,
  makeFinding,
  parseYaml,
  schemaProblems
} from "./chunk-CQLXS4C2.js";
import {
  actsAsCA
} from "./chunk-T6OBV2YL.js";
import {
  CLUSTER_CA_NAME,
  isKeystoreKey
} from "./chunk-HNLBEK77.js";
import {
  normaliseFingerprint,
  safeText,
  suggest
} from "./chunk-NRN5HDCZ.js";
import {
  require_dist
} from "./chunk-LOAWET6W.js";
import {
  containsPrivateKey,
  readCertificateFileSync,
  readCertificates
} from "./chunk-FVSSEFCQ.js";
import {
  CONFIG_READ_TIMEOUT_MS,
  FileRefusedError,
  readFailure,
  safeRead
} from "./chunk-UHECHRFN.js";
import {
  ConfigError,
  ParseError
} from "./chunk-WW3ZWNRQ.js";
import {
  __toESM
} from "./chunk-DDCI7ZLU.js";

// src/inventory/files.ts
import { basename } from "node:path";
var ReferencedFileError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "ReferencedFileError";
  }
};
var PRIVATE_KEY_REFUSAL = "certwarden never reads private keys: remove the key from the file (its content is not shown)";
function readReferenced(abs, shown) {
  try {
    return readCertificateFileSync(abs);
  } catch (err) {
    if (err instanceof FileRefusedError) {
      if (err.fileKind === "a folder")
        throw new ReferencedFileError(`'${shown}' is a folder, expected a file`);
      throw new ReferencedFileError(`cannot read '${shown}': ${err.message}`);
    }
    const code = err.code;
    if (code === "ENOENT")
      throw new ReferencedFileError(
        `file '${shown}' does not exist (paths are relative to the inventory file's folder)`
      );
    if (code === "EISDIR") throw new ReferencedFileError(`'${shown}' is a folder, expected a file`);
    if (code === "EACCES" || code === "EPERM")
      throw new ReferencedFileError(`cannot read '${shown}': permission denied`);
    throw new ReferencedFileError(`cannot read '${shown}': ${code ?? "I/O error"}`);
  }
}
function parseReason(err) {
  const prefix = `${err.file}: `;
  return safeText(err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message);
}
function certificatesFrom(bytes, abs, shown, what) {
  if (containsPrivateKey(bytes))
    throw new ReferencedFileError(`${what} '${shown}' contains a private key; ${PRIVATE_KEY_REFUSAL}`);
  try {
    return readCertificates(bytes, { file: abs, format: "auto" }).certificates;
  } catch (err) {
    if (err instanceof ParseError) {
      if (err.kind === "private-key")
        throw new ReferencedFileError(`${what} '${shown}' contains a private key; ${PRIVATE_KEY_REFUSAL}`);
      throw new ReferencedFileError(
        `${what} '${shown}' is not a readable certificate file: ${parseReason(err)}`
      );
    }
    throw err;
  }
}
function readAnchorCertificate(abs, shown) {
  const certs = certificatesFrom(readReferenced(abs, shown), abs, shown, "anchor file");
  if (certs.length === 0) throw new ReferencedFileError(`anchor file '${shown}' holds no certificate`);
  if (certs.length > 1) {
    throw new ReferencedFileError(
      `anchor file '${shown}' holds ${certs.length} certificates; an anchor is one CA certificate (declare one anchor per certificate)`
    );
  }
  const rec = certs[0].record;
  if (!actsAsCA(rec)) {
    throw new ReferencedFileError(
      `anchor file '${shown}' is not a CA certificate (basicConstraints cA is not true; subject ${safeText(rec.subject.dn)}); anchors are roots or intermediates`
    );
  }
  return certs[0];
}
var MANIFEST_EXT = /\.(ya?ml|json)$/i;
function readBundleCertificates(abs, shown, key) {
  const bytes = readReferenced(abs, shown);
  const text = bytes.toString("utf8");
  const looksManifest = MANIFEST_EXT.test(abs) || !text.includes("-----BEGIN") && /^\s*(apiVersion|kind)\s*:/m.test(text);
  if (!looksManifest) return certificatesFrom(bytes, abs, shown, "bundle file");
  if (containsPrivateKey(bytes))
    throw new ReferencedFileError(
      `bundle manifest '${shown}' contains a private key; ${PRIVATE_KEY_REFUSAL}`
    );
  const parsed = parseYaml(text, shown);
  if (parsed.problems.length) {
    const p = parsed.problems[0];
    throw new ReferencedFileError(
      `bundle manifest '${shown}' is not valid YAML (line ${p.location?.line}: ${p.message})`
    );
  }
  const objects = parsed.docs.map((d) => d.data).filter((o) => o && typeof o === "object" && (o.kind === "ConfigMap" || o.kind === "Secret"));
  if (objects.length === 0)
    throw new ReferencedFileError(`bundle manifest '${shown}' holds no ConfigMap or Secret`);
  for (const o of objects) {
    for (const [field, base64] of [
      ["data", o.kind === "Secret"],
      ["stringData", false],
      ["binaryData", true]
    ]) {
      const map = o[field];
      if (!map || typeof map !== "object") continue;
      for (const [k, v] of Object.entries(map)) {
        if (typeof v !== "string") continue;
        const raw = base64 ? Buffer.from(v, "base64") : Buffer.from(v, "utf8");
        if (containsPrivateKey(raw)) {
          throw new ReferencedFileError(
            `bundle manifest '${shown}' holds a private key (${o.kind} ${field} key '${safeText(k)}'); ${PRIVATE_KEY_REFUSAL}`
          );
        }
      }
    }
  }
  const wanted = key ?? "ca.crt";
  for (const o of objects) {
    const value = valueOf(o, wanted);
    if (value === null) continue;
    const name = `${o.metadata?.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata?.name ?? basename(abs)}`;
    return certificatesFrom(
      value,
      `${abs}#${wanted}`,
      `${shown} (${o.kind} ${safeText(String(name))} key ${wanted})`,
      "bundle"
    );
  }
  const keys = objects.flatMap(
    (o) => ["data", "stringData", "binaryData"].flatMap((f) => Object.keys(o[f] ?? {}))
  );
  throw new ReferencedFileError(
    `bundle manifest '${shown}' has no key '${safeText(wanted)}'${keys.length ? ` (keys: ${keys.map(safeText).join(", ")})` : ""}${key ? "" : "; set `key`"}`
  );
}
function valueOf(o, key) {
  const pick = (field) => o[field] && typeof o[field] === "object" ? o[field][key] : void 0;
  if (o.kind === "Secret") {
    const s = pick("stringData");
    if (typeof s === "string") return Buffer.from(s, "utf8");
    const d = pick("data");
    if (typeof d === "string") return Buffer.from(d, "base64");
  } else {
    const d = pick("data");
    if (typeof d === "string") return Buffer.from(d, "utf8");
    const b = pick("binaryData");
    if (typeof b === "string") return Buffer.from(b, "base64");
  }
  return null;
}
var BASE64ISH = /^[A-Za-z0-9+/=\s]{64,}$/;
function findEncodedKey(v, path = []) {
  if (typeof v === "string") {
    if (BASE64ISH.test(v) && containsPrivateKey(Buffer.from(v.replace(/\s+/g, ""), "base64"))) return path;
    return null;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const hit = findEncodedKey(v[i], [...path, i]);
      if (hit) return hit;
    }
    return null;
  }
  if (v && typeof v === "object") {
    for (const [k, val] of Object.entries(v)) {
      const hit = findEncodedKey(val, [...path, k]);
      if (hit) return hit;
    }
  }
  return null;
}
function holdsPrivateKey(bytes) {
  if (containsPrivateKey(bytes)) return true;
  if (bytes.length > 4 * 1024 * 1024 || bytes.includes(0)) return false;
  const parsed = parseYaml(bytes.toString("utf8"), "file");
  return parsed.docs.some((d) => findEncodedKey(d.data) !== null);
}

// src/inventory/load-documents.ts
import { readdir, stat } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
var isObj = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
var str = (v) => typeof v === "string" ? v : void 0;
var strList = (v) => Array.isArray(v) ? v.filter((x) => typeof x === "string") : [];
var list = (v) => Array.isArray(v) ? v : [];
async function readDocuments(dirsOrFiles, cwd, problems) {
  const files = [];
  for (const input of dirsOrFiles) files.push(...await yamlFiles(input, problems));
  const docs = [];
  const seenFiles = /* @__PURE__ */ new Set();
  for (const file of files) {
    const abs = resolve(file);
    if (seenFiles.has(abs)) continue;
    seenFiles.add(abs);
    docs.push(...await readInventoryFile(abs, displayPath(abs, cwd), problems));
  }
  return docs;
}
async function isDirectory(p) {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}
async function yamlFiles(input, problems) {
  let st;
  try {
    st = await stat(input);
  } catch {
    problems.push({ location: null, message: `inventory path '${input}' does not exist` });
    return [];
  }
  if (!st.isDirectory()) return [input];
  const out = [];
  const walk = async (dir) => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort(
      (a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0
    );
    for (const e of entries) {
      if (e.name.startsWith(".") || e.name === "node_modules") continue;
      const full = join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else if (/\.ya?ml$/i.test(e.name) && !(e.isSymbolicLink() && await isDirectory(full))) out.push(full);
    }
  };
  await walk(input);
  return out;
}
var INVENTORY_HINT_KEYS = ["targets", "anchors", "bundles", "clusters", "defaults"];
var CERTWARDEN_KINDS = ["Inventory", "Policy", "RenewalRequest", "PolicyTest"];
function displayPath(abs, cwd) {
  const rel = relative(resolve(cwd), abs);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : abs;
}
async function readInventoryFile(abs, file, problems) {
  let bytes;
  try {
    bytes = await safeRead(abs, { kind: "inventory", timeoutMs: CONFIG_READ_TIMEOUT_MS });
  } catch (err) {
    problems.push({
      location: { file, line: 1, column: 1 },
      message: `cannot read file: ${readFailure(err)}`
    });
    return [];
  }
  const text = bytes.toString("utf8");
  if (containsPrivateKey(bytes)) {
    problems.push({
      location: { file, line: privateKeyLine(text), column: 1 },
      message: `this file contains a private key; ${PRIVATE_KEY_REFUSAL}`
    });
    return [];
  }
  const parsed = parseYaml(text, file);
  const out = [];
  for (const p of parsed.problems) problems.push(p);
  for (const doc of parsed.docs) {
    const leak = findEncodedKey(doc.data, []);
    if (leak) {
      problems.push({
        location: doc.locate(leak),
        message: `${formatPath(leak)}: this value is a private key; ${PRIVATE_KEY_REFUSAL}`
      });
      continue;
    }
    if (!isObj(doc.data)) continue;
    const kind = doc.data.kind;
    const apiVersion = doc.data.apiVersion;
    const looksInventory = typeof apiVersion === "string" && apiVersion.startsWith("certwarden/") || INVENTORY_HINT_KEYS.some((k) => k in doc.data);
    if (kind === void 0) {
      if (looksInventory)
        problems.push({
          location: doc.locate([]),
          message: "missing required key 'kind' (expected kind: Inventory)"
        });
      continue;
    }
    if (typeof kind !== "string" || kind.toLowerCase() !== "inventory") {
      if (typeof apiVersion === "string" && apiVersion.startsWith("certwarden/") && !CERTWARDEN_KINDS.includes(String(kind))) {
        const near = suggest(String(kind), CERTWARDEN_KINDS);
        problems.push({
          location: doc.locate(["kind"]),
          message: `kind: unknown certwarden kind ${describeValue(kind)} (expected one of ${CERTWARDEN_KINDS.join(", ")}${near ? `; did you mean '${near}'?` : ""})`
        });
      }
      continue;
    }
    const meta = isObj(doc.data.metadata) ? doc.data.metadata : {};
    out.push({
      doc,
      data: doc.data,
      dir: dirname(abs),
      name: typeof meta.name === "string" ? meta.name : file
    });
  }
  return out;
}
function privateKeyLine(text) {
  const idx = text.search(/-----BEGIN [A-Z0-9 ]*PRIVATE KEY/);
  if (idx < 0) return 1;
  return text.slice(0, idx).split("\n").length;
}

// src/inventory/load-references.ts
import { existsSync } from "node:fs";
import { isAbsolute as isAbsolute2, resolve as resolve2 } from "node:path";
import { isIP } from "node:net";
function collectDeclared(docs) {
  const declared = [];
  for (const d of docs) {
    const meta = isObj(d.data.metadata) ? d.data.metadata : {};
    if (typeof meta.name === "string")
      declared.push({ kind: "inventory", id: meta.name, location: d.doc.locate(["metadata", "name"]) });
    list(d.data.anchors).forEach((a, i) => {
      if (isObj(a) && typeof a.id === "string")
        declared.push({ kind: "anchor", id: a.id, location: d.doc.locate(["anchors", i, "id"]) });
    });
    list(d.data.clusters).forEach((c, i) => {
      if (isObj(c) && typeof c.name === "string")
        declared.push({ kind: "cluster", id: c.name, location: d.doc.locate(["clusters", i, "name"]) });
    });
    list(d.data.bundles).forEach((b, i) => {
      if (isObj(b) && typeof b.id === "string")
        declared.push({ kind: "bundle", id: b.id, location: d.doc.locate(["bundles", i, "id"]) });
    });
    list(d.data.targets).forEach((t, i) => {
      if (isObj(t) && typeof t.id === "string")
        declared.push({ kind: "target", id: t.id, location: d.doc.locate(["targets", i, "id"]) });
    });
  }
  return declared;
}
var KIND_WORDS = {
  inventory: "inventory name (metadata.name)",
  anchor: "anchor id",
  cluster: "cluster name",
  target: "id",
  bundle: "id"
};
function duplicates(declared) {
  const groups = /* @__PURE__ */ new Map();
  for (const d of declared) {
    const space = d.kind === "bundle" ? "target" : d.kind;
    const key = `${space}\0${d.id}`;
    groups.set(key, [...groups.get(key) ?? [], d]);
  }
  const out = [];
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    for (const d of group) {
      const others = group.filter((o) => o !== d).map((o) => `${o.location.file}:${o.location.line}:${o.location.column}`);
      const word = KIND_WORDS[d.kind];
      out.push({
        location: d.location,
        message: `duplicate ${word} '${safeText(d.id)}' (also at ${others.join(", ")}); ${d.kind === "inventory" ? "names" : "ids"} must be unique across the repository`
      });
    }
  }
  return out;
}
function declaredZones(docs) {
  const out = /* @__PURE__ */ new Set();
  for (const d of docs)
    for (const z of list(d.data.zones)) if (isObj(z) && typeof z.name === "string") out.add(z.name);
  return out;
}
function checkReferences(docs, declared, policyNames, problems) {
  const ids = (kind) => new Set(declared.filter((x) => x.kind === kind).map((x) => x.id));
  const known = {
    anchors: ids("anchor"),
    clusters: ids("cluster"),
    policies: policyNames ? new Set(policyNames) : null,
    zones: declaredZones(docs)
  };
  for (const d of docs) {
    const refs = new DocReferences(d, known, problems);
    const defaults = isObj(d.data.defaults) ? d.data.defaults : {};
    refs.policies(["defaults", "policies"], defaults.policies);
    refs.zone(["defaults", "zone"], defaults.zone);
    list(d.data.bundles).forEach((b, i) => {
      if (isObj(b)) refs.anchors(["bundles", i, "contains"], b.contains);
    });
    list(d.data.targets).forEach((t, i) => {
      if (isObj(t)) checkTarget(d, t, i, refs, problems);
    });
  }
}
var DocReferences = class {
  constructor(d, known, problems) {
    this.d = d;
    this.known = known;
    this.problems = problems;
  }
  d;
  known;
  problems;
  ref(path, id, known, what) {
    if (typeof id !== "string" || known.has(id)) return;
    const list2 = [...known].sort();
    const near = suggest(id, list2);
    this.problems.push({
      location: this.d.doc.locate(path),
      message: `${formatPath(path)}: unknown ${what} '${safeText(id)}'${near ? `; did you mean '${safeText(near)}'?` : ""} (${list2.length ? `declared: ${list2.map(safeText).join(", ")}` : `no ${what}s are declared`})`
    });
  }
  /** A zone must be one of the declared zones, once any file declares zones. */
  zone(path, z) {
    if (this.known.zones.size) this.ref(path, z, this.known.zones, "zone");
  }
  anchors(path, v) {
    list(v).forEach((id, j) => this.ref([...path, j], id, this.known.anchors, "anchor id"));
  }
  policies(path, v) {
    const names = this.known.policies;
    list(v).forEach((n, j) => {
      if (typeof n === "string" && (n.includes("/") || /\.ya?ml$/.test(n))) {
        const file = resolve2(this.d.dir, n);
        if (!existsSync(file))
          this.problems.push({
            location: this.d.doc.locate([...path, j]),
            message: `${formatPath([...path, j])}: policy file '${safeText(n)}' does not exist (looked for ${safeText(file)})`
          });
        return;
      }
      if (names) this.ref([...path, j], n, names, "policy");
    });
  }
};
function checkTarget(d, t, i, refs, problems) {
  const p = (...rest) => ["targets", i, ...rest];
  const { anchors, clusters } = refs.known;
  const expect = isObj(t.expect) ? t.expect : {};
  refs.ref(p("expect", "issuer"), expect.issuer, anchors, "anchor id");
  refs.ref(p("expect", "chainTo"), expect.chainTo, anchors, "anchor id");
  list(expect.ipAddresses).forEach((ip, j) => {
    if (typeof ip === "string" && !isIP(ip)) {
      problems.push({
        location: d.doc.locate(p("expect", "ipAddresses", j)),
        message: `${formatPath(p("expect", "ipAddresses", j))}: expected an IPv4 or IPv6 address, got ${describeValue(ip)}`
      });
    }
  });
  if (isObj(t.trustStore)) refs.anchors(p("trustStore", "contains"), t.trustStore.contains);
  if (isObj(t.kubernetes)) refs.ref(p("kubernetes", "cluster"), t.kubernetes.cluster, clusters, "cluster");
  if (isObj(t.discover)) refs.ref(p("discover", "cluster"), t.discover.cluster, clusters, "cluster");
  if (isObj(t.renewal)) refs.ref(p("renewal", "cluster"), t.renewal.cluster, clusters, "cluster");
  refs.policies(p("policies"), t.policies);
  refs.zone(p("zone"), t.zone);
  if (isObj(t.endpoint)) checkEndpointHost(d, t.endpoint.host, p("endpoint", "host"), problems);
  const kubeadm = isObj(t.preset) && isObj(t.preset.kubeadm) ? t.preset.kubeadm : null;
  if (kubeadm) checkKubeadmPreset(d, kubeadm, p("preset", "kubeadm"), problems);
  checkReferencedFiles(d, t, p, problems);
}
function checkEndpointHost(d, host, path, problems) {
  if (typeof host !== "string" || isIP(host)) return;
  const url = /^([a-z][a-z0-9+.-]*):\/\/(\[[^\]]+\]|[^/:?#]*)(?::(\d+))?/i.exec(host);
  let expected = null;
  if (url) {
    const h = url[2].replace(/^\[|\]$/g, "");
    const port = url[3] ?? (url[1].toLowerCase() === "https" ? "443" : null);
    expected = `write host: ${h}${port ? ` and port: ${port}` : ""}`;
  } else if (/^[^:]+:\d+$/.test(host)) {
    const [h, port] = host.split(":");
    expected = `write host: ${h} and port: ${port}`;
  } else if (!/^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?\.?$/.test(host)) {
    expected = "a host is a DNS name or an IP address, without scheme, path, port or spaces";
  }
  if (expected)
    problems.push({
      location: d.doc.locate(path),
      message: `${formatPath(path)}: expected a host name or IP address, got ${describeValue(host)}; ${safeText(expected)}`
    });
}
function checkKubeadmPreset(d, kubeadm, at, problems) {
  if (typeof kubeadm.advertiseAddress === "string" && !isIP(kubeadm.advertiseAddress)) {
    const path = [...at, "advertiseAddress"];
    problems.push({
      location: d.doc.locate(path),
      message: `${formatPath(path)}: expected an IP address, got ${describeValue(kubeadm.advertiseAddress)}`
    });
  }
  if (typeof kubeadm.serviceSubnet === "string" && !isCidr(kubeadm.serviceSubnet)) {
    const path = [...at, "serviceSubnet"];
    problems.push({
      location: d.doc.locate(path),
      message: `${formatPath(path)}: expected a CIDR such as 10.96.0.0/12, got ${describeValue(kubeadm.serviceSubnet)}`
    });
  }
}
function checkReferencedFiles(d, t, p, problems) {
  for (const key of ["file", "kubeconfig"]) {
    const src = t[key];
    if (!isObj(src) || typeof src.path !== "string" || isAbsolute2(src.path)) continue;
    const path = p(key, "path");
    try {
      const bytes = readReferenced(resolve2(d.dir, src.path), src.path);
      if (holdsPrivateKey(bytes))
        throw new ReferencedFileError(`'${src.path}' contains a private key; ${PRIVATE_KEY_REFUSAL}`);
    } catch (err) {
      if (!(err instanceof ReferencedFileError)) throw err;
      problems.push({ location: d.doc.locate(path), message: `${formatPath(path)}: ${err.message}` });
    }
  }
}
function isCidr(s) {
  const m = /^(.+)\/(\d{1,3})$/.exec(s);
  if (!m) return false;
  const v = isIP(m[1]);
  const bits = Number(m[2]);
  return v !== 0 && bits <= (v === 4 ? 32 : 128);
}

// src/inventory/load-certificates.ts
import { resolve as resolve3 } from "node:path";
function loadAnchors(docs, inventory, problems) {
  for (const d of docs) {
    list(d.data.anchors).forEach((a, i) => {
      if (!isObj(a) || typeof a.id !== "string" || typeof a.file !== "string") return;
      const abs = resolve3(d.dir, a.file);
      let cert;
      try {
        cert = readAnchorCertificate(abs, a.file);
      } catch (err) {
        if (!(err instanceof ReferencedFileError)) throw err;
        problems.push({
          location: d.doc.locate(["anchors", i, "file"]),
          message: `anchors[${i}].file: ${err.message}`
        });
        return;
      }
      if (typeof a.sha256 === "string" && /^[0-9a-f]{64}$/.test(normaliseFingerprint(a.sha256))) {
        const pin = normaliseFingerprint(a.sha256);
        if (pin !== cert.record.sha256) {
          problems.push({
            location: d.doc.locate(["anchors", i, "sha256"]),
            message: `anchors[${i}].sha256: pin does not match '${a.file}': the pin is ${pin}, the file's certificate is ${cert.record.sha256}`
          });
        }
      }
      if (!inventory.anchors.has(a.id)) {
        inventory.anchors.set(a.id, {
          id: a.id,
          file: abs,
          sha256: cert.record.sha256,
          location: d.doc.locate(["anchors", i]),
          der: cert.record.der
        });
      }
    });
  }
}
function loadBundles(docs, inventory, problems) {
  for (const d of docs) {
    list(d.data.bundles).forEach((b, i) => {
      if (!isObj(b) || typeof b.id !== "string" || typeof b.file !== "string") return;
      const bundle = {
        id: b.id,
        file: resolve3(d.dir, b.file),
        ...typeof b.key === "string" ? { key: b.key } : {},
        contains: strList(b.contains),
        ...typeof b.only === "boolean" ? { only: b.only } : {},
        location: d.doc.locate(["bundles", i])
      };
      try {
        readBundleCertificates(bundle.file, b.file, bundle.key);
      } catch (err) {
        if (!(err instanceof ReferencedFileError)) throw err;
        problems.push({
          location: d.doc.locate(["bundles", i, "file"]),
          message: `bundles[${i}].file: ${err.message}`
        });
      }
      inventory.bundles.push(bundle);
    });
  }
}

// src/inventory/load-build.ts
import { resolve as resolve4 } from "node:path";
var SOURCE_KEYS = ["endpoint", "kubernetes", "file", "kubeconfig", "preset", "discover"];
function buildDocument(d, inventory, zones) {
  const meta = isObj(d.data.metadata) ? d.data.metadata : {};
  const defaults = isObj(d.data.defaults) ? d.data.defaults : {};
  const invDoc = {
    name: d.name,
    file: d.doc.file,
    owners: strList(meta.owners),
    defaults: {
      policies: Array.isArray(defaults.policies) ? strList(defaults.policies) : ["baseline"],
      zone: str(defaults.zone) ?? null,
      owners: Array.isArray(defaults.owners) ? strList(defaults.owners) : strList(meta.owners),
      ...revocationOf(defaults.revocation),
      ...networkOf(defaults.network)
    }
  };
  inventory.inventories.push(invDoc);
  addClusters(d, inventory);
  const defaultLabels = labelsOf(defaults.labels);
  list(d.data.targets).forEach((t, i) => {
    if (!isObj(t) || typeof t.id !== "string") return;
    const source = sourceOf(t, d.dir);
    if (!source) return;
    inventory.targets.push(resolveTarget(t, i, source, d, invDoc, defaultLabels, zones));
  });
}
function addClusters(d, inventory) {
  list(d.data.clusters).forEach((c, i) => {
    if (!isObj(c) || typeof c.name !== "string" || inventory.clusters.has(c.name)) return;
    const kc = isObj(c.kubeconfig) ? c.kubeconfig : {};
    inventory.clusters.set(c.name, {
      name: c.name,
      kubeconfig: {
        ...typeof kc.path === "string" ? { path: resolve4(d.dir, kc.path) } : {},
        ...typeof kc.env === "string" ? { env: kc.env } : {},
        ...kc.inCluster === true ? { inCluster: true } : {},
        ...typeof kc.context === "string" ? { context: kc.context } : {}
      },
      ...typeof c.allowExec === "boolean" ? { allowExec: c.allowExec } : {},
      ...typeof c.allowInsecure === "boolean" ? { allowInsecure: c.allowInsecure } : {},
      location: d.doc.locate(["clusters", i])
    });
  });
}
function addZones(d, zones, problems) {
  list(d.data.zones).forEach((z, i) => {
    if (!isObj(z) || typeof z.name !== "string") return;
    const location = d.doc.locate(["zones", i, "name"]);
    const seen = zones.get(z.name);
    const via = str(z.via) ?? void 0;
    const { network } = networkOf(z.network);
    const also = seen && `zones[${i}]: zone '${z.name}' is also declared at ${seen.location.file}:${seen.location.line}`;
    if (seen && seen.via !== via) {
      problems.push({ location, message: `${also} with another via; a zone has one proxy` });
      return;
    }
    if (seen && seen.network?.fetch !== network?.fetch) {
      problems.push({
        location,
        message: `${also} with another network.fetch; a zone has one network setting`
      });
      return;
    }
    zones.set(z.name, { name: z.name, ...via ? { via } : {}, ...network ? { network } : {}, location });
  });
}
function applyZoneProxies(inventory, zones) {
  for (const t of inventory.targets) {
    const via = t.zone ? zones.get(t.zone)?.via : void 0;
    if (via && t.source.kind === "endpoint" && !t.source.endpoint.via) t.source.endpoint.via = via;
  }
  if (zones.size) inventory.zones = zones;
}
function resolveTarget(t, i, source, d, inv, defaultLabels, zones) {
  const target = {
    id: t.id,
    inventory: inv.name,
    location: d.doc.locate(["targets", i]),
    source,
    policies: Array.isArray(t.policies) ? strList(t.policies) : inv.defaults.policies,
    owners: Array.isArray(t.owners) ? strList(t.owners) : inv.defaults.owners,
    zone: str(t.zone) ?? inv.defaults.zone,
    labels: { ...defaultLabels, ...labelsOf(t.labels) },
    paths: d.doc.pathsUnder(["targets", i])
  };
  if (isObj(t.expect)) {
    const expect = withoutExtensions(t.expect);
    if (typeof expect.sha256 === "string") expect.sha256 = normaliseFingerprint(expect.sha256);
    target.expect = expect;
  }
  if (isObj(t.trustStore)) target.trustStore = withoutExtensions(t.trustStore);
  if (isObj(t.renewal)) target.renewal = withoutExtensions(t.renewal);
  const revocation = revocationOf(t.revocation).revocation ?? inv.defaults.revocation;
  if (revocation) target.revocation = revocation;
  const network = networkOf(t.network).network ?? (target.zone ? zones.get(target.zone)?.network : void 0) ?? inv.defaults.network;
  if (network) target.network = network;
  return target;
}
function revocationOf(v) {
  if (!isObj(v)) return {};
  return { revocation: { mode: v.mode === "hard" || v.mode === "off" ? v.mode : "soft" } };
}
function networkOf(v) {
  if (!isObj(v) || typeof v.fetch !== "boolean") return {};
  return { network: { fetch: v.fetch } };
}
function sourceOf(t, dir) {
  const key = SOURCE_KEYS.find((k) => isObj(t[k]));
  if (!key) return null;
  const s = withoutExtensions(t[key]);
  const at = (p) => typeof p === "string" ? resolve4(dir, p) : p;
  switch (key) {
    case "endpoint":
      return { kind: "endpoint", endpoint: s };
    case "kubernetes":
      return { kind: "kubernetes", kubernetes: s };
    case "discover":
      return { kind: "discover", discover: s };
    case "file":
      return { kind: "file", file: { ...s, path: at(s.path) } };
    case "kubeconfig":
      return { kind: "kubeconfig", kubeconfig: { ...s, path: at(s.path) } };
    case "preset": {
      const k = isObj(s.kubeadm) ? s.kubeadm : {};
      const kubeadm = {
        ...k,
        pkiDir: at(k.pkiDir ?? "/etc/kubernetes/pki"),
        ...k.confDir !== void 0 ? { confDir: at(k.confDir) } : {}
      };
      return { kind: "preset", preset: { kubeadm } };
    }
  }
}
function withoutExtensions(v) {
  if (Array.isArray(v)) return v.map(withoutExtensions);
  if (!isObj(v)) return v;
  const out = {};
  for (const [k, val] of Object.entries(v)) if (!k.startsWith("x-")) out[k] = withoutExtensions(val);
  return out;
}
function labelsOf(v) {
  const out = {};
  if (!isObj(v)) return out;
  for (const [k, val] of Object.entries(v)) {
    if (typeof val === "string" || typeof val === "number" || typeof val === "boolean") out[k] = String(val);
  }
  return out;
}

// src/inventory/kubeconfig-check.ts
import { existsSync as existsSync2 } from "node:fs";
import { isAbsolute as isAbsolute3, resolve as resolve5 } from "node:path";
function kubeconfigProblems(docs, env) {
  const errors = [];
  const warnings = [];
  for (const d of docs) {
    list(d.data.clusters).forEach((c, i) => {
      if (!isObj(c) || !isObj(c.kubeconfig)) return;
      const kc = c.kubeconfig;
      const name = typeof c.name === "string" ? `cluster '${safeText(c.name)}'` : "this cluster";
      if (typeof kc.path === "string") {
        const at = ["clusters", i, "kubeconfig", "path"];
        if (existsSync2(resolve5(d.dir, kc.path))) return;
        const problem = {
          location: d.doc.locate(at),
          message: `${formatPath(at)}: kubeconfig file '${safeText(kc.path)}' of ${name} does not exist`
        };
        if (isAbsolute3(kc.path))
          warnings.push({
            ...problem,
            message: `${problem.message} here (a scan where it is missing reports source.error on the cluster's targets)`
          });
        else errors.push(problem);
      } else if (typeof kc.env === "string") {
        const at = ["clusters", i, "kubeconfig", "env"];
        const v = env[kc.env];
        if (v === void 0 || v.trim() === "")
          warnings.push({
            location: d.doc.locate(at),
            message: `${formatPath(at)}: environment variable ${kc.env} (the kubeconfig of ${name}) is not set here; a scan without it reports source.error on the cluster's targets`
          });
      }
    });
  }
  return { errors, warnings };
}

// src/inventory/load.ts
async function loadInventory(dirsOrFiles, opts = {}) {
  const { inventory, problems } = await loadInventoryWithProblems(dirsOrFiles, opts);
  if (problems.length) throw new ConfigError(problems);
  return inventory;
}
function readBundleFile(bundle) {
  try {
    return readBundleCertificates(bundle.file, bundle.file, bundle.key);
  } catch (err) {
    if (err instanceof ReferencedFileError)
      throw new ConfigError(`bundle '${bundle.id}': ${err.message}`, bundle.location);
    throw err;
  }
}
async function loadInventoryWithProblems(dirsOrFiles, opts = {}) {
  const problems = [];
  const docs = await readDocuments(dirsOrFiles, opts.cwd ?? process.cwd(), problems);
  for (const d of docs) problems.push(...schemaProblems(d.doc));
  const declared = collectDeclared(docs);
  problems.push(...duplicates(declared));
  checkReferences(docs, declared, opts.policyNames, problems);
  const inventory = {
    inventories: [],
    anchors: /* @__PURE__ */ new Map(),
    bundles: [],
    clusters: /* @__PURE__ */ new Map(),
    targets: []
  };
  const kubeconfigs = kubeconfigProblems(docs, opts.env ?? process.env);
  problems.push(...kubeconfigs.errors);
  if (kubeconfigs.warnings.length) inventory.warnings = kubeconfigs.warnings;
  loadAnchors(docs, inventory, problems);
  loadBundles(docs, inventory, problems);
  const zones = /* @__PURE__ */ new Map();
  for (const d of docs) addZones(d, zones, problems);
  for (const d of docs) buildDocument(d, inventory, zones);
  applyZoneProxies(inventory, zones);
  if (zones.size) inventory.zones = zones;
  problems.sort(compareProblems);
  return { inventory, problems };
}
function compareProblems(a, b) {
  const fa = a.location?.file ?? "";
  const fb = b.location?.file ?? "";
  if (fa !== fb) return fa < fb ? -1 : 1;
  return (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.column ?? 0) - (b.location?.column ?? 0);
}

// src/evaluate/kubernetes/undeclared.ts
var import_yaml = __toESM(require_dist(), 1);
function discoveredObject(o) {
  if (o.source.kind !== "discover" || !o.details || o.details.scope) return null;
  const d = o.details;
  if (typeof d.kind !== "string" || typeof d.name !== "string") return null;
  return {
    cluster: String(o.source.cluster ?? ""),
    kind: d.kind,
    namespace: typeof d.namespace === "string" ? d.namespace : null,
    name: d.name,
    clusterCA: d.clusterCA === true && d.kind === "ConfigMap" && d.name === CLUSTER_CA_NAME,
    observation: o
  };
}
function objectKey(cluster, kind, namespace, name) {
  if (kind === "ConfigMap" && name === CLUSTER_CA_NAME) return `${cluster}\0cluster-ca`;
  return `${cluster}\0${kind}\0${namespace ?? ""}\0${name}`;
}
function declaredObjects(targets) {
  const out = /* @__PURE__ */ new Set();
  for (const t of targets) {
    if (t.source.kind !== "kubernetes") continue;
    const k = t.source.kubernetes;
    out.add(
      objectKey(
        k.cluster,
        k.kind,
        k.namespace ?? (k.kind === "Secret" || k.kind === "ConfigMap" || k.kind === "Certificate" ? "default" : null),
        k.name
      )
    );
  }
  return out;
}
function isDeclared(d, declared) {
  return declared.has(objectKey(d.cluster, d.kind, d.namespace, d.name));
}
function firstCert(o) {
  return o.certificates[0] ?? o.trustStore?.[0] ?? null;
}
function describe(d) {
  if (d.clusterCA) return `the cluster CA (ConfigMap ${CLUSTER_CA_NAME}, in every namespace)`;
  return `${d.kind} ${d.namespace ? `${d.namespace}/` : ""}${d.name}`;
}
function discoverTargets(targets) {
  return new Map(targets.filter((t) => t.source.kind === "discover").map((t) => [t.id, t]));
}
function ownerTarget(o, discover) {
  return discover.get(o.target.split("/", 1)[0] ?? "") ?? null;
}
function undeclaredFinding(d, discover) {
  const cert = firstCert(d.observation);
  if (!cert) return null;
  const cn = cert.record.subject.CN ?? cert.record.subject.dn ?? null;
  const what = safeText(describe(d));
  const about = ` (${cn ? `CN=${safeText(cn)}, ` : ""}sha256 ${cert.record.sha256})`;
  return makeFinding({
    target: d.observation.target,
    check: "inventory.undeclared",
    message: `${what} in cluster ${safeText(d.cluster)} holds certificates but no inventory target declares it${about}`,
    certificate: cert.record.sha256,
    key: `${d.kind}/${d.namespace ?? ""}/${d.name}`,
    location: ownerTarget(d.observation, discover)?.location ?? null,
    remediation: { kind: "inventory", target: targetFor(d, /* @__PURE__ */ new Set()) }
  });
}
function slug(s) {
  return s.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^[^a-z0-9]+/, "").replace(/-+$/, "").slice(0, 100) || "x";
}
var KIND_SLUG = {
  Secret: "",
  ConfigMap: "cm-",
  CertificateSigningRequest: "csr-",
  ValidatingWebhookConfiguration: "vwc-",
  MutatingWebhookConfiguration: "mwc-",
  APIService: "apiservice-",
  Certificate: "certificate-"
};
function targetFor(d, taken) {
  let id = d.clusterCA ? slug(`${d.cluster}-cluster-ca`) : slug(`${d.cluster}-${KIND_SLUG[d.kind] ?? ""}${d.namespace ? `${d.namespace}-` : ""}${d.name}`);
  for (let i = 2; taken.has(id); i++) id = `${id.replace(/-\d+$/, "")}-${i}`;
  taken.add(id);
  const kube = { cluster: d.cluster, kind: d.kind };
  if (d.namespace) kube.namespace = d.namespace;
  kube.name = d.name;
  const o = d.observation;
  if (d.clusterCA) kube.key = "ca.crt";
  const keystore = (o.details?.keys ?? []).find(isKeystoreKey);
  if (d.kind === "Secret" && keystore && !o.certificates.length && !o.trustStore?.length) {
    kube.key = keystore;
    kube.format = /\.jks$/i.test(keystore) ? "jks" : "pkcs12";
    kube.passwordEnv = slug(`${d.name}-password`).toUpperCase().replace(/[.-]/g, "_");
  }
  const t = { id, kubernetes: kube };
  return t;
}
function commentFor(o, now) {
  const lines = [];
  const certs = o.certificates.length ? o.certificates : o.trustStore ?? [];
  const role = o.certificates.length ? "" : "trust store: ";
  for (const c of certs.slice(0, 4)) {
    const r = c.record;
    const days = Math.floor((Date.parse(r.notAfter) - now.getTime()) / 864e5);
    lines.push(
      ` ${role}${safeText(r.subject.dn).slice(0, 120)} \u2014 expires ${r.notAfter.slice(0, 10)} (${days} days), sha256 ${r.sha256}`
    );
  }
  if (certs.length > 4) lines.push(` \u2026 and ${certs.length - 4} more`);
  if (o.details?.clusterCA)
    lines.push(` the cluster CA, found in ${String(o.details.namespaces ?? 1)} namespace(s)`);
  if (o.details?.kind === "CertificateSigningRequest")
    lines.push(` signer ${safeText(String(o.details.signerName ?? "?"))}`);
  for (const w of o.warnings ?? []) lines.push(` note: ${safeText(w).slice(0, 160)}`);
  return lines.map((l) => l.replace(/[\r\n]/g, " ")).join("\n");
}
var YAML_OPTIONS = { lineWidth: 0, doubleQuotedAsJSON: true };
var RENDER_BATCH = 100;
var DiscoveredInventory = class {
  constructor(opts = {}) {
    this.opts = opts;
    const targets = opts.targets ?? [];
    this.declared = declaredObjects(targets);
    this.taken = new Set(targets.map((t) => t.id));
    this.now = opts.now ?? /* @__PURE__ */ new Date();
  }
  opts;
  declared;
  taken;
  /** Rendered entries, a batch per string. */
  rendered = [];
  /** Entries not rendered yet: the target and its comment (the observation itself is not kept). */
  pending = [];
  count = 0;
  now;
  firstCluster = null;
  /** Objects in the YAML so far. */
  get shown() {
    return this.count;
  }
  add(o) {
    const d = discoveredObject(o);
    if (!d || !this.opts.all && isDeclared(d, this.declared)) return;
    this.firstCluster ??= d.cluster;
    this.count++;
    this.pending.push({ target: targetFor(d, this.taken), comment: commentFor(o, this.now) });
    if (this.pending.length >= RENDER_BATCH) this.flush();
  }
  /** Renders the pending entries as the `targets:` sequence of a document, and keeps the sequence's text. */
  flush() {
    if (!this.pending.length) return;
    const doc = new import_yaml.Document({ targets: this.pending.map((p) => p.target) });
    const seq = doc.get("targets", true);
    if ((0, import_yaml.isSeq)(seq)) {
      seq.items.forEach((item, i) => {
        const comment = this.pending[i]?.comment;
        if (!(0, import_yaml.isMap)(item)) return;
        if (comment) item.commentBefore = comment;
        const kube = item.get("kubernetes", true);
        if ((0, import_yaml.isMap)(kube)) kube.flow = true;
      });
    }
    const text = doc.toString(YAML_OPTIONS).slice("targets:\n".length);
    if (this.opts.onEntries) this.opts.onEntries(text);
    else this.rendered.push(text);
    this.pending = [];
  }
  /** The whole document (the entries given to onEntries are not in it: see head()). */
  finish() {
    return `${this.head()}${this.rendered.join("")}`;
  }
  /**
   * What comes before the entries, once every object is added: the document's comment (it counts
   * them), its metadata and `targets:`. Entries given to onEntries follow it.
   */
  head() {
    this.flush();
    const cluster = this.opts.cluster?.name ?? this.firstCluster ?? "cluster";
    const docObj = {
      apiVersion: "certwarden/v1",
      kind: "Inventory",
      metadata: { name: slug(this.opts.name ?? `${cluster}-discovered`) }
    };
    if (this.opts.cluster)
      docObj.clusters = [{ name: this.opts.cluster.name, kubeconfig: this.opts.cluster.kubeconfig }];
    if (!this.count) docObj.targets = [];
    const doc = new import_yaml.Document(docObj);
    doc.commentBefore = ` certwarden discover: ${this.count} certificate-bearing object(s) in cluster ${safeText(cluster)}${this.opts.all ? "" : " that no target declares"}
 Review, add expectations (expect, trustStore), and commit.`;
    const head = doc.toString(YAML_OPTIONS);
    return this.count ? `${head}targets:
` : head;
  }
};

export {
  loadInventory,
  readBundleFile,
  discoveredObject,
  declaredObjects,
  isDeclared,
  discoverTargets,
  undeclaredFinding,
  DiscoveredInventory
};
