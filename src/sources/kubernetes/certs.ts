// Certificates out of Kubernetes values (base64 as the API returns them): PEM bundles, DER, and
// keystores through the certificates module. Parsed records are cached by value, because clusters
// repeat the same bundle in many objects (kube-root-ca.crt in every namespace, one CA in many Secrets).
import { ParseError } from '../../core/errors.js';
import type { CertRecord, ObservedCert } from '../../core/model.js';
import { parseCertificate } from '../../x509/parse.js';
import { pemBlocks } from '../../x509/pem.js';
import { readCertificates, readCertificatesAsync } from '../../x509/read.js';
import { der as derHelpers } from './der-helpers.js';

const CACHE_MAX = 512;
const cache = new Map<string, CertRecord[]>();

function remember(key: string, recs: CertRecord[]): CertRecord[] {
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
  cache.set(key, recs);
  return recs;
}

/** Certificates of a PEM (one or more CERTIFICATE blocks) or DER value, origins `<name>[i]`. */
export function readCertValue(b64: string, name: string): ObservedCert[] {
  let recs = cache.get(b64);
  if (recs) {
    cache.delete(b64);
    cache.set(b64, recs); // LRU: most recently used last
  } else {
    const bytes = Buffer.from(b64, 'base64');
    if (bytes.length === 0) return [];
    const text = bytes.toString('latin1');
    if (text.includes('-----BEGIN ')) {
      const blocks = pemBlocks(text, name).filter((b) => /^(TRUSTED |X509 )?CERTIFICATE$/.test(b.label));
      recs = blocks.map((b, i) => parseCertificate(b.der, `${name}[${i}]`));
    } else if (derHelpers.looksLikeCertificate(bytes)) {
      recs = [parseCertificate(bytes, `${name}[0]`)];
    } else {
      throw new ParseError('unsupported', name, 'neither PEM certificates nor a DER certificate');
    }
    remember(b64, recs);
  }
  return recs.map((record, i) => ({ origin: `${name}[${i}]`, record }));
}

/**
 * Certificates of a PKCS#12 or JKS keystore value (key entries are skipped by the reader, never
 * read). With a `signal` (the source's deadline), a PKCS#12 key derivation stops when it aborts.
 */
export async function readKeystoreValue(
  b64: string,
  name: string,
  format: 'pkcs12' | 'jks' | undefined,
  password: string | undefined,
  warnings: string[] = [],
  signal?: AbortSignal,
): Promise<ObservedCert[]> {
  const opts = {
    file: name,
    format: format ?? 'auto',
    ...(password !== undefined ? { password } : {}),
  } as const;
  const bytes = Buffer.from(b64, 'base64');
  const result = signal
    ? await readCertificatesAsync(bytes, { ...opts, signal })
    : readCertificates(bytes, opts);
  warnings.push(...result.warnings.map((w) => `${name}: ${w}`));
  return result.certificates.map((c) => ({
    origin: c.origin.startsWith(name) ? c.origin : `${name}:${c.origin}`,
    record: c.record,
  }));
}

/** Guesses a keystore format from its first bytes: JKS magic, else PKCS#12. */
export function keystoreFormat(b64: string): 'pkcs12' | 'jks' {
  const b = Buffer.from(b64.slice(0, 8), 'base64');
  return b[0] === 0xfe && b[1] === 0xed && b[2] === 0xfe && b[3] === 0xed ? 'jks' : 'pkcs12';
}
