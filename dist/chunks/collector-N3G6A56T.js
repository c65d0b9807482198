import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  extractObject,
  failureOf,
  kubeFor
} from "./chunk-4IEQH6BZ.js";
import "./chunk-OSFZSLBO.js";
import {
  KINDS,
  resolveKind
} from "./chunk-HNLBEK77.js";
import {
  safeText
} from "./chunk-NRN5HDCZ.js";
import "./chunk-O6SZIQSQ.js";
import "./chunk-LOAWET6W.js";
import "./chunk-FVSSEFCQ.js";
import "./chunk-I32IJZLF.js";
import "./chunk-HSQZZC7B.js";
import {
  startDeadline
} from "./chunk-UHECHRFN.js";
import {
  ParseError
} from "./chunk-WW3ZWNRQ.js";
import "./chunk-DDCI7ZLU.js";

// src/sources/kubernetes/collector.ts
var kubernetesCollector = {
  kind: "kubernetes",
  async collect(target, ctx) {
    if (target.source.kind !== "kubernetes")
      throw new Error(`kubernetes collector given a ${target.source.kind} target`);
    const src = target.source.kubernetes;
    const kind = resolveKind(src.kind, target.paths?.["kubernetes.kind"] ?? target.location);
    const namespace = KINDS[kind].namespaced ? src.namespace ?? "default" : null;
    const source = {
      kind: "kubernetes",
      cluster: src.cluster,
      objectKind: kind,
      ...namespace ? { namespace } : {},
      name: src.name,
      ...src.key ? { key: src.key } : {},
      ...src.format ? { format: src.format } : {}
    };
    const where = `${kind} ${namespace ? `${namespace}/` : ""}${src.name} in cluster ${src.cluster}`;
    const base = { target: target.id, source, collectedAt: ctx.now.toISOString() };
    const deadline = startDeadline(ctx.timeoutMs, ctx.signal);
    try {
      const api = kubeFor(ctx)(src.cluster);
      let password;
      if (src.passwordEnv) {
        password = ctx.env[src.passwordEnv];
        if (password === void 0)
          throw new ParseError(
            "password",
            where,
            `environment variable ${src.passwordEnv} (passwordEnv) is not set`
          );
      }
      const container = src.key && (src.format === "pkcs12" || src.format === "jks");
      const obj = await api.get(kind, namespace, src.name, {
        keep: src.key ? [src.key] : [],
        ...container ? { containers: [src.key] } : {}
      });
      if (!obj) {
        return [
          {
            ...base,
            status: "error",
            error: { reason: "not-found", message: `${safeText(where)} not found` },
            certificates: [],
            trustStore: null
          }
        ];
      }
      const ex = await extractObject(obj, {
        key: src.key,
        format: src.format,
        password,
        role: target.trustStore ? "trustStore" : void 0,
        signal: deadline.signal
      });
      if (ex.missingKey) {
        const keys = ex.details.keys ?? [];
        return [
          {
            ...base,
            status: "error",
            error: {
              reason: "not-found",
              message: `${safeText(where)} has no certificate under key '${safeText(ex.missingKey)}'${keys.length ? ` (certificate keys: ${keys.map(safeText).join(", ")})` : ""}${src.format || /\.key$/i.test(ex.missingKey) ? "" : "; if it holds a keystore, declare format: pkcs12 or jks (and passwordEnv)"}`
            },
            certificates: [],
            trustStore: null,
            details: ex.details
          }
        ];
      }
      const warnings = [...ex.warnings];
      let certificates = ex.certificates;
      if (kind === "Certificate" && typeof ex.details.secretName === "string") {
        const sec = await api.get("Secret", namespace, ex.details.secretName);
        if (sec) certificates = (await extractObject(sec, {})).certificates;
        else
          warnings.push(
            `Secret ${namespace}/${ex.details.secretName} named by spec.secretName does not exist`
          );
      }
      const d = ex.details;
      const awaiting = kind === "CertificateSigningRequest" && !d.issued && d.denied !== true && d.failed !== true;
      return [
        {
          ...base,
          status: "ok",
          error: null,
          certificates,
          trustStore: ex.trustStore,
          details: awaiting ? { ...d, certificatesExpected: false } : d,
          ...warnings.length ? { warnings } : {}
        }
      ];
    } catch (e) {
      const f = failureOf(e);
      ctx.logger.debug(`${target.id}: ${f.error.message}`);
      return [{ ...base, ...f, certificates: [], trustStore: null }];
    } finally {
      deadline.dispose();
    }
  }
};
export {
  kubernetesCollector
};
