// Bundles the CLI and the action into dist/ (ESM, node20 target so it runs on node20 and node24).
import { chmodSync } from 'node:fs';
import { build } from 'esbuild';

const banner = {
  // CommonJS dependencies inside an ESM bundle still call require(); give them one.
  js: "import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);",
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  banner,
  legalComments: 'none',
  logLevel: 'warning',
  sourcemap: false,
};

await build({
  ...common,
  entryPoints: { cli: 'src/cli/index.ts' },
  outdir: 'dist',
  banner: { js: '#!/usr/bin/env node\n' + banner.js },
});
await build({ ...common, entryPoints: { action: 'src/action/index.ts' }, outdir: 'dist' });

// The bin must be executable (npm ci marks it so; keep the committed mode the same).
chmodSync('dist/cli.js', 0o755);
