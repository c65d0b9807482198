import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  require_dist
} from "./chunk-LOAWET6W.js";
import {
  __toESM
} from "./chunk-DDCI7ZLU.js";

// src/core/input-errors.ts
var import_yaml = __toESM(require_dist(), 1);
var YAML_KINDS = {
  ALIAS_PROPS: "an alias cannot carry an anchor or a tag",
  BAD_ALIAS: "an alias refers to an anchor that is not defined before it",
  BAD_COLLECTION_TYPE: "a tag does not fit the collection it is on",
  BAD_DIRECTIVE: "a malformed or unknown % directive",
  BAD_DQ_ESCAPE: "an invalid escape sequence in a double-quoted string",
  BAD_INDENT: "bad indentation",
  BAD_PROP_ORDER: "an anchor or tag before the indicator it belongs after",
  BAD_SCALAR_START: "a plain value starts with a reserved character (quote it)",
  BLOCK_AS_IMPLICIT_KEY: "a block collection used as an implicit key",
  BLOCK_IN_FLOW: "a block collection inside a flow collection",
  DUPLICATE_KEY: "a key appears twice in one mapping",
  IMPOSSIBLE: "the YAML parser reached an impossible state",
  KEY_OVER_1024_CHARS: "an implicit key longer than 1024 characters",
  MISSING_CHAR: "a missing quote, bracket, comma or colon",
  MULTILINE_IMPLICIT_KEY: "an implicit key spans more than one line (a missing colon, or a value that lost its indentation)",
  MULTIPLE_ANCHORS: "more than one anchor on one node",
  MULTIPLE_DOCS: "more than one document where one is expected",
  MULTIPLE_TAGS: "more than one tag on one node",
  NON_STRING_KEY: "a key that is not a string",
  RESOURCE_EXHAUSTION: "too many alias expansions (refused as a possible alias bomb)",
  TAB_AS_INDENT: "a tab character used for indentation",
  TAG_RESOLVE_FAILED: "a tag that is not allowed here",
  UNEXPECTED_TOKEN: "unexpected content (often a line that lost its indentation)"
};
function yamlProblem(err, text, file) {
  const at = err.linePos?.[0];
  const loc = at ? { line: at.line, column: at.col } : lineColumn(text, err.pos?.[0] ?? 0);
  return {
    location: { file, ...loc },
    message: `not valid YAML: ${YAML_KINDS[err.code] ?? "a syntax error"} (the content is not shown)`
  };
}
function isAliasBomb(err) {
  return err instanceof ReferenceError && /alias/i.test(err.message);
}
function aliasBombProblem(file, max) {
  return {
    location: { file, line: 1, column: 1 },
    message: `not valid YAML: more than ${max} alias expansions, refused as a possible alias bomb; write the values out instead`
  };
}
function parseSecretYaml(text, file, maxAliasCount) {
  const doc = (0, import_yaml.parseDocument)(text, { uniqueKeys: true, prettyErrors: false });
  const err = doc.errors[0];
  if (err) return { ok: false, problem: yamlProblem(err, text, file) };
  try {
    return { ok: true, data: doc.toJS({ maxAliasCount }) };
  } catch (e) {
    if (isAliasBomb(e)) return { ok: false, problem: aliasBombProblem(file, maxAliasCount) };
    return {
      ok: false,
      problem: {
        location: { file, line: 1, column: 1 },
        message: "not readable YAML (the content is not shown)"
      }
    };
  }
}
var JSON_KINDS = [
  [/Unexpected end of JSON input|Unexpected end of input/i, "the JSON ends too early"],
  [/Unterminated string/i, "a string is not closed"],
  [/Bad control character/i, "a control character inside a string"],
  [/Bad (Unicode )?escape/i, "a bad escape sequence in a string"],
  [/property name/i, "expected a property name in double quotes"],
  [/Expected ',' or '}'/, "expected ',' or '}' after a property value"],
  [/Expected ',' or ']'/, "expected ',' or ']' after an array element"],
  [/non-whitespace character after JSON/i, "more content after the JSON value"],
  [/number|Exponent/i, "a malformed number"],
  [/Unexpected token|Unexpected character/i, "an unexpected character"]
];
function lineColumn(text, offset) {
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
function jsonProblem(err, text, file) {
  const msg = err instanceof Error ? err.message : "";
  const kind = text.trim() === "" ? "the file is empty" : JSON_KINDS.find(([re]) => re.test(msg))?.[1] ?? "a syntax error";
  const at = /at position (\d+)/.exec(msg);
  const loc = at ? lineColumn(text, Number(at[1])) : null;
  return {
    location: loc ? { file, ...loc } : null,
    message: `not valid JSON: ${kind} (the content is not shown)`
  };
}
function parseJsonText(text, file) {
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    return { problem: jsonProblem(e, text, file) };
  }
}
var USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*(?:@[^\s/?#@]*)*@/gi;
function stripUserinfo(s) {
  return String(s).replace(USERINFO, "$1");
}

export {
  parseSecretYaml,
  parseJsonText,
  stripUserinfo
};
