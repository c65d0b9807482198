// Certificate files in every shape people keep them: PEM bundles (with text around), DER,
// PKCS#7 certs-only, PKCS#12 and Java keystores. Private keys are refused outright in PEM/DER files
// (their bytes never reach a message); in keystores key entries are skipped and counted.
import { basename } from 'node:path';
import type { ObservedCert } from '../core/model.js';
import { ParseError } from '../core/errors.js';
import { FILE_KINDS, safeRead, safeReadSync } from '../core/safe-read.js';
import { TAG, children, expectTlv, isContext, oidAt, readTlv, smallInteger } from './der.js';
import { parseCertificate } from './parse.js';
import { PRIVATE_KEY_LABEL, hasPrivateKeyMarker, pemBlocks, type PemBlock } from './pem.js';
import {
  looksLikePkcs12,
  pkcs12HasKey,
  readPkcs12,
  readPkcs12Async,
  type StoreContents,
} from './stores/pkcs12.js';
import { jksHasKey, looksLikeJks, readJks } from './stores/jks.js';

export { pemBlocks } from './pem.js';

export type CertFormat = 'pem' | 'der' | 'pkcs12' | 'jks';

export interface ReadOptions {
  /** Path or name used in origins and errors. */
  file: string;
  format?: 'auto' | CertFormat;
  /** Keystore password (PKCS#12, JKS); never echoed anywhere. */
  password?: string;
  /**
   * PEM private key blocks: 'refuse' (default) makes the whole file a ParseError('private-key');
   * 'skip' reads only the certificate blocks, leaves key blocks undecoded and says so in a warning
   * (a node's kubelet-client-current.pem, an haproxy PEM). A DER key, or a PEM file with no
   * certificate besides its key, is refused either way.
   */
  privateKeys?: 'refuse' | 'skip';
}

/** What a file held: its certificates (with origins), the format found, and non-fatal notes. */
export interface ReadResult {
  certificates: ObservedCert[];
  format: CertFormat;
  warnings: string[];
}

const PRIVATE_KEY_MESSAGE = 'contains a private key (refused; its contents are not shown)';
const ONLY_KEY_MESSAGE = 'holds a private key and no certificate (refused; its contents are not shown)';
const CERT_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);
const PKCS7_LABELS = new Set(['PKCS7', 'PKCS #7 SIGNED DATA', 'CMS']);

/**
 * Reads every certificate in `bytes`. Throws ParseError: 'private-key' for any private key in a
 * PEM/DER file, 'password' for a wrong keystore password, 'x509'/'pem'/'der'/… for unreadable input.
 */
export function readCertificates(bytes: Uint8Array, opts: ReadOptions): ReadResult {
  const file = opts.file;
  const format = formatOf(bytes, opts);
  const name = basename(file);
  switch (format) {
    case 'pem':
      return readPem(bytes, file, name, opts.privateKeys === 'skip');
    case 'der':
      return readDer(bytes, file, name);
    case 'pkcs12':
      checkPkcs12(bytes, file);
      return fromStore(readPkcs12(bytes, file, opts.password), 'pkcs12', file, name);
    case 'jks':
      // keytool writes PKCS#12 by default since JDK 9, whatever the file is called.
      if (!looksLikeJks(bytes) && looksLikePkcs12(bytes))
        throw new ParseError(
          'jks',
          file,
          'this is a PKCS#12 keystore, not JKS (keytool writes PKCS#12 since JDK 9): use format: pkcs12',
        );
      return fromStore(readJks(bytes, file, opts.password), 'jks', file, name);
    default:
      throw new ParseError(
        'unsupported',
        file,
        `unknown format "${String(format)}" (expected auto, pem, der, pkcs12 or jks)`,
      );
  }
}

/**
 * readCertificates for sources with a deadline: a PKCS#12 file's key derivations give the event
 * loop its turns and stop when `signal` aborts, rejecting with its DeadlineError (other formats
 * need no derivation and are read as readCertificates reads them).
 */
export async function readCertificatesAsync(
  bytes: Uint8Array,
  opts: ReadOptions & { signal: AbortSignal },
): Promise<ReadResult> {
  if (formatOf(bytes, opts) !== 'pkcs12') return readCertificates(bytes, opts);
  checkPkcs12(bytes, opts.file);
  const store = await readPkcs12Async(bytes, opts.file, opts.password, opts.signal);
  return fromStore(store, 'pkcs12', opts.file, basename(opts.file));
}

