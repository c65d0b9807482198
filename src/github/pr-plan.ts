// The `plan` comment on pull requests that edit inventory: targets added, removed and changed versus
// the base branch, with what a live scan of the added/changed targets finds. One sticky comment,
// found by its marker among the bot's own comments and edited in place.
import type { Report } from '../core/model.js';
import { SEVERITY_RANK } from '../core/model.js';
import type { LoadedInventory, Target } from '../inventory/types.js';
import type { GitHub } from './client.js';
import { GitHubRequestError } from './client.js';
import { escapeMarkdown as md } from '../core/escape.js';
import type { RepoRef } from './types.js';

export const PLAN_MARKER = '<!-- certwarden:plan -->';

export interface InventoryDiff {
  added: string[];
  removed: string[];
  changed: { id: string; fields: string[] }[];
}

/**
 * What a target means, without where it sits in the file (moving it is not a change) and with
 * absolute paths made relative to the checkout they were loaded from.
 */
function meaning(t: Target, root: string | undefined): Record<string, unknown> {
  const { location: _l, paths: _p, ...rest } = t;
  let text = JSON.stringify(rest);
  if (root) text = text.split(JSON.stringify(root.replace(/[\\/]+$/, '')).slice(1, -1)).join('<checkout>');
  return JSON.parse(text) as Record<string, unknown>;
}

/** Targets added, removed and changed (with the top-level fields that differ) from base to head. */
export function diffInventories(
  base: LoadedInventory | null,
  head: LoadedInventory,
  roots: { base?: string; head?: string } = {},
): InventoryDiff {
  const before = new Map((base?.targets ?? []).map((t) => [t.id, meaning(t, roots.base)]));
  const after = new Map(head.targets.map((t) => [t.id, meaning(t, roots.head)]));
  const added = [...after.keys()].filter((id) => !before.has(id)).sort();
  const removed = [...before.keys()].filter((id) => !after.has(id)).sort();
  const changed: InventoryDiff['changed'] = [];
  for (const [id, a] of after) {
    const b = before.get(id);
    if (!b) continue;
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    const fields = keys.filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
    if (fields.length) changed.push({ id, fields });
  }
  changed.sort((x, y) => x.id.localeCompare(y.id));
  return { added, removed, changed };
}

/** The comment body. `scan` is the live scan of the added and changed targets, when one ran. */
export function planCommentBody(
  diff: InventoryDiff,
  opts: { baseRef: string | null; scan?: Report | null; scanNote?: string | null; problems?: number } = {
    baseRef: null,
  },
): string {
  const lines = [PLAN_MARKER, '### certwarden plan', ''];
  if (opts.problems)
    lines.push(`**${opts.problems} inventory problem(s)**: see the annotations on the changed lines.`, '');
  const n = diff.added.length + diff.removed.length + diff.changed.length;
  lines.push(
    n
      ? `Compared with ${md(opts.baseRef ?? 'the base branch')}: ${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed.`
      : `No target changes compared with ${md(opts.baseRef ?? 'the base branch')}.`,
    '',
  );
  const scanOf = new Map((opts.scan?.targets ?? []).map((t) => [t.id, t]));
  const findingsOf = (id: string) => (opts.scan?.findings ?? []).filter((f) => f.target === id && !f.waived);
  const live = (id: string) => {
    if (!opts.scan) return '';
    const t = scanOf.get(id);
    if (!t) return ' — not scanned here';
    const fs = findingsOf(id).sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
    const cert = t.certificates[0];
    const days = cert ? `, ${cert.daysRemaining} days left` : '';
    if (t.status === 'unreachable')
      return ` — unreachable from this runner${fs[0] ? `: ${md(fs[0].message)}` : ''}`;
    if (!fs.length) return ` — live: ok${days}`;
    return ` — live: ${fs.length} finding(s)${days}: ${fs
      .slice(0, 3)
      .map((f) => `${md(f.severity)} ${md(f.check)}: ${md(f.message)}`)
      .join('; ')}${fs.length > 3 ? '; …' : ''}`;
  };
  if (diff.added.length) lines.push('**Added**', ...diff.added.map((id) => `- ${md(id)}${live(id)}`), '');
  if (diff.changed.length)
    lines.push(
      '**Changed**',
      ...diff.changed.map((c) => `- ${md(c.id)} (${c.fields.map(md).join(', ')})${live(c.id)}`),
      '',
    );
  if (diff.removed.length) lines.push('**Removed**', ...diff.removed.map((id) => `- ${md(id)}`), '');
  if (opts.scanNote) lines.push(`_${md(opts.scanNote)}_`, '');
  const body = lines.join('\n');
  return body.length < 60_000 ? body : `${body.slice(0, 60_000)}\n\n… (truncated)`;
}

/** Creates or edits the one plan comment on a PR. Returns the comment id and whether it wrote. */
export async function upsertPlanComment(
  gh: GitHub,
  repo: RepoRef,
  issueNumber: number,
  botLogin: string,
  body: string,
): Promise<{ id: number; written: boolean }> {
  const where = `/repos/${repo.owner}/${repo.repo}/issues/${issueNumber}/comments`;
  try {
    const comments = await gh.paginate(gh.rest.issues.listComments, {
      ...repo,
      issue_number: issueNumber,
      per_page: 100,
    });
    const mine = comments.find(
      (c) =>
        (c.user?.login ?? '').toLowerCase() === botLogin.toLowerCase() &&
        (c.body ?? '').includes(PLAN_MARKER),
    );
    if (mine) {
      if ((mine.body ?? '').trim() === body.trim()) return { id: mine.id, written: false };
      await gh.rest.issues.updateComment({ ...repo, comment_id: mine.id, body });
      return { id: mine.id, written: true };
    }
    const { data } = await gh.rest.issues.createComment({
      ...repo,
      issue_number: issueNumber,
      body,
      request: { retries: 0 },
    });
    return { id: data.id, written: true };
  } catch (e) {
    throw new GitHubRequestError(`${where}`, e);
  }
}
