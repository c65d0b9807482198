// eku: extended key usages that must be present or must not be.
import type { CheckDefinition, CheckResult } from '../types.js';
import { certLabel, normaliseEku } from './util.js';
import { CHECK_HELP } from '../../core/check-help.js';

export interface EkuParams {
  require?: string[];
  forbid?: string[];
  /** Treat a certificate without the extension (valid for any purpose) as meeting `require`. Default false. */
  allowAbsent?: boolean;
}

export const ekuCheck: CheckDefinition<EkuParams> = {
  id: 'eku',
  summary: CHECK_HELP['eku']!.summary,
  help: CHECK_HELP['eku']!.help,
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: {
      require: { type: 'array', items: { type: 'string' } },
      forbid: { type: 'array', items: { type: 'string' } },
      allowAbsent: { type: 'boolean' },
    },
  },
  defaultSeverity: 'error',
  defaultAppliesTo: 'leaf',
  run(ctx) {
    const out: CheckResult[] = [];
    const have = ctx.cert.extKeyUsage === null ? null : new Set(ctx.cert.extKeyUsage.map(normaliseEku));
    const req = (ctx.params.require ?? []).map(normaliseEku);
    if (req.length) {
      if (have === null) {
        if (!ctx.params.allowAbsent)
          out.push({
            aspect: 'require',
            message: `${certLabel(ctx)} has no extended key usage extension (required: ${req.join(', ')})`,
            remediation: { kind: 'renew' },
          });
      } else {
        const missing = req.filter((r) => !have.has(r));
        if (missing.length)
          out.push({
            aspect: 'require',
            message: `${certLabel(ctx)} lacks extended key usage ${missing.join(', ')} (has: ${[...have].join(', ') || 'none'})`,
            remediation: { kind: 'renew' },
          });
      }
    }
    const forbidden = (ctx.params.forbid ?? []).map(normaliseEku).filter((f) => have?.has(f));
    if (forbidden.length)
      out.push({
        aspect: 'forbid',
        message: `${certLabel(ctx)} carries forbidden extended key usage ${forbidden.join(', ')}`,
        remediation: { kind: 'renew' },
      });
    return out;
  },
};
