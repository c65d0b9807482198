// `kubeconfig` targets: each user's client certificate (client-certificate-data or a file) is the
// target's certificate; each cluster's certificate-authority(-data) is read as a trust store.
// client-key / client-key-data are never read.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import type { Observation, ObservedCert } from '../../core/model.js';
import type { Collector } from '../types.js';
import { readCertificates, pemBlocks } from '../../x509/read.js';
import { parseCertificate } from '../../x509/parse.js';
import type { CertRecord } from '../../core/model.js';
import { failedObservation } from '../read-failure.js';

interface KubeconfigDoc {
  clusters?: { name?: string; cluster?: Record<string, unknown> }[];
  users?: { name?: string; user?: Record<string, unknown> }[];
}

async function readRef(
  dir: string,
  data: unknown,
  file: unknown,
  label: string,
): Promise<{ bytes: Buffer; name: string } | null> {
  if (typeof data === 'string' && data.trim()) return { bytes: Buffer.from(data, 'base64'), name: label };
  if (typeof file === 'string' && file.trim()) {
    const p = path.resolve(dir, file);
    return { bytes: await readFile(p), name: p };
  }
  return null;
}

/**
 * The CERTIFICATE blocks of a client-certificate file. kubelet's kubeconfig points at
 * kubelet-client-current.pem, which holds the certificate and its key together: the key block is
 * skipped unread (pemBlocks never decodes it), only certificates are parsed.
 */
function clientCertificates(bytes: Buffer, file: string, warnings: string[]): CertRecord[] {
  const blocks = pemBlocks(bytes.toString('latin1'), file);
  const skipped = blocks.filter((b) => b.label !== 'CERTIFICATE').length;
  if (skipped)
    warnings.push(`${file}: ${skipped} non-certificate block(s) skipped (private keys are never read)`);
  return blocks
    .filter((b) => b.label === 'CERTIFICATE')
    .map((b, i) => parseCertificate(b.der, `${file}[${i}]`));
}

export const kubeconfigCollector: Collector = {
  kind: 'kubeconfig',
  async collect(target, ctx) {
    if (target.source.kind !== 'kubeconfig')
      throw new Error(`kubeconfig collector given a ${target.source.kind} target`);
    const k = target.source.kubeconfig;
    const source = { kind: 'kubeconfig', path: k.path, ...(k.user ? { user: k.user } : {}) };
    try {
      const text = await readFile(k.path, 'utf8');
      const doc = (parse(text, { uniqueKeys: true, maxAliasCount: 10 }) ?? {}) as KubeconfigDoc;
      const dir = path.dirname(k.path);
      const certificates: ObservedCert[] = [];
      const trustStore: ObservedCert[] = [];
      const warnings: string[] = [];
      for (const u of doc.users ?? []) {
        if (k.user && u.name !== k.user) continue;
        const user = u.user ?? {};
        const ref = await readRef(
          dir,
          user['client-certificate-data'],
          user['client-certificate'],
          `users[${u.name}].client-certificate`,
        );
        if (!ref) continue;
        const certs = clientCertificates(ref.bytes, `${k.path}: users[${u.name}]`, warnings);
        certs.forEach((record, i) =>
          certificates.push({
            origin: `users[${u.name}].client-certificate${certs.length > 1 ? `[${i}]` : ''}`,
            record,
          }),
        );
      }
      for (const c of doc.clusters ?? []) {
        const cluster = c.cluster ?? {};
        const ref = await readRef(
          dir,
          cluster['certificate-authority-data'],
          cluster['certificate-authority'],
          `clusters[${c.name}].certificate-authority`,
        );
        if (!ref) continue;
        const res = readCertificates(ref.bytes, { file: `${k.path}: clusters[${c.name}]`, format: 'pem' });
        res.certificates.forEach((cert, i) =>
          trustStore.push({ origin: `clusters[${c.name}].certificate-authority[${i}]`, record: cert.record }),
        );
      }
      const obs: Observation = {
        target: target.id,
        source,
        collectedAt: ctx.now.toISOString(),
        status: 'ok',
        error: null,
        certificates,
        trustStore,
        warnings: warnings.length ? warnings : undefined,
      };
      return [obs];
    } catch (err) {
      return [failedObservation(target, ctx, source, err)];
    }
  },
};
