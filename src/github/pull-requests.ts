/**
 * PullRequests over GitHub's REST API (and GraphQL for auto-merge). Opening or updating the
 * PR must succeed; decorating it (labels, reviewers, assignees, auto-merge) is best effort:
 * whatever GitHub refuses or silently drops comes back as a warning naming what and why.
 */
import type { PullRequest, PullRequestDraft, PullRequests, Warnings } from '../ports.js'
import { quote } from '../errors.js'
import type { ApiLog, GitHubClient } from './client.js'
import { answerOf, classify, describeFailure } from './errors.js'
import { fullName, type RepoId } from './git-data.js'

type MergeMethod = 'merge' | 'squash' | 'rebase'

// Octokit reserves the variable names `query`, `method` and `url`.
const AUTO_MERGE = `mutation($pullRequestId: ID!, $mergeMethod: PullRequestMergeMethod!) {
  enablePullRequestAutoMerge(input: { pullRequestId: $pullRequestId, mergeMethod: $mergeMethod }) {
    clientMutationId
  }
}`

/** Fields of GitHub's pull-request answers (list and single) that PullRequest keeps. */
interface PullData {
  number: number
  html_url: string
  node_id: string
  state: string
  merged?: boolean
  merged_at: string | null
  merge_commit_sha?: string | null
  head: { ref: string; sha: string }
  base: { ref: string }
  title: string
  body: string | null
}

const NONE: Warnings = { warnings: [] }

export class GitHubPullRequests implements PullRequests {
  constructor(
    private readonly octokit: GitHubClient,
    private readonly id: RepoId,
    private readonly log: ApiLog
  ) {}

  async findOpen(head: string, base: string): Promise<PullRequest | undefined> {
    try {
      const { data } = await this.octokit.rest.pulls.list({
        ...this.id,
        state: 'open',
        head: `${this.id.owner}:${head}`,
        base,
        per_page: 1
      })
      return data.length > 0 ? toPullRequest(data[0]) : undefined
    } catch (error) {
      throw classify(error, this.context('look for an open pull request', head))
    }
  }

  /** A PR that already exists for this head and base (a concurrent run) is returned as is. */
  async create(draft: PullRequestDraft): Promise<PullRequest> {
    try {
      const { data } = await this.octokit.rest.pulls.create({ ...this.id, ...draft })
      return toPullRequest(data)
    } catch (error) {
      const existing = alreadyExists(error)
        ? await this.findOpen(draft.head, draft.base)
        : undefined
      if (existing !== undefined) return existing
      throw classify(error, this.context('create the pull request', draft.head))
    }
  }

  async update(number: number, fields: { title: string; body: string }): Promise<PullRequest> {
    try {
      const { data } = await this.octokit.rest.pulls.update({
        ...this.id,
        pull_number: number,
        ...fields
      })
      return toPullRequest(data)
    } catch (error) {
      throw classify(error, this.context(`update pull request #${number}`))
    }
  }

  async get(number: number): Promise<PullRequest & { mergeCommitSha?: string }> {
    try {
      const { data } = await this.octokit.rest.pulls.get({ ...this.id, pull_number: number })
      const pr = toPullRequest(data)
      return pr.merged && data.merge_commit_sha
        ? { ...pr, mergeCommitSha: data.merge_commit_sha }
        : pr
    } catch (error) {
      throw classify(error, this.context(`read pull request #${number}`))
    }
  }

  async addLabels(number: number, labels: readonly string[]): Promise<Warnings> {
    if (labels.length === 0) return NONE
    try {
      const { data } = await this.octokit.rest.issues.addLabels({
        ...this.id,
        issue_number: number,
        labels: [...labels]
      })
      const missing = absent(
        labels,
        data.map(label => label.name)
      )
      return warnIf(
        missing,
        `${names(missing, 'Label')} not added to #${number}: GitHub did not apply them.`
      )
    } catch (error) {
      return {
        warnings: [`${names(labels, 'Label')} not added to #${number}: ${describeFailure(error)}.`]
      }
    }
  }

