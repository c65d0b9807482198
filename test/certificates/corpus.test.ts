// Parsing robustness on real-world oddities: the zlint and pkilint test corpora. Every file is
// either read (each certificate record complete) or refused with a typed ParseError naming the
// file; nothing crashes, nothing hangs.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ParseError } from '../../src/errors.js';
import { readCertificates } from '../../src/certificates/read.js';
import { assertCompleteRecord } from './helpers.js';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const corpora = resolve(projectRoot, '../shared/corpora');
/** Per-file bound: far above the ~1 ms a file takes, far below anything that looks like a hang. */
const PER_FILE_MS = 2000;

const SETS = [
  { name: 'zlint-testdata', pattern: /\.pem$/, minParsed: 1250 },
  { name: 'pkilint-crttest', pattern: /\.crttest$/, minParsed: 400 },
];

describe('certificate corpora (zlint, pkilint)', function () {
  this.timeout(300_000);

  for (const set of SETS) {
    const folder = join(corpora, set.name);
    it(`reads or cleanly refuses every file of ${set.name}`, function () {
      if (!existsSync(folder)) {
        console.log(
          `      skipped: corpus folder ${folder} does not exist (expected beside the project in ../shared/corpora)`,
        );
        this.skip();
      }
      const files = readdirSync(folder)
        .filter((f) => set.pattern.test(f))
        .sort();
      assert.ok(files.length > 0, `no corpus files in ${folder}`);
      let parsed = 0;
      let certs = 0;
      let noCertificate = 0;
      let keyErrors = 0;
      const refused: Record<string, number> = {};
      const slow: string[] = [];
      const start = process.hrtime.bigint();
      for (const f of files) {
        const file = join(folder, f);
        const bytes = readFileSync(file);
        const t0 = process.hrtime.bigint();
        try {
          const r = readCertificates(bytes, { file });
          if (r.certificates.length === 0) {
            // CRL-only files: nothing to read, and the warning must say what was skipped.
            assert.ok(r.warnings.length > 0, `${f}: no certificate and no warning`);
            noCertificate++;
          } else parsed++;
          for (const c of r.certificates) {
            assertCompleteRecord(c.record);
            if (c.record.keyError) keyErrors++;
            certs++;
          }
        } catch (e) {
          if (!(e instanceof ParseError)) throw new Error(`${f}: crashed with ${String(e)}`);
          assert.equal(e.file, file, 'the error names the file');
          refused[e.kind] = (refused[e.kind] ?? 0) + 1;
        }
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        if (ms > PER_FILE_MS) slow.push(`${f} (${ms.toFixed(0)} ms)`);
      }
      const totalMs = Number(process.hrtime.bigint() - start) / 1e6;
      const refusedCount = Object.values(refused).reduce((a, b) => a + b, 0);
      console.log(
        `      ${set.name}: ${files.length} files, ${parsed} parsed (${certs} certificates, ${keyErrors} with an unreadable key), ` +
          `${noCertificate} without certificates (CRLs), ${refusedCount} refused ${JSON.stringify(refused)}, ${totalMs.toFixed(0)} ms`,
      );
      assert.deepEqual(slow, [], `files over ${PER_FILE_MS} ms`);
      assert.equal(parsed + noCertificate + refusedCount, files.length);
      assert.ok(parsed >= set.minParsed, `at least ${set.minParsed} files parse (got ${parsed})`);
    });
  }
});
