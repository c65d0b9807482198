// Small DER facts the Kubernetes code needs without a parser: is this a certificate, and the subject
// of a PKCS#10 request (CSR objects carry one) read with the certificates module's DER walker.
import type { Name } from '../../core/model.js';
import { readTlv, children } from '../../x509/der.js';
import { parseName } from '../../x509/names.js';
import { looksLikeDerCertificate } from './sanitize.js';

export const der = {
  looksLikeCertificate: looksLikeDerCertificate,
};

/** Subject of a PKCS#10 CertificationRequest (DER), or null when it cannot be read. */
export function csrSubject(bytes: Uint8Array): Name | null {
  try {
    const outer = readTlv(bytes, 0);
    const [info] = children(bytes, outer);
    if (!info) return null;
    const parts = children(bytes, info);
    const subject = parts[1];
    return subject ? parseName(bytes, subject) : null;
  } catch {
    return null;
  }
}
