// `certwarden test`: policy unit tests kept beside the policies (*.test.yaml). Each file describes
// fixture certificates (built for real, or read from PEM files) and cases: what a target presents
// and which findings the packs must and must not produce. Prints a pass/fail listing.
import { readdir, stat } from 'node:fs/promises';
import {
  CONFIG_READ_TIMEOUT_MS,
  readFailure,
  safeRead,
  safeReadSync,
  safeReadText,
} from '../core/safe-read.js';
import path from 'node:path';
import { ConfigError, EXIT, formatProblem, type Problem } from '../core/errors.js';
import { DEFAULT_SEVERITY } from '../core/findings.js';
import { suggest } from '../core/text.js';
import type { Finding, Observation, ObservedCert, SourceLocation } from '../core/model.js';
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
import { applyWaivers, waiverCovers } from './waivers.js';
import { CHECKS } from './checks/index.js';
import type { KubeadmTargetInfo } from '../inventory/presets/kubeadm-table.js';
import type { PolicyIo, PolicySet, Waiver } from './types.js';
import { structureProblems, type FindingMatcher, type TestCase, type TestFile } from './test-format.js';

/** Side effects of the runner: where the listing goes. */
export interface TestRunnerIo {
  out(line: string): void;
}

export interface TestRunResult {
  passed: number;
  failed: number;
  exitCode: number;
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

/** Counts and output of one run, shared by its files and cases. */
interface Run {
  set: PolicySet;
  io: TestRunnerIo;
  /** Fixture PEMs by name, for `fixture:<name>` files the packs read (kubeadm CA files). */
  fixturePem: Map<string, string>;
  problems: Problem[];
  passed: number;
  failed: number;
  /** Expired waivers already listed (each is listed once per run, not in every case). */
  listedWaivers: Set<Waiver>;
}

/** One PolicyTest document with its fixtures issued. */
interface DocRun {
  file: string;
  /** The file as printed: relative to the working folder when inside it. */
  rel: string;
  t: TestFile;
  doc: YamlDoc;
  defaultPolicies: string[];
  fixtures: Map<string, IssuedFixture>;
  /** Fixture names by SHA-256, for listings. */
  names: Map<string, string>;
}

/** Runs every *.test.yaml in `dirs` against the shipped packs plus the packs in `dirs`. */
export async function runPolicyTests(
  dirs: string[],
  io: TestRunnerIo = { out: (l) => void process.stdout.write(l + '\n') },
): Promise<TestRunResult> {
  const fixturePem = new Map<string, string>();
  let set: PolicySet;
  try {
    set = await loadPolicies(dirs, { io: fixtureIo(fixturePem) });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    io.out('policies do not load:');
    for (const p of e.problems) io.out(`  ${formatProblem(p)}`);
    return { passed: 0, failed: 0, exitCode: EXIT.config };
  }
  const run: Run = { set, io, fixturePem, problems: [], passed: 0, failed: 0, listedWaivers: new Set() };
  const files: string[] = [];
  for (const d of dirs) {
    try {
      files.push(...(await testFiles(path.resolve(d))));
    } catch (e) {
      run.problems.push({ location: null, message: `${d}: ${(e as Error).message}` });
    }
  }
  if (!files.length && !run.problems.length) io.out(`no *.test.yaml files in ${dirs.join(', ')}`);
  for (const file of files) await runTestFile(run, file);
  const { passed, failed, problems } = run;
  for (const p of problems) io.out(formatProblem(p));
  io.out(
    `${passed} passed, ${failed} failed${problems.length ? `, ${problems.length} problem${problems.length === 1 ? '' : 's'} in test files` : ''}`,
  );
  const exitCode = problems.length ? EXIT.config : failed ? EXIT.findings : EXIT.clean;
  return { passed, failed, exitCode };
}

/** A fixture certificate file, read the safe way (no FIFO, no device, the certificate cap). */
function readPem(file: string): Promise<Buffer> {
  return safeRead(file, { kind: 'certificate', timeoutMs: CONFIG_READ_TIMEOUT_MS });
}

/** Policy files are read from disk, except `fixture:<name>`, which names a fixture of a test file. */
function fixtureIo(fixturePem: Map<string, string>): PolicyIo {
  return {
    readFile: (p) => {
      if (p.startsWith('fixture:')) {
        const pem = fixturePem.get(p.slice('fixture:'.length));
        if (pem === undefined) throw Object.assign(new Error('no such fixture'), { code: 'ENOENT' });
        return Buffer.from(pem);
      }
      return safeReadSync(p, { kind: 'certificate' });
    },
  };
}

/** One test file: structure problems stop it; else each document's cases run. */
async function runTestFile(run: Run, file: string): Promise<void> {
  let text: string;
  try {
    text = await safeReadText(file, { kind: 'policy', timeoutMs: CONFIG_READ_TIMEOUT_MS });
  } catch (e) {
    run.problems.push({ location: { file, line: 1, column: 1 }, message: `cannot read: ${readFailure(e)}` });
    return;
  }
  const { docs, problems: yp } = parseYaml(text, file);
  const fileProblems = [...yp, ...docs.flatMap(structureProblems)];
  if (fileProblems.length) {
    run.problems.push(...fileProblems);
    return;
  }
  for (const doc of docs) {
    const t = doc.data as TestFile;
    const relative = path.relative(process.cwd(), file);
    const rel = relative && !relative.startsWith('..') ? relative : file;
    run.io.out(rel);
    const defaultPolicies = t.policies ?? [path.basename(file).replace(/\.test\.ya?ml$/, '')];
    for (const p of defaultPolicies) {
      if (!run.set.policies.has(p))
        run.problems.push({
          location: doc.locate(t.policies ? ['policies'] : []),
          message: `unknown policy '${p}' (loaded: ${[...run.set.policies.keys()].join(', ')})`,
        });
    }
    run.problems.push(...matcherProblems(run.set, doc, t, defaultPolicies));
    listExpiredWaivers(run, new Date(t.now ?? Date.now()));
    const fixtures = await loadFixtures(run, file, doc, t);
    if (!fixtures) continue;
    for (const f of fixtures.values()) run.fixturePem.set(f.name, f.pem);
    const names = new Map([...fixtures.values()].map((f) => [f.sha256, f.name]));
    const docRun: DocRun = { file, rel, t, doc, defaultPolicies, fixtures, names };
    for (const [i, c] of t.cases.entries()) await runCase(run, docRun, c, i);
  }
}

/** Check names a finding can carry: the built-in checks, CEL rules, and the non-policy findings. */
function knownChecks(): string[] {
  return [...new Set([...CHECKS.keys(), 'cel', ...Object.keys(DEFAULT_SEVERITY)])].sort();
}

/**
 * The `rule` and `check` of every findings/notFindings matcher must name something the case can
 * produce: a typo would make a notFindings entry pass whatever the packs do.
 */
function matcherProblems(set: PolicySet, doc: YamlDoc, t: TestFile, defaults: string[]): Problem[] {
  const out: Problem[] = [];
  const checks = knownChecks();
  (t.cases ?? []).forEach((c, i) => {
    const packs = (c.policies ?? defaults).map((n) => set.policies.get(n));
    const known = packs.every(Boolean) ? packs : [...set.policies.values()];
    const rules = [
      ...new Set([...known.flatMap((p) => p!.rules.map((r) => r.id)), ...Object.keys(DEFAULT_SEVERITY)]),
    ].sort();
    for (const list of ['findings', 'notFindings'] as const)
      (c[list] ?? []).forEach((m, j) => {
        const at = ['cases', i, list, j];
        if (m.rule !== undefined && !rules.includes(m.rule)) {
          const near = suggest(m.rule, rules);
          out.push({
            location: doc.locate([...at, 'rule']),
            message: `cases[${i}].${list}[${j}].rule: unknown rule '${m.rule}'${near ? `; did you mean '${near}'?` : ''} (rules of ${(c.policies ?? defaults).join(', ')}: ${known.flatMap((p) => p!.rules.map((r) => r.id)).join(', ') || 'none'}; or a finding check such as chain.untrusted)`,
          });
        }
        if (m.check !== undefined && !checks.includes(m.check)) {
          const near = suggest(m.check, checks);
          out.push({
            location: doc.locate([...at, 'check']),
            message: `cases[${i}].${list}[${j}].check: unknown check '${m.check}'${near ? `; did you mean '${near}'?` : ''} (checks: ${checks.join(', ')})`,
          });
        }
      });
  });
  return out;
}

/** Expired waivers of the loaded packs, each listed once per run (cases report them only where they apply). */
function listExpiredWaivers(run: Run, now: Date): void {
  for (const p of run.set.policies.values())
    for (const w of p.waivers) {
      if (now.getTime() < w.expiresAt.getTime() || run.listedWaivers.has(w)) continue;
      run.listedWaivers.add(w);
      const rel = path.relative(process.cwd(), w.location.file);
      const file = rel && !rel.startsWith('..') ? rel : w.location.file;
      run.io.out(
        `  note ${file}:${w.location.line}: waiver of rule '${w.rule}' for ${w.target ?? 'a selector'} expired on ${w.expires}; cases whose target it covers report it as waiver.expired`,
      );
    }
}

/** A waiver.expired finding stays in a case only when its waiver covers the case's target. */
function concernsCase(f: Finding, set: PolicySet, target: Target): boolean {
  if (f.check !== 'waiver.expired') return true;
  const w = [...set.policies.values()]
    .flatMap((p) => p.waivers)
    .find((x) => x.location.file === f.location?.file && x.location.line === f.location.line);
  return !w || waiverCovers(w, target);
}

/**
 * Fixtures: described ones are issued for real at the file's `now`; `pem:` ones are read. Null when
 * a description cannot be issued (a problem at it; the document's cases do not run).
 */
async function loadFixtures(
  run: Run,
  file: string,
  doc: YamlDoc,
  t: TestFile,
): Promise<Map<string, IssuedFixture> | null> {
  const baseNow = new Date(t.now ?? Date.now());
  const described: Record<string, FixtureDescription> = {};
  const fixtures = new Map<string, IssuedFixture>();
  for (const [name, d] of Object.entries(t.certificates ?? {})) {
    if (d && typeof d === 'object' && 'pem' in d) {
      try {
        const bytes = await readPem(path.resolve(path.dirname(file), String(d.pem)));
        const r = readCertificates(bytes, { file: String(d.pem), format: 'auto' });
        const first = r.certificates[0];
        if (!first) throw new Error('no certificate in the file');
        const der = Buffer.from(first.record.der, 'base64');
        fixtures.set(name, { name, der, pem: bytes.toString('utf8'), sha256: first.record.sha256 });
      } catch (e) {
        run.problems.push({
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
    run.problems.push({
      location: doc.locate(['certificates', e.fixture]),
      message: `certificate ${e.message}`,
    });
    return null;
  }
  return fixtures;
}

/** One case: build what the target presents, evaluate the packs, compare with the expectations. */
async function runCase(run: Run, d: DocRun, c: TestCase, i: number): Promise<void> {
  const loc = d.doc.locate(['cases', i]);
  const fail = (why: string[]) => {
    run.failed++;
    run.io.out(`  FAIL ${c.name}  (${d.rel}:${loc.line})`);
    for (const w of why) run.io.out(`       ${w}`);
  };
  let certs: ObservedCert[];
  try {
    certs = await caseCertificates(d, c);
  } catch (e) {
    fail([`cannot build the case: ${(e as Error).message}`]);
    return;
  }
  const now = new Date(c.now ?? d.t.now ?? Date.now());
  const target = buildTarget(c, d.file, i, c.policies ?? d.defaultPolicies, loc);
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
    findings = applyWaivers(evaluatePolicies(run.set, { target, observation, chain, now }), run.set, now, [
      target,
    ]).filter((f) => concernsCase(f, run.set, target));
  } catch (e) {
    if (e instanceof ConfigError) {
      fail(e.problems.map((p) => p.message));
      return;
    }
    throw e;
  }
  const why = mismatches(c, findings, d);
  if (why.length) {
    why.push(findings.length ? `findings produced:` : 'no findings were produced');
    for (const f of findings) why.push(`  - ${describe(f, d.names)}`);
    fail(why);
  } else {
    run.passed++;
    run.io.out(`  ok   ${c.name}`);
  }
}

/** The certificates a case presents: read from its `pem` file, or its fixtures by name. */
async function caseCertificates(d: DocRun, c: TestCase): Promise<ObservedCert[]> {
  const kind = c.target?.source ?? (c.target?.host ? 'endpoint' : 'file');
  if (c.pem !== undefined) {
    const r = readCertificates(await readPem(path.resolve(path.dirname(d.file), c.pem)), {
      file: c.pem,
      format: 'auto',
    });
    return r.certificates.map((oc, j) => ({ origin: originFor(kind, j), record: oc.record }));
  }
  const list = c.certificates ?? [c.certificate!];
  return list.map((n, j) => {
    const f = d.fixtures.get(n);
    if (!f)
      throw new Error(
        `certificate '${n}' is not a fixture in this file (have: ${[...d.fixtures.keys()].join(', ')})`,
      );
    const rec = readCertificates(f.der, { file: n, format: 'der' }).certificates[0]!.record;
    return { origin: originFor(kind, j), record: rec };
  });
}

/** Why a case fails: expected findings missing, unexpected ones present (empty when it passes). */
function mismatches(c: TestCase, findings: Finding[], d: DocRun): string[] {
  const why: string[] = [];
  const used = new Set<Finding>();
  for (const m of c.findings ?? []) {
    const hit = findings.filter((f) => matches(m, f, d.fixtures));
    if (!hit.length) why.push(`expected a finding ${matcherText(m)}`);
    hit.forEach((f) => used.add(f));
  }
  for (const m of c.notFindings ?? []) {
    for (const f of findings.filter((x) => matches(m, x, d.fixtures)))
      why.push(`unexpected finding ${matcherText(m)}: ${describe(f, d.names)}`);
  }
  if (c.noOtherFindings)
    for (const f of findings) if (!used.has(f)) why.push(`unexpected finding: ${describe(f, d.names)}`);
  return why;
}
