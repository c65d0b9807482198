import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);

// src/core/errors.ts
var CONFIG_BRAND = /* @__PURE__ */ Symbol.for("certwarden.ConfigError");
var PARSE_BRAND = /* @__PURE__ */ Symbol.for("certwarden.ParseError");
var ConfigError = class extends Error {
  problems;
  // Brands instead of prototype identity: under loaders that instantiate a module twice (CJS and ESM
  // copies, bundles), `instanceof` must still recognise our errors.
  static [Symbol.hasInstance](x) {
    return typeof x === "object" && x !== null && x[CONFIG_BRAND] === true;
  }
  [CONFIG_BRAND] = true;
  constructor(problems, location = null) {
    const list = typeof problems === "string" ? [{ location, message: problems }] : problems;
    super(list.map(formatProblem).join("\n"));
    this.name = "ConfigError";
    this.problems = list;
  }
};
function formatProblem(p) {
  if (!p.location) return `error: ${p.message}`;
  return `${p.location.file}:${p.location.line}:${p.location.column}: error: ${p.message}`;
}
var ParseError = class extends Error {
  static [Symbol.hasInstance](x) {
    return typeof x === "object" && x !== null && x[PARSE_BRAND] === true;
  }
  [PARSE_BRAND] = true;
  file;
  kind;
  constructor(kind, file, message) {
    super(`${file}: ${message}`);
    this.name = "ParseError";
    this.kind = kind;
    this.file = file;
  }
};
var EXIT = { clean: 0, findings: 1, config: 2, runtime: 3 };

export {
  ConfigError,
  formatProblem,
  ParseError,
  EXIT
};
