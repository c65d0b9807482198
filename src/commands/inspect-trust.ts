// The anchors `certwarden inspect` trusts: a store (the operating system's, node's bundled roots, or
// none) plus the CA files given with --ca. The system store is what curl, openssl and most tools
// on the machine trust; node's bundled list is Mozilla's, as node itself ships it.
import { existsSync } from 'node:fs';
import tls from 'node:tls';
import { ConfigError, ParseError } from '../core/errors.js';
import type { CertRecord } from '../core/model.js';
import { safeText } from '../core/text.js';
import { FileRefusedError, readCertificateFile, readCertificates } from '../x509/read.js';
import type { TrustAnchor } from '../x509/verify/verify.js';

export const TRUST_STORES = ['system', 'bundled', 'none'] as const;
export type TrustStoreName = (typeof TRUST_STORES)[number];

/** Where the anchors came from, as inspect shows them. */
export interface AnchorSource {
  kind: 'system' | 'bundled' | 'ca';
  /** A file, or how node was asked (tls.getCACertificates('system'), tls.rootCertificates). */
  from: string;
  certificates: number;
}

export interface InspectAnchors {
  /** The store asked for, and the one used (system falls back to bundled where the OS has none). */
  requested: TrustStoreName;
  used: TrustStoreName;
  sources: AnchorSource[];
  anchors: TrustAnchor[];
  notes: string[];
}

/** The OS CA bundles node does not read by itself, in the order OpenSSL-based tools look for them. */
const SYSTEM_BUNDLES = [
  '/etc/ssl/certs/ca-certificates.crt', // Debian, Ubuntu, Alpine, Arch
  '/etc/pki/tls/certs/ca-bundle.crt', // Fedora, RHEL, CentOS
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem', // RHEL 7+
  '/etc/ssl/ca-bundle.pem', // openSUSE
  '/etc/ssl/cert.pem', // macOS, OpenBSD, Alpine
];

/** Records from PEM texts, each certificate once (by fingerprint). */
function fromPems(pems: readonly string[], label: string, seen: Set<string>): CertRecord[] {
  const out: CertRecord[] = [];
  for (const pem of pems) {
    try {
      for (const c of readCertificates(Buffer.from(pem), { file: label, format: 'pem' }).certificates) {
        if (seen.has(c.record.sha256)) continue;
        seen.add(c.record.sha256);
        out.push(c.record);
      }
    } catch {
      // a store entry that does not parse is not an anchor
    }
  }
  return out;
}

/** Anchors named by their subject and where they came from: "My Root (--ca ca.pem)". */
function anchorsOf(records: CertRecord[], from: string): TrustAnchor[] {
  return records.map((r) => ({ id: `${r.subject.CN ?? r.subject.dn} (${from})`, record: r }));
}

/** node ≥ 22.15 / 23.5 reads the OS store itself; older node (20) has no such call. */
function nodeSystemStore(): string[] | null {
  const get = (tls as unknown as { getCACertificates?: (type: string) => string[] }).getCACertificates;
  if (typeof get !== 'function') return null;
  try {
    const pems = get('system');
    return pems.length ? pems : null;
  } catch {
    return null;
  }
}

/** The OS store: node's own reading of it when node can, else the first CA bundle file found. */
async function systemStore(
  env: NodeJS.ProcessEnv,
  seen: Set<string>,
): Promise<{ source: AnchorSource; anchors: TrustAnchor[] } | null> {
  const fromNode = nodeSystemStore();
  if (fromNode) {
    const records = fromPems(fromNode, 'system store', seen);
    if (records.length)
      return {
        source: { kind: 'system', from: "tls.getCACertificates('system')", certificates: records.length },
        anchors: anchorsOf(records, 'system store'),
      };
  }
  const candidates = [...(env.SSL_CERT_FILE ? [env.SSL_CERT_FILE] : []), ...SYSTEM_BUNDLES];
  for (const file of candidates) {
    if (!existsSync(file)) continue;
    try {
      const bytes = await readCertificateFile(file, { timeoutMs: 10_000 });
      const records = readCertificates(bytes, { file, format: 'pem' })
        .certificates.map((c) => c.record)
        .filter((r) => !seen.has(r.sha256) && seen.add(r.sha256));
      if (records.length)
        return {
          source: { kind: 'system', from: file, certificates: records.length },
          anchors: anchorsOf(records, 'system store'),
        };
    } catch {
      // an unreadable bundle: try the next place
    }
  }
  return null;
}

/** A --ca file's certificates (PEM, DER, PKCS#12 with --password, JKS); a ConfigError when unreadable. */
async function caFile(
  file: string,
  shown: string,
  password: string | undefined,
  timeoutMs: number,
): Promise<CertRecord[]> {
  try {
    const bytes = await readCertificateFile(file, { timeoutMs });
    const res = readCertificates(bytes, { file, password, privateKeys: 'skip' });
    if (!res.certificates.length) throw new ConfigError(`--ca ${shown}: holds no certificate`);
    return res.certificates.map((c) => c.record);
  } catch (err) {
    if (err instanceof ParseError || err instanceof FileRefusedError)
      throw new ConfigError(`--ca ${shown}: ${safeText(err.message.replace(`${file}: `, ''))}`);
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new ConfigError(`--ca ${shown}: no such file`);
    throw err;
  }
}

/** The anchors for `trust` plus the --ca files (absolute paths with the text the user gave). */
export async function inspectAnchors(opts: {
  trust: TrustStoreName;
  caFiles: { file: string; shown: string }[];
  password?: string;
  timeoutMs: number;
  env: NodeJS.ProcessEnv;
}): Promise<InspectAnchors> {
  const seen = new Set<string>();
  const out: InspectAnchors = {
    requested: opts.trust,
    used: opts.trust,
    sources: [],
    anchors: [],
    notes: [],
  };
  // --ca first: a private root given on purpose keeps its own name when a store holds it too.
  for (const ca of opts.caFiles) {
    const records = (await caFile(ca.file, ca.shown, opts.password, opts.timeoutMs)).filter(
      (r) => !seen.has(r.sha256) && seen.add(r.sha256),
    );
    out.sources.push({ kind: 'ca', from: ca.shown, certificates: records.length });
    out.anchors.push(...anchorsOf(records, `--ca ${ca.shown}`));
  }
  let store = opts.trust;
  if (store === 'system') {
    const system = await systemStore(opts.env, seen);
    if (system) {
      out.sources.push(system.source);
      out.anchors.push(...system.anchors);
    } else {
      out.notes.push("no system CA store found on this machine; using node's bundled roots");
      store = 'bundled';
    }
  }
  if (store === 'bundled') {
    const records = fromPems(tls.rootCertificates, "node's bundled roots", seen);
    out.sources.push({ kind: 'bundled', from: 'tls.rootCertificates', certificates: records.length });
    out.anchors.push(...anchorsOf(records, "node's bundled roots"));
  }
  out.used = store;
  return out;
}
