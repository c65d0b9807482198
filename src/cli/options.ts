// argv -> typed options: the option tables shared by several commands and the parsers that turn
// their values into what the commands take. Paths resolve against the working directory.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../core/errors.js';
import { formats } from '../report/index.js';
import type { FailOn, OutputFormat } from '../pipeline.js';
import type { CliIO } from './io.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
  help: string;
  valueName?: string;
  defaultText?: string;
  /** Accepted but not listed in --help (an alias kept for old command lines). */
  hidden?: boolean;
}

/** What a command's run gets: parsed option values, positionals, and where to write. */
export interface CommandContext {
  values: Record<string, unknown>;
  positionals: string[];
  io: CliIO;
}

/** One CLI command: its help and options, and a run that loads the command only when called. */
export interface Command {
  summary: string;
  usage?: string;
  description: string;
  options?: Record<string, OptionSpec>;
  /** Positional arguments it takes (none when absent): their name in messages and how many at most. */
  args?: { name: string; max: number };
  examples?: string[];
  run(ctx: CommandContext): Promise<number>;
}

export const inventoryOpts: Record<string, OptionSpec> = {
  inventory: {
    type: 'string',
    multiple: true,
    valueName: 'DIR',
    help: 'inventory folder or file; repeat for several',
    defaultText: './inventory',
  },
  policies: {
    type: 'string',
    multiple: true,
    valueName: 'DIR',
    help: 'extra policy packs, added to the shipped ones (same name: yours wins)',
    defaultText: './policies if present',
  },
};

export const evalOpts: Record<'now' | 'format' | 'output' | 'fail-on', OptionSpec> = {
  now: {
    type: 'string',
    valueName: 'ISO-8601',
    help: 'evaluate as if it were this time (expiry, validity, waivers)',
    defaultText: 'the current time',
  },
  format: {
    type: 'string',
    valueName: 'FORMAT',
    help: `report format: ${formats.join('|')}`,
    defaultText: 'text',
  },
  output: {
    type: 'string',
    short: 'o',
    valueName: 'FILE',
    help: 'write the report to FILE (written whole or not at all)',
    defaultText: 'stdout',
  },
  'fail-on': {
    type: 'string',
    valueName: 'LEVEL',
    help: 'exit 1 when a finding is at or above LEVEL: error|warning|info|never',
    defaultText: 'error',
  },
};

export const colorOpt: OptionSpec = {
  type: 'string',
  valueName: 'WHEN',
  help: 'auto|always|never: colour the text report (auto: on a terminal, unless NO_COLOR is set; FORCE_COLOR forces it)',
  defaultText: 'auto',
};

export const collectOpts: Record<
  'target' | 'zone' | 'concurrency' | 'timeout' | 'offline' | 'quiet',
  OptionSpec
> = {
  target: {
    type: 'string',
    multiple: true,
    valueName: 'ID',
    help: 'only this target or bundle (a preset id selects all its files); repeatable',
  },
  zone: { type: 'string', valueName: 'NAME', help: 'only targets of this network zone' },
  concurrency: { type: 'string', valueName: 'N', help: 'sources collected at once', defaultText: '50' },
  timeout: {
    type: 'string',
    valueName: 'MS',
    help: 'hard deadline per source: DNS, connect, STARTTLS and handshake',
    defaultText: '10000',
  },
  offline: {
    type: 'boolean',
    help: 'fetch nothing (no OCSP, CRL or issuer download), for air-gapped zones; stapled responses are still read. For some targets only: network: {fetch: false} in the inventory',
  },
  quiet: { type: 'boolean', short: 'q', help: 'no progress bar' },
};

/** The option's strings (repeatable options), or [] when absent. */
export function strings(v: unknown): string[] {
  return Array.isArray(v)
    ? v.filter((x): x is string => typeof x === 'string')
    : typeof v === 'string'
      ? [v]
      : [];
}

/** The folders given, resolved; none given: `fallback` under cwd when it exists, else []. */
export function dirsOf(v: unknown, fallback: string | null, cwd: string): string[] {
  const list = strings(v);
  if (list.length) return list.map((d) => path.resolve(cwd, d));
  if (fallback === null) return [];
  const p = path.resolve(cwd, fallback);
  return existsSync(p) ? [p] : [];
}

