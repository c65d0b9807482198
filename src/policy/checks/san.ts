// san: subject alternative names present, the endpoint's host among them, no surprises.
import { canonicalIp } from '../../evaluate/expect.js';
import type { CheckDefinition, CheckResult } from '../types.js';
import { certLabel, q } from './util.js';

export interface SanParams {
  requireSan?: boolean;
  hostnameMatchesSan?: boolean;
  forbidWildcard?: boolean;
  maxNames?: number;
}

/** RFC 6125 matching: case-insensitive, a wildcard only as the whole left-most label. */
export function hostMatches(host: string, dnsNames: string[], ips: string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (/^[\d.]+$/.test(h) || h.includes(':')) {
    const want = canonicalIp(h);
    return ips.some((ip) => canonicalIp(ip) === want);
  }
  return dnsNames.some((n) => {
    const name = n.toLowerCase().replace(/\.$/, '');
    if (name === h) return true;
    if (name.startsWith('*.')) {
      const rest = name.slice(2);
      const dot = h.indexOf('.');
      return dot > 0 && h.slice(dot + 1) === rest && rest.includes('.');
    }
    return false;
  });
}

export const sanCheck: CheckDefinition<SanParams> = {
  id: 'san',
  summary: 'Subject alternative names missing or not matching',
  help:
    'requireSan (default true): the certificate carries a subjectAltName (clients ignore the CN). hostnameMatchesSan ' +
    '(default true): for endpoint targets, the host (or serverName) matches a DNS name or IP SAN. forbidWildcard and ' +
    'maxNames limit what a certificate covers. Re-issue with the right names.',
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
      const host = src.endpoint.serverName ?? src.endpoint.host;
      if (!hostMatches(host, c.dnsNames, c.ipAddresses)) {
        out.push({
          aspect: 'hostname',
          message: `${certLabel(ctx)} does not cover the host ${q(host)} (SANs: ${[...c.dnsNames, ...c.ipAddresses].map(q).join(', ') || 'none'})`,
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
