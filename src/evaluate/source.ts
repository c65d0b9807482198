// Findings about the source itself rather than its certificates: it could not be reached or read
// (source.unreachable, source.error), or it holds no certificate (source.empty).
import type { Finding, Observation } from '../core/model.js';
import type { Target } from '../inventory/types.js';
import { makeFinding } from '../core/findings.js';

/** source.unreachable or source.error for an observation that did not succeed. */
export function failedSourceFinding(target: Target, obs: Observation): Finding {
  const check = obs.status === 'unreachable' ? 'source.unreachable' : 'source.error';
  const reason = obs.error?.reason ?? 'unknown';
  // A discovery scope that cannot be listed (403 on one namespace or kind) is a warning; a declared target's is an error.
  const severity = obs.details?.severity === 'warning' ? 'warning' : undefined;
  return makeFinding({
    target: target.id,
    check,
    key: reason,
    severity,
    location: target.location,
    message:
      `${obs.status === 'unreachable' ? 'unreachable' : 'cannot be read'} (${reason}): ${obs.error?.message ?? ''}`.trim(),
    remediation: { kind: 'manual' },
  });
}

/** source.empty when a source that should hold certificates holds none. */
export function emptySourceFinding(target: Target, obs: Observation): Finding | null {
  const store = obs.trustStore;
  // Some objects legitimately hold no certificate yet (a pending CSR, a keystore read without its password).
  if (obs.certificates.length > 0 || (store && store.length > 0)) return null;
  if (obs.details?.certificatesExpected === false) return null;
  return makeFinding({
    target: target.id,
    check: 'source.empty',
    location: target.location,
    message: 'no certificate found at this source',
  });
}

/** The observation a target of this run gets when no source reported on it at all. */
export function notCollected(t: Target, now: Date): Observation {
  return {
    target: t.id,
    source: { kind: t.source.kind },
    collectedAt: now.toISOString(),
    status: 'unreachable',
    error: {
      reason: 'not-collected',
      message: `no observation for this target${t.zone ? ` (zone '${t.zone}')` : ''}: was it collected, with this inventory?`,
    },
    certificates: [],
    trustStore: null,
  };
}
