// SARIF 2.1.0 for GitHub code scanning: one rule per finding kind (with help text), results located
// at the inventory line of the target (or the finding's own location, e.g. a waiver's line), so alerts
// show on the YAML that declares what was checked.
import path from 'node:path';
import type { Finding, Report, Severity } from '../core/model.js';
import { CHECKS } from '../policy/checks/index.js';

export interface SarifOptions {
  /** Folder that result paths are relative to (the repository root); default: the current directory. */
  root?: string;
  /** Link to the project, shown in the tool's driver. */
  informationUri?: string;
}

/** One-line summary and help text for the finding checks that do not come from a policy rule. */
export const CHECK_HELP: Record<string, { summary: string; help: string }> = {
  'expect.subject': {
    summary: 'Subject differs from the inventory',
    help: "The certificate's subject (CN, O, OU, C) differs from `expect.subject`. Re-issue with the right subject or correct the inventory.",
  },
  'expect.dnsNames': {
    summary: 'DNS names missing',
    help: "A DNS name listed in `expect.dnsNames` is not among the certificate's subject alternative names. Re-issue with the missing names.",
  },
  'expect.ipAddresses': {
    summary: 'IP addresses missing',
    help: "An IP address listed in `expect.ipAddresses` is not among the certificate's subject alternative names. Re-issue with the missing addresses.",
  },
  'expect.issuer': {
    summary: 'Issued by another CA than expected',
    help: 'The certificate was not signed by the anchor or subject named in `expect.issuer`.',
  },
  'expect.chainTo': {
    summary: 'Does not chain to the expected anchor',
    help: 'Path validation does not end at the anchor named in `expect.chainTo`.',
  },
  'expect.extKeyUsage': {
    summary: 'Extended key usage missing',
    help: 'A usage listed in `expect.extKeyUsage` is missing from the certificate.',
  },
  'pin.drift': {
    summary: 'Certificate differs from the pinned one',
    help: "The live certificate's SHA-256 differs from `expect.sha256`. If the re-issue was intended, accept the pin update pull request.",
  },
  'chain.untrusted': {
    summary: 'Chain not trusted',
    help: 'No path from the certificate to a declared anchor validates.',
  },
  'chain.incomplete': {
    summary: 'Chain incomplete',
    help: 'The source does not send the intermediate certificates needed to reach an anchor. Serve the full chain.',
  },
  'chain.order': {
    summary: 'Chain out of order',
    help: 'The presented certificates are not in issuing order.',
  },
  'chain.extra': {
    summary: 'Extra certificates in the chain',
    help: 'The source sends certificates that are not part of the path.',
  },
  'chain.expired-ca': {
    summary: 'Expired CA in the chain',
    help: 'A CA certificate in the path has expired.',
  },
  'trustStore.missing': {
    summary: 'Trust store lacks an anchor',
    help: 'An anchor listed in `trustStore.contains` is not in the store. Add it (a bundle pull request may be proposed).',
  },
  'trustStore.unexpected': {
    summary: 'Unexpected certificate in trust store',
    help: 'The store has a certificate not listed while `only: true` is set.',
  },
  'trustStore.expired': {
    summary: 'Expired certificate in trust store',
    help: 'The store holds an expired certificate. Remove it.',
  },
  'trustStore.not-ca': {
    summary: 'Non-CA certificate in trust store',
    help: 'The store holds a certificate that is not a CA.',
  },
  'bundle.missing': {
    summary: 'Bundle lacks an anchor',
    help: 'A bundle kept in the repository lacks an anchor listed in `contains`.',
  },
  'bundle.expired': {
    summary: 'Expired certificate in bundle',
    help: 'A bundle kept in the repository holds an expired certificate.',
  },
  'source.unreachable': {
    summary: 'Source unreachable',
    help: 'The endpoint, file or object could not be reached (DNS, connection, timeout, not found, forbidden).',
  },
  'source.error': {
    summary: 'Source error',
    help: 'The source was reached but could not be read (parse error, permission, protocol).',
  },
  'source.empty': {
    summary: 'No certificate at the source',
    help: 'The source was read but holds no certificate.',
  },
  'inventory.undeclared': {
    summary: 'Certificate not declared in the inventory',
    help: 'A certificate-bearing object was found that no target declares. Add it with `certwarden discover`.',
  },
  'csr.pending': {
    summary: 'CertificateSigningRequest pending',
    help: 'A CertificateSigningRequest waits for approval.',
  },
  'csr.unissued': {
    summary: 'CertificateSigningRequest approved but not issued',
    help: 'A CertificateSigningRequest was approved but no certificate was issued.',
  },
  'csr.signer-rules': {
    summary: 'CertificateSigningRequest breaks signer rules',
    help: 'The request does not meet the rules of its signer (usages, subject, names).',
  },
  'renewal.failed': {
    summary: 'Renewal failed',
    help: 'Applying a renewal request failed; see the request file for the reason.',
  },
  'waiver.expired': {
    summary: 'Waiver expired',
    help: "A waiver's `expires` date has passed: it no longer waives, and the findings it covered are reported again. Fix the cause, or extend the waiver in review.",
  },
  cel: {
    summary: 'Custom policy rule failed',
    help: 'A CEL rule of a policy pack is false for this certificate; the message says what the rule requires.',
  },
};

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