  /**
   * One request for all; when GitHub refuses the batch (one bad name fails all of them),
   * each reviewer is requested alone so that the warning names exactly who was refused.
   */
  async requestReviewers(
    number: number,
    users: readonly string[],
    teams: readonly string[]
  ): Promise<Warnings> {
    if (users.length + teams.length === 0) return NONE
    try {
      const { data } = await this.request(number, users, teams)
      const missing = absent(
        users,
        (data.requested_reviewers ?? []).map(user => user.login)
      )
      const missingTeams = absent(
        teams,
        (data.requested_teams ?? []).map(team => team.slug)
      )
      return warnIf(
        [...missing, ...missingTeams],
        `Review not requested on #${number} from ${reviewerNames(missing, missingTeams)}: GitHub dropped them.`
      )
    } catch (error) {
      if (users.length + teams.length === 1 || answerOf(error)?.status !== 422) {
        return {
          warnings: [
            `Review not requested on #${number} from ${reviewerNames(users, teams)}: ${describeFailure(error)}.`
          ]
        }
      }
    }
    return this.requestOneByOne(number, users, teams)
  }

  async addAssignees(number: number, users: readonly string[]): Promise<Warnings> {
    if (users.length === 0) return NONE
    try {
      const { data } = await this.octokit.rest.issues.addAssignees({
        ...this.id,
        issue_number: number,
        assignees: [...users]
      })
      const missing = absent(
        users,
        (data.assignees ?? []).map(user => user.login)
      )
      return warnIf(
        missing,
        `${names(missing, 'Assignee')} not assigned to #${number}: GitHub ignores users who cannot be assigned in ${fullName(this.id)}.`
      )
    } catch (error) {
      return {
        warnings: [
          `${names(users, 'Assignee')} not assigned to #${number}: ${describeFailure(error)}.`
        ]
      }
    }
  }

  async enableAutoMerge(pr: PullRequest, method: MergeMethod): Promise<Warnings> {
    try {
      await this.octokit.graphql(AUTO_MERGE, {
        pullRequestId: pr.nodeId,
        mergeMethod: method.toUpperCase()
      })
      this.log.debug(`Auto-merge (${method}) enabled on #${pr.number}`)
      return NONE
    } catch (error) {
      return { warnings: [`auto-merge not enabled on #${pr.number}: ${describeFailure(error)}.`] }
    }
  }

  private request(number: number, users: readonly string[], teams: readonly string[]) {
    return this.octokit.rest.pulls.requestReviewers({
      ...this.id,
      pull_number: number,
      reviewers: [...users],
      team_reviewers: [...teams]
    })
  }

  private async requestOneByOne(
    number: number,
    users: readonly string[],
    teams: readonly string[]
  ): Promise<Warnings> {
    const asks = [
      ...users.map(user => ({ users: [user], teams: [] })),
      ...teams.map(team => ({ users: [], teams: [team] }))
    ]
    const warnings: string[] = []
    for (const ask of asks) {
      try {
        await this.request(number, ask.users, ask.teams)
      } catch (error) {
        warnings.push(
          `Review not requested on #${number} from ${reviewerNames(ask.users, ask.teams)}: ${describeFailure(error)}.`
        )
      }
    }
    return { warnings }
  }

  private context(action: string, branch?: string) {
    return { action, repo: fullName(this.id), ...(branch === undefined ? {} : { branch }) }
  }
}

/** GitHub: 422 "Validation Failed" with errors[].message "A pull request already exists for …". */
function alreadyExists(error: unknown): boolean {
  const answer = answerOf(error)
  return (
    answer !== undefined &&
    /pull request already exists/i.test([answer.message, ...answer.details].join('\n'))
  )
}

function toPullRequest(data: PullData): PullRequest {
  return {
    number: data.number,
    url: data.html_url,
    nodeId: data.node_id,
    state: data.state === 'closed' ? 'closed' : 'open',
    merged: data.merged === true || data.merged_at !== null,
    headRef: data.head.ref,
    headSha: data.head.sha,
    baseRef: data.base.ref,
    title: data.title,
    body: data.body ?? ''
  }
}

function absent(wanted: readonly string[], present: readonly string[]): string[] {
  const lower = new Set(present.map(name => name.toLowerCase()))
  return wanted.filter(name => !lower.has(name.toLowerCase()))
}

function warnIf(missing: readonly string[], warning: string): Warnings {
  return missing.length > 0 ? { warnings: [warning] } : NONE
}

function names(values: readonly string[], noun?: string): string {
  const list = values.map(quote).join(', ')
  if (noun === undefined) return list
  return `${noun}${values.length === 1 ? '' : 's'} ${list}`
}

function reviewerNames(users: readonly string[], teams: readonly string[]): string {
  return [...users.map(quote), ...teams.map(team => `team ${quote(team)}`)].join(', ')
}
