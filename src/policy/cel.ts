// CEL for policy rules: compiled once at load (parse, a check of names and types, plan, and a trial
// run over representative models), evaluated per certificate over the documented model
// (docs/policies.md "The CEL model").
import { celEnv, isCelError, parse, plan, type CelEnv } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { CertRecord, CertRole, ChainResult, Name, SourceKind } from '../core/model.js';
import type { Target, TargetSource } from '../inventory/types.js';
import { CelTypeError, requireBool, startOffset, TYPE_NAMES, type AnyExpr } from './cel-check.js';

/** The top-level names an expression may use. */
const CEL_VARIABLES = ['cert', 'chain', 'target', 'now'] as const;

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

/**
 * Parses and plans a boolean policy expression once. Compile errors (CelCompileError, located inside
 * the expression): syntax, unknown names and functions, unknown fields of the model (`cert.subjct`),
 * operators on values of the wrong type, and a result that is not a bool — found by a static check
 * and by one trial run over representative models (a leaf, an intermediate and a root at a target of
 * each source kind). What depends on the data (a missing map key, an empty list) is not an error.
 */
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
        if (
          !scope.has(v.name) &&
          !(CEL_VARIABLES as readonly string[]).includes(v.name) &&
          !TYPE_NAMES.has(v.name)
        ) {
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
  try {
    requireBool(parsed.expr as unknown as AnyExpr);
  } catch (e) {
    if (!(e instanceof CelTypeError)) throw e;
    const node = e.node ?? (parsed.expr as unknown as AnyExpr);
    let offset = startOffset(node, positions);
    if (e.field) {
      offset = positions[String(node.id)] ?? offset;
      if (source[offset] === '.') offset++;
    }
    const p = offsetToLineColumn(source, offset);
    throw new CelCompileError(e.message, p.line, p.column);
  }
  let fn: (ctx: Record<string, unknown>) => unknown;
  try {
    fn = plan(env(), parsed) as unknown as (ctx: Record<string, unknown>) => unknown;
  } catch (e) {
    throw new CelCompileError(`CEL error: ${(e as Error).message}`, 1, 1);
  }
  const compiled: CompiledExpr = {
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
  trialRun(compiled);
  return compiled;
}

// Errors that say the expression is wrong whatever the certificate (the model's types never vary).
const TYPE_ERRORS = /found no matching overload|type mismatch|unbound function|unresolved attribute/;

/** Runs the expression over every representative model: a type error or a non-bool result is a compile error. */
function trialRun(c: CompiledExpr): void {
  for (const { what, model } of representativeModels()) {
    const r = c.run(model);
    if (r.ok && typeof r.value !== 'boolean')
      throw new CelCompileError(
        `the expression yields ${describeValue(r.value)}, not a bool (for ${what})`,
        1,
        1,
      );
    if (!r.ok && TYPE_ERRORS.test(r.error))
      throw new CelCompileError(`the expression cannot be evaluated: ${r.error} (for ${what})`, 1, 1);
  }
}

function describeValue(v: unknown): string {
  if (typeof v === 'bigint') return 'an int';
  if (typeof v === 'number') return 'a double';
  if (typeof v === 'string') return 'a string';
  if (Array.isArray(v) || (typeof v === 'object' && v !== null && Symbol.iterator in v))
    return 'a list or map';
  return `a ${typeof v === 'object' ? 'value of another type' : typeof v}`;
}

let representative: { what: string; model: CelModel }[] | null = null;

/**
 * Models with every documented field present and non-empty lists: a leaf, an intermediate and a
 * root, each at a target of every source kind, with and without a chain result.
 */
export function representativeModels(): { what: string; model: CelModel }[] {
  if (representative) return representative;
  const now = new Date('2026-01-01T00:00:00Z');
  const name = (cn: string): Name => ({
    dn: `CN=${cn},O=Example`,
    CN: cn,
    O: ['Example'],
    OU: ['Unit'],
    C: ['GB'],
    L: ['Town'],
    ST: ['County'],
  });
  const record = (role: CertRole): CertRecord => ({
    sha256: '00'.repeat(32),
    subject: name(role === 'leaf' ? 'host.example' : `${role} CA`),
    issuer: name(role === 'leaf' ? 'intermediate CA' : 'root CA'),
    serial: '01',
    notBefore: '2025-12-01T00:00:00Z',
    notAfter: '2026-03-01T00:00:00Z',
    dnsNames: role === 'leaf' ? ['host.example', '*.host.example'] : [],
    ipAddresses: role === 'leaf' ? ['127.0.0.1', '::1'] : [],
    emailAddresses: ['ops@example.org'],
    uris: ['spiffe://example/host'],
    keyType: 'EC',
    keyBits: 256,
    curve: 'P-256',
    keyError: null,
    signatureAlgorithm: 'ecdsa-with-SHA256',
    signatureHash: 'sha256',
    isCA: role !== 'leaf',
    pathLen: role === 'intermediate' ? 0 : null,
    hasBasicConstraints: true,
    keyUsage: role === 'leaf' ? ['digitalSignature'] : ['keyCertSign', 'cRLSign'],
    extKeyUsage: role === 'leaf' ? ['serverAuth', 'clientAuth'] : null,
    subjectKeyId: null,
    authorityKeyId: null,
    selfIssued: role === 'root',
    version: 3,
    der: '',
  });
  const kinds: SourceKind[] = ['endpoint', 'file', 'kubeconfig', 'kubernetes'];
  const out: { what: string; model: CelModel }[] = [];
  for (const kind of kinds) {
    const target: Target = {
      id: `${kind}-target`,
      inventory: 'inventory',
      location: { file: 'inventory.yaml', line: 1, column: 1 },
      // only the kind reaches the model
      source: { kind } as TargetSource,
      policies: ['baseline'],
      owners: ['@owner'],
      zone: 'zone',
      labels: { team: 'platform' },
      role: 'role',
      expandedFrom: 'preset',
    };
    (['leaf', 'intermediate', 'root'] as CertRole[]).forEach((role, index) => {
      for (const chain of [
        null,
        {
          trusted: true,
          anchor: 'anchor',
          path: ['00'.repeat(32)],
          problems: [{ code: 'expired', message: 'expired', certificate: null }],
        } satisfies ChainResult,
      ])
        out.push({
          what: `${role === 'intermediate' ? 'an' : 'a'} ${role} at a${kind === 'endpoint' ? 'n' : ''} ${kind} target${chain ? ' with a chain result' : ''}`,
          model: celModel({
            cert: record(role),
            role,
            origin: `presented[${index}]`,
            index,
            target,
            chain,
            now,
          }),
        });
    });
  }
  representative = out;
  return out;
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
