// STARTTLS upgrades for the protocols internal servers speak: SMTP, IMAP, POP3, LDAP, PostgreSQL.
// Each takes a connected clear-text socket and returns once the server is ready for a ClientHello.
import type { Socket } from 'node:net';
import { Conversation, ProbeError } from './conversation.js';
import { safeText } from '../../core/text.js';

export type StartTlsProtocol = 'smtp' | 'imap' | 'pop3' | 'ldap' | 'postgres';

type Upgrade = (c: Conversation) => Promise<void>;

/** A server reply quoted in an error: short and stripped of control characters. */
function quote(s: string): string {
  return `'${safeText(s.slice(0, 120))}'`;
}

/** SMTP replies may span lines ("250-…" continues, "250 …" ends). */
async function smtpReply(c: Conversation): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  for (;;) {
    const l = await c.line();
    lines.push(l);
    if (!/^\d{3}[ -]/.test(l) && !/^\d{3}$/.test(l))
      throw new ProbeError('protocol', `SMTP: unexpected reply ${quote(l)}`);
    if (l[3] !== '-') return { code: Number(l.slice(0, 3)), lines };
    if (lines.length > 100) throw new ProbeError('protocol', 'SMTP: reply with too many lines');
  }
}

const smtp: Upgrade = async (c) => {
  const greet = await smtpReply(c);
  if (greet.code !== 220)
    throw new ProbeError('protocol', `SMTP: greeting ${quote(greet.lines[0] ?? '')}, expected 220`);
  c.write('EHLO certwarden.invalid\r\n');
  const ehlo = await smtpReply(c);
  if (ehlo.code !== 250)
    throw new ProbeError('protocol', `SMTP: EHLO answered ${quote(ehlo.lines[0] ?? '')}`);
  if (!ehlo.lines.some((l) => /^250[ -]STARTTLS\b/i.test(l))) {
    throw new ProbeError('protocol', 'SMTP: server does not offer STARTTLS');
  }
  c.write('STARTTLS\r\n');
  const go = await smtpReply(c);
  if (go.code !== 220) throw new ProbeError('protocol', `SMTP: STARTTLS refused ${quote(go.lines[0] ?? '')}`);
};

const imap: Upgrade = async (c) => {
  const greet = await c.line();
  if (!/^\* (OK|PREAUTH)\b/i.test(greet))
    throw new ProbeError('protocol', `IMAP: greeting ${quote(greet)}, expected '* OK'`);
  c.write('cw1 STARTTLS\r\n');
  for (let i = 0; i < 50; i++) {
    const l = await c.line();
    if (l.startsWith('* ')) continue; // untagged responses
    if (/^cw1 OK\b/i.test(l)) return;
    throw new ProbeError('protocol', `IMAP: STARTTLS refused ${quote(l)}`);
  }
  throw new ProbeError('protocol', 'IMAP: no tagged reply to STARTTLS');
};

const pop3: Upgrade = async (c) => {
  const greet = await c.line();
  if (!greet.startsWith('+OK'))
    throw new ProbeError('protocol', `POP3: greeting ${quote(greet)}, expected '+OK'`);
  c.write('STLS\r\n');
  const l = await c.line();
  if (!l.startsWith('+OK')) throw new ProbeError('protocol', `POP3: STLS refused ${quote(l)}`);
};

/** BER length at `off`: [length, header bytes], or null while incomplete. */
function berLength(b: Buffer, off: number): [number, number] | null {
  if (off >= b.length) return null;
  const first = b[off]!;
  if (first < 0x80) return [first, 1];
  const n = first & 0x7f;
  if (n === 0 || n > 4) throw new ProbeError('protocol', 'LDAP: unsupported BER length');
  if (off + 1 + n > b.length) return null;
  return [b.readUIntBE(off + 1, n), 1 + n];
}

const LDAP_STARTTLS_OID = '1.3.6.1.4.1.1466.20037';

const ldap: Upgrade = async (c) => {
  // LDAPMessage { messageID 1, extendedReq [APPLICATION 23] { requestName [0] OID } }
  const oid = Buffer.from(LDAP_STARTTLS_OID, 'ascii');
  const ext = Buffer.concat([Buffer.from([0x80, oid.length]), oid]);
  const op = Buffer.concat([Buffer.from([0x77, ext.length]), ext]);
  const body = Buffer.concat([Buffer.from([0x02, 0x01, 0x01]), op]);
  c.write(Buffer.concat([Buffer.from([0x30, body.length]), body]));
  const msg = await c.read((b) => {
    if (b.length && b[0] !== 0x30) throw new ProbeError('protocol', 'LDAP: reply is not an LDAPMessage');
    const l = berLength(b, 1);
    if (!l) return -1;
    const total = 1 + l[1] + l[0];
    return b.length >= total ? total : -1;
  });
  // Walk: SEQUENCE -> messageID INTEGER -> protocolOp
  let off = 1 + berLength(msg, 1)![1];
  if (msg[off] !== 0x02) throw new ProbeError('protocol', 'LDAP: malformed reply');
  off += 1 + berLength(msg, off + 1)![1] + berLength(msg, off + 1)![0];
  if (msg[off] !== 0x78)
    throw new ProbeError(
      'protocol',
      `LDAP: expected an ExtendedResponse, got tag 0x${(msg[off] ?? 0).toString(16)}`,
    );
  const opLen = berLength(msg, off + 1)!;
  off += 1 + opLen[1];
  if (msg[off] !== 0x0a) throw new ProbeError('protocol', 'LDAP: ExtendedResponse without resultCode');
  const codeLen = berLength(msg, off + 1)!;
  const code = msg.readUIntBE(off + 1 + codeLen[1], Math.max(1, codeLen[0]));
  if (code !== 0) throw new ProbeError('protocol', `LDAP: StartTLS refused with resultCode ${code}`);
};

const postgres: Upgrade = async (c) => {
  // SSLRequest: length 8, code 80877103.
  const req = Buffer.alloc(8);
  req.writeUInt32BE(8, 0);
  req.writeUInt32BE(80877103, 4);
  c.write(req);
  const r = await c.read((b) => (b.length ? 1 : -1));
  if (r[0] === 0x4e) throw new ProbeError('protocol', 'PostgreSQL: server does not accept SSL (answered N)');
  if (r[0] !== 0x53)
    throw new ProbeError('protocol', `PostgreSQL: unexpected answer 0x${r[0]!.toString(16)} to SSLRequest`);
};

const UPGRADES: Record<StartTlsProtocol, Upgrade> = { smtp, imap, pop3, ldap, postgres };

export const STARTTLS_PROTOCOLS = Object.keys(UPGRADES) as StartTlsProtocol[];

/** Runs the STARTTLS dialogue; on return the socket is ready for the TLS handshake. */
export async function startTls(socket: Socket, protocol: StartTlsProtocol): Promise<void> {
  const upgrade = UPGRADES[protocol];
  if (!upgrade)
    throw new ProbeError(
      'protocol',
      `unknown starttls protocol '${safeText(String(protocol))}' (valid: ${STARTTLS_PROTOCOLS.join(', ')})`,
    );
  const c = new Conversation(socket, `${protocol.toUpperCase()} STARTTLS`, 'protocol');
  try {
    await upgrade(c);
    const rest = c.detach();
    if (rest.length)
      throw new ProbeError('protocol', `${protocol.toUpperCase()}: unexpected data after the STARTTLS reply`);
  } finally {
    c.detach();
  }
}
