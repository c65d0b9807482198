// `certwarden test`: policy unit tests kept beside the policies (*.test.yaml). Each file describes
// fixture certificates (built for real, or read from PEM files) and cases: what a target presents
// and which findings the packs must and must not produce. Prints a pass/fail listing.
import { readFileSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, EXIT, formatProblem, type Problem } from '../core/errors.js';
import type { Finding, Observation, ObservedCert, Severity, SourceLocation } from '../core/model.js';
import type { Target } from '../inventory/types.js';
import { parseYaml, type YamlDoc } from '../inventory/yaml-source.js';
import { readCertificates } from '../x509/read.js';
import {
  FixtureError,
  issueFixtures,
  type FixtureDescription,
  type IssuedFixture,
} from '../x509/fixture-issuer.js';
import { loadPolicies } from './load.js';
import { evaluatePolicies } from './evaluate.js';
import { applyWaivers } from './waivers.js';
import type { KubeadmRole, KubeadmTargetInfo } from '../inventory/presets/kubeadm-table.js';
import type { PolicyIo, PolicySet } from './types.js';

/** Side effects of the runner: where the listing goes. */
export interface TestRunnerIo {
  out(line: string): void;
}

export interface TestRunResult {
  passed: number;
  failed: number;
  exitCode: number;
}

interface FindingMatcher {
  rule?: string;
  check?: string;
  severity?: Severity;
  message?: string;
  certificate?: string;
  waived?: boolean;
}

interface TestCase {
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

interface TestFile {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; description?: string };
  policies?: string[];
  now?: string;
  certificates?: Record<string, FixtureDescription | { pem: string }>;
  cases: TestCase[];
}

