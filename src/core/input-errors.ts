// Errors about files that may hold secrets (kubeconfigs, reports, observations, renewal requests,
// any path a user points us at): they name the file, the line, the column and the kind of problem,
// never the content. Parsers' own messages quote the document (the `yaml` library adds a code frame
// of the bad and the previous line, V8 a snippet of the JSON), so only their codes and positions
// are used here. URLs lose their userinfo before they are printed.
import { parseDocument, type YAMLError } from 'yaml';
import type { Problem } from './errors.js';

/** The `yaml` library's error codes, in words. */
const YAML_KINDS: Record<string, string> = {
  ALIAS_PROPS: 'an alias cannot carry an anchor or a tag',
  BAD_ALIAS: 'an alias refers to an anchor that is not defined before it',
  BAD_COLLECTION_TYPE: 'a tag does not fit the collection it is on',
  BAD_DIRECTIVE: 'a malformed or unknown % directive',
  BAD_DQ_ESCAPE: 'an invalid escape sequence in a double-quoted string',
  BAD_INDENT: 'bad indentation',
  BAD_PROP_ORDER: 'an anchor or tag before the indicator it belongs after',
  BAD_SCALAR_START: 'a plain value starts with a reserved character (quote it)',
  BLOCK_AS_IMPLICIT_KEY: 'a block collection used as an implicit key',
  BLOCK_IN_FLOW: 'a block collection inside a flow collection',
  DUPLICATE_KEY: 'a key appears twice in one mapping',
  IMPOSSIBLE: 'the YAML parser reached an impossible state',
  KEY_OVER_1024_CHARS: 'an implicit key longer than 1024 characters',
  MISSING_CHAR: 'a missing quote, bracket, comma or colon',
  MULTILINE_IMPLICIT_KEY:
    'an implicit key spans more than one line (a missing colon, or a value that lost its indentation)',
  MULTIPLE_ANCHORS: 'more than one anchor on one node',
  MULTIPLE_DOCS: 'more than one document where one is expected',
  MULTIPLE_TAGS: 'more than one tag on one node',
  NON_STRING_KEY: 'a key that is not a string',
  RESOURCE_EXHAUSTION: 'too many alias expansions (refused as a possible alias bomb)',
  TAB_AS_INDENT: 'a tab character used for indentation',
  TAG_RESOLVE_FAILED: 'a tag that is not allowed here',
  UNEXPECTED_TOKEN: 'unexpected content (often a line that lost its indentation)',
};

/**
 * One `yaml` parse error as a problem at FILE:LINE:COLUMN, in words, without the document's text.
 * The position comes from the error's offset in `text` (prettyErrors, which would set linePos, also
 * adds a code frame of the document to the message).
 */
export function yamlProblem(
  err: Pick<YAMLError, 'code' | 'pos' | 'linePos'>,
  text: string,
  file: string,
): Problem {
  const at = err.linePos?.[0];
  const loc = at ? { line: at.line, column: at.col } : lineColumn(text, err.pos?.[0] ?? 0);
  return {
    location: { file, ...loc },
    message: `not valid YAML: ${YAML_KINDS[err.code] ?? 'a syntax error'} (the content is not shown)`,
  };
}

/** True for the error `yaml` throws when toJS() meets more aliases than maxAliasCount allows. */
export function isAliasBomb(err: unknown): boolean {
  return err instanceof ReferenceError && /alias/i.test(err.message);
}

/** The alias-bomb problem, at the document's start. */
export function aliasBombProblem(file: string, max: number): Problem {
  return {
    location: { file, line: 1, column: 1 },
    message: `not valid YAML: more than ${max} alias expansions, refused as a possible alias bomb; write the values out instead`,
  };
}

/**
 * Parses one YAML document of a file that may hold secrets. The result is its data, or the first
 * problem (syntax, or more than `maxAliasCount` alias expansions) located and described without
 * the file's content.
 */
export function parseSecretYaml(
  text: string,
  file: string,
  maxAliasCount: number,
): { ok: true; data: unknown } | { ok: false; problem: Problem } {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  const err = doc.errors[0];
  if (err) return { ok: false, problem: yamlProblem(err, text, file) };
  try {
    return { ok: true, data: doc.toJS({ maxAliasCount }) as unknown };
  } catch (e) {
    if (isAliasBomb(e)) return { ok: false, problem: aliasBombProblem(file, maxAliasCount) };
    return {
      ok: false,
      problem: {
        location: { file, line: 1, column: 1 },
        message: 'not readable YAML (the content is not shown)',
      },
    };
  }
}

const JSON_KINDS: [RegExp, string][] = [
  [/Unexpected end of JSON input|Unexpected end of input/i, 'the JSON ends too early'],
  [/Unterminated string/i, 'a string is not closed'],
  [/Bad control character/i, 'a control character inside a string'],
  [/Bad (Unicode )?escape/i, 'a bad escape sequence in a string'],
  [/property name/i, 'expected a property name in double quotes'],
  [/Expected ',' or '}'/, "expected ',' or '}' after a property value"],
  [/Expected ',' or ']'/, "expected ',' or ']' after an array element"],
  [/non-whitespace character after JSON/i, 'more content after the JSON value'],
  [/number|Exponent/i, 'a malformed number'],
  [/Unexpected token|Unexpected character/i, 'an unexpected character'],
];

/** Line and column (1-based) of a character offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: end - last };
}

/**
 * A JSON.parse failure as a problem at FILE:LINE:COLUMN (when the engine gives a position) with the
 * kind of problem in words. V8's message may quote the input, so it is read for its kind and
 * position only.
 */
export function jsonProblem(err: unknown, text: string, file: string): Problem {
  const msg = err instanceof Error ? err.message : '';
  const kind =
    text.trim() === ''
      ? 'the file is empty'
      : (JSON_KINDS.find(([re]) => re.test(msg))?.[1] ?? 'a syntax error');
  const at = /at position (\d+)/.exec(msg);
  const loc = at ? lineColumn(text, Number(at[1])) : null;
  return {
    location: loc ? { file, ...loc } : null,
    message: `not valid JSON: ${kind} (the content is not shown)`,
  };
}

/** JSON.parse, or a thrown problem-shaped error naming FILE:LINE:COLUMN and the kind of problem. */
export function parseJsonText(text: string, file: string): { value: unknown } | { problem: Problem } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (e) {
    return { problem: jsonProblem(e, text, file) };
  }
}

// scheme://userinfo@ — the authority ends at the first / ? # (WHATWG), so the last @ before those
// ends the userinfo.
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*(?:@[^\s/?#@]*)*@/gi;

/** Removes `user:password@` from every URL in a text (`https://u:p@host/` -> `https://host/`). */
export function stripUserinfo(s: string): string {
  return String(s).replace(USERINFO, '$1');
}
