// The name check every TLS client makes, intrinsic to endpoint targets whatever the policy packs:
// the served certificate (position 0) must cover the name a client verifies — the target's
// serverName, else its host; an IP address (brackets allowed) against the IP SANs, anything else
// against the DNS SANs (RFC 6125 as the certificate verifier applies it: a wildcard only as the whole
// left-most label, never the CN). A mismatch is one `chain.hostname` finding.
import { isIP } from 'node:net';
import type { CertRecord, Finding, SourceLocation } from '../core/model.js';
import type { EndpointSource, Target } from '../inventory/types.js';
import type { GeneralName } from '../x509/verify/facts.js';
import { matchPeerName, parseIp, type PeerName } from '../x509/verify/names.js';
import { makeFinding } from '../core/findings.js';

/** The name a TLS client verifies for an endpoint: its serverName, else its host. */
export function referenceName(ep: Pick<EndpointSource, 'host' | 'serverName'>): PeerName {
  const raw = ep.serverName ?? ep.host;
  const name = raw.startsWith('[') && raw.endsWith(']') ? raw.slice(1, -1) : raw;
  return isIP(name) ? { kind: 'IP', value: name } : { kind: 'DNS', value: name };
}

/** The record's SANs as GeneralNames for matchPeerName; null when it has none at all. */
function subjectAltNames(c: CertRecord): GeneralName[] | null {
  const out: GeneralName[] = [];
  // eslint-disable-next-line no-control-regex
  for (const value of c.dnsNames) out.push({ type: 'dns', value, ascii: /^[\x00-\x7f]*$/.test(value) });
  for (const ip of c.ipAddresses) {
    const bytes = parseIp(ip);
    if (bytes) out.push({ type: 'ip', bytes });
  }
  const count = c.dnsNames.length + c.ipAddresses.length + c.emailAddresses.length + c.uris.length;
  return count === 0 ? null : out;
}

/** Why the certificate does not cover the endpoint's reference name, or null when it does. */
export function hostnameMismatch(
  c: CertRecord,
  ep: Pick<EndpointSource, 'host' | 'serverName'>,
): string | null {
  return matchPeerName(subjectAltNames(c), referenceName(ep));
}

/** `chain.hostname` for an endpoint target whose served certificate does not cover its name; null otherwise. */
export function hostnameFinding(
  target: Target,
  served: CertRecord,
  location: SourceLocation,
): Finding | null {
  if (target.source.kind !== 'endpoint') return null;
  const ep = target.source.endpoint;
  const why = hostnameMismatch(served, ep);
  if (why === null) return null;
  const name = referenceName(ep).value;
  const cn = served.subject.CN;
  const label = cn ? `certificate ${quoted(cn)}` : `certificate ${served.sha256.slice(0, 16)}`;
  return makeFinding({
    target: target.id,
    check: 'chain.hostname',
    certificate: served.sha256,
    location,
    message: `${label} does not cover the host ${quoted(name)}${ep.serverName !== undefined ? ' (serverName)' : ''}: ${why}`,
    remediation: { kind: 'renew' },
  });
}

/** A name from a certificate or the inventory in a message: quoted, escaped, capped. */
function quoted(s: string): string {
  return JSON.stringify(s.length > 200 ? `${s.slice(0, 200)}…` : s);
}
