// Chain findings for one target: path validation against the inventory's anchors (and, when a
// target names no chainTo, the platform's public roots), then chain.* / expect.chainTo findings.
import { rootCertificates } from 'node:tls';
import type {
  CertRecord,
  ChainProblem,
  ChainResult,
  FetchedIssuer,
  Finding,
  ObservedCert,
  SourceLocation,
} from '../core/model.js';
import type { Anchor, Target } from '../inventory/types.js';
import { makeFinding } from '../core/findings.js';
import {
  verifyChain,
  type TrustAnchor,
  type VerifyOptions,
  type VerifyResult,
} from '../x509/verify/verify.js';
import { issuedBy } from '../x509/verify/signature.js';
import { readCertificates } from '../x509/read.js';
import { parseCertificate } from '../x509/parse.js';
import { caIssuersUrls, topOfPresented } from '../x509/aia.js';

/** Anchor records, split into roots (trust anchors) and intermediates (help for diagnosis). */
export interface AnchorSet {
  byId: Map<string, Anchor>;
  records: Map<string, CertRecord>; // anchor id -> record
  roots: TrustAnchor[];
  intermediates: TrustAnchor[];
}

let systemRoots: TrustAnchor[] | null = null;
/** Node's bundled public roots (Mozilla's list), parsed once, only when a target needs them. */
export function platformRoots(): TrustAnchor[] {
  if (!systemRoots) {
    systemRoots = [];
    for (const pem of rootCertificates) {
      try {
        for (const c of readCertificates(Buffer.from(pem), {
          file: 'node:tls.rootCertificates',
          format: 'pem',
        }).certificates) {
          systemRoots.push({ id: `system:${c.record.subject.CN ?? c.record.subject.dn}`, record: c.record });
        }
      } catch {
        // an unreadable platform root is simply not used
      }
    }
  }
  return systemRoots;
}

/** An inventory anchor's certificate, from the DER the inventory kept. */
function anchorRecord(a: Anchor): CertRecord {
  return parseCertificate(Buffer.from(a.der, 'base64'), a.file);
}

/** The inventory's anchors as records, once per evaluation, split into roots and intermediates. */
export function buildAnchorSet(
  anchors: Map<string, Anchor>,
  parse: (a: Anchor) => CertRecord = anchorRecord,
): AnchorSet {
  const records = new Map<string, CertRecord>();
  const roots: TrustAnchor[] = [];
  const intermediates: TrustAnchor[] = [];
  for (const a of anchors.values()) {
    const record = parse(a);
    records.set(a.id, record);
    (record.selfIssued ? roots : intermediates).push({ id: a.id, record });
  }
  return { byId: anchors, records, roots, intermediates };
}

/** Whether `leaf` was issued by the anchor: its issuer names the anchor, whose key verifies its signature. */
export function issuedByAnchor(leaf: CertRecord, anchor: CertRecord | undefined): boolean {
  return anchor !== undefined && issuedBy(leaf, anchor);
}

export interface ChainEvaluation {
  chain: ChainResult | null;
  findings: Finding[];
}

const LEAF_TIME_CODES = new Set(['expired', 'not-yet-valid']);

/** What the chain of one target is judged with: where trust comes from and who may help build a path. */
interface ChainJob {
  target: Target;
  leaf: CertRecord;
  presentedRest: CertRecord[];
  set: AnchorSet;
  /** Endpoints and Kubernetes Secrets must send their intermediates themselves. */
  strict: boolean;
  chainTo: string | undefined;
  anchors: TrustAnchor[];
  /** Inventory anchors other than chainTo, offered as intermediates. */
  helpers: CertRecord[];
  /** Report chain.untrusted only where trust is part of the expectation. */
  judgeTrust: boolean;
  opts: VerifyOptions;
  base: { target: string; location: SourceLocation };
}

function chainJob(
  target: Target,
  presented: ObservedCert[],
  set: AnchorSet,
  now: Date,
  location: SourceLocation,
): ChainJob | null {
  const leaf = presented[0]?.record;
  if (!leaf) return null;
  const strict = target.source.kind === 'endpoint' || target.source.kind === 'kubernetes';
  const chainTo = target.expect?.chainTo;
  let anchors: TrustAnchor[];
  if (chainTo) {
    const rec = set.records.get(chainTo);
    if (!rec) return null; // reference error, reported by validate
    anchors = [{ id: chainTo, record: rec }];
  } else {
    anchors = [...set.roots, ...(strict ? platformRoots() : [])];
  }
  if (anchors.length === 0) return null;
  return {
    target,
    leaf,
    presentedRest: presented.slice(1).map((c) => c.record),
    set,
    strict,
    chainTo,
    anchors,
    helpers: [...set.roots, ...set.intermediates].filter((a) => a.id !== chainTo).map((a) => a.record),
    judgeTrust: Boolean(chainTo) || target.source.kind === 'endpoint' || (strict && set.roots.length > 0),
    opts: { now, purpose: target.source.kind === 'endpoint' ? 'serverAuth' : null },
    base: { target: target.id, location },
  };
}

