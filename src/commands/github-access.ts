// The GitHub client the commands build from a token and GITHUB_API_URL.
import { createGitHub, type GitHub } from '../github/client.js';
import type { Logger } from '../core/logger.js';

/** A loopback API (a test server or a local proxy) has no secondary limits to respect. */
export function isLoopbackApi(url: string | undefined): boolean {
  return !!url && /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/.test(url);
}

/** A client for `apiUrl` (default api.github.com), spacing writes as GitHub asks unless the API is on loopback. */
export function connectGitHub(opts: { token: string; apiUrl?: string; logger: Logger }): GitHub {
  return createGitHub({
    token: opts.token,
    baseUrl: opts.apiUrl,
    logger: opts.logger,
    spacing: isLoopbackApi(opts.apiUrl) ? 'none' : 'github',
  });
}
