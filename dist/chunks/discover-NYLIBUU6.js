import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  discoverObservations
} from "./chunk-CVHBLOHL.js";
import "./chunk-4IEQH6BZ.js";
import {
  createKubeApi
} from "./chunk-OSFZSLBO.js";
import {
  writeOutput
} from "./chunk-3SXLHKRW.js";
import {
  DiscoveredInventory,
  loadInventory
} from "./chunk-AGNHQRE6.js";
import "./chunk-CQLXS4C2.js";
import "./chunk-T6OBV2YL.js";
import {
  silentLogger
} from "./chunk-OS4GY4HV.js";
import "./chunk-HNLBEK77.js";
import {
  describeWritten,
  ioLogger
} from "./chunk-R2NCMLC3.js";
import {
  outputFile,
  strings
} from "./chunk-COV2FAQ7.js";
import "./chunk-LWH7DEBG.js";
import {
  safeText
} from "./chunk-NRN5HDCZ.js";
import "./chunk-O6SZIQSQ.js";
import "./chunk-LOAWET6W.js";
import "./chunk-FVSSEFCQ.js";
import "./chunk-I32IJZLF.js";
import "./chunk-HSQZZC7B.js";
import "./chunk-UHECHRFN.js";
import {
  ConfigError,
  EXIT
} from "./chunk-WW3ZWNRQ.js";
import "./chunk-DDCI7ZLU.js";

// src/cli/discover.ts
import { existsSync } from "node:fs";
import path3 from "node:path";

// src/commands/discover.ts
import path2 from "node:path";

// src/core/spool.ts
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { StringDecoder } from "node:string_decoder";
var CHUNK = 1024 * 1024;
var Spool = class {
  dir;
  file;
  fd;
  bytes = 0;
  constructor() {
    this.dir = mkdtempSync(path.join(tmpdir(), "certwarden-spool-"));
    this.file = path.join(this.dir, "spool");
    this.fd = openSync(this.file, "w+", 384);
  }
  /** Appends text. */
  write(text) {
    if (this.fd === null) throw new Error("spool written after it was removed");
    const buf = Buffer.from(text, "utf8");
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off, this.bytes + off);
    this.bytes += buf.length;
  }
  /** What was written, in order, a chunk (about 1 MB) at a time. */
  *chunks() {
    if (this.fd === null) throw new Error("spool read after it was removed");
    const decoder = new StringDecoder("utf8");
    const buf = Buffer.alloc(Math.min(CHUNK, Math.max(1, this.bytes)));
    for (let pos = 0; pos < this.bytes; ) {
      const n = readSync(this.fd, buf, 0, Math.min(buf.length, this.bytes - pos), pos);
      if (n <= 0) throw new Error("spool ended early");
      pos += n;
      const text = decoder.write(buf.subarray(0, n));
      if (text) yield text;
    }
    const rest = decoder.end();
    if (rest) yield rest;
  }
  /** Deletes the temp file (safe to call twice). */
  remove() {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    rmSync(this.dir, { recursive: true, force: true });
  }
};

