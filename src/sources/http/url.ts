// URLs as the fetcher takes and shows them: http and https only, and never the userinfo in a message.
import { safeText } from '../../core/text.js';

/** Text of a URL for messages: no userinfo, no query, clipped. */
export function showUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    const text = `${u.protocol}//${u.host}${u.pathname}${u.search ? '?…' : ''}`;
    return safeText(text.length > 120 ? `${text.slice(0, 117)}…` : text);
  } catch {
    return safeText(url.length > 120 ? `${url.slice(0, 117)}…` : url);
  }
}

/** The URL when it is http or https; null for any other scheme or text that is not a URL. */
export function parseHttpUrl(url: string): URL | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u : null;
  } catch {
    return null;
  }
}
