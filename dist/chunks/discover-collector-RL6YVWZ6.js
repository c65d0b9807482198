import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  discoverObservations
} from "./chunk-CVHBLOHL.js";
import {
  failureOf
} from "./chunk-4IEQH6BZ.js";
import "./chunk-OSFZSLBO.js";
import {
  mapLimit
} from "./chunk-QZW4XWZK.js";
import "./chunk-HNLBEK77.js";
import "./chunk-NRN5HDCZ.js";
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

// src/sources/kubernetes/discover-collector.ts
var CHUNK = 500;
async function streamTarget(target, ctx, deliver) {
  let chunk = [];
  try {
    for await (const o of discoverObservations(target, ctx)) {
      chunk.push(o);
      if (chunk.length >= CHUNK) {
        deliver(chunk);
        chunk = [];
      }
    }
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    ctx.logger.debug(`collector for ${target.id} failed: ${e instanceof Error ? e.message : String(e)}`);
    chunk.push({
      target: target.id,
      source: {
        kind: "discover",
        cluster: target.source.kind === "discover" ? target.source.discover.cluster : ""
      },
      collectedAt: ctx.now.toISOString(),
      ...failureOf(e),
      certificates: [],
      trustStore: null
    });
  }
  if (chunk.length) deliver(chunk);
}
var discoverCollector = {
  kind: "discover",
  async collect(target, ctx) {
    const out = [];
    await streamTarget(target, ctx, (chunk) => {
      for (const o of chunk) out.push(o);
    });
    return out;
  },
  async collectMany(targets, ctx, opts, sink) {
    await mapLimit(
      targets,
      opts.concurrency,
      (target) => streamTarget(target, ctx, (chunk) => sink(target, chunk)),
      opts.onDone
    );
  }
};
export {
  discoverCollector
};
