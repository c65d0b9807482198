// The revocation stage: for every certificate of a target's path except the trust anchor, ask
// where the certificate says (a stapled response first, then its OCSP responders, then its CRL
// distribution points) and keep the first answer that verifies and is current. It runs where the
// network reaches (beside collection, so a zone's runner fetches) and records plain data on the
// observation; findings are made from that data later (findings.ts), wherever evaluation runs.
import type { CertRecord, ObservedRevocation, RevocationCheck, StapleCheck } from '../../core/model.js';
import type { HttpFetcher } from '../../sources/http/types.js';
import { factsFor, type CertFacts } from '../../x509/verify/facts.js';
import { verifyChain, type TrustAnchor } from '../../x509/verify/verify.js';
import { revocationPointers, type RevocationPointers } from '../../x509/revocation/pointers.js';
import { MAX_OCSP_RESPONSE_BYTES, ocspRequest, verifyOcspResponse } from '../../x509/revocation/ocsp.js';
import { MAX_CRL_BYTES, CrlError, checkCrl, parseCrl, type Crl } from '../../x509/revocation/crl.js';
import { DEFAULT_SKEW_MS, isStale, type RevocationAnswer } from '../../x509/revocation/types.js';
import { parseHttpUrl, showUrl } from '../../sources/http/url.js';
import { fetchingOff } from '../../sources/http/offline.js';

/** One certificate of a built path; `anchor` marks the trust anchor that ends it. */
export interface PathCert {
  record: CertRecord;
  anchor: boolean;
}

/**
 * The path whose certificates are checked: the one path validation builds from the presented
 * certificates (plus helper intermediates) to the anchors, or as far as it gets when none is
 * trusted (a certificate whose issuer was not found cannot have an answer verified).
 */
export function revocationPath(
  presented: CertRecord[],
  anchors: TrustAnchor[],
  helpers: CertRecord[],
  now: Date,
): PathCert[] {
  const leaf = presented[0];
  if (!leaf) return [];
  const rest = [...presented.slice(1), ...helpers];
  const result = verifyChain(leaf, rest, anchors, { now });
  const bySha = new Map<string, CertRecord>();
  for (const r of [leaf, ...rest]) bySha.set(r.sha256, r);
  const anchorSha = new Set<string>();
  for (const a of anchors) {
    bySha.set(a.record.sha256, a.record);
    anchorSha.add(a.record.sha256);
  }
  const path: PathCert[] = [];
  for (const sha of result.path.length ? result.path : [leaf.sha256]) {
    const record = bySha.get(sha);
    if (!record) break;
    path.push({ record, anchor: anchorSha.has(sha) && path.length > 0 });
  }
  return path;
}

export interface RevocationStageOptions {
  fetcher: HttpFetcher;
  now: Date;
  /** Time one target's checks may take, ms (the source's deadline). */
  timeoutMs: number;
  skewMs?: number;
}

type Fetched = Omit<RevocationCheck, 'certificate' | 'mustStaple'>;
type CrlFetch = { crl: Crl } | { problem: string };

