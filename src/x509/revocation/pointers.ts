// Where a certificate says its revocation status (and its issuer) can be found: the OCSP responders
// and CA issuer URLs of its authorityInfoAccess, the URLs of its CRL distribution points, and
// whether it demands a stapled OCSP response (the TLS feature extension, "must-staple").
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AuthorityInfoAccessSyntax,
  CRLDistributionPoints,
  id_ad_caIssuers,
  id_ad_ocsp,
  type GeneralName,
} from '@peculiar/asn1-x509';
import type { CertFacts } from '../decode.js';
import { EXTENSION_OIDS } from '../oids.js';
import { DerError, TAG, children, expectTlv, smallInteger } from '../der.js';

/** RFC 7633 TLS feature extension; the feature status_request (5) is OCSP must-staple. */
export const TLS_FEATURE_OID = '1.3.6.1.5.5.7.1.24';
const STATUS_REQUEST = 5;

/** What a certificate names for revocation checking. URLs are as written (not yet judged fetchable). */
export interface RevocationPointers {
  /** authorityInfoAccess id-ad-ocsp locations that are URIs. */
  ocsp: string[];
  /** authorityInfoAccess id-ad-caIssuers locations that are URIs. */
  caIssuers: string[];
  /** Full-name URIs of CRL distribution points (all reasons, the certificate's issuer as CRL issuer). */
  crl: string[];
  /** Distribution points or access locations that cannot be fetched as a URL, described for people. */
  other: string[];
  /** The TLS feature extension lists status_request: a TLS server must staple an OCSP response. */
  mustStaple: boolean;
  /** Extensions that could not be decoded, described (the pointers they held are not used). */
  problems: string[];
}

function uriOf(n: GeneralName): string | null {
  return n.uniformResourceIdentifier ?? null;
}

function describe(n: GeneralName): string {
  if (n.directoryName) return 'a directoryName';
  if (n.dNSName !== undefined) return 'a dNSName';
  if (n.rfc822Name !== undefined) return 'an rfc822Name';
  if (n.iPAddress !== undefined) return 'an iPAddress';
  return 'a name that is not a URI';
}

/** Reads the revocation pointers of a decoded certificate. Never throws. */
export function revocationPointers(f: CertFacts): RevocationPointers {
  const out: RevocationPointers = {
    ocsp: [],
    caIssuers: [],
    crl: [],
    other: [],
    mustStaple: false,
    problems: [],
  };
  const aia = f.extensions.get(EXTENSION_OIDS.authorityInfoAccess);
  if (aia) {
    try {
      for (const ad of AsnConvert.parse(aia.value, AuthorityInfoAccessSyntax)) {
        const uri = uriOf(ad.accessLocation);
        const list =
          ad.accessMethod === id_ad_ocsp
            ? out.ocsp
            : ad.accessMethod === id_ad_caIssuers
              ? out.caIssuers
              : null;
        if (!list) continue;
        if (uri !== null) list.push(uri);
        else
          out.other.push(
            `${ad.accessMethod === id_ad_ocsp ? 'OCSP' : 'caIssuers'} location is ${describe(ad.accessLocation)}`,
          );
      }
    } catch (e) {
      out.problems.push(`authorityInfoAccess cannot be decoded (${(e as Error).message})`);
    }
  }
  const cdp = f.extensions.get(EXTENSION_OIDS.crlDistributionPoints);
  if (cdp) {
    try {
      for (const dp of AsnConvert.parse(cdp.value, CRLDistributionPoints)) {
        // A point for some reasons only, or whose CRL another authority signs (indirect CRL), cannot
        // alone give a certificate's full status; it is named, not fetched.
        if (dp.reasons) {
          out.other.push('a CRL distribution point limited to some revocation reasons');
          continue;
        }
        if (dp.cRLIssuer) {
          out.other.push('a CRL distribution point whose CRL another authority signs (indirect CRL)');
          continue;
        }
        const full = dp.distributionPoint?.fullName;
        if (!full) {
          out.other.push('a CRL distribution point without a full name');
          continue;
        }
        for (const n of full) {
          const uri = uriOf(n);
          if (uri !== null) out.crl.push(uri);
          else out.other.push(`a CRL distribution point named by ${describe(n)}`);
        }
      }
    } catch (e) {
      out.problems.push(`cRLDistributionPoints cannot be decoded (${(e as Error).message})`);
    }
  }
  const feature = f.extensions.get(TLS_FEATURE_OID);
  if (feature) {
    try {
      out.mustStaple = tlsFeatures(feature.value).includes(STATUS_REQUEST);
    } catch (e) {
      out.problems.push(`the TLS feature extension cannot be decoded (${(e as Error).message})`);
    }
  }
  out.ocsp = [...new Set(out.ocsp)];
  out.caIssuers = [...new Set(out.caIssuers)];
  out.crl = [...new Set(out.crl)];
  return out;
}

/** Features ::= SEQUENCE OF INTEGER (RFC 7633). */
function tlsFeatures(value: Buffer): number[] {
  const seq = expectTlv(value, 0, value.length, TAG.SEQUENCE, 'TLS feature SEQUENCE');
  if (seq.end !== value.length) throw new DerError('trailing data after the TLS feature list');
  return children(value, seq).map((t) => {
    const n = t.tag === TAG.INTEGER ? smallInteger(value, t) : null;
    if (n === null) throw new DerError(`expected a small INTEGER at offset ${t.start}`);
    return n;
  });
}
