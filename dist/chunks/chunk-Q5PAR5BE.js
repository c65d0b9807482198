import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  safeText
} from "./chunk-NRN5HDCZ.js";
import {
  stripUserinfo
} from "./chunk-O6SZIQSQ.js";

// src/sources/endpoint/probe.ts
import * as net from "node:net";
import * as tls from "node:tls";
import { promises as dns } from "node:dns";
import { Duplex } from "node:stream";

// src/sources/endpoint/handshake-tap.ts
import { createDecipheriv, createHmac } from "node:crypto";
var VERSION_NAMES = {
  768: "SSLv3",
  769: "TLSv1",
  770: "TLSv1.1",
  771: "TLSv1.2",
  772: "TLSv1.3"
};
var SUITE_NAMES = {
  4865: "TLS_AES_128_GCM_SHA256",
  4866: "TLS_AES_256_GCM_SHA384",
  4867: "TLS_CHACHA20_POLY1305_SHA256",
  4868: "TLS_AES_128_CCM_SHA256",
  49195: "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
  49196: "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
  49199: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
  49200: "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
  52392: "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
  52393: "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
  49161: "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
  49162: "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
  49171: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
  49172: "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
  49187: "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
  49191: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
  156: "TLS_RSA_WITH_AES_128_GCM_SHA256",
  157: "TLS_RSA_WITH_AES_256_GCM_SHA384",
  158: "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
  159: "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
  47: "TLS_RSA_WITH_AES_128_CBC_SHA",
  53: "TLS_RSA_WITH_AES_256_CBC_SHA",
  60: "TLS_RSA_WITH_AES_128_CBC_SHA256",
  10: "TLS_RSA_WITH_3DES_EDE_CBC_SHA"
};
var ALERTS = {
  0: "close_notify",
  10: "unexpected_message",
  20: "bad_record_mac",
  22: "record_overflow",
  40: "handshake_failure",
  42: "bad_certificate",
  43: "unsupported_certificate",
  44: "certificate_revoked",
  45: "certificate_expired",
  46: "certificate_unknown",
  47: "illegal_parameter",
  48: "unknown_ca",
  49: "access_denied",
  50: "decode_error",
  51: "decrypt_error",
  70: "protocol_version",
  71: "insufficient_security",
  80: "internal_error",
  86: "inappropriate_fallback",
  90: "user_canceled",
  109: "missing_extension",
  110: "unsupported_extension",
  112: "unrecognized_name",
  116: "certificate_required",
  120: "no_application_protocol"
};
function versionName(v) {
  return VERSION_NAMES[v] ?? `0x${v.toString(16).padStart(4, "0")}`;
}
function suiteName(code) {
  return SUITE_NAMES[code] ?? `0x${code.toString(16).padStart(4, "0")}`;
}
function alertName(desc) {
  return `${ALERTS[desc] ?? "alert"} (${desc})`;
}
var HRR_RANDOM = Buffer.from("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c", "hex");
var MAX_CAPTURE = 1 << 20;
var TLS13_SUITES = {
  4865: { algorithm: "aes-128-gcm", hash: "sha256", keyLen: 16 },
  4866: { algorithm: "aes-256-gcm", hash: "sha384", keyLen: 32 },
  4867: { algorithm: "chacha20-poly1305", hash: "sha256", keyLen: 32 }
};
function expandLabel(hash, secret, label, length) {
  const full = Buffer.from(`tls13 ${label}`, "ascii");
  const info = Buffer.concat([
    Buffer.from([length >> 8, length & 255, full.length]),
    full,
    Buffer.from([0])
  ]);
  return createHmac(hash, secret).update(Buffer.concat([info, Buffer.from([1])])).digest().subarray(0, length);
}
var HandshakeTap = class {
  state = {
    protocol: null,
    cipher: null,
    cipherCode: null,
    chain: null,
    clientCertRequested: false,
    serverFlightDone: false,
    alert: null,
    captureProblem: null,
    notTls: false
  };
  recordBuf = Buffer.alloc(0);
  hsBuf = Buffer.alloc(0);
  // plaintext handshake bytes (clear or decrypted)
  seen = 0;
  stopped = false;
  encrypted = false;
  // TLS 1.3 after ServerHello, or TLS 1.2 after ChangeCipherSpec
  pendingEncrypted = [];
  keys = null;
  /** Bytes read from the server, in order. */
  feed(chunk) {
    if (this.stopped) return;
    this.seen += chunk.length;
    if (this.seen > MAX_CAPTURE) return this.stop("server handshake larger than 1 MiB; capture stopped");
    this.recordBuf = this.recordBuf.length ? Buffer.concat([this.recordBuf, chunk]) : chunk;
    while (!this.stopped && this.recordBuf.length >= 5) {
      const type = this.recordBuf[0];
      const major = this.recordBuf[1];
      if (type < 20 || type > 24 || major !== 3) {
        this.state.notTls = this.state.protocol === null;
        return this.stop("bytes from the server are not TLS records");
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
  keylog(line) {
    const text = line.toString("latin1").trim();
    if (!text.startsWith("SERVER_HANDSHAKE_TRAFFIC_SECRET ")) return;
    const secretHex = text.split(" ")[2];
    if (!secretHex || this.state.cipherCode === null) return;
    const suite = TLS13_SUITES[this.state.cipherCode];
    if (!suite) return this.stop(`cannot decrypt TLS 1.3 suite ${suiteName(this.state.cipherCode)}`);
    const secret = Buffer.from(secretHex, "hex");
    this.keys = {
      algorithm: suite.algorithm,
      key: expandLabel(suite.hash, secret, "key", suite.keyLen),
      iv: expandLabel(suite.hash, secret, "iv", 12),
      seq: 0n
    };
    const pending = this.pendingEncrypted;
    this.pendingEncrypted = [];
    for (const r of pending) if (!this.stopped) this.decryptRecord(r.header, r.body);
  }
  /** The server flight was captured from the wire (vs. needing node's rebuilt chain). */
  get captured() {
    return this.state.chain !== null;
  }
  /** Stops capturing, saying why (the probe then uses the TLS library's chain). */
  stopCapture(reason) {
    this.stop(reason);
  }
  stop(problem) {
    this.stopped = true;
    if (problem && !this.state.captureProblem) this.state.captureProblem = problem;
    this.recordBuf = Buffer.alloc(0);
    this.hsBuf = Buffer.alloc(0);
    this.pendingEncrypted = [];
  }
  onRecord(type, header, body) {
    if (type === 21 && !this.encrypted) {
      if (body.length >= 2 && body[0] === 2) this.state.alert = alertName(body[1]);
      return;
    }
    if (type === 20) {
      if (this.state.protocol !== "TLSv1.3") this.stop(null);
      return;
    }
    if (type === 22 && !this.encrypted) {
      this.hsBuf = this.hsBuf.length ? Buffer.concat([this.hsBuf, body]) : Buffer.from(body);
      this.drainHandshake();
      return;
    }
    if (type === 23 && this.encrypted && this.state.protocol === "TLSv1.3") {
      if (this.keys) this.decryptRecord(header, body);
      else this.pendingEncrypted.push({ header: Buffer.from(header), body: Buffer.from(body) });
    }
  }
  decryptRecord(header, body) {
    const k = this.keys;
    if (body.length < 17) return this.stop("short encrypted record");
    const nonce = Buffer.from(k.iv);
    for (let i = 0; i < 8; i++) nonce[11 - i] ^= Number(k.seq >> BigInt(8 * i) & 0xffn);
    k.seq++;
    try {
      const d = createDecipheriv(k.algorithm, k.key, nonce, { authTagLength: 16 });
      d.setAAD(header, { plaintextLength: body.length - 16 });
      d.setAuthTag(body.subarray(body.length - 16));
      const plain = Buffer.concat([d.update(body.subarray(0, body.length - 16)), d.final()]);
      let end = plain.length;
      while (end > 0 && plain[end - 1] === 0) end--;
      if (end === 0) return this.stop("empty inner record");
      const innerType = plain[end - 1];
      const content = plain.subarray(0, end - 1);
      if (innerType === 21) {
        if (content.length >= 2 && content[0] === 2) this.state.alert = alertName(content[1]);
        return;
      }
      if (innerType !== 22) return this.stop(null);
      this.hsBuf = this.hsBuf.length ? Buffer.concat([this.hsBuf, content]) : content;
      this.drainHandshake();
    } catch {
      this.stop(this.state.serverFlightDone ? null : "could not decrypt the TLS 1.3 handshake");
    }
  }
  drainHandshake() {
    while (!this.stopped && this.hsBuf.length >= 4) {
      const msgType = this.hsBuf[0];
      const len = this.hsBuf.readUIntBE(1, 3);
      if (this.hsBuf.length < 4 + len) return;
      const msg = this.hsBuf.subarray(4, 4 + len);
      this.hsBuf = this.hsBuf.subarray(4 + len);
      try {
        this.onHandshake(msgType, msg);
      } catch (e) {
        this.stop(`malformed handshake message ${msgType}: ${e.message}`);
      }
    }
  }
  onHandshake(type, msg) {
    switch (type) {
      case 2:
        return this.onServerHello(msg);
      case 11:
        this.state.chain = this.state.protocol === "TLSv1.3" ? parseCertificate13(msg) : parseCertificate12(msg);
        return;
      case 13:
        this.state.clientCertRequested = true;
        return;
      case 14:
        this.state.serverFlightDone = true;
        return this.stop(null);
      case 20:
        this.state.serverFlightDone = true;
        return this.stop(null);
      default:
        return;
    }
  }
  onServerHello(msg) {
    let off = 0;
    const legacyVersion = msg.readUInt16BE(off);
    off += 2;
    const random = msg.subarray(off, off + 32);
    off += 32;
    const sidLen = msg[off];
    off += 1 + sidLen;
    const suite = msg.readUInt16BE(off);
    off += 2 + 1;
    let version = legacyVersion;
    if (off + 2 <= msg.length) {
      const extEnd = off + 2 + msg.readUInt16BE(off);
      off += 2;
      while (off + 4 <= extEnd) {
        const extType = msg.readUInt16BE(off);
        const extLen = msg.readUInt16BE(off + 2);
        if (extType === 43 && extLen === 2) version = msg.readUInt16BE(off + 4);
        off += 4 + extLen;
      }
    }
    this.state.protocol = versionName(version);
    this.state.cipherCode = suite;
    this.state.cipher = suiteName(suite);
    if (random.equals(HRR_RANDOM)) return;
    if (version === 772) this.encrypted = true;
  }
};
function readVector24(buf, off) {
  const len = buf.readUIntBE(off, 3);
  if (off + 3 + len > buf.length) throw new Error("length beyond message");
  return [buf.subarray(off + 3, off + 3 + len), off + 3 + len];
}
function parseCertificate12(msg) {
  const [list] = readVector24(msg, 0);
  const out = [];
  for (let off = 0; off < list.length; ) {
    const [cert, next] = readVector24(list, off);
    out.push(Buffer.from(cert));
    off = next;
  }
  return out;
}
function parseCertificate13(msg) {
  const ctxLen = msg[0];
  const [list] = readVector24(msg, 1 + ctxLen);
  const out = [];
  for (let off = 0; off < list.length; ) {
    const [cert, next] = readVector24(list, off);
    out.push(Buffer.from(cert));
    const extLen = list.readUInt16BE(next);
    off = next + 2 + extLen;
  }
  return out;
}

// src/sources/endpoint/conversation.ts
var ProbeError = class extends Error {
  constructor(reason, message, transient = false) {
    super(message);
    this.reason = reason;
    this.transient = transient;
    this.name = "ProbeError";
  }
  reason;
  transient;
};
var MAX_REPLY = 64 * 1024;
var Conversation = class {
  constructor(socket, what, failReason) {
    this.socket = socket;
    this.what = what;
    this.failReason = failReason;
    socket.on("data", this.onData);
    socket.on("end", this.onEnd);
    socket.on("close", this.onEnd);
    socket.on("error", this.onError);
  }
  socket;
  what;
  failReason;
  buf = Buffer.alloc(0);
  waiter = null;
  failure = null;
  onData = (d) => {
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
    if (this.buf.length > MAX_REPLY)
      this.fail(new ProbeError(this.failReason, `${this.what}: reply larger than 64 KiB`));
    else this.check();
  };
  onEnd = () => this.fail(new ProbeError(this.failReason, `${this.what}: connection closed by peer`));
  onError = (e) => this.fail(e);
  write(data) {
    this.socket.write(data);
  }
  /** Resolves with one frame: `frame(buf)` returns the frame length once complete, or -1 to wait. */
  read(frame) {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.waiter = { frame, resolve, reject };
      this.check();
    });
  }
  /** Reads one CRLF/LF-terminated line (without the terminator), latin1. */
  async line() {
    const b = await this.read((buf) => {
      const i = buf.indexOf(10);
      return i < 0 ? -1 : i + 1;
    });
    return b.toString("latin1").replace(/\r?\n$/, "");
  }
  /** Stops listening; the clear-text phase is over. Returns bytes read past the last frame. */
  detach() {
    this.socket.off("data", this.onData);
    this.socket.off("end", this.onEnd);
    this.socket.off("close", this.onEnd);
    this.socket.off("error", this.onError);
    const rest = this.buf;
    this.buf = Buffer.alloc(0);
    return rest;
  }
  check() {
    const w = this.waiter;
    if (!w) return;
    const n = w.frame(this.buf);
    if (n < 0) return;
    this.waiter = null;
    const frame = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    w.resolve(frame);
  }
  fail(e) {
    if (this.failure) return;
    this.failure = e;
    const w = this.waiter;
    this.waiter = null;
    w?.reject(e);
  }
};

// src/sources/endpoint/proxy.ts
import { isIP } from "node:net";
function parseProxy(via) {
  let u;
  try {
    u = new URL(via);
  } catch {
    throw new ProbeError(
      "proxy",
      `invalid proxy '${safeText(stripUserinfo(via))}' (expected http://host:port or socks5://host:port)`
    );
  }
  const kind = u.protocol === "http:" ? "http" : u.protocol === "socks5:" || u.protocol === "socks5h:" ? "socks5" : null;
  if (!kind || !u.hostname) {
    throw new ProbeError(
      "proxy",
      `invalid proxy '${safeText(stripUserinfo(via))}' (expected http://host:port or socks5://host:port)`
    );
  }
  const port = u.port ? Number(u.port) : kind === "http" ? 80 : 1080;
  return { kind, host: u.hostname.replace(/^\[|\]$/g, ""), port };
}
function hostPort(host, port) {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}
async function httpConnect(socket, host, port) {
  const c = new Conversation(socket, "HTTP CONNECT proxy", "proxy");
  try {
    const hp = hostPort(host, port);
    c.write(`CONNECT ${hp} HTTP/1.1\r
Host: ${hp}\r
\r
`);
    const head = (await c.read((b) => {
      const i = b.indexOf("\r\n\r\n");
      return i < 0 ? -1 : i + 4;
    })).toString("latin1");
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(head);
    if (!status)
      throw new ProbeError(
        "proxy",
        `HTTP CONNECT proxy: malformed reply '${safeText(head.split("\r\n")[0].slice(0, 80))}'`
      );
    if (status[1] !== "200") {
      throw new ProbeError(
        "proxy",
        `HTTP CONNECT proxy refused ${hp}: '${safeText(head.split("\r\n")[0].slice(0, 80))}'`
      );
    }
    if (c.detach().length)
      throw new ProbeError("proxy", "HTTP CONNECT proxy: data before the tunnel was used");
  } finally {
    c.detach();
  }
}
var SOCKS_REPLIES = {
  1: "general failure",
  2: "connection not allowed by ruleset",
  3: "network unreachable",
  4: "host unreachable",
  5: "connection refused",
  6: "TTL expired",
  7: "command not supported",
  8: "address type not supported"
};
async function socks5(socket, host, port) {
  const c = new Conversation(socket, "SOCKS5 proxy", "proxy");
  try {
    c.write(Buffer.from([5, 1, 0]));
    const m = await c.read((b) => b.length >= 2 ? 2 : -1);
    if (m[0] !== 5 || m[1] !== 0)
      throw new ProbeError("proxy", "SOCKS5 proxy: requires authentication or is not SOCKS5");
    let addr;
    const fam = isIP(host);
    if (fam === 4) addr = Buffer.from([1, ...host.split(".").map(Number)]);
    else if (fam === 6) addr = Buffer.concat([Buffer.from([4]), ipv6Bytes(host)]);
    else {
      const name = Buffer.from(host, "utf8");
      if (name.length > 255) throw new ProbeError("proxy", "SOCKS5 proxy: host name longer than 255 bytes");
      addr = Buffer.concat([Buffer.from([3, name.length]), name]);
    }
    c.write(Buffer.concat([Buffer.from([5, 1, 0]), addr, Buffer.from([port >> 8, port & 255])]));
    const r = await c.read((b) => {
      if (b.length < 5) return -1;
      const len = b[3] === 1 ? 4 : b[3] === 4 ? 16 : b[3] === 3 ? 1 + b[4] : -2;
      if (len === -2) throw new ProbeError("proxy", "SOCKS5 proxy: malformed reply");
      return b.length >= 4 + len + 2 ? 4 + len + 2 : -1;
    });
    if (r[0] !== 5) throw new ProbeError("proxy", "SOCKS5 proxy: malformed reply");
    if (r[1] !== 0) {
      const what = SOCKS_REPLIES[r[1]] ?? `error ${r[1]}`;
      throw new ProbeError(
        r[1] === 5 ? "refused" : "proxy",
        `SOCKS5 proxy: ${what} for ${hostPort(host, port)}`
      );
    }
    if (c.detach().length) throw new ProbeError("proxy", "SOCKS5 proxy: data before the tunnel was used");
  } finally {
    c.detach();
  }
}
function ipv6Bytes(address) {
  const ip = address.replace(
    /(\d+)\.(\d+)\.(\d+)\.(\d+)$/,
    (_m, a, b, c, d) => `${(Number(a) << 8 | Number(b)).toString(16)}:${(Number(c) << 8 | Number(d)).toString(16)}`
  );
  const [head, tail] = ip.includes("::") ? ip.split("::") : [ip, void 0];
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const groups = tail === void 0 ? h : [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g || "0", 16), i * 2));
  return out;
}
function openTunnel(socket, proxy, host, port) {
  return proxy.kind === "http" ? httpConnect(socket, host, port) : socks5(socket, host, port);
}

