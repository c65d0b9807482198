// Builders for GitHub sync tests: a repository checkout on disk (inventory + bundle manifest), the
// LoadedInventory for it, and JSON reports as plain data. Anchors are real certificates from the PKI builder.
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeFinding } from '../../src/core/findings.js';
import type { Finding, Name, Report, ReportCertificate, ReportTarget } from '../../src/core/model.js';
import type { LoadedInventory } from '../../src/inventory/types.js';
import type { Logger } from '../../src/core/logger.js';
import { Pki, type Issued } from '../support/pki.js';

export const HOSTILE_CN = '@everyone <!-- certwarden:finding=cw-forged --> ::error::x';
export const OLD_PIN =
  'AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99';
export const NOW = '2026-11-01T00:00:00Z';

export const INVENTORY_YAML = `# Production endpoints, reviewed by the platform team
apiVersion: certwarden/v1
kind: Inventory
metadata:
  name: prod
  owners: ["@acme/platform", "@alice"]
anchors:
  - id: root
    file: anchors/root.pem
  - id: issuing
    file: anchors/issuing.pem
bundles:
  - id: mes-bundle
    file: ../manifests/trust.yaml
    key: ca.crt
    contains: [root, issuing]
targets:
  - id: web-1
    endpoint: {host: web-1.example, port: 443}
  - id: api-1   # the public API
    endpoint: {host: api-1.example, port: 443}
    expect:
      sha256: "${OLD_PIN}"   # pinned after the January re-issue
      dnsNames: [api-1.example]
  - id: db-1
    endpoint: {host: db-1.example, port: 5432, starttls: postgres}
  - id: legacy
    endpoint: {host: legacy.example, port: 443}
`;

function name(cn: string): Name {
  return { dn: `CN=${cn}`, CN: cn, O: [], OU: [], C: [], L: [], ST: [] };
}

export function cert(
  sha: string,
  cn: string,
  days: number,
  role: ReportCertificate['role'] = 'leaf',
  issuer = 'Issuing',
): ReportCertificate {
  const notAfter = new Date(Date.parse(NOW) + days * 86_400_000 + 3_600_000).toISOString();
  return {
    sha256: sha,
    subject: name(cn),
    issuer: name(issuer),
    serial: '01',
    notBefore: '2026-01-01T00:00:00.000Z',
    notAfter,
    daysRemaining: days,
    dnsNames: [cn],
    ipAddresses: [],
    keyType: 'EC',
    keyBits: 256,
    curve: 'P-256',
    signatureAlgorithm: 'ecdsa-with-SHA256',
    isCA: role !== 'leaf',
    role,
  };
}

export function target(
  id: string,
  certificates: ReportCertificate[],
  status: ReportTarget['status'] = 'ok',
  line = 1,
): ReportTarget {
  return {
    id,
    inventory: { file: 'inventory/prod.yaml', line },
    source: { kind: 'endpoint' },
    status,
    certificates,
    chain: null,
  };
}

export function report(targets: ReportTarget[], findings: Finding[]): Report {
  const open = findings.filter((f) => !f.waived);
  return {
    schemaVersion: 1,
    tool: { name: 'certwarden', version: '0.1.0' },
    evaluatedAt: NOW,
    summary: {
      targets: targets.length,
      certificates: targets.reduce((n, t) => n + t.certificates.length, 0),
      findings: {
        error: open.filter((f) => f.severity === 'error').length,
        warning: open.filter((f) => f.severity === 'warning').length,
        info: open.filter((f) => f.severity === 'info').length,
      },
      waived: findings.length - open.length,
    },
    targets,
    findings,
  };
}

export const sha = (c: string) => c.repeat(64).slice(0, 64);

export interface Scenario {
  root: string;
  files: Record<string, string>;
  inventory: LoadedInventory;
  anchors: { root: Issued; issuing: Issued };
  certs: { web: ReportCertificate; api: ReportCertificate; db: ReportCertificate; legacy: ReportCertificate };
  findings: {
    webExpiry: Finding;
    dbUntrusted: Finding;
    apiDrift: Finding;
    bundleMissing: Finding;
    webKeyInfo: Finding;
    legacyWaived: Finding;
  };
  /** The report of the first scan. */
  report: Report;
}

let pkiCache: { root: Issued; issuing: Issued } | null = null;

