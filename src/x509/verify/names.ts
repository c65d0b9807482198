// Reference-identity matching (RFC 6125 as rustls-webpki applies it) and the name syntax checks that
// name constraints and hostname matching share. Every input string is treated as hostile.
import { isIPv4, isIPv6 } from 'node:net';
import { domainToASCII } from 'node:url';
import type { GeneralName } from '../general-names.js';
import { clip, ipFromBytes, ipv6Groups } from '../names.js';

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

/** A DNS name in preferred syntax (RFC 1034 3.5 / RFC 1123 2.1), optionally with a leading `*.` label. */
export function isValidDnsName(name: string, allowWildcard: boolean): boolean {
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.split('.');
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (i === 0 && allowWildcard && l === '*' && labels.length > 1) continue;
    if (!LABEL.test(l)) return false;
  }
  // an all-numeric last label is an IP address written as a DNS name
  if (/^[0-9]+$/.test(labels[labels.length - 1]!)) return false;
  return true;
}

/** Bytes of an IP address in text form (exactly as written: no brackets, spaces or leading zeros), or null. */
export function parseIp(text: string): Buffer | null {
  if (isIPv4(text)) return Buffer.from(text.split('.').map(Number));
  if (!isIPv6(text)) return null;
  const groups = ipv6Groups(text);
  if (groups.length !== 8) return null;
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(g, i * 2));
  return out;
}

/** Canonical text of IP bytes (dotted quad, RFC 5952 for IPv6; IPv4-mapped ones in hex groups too). */
export function formatIp(b: Buffer): string {
  if (b.length !== 4 && b.length !== 16) return `<${b.length}-byte address>`;
  return ipFromBytes(b, 0, b.length, false);
}

/** Does a presented DNS SAN (possibly `*.x.y`) match the reference DNS name? */
export function dnsSanMatches(presented: string, reference: string): boolean {
  if (!isValidDnsName(presented, true)) return false;
  const p = presented.toLowerCase();
  const r = reference.toLowerCase().replace(/\.$/, '');
  if (!p.startsWith('*.')) return p === r;
  const suffix = p.slice(2);
  // a wildcard must stand for one label in front of at least two more labels (no `*.com`, no `*`)
  if (suffix.split('.').length < 2) return false;
  const dot = r.indexOf('.');
  return dot > 0 && r.slice(dot + 1) === suffix;
}

export interface PeerName {
  kind: 'DNS' | 'IP' | 'RFC822' | string;
  value: string;
}

/** Returns null when the certificate's SANs match the peer name, else why not. */
export function matchPeerName(san: GeneralName[] | null, peer: PeerName): string | null {
  const names = san ?? [];
  if (peer.kind === 'DNS') {
    // an internationalised reference name is compared in its A-label form, as it appears in SANs
    const ref = /^[\x20-\x7e]*$/.test(peer.value) ? peer.value : domainToASCII(peer.value);
    if (!isValidDnsName(ref.replace(/\.$/, ''), false))
      return `'${clip(peer.value)}' is not a valid DNS name`;
    if (names.some((n) => n.type === 'dns' && n.ascii && dnsSanMatches(n.value, ref))) return null;
  } else if (peer.kind === 'IP') {
    const ref = parseIp(peer.value);
    if (!ref) return `'${clip(peer.value)}' is not a valid IP address`;
    if (names.some((n) => n.type === 'ip' && n.bytes.equals(ref))) return null;
  } else if (peer.kind === 'RFC822') {
    const at = peer.value.lastIndexOf('@');
    const want = at < 0 ? null : peer.value.slice(0, at) + '@' + peer.value.slice(at + 1).toLowerCase();
    if (want && names.some((n) => n.type === 'email' && emailNormal(n.value) === want)) return null;
  } else {
    return `peer name kind '${clip(peer.kind)}' is not supported`;
  }
  const listed = names
    .filter((n) => n.type === 'dns' || n.type === 'ip' || n.type === 'email')
    .slice(0, 5)
    .map((n) => (n.type === 'ip' ? formatIp(n.bytes) : clip((n as { value: string }).value)));
  return san === null
    ? `certificate has no subjectAltName, so it cannot match ${peer.kind} '${clip(peer.value)}' (the subject CN is not used)`
    : `${peer.kind} '${clip(peer.value)}' matches none of the subjectAltNames (${listed.join(', ') || 'none of that kind'})`;
}

function emailNormal(v: string): string {
  const at = v.lastIndexOf('@');
  return at < 0 ? v : v.slice(0, at) + '@' + v.slice(at + 1).toLowerCase();
}
