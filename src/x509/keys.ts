// The record's view of a public key: type, size and curve read from DER, and whether OpenSSL can
// load it (a key OpenSSL refuses cannot be trusted or checked, so it gets a keyError).
import type { KeyObject, X509Certificate } from 'node:crypto';
import type { KeyType } from '../core/model.js';
import { TAG, algorithmAt, bitString, expectTlv, integerBits, oidAt, type Tlv } from './der.js';
import { CURVES, KEY_ALGORITHMS } from './oids.js';

export interface KeyInfo {
  keyType: KeyType;
  keyBits: number | null;
  curve: string | null;
  keyError: string | null;
}

/** What OpenSSL made of a certificate's key: `loaded` false when it refused the whole certificate. */
export interface OpenSslKey {
  loaded: boolean;
  key: KeyObject | null;
  /** Why the key did not load (the certificate did). */
  error: unknown;
}

/** The key OpenSSL loads for `x`, asked once (each `publicKey` read builds a new KeyObject). */
export function opensslKey(x: X509Certificate | null): OpenSslKey {
  if (!x) return { loaded: false, key: null, error: null };
  try {
    return { loaded: true, key: x.publicKey, error: null };
  } catch (e) {
    return { loaded: true, key: null, error: e ?? 'unknown' };
  }
}

/** Reads SubjectPublicKeyInfo `spki` tolerantly (any DER-ish shape) and checks it with OpenSSL. */
export function publicKey(b: Uint8Array, spki: Tlv, openssl: OpenSslKey): KeyInfo {
  let oid: string;
  let params: Tlv | null;
  let keyBits: Tlv;
  try {
    const algT = expectTlv(b, spki.body, spki.end, TAG.SEQUENCE, 'SubjectPublicKeyInfo algorithm');
    ({ oid, params } = algorithmAt(b, algT));
    keyBits = expectTlv(b, algT.end, spki.end, TAG.BIT_STRING, 'subjectPublicKey BIT STRING');
  } catch (e) {
    return {
      keyType: 'unknown',
      keyBits: null,
      curve: null,
      keyError: `unreadable SubjectPublicKeyInfo (${(e as Error).message})`,
    };
  }
  return checkedByOpenSsl(keyFromDer(b, oid, params, keyBits), openssl);
}

/** `fromDer` as it stands once OpenSSL has tried the certificate's key too. */
export function checkedByOpenSsl(fromDer: KeyInfo, openssl: OpenSslKey): KeyInfo {
  if (fromDer.keyError) return fromDer;
  // OpenSSL must be able to load the key too; otherwise nothing about it can be trusted or checked.
  if (!openssl.loaded)
    return { ...fromDer, keyError: 'public key not accepted by OpenSSL (the certificate does not load)' };
  if (!openssl.key)
    return { ...fromDer, keyError: `public key does not load (${shortReason(openssl.error)})` };
  // Only whether it loads: sizes and curves come from DER (asymmetricKeyDetails costs ~5% of a parse).
  if (!openssl.key.asymmetricKeyType)
    return { ...fromDer, keyError: 'public key type not recognised by OpenSSL' };
  return fromDer;
}

/** Type, size and curve of a key from its algorithm and BIT STRING; keyError when it is unusable. */
export function keyFromDer(b: Uint8Array, oid: string, params: Tlv | null, keyBits: Tlv): KeyInfo {
  const none = (keyError: string, keyType: KeyType = 'unknown'): KeyInfo => ({
    keyType,
    keyBits: null,
    curve: null,
    keyError,
  });
  try {
    switch (oid) {
      case '1.2.840.113549.1.1.1':
      case '1.2.840.113549.1.1.10': {
        const keyType: KeyType = oid === '1.2.840.113549.1.1.1' ? 'RSA' : 'RSA-PSS';
        const bs = bitString(b, keyBits);
        const seq = expectTlv(b, bs.start, bs.end, TAG.SEQUENCE, 'RSAPublicKey');
        const n = expectTlv(b, seq.body, seq.end, TAG.INTEGER, 'modulus');
        return { keyType, keyBits: integerBits(b, n), curve: null, keyError: null };
      }
      case '1.2.840.10045.2.1': {
        if (!params) return none('EC key without curve parameters', 'EC');
        if (params.tag === TAG.OID) {
          const curveOid = oidAt(b, params);
          const c = CURVES[curveOid];
          if (!c)
            return {
              keyType: 'EC',
              keyBits: null,
              curve: curveOid,
              keyError: `unsupported curve ${curveOid}`,
            };
          return { keyType: 'EC', keyBits: c[1], curve: c[0], keyError: null };
        }
        if (params.tag === TAG.SEQUENCE)
          return {
            keyType: 'EC',
            keyBits: null,
            curve: 'explicit',
            keyError: 'EC key with explicit curve parameters',
          };
        return none('EC key with implicit curve parameters', 'EC');
      }
      case '1.3.101.112':
        return { keyType: 'Ed25519', keyBits: 256, curve: null, keyError: null };
      case '1.3.101.113':
        return { keyType: 'Ed448', keyBits: 448, curve: null, keyError: null };
      case '1.2.840.10040.4.1': {
        if (!params || params.tag !== TAG.SEQUENCE) return none('DSA key without domain parameters', 'DSA');
        const p = expectTlv(b, params.body, params.end, TAG.INTEGER, 'DSA p');
        return { keyType: 'DSA', keyBits: integerBits(b, p), curve: null, keyError: null };
      }
      default: {
        const name = KEY_ALGORITHMS[oid];
        return none(`unsupported public key algorithm ${name ? `${name} (${oid})` : oid}`);
      }
    }
  } catch (e) {
    return none(`unreadable public key (${(e as Error).message})`);
  }
}

function shortReason(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  // OpenSSL messages look like "error:1E08010C:DECODER routines::unsupported"; keep the last words.
  const last = m.split('::').pop() ?? m;
  return last.slice(0, 120).replace(/[^\x20-\x7e]/g, '?');
}
