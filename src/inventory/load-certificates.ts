// Inventory loading, phase 4 (certificates): anchors are read (one CA certificate each, matching
// its pin when one is given) and bundles checked to be readable and to hold certificates only.
import { resolve } from 'node:path';
import type { ObservedCert } from '../core/model.js';
import type { Problem } from '../core/errors.js';
import { normaliseFingerprint } from '../core/text.js';
import type { Bundle, LoadedInventory } from './types.js';
import { ReferencedFileError, readAnchorCertificate, readBundleCertificates } from './files.js';
import { isObj, list, strList, type DocCtx } from './load-documents.js';

/** Anchors: read, must be one CA certificate, must match the pin. The first declaration of an id wins. */
export function loadAnchors(docs: DocCtx[], inventory: LoadedInventory, problems: Problem[]): void {
  for (const d of docs) {
    list(d.data.anchors).forEach((a, i) => {
      if (!isObj(a) || typeof a.id !== 'string' || typeof a.file !== 'string') return;
      const abs = resolve(d.dir, a.file);
      let cert: ObservedCert;
      try {
        cert = readAnchorCertificate(abs, a.file);
      } catch (err) {
        if (!(err instanceof ReferencedFileError)) throw err;
        problems.push({
          location: d.doc.locate(['anchors', i, 'file']),
          message: `anchors[${i}].file: ${err.message}`,
        });
        return;
      }
      if (typeof a.sha256 === 'string' && /^[0-9a-f]{64}$/.test(normaliseFingerprint(a.sha256))) {
        const pin = normaliseFingerprint(a.sha256);
        if (pin !== cert.record.sha256) {
          problems.push({
            location: d.doc.locate(['anchors', i, 'sha256']),
            message: `anchors[${i}].sha256: pin does not match '${a.file}': the pin is ${pin}, the file's certificate is ${cert.record.sha256}`,
          });
        }
      }
      if (!inventory.anchors.has(a.id)) {
        inventory.anchors.set(a.id, {
          id: a.id,
          file: abs,
          sha256: cert.record.sha256,
          location: d.doc.locate(['anchors', i]),
          der: cert.record.der,
        });
      }
    });
  }
}

/** Bundles: readable, certificates only. */
export function loadBundles(docs: DocCtx[], inventory: LoadedInventory, problems: Problem[]): void {
  for (const d of docs) {
    list(d.data.bundles).forEach((b, i) => {
      if (!isObj(b) || typeof b.id !== 'string' || typeof b.file !== 'string') return;
      const bundle: Bundle = {
        id: b.id,
        file: resolve(d.dir, b.file),
        ...(typeof b.key === 'string' ? { key: b.key } : {}),
        contains: strList(b.contains),
        ...(typeof b.only === 'boolean' ? { only: b.only } : {}),
        location: d.doc.locate(['bundles', i]),
      };
      try {
        readBundleCertificates(bundle.file, b.file, bundle.key);
      } catch (err) {
        if (!(err instanceof ReferencedFileError)) throw err;
        problems.push({
          location: d.doc.locate(['bundles', i, 'file']),
          message: `bundles[${i}].file: ${err.message}`,
        });
      }
      inventory.bundles.push(bundle);
    });
  }
}
