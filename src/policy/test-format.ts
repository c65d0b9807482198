// The format of policy test files (*.test.yaml, kind: PolicyTest): fixture certificates and cases,
// and the structure check that names every unknown key and missing field with its place.
import type { Problem } from '../core/errors.js';
import type { Severity } from '../core/model.js';
import type { YamlDoc } from '../inventory/yaml-source.js';
import type { FixtureDescription } from '../x509/fixture-issuer.js';
import type { KubeadmRole } from '../inventory/presets/kubeadm-table.js';

export interface FindingMatcher {
  rule?: string;
  check?: string;
  severity?: Severity;
  message?: string;
  certificate?: string;
  waived?: boolean;
}

export interface TestCase {
  name: string;
  certificates?: string[];
  certificate?: string;
  pem?: string;
  now?: string;
  policies?: string[];
  target?: {
    id?: string;
    source?: 'endpoint' | 'file' | 'kubeconfig' | 'kubernetes';
    host?: string;
    serverName?: string;
    port?: number;
    labels?: Record<string, string>;
    zone?: string;
    owners?: string[];
    inventory?: string;
    role?: string;
    kubeadm?: { role: KubeadmRole; issuer?: string; nodeName?: string; CN?: string; acceptedO?: string[][] };
  };
  chain?: { trusted?: boolean; anchor?: string; length?: number };
  findings?: FindingMatcher[];
  notFindings?: FindingMatcher[];
  noOtherFindings?: boolean;
}

export interface TestFile {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; description?: string };
  policies?: string[];
  now?: string;
  certificates?: Record<string, FixtureDescription | { pem: string }>;
  cases: TestCase[];
}

const CASE_KEYS = new Set([
  'name',
  'certificates',
  'certificate',
  'pem',
  'now',
  'policies',
  'target',
  'chain',
  'findings',
  'notFindings',
  'noOtherFindings',
]);
const FILE_KEYS = new Set(['apiVersion', 'kind', 'metadata', 'policies', 'now', 'certificates', 'cases']);
const MATCHER_KEYS = new Set(['rule', 'check', 'severity', 'message', 'certificate', 'waived']);

export function structureProblems(doc: YamlDoc): Problem[] {
  const out: Problem[] = [];
  const t = doc.data as Record<string, unknown>;
  const bad = (p: (string | number)[], m: string) => out.push({ location: doc.locate(p), message: m });
  if (!t || typeof t !== 'object' || Array.isArray(t))
    return [
      {
        location: doc.locate([]),
        message: 'a policy test file is a mapping with apiVersion, kind: PolicyTest, cases',
      },
    ];
  if (t.apiVersion !== 'certwarden/v1') bad(['apiVersion'], `apiVersion: expected "certwarden/v1"`);
  if (t.kind !== 'PolicyTest') bad(['kind'], `kind: expected "PolicyTest"`);
  for (const k of Object.keys(t))
    if (!FILE_KEYS.has(k) && !k.startsWith('x-'))
      bad([k], `unknown key '${k}' (allowed: ${[...FILE_KEYS].join(', ')})`);
  if (!Array.isArray(t.cases) || t.cases.length === 0)
    bad(['cases'], 'cases: expected a non-empty list of test cases');
  else
    (t.cases as Record<string, unknown>[]).forEach((c, i) => {
      if (!c || typeof c !== 'object') return bad(['cases', i], `cases[${i}]: expected a mapping`);
      for (const k of Object.keys(c))
        if (!CASE_KEYS.has(k) && !k.startsWith('x-'))
          bad(['cases', i, k], `cases[${i}]: unknown key '${k}' (allowed: ${[...CASE_KEYS].join(', ')})`);
      if (typeof c.name !== 'string')
        bad(['cases', i], `cases[${i}]: missing 'name' (a sentence saying what the case shows)`);
      const sources = ['certificates', 'certificate', 'pem'].filter((k) => k in c);
      if (sources.length !== 1)
        bad(['cases', i], `cases[${i}]: give exactly one of certificate, certificates, pem`);
      for (const key of ['findings', 'notFindings'] as const) {
        const list = c[key];
        if (list === undefined) continue;
        if (!Array.isArray(list))
          bad(['cases', i, key], `cases[${i}].${key}: expected a list of finding matchers`);
        else
          list.forEach((m, j) => {
            if (!m || typeof m !== 'object')
              return bad(
                ['cases', i, key, j],
                `cases[${i}].${key}[${j}]: expected a mapping {rule, check, severity, message, certificate, waived}`,
              );
            for (const k of Object.keys(m))
              if (!MATCHER_KEYS.has(k))
                bad(
                  ['cases', i, key, j, k],
                  `cases[${i}].${key}[${j}]: unknown key '${k}' (allowed: ${[...MATCHER_KEYS].join(', ')})`,
                );
          });
      }
    });
  if (t.now !== undefined && Number.isNaN(Date.parse(String(t.now))))
    bad(['now'], `now: expected an ISO-8601 time, got ${JSON.stringify(t.now)}`);
  return out;
}
