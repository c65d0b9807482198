// Signatures over CRLs and OCSP responses, checked with the same scheme table and verifier as
// certificate signatures (verify/facts.ts, verify/paths.ts).
import type { KeyObject } from 'node:crypto';
import { DerError, TAG, readTlv } from '../der.js';
import { decodeSignatureAlgorithm } from '../decode.js';
import { verifySignature } from '../verify/signature.js';

/**
 * Verifies `signature` over `data` with `key` under the DER AlgorithmIdentifier `algDer`. Returns
 * null when it verifies, else why not (for people). SHA-1 and MD5 are refused: a status answer
 * signed with them could be forged.
 */
export function checkSignature(
  algDer: Buffer,
  data: Buffer,
  signature: Buffer,
  key: KeyObject,
): string | null {
  let scheme;
  try {
    const t = readTlv(algDer, 0, algDer.length);
    if (t.tag !== TAG.SEQUENCE || t.end !== algDer.length) throw new DerError('not an AlgorithmIdentifier');
    scheme = decodeSignatureAlgorithm(algDer, t).scheme;
  } catch (e) {
    return `its signature algorithm cannot be read (${(e as Error).message})`;
  }
  if (scheme.kind === 'unknown') return `it is signed with an unsupported algorithm (${scheme.name})`;
  if (scheme.kind === 'dsa') return 'it is signed with DSA, which is not accepted';
  if (scheme.hash === 'sha1' || scheme.hash === 'md5')
    return `it is signed with ${scheme.hash.toUpperCase()}, which is no longer accepted`;
  return verifySignature(scheme, data, signature, key) ? null : 'its signature does not verify';
}
