// Names as path validation compares them: a Name's attributes normalised into a comparison key, and
// GeneralNames (RFC 5280 4.2.1.6) decoded as far as name matching and name constraints need. Read
// strictly (readStrictTlv); the Name's attributes in encoding order are kept for the record's `dn`.
import { DerError, TAG, contents, inner, parseOne, readStrictTlv, whole, type Tlv } from './der.js';
import { nameAttributes, type NameAttribute } from './names.js';

export interface Ava {
  oid: string;
  /** Normalised for comparison (RFC 5280 7.1 spirit: case-folded, whitespace collapsed). */
  norm: string;
  text: string | null;
}

/** A decoded Name: its RDNs, and a canonical key two equal names share. */
export interface DecodedName {
  raw: Buffer;
  rdns: Ava[][];
  key: string;
  empty: boolean;
}

/**
 * A Name read once: its attributes in encoding order (the record's `dn` is written from them) and,
 * computed on first use, the normalised RDNs and key that path building compares.
 */
export class NameFacts implements DecodedName {
  private norm: { rdns: Ava[][]; key: string } | null = null;

  constructor(
    private readonly b: Buffer,
    private readonly t: Tlv,
    readonly attributes: NameAttribute[][],
  ) {}

  get raw(): Buffer {
    return whole(this.b, this.t);
  }

  get rdns(): Ava[][] {
    return this.normalised().rdns;
  }

  get key(): string {
    return this.normalised().key;
  }

  get empty(): boolean {
    return this.attributes.every((r) => r.length === 0);
  }

  private normalised(): { rdns: Ava[][]; key: string } {
    if (this.norm) return this.norm;
    const rdns = this.attributes.map((rdn) => {
      const avas: Ava[] = rdn.map((a) => ({
        oid: a.oid,
        norm: a.value !== null ? a.value.trim().replace(/\s+/g, ' ').toLowerCase() : '#' + a.rawHex,
        text: a.value,
      }));
      // an empty RDN is malformed but common in test and legacy data; it stays part of the name's key
      avas.sort((x, y) => (x.oid + '=' + x.norm < y.oid + '=' + y.norm ? -1 : 1));
      return avas;
    });
    const key = rdns.map((r) => r.map((a) => `${a.oid}=${JSON.stringify(a.norm)}`).join('+')).join(',');
    this.norm = { rdns, key };
    return this.norm;
  }
}

/** A Name as names.ts reads it (strictly), each RDN's attributes sorted for comparison. */
export function decodeName(b: Buffer, t: Tlv): NameFacts {
  return new NameFacts(b, t, nameAttributes(b, t, readStrictTlv));
}

/** One GeneralName (RFC 5280 4.2.1.6), decoded as far as validation needs. */
export type GeneralName =
  | { type: 'dns'; value: string; ascii: boolean }
  | { type: 'ip'; bytes: Buffer }
  | { type: 'email'; value: string; ascii: boolean }
  | { type: 'uri'; value: string; ascii: boolean }
  | { type: 'dn'; name: DecodedName }
  | { type: 'other'; tag: number; raw: Buffer };

function isAscii(b: Buffer): boolean {
  for (const c of b) if (c > 0x7e || c < 0x20) return false;
  return true;
}

function ia5(b: Buffer, t: Tlv): { value: string; ascii: boolean } {
  const v = contents(b, t);
  return { value: v.toString('latin1'), ascii: isAscii(v) };
}

export function decodeGeneralName(b: Buffer, t: Tlv): GeneralName {
  switch (t.tag) {
    case 0x82:
      return { type: 'dns', ...ia5(b, t) };
    case 0x81:
      return { type: 'email', ...ia5(b, t) };
    case 0x86:
      return { type: 'uri', ...ia5(b, t) };
    case 0x87:
      return { type: 'ip', bytes: Buffer.from(contents(b, t)) };
    case 0xa4: {
      const names = inner(b, t);
      if (names.length !== 1) throw new DerError('directoryName must hold one Name');
      return { type: 'dn', name: decodeName(b, names[0]!) };
    }
    default:
      // otherName [0], x400Address [3], ediPartyName [5], registeredID [8]: recognised as present only
      return { type: 'other', tag: t.tag, raw: whole(b, t) };
  }
}

export function decodeGeneralNames(b: Buffer): GeneralName[] {
  return inner(b, parseOne(b, TAG.SEQUENCE)).map((t) => decodeGeneralName(b, t));
}
