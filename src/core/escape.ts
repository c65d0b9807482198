// Escaping for every string that comes from a certificate, a server or a file and ends up on GitHub
// (issue titles and bodies, PR bodies, comments, the dashboard) or in an Actions log. Such strings are
// hostile: they must not format, mention, inject HTML, run workflow commands or forge our markers.

const ZWSP = '\u200b';

// Control characters, bidi overrides and isolates: they reorder or hide text in rendered output.
const CONTROL =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const NEWLINES = /\r\n|[\r\n\u2028\u2029]/g;

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
  return breakWorkflowCommands(breakMentions(md));
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
  const visible = String(s).replace(
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (c) => {
      const code = c.codePointAt(0) ?? 0;
      return code < 0x100
        ? `\\x${code.toString(16).padStart(2, '0')}`
        : `\\u${code.toString(16).padStart(4, '0')}`;
    },
  );
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
