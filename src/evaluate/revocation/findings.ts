// Revocation findings from what the revocation stage recorded on an observation. Pure: the time
// that decides staleness is the evaluation's `now`, so `evaluate` on stored observations judges
// them as of its own run.
import type {
  Finding,
  Observation,
  ReportCertificate,
  ReportTarget,
  RevocationCheck,
  RevocationStatus,
  SourceLocation,
} from '../../core/model.js';
import { makeFinding } from '../../core/findings.js';
import { DEFAULT_SKEW_MS } from '../../x509/revocation/types.js';
import { showUrl } from '../../sources/http/url.js';

import type { RevocationMode } from '../../inventory/types.js';

export interface RevocationFindingInput {
  target: string;
  /** Endpoint targets are the ones that can staple. */
  isEndpoint: boolean;
  mode: RevocationMode;
  /** `expect.ocspStapling` of the target. */
  expectStapling: boolean;
  now: Date;
  location: SourceLocation;
  /** Where `expect.ocspStapling` is written, when known. */
  expectLocation?: SourceLocation;
}

function who(obs: Observation, sha: string, index: number): string {
  const rec = obs.certificates.find((c) => c.record.sha256 === sha)?.record;
  const name = rec ? (rec.subject.CN ?? rec.subject.dn) : sha.slice(0, 16);
  return `${index === 0 ? 'leaf' : 'intermediate'} '${name}'`;
}

const day = (iso: string | null): string => (iso ? iso.replace(/\.\d{3}Z$/, 'Z') : 'an unknown time');

function sourceText(c: RevocationCheck): string {
  const by = c.source === 'staple' ? 'the stapled OCSP response' : c.source === 'ocsp' ? 'OCSP' : 'the CRL';
  return c.url ? `${by} (${showUrl(c.url)})` : by;
}

function stale(c: Pick<RevocationCheck, 'nextUpdate'>, now: Date): boolean {
  return c.nextUpdate !== null && now.getTime() > Date.parse(c.nextUpdate) + DEFAULT_SKEW_MS;
}

/** Findings for one observation's revocation results. */
export function revocationFindings(obs: Observation, input: RevocationFindingInput): Finding[] {
  const out: Finding[] = [];
  const { target, location, mode, now } = input;
  if (input.expectStapling && input.isEndpoint && obs.status === 'ok') {
    const staple = obs.revocation?.staple ?? null;
    const message = !obs.tls?.ocspStaple
      ? 'the target expects a stapled OCSP response, and the server stapled none'
      : staple?.problem
        ? `the target expects a usable stapled OCSP response, and the one the server stapled cannot be used: ${staple.problem}`
        : null;
    if (message)
      out.push(
        makeFinding({
          target,
          check: 'expect.ocspStapling',
          certificate: obs.certificates[0]?.record.sha256 ?? null,
          location: input.expectLocation ?? location,
          message,
          remediation: {
            kind: 'manual',
            hint: 'turn on OCSP stapling on the server (nginx: ssl_stapling on; Apache: SSLUseStapling On)',
          },
        }),
      );
  }
  const rev = obs.revocation;
  if (mode === 'off' || !rev) return out;
  rev.checks.forEach((c, i) => {
    const name = who(obs, c.certificate, i);
    const base = { target, location, certificate: c.certificate };
    if (i === 0 && c.mustStaple && input.isEndpoint && (!rev.staple || rev.staple.problem)) {
      out.push(
        makeFinding({
          ...base,
          check: 'revocation.must-staple',
          message: rev.staple
            ? `${name} requires OCSP stapling (TLS feature must-staple), and the stapled response cannot be used: ${rev.staple.problem}; clients that honour must-staple refuse the connection`
            : `${name} requires OCSP stapling (TLS feature must-staple), and the server staples nothing; clients that honour must-staple refuse the connection`,
          remediation: {
            kind: 'manual',
            hint: 'turn on OCSP stapling on the server, or reissue the certificate without must-staple',
          },
        }),
      );
    }
    if (c.status === 'revoked') {
      out.push(
        makeFinding({
          ...base,
          check: 'revocation.revoked',
          message: `${name} was revoked at ${day(c.revokedAt)}${c.reason ? ` (reason: ${c.reason})` : ''}, according to ${sourceText(c)}`,
          remediation:
            i === 0
              ? { kind: 'renew' }
              : {
                  kind: 'manual',
                  hint: 'the intermediate was revoked: install the current intermediate from the CA',
                },
        }),
      );
      return;
    }
    if (c.unchecked) {
      // Soft mode checks only where a source can be asked; a missing issuer is chain.incomplete's finding.
      if (mode !== 'hard') return;
      out.push(
        makeFinding({
          ...base,
          check: 'revocation.unknown',
          severity: 'error',
          message: `revocation status of ${name} is unknown (revocation mode hard): ${c.problems.join('; ')}`,
          remediation: { kind: 'manual' },
        }),
      );
      return;
    }
    if (c.status === 'unknown') {
      out.push(
        makeFinding({
          ...base,
          check: 'revocation.unknown',
          ...(mode === 'hard' ? { severity: 'error' as const } : {}),
          message: `revocation status of ${name} is unknown: ${c.problems.join('; ') || 'no source answered'}`,
          remediation: { kind: 'manual' },
        }),
      );
      return;
    }
    if (stale(c, now)) {
      out.push(
        makeFinding({
          ...base,
          check: 'revocation.stale',
          message: `revocation information for ${name} is stale: ${sourceText(c)} was due to be replaced at ${day(c.nextUpdate)} (it says ${c.status} as of ${day(c.thisUpdate)})`,
          remediation: {
            kind: 'manual',
            hint:
              c.source === 'crl'
                ? 'the CA must publish a fresh CRL'
                : 'the OCSP responder (or the server stapling it) must refresh its response',
          },
        }),
      );
    }
  });
  return out;
}

/** Revocation status per certificate (sha256) as the report shows it; nothing when the mode is off. */
export function reportedRevocation(obs: Observation, mode: RevocationMode): Map<string, RevocationStatus> {
  const out = new Map<string, RevocationStatus>();
  if (mode === 'off' || !obs.revocation) return out;
  for (const c of obs.revocation.checks) {
    // A certificate that names no source was not looked up (unless hard mode demands a status).
    if (c.unchecked === 'no-source' && mode !== 'hard') continue;
    const { status, source, checkedAt, thisUpdate, nextUpdate, reason, revokedAt } = c;
    out.set(c.certificate, { status, source, checkedAt, thisUpdate, nextUpdate, reason, revokedAt });
  }
  return out;
}

/** The TLS facts as the report shows them: whether a response was stapled, not its bytes. */
export function reportedTls(tls: NonNullable<Observation['tls']>): NonNullable<ReportTarget['tls']> {
  const { ocspStaple, ...rest } = tls;
  return ocspStaple ? { ...rest, ocspStapled: true } : rest;
}

/** A report certificate with its revocation status, when it has one. */
export function withRevocation(c: ReportCertificate, r: RevocationStatus | undefined): ReportCertificate {
  return r ? { ...c, revocation: r } : c;
}
