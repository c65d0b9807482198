// signature: the signature algorithm (by hash name or full algorithm name) against forbid/allow lists.
import type { CheckDefinition } from '../types.js';
import { certLabel, normaliseHash } from './util.js';
import { CHECK_HELP } from '../../core/check-help.js';

export interface SignatureParams {
  forbid?: string[];
  allow?: string[];
  /** Self-signed roots' own signatures protect nothing; skipped unless set to false. */
  ignoreSelfSigned?: boolean;
}

export const signatureCheck: CheckDefinition<SignatureParams> = {
  id: 'signature',
  summary: CHECK_HELP['signature']!.summary,
  help: CHECK_HELP['signature']!.help,
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: {
      forbid: { type: 'array', items: { type: 'string' } },
      allow: { type: 'array', items: { type: 'string' } },
      ignoreSelfSigned: { type: 'boolean' },
    },
  },
  defaultSeverity: 'error',
  defaultAppliesTo: 'all',
  run(ctx) {
    const c = ctx.cert;
    if (c.selfIssued && ctx.params.ignoreSelfSigned !== false && c.isCA) return [];
    const names = new Set([normaliseHash(c.signatureAlgorithm)]);
    if (c.signatureHash) names.add(normaliseHash(c.signatureHash));
    const matches = (list: string[]) => list.some((n) => names.has(normaliseHash(n)));
    const what = `${c.signatureAlgorithm}${c.signatureHash ? ` (${c.signatureHash})` : ''}`;
    if (ctx.params.forbid && matches(ctx.params.forbid)) {
      return [
        {
          message: `${certLabel(ctx)} is signed with ${what}, which is forbidden`,
          remediation: { kind: 'renew' },
        },
      ];
    }
    if (ctx.params.allow && !matches(ctx.params.allow)) {
      return [
        {
          message: `${certLabel(ctx)} is signed with ${what}, which is not in the allowed list (${ctx.params.allow.join(', ')})`,
          remediation: { kind: 'renew' },
        },
      ];
    }
    return [];
  },
};
