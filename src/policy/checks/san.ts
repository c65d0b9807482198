// san: subject alternative names present, the endpoint's host among them, no surprises.
import { isIP } from 'node:net';
import type { GeneralName } from '../../x509/verify/facts.js';
import { matchPeerName, parseIp, type PeerName } from '../../x509/verify/names.js';
import type { EndpointSource } from '../../inventory/types.js';
import type { CertRecord } from '../../core/model.js';
import type { CheckDefinition, CheckResult } from '../types.js';
import { certLabel, q } from './util.js';
import { CHECK_HELP } from '../../core/check-help.js';

export interface SanParams {
  requireSan?: boolean;
  hostnameMatchesSan?: boolean;
  forbidWildcard?: boolean;
  maxNames?: number;
}

/**
 * The name a TLS client verifies for an endpoint: its serverName, else its host; an IP address
 * (brackets allowed) is matched against IP SANs, anything else against DNS SANs.
 */
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

/**
 * Why the certificate does not cover the endpoint's reference name (RFC 6125 matching as the
 * certificate verifier applies it: a wildcard only as the whole left-most label), or null when it does.
 */
export function hostnameMismatch(
  c: CertRecord,
  ep: Pick<EndpointSource, 'host' | 'serverName'>,
): string | null {
  return matchPeerName(subjectAltNames(c), referenceName(ep));
}

export const sanCheck: CheckDefinition<SanParams> = {
  id: 'san',
  summary: CHECK_HELP['san']!.summary,
  help: CHECK_HELP['san']!.help,
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      requireSan: { type: 'boolean' },
      hostnameMatchesSan: { type: 'boolean' },
      forbidWildcard: { type: 'boolean' },
      maxNames: { type: 'integer', minimum: 1 },
    },
  },
  defaultSeverity: 'error',
  defaultAppliesTo: 'leaf',
  run(ctx) {
    const c = ctx.cert;
    const p = ctx.params;
    const out: CheckResult[] = [];
    const count = c.dnsNames.length + c.ipAddresses.length + c.emailAddresses.length + c.uris.length;
    if (p.requireSan !== false && count === 0) {
      out.push({
        aspect: 'missing',
        message: `${certLabel(ctx)} has no subject alternative names`,
        remediation: { kind: 'renew' },
      });
    }
    const src = ctx.target.source;
    if (p.hostnameMatchesSan !== false && src.kind === 'endpoint' && ctx.index === 0) {
      const why = hostnameMismatch(c, src.endpoint);
      if (why !== null) {
        const name = referenceName(src.endpoint).value;
        out.push({
          aspect: 'hostname',
          message: `${certLabel(ctx)} does not cover the host ${q(name)}${src.endpoint.serverName !== undefined ? ' (serverName)' : ''}: ${why}`,
          remediation: { kind: 'renew' },
        });
      }
    }
    if (p.forbidWildcard) {
      const wild = c.dnsNames.filter((n) => n.includes('*'));
      if (wild.length)
        out.push({
          aspect: 'wildcard',
          message: `${certLabel(ctx)} has wildcard names: ${wild.map(q).join(', ')}`,
          remediation: { kind: 'renew' },
        });
    }
    if (p.maxNames !== undefined && count > p.maxNames) {
      out.push({
        aspect: 'max-names',
        message: `${certLabel(ctx)} has ${count} subject alternative names, more than ${p.maxNames}`,
        remediation: { kind: 'renew' },
      });
    }
    return out;
  },
};
