// Escaping for every string that comes from a certificate, a server or a file and ends up on GitHub
// (issue titles and bodies, PR bodies, comments, the dashboard) or in an Actions log. Such strings are
// hostile: they must not format, mention, inject HTML, run workflow commands or forge our markers.

const ZWSP = '\u200b';

// Invisible and direction-changing characters: they hide or reorder text in rendered output (a
// hostile CN can look like another, or smuggle words a reader does not see). Soft hyphen, combining
// grapheme joiner, Arabic letter mark, Hangul and Khmer fillers, Mongolian selectors, zero-width
// space/joiners, LRM/RLM, bidi embeddings, overrides and isolates, word joiner and invisible
// operators, BOM / zero-width no-break space, interlinear annotations, and the Unicode tag block.
const INVISIBLE =
  '\\u00ad\\u034f\\u061c\\u115f\\u1160\\u17b4\\u17b5\\u180b-\\u180f\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u206f\\u3164\\ufeff\\uffa0\\ufff9-\\ufffb\\u{e0000}-\\u{e007f}';

// Control characters and the invisible ones above (joiners and selectors included: matched alone,
// on purpose, so eslint's misleading-character-class rule does not apply).
// eslint-disable-next-line no-misleading-character-class
const CONTROL = new RegExp(`[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f${INVISIBLE}]`, 'gu');
// The same for logs, plus newlines: shown as escapes rather than dropped.
// eslint-disable-next-line no-misleading-character-class
const LOG_HIDDEN = new RegExp(`[\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029${INVISIBLE}]`, 'gu');
const NEWLINES = /\r\n|[\r\n\u2028\u2029]/g;

/**
 * Breaks what GitHub would turn into a link in an issue or PR body: bare `https://…` / `http://…`
 * and `www.…` autolinks (a zero-width space after the scheme's colon, or after `www`), `GH-7`
 * issue references (one between `GH` and `-`), and 40-hex strings GitHub reads as commit SHAs
 * (shown as code, where GitHub links nothing).
 */
export function breakAutolinks(s: string): string {
  return s
    .replace(/\b(https?|ftp):(?=\/\/)/gi, `$1:${ZWSP}`)
    .replace(/\b(www)(?=\.)/gi, `$1${ZWSP}`)
    .replace(/\b(GH)(?=-\d)/gi, `$1${ZWSP}`)
    .replace(/(?<![0-9A-Za-z_])[0-9a-f]{40}(?![0-9A-Za-z_])/gi, (m) => `\`${m}\``);
}

/** Breaks `@name` and `@org/team` so GitHub does not notify anyone (a zero-width space after `@`). */
export function breakMentions(s: string): string {
  return s.replace(/@(?=[A-Za-z0-9_-])/g, `@${ZWSP}`);
}

/** Breaks `::command::` and `##[command]` so an Actions runner never reads a workflow command. */
export function breakWorkflowCommands(s: string): string {
  return s.replace(/::/g, `:${ZWSP}:`).replace(/##\[/g, `#${ZWSP}#[`);
}

/** Breaks any HTML comment opener/closer so a hostile string cannot forge a certwarden marker. */
export function breakMarkers(s: string): string {
  return s.replace(/<!--/g, `<${ZWSP}!--`).replace(/--!?>/g, (m) => `--${ZWSP}${m.slice(2)}`);
}

/**
 * Inline markdown text: one line, every markdown and HTML metacharacter neutralised, mentions and
 * workflow commands broken. Safe inside table cells, headings, links' text and lists.
 */
export function escapeMarkdown(s: string): string {
  const oneLine = String(s).replace(NEWLINES, ' ').replace(CONTROL, '');
  const html = oneLine
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
  // Backslash-escape markdown punctuation (CommonMark allows escaping any ASCII punctuation); list and
  // heading markers only matter at the start, where a value may land.
  const md = html
    .replace(/[\\`*_{}[\]()#|~]/g, (c) => `\\${c}`)
    .replace(/^(\s*)([-+=!])/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/, '$1\\$2');
  return breakWorkflowCommands(breakMentions(breakAutolinks(md)));
}

/** Issue and PR titles are plain text on GitHub: one line, no markers, no mentions, at most 256 chars. */
export function escapeTitle(s: string, max = 256): string {
  const t = breakWorkflowCommands(
    breakMentions(breakMarkers(String(s).replace(NEWLINES, ' ').replace(CONTROL, ''))),
  ).trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/**
 * A log line for the Actions runner (or a terminal): newlines and control characters become visible
 * escapes so nothing can start a new line with `::`, and `::` itself is broken.
 */
export function escapeLog(s: string): string {
  const visible = String(s).replace(LOG_HIDDEN, (c) => {
    const code = c.codePointAt(0) ?? 0;
    if (code < 0x100) return `\\x${code.toString(16).padStart(2, '0')}`;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
  return breakWorkflowCommands(visible);
}

/** Text for inside a fenced code block we open with ```` ```text ````: no fence can close early. */
export function escapeCodeBlock(s: string): string {
  return breakMentions(
    breakMarkers(
      String(s)
        .replace(CONTROL, '')
        .replace(/`{3,}/g, (m) => m.split('').join(ZWSP)),
    ),
  );
}

/** Finding ids, target ids, branch names in markers: only a safe alphabet, else percent-encoded. */
export function markerValue(s: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9._:/+=@-]{0,200}$/.test(s) && !s.includes('--')
    ? s
    : `~${encodeURIComponent(s).replace(/-/g, '%2D')}`;
}

/** Inverse of markerValue. */
export function readMarkerValue(s: string): string {
  if (!s.startsWith('~')) return s;
  try {
    return decodeURIComponent(s.slice(1));
  } catch {
    return s;
  }
}
