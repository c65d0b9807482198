// Path building: from a leaf, through supplied intermediates in any order, to a trust anchor.
// Candidates are found by issuer/subject name (AKI/SKI only orders them), every edge is a
// verified signature, and the search backtracks over alternatives (cross-signs, re-issued CAs,
// loops) under hard work bounds so hostile inputs fail cleanly instead of running for minutes.
import type { CertRecord } from '../../core/model.js';
import type { CertFacts } from '../decode.js';
import { factsFor } from './facts.js';
import { signatureValid } from './signature.js';

/** One certificate in a candidate path. `anchorId` is set when it is a trust anchor. */
export interface PathNode {
  record: CertRecord;
  facts: CertFacts;
  anchorId: string | null;
}

export interface BuildLimits {
  /** Logical intermediates allowed (self-issued ones do not count). */
  maxIntermediates: number;
  /** Signature verifications allowed in one build (cached results are free). */
  maxSignatureChecks: number;
  /** Path extensions allowed in one build. */
  maxSteps: number;
  /** Complete candidate paths judged in one build (each check has a cost of its own). */
  maxPaths: number;
}

export const DEFAULT_LIMITS: BuildLimits = {
  maxIntermediates: 10,
  maxSignatureChecks: 250,
  maxSteps: 2000,
  maxPaths: 64,
};

/** Why the search below a certificate stopped, for the explanation when no path was found. */
export type DeadEnd =
  | { kind: 'no-issuer'; node: PathNode }
  | { kind: 'bad-signature'; node: PathNode; candidates: number }
  | { kind: 'self-signed-untrusted'; node: PathNode }
  | { kind: 'loop'; node: PathNode }
  | { kind: 'depth'; node: PathNode }
  | { kind: 'budget'; node: PathNode };

export interface BuildOutcome<T> {
  /** The accepted path (leaf first, anchor last), or null. */
  accepted: PathNode[] | null;
  acceptedResult: T | null;
  /** Complete paths to an anchor that were checked and rejected, in the order found. */
  rejected: { path: PathNode[]; result: T }[];
  /** Candidate paths tried (complete or not). */
  tried: number;
  /** The longest partial path that led nowhere, and why. */
  deadEnd: { path: PathNode[]; reason: DeadEnd } | null;
  exhausted: boolean;
  /** Work done: signature verifications and path extensions. */
  work: { signatureChecks: number; steps: number };
}

export interface AnchorInput {
  id: string;
  record: CertRecord;
}

/**
 * Searches paths depth-first. `check` judges a complete path and returns a result plus whether it is
 * acceptable; the first acceptable path wins.
 */
export function buildPaths<T>(
  leaf: CertRecord,
  intermediates: CertRecord[],
  anchors: AnchorInput[],
  limits: BuildLimits,
  check: (path: PathNode[]) => { ok: boolean; result: T },
): BuildOutcome<T> {
  return new PathSearch(limits, check).run(leaf, intermediates, anchors);
}

/** One build: the candidates by subject, the path being extended, the work done, the outcome. */
class PathSearch<T> {
  readonly out: BuildOutcome<T> = {
    accepted: null,
    acceptedResult: null,
    rejected: [],
    tried: 0,
    deadEnd: null,
    exhausted: false,
    work: { signatureChecks: 0, steps: 0 },
  };
  private sigChecks = 0;
  private steps = 0;
  /** Usable anchors and intermediates by the key of their subject name. */
  private readonly bySubject = new Map<string, PathNode[]>();
  /** The path being extended, leaf first. */
  private readonly path: PathNode[] = [];

  constructor(
    private readonly limits: BuildLimits,
    private readonly check: (path: PathNode[]) => { ok: boolean; result: T },
  ) {}

  run(leaf: CertRecord, intermediates: CertRecord[], anchors: AnchorInput[]): BuildOutcome<T> {
    const anchorBySha = this.index(leaf, intermediates, anchors);
    const leafNode: PathNode = anchorBySha.get(leaf.sha256) ?? {
      record: leaf,
      facts: factsFor(leaf),
      anchorId: null,
    };
    if (leafNode.anchorId && this.complete([leafNode])) return this.out;
    if (leafNode.facts.fatal) {
      this.noteDeadEnd([leafNode], { kind: 'no-issuer', node: leafNode });
      return this.out;
    }
    this.path.push({ ...leafNode, anchorId: null });
    this.extend(0);
    this.out.work = {
      signatureChecks: Math.min(this.sigChecks, this.limits.maxSignatureChecks),
      steps: Math.min(this.steps, this.limits.maxSteps),
    };
    return this.out;
  }

