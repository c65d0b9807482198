// Certificate revocation lists (RFC 5280 5, 6.3), read for size: a CRL can hold hundreds of
// thousands of entries. der.ts walks the outer structure and streams the revokedCertificates list
// once (indexing serial numbers, checking each entry's extensions), and @peculiar/asn1-x509 reads
// the rest of the list (TBSCertList without its entries) and, on a hit, the one entry asked for.
// asn1js's node limit is never near: no schema parse sees more than one entry at a time.
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  CRLReason,
  IssuingDistributionPoint,
  RevokedCertificate,
  TBSCertList,
  id_ce_authorityKeyIdentifier,
  id_ce_cRLNumber,
  id_ce_cRLReasons,
  id_ce_certificateIssuer,
  id_ce_deltaCRLIndicator,
  id_ce_freshestCRL,
  id_ce_invalidityDate,
  id_ce_issuerAltName,
  id_ce_issuingDistributionPoint,
  id_pe_authorityInfoAccess,
} from '@peculiar/asn1-x509';
import { DerError, TAG, bitString, expectTlv, oidAt, readTlv, type Tlv } from '../der.js';
import { pemBlocks } from '../pem.js';
import type { CertFacts, DecodedName } from '../decode.js';
import { decodeName } from '../general-names.js';
import { clip } from '../names.js';
import { checkSignature } from './signed.js';
import { DEFAULT_SKEW_MS, type Verdict } from './types.js';
import { reasonName } from './ocsp.js';

/** Largest CRL read (big public CAs publish CRLs of tens of megabytes). */
export const MAX_CRL_BYTES = 50 * 1024 * 1024;

const HOLD_INSTRUCTION = '2.5.29.23';
const KNOWN_ENTRY_EXTENSIONS = new Set([id_ce_cRLReasons, id_ce_invalidityDate, HOLD_INSTRUCTION]);
const KNOWN_CRL_EXTENSIONS = new Set([
  id_ce_cRLNumber,
  id_ce_deltaCRLIndicator,
  id_ce_issuingDistributionPoint,
  id_ce_authorityKeyIdentifier,
  id_ce_issuerAltName,
  id_ce_freshestCRL,
  id_pe_authorityInfoAccess,
]);

/** A CRL read once: what verification needs, and an index of its entries by serial number. */
export interface Crl {
  version: number;
  issuer: DecodedName;
  thisUpdate: number;
  nextUpdate: number | null;
  entries: number;
  /** Signed bytes, algorithm and signature, exactly as received. */
  tbs: Buffer;
  sigAlg: Buffer;
  innerSigAlg: Buffer;
  signature: Buffer;
  crlNumber: { present: boolean; critical: boolean };
  delta: boolean;
  idp: IssuingDistributionPoint | null;
  /** Critical CRL extensions not understood (the CRL must then not be used). */
  unknownCritical: string[];
  /** Entry-level reasons the CRL cannot be used (critical entry extensions not understood, indirect entries). */
  entryProblems: string[];
  /** serial (hex, no leading zeros) -> offset of the entry in `der`. */
  index: Map<string, number>;
  der: Buffer;
}

/** A CRL that cannot be read; the message names the position, never the bytes. */
export class CrlError extends Error {
  override name = 'CrlError';
}

function serialKey(b: Buffer, start: number, end: number): string {
  let i = start;
  while (i < end - 1 && b[i] === 0) i++;
  return b.toString('hex', i, end);
}

const isTime = (t: Tlv): boolean => t.tag === TAG.UTCTime || t.tag === TAG.GeneralizedTime;

