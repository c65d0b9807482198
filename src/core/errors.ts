// A small error set. ConfigError: the user's input is wrong (exit 2), with where and what was expected.
// Collector failures are not thrown past the collector: they become findings.
import type { SourceLocation } from './model.js';

const CONFIG_BRAND = Symbol.for('certwarden.ConfigError');
const PARSE_BRAND = Symbol.for('certwarden.ParseError');

/** One problem in user input, located as precisely as we can. */
export interface Problem {
  location: SourceLocation | null;
  message: string;
}

/** Invalid input or configuration (exit code 2). Carries every problem found, not only the first. */
export class ConfigError extends Error {
  readonly problems: Problem[];
  // Brands instead of prototype identity: under loaders that instantiate a module twice (CJS and ESM
  // copies, bundles), `instanceof` must still recognise our errors.
  static override [Symbol.hasInstance](x: unknown): boolean {
    return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[CONFIG_BRAND] === true;
  }
  readonly [CONFIG_BRAND] = true;
  constructor(problems: Problem[] | string, location: SourceLocation | null = null) {
    const list = typeof problems === 'string' ? [{ location, message: problems }] : problems;
    super(list.map(formatProblem).join('\n'));
    this.name = 'ConfigError';
    this.problems = list;
  }
}

/** `FILE:LINE:COLUMN: error: MESSAGE`, the form editors and CI logs link. */
export function formatProblem(p: Problem): string {
  if (!p.location) return `error: ${p.message}`;
  return `${p.location.file}:${p.location.line}:${p.location.column}: error: ${p.message}`;
}

/** A certificate or store that cannot be read; names the file (or origin) and the reason. */
export class ParseError extends Error {
  static override [Symbol.hasInstance](x: unknown): boolean {
    return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[PARSE_BRAND] === true;
  }
  readonly [PARSE_BRAND] = true;
  readonly file: string;
  readonly kind:
    | 'pem'
    | 'der'
    | 'x509'
    | 'pkcs12'
    | 'jks'
    | 'password'
    | 'private-key'
    | 'unsupported'
    | 'empty'
    /** A YAML file (a kubeconfig) that does not parse; the message never quotes it. */
    | 'yaml'
    /** A keystore over a work limit (iterations, key-derivation budget). */
    | 'limit';
  constructor(kind: ParseError['kind'], file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'ParseError';
    this.kind = kind;
    this.file = file;
  }
}

export const EXIT = { clean: 0, findings: 1, config: 2, runtime: 3 } as const;
