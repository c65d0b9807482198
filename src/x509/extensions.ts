// The extensions of a certificate, read strictly for path validation (RFC 5280 4.2 and the CA/B
// profile). A malformed extension is an error of the certificate, never a thrown exception; the
// positions of each extension's value are kept so the record can read a malformed one tolerantly.
import {
  DerError,
  TAG,
  contents,
  expectTag,
  inner,
  oidAt,
  parseOne,
  strictBoolean,
  strictSmallInt,
  type Tlv,
} from './der.js';
import { decodeGeneralName, decodeGeneralNames, type GeneralName } from './general-names.js';
import { EXTENSION_OIDS as OID, KEY_USAGE_BITS } from './oids.js';

export interface Extension {
  oid: string;
  critical: boolean;
  value: Buffer;
}

export interface AkiFacts {
  keyId: Buffer | null;
  hasIssuer: boolean;
  hasSerial: boolean;
}

/** What validation reads from the extensions (absent extension: null). */
export interface ExtensionFacts {
  /** By OID; the last occurrence when an extension appears twice (which is itself an error). */
  extensions: Map<string, Extension>;
  basicConstraints: { ca: boolean; pathLen: number | null; critical: boolean } | null;
  keyUsage: Set<string> | null;
  /** EKU OIDs; null when the extension is absent. */
  eku: string[] | null;
  ekuCritical: boolean;
  san: GeneralName[] | null;
  sanCritical: boolean;
  aki: AkiFacts | null;
  ski: Buffer | null;
}

/** Where each extension sits and which ones did not decode, for the record (see parse.ts). */
export interface ExtensionLayout {
  /** extnID -> the extnValue OCTET STRING of its first occurrence. */
  first: Map<string, { critical: boolean; value: Tlv }>;
  /** Extensions that appear more than once. */
  duplicated: Set<string>;
  /** Extensions whose value is not valid DER of its type. */
  malformed: Set<string>;
}

/** Problems found while decoding, in the two kinds CertFacts keeps. */
export interface Problems {
  errors: string[];
  profileErrors: string[];
}

const KNOWN_CRITICAL = new Set<string>([
  OID.basicConstraints,
  OID.keyUsage,
  OID.extKeyUsage,
  OID.subjectAltName,
  OID.issuerAltName,
  OID.nameConstraints,
  OID.policyConstraints,
  OID.certificatePolicies,
  OID.policyMappings,
  OID.inhibitAnyPolicy,
  OID.crlDistributionPoints,
  OID.freshestCrl,
  OID.ocspNoCheck,
]);

/**
 * Reads the [3] Extensions field `t` of a tbsCertificate into `f`. Throws DerError when the list
 * itself is not DER (the certificate is then undecodable); a malformed value is an error in `p`.
 */
export function decodeExtensions(b: Buffer, t: Tlv, f: ExtensionFacts, p: Problems): ExtensionLayout {
  const layout: ExtensionLayout = { first: new Map(), duplicated: new Set(), malformed: new Set() };
  const list = inner(b, expectTag(inner(b, t)[0], TAG.SEQUENCE, 'Extensions'));
  if (list.length === 0) p.profileErrors.push('extensions field is present but empty');
  for (const e of list) {
    const parts = inner(b, expectTag(e, TAG.SEQUENCE, 'Extension'));
    const oid = oidAt(b, expectTag(parts[0], TAG.OID, 'extension id'));
    let critical = false;
    let idx = 1;
    if (parts[1]?.tag === TAG.BOOLEAN) {
      critical = strictBoolean(b, parts[1]);
      idx = 2;
    }
    const valueT = expectTag(parts[idx], TAG.OCTET_STRING, 'extension value');
    if (f.extensions.has(oid)) {
      p.errors.push(`extension ${oid} appears more than once`);
      layout.duplicated.add(oid);
    } else layout.first.set(oid, { critical, value: valueT });
    f.extensions.set(oid, { oid, critical, value: contents(b, valueT) });
  }
  for (const ext of f.extensions.values()) {
    try {
      decodeExtension(f, p, ext);
    } catch (e) {
      p.errors.push(`extension ${ext.oid} is malformed (${(e as Error).message})`);
      layout.malformed.add(ext.oid);
    }
  }
  return layout;
}

