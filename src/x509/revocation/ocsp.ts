// OCSP (RFC 6960): the request for one certificate, and the response checked as a careful client
// does: signed by the issuer or by a responder certificate the issuer issued for OCSPSigning, for
// exactly this certificate (CertID), and not from the future. Structures are read with
// @peculiar/asn1-ocsp; der.ts only locates the signed bytes so they are verified exactly as received.
import { createHash } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, CRLReasons } from '@peculiar/asn1-x509';
import {
  CertID,
  OCSPRequest,
  OCSPResponseStatus,
  Request,
  SingleResponse,
  TBSRequest,
  id_kp_OCSPSigning,
  id_pkix_ocsp_basic,
} from '@peculiar/asn1-ocsp';
import {
  DerError,
  TAG,
  bitString,
  children,
  expectTlv,
  oidAt,
  readTlv,
  smallInteger,
  type Tlv,
} from '../der.js';
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

/** The OCSPResponse wrapper: status, and the response bytes with their type when successful. */
interface Envelope {
  status: number;
  type: string | null;
  response: Buffer | null;
}

/**
 * OCSPResponse ::= SEQUENCE { responseStatus ENUMERATED, responseBytes [0] EXPLICIT SEQUENCE {
 * responseType OID, response OCTET STRING } OPTIONAL }. Read with der.ts: parsing this wrapper with
 * the schema library would also walk the whole response inside the OCTET STRING a second time.
 */
function readEnvelope(b: Buffer): Envelope {
  const outer = expectTlv(b, 0, b.length, TAG.SEQUENCE, 'OCSPResponse');
  const st = expectTlv(b, outer.body, outer.end, 0x0a, 'responseStatus ENUMERATED');
  const status = smallInteger(b, { ...st, tag: TAG.INTEGER });
  if (status === null) throw new DerError('bad responseStatus');
  if (st.end === outer.end) return { status, type: null, response: null };
  const wrapped = expectTlv(b, st.end, outer.end, 0xa0, 'responseBytes');
  const seq = expectTlv(b, wrapped.body, wrapped.end, TAG.SEQUENCE, 'ResponseBytes');
  const type = oidAt(b, expectTlv(b, seq.body, seq.end, TAG.OID, 'responseType'));
  const resp = expectTlv(b, readTlv(b, seq.body, seq.end).end, seq.end, TAG.OCTET_STRING, 'response');
  return { status, type, response: b.subarray(resp.body, resp.end) };
}

/** KeyHash ::= OCTET STRING (SHA-1 of the responder's public key bits). */
function keyHash(b: Buffer, t: Tlv): Buffer {
  if (t.tag !== TAG.OCTET_STRING) throw new DerError('expected KeyHash OCTET STRING');
  return b.subarray(t.body, t.end);
}

/** Where in a BasicOCSPResponse the signed bytes, the algorithm and the certificates are. */
interface BasicLayout {
  tbs: Buffer;
  /** ResponderID byName, as a name to compare (null when the responder is named by key). */
  responderName: DecodedName | null;
  /** ResponderID byKey: SHA-1 of the responder's public key bits (null when named by name). */
  responderKeyHash: Buffer | null;
  /** Each SingleResponse, as DER (read with the schema library when its turn comes). */
  responses: Buffer[];
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
  // ResponseData ::= SEQUENCE { version [0] EXPLICIT DEFAULT v1, responderID ([1] Name | [2] KeyHash),
  //   producedAt GeneralizedTime, responses SEQUENCE OF SingleResponse, responseExtensions [1] OPTIONAL }
  let rid = readTlv(b, tbs.body, tbs.end);
  if (rid.tag === 0xa0) rid = readTlv(b, rid.end, tbs.end);
  if (rid.tag !== 0xa1 && rid.tag !== 0xa2) throw new DerError('expected a ResponderID');
  const ridValue = readTlv(b, rid.body, rid.end);
  const producedAt = expectTlv(b, rid.end, tbs.end, TAG.GeneralizedTime, 'producedAt');
  const list = expectTlv(b, producedAt.end, tbs.end, TAG.SEQUENCE, 'responses');
  return {
    tbs: b.subarray(tbs.start, tbs.end),
    responderName: rid.tag === 0xa1 ? decodeName(b, ridValue) : null,
    responderKeyHash: rid.tag === 0xa2 ? keyHash(b, ridValue) : null,
    responses: children(b, list).map((r) => b.subarray(r.start, r.end)),
    sigAlg: b.subarray(alg.start, alg.end),
    signature: b.subarray(sig.start, sig.end),
    certs,
  };
}

