// Revocation checking beside collection: as each target's observations come in, the certificates
// of its path are checked (revocation stage, check.ts) and the results recorded on the observation.
// It runs where collection runs, so a zone's runner does the fetching where the network reaches.
import type { CertRecord, Observation } from '../../core/model.js';
import type { LoadedInventory, Target } from '../../inventory/types.js';
import type { HttpFetcher } from '../../sources/http/types.js';
import { EXTENSION_OIDS } from '../../x509/oids.js';
import { factsFor } from '../../x509/verify/facts.js';
import { TLS_FEATURE_OID } from '../../x509/revocation/pointers.js';
import { buildAnchorSet, platformRoots, type AnchorSet } from '../trust.js';
import { RevocationStage, revocationPath } from './check.js';
import { Gate } from '../../core/limit.js';

export interface RevocationObserverOptions {
  fetcher: HttpFetcher;
  now: Date;
  /** The source's deadline: the time one target's revocation checks may take, ms. */
  timeoutMs: number;
  /** Targets whose checks run at once (default 32); fetches are bounded by the fetcher too. */
  concurrency?: number;
}

/** Whether a certificate says anything about revocation: a responder, a CRL or must-staple. */
function namesASource(record: CertRecord): boolean {
  const f = factsFor(record);
  return (
    f.extensions.has(EXTENSION_OIDS.authorityInfoAccess) ||
    f.extensions.has(EXTENSION_OIDS.crlDistributionPoints) ||
    f.extensions.has(TLS_FEATURE_OID)
  );
}

/** Adds revocation results to observations, one target at a time within a bounded number at once. */
export class RevocationObserver {
  private readonly stage: RevocationStage;
  private anchorSet: AnchorSet | null = null;
  private readonly gate: Gate;

  constructor(
    private readonly inventory: LoadedInventory,
    opts: RevocationObserverOptions,
  ) {
    this.stage = new RevocationStage({ fetcher: opts.fetcher, now: opts.now, timeoutMs: opts.timeoutMs });
    this.gate = new Gate(Math.max(1, opts.concurrency ?? 32));
  }

  /** `list` with revocation results on each observation of a path that `target`'s mode asks to check. */
  async observe(target: Target, list: Observation[]): Promise<Observation[]> {
    const mode = target.revocation?.mode ?? 'soft';
    if (mode === 'off' || target.trustStore) return list;
    const wanted = list.filter(
      (o) =>
        o.status === 'ok' &&
        o.certificates.length > 0 &&
        (mode === 'hard' || o.tls?.ocspStaple || o.certificates.some((c) => namesASource(c.record))),
    );
    if (wanted.length === 0) return list;
    // A target's deadline starts when its turn comes, not while others are being checked.
    await this.gate.enter();
    try {
      await Promise.all(wanted.map(async (o) => void (o.revocation = await this.check(target, o))));
    } finally {
      this.gate.leave();
    }
    return list;
  }

  private check(target: Target, obs: Observation): Promise<NonNullable<Observation['revocation']>> {
    this.anchorSet ??= buildAnchorSet(this.inventory.anchors);
    const set = this.anchorSet;
    // The anchors path validation uses for this target (evaluate/trust.ts): its chainTo, or the
    // inventory's roots, and the platform's for endpoints and Kubernetes objects.
    const chainTo = target.expect?.chainTo ? set.records.get(target.expect.chainTo) : undefined;
    const strict = target.source.kind === 'endpoint' || target.source.kind === 'kubernetes';
    const anchors = chainTo
      ? [{ id: target.expect!.chainTo!, record: chainTo }]
      : [...set.roots, ...(strict ? platformRoots() : [])];
    const helpers = [...set.roots, ...set.intermediates].map((a) => a.record);
    const path = revocationPath(
      obs.certificates.map((c) => c.record),
      anchors,
      helpers,
      this.stage.now,
    );
    const staple = obs.tls?.ocspStaple ? Buffer.from(obs.tls.ocspStaple, 'base64') : null;
    return this.stage.checkPath(path, staple);
  }
}
