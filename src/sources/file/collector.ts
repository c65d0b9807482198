// `file` targets: a certificate, a chain, a bundle, or a PKCS#12/JKS store on disk.
import type { Observation } from '../../core/model.js';
import type { Collector, CollectContext } from '../types.js';
import type { Target } from '../../inventory/types.js';
import { readCertificateFile, readCertificatesAsync } from '../../x509/read.js';
import { ParseError } from '../../core/errors.js';
import { failedObservation } from '../read-failure.js';
import { startDeadline } from '../../core/deadline.js';

function emptyObservation(target: Target, ctx: CollectContext, source: Observation['source']): Observation {
  return {
    target: target.id,
    source,
    collectedAt: ctx.now.toISOString(),
    status: 'ok',
    error: null,
    certificates: [],
    trustStore: target.trustStore ? [] : null,
    warnings: ['the file is empty'],
  };
}

export const fileCollector: Collector = {
  kind: 'file',
  async collect(target, ctx) {
    if (target.source.kind !== 'file') throw new Error(`file collector given a ${target.source.kind} target`);
    const f = target.source.file;
    const source = { kind: 'file', path: f.path, format: f.format ?? 'auto' };
    // One deadline for reading and decoding: a keystore's key derivation stops with it too.
    const deadline = startDeadline(ctx.timeoutMs, ctx.signal);
    try {
      let password: string | undefined;
      if (f.passwordEnv) {
        password = ctx.env[f.passwordEnv];
        if (password === undefined) {
          return [
            failedObservation(
              target,
              ctx,
              source,
              new ParseError(
                'password',
                f.path,
                `environment variable ${f.passwordEnv} (passwordEnv) is not set`,
              ),
            ),
          ];
        }
      }
      // Stat first (no FIFO or device is ever opened), a size cap, and the source's deadline.
      const bytes = await readCertificateFile(f.path, { timeoutMs: ctx.timeoutMs, signal: deadline.signal });
      // An empty file holds no certificate: an ok observation that the pipeline reports as source.empty.
      if (bytes.length === 0) return [emptyObservation(target, ctx, source)];
      // Nodes keep a certificate and its key in one file (kubelet-client-current.pem, haproxy PEMs):
      // only the certificate blocks are read; key blocks stay undecoded and are noted in a warning.
      const res = await readCertificatesAsync(bytes, {
        file: f.path,
        format: f.format ?? 'auto',
        password,
        privateKeys: 'skip',
        signal: deadline.signal,
      });
      // A keystore or a CA bundle declared as a trust store holds anchors, not "its" certificate.
      const isStore = Boolean(target.trustStore) || res.format === 'jks';
      const obs: Observation = {
        target: target.id,
        source: { ...source, format: res.format },
        collectedAt: ctx.now.toISOString(),
        status: 'ok',
        error: null,
        certificates: isStore ? [] : res.certificates,
        trustStore: isStore ? res.certificates : null,
        warnings: res.warnings.length ? res.warnings : undefined,
      };
      return [obs];
    } catch (err) {
      return [failedObservation(target, ctx, source, err)];
    } finally {
      deadline.dispose();
    }
  },
};
