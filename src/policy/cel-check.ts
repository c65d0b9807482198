// A small static type check of policy CEL over the documented model (docs/policies.md "The CEL
// model"): unknown fields (`cert.subjct`), selecting a field of a string or list, operators applied to
// values of the wrong type, and expressions whose result is known not to be a bool. It only refuses
// what is wrong whatever the data: map access (`target.labels["x"]`) and values of unknown type
// (`dyn`) pass, so data-dependent expressions are never refused at load.
import { closestName } from './suggest.js';

/** A CEL type as far as this check needs it. */
export type CelT =
  | { kind: 'dyn' }
  | { kind: 'scalar'; name: ScalarName }
  | { kind: 'list'; elem: CelT }
  | { kind: 'map'; key: CelT; value: CelT }
  | { kind: 'object'; name: string; fields: Record<string, CelT> };

type ScalarName =
  'bool' | 'int' | 'uint' | 'double' | 'string' | 'bytes' | 'null_type' | 'timestamp' | 'duration' | 'type';

const DYN: CelT = { kind: 'dyn' };
const s = (name: ScalarName): CelT => ({ kind: 'scalar', name });
const BOOL = s('bool');
const INT = s('int');
const STRING = s('string');
const TIMESTAMP = s('timestamp');
const list = (elem: CelT): CelT => ({ kind: 'list', elem });
const STRINGS = list(STRING);

const NAME: CelT = {
  kind: 'object',
  name: 'name',
  fields: { dn: STRING, CN: STRING, O: STRINGS, OU: STRINGS, C: STRINGS, L: STRINGS, ST: STRINGS },
};

/** The type of every name bound by celModel (kept in step with it by a test). */
export const MODEL_TYPES: Record<string, CelT> = {
  cert: {
    kind: 'object',
    name: 'cert',
    fields: {
      sha256: STRING,
      subject: { ...NAME, name: 'cert.subject' } as CelT,
      issuer: { ...NAME, name: 'cert.issuer' } as CelT,
      serial: STRING,
      notBefore: TIMESTAMP,
      notAfter: TIMESTAMP,
      daysRemaining: INT,
      lifetimeDays: INT,
      dnsNames: STRINGS,
      ipAddresses: STRINGS,
      emailAddresses: STRINGS,
      uris: STRINGS,
      keyType: STRING,
      keyBits: INT,
      curve: STRING,
      keyError: STRING,
      signatureAlgorithm: STRING,
      signatureHash: STRING,
      isCA: BOOL,
      pathLen: INT,
      hasBasicConstraints: BOOL,
      keyUsage: STRINGS,
      hasKeyUsage: BOOL,
      extKeyUsage: STRINGS,
      hasExtKeyUsage: BOOL,
      selfIssued: BOOL,
      version: INT,
      role: STRING,
      origin: STRING,
      index: INT,
    },
  },
  chain: {
    kind: 'object',
    name: 'chain',
    fields: { evaluated: BOOL, trusted: BOOL, anchor: STRING, length: INT, problems: STRINGS },
  },
  target: {
    kind: 'object',
    name: 'target',
    fields: {
      id: STRING,
      inventory: STRING,
      source: STRING,
      labels: { kind: 'map', key: STRING, value: STRING },
      zone: STRING,
      owners: STRINGS,
      policies: STRINGS,
      role: STRING,
      expandedFrom: STRING,
    },
  },
  now: TIMESTAMP,
};

/** Identifiers that name types (`type(x) == int`). */
export const TYPE_NAMES = new Set([
  'bool',
  'int',
  'uint',
  'double',
  'string',
  'bytes',
  'list',
  'map',
  'null_type',
  'type',
]);

