// GitHub access for the modes that talk to GitHub: the repository from the event (through
// @actions/github's context), GITHUB_API_URL and GITHUB_TOKEN, and the run's link.
import { gitHubAccess as fromEnv, type GitHubAccess } from '../commands/github-access.js';
import type { ActionIO } from './types.js';

/** Throws ConfigError naming GITHUB_REPOSITORY when the repository is malformed. */
export function gitHubAccess(io: ActionIO): GitHubAccess {
  const repository = io.event.repository;
  const access = fromEnv(
    io.env,
    repository === null ? undefined : { text: repository, what: 'GITHUB_REPOSITORY' },
  );
  return { ...access, runUrl: io.event.runUrl ?? undefined };
}
