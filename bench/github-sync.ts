// GitHub sync at scale: N findings (default 1,000) synced against the OpenAPI-checked test server with
// the real octokit client.
//
//   npx tsx bench/github-sync.ts [N]      (or BENCH_N=…)
//
// Prints the requests of: the first sync (every issue created), a second sync of the same report
// (aim: zero writes; reads bounded by pages of 100, not by findings), and a third sync where 1% of
// the findings are gone (those issues closed, nothing else touched). Every request and response is
// validated against GitHub's OpenAPI description; a violation fails the bench.
import { makeFinding } from '../src/core/findings.js';
import type { Finding, Report, ReportTarget } from '../src/core/model.js';
import { runSync } from '../src/github/sync.js';
import {
  startGitHubApiServer,
  type GitHubApiServer,
  type RecordedRequest,
} from '../test/support/github-api-server.js';

const N = Number(/^\d+$/.test(process.argv[2] ?? '') ? process.argv[2] : (process.env['BENCH_N'] ?? 1000));
const NOW = '2026-11-01T00:00:00Z';

function buildReport(n: number): Report {
  const targets: ReportTarget[] = [];
  const findings: Finding[] = [];
  for (let i = 0; i < n; i++) {
    const id = `svc-${String(i).padStart(5, '0')}`;
    const sha = i.toString(16).padStart(64, '0');
    const days = ((i * 7) % 400) - 20;
    targets.push({
      id,
      inventory: { file: `inventory/team-${i % 10}.yaml`, line: 10 + i },
      source: { kind: 'endpoint' },
      status: 'findings',
      certificates: [
        {
          sha256: sha,
          subject: { dn: `CN=${id}.example`, CN: `${id}.example`, O: [], OU: [], C: [], L: [], ST: [] },
          issuer: { dn: 'CN=Issuing', CN: 'Issuing', O: [], OU: [], C: [], L: [], ST: [] },
          serial: '01',
          notBefore: '2026-01-01T00:00:00.000Z',
          notAfter: new Date(Date.parse(NOW) + days * 86_400_000).toISOString(),
          daysRemaining: days,
          dnsNames: [`${id}.example`],
          ipAddresses: [],
          keyType: 'EC',
          keyBits: 256,
          curve: 'P-256',
          signatureAlgorithm: 'ecdsa-with-SHA256',
          isCA: false,
          role: 'leaf',
        },
      ],
      chain: null,
      owners: ['@acme/platform'],
    });
    findings.push(
      makeFinding({
        target: id,
        check: 'expiry',
        rule: 'expiry',
        severity: days < 7 ? 'error' : 'warning',
        message: `certificate ${id}.example expires in ${days} days`,
        certificate: sha,
      }),
    );
  }
  return {
    schemaVersion: 1,
    tool: { name: 'certwarden', version: '0.1.0' },
    evaluatedAt: NOW,
    summary: {
      targets: n,
      certificates: n,
      findings: {
        error: findings.filter((f) => f.severity === 'error').length,
        warning: findings.filter((f) => f.severity === 'warning').length,
        info: 0,
      },
      waived: 0,
    },
    targets,
    findings,
  };
}

function tally(list: RecordedRequest[]): string {
  const by = new Map<string, number>();
  for (const r of list) by.set(`${r.method} ${r.route}`, (by.get(`${r.method} ${r.route}`) ?? 0) + 1);
  return [...by.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `      ${String(v).padStart(5)}  ${k}`)
    .join('\n');
}

async function measure(server: GitHubApiServer, label: string, report: Report): Promise<void> {
  server.resetCounts();
  const t0 = performance.now();
  const res = await runSync({
    maxCreates: Infinity, // the bench measures every create; real runs cap new issues per run (default 200)
    report,
    repo: { owner: server.owner, repo: server.repo },
    token: 'test-token',
    apiUrl: server.url,
    repoRoot: process.cwd(),
  });
  const ms = performance.now() - t0;
  if (res.exitCode !== 0) throw new Error(`${label}: sync exited ${res.exitCode}: ${res.error}`);
  const writes = server.writes();
  const reads = server.reads();
  console.log(
    `${label}: ${reads.length + writes.length} requests (${reads.length} reads, ${writes.length} writes) in ${(ms / 1000).toFixed(2)} s`,
  );
  if (reads.length) console.log(`    reads\n${tally(reads)}`);
  if (writes.length) console.log(`    writes\n${tally(writes)}`);
}

async function main(): Promise<void> {
  const server = await startGitHubApiServer();
  try {
    console.log(
      `GitHub sync of ${N} findings against the OpenAPI-checked test server (real octokit, pages of 100)\n`,
    );
    const report = buildReport(N);
    await measure(server, 'first sync', report);
    await measure(server, 'second sync, nothing changed', report);
    const gone = new Set(report.findings.filter((_, i) => i % 100 === 0).map((f) => f.id));
    await measure(server, `third sync, ${gone.size} findings fixed`, {
      ...report,
      findings: report.findings.filter((f) => !gone.has(f.id)),
    });
    const dash = [...server.issues.values()].find((i) => i.title.startsWith('certwarden dashboard'));
    console.log(
      `\nopen issues: ${[...server.issues.values()].filter((i) => i.state === 'open').length}; dashboard body: ${dash?.body?.length ?? 0} characters (limit 65,536)`,
    );
    if (server.violations.length)
      throw new Error(`OpenAPI violations:\n${server.violations.slice(0, 10).join('\n')}`);
    console.log('every request and response matched the OpenAPI description');
  } finally {
    await server.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
