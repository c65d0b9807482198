// "Signed by": the one signature check. Path building uses it for every edge it tries; trust
// evaluation and policy checks ask through issuedBy with two records.
import { constants, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import type { CertRecord } from '../../core/model.js';
import type { CertFacts, SignatureScheme } from '../decode.js';
import { factsFor } from './facts.js';

/** Does `issuer`'s public key verify `child`'s signature? */
export function signatureValid(child: CertFacts, issuer: CertFacts): boolean {
  const key = issuer.spki.key;
  if (!key || child.fatal) return false;
  return verifySignature(child.sigScheme, child.tbs, child.signature, key);
}

/** Does `key` verify `signature` over `data` under scheme `s`? (certificates, CRLs and OCSP responses alike) */
export function verifySignature(
  s: SignatureScheme,
  data: Buffer,
  signature: Buffer,
  key: KeyObject,
): boolean {
  try {
    switch (s.kind) {
      case 'rsa':
      case 'dsa':
        return cryptoVerify(s.hash!, data, key, signature);
      case 'rsa-pss':
        return cryptoVerify(
          s.hash!,
          data,
          { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: s.saltLength ?? 20 },
          signature,
        );
      case 'ecdsa':
        return (
          key.asymmetricKeyType === 'ec' &&
          cryptoVerify(s.hash!, data, { key, dsaEncoding: 'der' }, signature)
        );
      case 'ed25519':
      case 'ed448':
        return key.asymmetricKeyType === s.kind && cryptoVerify(null, data, key, signature);
      default:
        return false;
    }
  } catch {
    return false;
  }
}

/** How `child` relates to a would-be `issuer` (see issuance). */
export type Issuance = 'issued' | 'other-issuer' | 'bad-signature' | 'undecodable';

/**
 * Was `child` issued by `issuer`? 'issued' when it names `issuer`'s subject as its issuer (compared
 * as path building compares names, RFC 5280 7.1) and `issuer`'s key verifies its signature;
 * 'other-issuer' when it names someone else; 'bad-signature' when the name matches but the
 * signature does not verify; 'undecodable' when either certificate is not readable DER.
 */
export function issuance(child: CertRecord, issuer: CertRecord): Issuance {
  const c = factsFor(child);
  const i = factsFor(issuer);
  if (c.fatal || i.fatal) return 'undecodable';
  if (c.issuer.key !== i.subject.key) return 'other-issuer';
  return signatureValid(c, i) ? 'issued' : 'bad-signature';
}

/** Was `child` issued by `issuer` (issuance is 'issued')? */
export function issuedBy(child: CertRecord, issuer: CertRecord): boolean {
  return issuance(child, issuer) === 'issued';
}
