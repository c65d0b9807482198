// Markdown for finding issues, the dashboard issue and what PR bodies share (each PR kind renders
// its own body in pulls/). Every string that comes from a
// certificate, a server or the report goes through escape.ts; only our own words are raw markdown.
import type { Finding, Report, ReportCertificate, ReportTarget } from '../core/model.js';
import type { RenewalNote } from '../renewal/plan.js';
import { escapeCodeBlock, escapeMarkdown as md, escapeTitle } from '../core/escape.js';
import { DASHBOARD_MARKER, DASHBOARD_TITLE, findingMarker, targetMarker } from './markers.js';

/** GitHub refuses bodies of 65,536 characters or more; we stay well below. */
export const BODY_LIMIT = 65_536;
const DASHBOARD_BUDGET = 60_000;

export function issueTitle(f: Finding, cert: ReportCertificate | undefined): string {
  const check = f.rule && f.rule !== f.check ? `${f.check}/${f.rule}` : f.check;
  const cn = cert?.subject.CN ? ` (${cert.subject.CN})` : '';
  return escapeTitle(`[${f.severity}] ${check}: ${f.target}${cn}`);
}

/** Table rows describing a certificate (subject, issuer, not after, SHA-256, DNS names). */
export function certLines(c: ReportCertificate): string[] {
  return [
    `| Subject | ${md(c.subject.dn)} |`,
    `| Issuer | ${md(c.issuer.dn)} |`,
    `| Not after | ${md(c.notAfter)} |`,
    `| SHA-256 | ${md(c.sha256)} |`,
    ...(c.dnsNames.length
      ? [
          `| DNS names | ${c.dnsNames.slice(0, 20).map(md).join(', ')}${c.dnsNames.length > 20 ? ', …' : ''} |`,
        ]
      : []),
  ];
}

export function issueBody(
  f: Finding,
  cert: ReportCertificate | undefined,
  target: ReportTarget | undefined,
  /** Markdown added after the table (how to renew, for certificates renewed outside certwarden). */
  extraBody?: string,
): string {
  const lines = [
    findingMarker(f.id),
    targetMarker(f.target),
    '',
    `**${md(f.message)}**`,
    '',
    '| | |',
    '|---|---|',
    `| Severity | ${md(f.severity)} |`,
    `| Check | ${md(f.check)}${f.rule ? ` (rule ${md(f.rule)})` : ''} |`,
    `| Target | ${md(f.target)} |`,
  ];
  const loc =
    f.location ?? (target ? { file: target.inventory.file, line: target.inventory.line, column: 1 } : null);
  if (loc) lines.push(`| Inventory | ${md(`${loc.file}:${loc.line}`)} |`);
  if (cert) lines.push(...certLines(cert));
  else if (f.certificate) lines.push(`| Certificate | ${md(f.certificate)} |`);
  if (f.remediation) {
    const { kind, ...rest } = f.remediation;
    const extra = Object.entries(rest)
      .filter(([, v]) => typeof v === 'string' || typeof v === 'number')
      .map(([k, v]) => `${md(k)}: ${md(String(v))}`);
    lines.push(`| Remediation | ${md(kind)}${extra.length ? ` (${extra.join('; ')})` : ''} |`);
  }
  if (extraBody) lines.push('', extraBody);
  lines.push(
    '',
    `Finding id: ${md(f.id)}. This issue is kept in step by certwarden: it is closed when the finding is gone.`,
  );
  return clampBody(lines.join('\n'));
}

export function closeComment(
  reason: 'fixed' | 'waived' | 'below-threshold' | 'duplicate',
  f: Finding | undefined,
  when: string,
): string {
  const text = {
    fixed: `certwarden no longer finds this problem (scan of ${md(when)}). Closing.`,
    waived: `This finding is now waived${f?.waived ? `: ${md(f.waived.reason)} (owner ${md(f.waived.owner)}, until ${md(f.waived.expires)})` : ''}. Closing.`,
    'below-threshold': `This finding's severity (${md(f?.severity ?? '')}) is now below the threshold for issues. Closing.`,
    duplicate: 'Another certwarden issue tracks this finding. Closing this duplicate.',
  }[reason];
  return text;
}

/** The comment certwarden writes when it reopens a finding's issue. */
export function reopenComment(reason: 'closed-by-human' | 'back', when: string): string {
  return reason === 'back'
    ? `certwarden finds this problem again (scan of ${md(when)}). Reopening.`
    : `Still present in the scan of ${md(when)}; closing an issue does not fix the certificate — add a waiver in git to accept it. Reopening.`;
}