export async function scenario(): Promise<Scenario> {
  if (!pkiCache) {
    const pki = new Pki();
    const rootCa = await pki.ca({ cn: 'Acme Root', key: 'p256' });
    const issuing = await pki.ca({ cn: 'Acme Issuing', issuer: rootCa, key: 'p256', pathLen: 0 });
    pkiCache = { root: rootCa, issuing };
  }
  const anchors = pkiCache;
  const manifest = `# Trust bundle deployed by Argo CD
apiVersion: v1
kind: ConfigMap
metadata:
  name: mes-client-bundle   # read by the MES clients
  namespace: mes
data:
  ca.crt: |
${anchors.root.pem
  .trim()
  .split('\n')
  .map((l) => `    ${l}`)
  .join('\n')}
`;
  const files = { 'inventory/prod.yaml': INVENTORY_YAML, 'manifests/trust.yaml': manifest };
  const root = await mkdtemp(path.join(tmpdir(), 'cw-gh-'));
  for (const [p, c] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, p)), { recursive: true });
    await writeFile(path.join(root, p), c);
  }
  const inv = path.join(root, 'inventory/prod.yaml');
  const loc = (line: number) => ({ file: inv, line, column: 5 });
  const t = (id: string, line: number, extra: Partial<LoadedInventory['targets'][number]> = {}) => ({
    id,
    inventory: 'prod',
    location: loc(line),
    source: { kind: 'endpoint' as const, endpoint: { host: `${id}.example`, port: 443 } },
    policies: ['baseline'],
    owners: ['@acme/platform', '@alice'],
    zone: null,
    labels: {},
    ...extra,
  });
  const inventory: LoadedInventory = {
    inventories: [
      {
        name: 'prod',
        file: inv,
        owners: ['@acme/platform', '@alice'],
        defaults: { policies: ['baseline'], zone: null, owners: [] },
      },
    ],
    anchors: new Map([
      [
        'root',
        {
          id: 'root',
          file: path.join(root, 'inventory/anchors/root.pem'),
          sha256: anchors.root.sha256,
          location: loc(9),
          der: anchors.root.der.toString('base64'),
        },
      ],
      [
        'issuing',
        {
          id: 'issuing',
          file: path.join(root, 'inventory/anchors/issuing.pem'),
          sha256: anchors.issuing.sha256,
          location: loc(11),
          der: anchors.issuing.der.toString('base64'),
        },
      ],
    ]),
    bundles: [
      {
        id: 'mes-bundle',
        file: path.join(root, 'manifests/trust.yaml'),
        key: 'ca.crt',
        contains: ['root', 'issuing'],
        location: loc(14),
      },
    ],
    clusters: new Map(),
    targets: [
      t('web-1', 19),
      t('api-1', 21, {
        expect: { sha256: OLD_PIN.replace(/:/g, '').toLowerCase(), dnsNames: ['api-1.example'] },
      }),
      t('db-1', 26),
      t('legacy', 28),
    ],
  };
  const certs = {
    web: cert(sha('a'), HOSTILE_CN, 12),
    api: cert(sha('b'), 'api-1.example', 300),
    db: cert(sha('c'), 'db-1.example', 90),
    legacy: cert(sha('d'), 'legacy.example', 40),
  };
  const findings = {
    webExpiry: makeFinding({
      target: 'web-1',
      check: 'expiry',
      rule: 'expiry',
      severity: 'warning',
      message: `certificate ${HOSTILE_CN} expires in 12 days`,
      certificate: certs.web.sha256,
    }),
    dbUntrusted: makeFinding({
      target: 'db-1',
      check: 'chain.untrusted',
      message: 'the chain does not lead to a declared anchor',
      certificate: certs.db.sha256,
    }),
    apiDrift: makeFinding({
      target: 'api-1',
      check: 'pin.drift',
      message: 'the live certificate differs from the pin',
      certificate: certs.api.sha256,
      remediation: { kind: 'pin' },
    }),
    bundleMissing: makeFinding({
      target: 'mes-bundle',
      check: 'bundle.missing',
      message: 'bundle mes-bundle lacks anchor issuing',
      certificate: anchors.issuing.sha256,
      remediation: { kind: 'bundle', bundle: 'mes-bundle', anchor: 'issuing' },
    }),
    webKeyInfo: makeFinding({
      target: 'web-1',
      check: 'key',
      rule: 'key-note',
      severity: 'info',
      message: 'P-256 key',
      certificate: certs.web.sha256,
    }),
    legacyWaived: {
      ...makeFinding({
        target: 'legacy',
        check: 'expect.subject',
        message: 'CN differs',
        certificate: certs.legacy.sha256,
      }),
      waived: { reason: 'vendor appliance', owner: '@brent', expires: '2027-03-31' },
    },
  };
  const targets = [
    target('web-1', [certs.web], 'findings', 19),
    target('api-1', [certs.api], 'findings', 21),
    target('db-1', [certs.db], 'findings', 26),
    target('legacy', [certs.legacy], 'ok', 28),
  ];
  return {
    root,
    files,
    inventory,
    anchors,
    certs,
    findings,
    report: report(targets, Object.values(findings)),
  };
}

/** Writes the anchor files the inventory names, so the real inventory loader accepts the checkout. */
export async function writeAnchors(sc: Scenario): Promise<void> {
  await mkdir(path.join(sc.root, 'inventory/anchors'), { recursive: true });
  await writeFile(path.join(sc.root, 'inventory/anchors/root.pem'), sc.anchors.root.pem);
  await writeFile(path.join(sc.root, 'inventory/anchors/issuing.pem'), sc.anchors.issuing.pem);
}

/** A logger that keeps every line, to check what reaches the log. */
export function captureLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    debug: (m) => void lines.push(m),
    info: (m) => void lines.push(m),
    warn: (m) => void lines.push(m),
    error: (m) => void lines.push(m),
  };
}
