import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { ParseError } from '../../src/core/errors.js';
import { existsSync, symlinkSync, truncateSync } from 'node:fs';
import {
  FileRefusedError,
  MAX_CERTIFICATE_FILE_BYTES,
  containsPrivateKey,
  pemBlocks,
  readCertificateFile,
  readCertificateFileSync,
  readCertificates,
} from '../../src/x509/read.js';
import { Pki, type Issued } from '../support/pki.js';
import { TempDir, openssl } from './helpers.js';

function refusedAsPrivateKey(bytes: Uint8Array, file: string, secrets: string[]): void {
  assert.throws(
    () => readCertificates(bytes, { file }),
    (e: unknown) => {
      assert.ok(e instanceof ParseError, `expected a ParseError, got ${String(e)}`);
      assert.equal(e.kind, 'private-key');
      assert.equal(e.file, file);
      assert.equal(e.message, `${file}: contains a private key (refused; its contents are not shown)`);
      const everything = `${e.message}\n${e.stack ?? ''}\n${JSON.stringify(e)}`;
      for (const s of secrets) assert.ok(!everything.includes(s), 'no part of the key appears in the error');
      return true;
    },
  );
}

/** Base64 lines of a key's body (what a leak would show). */
function keyLines(pem: string): string[] {
  return pem
    .split('\n')
    .filter((l) => l && !l.startsWith('-----'))
    .map((l) => l.slice(0, 40));
}

