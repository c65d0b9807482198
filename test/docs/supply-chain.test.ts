// Supply chain of every documented way to run certwarden: workflows (the project's and the examples
// users copy), the docs' code blocks, the Kubernetes manifests and the Dockerfile. Nothing may run a
// package fetched by name from a registry (`npx --yes certwarden@…`, `npm install -g certwarden`:
// that name is not ours on npm, and whoever takes it runs code next to cluster credentials), every
// action is pinned by full commit SHA, every image by digest.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The placeholders users replace with the release they use (documented beside each). */
const RELEASE_ACTION = 'certwarden/certwarden@RELEASE_SHA';
const RELEASE_IMAGE = /@sha256:RELEASE_IMAGE_DIGEST$/;

/** Commands that run what the package registry hands out for a name. */
const REGISTRY_RUNS: [RegExp, string][] = [
  [/\bnpx\s+(--yes|-y)\b/, 'npx --yes installs whatever the registry serves for the name'],
  [/\bnpm\s+(install|i|add)\s+(.*\s)?(-g|--global)\b/, 'a global npm install of a package by name'],
  [/\bnpm\s+exec\b/, 'npm exec fetches a package by name'],
  [
    /\b(pnpm|yarn)\s+dlx\b|\bbunx\b|\byarn\s+global\s+add\b|\bpnpm\s+add\s+(.*\s)?(-g|--global)\b/,
    'a package run by name',
  ],
  [/\b(curl|wget)\b[^|\n]*\|\s*(sudo\s+)?(ba|z)?sh\b/, 'a script piped from the network into a shell'],
  [/\bpip3?\s+install\s+(?!-r\b|--require-hashes)[A-Za-z]/, 'a Python package by name'],
];

