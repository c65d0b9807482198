// expiry: "expires soon" and "has expired" (always an error), by days left or share of the lifetime left.
import type { CheckDefinition } from '../types.js';
import { expiryPhrase } from '../../core/text.js';
import { certLabel, DAY_MS } from './util.js';
import { CHECK_HELP } from '../../core/check-help.js';

export interface ExpiryParams {
  warnDays?: number;
  errorDays?: number;
  warnPercent?: number;
  errorPercent?: number;
}

export const expiryCheck: CheckDefinition<ExpiryParams> = {
  id: 'expiry',
  summary: CHECK_HELP['expiry']!.summary,
  help: CHECK_HELP['expiry']!.help,
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      warnDays: { type: 'integer', minimum: 0 },
      errorDays: { type: 'integer', minimum: 0 },
      warnPercent: { type: 'number', minimum: 0, maximum: 100 },
      errorPercent: { type: 'number', minimum: 0, maximum: 100 },
    },
  },
  defaultSeverity: 'warning',
  defaultAppliesTo: 'all',
  run(ctx) {
    const p = ctx.params;
    const hasAny = [p.warnDays, p.errorDays, p.warnPercent, p.errorPercent].some((v) => v !== undefined);
    const warnDays = hasAny ? p.warnDays : 30;
    const errorDays = hasAny ? p.errorDays : 7;
    const notBefore = Date.parse(ctx.cert.notBefore);
    const notAfter = Date.parse(ctx.cert.notAfter);
    const now = ctx.now.getTime();
    const days = Math.floor((notAfter - now) / DAY_MS);
    const label = certLabel(ctx);
    const remediation = { kind: 'renew' as const };
    if (now >= notAfter) {
      return [
        {
          message: `${label} ${expiryPhrase(ctx.cert.notAfter, ctx.now)} (notAfter ${ctx.cert.notAfter})`,
          severity: 'error',
          remediation,
        },
      ];
    }
    const lifetime = notAfter - notBefore;
    const percentLeft = lifetime > 0 ? ((notAfter - now) / lifetime) * 100 : 0;
    const left = `${expiryPhrase(ctx.cert.notAfter, ctx.now)} (notAfter ${ctx.cert.notAfter})`;
    if (errorDays !== undefined && days <= errorDays) {
      return [
        {
          message: `${label} has ${left}, at or below the ${errorDays}-day error threshold`,
          severity: 'error',
          remediation,
        },
      ];
    }
    if (p.errorPercent !== undefined && percentLeft <= p.errorPercent) {
      return [
        {
          message: `${label} has ${percentLeft.toFixed(1)}% of its lifetime left, ${left}, at or below ${p.errorPercent}%`,
          severity: 'error',
          remediation,
        },
      ];
    }
    if (warnDays !== undefined && days <= warnDays) {
      return [
        {
          message: `${label} has ${left}, at or below the ${warnDays}-day warning threshold`,
          severity: 'warning',
          remediation,
        },
      ];
    }
    if (p.warnPercent !== undefined && percentLeft <= p.warnPercent) {
      return [
        {
          message: `${label} has ${percentLeft.toFixed(1)}% of its lifetime left, ${left}, at or below ${p.warnPercent}%`,
          severity: 'warning',
          remediation,
        },
      ];
    }
    return [];
  },
};