function formatOf(bytes: Uint8Array, opts: ReadOptions): CertFormat {
  if (bytes.length === 0) throw new ParseError('empty', opts.file, 'file is empty');
  return opts.format && opts.format !== 'auto' ? opts.format : detectFormat(bytes, opts.file);
}

function checkPkcs12(bytes: Uint8Array, file: string): void {
  if (looksLikeJks(bytes))
    throw new ParseError('pkcs12', file, 'this is a Java keystore (JKS), not PKCS#12: use format: jks');
  if (!looksLikePkcs12(bytes))
    throw new ParseError('pkcs12', file, 'not a PKCS#12 file (expected a PFX SEQUENCE with version 3)');
}

function isText(bytes: Uint8Array): boolean {
  // "-----BEGIN" anywhere in the first 64 KiB, or the whole thing decodes as text.
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 65536)).toString('latin1');
  return head.includes('-----BEGIN ') || head.includes('PuTTY-User-Key-File-');
}

function spansOneElement(bytes: Uint8Array): boolean {
  try {
    return readTlv(bytes, 0, bytes.length).end === bytes.length;
  } catch {
    return false;
  }
}

/** Guesses the format from content: JKS magic, PEM armour, PKCS#12 shape, else DER. */
export function detectFormat(bytes: Uint8Array, file: string): CertFormat {
  if (looksLikeJks(bytes)) return 'jks';
  if (bytes[0] === 0x30) {
    if (looksLikePkcs12(bytes)) return 'pkcs12';
    // Exactly one DER element is DER even if some field happens to contain "-----BEGIN ".
    if (spansOneElement(bytes) || !isText(bytes)) return 'der';
  }
  if (isText(bytes)) return 'pem';
  const text = Buffer.from(bytes.subarray(0, 4096)).toString('latin1');
  if (/^(ssh-|ecdsa-sha2-)/.test(text))
    throw new ParseError('unsupported', file, 'an SSH public key, not an X.509 certificate');
  if (hasPrivateKeyMarker(text)) throw new ParseError('private-key', file, PRIVATE_KEY_MESSAGE);
  throw new ParseError('der', file, 'not a certificate file (expected PEM, DER, PKCS#12 or JKS)');
}

function certError(e: unknown, file: string, where: string): never {
  if (e instanceof ParseError) {
    const msg = e.message.startsWith(`${e.file}: `) ? e.message.slice(e.file.length + 2) : e.message;
    throw new ParseError(e.kind, file, `${where}: ${msg}`);
  }
  throw e;
}

function readPem(bytes: Uint8Array, file: string, name: string, skipKeys: boolean): ReadResult {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  // Refuse before decoding anything, so no key byte is ever held in a value that could be printed.
  const keyMarker = hasPrivateKeyMarker(text);
  if (keyMarker && !skipKeys) throw new ParseError('private-key', file, PRIVATE_KEY_MESSAGE);
  const blocks = pemBlocks(text, file);
  if (blocks.length === 0) {
    if (keyMarker) throw new ParseError('private-key', file, ONLY_KEY_MESSAGE);
    throw new ParseError('pem', file, 'no PEM block found (expected -----BEGIN CERTIFICATE-----)');
  }
  const out: ReadResult = { certificates: [], format: 'pem', warnings: [] };
  let skippedKeys = 0;
  /** A key block: refused, or (skip) counted and noted by label and line only, never its body. */
  const keyBlock = (blk: PemBlock): void => {
    if (!skipKeys) throw new ParseError('private-key', file, PRIVATE_KEY_MESSAGE);
    skippedKeys++;
    out.warnings.push(
      `skipped a private key block ("${safeLabel(blk.label)}") at line ${blk.line} unread; only certificates are read`,
    );
  };
  for (const blk of blocks) {
    if (PRIVATE_KEY_LABEL.test(blk.label)) {
      keyBlock(blk);
      continue;
    }
    if (CERT_LABELS.has(blk.label)) {
      const origin = `${name}[${out.certificates.length}]`;
      let record;
      try {
        record = parseCertificate(blk.der, origin);
      } catch (e) {
        if (looksLikePrivateKeyDer(blk.der)) {
          keyBlock(blk);
          continue;
        }
        certError(e, file, `line ${blk.line} (${origin})`);
      }
      out.certificates.push({ origin, record });
    } else if (PKCS7_LABELS.has(blk.label)) {
      for (const der of pkcs7Certificates(blk.der, file, `line ${blk.line}`)) {
        const origin = `${name}[${out.certificates.length}]`;
        try {
          out.certificates.push({ origin, record: parseCertificate(der, origin) });
        } catch (e) {
          certError(e, file, `line ${blk.line} (${origin})`);
        }
      }
    } else if (looksLikePrivateKeyDer(blk.der)) {
      keyBlock(blk);
    } else {
      out.warnings.push(`skipped a "${safeLabel(blk.label)}" block at line ${blk.line} (not a certificate)`);
    }
  }
  // A key with nothing else is not a certificate file, whatever the mode.
  if ((skippedKeys > 0 || keyMarker) && out.certificates.length === 0)
    throw new ParseError('private-key', file, ONLY_KEY_MESSAGE);
  return out;
}

