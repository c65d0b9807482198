// The extensions of one certificate as a person reads them (certwarden inspect): every extension
// with its name and criticality, and the ones the record does not keep decoded (authority
// information access, CRL distribution points, certificate policies). Off the hot path: only
// inspect loads this module, and with it @peculiar/x509. Values come from a certificate, so they
// are hostile: callers escape them before printing.
import 'reflect-metadata';
import {
  AuthorityInfoAccessExtension,
  CRLDistributionPointsExtension,
  CertificatePolicyExtension,
  X509Certificate,
  type GeneralName,
} from '@peculiar/x509';
import { EXTENSION_OIDS } from './oids.js';

/** One extension as listed: its OID, a name when the OID is known, and whether it is critical. */
export interface ExtensionEntry {
  oid: string;
  name: string | null;
  critical: boolean;
}

/** The extensions of a certificate, read for display. */
export interface ExtensionsView {
  /** Every extension, in the certificate's order. */
  all: ExtensionEntry[];
  authorityInfoAccess: { ocsp: string[]; caIssuers: string[] } | null;
  crlDistributionPoints: string[] | null;
  certificatePolicies: { oid: string; name: string | null }[] | null;
  /** Set when the extensions could not be read for display (the record's own fields still are). */
  error: string | null;
}

const NAMES: Record<string, string> = Object.fromEntries(
  Object.entries(EXTENSION_OIDS).map(([name, oid]) => [oid, name]),
);

/** Policy OIDs people recognise (CA/Browser Forum and the anyPolicy). */
const POLICY_NAMES: Record<string, string> = {
  '2.5.29.32.0': 'anyPolicy',
  '2.23.140.1.1': 'extended validation',
  '2.23.140.1.2.1': 'domain validated',
  '2.23.140.1.2.2': 'organization validated',
  '2.23.140.1.2.3': 'individual validated',
  '2.23.140.1.3': 'extended validation code signing',
  '2.23.140.1.4.1': 'code signing',
};

/** A GeneralName as text: URI:…, DNS:…, IP:…, or its type and value. */
function generalName(g: GeneralName): string {
  const v = String(g.value);
  switch (g.type) {
    case 'url':
      return v;
    case 'dns':
      return `DNS:${v}`;
    case 'ip':
      return `IP:${v}`;
    case 'email':
      return `email:${v}`;
    case 'dn':
      return `DirName:${v}`;
    default:
      return `${g.type}:${v}`;
  }
}

/** The extensions of the certificate `der`; never throws (an unreadable list is in `error`). */
export function describeExtensions(der: Uint8Array): ExtensionsView {
  const view: ExtensionsView = {
    all: [],
    authorityInfoAccess: null,
    crlDistributionPoints: null,
    certificatePolicies: null,
    error: null,
  };
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(Buffer.from(der));
  } catch (e) {
    view.error = e instanceof Error ? e.message : String(e);
    return view;
  }
  for (const ext of cert.extensions) {
    view.all.push({ oid: ext.type, name: NAMES[ext.type] ?? null, critical: ext.critical });
    try {
      if (ext instanceof AuthorityInfoAccessExtension) {
        view.authorityInfoAccess = {
          ocsp: ext.ocsp.map(generalName),
          caIssuers: ext.caIssuers.map(generalName),
        };
      } else if (ext instanceof CRLDistributionPointsExtension) {
        view.crlDistributionPoints = ext.distributionPoints.flatMap((dp) => [
          ...(dp.distributionPoint?.fullName ?? []).map((n) =>
            n.uniformResourceIdentifier !== undefined
              ? n.uniformResourceIdentifier
              : n.dNSName !== undefined
                ? `DNS:${n.dNSName}`
                : 'a name that is not a URI',
          ),
          ...(dp.distributionPoint?.nameRelativeToCRLIssuer ? ['a name relative to the CRL issuer'] : []),
        ]);
      } else if (ext instanceof CertificatePolicyExtension) {
        view.certificatePolicies = ext.policies.map((oid) => ({ oid, name: POLICY_NAMES[oid] ?? null }));
      }
    } catch (e) {
      view.error ??= `${NAMES[ext.type] ?? ext.type}: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  return view;
}
