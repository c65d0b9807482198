import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  ParseError
} from "./chunk-WW3ZWNRQ.js";

// src/x509/der.ts
var DerError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "DerError";
  }
};
var TAG = {
  BOOLEAN: 1,
  INTEGER: 2,
  BIT_STRING: 3,
  OCTET_STRING: 4,
  NULL: 5,
  OID: 6,
  UTF8String: 12,
  PrintableString: 19,
  TeletexString: 20,
  IA5String: 22,
  UTCTime: 23,
  GeneralizedTime: 24,
  VisibleString: 26,
  UniversalString: 28,
  BMPString: 30,
  SEQUENCE: 48,
  SET: 49
};
function readTlv(b, pos, limit = b.length) {
  if (pos >= limit) throw new DerError(`unexpected end of data at offset ${pos}`);
  const tag = b[pos];
  let p = pos + 1;
  let num = tag & 31;
  if (num === 31) {
    num = 0;
    let n = 0;
    for (; ; ) {
      if (p >= limit) throw new DerError(`truncated tag at offset ${pos}`);
      const c = b[p++];
      num = num * 128 + (c & 127);
      if (++n > 4) throw new DerError(`tag number too large at offset ${pos}`);
      if ((c & 128) === 0) break;
    }
  }
  if (p >= limit) throw new DerError(`truncated length at offset ${pos}`);
  let len = b[p++];
  if (len & 128) {
    const n = len & 127;
    if (n === 0) throw new DerError(`indefinite length at offset ${pos} (BER, not DER)`);
    if (n > 4) throw new DerError(`length too large at offset ${pos}`);
    if (p + n > limit) throw new DerError(`truncated length at offset ${pos}`);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[p++];
  }
  const end = p + len;
  if (end > limit)
    throw new DerError(`element at offset ${pos} claims ${len} bytes, only ${limit - p} remain`);
  return { tag, num, start: pos, body: p, end };
}
function readStrictTlv(b, pos, limit = b.length) {
  const t = readTlv(b, pos, limit);
  if ((t.tag & 31) === 31) throw new DerError("high tag numbers are not supported");
  const len = t.end - t.body;
  const header = len < 128 ? 2 : len < 256 ? 3 : len < 65536 ? 4 : len < 16777216 ? 5 : 6;
  if (t.body - t.start !== header) throw new DerError("non-minimal DER length");
  if (t.tag === TAG.OID) {
    for (let i = t.body, atStart = true; i < t.end; i++) {
      if (atStart && b[i] === 128) throw new DerError("non-minimal OID encoding");
      atStart = (b[i] & 128) === 0;
    }
  }
  return t;
}
function expectTlv(b, pos, limit, tag, what) {
  const t = readTlv(b, pos, limit);
  if (t.tag !== tag)
    throw new DerError(`expected ${what} at offset ${pos}, found tag 0x${t.tag.toString(16)}`);
  return t;
}
function children(b, t, read = readTlv) {
  const out = [];
  let p = t.body;
  while (p < t.end) {
    const c = read(b, p, t.end);
    out.push(c);
    p = c.end;
  }
  return out;
}
function isConstructed(t) {
  return (t.tag & 32) !== 0;
}
function isContext(t, n) {
  return (t.tag & 192) === 128 && t.num === n;
}
var oidCache = /* @__PURE__ */ new Map();
function oidAt(b, t) {
  if (t.tag !== TAG.OID) throw new DerError(`expected OBJECT IDENTIFIER at offset ${t.start}`);
  const len = t.end - t.body;
  if (len === 0 || len > 128) throw new DerError(`bad OBJECT IDENTIFIER length at offset ${t.start}`);
  let key = "";
  for (let i = t.body; i < t.end; i++) key += String.fromCharCode(b[i]);
  const hit = oidCache.get(key);
  if (hit !== void 0) return hit;
  const parts = [];
  let v = 0n;
  let first = true;
  for (let i = t.body; i < t.end; i++) {
    const c = b[i];
    v = v << 7n | BigInt(c & 127);
    if ((c & 128) === 0) {
      if (first) {
        const x = v < 40n ? 0n : v < 80n ? 1n : 2n;
        parts.push(String(x), String(v - x * 40n));
        first = false;
      } else parts.push(String(v));
      v = 0n;
    } else if (i === t.end - 1) throw new DerError(`truncated OBJECT IDENTIFIER at offset ${t.start}`);
  }
  const s = parts.join(".");
  if (oidCache.size < 4096) oidCache.set(key, s);
  return s;
}
function hex(b, start, end) {
  return Buffer.from(b.buffer, b.byteOffset + start, end - start).toString("hex");
}
function integerHex(b, t) {
  if (t.end === t.body) return "00";
  if (b[t.body] & 128) {
    let n = 0n;
    for (let i = t.body; i < t.end; i++) n = n << 8n | BigInt(b[i]);
    n = (1n << BigInt((t.end - t.body) * 8)) - n;
    let h = n.toString(16);
    if (h.length % 2) h = "0" + h;
    return "-" + h;
  }
  let s = t.body;
  while (s < t.end - 1 && b[s] === 0) s++;
  return hex(b, s, t.end);
}
function smallInteger(b, t) {
  if (t.tag !== TAG.INTEGER || t.end === t.body) return null;
  if (b[t.body] & 128) return null;
  let s = t.body;
  while (s < t.end - 1 && b[s] === 0) s++;
  if (t.end - s > 6) return null;
  let v = 0;
  for (let i = s; i < t.end; i++) v = v * 256 + b[i];
  return v;
}
function integerBits(b, t) {
  let s = t.body;
  while (s < t.end && b[s] === 0) s++;
  if (s === t.end) return 0;
  return (t.end - s - 1) * 8 + (32 - Math.clz32(b[s]));
}
function bitString(b, t) {
  if (t.tag !== TAG.BIT_STRING || t.end === t.body)
    throw new DerError(`expected BIT STRING at offset ${t.start}`);
  const unused = b[t.body];
  if (unused > 7) throw new DerError(`bad BIT STRING at offset ${t.start}`);
  return { start: t.body + 1, end: t.end, unused };
}
function digits(b, p, n) {
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = b[p + i] - 48;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  return v;
}
function timeAt(b, t) {
  let p = t.body;
  const end = t.end;
  let year;
  if (t.tag === TAG.UTCTime) {
    const yy = digits(b, p, 2);
    year = yy < 50 ? 2e3 + yy : 1900 + yy;
    p += 2;
  } else if (t.tag === TAG.GeneralizedTime) {
    year = digits(b, p, 4);
    p += 4;
  } else return NaN;
  if (end - p < 6) return NaN;
  const month = digits(b, p, 2);
  const day = digits(b, p + 2, 2);
  const hour = digits(b, p + 4, 2);
  p += 6;
  let minute = 0;
  let second = 0;
  let ms = 0;
  if (p + 2 <= end && b[p] >= 48 && b[p] <= 57) {
    minute = digits(b, p, 2);
    p += 2;
    if (p + 2 <= end && b[p] >= 48 && b[p] <= 57) {
      second = digits(b, p, 2);
      p += 2;
    }
  }
  if (p < end && (b[p] === 46 || b[p] === 44)) {
    p++;
    let scale = 100;
    while (p < end && b[p] >= 48 && b[p] <= 57) {
      ms += (b[p] - 48) * scale;
      scale /= 10;
      p++;
    }
    ms = Math.floor(ms);
  }
  let offset = 0;
  if (p < end && b[p] === 90) p++;
  else if (p + 5 <= end && (b[p] === 43 || b[p] === 45)) {
    const sign = b[p] === 43 ? 1 : -1;
    offset = sign * (digits(b, p + 1, 2) * 60 + digits(b, p + 3, 2));
    p += 5;
  }
  if (p !== end) return NaN;
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 24 && minute <= 59 && second <= 60))
    return NaN;
  const v = Date.UTC(year, month - 1, day, hour, minute, second, ms) - offset * 6e4;
  if (year < 100) return new Date(v).setUTCFullYear(year);
  return v;
}
function stringAt(b, t) {
  const buf = Buffer.from(b.buffer, b.byteOffset + t.body, t.end - t.body);
  switch (t.tag) {
    case TAG.UTF8String:
      return buf.toString("utf8");
    case TAG.PrintableString:
    case TAG.IA5String:
    case TAG.VisibleString:
    case 18:
    // NumericString
    case 25:
    // GraphicString
    case 27:
      return buf.toString("latin1");
    case TAG.TeletexString:
    case 21:
      return buf.toString("latin1");
    case TAG.BMPString: {
      if (buf.length % 2) return null;
      const sw = Buffer.from(buf);
      sw.swap16();
      return sw.toString("utf16le");
    }
    case TAG.UniversalString: {
      if (buf.length % 4) return null;
      let s = "";
      for (let i = 0; i < buf.length; i += 4) {
        const cp = buf.readUInt32BE(i);
        s += cp <= 1114111 && (cp < 55296 || cp > 57343) ? String.fromCodePoint(cp) : "\uFFFD";
      }
      return s;
    }
    default:
      return null;
  }
}
function certSkeleton(der) {
  const outer = expectTlv(der, 0, der.length, TAG.SEQUENCE, "Certificate SEQUENCE");
  const tbs = expectTlv(der, outer.body, outer.end, TAG.SEQUENCE, "TBSCertificate SEQUENCE");
  const sigAlg = expectTlv(der, tbs.end, outer.end, TAG.SEQUENCE, "signatureAlgorithm");
  const sigVal = expectTlv(der, sigAlg.end, outer.end, TAG.BIT_STRING, "signatureValue BIT STRING");
  if (sigVal.end !== outer.end) throw new DerError("extra data inside the Certificate SEQUENCE");
  let p = tbs.body;
  let t = readTlv(der, p, tbs.end);
  let version = 1;
  if (t.tag === 160) {
    const v = expectTlv(der, t.body, t.end, TAG.INTEGER, "version INTEGER");
    const n = smallInteger(der, v);
    version = n === null ? -1 : n + 1;
    p = t.end;
    t = readTlv(der, p, tbs.end);
  }
  if (t.tag !== TAG.INTEGER) throw new DerError(`expected serialNumber INTEGER at offset ${t.start}`);
  const serial = t;
  const tbsSigAlg = expectTlv(der, serial.end, tbs.end, TAG.SEQUENCE, "signature AlgorithmIdentifier");
  const issuer = expectTlv(der, tbsSigAlg.end, tbs.end, TAG.SEQUENCE, "issuer Name");
  const validity = expectTlv(der, issuer.end, tbs.end, TAG.SEQUENCE, "Validity");
  const notBefore = readTlv(der, validity.body, validity.end);
  const notAfter = readTlv(der, notBefore.end, validity.end);
  const subject = expectTlv(der, validity.end, tbs.end, TAG.SEQUENCE, "subject Name");
  const spki = expectTlv(der, subject.end, tbs.end, TAG.SEQUENCE, "SubjectPublicKeyInfo");
  const extensions = /* @__PURE__ */ new Map();
  const duplicateExtensions = [];
  p = spki.end;
  while (p < tbs.end) {
    const f = readTlv(der, p, tbs.end);
    p = f.end;
    if (f.tag !== 163) continue;
    const seq = expectTlv(der, f.body, f.end, TAG.SEQUENCE, "Extensions SEQUENCE");
    for (const ext of children(der, seq)) {
      if (ext.tag !== TAG.SEQUENCE) throw new DerError(`expected Extension SEQUENCE at offset ${ext.start}`);
      const idT = expectTlv(der, ext.body, ext.end, TAG.OID, "extnID");
      let q = readTlv(der, idT.end, ext.end);
      let critical = false;
      if (q.tag === TAG.BOOLEAN) {
        critical = q.end > q.body && der[q.body] !== 0;
        q = readTlv(der, q.end, ext.end);
      }
      if (q.tag !== TAG.OCTET_STRING)
        throw new DerError(`expected extnValue OCTET STRING at offset ${q.start}`);
      const id = oidAt(der, idT);
      if (extensions.has(id)) duplicateExtensions.push(id);
      else extensions.set(id, { critical, value: q });
    }
  }
  return {
    tbs,
    version,
    serial,
    tbsSigAlg,
    issuer,
    notBefore,
    notAfter,
    subject,
    spki,
    extensions,
    duplicateExtensions,
    sigAlg,
    trailing: der.length - outer.end
  };
}
function algorithmAt(b, t) {
  const o = expectTlv(b, t.body, t.end, TAG.OID, "algorithm OID");
  const params = o.end < t.end ? readTlv(b, o.end, t.end) : null;
  return { oid: oidAt(b, o), params };
}
function inner(b, t) {
  if (!isConstructed(t)) throw new DerError("expected a constructed element");
  return children(b, t, readStrictTlv);
}
function parseOne(b, expectTag2) {
  const t = readStrictTlv(b, 0, b.length);
  if (t.end !== b.length) throw new DerError("trailing data after DER element");
  if (expectTag2 !== void 0 && t.tag !== expectTag2)
    throw new DerError(`expected tag 0x${expectTag2.toString(16)}, found 0x${t.tag.toString(16)}`);
  return t;
}
function expectTag(t, tag, what) {
  if (!t) throw new DerError(`missing ${what}`);
  if (t.tag !== tag) throw new DerError(`${what}: unexpected tag 0x${t.tag.toString(16)}`);
  return t;
}
function contents(b, t) {
  return b.subarray(t.body, t.end);
}
function whole(b, t) {
  return b.subarray(t.start, t.end);
}
function strictBoolean(b, t) {
  if (t.end - t.body !== 1 || b[t.body] !== 0 && b[t.body] !== 255)
    throw new DerError("invalid DER BOOLEAN");
  return b[t.body] === 255;
}
function strictSmallInt(b, t) {
  if (t.end === t.body || t.end - t.body > 4) throw new DerError("INTEGER out of range");
  if (b[t.body] & 128) throw new DerError("negative INTEGER");
  let n = 0;
  for (let i = t.body; i < t.end; i++) n = n * 256 + b[i];
  return n;
}