/** Reasons worth stopping for: a revoked answer is final whatever its age. */
function isFinal(a: RevocationAnswer, now: number, skewMs: number): boolean {
  return a.status === 'revoked' || (a.status === 'good' && !isStale(a, now, skewMs));
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

const isHttp = (url: string): boolean => parseHttpUrl(url) !== null;

/** One run's revocation checking: fetched answers and CRLs are shared by every target. */
export class RevocationStage {
  private readonly answers = new Map<string, Promise<Fetched>>();
  private readonly crls = new Map<string, Promise<CrlFetch>>();
  private readonly skewMs: number;
  private readonly nowMs: number;
  private readonly checkedAt: string;

  constructor(private readonly opts: RevocationStageOptions) {
    this.skewMs = opts.skewMs ?? DEFAULT_SKEW_MS;
    this.nowMs = opts.now.getTime();
    this.checkedAt = opts.now.toISOString();
  }

  /** The evaluation time the stage judges answers at. */
  get now(): Date {
    return this.opts.now;
  }

  /** Checks a path (leaf first). `staple` is the OCSP response a TLS server stapled for the leaf. */
  async checkPath(path: PathCert[], staple: Buffer | null): Promise<ObservedRevocation> {
    const deadline = Date.now() + this.opts.timeoutMs;
    const jobs: Array<Promise<RevocationCheck>> = [];
    let stapleCheck: StapleCheck | null = null;
    for (let i = 0; i < path.length; i++) {
      const node = path[i]!;
      if (node.anchor) break;
      const issuer = path[i + 1]?.record ?? null;
      // A self-issued certificate at the end of the path (a root, or a self-signed leaf) has nothing
      // above it that could revoke it.
      if (!issuer && node.record.selfIssued) break;
      const facts = factsFor(node.record);
      const pointers = revocationPointers(facts);
      const issuerFacts = issuer ? factsFor(issuer) : null;
      if (i === 0 && staple) stapleCheck = this.checkStaple(staple, facts, issuerFacts);
      jobs.push(
        this.checkOne(node.record, facts, issuerFacts, pointers, i === 0 ? stapleCheck : null, deadline),
      );
    }
    return { checkedAt: this.checkedAt, checks: await Promise.all(jobs), staple: stapleCheck };
  }

  private checkStaple(der: Buffer, cert: CertFacts, issuer: CertFacts | null): StapleCheck {
    const none = {
      status: 'unknown' as const,
      thisUpdate: null,
      nextUpdate: null,
      reason: null,
      revokedAt: null,
    };
    if (!issuer)
      return {
        ...none,
        problem: "the leaf's issuer is not known, so the stapled response cannot be verified",
      };
    const v = verifyOcspResponse(der, { cert, issuer, now: this.nowMs, skewMs: this.skewMs });
    if (!v.ok) return { ...none, problem: v.problem };
    const a = v.answer;
    return {
      status: a.status,
      thisUpdate: iso(a.thisUpdate),
      nextUpdate: iso(a.nextUpdate),
      reason: a.reason,
      revokedAt: iso(a.revokedAt),
      problem:
        a.status === 'unknown'
          ? 'the stapled response says the responder does not know the certificate'
          : null,
    };
  }

  private async checkOne(
    record: CertRecord,
    cert: CertFacts,
    issuer: CertFacts | null,
    pointers: RevocationPointers,
    staple: StapleCheck | null,
    deadline: number,
  ): Promise<RevocationCheck> {
    const base = { certificate: record.sha256, mustStaple: pointers.mustStaple };
    const stapleAnswer = staple && !staple.problem ? staple : null;
    const stapleFinal =
      stapleAnswer &&
      (stapleAnswer.status === 'revoked' ||
        !isStale(
          { nextUpdate: stapleAnswer.nextUpdate ? Date.parse(stapleAnswer.nextUpdate) : null },
          this.nowMs,
          this.skewMs,
        ));
    const fromStaple = (problems: string[]): RevocationCheck => ({
      ...base,
      status: stapleAnswer!.status,
      source: 'staple',
      checkedAt: this.checkedAt,
      thisUpdate: stapleAnswer!.thisUpdate,
      nextUpdate: stapleAnswer!.nextUpdate,
      reason: stapleAnswer!.reason,
      revokedAt: stapleAnswer!.revokedAt,
      url: null,
      problems,
      unchecked: null,
    });
    if (stapleFinal) return fromStaple([]);
    const stapleProblems = staple?.problem ? [`stapled OCSP response: ${staple.problem}`] : [];
    const fetched = await this.fetched(record, cert, issuer, pointers, deadline);
    // A stale staple is still better than nothing fetched at all.
    if (stapleAnswer && (fetched.status === 'unknown' || fetched.unchecked))
      return fromStaple(fetched.problems);
    return { ...base, ...fetched, problems: [...stapleProblems, ...fetched.problems] };
  }

  /** The fetched status of a certificate, shared by every target whose path holds it. */
  private fetched(
    record: CertRecord,
    cert: CertFacts,
    issuer: CertFacts | null,
    pointers: RevocationPointers,
    deadline: number,
  ): Promise<Fetched> {
    const key = `${record.sha256}/${issuer?.sha256 ?? ''}`;
    let p = this.answers.get(key);
    if (!p) {
      p = this.ask(cert, issuer, pointers, deadline);
      this.answers.set(key, p);
    }
    return this.within(p, deadline);
  }

  private unknown(problems: string[], unchecked: Fetched['unchecked'] = null): Fetched {
    return {
      status: 'unknown',
      source: null,
      checkedAt: this.checkedAt,
      thisUpdate: null,
      nextUpdate: null,
      reason: null,
      revokedAt: null,
      url: null,
      problems,
      unchecked,
    };
  }

  private within(p: Promise<Fetched>, deadline: number): Promise<Fetched> {
    const left = deadline - Date.now();
    return new Promise((resolve) => {
      const t = setTimeout(
        () => resolve(this.unknown([`no answer within the ${this.opts.timeoutMs} ms deadline`])),
        Math.max(0, left),
      );
      void p.then((r) => {
        clearTimeout(t);
        resolve(r);
      });
    });
  }

  private async ask(
    cert: CertFacts,
    issuer: CertFacts | null,
    pointers: RevocationPointers,
    deadline: number,
  ): Promise<Fetched> {
    const named = pointers.ocsp.length + pointers.crl.length + pointers.other.length;
    if (named === 0) {
      return this.unknown(
        [...pointers.problems, 'the certificate names no OCSP responder and no CRL distribution point'],
        'no-source',
      );
    }
    if (!issuer)
      return this.unknown(
        [
          ...pointers.problems,
          "the certificate's issuer is not known, so no answer about it can be verified",
        ],
        'no-issuer',
      );
    const fetchable = [...pointers.ocsp, ...pointers.crl].filter(isHttp);
    if (this.opts.fetcher.offline && fetchable.length)
      return this.unknown([fetchingOff(this.opts.fetcher.offlineReason)], 'offline');
    const problems = [...pointers.problems, ...pointers.other.map((o) => `${o}: not fetched`)];
    let fallback: Fetched | null = null;
    const consider = (a: RevocationAnswer, source: 'ocsp' | 'crl', url: string): Fetched | null => {
      const f: Fetched = {
        status: a.status,
        source,
        checkedAt: this.checkedAt,
        thisUpdate: iso(a.thisUpdate),
        nextUpdate: iso(a.nextUpdate),
        reason: a.reason,
        revokedAt: iso(a.revokedAt),
        url,
        problems,
        unchecked: null,
      };
      if (isFinal(a, this.nowMs, this.skewMs)) return f;
      fallback ??= f;
      return null;
    };
    for (const url of pointers.ocsp) {
      const where = `OCSP responder ${showUrl(url)}`;
      if (!isHttp(url)) {
        problems.push(`${where} is not an http or https URL: not fetched`);
        continue;
      }
      const r = await this.opts.fetcher.ocsp(url, ocspRequest(cert, issuer), {
        maxBytes: MAX_OCSP_RESPONSE_BYTES,
        deadline,
      });
      if (!r.ok) {
        problems.push(`${where}: ${r.message}`);
        continue;
      }
      const v = verifyOcspResponse(r.body, { cert, issuer, now: this.nowMs, skewMs: this.skewMs });
      if (!v.ok) {
        problems.push(`${where}: ${v.problem}`);
        continue;
      }
      if (v.answer.status === 'unknown') {
        problems.push(`${where} does not know this certificate (status unknown)`);
        continue;
      }
      const done = consider(v.answer, 'ocsp', url);
      if (done) return done;
      problems.push(`${where}: the response is past its nextUpdate`);
    }
    for (const url of pointers.crl) {
      const where = `CRL ${showUrl(url)}`;
      if (!isHttp(url)) {
        problems.push(`${where} is not an http or https URL: not fetched`);
        continue;
      }
      const got = await this.crl(url, deadline);
      if ('problem' in got) {
        problems.push(`${where}: ${got.problem}`);
        continue;
      }
      const v = checkCrl(got.crl, {
        cert,
        issuer,
        now: this.nowMs,
        skewMs: this.skewMs,
        distributionPoints: pointers.crl,
      });
      if (!v.ok) {
        problems.push(`${where}: ${v.problem}`);
        continue;
      }
      const done = consider(v.answer, 'crl', url);
      if (done) return done;
      problems.push(`${where}: the CRL is past its nextUpdate`);
    }
    return fallback ?? this.unknown(problems);
  }

  /** A CRL fetched and parsed once per URL per run. */
  private crl(url: string, deadline: number): Promise<CrlFetch> {
    let p = this.crls.get(url);
    if (!p) {
      p = this.opts.fetcher
        .fetch({ url, maxBytes: MAX_CRL_BYTES, deadline, accept: 'application/pkix-crl' })
        .then((r): CrlFetch => {
          if (!r.ok) return { problem: r.message };
          try {
            return { crl: parseCrl(r.body) };
          } catch (e) {
            return {
              problem: e instanceof CrlError ? e.message : `not a readable CRL (${(e as Error).message})`,
            };
          }
        });
      this.crls.set(url, p);
    }
    return p;
  }
}
