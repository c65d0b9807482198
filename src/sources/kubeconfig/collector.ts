// `kubeconfig` targets: each user's client certificate (client-certificate-data or a file) is the
// target's certificate; each cluster's certificate-authority(-data) is read as a trust store.
// client-key / client-key-data are never read.
import path from 'node:path';
import type { Observation, ObservedCert } from '../../core/model.js';
import type { Collector } from '../types.js';
import { readCertificates, pemBlocks } from '../../x509/read.js';
import { parseCertificate } from '../../x509/parse.js';
import type { CertRecord } from '../../core/model.js';
import { failedObservation } from '../read-failure.js';
import { ParseError } from '../../core/errors.js';
import { startDeadline } from '../../core/deadline.js';
import { parseSecretYaml } from '../../core/input-errors.js';
import { safeRead, type SafeReadAsyncOptions } from '../../core/safe-read.js';

/** Aliases a kubeconfig may expand; real ones have none. */
const MAX_KUBECONFIG_ALIASES = 10;

interface KubeconfigDoc {
  clusters?: { name?: string; cluster?: Record<string, unknown> }[];
  users?: { name?: string; user?: Record<string, unknown> }[];
}

async function readRef(
  dir: string,
  data: unknown,
  file: unknown,
  label: string,
  read: Omit<SafeReadAsyncOptions, 'kind'>,
): Promise<{ bytes: Buffer; name: string } | null> {
  if (typeof data === 'string' && data.trim()) return { bytes: Buffer.from(data, 'base64'), name: label };
  if (typeof file === 'string' && file.trim()) {
    const p = path.resolve(dir, file);
    // A certificate file: a FIFO, /dev/zero or a huge file is refused, within the source's deadline.
    return { bytes: await safeRead(p, { kind: 'certificate', ...read }), name: p };
  }
  return null;
}

/**
 * Parses a kubeconfig's YAML. It holds tokens, passwords and keys: a problem is reported by line,
 * column and kind only (the parser's own message carries a code frame of the document).
 */
export function parseKubeconfig(text: string, file: string): KubeconfigDoc {
  const r = parseSecretYaml(text, file, MAX_KUBECONFIG_ALIASES);
  if (!r.ok) {
    const at = r.problem.location;
    throw new ParseError('yaml', at ? `${at.file}:${at.line}:${at.column}` : file, r.problem.message);
  }
  return (r.data ?? {}) as KubeconfigDoc;
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
    // One deadline for the kubeconfig and every file it names.
    const deadline = startDeadline(ctx.timeoutMs, ctx.signal);
    const read = { timeoutMs: ctx.timeoutMs, signal: deadline.signal };
    try {
      const text = (await safeRead(k.path, { kind: 'kubeconfig', ...read })).toString('utf8');
      const doc = parseKubeconfig(text, k.path);
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
          read,
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
          read,
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
    } finally {
      deadline.dispose();
    }
  },
};
