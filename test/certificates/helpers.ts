// Shared helpers for the certificate tests: temp folders and the real openssl/keytool binaries.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import type { CertRecord } from '../../src/core/model.js';

export class TempDir {
  readonly path = mkdtempSync(join(tmpdir(), 'certwarden-certs-'));
  file(name: string): string {
    return join(this.path, name);
  }
  write(name: string, data: string | Uint8Array): string {
    const p = this.file(name);
    writeFileSync(p, data);
    return p;
  }
  read(name: string): Buffer {
    return readFileSync(this.file(name));
  }
  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

/** Runs openssl with arguments (no shell); returns stdout. */
export function openssl(args: string[], cwd?: string): Buffer {
  return execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs keytool with arguments (no shell). */
export function keytool(args: string[], cwd?: string): Buffer {
  return execFileSync('keytool', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

const RECORD_KEYS = [
  'sha256',
  'subject',
  'issuer',
  'serial',
  'notBefore',
  'notAfter',
  'dnsNames',
  'ipAddresses',
  'emailAddresses',
  'uris',
  'keyType',
  'keyBits',
  'curve',
  'keyError',
  'signatureAlgorithm',
  'signatureHash',
  'isCA',
  'pathLen',
  'hasBasicConstraints',
  'keyUsage',
  'extKeyUsage',
  'subjectKeyId',
  'authorityKeyId',
  'selfIssued',
  'version',
  'der',
].sort();

/** Every field of the model is present and has the documented type. */
export function assertCompleteRecord(r: CertRecord): void {
  assert.deepEqual(Object.keys(r).sort(), RECORD_KEYS);
  assert.match(r.sha256, /^[0-9a-f]{64}$/);
  assert.match(r.serial, /^-?[0-9a-f]+$/);
  assert.ok(!Number.isNaN(Date.parse(r.notBefore)) && !Number.isNaN(Date.parse(r.notAfter)));
  for (const n of [r.subject, r.issuer]) {
    assert.equal(typeof n.dn, 'string');
    assert.doesNotMatch(n.dn, /[\n\r]/);
    for (const k of ['O', 'OU', 'C', 'L', 'ST'] as const) assert.ok(Array.isArray(n[k]));
  }
  assert.ok(['RSA', 'EC', 'Ed25519', 'Ed448', 'DSA', 'RSA-PSS', 'unknown'].includes(r.keyType));
  if (r.keyType === 'unknown') assert.ok(r.keyError, 'an unknown key type always says why');
  assert.equal(typeof r.signatureAlgorithm, 'string');
  assert.ok(r.signatureAlgorithm.length > 0);
  assert.equal(typeof r.isCA, 'boolean');
  assert.equal(typeof r.selfIssued, 'boolean');
  assert.ok([1, 2, 3].includes(r.version) || r.version > 3 || r.version === -1);
  assert.ok(r.der.length > 0);
}
