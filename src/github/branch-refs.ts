/**
 * BranchRefs over GitHub's git data API: the action's own PR branch (create or force-move
 * it to a commit made off the target branch) and the compare API for `only-newer: git`.
 * Force is confined to `resetBranch`, which refuses the branches it was told to protect.
 */
import type { BranchRefs, FileChange } from '../ports.js'
import { HandoffError, quote } from '../errors.js'
import type { ApiLog, GitHubClient } from './client.js'
import { answerOf, classify } from './errors.js'
import { GitData, fullName, type RepoId } from './git-data.js'

export interface BranchRefsOptions {
  /** Branches `resetBranch` must never move (the target branch, the default branch). */
  readonly neverReset: readonly string[]
}

export interface Comparison {
  readonly status: string
  readonly aheadBy: number
  readonly behindBy: number
}

export class GitHubBranchRefs implements BranchRefs {
  private readonly git: GitData

  constructor(
    private readonly octokit: GitHubClient,
    private readonly id: RepoId,
    private readonly log: ApiLog,
    private readonly options: BranchRefsOptions,
    git?: GitData
  ) {
    this.git = git ?? new GitData(octokit, id, log)
  }

  /**
   * Point the action's PR branch at `sha`: create it, or force-move it when it exists (the
   * branch holds only the action's commit, rebuilt from the target branch on every run).
   */
  async resetBranch(branch: string, sha: string): Promise<void> {
    this.refuseShared(branch)
    try {
      await this.octokit.rest.git.createRef({ ...this.id, ref: `refs/heads/${branch}`, sha })
      this.log.debug(`Created ${branch} at ${sha}`)
      return
    } catch (error) {
      if (!/reference already exists/i.test(answerOf(error)?.message ?? '')) {
        throw classify(error, this.git.context('create the pull request branch', { branch }))
      }
    }
    try {
      await this.octokit.rest.git.updateRef({
        ...this.id,
        ref: `heads/${branch}`,
        sha,
        force: true
      })
      this.log.debug(`Moved ${branch} to ${sha}`)
    } catch (error) {
      throw classify(error, this.git.context('move the pull request branch', { branch }))
    }
  }

  createCommit(changes: readonly FileChange[], parent: string, message: string): Promise<string> {
    return this.git.commit(changes, parent, message)
  }

  treeOf(commit: string): Promise<string> {
    return this.git.treeOf(commit)
  }

  compare(base: string, head: string): Promise<Comparison> {
    return compareCommits(this.octokit, this.id, base, head)
  }

  private refuseShared(branch: string): void {
    if (!this.options.neverReset.includes(branch)) return
    throw new HandoffError(
      'INVALID_INPUT',
      `The pull request branch ${quote(branch)} is a branch the action must not force-move in ${fullName(this.id)}.`,
      {
        hint: '`pr-branch` must be a branch of its own (leave it empty to derive one), not the target or default branch.',
        input: 'pr-branch'
      }
    )
  }
}

/**
 * How `head` relates to `base` in any repository (for `only-newer: git` this is the workflow's
 * source repository, not the manifest repository). One request; commits are not listed.
 */
export async function compareCommits(
  octokit: GitHubClient,
  id: RepoId,
  base: string,
  head: string
): Promise<Comparison> {
  try {
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
      ...id,
      basehead: `${base}...${head}`,
      per_page: 1
    })
    return { status: data.status, aheadBy: data.ahead_by, behindBy: data.behind_by }
  } catch (error) {
    throw classify(error, { action: `compare commits ${base}...${head}`, repo: fullName(id) })
  }
}
