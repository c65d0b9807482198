import assert from 'node:assert/strict';
import { canonicalIp, escapeDnValue, parseDn } from '../../src/x509/names.js';

describe('distinguished names and IP addresses', () => {
  it('escapes RFC 4514 specials and control characters so every value parses back unchanged', () => {
    const values = [
      'plain',
      'a,b',
      'x+y',
      'semi;colon',
      '"quoted"',
      'back\\slash',
      '<tag>',
      '#lead',
      ' lead',
      'trail ',
      'nl\nin\r\nside',
      'tab\there',
      'nul\0byte',
      'ünïcødé €',
      'c1\u0085ctl',
      'bidi\u202Eoverride',
      '=eq',
    ];
    for (const v of values) {
      const escaped = escapeDnValue(v);
      assert.ok(
        ![...escaped].some(
          (ch) => ch.charCodeAt(0) < 0x20 || ch === '\x7f' || ch === '\u0085' || ch === '\u202e',
        ),
        `no raw control character in ${JSON.stringify(escaped)}`,
      );
      const parsed = parseDn(`CN=${escaped}`);
      assert.deepEqual(
        parsed,
        [[{ type: 'CN', oid: '2.5.4.3', value: v }]],
        `round trip of ${JSON.stringify(v)}`,
      );
    }
  });

  it('parses multi-valued RDNs, dotted OIDs and #hex values', () => {
    assert.deepEqual(parseDn('CN=a+UID=b,O=Acme,2.5.4.97=#0c03616263'), [
      [
        { type: 'CN', oid: '2.5.4.3', value: 'a' },
        { type: 'UID', oid: '0.9.2342.19200300.100.1.1', value: 'b' },
      ],
      [{ type: 'O', oid: '2.5.4.10', value: 'Acme' }],
      [{ type: '2.5.4.97', oid: '2.5.4.97', value: '#0c03616263' }],
    ]);
  });

  it('rejects a malformed dn naming the position', () => {
    assert.throws(() => parseDn('CN=a,novalue'), /expected '=' after attribute type at position 5/);
  });

  it('gives user-written IPs the same canonical form as certificate SANs', () => {
    assert.equal(canonicalIp('2001:DB8:0:0:0:0:0:1'), '2001:db8::1');
    assert.equal(canonicalIp('2001:db8::0:1'), '2001:db8::1');
    assert.equal(canonicalIp('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1');
    assert.equal(canonicalIp('[::1]'), '::1');
    assert.equal(canonicalIp('::'), '::');
    assert.equal(canonicalIp('0:0:0:0:0:ffff:c000:207'), '::ffff:192.0.2.7');
    assert.equal(canonicalIp('::ffff:192.0.2.7'), '::ffff:192.0.2.7');
    assert.equal(canonicalIp('2001:db8:1:0:1:0:0:0'), '2001:db8:1:0:1::');
    assert.equal(canonicalIp('10.0.0.1'), '10.0.0.1');
    assert.equal(canonicalIp('not-an-ip'), null);
    assert.equal(canonicalIp('10.0.0.256'), null);
  });
});
