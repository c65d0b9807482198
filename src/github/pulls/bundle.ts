// bundle: a trust bundle file lacks an anchor the inventory requires (`bundle.missing`) or holds an
// expired certificate (`bundle.expired`). One PR per bundle adds and removes certificates in its file,
// keeping comments and formatting.
import type { Finding } from '../../core/model.js';
import { escapeMarkdown as md, escapeTitle } from '../../core/escape.js';
import type { Bundle, LoadedInventory } from '../../inventory/types.js';
import { editBundleFile, pemBlocks, type BundleChange } from '../edits.js';
import { repoPath } from '../plan-input.js';
import { clampBody } from '../render.js';
import type { PullKind } from './kind.js';

const MISSING = 'bundle.missing';
const EXPIRED = 'bundle.expired';

interface BundleGroup {
  bundle: Bundle;
  /** Its findings, in report order. */
  findings: Finding[];
}

interface Removed {
  sha256: string;
  subject?: string;
  notAfter?: string;
}

function bundlePrBody(
  bundle: string,
  file: string,
  added: { id: string; sha256: string }[],
  removed: Removed[],
): string {
  return clampBody(
    [
      `Trust bundle **${md(bundle)}** in ${md(file)} does not hold what the inventory requires. This PR:`,
      '',
      ...added.map((a) => `- adds anchor ${md(a.id)} (SHA-256 ${md(a.sha256)})`),
      ...removed.map(
        (r) =>
          `- removes ${r.subject ? md(r.subject) : 'a certificate'}${r.notAfter ? `, expired ${md(r.notAfter)}` : ''} (SHA-256 ${md(r.sha256)})`,
      ),
      '',
      'Comments and formatting of the file are kept; only the certificates change.',
    ].join('\n'),
  );
}

/** The certificates to add (with their anchor ids) and remove, from findings that name a certificate. */
function bundleChange(
  inv: LoadedInventory,
  findings: Finding[],
): BundleChange & { addIds: { id: string; sha256: string }[] } {
  const c = {
    add: [] as BundleChange['add'],
    remove: [] as string[],
    addIds: [] as { id: string; sha256: string }[],
  };
  const anchorsBySha = new Map([...inv.anchors.values()].map((a) => [a.sha256, a]));
  for (const f of findings) {
    if (!f.certificate) continue;
    if (f.check === MISSING) {
      const anchorId =
        typeof f.remediation?.['anchor'] === 'string' ? (f.remediation['anchor'] as string) : null;
      const a = (anchorId ? inv.anchors.get(anchorId) : undefined) ?? anchorsBySha.get(f.certificate);
      if (!a) continue;
      c.add.push({ sha256: a.sha256, der: a.der });
      c.addIds.push({ id: a.id, sha256: a.sha256 });
    } else c.remove.push(f.certificate);
  }
  return c;
}

export const bundle: PullKind<BundleGroup> = {
  kind: 'bundle',
  noun: 'bundle',
  checks: [MISSING, EXPIRED],
  title: (target) => escapeTitle(`certwarden: update trust bundle ${target}`),

  // One group per bundle, in the order its first finding naming a certificate appears; bundles whose
  // findings name none come last (they change nothing, but their file is still read).
  groups(scope) {
    const inv = scope.inventory;
    if (!inv) return [];
    const withCert = new Map<string, BundleGroup>();
    const without = new Map<string, BundleGroup>();
    for (const f of scope.report.findings) {
      if ((f.check !== MISSING && f.check !== EXPIRED) || f.waived) continue;
      const bundleId =
        typeof f.remediation?.['bundle'] === 'string' ? (f.remediation['bundle'] as string) : f.target;
      const b = inv.bundles.find((x) => x.id === bundleId);
      if (!b) continue;
      const g = withCert.get(b.id) ?? without.get(b.id) ?? { bundle: b, findings: [] };
      g.findings.push(f);
      if (f.certificate && !withCert.has(b.id)) {
        without.delete(b.id);
        withCert.set(b.id, g);
      } else if (!withCert.has(b.id)) without.set(b.id, g);
    }
    return [...withCert.values(), ...without.values()];
  },

  file: (g, scope) => repoPath(g.bundle.file, scope.repoRoot),

  plan(g, ctx) {
    const inv = ctx.input.inventory;
    if (!inv || !g.findings.some((f) => f.certificate)) return null;
    const c = bundleChange(inv, g.findings);
    const id = g.bundle.id;
    const file = repoPath(g.bundle.file, ctx.input.repoRoot);
    const text = file === null ? undefined : ctx.files[file];
    if (file === null || text === undefined)
      return {
        op: 'skip',
        target: id,
        reason: `bundle file ${file ?? '(outside the repository)'} not available`,
      };
    const edited = editBundleFile(text, g.bundle.key, c);
    if (edited === null)
      return {
        op: 'skip',
        target: id,
        reason: `${file} holds no certificates under ${g.bundle.key ?? 'ca.crt'}`,
      };
    if (edited === text) return null;
    const before = new Map(pemBlocks(text).map((b) => [b.sha256, b]));
    const removed = c.remove
      .filter((s) => before.has(s))
      .map((s) => {
        const rc = ctx.idx.certs.get(s);
        return { sha256: s, subject: rc?.subject.dn, notAfter: rc?.notAfter };
      });
    const doc = repoPath(g.bundle.location.file, ctx.input.repoRoot);
    const owners = inv.inventories.find((d) => repoPath(d.file, ctx.input.repoRoot) === doc)?.owners ?? [];
    return {
      op: 'propose',
      target: id,
      body: bundlePrBody(id, file, c.addIds, removed),
      commitMessage: `certwarden: update trust bundle ${id}`,
      files: [{ path: file, content: edited }],
      owners,
      key: [[...c.add.map((a) => a.sha256)].sort(), [...c.remove].sort()],
    };
  },

  // A bundle PR is still wanted or not only when the inventory was loaded.
  covers: (_target, ctx) => !!ctx.input.inventory,
};
