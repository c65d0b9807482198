// Reads the server's side of a TLS handshake as it crosses the wire, so we see the certificate list
// exactly as the server sent it (order, extras, gaps) — node's getPeerCertificate(true) rebuilds the
// chain and drops what does not link.
//
// TLS <= 1.2: the Certificate and CertificateRequest messages travel in clear; we parse the records.
// TLS 1.3: they are encrypted with the server handshake traffic secret. Node hands the client that
// secret through the 'keylog' event (the NSS key log line SERVER_HANDSHAKE_TRAFFIC_SECRET), so we
// derive the record key (RFC 8446 §7.1, §7.3) and decrypt the server's handshake records ourselves.
// Nothing here touches the network; the probe feeds bytes in.
import { createDecipheriv, createHmac } from 'node:crypto';

/** What the tap learnt from the server's handshake flight. */
export interface TapState {
  /** Negotiated version as node names it (TLSv1.3, TLSv1.2, …), null before ServerHello. */
  protocol: string | null;
  /** IANA cipher suite name (or 0xNNNN), null before ServerHello. */
  cipher: string | null;
  cipherCode: number | null;
  /** DER certificates in the order the server sent them; null until the Certificate message was read. */
  chain: Buffer[] | null;
  clientCertRequested: boolean;
  /** The server's flight is complete (ServerHelloDone, or Finished in TLS 1.3). */
  serverFlightDone: boolean;
  /** A fatal alert received from the server, e.g. "handshake_failure (40)". */
  alert: string | null;
  /** Why raw capture stopped early (unsupported cipher for decryption, malformed record, …). */
  captureProblem: string | null;
  /** The first bytes did not look like TLS at all. */
  notTls: boolean;
}

const VERSION_NAMES: Record<number, string> = {
  0x0300: 'SSLv3',
  0x0301: 'TLSv1',
  0x0302: 'TLSv1.1',
  0x0303: 'TLSv1.2',
  0x0304: 'TLSv1.3',
};

// The suites servers actually pick; anything else is shown as 0xNNNN.
const SUITE_NAMES: Record<number, string> = {
  0x1301: 'TLS_AES_128_GCM_SHA256',
  0x1302: 'TLS_AES_256_GCM_SHA384',
  0x1303: 'TLS_CHACHA20_POLY1305_SHA256',
  0x1304: 'TLS_AES_128_CCM_SHA256',
  0xc02b: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  0xc02c: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  0xc02f: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  0xc030: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  0xcca8: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  0xcca9: 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  0xc009: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA',
  0xc00a: 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA',
  0xc013: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
  0xc014: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
  0xc023: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256',
  0xc027: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256',
  0x009c: 'TLS_RSA_WITH_AES_128_GCM_SHA256',
  0x009d: 'TLS_RSA_WITH_AES_256_GCM_SHA384',
  0x009e: 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256',
  0x009f: 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384',
  0x002f: 'TLS_RSA_WITH_AES_128_CBC_SHA',
  0x0035: 'TLS_RSA_WITH_AES_256_CBC_SHA',
  0x003c: 'TLS_RSA_WITH_AES_128_CBC_SHA256',
  0x000a: 'TLS_RSA_WITH_3DES_EDE_CBC_SHA',
};

const ALERTS: Record<number, string> = {
  0: 'close_notify',
  10: 'unexpected_message',
  20: 'bad_record_mac',
  22: 'record_overflow',
  40: 'handshake_failure',
  42: 'bad_certificate',
  43: 'unsupported_certificate',
  44: 'certificate_revoked',
  45: 'certificate_expired',
  46: 'certificate_unknown',
  47: 'illegal_parameter',
  48: 'unknown_ca',
  49: 'access_denied',
  50: 'decode_error',
  51: 'decrypt_error',
  70: 'protocol_version',
  71: 'insufficient_security',
  80: 'internal_error',
  86: 'inappropriate_fallback',
  90: 'user_canceled',
  109: 'missing_extension',
  110: 'unsupported_extension',
  112: 'unrecognized_name',
  116: 'certificate_required',
  120: 'no_application_protocol',
};