/**
 * Verifies as the source presents it; a strict source that fails is tried again with the
 * inventory's intermediates, and those it needed but did not send are `missing`.
 */
function verifyPresented(job: ChainJob): { result: VerifyResult; missing: CertRecord[] } {
  const { leaf, presentedRest, helpers, anchors, opts, strict } = job;
  const result = verifyChain(leaf, strict ? presentedRest : [...presentedRest, ...helpers], anchors, opts);
  if (result.trusted || !strict) return { result, missing: [] };
  const second = verifyChain(leaf, [...presentedRest, ...helpers], anchors, opts);
  if (!second.trusted) return { result, missing: [] };
  const sent = new Set(presentedRest.map((r) => r.sha256));
  const anchorFp = new Set(anchors.map((a) => a.record.sha256));
  const missing = helpers.filter(
    (h) => second.path.includes(h.sha256) && !sent.has(h.sha256) && !anchorFp.has(h.sha256),
  );
  return { result: second, missing };
}

/** chain.incomplete for each intermediate the source should have sent (also recorded on the chain). */
function incompleteFindings(job: ChainJob, missing: CertRecord[], chain: ChainResult): Finding[] {
  const out: Finding[] = [];
  for (const m of missing) {
    const p: ChainProblem = {
      code: 'incomplete',
      message: `intermediate ${m.subject.dn} was not sent`,
      certificate: m.sha256,
    };
    chain.problems.push(p);
    chain.trusted = false;
    out.push(
      makeFinding({
        ...job.base,
        check: 'chain.incomplete',
        certificate: m.sha256,
        message: `the server does not send intermediate ${m.subject.dn}; clients without it cannot build a path`,
        remediation: { kind: 'manual', hint: 'configure the full chain (leaf, then intermediates)' },
      }),
    );
  }
  return out;
}

/**
 * An untrusted chain: chain.expired-ca for expired CAs, chain.not-yet-valid-ca for CAs not valid
 * yet, else expect.chainTo or chain.untrusted.
 */
function untrustedFindings(job: ChainJob, result: VerifyResult): Finding[] {
  const { leaf, chainTo, base, set } = job;
  const out: Finding[] = [];
  const expiredCas = result.problems.filter(
    (p) =>
      p.code === 'expired-ca' ||
      (LEAF_TIME_CODES.has(p.code) && p.certificate && p.certificate !== leaf.sha256),
  );
  const leafTimeOnly =
    result.problems.length > 0 &&
    result.problems.every((p) => LEAF_TIME_CODES.has(p.code) && p.certificate === leaf.sha256);
  for (const p of expiredCas) {
    out.push(
      makeFinding({
        ...base,
        // a CA that is not valid yet has not expired: it gets its own name
        check: p.code === 'not-yet-valid' ? 'chain.not-yet-valid-ca' : 'chain.expired-ca',
        certificate: p.certificate,
        message: p.message,
        remediation: { kind: 'manual' },
      }),
    );
  }
  if (leafTimeOnly || expiredCas.length > 0 || !job.judgeTrust) return out;
  if (chainTo) {
    const other = verifyChain(
      leaf,
      [...job.presentedRest, ...job.helpers],
      [...set.roots, ...set.intermediates].filter((a) => a.id !== chainTo),
      job.opts,
    );
    if (other.trusted) {
      out.push(
        makeFinding({
          ...base,
          check: 'expect.chainTo',
          certificate: leaf.sha256,
          location: job.target.paths?.['expect.chainTo'] ?? base.location,
          message: `chains to anchor '${other.anchor}', not to '${chainTo}'`,
        }),
      );
      return out;
    }
  }
  const why = result.problems.map((p) => p.message).join('; ') || 'no path to a trusted anchor';
  out.push(
    makeFinding({
      ...base,
      check: 'chain.untrusted',
      certificate: leaf.sha256,
      message: `not trusted${chainTo ? ` by '${chainTo}'` : ''}: ${why}`,
    }),
  );
  return out;
}

/** What a server sends, on a trusted path: intermediates in issuing order, nothing off the path. */
function servedChainFindings(job: ChainJob, result: VerifyResult, chain: ChainResult): Finding[] {
  const { leaf, presentedRest, base } = job;
  const out: Finding[] = [];
  const onPath = result.path.slice(1);
  const sentOrder = presentedRest.map((r) => r.sha256).filter((fp) => onPath.includes(fp));
  const expectedOrder = onPath.filter((fp) => sentOrder.includes(fp));
  if (sentOrder.join() !== expectedOrder.join()) {
    out.push(
      makeFinding({
        ...base,
        check: 'chain.order',
        certificate: leaf.sha256,
        message: 'intermediates are not sent in issuing order (leaf, then its issuer, …)',
      }),
    );
    chain.problems.push({ code: 'order', message: 'intermediates out of order', certificate: null });
  }
  const anchorFp = result.path[result.path.length - 1];
  for (const r of presentedRest) {
    if (!result.path.includes(r.sha256) && r.sha256 !== anchorFp) {
      out.push(
        makeFinding({
          ...base,
          check: 'chain.extra',
          certificate: r.sha256,
          message: `sends ${r.subject.dn}, which is not part of the path to '${result.anchor}'`,
        }),
      );
      chain.problems.push({
        code: 'extra',
        message: `unneeded certificate ${r.subject.dn}`,
        certificate: r.sha256,
      });
    }
  }
  return out;
}

