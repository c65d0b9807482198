// `kubernetes` targets: one declared object in a cluster (Secret, ConfigMap, CSR, webhook
// configuration, APIService, cert-manager Certificate). Never throws for a source problem: a
// cluster whose kubeconfig is missing, unreadable or unsafe is a failed source on its targets.
import type { Observation } from '../../core/model.js';
import type { Collector } from '../types.js';
import { ParseError } from '../../core/errors.js';
import { resolveKind, KINDS } from './kinds.js';
import { extractObject } from './extract.js';
import { kubeFor, failureOf } from './services.js';
import { safeText } from '../../core/text.js';
import { startDeadline } from '../../core/deadline.js';

export const kubernetesCollector: Collector = {
  kind: 'kubernetes',
  async collect(target, ctx) {
    if (target.source.kind !== 'kubernetes')
      throw new Error(`kubernetes collector given a ${target.source.kind} target`);
    const src = target.source.kubernetes;
    const kind = resolveKind(src.kind, target.paths?.['kubernetes.kind'] ?? target.location);
    const namespace = KINDS[kind].namespaced ? (src.namespace ?? 'default') : null;
    const source: Observation['source'] = {
      kind: 'kubernetes',
      cluster: src.cluster,
      objectKind: kind,
      ...(namespace ? { namespace } : {}),
      name: src.name,
      ...(src.key ? { key: src.key } : {}),
      ...(src.format ? { format: src.format } : {}),
    };
    const where = `${kind} ${namespace ? `${namespace}/` : ''}${src.name} in cluster ${src.cluster}`;
    const base = { target: target.id, source, collectedAt: ctx.now.toISOString() };
    const deadline = startDeadline(ctx.timeoutMs, ctx.signal); // bounds a keystore's key derivation
    try {
      // A kubeconfig that cannot be used fails this source (source.error), not the run.
      const api = kubeFor(ctx)(src.cluster);
      let password: string | undefined;
      if (src.passwordEnv) {
        password = ctx.env[src.passwordEnv];
        if (password === undefined)
          throw new ParseError(
            'password',
            where,
            `environment variable ${src.passwordEnv} (passwordEnv) is not set`,
          );
      }
      // A key declared with a keystore format is a keystore whatever its name (a Secret key
      // `management-user` holding PKCS#12): kept whole for the keystore reader.
      const container = src.key && (src.format === 'pkcs12' || src.format === 'jks');
      const obj = await api.get(kind, namespace, src.name, {
        keep: src.key ? [src.key] : [],
        ...(container ? { containers: [src.key as string] } : {}),
      });
      if (!obj) {
        return [
          {
            ...base,
            status: 'error',
            error: { reason: 'not-found', message: `${safeText(where)} not found` },
            certificates: [],
            trustStore: null,
          },
        ];
      }
      const ex = await extractObject(obj, {
        key: src.key,
        format: src.format,
        password,
        role: target.trustStore ? 'trustStore' : undefined,
        signal: deadline.signal,
      });
      if (ex.missingKey) {
        const keys = (ex.details.keys as string[] | undefined) ?? [];
        return [
          {
            ...base,
            status: 'error',
            error: {
              reason: 'not-found',
              message: `${safeText(where)} has no certificate under key '${safeText(ex.missingKey)}'${keys.length ? ` (certificate keys: ${keys.map(safeText).join(', ')})` : ''}${src.format || /\.key$/i.test(ex.missingKey) ? '' : '; if it holds a keystore, declare format: pkcs12 or jks (and passwordEnv)'}`,
            },
            certificates: [],
            trustStore: null,
            details: ex.details,
          },
        ];
      }
      const warnings = [...ex.warnings];
      let certificates = ex.certificates;
      // A cert-manager Certificate's certificate lives in its Secret: read it from there.
      if (kind === 'Certificate' && typeof ex.details.secretName === 'string') {
        const sec = await api.get('Secret', namespace, ex.details.secretName);
        if (sec) certificates = (await extractObject(sec, {})).certificates;
        else
          warnings.push(
            `Secret ${namespace}/${ex.details.secretName} named by spec.secretName does not exist`,
          );
      }
      // A CSR not issued yet, neither denied nor failed, is the CSR audit's to judge (csr.pending,
      // csr.unissued): it is not also an empty source. A denied or failed one stays empty.
      const d = ex.details;
      const awaiting =
        kind === 'CertificateSigningRequest' && !d.issued && d.denied !== true && d.failed !== true;
      return [
        {
          ...base,
          status: 'ok',
          error: null,
          certificates,
          trustStore: ex.trustStore,
          details: awaiting ? { ...d, certificatesExpected: false } : d,
          ...(warnings.length ? { warnings } : {}),
        },
      ];
    } catch (e) {
      const f = failureOf(e);
      ctx.logger.debug(`${target.id}: ${f.error.message}`);
      return [{ ...base, ...f, certificates: [], trustStore: null }];
    } finally {
      deadline.dispose();
    }
  },
};
