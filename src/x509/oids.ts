// The object identifiers certwarden names: signature and key algorithms, curves, hashes, key
// usages and extensions. One table each, shared by the record (parse.ts) and validation (decode.ts).

/** Signature algorithm OID -> [name as OpenSSL prints it, hash or null]. */
export const SIGNATURE_ALGORITHMS: Record<string, [string, string | null]> = {
  '1.2.840.113549.1.1.2': ['md2WithRSAEncryption', 'md2'],
  '1.2.840.113549.1.1.3': ['md4WithRSAEncryption', 'md4'],
  '1.2.840.113549.1.1.4': ['md5WithRSAEncryption', 'md5'],
  '1.2.840.113549.1.1.5': ['sha1WithRSAEncryption', 'sha1'],
  '1.3.14.3.2.29': ['sha1WithRSA', 'sha1'],
  '1.2.840.113549.1.1.14': ['sha224WithRSAEncryption', 'sha224'],
  '1.2.840.113549.1.1.11': ['sha256WithRSAEncryption', 'sha256'],
  '1.2.840.113549.1.1.12': ['sha384WithRSAEncryption', 'sha384'],
  '1.2.840.113549.1.1.13': ['sha512WithRSAEncryption', 'sha512'],
  '1.2.840.113549.1.1.10': ['rsassaPss', 'sha1'], // hash refined from the parameters
  '1.2.840.10045.4.1': ['ecdsa-with-SHA1', 'sha1'],
  '1.2.840.10045.4.3.1': ['ecdsa-with-SHA224', 'sha224'],
  '1.2.840.10045.4.3.2': ['ecdsa-with-SHA256', 'sha256'],
  '1.2.840.10045.4.3.3': ['ecdsa-with-SHA384', 'sha384'],
  '1.2.840.10045.4.3.4': ['ecdsa-with-SHA512', 'sha512'],
  '1.2.840.10040.4.3': ['dsa_with_SHA1', 'sha1'],
  '2.16.840.1.101.3.4.3.1': ['dsa_with_SHA224', 'sha224'],
  '2.16.840.1.101.3.4.3.2': ['dsa_with_SHA256', 'sha256'],
  '2.16.840.1.101.3.4.3.9': ['ecdsa_with_SHA3-224', 'sha3-224'],
  '2.16.840.1.101.3.4.3.10': ['ecdsa_with_SHA3-256', 'sha3-256'],
  '2.16.840.1.101.3.4.3.11': ['ecdsa_with_SHA3-384', 'sha3-384'],
  '2.16.840.1.101.3.4.3.12': ['ecdsa_with_SHA3-512', 'sha3-512'],
  '2.16.840.1.101.3.4.3.13': ['RSA-SHA3-224', 'sha3-224'],
  '2.16.840.1.101.3.4.3.14': ['RSA-SHA3-256', 'sha3-256'],
  '2.16.840.1.101.3.4.3.15': ['RSA-SHA3-384', 'sha3-384'],
  '2.16.840.1.101.3.4.3.16': ['RSA-SHA3-512', 'sha3-512'],
  '1.3.101.112': ['ED25519', null],
  '1.3.101.113': ['ED448', null],
  '2.16.840.1.101.3.4.3.17': ['ML-DSA-44', null],
  '2.16.840.1.101.3.4.3.18': ['ML-DSA-65', null],
  '2.16.840.1.101.3.4.3.19': ['ML-DSA-87', null],
  '1.2.643.2.2.3': ['GOST R 34.11-94 with GOST R 34.10-2001', 'gostr3411-94'],
  '1.2.643.7.1.1.3.2': ['GOST R 34.10-2012 with GOST R 34.11-2012 (256 bit)', 'streebog256'],
  '1.2.643.7.1.1.3.3': ['GOST R 34.10-2012 with GOST R 34.11-2012 (512 bit)', 'streebog512'],
  '1.2.156.10197.1.501': ['SM2-with-SM3', 'sm3'],
};

/** Digest algorithm OID -> hash name (as node's crypto names it). */
export const HASH_OIDS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  '1.2.840.113549.2.5': 'md5',
};

/** Named curve OID -> the name users write (NIST names where there is one). */
export const CURVES: Record<string, [string, number]> = {
  '1.2.840.10045.3.1.7': ['P-256', 256],
  '1.3.132.0.34': ['P-384', 384],
  '1.3.132.0.35': ['P-521', 521],
  '1.3.132.0.33': ['P-224', 224],
  '1.2.840.10045.3.1.1': ['P-192', 192],
  '1.3.132.0.10': ['secp256k1', 256],
  '1.3.36.3.3.2.8.1.1.7': ['brainpoolP256r1', 256],
  '1.3.36.3.3.2.8.1.1.11': ['brainpoolP384r1', 384],
  '1.3.36.3.3.2.8.1.1.13': ['brainpoolP512r1', 512],
  '1.2.156.10197.1.301': ['SM2', 256],
};

export const KEY_ALGORITHMS: Record<string, string> = {
  '1.3.101.110': 'X25519',
  '1.3.101.111': 'X448',
  '1.2.840.113549.1.1.7': 'RSAES-OAEP',
  '2.16.840.1.101.3.4.3.17': 'ML-DSA-44',
  '2.16.840.1.101.3.4.3.18': 'ML-DSA-65',
  '2.16.840.1.101.3.4.3.19': 'ML-DSA-87',
  '2.16.840.1.101.3.4.4.1': 'ML-KEM-512',
  '2.16.840.1.101.3.4.4.2': 'ML-KEM-768',
  '2.16.840.1.101.3.4.4.3': 'ML-KEM-1024',
  '1.2.643.2.2.19': 'GOST R 34.10-2001',
  '1.2.643.7.1.1.1.1': 'GOST R 34.10-2012 (256 bit)',
  '1.2.643.7.1.1.1.2': 'GOST R 34.10-2012 (512 bit)',
};

export const EXTENDED_KEY_USAGES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '2.5.29.37.0': 'anyExtendedKeyUsage',
};

/** keyUsage bit number -> name (RFC 5280 4.2.1.3). */
export const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;

/** Extension OIDs by name (RFC 5280 4.2 and the few others certificates carry). */
export const EXTENSION_OIDS = {
  subjectKeyId: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  issuerAltName: '2.5.29.18',
  basicConstraints: '2.5.29.19',
  nameConstraints: '2.5.29.30',
  crlDistributionPoints: '2.5.29.31',
  certificatePolicies: '2.5.29.32',
  policyMappings: '2.5.29.33',
  authorityKeyId: '2.5.29.35',
  policyConstraints: '2.5.29.36',
  extKeyUsage: '2.5.29.37',
  freshestCrl: '2.5.29.46',
  inhibitAnyPolicy: '2.5.29.54',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  subjectInfoAccess: '1.3.6.1.5.5.7.1.11',
  sctList: '1.3.6.1.4.1.11129.2.4.2',
  ctPoison: '1.3.6.1.4.1.11129.2.4.3',
  ocspNoCheck: '1.3.6.1.5.5.7.48.1.5',
} as const;

/** EKU name -> OID: the inverse of EXTENDED_KEY_USAGES. */
export const EKU_OID: Record<string, string> = Object.fromEntries(
  Object.entries(EXTENDED_KEY_USAGES).map(([oid, name]) => [name, oid]),
);