// src/x509/parse.ts
import { X509Certificate, createHash as createHash2 } from "node:crypto";

// src/x509/decode.ts
import { createHash, createPublicKey } from "node:crypto";

// src/x509/names.ts
import { isIP } from "node:net";
var ATTRIBUTE_NAMES = {
  "2.5.4.3": "CN",
  "2.5.4.4": "SN",
  "2.5.4.5": "serialNumber",
  "2.5.4.6": "C",
  "2.5.4.7": "L",
  "2.5.4.8": "ST",
  "2.5.4.9": "STREET",
  "2.5.4.10": "O",
  "2.5.4.11": "OU",
  "2.5.4.12": "title",
  "2.5.4.13": "description",
  "2.5.4.15": "businessCategory",
  "2.5.4.17": "postalCode",
  "2.5.4.42": "GN",
  "2.5.4.43": "initials",
  "2.5.4.44": "generationQualifier",
  "2.5.4.46": "dnQualifier",
  "2.5.4.65": "pseudonym",
  "2.5.4.97": "organizationIdentifier",
  "0.9.2342.19200300.100.1.25": "DC",
  "0.9.2342.19200300.100.1.1": "UID",
  "1.2.840.113549.1.9.1": "emailAddress",
  "1.3.6.1.4.1.311.60.2.1.1": "jurisdictionL",
  "1.3.6.1.4.1.311.60.2.1.2": "jurisdictionST",
  "1.3.6.1.4.1.311.60.2.1.3": "jurisdictionC"
};
var NAME_TO_OID = Object.fromEntries(
  Object.entries(ATTRIBUTE_NAMES).map(([oid, n]) => [n.toLowerCase(), oid])
);
function attributeOid(name) {
  return NAME_TO_OID[name.toLowerCase()] ?? null;
}
function nameAttributes(b, t, read = readTlv) {
  if (t.tag !== TAG.SEQUENCE) throw new DerError(`expected Name SEQUENCE at offset ${t.start}`);
  const rdns = [];
  for (const set of children(b, t, read)) {
    if (set.tag !== TAG.SET)
      throw new DerError(`expected RelativeDistinguishedName SET at offset ${set.start}`);
    const rdn = [];
    for (const atv of children(b, set, read)) {
      if (atv.tag !== TAG.SEQUENCE)
        throw new DerError(`expected AttributeTypeAndValue at offset ${atv.start}`);
      const [typeT, valueT] = children(b, atv, read);
      if (!typeT || !valueT) throw new DerError(`incomplete AttributeTypeAndValue at offset ${atv.start}`);
      const oid = oidAt(b, typeT);
      const type = ATTRIBUTE_NAMES[oid];
      const value = stringAt(b, valueT);
      rdn.push({
        oid,
        type: type ?? oid,
        value,
        rawHex: value === null || !type ? hex(b, valueT.start, valueT.end) : ""
      });
    }
    rdns.push(rdn);
  }
  return rdns;
}
function escapeDnValue(v) {
  let out = "";
  for (let i = 0; i < v.length; i++) {
    const ch = v[i];
    const c = v.charCodeAt(i);
    if (c < 32 || c === 127) out += "\\" + c.toString(16).padStart(2, "0").toUpperCase();
    else if (ch === '"' || ch === "+" || ch === "," || ch === ";" || ch === "<" || ch === ">" || ch === "\\" || ch === "=")
      out += "\\" + ch;
    else if (i === 0 && (ch === "#" || ch === " ") || i === v.length - 1 && ch === " ") out += "\\" + ch;
    else if (c >= 128 && c <= 159) {
      for (const byte of Buffer.from(ch, "utf8")) out += "\\" + byte.toString(16).toUpperCase();
    } else if (c === 8232 || c === 8233 || c >= 8234 && c <= 8238 || c >= 8294 && c <= 8297) {
      for (const byte of Buffer.from(ch, "utf8")) out += "\\" + byte.toString(16).toUpperCase();
    } else out += ch;
  }
  return out;
}
function formatDn(rdns) {
  const parts = [];
  for (let i = rdns.length - 1; i >= 0; i--) {
    parts.push(
      rdns[i].map((a) => {
        const known = ATTRIBUTE_NAMES[a.oid];
        if (known && a.value !== null) return `${known}=${escapeDnValue(a.value)}`;
        return `${a.oid}=#${a.rawHex}`;
      }).join("+")
    );
  }
  return parts.join(",");
}
function parseName(b, t) {
  return nameRecord(nameAttributes(b, t));
}
function nameRecord(rdns) {
  const name = { dn: formatDn(rdns), CN: null, O: [], OU: [], C: [], L: [], ST: [] };
  for (const rdn of rdns) {
    for (const a of rdn) {
      const v = a.value ?? `#${a.rawHex}`;
      switch (a.oid) {
        case "2.5.4.3":
          name.CN = v;
          break;
        case "2.5.4.10":
          name.O.push(v);
          break;
        case "2.5.4.11":
          name.OU.push(v);
          break;
        case "2.5.4.6":
          name.C.push(v);
          break;
        case "2.5.4.7":
          name.L.push(v);
          break;
        case "2.5.4.8":
          name.ST.push(v);
          break;
      }
    }
  }
  return name;
}
function ipFromBytes(b, start, end, dottedMapped = true) {
  const len = end - start;
  if (len === 4) return `${b[start]}.${b[start + 1]}.${b[start + 2]}.${b[start + 3]}`;
  if (len === 16) {
    const groups = [];
    for (let i = 0; i < 8; i++) groups.push(b[start + 2 * i] << 8 | b[start + 2 * i + 1]);
    return formatIpv6(groups, dottedMapped);
  }
  return `invalid:${hex(b, start, end)}`;
}
function formatIpv6(g, dottedMapped = true) {
  if (dottedMapped && g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 65535) {
    return `::ffff:${g[6] >> 8}.${g[6] & 255}.${g[7] >> 8}.${g[7] & 255}`;
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
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
  if (bestStart < 0) return hexes.join(":");
  return `${hexes.slice(0, bestStart).join(":")}::${hexes.slice(bestStart + bestLen).join(":")}`;
}
function canonicalIp(text) {
  const s = text.trim().replace(/^\[(.*)\]$/, "$1");
  const kind = isIP(s);
  if (kind === 4)
    return s.split(".").map((x) => String(Number(x))).join(".");
  if (kind !== 6) return null;
  return formatIpv6(ipv6Groups(s));
}
function ipv6Groups(s) {
  let head = s;
  let v4 = [];
  const m = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (m) {
    head = m[1].endsWith("::") ? m[1] : m[1].slice(0, -1);
    const o = m[2].split(".").map(Number);
    v4 = [o[0] << 8 | o[1], o[2] << 8 | o[3]];
  }
  const want = 8 - v4.length;
  const [l, r] = head.includes("::") ? head.split("::") : [head, null];
  const left = l ? l.split(":").map((x) => parseInt(x, 16)) : [];
  const right = r === null ? [] : r ? r.split(":").map((x) => parseInt(x, 16)) : [];
  const groups = r === null ? left : [...left, ...new Array(want - left.length - right.length).fill(0), ...right];
  return [...groups, ...v4];
}
function clip(s, max = 80) {
  const clean = s.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
  return clean.length > max ? clean.slice(0, max) + "\u2026" : clean;
}

// src/x509/general-names.ts
var NameFacts = class {
  constructor(b, t, attributes) {
    this.b = b;
    this.t = t;
    this.attributes = attributes;
  }
  b;
  t;
  attributes;
  norm = null;
  get raw() {
    return whole(this.b, this.t);
  }
  get rdns() {
    return this.normalised().rdns;
  }
  get key() {
    return this.normalised().key;
  }
  get empty() {
    return this.attributes.every((r) => r.length === 0);
  }
  normalised() {
    if (this.norm) return this.norm;
    const rdns = this.attributes.map((rdn) => {
      const avas = rdn.map((a) => ({
        oid: a.oid,
        norm: a.value !== null ? a.value.trim().replace(/\s+/g, " ").toLowerCase() : "#" + a.rawHex,
        text: a.value
      }));
      avas.sort((x, y) => x.oid + "=" + x.norm < y.oid + "=" + y.norm ? -1 : 1);
      return avas;
    });
    const key = rdns.map((r) => r.map((a) => `${a.oid}=${JSON.stringify(a.norm)}`).join("+")).join(",");
    this.norm = { rdns, key };
    return this.norm;
  }
};
function decodeName(b, t) {
  return new NameFacts(b, t, nameAttributes(b, t, readStrictTlv));
}
function isAscii(b) {
  for (const c of b) if (c > 126 || c < 32) return false;
  return true;
}
function ia5(b, t) {
  const v = contents(b, t);
  return { value: v.toString("latin1"), ascii: isAscii(v) };
}
function decodeGeneralName(b, t) {
  switch (t.tag) {
    case 130:
      return { type: "dns", ...ia5(b, t) };
    case 129:
      return { type: "email", ...ia5(b, t) };
    case 134:
      return { type: "uri", ...ia5(b, t) };
    case 135:
      return { type: "ip", bytes: Buffer.from(contents(b, t)) };
    case 164: {
      const names = inner(b, t);
      if (names.length !== 1) throw new DerError("directoryName must hold one Name");
      return { type: "dn", name: decodeName(b, names[0]) };
    }
    default:
      return { type: "other", tag: t.tag, raw: whole(b, t) };
  }
}
function decodeGeneralNames(b) {
  return inner(b, parseOne(b, TAG.SEQUENCE)).map((t) => decodeGeneralName(b, t));
}

// src/x509/oids.ts
var SIGNATURE_ALGORITHMS = {
  "1.2.840.113549.1.1.2": ["md2WithRSAEncryption", "md2"],
  "1.2.840.113549.1.1.3": ["md4WithRSAEncryption", "md4"],
  "1.2.840.113549.1.1.4": ["md5WithRSAEncryption", "md5"],
  "1.2.840.113549.1.1.5": ["sha1WithRSAEncryption", "sha1"],
  "1.3.14.3.2.29": ["sha1WithRSA", "sha1"],
  "1.2.840.113549.1.1.14": ["sha224WithRSAEncryption", "sha224"],
  "1.2.840.113549.1.1.11": ["sha256WithRSAEncryption", "sha256"],
  "1.2.840.113549.1.1.12": ["sha384WithRSAEncryption", "sha384"],
  "1.2.840.113549.1.1.13": ["sha512WithRSAEncryption", "sha512"],
  "1.2.840.113549.1.1.10": ["rsassaPss", "sha1"],
  // hash refined from the parameters
  "1.2.840.10045.4.1": ["ecdsa-with-SHA1", "sha1"],
  "1.2.840.10045.4.3.1": ["ecdsa-with-SHA224", "sha224"],
  "1.2.840.10045.4.3.2": ["ecdsa-with-SHA256", "sha256"],
  "1.2.840.10045.4.3.3": ["ecdsa-with-SHA384", "sha384"],
  "1.2.840.10045.4.3.4": ["ecdsa-with-SHA512", "sha512"],
  "1.2.840.10040.4.3": ["dsa_with_SHA1", "sha1"],
  "2.16.840.1.101.3.4.3.1": ["dsa_with_SHA224", "sha224"],
  "2.16.840.1.101.3.4.3.2": ["dsa_with_SHA256", "sha256"],
  "2.16.840.1.101.3.4.3.9": ["ecdsa_with_SHA3-224", "sha3-224"],
  "2.16.840.1.101.3.4.3.10": ["ecdsa_with_SHA3-256", "sha3-256"],
  "2.16.840.1.101.3.4.3.11": ["ecdsa_with_SHA3-384", "sha3-384"],
  "2.16.840.1.101.3.4.3.12": ["ecdsa_with_SHA3-512", "sha3-512"],
  "2.16.840.1.101.3.4.3.13": ["RSA-SHA3-224", "sha3-224"],
  "2.16.840.1.101.3.4.3.14": ["RSA-SHA3-256", "sha3-256"],
  "2.16.840.1.101.3.4.3.15": ["RSA-SHA3-384", "sha3-384"],
  "2.16.840.1.101.3.4.3.16": ["RSA-SHA3-512", "sha3-512"],
  "1.3.101.112": ["ED25519", null],
  "1.3.101.113": ["ED448", null],
  "2.16.840.1.101.3.4.3.17": ["ML-DSA-44", null],
  "2.16.840.1.101.3.4.3.18": ["ML-DSA-65", null],
  "2.16.840.1.101.3.4.3.19": ["ML-DSA-87", null],
  "1.2.643.2.2.3": ["GOST R 34.11-94 with GOST R 34.10-2001", "gostr3411-94"],
  "1.2.643.7.1.1.3.2": ["GOST R 34.10-2012 with GOST R 34.11-2012 (256 bit)", "streebog256"],
  "1.2.643.7.1.1.3.3": ["GOST R 34.10-2012 with GOST R 34.11-2012 (512 bit)", "streebog512"],
  "1.2.156.10197.1.501": ["SM2-with-SM3", "sm3"]
};
var HASH_OIDS = {
  "1.3.14.3.2.26": "sha1",
  "2.16.840.1.101.3.4.2.4": "sha224",
  "2.16.840.1.101.3.4.2.1": "sha256",
  "2.16.840.1.101.3.4.2.2": "sha384",
  "2.16.840.1.101.3.4.2.3": "sha512",
  "1.2.840.113549.2.5": "md5"
};
var CURVES = {
  "1.2.840.10045.3.1.7": ["P-256", 256],
  "1.3.132.0.34": ["P-384", 384],
  "1.3.132.0.35": ["P-521", 521],
  "1.3.132.0.33": ["P-224", 224],
  "1.2.840.10045.3.1.1": ["P-192", 192],
  "1.3.132.0.10": ["secp256k1", 256],
  "1.3.36.3.3.2.8.1.1.7": ["brainpoolP256r1", 256],
  "1.3.36.3.3.2.8.1.1.11": ["brainpoolP384r1", 384],
  "1.3.36.3.3.2.8.1.1.13": ["brainpoolP512r1", 512],
  "1.2.156.10197.1.301": ["SM2", 256]
};
var KEY_ALGORITHMS = {
  "1.3.101.110": "X25519",
  "1.3.101.111": "X448",
  "1.2.840.113549.1.1.7": "RSAES-OAEP",
  "2.16.840.1.101.3.4.3.17": "ML-DSA-44",
  "2.16.840.1.101.3.4.3.18": "ML-DSA-65",
  "2.16.840.1.101.3.4.3.19": "ML-DSA-87",
  "2.16.840.1.101.3.4.4.1": "ML-KEM-512",
  "2.16.840.1.101.3.4.4.2": "ML-KEM-768",
  "2.16.840.1.101.3.4.4.3": "ML-KEM-1024",
  "1.2.643.2.2.19": "GOST R 34.10-2001",
  "1.2.643.7.1.1.1.1": "GOST R 34.10-2012 (256 bit)",
  "1.2.643.7.1.1.1.2": "GOST R 34.10-2012 (512 bit)"
};
var EXTENDED_KEY_USAGES = {
  "1.3.6.1.5.5.7.3.1": "serverAuth",
  "1.3.6.1.5.5.7.3.2": "clientAuth",
  "1.3.6.1.5.5.7.3.3": "codeSigning",
  "1.3.6.1.5.5.7.3.4": "emailProtection",
  "1.3.6.1.5.5.7.3.8": "timeStamping",
  "1.3.6.1.5.5.7.3.9": "OCSPSigning",
  "2.5.29.37.0": "anyExtendedKeyUsage"
};
var KEY_USAGE_BITS = [
  "digitalSignature",
  "nonRepudiation",
  "keyEncipherment",
  "dataEncipherment",
  "keyAgreement",
  "keyCertSign",
  "cRLSign",
  "encipherOnly",
  "decipherOnly"
];
var EXTENSION_OIDS = {
  subjectKeyId: "2.5.29.14",
  keyUsage: "2.5.29.15",
  subjectAltName: "2.5.29.17",
  issuerAltName: "2.5.29.18",
  basicConstraints: "2.5.29.19",
  nameConstraints: "2.5.29.30",
  crlDistributionPoints: "2.5.29.31",
  certificatePolicies: "2.5.29.32",
  policyMappings: "2.5.29.33",
  authorityKeyId: "2.5.29.35",
  policyConstraints: "2.5.29.36",
  extKeyUsage: "2.5.29.37",
  freshestCrl: "2.5.29.46",
  inhibitAnyPolicy: "2.5.29.54",
  authorityInfoAccess: "1.3.6.1.5.5.7.1.1",
  subjectInfoAccess: "1.3.6.1.5.5.7.1.11",
  sctList: "1.3.6.1.4.1.11129.2.4.2",
  ctPoison: "1.3.6.1.4.1.11129.2.4.3",
  ocspNoCheck: "1.3.6.1.5.5.7.48.1.5"
};
var EKU_OID = Object.fromEntries(
  Object.entries(EXTENDED_KEY_USAGES).map(([oid, name]) => [name, oid])
);

// src/x509/extensions.ts
var KNOWN_CRITICAL = /* @__PURE__ */ new Set([
  EXTENSION_OIDS.basicConstraints,
  EXTENSION_OIDS.keyUsage,
  EXTENSION_OIDS.extKeyUsage,
  EXTENSION_OIDS.subjectAltName,
  EXTENSION_OIDS.issuerAltName,
  EXTENSION_OIDS.nameConstraints,
  EXTENSION_OIDS.policyConstraints,
  EXTENSION_OIDS.certificatePolicies,
  EXTENSION_OIDS.policyMappings,
  EXTENSION_OIDS.inhibitAnyPolicy,
  EXTENSION_OIDS.crlDistributionPoints,
  EXTENSION_OIDS.freshestCrl,
  EXTENSION_OIDS.ocspNoCheck
]);
function decodeExtensions(b, t, f, p) {
  const layout = { first: /* @__PURE__ */ new Map(), duplicated: /* @__PURE__ */ new Set(), malformed: /* @__PURE__ */ new Set() };
  const list = inner(b, expectTag(inner(b, t)[0], TAG.SEQUENCE, "Extensions"));
  if (list.length === 0) p.profileErrors.push("extensions field is present but empty");
  for (const e of list) {
    const parts = inner(b, expectTag(e, TAG.SEQUENCE, "Extension"));
    const oid = oidAt(b, expectTag(parts[0], TAG.OID, "extension id"));
    let critical = false;
    let idx = 1;
    if (parts[1]?.tag === TAG.BOOLEAN) {
      critical = strictBoolean(b, parts[1]);
      idx = 2;
    }
    const valueT = expectTag(parts[idx], TAG.OCTET_STRING, "extension value");
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
      p.errors.push(`extension ${ext.oid} is malformed (${e.message})`);
      layout.malformed.add(ext.oid);
    }
  }
  return layout;
}
function decodeExtension(f, p, ext) {
  const { oid, critical, value } = ext;
  switch (oid) {
    case EXTENSION_OIDS.basicConstraints: {
      const items = inner(value, parseOne(value, TAG.SEQUENCE));
      let ca = false;
      let pathLen = null;
      for (const it of items) {
        if (it.tag === TAG.BOOLEAN) ca = strictBoolean(value, it);
        else if (it.tag === TAG.INTEGER) pathLen = strictSmallInt(value, it);
        else throw new DerError("unexpected element");
      }
      f.basicConstraints = { ca, pathLen, critical };
      return;
    }
    case EXTENSION_OIDS.keyUsage: {
      const bs = contents(value, parseOne(value, TAG.BIT_STRING));
      if (bs.length < 1) throw new DerError("empty BIT STRING");
      const set = /* @__PURE__ */ new Set();
      for (let i = 0; i < KEY_USAGE_BITS.length; i++) {
        const byte = bs[1 + (i >> 3)];
        if (byte !== void 0 && byte & 128 >> (i & 7)) set.add(KEY_USAGE_BITS[i]);
      }
      f.keyUsage = set;
      return;
    }
    case EXTENSION_OIDS.extKeyUsage: {
      const items = inner(value, parseOne(value, TAG.SEQUENCE));
      f.eku = items.map((i) => oidAt(value, expectTag(i, TAG.OID, "KeyPurposeId")));
      f.ekuCritical = critical;
      if (f.eku.length === 0) p.errors.push("extendedKeyUsage lists no purposes");
      return;
    }
    case EXTENSION_OIDS.subjectAltName: {
      f.san = decodeGeneralNames(value);
      f.sanCritical = critical;
      if (f.san.length === 0) p.errors.push("subjectAltName is empty");
      return;
    }
    case EXTENSION_OIDS.authorityKeyId: {
      const items = inner(value, parseOne(value, TAG.SEQUENCE));
      const aki = { keyId: null, hasIssuer: false, hasSerial: false };
      for (const it of items) {
        if (it.tag === 128) aki.keyId = Buffer.from(contents(value, it));
        else if (it.tag === 161) aki.hasIssuer = true;
        else if (it.tag === 130) aki.hasSerial = true;
        else throw new DerError("unexpected element");
      }
      f.aki = aki;
      if (critical) p.profileErrors.push("authorityKeyIdentifier is marked critical (RFC 5280 4.2.1.1)");
      return;
    }
    case EXTENSION_OIDS.subjectKeyId:
      f.ski = Buffer.from(contents(value, parseOne(value, TAG.OCTET_STRING)));
      if (critical) p.profileErrors.push("subjectKeyIdentifier is marked critical (RFC 5280 4.2.1.2)");
      return;
    case EXTENSION_OIDS.authorityInfoAccess: {
      const items = inner(value, parseOne(value, TAG.SEQUENCE));
      if (items.length === 0) p.profileErrors.push("authorityInfoAccess holds no access descriptions");
      for (const it of items) {
        const [method, loc] = inner(value, expectTag(it, TAG.SEQUENCE, "AccessDescription"));
        oidAt(value, expectTag(method, TAG.OID, "accessMethod"));
        if (!loc) throw new DerError("accessLocation missing");
        decodeGeneralName(value, loc);
      }
      if (critical) p.profileErrors.push("authorityInfoAccess is marked critical (RFC 5280 4.2.2.1)");
      return;
    }
    case EXTENSION_OIDS.policyConstraints:
      parseOne(value, TAG.SEQUENCE);
      if (!critical) p.profileErrors.push("policyConstraints is not marked critical (RFC 5280 4.2.1.11)");
      return;
    case EXTENSION_OIDS.nameConstraints:
      parseOne(value, TAG.SEQUENCE);
      return;
    case EXTENSION_OIDS.ctPoison:
      p.errors.push(
        "is a Certificate Transparency precertificate (critical poison extension), not a usable certificate"
      );
      return;
    default:
      if (critical && !KNOWN_CRITICAL.has(oid)) p.errors.push(`unrecognised critical extension ${oid}`);
  }
}