/** Names a TLS version code the way node's getProtocol() does. */
export function versionName(v: number): string {
  return VERSION_NAMES[v] ?? `0x${v.toString(16).padStart(4, '0')}`;
}

/** IANA name of a cipher suite code, or 0xNNNN. */
export function suiteName(code: number): string {
  return SUITE_NAMES[code] ?? `0x${code.toString(16).padStart(4, '0')}`;
}

export function alertName(desc: number): string {
  return `${ALERTS[desc] ?? 'alert'} (${desc})`;
}

// RFC 8446 §4.1.3: a ServerHello with this random is a HelloRetryRequest.
const HRR_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');

/** Records beyond this many bytes of server handshake are not kept (a hostile server cannot grow us). */
const MAX_CAPTURE = 1 << 20;

interface Tls13Keys {
  algorithm: 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305';
  key: Buffer;
  iv: Buffer;
  seq: bigint;
}

const TLS13_SUITES: Record<
  number,
  { algorithm: Tls13Keys['algorithm']; hash: 'sha256' | 'sha384'; keyLen: number }
> = {
  0x1301: { algorithm: 'aes-128-gcm', hash: 'sha256', keyLen: 16 },
  0x1302: { algorithm: 'aes-256-gcm', hash: 'sha384', keyLen: 32 },
  0x1303: { algorithm: 'chacha20-poly1305', hash: 'sha256', keyLen: 32 },
};

/** HKDF-Expand-Label from RFC 8446 §7.1 (outputs here never exceed one hash block). */
function expandLabel(hash: string, secret: Buffer, label: string, length: number): Buffer {
  const full = Buffer.from(`tls13 ${label}`, 'ascii');
  const info = Buffer.concat([
    Buffer.from([length >> 8, length & 0xff, full.length]),
    full,
    Buffer.from([0]),
  ]);
  return createHmac(hash, secret)
    .update(Buffer.concat([info, Buffer.from([1])]))
    .digest()
    .subarray(0, length);
}

/** Incremental parser of the bytes a server sends during the handshake. */
export class HandshakeTap {
  readonly state: TapState = {
    protocol: null,
    cipher: null,
    cipherCode: null,
    chain: null,
    clientCertRequested: false,
    serverFlightDone: false,
    alert: null,
    captureProblem: null,
    notTls: false,
  };
  private recordBuf: Buffer = Buffer.alloc(0);
  private hsBuf: Buffer = Buffer.alloc(0); // plaintext handshake bytes (clear or decrypted)
  private seen = 0;
  private stopped = false;
  private encrypted = false; // TLS 1.3 after ServerHello, or TLS 1.2 after ChangeCipherSpec
  private pendingEncrypted: Array<{ header: Buffer; body: Buffer }> = [];
  private keys: Tls13Keys | null = null;

  /** Bytes read from the server, in order. */
  feed(chunk: Buffer): void {
    if (this.stopped) return;
    this.seen += chunk.length;
    if (this.seen > MAX_CAPTURE) return this.stop('server handshake larger than 1 MiB; capture stopped');
    this.recordBuf = this.recordBuf.length ? Buffer.concat([this.recordBuf, chunk]) : chunk;
    while (!this.stopped && this.recordBuf.length >= 5) {
      const type = this.recordBuf[0]!;
      const major = this.recordBuf[1]!;
      if (type < 20 || type > 24 || major !== 3) {
        this.state.notTls = this.state.protocol === null;
        return this.stop('bytes from the server are not TLS records');
      }
      const len = this.recordBuf.readUInt16BE(3);
      if (this.recordBuf.length < 5 + len) return;
      const header = this.recordBuf.subarray(0, 5);
      const body = this.recordBuf.subarray(5, 5 + len);
      this.recordBuf = this.recordBuf.subarray(5 + len);
      this.onRecord(type, header, body);
    }
  }

