// The commands of the CLI, in a registry keyed by name. Each builds the one options object the
// pipeline takes; heavy parts (TLS, Kubernetes, GitHub) are imported only by the commands that use them.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CliIO } from './main.js';
import { ConfigError, EXIT } from '../core/errors.js';
import {
  load,
  collect,
  evaluate,
  exitCodeFor,
  runScan,
  writeAtomic,
  readObservationsFile,
  type FailOn,
  type ScanOptions,
  type ObservationsFile,
} from '../pipeline.js';
import { render, formats } from '../report/index.js';
import { VERSION } from '../core/version.js';
import type { Observation } from '../core/model.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
  help: string;
  valueName?: string;
  defaultText?: string;
}

export interface CommandContext {
  values: Record<string, unknown>;
  positionals: string[];
  io: CliIO;
}

export interface Command {
  summary: string;
  usage?: string;
  description: string;
  options?: Record<string, OptionSpec>;
  examples?: string[];
  run(ctx: CommandContext): Promise<number>;
}

const inventoryOpts: Record<string, OptionSpec> = {
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
const evalOpts: Record<string, OptionSpec> = {
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
    help: 'exit 1 when a finding is at or above LEVEL: error|warning|never',
    defaultText: 'error',
  },
};
const collectOpts: Record<string, OptionSpec> = {
  target: {
    type: 'string',
    multiple: true,
    valueName: 'ID',
    help: 'only this target (a preset id selects all its files); repeatable',
  },
  zone: { type: 'string', valueName: 'NAME', help: 'only targets of this network zone' },
  concurrency: { type: 'string', valueName: 'N', help: 'sources collected at once', defaultText: '50' },
  timeout: {
    type: 'string',
    valueName: 'MS',
    help: 'hard deadline per source: DNS, connect, STARTTLS and handshake',
    defaultText: '10000',
  },
  quiet: { type: 'boolean', short: 'q', help: 'no progress bar' },
};

function dirsOf(v: unknown, fallback: string | null, cwd: string): string[] {
  const list = (v as string[] | undefined) ?? [];
  if (list.length) return list.map((d) => path.resolve(cwd, d));
  if (fallback === null) return [];
  const p = path.resolve(cwd, fallback);
  return existsSync(p) ? [p] : [];
}

function inventoryDirs(values: Record<string, unknown>, cwd: string): string[] {
  const dirs = dirsOf(values.inventory, 'inventory', cwd);
  if (dirs.length === 0)
    throw new ConfigError(`no inventory: ./inventory does not exist here (${cwd}); pass --inventory DIR`);
  for (const d of dirs) if (!existsSync(d)) throw new ConfigError(`inventory path ${d} does not exist`);
  return dirs;
}

function parseNow(v: unknown): Date | undefined {
  if (v === undefined) return undefined;
  const d = new Date(String(v));
  if (Number.isNaN(d.getTime()))
    throw new ConfigError(`--now '${String(v)}' is not a date; expected ISO-8601, e.g. 2026-12-01T00:00:00Z`);
  return d;
}

function parseInt10(v: unknown, name: string, def: number, min = 1): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min)
    throw new ConfigError(`--${name} '${String(v)}' must be a whole number ≥ ${min}`);
  return n;
}

function parseFailOn(v: unknown): FailOn {
  const s = (v as string | undefined) ?? 'error';
  if (s !== 'error' && s !== 'warning' && s !== 'never')
    throw new ConfigError(`--fail-on '${s}' is not valid; expected error, warning or never`);
  return s;
}

function parseFormat(v: unknown): string {
  const f = (v as string | undefined) ?? 'text';
  if (!formats.includes(f))
    throw new ConfigError(`--format '${f}' is not valid; expected one of ${formats.join(', ')}`);
  return f;
}

function scanOptions(values: Record<string, unknown>, io: CliIO): ScanOptions {
  const concurrency = parseInt10(values.concurrency, 'concurrency', 50);
  const timeoutMs = parseInt10(values.timeout, 'timeout', 10_000, 100);
  return {
    inventoryDirs: inventoryDirs(values, io.cwd),
    policyDirs: dirsOf(values.policies, 'policies', io.cwd),
    now: parseNow(values.now),
    format: parseFormat(values.format) as ScanOptions['format'],
    output: values.output as string | undefined,
    failOn: parseFailOn(values['fail-on']),
    concurrency,
    timeoutMs,
    zone: values.zone as string | undefined,
    targets: values.target as string[] | undefined,
    env: io.env,
  };
}

