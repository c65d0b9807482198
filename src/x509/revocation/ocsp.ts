// OCSP (RFC 6960): the request for one certificate, and the response checked as a careful client
// does: signed by the issuer or by a responder certificate the issuer issued for OCSPSigning, for
// exactly this certificate (CertID), and not from the future. Structures are read with
// @peculiar/asn1-ocsp; der.ts only locates the signed bytes so they are verified exactly as received.
import { createHash } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, CRLReasons, Name } from '@peculiar/asn1-x509';
import {
  BasicOCSPResponse,
  CertID,
  OCSPRequest,
  OCSPResponse,
  OCSPResponseStatus,
  Request,
  TBSRequest,
  id_kp_OCSPSigning,
  id_pkix_ocsp_basic,
} from '@peculiar/asn1-ocsp';
import { TAG, bitString, children, expectTlv, readTlv } from '../der.js';
import { HASH_OIDS } from '../oids.js';
import { decodeCertificate, type CertFacts, type DecodedName } from '../decode.js';
import { decodeName } from '../general-names.js';
import { signatureValid } from '../verify/signature.js';
import { clip } from '../names.js';
import { checkSignature } from './signed.js';
import { DEFAULT_SKEW_MS, type RevocationAnswer, type Verdict } from './types.js';

const SHA1_OID = '1.3.14.3.2.26';
/** Largest response read (a response with a few certificates is a few kilobytes). */
export const MAX_OCSP_RESPONSE_BYTES = 1024 * 1024;

/** The bits of the subjectPublicKey BIT STRING, which OCSP hashes to name a key. */
export function publicKeyBits(f: CertFacts): Buffer {
  const spki = readTlv(f.spki.raw, 0);
  const alg = expectTlv(f.spki.raw, spki.body, spki.end, TAG.SEQUENCE, 'AlgorithmIdentifier');
  const bits = bitString(
    f.spki.raw,
    expectTlv(f.spki.raw, alg.end, spki.end, TAG.BIT_STRING, 'subjectPublicKey'),
  );
  return f.spki.raw.subarray(bits.start, bits.end);
}

function digest(hash: string, data: Buffer): Buffer {
  return createHash(hash).update(data).digest();
}

/** A serial number's magnitude bytes (leading zero octets dropped), for comparison. */
function serialKey(b: Uint8Array): string {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return Buffer.from(b.buffer, b.byteOffset + i, b.length - i).toString('hex');
}

/** The CertID of `cert` under `issuer`, hashed with SHA-1 (what every responder understands). */
export function certIdFor(cert: CertFacts, issuer: CertFacts): CertID {
  return new CertID({
    hashAlgorithm: new AlgorithmIdentifier({ algorithm: SHA1_OID, parameters: null }),
    issuerNameHash: new OctetString(digest('sha1', cert.issuer.raw)),
    issuerKeyHash: new OctetString(digest('sha1', publicKeyBits(issuer))),
    serialNumber: new Uint8Array(cert.serial).buffer,
  });
}

/** DER of an unsigned OCSP request for one certificate, without a nonce (so answers can be cached). */
export function ocspRequest(cert: CertFacts, issuer: CertFacts): Buffer {
  const req = new OCSPRequest({
    tbsRequest: new TBSRequest({ requestList: [new Request({ reqCert: certIdFor(cert, issuer) })] }),
  });
  return Buffer.from(AsnConvert.serialize(req));
}

function matchesCertId(id: CertID, cert: CertFacts, issuer: CertFacts): boolean {
  const hash = HASH_OIDS[id.hashAlgorithm.algorithm];
  if (!hash || hash === 'md5') return false;
  return (
    digest(hash, cert.issuer.raw).equals(Buffer.from(id.issuerNameHash.buffer)) &&
    digest(hash, publicKeyBits(issuer)).equals(Buffer.from(id.issuerKeyHash.buffer)) &&
    serialKey(new Uint8Array(id.serialNumber)) === serialKey(cert.serial)
  );
}

