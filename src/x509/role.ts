// A certificate's role (leaf, intermediate, root), decided in one place for the report and for
// policy (a rule's appliesTo, CEL's cert.role). The role depends on where the certificate sits in
// what a source gave: a server, Secret or kubeconfig presents a chain whose first certificate is
// the leaf; a trust store or bundle is a set of anchors, not a chain.
import type { CertRole } from '../core/model.js';

/**
 * How a list of certificates was obtained. 'presented': a chain a server, Secret or client
 * identity presents (index 0 is the leaf, whatever its CA flag: `openssl req -x509` server
 * certificates carry CA:TRUE). 'file': a certificate file (index 0 is the leaf unless it is a CA
 * certificate: a kubeadm ca.crt is a root, not a leaf). 'store': a trust store or bundle (no leaf).
 */
export type CertificateList = 'presented' | 'file' | 'store';

/** The list kind of the certificates a source of `sourceKind` yields (its trust stores are 'store'). */
export function listOf(sourceKind: string): Exclude<CertificateList, 'store'> {
  return sourceKind === 'file' ? 'file' : 'presented';
}

/**
 * The role of the certificate at `index` of a list of kind `list`. Above the leaf, and in stores,
 * a self-issued certificate is a root (an X.509 v1 root has no CA flag) and any other one an
 * intermediate.
 */
export function certificateRole(
  c: { isCA: boolean; selfIssued: boolean; version?: number },
  index: number,
  list: CertificateList,
): CertRole {
  if (list !== 'store' && index === 0 && (list === 'presented' || !actsAsCA(c))) return 'leaf';
  return c.selfIssued ? 'root' : 'intermediate';
}

/**
 * Whether the certificates of a file are a set of CA certificates (a CA bundle, a trust store) and
 * not a chain: more than one, none of them an end-entity certificate. Such a list has no leaf, no
 * chain order and no chain verdict (`inspect` shows it as a store; a scan does not judge it as a chain).
 */
export function isCaSet(certs: readonly { isCA: boolean; selfIssued: boolean; version?: number }[]): boolean {
  return certs.length > 1 && certs.every((c, i) => (i === 0 ? actsAsCA(c) : c.isCA || c.selfIssued));
}

/**
 * Whether a certificate stands as a CA in a trust store or as an anchor: the CA flag, or an X.509
 * v1 (or v2) self-issued root, which has no extensions and so no flag (`openssl x509 -req -signkey`
 * makes them; anchors are inputs, RFC 5280 6.1.1, and path validation accepts them as such).
 */
export function actsAsCA(c: { isCA: boolean; version?: number; selfIssued: boolean }): boolean {
  return c.isCA || (c.version !== undefined && c.version >= 1 && c.version < 3 && c.selfIssued);
}