function nameText(n: DecodedName): string {
  return clip(n.rdns.map((r) => r.map((a) => a.text ?? a.norm).join('+')).join(', ') || '(empty name)');
}

function subjectText(f: CertFacts): string {
  return nameText(f.subject);
}

/** Which key signed the response: the issuer's, or a delegated responder's; or why neither is usable. */
function responderKey(
  layout: BasicLayout,
  issuer: CertFacts,
  now: number,
  skewMs: number,
): { key: CertFacts; signer: 'issuer' | 'delegated' } | { problem: string } {
  const byKey = layout.responderKeyHash;
  const issuerKeyHash = digest('sha1', publicKeyBits(issuer));
  const isResponder = (f: CertFacts): boolean =>
    byKey ? digest('sha1', publicKeyBits(f)).equals(byKey) : layout.responderName?.key === f.subject.key;
  if (byKey ? issuerKeyHash.equals(byKey) : isResponder(issuer)) return { key: issuer, signer: 'issuer' };
  const candidates = layout.certs
    .map((der) => decodeCertificate(Buffer.from(der)).facts)
    .filter((f) => !f.fatal && isResponder(f));
  if (candidates.length === 0) {
    const who = layout.responderName ? `'${nameText(layout.responderName)}'` : 'a key';
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
  let envelope: Envelope;
  try {
    envelope = readEnvelope(Buffer.from(der.buffer, der.byteOffset, der.byteLength));
  } catch (e) {
    return { ok: false, problem: `the answer is not an OCSP response (${clip((e as Error).message, 100)})` };
  }
  if (envelope.status !== OCSPResponseStatus.successful)
    return {
      ok: false,
      problem: `the responder answered ${STATUS_NAMES[envelope.status] ?? `status ${envelope.status}`}`,
    };
  if (!envelope.type || !envelope.response)
    return { ok: false, problem: 'the response is successful but carries no response' };
  if (envelope.type !== id_pkix_ocsp_basic)
    return { ok: false, problem: `the response has unsupported type ${clip(envelope.type)}` };
  let layout: BasicLayout;
  try {
    // der.ts finds the parts of the BasicOCSPResponse; the schema library reads each SingleResponse.
    // (The certificates it carries are decoded only when a delegated responder must be found.)
    layout = basicLayout(envelope.response);
  } catch (e) {
    return {
      ok: false,
      problem: `the basic OCSP response cannot be read (${clip((e as Error).message, 100)})`,
    };
  }
  const signer = responderKey(layout, issuer, now, skewMs);
  if ('problem' in signer) return { ok: false, problem: signer.problem };
  const bad = checkSignature(layout.sigAlg, layout.tbs, layout.signature, signer.key.spki.key!);
  if (bad) return { ok: false, problem: `the response cannot be trusted: ${bad}` };
  let single: SingleResponse | undefined;
  try {
    for (const der of layout.responses) {
      const r = AsnConvert.parse(der, SingleResponse);
      if (matchesCertId(r.certID, cert, issuer)) {
        single = r;
        break;
      }
    }
  } catch (e) {
    return { ok: false, problem: `a SingleResponse cannot be read (${clip((e as Error).message, 100)})` };
  }
  if (!single)
    return {
      ok: false,
      problem: 'the response does not answer for this certificate (no matching CertID)',
    };
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
