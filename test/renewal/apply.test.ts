import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KubeApiServer, tlsSecret, type TestSigner } from '../support/kube-api-server.js';
import type { Issued } from '../support/pki.js';
import { createKubeApi, type HttpKubeApi } from '../../src/sources/kubernetes/client.js';
import {
  APPLY_STEPS,
  ApplyCrash,
  applyRenewal,
  csrNameFor,
  PENDING_KEY_DATA,
  RENEWAL_ANNOTATION,
  type ApplyDeps,
  type RenewalOutcome,
} from '../../src/renewal/apply.js';
import type { RenewalRequest } from '../../src/renewal/request.js';
import { captureLogger } from '../kube/helpers.js';

type Obj = Record<string, any>;

const SIGNER = 'example.com/internal-services';
const APPROVAL = 'certwarden renewal approved by merged pull request acme/platform#42';
const NS = 'web';
const NAME = 'api-tls';

function request(over: Partial<RenewalRequest['spec']> = {}, id = '3f9a1c0b7d2e4f6a8b9c'): RenewalRequest {
  return {
    apiVersion: 'certwarden/v1',
    kind: 'RenewalRequest',
    metadata: {
      target: 'web/api-tls',
      id,
      createdAt: new Date(Date.now() - 60_000).toISOString(),
      finding: null,
    },
    spec: {
      method: 'kubernetes-csr',
      cluster: 'avilla',
      signerName: SIGNER,
      usages: ['digital signature', 'key encipherment', 'server auth'],
      expirationSeconds: 30 * 86_400,
      subject: { CN: 'api.web.svc', O: ['example'] },
      dnsNames: ['api.web.svc', 'api.web.svc.cluster.local'],
      ipAddresses: ['10.0.0.7'],
      key: { type: 'EC', curve: 'P-256' },
      secret: { namespace: NS, name: NAME },
      replaces: null,
      ...over,
    },
  };
}

const unb64 = (s: string | undefined) => Buffer.from(s ?? '', 'base64').toString('utf8');

interface World {
  server: KubeApiServer;
  kube: HttpKubeApi;
  signer: TestSigner;
  old: Issued;
  oldCa: Issued;
  dir: string;
}

async function world(
  opts: { secret?: boolean; chain?: boolean; deny?: string; fail?: string } = {},
): Promise<World> {
  const server = await KubeApiServer.start();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cw-apply-'));
  fs.writeFileSync(path.join(dir, 'kubeconfig'), server.kubeconfig({ auth: 'token' }));
  const kube = createKubeApi({
    name: 'avilla',
    kubeconfig: { path: path.join(dir, 'kubeconfig') },
    location: { file: 'inventory/clusters.yaml', line: 3, column: 5 },
  });
  const signer = await server.signer({
    signerName: SIGNER,
    chain: opts.chain,
    deny: opts.deny ? () => opts.deny! : undefined,
    fail: opts.fail ? () => opts.fail! : undefined,
  });
  const oldCa = await server.pki.ca({ cn: 'old services CA' });
  const old = await server.pki.leaf({
    cn: 'api.web.svc',
    o: ['example'],
    dns: ['api.web.svc'],
    issuer: oldCa,
  });
  if (opts.secret !== false) {
    const s = tlsSecret(NS, NAME, old.pem, old.keyPem, {
      ca: oldCa.pem,
      labels: { app: 'api' },
      annotations: { 'example.com/owner': 'platform' },
    });
    s.data['config.yaml'] = Buffer.from('listen: 8443\n').toString('base64');
    server.add('Secret', s);
  }
  return { server, kube, signer, old, oldCa, dir };
}

async function close(w: World): Promise<void> {
  w.kube.close();
  await w.server.settled();
  await w.server.close();
  fs.rmSync(w.dir, { recursive: true, force: true });
}

/** Runs `fn` against a fresh world, always closing it. */
async function inWorld(opts: Parameters<typeof world>[0], fn: (w: World) => Promise<void>): Promise<void> {
  const w = await world(opts);
  try {
    await fn(w);
  } finally {
    await close(w);
  }
}

function deps(w: World, extra: Partial<ApplyDeps> = {}): ApplyDeps {
  return { kube: w.kube, approvalMessage: APPROVAL, waitTimeoutMs: 5_000, pollMs: 20, ...extra };
}

function secretOf(w: World): Obj {
  const s = w.server.object('Secret', NS, NAME);
  assert.ok(s, 'the target Secret exists');
  return s;
}

