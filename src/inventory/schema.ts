// The inventory JSON Schema (shipped as schemas/inventory.v1.schema.json) and the translation of
// ajv's errors into messages a person can act on: the key, what was expected, what was found.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import inventorySchemaJson from '../../schemas/inventory.v1.schema.json' with { type: 'json' };
import type { Problem } from '../core/errors.js';
import { safeText, suggest } from '../core/text.js';
import { formatPath, type PathSegment, type YamlDoc } from './yaml-source.js';

type JsonSchema = Record<string, any>;

export const inventorySchema: JsonSchema = inventorySchemaJson;

let compiled: ValidateFunction | null = null;

/** The compiled validator (strict mode, all errors, with data and schema on each error). */
export function inventoryValidator(): ValidateFunction {
  if (!compiled)
    compiled = new Ajv({ strict: true, allErrors: true, verbose: true }).compile(inventorySchema);
  return compiled;
}

/** Validates one document's data against the schema; returns located problems. */
export function schemaProblems(doc: YamlDoc): Problem[] {
  const validate = inventoryValidator();
  if (validate(doc.data)) return [];
  return translateErrors(validate.errors ?? [], doc);
}

const definitions: Record<string, JsonSchema> = inventorySchema.definitions;

function deref(s: JsonSchema | boolean | undefined): JsonSchema {
  if (!s || typeof s !== 'object') return {};
  if (typeof s.$ref === 'string') {
    const name = s.$ref.replace('#/definitions/', '');
    return { ...deref(definitions[name]), ...(s.description ? { description: s.description } : {}) };
  }
  return s;
}

function toPath(instancePath: string): PathSegment[] {
  if (!instancePath) return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** A short, safe rendering of a value from the file. */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') {
    const s = v.length > 60 ? `${v.slice(0, 57)}...` : v;
    return safeText(JSON.stringify(s));
  }
  return safeText(String(v));
}

/** What a (sub)schema expects, in words. */
function describeSchema(raw: JsonSchema | boolean | undefined): string {
  const s = deref(raw);
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (Array.isArray(s.enum)) return `one of ${s.enum.join(', ')}`;
  if (Array.isArray(s.anyOf)) return s.anyOf.map((b: JsonSchema) => describeSchema(b)).join(' or ');
  if (raw && typeof raw === 'object' && raw.$ref === '#/definitions/anchorId') return 'an anchor id';
  if (raw && typeof raw === 'object' && raw.$ref === '#/definitions/subject')
    return 'a subject mapping {CN, O, OU, C}';
  switch (s.type) {
    case 'integer': {
      const range =
        s.minimum !== undefined && s.maximum !== undefined
          ? ` ${s.minimum}-${s.maximum}`
          : s.minimum !== undefined
            ? ` >= ${s.minimum}`
            : '';
      return `an integer${range}`;
    }
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'a list';
    case 'object':
      return 'a mapping';
    case 'string':
      if (s.pattern) return patternText(s.pattern) ?? formatText(s.description);
      return s.minLength ? 'a non-empty string' : 'a string';
    default:
      return 'a value';
  }
}

function patternText(pattern: string | undefined): string | null {
  if (!pattern) return null;
  if (pattern === definitions.id.pattern) return 'an id (letters, digits, ".", "_", "-")';
  if (pattern === definitions.sha256.pattern) return 'a SHA-256 fingerprint (64 hex digits, colons allowed)';
  if (pattern === definitions.owner.pattern) return "a GitHub user '@login' or team '@org/team'";
  if (pattern === definitions.passwordEnv.pattern) return 'an environment variable name';
  if (pattern === definitions.endpoint.properties.via.pattern)
    return 'a proxy URL http://host:port or socks5://host:port';
  if (pattern === definitions.expect.properties.extKeyUsage.items.pattern)
    return 'serverAuth, clientAuth, codeSigning, emailProtection, timeStamping, OCSPSigning, anyExtendedKeyUsage or a dotted OID';
  return null;
}

/** The expected form in words, from the schema's description (its first sentence), never a regex. */
function formatText(description: string | undefined): string {
  const first = description?.split(/(?<=\.)\s/)[0]?.replace(/\.$/, '');
  return first ? first : 'a string in the documented format';
}

/** Closest allowed key, for "did you mean". */
export { suggest };

const TARGET_PATH = /^\/targets\/\d+$/;
const SOURCE_KEYS = ['endpoint', 'kubernetes', 'file', 'kubeconfig', 'preset', 'discover'];

/** YAML reads an unquoted all-digit fingerprint (or 1e5, 0x10) as a number: say how to keep it text. */
function quoteHint(value: unknown, schema: JsonSchema | undefined): string {
  const wantsString =
    schema?.type === 'string' || schema?.$ref !== undefined || typeof schema?.pattern === 'string';
  return typeof value === 'number' && wantsString
    ? ' (YAML read an unquoted value as a number: put it in quotes)'
    : '';
}

