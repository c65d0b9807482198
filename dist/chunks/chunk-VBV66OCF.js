import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);

// src/core/check-help.ts
var CHECK_HELP = {
  expiry: {
    summary: "Certificate expires soon or has expired",
    help: "Warns when few days (warnDays) or little of the lifetime (warnPercent) remain, errors below errorDays / errorPercent; an expired certificate is always an error. A threshold of N days fires when N or fewer whole days remain. Renew the certificate before it expires."
  },
  validity: {
    summary: "Certificate is not yet valid, or its lifetime is longer than allowed",
    help: "notYetValid (default true) reports a certificate whose notBefore is after now. maxDays limits the lifetime (notAfter \u2212 notBefore + 1 second, as the CA/Browser Forum counts it); schedule entries {from, maxDays} tighten the limit for certificates issued on or after a date. Re-issue with a shorter lifetime or fix the clock of the issuer."
  },
  key: {
    summary: "Public key algorithm, size or curve not allowed",
    help: 'allow lists the accepted keys: {type: RSA, minBits: 2048}, {type: EC, curves: [P-256, P-384]} (OpenSSL names such as prime256v1 accepted), {type: Ed25519}. A key that cannot be read is reported as "cannot evaluate". Re-key with an allowed algorithm.'
  },
  signature: {
    summary: "Signature algorithm forbidden or not allowed",
    help: "forbid and allow take hash names (md5, sha1, sha256, \u2026) or full algorithm names (sha256WithRSAEncryption, ecdsa-with-SHA384, ED25519). The signature of a self-signed root is ignored unless ignoreSelfSigned is false. Re-issue the certificate with an allowed signature algorithm."
  },
  san: {
    summary: "Subject alternative names missing or not matching",
    help: "requireSan (default true): the certificate carries a subjectAltName (clients ignore the CN). forbidWildcard and maxNames limit what a certificate covers. Re-issue with the right names."
  },
  eku: {
    summary: "Extended key usage missing or forbidden",
    help: "require lists usages the certificate must carry (serverAuth, clientAuth, codeSigning, \u2026 or dotted OIDs); forbid lists usages it must not carry (e.g. anyExtendedKeyUsage). A certificate without the extension does not meet require unless allowAbsent is true. Re-issue with the right usages."
  },
  "basic-constraints": {
    summary: "CA flag or key usage inconsistent with the certificate's role",
    help: "A served or client (end-entity) certificate must not have basicConstraints cA=true; a CA certificate must have cA=true and keyUsage keyCertSign; a certificate with keyCertSign must be a CA; a v1 certificate cannot be a trustworthy CA. Re-issue with the right extensions."
  },
  "kubernetes-naming": {
    summary: "Kubernetes naming rules (node, component and admin identities; kubeadm issuing CA)",
    help: "Kubernetes authorises client certificates by CN (user) and O (groups). A kubelet identity is CN system:node:<name> with O system:nodes (the Node authoriser ignores anything else); the scheduler, controller manager and kube-proxy are system:kube-scheduler, system:kube-controller-manager and system:kube-proxy; kubeadm admin.conf is in kubeadm:cluster-admins (1.29+) or system:masters, super-admin.conf in system:masters. For kubeadm preset targets the certificate must be signed by its CA file (ca.crt, etcd/ca.crt or front-proxy-ca.crt). Renew with `kubeadm certs renew` or re-issue with the right subject."
  },
  "expect.subject": {
    summary: "Subject differs from the inventory",
    help: "The certificate's subject (CN, O, OU, C) differs from `expect.subject`. Re-issue with the right subject or correct the inventory."
  },
  "expect.dnsNames": {
    summary: "DNS names missing",
    help: "A DNS name listed in `expect.dnsNames` is not among the certificate's subject alternative names. Re-issue with the missing names."
  },
  "expect.ipAddresses": {
    summary: "IP addresses missing",
    help: "An IP address listed in `expect.ipAddresses` is not among the certificate's subject alternative names. Re-issue with the missing addresses."
  },
  "expect.issuer": {
    summary: "Issued by another CA than expected",
    help: "The certificate was not signed by the anchor or subject named in `expect.issuer`."
  },
  "expect.chainTo": {
    summary: "Does not chain to the expected anchor",
    help: "Path validation does not end at the anchor named in `expect.chainTo`."
  },
  "expect.extKeyUsage": {
    summary: "Extended key usage missing",
    help: "A usage listed in `expect.extKeyUsage` is missing from the certificate."
  },
  "pin.drift": {
    summary: "Certificate differs from the pinned one",
    help: "The live certificate's SHA-256 differs from `expect.sha256`. If the re-issue was intended, accept the pin update pull request."
  },
  "chain.untrusted": {
    summary: "Chain not trusted",
    help: "No path from the certificate to a declared anchor validates."
  },
  "chain.incomplete": {
    summary: "Chain incomplete",
    help: "The source does not send the intermediate certificates needed to reach an anchor. Serve the full chain."
  },
  "chain.order": {
    summary: "Chain out of order",
    help: "The presented certificates are not in issuing order."
  },
  "chain.extra": {
    summary: "Extra certificates in the chain",
    help: "The source sends certificates that are not part of the path."
  },
  "chain.hostname": {
    summary: "Certificate does not cover the host name",
    help: "An endpoint's served certificate does not cover the name clients verify: the target's serverName, else its host (an IP address against the IP SANs), with RFC 6125 wildcards (only the whole left-most label; the CN is never used). Checked for every endpoint, whatever the policy packs. Re-issue the certificate with the name, or fix serverName."
  },
  "chain.expired-ca": {
    summary: "Expired CA in the chain",
    help: "A CA certificate in the path has expired."
  },
  "chain.not-yet-valid-ca": {
    summary: "CA in the chain not valid yet",
    help: "A CA certificate in the path is not valid yet (its notBefore is in the future): a CA issued ahead of time, or a wrong clock where it was issued. Clients reject the chain until then."
  },
  "trustStore.missing": {
    summary: "Trust store lacks an anchor",
    help: "An anchor listed in `trustStore.contains` is not in the store. Add it (a bundle pull request may be proposed)."
  },
  "trustStore.unexpected": {
    summary: "Unexpected certificate in trust store",
    help: "The store has a certificate not listed while `only: true` is set."
  },
  "trustStore.expired": {
    summary: "Expired certificate in trust store",
    help: "The store holds an expired certificate. Remove it."
  },
  "trustStore.not-ca": {
    summary: "Non-CA certificate in trust store",
    help: "The store holds a certificate that is not a CA."
  },
  "bundle.missing": {
    summary: "Bundle lacks an anchor",
    help: "A bundle kept in the repository lacks an anchor listed in `contains`."
  },
  "bundle.expired": {
    summary: "Expired certificate in bundle",
    help: "A bundle kept in the repository holds an expired certificate."
  },
  "source.unreachable": {
    summary: "Source unreachable",
    help: "The endpoint, file or object could not be reached (DNS, connection, timeout, not found, forbidden)."
  },
  "source.error": {
    summary: "Source error",
    help: "The source was reached but could not be read (parse error, permission, protocol)."
  },
  "source.empty": {
    summary: "No certificate at the source",
    help: "The source was read but holds no certificate."
  },
  "inventory.undeclared": {
    summary: "Certificate not declared in the inventory",
    help: "A certificate-bearing object was found that no target declares. Add it with `certwarden discover`."
  },
  "csr.pending": {
    summary: "CertificateSigningRequest pending",
    help: "A CertificateSigningRequest waits for approval."
  },
  "csr.unissued": {
    summary: "CertificateSigningRequest approved but not issued",
    help: "A CertificateSigningRequest was approved but no certificate was issued."
  },
  "csr.signer-rules": {
    summary: "CertificateSigningRequest breaks signer rules",
    help: "The request does not meet the rules of its signer (usages, subject, names)."
  },
  "renewal.failed": {
    summary: "Renewal failed",
    help: "Applying a renewal request failed; see the request file for the reason."
  },
  "waiver.expired": {
    summary: "Waiver expired",
    help: "A waiver's `expires` date has passed: it no longer waives, and the findings it covered are reported again. Fix the cause, or extend the waiver in review."
  },
  "revocation.revoked": {
    summary: "Certificate revoked",
    help: "The CA revoked the certificate: an OCSP response, a CRL or the stapled response says so (the message gives the date, the reason and the source). A revoked leaf: issue and deploy a new certificate (with a new key after keyCompromise). A revoked intermediate: install the CA\u2019s current intermediate. See docs/revocation.md."
  },
  "revocation.stale": {
    summary: "Revocation information stale",
    help: "The only answer about the certificate that verified is past its nextUpdate: the CA stopped publishing CRLs, its responder serves old answers, or the server keeps stapling an expired response. The CA must publish a fresh CRL or fix its responder; for a stale staple, fix the server\u2019s stapling."
  },
  "revocation.unknown": {
    summary: "Revocation status unknown",
    help: "No OCSP responder or CRL gave a trusted, current answer: not reachable within the deadline, an answer that does not verify (the reasons are listed), a responder that does not know the certificate, or only sources that are not fetched (ldap://). A warning in revocation mode soft, an error in hard (which also demands a source on every certificate of the path). Make the source reachable from where the scan runs, or reissue with an http:// OCSP URL or CRL distribution point."
  },
  "revocation.must-staple": {
    summary: "Must-staple certificate without a staple",
    help: "The certificate carries the TLS feature must-staple (status_request, RFC 7633) and the server staples no usable OCSP response; clients that honour must-staple refuse the connection. Turn on OCSP stapling (nginx: ssl_stapling on; Apache: SSLUseStapling On), or reissue without must-staple."
  },
  "expect.ocspStapling": {
    summary: "OCSP stapling expected",
    help: "The target says `expect: {ocspStapling: true}` and the server stapled no OCSP response, or one that cannot be used. Turn on stapling on the server and check it can reach its responder."
  },
  cel: {
    summary: "Custom policy rule failed",
    help: "A CEL rule of a policy pack is false for this certificate; the message says what the rule requires."
  }
};
function checkHelp(check) {
  return CHECK_HELP[check] ?? { summary: check, help: `certwarden finding \`${check}\`.` };
}

export {
  CHECK_HELP,
  checkHelp
};
