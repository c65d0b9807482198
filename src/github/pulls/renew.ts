// renew: a target with a `kubernetes-csr` renewal block is inside its renewal window (an `expiry`
// finding, warning or worse). One PR per target adds the request file renewals/<target>.yaml; merging
// it approves the renewal that `certwarden renew` then carries out.
import type { ReportCertificate } from '../../core/model.js';
import { escapeMarkdown as md, escapeTitle } from '../../core/escape.js';
import {
  keyAllowFor,
  keySpecFor,
  planRenewalRequest,
  renewalCandidates,
  renewalPath,
  type RenewalCandidate,
} from '../../renewal/plan.js';
import { renderRenewalRequest, type RenewalRequest } from '../../renewal/request.js';
import { ownersOf } from '../plan-input.js';
import { certLines, clampBody } from '../render.js';
import type { PullKind } from './kind.js';

/** A renewal PR: the current certificate, what will be requested, and what merging does. */
function renewPrBody(
  request: RenewalRequest,
  file: string,
  cert: ReportCertificate,
  previous: RenewalRequest | null,
): string {
  const s = request.spec;
  const key =
    s.key.type === 'RSA'
      ? `RSA ${s.key.bits ?? 2048}`
      : s.key.type === 'EC'
        ? `EC ${s.key.curve ?? 'P-256'}`
        : s.key.type;
  const subject = [
    `CN=${s.subject.CN}`,
    ...(s.subject.O ?? []).map((o) => `O=${o}`),
    ...(s.subject.OU ?? []).map((o) => `OU=${o}`),
  ].join(', ');
  const days = s.expirationSeconds !== undefined ? ` (${Math.round(s.expirationSeconds / 86_400)} days)` : '';
  return clampBody(
    [
      `The certificate of target **${md(request.metadata.target)}** is inside its renewal window (${cert.daysRemaining} days left). This PR adds the renewal request ${md(file)}.`,
      ...(previous?.status?.state === 'failed'
        ? [
            '',
            `The previous request ${md(previous.metadata.id)} failed${previous.status.message ? `: ${md(previous.status.message)}` : ''}; this one retries it.`,
          ]
        : []),
      '',
      '**Current certificate**',
      '',
      '| | |',
      '|---|---|',
      ...certLines(cert),
      '',
      '**What will be requested**',
      '',
      '| | |',
      '|---|---|',
      `| Subject | ${md(subject)} |`,
      ...(s.dnsNames?.length ? [`| DNS names | ${s.dnsNames.slice(0, 50).map(md).join(', ')} |`] : []),
      ...(s.ipAddresses?.length
        ? [`| IP addresses | ${s.ipAddresses.slice(0, 50).map(md).join(', ')} |`]
        : []),
      `| Key | ${md(key)}, generated where it is used; never stored in git |`,
      `| Usages | ${s.usages.map(md).join(', ')} |`,
      `| Signer | ${md(s.signerName)} |`,
      `| Lifetime | ${s.expirationSeconds !== undefined ? `${s.expirationSeconds} s${days}` : "the signer's default"} |`,
      `| Cluster | ${md(s.cluster)} |`,
      `| Target Secret | ${md(`${s.secret.namespace}/${s.secret.name}`)} |`,
      `| Request id | ${md(request.metadata.id)} |`,
      '',
      '**What happens on merge**',
      '',
      `Merging approves this request. The \`certwarden renew\` step (run on pushes to the default branch) then generates a new ${md(key)} key in memory, creates a CertificateSigningRequest for signer ${md(s.signerName)}, approves it citing this pull request, waits for the certificate, checks it matches the request, and writes \`tls.crt\` and \`tls.key\` to the Secret ${md(`${s.secret.namespace}/${s.secret.name}`)} (other keys of the Secret are kept). It then records the outcome in the request file in a follow-up commit. The next scan sees the new certificate and proposes the pin update. Close this PR unmerged to refuse the renewal: it is not proposed again for this certificate.`,
    ].join('\n'),
  );
}

export const renew: PullKind<RenewalCandidate> = {
  kind: 'renew',
  noun: 'renewal',
  checks: ['expiry'],
  title: (target) => escapeTitle(`certwarden: renew the certificate of ${target}`),

  // renewalCandidates takes the expiry findings (warning or worse) and keeps the most severe per target.
  groups: (scope) =>
    renewalCandidates(scope.report, scope.inventory).filter(
      (c) => c.target.renewal?.method === 'kubernetes-csr',
    ),

  file: (c) => renewalPath(c.target.id),

  plan(c, ctx) {
    const file = renewalPath(c.target.id);
    const p = planRenewalRequest(c, {
      createdAt: ctx.input.report.evaluatedAt,
      key: keySpecFor(c.cert, keyAllowFor(c.target, ctx.input.policies)),
      baseFile: ctx.files[file] ?? null,
    });
    if (p.op === 'skip') return p;
    return {
      op: 'propose',
      target: p.target,
      body: renewPrBody(p.request, file, p.cert, p.previous),
      commitMessage: `certwarden: request renewal of ${p.target} (${p.request.metadata.id})`,
      files: [{ path: file, content: renderRenewalRequest(p.request) }],
      owners: ownersOf(p.target, ctx.idx, ctx.input),
      // createdAt is left out: the same request proposed again is the same change.
      key: [p.request.metadata.id],
    };
  },

  covers: (_target, ctx) => !!ctx.input.inventory,

  planNote: (change) => ` adding ${change.files.map((f) => f.path).join(', ')}`,
};