describe('readCertificates', () => {
  const pki = new Pki();
  let root: Issued;
  let leaf: Issued;
  let dir: TempDir;

  before(async () => {
    root = await pki.ca({ cn: 'Reader Root' });
    leaf = await pki.leaf({ cn: 'reader.example', dns: ['reader.example'], issuer: root });
    dir = new TempDir();
    dir.write('leaf.pem', leaf.pem);
    dir.write('root.pem', root.pem);
    dir.write('leaf.key', leaf.keyPem);
  });
  after(() => dir.remove());

  it('reads a PEM bundle surrounded by openssl -text output and comments, in order, with origins', () => {
    const text = openssl(['x509', '-in', dir.file('leaf.pem'), '-text']).toString();
    assert.match(text, /Certificate:\n\s+Data:/);
    const bundle = `# bundle for reader.example\n${text}\nsome comment between blocks\n${root.pem}trailing words`;
    const r = readCertificates(Buffer.from(bundle), { file: '/etc/ssl/bundle.pem' });
    assert.equal(r.format, 'pem');
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(
      r.certificates.map((c) => [c.origin, c.record.sha256]),
      [
        ['bundle.pem[0]', leaf.sha256],
        ['bundle.pem[1]', root.sha256],
      ],
    );
  });

  it('reads PEM with CRLF line ends and no final newline', () => {
    const pem = (leaf.pem + root.pem).replace(/\n/g, '\r\n').trimEnd();
    const r = readCertificates(Buffer.from(pem), { file: 'crlf.pem' });
    assert.deepEqual(
      r.certificates.map((c) => c.record.sha256),
      [leaf.sha256, root.sha256],
    );
  });

  it('skips a certificate request and a CRL block with a warning naming the line', () => {
    openssl(['req', '-new', '-key', dir.file('leaf.key'), '-subj', '/CN=req', '-out', dir.file('req.pem')]);
    const csr = dir.read('req.pem').toString();
    const crl = '-----BEGIN X509 CRL-----\nMAMCAQA=\n-----END X509 CRL-----\n';
    const r = readCertificates(Buffer.from(leaf.pem + csr + crl), { file: 'mixed.pem' });
    assert.equal(r.certificates.length, 1);
    assert.equal(r.warnings.length, 2);
    assert.match(r.warnings[0]!, /skipped a "CERTIFICATE REQUEST" block at line \d+/);
    assert.match(r.warnings[1]!, /skipped a "X509 CRL" block at line \d+/);
  });

  it('reads DER, detected from content, and a DER PKCS#7 certs-only bundle', () => {
    const der = readCertificates(leaf.der, { file: 'leaf.cer' });
    assert.equal(der.format, 'der');
    assert.deepEqual(
      der.certificates.map((c) => [c.origin, c.record.sha256]),
      [['leaf.cer[0]', leaf.sha256]],
    );
    dir.write('chain.pem', leaf.pem + root.pem);
    const p7 = openssl(['crl2pkcs7', '-nocrl', '-certfile', dir.file('chain.pem'), '-outform', 'DER']);
    const r = readCertificates(p7, { file: 'chain.p7b' });
    assert.equal(r.format, 'der');
    assert.deepEqual(
      new Set(r.certificates.map((c) => c.record.sha256)),
      new Set([leaf.sha256, root.sha256]),
    );
    const p7pem = openssl(['crl2pkcs7', '-nocrl', '-certfile', dir.file('chain.pem')]);
    assert.equal(readCertificates(p7pem, { file: 'chain.p7b.pem' }).certificates.length, 2);
  });

  it('reads an OpenSSL TRUSTED CERTIFICATE block as the certificate it wraps', () => {
    const trusted = openssl([
      'x509',
      '-in',
      dir.file('root.pem'),
      '-trustout',
      '-addtrust',
      'serverAuth',
    ]).toString();
    assert.match(trusted, /BEGIN TRUSTED CERTIFICATE/);
    const r = readCertificates(Buffer.from(trusted), { file: 'trusted.pem' });
    assert.deepEqual(
      r.certificates.map((c) => c.record.sha256),
      [root.sha256],
    );
    assert.equal(Buffer.from(r.certificates[0]!.record.der, 'base64').equals(root.der), true);
  });

  it('detects PEM even when the text starts with the byte DER sequences start with ("0")', () => {
    const r = readCertificates(Buffer.from(`0 comment line before the block\n${leaf.pem}`), {
      file: 'zero.pem',
    });
    assert.equal(r.format, 'pem');
    assert.deepEqual(
      r.certificates.map((c) => c.record.sha256),
      [leaf.sha256],
    );
  });

  it('honours an explicit format and says what it expected when the content does not match', () => {
    assert.throws(
      () => readCertificates(leaf.der, { file: 'x.pem', format: 'pem' }),
      (e: unknown) => e instanceof ParseError && e.kind === 'pem' && /no PEM block/.test(e.message),
    );
    assert.throws(
      () => readCertificates(Buffer.from(leaf.pem), { file: 'x.p12', format: 'pkcs12' }),
      (e: unknown) => e instanceof ParseError && e.kind === 'pkcs12',
    );
    assert.throws(
      () => readCertificates(Buffer.from(leaf.pem), { file: 'x.jks', format: 'jks' }),
      (e: unknown) => e instanceof ParseError && e.kind === 'jks',
    );
  });

  it('refuses empty files, text without PEM blocks and broken base64, naming the file and line', () => {
    assert.throws(
      () => readCertificates(new Uint8Array(0), { file: 'empty.pem' }),
      (e: unknown) => e instanceof ParseError && e.kind === 'empty' && e.file === 'empty.pem',
    );
    assert.throws(
      () => readCertificates(Buffer.from('just: yaml\n'), { file: 'notes.txt' }),
      (e: unknown) => e instanceof ParseError && e.file === 'notes.txt',
    );
    const broken = leaf.pem.replace(/\n([A-Za-z0-9+/]{10})/, '\n$1!!');
    assert.throws(
      () => readCertificates(Buffer.from(`# header\n${broken}`), { file: 'broken.pem' }),
      (e: unknown) =>
        e instanceof ParseError &&
        e.kind === 'pem' &&
        /broken\.pem: line 3: .*not valid base64/.test(e.message),
    );
    const truncated = leaf.pem.replace(/-----END CERTIFICATE-----\n$/, '');
    assert.throws(
      () => readCertificates(Buffer.from(truncated), { file: 't.pem' }),
      (e: unknown) => e instanceof ParseError && /line 1: .*no matching END line/.test(e.message),
    );
  });

  it('refuses a certificate block whose content is not a certificate, naming file, line and origin', () => {
    const junk = '-----BEGIN CERTIFICATE-----\nMAMCAQA=\n-----END CERTIFICATE-----\n';
    assert.throws(
      () => readCertificates(Buffer.from(leaf.pem + junk), { file: 'junk.pem' }),
      (e: unknown) =>
        e instanceof ParseError &&
        e.kind === 'x509' &&
        e.file === 'junk.pem' &&
        /line \d+ \(junk\.pem\[1\]\)/.test(e.message),
    );
  });

  describe('private keys', () => {
    it('refuses a PEM bundle holding a PKCS#8 key and never shows the key', () => {
      refusedAsPrivateKey(Buffer.from(leaf.pem + leaf.keyPem), 'with-key.pem', keyLines(leaf.keyPem));
    });

    it('refuses traditional RSA, EC, encrypted PKCS#8 and OpenSSH keys', () => {
      const rsa = openssl(['genrsa', '-traditional', '2048']).toString();
      assert.match(rsa, /BEGIN RSA PRIVATE KEY/);
      const ec = openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout']).toString();
      assert.match(ec, /BEGIN EC PRIVATE KEY/);
      const enc = openssl([
        'pkcs8',
        '-topk8',
        '-in',
        dir.file('leaf.key'),
        '-passout',
        'pass:pw',
        '-v2',
        'aes-256-cbc',
      ]).toString();
      assert.match(enc, /BEGIN ENCRYPTED PRIVATE KEY/);
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', dir.file('id_test')]);
      const ssh = dir.read('id_test').toString();
      assert.match(ssh, /BEGIN OPENSSH PRIVATE KEY/);
      for (const [name, pem] of [
        ['rsa.pem', rsa],
        ['ec.pem', ec],
        ['enc.pem', enc],
        ['id_test', ssh],
      ] as const) {
        refusedAsPrivateKey(Buffer.from(`${root.pem}\n${pem}`), name, keyLines(pem));
        assert.equal(containsPrivateKey(Buffer.from(pem)), true, name);
      }
    });

    it('refuses private keys in DER (PKCS#8, PKCS#1, SEC1) and under a misleading PEM label', () => {
      const p8 = openssl(['pkey', '-in', dir.file('leaf.key'), '-outform', 'DER']);
      refusedAsPrivateKey(p8, 'key.der', [p8.toString('base64').slice(20, 60)]);
      const ecDer = openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-outform', 'DER']);
      refusedAsPrivateKey(ecDer, 'ec.der', [ecDer.toString('base64').slice(20, 60)]);
      dir.write('rsa.pem', openssl(['genrsa', '-traditional', '1024']));
      const rsaDer = openssl(['rsa', '-in', dir.file('rsa.pem'), '-traditional', '-outform', 'DER']);
      refusedAsPrivateKey(rsaDer, 'rsa.der', [rsaDer.toString('base64').slice(20, 60)]);
      const disguised = `-----BEGIN CERTIFICATE-----\n${p8.toString('base64')}\n-----END CERTIFICATE-----\n`;
      refusedAsPrivateKey(Buffer.from(disguised), 'disguised.pem', [p8.toString('base64').slice(20, 60)]);
      for (const d of [p8, ecDer, rsaDer, Buffer.from(disguised)]) assert.equal(containsPrivateKey(d), true);
    });

    it("with privateKeys 'skip', reads the certificates beside a key and notes each key block by label and line only", () => {
      const rsa = openssl(['genrsa', '-traditional', '1024']).toString();
      const text = `${leaf.pem}${leaf.keyPem}${root.pem}${rsa}`;
      const r = readCertificates(Buffer.from(text), { file: 'node.pem', privateKeys: 'skip' });
      assert.deepEqual(
        r.certificates.map((c) => [c.origin, c.record.sha256]),
        [
          ['node.pem[0]', leaf.sha256],
          ['node.pem[1]', root.sha256],
        ],
      );
      const keyLine = leaf.pem.split('\n').length;
      const rsaLine = keyLine + leaf.keyPem.split('\n').length - 1 + root.pem.split('\n').length - 1;
      assert.deepEqual(r.warnings, [
        `skipped a private key block ("PRIVATE KEY") at line ${keyLine} unread; only certificates are read`,
        `skipped a private key block ("RSA PRIVATE KEY") at line ${rsaLine} unread; only certificates are read`,
      ]);
      const everything = JSON.stringify(r);
      for (const l of [...keyLines(leaf.keyPem), ...keyLines(rsa)])
        assert.ok(!everything.includes(l), 'no part of a key appears in the result');
      // The default still refuses the same file.
      refusedAsPrivateKey(Buffer.from(text), 'node.pem', keyLines(leaf.keyPem));
    });

    it("with privateKeys 'skip', still refuses a key alone, a DER key and a key under a certificate label with nothing else", () => {
      const p8 = openssl(['pkey', '-in', dir.file('leaf.key'), '-outform', 'DER']);
      const disguised = `-----BEGIN CERTIFICATE-----\n${p8.toString('base64')}\n-----END CERTIFICATE-----\n`;
      for (const [name, bytes, message] of [
        ['only.key', Buffer.from(leaf.keyPem), 'holds a private key and no certificate'],
        ['key.der', p8, 'contains a private key'],
        ['disguised.pem', Buffer.from(disguised), 'holds a private key and no certificate'],
      ] as const) {
        assert.throws(
          () => readCertificates(bytes, { file: name, privateKeys: 'skip' }),
          (e: unknown) => {
            assert.ok(e instanceof ParseError && e.kind === 'private-key', String(e));
            assert.ok(e.message.includes(message), e.message);
            for (const l of [...keyLines(leaf.keyPem), p8.toString('base64').slice(20, 60)])
              assert.ok(!e.message.includes(l));
            return true;
          },
          name,
        );
      }
      // Beside a certificate, the disguised key block is skipped like any key block.
      const r = readCertificates(Buffer.from(leaf.pem + disguised), {
        file: 'mixed.pem',
        privateKeys: 'skip',
      });
      assert.equal(r.certificates.length, 1);
      assert.match(r.warnings.join('\n'), /skipped a private key block \("CERTIFICATE"\) at line \d+ unread/);
    });

    it('says no for certificates and certificate-only bundles', () => {
      assert.equal(containsPrivateKey(Buffer.from(leaf.pem + root.pem)), false);
      assert.equal(containsPrivateKey(leaf.der), false);
      assert.equal(containsPrivateKey(Buffer.from('plain text')), false);
    });
  });

  it('lists PEM blocks with labels and 1-based line numbers', () => {
    const blocks = pemBlocks(`intro\n\n${leaf.pem}${root.pem}`);
    assert.deepEqual(
      blocks.map((b) => [b.label, b.line]),
      [
        ['CERTIFICATE', 3],
        ['CERTIFICATE', 3 + leaf.pem.split('\n').length - 1],
      ],
    );
    assert.equal(blocks[0]!.der.equals(leaf.der), true);
  });
});

