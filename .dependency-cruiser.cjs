// The layers of src/ (docs/architecture.md): every import points down this list, never up or sideways
// into a face. `npm run lint:deps` (and .ci/run) fails on a cycle or a layer break.
//
//   cli/  action/            the two faces: argv or action inputs -> commands -> printing / outputs
//   commands/                one module per command: typed options in, a structured result out
//   demo/                    the built-in lab
//   github/  renewal/        GitHub sync (issues, dashboard, pull requests); certificate renewal
//   pipeline.ts              load -> collect -> evaluate
//   report/                  report formats; they read a Report only
//   evaluate/                every finding produced from observations
//   policy/  sources/        policy rules (pure); the collectors, one folder per source kind
//   inventory/               loading and checking the inventory YAML
//   x509/                    the certificate model: DER, names, parsing, path validation, stores
//   core/                    model types, findings, errors, small utilities
const below = {
  core: ['core'],
  x509: ['core', 'x509'],
  inventory: ['core', 'x509', 'inventory'],
  sources: ['core', 'x509', 'inventory', 'sources'],
  policy: ['core', 'x509', 'inventory', 'policy'],
  evaluate: ['core', 'x509', 'inventory', 'sources', 'policy', 'evaluate'],
  report: ['core', 'x509', 'report'],
  'pipeline.ts': ['core', 'x509', 'inventory', 'sources', 'policy', 'evaluate', 'pipeline.ts'],
  renewal: ['core', 'x509', 'inventory', 'sources', 'policy', 'evaluate', 'pipeline.ts', 'renewal'],
  github: [
    'core',
    'x509',
    'inventory',
    'sources',
    'policy',
    'evaluate',
    'report',
    'pipeline.ts',
    'renewal',
    'github',
  ],
  demo: ['core', 'x509', 'inventory', 'sources', 'policy', 'evaluate', 'pipeline.ts', 'demo'],
  commands: [
    'core',
    'x509',
    'inventory',
    'sources',
    'policy',
    'evaluate',
    'report',
    'pipeline.ts',
    'renewal',
    'github',
    'demo',
    'commands',
  ],
  cli: [
    'core',
    'x509',
    'inventory',
    'sources',
    'policy',
    'evaluate',
    'report',
    'pipeline.ts',
    'commands',
    'cli',
  ],
  action: [
    'core',
    'x509',
    'inventory',
    'sources',
    'policy',
    'evaluate',
    'report',
    'pipeline.ts',
    'commands',
    'action',
  ],
};
const esc = (s) => s.replace(/\./g, '\\.');
const layerRules = Object.entries(below).map(([layer, allowed]) => ({
  name: `layer-${layer.replace('.ts', '')}`,
  comment: `src/${layer} may import only: ${allowed.map((a) => `src/${a}`).join(', ')}`,
  severity: 'error',
  from: { path: `^src/${esc(layer)}` },
  to: { path: '^src/', pathNot: `^src/(${allowed.map(esc).join('|')})` },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment:
        'An import cycle ties files that the layers keep apart; break it by moving the shared piece down.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'unlisted-folder',
      comment:
        'Every file of src/ belongs to a layer: add a new folder to .dependency-cruiser.cjs and docs/architecture.md.',
      severity: 'error',
      from: { path: '^src/', pathNot: `^src/(${Object.keys(below).map(esc).join('|')})` },
      to: {},
    },
    {
      name: 'source-kinds-apart',
      comment: 'A source kind imports no other kind: shared pieces belong in src/sources/ itself or lower.',
      severity: 'error',
      from: { path: '^src/sources/([^/]+)/' },
      to: { path: '^src/sources/[^/]+/', pathNot: '^src/sources/$1/' },
    },
    {
      name: 'no-test-code-in-src',
      comment: 'src/ never imports tests, benchmarks or scripts.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench|scripts)/' },
    },
    {
      name: 'not-to-dev-dep',
      comment: 'src/ runs in production: it may not import a devDependency.',
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-non-package-json',
      comment: 'Every package imported must be declared in package.json.',
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
