// The commands of the CLI, in a registry keyed by name: each one's help and options here, its run in
// a module of its own, imported only when that command runs (so --help and --version load nothing
// heavy, and validate never loads the GitHub or Kubernetes clients).
import { collectOpts, colorOpt, evalOpts, inventoryOpts, type Command } from './options.js';

export type { Command } from './options.js';

const validate: Command = {
  summary: 'check inventory and policies: schema, references, files, pins, no private keys',
  usage: '[--inventory DIR]… [--policies DIR]… [--target ID]… [--zone NAME]',
  description:
    'Loads every inventory file and policy pack and reports every problem as FILE:LINE:COLUMN: error: MESSAGE\n(and as GitHub annotations inside Actions). Exit 0 when valid, 2 otherwise. Nothing is contacted.\n--target and --zone check that the names a scan would be given exist.',
  options: { ...inventoryOpts, target: collectOpts.target, zone: collectOpts.zone },
  examples: [
    'certwarden validate',
    'certwarden validate --inventory inventory/example --policies policies/',
    'certwarden validate --inventory inventory/example --target mach2-albion',
  ],
  run: async (ctx) => (await import('./validate.js')).run(ctx),
};

const scan: Command = {
  summary: 'collect every target and evaluate it: the whole pipeline',
  usage:
    '[--inventory DIR]… [--policies DIR]… [--target ID]… [--zone NAME] [--now ISO] [--format F] [--output FILE] [--fail-on L]',
  description:
    'Collects what each target really presents, compares it with the inventory and the policy rules, and reports findings.\nExit 0 clean, 1 a finding at or above --fail-on, 2 invalid input, 3 internal error.\nProgress goes to stderr: a bar on a terminal, a line every 10 s elsewhere (CI logs); --quiet for none.',
  options: { ...inventoryOpts, ...collectOpts, ...evalOpts, color: colorOpt },
  examples: [
    'certwarden scan',
    'certwarden scan --inventory inventory/example --now 2026-12-01T00:00:00Z',
    'certwarden scan --format json --output report.json --fail-on warning',
    'certwarden scan --zone albion --timeout 5000 --concurrency 200',
    'certwarden scan --format prometheus --output certwarden.prom --fail-on never',
  ],
  run: async (ctx) => (await import('./scan.js')).runScan(ctx),
};

const collect: Command = {
  summary: 'the first half of scan: write observations JSON (per zone or shard)',
  usage: '[--inventory DIR]… [--zone NAME] [--target ID]… [--output FILE]',
  description:
    'Collects what each target presents and writes the observations as JSON, for `certwarden evaluate` to judge later (e.g. one job per network zone).',
  options: {
    ...inventoryOpts,
    ...collectOpts,
    now: { ...evalOpts.now, help: 'record this time as the collection time' },
    output: { ...evalOpts.output, help: 'write the observations JSON to FILE (written whole or not at all)' },
  },
  examples: [
    'certwarden collect --zone albion --output observations-albion.json',
    'certwarden collect --zone avilla --output observations-avilla.json',
  ],
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
    color: colorOpt,
  },
  examples: [
    'certwarden evaluate --observations observations-albion.json --observations observations-avilla.json --format json -o report.json',
  ],
  run: async (ctx) => (await import('./scan.js')).runEvaluate(ctx),
};

const inspect: Command = {
  summary: 'look at what a server presents or a certificate file holds, and whether it is trusted',
  usage: 'TARGET [--ca FILE]… [--trust system|bundled|none] [--format text|json]',
  args: { name: 'one TARGET', max: 1 },
  description: [
    'TARGET is a file (PEM, DER, PKCS#12, JKS), or a server: host, host:port, https://host[:port] or [v6]:port',
    '(port 443 when none is given). Shows every certificate with its extensions, the chain as sent, protocol',
    'and cipher, and whether the chain is trusted for the server name. No inventory is needed.',
    '',
    'Trust: the anchors of --trust (default: the system store, /etc/ssl/certs/ca-certificates.crt and the',
    "like, or node's bundled roots where the system has none) plus every --ca FILE. A file holding many CA",
    'certificates and no leaf is shown as a trust store, not as a chain.',
    '',
    'Exit codes: 0 trusted (a server: for its name) and valid now; 1 not trusted, expired, not yet valid',
    'or unreachable; 2 invalid input (unknown option, unreadable file, bad TARGET).',
  ].join('\n'),
  options: {
    ca: {
      type: 'string',
      multiple: true,
      valueName: 'FILE',
      help: 'trust the CA certificates in FILE (PEM, DER, PKCS#12, JKS); repeatable',
    },
    trust: {
      type: 'string',
      valueName: 'STORE',
      help: "system|bundled|none: the system's CA store, node's bundled roots, or only --ca",
      defaultText: 'system where the OS has a store, else bundled',
    },
    format: {
      type: 'string',
      valueName: 'FORMAT',
      help: 'text|json (json: schemas/inspect.v1.schema.json)',
      defaultText: 'text',
    },
    servername: {
      type: 'string',
      valueName: 'NAME',
      help: 'SNI name to send and check the certificate against (default: the host, unless it is an IP)',
    },
    'server-name': { type: 'string', valueName: 'NAME', help: 'same as --servername', hidden: true },
    starttls: {
      type: 'string',
      valueName: 'PROTO',
      help: 'smtp|imap|pop3|ldap|postgres: upgrade a plain connection first',
    },
    via: { type: 'string', valueName: 'URL', help: 'proxy: http://host:port or socks5://host:port' },
    timeout: collectOpts.timeout,
    offline: collectOpts.offline,
    password: {
      type: 'string',
      valueName: 'ENV',
      help: 'for PKCS#12/JKS files: the environment variable holding the password',
    },
    now: evalOpts.now,
  },
  examples: [
    'certwarden inspect inventory/example/certs/mach2-albion.pem --ca inventory/example/anchors/structures-root.pem',
    'certwarden inspect inventory/example/certs/mes-client-truststore.pem --format json',
    'certwarden inspect https://127.0.0.1:8443 --servername localhost --ca ca.pem',
  ],
  run: async (ctx) => (await import('./inspect.js')).run(ctx),
};