function safeLabel(label: string): string {
  return label.replace(/[^\x20-\x7e]/g, '?');
}

function readDer(bytes: Uint8Array, file: string, name: string): ReadResult {
  if (looksLikePrivateKeyDer(bytes)) throw new ParseError('private-key', file, PRIVATE_KEY_MESSAGE);
  const out: ReadResult = { certificates: [], format: 'der', warnings: [] };
  const p7 = pkcs7Certificates(bytes, file, 'PKCS#7', true);
  const ders: Uint8Array[] = [];
  if (p7.length) ders.push(...p7);
  else {
    // One certificate, or several DER certificates concatenated (some tools write that).
    let p = 0;
    while (p < bytes.length) {
      let end: number;
      try {
        end = readTlv(bytes, p, bytes.length).end;
      } catch (e) {
        if (p === 0) throw new ParseError('der', file, `not DER (${(e as Error).message})`);
        out.warnings.push(`ignored ${bytes.length - p} trailing bytes after certificate ${ders.length}`);
        break;
      }
      ders.push(bytes.subarray(p, end));
      p = end;
    }
  }
  for (const der of ders) {
    const origin = `${name}[${out.certificates.length}]`;
    try {
      out.certificates.push({ origin, record: parseCertificate(der, origin) });
    } catch (e) {
      certError(e, file, origin);
    }
  }
  return out;
}

function fromStore(s: StoreContents, format: 'pkcs12' | 'jks', file: string, name: string): ReadResult {
  const out: ReadResult = { certificates: [], format, warnings: s.warnings };
  for (const c of s.certs) {
    const origin =
      c.alias !== null ? `alias:${stripControls(c.alias)}` : `${name}[${out.certificates.length}]`;
    try {
      out.certificates.push({ origin, record: parseCertificate(c.der, origin) });
    } catch (e) {
      certError(e, file, origin);
    }
  }
  return out;
}

/** Aliases are hostile strings too: control characters become '?' so an origin stays one line. */
function stripControls(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    out += c < 0x20 || c === 0x7f ? '?' : ch;
  }
  return out;
}

/**
 * Certificates of a PKCS#7/CMS SignedData ("certs-only" .p7b). Returns [] when `b` is not one and
 * `quiet` is set; otherwise malformed input is a ParseError.
 */
function pkcs7Certificates(b: Uint8Array, file: string, where: string, quiet = false): Uint8Array[] {
  try {
    const ci = expectTlv(b, 0, b.length, TAG.SEQUENCE, 'ContentInfo');
    const oidT = expectTlv(b, ci.body, ci.end, TAG.OID, 'contentType');
    if (oidAt(b, oidT) !== '1.2.840.113549.1.7.2') {
      if (quiet) return [];
      throw new Error('not SignedData');
    }
    const explicit = readTlv(b, oidT.end, ci.end);
    const sd = expectTlv(b, explicit.body, explicit.end, TAG.SEQUENCE, 'SignedData');
    const out: Uint8Array[] = [];
    for (const c of children(b, sd)) {
      if (isContext(c, 0) && c.tag === 0xa0) {
        for (const cert of children(b, c))
          if (cert.tag === TAG.SEQUENCE) out.push(b.subarray(cert.start, cert.end));
      }
    }
    return out;
  } catch (e) {
    if (quiet) return [];
    throw new ParseError('der', file, `${where}: unreadable PKCS#7 SignedData (${(e as Error).message})`);
  }
}

