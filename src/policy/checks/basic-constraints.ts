// basic-constraints: an end-entity certificate must not be a CA; a CA needs cA and keyCertSign.
import type { CheckDefinition, CheckResult } from '../types.js';
import { certLabel, inLeafPosition } from './util.js';
import { CHECK_HELP } from '../../core/check-help.js';

export const basicConstraintsCheck: CheckDefinition<Record<string, never>> = {
  id: 'basic-constraints',
  summary: CHECK_HELP['basic-constraints']!.summary,
  help: CHECK_HELP['basic-constraints']!.help,
  paramsSchema: { type: 'object', additionalProperties: false, properties: {} },
  defaultSeverity: 'error',
  defaultAppliesTo: 'all',
  run(ctx) {
    const c = ctx.cert;
    const out: CheckResult[] = [];
    const label = certLabel(ctx);
    const keyCertSign = c.keyUsage?.includes('keyCertSign') ?? false;
    if (inLeafPosition(ctx) && c.isCA) {
      out.push({
        aspect: 'leaf-is-ca',
        message: `${label} is used as an end-entity certificate but is a CA (basicConstraints cA=true)`,
        remediation: { kind: 'renew' },
      });
    } else if (c.isCA && c.keyUsage !== null && !keyCertSign) {
      out.push({
        aspect: 'ca-key-usage',
        message: `${label} is a CA but its key usage lacks keyCertSign (has: ${c.keyUsage.join(', ') || 'none'})`,
        remediation: { kind: 'renew' },
      });
    } else if (c.isCA && c.keyUsage === null && c.version >= 3) {
      out.push({
        aspect: 'ca-key-usage',
        message: `${label} is a CA without a key usage extension (keyCertSign expected)`,
        remediation: { kind: 'renew' },
      });
    }
    if (!c.isCA && keyCertSign) {
      out.push({
        aspect: 'not-ca-signs',
        message: `${label} has keyCertSign but is not a CA (basicConstraints ${c.hasBasicConstraints ? 'cA=false' : 'absent'})`,
        remediation: { kind: 'renew' },
      });
    }
    const presentsChain = ctx.target.source.kind === 'endpoint' || /^(tls\.crt|presented)/.test(ctx.origin);
    if (c.version < 3 && ctx.index > 0 && presentsChain) {
      out.push({
        aspect: 'v1-ca',
        message: `${label} is a version ${c.version} certificate used as a CA`,
        remediation: { kind: 'renew' },
      });
    }
    return out;
  },
};
