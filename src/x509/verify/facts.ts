// The validation facts of a record: those decoded with it by parseCertificate (one walk of its DER),
// kept for the records used most recently; for any other record (read back from JSON, copied, or
// parsed long ago and kept) decoded from its DER once and cached by the digest of those bytes.
import { createHash } from 'node:crypto';
import type { CertRecord } from '../../core/model.js';
import { decodeCertificate, type CertFacts } from '../decode.js';
import { factsOf, rememberFacts } from '../parse.js';

export type { CertFacts, GeneralName } from '../decode.js';

const cache = new Map<string, CertFacts>();
const CACHE_MAX = 5000;

/**
 * Decoded facts for a record. For records parseCertificate did not make, the digest is recomputed
 * rather than taken from the record, so a record whose `sha256` disagrees with its bytes cannot
 * poison the cache.
 */
export function factsFor(record: CertRecord): CertFacts {
  const own = factsOf(record);
  if (own) return own;
  const der = Buffer.from(record.der, 'base64');
  const sha256 = createHash('sha256').update(der).digest('hex');
  let f = cache.get(sha256);
  if (!f) {
    f = decodeCertificate(der, { sha256 }).facts;
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.set(sha256, f);
  }
  rememberFacts(record, f);
  return f;
}
