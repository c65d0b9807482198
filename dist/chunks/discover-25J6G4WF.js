import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  discoverObservations
} from "./chunk-7V4RIGL7.js";
import "./chunk-YXMS7X5T.js";
import {
  createKubeApi
} from "./chunk-2EMOW632.js";
import {
  emitText
} from "./chunk-IO5JP7YQ.js";
import {
  DiscoveredInventory,
  loadInventory
} from "./chunk-VDOPN6YR.js";
import "./chunk-4M76J7UZ.js";
import {
  silentLogger
} from "./chunk-OS4GY4HV.js";
import "./chunk-HNLBEK77.js";
import "./chunk-T6OBV2YL.js";
import {
  describeWritten,
  ioLogger
} from "./chunk-R2NCMLC3.js";
import {
  outputFile,
  strings
} from "./chunk-US7OED5I.js";
import "./chunk-BR2XLSHT.js";
import "./chunk-FVSSEFCQ.js";
import "./chunk-I32IJZLF.js";
import "./chunk-HSQZZC7B.js";
import "./chunk-UHECHRFN.js";
import {
  ConfigError,
  EXIT
} from "./chunk-WW3ZWNRQ.js";
import {
  safeText
} from "./chunk-NRN5HDCZ.js";
import "./chunk-O6SZIQSQ.js";
import "./chunk-LOAWET6W.js";
import "./chunk-DDCI7ZLU.js";

// src/cli/discover.ts
import { existsSync } from "node:fs";
import path2 from "node:path";

// src/commands/discover.ts
import path from "node:path";
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
  const name = (context ?? path.basename(file)).toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^[^a-z0-9]+/, "") || "cluster";
  return {
    name,
    kubeconfig: { path: file, ...context ? { context } : {} },
    location: { file, line: 1, column: 1 }
  };
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
    now: /* @__PURE__ */ new Date(),
    logger: opts.logger ?? silentLogger,
    timeoutMs: 3e4,
    env: opts.env,
    inventory: inv,
    services: { kube: () => api }
  };
  const discovered = new DiscoveredInventory({
    targets: inv.targets,
    all: opts.all,
    now: ctx.now,
    ...opts.cluster ? {} : { cluster: { name: cluster.name, kubeconfig: cluster.kubeconfig } }
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
  const yaml = discovered.finish();
  const shown = discovered.shown;
  return {
    exitCode: EXIT.clean,
    ...found,
    error: null,
    yaml,
    shown,
    written: await emitText(yaml, opts.output)
  };
}

// src/cli/discover.ts
function inventoryDirsFor(values, cwd) {
  const given = strings(values.inventory);
  if (given.length) return given.map((d) => path2.resolve(cwd, d));
  const fallback = path2.resolve(cwd, "inventory");
  return typeof values.cluster === "string" || existsSync(fallback) ? [fallback] : [];
}
async function runDiscoverCommand(values, io) {
  const cluster = typeof values.cluster === "string" ? values.cluster : void 0;
  const kubeconfig = typeof values.kubeconfig === "string" ? path2.resolve(io.cwd, values.kubeconfig) : void 0;
  const all = Boolean(values.all);
  const output = outputFile(values.output, io.cwd);
  const res = await discover({
    ...cluster ? { cluster } : {},
    ...kubeconfig ? { kubeconfig } : {},
    ...typeof values.context === "string" ? { context: values.context } : {},
    namespaces: strings(values.namespace),
    all,
    inventoryDirs: inventoryDirsFor(values, io.cwd),
    ...output ? { output } : {},
    env: io.env,
    logger: ioLogger(io)
  });
  if (res.error !== null) {
    io.stderr(`error: cluster ${safeText(res.cluster)} is unreachable: ${safeText(res.error)}
`);
    return res.exitCode;
  }
  if (!res.written) io.stdout(res.yaml);
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
