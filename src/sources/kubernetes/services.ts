// How collectors get a Kubernetes client: `ctx.services.kube` when the caller hands one in (tests,
// the CLI), otherwise one factory per inventory built from its `clusters`, kept for the run.
import type { CollectContext } from '../types.js';
import type { Observation } from '../../core/model.js';
import { kubeFactory } from './client.js';
import { KubeApiError, KubeconfigUnusable } from './errors.js';
import type { KubeFactory } from './read.js';
import { safeText } from '../../core/text.js';
import { DeadlineError } from '../../core/deadline.js';

const factories = new WeakMap<object, KubeFactory>();

/** The Kubernetes client factory for a collection run. */
export function kubeFor(ctx: CollectContext): KubeFactory {
  const given = ctx.services?.kube;
  if (typeof given === 'function') return given as KubeFactory;
  let f = factories.get(ctx.inventory);
  if (!f) {
    f = kubeFactory(ctx.inventory.clusters, {
      env: ctx.env,
      timeoutMs: Math.max(ctx.timeoutMs, 10_000),
      logger: ctx.logger,
    });
    factories.set(ctx.inventory, f);
  }
  return f;
}

/** Observation status and error for a failed request: network problems are `unreachable`. */
export function failureOf(e: unknown): {
  status: Observation['status'];
  error: NonNullable<Observation['error']>;
} {
  if (e instanceof KubeconfigUnusable)
    return { status: 'error', error: { reason: 'config', message: e.message } };
  if (e instanceof KubeApiError) {
    if (e.status === 0) return { status: 'unreachable', error: { reason: e.reason, message: e.message } };
    const reason =
      e.status === 403 || e.status === 401
        ? 'forbidden'
        : e.status === 404
          ? 'not-found'
          : e.status === 410
            ? 'expired'
            : 'protocol';
    return { status: 'error', error: { reason, message: e.message } };
  }
  const err = e as Error & { kind?: string };
  if (err?.name === 'ParseError')
    return {
      status: 'error',
      error: {
        reason: err.kind === 'password' || err.kind === 'limit' ? err.kind : 'parse',
        message: safeText(err.message),
      },
    };
  if (e instanceof DeadlineError)
    return { status: 'error', error: { reason: e.reason, message: `stopped: ${e.message}` } };
  return {
    status: 'error',
    error: { reason: 'internal', message: safeText(err instanceof Error ? err.message : String(e)) },
  };
}
