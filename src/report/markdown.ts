// The markdown job summary: a summary table, findings grouped by severity, a mermaid gantt chart of
// the certificates nearest to expiry, and collapsible details. Every string that comes from a
// certificate, a server or the inventory is escaped (src/core/escape.ts); inside the mermaid block
// names are reduced to a safe alphabet.
import type { Finding, Report, ReportCertificate, Severity } from '../core/model.js';
import { escapeMarkdown } from '../core/escape.js';

export interface MarkdownOptions {
  /** Link to the workflow run (or anything with the full details). */
  runUrl?: string;
  /** Most findings listed per severity before the rest are counted (default 100). */
  maxFindings?: number;
  /** Certificates in the expiry chart (default 15). */
  chartCount?: number;
}

const DAY = 86_400_000;
const ICON: Record<Severity, string> = { error: '🔴', warning: '🟠', info: '🔵' };
const TITLE: Record<Severity, string> = { error: 'Errors', warning: 'Warnings', info: 'Info' };

const md = (s: unknown) => escapeMarkdown(String(s ?? ''));

/** A name safe inside a mermaid gantt task: letters, digits, space and . _ / - only, no `:` `;` `#`. */
export function mermaidText(s: string, max = 60): string {
  const t = String(s)
    .normalize('NFKC')
    .replace(/[^A-Za-z0-9 ._/-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return (t.length > max ? `${t.slice(0, max - 1)}…`.replace(/…$/, '...') : t) || 'certificate';
}

function day(iso: string): string {
  return new Date(iso).toISOString().slice(0, 10);
}

interface Row {
  target: string;
  cert: ReportCertificate;
}

function nearest(report: Report, n: number): Row[] {
  const seen = new Set<string>();
  const rows: Row[] = [];
  for (const t of report.targets) {
    for (const c of t.certificates) {
      const key = `${t.id}\u0000${c.sha256}`;
      if (seen.has(key)) continue;
      seen.add(key);
      rows.push({ target: t.id, cert: c });
    }
  }
  rows.sort(
    (a, b) => Date.parse(a.cert.notAfter) - Date.parse(b.cert.notAfter) || a.target.localeCompare(b.target),
  );
  return rows.slice(0, n);
}

function gantt(report: Report, n: number): string[] {
  const rows = nearest(report, n);
  if (!rows.length) return [];
  const now = Date.parse(report.evaluatedAt);
  const sections: [string, (d: number) => boolean, string][] = [
    ['Expired', (d) => d < 0, 'crit, '],
    ['7 days or less', (d) => d >= 0 && d <= 7, 'crit, '],
    ['30 days or less', (d) => d > 7 && d <= 30, 'active, '],
    ['Later', (d) => d > 30, ''],
  ];
  const out = [
    '```mermaid',
    'gantt',
    `  title Nearest expiries as of ${day(report.evaluatedAt)}`,
    '  dateFormat YYYY-MM-DD',
    '  axisFormat %Y-%m-%d',
    '  todayMarker off',
  ];
  let i = 0;
  for (const [name, test, tag] of sections) {
    const inSection = rows.filter((r) => test(Math.floor((Date.parse(r.cert.notAfter) - now) / DAY)));
    if (!inSection.length) continue;
    out.push(`  section ${name}`);
    for (const r of inSection) {
      const label = mermaidText(`${r.target} ${r.cert.subject.CN ?? ''}`);
      out.push(`  ${label} :${tag}c${++i}, ${day(r.cert.notBefore)}, ${day(r.cert.notAfter)}`);
    }
  }
  out.push('```');
  return out;
}

function revocationCell(c: ReportCertificate): string {
  const r = c.revocation;
  if (!r) return '';
  if (r.status === 'revoked')
    return `🔴 revoked ${md(day(r.revokedAt ?? r.checkedAt))}${r.reason ? ` (${md(r.reason)})` : ''}`;
  if (r.status === 'unknown') return '🟠 unknown';
  return `good (${md(r.source ?? '')})`;
}

function findingRows(list: Finding[], max: number): string[] {
  const out = ['| target | check | message |', '| --- | --- | --- |'];
  for (const f of list.slice(0, max)) {
    const check = f.rule && f.rule !== f.check ? `${f.check} / ${f.rule}` : f.check;
    out.push(`| ${md(f.target)} | \`${md(check).replace(/`/g, '')}\` | ${md(f.message)} |`);
  }
  if (list.length > max) out.push(`| … | | ${list.length - max} more (see the JSON report) |`);
  return out;
}