/** Result types of functions and methods whose result does not depend on their arguments. */
const RESULT: Record<string, CelT> = {
  '_==_': BOOL,
  '_!=_': BOOL,
  '@in': BOOL,
  matches: BOOL,
  startsWith: BOOL,
  endsWith: BOOL,
  contains: BOOL,
  bool: BOOL,
  '@not_strictly_false': BOOL,
  not_strictly_false: BOOL,
  size: INT,
  int: INT,
  indexOf: INT,
  lastIndexOf: INT,
  getFullYear: INT,
  getMonth: INT,
  getDate: INT,
  getDayOfMonth: INT,
  getDayOfWeek: INT,
  getDayOfYear: INT,
  getHours: INT,
  getMinutes: INT,
  getSeconds: INT,
  getMilliseconds: INT,
  string: STRING,
  lowerAscii: STRING,
  upperAscii: STRING,
  trim: STRING,
  replace: STRING,
  substring: STRING,
  charAt: STRING,
  format: STRING,
  join: STRING,
  quote: STRING,
  reverse: STRING,
  split: STRINGS,
  uint: s('uint'),
  double: s('double'),
  bytes: s('bytes'),
  timestamp: TIMESTAMP,
  duration: s('duration'),
  type: s('type'),
  dyn: DYN,
};

const OPERATOR_TEXT: Record<string, string> = {
  '_&&_': '&&',
  '_||_': '||',
  '!_': '!',
  '_+_': '+',
  '_-_': '-',
  '_*_': '*',
  '_/_': '/',
  '_%_': '%',
  '_<_': '<',
  '_<=_': '<=',
  '_>_': '>',
  '_>=_': '>=',
  '-_': '-',
};

/** Readable name of a type, as CEL writes it. */
export function typeName(t: CelT): string {
  switch (t.kind) {
    case 'dyn':
      return 'dyn';
    case 'scalar':
      return t.name;
    case 'list':
      return `list(${typeName(t.elem)})`;
    case 'map':
      return `map(${typeName(t.key)}, ${typeName(t.value)})`;
    case 'object':
      return t.name;
  }
}

function same(a: CelT, b: CelT): boolean {
  return typeName(a) === typeName(b);
}

const isScalar = (t: CelT, ...names: ScalarName[]): boolean => t.kind === 'scalar' && names.includes(t.name);
const NUMERIC: ScalarName[] = ['int', 'uint', 'double'];

/**
 * A located type error. `node` is the expression to point at (its first character; with `field`, the
 * field name of a select); null: the start of the whole expression.
 */
export class CelTypeError extends Error {
  constructor(
    message: string,
    readonly node: AnyExpr | null,
    readonly field = false,
  ) {
    super(message);
    this.name = 'CelTypeError';
  }
}

export type AnyExpr = { id: bigint; exprKind: { case: string | undefined; value?: any } };

function fieldOf(obj: Extract<CelT, { kind: 'object' }>, field: string, at: AnyExpr, atField: boolean): CelT {
  const t = obj.fields[field];
  if (t) return t;
  const names = Object.keys(obj.fields);
  const near = closestName(field, names);
  throw new CelTypeError(
    `${obj.name} has no field '${field}'` +
      (near ? `; did you mean '${near}'?` : names.length <= 10 ? ` (fields: ${names.join(', ')})` : '') +
      ' (docs/policies.md, "The CEL model")',
    at,
    atField,
  );
}

function notBool(t: CelT): boolean {
  return t.kind !== 'dyn' && !isScalar(t, 'bool');
}

/**
 * Infers the type of a parsed expression over MODEL_TYPES, throwing CelTypeError on the first
 * mistake that is one whatever the data. Names are assumed already resolved (compileCel checks them).
 */
