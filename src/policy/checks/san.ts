// san: subject alternative names present, no surprises (wildcards, too many names). Whether an
// endpoint's certificate covers its host is not a policy matter: chain.hostname, for every endpoint.
import type { CheckDefinition, CheckResult } from '../types.js';
import { certLabel, q } from './util.js';
import { CHECK_HELP } from '../../core/check-help.js';

export interface SanParams {
  requireSan?: boolean;
  /** Accepted, no effect: endpoint host names are always checked (chain.hostname). */
  hostnameMatchesSan?: boolean;
  forbidWildcard?: boolean;
  maxNames?: number;
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
    // The endpoint's name (hostnameMatchesSan) is checked for every endpoint, whatever the packs,
    // as chain.hostname (evaluate/hostname.ts): one defect, one finding. The parameter is accepted
    // and has no effect.
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
