// What `certwarden inspect` shows: the structured picture (--format json, schemas/inspect.v1.schema.json)
// and its text. Every string that comes from a server or a certificate is escaped in the text (no
// terminal control sequences get through); JSON carries them as JSON strings.
import type {
  CertRecord,
  CertRole,
  ChainResult,
  Name,
  ObservedRevocation,
  RevocationCheck,
} from '../core/model.js';
import { expiryPhrase, safeText } from '../core/text.js';
import { VERSION } from '../core/version.js';
import { parseCertificate } from '../x509/parse.js';
import { describeExtensions, type ExtensionEntry } from '../x509/describe.js';
import { certificateRole } from '../x509/role.js';
import type { ProbeResult } from '../sources/endpoint/probe.js';
import type { AnchorSource, TrustStoreName } from './inspect-trust.js';

/** One certificate as inspect shows it. */
export interface InspectCertificate {
  index: number;
  role: CertRole;
  subject: Name;
  issuer: Name;
  serial: string;
  version: number;
  notBefore: string;
  notAfter: string;
  daysRemaining: number;
  validity: 'valid' | 'expired' | 'not-yet-valid';
  /** "19 days remaining", "expired 3 days ago": the phrase every text output uses. */
  expiry: string;
  sha256: string;
  selfIssued: boolean;
  key: { type: string; bits: number | null; curve: string | null; error: string | null };
  signatureAlgorithm: string;
  subjectAltNames: { dns: string[]; ip: string[]; email: string[]; uri: string[] };
  basicConstraints: { ca: boolean; pathLen: number | null; critical: boolean } | null;
  keyUsage: { usages: string[]; critical: boolean } | null;
  extendedKeyUsage: { usages: string[]; critical: boolean } | null;
  subjectKeyId: string | null;
  authorityKeyId: string | null;
  authorityInfoAccess: { ocsp: string[]; caIssuers: string[] } | null;
  crlDistributionPoints: string[] | null;
  certificatePolicies: { oid: string; name: string | null }[] | null;
  /** Every extension in the certificate's order. */
  extensions: ExtensionEntry[];
  notes: string[];
}

/** A certificate that could not be parsed, with the reason. */
export interface UnreadableCertificate {
  index: number;
  error: string;
}

export interface InspectReport {
  schemaVersion: 1;
  kind: 'certwarden/inspect';
  tool: { name: 'certwarden'; version: string };
  inspectedAt: string;
  target: {
    kind: 'endpoint' | 'file';
    input: string;
    endpoint: {
      host: string;
      port: number;
      serverName: string | null;
      starttls: string | null;
      via: string | null;
      address: string | null;
      reachable: boolean;
      error: { reason: string; message: string } | null;
      protocol: string | null;
      cipher: string | null;
      clientCertificateRequested: boolean;
      chainFrom: 'handshake' | 'peer-certificate' | null;
      attempts: number;
      elapsedMs: number;
      notes: string[];
    } | null;
    file: { path: string; format: string; notes: string[] } | null;
  };
  /** 'chain': a leaf and what came with it; 'store': CA certificates only (a trust store or bundle). */
  presentation: 'chain' | 'store';
  certificates: (InspectCertificate | UnreadableCertificate)[];
  trust: {
    store: { requested: TrustStoreName; used: TrustStoreName };
    sources: AnchorSource[];
    anchors: number;
    verdict: 'trusted' | 'not-trusted' | 'not-applicable' | 'not-checked';
    trusted: boolean;
    anchor: string | null;
    /** The name the leaf was checked against (a server's SNI name or host). */
    hostname: string | null;
    problems: { code: string; message: string; certificate: string | null }[];
    /** The self-signed root of the inspected file the chain ends at (never trusted for being there). */
    selfSignedRootInFile?: string | null;
    notes: string[];
  };
  /** Revocation status (OCSP, CRL, a stapled response) when checked; null: not checked. */
  revocation: ObservedRevocation | null;
  /** 0 trusted and valid now (a store: every certificate valid now); 1 otherwise. */
  exitCode: number;
}

