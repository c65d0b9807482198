// Shared builders for policy tests: targets and observations from real certificates.
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Observation } from '../../src/core/model.js';
import type { Target } from '../../src/inventory/types.js';
import { readCertificates } from '../../src/x509/read.js';
import type { Issued } from '../support/pki.js';

export function target(over: Partial<Target> & { id: string }): Target {
  return {
    inventory: 'test',
    location: { file: '/repo/inventory/test.yaml', line: 12, column: 5 },
    source: { kind: 'file', file: { path: '/tmp/x.pem' } },
    policies: ['baseline'],
    owners: [],
    zone: null,
    labels: {},
    ...over,
  };
}

export function observe(t: Target, certs: Issued[], origin = (i: number) => `file[${i}]`): Observation {
  return {
    target: t.id,
    source: { kind: t.source.kind },
    collectedAt: '2026-12-01T00:00:00Z',
    status: 'ok',
    error: null,
    certificates: certs.map((c, i) => ({
      origin: origin(i),
      record: readCertificates(c.der, { file: `cert${i}`, format: 'der' }).certificates[0]!.record,
    })),
    trustStore: null,
  };
}

/** A temporary folder with the given files (relative path -> content). */
export function tempTree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cw-policy-'));
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(dir, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
  return dir;
}