  /** Fills bySubject (anchors first, duplicates and the leaf left out); returns the anchors by digest. */
  private index(
    leaf: CertRecord,
    intermediates: CertRecord[],
    anchors: AnchorInput[],
  ): Map<string, PathNode> {
    const anchorNodes: PathNode[] = [];
    const anchorBySha = new Map<string, PathNode>();
    for (const a of anchors) {
      if (anchorBySha.has(a.record.sha256)) continue;
      const n: PathNode = { record: a.record, facts: factsFor(a.record), anchorId: a.id };
      anchorBySha.set(a.record.sha256, n);
      anchorNodes.push(n);
    }
    const seen = new Set<string>([leaf.sha256]);
    const interNodes: PathNode[] = [];
    for (const r of intermediates) {
      if (seen.has(r.sha256) || anchorBySha.has(r.sha256)) continue;
      seen.add(r.sha256);
      interNodes.push({ record: r, facts: factsFor(r), anchorId: null });
    }
    for (const n of [...anchorNodes, ...interNodes]) {
      if (n.facts.fatal) continue;
      const list = this.bySubject.get(n.facts.subject.key) ?? [];
      list.push(n);
      this.bySubject.set(n.facts.subject.key, list);
    }
    return anchorBySha;
  }

  private noteDeadEnd(path: PathNode[], reason: DeadEnd): void {
    const out = this.out;
    if (!out.deadEnd || path.length > out.deadEnd.path.length) out.deadEnd = { path: [...path], reason };
  }

  /** Judges a complete path; true when it is accepted. */
  private complete(path: PathNode[]): boolean {
    const out = this.out;
    if (out.tried >= this.limits.maxPaths) {
      out.exhausted = true;
      return false;
    }
    out.tried++;
    const { ok, result } = this.check(path);
    if (ok) {
      out.accepted = [...path];
      out.acceptedResult = result;
      return true;
    }
    out.rejected.push({ path: [...path], result });
    return false;
  }

  /** Tries every issuer of the path's last certificate; true once a path is accepted. */
  private extend(logical: number): boolean {
    const path = this.path;
    const node = path[path.length - 1]!;
    const f = node.facts;
    if (f.fatal) {
      this.noteDeadEnd(path, { kind: 'no-issuer', node });
      return false;
    }
    const candidates = orderCandidates(f, this.bySubject.get(f.issuer.key) ?? []);
    if (candidates.length === 0) {
      this.noteDeadEnd(
        path,
        f.selfIssued && path.length > 0
          ? { kind: 'self-signed-untrusted', node }
          : { kind: 'no-issuer', node },
      );
      return false;
    }
    let signed = 0;
    let looped = 0;
    for (const cand of candidates) {
      if (this.out.exhausted) return false;
      if (path.some((p) => p.record.sha256 === cand.record.sha256 || sameEntity(p.facts, cand.facts))) {
        looped++;
        continue;
      }
      const good = this.signedBy(node, cand);
      if (good === null) return false;
      if (!good) continue;
      signed++;
      if (this.descend(cand, logical)) return true;
    }
    if (signed === 0) {
      if (looped === candidates.length) this.noteDeadEnd(path, { kind: 'loop', node });
      else this.noteDeadEnd(path, { kind: 'bad-signature', node, candidates: candidates.length - looped });
    }
    return false;
  }

  /** Does `cand` sign `node` (cached across builds)? null when the work bound is reached. */
  private signedBy(node: PathNode, cand: PathNode): boolean | null {
    if (++this.steps > this.limits.maxSteps) return this.exhaust(node);
    const key = `${node.facts.sha256}>${cand.facts.sha256}`;
    let good = sigCache.get(key);
    if (good === undefined) {
      if (++this.sigChecks > this.limits.maxSignatureChecks) return this.exhaust(node);
      good = signatureValid(node.facts, cand.facts);
      rememberSig(key, good);
    }
    return good;
  }

  private exhaust(node: PathNode): null {
    this.out.exhausted = true;
    this.noteDeadEnd(this.path, { kind: 'budget', node });
    return null;
  }

  /** Puts `cand` on the path: an anchor completes it, anything else is extended further. */
  private descend(cand: PathNode, logical: number): boolean {
    this.path.push(cand);
    try {
      if (cand.anchorId) return this.complete(this.path);
      // the leaf is not an intermediate; self-issued intermediates do not count (RFC 5280 6.1.4)
      const nextLogical = logical + (cand.facts.selfIssued ? 0 : 1);
      if (nextLogical > this.limits.maxIntermediates) {
        this.out.tried++;
        this.noteDeadEnd(this.path, { kind: 'depth', node: cand });
        return false;
      }
      return this.extend(nextLogical);
    } finally {
      this.path.pop();
    }
  }
}

/** Same subject and same key: a re-issue of a certificate already on the path, i.e. a loop. */
function sameEntity(a: CertFacts, b: CertFacts): boolean {
  return a.subject.key === b.subject.key && a.spki.raw.equals(b.spki.raw);
}

/** Anchors first, then by how well AKI/SKI agree (a hint only), then in input order. */
function orderCandidates(child: CertFacts, list: PathNode[]): PathNode[] {
  const aki = child.aki?.keyId ?? null;
  const rank = (n: PathNode): number => {
    const ski = n.facts.ski;
    const keyRank = aki && ski ? (aki.equals(ski) ? 0 : 2) : 1;
    return (n.anchorId ? 0 : 10) + keyRank;
  };
  return list
    .map((n, i) => ({ n, i, r: rank(n) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.n)
    .filter((n) => n.facts.sha256 !== child.sha256);
}

const sigCache = new Map<string, boolean>();
function rememberSig(key: string, ok: boolean): void {
  if (sigCache.size > 20000) sigCache.clear();
  sigCache.set(key, ok);
}
