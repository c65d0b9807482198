// GitHub access for the commands that talk to GitHub: the repository, token, API and run link from
// the environment (GITHUB_REPOSITORY, GITHUB_TOKEN, GITHUB_API_URL, GITHUB_RUN_ID) or the face, and
// the client built from them.
import { createGitHub, type GitHub } from '../github/client.js';
import { parseRepo, readGitHubEnv } from '../github/sync.js';
import type { RepoRef } from '../github/types.js';
import type { Logger } from '../core/logger.js';

export type { RepoRef } from '../github/types.js';

/** Where GitHub is and who calls it. */
export interface GitHubAccess {
  repo: RepoRef | null;
  token: string | undefined;
  apiUrl: string | undefined;
  runUrl: string | undefined;
}

/**
 * Access from the environment; `repo` (OWNER/NAME, e.g. --repo) replaces GITHUB_REPOSITORY and is
 * named `what` in its error. Throws ConfigError for a malformed repository.
 */
export function gitHubAccess(env: NodeJS.ProcessEnv, repo?: { text: string; what: string }): GitHubAccess {
  const fromEnv = readGitHubEnv(env);
  return {
    repo: repo ? parseRepo(repo.text, repo.what) : fromEnv.repo,
    token: fromEnv.token,
    apiUrl: fromEnv.apiUrl,
    runUrl: fromEnv.runUrl,
  };
}

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