async function progressFor(
  io: CliIO,
  quiet: boolean,
): Promise<((done: number, total: number) => void) | undefined> {
  if (quiet || !io.stderrIsTTY) return undefined;
  const { createProgress } = await import('./progress.js');
  let bar: ReturnType<typeof createProgress> | null = null;
  return (done, total) => {
    bar ??= createProgress(total, { stream: { isTTY: io.stderrIsTTY, write: io.stderr }, label: 'scanning' });
    bar.update(done, total);
    if (done >= total) bar.finish();
  };
}

async function emit(io: CliIO, text: string, output: string | undefined): Promise<void> {
  if (output) await writeAtomic(path.resolve(io.cwd, output), text);
  else io.stdout(text);
}

const validate: Command = {
  summary: 'check inventory and policies: schema, references, files, pins, no private keys',
  usage: '[--inventory DIR]… [--policies DIR]…',
  description:
    'Loads every inventory file and policy pack and reports every problem as FILE:LINE:COLUMN: error: MESSAGE\n(and as GitHub annotations inside Actions). Exit 0 when valid, 2 otherwise. Nothing is contacted.',
  options: { ...inventoryOpts },
  examples: ['certwarden validate', 'certwarden validate --inventory inventory/ --policies policies/'],
  async run({ values, io }) {
    const loaded = await load({
      inventoryDirs: inventoryDirs(values, io.cwd),
      policyDirs: dirsOf(values.policies, 'policies', io.cwd),
      env: io.env,
    });
    io.stdout(
      `valid: ${loaded.inventory.inventories.length} inventory file(s), ${loaded.inventory.targets.length} target(s), ${loaded.inventory.anchors.size} anchor(s), ${loaded.inventory.bundles.length} bundle(s)\n`,
    );
    return EXIT.clean;
  },
};

const scan: Command = {
  summary: 'collect every target and evaluate it: the whole pipeline',
  usage:
    '[--inventory DIR]… [--policies DIR]… [--target ID]… [--zone NAME] [--now ISO] [--format F] [--output FILE] [--fail-on L]',
  description:
    'Collects what each target really presents, compares it with the inventory and the policy rules, and reports findings.',
  options: { ...inventoryOpts, ...collectOpts, ...evalOpts },
  examples: [
    'certwarden scan',
    'certwarden scan --inventory inventory/example --now 2026-12-01T00:00:00Z',
    'certwarden scan --format json --output report.json --fail-on warning',
    'certwarden scan --zone albion --timeout 5000 --concurrency 200',
  ],
  async run({ values, io }) {
    const opts = scanOptions(values, io);
    opts.onProgress = await progressFor(io, Boolean(values.quiet));
    const { report, exitCode } = await runScan(opts);
    await emit(
      io,
      await render(opts.format ?? 'text', report, { color: !opts.output && io.stdoutIsTTY }),
      opts.output,
    );
    return exitCode;
  },
};

const collectCmd: Command = {
  summary: 'the first half of scan: write observations JSON (per zone or shard)',
  usage: '[--inventory DIR]… [--zone NAME] [--target ID]… [--output FILE]',
  description:
    'Collects what each target presents and writes the observations as JSON, for `certwarden evaluate` to judge later (e.g. one job per network zone).',
  options: { ...inventoryOpts, ...collectOpts, now: evalOpts.now!, output: evalOpts.output! },
  examples: ['certwarden collect --zone albion --output observations-albion.json'],
  async run({ values, io }) {
    const opts = scanOptions(values, io);
    opts.onProgress = await progressFor(io, Boolean(values.quiet));
    const loaded = await load(opts);
    const now = opts.now ?? new Date();
    const observations = await collect(loaded, { ...opts, now });
    const file: ObservationsFile = {
      schemaVersion: 1,
      kind: 'certwarden/observations',
      tool: { name: 'certwarden', version: VERSION },
      collectedAt: now.toISOString(),
      zone: opts.zone ?? null,
      observations,
    };
    await emit(io, JSON.stringify(file) + '\n', opts.output);
    io.stderr(`collected ${observations.length} observation(s) from ${loaded.targets.length} target(s)\n`);
    return EXIT.clean;
  },
};

