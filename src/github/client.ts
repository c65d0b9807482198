// The one place an Octokit is built: the `octokit` package (throttling + retry plugins), with
// retry-after and secondary rate limits honoured and every log line escaped.
import { Octokit } from 'octokit';
import type { Logger } from '../core/logger.js';
import { escapeLog } from '../core/escape.js';

export type GitHub = InstanceType<typeof Octokit>;

export interface ClientOptions {
  token?: string;
  /** API root, e.g. https://api.github.com or https://ghe.example/api/v3 (GITHUB_API_URL). */
  baseUrl?: string;
  logger: Logger;
  /** How many times to wait out a rate limit before giving up (default 3). */
  rateLimitRetries?: number;
  /** Extra options for @octokit/plugin-throttling (tests pass faster limiters and a smaller time base). */
  throttle?: Record<string, unknown>;
  /** Extra options for @octokit/plugin-retry (tests pass a smaller retryAfterBaseValue). */
  retry?: Record<string, unknown>;
  userAgent?: string;
  /**
   * 'github' (default): the throttling plugin spaces writes as GitHub asks (1 s apart, 3 s for
   * notifying ones). 'none': no spacing, for test servers; rate-limit answers are still honoured.
   */
  spacing?: 'github' | 'none';
}

// A limiter group that runs jobs at once (same shape as a Bottleneck.Group as the plugin uses it).
const immediate = {
  key: () => ({
    schedule: (_opts: unknown, fn: (...a: unknown[]) => unknown, ...args: unknown[]) =>
      Promise.resolve().then(() => fn(...args)),
  }),
};

export function createGitHub(opts: ClientOptions): GitHub {
  const max = opts.rateLimitRetries ?? 3;
  const log = opts.logger;
  const onLimit =
    (kind: string) =>
    (retryAfter: number, options: { method: string; url: string; request: { retryCount: number } }) => {
      const n = options.request.retryCount;
      if (n < max) {
        log.warn(
          `GitHub ${kind} for ${options.method} ${escapeLog(options.url)}; retrying after ${retryAfter}s (${n + 1}/${max})`,
        );
        return true;
      }
      log.error(
        `GitHub ${kind} for ${options.method} ${escapeLog(options.url)}; giving up after ${max} waits`,
      );
      return false;
    };
  return new Octokit({
    auth: opts.token,
    baseUrl: opts.baseUrl?.replace(/\/+$/, ''),
    userAgent: opts.userAgent ?? 'certwarden',
    log: {
      debug: (m: string) => log.debug(escapeLog(m)),
      info: (m: string) => log.debug(escapeLog(m)),
      warn: (m: string) => log.warn(escapeLog(m)),
      error: (m: string) => log.error(escapeLog(m)),
    },
    throttle: {
      onRateLimit: onLimit('rate limit'),
      onSecondaryRateLimit: onLimit('secondary rate limit'),
      ...(opts.spacing === 'none'
        ? {
            global: immediate,
            write: immediate,
            notifications: immediate,
            search: immediate,
            auth: immediate,
          }
        : {}),
      ...opts.throttle,
    },
    retry: { ...opts.retry },
  });
}

/** The failed request, named: "POST /repos/o/r/issues: 502 Bad Gateway". */
export class GitHubRequestError extends Error {
  readonly status: number | null;
  readonly request: string;
  constructor(request: string, cause: unknown) {
    const e = cause as { status?: number; message?: string };
    super(
      `${request}: ${e?.status ?? 'network error'} ${escapeLog(String(e?.message ?? cause)).slice(0, 300)}`,
    );
    this.name = 'GitHubRequestError';
    this.status = typeof e?.status === 'number' ? e.status : null;
    this.request = request;
  }
}

/** A failure where the server may have done the work anyway (5xx, timeout, connection lost). */
export function isAmbiguousFailure(e: unknown): boolean {
  const status = (e as { status?: number })?.status;
  return status === undefined || status === 500 || status >= 502;
}

export function statusOf(e: unknown): number | null {
  const status = (e as { status?: number })?.status;
  return typeof status === 'number' ? status : null;
}
