// Errors of the Kubernetes API client: a refused request (HTTP status and Status reason) or a
// network failure (status 0). Source collectors turn them into observations (services.ts failureOf).
import type { KubeKind } from './kinds.js';

/** What a KubeApiError is about: a kind certwarden reads, or the namespace list. */
export type KubeErrorKind = KubeKind | 'Namespace';

/** A refused or failed API request. `status` is the HTTP status (0 for a network failure). */
export class KubeApiError extends Error {
  readonly status: number;
  /** Kubernetes Status reason (Forbidden, Expired, NotFound …) or a network reason (refused, timeout …). */
  readonly reason: string;
  readonly kind: KubeErrorKind;
  readonly namespace: string | null;
  /** After a 410 on a continue token: the token the server offers to continue with, if any. */
  readonly continueToken: string | null;
  constructor(o: {
    status: number;
    reason: string;
    message: string;
    kind: KubeErrorKind;
    namespace?: string | null;
    continueToken?: string | null;
  }) {
    super(o.message);
    this.name = 'KubeApiError';
    this.status = o.status;
    this.reason = o.reason;
    this.kind = o.kind;
    this.namespace = o.namespace ?? null;
    this.continueToken = o.continueToken ?? null;
  }
}

/**
 * A cluster's kubeconfig cannot be used (a missing file, an unset variable, an invalid or unsafe
 * kubeconfig): every target on that cluster fails as a source (`source.error`, reason config),
 * and the rest of the run goes on.
 */
export class KubeconfigUnusable extends Error {
  constructor(
    readonly cluster: string,
    message: string,
  ) {
    super(message);
    this.name = 'KubeconfigUnusable';
  }
}
