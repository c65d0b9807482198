// File edits proposed in pull requests. Pure functions text -> text; comments and formatting are kept
// (the pin is replaced in place at its source range; manifests go through the yaml Document API).
import { createHash } from 'node:crypto';
import { isMap, isScalar, isSeq, parseAllDocuments, parseDocument, Scalar } from 'yaml';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** Sets `expect.sha256` of target `targetId` in an inventory file. Null when the target is not there. */
export function editPin(text: string, targetId: string, sha256: string): string | null {
  const doc = parseDocument(text, { keepSourceTokens: true });
  if (doc.errors.length) return null;
  const targets = doc.get('targets', true);
  if (!isSeq(targets)) return null;
  const index = targets.items.findIndex((t) => isMap(t) && t.get('id') === targetId);
  if (index < 0) return null;
  const existing = doc.getIn(['targets', index, 'expect', 'sha256'], true);
  if (isScalar(existing) && existing.range) {
    if (String(existing.value).replace(/[:\s]/g, '').toLowerCase() === sha256) return text;
    const [start, end] = existing.range;
    const quote =
      existing.type === 'QUOTE_SINGLE' ? "'" : existing.type === 'PLAIN' && !/^\d+$/.test(sha256) ? '' : '"';
    return `${text.slice(0, start)}${quote}${sha256}${quote}${text.slice(end)}`;
  }
  // No pin yet: add one. The Document API keeps comments; the new key is appended to `expect`.
  doc.setIn(['targets', index, 'expect', 'sha256'], new Scalar(sha256));
  return doc.toString();
}

export interface PemBlock {
  text: string;
  sha256: string;
}

/** The certificate blocks of a PEM text, with the SHA-256 of each DER. */
export function pemBlocks(pem: string): PemBlock[] {
  return [...pem.matchAll(PEM_BLOCK)].map((m) => {
    const b64 = m[0].replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
    return { text: m[0], sha256: createHash('sha256').update(Buffer.from(b64, 'base64')).digest('hex') };
  });
}

/** PEM text for a base64 DER certificate. */
export function derToPem(derBase64: string): string {
  const lines = derBase64.replace(/\s+/g, '').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

export interface BundleChange {
  /** PEM certificates to add (base64 DER), skipped when already present. */
  add: { sha256: string; der: string }[];
  /** Fingerprints of certificates to drop. */
  remove: string[];
}

/** Adds and removes certificates in a PEM text, leaving everything else as it was. */
export function editPem(pem: string, change: BundleChange): string {
  let out = pem;
  const drop = new Set(change.remove);
  for (const block of pemBlocks(pem)) {
    if (!drop.has(block.sha256)) continue;
    out = out.replace(new RegExp(`${escapeRe(block.text)}\\r?\\n?`), '');
  }
  const present = new Set(pemBlocks(out).map((b) => b.sha256));
  for (const a of change.add) {
    if (present.has(a.sha256)) continue;
    if (out.length && !out.endsWith('\n')) out += '\n';
    out += derToPem(a.der);
    present.add(a.sha256);
  }
  return out;
}

/**
 * Edits a bundle file: a PEM file, or a ConfigMap/Secret manifest holding the PEM under `key`
 * (`data` in a ConfigMap, base64 `data` or `stringData` in a Secret). Null when the key is not found.
 */
export function editBundleFile(text: string, key: string | undefined, change: BundleChange): string | null {
  const isManifest = /^(apiVersion|kind)\s*:/m.test(text) && !text.trimStart().startsWith('-----BEGIN');
  if (!isManifest) return editPem(text, change);
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) return null;
  const k = key ?? 'ca.crt';
  for (const [docIndex, doc] of docs.entries()) {
    const kind = doc.get('kind');
    if (kind !== 'ConfigMap' && kind !== 'Secret') continue;
    for (const field of ['data', 'stringData']) {
      const node = doc.getIn([field, k], true);
      if (!isScalar(node)) continue;
      const base64 = kind === 'Secret' && field === 'data';
      const before = base64 ? Buffer.from(String(node.value), 'base64').toString('utf8') : String(node.value);
      const after = editPem(before, change);
      if (after === before) return text;
      const value = base64 ? Buffer.from(after, 'utf8').toString('base64') : after;
      const inPlace = replaceScalar(text, node, value);
      if (inPlace !== null && readBack(inPlace, docIndex, [field, k]) === value) return inPlace;
      // Unusual layout: let the Document API write it (comments are kept, spacing may change).
      node.value = value;
      return docs.length === 1 ? doc.toString() : docs.map((d) => d.toString()).join('');
    }
  }
  return null;
}

/** Rewrites one scalar at its source range so every other byte of the file stays as it was. */
function replaceScalar(text: string, node: Scalar, value: string): string | null {
  if (!node.range) return null;
  const [start, end] = node.range;
  const src = text.slice(start, end);
  if (node.type === 'BLOCK_LITERAL') {
    const nl = src.indexOf('\n');
    const indent = /\n( +)\S/.exec(src)?.[1];
    if (nl < 0 || !indent) return null;
    const header = src.slice(0, nl);
    const keep = header.includes('+') ? value : value.replace(/\n+$/, '\n');
    const lines = keep
      .replace(/\n$/, '')
      .split('\n')
      .map((l) => (l ? `${indent}${l}` : ''));
    return `${text.slice(0, start)}${header}\n${lines.join('\n')}\n${text.slice(end)}`;
  }
  if (node.type === 'PLAIN' && /^[A-Za-z0-9+/=]*$/.test(value))
    return `${text.slice(0, start)}${value}${text.slice(end)}`;
  return null;
}

function readBack(text: string, docIndex: number, path: string[]): unknown {
  const docs = parseAllDocuments(text);
  return Array.isArray(docs) ? docs[docIndex]?.getIn(path) : undefined;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
