// Distinguished names and IP addresses, read from DER and written in one canonical text form.
// Values come from certificates and are hostile: every special or control character is escaped,
// so a `dn` is always one line and parses back (parseDn) to exactly the values that were encoded.
import { isIP } from 'node:net';
import type { Name } from '../core/model.js';
import { DerError, TAG, children, hex, oidAt, readTlv, stringAt, type Tlv } from './der.js';

/** Short names used in `dn` (RFC 4514's list plus the ones OpenSSL users know). */
export const ATTRIBUTE_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.13': 'description',
  '2.5.4.15': 'businessCategory',
  '2.5.4.17': 'postalCode',
  '2.5.4.42': 'GN',
  '2.5.4.43': 'initials',
  '2.5.4.44': 'generationQualifier',
  '2.5.4.46': 'dnQualifier',
  '2.5.4.65': 'pseudonym',
  '2.5.4.97': 'organizationIdentifier',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '1.3.6.1.4.1.311.60.2.1.1': 'jurisdictionL',
  '1.3.6.1.4.1.311.60.2.1.2': 'jurisdictionST',
  '1.3.6.1.4.1.311.60.2.1.3': 'jurisdictionC',
};

const NAME_TO_OID: Record<string, string> = Object.fromEntries(
  Object.entries(ATTRIBUTE_NAMES).map(([oid, n]) => [n.toLowerCase(), oid]),
);

/** OID of an attribute type by its short name in ATTRIBUTE_NAMES (any case), e.g. 'CN' -> 2.5.4.3. */
export function attributeOid(name: string): string | null {
  return NAME_TO_OID[name.toLowerCase()] ?? null;
}

/** One attribute of a name, in encoding order. `value` is null when it is not a string type. */
export interface NameAttribute {
  oid: string;
  type: string;
  value: string | null;
  /** Hex of the whole value TLV (used in `dn` when the value is not a string or the type is unknown). */
  rawHex: string;
}

/** RDNSequence as a list of RDNs, each a list of attributes, in encoding order (`read`: see children). */
export function nameAttributes(b: Uint8Array, t: Tlv, read: typeof readTlv = readTlv): NameAttribute[][] {
  if (t.tag !== TAG.SEQUENCE) throw new DerError(`expected Name SEQUENCE at offset ${t.start}`);
  const rdns: NameAttribute[][] = [];
  for (const set of children(b, t, read)) {
    if (set.tag !== TAG.SET)
      throw new DerError(`expected RelativeDistinguishedName SET at offset ${set.start}`);
    const rdn: NameAttribute[] = [];
    for (const atv of children(b, set, read)) {
      if (atv.tag !== TAG.SEQUENCE)
        throw new DerError(`expected AttributeTypeAndValue at offset ${atv.start}`);
      const [typeT, valueT] = children(b, atv, read);
      if (!typeT || !valueT) throw new DerError(`incomplete AttributeTypeAndValue at offset ${atv.start}`);
      const oid = oidAt(b, typeT);
      const type = ATTRIBUTE_NAMES[oid];
      const value = stringAt(b, valueT);
      // Hex only when it will be shown: the hot path stays free of it.
      rdn.push({
        oid,
        type: type ?? oid,
        value,
        rawHex: value === null || !type ? hex(b, valueT.start, valueT.end) : '',
      });
    }
    rdns.push(rdn);
  }
  return rdns;
}

