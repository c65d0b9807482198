// Hostile PKCS#12 keystores for the hardening tests: real files made by openssl, then (for counts
// openssl would take minutes to honour itself) the MAC iteration count rewritten in the DER.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { PFX } from '@peculiar/asn1-pfx';
import type { Issued } from '../support/pki.js';

/** A PKCS#12 of `leaf` (with its key) made by openssl with `-iter iterations`, empty password. */
export function p12WithIterations(leaf: Issued, iterations: number, legacy: boolean): Buffer {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cw-p12-iter-'));
  try {
    writeFileSync(path.join(dir, 'leaf.pem'), leaf.pem);
    writeFileSync(path.join(dir, 'key.pem'), leaf.keyPem, { mode: 0o600 });
    execFileSync(
      'openssl',
      [
        'pkcs12',
        '-export',
        '-in',
        'leaf.pem',
        '-inkey',
        'key.pem',
        '-passout',
        'pass:',
        '-iter',
        String(iterations),
        ...(legacy ? ['-legacy'] : []),
        '-out',
        'ks.p12',
      ],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    return readFileSync(path.join(dir, 'ks.p12'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The same keystore with its MAC iteration count rewritten (the MAC no longer verifies; it need not). */
export function withMacIterations(p12: Buffer, iterations: number): Buffer {
  const pfx = AsnConvert.parse(p12, PFX);
  pfx.macData!.iterations = iterations;
  return Buffer.from(AsnConvert.serialize(pfx));
}
