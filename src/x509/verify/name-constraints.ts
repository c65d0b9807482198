// Name constraints (RFC 5280 4.2.1.10): decoding, syntax checks on the constraints themselves, and
// applying one CA's constraints to a certificate below it. Each CA's constraints are applied on
// their own, so a later CA can only narrow, never widen, what an earlier one permitted.
import { DerError, TAG, inner, parseOne } from '../der.js';
import type { CertFacts } from '../decode.js';
import { decodeGeneralName, type DecodedName, type GeneralName } from '../general-names.js';
import { attributeOid, clip } from '../names.js';
import { EXTENSION_OIDS as OID } from '../oids.js';
import { formatIp, isValidDnsName } from './names.js';

/** One CA's decoded name constraints. `null` subtrees: that list is absent. */
export interface NameConstraints {
  permitted: GeneralName[] | null;
  excluded: GeneralName[] | null;
  critical: boolean;
}

/**
 * Name constraints of a CA certificate: null when absent, a string when unusable. `strict` refuses
 * leading-period dNSName constraints (RFC 5280 allows them only for URIs); otherwise they mean
 * "subdomains only", as OpenSSL and Go read them.
 */
export function nameConstraintsOf(f: CertFacts, strict = true): NameConstraints | string | null {
  const ext = f.extensions.get(OID.nameConstraints);
  if (!ext) return null;
  try {
    const b = ext.value;
    const seq = parseOne(b, TAG.SEQUENCE);
    let permitted: GeneralName[] | null = null;
    let excluded: GeneralName[] | null = null;
    for (const part of inner(b, seq)) {
      if (part.tag !== 0xa0 && part.tag !== 0xa1) throw new DerError('unexpected element');
      const list: GeneralName[] = [];
      for (const st of inner(b, part)) {
        const [base, ...rest] = inner(b, st);
        if (!base) throw new DerError('GeneralSubtree without base');
        // minimum MUST be zero and maximum MUST be absent (RFC 5280 4.2.1.10)
        for (const r of rest) {
          if (r.tag === 0x80 && r.end - r.body === 1 && b[r.body] === 0) continue;
          throw new DerError('GeneralSubtree uses minimum/maximum, which RFC 5280 forbids');
        }
        list.push(decodeGeneralName(b, base));
      }
      if (part.tag === 0xa0) permitted = list;
      else excluded = list;
    }
    if (!permitted?.length && !excluded?.length)
      return 'nameConstraints has neither permitted nor excluded subtrees';
    for (const c of [...(permitted ?? []), ...(excluded ?? [])]) {
      const bad = constraintSyntaxError(c, strict);
      if (bad) return bad;
    }
    return { permitted, excluded, critical: ext.critical };
  } catch (e) {
    return `nameConstraints is malformed (${(e as Error).message})`;
  }
}

function constraintSyntaxError(c: GeneralName, strict: boolean): string | null {
  switch (c.type) {
    case 'dns':
      if (c.value === '' || (c.ascii && isValidDnsName(strict ? c.value : c.value.replace(/^\./, ''), false)))
        return null;
      return `dNSName constraint '${clip(c.value)}' is not a valid DNS name`;
    case 'ip': {
      const n = c.bytes.length;
      if (n !== 8 && n !== 32) return `iPAddress constraint of ${n} bytes is not an address and mask`;
      const mask = c.bytes.subarray(n / 2);
      let seenZero = false;
      for (const byte of mask) {
        for (let bit = 7; bit >= 0; bit--) {
          const on = (byte >> bit) & 1;
          if (on && seenZero) return `iPAddress constraint has a non-contiguous mask`;
          if (!on) seenZero = true;
        }
      }
      return null;
    }
    case 'email': {
      const v = c.value;
      if (!c.ascii) return `rfc822Name constraint '${clip(v)}' is not ASCII`;
      const parts = v.split('@');
      if (parts.length > 2)
        return `rfc822Name constraint '${clip(v)}' is not a valid mailbox, host or domain`;
      const host = parts.length === 2 ? parts[1]! : v.replace(/^\./, '');
      if ((parts.length === 2 && parts[0] === '') || !isValidDnsName(host, false)) {
        return `rfc822Name constraint '${clip(v)}' is not a valid mailbox, host or domain`;
      }
      return null;
    }
    case 'uri': {
      const host = c.value.replace(/^\./, '');
      if (c.ascii && isValidDnsName(host, false)) return null;
      return `uniformResourceIdentifier constraint '${clip(c.value)}' is not a host or domain`;
    }
    default:
      return null;
  }
}

const EMAIL_ADDRESS = attributeOid('emailAddress')!;

/** The names of a certificate that constraints apply to: SANs, the subject DN, subject emailAddress. */
export function constrainedNames(f: CertFacts): GeneralName[] {
  const out: GeneralName[] = [...(f.san ?? [])];
  if (!f.subject.empty) {
    out.push({ type: 'dn', name: f.subject });
    for (const rdn of f.subject.rdns) {
      for (const ava of rdn) {
        if (ava.oid === EMAIL_ADDRESS && ava.text !== null)
          out.push({ type: 'email', value: ava.text, ascii: /^[\x20-\x7e]*$/.test(ava.text) });
      }
    }
  }
  return out;
}

/** Shared across one path check so pathological constraint sets fail fast instead of running long. */
export interface NcBudget {
  remaining: number;
}

/**
 * Applies `nc` (from a CA above) to certificate `f`. Returns null when every name is allowed,
 * else a sentence saying which name broke which constraint.
 */