/** Escapes one attribute value per RFC 4514, plus every control character as \XX (one line, always). */
export function escapeDnValue(v: string): string {
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const ch = v[i]!;
    const c = v.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) out += '\\' + c.toString(16).padStart(2, '0').toUpperCase();
    else if (
      ch === '"' ||
      ch === '+' ||
      ch === ',' ||
      ch === ';' ||
      ch === '<' ||
      ch === '>' ||
      ch === '\\' ||
      ch === '='
    )
      out += '\\' + ch;
    else if ((i === 0 && (ch === '#' || ch === ' ')) || (i === v.length - 1 && ch === ' ')) out += '\\' + ch;
    else if (c >= 0x80 && c <= 0x9f) {
      // C1 controls: escape their UTF-8 bytes so terminals never interpret them.
      for (const byte of Buffer.from(ch, 'utf8')) out += '\\' + byte.toString(16).toUpperCase();
    } else if (c === 0x2028 || c === 0x2029 || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) {
      // Line separators and bidi overrides: same treatment (they can reorder or break a displayed line).
      for (const byte of Buffer.from(ch, 'utf8')) out += '\\' + byte.toString(16).toUpperCase();
    } else out += ch;
  }
  return out;
}

/** RFC 4514 string: RDNs in reverse encoding order, ',' between RDNs, '+' inside a multi-valued RDN. */
export function formatDn(rdns: NameAttribute[][]): string {
  const parts: string[] = [];
  for (let i = rdns.length - 1; i >= 0; i--) {
    parts.push(
      rdns[i]!.map((a) => {
        const known = ATTRIBUTE_NAMES[a.oid];
        if (known && a.value !== null) return `${known}=${escapeDnValue(a.value)}`;
        // Unknown type or non-string value: RFC 4514 says dotted OID and #hex of the BER value.
        return `${a.oid}=#${a.rawHex}`;
      }).join('+'),
    );
  }
  return parts.join(',');
}

/** The Name record of the model. CN is the last (most specific) common name. */
export function parseName(b: Uint8Array, t: Tlv): Name {
  return nameRecord(nameAttributes(b, t));
}

/** The Name record of attributes read by nameAttributes. */
export function nameRecord(rdns: NameAttribute[][]): Name {
  const name: Name = { dn: formatDn(rdns), CN: null, O: [], OU: [], C: [], L: [], ST: [] };
  for (const rdn of rdns) {
    for (const a of rdn) {
      const v = a.value ?? `#${a.rawHex}`; // non-string values keep their hex form
      switch (a.oid) {
        case '2.5.4.3':
          name.CN = v;
          break;
        case '2.5.4.10':
          name.O.push(v);
          break;
        case '2.5.4.11':
          name.OU.push(v);
          break;
        case '2.5.4.6':
          name.C.push(v);
          break;
        case '2.5.4.7':
          name.L.push(v);
          break;
        case '2.5.4.8':
          name.ST.push(v);
          break;
      }
    }
  }
  return name;
}

/** One parsed attribute of an RFC 4514 string. */
export interface DnAttribute {
  type: string; // as written (e.g. "CN", "2.5.4.3")
  oid: string | null; // resolved OID when known
  value: string; // unescaped; "#hex" values are kept as written
}

/**
 * Parses an RFC 4514 string into RDNs (in the string's order, i.e. most specific first).
 * Throws Error naming the position on malformed input.
 */
export function parseDn(dn: string): DnAttribute[][] {
  const out: DnAttribute[][] = [];
  let i = 0;
  const n = dn.length;
  if (n === 0) return out;
  let rdn: DnAttribute[] = [];
  for (;;) {
    while (i < n && dn[i] === ' ') i++;
    const eq = dn.indexOf('=', i);
    if (eq < 0) throw new Error(`expected '=' after attribute type at position ${i}`);
    const type = dn.slice(i, eq).trim();
    if (!type) throw new Error(`empty attribute type at position ${i}`);
    i = eq + 1;
    const bytes: number[] = [];
    let value = '';
    const flush = () => {
      if (bytes.length) {
        value += Buffer.from(bytes).toString('utf8');
        bytes.length = 0;
      }
    };
    if (dn[i] === '#') {
      const m = /^#[0-9a-fA-F]*/.exec(dn.slice(i))!;
      value = m[0];
      i += m[0].length;
    } else {
      while (i < n && dn[i] !== ',' && dn[i] !== '+') {
        if (dn[i] === '\\') {
          const h = dn.slice(i + 1, i + 3);
          if (/^[0-9a-fA-F]{2}$/.test(h)) {
            bytes.push(parseInt(h, 16));
            i += 3;
            continue;
          }
          if (i + 1 >= n) throw new Error(`dangling escape at position ${i}`);
          flush();
          value += dn[i + 1];
          i += 2;
          continue;
        }
        flush();
        const cp = dn.codePointAt(i)!;
        value += String.fromCodePoint(cp);
        i += cp > 0xffff ? 2 : 1;
      }
      flush();
    }
    rdn.push({
      type,
      oid: /^\d+(\.\d+)+$/.test(type) ? type : attributeOid(type),
      value,
    });
    if (i >= n) break;
    if (dn[i] === ',') {
      out.push(rdn);
      rdn = [];
    }
    i++;
  }
  out.push(rdn);
  return out;
}

