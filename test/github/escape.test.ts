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
    assert.equal(escapeMarkdown('![x](http://127.0.0.1/a.png)'), '\\!\\[x\\]\\(http://127.0.0.1/a.png\\)');
    assert.equal(escapeMarkdown('**bold** _it_ `code`'), '\\*\\*bold\\*\\* \\_it\\_ \\`code\\`');
  });

  it('entities written by an attacker stay text and do not decode into a comment', () => {
    assert.equal(escapeMarkdown('&lt;!-- x --&gt;'), '&amp;lt;!-- x --&amp;gt;');
  });

  it('team mentions and bidi overrides are neutralised', () => {
    assert.doesNotMatch(escapeMarkdown('ping @acme/security'), /@acme/);
    assert.equal(escapeMarkdown('abc\u202Edef'), 'abcdef');
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
