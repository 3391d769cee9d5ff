/**
 * Builds the GitHub adapters behind the ports from Settings: one Octokit (retry, throttling,
 * request timeout) shared by the manifest repository, pull requests and branch refs.
 */
import { createClient } from './github/client.js'
import { GitHubManifestRepo } from './github/manifest-repo.js'
import { GitHubPullRequests } from './github/pull-requests.js'
import { GitHubBranchRefs, compareCommits } from './github/branch-refs.js'
import { GitData } from './github/git-data.js'
import type { HandoffDeps } from './handoff.js'
import type { ArgoPhaseDeps } from './argocd-phase.js'
import type { Logger } from './log.js'
import type { Settings } from './settings.js'

export function createDeps(settings: Settings, log: Logger): HandoffDeps & ArgoPhaseDeps {
  const scale = settings.delayScale
  const octokit = createClient({
    token: settings.token,
    baseUrl: settings.apiUrl,
    log,
    retry: { minDelayMs: 1000 * scale, maxDelayMs: 30_000 * scale },
    // One run makes a handful of writes; spacing them a second apart (Octokit's default) would
    // only slow the handoff. Secondary limits that do occur are waited out (retry-after).
    throttle: { msPerSecond: 1000 * scale, writeSpacingMs: 0, notificationSpacingMs: 0 },
    requestTimeoutMs: 60_000
  })
  const id = settings.repo
  const git = new GitData(octokit, id, log)
  const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms * scale))
  const [sourceOwner, sourceRepo] = settings.source.repo.split('/')
  return {
    repo: new GitHubManifestRepo(octokit, id, log, git),
    pulls: new GitHubPullRequests(octokit, id, log),
    refs: new GitHubBranchRefs(
      octokit,
      id,
      log,
      { neverReset: settings.branch ? [settings.branch] : [] },
      git
    ),
    isDescendant: async (base, head) =>
      (await compareCommits(octokit, { owner: sourceOwner, repo: sourceRepo }, base, head))
        .status === 'ahead',
    log,
    sleep,
    random: Math.random,
    now: Date.now
  }
}