/** DER length octets for `n`. */
function lengthOctets(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** Reads a DER (or PEM "X509 CRL") CRL. Throws CrlError when it is not one. */
export function parseCrl(input: Uint8Array): Crl {
  let der = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (der[0] !== TAG.SEQUENCE) {
    const text = der.toString('latin1');
    const block = text.includes('-----BEGIN')
      ? pemBlocks(text, 'CRL').find((b) => b.label === 'X509 CRL')
      : undefined;
    if (!block) throw new CrlError('not a CRL (neither DER nor a PEM "X509 CRL" block)');
    der = block.der;
  }
  try {
    return parseDer(der);
  } catch (e) {
    if (e instanceof CrlError) throw e;
    throw new CrlError(`not a readable CRL: ${clip((e as Error).message, 120)}`);
  }
}

function parseDer(der: Buffer): Crl {
  const outer = expectTlv(der, 0, der.length, TAG.SEQUENCE, 'CertificateList');
  if (outer.end !== der.length) throw new DerError('trailing data after the CRL');
  const tbs = expectTlv(der, outer.body, outer.end, TAG.SEQUENCE, 'TBSCertList');
  const alg = expectTlv(der, tbs.end, outer.end, TAG.SEQUENCE, 'signatureAlgorithm');
  const sigT = expectTlv(der, alg.end, outer.end, TAG.BIT_STRING, 'signatureValue');
  if (sigT.end !== outer.end) throw new DerError('unexpected element after the signature');
  const sig = bitString(der, sigT);

  // The TBS's own top-level fields (at most seven), so the entry list can be set aside.
  const fields: Tlv[] = [];
  for (let p = tbs.body; p < tbs.end;) {
    const t = readTlv(der, p, tbs.end);
    fields.push(t);
    p = t.end;
  }
  let i = fields[0]?.tag === TAG.INTEGER ? 1 : 0;
  const innerAlg = fields[i++];
  const issuerT = fields[i++];
  if (innerAlg?.tag !== TAG.SEQUENCE || issuerT?.tag !== TAG.SEQUENCE)
    throw new DerError('malformed TBSCertList');
  if (!fields[i] || !isTime(fields[i]!)) throw new DerError('thisUpdate missing');
  i++;
  if (fields[i] && isTime(fields[i]!)) i++;
  const revoked = fields[i]?.tag === TAG.SEQUENCE ? fields[i]! : null;

  // Everything but the entries goes through the schema library.
  const kept = fields.filter((f) => f !== revoked).map((f) => der.subarray(f.start, f.end));
  const body = Buffer.concat(kept);
  const reduced = Buffer.concat([Buffer.from([TAG.SEQUENCE]), lengthOctets(body.length), body]);
  const list = AsnConvert.parse(reduced, TBSCertList);

  const crl: Crl = {
    version: (list.version ?? 0) + 1,
    issuer: decodeName(der, issuerT),
    thisUpdate: list.thisUpdate.getTime().getTime(),
    nextUpdate: list.nextUpdate ? list.nextUpdate.getTime().getTime() : null,
    entries: 0,
    tbs: der.subarray(tbs.start, tbs.end),
    sigAlg: der.subarray(alg.start, alg.end),
    innerSigAlg: der.subarray(innerAlg.start, innerAlg.end),
    signature: der.subarray(sig.start, sig.end),
    crlNumber: { present: false, critical: false },
    delta: false,
    idp: null,
    unknownCritical: [],
    entryProblems: [],
    index: new Map(),
    der,
  };
  for (const ext of list.crlExtensions ?? []) {
    if (ext.extnID === id_ce_cRLNumber) crl.crlNumber = { present: true, critical: ext.critical };
    else if (ext.extnID === id_ce_deltaCRLIndicator) crl.delta = true;
    else if (ext.extnID === id_ce_issuingDistributionPoint)
      crl.idp = AsnConvert.parse(ext.extnValue.buffer, IssuingDistributionPoint);
    if (ext.critical && !KNOWN_CRL_EXTENSIONS.has(ext.extnID)) crl.unknownCritical.push(ext.extnID);
  }
  if (revoked) indexEntries(der, revoked, crl);
  return crl;
}

/** One pass over revokedCertificates: index serials, and note entries that make the CRL unusable. */
function indexEntries(der: Buffer, list: Tlv, crl: Crl): void {
  const unknown = new Set<string>();
  let indirect = false;
  for (let p = list.body; p < list.end;) {
    const entry = readTlv(der, p, list.end);
    if (entry.tag !== TAG.SEQUENCE) throw new DerError(`expected a revoked certificate entry at offset ${p}`);
    const serial = expectTlv(der, entry.body, entry.end, TAG.INTEGER, 'userCertificate');
    const date = readTlv(der, serial.end, entry.end);
    if (!isTime(date)) throw new DerError(`expected revocationDate at offset ${date.start}`);
    if (date.end < entry.end) {
      const exts = expectTlv(der, date.end, entry.end, TAG.SEQUENCE, 'crlEntryExtensions');
      for (let q = exts.body; q < exts.end;) {
        const ext = expectTlv(der, q, exts.end, TAG.SEQUENCE, 'Extension');
        const idT = expectTlv(der, ext.body, ext.end, TAG.OID, 'extnID');
        const id = oidAt(der, idT);
        const next = readTlv(der, idT.end, ext.end);
        const critical = next.tag === TAG.BOOLEAN && next.end > next.body && der[next.body] !== 0;
        if (id === id_ce_certificateIssuer) indirect = true;
        else if (critical && !KNOWN_ENTRY_EXTENSIONS.has(id)) unknown.add(id);
        q = ext.end;
      }
    }
    crl.index.set(serialKey(der, serial.body, serial.end), entry.start);
    crl.entries++;
    p = entry.end;
  }
  for (const id of unknown)
    crl.entryProblems.push(`an entry carries critical extension ${id}, which is not understood`);
  if (indirect)
    crl.entryProblems.push(
      'entries name other certificate issuers (an indirect CRL), which is not supported',
    );
}

/** The entry for a serial number, read with the schema library; null when the serial is not listed. */
export function crlEntry(crl: Crl, serial: Uint8Array): { revokedAt: number; reason: string | null } | null {
  const b = Buffer.from(serial.buffer, serial.byteOffset, serial.byteLength);
  const at = crl.index.get(serialKey(b, 0, b.length));
  if (at === undefined) return null;
  const t = readTlv(crl.der, at);
  const entry = AsnConvert.parse(crl.der.subarray(t.start, t.end), RevokedCertificate);
  const reasonExt = entry.crlEntryExtensions?.find((e) => e.extnID === id_ce_cRLReasons);
  const code = reasonExt ? AsnConvert.parse(reasonExt.extnValue.buffer, CRLReason).reason : undefined;
  return { revokedAt: entry.revocationDate.getTime().getTime(), reason: reasonName(code) };
}

/** Whether the CRL is one the certificate's issuer published (by name); other CRLs are not about it. */
export function crlIsFor(crl: Crl, cert: CertFacts): boolean {
  return crl.issuer.key === cert.issuer.key;
}

/** How to judge a CRL. */
export interface CrlCheck {
  cert: CertFacts;
  issuer: CertFacts;
  now: number;
  skewMs?: number;
  /** URIs of the certificate's CRL distribution points, for the issuing distribution point match. */
  distributionPoints?: string[];
  /** 'strict' also holds the CRL to RFC 5280's profile (a non-critical CRLNumber must be present). */
  profile?: 'compatible' | 'strict';
}

/** Why this CRL does not cover `cert` (issuing distribution point scope), or null when it does. */
function scopeProblem(crl: Crl, check: CrlCheck): string | null {
  const idp = crl.idp;
  if (!idp) return null;
  const ca = check.cert.basicConstraints?.ca === true;
  if (idp.onlyContainsUserCerts && ca) return 'the CRL covers only end-entity certificates, and this is a CA';
  if (idp.onlyContainsCACerts && !ca) return 'the CRL covers only CA certificates, and this is not one';
  if (idp.onlyContainsAttributeCerts) return 'the CRL covers only attribute certificates';
  if (idp.onlySomeReasons) return 'the CRL covers only some revocation reasons';
  if (idp.indirectCRL) return 'the CRL is an indirect CRL, which is not supported';
  const names = (idp.distributionPoint?.fullName ?? [])
    .map((n) => n.uniformResourceIdentifier)
    .filter(Boolean);
  if (idp.distributionPoint && check.distributionPoints !== undefined) {
    if (names.length === 0 || !names.some((n) => check.distributionPoints!.includes(n!)))
      return 'the CRL is for another distribution point than the one the certificate names';
  }
  return null;
}

/**
 * Verifies a CRL for `cert` and looks the certificate up. Ok: signed by the issuer (whose keyUsage,
 * when present, allows cRLSign), complete (not a delta), covering the certificate, not from the
 * future; the answer may still be stale. Not ok: why the CRL cannot be used.
 */
export function checkCrl(crl: Crl, check: CrlCheck): Verdict {
  const { cert, issuer, now } = check;
  const skewMs = check.skewMs ?? DEFAULT_SKEW_MS;
  if (!crlIsFor(crl, cert))
    return { ok: false, problem: "the CRL is published by another authority than the certificate's issuer" };
  if (issuer.keyUsage && !issuer.keyUsage.has('cRLSign'))
    return { ok: false, problem: "the issuer's keyUsage does not allow cRLSign, so it cannot sign CRLs" };
  if (issuer.fatal || !issuer.spki.key)
    return { ok: false, problem: "the issuer's public key cannot be read" };
  if (!crl.sigAlg.equals(crl.innerSigAlg))
    return {
      ok: false,
      problem: 'the signature algorithm inside the signed part differs from the outer one',
    };
  const bad = checkSignature(crl.sigAlg, crl.tbs, crl.signature, issuer.spki.key);
  if (bad) return { ok: false, problem: `the CRL cannot be trusted: ${bad}` };
  if (crl.unknownCritical.length)
    return {
      ok: false,
      problem: `the CRL has critical extension(s) ${crl.unknownCritical.join(', ')}, which are not understood`,
    };
  if (crl.entryProblems.length)
    return { ok: false, problem: `the CRL cannot be used: ${crl.entryProblems.join('; ')}` };
  if (crl.delta) return { ok: false, problem: 'the CRL is a delta CRL; a complete CRL is needed' };
  if (check.profile === 'strict') {
    if (!crl.crlNumber.present)
      return { ok: false, problem: 'the CRL has no CRLNumber extension (RFC 5280 5.2.3)' };
    if (crl.crlNumber.critical)
      return { ok: false, problem: 'the CRL marks its CRLNumber critical (RFC 5280 5.2.3)' };
    if (crl.version !== 2) return { ok: false, problem: 'the CRL is not a version 2 CRL' };
  }
  const scope = scopeProblem(crl, check);
  if (scope) return { ok: false, problem: scope };
  if (!Number.isFinite(crl.thisUpdate)) return { ok: false, problem: 'the CRL has an unreadable thisUpdate' };
  if (crl.thisUpdate > now + skewMs)
    return {
      ok: false,
      problem: `the CRL claims to be from the future (thisUpdate ${new Date(crl.thisUpdate).toISOString()})`,
    };
  if (crl.nextUpdate !== null && crl.nextUpdate < crl.thisUpdate)
    return { ok: false, problem: 'the CRL has a nextUpdate before its thisUpdate' };
  const hit = crlEntry(crl, cert.serial);
  const base = { thisUpdate: crl.thisUpdate, nextUpdate: crl.nextUpdate };
  if (!hit || hit.reason === 'removeFromCRL')
    return { ok: true, signer: 'issuer', answer: { status: 'good', ...base, revokedAt: null, reason: null } };
  return { ok: true, signer: 'issuer', answer: { status: 'revoked', ...base, ...hit } };
}