const evaluateCmd: Command = {
  summary: 'the second half of scan: judge observations files against inventory and policies',
  usage:
    '--observations FILE… [--inventory DIR]… [--policies DIR]… [--now ISO] [--format F] [--output FILE] [--fail-on L]',
  description:
    'Evaluates observations written by `certwarden collect` (several zones at once) into one report.',
  options: {
    ...inventoryOpts,
    observations: {
      type: 'string',
      multiple: true,
      valueName: 'FILE',
      help: 'observations JSON from collect; repeatable',
    },
    ...evalOpts,
  },
  examples: [
    'certwarden evaluate --observations obs-albion.json --observations obs-avilla.json --format json -o report.json',
  ],
  async run({ values, io }) {
    const files = (values.observations as string[] | undefined) ?? [];
    if (!files.length)
      throw new ConfigError(
        'evaluate needs at least one --observations FILE (written by certwarden collect)',
      );
    const opts = scanOptions(values, io);
    const loaded = await load({ ...opts, zone: undefined, targets: undefined });
    const observations: Observation[] = files.flatMap(
      (f) => readObservationsFile(path.resolve(io.cwd, f)).observations,
    );
    const report = evaluate(loaded, observations, opts.now ?? new Date());
    await emit(
      io,
      await render(opts.format ?? 'text', report, { color: !opts.output && io.stdoutIsTTY }),
      opts.output,
    );
    return exitCodeFor(report, opts.failOn ?? 'error');
  },
};

const inspect: Command = {
  summary: 'a quick human look at a server (host:port) or a certificate file, no inventory needed',
  usage: 'TARGET',
  description:
    'TARGET is host:port ([v6]:port for IPv6) or a file (PEM, DER, PKCS#12, JKS). Shows each certificate, the chain as presented, protocol and cipher, and whether the chain is trusted by the platform roots.',
  options: {
    'server-name': {
      type: 'string',
      valueName: 'NAME',
      help: 'SNI name to send (default: the host, unless it is an IP)',
    },
    starttls: { type: 'string', valueName: 'PROTO', help: 'smtp|imap|pop3|ldap|postgres' },
    via: { type: 'string', valueName: 'URL', help: 'proxy: http://host:port or socks5://host:port' },
    timeout: collectOpts.timeout!,
    password: {
      type: 'string',
      valueName: 'ENV',
      help: 'for PKCS#12/JKS files: the environment variable holding the password',
    },
    now: evalOpts.now!,
  },
  examples: [
    'certwarden inspect example.internal:443',
    'certwarden inspect smtp.internal:25 --starttls smtp',
    'certwarden inspect ./tls.crt',
  ],
  async run({ values, positionals, io }) {
    const target = positionals[0];
    if (!target) throw new ConfigError('inspect needs a TARGET: host:port or a file');
    const { runInspect } = await import('../commands/inspect.js');
    return runInspect(target, values, io);
  },
};

const discover: Command = {
  summary: 'list certificate-bearing objects in a cluster and print inventory YAML for them',
  usage: '--cluster NAME [--inventory DIR]… | --kubeconfig FILE [--context C] [--all]',
  description:
    'Lists TLS Secrets, CA ConfigMaps, webhook and APIService caBundles, CSRs and cert-manager Certificates across namespaces, and prints ready-to-commit inventory YAML for the objects no target declares (--all: every object).',
  options: {
    ...inventoryOpts,
    cluster: { type: 'string', valueName: 'NAME', help: "a cluster from the inventory's clusters" },
    kubeconfig: {
      type: 'string',
      valueName: 'FILE',
      help: 'a kubeconfig file instead of an inventory cluster',
    },
    context: { type: 'string', valueName: 'NAME', help: 'kubeconfig context' },
    namespace: {
      type: 'string',
      multiple: true,
      valueName: 'NS',
      help: 'only these namespaces (default: all)',
    },
    all: { type: 'boolean', help: 'print every object, declared or not' },
    output: evalOpts.output!,
  },
  examples: [
    'certwarden discover --cluster avilla > inventory/avilla-discovered.yaml',
    'certwarden discover --kubeconfig ~/.kube/config --context prod --all',
  ],
  async run({ values, io }) {
    const mod = await import('../commands/discover.js');
    return mod.runDiscoverCommand(values, io);
  },
};