function inferType(e: AnyExpr | undefined, scope: Map<string, CelT> = new Map()): CelT {
  if (!e?.exprKind) return DYN;
  const v = e.exprKind.value;
  switch (e.exprKind.case) {
    case 'constExpr':
      switch (v.constantKind?.case) {
        case 'boolValue':
          return BOOL;
        case 'int64Value':
          return INT;
        case 'uint64Value':
          return s('uint');
        case 'doubleValue':
          return s('double');
        case 'stringValue':
          return STRING;
        case 'bytesValue':
          return s('bytes');
        case 'nullValue':
          return s('null_type');
        default:
          return DYN;
      }
    case 'identExpr':
      if (scope.has(v.name)) return scope.get(v.name)!;
      if (TYPE_NAMES.has(v.name)) return s('type');
      return MODEL_TYPES[v.name] ?? DYN;
    case 'selectExpr': {
      const operand = inferType(v.operand, scope);
      const field: string = v.field;
      let out: CelT;
      if (operand.kind === 'object') out = fieldOf(operand, field, e, !v.testOnly);
      else if (operand.kind === 'map') out = operand.value;
      else if (
        operand.kind === 'list' ||
        isScalar(operand, 'string', 'bool', 'int', 'uint', 'double', 'bytes')
      )
        throw new CelTypeError(
          `cannot select field '${field}' of a ${typeName(operand)} value`,
          e,
          !v.testOnly,
        );
      else out = DYN;
      return v.testOnly ? BOOL : out;
    }
    case 'listExpr': {
      const elems = (v.elements as AnyExpr[]).map((x) => inferType(x, scope));
      const first = elems[0];
      return list(first && elems.every((x) => same(x, first)) ? first : DYN);
    }
    case 'structExpr':
      for (const en of v.entries ?? []) {
        if (en.keyKind?.case === 'mapKey') inferType(en.keyKind.value, scope);
        inferType(en.value, scope);
      }
      return v.messageName ? DYN : { kind: 'map', key: DYN, value: DYN };
    case 'comprehensionExpr': {
      const range = inferType(v.iterRange, scope);
      const inner = new Map(scope);
      if (v.iterVar2) {
        inner.set(v.iterVar, DYN);
        inner.set(v.iterVar2, DYN);
      } else {
        inner.set(v.iterVar, range.kind === 'list' ? range.elem : range.kind === 'map' ? range.key : DYN);
      }
      inner.set(v.accuVar, inferType(v.accuInit, scope));
      inferType(v.loopCondition, inner);
      inferType(v.loopStep, inner);
      return inferType(v.result, inner);
    }
    case 'callExpr':
      return inferCall(e, v, scope);
    default:
      return DYN;
  }
}

function inferCall(e: AnyExpr, v: any, scope: Map<string, CelT>): CelT {
  const fn: string = v.function;
  const target = v.target?.exprKind?.case ? inferType(v.target, scope) : null;
  const args = (v.args as AnyExpr[]).map((a) => inferType(a, scope));
  const op = OPERATOR_TEXT[fn];
  const mismatch = (types: CelT[]): never => {
    throw new CelTypeError(`no operator '${op ?? fn}' for (${types.map(typeName).join(', ')})`, e);
  };
  const argExprs = v.args as AnyExpr[];
  switch (fn) {
    case '_&&_':
    case '_||_':
    case '!_':
      for (let i = 0; i < args.length; i++) {
        if (!notBool(args[i]!)) continue;
        // all() and exists() expand to `@result && cond` / `@result || cond`
        const inMacro = argExprs.some(
          (a) => a.exprKind.case === 'identExpr' && a.exprKind.value.name.startsWith('@'),
        );
        throw new CelTypeError(
          inMacro
            ? `the condition of all()/exists() must be a bool, got ${typeName(args[i]!)}`
            : `'${op}' needs bool operands, got ${typeName(args[i]!)}`,
          argExprs[i]!,
        );
      }
      return BOOL;
    case '_?_:_': {
      const [cond, a, b] = args as [CelT, CelT, CelT];
      if (notBool(cond))
        throw new CelTypeError(`the condition must be a bool, got ${typeName(cond)}`, argExprs[0]!);
      return same(a, b) ? a : DYN;
    }
    case '_[_]':
    case '_[?_]': {
      const [c, i] = args as [CelT, CelT];
      if (c.kind === 'list') return c.elem;
      if (c.kind === 'map') return c.value;
      const key = argExprs[1];
      if (
        c.kind === 'object' &&
        key?.exprKind.case === 'constExpr' &&
        key.exprKind.value.constantKind?.case === 'stringValue'
      )
        return fieldOf(c, key.exprKind.value.constantKind.value as string, key, false);
      if (c.kind === 'scalar') throw new CelTypeError(`cannot index a ${typeName(c)} value`, e);
      void i;
      return DYN;
    }
    case '_<_':
    case '_<=_':
    case '_>_':
    case '_>=_': {
      const [a, b] = args as [CelT, CelT];
      if (a.kind === 'dyn' || b.kind === 'dyn') return BOOL;
      const numeric = isScalar(a, ...NUMERIC) && isScalar(b, ...NUMERIC);
      const ordered = isScalar(a, 'string', 'bool', 'bytes', 'timestamp', 'duration', ...NUMERIC);
      if (!numeric && !(same(a, b) && ordered)) mismatch([a, b]);
      return BOOL;
    }
    case '_+_':
    case '_-_':
    case '_*_':
    case '_/_':
    case '_%_': {
      const [a, b] = args as [CelT, CelT];
      return arithmetic(fn, a, b, mismatch);
    }
    case '-_': {
      const [a] = args as [CelT];
      if (a.kind !== 'dyn' && !isScalar(a, 'int', 'double', 'duration')) mismatch([a]);
      return a;
    }
    default:
      void target;
      return RESULT[fn] ?? DYN;
  }
}