const STATUS_NAMES: Record<number, string> = {
  [OCSPResponseStatus.malformedRequest]: 'malformedRequest (the responder could not read the request)',
  [OCSPResponseStatus.internalError]: 'internalError',
  [OCSPResponseStatus.tryLater]: 'tryLater (the responder is busy)',
  [OCSPResponseStatus.sigRequired]: 'sigRequired (the responder wants signed requests)',
  [OCSPResponseStatus.unauthorized]: 'unauthorized (the responder does not serve this CA)',
};

/** RFC 5280 reason code -> its name (unspecified, keyCompromise, …). */
export function reasonName(code: number | undefined): string | null {
  if (code === undefined) return null;
  return CRLReasons[code] ?? `reason ${code}`;
}

/** Where in a BasicOCSPResponse the signed bytes, the algorithm and the certificates are. */
interface BasicLayout {
  tbs: Buffer;
  sigAlg: Buffer;
  signature: Buffer;
  certs: Buffer[];
}

function basicLayout(b: Buffer): BasicLayout {
  const outer = expectTlv(b, 0, b.length, TAG.SEQUENCE, 'BasicOCSPResponse');
  const tbs = expectTlv(b, outer.body, outer.end, TAG.SEQUENCE, 'ResponseData');
  const alg = expectTlv(b, tbs.end, outer.end, TAG.SEQUENCE, 'signatureAlgorithm');
  const sig = bitString(b, expectTlv(b, alg.end, outer.end, TAG.BIT_STRING, 'signature'));
  const certs: Buffer[] = [];
  const after = alg.end < outer.end ? readTlv(b, alg.end, outer.end) : null;
  if (after && after.end < outer.end) {
    const wrapped = readTlv(b, after.end, outer.end);
    if (wrapped.tag === 0xa0) {
      const list = expectTlv(b, wrapped.body, wrapped.end, TAG.SEQUENCE, 'certs');
      for (const c of children(b, list)) certs.push(b.subarray(c.start, c.end));
    }
  }
  return {
    tbs: b.subarray(tbs.start, tbs.end),
    sigAlg: b.subarray(alg.start, alg.end),
    signature: b.subarray(sig.start, sig.end),
    certs,
  };
}

function decoded(name: Name): DecodedName {
  const der = Buffer.from(AsnConvert.serialize(name));
  return decodeName(der, readTlv(der, 0));
}

function nameText(n: DecodedName): string {
  return clip(n.rdns.map((r) => r.map((a) => a.text ?? a.norm).join('+')).join(', ') || '(empty name)');
}

function subjectText(f: CertFacts): string {
  return nameText(f.subject);
}

/** Which key signed the response: the issuer's, or a delegated responder's; or why neither is usable. */
function responderKey(
  basic: BasicOCSPResponse,
  layout: BasicLayout,
  issuer: CertFacts,
  now: number,
  skewMs: number,
): { key: CertFacts; signer: 'issuer' | 'delegated' } | { problem: string } {
  const rid = basic.tbsResponseData.responderID;
  const issuerKeyHash = digest('sha1', publicKeyBits(issuer));
  const isResponder = (f: CertFacts): boolean =>
    rid.byKey
      ? digest('sha1', publicKeyBits(f)).equals(Buffer.from(rid.byKey.buffer))
      : rid.byName
        ? decoded(rid.byName).key === f.subject.key
        : false;
  if (rid.byKey ? issuerKeyHash.equals(Buffer.from(rid.byKey.buffer)) : isResponder(issuer))
    return { key: issuer, signer: 'issuer' };
  const candidates = layout.certs
    .map((der) => decodeCertificate(Buffer.from(der)).facts)
    .filter((f) => !f.fatal && isResponder(f));
  if (candidates.length === 0) {
    const who = rid.byName ? `'${nameText(decoded(rid.byName))}'` : 'a key';
    return {
      problem: `the response is signed by ${who} that is not the issuer, and the response carries no certificate for that responder`,
    };
  }
  const why: string[] = [];
  for (const f of candidates) {
    if (f.issuer.key !== issuer.subject.key || !signatureValid(f, issuer)) {
      why.push(`responder certificate '${subjectText(f)}' was not issued by the certificate's issuer`);
      continue;
    }
    if (!f.eku?.includes(id_kp_OCSPSigning)) {
      why.push(`responder certificate '${subjectText(f)}' lacks the OCSPSigning extended key usage`);
      continue;
    }
    if (f.notBefore > now + skewMs || f.notAfter < now - skewMs) {
      why.push(`responder certificate '${subjectText(f)}' is outside its validity period`);
      continue;
    }
    return { key: f, signer: 'delegated' };
  }
  return { problem: why.join('; ') };
}