// src/sources/endpoint/starttls.ts
function quote(s) {
  return `'${safeText(s.slice(0, 120))}'`;
}
async function smtpReply(c) {
  const lines = [];
  for (; ; ) {
    const l = await c.line();
    lines.push(l);
    if (!/^\d{3}[ -]/.test(l) && !/^\d{3}$/.test(l))
      throw new ProbeError("protocol", `SMTP: unexpected reply ${quote(l)}`);
    if (l[3] !== "-") return { code: Number(l.slice(0, 3)), lines };
    if (lines.length > 100) throw new ProbeError("protocol", "SMTP: reply with too many lines");
  }
}
var smtp = async (c) => {
  const greet = await smtpReply(c);
  if (greet.code !== 220)
    throw new ProbeError("protocol", `SMTP: greeting ${quote(greet.lines[0] ?? "")}, expected 220`);
  c.write("EHLO certwarden.invalid\r\n");
  const ehlo = await smtpReply(c);
  if (ehlo.code !== 250)
    throw new ProbeError("protocol", `SMTP: EHLO answered ${quote(ehlo.lines[0] ?? "")}`);
  if (!ehlo.lines.some((l) => /^250[ -]STARTTLS\b/i.test(l))) {
    throw new ProbeError("protocol", "SMTP: server does not offer STARTTLS");
  }
  c.write("STARTTLS\r\n");
  const go = await smtpReply(c);
  if (go.code !== 220) throw new ProbeError("protocol", `SMTP: STARTTLS refused ${quote(go.lines[0] ?? "")}`);
};
var imap = async (c) => {
  const greet = await c.line();
  if (!/^\* (OK|PREAUTH)\b/i.test(greet))
    throw new ProbeError("protocol", `IMAP: greeting ${quote(greet)}, expected '* OK'`);
  c.write("cw1 STARTTLS\r\n");
  for (let i = 0; i < 50; i++) {
    const l = await c.line();
    if (l.startsWith("* ")) continue;
    if (/^cw1 OK\b/i.test(l)) return;
    throw new ProbeError("protocol", `IMAP: STARTTLS refused ${quote(l)}`);
  }
  throw new ProbeError("protocol", "IMAP: no tagged reply to STARTTLS");
};
var pop3 = async (c) => {
  const greet = await c.line();
  if (!greet.startsWith("+OK"))
    throw new ProbeError("protocol", `POP3: greeting ${quote(greet)}, expected '+OK'`);
  c.write("STLS\r\n");
  const l = await c.line();
  if (!l.startsWith("+OK")) throw new ProbeError("protocol", `POP3: STLS refused ${quote(l)}`);
};
function berLength(b, off) {
  if (off >= b.length) return null;
  const first = b[off];
  if (first < 128) return [first, 1];
  const n = first & 127;
  if (n === 0 || n > 4) throw new ProbeError("protocol", "LDAP: unsupported BER length");
  if (off + 1 + n > b.length) return null;
  return [b.readUIntBE(off + 1, n), 1 + n];
}
var LDAP_STARTTLS_OID = "1.3.6.1.4.1.1466.20037";
var ldap = async (c) => {
  const oid = Buffer.from(LDAP_STARTTLS_OID, "ascii");
  const ext = Buffer.concat([Buffer.from([128, oid.length]), oid]);
  const op = Buffer.concat([Buffer.from([119, ext.length]), ext]);
  const body = Buffer.concat([Buffer.from([2, 1, 1]), op]);
  c.write(Buffer.concat([Buffer.from([48, body.length]), body]));
  const msg = await c.read((b) => {
    if (b.length && b[0] !== 48) throw new ProbeError("protocol", "LDAP: reply is not an LDAPMessage");
    const l = berLength(b, 1);
    if (!l) return -1;
    const total = 1 + l[1] + l[0];
    return b.length >= total ? total : -1;
  });
  let off = 1 + berLength(msg, 1)[1];
  if (msg[off] !== 2) throw new ProbeError("protocol", "LDAP: malformed reply");
  off += 1 + berLength(msg, off + 1)[1] + berLength(msg, off + 1)[0];
  if (msg[off] !== 120)
    throw new ProbeError(
      "protocol",
      `LDAP: expected an ExtendedResponse, got tag 0x${(msg[off] ?? 0).toString(16)}`
    );
  const opLen = berLength(msg, off + 1);
  off += 1 + opLen[1];
  if (msg[off] !== 10) throw new ProbeError("protocol", "LDAP: ExtendedResponse without resultCode");
  const codeLen = berLength(msg, off + 1);
  const code = msg.readUIntBE(off + 1 + codeLen[1], Math.max(1, codeLen[0]));
  if (code !== 0) throw new ProbeError("protocol", `LDAP: StartTLS refused with resultCode ${code}`);
};
var postgres = async (c) => {
  const req = Buffer.alloc(8);
  req.writeUInt32BE(8, 0);
  req.writeUInt32BE(80877103, 4);
  c.write(req);
  const r = await c.read((b) => b.length ? 1 : -1);
  if (r[0] === 78) throw new ProbeError("protocol", "PostgreSQL: server does not accept SSL (answered N)");
  if (r[0] !== 83)
    throw new ProbeError("protocol", `PostgreSQL: unexpected answer 0x${r[0].toString(16)} to SSLRequest`);
};
var UPGRADES = { smtp, imap, pop3, ldap, postgres };
var STARTTLS_PROTOCOLS = Object.keys(UPGRADES);
async function startTls(socket, protocol) {
  const upgrade = UPGRADES[protocol];
  if (!upgrade)
    throw new ProbeError(
      "protocol",
      `unknown starttls protocol '${safeText(String(protocol))}' (valid: ${STARTTLS_PROTOCOLS.join(", ")})`
    );
  const c = new Conversation(socket, `${protocol.toUpperCase()} STARTTLS`, "protocol");
  try {
    await upgrade(c);
    const rest = c.detach();
    if (rest.length)
      throw new ProbeError("protocol", `${protocol.toUpperCase()}: unexpected data after the STARTTLS reply`);
  } finally {
    c.detach();
  }
}

