import assert from 'node:assert/strict';
import { CHECKS } from '../../src/policy/checks/index.js';
import type { CheckContext, CheckResult } from '../../src/policy/types.js';
import type { CertRecord } from '../../src/core/model.js';
import type { Target } from '../../src/inventory/types.js';
import { nodeIo } from '../../src/policy/load.js';
import { certRole } from '../../src/policy/evaluate.js';
import { Pki, type Issued } from '../support/pki.js';
import { observe, target } from './helpers.js';

const NOW = new Date('2026-12-01T00:00:00Z');
const DAY = 86_400_000;

function run(
  check: string,
  params: Record<string, unknown>,
  cert: Issued | CertRecord,
  t: Target = target({ id: 't' }),
  index = 0,
): CheckResult[] {
  const record =
    'record' in (cert as object)
      ? (cert as unknown as CertRecord)
      : 'der' in cert && Buffer.isBuffer((cert as Issued).der)
        ? observe(t, [cert as Issued]).certificates[0]!.record
        : (cert as CertRecord);
  const ctx: CheckContext = {
    cert: record,
    role: certRole(record),
    index,
    origin: t.source.kind === 'endpoint' ? `presented[${index}]` : `file[${index}]`,
    target: t,
    observation: observe(t, []),
    chain: null,
    now: NOW,
    params,
    io: nodeIo,
  };
  return CHECKS.get(check)!.run(ctx);
}

