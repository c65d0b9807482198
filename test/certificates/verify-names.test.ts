import { strict as assert } from 'node:assert';
import {
  dnsSanMatches,
  formatIp,
  isValidDnsName,
  matchPeerName,
  parseIp,
} from '../../src/x509/verify/names.js';
import type { GeneralName } from '../../src/x509/verify/facts.js';

const dns = (value: string): GeneralName => ({ type: 'dns', value, ascii: /^[\x20-\x7e]*$/.test(value) });

describe('reference identity matching', () => {
  it('lets a wildcard stand for exactly one whole left-most label', () => {
    assert.equal(dnsSanMatches('*.example.com', 'foo.example.com'), true);
    assert.equal(dnsSanMatches('*.example.com', 'FOO.Example.COM'), true);
    assert.equal(dnsSanMatches('*.example.com', 'example.com'), false);
    assert.equal(dnsSanMatches('*.example.com', 'a.b.example.com'), false);
    assert.equal(dnsSanMatches('ba*.example.com', 'baz.example.com'), false);
    assert.equal(dnsSanMatches('foo.*.example.com', 'foo.bar.example.com'), false);
    assert.equal(dnsSanMatches('*.com', 'example.com'), false);
    assert.equal(dnsSanMatches('*', 'com'), false);
  });

  it('refuses DNS names outside the preferred name syntax', () => {
    assert.equal(isValidDnsName('foo_bar.example.com', false), false);
    assert.equal(isValidDnsName('.example.com', false), false);
    assert.equal(isValidDnsName('8.8.8.8', false), false);
    assert.equal(isValidDnsName('kubernetes.default.svc', false), true);
  });

  it('compares IP addresses by value and prints them canonically (RFC 5952)', () => {
    assert.deepEqual(parseIp('2001:db8:0:0:1:0:0:1'), parseIp('2001:db8::1:0:0:1'));
    assert.equal(formatIp(parseIp('2001:0db8:0000:0000:0000:0000:0000:0001')!), '2001:db8::1');
    assert.equal(formatIp(parseIp('2001:db8:0:0:1:0:0:1')!), '2001:db8::1:0:0:1');
    assert.equal(formatIp(parseIp('::ffff:192.0.2.1')!), '::ffff:c000:201');
    assert.equal(parseIp('192.168.001.001'), null);
    const ipSan: GeneralName = { type: 'ip', bytes: parseIp('10.0.0.1')! };
    assert.equal(matchPeerName([ipSan], { kind: 'IP', value: '10.0.0.1' }), null);
    assert.match(matchPeerName([dns('10.0.0.1')], { kind: 'IP', value: '10.0.0.1' })!, /matches none/);
  });

  it('matches an internationalised host name through its A-label', () => {
    assert.equal(
      matchPeerName([dns('xn--bcher-kva.example')], { kind: 'DNS', value: 'bücher.example' }),
      null,
    );
    assert.match(
      matchPeerName([dns('bücher.example')], { kind: 'DNS', value: 'xn--bcher-kva.example' })!,
      /matches none/,
    );
  });

  it('never falls back to the subject CN when there is no subjectAltName', () => {
    assert.match(
      matchPeerName(null, { kind: 'DNS', value: 'svc.example' })!,
      /no subjectAltName.*CN is not used/,
    );
  });

  it('keeps hostile names out of messages verbatim', () => {
    const msg = matchPeerName([dns('a.example')], { kind: 'DNS', value: 'evil\u0007\n.example' })!;
    assert.ok(
      ![...msg].some((ch) => ch.charCodeAt(0) < 0x20),
      `control character in: ${JSON.stringify(msg)}`,
    );
    assert.match(msg, /evil\?\?\.example/);
  });
});
