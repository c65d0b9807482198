// Policy packs as plain data after loading: rules with their compiled CEL, waivers, and where each
// came from in the YAML (so findings and errors can point at the line).
import type {
  CertRecord,
  CertRole,
  ChainResult,
  Observation,
  Severity,
  SourceLocation,
} from '../core/model.js';
import type { Target } from '../inventory/types.js';
import type { CompiledExpr } from './cel.js';

/** Which certificates of a source a rule looks at: leaves (default), CA certificates, or all. */
export type AppliesTo = 'leaf' | 'ca' | 'all';

/** One rule of a pack, validated and compiled. */
export interface PolicyRule {
  id: string;
  policy: string; // name of the pack that declares it
  check: string; // built-in check id, or 'cel' for an expression rule
  params: Record<string, unknown>;
  expr: CompiledExpr | null;
  message: string | null;
  when: CompiledExpr | null;
  severity: Severity | null; // null: the check decides (its default)
  appliesTo: AppliesTo;
  description: string | null;
  location: SourceLocation;
}

/** A waiver: one rule (or finding check) on one target or a selection of targets, until a date. */
export interface Waiver {
  policy: string;
  rule: string; // a rule id, or a non-policy check name such as `expect.subject`
  target: string | null; // target id; `*` wildcards allowed
  selector: { labels?: Record<string, string>; zone?: string; inventory?: string } | null;
  certificate: string | null; // sha256, lowercase hex
  reason: string;
  owner: string;
  expires: string; // as written: YYYY-MM-DD (valid through that day, UTC) or a full timestamp
  expiresAt: Date; // first instant at which the waiver no longer applies
  location: SourceLocation;
  /** The rule the waiver named, when that rule's findings now have another name (`rule`). */
  movedFrom?: string;
}

export interface Policy {
  name: string;
  description: string | null;
  file: string;
  shipped: boolean;
  rules: PolicyRule[];
  waivers: Waiver[];
}

/** File reads the kubernetes-naming check needs (the issuing CA files of a kubeadm tree). */
export interface PolicyIo {
  readFile(path: string): Uint8Array;
}

/** Every pack loaded from the shipped folder and the user's folders, by name. */
export interface PolicySet {
  policies: Map<string, Policy>;
  /** Folders read, shipped first. */
  dirs: string[];
  io: PolicyIo;
}

/** What a built-in check sees for one certificate. */
export interface CheckContext<P = Record<string, unknown>> {
  cert: CertRecord;
  role: CertRole;
  /** Position in observation.certificates. */
  index: number;
  origin: string;
  target: Target;
  observation: Observation;
  chain: ChainResult | null;
  now: Date;
  params: P;
  io: PolicyIo;
}

/** One problem a check found; several per certificate are told apart by `aspect` (part of the id). */
export interface CheckResult {
  message: string;
  aspect?: string;
  severity?: Severity;
  remediation?: { kind: 'renew' | 'pin' | 'bundle' | 'manual' | 'inventory'; [k: string]: unknown };
}

/** A built-in check, registered by id in checks/index.ts. */
export interface CheckDefinition<P = any> {
  id: string;
  summary: string;
  /** Help text for SARIF rules and docs. */
  help: string;
  /** JSON Schema of `params` (validated at load, errors at the param's line). */
  paramsSchema: Record<string, unknown>;
  defaultSeverity: Severity;
  defaultAppliesTo: AppliesTo;
  run(ctx: CheckContext<P>): CheckResult[];
}

export interface EvaluateInput {
  target: Target;
  observation: Observation;
  chain: ChainResult | null;
  now: Date;
}
