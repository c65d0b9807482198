// CEL for policy rules: compiled once at load (parse + plan + a check of names), evaluated per
// certificate over the documented model (docs/policies.md "The CEL model").
import { celEnv, isCelError, parse, plan, type CelEnv } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { CertRecord, CertRole, ChainResult, Name } from '../model.js';
import type { Target } from '../inventory/types.js';

/** The top-level names an expression may use. */
export const CEL_VARIABLES = ['cert', 'chain', 'target', 'now'] as const;

const DAY = 86_400_000;

let sharedEnv: CelEnv | null = null;
function env(): CelEnv {
  sharedEnv ??= celEnv({ funcs: strings });
  return sharedEnv;
}

/** A compiled expression: evaluate it with a model built by `celModel`. */
export interface CompiledExpr {
  source: string;
  run(model: CelModel): { ok: true; value: unknown } | { ok: false; error: string };
}

/** Why an expression does not compile, with the 1-based line/column inside the expression. */
export class CelCompileError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = 'CelCompileError';
  }
}

// Operators the planner handles itself (short-circuiting), not through the function resolver.
const SPECIAL_FORMS = new Set([
  '_&&_',
  '_||_',
  '_?_:_',
  '_[_]',
  '_[?_]',
  '_?._',
  '@not_strictly_false',
  'not_strictly_false',
]);

type AnyExpr = { id: bigint; exprKind: { case: string | undefined; value?: any } };

/** Parses and plans `source` once; unknown variables and functions are compile errors. */
export function compileCel(source: string): CompiledExpr {
  let parsed;
  try {
    parsed = parse(source);
  } catch (e) {
    const err = e as { location?: { start?: { line: number; column: number } }; message: string };
    const msg = String(err.message ?? e).replace(/^<input>:\d+:\d+:\s*/, '');
    throw new CelCompileError(
      `CEL syntax error: ${msg}`,
      err.location?.start?.line ?? 1,
      err.location?.start?.column ?? 1,
    );
  }
  const positions: Record<string, number> = (parsed.sourceInfo?.positions as Record<string, number>) ?? {};
  const where = (id: bigint): { line: number; column: number } =>
    offsetToLineColumn(source, positions[String(id)] ?? 0);
  const funcs = env().funcs;
  const walk = (e: AnyExpr | undefined, scope: Set<string>): void => {
    if (!e || !e.exprKind) return;
    const v = e.exprKind.value;
    switch (e.exprKind.case) {
      case 'identExpr':
        if (!scope.has(v.name) && !(CEL_VARIABLES as readonly string[]).includes(v.name)) {
          const p = where(e.id);
          throw new CelCompileError(
            `unknown name '${v.name}' (the model has ${CEL_VARIABLES.join(', ')})`,
            p.line,
            p.column,
          );
        }
        return;
      case 'selectExpr':
        walk(v.operand, scope);
        return;
      case 'callExpr':
        if (!SPECIAL_FORMS.has(v.function) && !funcs.find(v.function)) {
          const p = where(e.id);
          throw new CelCompileError(`unknown function '${v.function}'`, p.line, p.column);
        }
        walk(v.target, scope);
        for (const a of v.args) walk(a, scope);
        return;
      case 'listExpr':
        for (const a of v.elements) walk(a, scope);
        return;
      case 'structExpr':
        for (const en of v.entries) {
          if (en.keyKind?.case === 'mapKey') walk(en.keyKind.value, scope);
          walk(en.value, scope);
        }
        return;
      case 'comprehensionExpr': {
        walk(v.iterRange, scope);
        walk(v.accuInit, scope);
        const inner = new Set(scope);
        for (const n of [v.iterVar, v.iterVar2, v.accuVar]) if (n) inner.add(n);
        walk(v.loopCondition, inner);
        walk(v.loopStep, inner);
        walk(v.result, inner);
        return;
      }
      default:
        return;
    }
  };
  walk(parsed.expr as unknown as AnyExpr, new Set());
  let fn: (ctx: Record<string, unknown>) => unknown;
  try {
    fn = plan(env(), parsed) as unknown as (ctx: Record<string, unknown>) => unknown;
  } catch (e) {
    throw new CelCompileError(`CEL error: ${(e as Error).message}`, 1, 1);
  }
  return {
    source,
    run(model) {
      try {
        const r = fn(model as unknown as Record<string, unknown>);
        if (isCelError(r)) return { ok: false, error: r.message };
        return { ok: true, value: r };
      } catch (e) {
        return { ok: false, error: (e as Error).message };
      }
    },
  };
}

function offsetToLineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let col = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      col = 1;
    } else col++;
  }
  return { line, column: col };
}

/** The values bound for one evaluation (opaque to callers; see celModel). */
export interface CelModel {
  cert: Record<string, unknown>;
  chain: Record<string, unknown>;
  target: Record<string, unknown>;
  now: unknown;
}

function nameModel(n: Name): Record<string, unknown> {
  return { dn: n.dn, CN: n.CN ?? '', O: n.O, OU: n.OU, C: n.C, L: n.L, ST: n.ST };
}

/**
 * Builds the CEL bindings. Integers are CEL ints; absent strings are '' and absent numbers 0 so
 * expressions need no null checks (`cert.keyBits`, `cert.curve`, `cert.subject.CN`).
 */
export function celModel(input: {
  cert: CertRecord;
  role: CertRole;
  origin: string;
  index: number;
  target: Target;
  chain: ChainResult | null;
  now: Date;
}): CelModel {
  const { cert, target, chain, now } = input;
  const notBefore = new Date(cert.notBefore);
  const notAfter = new Date(cert.notAfter);
  return {
    cert: {
      sha256: cert.sha256,
      subject: nameModel(cert.subject),
      issuer: nameModel(cert.issuer),
      serial: cert.serial,
      notBefore: timestampFromDate(notBefore),
      notAfter: timestampFromDate(notAfter),
      daysRemaining: BigInt(Math.floor((notAfter.getTime() - now.getTime()) / DAY)),
      lifetimeDays: BigInt(Math.floor((notAfter.getTime() - notBefore.getTime()) / DAY)),
      dnsNames: cert.dnsNames,
      ipAddresses: cert.ipAddresses,
      emailAddresses: cert.emailAddresses,
      uris: cert.uris,
      keyType: cert.keyType,
      keyBits: BigInt(cert.keyBits ?? 0),
      curve: cert.curve ?? '',
      keyError: cert.keyError ?? '',
      signatureAlgorithm: cert.signatureAlgorithm,
      signatureHash: cert.signatureHash ?? '',
      isCA: cert.isCA,
      pathLen: BigInt(cert.pathLen ?? -1),
      hasBasicConstraints: cert.hasBasicConstraints,
      keyUsage: cert.keyUsage ?? [],
      hasKeyUsage: cert.keyUsage !== null,
      extKeyUsage: cert.extKeyUsage ?? [],
      hasExtKeyUsage: cert.extKeyUsage !== null,
      selfIssued: cert.selfIssued,
      version: BigInt(cert.version),
      role: input.role,
      origin: input.origin,
      index: BigInt(input.index),
    },
    chain: {
      evaluated: chain !== null,
      trusted: chain?.trusted ?? false,
      anchor: chain?.anchor ?? '',
      length: BigInt(chain?.path.length ?? 0),
      problems: (chain?.problems ?? []).map((p) => p.code),
    },
    target: {
      id: target.id,
      inventory: target.inventory,
      source: target.source.kind,
      labels: new Map(Object.entries(target.labels ?? {})),
      zone: target.zone ?? '',
      owners: target.owners ?? [],
      policies: target.policies ?? [],
      role: target.role ?? '',
      expandedFrom: target.expandedFrom ?? '',
    },
    now: timestampFromDate(now),
  };
}