// src/x509/keys.ts
function opensslKey(x) {
  if (!x) return { loaded: false, key: null, error: null };
  try {
    return { loaded: true, key: x.publicKey, error: null };
  } catch (e) {
    return { loaded: true, key: null, error: e ?? "unknown" };
  }
}
function publicKey(b, spki, openssl) {
  let oid;
  let params;
  let keyBits;
  try {
    const algT = expectTlv(b, spki.body, spki.end, TAG.SEQUENCE, "SubjectPublicKeyInfo algorithm");
    ({ oid, params } = algorithmAt(b, algT));
    keyBits = expectTlv(b, algT.end, spki.end, TAG.BIT_STRING, "subjectPublicKey BIT STRING");
  } catch (e) {
    return {
      keyType: "unknown",
      keyBits: null,
      curve: null,
      keyError: `unreadable SubjectPublicKeyInfo (${e.message})`
    };
  }
  return checkedByOpenSsl(keyFromDer(b, oid, params, keyBits), openssl);
}
function checkedByOpenSsl(fromDer, openssl) {
  if (fromDer.keyError) return fromDer;
  if (!openssl.loaded)
    return { ...fromDer, keyError: "public key not accepted by OpenSSL (the certificate does not load)" };
  if (!openssl.key)
    return { ...fromDer, keyError: `public key does not load (${shortReason(openssl.error)})` };
  if (!openssl.key.asymmetricKeyType)
    return { ...fromDer, keyError: "public key type not recognised by OpenSSL" };
  return fromDer;
}
function keyFromDer(b, oid, params, keyBits) {
  const none = (keyError, keyType = "unknown") => ({
    keyType,
    keyBits: null,
    curve: null,
    keyError
  });
  try {
    switch (oid) {
      case "1.2.840.113549.1.1.1":
      case "1.2.840.113549.1.1.10": {
        const keyType = oid === "1.2.840.113549.1.1.1" ? "RSA" : "RSA-PSS";
        const bs = bitString(b, keyBits);
        const seq = expectTlv(b, bs.start, bs.end, TAG.SEQUENCE, "RSAPublicKey");
        const n = expectTlv(b, seq.body, seq.end, TAG.INTEGER, "modulus");
        return { keyType, keyBits: integerBits(b, n), curve: null, keyError: null };
      }
      case "1.2.840.10045.2.1": {
        if (!params) return none("EC key without curve parameters", "EC");
        if (params.tag === TAG.OID) {
          const curveOid = oidAt(b, params);
          const c = CURVES[curveOid];
          if (!c)
            return {
              keyType: "EC",
              keyBits: null,
              curve: curveOid,
              keyError: `unsupported curve ${curveOid}`
            };
          return { keyType: "EC", keyBits: c[1], curve: c[0], keyError: null };
        }
        if (params.tag === TAG.SEQUENCE)
          return {
            keyType: "EC",
            keyBits: null,
            curve: "explicit",
            keyError: "EC key with explicit curve parameters"
          };
        return none("EC key with implicit curve parameters", "EC");
      }
      case "1.3.101.112":
        return { keyType: "Ed25519", keyBits: 256, curve: null, keyError: null };
      case "1.3.101.113":
        return { keyType: "Ed448", keyBits: 448, curve: null, keyError: null };
      case "1.2.840.10040.4.1": {
        if (!params || params.tag !== TAG.SEQUENCE) return none("DSA key without domain parameters", "DSA");
        const p = expectTlv(b, params.body, params.end, TAG.INTEGER, "DSA p");
        return { keyType: "DSA", keyBits: integerBits(b, p), curve: null, keyError: null };
      }
      default: {
        const name = KEY_ALGORITHMS[oid];
        return none(`unsupported public key algorithm ${name ? `${name} (${oid})` : oid}`);
      }
    }
  } catch (e) {
    return none(`unreadable public key (${e.message})`);
  }
}
function shortReason(e) {
  const m = e instanceof Error ? e.message : String(e);
  const last = m.split("::").pop() ?? m;
  return last.slice(0, 120).replace(/[^\x20-\x7e]/g, "?");
}