export interface DashboardLinks {
  /** Finding id -> issue number (null while the issue is yet to be created). */
  issues: Map<string, number | null>;
  /** Target id -> PR numbers. */
  pulls: Map<string, number[]>;
}

interface Row {
  days: number | null;
  line: string;
}

function bucket(days: number | null): string {
  if (days === null) return 'no certificate';
  if (days < 0) return 'expired';
  if (days <= 7) return '≤ 7 days';
  if (days <= 30) return '≤ 30 days';
  return 'later';
}

/**
 * The UTC day of a report's evaluation time. The dashboard shows the day, not the time: its body must
 * change only when what it shows changes (days remaining move once a day), else every sync rewrites it.
 */
function dayOf(evaluatedAt: string): string {
  const t = Date.parse(evaluatedAt);
  return Number.isNaN(t) ? md(evaluatedAt) : `${new Date(t).toISOString().slice(0, 10)} UTC`;
}

/**
 * The dashboard: every certificate by days remaining, grouped by inventory, linking the open finding
 * issues and PRs. Long groups are folded into counts so the body stays under GitHub's limit.
 */
export function dashboardBody(
  report: Report,
  groupOf: (t: ReportTarget) => string,
  links: DashboardLinks,
  findingsByTarget: Map<string, Finding[]>,
  runUrl?: string,
): string {
  const groups = new Map<string, Row[]>();
  let extra = '';
  for (const t of report.targets) {
    const g = groupOf(t);
    const rows = groups.get(g) ?? [];
    groups.set(g, rows);
    const refs = [
      ...(findingsByTarget.get(t.id) ?? []).map((f) => {
        const n = links.issues.get(f.id);
        return n ? `#${n}` : null;
      }),
      ...(links.pulls.get(t.id) ?? []).map((n) => `#${n}`),
    ].filter((x): x is string => x !== null);
    const refText = refs.length ? [...new Set(refs)].join(' ') : '';
    if (!t.certificates.length) {
      rows.push({ days: null, line: `| — | ${md(t.id)} | — | ${md(t.status)} | — | ${refText} |` });
      continue;
    }
    for (const c of t.certificates) {
      rows.push({
        days: c.daysRemaining,
        line: `| ${c.daysRemaining} | ${md(t.id)} | ${md(c.role)} | ${md(c.subject.CN ?? c.subject.dn)} | ${md(c.notAfter.slice(0, 10))} | ${refText} |`,
      });
    }
  }
  const s = report.summary;
  const head = [
    DASHBOARD_MARKER,
    `# ${DASHBOARD_TITLE}`,
    '',
    `Days left as of ${dayOf(report.evaluatedAt)}: ${s.targets} targets, ${s.certificates} certificates; findings: ${s.findings.error} error, ${s.findings.warning} warning, ${s.findings.info} info; ${s.waived} waived.`,
    '',
    '',
  ].join('\n');
  // Findings on things that are not scanned targets (trust bundles in the repo, …) still get a line.
  const scanned = new Set(report.targets.map((t) => t.id));
  const others = [...findingsByTarget.entries()].filter(([t]) => !scanned.has(t));
  if (others.length) {
    const rows = others.flatMap(([t, fs]) =>
      fs.map((f) => {
        const n = links.issues.get(f.id);
        const refs = [n ? `#${n}` : '', ...(links.pulls.get(t) ?? []).map((p) => `#${p}`)]
          .filter(Boolean)
          .join(' ');
        return `| ${md(f.severity)} | ${md(t)} | ${md(f.check)} | ${refs} |`;
      }),
    );
    extra = `## Other findings (${rows.length})\n\n| Severity | Bundle or object | Check | Issues and PRs |\n|---|---|---|---|\n${rows.slice(0, 200).join('\n')}\n`;
  }
  const tableHead =
    '| Days left | Target | Role | Subject | Not after | Issues and PRs |\n|---:|---|---|---|---|---|';
  const names = [...groups.keys()].sort();
  const sections = new Map<string, string>();
  for (const name of names) {
    const rows = (groups.get(name) ?? []).sort((a, b) => (a.days ?? -Infinity) - (b.days ?? -Infinity));
    sections.set(
      name,
      `## ${md(name)} (${rows.length})\n\n${tableHead}\n${rows.map((r) => r.line).join('\n')}\n`,
    );
  }
  if (extra) sections.set('\u0000other', extra);
  const total = () => head.length + [...sections.values()].reduce((n, v) => n + v.length + 1, 0);
  // Fold the largest groups first until the body fits.
  const bySize = [...names].sort((a, b) => (sections.get(b)?.length ?? 0) - (sections.get(a)?.length ?? 0));
  for (const name of bySize) {
    if (total() <= DASHBOARD_BUDGET) break;
    const rows = groups.get(name) ?? [];
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(bucket(r.days), (counts.get(bucket(r.days)) ?? 0) + 1);
    const summary = ['expired', '≤ 7 days', '≤ 30 days', 'later', 'no certificate']
      .filter((b) => counts.get(b))
      .map((b) => `${counts.get(b)} ${b}`)
      .join(', ');
    const soonest = rows.slice(0, 10).map((r) => r.line);
    const more = runUrl
      ? `the full table is in the [job summary](${runUrl})`
      : 'the full table is in the job summary of the scan';
    sections.set(
      name,
      `## ${md(name)} (${rows.length})\n\n${summary}. Folded: the 10 soonest are below, ${more}.\n\n${tableHead}\n${soonest.join('\n')}\n`,
    );
  }
  let body = `${head}${[...sections.values()].join('\n')}`;
  if (body.length > DASHBOARD_BUDGET) {
    // Even folded, too many groups: keep what fits and say so.
    let kept = head;
    let omitted = 0;
    for (const v of sections.values()) {
      if (kept.length + v.length + 200 > DASHBOARD_BUDGET) omitted++;
      else kept += `${v}\n`;
    }
    body = `${kept}\n${omitted} more inventories are left out to keep this issue under GitHub's size limit; see the job summary.\n`;
  }
  return body;
}