/** Turns ajv errors into one located problem per real mistake (branch noise of oneOf/anyOf removed). */
export function translateErrors(errors: ErrorObject[], doc: YamlDoc): Problem[] {
  // anyOf: drop the type mismatches of the branches that did not apply; if a branch reported
  // something more specific (an unknown key inside a subject), that is the message; else the anyOf's.
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const specific = new Set<string>();
  const kept = errors.filter((e) => {
    if (e.keyword === 'required' && /^#\/oneOf\/\d+\/required$/.test(e.schemaPath)) return false; // oneOf branch
    if (e.keyword === 'if') return false; // its `then` error says what is missing
    if (e.keyword === 'type' && anyOfPaths.has(e.instancePath)) return false;
    return true;
  });
  for (const e of kept) {
    if (e.keyword === 'anyOf') continue;
    for (const p of anyOfPaths)
      if (e.instancePath === p || e.instancePath.startsWith(`${p}/`)) specific.add(p);
  }

  // A misspelt source key ('endpont') already says what is wrong; "found no source" would be noise.
  const misspeltSource = new Set<string>();
  for (const e of kept) {
    if (e.keyword !== 'additionalProperties' || !TARGET_PATH.test(e.instancePath)) continue;
    const name = String((e.params as { additionalProperty: string }).additionalProperty);
    const s = suggest(name, Object.keys((e.parentSchema as JsonSchema)?.properties ?? {}));
    if (s && SOURCE_KEYS.includes(s)) misspeltSource.add(e.instancePath);
  }

  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const e of kept) {
    if (e.keyword === 'anyOf' && specific.has(e.instancePath)) continue;
    if (
      e.keyword === 'oneOf' &&
      misspeltSource.has(e.instancePath) &&
      !(e.params as { passingSchemas: unknown }).passingSchemas
    )
      continue;
    const p = translateOne(e, doc);
    if (!p) continue;
    const key = `${p.location?.line}:${p.location?.column}:${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(p);
  }
  return problems;
}

function translateOne(e: ErrorObject, doc: YamlDoc): Problem | null {
  const path = toPath(e.instancePath);
  const where = formatPath(path);
  const prefix = where ? `${where}: ` : '';
  const parent = (e.parentSchema ?? {}) as JsonSchema;
  switch (e.keyword) {
    case 'additionalProperties': {
      const name = String((e.params as { additionalProperty: string }).additionalProperty);
      const allowed = Object.keys(parent.properties ?? {});
      const hint =
        name === '<<'
          ? "; YAML merge keys ('<<') are not supported: use `defaults` or write the keys out"
          : (() => {
              const s = suggest(name, allowed);
              return s ? `; did you mean '${s}'?` : '';
            })();
      return {
        location: doc.locate([...path, name], { key: true }),
        message: `${prefix}unknown key '${safeText(name)}' (allowed: ${allowed.join(', ')}, or x-… for your own keys${hint})`,
      };
    }
    case 'required': {
      const missing = String((e.params as { missingProperty: string }).missingProperty);
      return { location: doc.locate(path), message: `${prefix}missing required key '${missing}'` };
    }
    case 'oneOf': {
      const branches = (e.schema as JsonSchema[]).map((b) => String(b.required?.[0]));
      const data = (e.data ?? {}) as Record<string, unknown>;
      const present = branches.filter((k) => Object.prototype.hasOwnProperty.call(data, k));
      const isTarget = TARGET_PATH.test(e.instancePath);
      const what = isTarget ? 'a target has exactly one source' : 'exactly one is allowed';
      if (present.length === 0) {
        return {
          location: doc.locate(path),
          message: isTarget
            ? `${prefix}a target needs exactly one source; found none (allowed: ${branches.join(', ')})`
            : `${prefix}expected exactly one of ${branches.map((b) => `'${b}'`).join(', ')}; found none`,
        };
      }
      const found = present.map((k) => `'${k}'`);
      const both = present.length === 2 ? `both ${found[0]} and ${found[1]}` : found.join(', ');
      return {
        location: doc.locate([...path, present[1]], { key: true }),
        message: `${prefix}found ${both}; ${what} (one of ${branches.join(', ')})`,
      };
    }
    case 'anyOf':
      return {
        location: doc.locate(path),
        message: `${prefix}expected ${describeSchema(parent)}, got ${describeValue(e.data)}${quoteHint(e.data, parent)}`,
      };
    case 'enum': {
      const near =
        typeof e.data === 'string' ? suggest(e.data, ((parent.enum ?? []) as unknown[]).map(String)) : null;
      return {
        location: doc.locate(path),
        message: `${prefix}expected ${describeSchema(parent)}, got ${describeValue(e.data)}${near ? `; did you mean '${safeText(near)}'?` : quoteHint(e.data, parent)}`,
      };
    }
    case 'type':
    case 'minimum':
    case 'maximum':
    case 'const':
    case 'pattern':
    case 'minLength':
    case 'maxLength':
      return {
        location: doc.locate(path),
        message: `${prefix}expected ${describeSchema(parent)}, got ${describeValue(e.data)}${quoteHint(e.data, parent)}`,
      };
    case 'uniqueItems': {
      const { i, j } = e.params as { i: number; j: number };
      return {
        location: doc.locate([...path, i]),
        message: `${prefix}duplicate item ${describeValue((e.data as unknown[])[i])} (also item ${j + 1})`,
      };
    }
    case 'minItems':
      return {
        location: doc.locate(path),
        message: `${prefix}expected at least ${(e.params as { limit: number }).limit} item(s)`,
      };
    default:
      return { location: doc.locate(path), message: `${prefix}${e.message ?? 'invalid value'}` };
  }
}