// src/x509/decode.ts
var TIME_SHAPE = {
  [TAG.UTCTime]: [/^\d{12}Z$/, "UTCTime", 2],
  [TAG.GeneralizedTime]: [/^\d{14}(?:\.\d+)?Z$/, "GeneralizedTime", 4]
};
function decodeTime(b, t) {
  const shape = TIME_SHAPE[t.tag];
  if (!shape) throw new DerError("validity time has an unexpected type");
  const [re, what, yearDigits] = shape;
  const s = contents(b, t).toString("latin1");
  if (!re.test(s)) throw new DerError(`invalid ${what} '${clip(s, 40)}'`);
  const ms = timeAt(b, t);
  const [mo, d, h, mi, se] = [0, 2, 4, 6, 8].map((i) => Number(s.slice(yearDigits + i, yearDigits + i + 2)));
  const back = new Date(ms);
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || se > 59)
    throw new DerError(`invalid calendar time '${clip(s, 40)}'`);
  return { ms, seconds: Math.floor(ms / 1e3) * 1e3 };
}
var CHECKED_SIGNATURES = /* @__PURE__ */ new Map([
  ["1.2.840.113549.1.1.4", "rsa"],
  ["1.2.840.113549.1.1.5", "rsa"],
  ["1.2.840.113549.1.1.14", "rsa"],
  ["1.2.840.113549.1.1.11", "rsa"],
  ["1.2.840.113549.1.1.12", "rsa"],
  ["1.2.840.113549.1.1.13", "rsa"],
  ["1.2.840.10045.4.1", "ecdsa"],
  ["1.2.840.10045.4.3.1", "ecdsa"],
  ["1.2.840.10045.4.3.2", "ecdsa"],
  ["1.2.840.10045.4.3.3", "ecdsa"],
  ["1.2.840.10045.4.3.4", "ecdsa"],
  ["1.3.101.112", "ed25519"],
  ["1.3.101.113", "ed448"],
  ["1.2.840.10040.4.3", "dsa"],
  ["2.16.840.1.101.3.4.3.2", "dsa"]
]);
var RSASSA_PSS = "1.2.840.113549.1.1.10";
function decodeSignatureAlgorithm(b, algId) {
  const [oidT, params] = inner(b, expectTag(algId, TAG.SEQUENCE, "AlgorithmIdentifier"));
  const oid = oidAt(b, expectTag(oidT, TAG.OID, "algorithm"));
  const at = { oid, params: params ?? null };
  if (oid === RSASSA_PSS) {
    let hash = "sha1";
    let saltLength = 20;
    if (params && params.tag === TAG.SEQUENCE) {
      for (const p of inner(b, params)) {
        const value = inner(b, p)[0];
        if (!value) continue;
        if (p.tag === 160)
          hash = HASH_OIDS[oidAt(b, expectTag(inner(b, value)[0], TAG.OID, "hash"))] ?? "unknown";
        if (p.tag === 162) saltLength = strictSmallInt(b, value);
      }
    }
    return { scheme: { kind: "rsa-pss", hash, saltLength, name: `rsassa-pss(${hash})` }, ...at };
  }
  const kind = CHECKED_SIGNATURES.get(oid);
  const known = SIGNATURE_ALGORITHMS[oid];
  const scheme = kind && known ? { kind, hash: known[1], name: known[0] } : { kind: "unknown", hash: null, name: oid };
  return { scheme, ...at };
}
var EC_PUBLIC_KEY = "1.2.840.10045.2.1";
var MODULUS_KEYS = /* @__PURE__ */ new Set(["RSA", "RSA-PSS", "DSA"]);
function decodeSpki(b, t, opts) {
  const [alg, bits] = inner(b, expectTag(t, TAG.SEQUENCE, "SubjectPublicKeyInfo"));
  const [oidT, params] = inner(b, expectTag(alg, TAG.SEQUENCE, "algorithm"));
  const algOid = oidAt(b, expectTag(oidT, TAG.OID, "key algorithm"));
  let curveOid = null;
  if (algOid === EC_PUBLIC_KEY) curveOid = params?.tag === TAG.OID ? oidAt(b, params) : "explicit";
  const raw = whole(b, t);
  const info = bits?.tag === TAG.BIT_STRING ? keyFromDer(b, algOid, params ?? null, bits) : null;
  let key = opts.key ?? null;
  let keyError = null;
  let rsaBits = null;
  if (!key) {
    try {
      key = createPublicKey({ key: raw, format: "der", type: "spki" });
    } catch (e) {
      keyError = `public key cannot be read (${e.message.slice(0, 120)})`;
    }
  }
  if (key) {
    if (info && !info.keyError && info.keyBits !== null && MODULUS_KEYS.has(info.keyType))
      rsaBits = info.keyBits;
    else if (!info || info.keyError) rsaBits = key.asymmetricKeyDetails?.modulusLength ?? null;
  }
  return {
    spki: { raw, algOid, curveOid, key, keyError, rsaBits },
    key: info && bits ? { info, bits } : null
  };
}
var EMPTY = Buffer.alloc(0);
var EMPTY_NAME = { raw: EMPTY, rdns: [], key: "", empty: true };
var UNKNOWN_SCHEME = { kind: "unknown", hash: null, name: "unknown" };
var NOT_DECODED = {
  raw: EMPTY,
  algOid: "",
  curveOid: null,
  key: null,
  keyError: "not decoded",
  rsaBits: null
};
var Facts = class {
  constructor(sha256) {
    this.sha256 = sha256;
  }
  sha256;
  fatal = null;
  errors = [];
  profileErrors = [];
  tbs = EMPTY;
  signature = EMPTY;
  sigScheme = UNKNOWN_SCHEME;
  sigAlgMismatch = false;
  version = 1;
  serial = EMPTY;
  issuer = EMPTY_NAME;
  subject = EMPTY_NAME;
  notBefore = 0;
  notAfter = 0;
  spki = NOT_DECODED;
  extensions = /* @__PURE__ */ new Map();
  basicConstraints = null;
  keyUsage = null;
  eku = null;
  ekuCritical = false;
  san = null;
  sanCritical = false;
  aki = null;
  ski = null;
  /** false until both names are decoded; then undefined until first asked. */
  self = false;
  namesDecoded() {
    this.self = void 0;
  }
  get selfIssued() {
    return this.self ??= this.subject.key === this.issuer.key;
  }
};
function decodeCertificate(der, opts = {}) {
  const f = new Facts(opts.sha256 ?? createHash("sha256").update(der).digest("hex"));
  try {
    return { facts: f, layout: walk(der, f, opts) };
  } catch (e) {
    f.fatal = `certificate cannot be decoded: ${e.message}`;
    return { facts: f, layout: null };
  }
}
function sameBytes(b, x, y) {
  if (x.end - x.start !== y.end - y.start) return false;
  for (let i = 0; i < x.end - x.start; i++) if (b[x.start + i] !== b[y.start + i]) return false;
  return true;
}
function walk(der, f, opts) {
  const cert = parseOne(der, TAG.SEQUENCE);
  const [tbsT, outerAlg, sigT, extra] = inner(der, cert);
  if (extra) throw new DerError("unexpected element after signature");
  const tbs = expectTag(tbsT, TAG.SEQUENCE, "tbsCertificate");
  f.tbs = whole(der, tbs);
  const sig = contents(der, expectTag(sigT, TAG.BIT_STRING, "signatureValue"));
  if (sig[0] !== 0) throw new DerError("signature BIT STRING has unused bits");
  f.signature = sig.subarray(1);
  const items = inner(der, tbs);
  let i = 0;
  if (items[0]?.tag === 160) {
    f.version = strictSmallInt(der, expectTag(inner(der, items[0])[0], TAG.INTEGER, "version")) + 1;
    i++;
  }
  const serial = expectTag(items[i++], TAG.INTEGER, "serialNumber");
  f.serial = Buffer.from(contents(der, serial));
  const innerAlg = expectTag(items[i++], TAG.SEQUENCE, "signature");
  const sigAlg = decodeSignatureAlgorithm(der, expectTag(outerAlg, TAG.SEQUENCE, "signatureAlgorithm"));
  f.sigScheme = sigAlg.scheme;
  f.sigAlgMismatch = !whole(der, innerAlg).equals(whole(der, outerAlg));
  const issuerT = expectTag(items[i++], TAG.SEQUENCE, "Name");
  const issuer = decodeName(der, issuerT);
  f.issuer = issuer;
  const validity = inner(der, expectTag(items[i++], TAG.SEQUENCE, "validity"));
  const notBefore = decodeTime(der, validity[0]);
  f.notBefore = notBefore.seconds;
  const notAfter = decodeTime(der, validity[1]);
  f.notAfter = notAfter.seconds;
  const subjectT = expectTag(items[i++], TAG.SEQUENCE, "Name");
  const subject = decodeName(der, subjectT);
  f.subject = subject;
  const spkiT = items[i++];
  const spki = decodeSpki(der, spkiT, opts);
  f.spki = spki.spki;
  f.namesDecoded();
  let extensions = { first: /* @__PURE__ */ new Map(), duplicated: /* @__PURE__ */ new Set(), malformed: /* @__PURE__ */ new Set() };
  for (; i < items.length; i++) {
    const t = items[i];
    if (t.tag === 163) {
      if (f.version !== 3) f.profileErrors.push(`version ${f.version} certificate carries extensions`);
      extensions = decodeExtensions(der, t, f, f);
    } else if (t.tag !== 129 && t.tag !== 130 && t.tag !== 161 && t.tag !== 162) {
      throw new DerError(`unexpected element in tbsCertificate (tag 0x${t.tag.toString(16)})`);
    }
  }
  return {
    serial,
    issuer: issuer.attributes,
    subject: subject.attributes,
    sameNames: sameBytes(der, issuerT, subjectT),
    notBeforeMs: notBefore.ms,
    notAfterMs: notAfter.ms,
    sigAlg: { oid: sigAlg.oid, params: sigAlg.params },
    spki: spkiT,
    key: spki.key,
    extensions
  };
}