function hex(s: string | null): string | null {
  return s ? s.replace(/:/g, '').toLowerCase() : null;
}

/** One certificate's facts for inspect; `prev` is the certificate before it in a chain. */
export function inspectCertificate(
  c: CertRecord,
  index: number,
  role: CertRole,
  now: Date,
  prev?: CertRecord | string,
): InspectCertificate {
  const ext = describeExtensions(Buffer.from(c.der, 'base64'));
  const critical = (name: string) => ext.all.some((e) => e.name === name && e.critical);
  const present = (name: string) => ext.all.some((e) => e.name === name);
  const nb = Date.parse(c.notBefore);
  const na = Date.parse(c.notAfter);
  const notes: string[] = [];
  if (index > 0 && typeof prev === 'object' && prev.issuer.dn !== c.subject.dn)
    notes.push('does not issue the certificate before it (sent out of order or not needed)');
  if (role !== 'leaf' && !c.isCA) notes.push('is not a CA certificate (basic constraints do not say CA)');
  if (ext.error) notes.push(`some extensions could not be read for display: ${ext.error}`);
  return {
    index,
    role,
    subject: c.subject,
    issuer: c.issuer,
    serial: c.serial,
    version: c.version,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    daysRemaining: Math.floor((na - now.getTime()) / 86_400_000),
    validity: now.getTime() < nb ? 'not-yet-valid' : now.getTime() >= na ? 'expired' : 'valid',
    expiry: expiryPhrase(c.notAfter, now),
    sha256: c.sha256,
    selfIssued: c.selfIssued,
    key: { type: c.keyType, bits: c.keyBits, curve: c.curve, error: c.keyError },
    signatureAlgorithm: c.signatureAlgorithm,
    subjectAltNames: { dns: c.dnsNames, ip: c.ipAddresses, email: c.emailAddresses, uri: c.uris },
    basicConstraints:
      c.hasBasicConstraints || present('basicConstraints')
        ? { ca: c.isCA, pathLen: c.pathLen, critical: critical('basicConstraints') }
        : null,
    keyUsage: c.keyUsage ? { usages: c.keyUsage, critical: critical('keyUsage') } : null,
    extendedKeyUsage: c.extKeyUsage ? { usages: c.extKeyUsage, critical: critical('extKeyUsage') } : null,
    subjectKeyId: hex(c.subjectKeyId),
    authorityKeyId: hex(c.authorityKeyId),
    authorityInfoAccess: ext.authorityInfoAccess,
    crlDistributionPoints: ext.crlDistributionPoints,
    certificatePolicies: ext.certificatePolicies,
    extensions: ext.all,
    notes,
  };
}

const line = (label: string, value: string) => `${label.padEnd(10)} ${value}`.trimEnd();
const field = (label: string, value: string) => `    ${label.padEnd(9)} ${value}`.trimEnd();
const crit = (critical: boolean) => (critical ? ' (critical)' : '');

function keyText(k: InspectCertificate['key']): string {
  if (k.error) return `${k.type} (unreadable: ${safeText(k.error)})`;
  const size = k.curve ?? (k.bits ? `${k.bits} bits` : null);
  return size ? `${k.type} ${safeText(size)}` : k.type;
}

/** What a role is called in the text: a root is a self-signed CA. */
function roleText(c: InspectCertificate): string {
  if (c.role === 'root') return 'root (self-signed CA)';
  if (c.role === 'intermediate') return c.basicConstraints?.ca ? 'intermediate CA' : 'intermediate';
  return c.basicConstraints?.ca ? 'leaf (a CA certificate served as the leaf)' : 'leaf';
}

const KNOWN = new Set([
  'basicConstraints',
  'keyUsage',
  'extKeyUsage',
  'subjectAltName',
  'subjectKeyId',
  'authorityKeyId',
  'authorityInfoAccess',
  'crlDistributionPoints',
  'certificatePolicies',
]);

