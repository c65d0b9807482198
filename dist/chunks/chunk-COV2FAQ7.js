import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  formats
} from "./chunk-LWH7DEBG.js";
import {
  ConfigError
} from "./chunk-WW3ZWNRQ.js";

// src/cli/options.ts
import { existsSync, statSync } from "node:fs";
import path from "node:path";
var inventoryOpts = {
  inventory: {
    type: "string",
    multiple: true,
    valueName: "DIR",
    help: "inventory folder or file; repeat for several",
    defaultText: "./inventory"
  },
  policies: {
    type: "string",
    multiple: true,
    valueName: "DIR",
    help: "extra policy packs, added to the shipped ones (same name: yours wins)",
    defaultText: "./policies if present"
  }
};
var evalOpts = {
  now: {
    type: "string",
    valueName: "ISO-8601",
    help: "evaluate as if it were this time (expiry, validity, waivers)",
    defaultText: "the current time"
  },
  format: {
    type: "string",
    valueName: "FORMAT",
    help: `report format: ${formats.join("|")}`,
    defaultText: "text"
  },
  output: {
    type: "string",
    short: "o",
    valueName: "FILE",
    help: "write the report to FILE (written whole or not at all)",
    defaultText: "stdout"
  },
  "fail-on": {
    type: "string",
    valueName: "LEVEL",
    help: "exit 1 when a finding is at or above LEVEL: error|warning|info|never",
    defaultText: "error"
  }
};
var colorOpt = {
  type: "string",
  valueName: "WHEN",
  help: "auto|always|never: colour the text report (auto: on a terminal, unless NO_COLOR is set; FORCE_COLOR forces it)",
  defaultText: "auto"
};
var collectOpts = {
  target: {
    type: "string",
    multiple: true,
    valueName: "ID",
    help: "only this target or bundle (a preset id selects all its files); repeatable"
  },
  zone: { type: "string", valueName: "NAME", help: "only targets of this network zone" },
  concurrency: { type: "string", valueName: "N", help: "sources collected at once", defaultText: "50" },
  timeout: {
    type: "string",
    valueName: "MS",
    help: "hard deadline per source: DNS, connect, STARTTLS and handshake",
    defaultText: "10000"
  },
  offline: {
    type: "boolean",
    help: "fetch nothing (no OCSP, CRL or issuer download), for air-gapped zones; stapled responses are still read. For some targets only: network: {fetch: false} in the inventory"
  },
  quiet: { type: "boolean", short: "q", help: "no progress bar" }
};
function strings(v) {
  return Array.isArray(v) ? v.filter((x) => typeof x === "string") : typeof v === "string" ? [v] : [];
}
function dirsOf(v, fallback, cwd) {
  const list = strings(v);
  if (list.length) return list.map((d) => path.resolve(cwd, d));
  if (fallback === null) return [];
  const p = path.resolve(cwd, fallback);
  return existsSync(p) ? [p] : [];
}
function inventoryDirs(values, cwd) {
  const dirs = dirsOf(values.inventory, "inventory", cwd);
  if (dirs.length === 0)
    throw new ConfigError(`no inventory: ./inventory does not exist here (${cwd}); pass --inventory DIR`);
  for (const d of dirs) if (!existsSync(d)) throw new ConfigError(`inventory path ${d} does not exist`);
  return dirs;
}
function parseNow(v) {
  if (v === void 0) return void 0;
  const d = new Date(String(v));
  if (Number.isNaN(d.getTime()))
    throw new ConfigError(`--now '${String(v)}' is not a date; expected ISO-8601, e.g. 2026-12-01T00:00:00Z`);
  return d;
}
function parseInt10(v, name, def, min = 1) {
  if (v === void 0) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min)
    throw new ConfigError(`--${name} '${String(v)}' must be a whole number \u2265 ${min}`);
  return n;
}
var FAIL_ON = ["error", "warning", "info", "never"];
function parseFailOn(v) {
  const s = v ?? "error";
  if (!FAIL_ON.includes(s))
    throw new ConfigError(`--fail-on '${s}' is not valid; expected error, warning, info or never`);
  return s;
}
function colorFor(v, io) {
  const when = v ?? "auto";
  if (when === "always") return true;
  if (when === "never") return false;
  if (when !== "auto")
    throw new ConfigError(`--color '${when}' is not valid; expected auto, always or never`);
  const force = io.env.FORCE_COLOR;
  if (force !== void 0 && force !== "0" && force !== "false") return true;
  if (io.env.NO_COLOR) return false;
  return io.stdoutIsTTY && io.env.TERM !== "dumb";
}
function outputFile(v, cwd, what = "--output") {
  if (typeof v !== "string") return void 0;
  const file = path.resolve(cwd, v);
  const dir = path.dirname(file);
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir)
    throw new ConfigError(
      `${what} ${v}: the folder ${path.relative(cwd, dir) || "."} does not exist; create it first (mkdir -p ${path.relative(cwd, dir) || "."})`
    );
  if (existsSync(file) && statSync(file).isDirectory())
    throw new ConfigError(`${what} ${v}: that is a folder; give a file name`);
  return file;
}
function parseFormat(v) {
  const f = v ?? "text";
  if (!formats.includes(f))
    throw new ConfigError(`--format '${f}' is not valid; expected one of ${formats.join(", ")}`);
  return f;
}
function scanOptions(values, io) {
  const concurrency = parseInt10(values.concurrency, "concurrency", 50);
  const timeoutMs = parseInt10(values.timeout, "timeout", 1e4, 100);
  return {
    concurrency,
    timeoutMs,
    inventoryDirs: inventoryDirs(values, io.cwd),
    policyDirs: dirsOf(values.policies, "policies", io.cwd),
    now: parseNow(values.now),
    format: parseFormat(values.format),
    output: outputFile(values.output, io.cwd),
    failOn: parseFailOn(values["fail-on"]),
    zone: values.zone,
    targets: values.target,
    env: io.env,
    offline: values.offline === true
  };
}

export {
  inventoryOpts,
  evalOpts,
  colorOpt,
  collectOpts,
  strings,
  dirsOf,
  inventoryDirs,
  parseNow,
  parseInt10,
  colorFor,
  outputFile,
  parseFormat,
  scanOptions
};