describe('reading certificate files from disk', () => {
  let dir: TempDir;
  before(() => {
    dir = new TempDir();
    execFileSync('mkfifo', [dir.file('pipe.pem')]);
    symlinkSync('/dev/zero', dir.file('zero.pem'));
    dir.write('huge.pem', '');
    truncateSync(dir.file('huge.pem'), MAX_CERTIFICATE_FILE_BYTES + 1);
    dir.write('small.pem', 'x'.repeat(100));
    dir.write('empty.pem', '');
  });
  after(() => dir.remove());

  function refused(reason: FileRefusedError['reason'], message: RegExp) {
    return (e: unknown): boolean => {
      assert.ok(e instanceof FileRefusedError, String(e));
      assert.equal(e.reason, reason);
      assert.match(e.message, message);
      return true;
    };
  }

  it('refuses a FIFO and a device (also behind a symlink) from stat, without opening them', async () => {
    assert.throws(
      () => readCertificateFileSync(dir.file('pipe.pem')),
      refused('not-regular', /^not a regular file: a FIFO \(named pipe\)/),
    );
    assert.throws(
      () => readCertificateFileSync(dir.file('zero.pem')),
      refused('not-regular', /a character device/),
    );
    assert.throws(() => readCertificateFileSync(dir.path), refused('not-regular', /a folder/));
    await assert.rejects(
      readCertificateFile(dir.file('pipe.pem'), { timeoutMs: 5000 }),
      refused('not-regular', /a FIFO/),
    );
    await assert.rejects(
      readCertificateFile('/dev/zero', { timeoutMs: 5000 }),
      refused('not-regular', /a character device/),
    );
  });

  it('refuses a file over the cap, naming its size and the cap, and counts bytes as they are read', async () => {
    const msg = new RegExp(`file is ${MAX_CERTIFICATE_FILE_BYTES + 1} bytes, larger than the 16 MiB cap`);
    assert.throws(() => readCertificateFileSync(dir.file('huge.pem')), refused('too-large', msg));
    await assert.rejects(
      readCertificateFile(dir.file('huge.pem'), { timeoutMs: 5000 }),
      refused('too-large', msg),
    );
    // A smaller cap shows the same refusal on an ordinary file.
    await assert.rejects(
      readCertificateFile(dir.file('small.pem'), { timeoutMs: 5000, maxBytes: 10 }),
      refused('too-large', /file is 100 bytes/),
    );
    // /proc files stat as 0 bytes but read as more: the cap holds on the bytes actually read.
    if (existsSync('/proc/self/status')) {
      assert.throws(
        () => readCertificateFileSync('/proc/self/status', 10),
        refused('too-large', /file is more than 10 bytes/),
      );
      await assert.rejects(
        readCertificateFile('/proc/self/status', { timeoutMs: 5000, maxBytes: 10 }),
        refused('too-large', /file is more than 10 bytes/),
      );
    }
  });

  it('reads regular files whole, an empty one as zero bytes, and lets I/O errors through with their code', async () => {
    assert.equal(readCertificateFileSync(dir.file('small.pem')).toString(), 'x'.repeat(100));
    assert.equal((await readCertificateFile(dir.file('small.pem'), { timeoutMs: 5000 })).length, 100);
    assert.equal((await readCertificateFile(dir.file('empty.pem'), { timeoutMs: 5000 })).length, 0);
    await assert.rejects(readCertificateFile(dir.file('missing.pem'), { timeoutMs: 5000 }), {
      code: 'ENOENT',
    });
  });

  it('settles by its deadline with a timeout refusal when reading takes longer', async () => {
    // Just under the cap: 256 chunk reads through the thread pool cannot all finish within 1 ms.
    dir.write('slow.pem', '');
    truncateSync(dir.file('slow.pem'), MAX_CERTIFICATE_FILE_BYTES - 1);
    await assert.rejects(
      readCertificateFile(dir.file('slow.pem'), { timeoutMs: 1 }),
      refused('timeout', /^reading took longer than the 1 ms deadline$/),
    );
  });

  it('settles at once, as cancelled, when the run is already cancelled', async () => {
    await assert.rejects(
      readCertificateFile(dir.file('small.pem'), { timeoutMs: 5000, signal: AbortSignal.abort() }),
      refused('cancelled', /cancelled/),
    );
  });
});