// src/x509/tolerant.ts
function signatureName(b, oid, params) {
  const known = SIGNATURE_ALGORITHMS[oid];
  if (!known) return { name: oid, hash: null };
  if (oid === "1.2.840.113549.1.1.10") return { name: known[0], hash: pssHash(b, params) };
  return { name: known[0], hash: known[1] };
}
function pssHash(b, params) {
  if (!params || params.tag !== TAG.SEQUENCE) return "sha1";
  try {
    for (const c of children(b, params)) {
      if (isContext(c, 0)) {
        const alg = algorithmAt(b, readTlv(b, c.body, c.end));
        return HASH_OIDS[alg.oid] ?? alg.oid;
      }
    }
  } catch {
    return null;
  }
  return "sha1";
}
function sameName(b, a, c) {
  if (a.end - a.start !== c.end - c.start) return false;
  for (let i = 0; i < a.end - a.start; i++) if (b[a.start + i] !== b[c.start + i]) return false;
  return true;
}
function fallbackTime(s) {
  return s ? Date.parse(s) : NaN;
}
function tolerantRecord(body, sk, x, openssl, sha256) {
  const subject = parseName(body, sk.subject);
  const issuer = parseName(body, sk.issuer);
  const notBefore = timeAt(body, sk.notBefore);
  const notAfter = timeAt(body, sk.notAfter);
  const nb = Number.isNaN(notBefore) ? fallbackTime(x?.validFrom) : notBefore;
  const na = Number.isNaN(notAfter) ? fallbackTime(x?.validTo) : notAfter;
  if (Number.isNaN(nb) || Number.isNaN(na))
    throw new DerError("validity times are not UTCTime/GeneralizedTime values");
  const alg = algorithmAt(body, sk.sigAlg);
  const sig = signatureName(body, alg.oid, alg.params);
  const key = publicKey(body, sk.spki, openssl);
  const rec = {
    sha256,
    subject,
    issuer,
    serial: integerHex(body, sk.serial),
    notBefore: new Date(nb).toISOString(),
    notAfter: new Date(na).toISOString(),
    dnsNames: [],
    ipAddresses: [],
    emailAddresses: [],
    uris: [],
    keyType: key.keyType,
    keyBits: key.keyBits,
    curve: key.curve,
    keyError: key.keyError,
    signatureAlgorithm: sig.name,
    signatureHash: sig.hash,
    isCA: false,
    pathLen: null,
    hasBasicConstraints: false,
    keyUsage: null,
    extKeyUsage: null,
    subjectKeyId: null,
    authorityKeyId: null,
    selfIssued: sameName(body, sk.subject, sk.issuer) || subject.dn.toLowerCase() === issuer.dn.toLowerCase(),
    version: sk.version,
    der: Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("base64")
  };
  for (const oid of RECORD_EXTENSIONS) {
    const ext = sk.extensions.get(oid);
    if (ext) readExtension(body, oid, ext.value, rec);
  }
  return rec;
}
var RECORD_EXTENSIONS = [
  EXTENSION_OIDS.basicConstraints,
  EXTENSION_OIDS.keyUsage,
  EXTENSION_OIDS.extKeyUsage,
  EXTENSION_OIDS.subjectKeyId,
  EXTENSION_OIDS.authorityKeyId,
  EXTENSION_OIDS.subjectAltName
];
function readExtension(b, oid, v, rec) {
  switch (oid) {
    case EXTENSION_OIDS.basicConstraints: {
      rec.hasBasicConstraints = true;
      const seq = expectTlv(b, v.body, v.end, TAG.SEQUENCE, "BasicConstraints");
      for (const c of children(b, seq)) {
        if (c.tag === TAG.BOOLEAN) rec.isCA = c.end > c.body && b[c.body] !== 0;
        else if (c.tag === TAG.INTEGER) rec.pathLen = smallInteger(b, c);
      }
      return;
    }
    case EXTENSION_OIDS.keyUsage: {
      const bs = bitString(b, readTlv(b, v.body, v.end));
      const names = [];
      for (let i = 0; i < KEY_USAGE_BITS.length; i++) {
        const byte = bs.start + (i >> 3);
        if (byte < bs.end && b[byte] & 128 >> (i & 7)) names.push(KEY_USAGE_BITS[i]);
      }
      rec.keyUsage = names;
      return;
    }
    case EXTENSION_OIDS.extKeyUsage: {
      const seq = expectTlv(b, v.body, v.end, TAG.SEQUENCE, "ExtKeyUsageSyntax");
      rec.extKeyUsage = children(b, seq).map((c) => {
        const oid2 = oidAt(b, c);
        return EXTENDED_KEY_USAGES[oid2] ?? oid2;
      });
      return;
    }
    case EXTENSION_OIDS.subjectKeyId: {
      const t = expectTlv(b, v.body, v.end, TAG.OCTET_STRING, "SubjectKeyIdentifier");
      rec.subjectKeyId = hex(b, t.body, t.end);
      return;
    }
    case EXTENSION_OIDS.authorityKeyId: {
      const seq = expectTlv(b, v.body, v.end, TAG.SEQUENCE, "AuthorityKeyIdentifier");
      for (const c of children(b, seq)) if (c.tag === 128) rec.authorityKeyId = hex(b, c.body, c.end);
      return;
    }
    case EXTENSION_OIDS.subjectAltName:
      readSubjectAltName(b, v, rec);
      return;
  }
}
function readSubjectAltName(b, v, rec) {
  const seq = expectTlv(b, v.body, v.end, TAG.SEQUENCE, "SubjectAltName");
  for (const g of children(b, seq)) {
    if ((g.tag & 192) !== 128) continue;
    const text = () => Buffer.from(b.buffer, b.byteOffset + g.body, g.end - g.body).toString("latin1");
    switch (g.num) {
      case 1:
        rec.emailAddresses.push(text());
        break;
      case 2:
        rec.dnsNames.push(text());
        break;
      case 6:
        rec.uris.push(text());
        break;
      case 7:
        rec.ipAddresses.push(ipFromBytes(b, g.body, g.end));
        break;
    }
  }
}

