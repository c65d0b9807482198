// File edits proposed in PRs keep comments and formatting; only the pin or the certificates change.
import assert from 'node:assert/strict';
import { derToPem, editBundleFile, editPem, editPin, pemBlocks } from '../../src/github/edits.js';
import { Pki, type Issued } from '../support/pki.js';

const INVENTORY = `# top comment
apiVersion: certwarden/v1
kind: Inventory
metadata: {name: prod}   # flow style stays
targets:
  - id: a   # first
    endpoint: {host: a.example, port: 443}
    expect:
      sha256: 'AB:CD'   # pinned in January
      dnsNames: [a.example]
  - id: b
    endpoint: {host: b.example, port: 443}
`;

describe('file edits for pull requests', () => {
  let root: Issued;
  let other: Issued;
  before(async () => {
    const pki = new Pki();
    root = await pki.ca({ cn: 'Edit Root', key: 'p256' });
    other = await pki.ca({ cn: 'Other Root', key: 'p256' });
  });

  it('a pin is replaced in place, keeping its quotes, its comment and every other byte', () => {
    const out = editPin(INVENTORY, 'a', 'f'.repeat(64))!;
    assert.equal(out, INVENTORY.replace("'AB:CD'", `'${'f'.repeat(64)}'`));
  });

  it('a target without a pin gets one under expect; an unknown target gives null', () => {
    const out = editPin(INVENTORY, 'b', 'e'.repeat(64))!;
    assert.match(out, /- id: b[\s\S]*expect:\n\s+sha256: e{64}/);
    assert.match(out, /# pinned in January/);
    assert.equal(editPin(INVENTORY, 'nope', 'e'.repeat(64)), null);
  });

  it('the same pin in another spelling (colons, upper case) is no change', () => {
    const text = INVENTORY.replace("'AB:CD'", `"${'AB:'.repeat(31)}AB"`);
    assert.equal(editPin(text, 'a', 'ab'.repeat(32)), text);
  });

  it('PEM blocks are fingerprinted by the SHA-256 of their DER', () => {
    assert.deepEqual(
      pemBlocks(`text before\n${root.pem}\n${other.pem}`).map((b) => b.sha256),
      [root.sha256, other.sha256],
    );
    assert.equal(derToPem(root.der.toString('base64')).trim(), root.pem.trim());
  });

  it('a PEM bundle gains a missing anchor at the end and loses a removed one, text around kept', () => {
    const start = `# bundle for MES clients\n${root.pem.trim()}\n`;
    const added = editPem(start, {
      add: [{ sha256: other.sha256, der: other.der.toString('base64') }],
      remove: [],
    });
    assert.ok(added.startsWith(start));
    assert.deepEqual(
      pemBlocks(added).map((b) => b.sha256),
      [root.sha256, other.sha256],
    );
    const removed = editPem(added, { add: [], remove: [root.sha256] });
    assert.deepEqual(
      pemBlocks(removed).map((b) => b.sha256),
      [other.sha256],
    );
    assert.match(removed, /^# bundle for MES clients\n/);
    assert.equal(
      editPem(added, { add: [{ sha256: other.sha256, der: other.der.toString('base64') }], remove: [] }),
      added,
      'adding what is there is no change',
    );
  });

  it('a ConfigMap manifest is edited under its key, comments kept', () => {
    const cm = `# deployed by Argo CD\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: trust   # read by clients\ndata:\n  ca.crt: |\n${root.pem
      .trim()
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\n')}\n`;
    const out = editBundleFile(cm, 'ca.crt', {
      add: [{ sha256: other.sha256, der: other.der.toString('base64') }],
      remove: [],
    })!;
    assert.match(out, /# deployed by Argo CD/);
    assert.match(out, /name: trust {3}# read by clients/);
    const pem = /ca\.crt: \|\n([\s\S]*)$/.exec(out)![1]!.replace(/^ {4}/gm, '');
    assert.deepEqual(
      pemBlocks(pem).map((b) => b.sha256),
      [root.sha256, other.sha256],
    );
    assert.equal(editBundleFile(cm, 'missing.crt', { add: [], remove: [root.sha256] }), null);
  });

  it('a Secret manifest is edited in its base64 data', () => {
    const secret = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: trust\ndata:\n  ca.crt: ${Buffer.from(root.pem + other.pem).toString('base64')}\n`;
    const out = editBundleFile(secret, 'ca.crt', { add: [], remove: [other.sha256] })!;
    const b64 = /ca\.crt: (\S+)/.exec(out)![1]!;
    assert.deepEqual(
      pemBlocks(Buffer.from(b64, 'base64').toString('utf8')).map((b) => b.sha256),
      [root.sha256],
    );
  });
});