export function checkNameConstraints(nc: NameConstraints, f: CertFacts, budget: NcBudget): string | null {
  const names = constrainedNames(f);
  const permitted = nc.permitted ?? [];
  const excluded = nc.excluded ?? [];
  for (const name of names) {
    const sameP = permitted.filter((c) => sameForm(c, name));
    const sameE = excluded.filter((c) => sameForm(c, name));
    if (sameP.length === 0 && sameE.length === 0) continue;
    budget.remaining -= sameP.length + sameE.length;
    if (budget.remaining < 0)
      return 'too many names and constraints to check (refused as a denial-of-service guard)';
    if (name.type === 'other')
      return `a name of a form the constraints restrict but certwarden cannot evaluate (tag 0x${name.tag.toString(16)})`;
    const invalid = nameSyntaxError(name);
    if (invalid) return invalid;
    for (const c of sameE) {
      if (matches(c, name, 'excluded')) return `${describe(name)} is in an excluded subtree (${describe(c)})`;
    }
    if (sameP.length > 0 && !sameP.some((c) => matches(c, name, 'permitted'))) {
      return `${describe(name)} is outside the permitted subtrees (${sameP.slice(0, 4).map(describe).join(', ')})`;
    }
  }
  return null;
}

function sameForm(c: GeneralName, n: GeneralName): boolean {
  if (c.type !== n.type) return false;
  return c.type !== 'other' || c.tag === (n as { tag: number }).tag;
}

function nameSyntaxError(n: GeneralName): string | null {
  switch (n.type) {
    case 'dns':
      return n.ascii && isValidDnsName(n.value, true) ? null : `dNSName '${clip(n.value)}' is malformed`;
    case 'ip':
      return n.bytes.length === 4 || n.bytes.length === 16
        ? null
        : `iPAddress of ${n.bytes.length} bytes is malformed`;
    case 'email': {
      const parts = n.value.split('@');
      return n.ascii && parts.length === 2 && parts[0] !== '' && isValidDnsName(parts[1]!, false)
        ? null
        : `rfc822Name '${clip(n.value)}' is malformed`;
    }
    case 'uri':
      return uriHost(n.value) === null
        ? `URI '${clip(n.value)}' has no host to check against constraints`
        : null;
    default:
      return null;
  }
}

function within(name: string, base: string): boolean {
  if (base.startsWith('.')) return name.endsWith(base);
  return base === '' || name === base || name.endsWith('.' + base);
}

function matches(c: GeneralName, n: GeneralName, mode: 'permitted' | 'excluded'): boolean {
  if (c.type === 'dns' && n.type === 'dns') {
    const base = c.value.toLowerCase();
    const name = n.value.toLowerCase();
    if (!name.startsWith('*.')) return within(name, base);
    // a wildcard stands for any single label: permitted only if every expansion is inside, excluded
    // if any expansion could be (CVE-2025-61727)
    const rest = name.slice(2);
    if (within(rest, base)) return true;
    if (mode === 'permitted') return false;
    const dot = base.indexOf('.');
    return dot > 0 && base.slice(dot + 1) === rest;
  }
  if (c.type === 'ip' && n.type === 'ip') {
    const len = n.bytes.length;
    if (c.bytes.length !== len * 2) return false;
    for (let i = 0; i < len; i++) {
      const m = c.bytes[len + i]!;
      if ((n.bytes[i]! & m) !== (c.bytes[i]! & m)) return false;
    }
    return true;
  }
  if (c.type === 'email' && n.type === 'email') {
    const at = n.value.indexOf('@');
    const local = n.value.slice(0, at);
    const host = n.value.slice(at + 1).toLowerCase();
    const cv = c.value;
    if (cv.includes('@')) {
      const cat = cv.indexOf('@');
      return cv.slice(0, cat) === local && cv.slice(cat + 1).toLowerCase() === host;
    }
    if (cv.startsWith('.')) return host.endsWith(cv.toLowerCase());
    return host === cv.toLowerCase();
  }
  if (c.type === 'uri' && n.type === 'uri') {
    const host = uriHost(n.value);
    if (host === null) return false;
    const cv = c.value.toLowerCase();
    return cv.startsWith('.') ? host.endsWith(cv) : host === cv;
  }
  if (c.type === 'dn' && n.type === 'dn') return dnWithin(n.name, c.name);
  return false;
}

function dnWithin(name: DecodedName, base: DecodedName): boolean {
  if (base.rdns.length > name.rdns.length) return false;
  for (let i = 0; i < base.rdns.length; i++) {
    const a = base.rdns[i]!;
    const b = name.rdns[i]!;
    if (a.length !== b.length) return false;
    for (let j = 0; j < a.length; j++) if (a[j]!.oid !== b[j]!.oid || a[j]!.norm !== b[j]!.norm) return false;
  }
  return true;
}

function uriHost(uri: string): string | null {
  const m = uri.match(/^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i);
  if (!m || !m[1]) return null;
  return m[1].toLowerCase();
}

function describe(n: GeneralName): string {
  switch (n.type) {
    case 'dns':
      return `DNS:${clip(n.value) || '(any)'}`;
    case 'ip':
      return n.bytes.length === 8 || n.bytes.length === 32
        ? `IP:${formatIp(n.bytes.subarray(0, n.bytes.length / 2))}/${formatIp(n.bytes.subarray(n.bytes.length / 2))}`
        : `IP:${formatIp(n.bytes)}`;
    case 'email':
      return `email:${clip(n.value)}`;
    case 'uri':
      return `URI:${clip(n.value)}`;
    case 'dn':
      return `DN:${clip(n.name.rdns.map((r) => r.map((a) => a.text ?? a.norm).join('+')).join(','))}`;
    default:
      return `otherName(tag 0x${n.tag.toString(16)})`;
  }
}
