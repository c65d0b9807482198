// Worker for corpus.test.ts: reads each corpus file and reports one message per file, so the test
// can enforce a per-file time bound by terminating a worker that stops answering.
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { ParseError } from '../../src/core/errors.js';
import { readCertificates } from '../../src/x509/read.js';
import { assertCompleteRecord } from './helpers.js';

export interface FileOutcome {
  file: string;
  ms: number;
  status: 'parsed' | 'no-certificate' | 'refused' | 'crashed' | 'incomplete';
  certificates: number;
  keyErrors: number;
  kind?: string;
  detail?: string;
}

const { files } = workerData as { files: string[] };
for (const file of files) {
  parentPort!.postMessage({ start: file });
  const t0 = process.hrtime.bigint();
  let out: Omit<FileOutcome, 'ms'>;
  try {
    const r = readCertificates(readFileSync(file), { file });
    out = {
      file,
      status: r.certificates.length ? 'parsed' : r.warnings.length ? 'no-certificate' : 'incomplete',
      certificates: r.certificates.length,
      keyErrors: r.certificates.filter((c) => c.record.keyError).length,
      detail: r.certificates.length ? undefined : 'no certificate and no warning saying why',
    };
    try {
      for (const c of r.certificates) assertCompleteRecord(c.record);
    } catch (e) {
      out = { ...out, status: 'incomplete', detail: (e as Error).message.slice(0, 300) };
    }
  } catch (e) {
    if (e instanceof ParseError && e.file === file) {
      out = {
        file,
        status: 'refused',
        certificates: 0,
        keyErrors: 0,
        kind: e.kind,
        detail: e.message.slice(0, 300),
      };
    } else {
      out = { file, status: 'crashed', certificates: 0, keyErrors: 0, detail: String(e).slice(0, 300) };
    }
  }
  parentPort!.postMessage({ done: { ...out, ms: Number(process.hrtime.bigint() - t0) / 1e6 } });
}
