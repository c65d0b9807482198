// Output hygiene for strings that come from certificates, servers or files: they are hostile.

/**
 * Replaces control characters (incl. newlines, ESC, DEL, bidi overrides) and invisible ones (zero-width
 * space, Arabic letter mark, BOM, word joiner) with visible escapes for terminal/log output.
 */
export function safeText(s: string): string {
  return s.replace(
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    /[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g,
    (c) => {
      const code = c.codePointAt(0) ?? 0;
      return code < 0x100
        ? `\\x${code.toString(16).padStart(2, '0')}`
        : `\\u${code.toString(16).padStart(4, '0')}`;
    },
  );
}

/** Normalises a fingerprint pin: any case, with or without colons or spaces. */
export function normaliseFingerprint(s: string): string {
  return s.replace(/[:\s]/g, '').toLowerCase();
}

/** Whole days from `now` until `iso`, floor, negative once past (the contract's daysRemaining). */
export function daysUntil(iso: string, now: Date): number {
  return Math.floor((Date.parse(iso) - now.getTime()) / 86_400_000);
}

const DAY_MS = 86_400_000;

function days(n: number): string {
  return n === 0 ? 'less than a day' : `${n} day${n === 1 ? '' : 's'}`;
}

/**
 * The one way every text output says how far a certificate is from its notAfter: "19 days
 * remaining", "1 day remaining", "less than a day remaining", "expired 10 days ago", "expired less
 * than a day ago". Whole days, rounded down, counted from `now` (as daysRemaining is).
 */
export function expiryPhrase(notAfter: string, now: Date): string {
  const left = Date.parse(notAfter) - now.getTime();
  if (left <= 0) return `expired ${days(Math.floor(-left / DAY_MS))} ago`;
  return `${days(Math.floor(left / DAY_MS))} remaining`;
}

/** Damerau-Levenshtein (optimal string alignment) distance: a swap of two letters counts once. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [
    i,
    ...Array<number>(b.length).fill(0),
  ]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The closest candidate to a misspelt word, or null when none is close enough to suggest. */
export function suggest(word: string, candidates: Iterable<string>): string | null {
  let best: string | null = null;
  let bestDist = Infinity;
  for (const c of candidates) {
    const dist = editDistance(word.toLowerCase(), c.toLowerCase());
    if (dist < bestDist) {
      bestDist = dist;
      best = c;
    }
  }
  const limit = Math.max(1, Math.floor(word.length / 3));
  return best !== null && bestDist <= Math.min(limit, 3) ? best : null;
}
