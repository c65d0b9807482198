// GitHub access for the modes that talk to GitHub: the repository from the event, the token input
// and GITHUB_API_URL.
import type { RepoRef } from '../github/types.js';
import { parseRepo, readGitHubEnv } from '../github/sync.js';
import type { Inputs } from './inputs.js';
import type { ActionIO } from './types.js';

export interface GitHubAccess {
  repo: RepoRef | null;
  /** The token input. */
  token: string | undefined;
  /** GITHUB_TOKEN from the environment (renew falls back to it, as `certwarden renew` does). */
  envToken: string | undefined;
  apiUrl: string | undefined;
  runUrl: string | undefined;
}

/** Throws ConfigError naming GITHUB_REPOSITORY when the repository is malformed. */
export function gitHubAccess(inputs: Inputs, io: ActionIO): GitHubAccess {
  const env = readGitHubEnv(io.env);
  const repository = io.event.repository;
  return {
    repo: repository === null ? null : parseRepo(repository, 'GITHUB_REPOSITORY'),
    token: inputs.token ?? undefined,
    envToken: env.token,
    apiUrl: env.apiUrl,
    runUrl: io.event.runUrl ?? undefined,
  };
}
