// Password-based key derivation for keystores, bounded three ways. A hostile PKCS#12 file can ask
// for millions of iterations without any password being needed, so: (1) a cap per derivation,
// (2) a work budget per file, and (3) derivations written as steps that a driver runs — to the end
// for synchronous callers, or yielding to the event loop and stopping at the source's deadline
// (an AbortSignal) for collectors. PBKDF2 runs in node:crypto (the thread pool when async); the
// PKCS#12 KDF of RFC 7292 appendix B, which node:crypto lacks, is a loop that pauses every few
// hundred hashes.
import { hash as oneShotHash, pbkdf2, pbkdf2Sync } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { deadlineReason } from '../../core/deadline.js';

/** Why decryption could not happen: wrong password, unsupported scheme, malformed, or over a limit. */
export class PbeError extends Error {
  constructor(
    readonly kind: 'password' | 'unsupported' | 'malformed' | 'limit',
    message: string,
  ) {
    super(message);
    this.name = 'PbeError';
  }
}

/**
 * Most iterations one derivation may ask for. Real stores use at most about 10,000 (OpenSSL's
 * default is 2,048, Java's 10,000); a million is already seconds of work.
 */
export const MAX_ITERATIONS = 1_000_000;

/** Derivation work one keystore may cost in total (iterations × output blocks, all derivations). */
export const MAX_KDF_WORK = 2_000_000;

const num = (n: number): string => n.toLocaleString('en-US');

/** Refuses an iteration count above MAX_ITERATIONS, saying what asked for it. */
export function checkIterations(iterations: number, what: string): void {
  if (!Number.isSafeInteger(iterations) || iterations < 1)
    throw new PbeError('malformed', `${what}: the iteration count is not a positive whole number`);
  if (iterations > MAX_ITERATIONS)
    throw new PbeError(
      'limit',
      `${what} asks for ${num(iterations)} key-derivation iterations, above the ${num(MAX_ITERATIONS)} certwarden accepts (real keystores use at most about 10,000; OpenSSL's default is 2,048): refused as a possible denial of service`,
    );
}

/** The derivation work one keystore may still spend. */
export class KdfBudget {
  private spent = 0;
  constructor(readonly max = MAX_KDF_WORK) {}
  spend(units: number, what: string): void {
    this.spent += units;
    if (this.spent > this.max)
      throw new PbeError(
        'limit',
        `${what}: this keystore's key derivations need more than ${num(this.max)} iterations in all, the budget per keystore: refused as a possible denial of service`,
      );
  }
}

/** PBKDF2 parameters for the driver to run. */
export interface Pbkdf2Request {
  password: Buffer;
  salt: Buffer;
  iterations: number;
  keyLength: number;
  digest: string;
}

/** A pause point (null: the driver may yield and check its deadline) or a PBKDF2 to run. */
export type KdfStep = null | { pbkdf2: Pbkdf2Request };

/** A derivation (or a whole keystore read) as steps; the driver answers PBKDF2 steps with the key. */
export type Kdf<T> = Generator<KdfStep, T, Buffer | undefined>;

/** Runs steps to the end on this thread (callers without a deadline: validate, inspect, tests). */
export function runKdfSync<T>(steps: Kdf<T>): T {
  let answer: Buffer | undefined;
  for (;;) {
    const r = steps.next(answer);
    if (r.done) return r.value;
    const p = r.value?.pbkdf2;
    answer = p ? pbkdf2Sync(p.password, p.salt, p.iterations, p.keyLength, p.digest) : undefined;
  }
}

/** Longest stretch of work between two turns of the event loop, ms. */
const SLICE_MS = 8;

/**
 * Runs steps, giving the event loop a turn every few milliseconds (other sources, timers and
 * deadlines keep running) and stopping with the signal's DeadlineError once it aborts.
 */
export async function runKdfAsync<T>(steps: Kdf<T>, signal: AbortSignal): Promise<T> {
  let answer: Buffer | undefined;
  let sliceStart = performance.now();
  try {
    for (;;) {
      if (signal.aborted) throw deadlineReason(signal);
      const r = steps.next(answer);
      if (r.done) return r.value;
      const p = r.value?.pbkdf2;
      if (p) {
        answer = await pbkdf2Abortable(p, signal);
        sliceStart = performance.now();
      } else {
        answer = undefined;
        if (performance.now() - sliceStart > SLICE_MS) {
          await nextTurn();
          sliceStart = performance.now();
        }
      }
    }
  } finally {
    steps.return(undefined as T);
  }
}

/** node:crypto's PBKDF2 in the thread pool; the wait ends at the deadline (the thread finishes its capped work). */
function pbkdf2Abortable(p: Pbkdf2Request, signal: AbortSignal): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const onAbort = (): void => reject(deadlineReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    pbkdf2(p.password, p.salt, p.iterations, p.keyLength, p.digest, (err, key) => {
      signal.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve(key);
    });
  });
}

/** Output sizes of the HMAC digests PBKDF2 is used with here. */
const DIGEST_BYTES: Record<string, number> = { sha1: 20, sha224: 28, sha256: 32, sha384: 48, sha512: 64 };

/** PBKDF2 as a step, counted against the budget. */
export function* pbkdf2Steps(req: Pbkdf2Request, budget: KdfBudget, what: string): Kdf<Buffer> {
  checkIterations(req.iterations, what);
  budget.spend(req.iterations * Math.ceil(req.keyLength / (DIGEST_BYTES[req.digest] ?? 32)), what);
  const key = yield { pbkdf2: req };
  if (!key) throw new Error('the key-derivation driver gave no PBKDF2 result');
  return key;
}

/** A hash for the PKCS#12 KDF: its node:crypto name, block size v and output size u (bytes). */
export interface KdfHash {
  name: string;
  v: number;
  u: number;
}

/** Hashes between two pause points of the PKCS#12 KDF (about a millisecond of work). */
const PAUSE_EVERY = 512;

/**
 * RFC 7292 B.2 as steps: derive `n` bytes of purpose `id` (1 key, 2 IV, 3 MAC key), pausing every
 * PAUSE_EVERY hashes. Iterations are capped and counted against the keystore's budget first.
 */
export function* pkcs12KdfSteps(
  hash: KdfHash,
  pw: Buffer,
  salt: Uint8Array,
  iterations: number,
  id: number,
  n: number,
  budget: KdfBudget,
  what: string,
): Kdf<Buffer> {
  checkIterations(iterations, what);
  const { v, u } = hash;
  budget.spend(iterations * Math.ceil(n / u), what);
  const D = Buffer.alloc(v, id);
  const fill = (src: Uint8Array): Buffer => {
    if (src.length === 0) return Buffer.alloc(0);
    const len = v * Math.ceil(src.length / v);
    const out = Buffer.alloc(len);
    for (let i = 0; i < len; i++) out[i] = src[i % src.length]!;
    return out;
  };
  const I = Buffer.concat([fill(salt), fill(pw)]);
  const out = Buffer.alloc(n);
  let done = 0;
  for (;;) {
    let A = oneShotHash(hash.name, Buffer.concat([D, I]), 'buffer');
    for (let r = 1; r < iterations; r++) {
      A = oneShotHash(hash.name, A, 'buffer');
      if (r % PAUSE_EVERY === 0) yield null;
    }
    A.copy(out, done, 0, Math.min(u, n - done));
    done += u;
    if (done >= n) return out;
    const B = Buffer.alloc(v);
    for (let i = 0; i < v; i++) B[i] = A[i % u]!;
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const s = I[j + k]! + B[k]! + carry;
        I[j + k] = s & 0xff;
        carry = s >> 8;
      }
    }
  }
}