  /** A key log line from node's 'keylog' event (TLS 1.3 server handshake secret is the one we need). */
  keylog(line: Buffer | string): void {
    const text = line.toString('latin1').trim();
    if (!text.startsWith('SERVER_HANDSHAKE_TRAFFIC_SECRET ')) return;
    const secretHex = text.split(' ')[2];
    if (!secretHex || this.state.cipherCode === null) return;
    const suite = TLS13_SUITES[this.state.cipherCode];
    if (!suite) return this.stop(`cannot decrypt TLS 1.3 suite ${suiteName(this.state.cipherCode)}`);
    const secret = Buffer.from(secretHex, 'hex');
    this.keys = {
      algorithm: suite.algorithm,
      key: expandLabel(suite.hash, secret, 'key', suite.keyLen),
      iv: expandLabel(suite.hash, secret, 'iv', 12),
      seq: 0n,
    };
    const pending = this.pendingEncrypted;
    this.pendingEncrypted = [];
    for (const r of pending) if (!this.stopped) this.decryptRecord(r.header, r.body);
  }

  /** The server flight was captured from the wire (vs. needing node's rebuilt chain). */
  get captured(): boolean {
    return this.state.chain !== null;
  }

  /** Stops capturing, saying why (the probe then uses the TLS library's chain). */
  stopCapture(reason: string): void {
    this.stop(reason);
  }

  private stop(problem: string | null): void {
    this.stopped = true;
    if (problem && !this.state.captureProblem) this.state.captureProblem = problem;
    this.recordBuf = Buffer.alloc(0);
    this.hsBuf = Buffer.alloc(0);
    this.pendingEncrypted = [];
  }

  private onRecord(type: number, header: Buffer, body: Buffer): void {
    if (type === 21 && !this.encrypted) {
      if (body.length >= 2 && body[0] === 2) this.state.alert = alertName(body[1]!);
      return;
    }
    if (type === 20) {
      // ChangeCipherSpec: in TLS 1.2 everything after it is encrypted; in 1.3 it is a no-op.
      if (this.state.protocol !== 'TLSv1.3') this.stop(null);
      return;
    }
    if (type === 22 && !this.encrypted) {
      this.hsBuf = this.hsBuf.length ? Buffer.concat([this.hsBuf, body]) : Buffer.from(body);
      this.drainHandshake();
      return;
    }
    if (type === 23 && this.encrypted && this.state.protocol === 'TLSv1.3') {
      if (this.keys) this.decryptRecord(header, body);
      else this.pendingEncrypted.push({ header: Buffer.from(header), body: Buffer.from(body) });
    }
  }

  private decryptRecord(header: Buffer, body: Buffer): void {
    const k = this.keys!;
    if (body.length < 17) return this.stop('short encrypted record');
    const nonce = Buffer.from(k.iv);
    for (let i = 0; i < 8; i++) nonce[11 - i]! ^= Number((k.seq >> BigInt(8 * i)) & 0xffn);
    k.seq++;
    try {
      const d = createDecipheriv(k.algorithm, k.key, nonce, { authTagLength: 16 } as never) as ReturnType<
        typeof createDecipheriv
      > & { setAAD(b: Buffer, o?: unknown): void; setAuthTag(b: Buffer): void };
      d.setAAD(header, { plaintextLength: body.length - 16 });
      d.setAuthTag(body.subarray(body.length - 16));
      const plain = Buffer.concat([d.update(body.subarray(0, body.length - 16)), d.final()]);
      let end = plain.length;
      while (end > 0 && plain[end - 1] === 0) end--; // strip padding
      if (end === 0) return this.stop('empty inner record');
      const innerType = plain[end - 1]!;
      const content = plain.subarray(0, end - 1);
      if (innerType === 21) {
        if (content.length >= 2 && content[0] === 2) this.state.alert = alertName(content[1]!);
        return;
      }
      if (innerType !== 22) return this.stop(null); // application data: the handshake flight is over
      this.hsBuf = this.hsBuf.length ? Buffer.concat([this.hsBuf, content]) : content;
      this.drainHandshake();
    } catch {
      // Records protected by a later key (after Finished) fail here; by then we have what we need.
      this.stop(this.state.serverFlightDone ? null : 'could not decrypt the TLS 1.3 handshake');
    }
  }