function ruleIdOf(f: Finding): string {
  return f.rule && f.rule !== f.check ? `${f.check}/${f.rule}` : f.check;
}

function helpFor(check: string): { summary: string; help: string } {
  const def = CHECKS.get(check);
  if (def) return { summary: def.summary, help: def.help };
  return CHECK_HELP[check] ?? { summary: check, help: `certwarden finding \`${check}\`.` };
}

function toUri(file: string, root: string): string {
  const rel = path.isAbsolute(file) ? path.relative(root, file) : file;
  const p = (rel && !rel.startsWith('..') ? rel : file).split(path.sep).join('/');
  return encodeURI(p);
}

/** The SARIF 2.1.0 log for a report (a plain object, ready for JSON.stringify). */
export function toSarif(report: Report, opts: SarifOptions = {}): Record<string, unknown> {
  const root = opts.root ?? process.cwd();
  const inventoryOf = new Map(report.targets.map((t) => [t.id, t.inventory]));
  const rules: Record<string, unknown>[] = [];
  const ruleIndex = new Map<string, number>();
  const results: Record<string, unknown>[] = [];
  for (const f of report.findings) {
    const id = ruleIdOf(f);
    if (!ruleIndex.has(id)) {
      const h = helpFor(f.check);
      const name = id.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ''));
      ruleIndex.set(id, rules.length);
      rules.push({
        id,
        // SARIF wants `name` readable and different from the opaque `id` (multitool rule SARIF1001).
        name: ruleName(name, id),
        shortDescription: {
          text: f.rule && f.rule !== f.check ? `${h.summary} (rule ${f.rule})` : h.summary,
        },
        fullDescription: { text: h.help },
        help: {
          text: h.help,
          markdown: `**${f.check}**${f.rule ? ` (policy rule \`${f.rule}\`)` : ''}: ${h.help}`,
        },
        defaultConfiguration: { level: LEVEL[f.severity] },
        properties: {
          tags: ['certificates', 'x509', f.check.split('.')[0]!],
          check: f.check,
          ...(f.rule ? { rule: f.rule } : {}),
        },
      });
    }
    const where =
      f.location ?? (inventoryOf.has(f.target) ? { ...inventoryOf.get(f.target)!, column: 1 } : null);
    const result: Record<string, unknown> = {
      ruleId: id,
      ruleIndex: ruleIndex.get(id),
      level: LEVEL[f.severity],
      message: { text: `${f.target}: ${f.message}` },
      partialFingerprints: { 'certwardenFindingId/v1': f.id },
      properties: {
        target: f.target,
        check: f.check,
        rule: f.rule,
        severity: f.severity,
        ...(f.certificate ? { certificate: f.certificate } : {}),
      },
    };
    if (where && where.file) {
      result.locations = [
        {
          physicalLocation: {
            artifactLocation: {
              uri: toUri(where.file, root),
              ...(path.isAbsolute(where.file) && !path.relative(root, where.file).startsWith('..')
                ? { uriBaseId: '%SRCROOT%' }
                : {}),
            },
            region: { startLine: Math.max(1, where.line), startColumn: Math.max(1, where.column ?? 1) },
          },
        },
      ];
    }
    if (f.waived) {
      result.suppressions = [
        {
          kind: 'external',
          status: 'accepted',
          justification: `${f.waived.reason} (owner ${f.waived.owner}, until ${f.waived.expires})`,
        },
      ];
    }
    results.push(result);
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'certwarden',
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: opts.informationUri ?? 'https://github.com/certwarden/certwarden',
            rules,
          },
        },
        automationDetails: { id: 'certwarden/' },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileUri(root) } },
        invocations: [{ executionSuccessful: true, endTimeUtc: report.evaluatedAt }],
        results,
      },
    ],
  };
}

function ruleName(camel: string, id: string): string {
  const pascal = camel.charAt(0).toUpperCase() + camel.slice(1);
  return pascal.toLowerCase() === id.toLowerCase() ? `${pascal}Check` : pascal;
}

function pathToFileUri(dir: string): string {
  const withSlash = dir.endsWith(path.sep) ? dir : dir + path.sep;
  return 'file://' + encodeURI(withSlash.split(path.sep).join('/'));
}
