// Small helpers shared by the built-in checks.
import { EXTENDED_KEY_USAGES } from '../../x509/parse.js';
import type { CheckContext } from '../types.js';

export const DAY_MS = 86_400_000;

/** A certificate string shown in a message: quoted, control characters escaped, length capped. */
export function q(s: string | null | undefined): string {
  const v = s ?? '';
  return JSON.stringify(v.length > 200 ? v.slice(0, 200) + '…' : v);
}

/** How the certificate is named in messages. */
export function certLabel(ctx: CheckContext<unknown>): string {
  const cn = ctx.cert.subject.CN;
  return cn ? `certificate ${q(cn)}` : `certificate ${ctx.cert.sha256.slice(0, 16)}`;
}

const CURVE_ALIASES: Record<string, string> = {
  'p-256': 'P-256',
  p256: 'P-256',
  prime256v1: 'P-256',
  secp256r1: 'P-256',
  'p-384': 'P-384',
  p384: 'P-384',
  secp384r1: 'P-384',
  'p-521': 'P-521',
  p521: 'P-521',
  secp521r1: 'P-521',
};

/** P-256 / P-384 / P-521 from any common spelling (OpenSSL aliases included). */
export function normaliseCurve(c: string): string {
  return CURVE_ALIASES[c.toLowerCase()] ?? c;
}

/** sha1 / sha256 / md5 … from SHA-1, SHA256, sha-256 and so on. */
export function normaliseHash(h: string): string {
  return h.toLowerCase().replace(/[-_\s]/g, '');
}

/** Whether this certificate sits where an end-entity certificate belongs (served, or a client certificate). */
export function inLeafPosition(ctx: CheckContext<unknown>): boolean {
  if (ctx.index !== 0) return false;
  const kind = ctx.target.source.kind;
  if (kind === 'endpoint' || kind === 'kubeconfig') return true;
  if (/^tls\.crt|client-certificate|presented/.test(ctx.origin)) return true;
  return false;
}

/** EKU names as users write them; dotted OIDs of well-known usages become their names. */
export function normaliseEku(e: string): string {
  return EXTENDED_KEY_USAGES[e] ?? e;
}
