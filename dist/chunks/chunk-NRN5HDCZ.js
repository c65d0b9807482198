import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);

// src/core/text.ts
function safeText(s) {
  return s.replace(
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    /[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g,
    (c) => {
      const code = c.codePointAt(0) ?? 0;
      return code < 256 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
    }
  );
}
function normaliseFingerprint(s) {
  return s.replace(/[:\s]/g, "").toLowerCase();
}
function daysUntil(iso, now) {
  return Math.floor((Date.parse(iso) - now.getTime()) / 864e5);
}
var DAY_MS = 864e5;
function days(n) {
  return n === 0 ? "less than a day" : `${n} day${n === 1 ? "" : "s"}`;
}
function expiryPhrase(notAfter, now) {
  const left = Date.parse(notAfter) - now.getTime();
  if (left <= 0) return `expired ${days(Math.floor(-left / DAY_MS))} ago`;
  return `${days(Math.floor(left / DAY_MS))} remaining`;
}
function editDistance(a, b) {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [
    i,
    ...Array(b.length).fill(0)
  ]);
  for (let j = 0; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[i - 2][j - 2] + 1);
      d[i][j] = v;
    }
  }
  return d[a.length][b.length];
}
function suggest(word, candidates) {
  let best = null;
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

export {
  safeText,
  normaliseFingerprint,
  daysUntil,
  expiryPhrase,
  suggest
};