/** Test files in a folder (or the file itself). */
async function testFiles(dir: string): Promise<string[]> {
  const st = await stat(dir);
  if (st.isFile()) return /\.test\.ya?ml$/.test(dir) ? [dir] : [];
  return (await readdir(dir))
    .filter((n) => /\.test\.ya?ml$/.test(n))
    .sort()
    .map((n) => path.join(dir, n));
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

function structureProblems(doc: YamlDoc): Problem[] {
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

function describe(f: Finding, names: Map<string, string>): string {
  const cert = f.certificate ? (names.get(f.certificate) ?? f.certificate.slice(0, 12)) : '-';
  return `${f.rule ?? f.check} [${f.check}] ${f.severity}${f.waived ? ' (waived)' : ''} on ${cert}: ${f.message}`;
}

function matches(m: FindingMatcher, f: Finding, fixtures: Map<string, IssuedFixture>): boolean {
  if (m.rule !== undefined && f.rule !== m.rule && !(f.rule === null && f.check === m.rule)) return false;
  if (m.check !== undefined && f.check !== m.check) return false;
  if (m.severity !== undefined && f.severity !== m.severity) return false;
  if (m.message !== undefined && !f.message.toLowerCase().includes(m.message.toLowerCase())) return false;
  if (m.certificate !== undefined && f.certificate !== (fixtures.get(m.certificate)?.sha256 ?? m.certificate))
    return false;
  if (m.waived !== undefined && Boolean(f.waived) !== m.waived) return false;
  return true;
}

function matcherText(m: FindingMatcher): string {
  return `{${Object.entries(m)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join(', ')}}`;
}

function buildTarget(
  c: TestCase,
  file: string,
  index: number,
  policies: string[],
  loc: SourceLocation,
): Target {
  const t = c.target ?? {};
  const id = t.id ?? `case-${index + 1}`;
  const kind = t.source ?? (t.host ? 'endpoint' : 'file');
  const source: Target['source'] =
    kind === 'endpoint'
      ? {
          kind,
          endpoint: {
            host: t.host ?? 'localhost',
            port: t.port ?? 443,
            ...(t.serverName ? { serverName: t.serverName } : {}),
          },
        }
      : kind === 'kubeconfig'
        ? { kind, kubeconfig: { path: file } }
        : kind === 'kubernetes'
          ? { kind, kubernetes: { cluster: 'test', kind: 'Secret', namespace: 'default', name: id } }
          : { kind: 'file', file: { path: file } };
  const target: Target & { kubeadm?: KubeadmTargetInfo } = {
    id,
    inventory: t.inventory ?? 'policy-test',
    location: loc,
    source,
    policies,
    owners: t.owners ?? [],
    zone: t.zone ?? null,
    labels: t.labels ?? {},
    ...(t.role || t.kubeadm ? { role: t.role ?? t.kubeadm?.role } : {}),
  };
  if (t.kubeadm) {
    const nodeName = t.kubeadm.nodeName ?? 'node-1';
    const issuer = t.kubeadm.issuer;
    target.kubeadm = {
      role: t.kubeadm.role,
      file: `${t.kubeadm.role}.crt`,
      caFile: issuer ? `fixture:${issuer}` : null,
      caName: issuer ? 'ca.crt' : null,
      CN: t.kubeadm.CN ?? (t.kubeadm.role === 'kubelet' ? `system:node:${nodeName}` : ''),
      acceptedO: t.kubeadm.acceptedO ?? null,
      nodeName,
    };
  }
  return target;
}

function originFor(kind: string, i: number): string {
  if (kind === 'endpoint') return `presented[${i}]`;
  if (kind === 'kubeconfig') return 'users[test].client-certificate';
  if (kind === 'kubernetes') return `tls.crt[${i}]`;
  return `file[${i}]`;
}

/** Runs every *.test.yaml in `dirs` against the shipped packs plus the packs in `dirs`. */
export async function runPolicyTests(
  dirs: string[],
  io: TestRunnerIo = { out: (l) => void process.stdout.write(l + '\n') },
): Promise<TestRunResult> {
  let passed = 0;
  let failed = 0;
  const fixturePem = new Map<string, string>();
  const policyIo: PolicyIo = {
    readFile: (p) => {
      if (p.startsWith('fixture:')) {
        const pem = fixturePem.get(p.slice('fixture:'.length));
        if (pem === undefined) throw Object.assign(new Error('no such fixture'), { code: 'ENOENT' });
        return Buffer.from(pem);
      }
      return readFileSync(p);
    },
  };
  let set: PolicySet;
  try {
    set = await loadPolicies(dirs, { io: policyIo });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    io.out('policies do not load:');
    for (const p of e.problems) io.out(`  ${formatProblem(p)}`);
    return { passed: 0, failed: 0, exitCode: EXIT.config };
  }
  const files: string[] = [];
  const problems: Problem[] = [];
  for (const d of dirs) {
    try {
      files.push(...(await testFiles(path.resolve(d))));
    } catch (e) {
      problems.push({ location: null, message: `${d}: ${(e as Error).message}` });
    }
  }
  if (!files.length && !problems.length) io.out(`no *.test.yaml files in ${dirs.join(', ')}`);
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    const { docs, problems: yp } = parseYaml(text, file);
    const fileProblems = [...yp, ...docs.flatMap(structureProblems)];
    if (fileProblems.length) {
      problems.push(...fileProblems);
      continue;
    }
    for (const doc of docs) {
      const t = doc.data as TestFile;
      const relative = path.relative(process.cwd(), file);
      const rel = relative && !relative.startsWith('..') ? relative : file;
      io.out(rel);
      const defaultPolicies = t.policies ?? [path.basename(file).replace(/\.test\.ya?ml$/, '')];
      for (const p of defaultPolicies) {
        if (!set.policies.has(p))
          problems.push({
            location: doc.locate(t.policies ? ['policies'] : []),
            message: `unknown policy '${p}' (loaded: ${[...set.policies.keys()].join(', ')})`,
          });
      }
      // Fixtures: described ones are issued for real at the file's `now`; `pem:` ones are read.
      const baseNow = new Date(t.now ?? Date.now());
      const described: Record<string, FixtureDescription> = {};
      const fixtures = new Map<string, IssuedFixture>();
      for (const [name, d] of Object.entries(t.certificates ?? {})) {
        if (d && typeof d === 'object' && 'pem' in d) {
          try {
            const bytes = await readFile(path.resolve(path.dirname(file), String(d.pem)));
            const r = readCertificates(bytes, { file: String(d.pem), format: 'auto' });
            const first = r.certificates[0];
            if (!first) throw new Error('no certificate in the file');
            const der = Buffer.from(first.record.der, 'base64');
            fixtures.set(name, { name, der, pem: bytes.toString('utf8'), sha256: first.record.sha256 });
          } catch (e) {
            problems.push({
              location: doc.locate(['certificates', name]),
              message: `certificate '${name}': ${(e as Error).message}`,
            });
          }
        } else described[name] = d as FixtureDescription;
      }
      try {
        for (const [k, v] of await issueFixtures(described, baseNow)) fixtures.set(k, v);
      } catch (e) {
        if (!(e instanceof FixtureError)) throw e;
        problems.push({
          location: doc.locate(['certificates', e.fixture]),
          message: `certificate ${e.message}`,
        });
        continue;
      }
      for (const f of fixtures.values()) fixturePem.set(f.name, f.pem);
      const names = new Map([...fixtures.values()].map((f) => [f.sha256, f.name]));
      for (const [i, c] of t.cases.entries()) {
        const loc = doc.locate(['cases', i]);
        const fail = (why: string[]) => {
          failed++;
          io.out(`  FAIL ${c.name}  (${rel}:${loc.line})`);
          for (const w of why) io.out(`       ${w}`);
        };
        let certs: ObservedCert[];
        const kind = c.target?.source ?? (c.target?.host ? 'endpoint' : 'file');
        try {
          if (c.pem !== undefined) {
            const r = readCertificates(await readFile(path.resolve(path.dirname(file), c.pem)), {
              file: c.pem,
              format: 'auto',
            });
            certs = r.certificates.map((oc, j) => ({ origin: originFor(kind, j), record: oc.record }));
          } else {
            const list = c.certificates ?? [c.certificate!];
            certs = list.map((n, j) => {
              const f = fixtures.get(n);
              if (!f)
                throw new Error(
                  `certificate '${n}' is not a fixture in this file (have: ${[...fixtures.keys()].join(', ')})`,
                );
              const rec = readCertificates(f.der, { file: n, format: 'der' }).certificates[0]!.record;
              return { origin: originFor(kind, j), record: rec };
            });
          }
        } catch (e) {
          fail([`cannot build the case: ${(e as Error).message}`]);
          continue;
        }
        const now = new Date(c.now ?? t.now ?? Date.now());
        const target = buildTarget(c, file, i, c.policies ?? defaultPolicies, loc);
        const observation: Observation = {
          target: target.id,
          source: { kind: target.source.kind },
          collectedAt: now.toISOString(),
          status: 'ok',
          error: null,
          certificates: certs,
          trustStore: null,
        };
        const chain = c.chain
          ? {
              trusted: c.chain.trusted ?? false,
              anchor: c.chain.anchor ?? null,
              path: certs.map((x) => x.record.sha256).slice(0, c.chain.length ?? certs.length),
              problems: [],
            }
          : null;
        let findings: Finding[];
        try {
          findings = applyWaivers(evaluatePolicies(set, { target, observation, chain, now }), set, now, [
            target,
          ]);
        } catch (e) {
          if (e instanceof ConfigError) {
            fail(e.problems.map((p) => p.message));
            continue;
          }
          throw e;
        }
        const why: string[] = [];
        const used = new Set<Finding>();
        for (const m of c.findings ?? []) {
          const hit = findings.filter((f) => matches(m, f, fixtures));
          if (!hit.length) why.push(`expected a finding ${matcherText(m)}`);
          hit.forEach((f) => used.add(f));
        }
        for (const m of c.notFindings ?? []) {
          for (const f of findings.filter((x) => matches(m, x, fixtures)))
            why.push(`unexpected finding ${matcherText(m)}: ${describe(f, names)}`);
        }
        if (c.noOtherFindings)
          for (const f of findings) if (!used.has(f)) why.push(`unexpected finding: ${describe(f, names)}`);
        if (why.length) {
          why.push(findings.length ? `findings produced:` : 'no findings were produced');
          for (const f of findings) why.push(`  - ${describe(f, names)}`);
          fail(why);
        } else {
          passed++;
          io.out(`  ok   ${c.name}`);
        }
      }
    }
  }
  for (const p of problems) io.out(formatProblem(p));
  io.out(
    `${passed} passed, ${failed} failed${problems.length ? `, ${problems.length} problem${problems.length === 1 ? '' : 's'} in test files` : ''}`,
  );
  const exitCode = problems.length ? EXIT.config : failed ? EXIT.findings : EXIT.clean;
  return { passed, failed, exitCode };
}
