// `endpoint` targets: a live TLS server. The probe is a service passed in (ctx.services.tlsProbe) so
// tests and other transports can hand in their own; by default the real probe from src/tls.
import { createHash } from 'node:crypto';
import type { CertRecord, Observation, ObservedCert } from '../../core/model.js';
import type { BatchOptions, Collector, CollectContext } from '../types.js';
import type { EndpointSource, Target } from '../../inventory/types.js';
import { parseCertificate } from '../../x509/parse.js';
import { probeEndpoint, type ProbeResult, type Prober } from './probe.js';
import { mapLimitReleasing } from '../../core/limit-releasing.js';
import { safeText } from '../../core/text.js';
import { stripUserinfo } from '../../core/input-errors.js';

/** Name under which a collector looks for an injected probe in CollectContext.services. */
export const TLS_PROBE_SERVICE = 'tlsProbe';

/** The source as it appears in reports: where we looked, and how. */
export function endpointSourceData(ep: EndpointSource): Observation['source'] {
  const source: Observation['source'] = { kind: 'endpoint', host: ep.host, port: ep.port };
  if (ep.serverName) source.serverName = ep.serverName;
  if (ep.starttls) source.starttls = ep.starttls;
  if (ep.via) source.via = stripUserinfo(ep.via); // reports never carry a proxy password
  return source;
}

// Thousands of endpoints send the same few intermediates: parse each distinct DER once per process.
// Records are plain data that later stages only read, so sharing them is safe. Bounded (FIFO).
const PARSE_CACHE_MAX = 1024;
const parseCache = new Map<string, CertRecord>();

function parseCached(der: Buffer, origin: string): CertRecord {
  const key = createHash('sha256').update(der).digest('base64');
  const hit = parseCache.get(key);
  if (hit) return hit;
  const rec = parseCertificate(der, origin);
  if (parseCache.size >= PARSE_CACHE_MAX) parseCache.delete(parseCache.keys().next().value as string);
  parseCache.set(key, rec);
  return rec;
}

/** Turns one probe result into the observation the rest of the pipeline reads. Pure. */
export function observationFromProbe(
  targetId: string,
  ep: EndpointSource,
  r: ProbeResult,
  collectedAt: string,
): Observation {
  const source = endpointSourceData(ep);
  if (r.address) source.address = r.address;
  if (!r.ok) {
    return {
      target: targetId,
      source,
      collectedAt,
      status: 'unreachable',
      error: { reason: r.error?.reason ?? 'protocol', message: r.error?.message ?? 'unknown failure' },
      certificates: [],
      trustStore: null,
      details: { attempts: r.attempts, elapsedMs: r.elapsedMs },
    };
  }
  const certificates: ObservedCert[] = [];
  const warnings = [...r.notes];
  r.chain.forEach((der, i) => {
    const origin = `presented[${i}]`;
    try {
      certificates.push({ origin, record: parseCached(der, origin) });
    } catch (e) {
      warnings.push(
        `${origin}: the server sent a certificate that cannot be parsed: ${safeText((e as Error).message)}`,
      );
    }
  });
  const obs: Observation = {
    target: targetId,
    source,
    collectedAt,
    status: 'ok',
    error: null,
    certificates,
    trustStore: null,
    tls: {
      protocol: r.protocol,
      cipher: r.cipher,
      clientCertRequested: r.clientCertRequested,
      chainMethod: r.chainMethod ?? 'peer-certificate',
      ...(r.ocspResponse ? { ocspStaple: r.ocspResponse.toString('base64') } : {}),
    },
    details: { attempts: r.attempts, elapsedMs: r.elapsedMs },
  };
  if (r.chain.length === 0) {
    obs.status = 'error';
    obs.error = {
      reason: 'protocol',
      message: 'the server completed a handshake without sending a certificate',
    };
  } else if (certificates.length === 0) {
    obs.status = 'error';
    obs.error = { reason: 'parse', message: 'no certificate the server sent could be parsed' };
  }
  if (warnings.length) obs.warnings = warnings;
  return obs;
}

/**
 * Probes endpoint targets: at most `concurrency` probes working, while probes that only wait
 * (tarpits, black holes: no byte from the server after stallMs) give their slot back and run out
 * their own deadline; at most 4 × concurrency sockets open. `each` gets every observation as it is in.
 */
function probeAll(
  targets: Target[],
  ctx: CollectContext,
  opts: BatchOptions & { stallMs?: number },
  each: (target: Target, obs: Observation) => void,
): Promise<Observation[]> {
  const probe = (ctx.services?.[TLS_PROBE_SERVICE] as Prober | undefined) ?? probeEndpoint;
  return mapLimitReleasing(
    targets,
    opts.concurrency,
    async (target, _i, release) => {
      if (target.source.kind !== 'endpoint')
        throw new Error(`endpoint collector given a ${target.source.kind} target`);
      const ep = target.source.endpoint;
      const r = await probe(ep, {
        timeoutMs: ctx.timeoutMs,
        signal: ctx.signal,
        onStall: release,
        stallMs: opts.stallMs,
      });
      const obs = observationFromProbe(target.id, ep, r, ctx.now.toISOString());
      each(target, obs);
      return obs;
    },
    { onDone: opts.onDone },
  );
}

export const endpointCollector: Collector = {
  kind: 'endpoint',
  async collect(target: Target, ctx: CollectContext): Promise<Observation[]> {
    if (target.source.kind !== 'endpoint')
      throw new Error(`endpoint collector given a ${target.source.kind} target`);
    const ep = target.source.endpoint;
    const probe = (ctx.services?.[TLS_PROBE_SERVICE] as Prober | undefined) ?? probeEndpoint;
    const r = await probe(ep, { timeoutMs: ctx.timeoutMs, signal: ctx.signal });
    return [observationFromProbe(target.id, ep, r, ctx.now.toISOString())];
  },
  async collectMany(targets, ctx, opts, sink) {
    await probeAll(targets, ctx, opts, (t, obs) => sink(t, [obs]));
  },
};

/** Collects many endpoint targets at once (see probeAll); results in input order. */
export function collectEndpoints(
  targets: Target[],
  ctx: CollectContext,
  opts: { concurrency: number; onDone?: (done: number, total: number) => void; stallMs?: number },
): Promise<Observation[]> {
  return probeAll(targets, ctx, opts, () => {});
}