/**
 * Canonical text of a raw iPAddress (4 or 16 bytes); other lengths are shown as "invalid:<hex>".
 * `dottedMapped`: see formatIpv6.
 */
export function ipFromBytes(b: Uint8Array, start: number, end: number, dottedMapped = true): string {
  const len = end - start;
  if (len === 4) return `${b[start]}.${b[start + 1]}.${b[start + 2]}.${b[start + 3]}`;
  if (len === 16) {
    const groups: number[] = [];
    for (let i = 0; i < 8; i++) groups.push((b[start + 2 * i]! << 8) | b[start + 2 * i + 1]!);
    return formatIpv6(groups, dottedMapped);
  }
  return `invalid:${hex(b, start, end)}`;
}

/**
 * RFC 5952: lowercase, no leading zeros, the longest run (>= 2) of zero groups as '::' (first on ties).
 * IPv4-mapped addresses keep their dotted tail (RFC 5952 section 5) unless `dottedMapped` is false.
 */
export function formatIpv6(g: readonly number[], dottedMapped = true): string {
  if (dottedMapped && g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    return `::ffff:${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}`;
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hexes = g.map((x) => x.toString(16));
  if (bestStart < 0) return hexes.join(':');
  return `${hexes.slice(0, bestStart).join(':')}::${hexes.slice(bestStart + bestLen).join(':')}`;
}

/** Canonical form of an IP written by a user (inventory) — same form as CertRecord.ipAddresses; null if not an IP. */
export function canonicalIp(text: string): string | null {
  const s = text.trim().replace(/^\[(.*)\]$/, '$1');
  const kind = isIP(s);
  if (kind === 4)
    return s
      .split('.')
      .map((x) => String(Number(x)))
      .join('.');
  if (kind !== 6) return null;
  return formatIpv6(ipv6Groups(s));
}

/** The eight 16-bit groups of an address that node's isIPv6 accepts (`::` expanded, a dotted tail split). */
export function ipv6Groups(s: string): number[] {
  let head = s;
  let v4: number[] = [];
  const m = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (m) {
    head = m[1]!.endsWith('::') ? m[1]! : m[1]!.slice(0, -1);
    const o = m[2]!.split('.').map(Number);
    v4 = [(o[0]! << 8) | o[1]!, (o[2]! << 8) | o[3]!];
  }
  const want = 8 - v4.length;
  const [l, r] = head.includes('::') ? head.split('::') : [head, null];
  const left = l ? l.split(':').map((x) => parseInt(x, 16)) : [];
  const right = r === null ? [] : r ? r.split(':').map((x) => parseInt(x, 16)) : [];
  const groups =
    r === null ? left : [...left, ...new Array(want - left.length - right.length).fill(0), ...right];
  return [...groups, ...v4];
}

/** A hostile string, cut short and stripped of control characters for messages. */
export function clip(s: string, max = 80): string {
  // eslint-disable-next-line no-control-regex
  const clean = s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return clean.length > max ? clean.slice(0, max) + '…' : clean;
}