/** Markdown for how a certificate renewed outside certwarden is renewed (added to its expiry issue). */
export function renewalNoteBody(note: RenewalNote): string {
  const code = (lines: string[]) => [
    '```sh',
    ...lines.map((l) => escapeCodeBlock(l.replace(/[\r\n]+/g, ' '))),
    '```',
  ];
  const runbook = note.runbook ? ['', `Runbook: ${md(note.runbook)}`] : [];
  if (note.method === 'manual')
    return [
      '### How to renew',
      '',
      note.runbook
        ? `Follow the inventory's runbook: ${md(note.runbook)}`
        : 'This certificate is renewed by hand; the inventory gives no runbook.',
    ].join('\n');
  if (note.method === 'kubeadm') {
    const lines = ['### How to renew (kubeadm)', ''];
    if (note.renew.length)
      lines.push(
        `On control-plane node ${md(note.node)}, renew exactly the expiring certificates:`,
        '',
        ...code(note.renew.map((n) => `sudo kubeadm certs renew ${n}`)),
        '',
        'Then restart the control-plane static pods so they load the new certificates (kubeadm does not restart them):',
        '',
        ...code([
          'sudo mkdir -p /etc/kubernetes/manifests.off',
          'sudo mv /etc/kubernetes/manifests/*.yaml /etc/kubernetes/manifests.off/',
          'sleep 20   # wait until the kubelet has stopped the pods',
          'sudo mv /etc/kubernetes/manifests.off/*.yaml /etc/kubernetes/manifests/',
          'sudo kubeadm certs check-expiration',
        ]),
        '',
        ...(note.renew.some((n) => n.endsWith('.conf'))
          ? [
              'Renewed kubeconfigs: copy the new `admin.conf` to the users who use it (e.g. `~/.kube/config`).',
              '',
            ]
          : []),
      );
    for (const o of note.other) lines.push(`- ${md(o.file)}: ${md(o.advice)}`);
    lines.push(...runbook);
    return lines.join('\n');
  }
  const ns = note.secret?.namespace ?? '<namespace>';
  const secret = note.secret?.name ?? '<secret>';
  // Usually the Certificate is named like its Secret (spec.secretName); the first command lists them all.
  const cert = secret;
  return [
    '### How to renew (cert-manager)',
    '',
    `cert-manager should have renewed this certificate before now: the Certificate for Secret ${md(`${ns}/${secret}`)}${note.cluster ? ` in cluster ${md(note.cluster)}` : ''} is probably not Ready or past its renewalTime. Check:`,
    '',
    ...code([
      `kubectl -n ${ns} get certificate -o wide`,
      `kubectl -n ${ns} describe certificate ${cert}   # Ready condition, renewalTime, last failure`,
      `kubectl -n ${ns} get certificaterequests,orders,challenges`,
      'kubectl get clusterissuers,issuers -A   # is the issuer Ready?',
      'kubectl -n cert-manager logs deploy/cert-manager --since=24h | grep -i error',
      `cmctl renew -n ${ns} ${cert}   # once the cause is fixed, force a renewal`,
    ]),
    ...runbook,
  ].join('\n');
}

/** A body GitHub accepts: cut (and marked so) well below BODY_LIMIT. */
export function clampBody(body: string): string {
  return body.length < BODY_LIMIT - 1000 ? body : `${body.slice(0, BODY_LIMIT - 1100)}\n\n… (truncated)`;
}
