import assert from 'node:assert/strict';
import { makeFinding, findingId } from '../../src/core/findings.js';

describe('findings', () => {
  it('never carry control characters from certificate names into a message', () => {
    const f = makeFinding({
      target: 't',
      check: 'expect.dnsNames',
      message: 'missing DNS name(s) evil\u001b[2J\nx.example',
      certificate: null,
    });
    assert.equal(f.message, 'missing DNS name(s) evil\\x1b[2J\\x0ax.example');
    assert.ok(![...f.message].some((ch) => ch.charCodeAt(0) < 0x20), 'no control character left');
  });

  it('get ids that depend on target, check or rule, and the certificate — not on the message', () => {
    const a = makeFinding({
      target: 't',
      check: 'expiry',
      rule: 'expiry',
      message: '9 days left',
      certificate: 'ab',
    });
    const b = makeFinding({
      target: 't',
      check: 'expiry',
      rule: 'expiry',
      message: '8 days left',
      certificate: 'ab',
    });
    assert.equal(a.id, b.id);
    assert.notEqual(findingId('t', 'expiry', 'ab'), findingId('t', 'expiry', 'cd'));
    assert.notEqual(findingId('t', 'expiry', 'ab'), findingId('u', 'expiry', 'ab'));
    assert.match(a.id, /^cw-[0-9a-f]{16}$/);
  });

  it('take the contract default severity unless a rule sets one', () => {
    assert.equal(makeFinding({ target: 't', check: 'pin.drift', message: 'm' }).severity, 'warning');
    assert.equal(makeFinding({ target: 't', check: 'chain.incomplete', message: 'm' }).severity, 'error');
    assert.equal(makeFinding({ target: 't', check: 'inventory.undeclared', message: 'm' }).severity, 'info');
    assert.equal(
      makeFinding({ target: 't', check: 'pin.drift', message: 'm', severity: 'error' }).severity,
      'error',
    );
  });
});
