// The human report: findings sorted by urgency, each with the inventory line it concerns, then the
// certificates nearest to expiry. Columns are sized by what is visible (colour codes never count),
// colour only when asked for, and every string from a certificate passes safeText.
import type { Finding, Report, ReportCertificate } from '../core/model.js';
import { expiryPhrase, safeText } from '../core/text.js';

export interface TextOptions {
  color?: boolean;
}

const SGR = {
  red: '\x1b[31m',
  yellow: '\x1b[33m',
  cyan: '\x1b[36m',
  dim: '\x1b[2m',
  bold: '\x1b[1m',
  reset: '\x1b[0m',
};
type Style = keyof typeof SGR;

/** One table cell: its text and, optionally, how to colour it once padded. */
type Cell = string | { text: string; style?: Style };

const SEVERITY_STYLE: Record<Finding['severity'], Style> = { error: 'red', warning: 'yellow', info: 'cyan' };

/** Lays out rows in columns by visible width; the last column is not padded. */
function table(
  rows: Cell[][],
  paint: (style: Style | undefined, s: string) => string,
  indent = '',
): string[] {
  const text = (c: Cell) => (typeof c === 'string' ? c : c.text);
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, [...text(c)].length)));
  return rows.map(
    (r) =>
      indent +
      r
        .map((c, i) => {
          const t = text(c);
          const padded = i === r.length - 1 ? t : t + ' '.repeat(widths[i]! - [...t].length);
          return typeof c === 'string' ? padded : paint(c.style, padded);
        })
        .join('  ')
        .trimEnd(),
  );
}

/** A certificate's revocation status in a few words ('' when it was not looked for). */
function revocationCell(x: ReportCertificate): Cell {
  const r = x.revocation;
  if (!r) return '';
  if (r.status === 'revoked')
    return {
      text: `REVOKED ${(r.revokedAt ?? '').slice(0, 10)}${r.reason ? ` (${safeText(r.reason)})` : ''}`,
      style: 'red',
    };
  if (r.status === 'unknown') return { text: 'revocation unknown', style: 'yellow' };
  return { text: `not revoked (${r.source})`, style: 'dim' };
}

/** check, or check/rule when a policy rule with its own name raised it. */
function checkName(f: Finding): string {
  return f.rule && f.rule !== f.check ? `${f.check}/${f.rule}` : f.check;
}

/** Where in the inventory the finding points: FILE:LINE (as conftest and compilers print it). */
function where(f: Finding): string {
  return f.location ? `${safeText(f.location.file)}:${f.location.line}` : '';
}

export function toText(report: Report, opts: TextOptions = {}): string {
  const paint = (style: Style | undefined, s: string) =>
    opts.color && style ? `${SGR[style]}${s}${SGR.reset}` : s;
  const now = new Date(report.evaluatedAt);
  const lines: string[] = [];
  const s = report.summary;
  const count = (n: number, word: string, style: Style) => paint(n > 0 ? style : undefined, `${n} ${word}`);
  lines.push(paint('bold', `certwarden ${report.tool.version} — evaluated at ${report.evaluatedAt}`));
  lines.push(
    `${s.targets} target(s), ${s.certificates} certificate(s): ${count(s.findings.error, 'error(s)', 'red')}, ${count(s.findings.warning, 'warning(s)', 'yellow')}, ${s.findings.info} info, ${s.waived} waived`,
  );
  lines.push('');

  const open = report.findings.filter((f) => !f.waived);
  if (open.length === 0) {
    lines.push('No findings.');
  } else {
    const rows: Cell[][] = [
      ['SEVERITY', 'TARGET', 'CHECK', 'INVENTORY', 'MESSAGE'].map((h) => ({ text: h, style: 'dim' })),
      ...open.map((f): Cell[] => [
        { text: f.severity.toUpperCase(), style: SEVERITY_STYLE[f.severity] },
        safeText(f.target),
        checkName(f),
        where(f),
        safeText(f.message),
      ]),
    ];
    lines.push(...table(rows, paint));
  }
  const waived = report.findings.filter((f) => f.waived);
  if (waived.length) {
    lines.push('');
    lines.push(paint('dim', `Waived (${waived.length}):`));
    const rows = waived.map((f): Cell[] =>
      [
        safeText(f.target),
        checkName(f),
        where(f),
        `waived by ${safeText(f.waived!.owner)} until ${f.waived!.expires}: ${safeText(f.waived!.reason)}`,
      ].map((text) => ({ text, style: 'dim' as const })),
    );
    lines.push(...table(rows, paint, '  '));
  }

  const certs = report.targets.flatMap((t) =>
    t.certificates.filter((x) => x.role === 'leaf').map((x) => ({ t, x })),
  );
  if (certs.length) {
    certs.sort((a, b) => a.x.daysRemaining - b.x.daysRemaining);
    lines.push('');
    lines.push(paint('dim', 'Certificates by days remaining:'));
    // A revocation column once any listed certificate's status was looked for.
    const shown = certs.slice(0, 25);
    const withRevocation = shown.some(({ x }) => x.revocation);
    const rows = shown.map(({ t, x }): Cell[] => [
      {
        text: expiryPhrase(x.notAfter, now),
        style: x.daysRemaining < 0 ? 'red' : x.daysRemaining <= 30 ? 'yellow' : undefined,
      },
      safeText(t.id),
      safeText(x.subject.CN ?? x.subject.dn),
      `(notAfter ${x.notAfter.slice(0, 10)})`,
      ...(withRevocation ? [revocationCell(x)] : []),
    ]);
    lines.push(...table(rows, paint, '  '));
    if (certs.length > 25) lines.push(paint('dim', `  … and ${certs.length - 25} more (see --format json)`));
  }
  const unreachable = report.targets.filter((t) => t.status === 'unreachable' || t.status === 'error');
  if (unreachable.length) {
    lines.push('');
    lines.push(`${unreachable.length} target(s) could not be read; see source.* findings above.`);
  }
  return lines.join('\n') + '\n';
}