/**
 * True for a bare private key in DER: PKCS#8 PrivateKeyInfo/OneAsymmetricKey, EncryptedPrivateKeyInfo,
 * PKCS#1 RSAPrivateKey, SEC1 ECPrivateKey, or an OpenSSL DSA private key.
 */
export function looksLikePrivateKeyDer(b: Uint8Array): boolean {
  if (b.length < 8 || b[0] !== TAG.SEQUENCE) return false;
  try {
    const top = readTlv(b, 0, b.length);
    const c = children(b, top);
    if (c.length < 2) return false;
    const [a, s] = c as [typeof top, typeof top];
    const v = a.tag === TAG.INTEGER ? smallInteger(b, a) : null;
    // PKCS#8: INTEGER 0|1, AlgorithmIdentifier, OCTET STRING privateKey …
    if ((v === 0 || v === 1) && s.tag === TAG.SEQUENCE && c[2]?.tag === TAG.OCTET_STRING) return true;
    // EncryptedPrivateKeyInfo: AlgorithmIdentifier, OCTET STRING (exactly two elements).
    if (c.length === 2 && a.tag === TAG.SEQUENCE && s.tag === TAG.OCTET_STRING && b[a.body] === TAG.OID)
      return true;
    // SEC1 ECPrivateKey: INTEGER 1, OCTET STRING, [0] params?, [1] publicKey?
    if (v === 1 && s.tag === TAG.OCTET_STRING) return true;
    // PKCS#1 RSAPrivateKey (9+ INTEGERs) or DSA (6 INTEGERs), version 0.
    if (v === 0 && c.length >= 6 && c.every((x) => x.tag === TAG.INTEGER)) return true;
  } catch {
    return false;
  }
  return false;
}

/**
 * Fast check for any private key in a file: PEM/OpenSSH/PuTTY markers, a bare DER key, a key bag in
 * the clear part of a PKCS#12 file, or a key entry in a JKS/JCEKS store. Reads no key material.
 */
export function containsPrivateKey(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  if (looksLikeJks(bytes)) return jksHasKey(bytes);
  if (bytes[0] === 0x30) {
    if (looksLikePrivateKeyDer(bytes)) return true;
    return looksLikePkcs12(bytes) && pkcs12HasKey(bytes);
  }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  if (hasPrivateKeyMarker(text)) return true;
  if (!text.includes('-----BEGIN ')) return false;
  try {
    // A key under an unexpected label (e.g. "-----BEGIN KEY-----") is still a key.
    return pemBlocks(text).some((blk) => looksLikePrivateKeyDer(blk.der));
  } catch {
    return false;
  }
}

// ---- Reading certificate files from disk, safely (core/safe-read.ts) ----------------------------

export { FileRefusedError } from '../core/safe-read.js';

/**
 * Largest certificate file certwarden reads (16 MiB). Real certificate stores are far smaller (the
 * Mozilla bundle is ~220 KiB); anything bigger is a mistake (a disk image, /dev/zero through a
 * symlink, a log) and is refused instead of filling memory.
 */
export const MAX_CERTIFICATE_FILE_BYTES = FILE_KINDS.certificate.maxBytes;

/**
 * Reads a certificate file synchronously: stat first (a FIFO or device is refused before it is
 * opened, so nothing blocks), then at most `max` bytes (a file that grows past the cap is refused).
 * I/O errors (ENOENT, EACCES …) are thrown as they come; refusals are FileRefusedErrors.
 */
export function readCertificateFileSync(path: string, max = MAX_CERTIFICATE_FILE_BYTES): Buffer {
  return safeReadSync(path, { kind: 'certificate', maxBytes: max });
}

export interface ReadFileOptions {
  /** Hard deadline for stat + open + read, ms. */
  timeoutMs: number;
  /** Aborts the read (the run is cancelled). */
  signal?: AbortSignal;
  /** Size cap, default MAX_CERTIFICATE_FILE_BYTES. */
  maxBytes?: number;
}

/**
 * Reads a certificate file with the same protections as readCertificateFileSync, bounded by a
 * deadline: settles exactly once, with the bytes or an error, by `timeoutMs` at the latest.
 */
export function readCertificateFile(path: string, opts: ReadFileOptions): Promise<Buffer> {
  return safeRead(path, { kind: 'certificate', ...opts });
}
