// A report as the pipeline produces it, with hostile strings where certificates put them.
import type { Finding, Report, ReportCertificate } from '../../src/core/model.js';

const name = (CN: string, O: string[] = []) => ({ dn: `CN=${CN}`, CN, O, OU: [], C: [], L: [], ST: [] });

export const HOSTILE_CN =
  'evil <script>alert(1)</script> | @admin ::error::x `code` [link](http://x) <!-- certwarden:finding=cw-x -->\nline2';

function cert(
  over: Partial<ReportCertificate> & { sha256: string; CN: string; notAfter: string; daysRemaining: number },
): ReportCertificate {
  return {
    subject: name(over.CN),
    issuer: name('Test CA'),
    serial: '01ab',
    notBefore: '2026-01-01T00:00:00.000Z',
    dnsNames: [],
    ipAddresses: [],
    keyType: 'EC',
    keyBits: 256,
    curve: 'P-256',
    signatureAlgorithm: 'ecdsa-with-SHA256',
    isCA: false,
    role: 'leaf',
    ...over,
  };
}

function finding(
  over: Partial<Finding> & { id: string; target: string; check: string; message: string },
): Finding {
  return {
    rule: null,
    severity: 'error',
    certificate: null,
    location: null,
    remediation: null,
    waived: null,
    ...over,
  };
}

export function sampleReport(root = '/repo'): Report {
  const findings: Finding[] = [
    finding({
      id: 'cw-1',
      target: 'web',
      check: 'expiry',
      rule: 'expiry',
      severity: 'error',
      message: `certificate "${HOSTILE_CN}" expired 3 days ago`,
      certificate: 'aa'.repeat(32),
      location: { file: `${root}/inventory/prod.yaml`, line: 14, column: 5 },
    }),
    finding({
      id: 'cw-2',
      target: 'api',
      check: 'expect.dnsNames',
      severity: 'error',
      message: 'missing DNS names: api.example',
    }),
    finding({
      id: 'cw-3',
      target: 'web',
      check: 'key',
      rule: 'strong-keys',
      severity: 'warning',
      message: 'RSA 1024-bit',
      location: { file: `${root}/inventory/prod.yaml`, line: 14, column: 5 },
    }),
    finding({
      id: 'cw-4',
      target: 'legacy',
      check: 'cel',
      rule: 'admin-label',
      severity: 'warning',
      message: 'must be labelled admin',
      waived: { reason: 'vendor appliance', owner: '@brent', expires: '2027-03-31' },
      location: { file: `${root}/inventory/prod.yaml`, line: 30, column: 5 },
    }),
    finding({
      id: 'cw-5',
      target: 'policy:acme',
      check: 'waiver.expired',
      severity: 'warning',
      message: 'waiver expired',
      location: { file: `${root}/policies/acme.yaml`, line: 23, column: 5 },
    }),
    finding({
      id: 'cw-6',
      target: 'api',
      check: 'inventory.undeclared',
      severity: 'info',
      message: 'Secret ns/x is not declared',
    }),
  ];
  return {
    schemaVersion: 1,
    tool: { name: 'certwarden', version: '0.1.0' },
    evaluatedAt: '2026-12-01T00:00:00.000Z',
    summary: { targets: 3, certificates: 3, findings: { error: 2, warning: 2, info: 1 }, waived: 1 },
    targets: [
      {
        id: 'web',
        inventory: { file: `${root}/inventory/prod.yaml`, line: 14 },
        source: { kind: 'endpoint' },
        status: 'findings',
        certificates: [
          cert({
            sha256: 'aa'.repeat(32),
            CN: HOSTILE_CN,
            notAfter: '2026-11-28T00:00:00.000Z',
            daysRemaining: -3,
          }),
        ],
        chain: null,
        zone: 'dmz',
        owners: ['@acme/web'],
        labels: { team: 'web "frontend"\\', 'app.kubernetes.io/name': 'shop' },
      },
      {
        id: 'api',
        inventory: { file: `${root}/inventory/prod.yaml`, line: 22 },
        source: { kind: 'file' },
        status: 'findings',
        certificates: [
          cert({
            sha256: 'bb'.repeat(32),
            CN: 'api.example',
            notAfter: '2026-12-20T00:00:00.000Z',
            daysRemaining: 19,
          }),
        ],
        chain: null,
        zone: null,
        owners: [],
        labels: {},
      },
      {
        id: 'legacy',
        inventory: { file: `${root}/inventory/prod.yaml`, line: 30 },
        source: { kind: 'endpoint' },
        status: 'findings',
        certificates: [
          cert({
            sha256: 'cc'.repeat(32),
            CN: 'legacy.example',
            notAfter: '2027-06-01T00:00:00.000Z',
            daysRemaining: 182,
          }),
        ],
        chain: null,
        zone: null,
        owners: [],
        labels: {},
      },
    ],
    findings,
  };
}
