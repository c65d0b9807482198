// Chain findings for one target: path validation against the inventory's anchors (and, when a
// target names no chainTo, the platform's public roots), then chain.* / expect.chainTo findings.
import { rootCertificates } from 'node:tls';
import type {
  CertRecord,
  ChainProblem,
  ChainResult,
  Finding,
  ObservedCert,
  SourceLocation,
} from '../core/model.js';
import type { Anchor, Target } from '../inventory/types.js';
import { makeFinding } from '../core/findings.js';
import { verifyChain, type TrustAnchor } from '../x509/verify/verify.js';
import { readCertificates } from '../x509/read.js';

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

export function buildAnchorSet(anchors: Map<string, Anchor>, parse: (a: Anchor) => CertRecord): AnchorSet {
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

export interface ChainEvaluation {
  chain: ChainResult | null;
  findings: Finding[];
}

const LEAF_TIME_CODES = new Set(['expired', 'not-yet-valid']);

/**
 * Evaluates the presented chain of a target. `strict` sources (endpoints, Kubernetes Secrets) must
 * send their intermediates themselves; for files the inventory's intermediate anchors may complete the path.
 */
export function evaluateChain(
  target: Target,
  presented: ObservedCert[],
  set: AnchorSet,
  now: Date,
  location: SourceLocation,
): ChainEvaluation {
  const leafObs = presented[0];
  if (!leafObs) return { chain: null, findings: [] };
  const leaf = leafObs.record;
  const strict = target.source.kind === 'endpoint' || target.source.kind === 'kubernetes';
  const chainTo = target.expect?.chainTo;
  const presentedRest = presented.slice(1).map((c) => c.record);
  const purpose = target.source.kind === 'endpoint' ? 'serverAuth' : null;
  const opts = { now, purpose };

  let anchors: TrustAnchor[];
  if (chainTo) {
    const rec = set.records.get(chainTo);
    if (!rec) return { chain: null, findings: [] }; // reference error, reported by validate
    anchors = [{ id: chainTo, record: rec }];
  } else {
    anchors = [...set.roots, ...(strict ? platformRoots() : [])];
  }
  // Report chain.untrusted only where trust is part of the expectation.
  const judgeTrust =
    Boolean(chainTo) || target.source.kind === 'endpoint' || (strict && set.roots.length > 0);
  if (anchors.length === 0) return { chain: null, findings: [] };

  const helpers = [...set.roots, ...set.intermediates].filter((a) => a.id !== chainTo).map((a) => a.record);
  const findings: Finding[] = [];
  const base = { target: target.id, location };

  let result = verifyChain(leaf, strict ? presentedRest : [...presentedRest, ...helpers], anchors, opts);
  let missing: CertRecord[] = [];
  if (!result.trusted && strict) {
    const second = verifyChain(leaf, [...presentedRest, ...helpers], anchors, opts);
    if (second.trusted) {
      const sent = new Set(presentedRest.map((r) => r.sha256));
      const anchorFp = new Set(anchors.map((a) => a.record.sha256));
      missing = helpers.filter(
        (h) => second.path.includes(h.sha256) && !sent.has(h.sha256) && !anchorFp.has(h.sha256),
      );
      result = second;
    }
  }
  const chain: ChainResult = {
    trusted: result.trusted,
    anchor: result.anchor,
    path: result.path,
    problems: [...result.problems],
  };

  for (const m of missing) {
    const p: ChainProblem = {
      code: 'incomplete',
      message: `intermediate ${m.subject.dn} was not sent`,
      certificate: m.sha256,
    };
    chain.problems.push(p);
    chain.trusted = false;
    findings.push(
      makeFinding({
        ...base,
        check: 'chain.incomplete',
        certificate: m.sha256,
        message: `the server does not send intermediate ${m.subject.dn}; clients without it cannot build a path`,
        remediation: { kind: 'manual', hint: 'configure the full chain (leaf, then intermediates)' },
      }),
    );
  }

  if (!result.trusted) {
    const expiredCas = result.problems.filter(
      (p) =>
        p.code === 'expired-ca' ||
        (LEAF_TIME_CODES.has(p.code) && p.certificate && p.certificate !== leaf.sha256),
    );
    const leafTimeOnly =
      result.problems.length > 0 &&
      result.problems.every((p) => LEAF_TIME_CODES.has(p.code) && p.certificate === leaf.sha256);
    for (const p of expiredCas) {
      findings.push(
        makeFinding({
          ...base,
          check: 'chain.expired-ca',
          certificate: p.certificate,
          message: p.message,
          remediation: { kind: 'manual' },
        }),
      );
    }
    if (!leafTimeOnly && expiredCas.length === 0 && judgeTrust) {
      if (chainTo) {
        const other = verifyChain(
          leaf,
          [...presentedRest, ...helpers],
          [...set.roots, ...set.intermediates].filter((a) => a.id !== chainTo),
          opts,
        );
        if (other.trusted) {
          findings.push(
            makeFinding({
              ...base,
              check: 'expect.chainTo',
              certificate: leaf.sha256,
              location: target.paths?.['expect.chainTo'] ?? location,
              message: `chains to anchor '${other.anchor}', not to '${chainTo}'`,
            }),
          );
          return { chain, findings };
        }
      }
      const why = result.problems.map((p) => p.message).join('; ') || 'no path to a trusted anchor';
      findings.push(
        makeFinding({
          ...base,
          check: 'chain.untrusted',
          certificate: leaf.sha256,
          message: `not trusted${chainTo ? ` by '${chainTo}'` : ''}: ${why}`,
        }),
      );
    }
  } else if (strict) {
    // Order and extras only matter for what a server sends.
    const onPath = result.path.slice(1);
    const sentOrder = presentedRest.map((r) => r.sha256).filter((fp) => onPath.includes(fp));
    const expectedOrder = onPath.filter((fp) => sentOrder.includes(fp));
    if (sentOrder.join() !== expectedOrder.join()) {
      findings.push(
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
        findings.push(
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
  }
  return { chain, findings };
}