/** The job summary for a report. */
export function toMarkdown(report: Report, opts: MarkdownOptions = {}): string {
  const max = opts.maxFindings ?? 100;
  const s = report.summary;
  const lines: string[] = [];
  lines.push('## certwarden report', '');
  lines.push(
    `Evaluated at ${md(report.evaluatedAt)} by certwarden ${md(report.tool.version).replace(/\\\./g, '.')}: ${s.targets} target(s), ${s.certificates} certificate(s).`,
    '',
  );
  lines.push('| | findings |', '| --- | ---: |');
  for (const sev of ['error', 'warning', 'info'] as const)
    lines.push(`| ${ICON[sev]} ${TITLE[sev].toLowerCase()} | ${s.findings[sev]} |`);
  lines.push(`| waived | ${s.waived} |`, '');
  const statuses = new Map<string, number>();
  for (const t of report.targets) statuses.set(t.status, (statuses.get(t.status) ?? 0) + 1);
  if (statuses.size) lines.push(`Targets: ${[...statuses].map(([k, v]) => `${v} ${k}`).join(', ')}.`, '');

  const chart = gantt(report, opts.chartCount ?? 15);
  if (chart.length) lines.push('### Nearest expiries', '', ...chart, '');

  const open = report.findings.filter((f) => !f.waived);
  if (!open.length) lines.push('### Findings', '', 'No open findings.', '');
  for (const sev of ['error', 'warning', 'info'] as const) {
    const list = open.filter((f) => f.severity === sev);
    if (!list.length) continue;
    lines.push(`### ${ICON[sev]} ${TITLE[sev]} (${list.length})`, '', ...findingRows(list, max), '');
  }

  const waived = report.findings.filter((f) => f.waived);
  if (waived.length) {
    lines.push(`<details><summary>Waived findings (${waived.length})</summary>`, '');
    lines.push(
      '| target | check | message | reason | owner | until |',
      '| --- | --- | --- | --- | --- | --- |',
    );
    for (const f of waived.slice(0, max)) {
      const w = f.waived!;
      lines.push(
        `| ${md(f.target)} | ${md(f.rule ?? f.check)} | ${md(f.message)} | ${md(w.reason)} | ${md(w.owner)} | ${md(w.expires)} |`,
      );
    }
    if (waived.length > max) lines.push(`| … | | ${waived.length - max} more | | | |`);
    lines.push('', '</details>', '');
  }

  if (report.targets.length) {
    lines.push(`<details><summary>Certificates by target (${report.targets.length} targets)</summary>`, '');
    // The revocation column appears once any certificate's status was looked for.
    const rev = report.targets.some((t) => t.certificates.some((c) => c.revocation));
    lines.push(
      `| target | status | certificate | issuer | days left | not after |${rev ? ' revocation |' : ''}`,
      `| --- | --- | --- | --- | ---: | --- |${rev ? ' --- |' : ''}`,
    );
    const rows = report.targets.flatMap((t) =>
      t.certificates.length
        ? t.certificates.map((c) => ({ t, c }))
        : [{ t, c: null as ReportCertificate | null }],
    );
    const tail = rev ? ' |' : '';
    for (const { t, c } of rows.slice(0, max * 5)) {
      if (!c) lines.push(`| ${md(t.id)} | ${md(t.status)} | | | | |${tail}`);
      else
        lines.push(
          `| ${md(t.id)} | ${md(t.status)} | ${md(c.subject.CN ?? c.subject.dn)} | ${md(c.issuer.CN ?? c.issuer.dn)} | ${c.daysRemaining} | ${md(day(c.notAfter))} |${rev ? ` ${revocationCell(c)} |` : ''}`,
        );
    }
    if (rows.length > max * 5) lines.push(`| … | | ${rows.length - max * 5} more | | | |${tail}`);
    lines.push('', '</details>', '');
  }
  if (opts.runUrl && /^https?:\/\/[^\s()<>]+$/.test(opts.runUrl))
    lines.push(`Details: [workflow run](${opts.runUrl})`, '');
  return lines.join('\n');
}
