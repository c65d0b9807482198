// Bundles the CLI and the action into dist/ (ESM, node20 target so it runs on node20 and node24).
// Code splitting: each command's dynamic import becomes its own chunk under dist/chunks/, so
// `certwarden --version` or `validate` parse only what they use (never octokit or the Kubernetes client).
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

// CommonJS dependencies inside an ESM bundle still call require(); give every output file one.
const banner = {
  js: "import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);",
};

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli/index.ts', action: 'src/action/index.ts' },
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  banner,
  legalComments: 'none',
  logLevel: 'warning',
  sourcemap: false,
});

// The bin starts with a hashbang and must be executable (npm ci marks it so; keep the committed mode the same).
const cli = readFileSync('dist/cli.js', 'utf8');
if (!cli.startsWith('#!')) writeFileSync('dist/cli.js', '#!/usr/bin/env node\n' + cli);
chmodSync('dist/cli.js', 0o755);