describe('built-in checks', () => {
  const pki = new Pki({ now: NOW });

  it('expiry by percent: a 90-day certificate with 10% of its life left is a warning at warnPercent 20, an error at errorPercent 15', async () => {
    const c = await pki.leaf({ cn: 'p', notBefore: new Date(NOW.getTime() - 81 * DAY), days: 90 });
    const w = run('expiry', { warnPercent: 20 }, c);
    assert.equal(w.length, 1);
    assert.equal(w[0]!.severity, 'warning');
    assert.match(w[0]!.message, /10\.0% of its lifetime left, 9 days remaining/);
    assert.equal(run('expiry', { warnPercent: 20, errorPercent: 15 }, c)[0]!.severity, 'error');
    assert.deepEqual(run('expiry', { warnPercent: 5 }, c), []);
  });

  it('expiry: an expired certificate is an error even when only warning thresholds are set, and says when it expired', async () => {
    const c = await pki.leaf({ cn: 'gone', notBefore: new Date(NOW.getTime() - 100 * DAY), days: 90 });
    const r = run('expiry', { warnDays: 30 }, c);
    assert.equal(r[0]!.severity, 'error');
    assert.match(r[0]!.message, /expired 10 days ago \(notAfter 2026-11-21/);
    // One way to say it: no "-10 days remaining" beside "expired 10 days ago".
    assert.doesNotMatch(r[0]!.message, /remaining/);
  });

  it('key: a certificate whose key could not be read is "cannot evaluate", never a pass', async () => {
    const c = await pki.leaf({ cn: 'k' });
    const record = {
      ...observe(target({ id: 't' }), [c]).certificates[0]!.record,
      keyError: 'unsupported curve 1.3.132.0.10',
    };
    const r = run('key', { allow: [{ type: 'EC' }, { type: 'RSA' }] }, record);
    assert.equal(r.length, 1);
    assert.match(r[0]!.message, /cannot evaluate: unsupported curve 1\.3\.132\.0\.10/);
  });

  it('key: curves accept the OpenSSL names (prime256v1, secp384r1)', async () => {
    const p256 = await pki.leaf({ cn: 'a', key: 'p256' });
    const p384 = await pki.leaf({ cn: 'b', key: 'p384' });
    assert.deepEqual(run('key', { allow: [{ type: 'EC', curves: ['prime256v1'] }] }, p256), []);
    assert.match(
      run('key', { allow: [{ type: 'EC', curves: ['prime256v1'] }] }, p384)[0]!.message,
      /EC P-384 key, which is not allowed \(allowed: EC P-256\)/,
    );
    assert.deepEqual(run('key', { allow: [{ type: 'EC', curves: ['secp384r1'] }] }, p384), []);
  });

  it('signature: forbid and allow take hash names or full algorithm names', async () => {
    const c = await pki.leaf({ cn: 's', key: 'rsa2048', hash: 'SHA-256' });
    assert.deepEqual(run('signature', { forbid: ['sha1'] }, c), []);
    assert.equal(run('signature', { forbid: ['sha256WithRSAEncryption'] }, c).length, 1);
    assert.equal(run('signature', { forbid: ['SHA-256'] }, c).length, 1);
    assert.deepEqual(run('signature', { allow: ['sha256'] }, c), []);
    assert.match(
      run('signature', { allow: ['ecdsa-with-SHA256'] }, c)[0]!.message,
      /not in the allowed list/,
    );
  });

  it('eku: required usages, OIDs as names, forbidden usages, and an absent extension', async () => {
    const server = await pki.leaf({ cn: 'e', eku: ['serverAuth'] });
    const none = await pki.leaf({ cn: 'n' });
    assert.deepEqual(run('eku', { require: ['1.3.6.1.5.5.7.3.1'] }, server), []);
    assert.match(
      run('eku', { require: ['clientAuth'] }, server)[0]!.message,
      /lacks extended key usage clientAuth \(has: serverAuth\)/,
    );
    assert.match(
      run('eku', { require: ['serverAuth'] }, none)[0]!.message,
      /no extended key usage extension/,
    );
    assert.deepEqual(run('eku', { require: ['serverAuth'], allowAbsent: true }, none), []);
    assert.match(
      run('eku', { forbid: ['serverAuth'] }, server)[0]!.message,
      /carries forbidden extended key usage serverAuth/,
    );
  });

  it('san: names present and wildcards; the endpoint host is not its to judge (chain.hostname is)', async () => {
    const c = await pki.leaf({ cn: 'x', dns: ['*.svc.example'], ips: ['2001:db8::1'] });
    const ep = (host: string) =>
      target({ id: 'ep', source: { kind: 'endpoint', endpoint: { host, port: 443 } } });
    assert.deepEqual(run('san', {}, c, ep('api.svc.example')), []);
    assert.deepEqual(run('san', {}, c, ep('2001:0db8:0000::0001')), []);
    assert.deepEqual(run('san', { hostnameMatchesSan: true }, c, ep('a.b.svc.example')), []);
    assert.match(
      run('san', {}, await pki.leaf({ cn: 'bare' }), ep('bare'))[0]!.message,
      /no subject alternative names/,
    );
    assert.match(
      run('san', { forbidWildcard: true }, c, ep('api.svc.example'))[0]!.message,
      /wildcard names: "\*\.svc\.example"/,
    );
  });

  it('basic-constraints: a non-CA with keyCertSign, and a CA served as an endpoint leaf, are both reported', async () => {
    const signer = await pki.leaf({ cn: 'not-a-ca', keyUsage: ['digitalSignature', 'keyCertSign'] });
    assert.match(run('basic-constraints', {}, signer)[0]!.message, /has keyCertSign but is not a CA/);
    const ca = await pki.ca({ cn: 'ca' });
    const ep = target({ id: 'ep', source: { kind: 'endpoint', endpoint: { host: 'h', port: 443 } } });
    assert.match(
      run('basic-constraints', {}, ca, ep, 0)[0]!.message,
      /used as an end-entity certificate but is a CA/,
    );
    assert.deepEqual(run('basic-constraints', {}, ca, ep, 1), []);
  });

  it('messages quote certificate strings so control characters cannot forge lines', async () => {
    const raw = Buffer.from('evil\n::error::forged');
    const c = await pki.leaf({
      subject: `CN=#0c${raw.length.toString(16).padStart(2, '0')}${raw.toString('hex')}`,
      key: 'rsa1024',
    });
    const r = run('key', { allow: [{ type: 'RSA', minBits: 2048 }] }, c);
    assert.ok(!r[0]!.message.includes('\n'));
    assert.match(r[0]!.message, /certificate "evil\\n::error::forged"/);
  });
});
