// Parsing robustness on real-world oddities: the zlint and pkilint test corpora. Every file is
// either read (each certificate record complete) or refused with a typed ParseError naming the
// file; nothing crashes, nothing hangs. Files are read in a worker so that the per-file time bound
// is enforced: a worker that stops answering is terminated and the test names the file.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FileOutcome } from './corpus-worker.js';

const here = dirname(fileURLToPath(import.meta.url));
const projectRoot = resolve(here, '../..');
const corpora = resolve(projectRoot, '../shared/corpora');
/** Per-file bound: far above the ~1 ms a file takes (even on a loaded CI runner), far below a hang. */
const PER_FILE_MS = 10_000;
/** Starting the worker (loading TypeScript) gets its own, larger bound. */
const STARTUP_MS = 60_000;

const SETS = [
  { name: 'zlint-testdata', pattern: /\.pem$/, minParsed: 1250 },
  { name: 'pkilint-crttest', pattern: /\.crttest$/, minParsed: 400 },
];

/** Runs the worker over `files`; rejects naming the file in progress if one exceeds the bound. */
function readAll(files: string[]): Promise<FileOutcome[]> {
  return new Promise((resolvePromise, reject) => {
    // Workers do not inherit tsx's loader: register it inside the worker, then load the TypeScript.
    // (The ESM build of tsx's API: this file may itself be compiled to CommonJS by the test runner.)
    const tsxApi = createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs');
    const tsx = pathToFileURL(tsxApi).href;
    const entry = new URL('./corpus-worker.ts', import.meta.url).href;
    const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
    const worker = new Worker(code, { eval: true, workerData: { files } });
    const results: FileOutcome[] = [];
    let current = '(worker start)';
    let timer: NodeJS.Timeout | undefined;
    const arm = (ms = PER_FILE_MS) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        void worker.terminate();
        reject(new Error(`${current}: still being read after ${ms} ms (hang)`));
      }, ms);
    };
    arm(STARTUP_MS);
    worker.on('message', (m: { start?: string; done?: FileOutcome }) => {
      if (m.start) current = m.start;
      if (m.done) results.push(m.done);
      arm();
    });
    worker.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`${current}: worker failed: ${String(e)}`));
    });
    worker.on('exit', () => {
      clearTimeout(timer);
      resolvePromise(results);
    });
  });
}

describe('certificate corpora (zlint, pkilint)', function () {
  this.timeout(600_000);

  for (const set of SETS) {
    const folder = join(corpora, set.name);
    it(`reads or cleanly refuses every file of ${set.name}`, async function () {
      if (!existsSync(folder)) {
        console.log(
          `      skipped: corpus folder ${folder} does not exist (expected beside the project in ../shared/corpora)`,
        );
        this.skip();
      }
      const files = readdirSync(folder)
        .filter((f) => set.pattern.test(f))
        .sort()
        .map((f) => join(folder, f));
      assert.ok(files.length > 0, `no corpus files in ${folder}`);
      const start = Date.now();
      const results = await readAll(files);
      const totalMs = Date.now() - start;
      assert.equal(results.length, files.length, 'one outcome per file');

      const by = (s: FileOutcome['status']) => results.filter((r) => r.status === s);
      const refusedKinds: Record<string, number> = {};
      for (const r of by('refused')) refusedKinds[r.kind!] = (refusedKinds[r.kind!] ?? 0) + 1;
      const certs = results.reduce((n, r) => n + r.certificates, 0);
      const keyErrors = results.reduce((n, r) => n + r.keyErrors, 0);
      const slowest = results.reduce((a, r) => (r.ms > a.ms ? r : a));
      console.log(
        `      ${set.name}: ${files.length} files in ${totalMs} ms: ${by('parsed').length} parsed (${certs} certificates, ` +
          `${keyErrors} with an unreadable key), ${by('no-certificate').length} without certificates (CRLs, with a warning), ` +
          `${by('refused').length} refused ${JSON.stringify(refusedKinds)}; slowest ${slowest.ms.toFixed(1)} ms`,
      );
      const describeBad = (rs: FileOutcome[]) => rs.map((r) => `${r.file}: ${r.detail}`).join('\n');
      assert.deepEqual(
        by('crashed'),
        [],
        `crashes (not a typed ParseError naming the file):\n${describeBad(by('crashed'))}`,
      );
      assert.deepEqual(by('incomplete'), [], `incomplete records:\n${describeBad(by('incomplete'))}`);
      assert.ok(
        by('parsed').length >= set.minParsed,
        `at least ${set.minParsed} files parse (got ${by('parsed').length})`,
      );
    });
  }
});
