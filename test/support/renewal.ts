// A renewal request for the webhook serving certificate used across renewal tests (public facts only).
import type { RenewalRequest } from '../../src/renewal/request.js';

export const WEBHOOK_SIGNER = 'example.com/webhook-serving';

export function webhookRenewalRequest(replaces: string, id = 'c0ffee0123456789abcd'): RenewalRequest {
  return {
    apiVersion: 'certwarden/v1',
    kind: 'RenewalRequest',
    metadata: { target: 'webhook', id, createdAt: new Date().toISOString(), finding: null },
    spec: {
      method: 'kubernetes-csr',
      cluster: 'avilla',
      signerName: WEBHOOK_SIGNER,
      usages: ['digital signature', 'key encipherment', 'server auth'],
      expirationSeconds: 90 * 86_400,
      subject: { CN: 'webhook.webhooks.svc' },
      dnsNames: ['webhook.webhooks.svc'],
      key: { type: 'EC', curve: 'P-256' },
      secret: { namespace: 'webhooks', name: 'webhook-tls' },
      replaces,
    },
  };
}