// src/x509/parse.ts
var recent = /* @__PURE__ */ new Map();
var RECENT_MAX = 1024;
function rememberFacts(rec, facts) {
  recent.delete(rec);
  if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value);
  recent.set(rec, { der: rec.der, facts });
}
function factsOf(rec) {
  const hit = recent.get(rec);
  if (!hit || hit.der !== rec.der) return void 0;
  recent.delete(rec);
  recent.set(rec, hit);
  return hit.facts;
}
function parseCertificate(der, origin = "certificate") {
  let outerEnd = -1;
  try {
    const outer = readTlv(der, 0);
    if (outer.tag === TAG.SEQUENCE) outerEnd = outer.end;
  } catch {
  }
  const body = Buffer.from(outerEnd < 0 ? der : der.subarray(0, outerEnd));
  let x = null;
  try {
    x = new X509Certificate(body);
  } catch {
    x = null;
  }
  const openssl = opensslKey(x);
  const sha256 = createHash2("sha256").update(body).digest("hex");
  const { facts, layout } = decodeCertificate(body, { sha256, key: openssl.key });
  let rec;
  try {
    rec = layout ? recordOf(body, facts, layout, openssl, sha256) : tolerantRecord(body, skeleton(der, origin), x, openssl, sha256);
  } catch (e) {
    if (e instanceof DerError)
      throw new ParseError("x509", origin, `malformed certificate field (${e.message})`);
    throw e;
  }
  rememberFacts(rec, facts);
  return rec;
}
function skeleton(der, origin) {
  try {
    return certSkeleton(der);
  } catch (e) {
    throw new ParseError(
      "x509",
      origin,
      `not a readable X.509 certificate (${e instanceof DerError ? e.message : "malformed DER"})`
    );
  }
}
function recordOf(body, f, layout, openssl, sha256) {
  const subject = nameRecord(layout.subject);
  const issuer = nameRecord(layout.issuer);
  const sig = signatureName(body, layout.sigAlg.oid, layout.sigAlg.params);
  const key = layout.key ? checkedByOpenSsl(layout.key.info, openssl) : publicKey(body, layout.spki, openssl);
  const rec = {
    sha256,
    subject,
    issuer,
    serial: integerHex(body, layout.serial),
    notBefore: new Date(layout.notBeforeMs).toISOString(),
    notAfter: new Date(layout.notAfterMs).toISOString(),
    dnsNames: [],
    ipAddresses: [],
    emailAddresses: [],
    uris: [],
    keyType: key.keyType,
    keyBits: key.keyBits,
    curve: key.curve,
    keyError: key.keyError,
    signatureAlgorithm: sig.name,
    signatureHash: sig.hash,
    isCA: false,
    pathLen: null,
    hasBasicConstraints: false,
    keyUsage: null,
    extKeyUsage: null,
    subjectKeyId: null,
    authorityKeyId: null,
    selfIssued: layout.sameNames || subject.dn.toLowerCase() === issuer.dn.toLowerCase(),
    version: f.version,
    der: body.toString("base64")
  };
  for (const oid of RECORD_EXTENSIONS) {
    const ext = layout.extensions.first.get(oid);
    if (!ext) continue;
    const decoded = !layout.extensions.malformed.has(oid) && !layout.extensions.duplicated.has(oid) && fromFacts(oid, f, ext.value, body, rec);
    if (!decoded) readExtension(body, oid, ext.value, rec);
  }
  return rec;
}
function fromFacts(oid, f, value, body, rec) {
  switch (oid) {
    case EXTENSION_OIDS.basicConstraints:
      rec.hasBasicConstraints = true;
      rec.isCA = f.basicConstraints.ca;
      rec.pathLen = f.basicConstraints.pathLen;
      return true;
    case EXTENSION_OIDS.keyUsage:
      if (body[readTlv(body, value.body, value.end).body] > 7) return false;
      rec.keyUsage = [...f.keyUsage];
      return true;
    case EXTENSION_OIDS.extKeyUsage:
      rec.extKeyUsage = f.eku.map((o) => EXTENDED_KEY_USAGES[o] ?? o);
      return true;
    case EXTENSION_OIDS.subjectKeyId:
      rec.subjectKeyId = f.ski.toString("hex");
      return true;
    case EXTENSION_OIDS.authorityKeyId:
      rec.authorityKeyId = f.aki.keyId?.toString("hex") ?? null;
      return true;
    case EXTENSION_OIDS.subjectAltName:
      return sanFromFacts(f, rec);
  }
  return false;
}
function sanFromFacts(f, rec) {
  for (const n of f.san) {
    if (n.type === "other" && (n.tag & 192) === 128 && [1, 2, 6, 7].includes(n.tag & 31)) return false;
  }
  for (const n of f.san) {
    if (n.type === "email") rec.emailAddresses.push(n.value);
    else if (n.type === "dns") rec.dnsNames.push(n.value);
    else if (n.type === "uri") rec.uris.push(n.value);
    else if (n.type === "ip") rec.ipAddresses.push(ipFromBytes(n.bytes, 0, n.bytes.length));
  }
  return true;
}

export {
  DerError,
  TAG,
  readTlv,
  expectTlv,
  children,
  isContext,
  oidAt,
  smallInteger,
  bitString,
  algorithmAt,
  inner,
  parseOne,
  expectTag,
  contents,
  attributeOid,
  parseName,
  ipFromBytes,
  canonicalIp,
  ipv6Groups,
  clip,
  decodeName,
  decodeGeneralName,
  HASH_OIDS,
  CURVES,
  EXTENDED_KEY_USAGES,
  KEY_USAGE_BITS,
  EXTENSION_OIDS,
  EKU_OID,
  decodeSignatureAlgorithm,
  decodeCertificate,
  rememberFacts,
  factsOf,
  parseCertificate
};
