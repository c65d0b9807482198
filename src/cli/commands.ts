// The commands of the CLI, in a registry keyed by name: each one's help and options here, its run in
// a module of its own, imported only when that command runs (so --help and --version load nothing
// heavy, and validate never loads the GitHub or Kubernetes clients).
import { collectOpts, evalOpts, inventoryOpts, type Command } from './options.js';

export type { Command } from './options.js';

const validate: Command = {
  summary: 'check inventory and policies: schema, references, files, pins, no private keys',
  usage: '[--inventory DIR]… [--policies DIR]…',
  description:
    'Loads every inventory file and policy pack and reports every problem as FILE:LINE:COLUMN: error: MESSAGE\n(and as GitHub annotations inside Actions). Exit 0 when valid, 2 otherwise. Nothing is contacted.',
  options: { ...inventoryOpts },
  examples: ['certwarden validate', 'certwarden validate --inventory inventory/ --policies policies/'],
  run: async (ctx) => (await import('./validate.js')).run(ctx),
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
  run: async (ctx) => (await import('./scan.js')).runScan(ctx),
};

const collect: Command = {
  summary: 'the first half of scan: write observations JSON (per zone or shard)',
  usage: '[--inventory DIR]… [--zone NAME] [--target ID]… [--output FILE]',
  description:
    'Collects what each target presents and writes the observations as JSON, for `certwarden evaluate` to judge later (e.g. one job per network zone).',
  options: { ...inventoryOpts, ...collectOpts, now: evalOpts.now, output: evalOpts.output },
  examples: ['certwarden collect --zone albion --output observations-albion.json'],
  run: async (ctx) => (await import('./scan.js')).runCollect(ctx),
};

const evaluate: Command = {
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
  run: async (ctx) => (await import('./scan.js')).runEvaluate(ctx),
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
    timeout: collectOpts.timeout,
    password: {
      type: 'string',
      valueName: 'ENV',
      help: 'for PKCS#12/JKS files: the environment variable holding the password',
    },
    now: evalOpts.now,
  },
  examples: [
    'certwarden inspect example.internal:443',
    'certwarden inspect smtp.internal:25 --starttls smtp',
    'certwarden inspect ./tls.crt',
  ],
  run: async (ctx) => (await import('./inspect.js')).run(ctx),
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
    output: evalOpts.output,
  },
  examples: [
    'certwarden discover --cluster avilla > inventory/avilla-discovered.yaml',
    'certwarden discover --kubeconfig ~/.kube/config --context prod --all',
  ],
  run: async (ctx) => (await import('./discover.js')).runDiscoverCommand(ctx.values, ctx.io),
};

const test: Command = {
  summary: 'run policy unit tests kept beside policies (*.test.yaml)',
  usage: '[DIR…]',
  description:
    'Builds the fixture certificates each test describes, evaluates them under the policies, and checks the findings each must and must not produce.',
  examples: ['certwarden test policies/', 'certwarden test my-policies/ policies/'],
  run: async (ctx) => (await import('./policy-test.js')).run(ctx),
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
    now: evalOpts.now,
  },
  examples: [
    'certwarden scan --format json -o report.json && certwarden sync --report report.json --dry-run',
  ],
  run: async (ctx) => (await import('./sync.js')).runSyncCommand(ctx.values, ctx.io),
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
  run: async (ctx) => (await import('./renew.js')).run(ctx),
};

const demo: Command = {
  summary: 'start a lab on 127.0.0.1 (PKI, faulty TLS endpoints, trust bundle) and scan it end to end',
  description:
    'Builds a small PKI, serves TLS endpoints with typical faults on loopback, writes their inventory to a temporary folder, scans it, prints the report and stops everything it started. No network beyond 127.0.0.1.',
  options: {
    format: evalOpts.format,
    keep: { type: 'boolean', help: 'keep the temporary folder (its path is printed)' },
  },
  examples: ['certwarden demo', 'npm run demo'],
  run: async (ctx) => (await import('./demo.js')).run(ctx),
};

export const commands: Record<string, Command> = {
  validate,
  scan,
  collect,
  evaluate,
  inspect,
  discover,
  test,
  sync,
  renew,
  demo,
};