// src/commands/discover.ts
var NO_INVENTORY = {
  inventories: [],
  anchors: /* @__PURE__ */ new Map(),
  bundles: [],
  clusters: /* @__PURE__ */ new Map(),
  targets: []
};
function clusterOf(opts, inventory) {
  const { cluster: clusterName, kubeconfig, context } = opts;
  if (clusterName) {
    const ref = inventory?.clusters.get(clusterName);
    if (!ref)
      throw new ConfigError(
        `unknown cluster '${clusterName}'. Expected one of: ${[...inventory?.clusters.keys() ?? []].join(", ") || "(the inventory declares no clusters)"}`
      );
    return context ? { ...ref, kubeconfig: { ...ref.kubeconfig, context } } : ref;
  }
  const file = kubeconfig;
  const name = (context ?? path2.basename(file)).toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^[^a-z0-9]+/, "") || "cluster";
  return {
    name,
    kubeconfig: { path: file, ...context ? { context } : {} },
    location: { file, line: 1, column: 1 }
  };
}
function* headThen(head, spool) {
  yield head;
  yield* spool.chunks();
}
async function discover(opts) {
  if (!opts.cluster && !opts.kubeconfig)
    throw new ConfigError(
      "discover needs --cluster NAME (a cluster from the inventory) or --kubeconfig FILE"
    );
  if (opts.cluster && opts.kubeconfig)
    throw new ConfigError("discover takes --cluster or --kubeconfig, not both");
  const inventory = opts.inventoryDirs.length ? await loadInventory(opts.inventoryDirs, { env: opts.env }) : null;
  const cluster = clusterOf(opts, inventory);
  const inv = inventory ?? NO_INVENTORY;
  const target = {
    id: `${cluster.name}-discovered`,
    inventory: "discover",
    location: cluster.location,
    source: {
      kind: "discover",
      discover: { cluster: cluster.name, namespaces: opts.namespaces.length ? opts.namespaces : ["*"] }
    },
    policies: [],
    owners: [],
    zone: null,
    labels: {}
  };
  const api = createKubeApi(cluster, { env: opts.env });
  const ctx = {
    now: opts.now ?? /* @__PURE__ */ new Date(),
    logger: opts.logger ?? silentLogger,
    timeoutMs: 3e4,
    env: opts.env,
    inventory: inv,
    services: { kube: () => api }
  };
  const spool = opts.output || opts.write ? new Spool() : null;
  try {
    const discovered = new DiscoveredInventory({
      targets: inv.targets,
      all: opts.all,
      now: ctx.now,
      ...opts.cluster ? {} : { cluster: { name: cluster.name, kubeconfig: cluster.kubeconfig } },
      ...spool ? { onEntries: (text) => spool.write(text) } : {}
    });
    let objects = 0;
    let unreachable = null;
    try {
      for await (const o of discoverObservations(target, ctx)) {
        if (o.status === "unreachable") unreachable = o;
        else if (o.status === "ok") {
          objects++;
          discovered.add(o);
        }
      }
    } finally {
      api.close();
    }
    const found = { cluster: cluster.name, objects };
    if (unreachable)
      return {
        exitCode: EXIT.runtime,
        ...found,
        error: unreachable.error?.message ?? "",
        yaml: "",
        shown: 0,
        written: null
      };
    const result = { exitCode: EXIT.clean, ...found, error: null, shown: discovered.shown };
    if (!spool) return { ...result, yaml: discovered.finish(), written: null };
    const head = discovered.head();
    if (opts.output) {
      await writeOutput(opts.output, headThen(head, spool));
      return { ...result, yaml: null, written: opts.output };
    }
    opts.write?.(head);
    for (const chunk of spool.chunks()) opts.write?.(chunk);
    return { ...result, yaml: null, written: null };
  } finally {
    spool?.remove();
  }
}

// src/cli/discover.ts
function inventoryDirsFor(values, cwd) {
  const given = strings(values.inventory);
  if (given.length) return given.map((d) => path3.resolve(cwd, d));
  const fallback = path3.resolve(cwd, "inventory");
  return typeof values.cluster === "string" || existsSync(fallback) ? [fallback] : [];
}
async function runDiscoverCommand(values, io) {
  const cluster = typeof values.cluster === "string" ? values.cluster : void 0;
  const kubeconfig = typeof values.kubeconfig === "string" ? path3.resolve(io.cwd, values.kubeconfig) : void 0;
  const all = Boolean(values.all);
  const output = outputFile(values.output, io.cwd);
  const res = await discover({
    ...cluster ? { cluster } : {},
    ...kubeconfig ? { kubeconfig } : {},
    ...typeof values.context === "string" ? { context: values.context } : {},
    namespaces: strings(values.namespace),
    all,
    inventoryDirs: inventoryDirsFor(values, io.cwd),
    // The YAML on stdout as it is read back, never whole in memory.
    ...output ? { output } : { write: (text) => io.stdout(text) },
    env: io.env,
    logger: ioLogger(io)
  });
  if (res.error !== null) {
    io.stderr(`error: cluster ${safeText(res.cluster)} is unreachable: ${safeText(res.error)}
`);
    return res.exitCode;
  }
  if (res.yaml !== null) io.stdout(res.yaml);
  io.stderr(
    `discovered ${res.objects} certificate-bearing object(s) in cluster ${safeText(res.cluster)}; ${res.shown} ${all ? "printed" : "not declared in the inventory"}
`
  );
  if (res.written) io.stderr(`${describeWritten("inventory YAML", res.written, io.cwd)}
`);
  return res.exitCode;
}
export {
  runDiscoverCommand
};