/** The facts of the end state that must not depend on how many runs it took to get there. */
function endState(w: World): Obj {
  const s = secretOf(w);
  const certPem = unb64(s.data['tls.crt']);
  const cert = new X509Certificate(certPem);
  const csrs = w.server.objects('CertificateSigningRequest');
  return {
    type: s.type,
    dataKeys: Object.keys(s.data).sort(),
    labels: s.metadata.labels,
    annotations: s.metadata.annotations,
    configYaml: unb64(s.data['config.yaml']),
    certMatchesKey: cert.checkPrivateKey(createPrivateKey(unb64(s.data['tls.key']))),
    subject: cert.subject,
    sans: cert.subjectAltName,
    issuedByTheSigner: cert.checkIssued(new X509Certificate(w.signer.ca.pem)),
    issuedCount: w.signer.issued.length,
    csrNames: csrs.map((c) => c.metadata.name),
    csrApproved: csrs.map((c) =>
      (c.status?.conditions ?? []).filter((x: Obj) => x.type === 'Approved').map((x: Obj) => x.reason),
    ),
  };
}

describe('renewal apply (src/renewal/apply.ts) against the test API server with a signer', function () {
  this.timeout(60_000);

  it('writes the new certificate and its key to the Secret, keeps every other key, and approves the CSR citing the pull request', () =>
    inWorld({}, async (w) => {
      const req = request();
      const out = await applyRenewal(req, deps(w));
      assert.equal(out.state, 'applied', out.message);
      assert.equal(out.csrName, csrNameFor(req));
      const s = secretOf(w);
      assert.equal(s.type, 'kubernetes.io/tls');
      const cert = new X509Certificate(unb64(s.data['tls.crt']));
      assert.equal(out.sha256, cert.fingerprint256.replace(/:/g, '').toLowerCase());
      assert.notEqual(out.sha256, w.old.sha256);
      assert.ok(
        cert.checkPrivateKey(createPrivateKey(unb64(s.data['tls.key']))),
        'tls.key is the key of tls.crt',
      );
      assert.notEqual(unb64(s.data['tls.key']), w.old.keyPem);
      assert.equal(cert.subject, 'CN=api.web.svc\nO=example');
      assert.equal(
        cert.subjectAltName,
        'DNS:api.web.svc, DNS:api.web.svc.cluster.local, IP Address:10.0.0.7',
      );
      assert.ok(cert.checkIssued(new X509Certificate(w.signer.ca.pem)));
      // notAfter honours expirationSeconds (30 days), give or take the test's run time.
      const life = Date.parse(out.notAfter!) - Date.now();
      assert.ok(Math.abs(life - 30 * 86_400_000) < 60_000, `notAfter ${out.notAfter}`);
      assert.equal(
        new Date(cert.validTo).getTime(),
        Date.parse(out.notAfter!),
        "outcome notAfter is the certificate's",
      );
      // Other keys, labels and annotations survive; ca.crt stays (the signer returned no chain).
      assert.equal(unb64(s.data['config.yaml']), 'listen: 8443\n');
      assert.equal(unb64(s.data['ca.crt']), w.oldCa.pem);
      assert.equal(s.data[PENDING_KEY_DATA], undefined);
      assert.deepEqual(s.metadata.labels, { app: 'api' });
      assert.equal(s.metadata.annotations['example.com/owner'], 'platform');
      assert.equal(s.metadata.annotations[RENEWAL_ANNOTATION], req.metadata.id);
      // The CSR: approved by certwarden with the pull request in the message, issued once.
      const csr = w.server.object('CertificateSigningRequest', null, out.csrName)!;
      assert.equal(csr.spec.signerName, SIGNER);
      assert.equal(csr.spec.expirationSeconds, 30 * 86_400);
      assert.deepEqual(csr.spec.usages, ['digital signature', 'key encipherment', 'server auth']);
      const approved = csr.status.conditions.find((c: Obj) => c.type === 'Approved');
      assert.equal(approved.reason, 'CertwardenApproved');
      assert.equal(approved.message, APPROVAL);
      assert.equal(w.signer.issued.length, 1);
    }));

  it('running it again after success issues nothing and reports the certificate already in the Secret', () =>
    inWorld({}, async (w) => {
      const req = request();
      const first = await applyRenewal(req, deps(w));
      const requestsBefore = w.server.requests.length;
      const again = await applyRenewal(req, deps(w));
      assert.equal(again.state, 'applied');
      assert.equal(again.sha256, first.sha256);
      assert.match(again.message, /already applied/);
      assert.equal(w.signer.issued.length, 1);
      const writes = w.server.requests.slice(requestsBefore).filter((r) => r.method !== 'GET');
      assert.deepEqual(writes, [], 'a re-run only reads');
    }));

  it('writes ca.crt from the chain when the signer returns one', () =>
    inWorld({ chain: true }, async (w) => {
      const out = await applyRenewal(request(), deps(w));
      assert.equal(out.state, 'applied', out.message);
      const s = secretOf(w);
      assert.equal(unb64(s.data['ca.crt']), w.signer.ca.pem);
      assert.equal(
        unb64(s.data['tls.crt']).match(/BEGIN CERTIFICATE/g)?.length,
        2,
        'tls.crt holds the leaf and the chain',
      );
    }));

  it('creates a missing target Secret as kubernetes.io/tls holding only the new pair', () =>
    inWorld({ secret: false }, async (w) => {
      const out = await applyRenewal(request(), deps(w));
      assert.equal(out.state, 'applied', out.message);
      const s = secretOf(w);
      assert.equal(s.type, 'kubernetes.io/tls');
      assert.deepEqual(Object.keys(s.data).sort(), ['tls.crt', 'tls.key']);
      const cert = new X509Certificate(unb64(s.data['tls.crt']));
      assert.ok(cert.checkPrivateKey(createPrivateKey(unb64(s.data['tls.key']))));
    }));

  it('generates the key the request names (RSA 3072)', () =>
    inWorld({}, async (w) => {
      const out = await applyRenewal(request({ key: { type: 'RSA', bits: 3072 } }), deps(w));
      assert.equal(out.state, 'applied', out.message);
      const key = createPrivateKey(unb64(secretOf(w).data['tls.key']));
      assert.equal(key.asymmetricKeyType, 'rsa');
      assert.equal(key.asymmetricKeyDetails?.modulusLength, 3072);
    }));

  it('two runs at once for the same request agree on one key, one CSR and one certificate', () =>
    inWorld({}, async (w) => {
      const req = request();
      const [a, b] = await Promise.all([applyRenewal(req, deps(w)), applyRenewal(req, deps(w))]);
      assert.equal(a.state, 'applied', a.message);
      assert.equal(b.state, 'applied', b.message);
      assert.equal(a.sha256, b.sha256);
      await w.server.settled();
      assert.equal(w.signer.issued.length, 1);
      assert.equal(w.server.objects('CertificateSigningRequest').length, 1);
      const s = secretOf(w);
      assert.ok(
        new X509Certificate(unb64(s.data['tls.crt'])).checkPrivateKey(
          createPrivateKey(unb64(s.data['tls.key'])),
        ),
      );
    }));

  it('recognises its own certificate even when the Secret lost the renewal annotation', () =>
    inWorld({}, async (w) => {
      const req = request();
      const first = await applyRenewal(req, deps(w));
      const s = secretOf(w);
      delete s.metadata.annotations[RENEWAL_ANNOTATION];
      w.server.add('Secret', s);
      const again = await applyRenewal(req, deps(w));
      assert.equal(again.state, 'applied');
      assert.match(again.message, /already applied/);
      assert.equal(again.sha256, first.sha256);
      assert.equal(w.signer.issued.length, 1);
    }));

  it('does not take the certificate it replaces for the renewal, even when its names and dates match', () =>
    inWorld({}, async (w) => {
      const twin = await w.server.pki.leaf({
        cn: 'api.web.svc',
        o: ['example'],
        dns: ['api.web.svc', 'api.web.svc.cluster.local'],
        ips: ['10.0.0.7'],
        notBefore: new Date(),
        days: 90,
      });
      w.server.add('Secret', tlsSecret(NS, NAME, twin.pem, twin.keyPem));
      const out = await applyRenewal(request({ replaces: twin.sha256 }), deps(w));
      assert.equal(out.state, 'applied', out.message);
      assert.doesNotMatch(out.message, /already applied/);
      assert.notEqual(out.sha256, twin.sha256);
      assert.equal(w.signer.issued.length, 1);
    }));

  for (const key of [
    { type: 'Ed25519' as const },
    { type: 'RSA' as const, bits: 2048 },
    { type: 'EC' as const, curve: 'P-384' as const },
  ])
    it(`signs the request with a staged ${key.type} key read back from the Secret after a crash`, () =>
      inWorld({}, async (w) => {
        const req = request({ key });
        await assert.rejects(applyRenewal(req, deps(w, { crashAfter: 'stage-key' })), ApplyCrash);
        const out = await applyRenewal(req, deps(w));
        assert.equal(out.state, 'applied', out.message);
        const k = createPrivateKey(unb64(secretOf(w).data['tls.key']));
        assert.equal(k.asymmetricKeyType, key.type === 'EC' ? 'ec' : key.type.toLowerCase());
        if (key.type === 'EC') assert.equal(k.asymmetricKeyDetails?.namedCurve, 'secp384r1');
        assert.equal(w.signer.issued.length, 1);
      }));

  it('refuses RSA keys shorter than 2048 bits before touching the cluster', () =>
    inWorld({}, async (w) => {
      const before = w.server.requests.length;
      const out = await applyRenewal(request({ key: { type: 'RSA', bits: 1024 } }), deps(w));
      assert.equal(out.state, 'failed');
      assert.match(
        out.message,
        /spec\.key\.bits 1024 is not supported for RSA \(expected 2048, 3072 or 4096\)/,
      );
      assert.deepEqual(
        w.server.requests.slice(before).filter((r) => r.method !== 'GET'),
        [],
      );
    }));

  it('names CSRs from hostile target ids as valid Kubernetes object names', () => {
    const names = [
      csrNameFor(request({}, 'ABCDEF0123456789')),
      csrNameFor({ ...request(), metadata: { ...request().metadata, target: '../Web API/"tls"\n;rm -rf' } }),
      csrNameFor({ ...request(), metadata: { ...request().metadata, target: 'x'.repeat(400), id: '!!!' } }),
    ];
    assert.equal(names[0], 'certwarden-web-api-tls-abcdef0123');
    assert.equal(names[1], 'certwarden-web-api-tls-rm-rf-3f9a1c0b7d');
    for (const n of names) {
      assert.match(n, /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
      assert.ok(n.length <= 253);
    }
  });

  describe('crash safety: killed after each step, then re-run', () => {
    let reference: Obj;
    before(async () => {
      const w = await world();
      try {
        const out = await applyRenewal(request(), deps(w));
        assert.equal(out.state, 'applied', out.message);
        reference = endState(w);
      } finally {
        await close(w);
      }
    });

    for (const step of APPLY_STEPS) {
      it(`a run killed after '${step}' and run again ends in the same state as one uninterrupted run, with one certificate issued`, async () => {
        const w = await world();
        try {
          const req = request();
          await assert.rejects(
            applyRenewal(req, deps(w, { crashAfter: step })),
            (e) => e instanceof ApplyCrash && e.step === step,
          );
          await w.server.settled();
          const out = await applyRenewal(req, deps(w));
          assert.equal(out.state, 'applied', out.message);
          await w.server.settled();
          assert.deepEqual(endState(w), reference);
          assert.equal(out.sha256, w.signer.issued[0]!.sha256);
        } finally {
          await close(w);
        }
      });
    }

    it('a run killed three times at different steps still ends in the uninterrupted state with one certificate', async () => {
      const w = await world();
      try {
        const req = request();
        for (const step of ['stage-key', 'create-csr', 'wait'] as const)
          await assert.rejects(applyRenewal(req, deps(w, { crashAfter: step })), ApplyCrash);
        const out = await applyRenewal(req, deps(w));
        assert.equal(out.state, 'applied', out.message);
        assert.deepEqual(endState(w), reference);
      } finally {
        await close(w);
      }
    });

    it('the live tls.crt/tls.key pair is untouched until the final write', async () => {
      const w = await world();
      try {
        const req = request();
        for (const step of APPLY_STEPS.slice(0, -1)) {
          await assert.rejects(applyRenewal(req, deps(w, { crashAfter: step })), ApplyCrash);
          const s = secretOf(w);
          assert.equal(unb64(s.data['tls.crt']), w.old.pem, `tls.crt after '${step}'`);
          assert.equal(unb64(s.data['tls.key']), w.old.keyPem, `tls.key after '${step}'`);
          assert.ok(
            s.data[PENDING_KEY_DATA] || step === 'read-secret',
            `the new key is staged after '${step}'`,
          );
        }
      } finally {
        await close(w);
      }
    });
  });

  it('replaces a CSR of the same name that was made for another key, and issues for the staged key', () =>
    inWorld({}, async (w) => {
      const req = request();
      const stray = await w.server.pki.csr({ subject: 'CN=api.web.svc, O=example' });
      w.server.add('CertificateSigningRequest', {
        metadata: { name: csrNameFor(req) },
        spec: {
          request: Buffer.from(stray.pem).toString('base64'),
          signerName: SIGNER,
          usages: ['server auth'],
        },
        status: {},
      });
      const out = await applyRenewal(req, deps(w));
      assert.equal(out.state, 'applied', out.message);
      assert.equal(w.signer.issued.length, 1);
      const s = secretOf(w);
      assert.ok(
        new X509Certificate(unb64(s.data['tls.crt'])).checkPrivateKey(
          createPrivateKey(unb64(s.data['tls.key'])),
        ),
      );
    }));

  it('a denied CSR fails with the denial reason and leaves the live pair in place', () =>
    inWorld({ deny: 'the services signer only signs for namespace kube-system' }, async (w) => {
      const out = await applyRenewal(request(), deps(w));
      assert.equal(out.state, 'failed');
      assert.match(
        out.message,
        /was denied \(TestPolicy: the services signer only signs for namespace kube-system\)/,
      );
      const s = secretOf(w);
      assert.equal(unb64(s.data['tls.crt']), w.old.pem);
      assert.equal(unb64(s.data['tls.key']), w.old.keyPem);
      assert.equal(w.signer.issued.length, 0);
      const csr = w.server.object('CertificateSigningRequest', null, out.csrName)!;
      assert.ok(
        !csr.status.conditions.some((c: Obj) => c.type === 'Approved'),
        'a denied CSR is not approved',
      );
    }));

  it('a CSR the signer fails is reported as failed with the signer message', () =>
    inWorld({ fail: 'key too weak for this signer' }, async (w) => {
      const out = await applyRenewal(request(), deps(w));
      assert.equal(out.state, 'failed');
      assert.match(out.message, /was failed \(SignerValidationFailure: key too weak for this signer\)/);
      assert.equal(unb64(secretOf(w).data['tls.crt']), w.old.pem);
    }));

  it('a signer that never answers fails after the wait bound, and a later run picks the certificate up without a second CSR', () =>
    inWorld({}, async (w) => {
      const req = request({ signerName: 'example.com/late-signer' });
      const started = Date.now();
      const out = await applyRenewal(req, deps(w, { waitTimeoutMs: 400, pollMs: 50 }));
      assert.equal(out.state, 'failed');
      assert.match(
        out.message,
        /issued no certificate for CertificateSigningRequest certwarden-web-api-tls-3f9a1c0b7d within 400 ms; it stays approved/,
      );
      assert.ok(Date.now() - started < 5_000, 'the wait is bounded');
      assert.equal(unb64(secretOf(w).data['tls.crt']), w.old.pem);
      const late = await w.server.signer({ signerName: 'example.com/late-signer' });
      await w.server.settled();
      const again = await applyRenewal(req, deps(w));
      assert.equal(again.state, 'applied', again.message);
      assert.equal(late.issued.length, 1);
      assert.equal(w.server.objects('CertificateSigningRequest').length, 1);
    }));

  for (const [what, tamper, expected] of [
    [
      'for another key',
      async (w: World) =>
        (
          await w.server.pki.leaf({
            cn: 'api.web.svc',
            o: ['example'],
            dns: ['api.web.svc', 'api.web.svc.cluster.local'],
            ips: ['10.0.0.7'],
            issuer: w.signer.ca,
          })
        ).pem,
      /was not written: its public key is not the staged key/,
    ],
    [
      'with other names',
      async (w: World) =>
        (await w.server.pki.leaf({ cn: 'evil.example', dns: ['evil.example'], issuer: w.signer.ca })).pem,
      /its public key is not the staged key; subject CN is 'evil\.example', requested 'api\.web\.svc'; subject O is \[\], requested \[example\]; DNS names are \[evil\.example\]/,
    ],
    [
      'that is not a certificate',
      async () => '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
      /status\.certificate is not a readable X\.509 certificate/,
    ],
  ] as const)
    it(`a certificate ${what} from a misbehaving signer is not written`, () =>
      inWorld({}, async (w) => {
        const signer = await w.server.signer({ signerName: SIGNER, tamper: () => tamper(w) });
        const out = await applyRenewal(request(), deps(w));
        assert.equal(out.state, 'failed');
        assert.match(out.message, expected);
        assert.equal(signer.issued.length, 1);
        assert.equal(unb64(secretOf(w).data['tls.crt']), w.old.pem);
        assert.equal(unb64(secretOf(w).data['tls.key']), w.old.keyPem);
      }));

  it('a certificate that fails the policy check is not written', () =>
    inWorld({}, async (w) => {
      let seen = '';
      const out = await applyRenewal(
        request(),
        deps(w, {
          verify: async (pem) => {
            seen = pem;
            return ['validity of 30 days is below the policy minimum of 90 days'];
          },
        }),
      );
      assert.equal(out.state, 'failed');
      assert.match(
        out.message,
        /was not written: validity of 30 days is below the policy minimum of 90 days/,
      );
      assert.match(seen, /^-----BEGIN CERTIFICATE-----/);
      assert.equal(unb64(secretOf(w).data['tls.crt']), w.old.pem);
    }));

  it('a Kubernetes API refusal becomes a failed outcome naming the request that failed', () =>
    inWorld({}, async (w) => {
      w.server.forbid({ kind: 'Secret', namespace: NS });
      const out = await applyRenewal(request(), deps(w));
      assert.equal(out.state, 'failed');
      assert.match(out.message, /^Kubernetes API: get Secret in namespace web: 403 Forbidden/);
      assert.equal(w.server.objects('CertificateSigningRequest').length, 0);
    }));

  it('canary: the private key appears in nothing but the target Secret', async () => {
    const started = Date.now();
    const w = await world();
    try {
      const logger = captureLogger();
      const req = request();
      const outcomes: (RenewalOutcome | string)[] = [];
      for (const step of ['stage-key', 'approve'] as const)
        await applyRenewal(req, deps(w, { crashAfter: step, logger })).catch((e: Error) =>
          outcomes.push(e.message),
        );
      outcomes.push(await applyRenewal(req, deps(w, { logger })));
      outcomes.push(await applyRenewal(req, deps(w, { logger })));
      const denied = await world({ deny: 'no' });
      try {
        outcomes.push(await applyRenewal(request({}, 'ffeeddccbbaa99887766'), deps(denied, { logger })));
      } finally {
        await close(denied);
      }

      const s = secretOf(w);
      const keyPem = unb64(s.data['tls.key']);
      const der = createPrivateKey(keyPem).export({ type: 'pkcs8', format: 'der' });
      const body = der.toString('base64');
      const canaries = [
        ...[0, 40, 80].map((i) => body.slice(i, i + 32)),
        s.data['tls.key'].slice(8, 48),
        der.toString('hex').slice(40, 104),
      ];
      assert.ok(logger.lines.length > 3, 'the runs logged their steps');
      const haystacks: [string, string][] = [
        ['outcomes', JSON.stringify(outcomes)],
        ['logs', logger.lines.join('\n')],
        ['CSR objects', JSON.stringify(w.server.objects('CertificateSigningRequest'))],
        ['other Secrets', JSON.stringify(w.server.objects('Secret').filter((o) => o.metadata.name !== NAME))],
        ['request log', JSON.stringify(w.server.requests)],
        ['signed certificates', JSON.stringify(w.signer.issued)],
      ];
      for (const file of recentFiles([os.tmpdir(), process.cwd()], started))
        haystacks.push([file, fs.readFileSync(file, 'latin1')]);
      for (const [where, text] of haystacks)
        for (const c of canaries) assert.ok(!text.includes(c), `the private key leaked into ${where}`);
      // The search itself can find it: the Secret holds it.
      assert.ok(JSON.stringify(s).includes(canaries[3]!));
    } finally {
      await close(w);
    }
  });
});

/** Files under `roots` changed since `since` (a few levels deep; node_modules and .git skipped). */
function recentFiles(roots: string[], since: number): string[] {
  const out: string[] = [];
  const walk = (dir: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name === 'node_modules' || e.name === '.git') continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (depth < 4) walk(p, depth + 1);
      } else if (e.isFile()) {
        try {
          const st = fs.statSync(p);
          if (st.mtimeMs >= since && st.size < 4 * 1024 * 1024) out.push(p);
        } catch {
          /* gone meanwhile */
        }
      }
    }
  };
  for (const r of roots) walk(r, 0);
  return out;
}
