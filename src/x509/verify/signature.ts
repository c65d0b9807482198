// "Signed by": the one signature check. Path building uses it for every edge it tries; trust
// evaluation and policy checks ask through issuedBy with two records.
import { constants, verify as cryptoVerify } from 'node:crypto';
import type { CertRecord } from '../../core/model.js';
import type { CertFacts } from '../decode.js';
import { factsFor } from './facts.js';

/** Does `issuer`'s public key verify `child`'s signature? */
export function signatureValid(child: CertFacts, issuer: CertFacts): boolean {
  const key = issuer.spki.key;
  if (!key || child.fatal) return false;
  const s = child.sigScheme;
  try {
    switch (s.kind) {
      case 'rsa':
      case 'dsa':
        return cryptoVerify(s.hash!, child.tbs, key, child.signature);
      case 'rsa-pss':
        return cryptoVerify(
          s.hash!,
          child.tbs,
          { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: s.saltLength ?? 20 },
          child.signature,
        );
      case 'ecdsa':
        return (
          key.asymmetricKeyType === 'ec' &&
          cryptoVerify(s.hash!, child.tbs, { key, dsaEncoding: 'der' }, child.signature)
        );
      case 'ed25519':
      case 'ed448':
        return key.asymmetricKeyType === s.kind && cryptoVerify(null, child.tbs, key, child.signature);
      default:
        return false;
    }
  } catch {
    return false;
  }
}

/**
 * Was `child` issued by `issuer`: does it name `issuer`'s subject as its issuer (RFC 5280 7.1
 * comparison, as path building matches names) and does `issuer`'s key verify its signature?
 */
export function issuedBy(child: CertRecord, issuer: CertRecord): boolean {
  const c = factsFor(child);
  const i = factsFor(issuer);
  if (c.fatal || i.fatal || c.issuer.key !== i.subject.key) return false;
  return signatureValid(c, i);
}
