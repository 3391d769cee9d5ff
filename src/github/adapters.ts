/**
 * The GitHub adapters of one manifest repository, wired to share what they learn: modes and
 * trees read by the ManifestRepo are reused by the PR branch's commits (no extra requests).
 */
import type { ApiLog, GitHubClient } from './client.js'
import { GitHubBranchRefs, type BranchRefsOptions } from './branch-refs.js'
import { GitData, type RepoId } from './git-data.js'
import { GitHubManifestRepo } from './manifest-repo.js'
import { GitHubPullRequests } from './pull-requests.js'

export function createGitHubAdapters(
  octokit: GitHubClient,
  id: RepoId,
  log: ApiLog,
  options: BranchRefsOptions
) {
  const git = new GitData(octokit, id, log)
  return {
    manifestRepo: new GitHubManifestRepo(octokit, id, log, git),
    branchRefs: new GitHubBranchRefs(octokit, id, log, options, git),
    pullRequests: new GitHubPullRequests(octokit, id, log)
  }
}
