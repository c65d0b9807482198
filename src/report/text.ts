// The human report: findings sorted by urgency, then the certificates nearest to expiry.
// Colour only when writing to a terminal; every string from a certificate passes safeText.
import type { Finding, Report } from '../core/model.js';
import { safeText } from '../core/text.js';

export interface TextOptions {
  color?: boolean;
  /** Terminal width for truncating long messages (default 120). */
  width?: number;
}

const SGR = {
  red: '\x1b[31m',
  yellow: '\x1b[33m',
  cyan: '\x1b[36m',
  dim: '\x1b[2m',
  bold: '\x1b[1m',
  reset: '\x1b[0m',
};

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/** Whole days since a moment (floor), as the expiry messages count them. */
function daysSince(iso: string, nowIso: string): number {
  return Math.floor((Date.parse(nowIso) - Date.parse(iso)) / 86_400_000);
}

export function toText(report: Report, opts: TextOptions = {}): string {
  const c = (code: keyof typeof SGR, s: string) => (opts.color ? `${SGR[code]}${s}${SGR.reset}` : s);
  const sevColor: Record<Finding['severity'], keyof typeof SGR> = {
    error: 'red',
    warning: 'yellow',
    info: 'cyan',
  };
  const lines: string[] = [];
  const s = report.summary;
  lines.push(c('bold', `certwarden ${report.tool.version} — evaluated at ${report.evaluatedAt}`));
  lines.push(
    `${s.targets} target(s), ${s.certificates} certificate(s): ${c('red', `${s.findings.error} error(s)`)}, ${c('yellow', `${s.findings.warning} warning(s)`)}, ${s.findings.info} info, ${s.waived} waived`,
  );
  lines.push('');

  const open = report.findings.filter((f) => !f.waived);
  if (open.length === 0) {
    lines.push('No findings.');
  } else {
    const targetW = Math.min(40, Math.max(6, ...open.map((f) => f.target.length)));
    const checkW = Math.max(5, ...open.map((f) => (f.rule ? `${f.check}/${f.rule}` : f.check).length));
    lines.push(
      c('dim', `${pad('SEVERITY', 8)}  ${pad('TARGET', targetW)}  ${pad('CHECK', checkW)}  MESSAGE`),
    );
    for (const f of open) {
      const check = f.rule && f.rule !== f.check ? `${f.check}/${f.rule}` : f.check;
      lines.push(
        `${c(sevColor[f.severity], pad(f.severity.toUpperCase(), 8))}  ${pad(safeText(f.target), targetW)}  ${pad(check, checkW)}  ${safeText(f.message)}`,
      );
    }
  }
  const waived = report.findings.filter((f) => f.waived);
  if (waived.length) {
    lines.push('');
    lines.push(c('dim', `Waived (${waived.length}):`));
    for (const f of waived)
      lines.push(
        c(
          'dim',
          `  ${safeText(f.target)}  ${f.rule ?? f.check}  waived by ${safeText(f.waived!.owner)} until ${f.waived!.expires}: ${safeText(f.waived!.reason)}`,
        ),
      );
  }

  const certs = report.targets.flatMap((t) =>
    t.certificates.filter((x) => x.role === 'leaf').map((x) => ({ t, x })),
  );
  if (certs.length) {
    certs.sort((a, b) => a.x.daysRemaining - b.x.daysRemaining);
    lines.push('');
    lines.push(c('dim', 'Certificates by days remaining:'));
    for (const { t, x } of certs.slice(0, 25)) {
      const days =
        x.daysRemaining < 0
          ? c('red', `expired ${daysSince(x.notAfter, report.evaluatedAt)}d ago`)
          : x.daysRemaining <= 30
            ? c('yellow', `${x.daysRemaining}d`)
            : `${x.daysRemaining}d`;
      lines.push(
        `  ${pad(days, opts.color ? 22 : 14)}  ${pad(safeText(t.id), 30)}  ${safeText(x.subject.CN ?? x.subject.dn)}  (until ${x.notAfter.slice(0, 10)})`,
      );
    }
    if (certs.length > 25) lines.push(c('dim', `  … and ${certs.length - 25} more (see --format json)`));
  }
  const unreachable = report.targets.filter((t) => t.status === 'unreachable' || t.status === 'error');
  if (unreachable.length) {
    lines.push('');
    lines.push(`${unreachable.length} target(s) could not be read; see source.* findings above.`);
  }
  return lines.join('\n') + '\n';
}
