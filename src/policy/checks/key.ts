// key: the public key's algorithm, size and curve against an allow list. A key that cannot be read is never a pass.
import type { CheckDefinition } from '../types.js';
import { certLabel, normaliseCurve } from './util.js';
import { CHECK_HELP } from '../../core/check-help.js';

export interface KeyAllow {
  type: string;
  minBits?: number;
  curves?: string[];
}
export interface KeyParams {
  allow: KeyAllow[];
}

function describe(a: KeyAllow): string {
  if (a.curves?.length) return `${a.type} ${a.curves.map(normaliseCurve).join('/')}`;
  if (a.minBits) return `${a.type} >= ${a.minBits}`;
  return a.type;
}

export const keyCheck: CheckDefinition<KeyParams> = {
  id: 'key',
  summary: CHECK_HELP['key']!.summary,
  help: CHECK_HELP['key']!.help,
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['allow'],
    properties: {
      allow: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['type'],
          properties: {
            type: { enum: ['RSA', 'RSA-PSS', 'EC', 'Ed25519', 'Ed448', 'DSA'] },
            minBits: { type: 'integer', minimum: 1 },
            curves: { type: 'array', items: { type: 'string' }, minItems: 1 },
          },
        },
      },
    },
  },
  defaultSeverity: 'error',
  defaultAppliesTo: 'all',
  run(ctx) {
    const c = ctx.cert;
    if (c.keyError)
      return [
        { message: `${certLabel(ctx)}: cannot evaluate: ${c.keyError}`, remediation: { kind: 'manual' } },
      ];
    if (c.keyType === 'unknown')
      return [
        {
          message: `${certLabel(ctx)}: cannot evaluate: unknown public key algorithm`,
          remediation: { kind: 'manual' },
        },
      ];
    const ok = ctx.params.allow.some((a) => {
      if (a.type !== c.keyType) return false;
      if (a.minBits !== undefined && (c.keyBits === null || c.keyBits < a.minBits)) return false;
      if (
        a.curves?.length &&
        (c.curve === null || !a.curves.map(normaliseCurve).includes(normaliseCurve(c.curve)))
      )
        return false;
      return true;
    });
    if (ok) return [];
    const have =
      c.keyType === 'EC'
        ? `EC ${c.curve ?? '(unknown curve)'}`
        : c.keyBits
          ? `${c.keyType} ${c.keyBits}-bit`
          : c.keyType;
    return [
      {
        message: `${certLabel(ctx)} has a ${have} key, which is not allowed (allowed: ${ctx.params.allow.map(describe).join(', ')})`,
        remediation: { kind: 'renew' },
      },
    ];
  },
};
