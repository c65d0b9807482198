// Generates the public certificates used by inventory/example (run once; the output is committed).
//   npx tsx scripts/make-example-pki.ts
// Keys are generated in memory, used to sign, and discarded: no private key is ever written.
// Re-running makes new keys, so the sha256 pins in inventory/example/*.yaml must be updated with the
// fingerprints this script prints.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pki, type Issued } from '../test/support/pki.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'inventory', 'example');
const at = (iso: string) => new Date(iso);
const TWENTY_YEARS = { notBefore: at('2026-01-01T00:00:00Z'), notAfter: at('2046-01-01T00:00:00Z') };

function write(rel: string, text: string): void {
  const file = join(root, rel);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  console.log(`wrote inventory/example/${rel}`);
}

const pki = new Pki({ now: at('2026-01-02T00:00:00Z') });

const structuresRoot = await pki.ca({
  subject: 'CN=Example Structures Root CA, O=Example Structures',
  key: 'p384',
  ...TWENTY_YEARS,
});
const structuresIssuing = await pki.ca({
  subject: 'CN=Example Structures Issuing CA, O=Example Structures',
  issuer: structuresRoot,
  pathLen: 0,
  notBefore: at('2026-01-01T00:00:00Z'),
  notAfter: at('2045-12-31T00:00:00Z'),
});
const mach2 = await pki.leaf({
  cn: 'mach2.albion.example',
  dns: ['mach2.albion.example', 'mach2'],
  ips: ['10.20.0.12'],
  eku: ['serverAuth'],
  issuer: structuresIssuing,
  notBefore: at('2026-01-01T00:00:00Z'),
  notAfter: at('2045-12-30T00:00:00Z'),
});
// The deliberate problem: expires 2026-12-20, so `scan --now 2026-12-01T00:00:00Z` warns (19 days left).
const historian = await pki.leaf({
  cn: 'historian.albion.example',
  dns: ['historian.albion.example'],
  eku: ['serverAuth'],
  issuer: structuresIssuing,
  notBefore: at('2025-12-20T00:00:00Z'),
  notAfter: at('2026-12-20T00:00:00Z'),
});

const kubernetesCa = await pki.ca({ cn: 'kubernetes', ...TWENTY_YEARS });
const admin = await pki.leaf({
  subject: 'CN=kubernetes-admin, O=kubeadm:cluster-admins',
  eku: ['clientAuth'],
  issuer: kubernetesCa,
  notBefore: at('2026-01-01T00:00:00Z'),
  notAfter: at('2045-12-30T00:00:00Z'),
});

write('anchors/structures-root.pem', structuresRoot.pem);
write('anchors/structures-issuing.pem', structuresIssuing.pem);
write('anchors/kubernetes-ca.pem', kubernetesCa.pem);
write('certs/mach2-albion.pem', pki.chainPem(mach2, structuresIssuing));
write('certs/historian-albion.pem', pki.chainPem(historian, structuresIssuing));
write('certs/mes-client-truststore.pem', pki.chainPem(structuresRoot, structuresIssuing));

// The deliberate bundle problem: the ConfigMap deployed to MES clients lacks the issuing CA.
const indent = (pem: string) => pem.trimEnd().replace(/^/gm, '    ');
write(
  'manifests/mes-trust-bundle.yaml',
  `# The CA bundle MES clients mount (deployed by GitOps). Referenced by the inventory as a bundle.
# It deliberately lacks the issuing CA, so a scan reports bundle.missing for structures-issuing.
apiVersion: v1
kind: ConfigMap
metadata:
  name: mes-trust-bundle
  namespace: mes
data:
  ca.crt: |
${indent(structuresRoot.pem)}
`,
);

const b64 = (i: Issued) => Buffer.from(i.pem).toString('base64');
write(
  'kubeconfigs/admin.conf',
  `# An admin kubeconfig with its client certificate. The client key is deliberately absent:
# private keys are never committed (certwarden only reads certificates).
apiVersion: v1
kind: Config
clusters:
  - name: example
    cluster:
      server: https://127.0.0.1:6443
      certificate-authority-data: ${b64(kubernetesCa)}
users:
  - name: kubernetes-admin
    user:
      client-certificate-data: ${b64(admin)}
contexts:
  - name: kubernetes-admin@example
    context: {cluster: example, user: kubernetes-admin}
current-context: kubernetes-admin@example
`,
);

console.log('\nsha256 pins (update inventory/example/*.yaml):');
for (const [name, c] of Object.entries({
  structuresRoot,
  structuresIssuing,
  kubernetesCa,
  mach2,
  historian,
  admin,
})) {
  console.log(`  ${name}: ${c.sha256}`);
}