const discover: Command = {
  summary: 'list certificate-bearing objects in a cluster and print inventory YAML for them',
  usage: '--cluster NAME [--inventory DIR]… | --kubeconfig FILE [--context C] [--all]',
  description:
    'Lists TLS Secrets, CA ConfigMaps, webhook and APIService caBundles, CSRs and cert-manager Certificates across namespaces, and prints ready-to-commit inventory YAML for the objects no target declares (--all: every object).',
  options: {
    inventory: inventoryOpts.inventory!,
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
    output: { ...evalOpts.output, help: 'write the inventory YAML to FILE (written whole or not at all)' },
  },
  examples: [
    'certwarden discover --kubeconfig kubeconfig.yaml --all',
    'certwarden discover --kubeconfig kubeconfig.yaml --namespace mtg --output discovered.yaml',
  ],
  run: async (ctx) => (await import('./discover.js')).runDiscoverCommand(ctx.values, ctx.io),
};

const test: Command = {
  summary: 'run policy unit tests kept beside policies (*.test.yaml)',
  usage: '[DIR…]',
  args: { name: 'policy folders (DIR…)', max: Infinity },
  description:
    'Builds the fixture certificates each test describes, evaluates them under the policies, and checks the findings each must and must not produce.\nA rule or check name in findings/notFindings that no loaded pack defines is an error (exit 2).\nExit 0 all passed, 1 a test failed, 2 a test or pack is invalid.',
  examples: ['certwarden test policies/', 'certwarden test'],
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
    'certwarden scan --format json -o report.json --fail-on never && certwarden sync --report report.json --dry-run',
  ],
  run: async (ctx) => (await import('./sync.js')).runSyncCommand(ctx.values, ctx.io),
};

const renew: Command = {
  summary: 'apply merged renewal requests (Kubernetes CSR API)',
  usage: '[--inventory DIR]… [--renewals DIR] [--dry-run]',
  description:
    'Applies each merged, not yet applied renewal request under the renewals folder: a CSR through the\nKubernetes API, approved citing the pull request that merged it, the issued certificate written to its\nSecret, and the outcome recorded in the request file (a commit when GitHub access is set).\nExit 0 all applied or nothing to do, 1 a request failed, 2 invalid input, 3 a GitHub or cluster error.',
  options: {
    ...inventoryOpts,
    renewals: { type: 'string', valueName: 'DIR', help: 'request files', defaultText: './renewals' },
    'dry-run': { type: 'boolean', help: 'say what would be done' },
  },
  examples: ['certwarden renew --dry-run', 'certwarden renew --renewals renewals/ --dry-run'],
  run: async (ctx) => (await import('./renew.js')).run(ctx),
};

const demo: Command = {
  summary: 'start a lab on 127.0.0.1 (PKI, faulty TLS endpoints, trust bundle) and scan it end to end',
  description:
    'Builds a small PKI, serves TLS endpoints with typical faults on loopback, writes their inventory to a temporary folder, scans it, prints the report and stops everything it started. No network beyond 127.0.0.1.\nExit 0 when every planted fault was reported as expected.',
  options: {
    format: evalOpts.format,
    color: colorOpt,
    keep: { type: 'boolean', help: 'keep the temporary folder (its path is printed)' },
  },
  examples: ['certwarden demo', 'certwarden demo --format markdown'],
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
