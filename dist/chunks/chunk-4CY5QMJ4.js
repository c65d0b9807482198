import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);

// src/core/escape.ts
var ZWSP = "\u200B";
var INVISIBLE = "\\u00ad\\u034f\\u061c\\u115f\\u1160\\u17b4\\u17b5\\u180b-\\u180f\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u206f\\u3164\\ufeff\\uffa0\\ufff9-\\ufffb\\u{e0000}-\\u{e007f}";
var CONTROL = new RegExp(`[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f${INVISIBLE}]`, "gu");
var LOG_HIDDEN = new RegExp(`[\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029${INVISIBLE}]`, "gu");
var NEWLINES = /\r\n|[\r\n\u2028\u2029]/g;
function breakAutolinks(s) {
  return s.replace(/\b(https?|ftp):(?=\/\/)/gi, `$1:${ZWSP}`).replace(/\b(www)(?=\.)/gi, `$1${ZWSP}`).replace(/\b(GH)(?=-\d)/gi, `$1${ZWSP}`).replace(/(?<![0-9A-Za-z_])[0-9a-f]{40}(?![0-9A-Za-z_])/gi, (m) => `\`${m}\``);
}
function breakMentions(s) {
  return s.replace(/@(?=[A-Za-z0-9_-])/g, `@${ZWSP}`);
}
function breakWorkflowCommands(s) {
  return s.replace(/::/g, `:${ZWSP}:`).replace(/##\[/g, `#${ZWSP}#[`);
}
function breakMarkers(s) {
  return s.replace(/<!--/g, `<${ZWSP}!--`).replace(/--!?>/g, (m) => `--${ZWSP}${m.slice(2)}`);
}
function escapeMarkdown(s) {
  const oneLine = String(s).replace(NEWLINES, " ").replace(CONTROL, "");
  const html = oneLine.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  const md = html.replace(/[\\`*_{}[\]()#|~]/g, (c) => `\\${c}`).replace(/^(\s*)([-+=!])/, "$1\\$2").replace(/^(\s*\d+)([.)])/, "$1\\$2");
  return breakWorkflowCommands(breakMentions(breakAutolinks(md)));
}
function escapeTitle(s, max = 256) {
  const t = breakWorkflowCommands(
    breakMentions(breakMarkers(String(s).replace(NEWLINES, " ").replace(CONTROL, "")))
  ).trim();
  return t.length > max ? `${t.slice(0, max - 1)}\u2026` : t;
}
function escapeLog(s) {
  const visible = String(s).replace(LOG_HIDDEN, (c) => {
    const code = c.codePointAt(0) ?? 0;
    if (code < 256) return `\\x${code.toString(16).padStart(2, "0")}`;
    return code > 65535 ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
  return breakWorkflowCommands(visible);
}
function escapeCodeBlock(s) {
  return breakMentions(
    breakMarkers(
      String(s).replace(CONTROL, "").replace(/`{3,}/g, (m) => m.split("").join(ZWSP))
    )
  );
}
function markerValue(s) {
  return /^[A-Za-z0-9][A-Za-z0-9._:/+=@-]{0,200}$/.test(s) && !s.includes("--") ? s : `~${encodeURIComponent(s).replace(/-/g, "%2D")}`;
}
function readMarkerValue(s) {
  if (!s.startsWith("~")) return s;
  try {
    return decodeURIComponent(s.slice(1));
  } catch {
    return s;
  }
}

export {
  escapeMarkdown,
  escapeTitle,
  escapeLog,
  escapeCodeBlock,
  markerValue,
  readMarkerValue
};
