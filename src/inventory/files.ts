// Reading the files an inventory references: anchors (one CA certificate each) and trust bundles
// (a PEM file, or a ConfigMap/Secret manifest). Private keys are refused and never echoed.
import { basename } from 'node:path';
import type { ObservedCert } from '../core/model.js';
import { ParseError } from '../core/errors.js';
import {
  FileRefusedError,
  containsPrivateKey,
  readCertificateFileSync,
  readCertificates,
} from '../x509/read.js';
import { safeText } from '../core/text.js';
import { actsAsCA } from '../x509/role.js';
import { parseYaml, type PathSegment } from './yaml-source.js';

/** A problem with a referenced file; the caller places it on the inventory line that names the file. */
export class ReferencedFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReferencedFileError';
  }
}

export const PRIVATE_KEY_REFUSAL =
  'certwarden never reads private keys: remove the key from the file (its content is not shown)';

/**
 * Reads a file, turning I/O errors into a ReferencedFileError that names the path as written. A FIFO,
 * device or socket is refused from its stat (never opened, so validate cannot hang), and so is a file
 * over MAX_CERTIFICATE_FILE_BYTES.
 */
export function readReferenced(abs: string, shown: string): Buffer {
  try {
    return readCertificateFileSync(abs);
  } catch (err) {
    if (err instanceof FileRefusedError) {
      if (err.fileKind === 'a folder')
        throw new ReferencedFileError(`'${shown}' is a folder, expected a file`);
      throw new ReferencedFileError(`cannot read '${shown}': ${err.message}`);
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new ReferencedFileError(
        `file '${shown}' does not exist (paths are relative to the inventory file's folder)`,
      );
    if (code === 'EISDIR') throw new ReferencedFileError(`'${shown}' is a folder, expected a file`);
    if (code === 'EACCES' || code === 'EPERM')
      throw new ReferencedFileError(`cannot read '${shown}': permission denied`);
    throw new ReferencedFileError(`cannot read '${shown}': ${code ?? 'I/O error'}`);
  }
}

/** The reason of a ParseError without its `file: ` prefix (we name the file ourselves). */
function parseReason(err: ParseError): string {
  const prefix = `${err.file}: `;
  return safeText(err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message);
}

/** Parses certificates from bytes; private keys and parse failures become ReferencedFileErrors. */
function certificatesFrom(bytes: Buffer, abs: string, shown: string, what: string): ObservedCert[] {
  if (containsPrivateKey(bytes))
    throw new ReferencedFileError(`${what} '${shown}' contains a private key; ${PRIVATE_KEY_REFUSAL}`);
  try {
    return readCertificates(bytes, { file: abs, format: 'auto' }).certificates;
  } catch (err) {
    if (err instanceof ParseError) {
      if (err.kind === 'private-key')
        throw new ReferencedFileError(`${what} '${shown}' contains a private key; ${PRIVATE_KEY_REFUSAL}`);
      throw new ReferencedFileError(
        `${what} '${shown}' is not a readable certificate file: ${parseReason(err)}`,
      );
    }
    throw err;
  }
}

/** The one CA certificate of an anchor file. */
export function readAnchorCertificate(abs: string, shown: string): ObservedCert {
  const certs = certificatesFrom(readReferenced(abs, shown), abs, shown, 'anchor file');
  if (certs.length === 0) throw new ReferencedFileError(`anchor file '${shown}' holds no certificate`);
  if (certs.length > 1) {
    throw new ReferencedFileError(
      `anchor file '${shown}' holds ${certs.length} certificates; an anchor is one CA certificate (declare one anchor per certificate)`,
    );
  }
  const rec = certs[0].record;
  // Anchors are inputs (RFC 5280 6.1.1): an X.509 v1 self-signed root, which has no extensions and
  // so no CA flag, is a root all the same.
  if (!actsAsCA(rec)) {
    throw new ReferencedFileError(
      `anchor file '${shown}' is not a CA certificate (basicConstraints cA is not true; subject ${safeText(rec.subject.dn)}); anchors are roots or intermediates`,
    );
  }
  return certs[0];
}

const MANIFEST_EXT = /\.(ya?ml|json)$/i;

/** Certificates of a bundle file: PEM/DER, or the `key` of a ConfigMap/Secret manifest. */
export function readBundleCertificates(abs: string, shown: string, key: string | undefined): ObservedCert[] {
  const bytes = readReferenced(abs, shown);
  const text = bytes.toString('utf8');
  const looksManifest =
    MANIFEST_EXT.test(abs) || (!text.includes('-----BEGIN') && /^\s*(apiVersion|kind)\s*:/m.test(text));
  if (!looksManifest) return certificatesFrom(bytes, abs, shown, 'bundle file');

  if (containsPrivateKey(bytes))
    throw new ReferencedFileError(
      `bundle manifest '${shown}' contains a private key; ${PRIVATE_KEY_REFUSAL}`,
    );
  const parsed = parseYaml(text, shown);
  if (parsed.problems.length) {
    const p = parsed.problems[0];
    throw new ReferencedFileError(
      `bundle manifest '${shown}' is not valid YAML (line ${p.location?.line}: ${p.message})`,
    );
  }
  const objects = parsed.docs
    .map((d) => d.data as Record<string, any>)
    .filter((o) => o && typeof o === 'object' && (o.kind === 'ConfigMap' || o.kind === 'Secret'));
  if (objects.length === 0)
    throw new ReferencedFileError(`bundle manifest '${shown}' holds no ConfigMap or Secret`);

  // Every value is checked for keys, not only the one we read: a committed Secret with tls.key is a leak.
  for (const o of objects) {
    for (const [field, base64] of [
      ['data', o.kind === 'Secret'],
      ['stringData', false],
      ['binaryData', true],
    ] as const) {
      const map = o[field];
      if (!map || typeof map !== 'object') continue;
      for (const [k, v] of Object.entries(map)) {
        if (typeof v !== 'string') continue;
        const raw = base64 ? Buffer.from(v, 'base64') : Buffer.from(v, 'utf8');
        if (containsPrivateKey(raw)) {
          throw new ReferencedFileError(
            `bundle manifest '${shown}' holds a private key (${o.kind} ${field} key '${safeText(k)}'); ${PRIVATE_KEY_REFUSAL}`,
          );
        }
      }
    }
  }

  const wanted = key ?? 'ca.crt';
  for (const o of objects) {
    const value = valueOf(o, wanted);
    if (value === null) continue;
    const name = `${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name ?? basename(abs)}`;
    return certificatesFrom(
      value,
      `${abs}#${wanted}`,
      `${shown} (${o.kind} ${safeText(String(name))} key ${wanted})`,
      'bundle',
    );
  }
  const keys = objects.flatMap((o) =>
    ['data', 'stringData', 'binaryData'].flatMap((f) => Object.keys(o[f] ?? {})),
  );
  throw new ReferencedFileError(
    `bundle manifest '${shown}' has no key '${safeText(wanted)}'${keys.length ? ` (keys: ${keys.map(safeText).join(', ')})` : ''}${key ? '' : '; set `key`'}`,
  );
}

function valueOf(o: Record<string, any>, key: string): Buffer | null {
  const pick = (field: string): unknown =>
    o[field] && typeof o[field] === 'object' ? o[field][key] : undefined;
  if (o.kind === 'Secret') {
    const s = pick('stringData');
    if (typeof s === 'string') return Buffer.from(s, 'utf8');
    const d = pick('data');
    if (typeof d === 'string') return Buffer.from(d, 'base64');
  } else {
    const d = pick('data');
    if (typeof d === 'string') return Buffer.from(d, 'utf8');
    const b = pick('binaryData');
    if (typeof b === 'string') return Buffer.from(b, 'base64');
  }
  return null;
}

const BASE64ISH = /^[A-Za-z0-9+/=\s]{64,}$/;

/** The path of the first string value that is a base64-encoded private key (Secret data, kubeconfig *-data). */
export function findEncodedKey(v: unknown, path: PathSegment[] = []): PathSegment[] | null {
  if (typeof v === 'string') {
    if (BASE64ISH.test(v) && containsPrivateKey(Buffer.from(v.replace(/\s+/g, ''), 'base64'))) return path;
    return null;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const hit = findEncodedKey(v[i], [...path, i]);
      if (hit) return hit;
    }
    return null;
  }
  if (v && typeof v === 'object') {
    for (const [k, val] of Object.entries(v)) {
      const hit = findEncodedKey(val, [...path, k]);
      if (hit) return hit;
    }
  }
  return null;
}

/** A private key in the bytes, as PEM/DER/keystore, or base64-encoded inside YAML (a kubeconfig, a Secret). */
export function holdsPrivateKey(bytes: Buffer): boolean {
  if (containsPrivateKey(bytes)) return true;
  if (bytes.length > 4 * 1024 * 1024 || bytes.includes(0)) return false;
  const parsed = parseYaml(bytes.toString('utf8'), 'file');
  return parsed.docs.some((d) => findEncodedKey(d.data) !== null);
}
