// validity: not yet valid, and lifetimes longer than allowed (optionally on a dated schedule by issuance date).
import type { CheckDefinition, CheckResult } from '../types.js';
import { certLabel, DAY_MS } from './util.js';
import { CHECK_HELP } from '../../core/check-help.js';

export interface ValidityParams {
  maxDays?: number;
  /** Limits that apply to certificates issued (notBefore) on or after `from`. */
  schedule?: { from: string; maxDays: number }[];
  notYetValid?: boolean;
}

/** The lifetime limit that applies to a certificate issued at `issued`. */
function maxDaysFor(p: ValidityParams, issued: Date): number | undefined {
  let limit = p.maxDays;
  let latest = -Infinity;
  for (const s of p.schedule ?? []) {
    const from = Date.parse(s.from);
    if (issued.getTime() >= from && from >= latest) {
      latest = from;
      limit = s.maxDays;
    }
  }
  return limit;
}

export const validityCheck: CheckDefinition<ValidityParams> = {
  id: 'validity',
  summary: CHECK_HELP['validity']!.summary,
  help: CHECK_HELP['validity']!.help,
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      maxDays: { type: 'integer', minimum: 1 },
      notYetValid: { type: 'boolean' },
      schedule: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['from', 'maxDays'],
          properties: {
            from: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}' },
            maxDays: { type: 'integer', minimum: 1 },
          },
        },
      },
    },
  },
  defaultSeverity: 'error',
  defaultAppliesTo: 'all',
  run(ctx) {
    const out: CheckResult[] = [];
    const p = ctx.params;
    const notBefore = new Date(ctx.cert.notBefore);
    const notAfter = new Date(ctx.cert.notAfter);
    if (p.notYetValid !== false && ctx.now.getTime() < notBefore.getTime()) {
      const days = Math.ceil((notBefore.getTime() - ctx.now.getTime()) / DAY_MS);
      out.push({
        aspect: 'not-yet-valid',
        message: `${certLabel(ctx)} is not yet valid: notBefore ${ctx.cert.notBefore} is ${days} day${days === 1 ? '' : 's'} ahead`,
        remediation: { kind: 'renew' },
      });
    }
    const limit = maxDaysFor(p, notBefore);
    if (limit !== undefined) {
      const seconds = (notAfter.getTime() - notBefore.getTime()) / 1000 + 1;
      if (seconds > limit * 86_400) {
        const days = Math.round((seconds / 86_400) * 10) / 10;
        out.push({
          aspect: 'lifetime',
          message: `${certLabel(ctx)} is valid for ${days} days, more than the ${limit} days allowed for certificates issued ${notBefore.toISOString().slice(0, 10)}`,
          remediation: { kind: 'renew' },
        });
      }
    }
    return out;
  },
};