/** One certificate's block of text. */
function certificateBlock(c: InspectCertificate | UnreadableCertificate): string[] {
  if ('error' in c) return [`[${c.index}] cannot be parsed: ${safeText(c.error)}`];
  const out = [`[${c.index}] ${roleText(c)}`];
  out.push(field('subject', safeText(c.subject.dn)));
  out.push(field('issuer', safeText(c.issuer.dn)));
  out.push(field('serial', c.serial));
  const when = c.validity === 'not-yet-valid' ? `not valid yet, ${c.expiry}` : c.expiry;
  out.push(field('valid', `${c.notBefore} .. ${c.notAfter} (${when})`));
  const n = c.subjectAltNames;
  const sans = [
    ...n.dns.map((d) => `DNS:${d}`),
    ...n.ip.map((a) => `IP:${a}`),
    ...n.email.map((e) => `email:${e}`),
    ...n.uri.map((u) => `URI:${u}`),
  ];
  if (sans.length) out.push(field('SANs', sans.map(safeText).join(', ')));
  out.push(field('key', `${keyText(c.key)}, signed ${safeText(c.signatureAlgorithm)}`));
  const bc = c.basicConstraints;
  out.push(
    field(
      'CA',
      bc
        ? `${bc.ca ? 'yes' : 'no'}${bc.ca && bc.pathLen !== null ? `, path length ${bc.pathLen}` : ''} (basic constraints${bc.critical ? ', critical' : ''})`
        : 'no (no basic constraints extension)',
    ),
  );
  if (c.keyUsage) out.push(field('key usage', c.keyUsage.usages.join(', ') + crit(c.keyUsage.critical)));
  if (c.extendedKeyUsage)
    out.push(
      field(
        'ext usage',
        c.extendedKeyUsage.usages.map(safeText).join(', ') + crit(c.extendedKeyUsage.critical),
      ),
    );
  if (c.subjectKeyId) out.push(field('SKI', c.subjectKeyId));
  if (c.authorityKeyId) out.push(field('AKI', c.authorityKeyId));
  for (const u of c.authorityInfoAccess?.ocsp ?? []) out.push(field('OCSP', safeText(u)));
  for (const u of c.authorityInfoAccess?.caIssuers ?? []) out.push(field('CA issuer', safeText(u)));
  for (const u of c.crlDistributionPoints ?? []) out.push(field('CRL', safeText(u)));
  if (c.certificatePolicies?.length)
    out.push(
      field(
        'policies',
        c.certificatePolicies.map((p) => (p.name ? `${p.oid} (${p.name})` : p.oid)).join(', '),
      ),
    );
  const others = c.extensions.filter((e) => !e.name || !KNOWN.has(e.name));
  if (others.length)
    out.push(field('other ext', others.map((e) => `${e.name ?? e.oid}${crit(e.critical)}`).join(', ')));
  out.push(field('sha256', c.sha256));
  for (const note of c.notes) out.push(field('note', safeText(note)));
  return out;
}

/** A store's certificates: full blocks for a few, one line each for many. */
function storeLines(certs: InspectReport['certificates']): string[] {
  const readable = certs.filter((c): c is InspectCertificate => !('error' in c));
  const expired = readable.filter((c) => c.validity === 'expired').length;
  const early = readable.filter((c) => c.validity === 'not-yet-valid').length;
  const out = [
    line(
      'store',
      `${certs.length} CA certificate(s), a trust store or CA bundle (not a chain): ${readable.length - expired - early} valid now${expired ? `, ${expired} expired` : ''}${early ? `, ${early} not valid yet` : ''}`,
    ),
  ];
  if (certs.length <= 5) {
    for (const c of certs) out.push('', ...certificateBlock(c));
    return out;
  }
  out.push('');
  for (const c of certs) {
    if ('error' in c) out.push(`[${c.index}] cannot be parsed: ${safeText(c.error)}`);
    else
      out.push(
        `[${c.index}] ${safeText(c.subject.CN ?? c.subject.dn)}  (notAfter ${c.notAfter.slice(0, 10)}, ${c.expiry})  sha256 ${c.sha256.slice(0, 16)}…`,
      );
  }
  out.push('', '(--format json shows every certificate with its extensions)');
  return out;
}

