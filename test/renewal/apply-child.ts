// A separate process running one apply (for the SIGKILL test): the request and kubeconfig come as
// JSON on argv[2]; it prints `step <name>` after each step and, at KILL_AT, waits to be killed.
import * as fs from 'node:fs';
import { createKubeApi } from '../../src/sources/kubernetes/client.js';
import { applyRenewal } from '../../src/renewal/apply.js';
import type { RenewalRequest } from '../../src/renewal/request.js';

const { request, kubeconfig, killAt } = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as {
  request: RenewalRequest;
  kubeconfig: string;
  killAt: string | null;
};
const kube = createKubeApi({
  name: 'avilla',
  kubeconfig: { path: kubeconfig },
  location: { file: 'inventory/clusters.yaml', line: 3, column: 5 },
});
const out = await applyRenewal(request, {
  kube,
  approvalMessage: 'approved by acme/platform#42',
  waitTimeoutMs: 10_000,
  pollMs: 20,
  onStep: async (step) => {
    process.stdout.write(`step ${step}\n`);
    if (step === killAt) await new Promise(() => setInterval(() => {}, 1000));
  },
});
process.stdout.write(`outcome ${JSON.stringify(out)}\n`);
kube.close();
