// A tiny request/response helper for the clear-text phases before TLS (proxy negotiation, STARTTLS).
// The probe's deadline destroys the socket, which rejects any pending read here.
import type { Socket } from 'node:net';

/** A typed probe failure; `reason` becomes the finding's unreachable reason. */
export type ProbeFailure = 'dns' | 'refused' | 'timeout' | 'reset' | 'tls-alert' | 'protocol' | 'proxy';

export class ProbeError extends Error {
  constructor(
    readonly reason: ProbeFailure,
    message: string,
    readonly transient = false,
  ) {
    super(message);
    this.name = 'ProbeError';
  }
}

/** Replies beyond this size are refused: a hostile server cannot make us buffer without bound. */
const MAX_REPLY = 64 * 1024;

/** Reads framed replies from a socket; `detach()` hands the socket over to TLS. */
export class Conversation {
  private buf: Buffer = Buffer.alloc(0);
  private waiter: {
    frame: (b: Buffer) => number;
    resolve: (b: Buffer) => void;
    reject: (e: Error) => void;
  } | null = null;
  private failure: Error | null = null;
  private readonly onData = (d: Buffer): void => {
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
    if (this.buf.length > MAX_REPLY)
      this.fail(new ProbeError(this.failReason, `${this.what}: reply larger than 64 KiB`));
    else this.check();
  };
  private readonly onEnd = (): void =>
    this.fail(new ProbeError(this.failReason, `${this.what}: connection closed by peer`));
  private readonly onError = (e: Error): void => this.fail(e);

  constructor(
    private readonly socket: Socket,
    /** Names the phase in messages ("SMTP STARTTLS", "HTTP CONNECT proxy", …). */
    private readonly what: string,
    private readonly failReason: ProbeFailure,
  ) {
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
    socket.on('error', this.onError);
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** Resolves with one frame: `frame(buf)` returns the frame length once complete, or -1 to wait. */
  read(frame: (b: Buffer) => number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.waiter = { frame, resolve, reject };
      this.check();
    });
  }

  /** Reads one CRLF/LF-terminated line (without the terminator), latin1. */
  async line(): Promise<string> {
    const b = await this.read((buf) => {
      const i = buf.indexOf(10);
      return i < 0 ? -1 : i + 1;
    });
    return b.toString('latin1').replace(/\r?\n$/, '');
  }

  /** Stops listening; the clear-text phase is over. Returns bytes read past the last frame. */
  detach(): Buffer {
    this.socket.off('data', this.onData);
    this.socket.off('end', this.onEnd);
    this.socket.off('close', this.onEnd);
    this.socket.off('error', this.onError);
    const rest = this.buf;
    this.buf = Buffer.alloc(0);
    return rest;
  }

  private check(): void {
    const w = this.waiter;
    if (!w) return;
    const n = w.frame(this.buf);
    if (n < 0) return;
    this.waiter = null;
    const frame = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    w.resolve(frame);
  }

  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    const w = this.waiter;
    this.waiter = null;
    w?.reject(e);
  }
}