function arithmetic(fn: string, a: CelT, b: CelT, mismatch: (t: CelT[]) => never): CelT {
  if (a.kind === 'dyn' || b.kind === 'dyn') {
    // the result is still known in the common cases
    if (fn === '_-_' && isScalar(a, 'timestamp') && isScalar(b, 'timestamp')) return s('duration');
    return DYN;
  }
  const pair = `${typeName(a)} ${typeName(b)}`;
  if (fn === '_+_') {
    if (same(a, b) && isScalar(a, 'int', 'uint', 'double', 'string', 'bytes', 'duration')) return a;
    if (a.kind === 'list' && b.kind === 'list') return same(a, b) ? a : list(DYN);
    if (pair === 'timestamp duration' || pair === 'duration timestamp') return TIMESTAMP;
    return mismatch([a, b]);
  }
  if (fn === '_-_') {
    if (same(a, b) && isScalar(a, 'int', 'uint', 'double', 'duration')) return a;
    if (pair === 'timestamp timestamp') return s('duration');
    if (pair === 'timestamp duration') return TIMESTAMP;
    return mismatch([a, b]);
  }
  if (same(a, b) && isScalar(a, ...(fn === '_%_' ? (['int', 'uint'] as ScalarName[]) : NUMERIC))) return a;
  return mismatch([a, b]);
}

/** The source offset where an expression starts: the smallest position in its subtree. */
export function startOffset(e: AnyExpr, positions: Record<string, number>): number {
  let min = positions[String(e.id)] ?? Infinity;
  const visit = (x: unknown): void => {
    if (!x || typeof x !== 'object') return;
    if (Array.isArray(x)) return x.forEach(visit);
    const node = x as Partial<AnyExpr>;
    if (typeof node.id === 'bigint' && node.exprKind) {
      const p = positions[String(node.id)];
      if (p !== undefined && p < min) min = p;
      visit(node.exprKind.value);
      return;
    }
    for (const [k, v] of Object.entries(x)) if (k !== '$typeName') visit(v);
  };
  visit(e.exprKind?.value);
  return Number.isFinite(min) ? min : 0;
}

/** Throws CelTypeError when the expression's type is known and is not bool. */
export function requireBool(e: AnyExpr): void {
  const t = inferType(e);
  if (notBool(t))
    throw new CelTypeError(
      `the expression yields ${typeName(t)}, not a bool (a rule's expr is true when the certificate is fine; a when is true where the rule applies)`,
      null,
    );
}
