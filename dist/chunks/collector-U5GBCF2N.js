import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  probeEndpoint
} from "./chunk-Q5PAR5BE.js";
import {
  safeText
} from "./chunk-NRN5HDCZ.js";
import {
  stripUserinfo
} from "./chunk-O6SZIQSQ.js";
import "./chunk-LOAWET6W.js";
import {
  parseCertificate
} from "./chunk-HSQZZC7B.js";
import "./chunk-WW3ZWNRQ.js";
import "./chunk-DDCI7ZLU.js";

// src/sources/endpoint/collector.ts
import { createHash } from "node:crypto";

// src/core/limit-releasing.ts
function mapLimitReleasing(items, limit, fn, opts = {}) {
  const results = new Array(items.length);
  const width = Math.max(1, limit);
  const maxOpen = Math.max(width, opts.maxOpen ?? width * 4);
  let next = 0;
  let active = 0;
  let open = 0;
  let done = 0;
  let failed = false;
  return new Promise((resolve, reject) => {
    if (items.length === 0) return resolve(results);
    const pump = () => {
      while (!failed && next < items.length && active < width && open < maxOpen) {
        const i = next++;
        active++;
        open++;
        let released = false;
        const release = () => {
          if (released) return;
          released = true;
          active--;
          queueMicrotask(pump);
        };
        Promise.resolve().then(() => fn(items[i], i, release)).then(
          (r) => {
            results[i] = r;
            if (!released) {
              released = true;
              active--;
            }
            open--;
            done++;
            opts.onDone?.(done, items.length);
            if (done === items.length) resolve(results);
            else pump();
          },
          (err) => {
            failed = true;
            reject(err);
          }
        );
      }
    };
    pump();
  });
}

// src/sources/endpoint/collector.ts
var TLS_PROBE_SERVICE = "tlsProbe";
function endpointSourceData(ep) {
  const source = { kind: "endpoint", host: ep.host, port: ep.port };
  if (ep.serverName) source.serverName = ep.serverName;
  if (ep.starttls) source.starttls = ep.starttls;
  if (ep.via) source.via = stripUserinfo(ep.via);
  return source;
}
var PARSE_CACHE_MAX = 1024;
var parseCache = /* @__PURE__ */ new Map();
function parseCached(der, origin) {
  const key = createHash("sha256").update(der).digest("base64");
  const hit = parseCache.get(key);
  if (hit) return hit;
  const rec = parseCertificate(der, origin);
  if (parseCache.size >= PARSE_CACHE_MAX) parseCache.delete(parseCache.keys().next().value);
  parseCache.set(key, rec);
  return rec;
}
function observationFromProbe(targetId, ep, r, collectedAt) {
  const source = endpointSourceData(ep);
  if (r.address) source.address = r.address;
  if (!r.ok) {
    return {
      target: targetId,
      source,
      collectedAt,
      status: "unreachable",
      error: { reason: r.error?.reason ?? "protocol", message: r.error?.message ?? "unknown failure" },
      certificates: [],
      trustStore: null,
      details: { attempts: r.attempts, elapsedMs: r.elapsedMs }
    };
  }
  const certificates = [];
  const warnings = [...r.notes];
  r.chain.forEach((der, i) => {
    const origin = `presented[${i}]`;
    try {
      certificates.push({ origin, record: parseCached(der, origin) });
    } catch (e) {
      warnings.push(
        `${origin}: the server sent a certificate that cannot be parsed: ${safeText(e.message)}`
      );
    }
  });
  const obs = {
    target: targetId,
    source,
    collectedAt,
    status: "ok",
    error: null,
    certificates,
    trustStore: null,
    tls: {
      protocol: r.protocol,
      cipher: r.cipher,
      clientCertRequested: r.clientCertRequested,
      chainMethod: r.chainMethod ?? "peer-certificate",
      ...r.ocspResponse ? { ocspStaple: r.ocspResponse.toString("base64") } : {}
    },
    details: { attempts: r.attempts, elapsedMs: r.elapsedMs }
  };
  if (r.chain.length === 0) {
    obs.status = "error";
    obs.error = {
      reason: "protocol",
      message: "the server completed a handshake without sending a certificate"
    };
  } else if (certificates.length === 0) {
    obs.status = "error";
    obs.error = { reason: "parse", message: "no certificate the server sent could be parsed" };
  }
  if (warnings.length) obs.warnings = warnings;
  return obs;
}
function probeAll(targets, ctx, opts, each) {
  const probe = ctx.services?.[TLS_PROBE_SERVICE] ?? probeEndpoint;
  return mapLimitReleasing(
    targets,
    opts.concurrency,
    async (target, _i, release) => {
      if (target.source.kind !== "endpoint")
        throw new Error(`endpoint collector given a ${target.source.kind} target`);
      const ep = target.source.endpoint;
      const r = await probe(ep, {
        timeoutMs: ctx.timeoutMs,
        signal: ctx.signal,
        onStall: release,
        stallMs: opts.stallMs
      });
      const obs = observationFromProbe(target.id, ep, r, ctx.now.toISOString());
      each(target, obs);
      return obs;
    },
    { onDone: opts.onDone }
  );
}
var endpointCollector = {
  kind: "endpoint",
  async collect(target, ctx) {
    if (target.source.kind !== "endpoint")
      throw new Error(`endpoint collector given a ${target.source.kind} target`);
    const ep = target.source.endpoint;
    const probe = ctx.services?.[TLS_PROBE_SERVICE] ?? probeEndpoint;
    const r = await probe(ep, { timeoutMs: ctx.timeoutMs, signal: ctx.signal });
    return [observationFromProbe(target.id, ep, r, ctx.now.toISOString())];
  },
  async collectMany(targets, ctx, opts, sink) {
    await probeAll(targets, ctx, opts, (t, obs) => sink(t, [obs]));
  }
};
function collectEndpoints(targets, ctx, opts) {
  return probeAll(targets, ctx, opts, () => {
  });
}
export {
  TLS_PROBE_SERVICE,
  collectEndpoints,
  endpointCollector,
  endpointSourceData,
  observationFromProbe
};