/** What the caller knows about the certificate in question. */
export interface OcspCheck {
  cert: CertFacts;
  issuer: CertFacts;
  /** Evaluation time, epoch ms. */
  now: number;
  skewMs?: number;
}

/**
 * Reads and verifies an OCSP response for `cert`. A verdict that is not ok says why the response
 * cannot be trusted; an ok verdict may still be stale (see isStale), and may say "unknown".
 */
export function verifyOcspResponse(der: Uint8Array, check: OcspCheck): Verdict {
  const skewMs = check.skewMs ?? DEFAULT_SKEW_MS;
  const { cert, issuer, now } = check;
  if (issuer.fatal || !issuer.spki.key)
    return { ok: false, problem: "the issuer's public key cannot be read" };
  let resp: OCSPResponse;
  try {
    resp = AsnConvert.parse(der, OCSPResponse);
  } catch (e) {
    return { ok: false, problem: `the answer is not an OCSP response (${clip((e as Error).message, 100)})` };
  }
  if (resp.responseStatus !== OCSPResponseStatus.successful)
    return {
      ok: false,
      problem: `the responder answered ${STATUS_NAMES[resp.responseStatus] ?? `status ${resp.responseStatus}`}`,
    };
  if (!resp.responseBytes)
    return { ok: false, problem: 'the response is successful but carries no response' };
  if (resp.responseBytes.responseType !== id_pkix_ocsp_basic)
    return {
      ok: false,
      problem: `the response has unsupported type ${clip(resp.responseBytes.responseType)}`,
    };
  let basic: BasicOCSPResponse;
  let layout: BasicLayout;
  try {
    const bytes = Buffer.from(resp.responseBytes.response.buffer);
    basic = AsnConvert.parse(bytes, BasicOCSPResponse);
    layout = basicLayout(bytes);
  } catch (e) {
    return {
      ok: false,
      problem: `the basic OCSP response cannot be read (${clip((e as Error).message, 100)})`,
    };
  }
  const signer = responderKey(basic, layout, issuer, now, skewMs);
  if ('problem' in signer) return { ok: false, problem: signer.problem };
  const bad = checkSignature(layout.sigAlg, layout.tbs, layout.signature, signer.key.spki.key!);
  if (bad) return { ok: false, problem: `the response cannot be trusted: ${bad}` };
  const single = basic.tbsResponseData.responses.find((r) => matchesCertId(r.certID, cert, issuer));
  if (!single)
    return { ok: false, problem: 'the response does not answer for this certificate (no matching CertID)' };
  const thisUpdate = single.thisUpdate.getTime();
  if (!Number.isFinite(thisUpdate))
    return { ok: false, problem: 'the response has an unreadable thisUpdate' };
  if (thisUpdate > now + skewMs)
    return {
      ok: false,
      problem: `the response claims to be from the future (thisUpdate ${new Date(thisUpdate).toISOString()})`,
    };
  const nextUpdate = single.nextUpdate ? single.nextUpdate.getTime() : null;
  if (nextUpdate !== null && (!Number.isFinite(nextUpdate) || nextUpdate < thisUpdate))
    return { ok: false, problem: 'the response has a nextUpdate before its thisUpdate' };
  const s = single.certStatus;
  const answer: RevocationAnswer = s.revoked
    ? {
        status: 'revoked',
        thisUpdate,
        nextUpdate,
        revokedAt: s.revoked.revocationTime.getTime(),
        reason: reasonName(s.revoked.revocationReason?.reason),
      }
    : s.good !== undefined
      ? { status: 'good', thisUpdate, nextUpdate, revokedAt: null, reason: null }
      : { status: 'unknown', thisUpdate, nextUpdate, revokedAt: null, reason: null };
  return { ok: true, answer, signer: signer.signer };
}