const testCmd: Command = {
  summary: 'run policy unit tests kept beside policies (*.test.yaml)',
  usage: '[DIR…]',
  description:
    'Builds the fixture certificates each test describes, evaluates them under the policies, and checks the findings each must and must not produce.',
  examples: ['certwarden test policies/', 'certwarden test my-policies/ policies/'],
  async run({ positionals, io }) {
    const { runPolicyTests } = await import('../policy/test-runner.js');
    const dirs = (positionals.length ? positionals : ['policies']).map((d) => path.resolve(io.cwd, d));
    const res = await runPolicyTests(dirs, { out: (line) => io.stdout(line + '\n') });
    return res.exitCode;
  },
};

const sync: Command = {
  summary: 'bring GitHub issues, the dashboard issue and pull requests in line with a report',
  usage: '[--report FILE] [--repo OWNER/NAME] [--issues-min-severity L] [--dry-run]',
  description:
    'Plans issue, dashboard and pull-request changes from a JSON report (default: scans first), then applies them.\nGitHub access from GITHUB_TOKEN, GITHUB_REPOSITORY and GITHUB_API_URL. --dry-run prints the plan.',
  options: {
    ...inventoryOpts,
    report: { type: 'string', valueName: 'FILE', help: 'a JSON report from scan --format json' },
    repo: { type: 'string', valueName: 'OWNER/NAME', help: 'repository', defaultText: '$GITHUB_REPOSITORY' },
    'issues-min-severity': {
      type: 'string',
      valueName: 'LEVEL',
      help: 'open issues for findings at or above: info|warning|error',
      defaultText: 'warning',
    },
    'bot-login': {
      type: 'string',
      valueName: 'LOGIN',
      help: 'login whose markers are trusted when GET /user is not allowed',
    },
    'dry-run': { type: 'boolean', help: 'print the plan, change nothing' },
    now: evalOpts.now!,
  },
  examples: [
    'certwarden scan --format json -o report.json && certwarden sync --report report.json --dry-run',
  ],
  async run({ values, io }) {
    const { runSyncCommand } = await import('../commands/sync.js');
    return runSyncCommand(values, io);
  },
};

const renew: Command = {
  summary: 'apply merged renewal requests (Kubernetes CSR API)',
  usage: '[--inventory DIR]… [--renewals DIR] [--dry-run]',
  description: 'Applies each merged, not yet applied renewal request under the renewals folder.',
  options: {
    ...inventoryOpts,
    renewals: { type: 'string', valueName: 'DIR', help: 'request files', defaultText: './renewals' },
    'dry-run': { type: 'boolean', help: 'say what would be done' },
  },
  async run({ values, io }) {
    const { runRenewCommand } = await import('../commands/renew.js');
    return runRenewCommand(values, io);
  },
};

const demo: Command = {
  summary: 'start a lab on 127.0.0.1 (PKI, faulty TLS endpoints, trust bundle) and scan it end to end',
  description:
    'Builds a small PKI, serves TLS endpoints with typical faults on loopback, writes their inventory to a temporary folder, scans it, prints the report and stops everything it started. No network beyond 127.0.0.1.',
  options: {
    format: evalOpts.format!,
    keep: { type: 'boolean', help: 'keep the temporary folder (its path is printed)' },
  },
  examples: ['certwarden demo', 'npm run demo'],
  async run({ values, io }) {
    const { runDemo } = await import('../commands/demo.js');
    return runDemo({ ...io, format: parseFormat(values.format), keep: Boolean(values.keep) });
  },
};

export const commands: Record<string, Command> = {
  validate,
  scan,
  collect: collectCmd,
  evaluate: evaluateCmd,
  inspect,
  discover,
  test: testCmd,
  sync,
  renew,
  demo,
};
