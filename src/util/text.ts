// Output hygiene for strings that come from certificates, servers or files: they are hostile.

/** Replaces control characters (incl. newlines, ESC, DEL, bidi overrides) with visible escapes for terminal/log output. */
export function safeText(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.codePointAt(0) ?? 0;
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Normalises a fingerprint pin: any case, with or without colons or spaces. */
export function normaliseFingerprint(s: string): string {
  return s.replace(/[:\s]/g, '').toLowerCase();
}

/** Whole days from `now` until `iso`, floor, negative once past (the contract's daysRemaining). */
export function daysUntil(iso: string, now: Date): number {
  return Math.floor((Date.parse(iso) - now.getTime()) / 86_400_000);
}
