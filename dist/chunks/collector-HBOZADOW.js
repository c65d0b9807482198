import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  parseSecretYaml
} from "./chunk-O6SZIQSQ.js";
import "./chunk-LOAWET6W.js";
import {
  failedObservation
} from "./chunk-CGAL3WGF.js";
import {
  readCertificates
} from "./chunk-FVSSEFCQ.js";
import {
  pemBlocks
} from "./chunk-I32IJZLF.js";
import {
  parseCertificate
} from "./chunk-HSQZZC7B.js";
import {
  safeRead,
  startDeadline
} from "./chunk-UHECHRFN.js";
import {
  ParseError
} from "./chunk-WW3ZWNRQ.js";
import "./chunk-DDCI7ZLU.js";

// src/sources/kubeconfig/collector.ts
import path from "node:path";
var MAX_KUBECONFIG_ALIASES = 10;
async function readRef(dir, data, file, label, read) {
  if (typeof data === "string" && data.trim()) return { bytes: Buffer.from(data, "base64"), name: label };
  if (typeof file === "string" && file.trim()) {
    const p = path.resolve(dir, file);
    return { bytes: await safeRead(p, { kind: "certificate", ...read }), name: p };
  }
  return null;
}
function parseKubeconfig(text, file) {
  const r = parseSecretYaml(text, file, MAX_KUBECONFIG_ALIASES);
  if (!r.ok) {
    const at = r.problem.location;
    throw new ParseError("yaml", at ? `${at.file}:${at.line}:${at.column}` : file, r.problem.message);
  }
  return r.data ?? {};
}
function clientCertificates(bytes, file, warnings) {
  const blocks = pemBlocks(bytes.toString("latin1"), file);
  const skipped = blocks.filter((b) => b.label !== "CERTIFICATE").length;
  if (skipped)
    warnings.push(`${file}: ${skipped} non-certificate block(s) skipped (private keys are never read)`);
  return blocks.filter((b) => b.label === "CERTIFICATE").map((b, i) => parseCertificate(b.der, `${file}[${i}]`));
}
var kubeconfigCollector = {
  kind: "kubeconfig",
  async collect(target, ctx) {
    if (target.source.kind !== "kubeconfig")
      throw new Error(`kubeconfig collector given a ${target.source.kind} target`);
    const k = target.source.kubeconfig;
    const source = { kind: "kubeconfig", path: k.path, ...k.user ? { user: k.user } : {} };
    const deadline = startDeadline(ctx.timeoutMs, ctx.signal);
    const read = { timeoutMs: ctx.timeoutMs, signal: deadline.signal };
    try {
      const text = (await safeRead(k.path, { kind: "kubeconfig", ...read })).toString("utf8");
      const doc = parseKubeconfig(text, k.path);
      const dir = path.dirname(k.path);
      const certificates = [];
      const trustStore = [];
      const warnings = [];
      for (const u of doc.users ?? []) {
        if (k.user && u.name !== k.user) continue;
        const user = u.user ?? {};
        const ref = await readRef(
          dir,
          user["client-certificate-data"],
          user["client-certificate"],
          `users[${u.name}].client-certificate`,
          read
        );
        if (!ref) continue;
        const certs = clientCertificates(ref.bytes, `${k.path}: users[${u.name}]`, warnings);
        certs.forEach(
          (record, i) => certificates.push({
            origin: `users[${u.name}].client-certificate${certs.length > 1 ? `[${i}]` : ""}`,
            record
          })
        );
      }
      for (const c of doc.clusters ?? []) {
        const cluster = c.cluster ?? {};
        const ref = await readRef(
          dir,
          cluster["certificate-authority-data"],
          cluster["certificate-authority"],
          `clusters[${c.name}].certificate-authority`,
          read
        );
        if (!ref) continue;
        const res = readCertificates(ref.bytes, { file: `${k.path}: clusters[${c.name}]`, format: "pem" });
        res.certificates.forEach(
          (cert, i) => trustStore.push({ origin: `clusters[${c.name}].certificate-authority[${i}]`, record: cert.record })
        );
      }
      const obs = {
        target: target.id,
        source,
        collectedAt: ctx.now.toISOString(),
        status: "ok",
        error: null,
        certificates,
        trustStore,
        warnings: warnings.length ? warnings : void 0
      };
      return [obs];
    } catch (err) {
      return [failedObservation(target, ctx, source, err)];
    } finally {
      deadline.dispose();
    }
  }
};
export {
  kubeconfigCollector,
  parseKubeconfig
};