/** --inventory, default ./inventory; a ConfigError when there is none or a folder is missing. */
export function inventoryDirs(values: Record<string, unknown>, cwd: string): string[] {
  const dirs = dirsOf(values.inventory, 'inventory', cwd);
  if (dirs.length === 0)
    throw new ConfigError(`no inventory: ./inventory does not exist here (${cwd}); pass --inventory DIR`);
  for (const d of dirs) if (!existsSync(d)) throw new ConfigError(`inventory path ${d} does not exist`);
  return dirs;
}

export function parseNow(v: unknown): Date | undefined {
  if (v === undefined) return undefined;
  const d = new Date(String(v));
  if (Number.isNaN(d.getTime()))
    throw new ConfigError(`--now '${String(v)}' is not a date; expected ISO-8601, e.g. 2026-12-01T00:00:00Z`);
  return d;
}

export function parseInt10(v: unknown, name: string, def: number, min = 1): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min)
    throw new ConfigError(`--${name} '${String(v)}' must be a whole number ≥ ${min}`);
  return n;
}

const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'info', 'never'];

export function parseFailOn(v: unknown): FailOn {
  const s = (v as string | undefined) ?? 'error';
  if (!(FAIL_ON as readonly string[]).includes(s))
    throw new ConfigError(`--fail-on '${s}' is not valid; expected error, warning, info or never`);
  return s as FailOn;
}

/**
 * Whether the text report on stdout is coloured: --color always|never decides; with auto (the
 * default) FORCE_COLOR (set, not 0/false) turns it on, NO_COLOR (set, not empty) off, else only a
 * terminal that is not TERM=dumb gets colour. https://no-color.org and https://force-color.org.
 */
export function colorFor(v: unknown, io: Pick<CliIO, 'env' | 'stdoutIsTTY'>): boolean {
  const when = (v as string | undefined) ?? 'auto';
  if (when === 'always') return true;
  if (when === 'never') return false;
  if (when !== 'auto')
    throw new ConfigError(`--color '${when}' is not valid; expected auto, always or never`);
  const force = io.env.FORCE_COLOR;
  if (force !== undefined && force !== '0' && force !== 'false') return true;
  if (io.env.NO_COLOR) return false;
  return io.stdoutIsTTY && io.env.TERM !== 'dumb';
}

/** An --output file whose folder exists; a ConfigError in plain words otherwise (checked before any work). */
export function outputFile(v: unknown, cwd: string, what = '--output'): string | undefined {
  if (typeof v !== 'string') return undefined;
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
      `${what} ${v}: the folder ${path.relative(cwd, dir) || '.'} does not exist; create it first (mkdir -p ${path.relative(cwd, dir) || '.'})`,
    );
  if (existsSync(file) && statSync(file).isDirectory())
    throw new ConfigError(`${what} ${v}: that is a folder; give a file name`);
  return file;
}

export function parseFormat(v: unknown): OutputFormat {
  const f = (v as string | undefined) ?? 'text';
  if (!formats.includes(f))
    throw new ConfigError(`--format '${f}' is not valid; expected one of ${formats.join(', ')}`);
  return f as OutputFormat;
}

/** The options scan, collect and evaluate share, parsed in the order their errors are reported. */
export interface ParsedScanOptions {
  concurrency: number;
  timeoutMs: number;
  inventoryDirs: string[];
  policyDirs: string[];
  now: Date | undefined;
  format: OutputFormat;
  /** Absolute report file; undefined: stdout. */
  output: string | undefined;
  failOn: FailOn;
  zone: string | undefined;
  targets: string[] | undefined;
  env: NodeJS.ProcessEnv;
  offline: boolean;
}

export function scanOptions(values: Record<string, unknown>, io: CliIO): ParsedScanOptions {
  const concurrency = parseInt10(values.concurrency, 'concurrency', 50);
  const timeoutMs = parseInt10(values.timeout, 'timeout', 10_000, 100);
  return {
    concurrency,
    timeoutMs,
    inventoryDirs: inventoryDirs(values, io.cwd),
    policyDirs: dirsOf(values.policies, 'policies', io.cwd),
    now: parseNow(values.now),
    format: parseFormat(values.format),
    output: outputFile(values.output, io.cwd),
    failOn: parseFailOn(values['fail-on']),
    zone: values.zone as string | undefined,
    targets: values.target as string[] | undefined,
    env: io.env,
    offline: values.offline === true,
  };
}