/** Binaries this repository installs from its own lockfile (npm ci): `npx <bin>` runs the local copy. */
function localBins(): Set<string> {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<
    string,
    Record<string, string>
  >;
  const bins = new Set<string>();
  for (const name of Object.keys({ ...pkg['dependencies'], ...pkg['devDependencies'] })) {
    const file = path.join(root, 'node_modules', name, 'package.json');
    if (!existsSync(file)) continue;
    const bin = (JSON.parse(readFileSync(file, 'utf8')) as { bin?: string | Record<string, string> }).bin;
    if (typeof bin === 'string') bins.add(name.replace(/^@[^/]+\//, ''));
    else for (const b of Object.keys(bin ?? {})) bins.add(b);
  }
  return bins;
}

/** One problem per unpinned or registry-fetched thing in `text` (a workflow, a manifest, a code block). */
function supplyChainProblems(text: string, bins: Set<string>): string[] {
  const out: string[] = [];
  text.split('\n').forEach((line, i) => {
    const at = `line ${i + 1}: ${line.trim()}`;
    const code = line.replace(/(^|\s)#.*$/, ''); // comments explain; only commands and keys count
    for (const [re, why] of REGISTRY_RUNS) if (re.test(code)) out.push(`${at} (${why})`);
    for (const m of code.matchAll(/\bnpx\s+((?:--?[\w-]+(?:=\S+)?\s+)*)([@\w./-]+)/g)) {
      const name = m[2]!;
      if (!bins.has(name))
        out.push(`${at} (npx ${name}: not a binary this repository installs from its lockfile)`);
    }
    const npmInstall = /\bnpm\s+(?:install|i|add)\s+((?:(?!-)\S+\s*)+)/.exec(code);
    if (npmInstall && !npmInstall[1]!.split(/\s+/).every((a) => a === '' || /^\.{0,2}\//.test(a)))
      out.push(`${at} (npm install of a package by name)`);
    const uses = /^\s*-?\s*uses:\s*['"]?([^\s'"]+)/.exec(code)?.[1];
    if (uses && uses !== './' && uses !== RELEASE_ACTION) {
      if (uses.startsWith('docker://')) {
        if (!/@sha256:[0-9a-f]{64}$/.test(uses)) out.push(`${at} (a container action not pinned by digest)`);
      } else if (!/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(uses))
        out.push(`${at} (an action not pinned by full commit SHA)`);
    }
    const image = /^\s*-?\s*(?:image|container):\s*['"]?([^\s'"{}]+)/.exec(code)?.[1];
    if (image && !/@sha256:[0-9a-f]{64}$/.test(image) && !RELEASE_IMAGE.test(image))
      out.push(`${at} (an image not pinned by digest)`);
    const from = /^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)/i.exec(code)?.[1];
    if (from && !/@sha256:[0-9a-f]{64}$/.test(from) && !/^\$\{?[A-Z_]+\}?$/.test(from))
      out.push(`${at} (a base image not pinned by digest)`);
  });
  // FROM ${ARG}: the ARG must have no default (the build passes a digest-pinned value).
  for (const m of text.matchAll(/^\s*FROM\s+\$\{?([A-Z_]+)\}?/gm)) {
    const def = new RegExp(`^\\s*ARG\\s+${m[1]}\\s*=\\s*(\\S+)`, 'm').exec(text)?.[1];
    if (def && !/@sha256:[0-9a-f]{64}$/.test(def))
      out.push(`ARG ${m[1]} defaults to ${def}, not pinned by digest`);
  }
  return out;
}

/** Fenced code blocks of a markdown file (```lang … ```), with their first line number. */
function codeBlocks(md: string): { line: number; text: string }[] {
  const lines = md.split('\n');
  const out: { line: number; text: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*```/.test(lines[i]!)) continue;
    const end = lines.findIndex((l, j) => j > i && /^\s*```\s*$/.test(l));
    if (end < 0) break;
    out.push({ line: i + 1, text: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return out;
}

function walk(dir: string, keep: (f: string) => boolean): string[] {
  const abs = path.join(root, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs).flatMap((n) => {
    const rel = path.join(dir, n);
    return statSync(path.join(root, rel)).isDirectory() ? walk(rel, keep) : keep(n) ? [rel] : [];
  });
}

const yamlFiles = [
  ...walk('.github/workflows', (n) => /\.ya?ml$/.test(n)),
  ...walk('docs', (n) => /\.ya?ml$/.test(n)),
  'action.yml',
];
const markdownFiles = [
  'README.md',
  ...walk('docs', (n) => n.endsWith('.md')),
  ...walk('bench', (n) => n.endsWith('.md')),
];
const dockerfiles = ['Dockerfile'].filter((f) => existsSync(path.join(root, f)));

describe('supply chain: every documented way to run certwarden is pinned', () => {
  const bins = localBins();

  it('the check finds what it is for: registry runs, unpinned actions and images', () => {
    const bad = [
      'run: npx --yes "certwarden@${CERTWARDEN_VERSION}" collect --zone "$ZONE"',
      'image: node:24-slim # with certwarden installed: npm install -g certwarden',
      'RUN npm install -g certwarden',
      '      - uses: actions/checkout@v5',
      '      - uses: certwarden/certwarden@main',
      'container: ghcr.io/certwarden/certwarden:0.1.0',
      'FROM node:24-slim',
      'curl -fsSL https://example.invalid/install.sh | sh',
      'npx certwarden scan',
      'npm install certwarden',
    ];
    for (const line of bad) assert.ok(supplyChainProblems(line, bins).length >= 1, line);
    const good = [
      '      - uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0',
      `      - uses: ${RELEASE_ACTION}`,
      '      - uses: ./',
      'image: ghcr.io/certwarden/certwarden@sha256:RELEASE_IMAGE_DIGEST',
      `image: node@sha256:${'a'.repeat(64)}`,
      'npx tsx bench/parse.ts',
      'npm ci && npm run demo',
      'ARG NODE_IMAGE\nFROM ${NODE_IMAGE}',
    ];
    for (const text of good) assert.deepEqual(supplyChainProblems(text, bins), [], text);
    assert.ok(bins.has('tsx') && bins.has('tsc') && !bins.has('certwarden'));
  });

  for (const file of yamlFiles)
    it(`${file}: runs no package by name, every action pinned by commit, every image by digest`, () => {
      assert.deepEqual(supplyChainProblems(readFileSync(path.join(root, file), 'utf8'), bins), []);
    });

  for (const file of markdownFiles)
    it(`${file}: no code block runs a package by name or an unpinned action or image`, () => {
      const problems = codeBlocks(readFileSync(path.join(root, file), 'utf8')).flatMap((b) =>
        supplyChainProblems(b.text, bins).map((p) => `block at line ${b.line}, ${p}`),
      );
      assert.deepEqual(problems, []);
    });

  for (const file of dockerfiles)
    it(`${file}: the base image is pinned by digest (or given by a build argument without a default)`, () => {
      assert.deepEqual(supplyChainProblems(readFileSync(path.join(root, file), 'utf8'), bins), []);
    });

  it('the in-cluster CronJob runs the image this repository builds, by digest', () => {
    const cronjob = readFileSync(path.join(root, 'docs/kubernetes/cronjob.yaml'), 'utf8');
    assert.match(cronjob, /image: ghcr\.io\/certwarden\/certwarden@sha256:RELEASE_IMAGE_DIGEST/);
    const workflow = readFileSync(path.join(root, '.github/workflows/image.yml'), 'utf8');
    assert.match(workflow, /IMAGE: ghcr\.io\/\$\{\{ github\.repository \}\}/);
    assert.match(workflow, /docker build --build-arg "NODE_IMAGE=\$NODE_IMAGE"/);
    assert.match(workflow, /@sha256:\[0-9a-f\]\{64\}\$/, 'the build refuses a base not pinned by digest');
  });

  it('the zone workflow collects and evaluates with the action (modes collect and evaluate)', () => {
    const text = readFileSync(path.join(root, 'docs/workflows/certwarden-zones.yml'), 'utf8');
    assert.match(text, new RegExp(`uses: ${RELEASE_ACTION}[\\s\\S]*?mode: collect`));
    assert.match(text, new RegExp(`uses: ${RELEASE_ACTION}[\\s\\S]*?mode: evaluate`));
    assert.doesNotMatch(text, /\bnpx\b|\bnpm\b/);
  });
});
