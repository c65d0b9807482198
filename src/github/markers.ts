// Hidden markers in issue, PR and comment bodies. They count only in items the bot itself authored
// (state.ts filters by author before parsing). Values go through markerValue so they never break out.
import { markerValue, readMarkerValue } from '../core/escape.js';

export const LABEL = 'certwarden';
export const DASHBOARD_LABEL = 'certwarden:dashboard';
export const PR_LABEL = 'certwarden:pr';
export const DASHBOARD_TITLE = 'certwarden dashboard';

export function findingMarker(id: string): string {
  return `<!-- certwarden:finding=${markerValue(id)} -->`;
}

export function targetMarker(target: string): string {
  return `<!-- certwarden:target=${markerValue(target)} -->`;
}

export const DASHBOARD_MARKER = '<!-- certwarden:dashboard -->';

/** What a certwarden PR body records: which change it carries and the commit we pushed. */
export interface PrMarker {
  kind: string;
  target: string;
  /** Content hash of the proposed change: a PR closed unmerged with this key is never proposed again. */
  key: string;
  /** The head commit certwarden pushed; a different head means a human pushed to the branch. */
  head: string | null;
  /** Set when certwarden itself closed the PR (no longer needed), so a return of the change may reopen. */
  closedBy: 'certwarden' | null;
}

export function prMarker(m: PrMarker): string {
  const parts = [
    `kind=${markerValue(m.kind)}`,
    `target=${markerValue(m.target)}`,
    `key=${markerValue(m.key)}`,
    `head=${m.head ? markerValue(m.head) : '-'}`,
  ];
  if (m.closedBy) parts.push(`closed-by=${m.closedBy}`);
  return `<!-- certwarden:pr ${parts.join(' ')} -->`;
}

export function closedMarker(id: string): string {
  return `<!-- certwarden:closed=${markerValue(id)} -->`;
}

/** Why certwarden closed an issue; recorded in the body so a later run knows who closed it. */
export type ClosedReason = 'fixed' | 'waived' | 'below-threshold' | 'duplicate';

const CLOSED_BY_RE = /\n*<!-- certwarden:closed-by=certwarden reason=([a-z-]+) -->\n*/;

/** The body with a marker saying certwarden closed the issue (any earlier such marker replaced). */
export function withClosedByMarker(body: string, reason: ClosedReason): string {
  return `${body.replace(CLOSED_BY_RE, '').trimEnd()}\n\n<!-- certwarden:closed-by=certwarden reason=${reason} -->\n`;
}

/** The reason certwarden recorded when it closed the issue; null when someone else closed it. */
export function parseClosedByMarker(body: string | null | undefined): ClosedReason | null {
  const m = CLOSED_BY_RE.exec(body ?? '');
  const r = m?.[1];
  return r === 'fixed' || r === 'waived' || r === 'below-threshold' || r === 'duplicate' ? r : null;
}

/** Marker of the comment certwarden writes when it reopens an issue (one per finding and scan). */
export function reopenedMarker(id: string, when: string): string {
  return `<!-- certwarden:reopened=${markerValue(id)} at=${markerValue(when)} -->`;
}

export function parseFindingMarker(body: string | null | undefined): string | null {
  const m = /<!-- certwarden:finding=(\S+) -->/.exec(body ?? '');
  return m ? readMarkerValue(m[1] as string) : null;
}

export function parseTargetMarker(body: string | null | undefined): string | null {
  const m = /<!-- certwarden:target=(\S+) -->/.exec(body ?? '');
  return m ? readMarkerValue(m[1] as string) : null;
}

export function hasDashboardMarker(body: string | null | undefined): boolean {
  return (body ?? '').includes(DASHBOARD_MARKER);
}

export function parsePrMarker(body: string | null | undefined): PrMarker | null {
  const m = /<!-- certwarden:pr ([^<>]*?) -->/.exec(body ?? '');
  if (!m) return null;
  const fields = new Map<string, string>();
  for (const part of (m[1] as string).split(' ')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq), readMarkerValue(part.slice(eq + 1)));
  }
  const kind = fields.get('kind');
  const target = fields.get('target');
  const key = fields.get('key');
  if (!kind || !target || !key) return null;
  const head = fields.get('head');
  return {
    kind,
    target,
    key,
    head: head && head !== '-' ? head : null,
    closedBy: fields.get('closed-by') === 'certwarden' ? 'certwarden' : null,
  };
}

/** Replaces the PR marker in a body (used when we record a new head or that we closed it). */
export function withPrMarker(body: string, m: PrMarker): string {
  const re = /<!-- certwarden:pr [^<>]*? -->/;
  return re.test(body) ? body.replace(re, prMarker(m)) : `${body}\n${prMarker(m)}\n`;
}