function endpointLines(ep: NonNullable<InspectReport['target']['endpoint']>, count: number): string[] {
  const out: string[] = [];
  const where = `${ep.host.includes(':') ? `[${safeText(ep.host)}]` : safeText(ep.host)}:${ep.port}`;
  out.push(line('endpoint', `${where}${ep.serverName ? ` (SNI ${safeText(ep.serverName)})` : ' (no SNI)'}`));
  if (ep.starttls) out.push(line('starttls', ep.starttls));
  if (ep.via) out.push(line('via', safeText(ep.via)));
  if (ep.address) out.push(line('address', safeText(ep.address)));
  if (!ep.reachable) {
    out.push(line('result', `unreachable: ${ep.error?.reason ?? 'unknown'}`));
    out.push(line('', safeText(ep.error?.message ?? '')));
    out.push(line('attempts', `${ep.attempts} in ${ep.elapsedMs} ms`));
    return out;
  }
  out.push(line('protocol', safeText(ep.protocol ?? 'unknown')));
  out.push(line('cipher', safeText(ep.cipher ?? 'unknown')));
  out.push(`client certificate requested: ${ep.clientCertificateRequested ? 'yes' : 'no'}`);
  out.push(
    line(
      'chain',
      `${count} certificate(s) as sent, read from ${
        ep.chainFrom === 'handshake'
          ? 'the handshake (exact order and extras)'
          : 'the TLS library (rebuilt; order and extras may differ)'
      }`,
    ),
  );
  for (const n of ep.notes) out.push(line('note', safeText(n)));
  return out;
}

function trustLines(r: InspectReport): string[] {
  const t = r.trust;
  const out: string[] = [];
  if (t.sources.length) {
    const words = t.sources.map((s) =>
      s.kind === 'ca'
        ? `--ca ${safeText(s.from)} (${s.certificates})`
        : `${s.kind === 'system' ? 'the system store' : "node's bundled roots"} (${safeText(s.from)}, ${s.certificates})`,
    );
    out.push(line('anchors', words.join(' + ')));
  }
  for (const n of t.notes) out.push(line('note', safeText(n)));
  if (t.verdict === 'trusted') {
    out.push(
      line(
        'trusted',
        `yes, chains to ${safeText(t.anchor ?? '?')}${t.hostname ? ` and is valid for ${safeText(t.hostname)}` : ''}`,
      ),
    );
  } else if (t.verdict === 'not-trusted') {
    out.push(
      t.selfSignedRootInFile
        ? line(
            'trusted',
            `NO: chains to the self-signed root in this file, which is not a trusted anchor: ${safeText(t.selfSignedRootInFile)}`,
          )
        : line('trusted', 'NO'),
    );
  }
  for (const p of t.problems) out.push(`  - ${p.code}: ${safeText(p.message)}`);
  return out;
}

/** The text picture of an inspect report. */
export function renderInspectText(r: InspectReport): string {
  const out: string[] = [];
  const ep = r.target.endpoint;
  const file = r.target.file;
  if (ep) out.push(...endpointLines(ep, r.certificates.length));
  if (file) {
    out.push(
      line('file', `${safeText(file.path)} (${file.format}, ${r.certificates.length} certificate(s))`),
    );
    for (const w of file.notes) out.push(line('note', safeText(w)));
  }
  if (ep && !ep.reachable) return out.join('\n') + '\n';
  if (r.presentation === 'store') out.push(...storeLines(r.certificates));
  else for (const c of r.certificates) out.push('', ...certificateBlock(c));
  const trust = trustLines(r);
  if (trust.length) out.push('', ...trust);
  if (r.revocation) out.push('', ...revocationLines(r.revocation, r.certificates, Boolean(ep)));
  return out.join('\n') + '\n';
}