// src/sources/endpoint/probe.ts
var DEFAULT_STALL_MS = 250;
var PHASE_TEXT = {
  dns: "while resolving the host name",
  connect: "while connecting",
  proxy: "while opening the proxy tunnel",
  starttls: "during the STARTTLS dialogue",
  handshake: "waiting for the TLS handshake (the server accepted the connection but did not complete a handshake)"
};
var sharedContext = null;
function secureContext() {
  sharedContext ??= tls.createSecureContext({
    minVersion: "TLSv1",
    ciphers: `${tls.DEFAULT_CIPHERS}:@SECLEVEL=0`
  });
  return sharedContext;
}
var defaultLookup = (host) => dns.lookup(host, { all: true, verbatim: true });
var TapStream = class extends Duplex {
  constructor(sock, onData) {
    super();
    this.sock = sock;
    sock.on("data", (d) => {
      onData(d);
      if (!this.push(d)) sock.pause();
    });
    sock.on("end", () => this.push(null));
    sock.on("error", (e) => this.destroy(e));
    sock.on("close", () => this.destroy());
  }
  sock;
  _read() {
    this.sock.resume();
  }
  _write(chunk, _enc, cb) {
    if (this.sock.destroyed) return cb();
    this.sock.write(chunk, () => cb());
  }
  _final(cb) {
    this.sock.end();
    cb();
  }
  _destroy(err, cb) {
    this.sock.destroy();
    cb(err);
  }
};
function stripBrackets(host) {
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}
var noop = () => {
};
async function probeEndpoint(ep, opts) {
  const started = Date.now();
  try {
    return await probeInner(ep, opts, started);
  } catch (e) {
    return {
      host: String(ep?.host ?? ""),
      port: Number(ep?.port),
      serverName: null,
      starttls: ep?.starttls ?? null,
      via: ep?.via ? stripUserinfo(ep.via) : null,
      address: null,
      ok: false,
      chain: [],
      chainMethod: null,
      protocol: null,
      cipher: null,
      clientCertRequested: false,
      error: {
        reason: "protocol",
        message: `probe failed: ${safeText(e instanceof Error ? e.message : String(e))}`
      },
      notes: [],
      attempts: 1,
      elapsedMs: Date.now() - started
    };
  }
}
async function probeInner(ep, opts, started) {
  const deadline = started + Math.max(1, opts.timeoutMs);
  const host = stripBrackets(String(ep.host ?? ""));
  const sni = ep.serverName && net.isIP(stripBrackets(ep.serverName)) === 0 ? ep.serverName : net.isIP(host) ? null : host;
  const base = {
    host,
    port: ep.port,
    serverName: sni || null,
    starttls: ep.starttls ?? null,
    via: ep.via ? stripUserinfo(ep.via) : null,
    address: null,
    ok: false,
    chain: [],
    chainMethod: null,
    protocol: null,
    cipher: null,
    clientCertRequested: false,
    error: null,
    notes: [],
    attempts: 0,
    elapsedMs: 0
  };
  if (ep.serverName && !sni) base.notes.push("serverName is an IP address; no SNI was sent");
  const retries = Math.max(0, opts.retries ?? 1);
  let stallTimer = opts.onStall ? setTimeout(() => {
    stallTimer = null;
    opts.onStall?.();
  }, opts.stallMs ?? DEFAULT_STALL_MS) : null;
  const progress = () => {
    if (stallTimer) clearTimeout(stallTimer);
    stallTimer = null;
  };
  let result = base;
  for (let attempt = 1; ; attempt++) {
    result = await attemptOnce({ ...base, notes: [...base.notes] }, ep, deadline, opts, progress);
    result.attempts = attempt;
    const transient = result.error && result.transient;
    delete result.transient;
    if (result.ok || !transient || attempt > retries) break;
    const backoff = 50 * attempt;
    if (Date.now() + backoff >= deadline - 50 || opts.signal?.aborted) break;
    await new Promise((r) => setTimeout(r, backoff));
  }
  progress();
  result.elapsedMs = Date.now() - started;
  return result;
}
function attemptOnce(res, ep, deadline, opts, progress) {
  return new Promise(
    (resolve) => new Attempt(res, ep, deadline, opts, progress, resolve).start()
  );
}
var Attempt = class {
  constructor(res, ep, deadline, opts, progress, resolve) {
    this.res = res;
    this.ep = ep;
    this.deadline = deadline;
    this.opts = opts;
    this.progress = progress;
    this.resolve = resolve;
  }
  res;
  ep;
  deadline;
  opts;
  progress;
  resolve;
  sockets = [];
  phase = "dns";
  settled = false;
  tap = new HandshakeTap();
  firstBytes = null;
  timer;
  onAbort = () => this.finish(new ProbeError("timeout", "scan cancelled"));
  start() {
    const { opts } = this;
    this.timer = setTimeout(
      () => this.finish(
        new ProbeError(
          "timeout",
          `no answer within the ${opts.timeoutMs} ms deadline ${PHASE_TEXT[this.phase]}`
        )
      ),
      Math.max(0, this.deadline - Date.now())
    );
    if (opts.signal?.aborted) return this.onAbort();
    opts.signal?.addEventListener("abort", this.onAbort, { once: true });
    this.run().catch((e) => this.finish(this.classify(e)));
  }
  finish(error) {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.opts.signal?.removeEventListener("abort", this.onAbort);
    for (const s of this.sockets) s.destroy();
    const res = this.res;
    if (error) {
      res.ok = false;
      res.error = { reason: error.reason, message: error.message };
      res.transient = error.transient;
    } else res.ok = true;
    this.resolve(res);
  }
  classify(e) {
    return classify(e, this.tap, this.firstBytes);
  }
  connect(address, port) {
    return new Promise((ok, fail) => {
      const s = net.connect({ host: address, port });
      s.on("error", noop);
      this.sockets.push(s);
      s.setNoDelay(true);
      s.once("connect", () => {
        s.off("error", fail);
        ok(s);
      });
      s.once("error", fail);
    });
  }
  async resolveHost(name) {
    if (net.isIP(name)) return [name];
    try {
      const addrs = await (this.opts.lookup ?? defaultLookup)(name);
      if (!addrs.length) throw Object.assign(new Error("no addresses"), { code: "ENOTFOUND" });
      return addrs.map((a) => a.address);
    } catch (e) {
      const code = e.code ?? "";
      throw new ProbeError(
        "dns",
        `cannot resolve '${safeText(name)}' (${code || e.message})`,
        code === "EAI_AGAIN"
      );
    }
  }
  async run() {
    const { res, ep } = this;
    if (!res.host) throw new ProbeError("dns", "endpoint has no host");
    if (!Number.isInteger(res.port) || res.port < 1 || res.port > 65535) {
      throw new ProbeError("refused", `invalid port ${safeText(String(res.port))}`);
    }
    const sock = ep.via ? await this.throughProxy(ep.via) : await this.direct();
    sock.once("data", this.progress);
    if (ep.starttls) {
      this.phase = "starttls";
      await startTls(sock, ep.starttls);
    }
    this.phase = "handshake";
    await this.handshake(sock);
  }
  /** A tunnel to the endpoint through the HTTP proxy `via`. */
  async throughProxy(via) {
    const res = this.res;
    const proxy = parseProxy(via);
    this.phase = "dns";
    const addrs = await this.resolveHost(proxy.host).catch((e) => {
      throw new ProbeError("proxy", `proxy ${e.message}`);
    });
    this.phase = "connect";
    const sock = await this.connect(addrs[0], proxy.port).catch((e) => {
      throw new ProbeError(
        "proxy",
        `cannot connect to proxy ${safeText(stripUserinfo(via))}: ${e.code ?? e.message}`
      );
    });
    res.address = addrs[0];
    this.phase = "proxy";
    await openTunnel(sock, proxy, res.host, res.port);
    return sock;
  }
  /** A connection to the first of the host's addresses that accepts one. */
  async direct() {
    const res = this.res;
    const addrs = await this.resolveHost(res.host);
    this.phase = "connect";
    let lastErr = null;
    for (const a of addrs) {
      try {
        const got = await this.connect(a, res.port);
        res.address = a;
        return got;
      } catch (e) {
        lastErr = e;
      }
    }
    throw lastErr;
  }
  /** The TLS handshake over `sock`; settles the attempt (the returned promise never does). */
  handshake(sock) {
    return new Promise(() => {
      const { opts, tap, res } = this;
      const raw = opts.rawChain !== false;
      if (!raw) tap.stopCapture("raw chain capture disabled");
      const wire = new TapStream(sock, (d) => {
        this.firstBytes ??= Buffer.from(d.subarray(0, 16));
        try {
          if (raw) tap.feed(d);
        } catch {
        }
      });
      wire.on("error", noop);
      this.sockets.push(wire);
      const connectOptions = {
        socket: wire,
        servername: res.serverName ?? void 0,
        rejectUnauthorized: false,
        secureContext: secureContext(),
        checkServerIdentity: () => void 0,
        // Ask for a stapled OCSP response (status_request); revocation checking verifies it.
        requestOCSP: true
      };
      const t = tls.connect(connectOptions);
      t.on("OCSPResponse", (r) => {
        if (r?.length) res.ocspResponse = Buffer.from(r);
      });
      this.sockets.push(t);
      if (raw) {
        t.on("keylog", (line) => {
          try {
            tap.keylog(line);
          } catch {
          }
        });
      }
      t.once("secureConnect", () => this.connected(t));
      t.on("error", (e) => this.failed(e));
      t.on("close", () => {
        if (!this.settled)
          this.finish(this.classify(Object.assign(new Error("connection closed"), { code: "ECONNRESET" })));
      });
    });
  }
  /** The handshake completed: the connection facts and the chain (from the wire, else node's). */
  connected(t) {
    const { res } = this;
    const st = this.tap.state;
    res.protocol = t.getProtocol() ?? st.protocol;
    const c = t.getCipher();
    res.cipher = c?.standardName ?? st.cipher ?? c?.name ?? null;
    res.clientCertRequested = st.clientCertRequested;
    if (st.chain) {
      res.chain = st.chain;
      res.chainMethod = "handshake";
    } else {
      res.chain = peerChain(t.getPeerCertificate(true));
      res.chainMethod = "peer-certificate";
      res.notes.push(
        `raw Certificate message not captured (${st.captureProblem ?? "not seen"}); chain as rebuilt by the TLS library`
      );
    }
    this.finish(null);
  }
  /** The handshake failed: after the chain was read that is a note, before it the attempt's failure. */
  failed(e) {
    const { res } = this;
    const st = this.tap.state;
    if (st.chain && !this.settled) {
      res.protocol = st.protocol;
      res.cipher = st.cipher;
      res.clientCertRequested = st.clientCertRequested;
      res.chain = st.chain;
      res.chainMethod = "handshake";
      res.notes.push(`handshake did not complete after the chain was read: ${describeTlsError(e, st.alert)}`);
      return this.finish(null);
    }
    this.finish(this.classify(e));
  }
};
function peerChain(cert) {
  const out = [];
  const seen = /* @__PURE__ */ new Set();
  let c = cert;
  while (c && c.raw && !seen.has(c.fingerprint256)) {
    seen.add(c.fingerprint256);
    out.push(Buffer.from(c.raw));
    c = c.issuerCertificate;
  }
  return out;
}
function describeTlsError(e, alert) {
  if (alert) return `server sent alert ${alert}`;
  const n = /SSL alert number (\d+)/.exec(e.message);
  if (n) return `server sent alert ${alertName(Number(n[1]))}`;
  return safeText(e.message.split(":").slice(-1)[0]?.trim() || e.message);
}
function preview(b) {
  if (!b) return "";
  const text = b.toString("latin1");
  return /^[\x20-\x7e\r\n\t]+$/.test(text) ? ` ('${safeText(text.slice(0, 16))}')` : ` (0x${b.subarray(0, 8).toString("hex")})`;
}
function classify(e, tap, firstBytes) {
  if (e instanceof ProbeError) return e;
  const err = e;
  const code = err?.code ?? "";
  const msg = safeText(String(err?.message ?? e));
  const st = tap.state;
  if (code === "ECONNREFUSED") return new ProbeError("refused", `connection refused (${msg})`);
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH" || code === "EADDRNOTAVAIL") {
    return new ProbeError("refused", `host unreachable (${code})`);
  }
  if (st.alert && st.alert !== "close_notify (0)")
    return new ProbeError("tls-alert", `server sent TLS alert ${st.alert}`);
  if (st.notTls)
    return new ProbeError("protocol", `server answered with something that is not TLS${preview(firstBytes)}`);
  if (/ALERT/.test(code)) return new ProbeError("tls-alert", describeTlsError(err, null));
  if (code === "ERR_SSL_UNSUPPORTED_PROTOCOL" || code === "ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION") {
    return new ProbeError(
      "protocol",
      `no protocol version in common with the server${st.protocol ? ` (it chose ${st.protocol})` : ""}: ${msg}`
    );
  }
  if (code.startsWith("ERR_SSL_") || code.startsWith("ERR_TLS_"))
    return new ProbeError("protocol", `TLS protocol error: ${msg}`);
  if (code === "ECONNRESET" || code === "EPIPE" || /socket disconnected|hang up/i.test(msg)) {
    const sawTls = st.protocol !== null;
    return new ProbeError(
      "reset",
      sawTls ? `connection closed by the server during the handshake` : `connection closed by the server before any TLS reply`,
      !sawTls && firstBytes === null
    );
  }
  return new ProbeError("protocol", msg || "unknown failure");
}

export {
  DEFAULT_STALL_MS,
  probeEndpoint
};
