// The caIssuers locations of a certificate's authorityInfoAccess extension (RFC 5280 4.2.2.1): where
// its issuer's certificate may be fetched when a server does not send it; and the top of what a
// source presents, whose issuer is the one to look for. Only URIs are returned,
// as written (they come from a certificate: hostile; the caller decides which schemes it fetches).
import { decodeCertificate } from './decode.js';
import { contents, expectTag, inner, oidAt, parseOne, TAG } from './der.js';
import { decodeGeneralName } from './general-names.js';
import { EXTENSION_OIDS } from './oids.js';
import type { CertRecord } from '../core/model.js';

const CA_ISSUERS = '1.3.6.1.5.5.7.48.2';

/** The caIssuers URIs of a certificate (DER), in order, without duplicates; [] when it names none. */
export function caIssuersUrls(der: Buffer): string[] {
  const { layout } = decodeCertificate(der);
  const ext = layout?.extensions.first.get(EXTENSION_OIDS.authorityInfoAccess);
  if (!ext) return [];
  const out: string[] = [];
  try {
    const value = contents(der, ext.value);
    for (const ad of inner(value, parseOne(value, TAG.SEQUENCE))) {
      const [method, location] = inner(value, expectTag(ad, TAG.SEQUENCE, 'AccessDescription'));
      if (!method || !location || oidAt(value, method) !== CA_ISSUERS) continue;
      const name = decodeGeneralName(value, location);
      if (name.type === 'uri' && name.ascii && !out.includes(name.value)) out.push(name.value);
    }
  } catch {
    return out; // a malformed extension names nothing more
  }
  return out;
}

/**
 * The top of what a source presents: from the leaf, follow each certificate to its issuer among the
 * presented ones (by name) as long as there is one. Returns the last certificate reached.
 */
export function topOfPresented(presented: readonly CertRecord[]): CertRecord | null {
  let top = presented[0];
  if (!top) return null;
  const seen = new Set([top.sha256]);
  for (;;) {
    const current: CertRecord = top;
    const next = presented.find((c) => !seen.has(c.sha256) && c.subject.dn === current.issuer.dn);
    if (!next || current.selfIssued) return current;
    seen.add(next.sha256);
    top = next;
  }
}