function decodeExtension(f: ExtensionFacts, p: Problems, ext: Extension): void {
  const { oid, critical, value } = ext;
  switch (oid) {
    case OID.basicConstraints: {
      const items = inner(value, parseOne(value, TAG.SEQUENCE));
      let ca = false;
      let pathLen: number | null = null;
      for (const it of items) {
        if (it.tag === TAG.BOOLEAN) ca = strictBoolean(value, it);
        else if (it.tag === TAG.INTEGER) pathLen = strictSmallInt(value, it);
        else throw new DerError('unexpected element');
      }
      f.basicConstraints = { ca, pathLen, critical };
      return;
    }
    case OID.keyUsage: {
      const bs = contents(value, parseOne(value, TAG.BIT_STRING));
      if (bs.length < 1) throw new DerError('empty BIT STRING');
      const set = new Set<string>();
      for (let i = 0; i < KEY_USAGE_BITS.length; i++) {
        const byte = bs[1 + (i >> 3)];
        if (byte !== undefined && byte & (0x80 >> (i & 7))) set.add(KEY_USAGE_BITS[i]!);
      }
      f.keyUsage = set;
      return;
    }
    case OID.extKeyUsage: {
      const items = inner(value, parseOne(value, TAG.SEQUENCE));
      f.eku = items.map((i) => oidAt(value, expectTag(i, TAG.OID, 'KeyPurposeId')));
      f.ekuCritical = critical;
      if (f.eku.length === 0) p.errors.push('extendedKeyUsage lists no purposes');
      return;
    }
    case OID.subjectAltName: {
      f.san = decodeGeneralNames(value);
      f.sanCritical = critical;
      if (f.san.length === 0) p.errors.push('subjectAltName is empty');
      return;
    }
    case OID.authorityKeyId: {
      const items = inner(value, parseOne(value, TAG.SEQUENCE));
      const aki: AkiFacts = { keyId: null, hasIssuer: false, hasSerial: false };
      for (const it of items) {
        if (it.tag === 0x80) aki.keyId = Buffer.from(contents(value, it));
        else if (it.tag === 0xa1) aki.hasIssuer = true;
        else if (it.tag === 0x82) aki.hasSerial = true;
        else throw new DerError('unexpected element');
      }
      f.aki = aki;
      if (critical) p.profileErrors.push('authorityKeyIdentifier is marked critical (RFC 5280 4.2.1.1)');
      return;
    }
    case OID.subjectKeyId:
      f.ski = Buffer.from(contents(value, parseOne(value, TAG.OCTET_STRING)));
      if (critical) p.profileErrors.push('subjectKeyIdentifier is marked critical (RFC 5280 4.2.1.2)');
      return;
    case OID.authorityInfoAccess: {
      const items = inner(value, parseOne(value, TAG.SEQUENCE));
      if (items.length === 0) p.profileErrors.push('authorityInfoAccess holds no access descriptions');
      for (const it of items) {
        const [method, loc] = inner(value, expectTag(it, TAG.SEQUENCE, 'AccessDescription'));
        oidAt(value, expectTag(method, TAG.OID, 'accessMethod'));
        if (!loc) throw new DerError('accessLocation missing');
        decodeGeneralName(value, loc);
      }
      if (critical) p.profileErrors.push('authorityInfoAccess is marked critical (RFC 5280 4.2.2.1)');
      return;
    }
    case OID.policyConstraints:
      parseOne(value, TAG.SEQUENCE);
      if (!critical) p.profileErrors.push('policyConstraints is not marked critical (RFC 5280 4.2.1.11)');
      return;
    case OID.nameConstraints:
      // decoded by verify/name-constraints.ts when the certificate acts as an issuer
      parseOne(value, TAG.SEQUENCE);
      return;
    case OID.ctPoison:
      p.errors.push(
        'is a Certificate Transparency precertificate (critical poison extension), not a usable certificate',
      );
      return;
    default:
      if (critical && !KNOWN_CRITICAL.has(oid)) p.errors.push(`unrecognised critical extension ${oid}`);
  }
}