/** A CA certificate's key identifier as people compare them: colon-separated hex. */
function keyId(hex: string | null): string {
  return hex ? (hex.match(/../g) ?? []).join(':') : 'none';
}

/**
 * The issuer the source should have sent and did not: the top of what it presents is not
 * self-issued, its issuer is not presented, and it is not a trust anchor. Completed through the
 * issuer fetched from the top's caIssuers URL when collection fetched one (`fetched`). Returns null
 * when there is no such gap, or when the trust verdict says it better: the top is a CA whose issuer
 * is unknown (servers rightly leave out their root) or what was fetched is a root.
 */
function missingIssuer(
  job: ChainJob,
  fetched: readonly FetchedIssuer[],
): { chain: ChainResult; findings: Finding[] } | null {
  const { leaf, base } = job;
  const top = topOfPresented([leaf, ...job.presentedRest]);
  if (!top || top.selfIssued || job.anchors.some((a) => a.record.subject.dn === top.issuer.dn)) return null;
  const tries = fetched.filter((f) => f.for === top.sha256);
  const found = tries
    .flatMap((f) => f.certificates.map((c) => ({ record: c.record, url: f.url })))
    .find((c) => issuedBy(top, c.record));
  if (found?.record.selfIssued) return null; // a root, not sent as it should not be: a trust matter
  if (!found && top.sha256 !== leaf.sha256) return null;
  const issuer = found?.record;
  const name = issuer?.subject.dn ?? top.issuer.dn;
  const aki = keyId(top.authorityKeyId);
  let message = `the server does not send the issuer of ${top.subject.dn}: ${name} (authority key id ${aki}); clients without it cannot build a path`;
  let hint = `send the intermediate ${name} after the certificate`;
  const out: Finding[] = [];
  let completed: VerifyResult | null = null;
  if (found && issuer) {
    completed = verifyChain(leaf, [...job.presentedRest, ...job.helpers, issuer], job.anchors, job.opts);
    message += ` (fetched from its caIssuers URL ${found.url})`;
    if (completed.trusted)
      hint = `send the intermediate ${name}; with it the chain is trusted by '${completed.anchor}'`;
  } else {
    const urls = caIssuersUrls(Buffer.from(top.der, 'base64'));
    const why = tries.map((t) => `${t.url}: ${t.error ?? 'no issuing certificate'}`).join('; ');
    message +=
      urls.length === 0
        ? ' (its certificate names no caIssuers URL)'
        : why
          ? ` (caIssuers: ${why})`
          : ` (caIssuers ${urls[0]} not fetched in this run)`;
  }
  const problem: ChainProblem = {
    code: 'incomplete',
    message: `issuer ${name} was not sent`,
    certificate: issuer?.sha256 ?? null,
  };
  out.push(
    makeFinding({
      ...base,
      check: 'chain.incomplete',
      certificate: issuer?.sha256 ?? top.sha256,
      key: issuer ? null : `${top.sha256}\u0000${name}`,
      message,
      remediation: { kind: 'manual', hint },
    }),
  );
  const chain: ChainResult = {
    trusted: false,
    anchor: completed?.trusted ? completed.anchor : null,
    path: completed?.path ?? [],
    problems: [problem, ...(completed && !completed.trusted ? completed.problems : [])],
  };
  // Even with the intermediate the path fails: that is a second defect, said as usual.
  if (completed && !completed.trusted) out.push(...untrustedFindings(job, completed));
  return { chain, findings: out };
}

/**
 * Evaluates the presented chain of a target. `strict` sources (endpoints, Kubernetes Secrets) must
 * send their intermediates themselves; for files the inventory's intermediate anchors may complete
 * the path. `fetched`: issuers collection fetched from caIssuers URLs (observation.issuers).
 */
export function evaluateChain(
  target: Target,
  presented: ObservedCert[],
  set: AnchorSet,
  now: Date,
  location: SourceLocation,
  fetched: readonly FetchedIssuer[] = [],
): ChainEvaluation {
  const job = chainJob(target, presented, set, now, location);
  if (!job) return { chain: null, findings: [] };
  const { result, missing } = verifyPresented(job);
  if (!result.trusted && job.strict && job.judgeTrust && missing.length === 0) {
    const gap = missingIssuer(job, fetched);
    if (gap) return gap;
  }
  const chain: ChainResult = {
    trusted: result.trusted,
    anchor: result.anchor,
    path: result.path,
    problems: [...result.problems],
  };
  const findings = incompleteFindings(job, missing, chain);
  // Order and extras only matter for what a server sends.
  if (!result.trusted) findings.push(...untrustedFindings(job, result));
  else if (job.strict) findings.push(...servedChainFindings(job, result, chain));
  return { chain, findings };
}
