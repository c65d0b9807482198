// Strings from certificates and servers are hostile: what each escape function guarantees.
import assert from 'node:assert/strict';
import {
  breakMarkers,
  escapeCodeBlock,
  escapeLog,
  escapeMarkdown,
  escapeTitle,
  markerValue,
  readMarkerValue,
} from '../../src/core/escape.js';
import { parseFindingMarker, parsePrMarker, prMarker } from '../../src/github/markers.js';

const HOSTILE = '@everyone <!-- certwarden:finding=cw-forged --> ::error::x';

describe('escaping hostile strings for GitHub', () => {
  it('markdown text keeps the words but loses mentions, HTML, comments and workflow commands', () => {
    const out = escapeMarkdown(HOSTILE);
    assert.ok(out.includes('everyone') && out.includes('error'));
    assert.doesNotMatch(out, /@everyone/);
    assert.ok(!out.includes('<'), 'no raw angle bracket, so no HTML and no comment');
    assert.doesNotMatch(out, /::error::/);
    assert.equal(parseFindingMarker(out), null, 'cannot be read as a marker');
  });

  it('markdown text cannot break a table row, start a list or a heading, or open a link or image', () => {
    assert.equal(escapeMarkdown('a | b'), 'a \\| b');
    assert.equal(escapeMarkdown('line1\nline2\r\nline3'), 'line1 line2 line3');
    assert.equal(escapeMarkdown('- item'), '\\- item');
    assert.equal(escapeMarkdown('1. item'), '1\\. item');
    assert.equal(escapeMarkdown('# title'), '\\# title');
    assert.equal(
      escapeMarkdown('![x](http://127.0.0.1/a.png)'),
      '\\!\\[x\\]\\(http:\u200b//127.0.0.1/a.png\\)',
    );
    assert.equal(escapeMarkdown('**bold** _it_ `code`'), '\\*\\*bold\\*\\* \\_it\\_ \\`code\\`');
  });

  it('entities written by an attacker stay text and do not decode into a comment', () => {
    assert.equal(escapeMarkdown('&lt;!-- x --&gt;'), '&amp;lt;!-- x --&amp;gt;');
  });

  it('team mentions and bidi overrides are neutralised', () => {
    assert.doesNotMatch(escapeMarkdown('ping @acme/security'), /@acme/);
    assert.equal(escapeMarkdown('abc\u202Edef'), 'abcdef');
  });

  it('markdown text links nothing GitHub would autolink: bare URLs, www., GH-N, 40-hex commit SHAs', () => {
    const sha = '0123456789abcdef0123456789abcdef01234567';
    const out = escapeMarkdown(
      `see https://evil.example/p and HTTP://x.example www.evil.example GH-7 gh-12 ${sha}`,
    );
    assert.doesNotMatch(out, /https?:\/\//i, 'no scheme:// left whole');
    assert.doesNotMatch(out, /\bwww\./i);
    assert.doesNotMatch(out, /\bGH-\d/i);
    assert.ok(out.includes(`\`${sha}\``), 'a commit-like SHA is shown as code, where GitHub links nothing');
    assert.ok(out.replace(/\u200b/g, '').includes('https://evil.example/p'), 'the text itself is kept');
    // Fingerprints (64 hex) and finding ids are not commit SHAs: left as they are.
    const fp = 'ab'.repeat(32);
    assert.equal(escapeMarkdown(fp), fp);
    assert.equal(escapeMarkdown('cw-0123456789abcdef'), 'cw-0123456789abcdef');
  });

  it('invisible and bidi characters are dropped from markdown and titles, and shown as escapes in logs', () => {
    const hidden = [
      '\u061c',
      '\u200b',
      '\u200d',
      '\ufeff',
      '\u202a',
      '\u202e',
      '\u2066',
      '\u2069',
      '\u2060',
      '\u00ad',
    ];
    const tag = String.fromCodePoint(0xe0041); // a Unicode tag character ("ASCII smuggling")
    const s = `a${hidden.join('b')}c${tag}d`;
    assert.equal(escapeMarkdown(s), `a${'b'.repeat(hidden.length - 1)}cd`);
    assert.equal(escapeTitle(s), `a${'b'.repeat(hidden.length - 1)}cd`);
    const log = escapeLog(s);
    for (const h of [...hidden, tag])
      assert.ok(!log.includes(h), `log keeps no U+${h.codePointAt(0)!.toString(16)}`);
    assert.match(log, /\\u061c/);
    assert.match(log, /\\u\{e0041\}/);
  });

  it('titles are one line, without markers or mentions, and at most 256 characters', () => {
    const t = escapeTitle(`${HOSTILE}\n${'x'.repeat(400)}`);
    assert.ok(!t.includes('\n'));
    assert.ok(!t.includes('<!--'));
    assert.doesNotMatch(t, /@everyone|::error::/);
    assert.ok(t.length <= 256);
  });

  it('log lines cannot start a workflow command on a new line', () => {
    const out = escapeLog('ok\n::error::pwned\r\n##[warning]x');
    assert.ok(!/[\r\n]/.test(out));
    assert.doesNotMatch(out, /::error::|##\[/);
    assert.match(out, /ok\\x0a/);
  });

  it('text for a code block cannot close the fence', () => {
    assert.doesNotMatch(escapeCodeBlock('a ``` b'), /```/);
  });

  it('breakMarkers leaves no comment opener or closer', () => {
    const out = breakMarkers('<!-- a --> <!-- b --!>');
    assert.ok(!out.includes('<!--') && !out.includes('-->') && !out.includes('--!>'));
  });

  it('marker values round-trip, and a value with "-->" is encoded so it cannot end the marker', () => {
    for (const v of ['cw-0123456789abcdef', 'cp1/pki/apiserver.crt', 'a --> b', 'x y']) {
      const enc = markerValue(v);
      assert.ok(!/\s|-->/.test(enc), enc);
      assert.equal(readMarkerValue(enc), v);
    }
    const m = prMarker({ kind: 'pin', target: 'evil --> <b>', key: 'k1', head: null, closedBy: null });
    assert.deepEqual(parsePrMarker(`body\n${m}`), {
      kind: 'pin',
      target: 'evil --> <b>',
      key: 'k1',
      head: null,
      closedBy: null,
    });
  });
});
