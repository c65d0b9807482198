// The workflow event the action runs for, read through @actions/github's context (GITHUB_EVENT_PATH,
// GITHUB_REPOSITORY, GITHUB_RUN_ID): the pull request number, its base branch, the repository, the run.
/** The part of @actions/github's Context read here. */
export interface EventContext {
  payload: { pull_request?: { number?: unknown; base?: { ref?: unknown } } };
  readonly repo: { owner: string; repo: string };
  serverUrl: string;
  runId: number;
}

/** What the modes use of the event. */
export interface ActionEvent {
  /** The pull request's number (pull_request events); null otherwise. */
  pullRequest: number | null;
  /** The pull request's base branch (e.g. main); null outside pull requests. */
  baseBranch: string | null;
  /** OWNER/NAME as the context gives it (GITHUB_REPOSITORY, else the payload); null when neither has one. */
  repository: string | null;
  /** Link to this workflow run (job summaries, the dashboard); null outside a run. */
  runUrl: string | null;
}

export function readEvent(ctx: EventContext): ActionEvent {
  const pr = ctx.payload.pull_request;
  let repository: string | null = null;
  try {
    const { owner, repo } = ctx.repo;
    repository = owner && repo ? `${owner}/${repo}` : null;
  } catch {
    // context.repo throws when neither GITHUB_REPOSITORY nor the payload names a repository
  }
  return {
    pullRequest: typeof pr?.number === 'number' ? pr.number : null,
    baseBranch: typeof pr?.base?.ref === 'string' && pr.base.ref ? pr.base.ref : null,
    repository,
    runUrl:
      repository && Number.isInteger(ctx.runId)
        ? `${ctx.serverUrl}/${repository}/actions/runs/${ctx.runId}`
        : null,
  };
}
