import assert from 'node:assert/strict';
import { JsonScanError, scanList, scanObject } from '../../src/sources/kubernetes/json-scan.js';

const KEY_B64 = Buffer.from(
  '-----BEGIN PRIVATE KEY-----\nS0VZTUFURVJJQUw=\n-----END PRIVATE KEY-----\n',
).toString('base64');
const CRT_B64 = Buffer.from('-----BEGIN CERTIFICATE-----\nQ0VSVA==\n-----END CERTIFICATE-----\n').toString(
  'base64',
);

function secretList(): Buffer {
  return Buffer.from(
    JSON.stringify({
      kind: 'SecretList',
      apiVersion: 'v1',
      metadata: { resourceVersion: '42', continue: 'tok' },
      items: [
        {
          metadata: {
            name: 'web-tls',
            namespace: 'apps',
            uid: 'u1',
            annotations: {
              'kubectl.kubernetes.io/last-applied-configuration': `{"data":{"tls.key":"${KEY_B64}"}}`,
              'team"x': 'a\\b\u00e9',
            },
            managedFields: [{ manager: 'kubectl', fieldsV1: { 'f:data': { 'f:tls.key': {} } } }],
          },
          type: 'kubernetes.io/tls',
          data: {
            'tls.crt': CRT_B64,
            'tls.key': KEY_B64,
            'ca.crt': CRT_B64,
            'keystore.p12': 'MIIB',
            password: 'aHVudGVyMg==',
          },
          stringData: { 'tls.key': KEY_B64 },
        },
        { metadata: { name: 'empty', namespace: 'apps', uid: 'u2' }, type: 'Opaque', data: {} },
      ],
    }),
  );
}

describe('reading API responses from the bytes (src/sources/kubernetes/json-scan.ts)', () => {
  it('keeps certificate keys and drops tls.key, other keys, stringData, managedFields and the last-applied annotation', () => {
    const { items, metadata } = scanList(secretList(), 'Secret', new Set());
    assert.deepEqual(metadata, { resourceVersion: '42', continue: 'tok' });
    assert.equal(items.length, 2);
    assert.deepEqual(items[0], {
      metadata: { name: 'web-tls', namespace: 'apps', uid: 'u1', annotations: { 'team"x': 'a\\b\u00e9' } },
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': CRT_B64, 'ca.crt': CRT_B64, 'keystore.p12': 'MIIB' },
    });
    assert.deepEqual(items[1], {
      metadata: { name: 'empty', namespace: 'apps', uid: 'u2' },
      type: 'Opaque',
      data: {},
    });
  });

  it('never decodes a dropped value into a string', () => {
    const body = secretList();
    const decoded: string[] = [];
    const original = Buffer.prototype.toString;
    Buffer.prototype.toString = function (this: Buffer, ...args: unknown[]) {
      const s = (original as (...a: unknown[]) => string).apply(this, args);
      decoded.push(s);
      return s;
    } as typeof original;
    try {
      scanList(body, 'Secret', new Set());
    } finally {
      Buffer.prototype.toString = original;
    }
    assert.ok(decoded.length > 5);
    assert.ok(
      decoded.every((s) => !s.includes(KEY_B64.slice(8, 40))),
      'a private key value was decoded',
    );
    assert.ok(
      decoded.some((s) => s.includes(CRT_B64)),
      'certificate values are decoded',
    );
  });

  it('keeps a key the caller names, and leaves other kinds whole', () => {
    const obj = scanObject(
      Buffer.from(JSON.stringify({ metadata: { name: 'x' }, data: { 'my-cert': 'QQ==', other: 'Qg==' } })),
      0,
      'Secret',
      new Set(['my-cert']),
    );
    assert.deepEqual(obj.data, { 'my-cert': 'QQ==' });
    const cm = scanObject(
      Buffer.from(
        JSON.stringify({
          metadata: { name: 'c' },
          data: { 'ca.crt': 'x', other: 'y' },
          binaryData: { k: 'AA==' },
        }),
      ),
      0,
      'ConfigMap',
      new Set(),
    );
    assert.deepEqual(cm, {
      metadata: { name: 'c' },
      data: { 'ca.crt': 'x', other: 'y' },
      binaryData: { k: 'AA==' },
    });
  });

  it('reads nested arrays, escapes, numbers, literals and whitespace like JSON.parse does', () => {
    const doc = {
      metadata: { name: 'w', uid: 'u' },
      webhooks: [
        {
          name: 'a]b}c"d',
          clientConfig: { caBundle: '', port: 443 },
          sideEffects: null,
          x: [true, false, -1.5e3, [], {}],
        },
      ],
    };
    const text = JSON.stringify(doc, null, 2).replace(/\n/g, '\r\n');
    assert.deepEqual(scanObject(Buffer.from(text), 0, 'ValidatingWebhookConfiguration', new Set()), doc);
  });

  it('rejects malformed bodies with the byte offset, never their content', () => {
    for (const bad of [
      '{"items":[{"data":{"tls.key":"SECRETVALUE',
      '{"items":[{]}',
      'SECRETVALUE',
      '{"a" 1}',
    ]) {
      assert.throws(
        () => scanList(Buffer.from(bad), 'Secret', new Set()),
        (e: unknown) =>
          e instanceof JsonScanError &&
          /^malformed JSON at byte \d+: /.test(e.message) &&
          !e.message.includes('SECRETVALUE'),
        bad,
      );
    }
  });
});