function statusText(
  c: Pick<RevocationCheck, 'status' | 'reason' | 'revokedAt' | 'thisUpdate' | 'nextUpdate'>,
): string {
  const when = [c.thisUpdate && `thisUpdate ${c.thisUpdate}`, c.nextUpdate && `nextUpdate ${c.nextUpdate}`]
    .filter(Boolean)
    .join(', ');
  const head =
    c.status === 'revoked'
      ? `REVOKED at ${c.revokedAt ?? '?'}${c.reason ? ` (${safeText(c.reason)})` : ''}`
      : c.status;
  return when ? `${head}; ${when}` : head;
}

/** The stapled response (endpoints) and each certificate's status, with why answers were not trusted. */
function revocationLines(
  rev: ObservedRevocation,
  certs: InspectReport['certificates'],
  endpoint: boolean,
): string[] {
  const out: string[] = [];
  if (endpoint) {
    const s = rev.staple;
    out.push(
      line(
        'staple',
        !s
          ? 'none (the server stapled no OCSP response)'
          : s.problem
            ? `cannot be used: ${safeText(s.problem)}`
            : statusText(s),
      ),
    );
  }
  out.push('revocation');
  for (const c of rev.checks) {
    const i = certs.findIndex((x) => 'sha256' in x && x.sha256 === c.certificate);
    const from = c.source ? ` from ${c.source}${c.url ? ` ${safeText(c.url)}` : ''}` : '';
    const must = c.mustStaple ? ' [must-staple]' : '';
    if (c.unchecked === 'no-source') out.push(`  [${i}] not checked: names no OCSP responder or CRL${must}`);
    else out.push(`  [${i}] ${statusText(c)}${from}${must}`);
    if (c.status !== 'good' && c.unchecked !== 'no-source')
      for (const p of c.problems) out.push(`        - ${safeText(p)}`);
  }
  if (rev.checks.length === 0) out.push('  nothing to check (no certificate with a known issuer)');
  return out;
}

/** A probe result (and, optionally, a verification of it) as inspect's text. */
export function renderInspect(result: ProbeResult, verify?: ChainResult, now: Date = new Date()): string {
  const records = result.chain.map((der, i) => {
    try {
      return parseCertificate(der, `presented[${i}]`);
    } catch (e) {
      return (e as Error).message;
    }
  });
  const report: InspectReport = {
    schemaVersion: 1,
    kind: 'certwarden/inspect',
    tool: { name: 'certwarden', version: VERSION },
    inspectedAt: now.toISOString(),
    target: {
      kind: 'endpoint',
      input: `${result.host}:${result.port}`,
      endpoint: {
        host: result.host,
        port: result.port,
        serverName: result.serverName,
        starttls: result.starttls,
        via: result.via,
        address: result.address,
        reachable: result.ok,
        error: result.error,
        protocol: result.protocol,
        cipher: result.cipher,
        clientCertificateRequested: result.clientCertRequested,
        chainFrom: result.chainMethod,
        attempts: result.attempts,
        elapsedMs: result.elapsedMs,
        notes: result.notes,
      },
      file: null,
    },
    presentation: 'chain',
    certificates: records.map((c, i) =>
      typeof c === 'string'
        ? { index: i, error: c }
        : inspectCertificate(c, i, certificateRole(c, i, 'presented'), now, records[i - 1]),
    ),
    trust: {
      store: { requested: 'none', used: 'none' },
      sources: [],
      anchors: 0,
      verdict: verify ? (verify.trusted ? 'trusted' : 'not-trusted') : 'not-checked',
      trusted: Boolean(verify?.trusted),
      anchor: verify?.anchor ?? null,
      hostname: null,
      problems: verify?.problems ?? [],
      notes: [],
    },
    revocation: null,
    exitCode: verify?.trusted ? 0 : 1,
  };
  return renderInspectText(report);
}
