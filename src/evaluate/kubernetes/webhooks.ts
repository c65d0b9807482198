// Pairs each webhook (and APIService) caBundle with the serving certificate of the Service it calls,
// when that certificate is a Secret among the observations (a declared target by default): the
// evaluation then checks that the serving chain verifies against the bundle (`chain.untrusted` on
// the webhook target otherwise). Matching is by the Service's DNS names in the leaf's SANs.
import type { Finding, Observation, ObservedCert, SourceLocation } from '../../core/model.js';
import { makeFinding } from '../../core/findings.js';
import { verifyChain } from '../../x509/verify/verify.js';

export interface ServingPair {
  /** The webhook configuration's or APIService's observation target. */
  target: string;
  /** Webhook name (for APIService: its name). */
  webhook: string;
  service: { namespace: string; name: string };
  caBundle: ObservedCert[];
  /** The Secret observation whose leaf serves the Service. */
  servingTarget: string;
  serving: ObservedCert[];
}

/** DNS names a Service answers to inside the cluster. */
export function serviceDnsNames(namespace: string, name: string, clusterDomain = 'cluster.local'): string[] {
  return [`${name}.${namespace}.svc`, `${name}.${namespace}.svc.${clusterDomain}`, `${name}.${namespace}`];
}

function servicesOf(
  o: Observation,
): { webhook: string; service: { namespace: string; name: string }; caBundle: ObservedCert[] }[] {
  const d = o.details ?? {};
  const svc = (v: unknown) => {
    const s = v as { namespace?: unknown; name?: unknown } | null;
    return s && typeof s.namespace === 'string' && typeof s.name === 'string'
      ? { namespace: s.namespace, name: s.name }
      : null;
  };
  if (d.kind === 'APIService') {
    const service = svc(d.service);
    return service ? [{ webhook: String(d.name), service, caBundle: o.trustStore ?? [] }] : [];
  }
  if (d.kind !== 'ValidatingWebhookConfiguration' && d.kind !== 'MutatingWebhookConfiguration') return [];
  const out = [];
  for (const w of (d.webhooks as { name: string; service: unknown }[] | undefined) ?? []) {
    const service = svc(w.service);
    if (!service) continue;
    const prefix = `webhooks[${w.name}].caBundle[`;
    out.push({
      webhook: w.name,
      service,
      caBundle: (o.trustStore ?? []).filter((c) => c.origin.startsWith(prefix)),
    });
  }
  return out;
}

/**
 * Whether an observation can take part in a pair (a webhook configuration or APIService with a
 * Service, or a Secret with certificates): the evaluator keeps only these until finish().
 */
export function pairable(o: Observation, opts: { includeDiscovered?: boolean } = {}): boolean {
  if (o.status !== 'ok') return false;
  if (o.source.objectKind === 'Secret')
    return (
      (o.source.kind === 'kubernetes' || (opts.includeDiscovered === true && o.source.kind === 'discover')) &&
      o.certificates.length > 0
    );
  return servicesOf(o).length > 0;
}

/** Every (caBundle, serving Secret) pair found among the observations. */
export function webhookServingPairs(
  observations: readonly Observation[],
  opts: { includeDiscovered?: boolean; clusterDomain?: string } = {},
): ServingPair[] {
  const secrets = observations.filter(
    (o) =>
      o.status === 'ok' &&
      o.source.objectKind === 'Secret' &&
      (o.source.kind === 'kubernetes' || (opts.includeDiscovered && o.source.kind === 'discover')) &&
      o.certificates.length > 0,
  );
  const out: ServingPair[] = [];
  for (const o of observations) {
    if (o.status !== 'ok') continue;
    for (const s of servicesOf(o)) {
      const names = new Set(serviceDnsNames(s.service.namespace, s.service.name, opts.clusterDomain));
      for (const sec of secrets) {
        if (sec.source.cluster !== o.source.cluster || sec.source.namespace !== s.service.namespace) continue;
        const leaf = sec.certificates[0]?.record;
        if (!leaf || !leaf.dnsNames.some((n) => names.has(n.toLowerCase()))) continue;
        out.push({
          target: o.target,
          webhook: s.webhook,
          service: s.service,
          caBundle: s.caBundle,
          servingTarget: sec.target,
          serving: sec.certificates,
        });
      }
    }
  }
  return out;
}

/**
 * `chain.untrusted` on each webhook whose caBundle does not trust the declared Secret serving its
 * Service. `locate` gives the inventory location of an observation's target.
 */
export function webhookTrustFindings(
  observations: readonly Observation[],
  locate: (target: string) => SourceLocation | null,
  now: Date,
): Finding[] {
  const out: Finding[] = [];
  for (const pair of webhookServingPairs(observations)) {
    const leaf = pair.serving[0]?.record;
    if (!leaf) continue;
    const anchors = pair.caBundle.map((c, i) => ({ id: `${pair.target} caBundle[${i}]`, record: c.record }));
    const v = verifyChain(
      leaf,
      pair.serving.slice(1).map((c) => c.record),
      anchors,
      { now },
    );
    if (v.trusted) continue;
    out.push(
      makeFinding({
        target: pair.target,
        check: 'chain.untrusted',
        certificate: leaf.sha256,
        location: locate(pair.target),
        message: `caBundle of webhook ${pair.webhook} does not trust the certificate served by ${pair.servingTarget} for service ${pair.service.namespace}/${pair.service.name}: ${v.problems.map((p) => p.message).join('; ') || 'no path'}`,
      }),
    );
  }
  return out;
}