  private drainHandshake(): void {
    while (!this.stopped && this.hsBuf.length >= 4) {
      const msgType = this.hsBuf[0]!;
      const len = this.hsBuf.readUIntBE(1, 3);
      if (this.hsBuf.length < 4 + len) return;
      const msg = this.hsBuf.subarray(4, 4 + len);
      this.hsBuf = this.hsBuf.subarray(4 + len);
      try {
        this.onHandshake(msgType, msg);
      } catch (e) {
        this.stop(`malformed handshake message ${msgType}: ${(e as Error).message}`);
      }
    }
  }

  private onHandshake(type: number, msg: Buffer): void {
    switch (type) {
      case 2:
        return this.onServerHello(msg);
      case 11:
        this.state.chain =
          this.state.protocol === 'TLSv1.3' ? parseCertificate13(msg) : parseCertificate12(msg);
        return;
      case 13:
        this.state.clientCertRequested = true;
        return;
      case 14: // ServerHelloDone (TLS <= 1.2)
        this.state.serverFlightDone = true;
        return this.stop(null);
      case 20: // Finished (TLS 1.3)
        this.state.serverFlightDone = true;
        return this.stop(null);
      default:
        return;
    }
  }

  private onServerHello(msg: Buffer): void {
    let off = 0;
    const legacyVersion = msg.readUInt16BE(off);
    off += 2;
    const random = msg.subarray(off, off + 32);
    off += 32;
    const sidLen = msg[off]!;
    off += 1 + sidLen;
    const suite = msg.readUInt16BE(off);
    off += 2 + 1; // suite, compression
    let version = legacyVersion;
    if (off + 2 <= msg.length) {
      const extEnd = off + 2 + msg.readUInt16BE(off);
      off += 2;
      while (off + 4 <= extEnd) {
        const extType = msg.readUInt16BE(off);
        const extLen = msg.readUInt16BE(off + 2);
        if (extType === 0x002b && extLen === 2) version = msg.readUInt16BE(off + 4);
        off += 4 + extLen;
      }
    }
    this.state.protocol = versionName(version);
    this.state.cipherCode = suite;
    this.state.cipher = suiteName(suite);
    if (random.equals(HRR_RANDOM)) return; // HelloRetryRequest: the real ServerHello follows
    if (version === 0x0304) this.encrypted = true;
  }
}

function readVector24(buf: Buffer, off: number): [Buffer, number] {
  const len = buf.readUIntBE(off, 3);
  if (off + 3 + len > buf.length) throw new Error('length beyond message');
  return [buf.subarray(off + 3, off + 3 + len), off + 3 + len];
}

function parseCertificate12(msg: Buffer): Buffer[] {
  const [list] = readVector24(msg, 0);
  const out: Buffer[] = [];
  for (let off = 0; off < list.length;) {
    const [cert, next] = readVector24(list, off);
    out.push(Buffer.from(cert));
    off = next;
  }
  return out;
}

function parseCertificate13(msg: Buffer): Buffer[] {
  const ctxLen = msg[0]!;
  const [list] = readVector24(msg, 1 + ctxLen);
  const out: Buffer[] = [];
  for (let off = 0; off < list.length;) {
    const [cert, next] = readVector24(list, off);
    out.push(Buffer.from(cert));
    const extLen = list.readUInt16BE(next);
    off = next + 2 + extLen;
  }
  return out;
}
