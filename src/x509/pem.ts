// PEM framing (RFC 7468), tolerant of what people really keep in files: text around the blocks
// (`openssl x509 -text` output, comments), CRLF, missing final newline, RFC 1421 headers.
import { ParseError } from '../core/errors.js';

/** One PEM block: its label, decoded bytes, and the 1-based line where it starts. */
export interface PemBlock {
  label: string;
  der: Buffer;
  line: number;
}

const BEGIN = /-----BEGIN ([^\r\n-]{1,64})-----/g;
const BASE64_LINE = /^[A-Za-z0-9+/=]*$/;

/** Labels holding a private key (PKCS#8, PKCS#1, SEC1, DSA, encrypted, OpenSSH, PGP). */
export const PRIVATE_KEY_LABEL = /PRIVATE KEY/;

/** True when the text carries a PEM (or OpenSSH/PuTTY) private key marker. */
export function hasPrivateKeyMarker(text: string): boolean {
  return /-----BEGIN [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----/.test(text) || /^PuTTY-User-Key-File-\d+:/m.test(text);
}

/**
 * Every PEM block of a text, in order. A block with a bad body (not base64, no END line) is a
 * ParseError('pem') naming file and line. A private-key block is returned with an empty body:
 * it is never decoded, so callers check labels (readCertificates refuses such files).
 */
export function pemBlocks(text: string, file = 'input'): PemBlock[] {
  const out: PemBlock[] = [];
  BEGIN.lastIndex = 0;
  let m: RegExpExecArray | null;
  let lineCursor = 0;
  let lineNo = 1;
  while ((m = BEGIN.exec(text))) {
    const label = m[1]!;
    // Count lines incrementally so large bundles stay linear.
    for (let i = text.indexOf('\n', lineCursor); i >= 0 && i < m.index; i = text.indexOf('\n', i + 1)) {
      lineNo++;
      lineCursor = i + 1;
    }
    const line = lineNo;
    const endMarker = `-----END ${label}-----`;
    const bodyStart = m.index + m[0].length;
    const endIdx = text.indexOf(endMarker, bodyStart);
    if (endIdx < 0)
      throw new ParseError(
        'pem',
        file,
        `line ${line}: PEM block "${safeLabel(label)}" has no matching END line`,
      );
    const body = text.slice(bodyStart, endIdx);
    BEGIN.lastIndex = endIdx + endMarker.length;
    // A private key body is never decoded or inspected here.
    if (PRIVATE_KEY_LABEL.test(label)) {
      out.push({ label, der: Buffer.alloc(0), line });
      continue;
    }
    let b64 = '';
    const lines = body.split(/\r?\n|\r/);
    let inHeaders = true;
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!.trim();
      if (!l) {
        inHeaders = false;
        continue;
      }
      // RFC 1421 headers ("Proc-Type: …") precede the body, separated by a blank line.
      if (inHeaders && /^[A-Za-z-]+:/.test(l)) continue;
      inHeaders = false;
      const compact = l.replace(/[ \t]/g, '');
      if (!BASE64_LINE.test(compact)) {
        throw new ParseError(
          'pem',
          file,
          `line ${line + i}: PEM block "${safeLabel(label)}" is not valid base64 (expected only A-Z a-z 0-9 + / =)`,
        );
      }
      b64 += compact;
    }
    if (!b64) throw new ParseError('pem', file, `line ${line}: PEM block "${safeLabel(label)}" is empty`);
    out.push({ label, der: Buffer.from(b64, 'base64'), line });
  }
  return out;
}

function safeLabel(label: string): string {
  return label.replace(/[^\x20-\x7e]/g, '?').slice(0, 64);
}

/** A PEM block for DER bytes. */
export function toPem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const b64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
}
