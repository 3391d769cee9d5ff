/**
 * GitHubPullRequests against the GitHub API double: open / find / update, an existing PR
 * reused, and best-effort decorations whose refusals become warnings naming who and why.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { GitHubPullRequests } from '../../../src/github/pull-requests.js'
import type { HandoffError } from '../../../src/errors.js'
import type { PullRequest } from '../../../src/ports.js'
import { FULL_NAME, REPO, failure, requests, startHarness, type Harness } from './harness.js'

let h: Harness
let pulls: GitHubPullRequests

const DRAFT = {
  head: 'gitops-handoff/api-main',
  base: 'main',
  title: 'Deploy api:1.1',
  body: 'table',
  draft: false
}

beforeEach(async () => {
  h = await startHarness()
  h.double.state.createRepo(FULL_NAME, { files: { 'values.yaml': 'tag: 1.0\n' } })
  h.double.state.createBranch(FULL_NAME, DRAFT.head, 'main')
  h.double.state.commitFiles(FULL_NAME, DRAFT.head, { 'values.yaml': 'tag: 1.1\n' }, 'bump')
  pulls = new GitHubPullRequests(h.octokit, REPO, h.log)
})

afterEach(async () => {
  await h.close()
})

describe('opening and updating', () => {
  it('creates, finds, updates and reads a PR', async () => {
    const none = await pulls.findOpen(DRAFT.head, 'main')
    const created = await pulls.create({ ...DRAFT, draft: true })
    const found = await pulls.findOpen(DRAFT.head, 'main')
    const updated = await pulls.update(created.number, {
      title: 'Deploy api:1.2',
      body: 'new table'
    })
    const read = await pulls.get(created.number)
    const headSha = h.double.state.branchHead(FULL_NAME, DRAFT.head)
    const expected: PullRequest = {
      number: 1,
      url: 'https://github.com/acme/deploy/pull/1',
      nodeId: created.nodeId,
      state: 'open',
      merged: false,
      headRef: DRAFT.head,
      headSha: headSha as string,
      baseRef: 'main',
      title: DRAFT.title,
      body: DRAFT.body
    }
    const renamed = { ...expected, title: 'Deploy api:1.2', body: 'new table' }
    expect({
      none,
      created,
      found,
      updated,
      read,
      draft: h.double.state.pulls(FULL_NAME)[0].draft
    }).toEqual({
      none: undefined,
      created: expected,
      found: expected,
      updated: renamed,
      read: renamed,
      draft: true
    })
  })

  it('returns the open PR a concurrent run created instead of failing', async () => {
    const first = await pulls.create(DRAFT)
    h.double.log.clear()
    const second = await pulls.create(DRAFT)
    expect({ second, requests: requests(h.double) }).toEqual({
      second: first,
      requests: ['POST /repos/{owner}/{repo}/pulls', 'GET /repos/{owner}/{repo}/pulls']
    })
  })

  it('reports the merge commit of a merged PR', async () => {
    const pr = await pulls.create(DRAFT)
    const merge = await h.octokit.rest.pulls.merge({
      ...REPO,
      pull_number: pr.number,
      merge_method: 'squash'
    })
    const read = await pulls.get(pr.number)
    expect({ merged: read.merged, state: read.state, mergeCommitSha: read.mergeCommitSha }).toEqual(
      {
        merged: true,
        state: 'closed',
        mergeCommitSha: merge.data.sha
      }
    )
  })

  it.each([
    {
      name: 'Actions may not open PRs',
      arrange: (harness: Harness) => harness.double.state.allowActionsPRs(FULL_NAME, false),
      draft: DRAFT,
      code: 'PR_NOT_PERMITTED',
      message:
        'Could not create the pull request (acme/deploy, branch "gitops-handoff/api-main"): GitHub answered 403 "GitHub Actions is not permitted to create or approve pull requests.".'
    },
    {
      name: 'nothing to merge',
      arrange: () => undefined,
      draft: { ...DRAFT, head: 'main', base: 'main' },
      code: 'VALIDATION_FAILED',
      message:
        'Could not create the pull request (acme/deploy, branch "main"): GitHub answered 422 "Validation Failed" ("No commits between main and main").'
    }
  ])('refusal to open: $name', async ({ arrange, draft, code, message }) => {
    arrange(h)
    const error = (await failure(pulls.create(draft))) as HandoffError
    expect({ code: error.code, message: error.message }).toEqual({ code, message })
  })
})

describe('decorations: refusals are warnings', () => {
  it.each([
    {
      name: 'labels, reviewers, teams and assignees all accepted',
      collaborators: null,
      teams: null,
      labels: ['deploy', 'env:dev'],
      users: ['alice'],
      teamSlugs: ['platform'],
      assignees: ['bob'],
      warnings: [],
      pr: {
        labels: ['deploy', 'env:dev'],
        reviewers: ['alice'],
        teamReviewers: ['platform'],
        assignees: ['bob']
      }
    },
    {
      name: 'one reviewer and one team refused: the others are still requested',
      collaborators: ['alice', 'bob'],
      teams: ['platform'],
      labels: [],
      users: ['alice', 'mallory'],
      teamSlugs: ['platform', 'ghosts'],
      assignees: [],
      warnings: [
        'Review not requested on #1 from "mallory": GitHub answered 422 "Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the acme/deploy repository.".',
        'Review not requested on #1 from team "ghosts": GitHub answered 422 "Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the acme/deploy repository.".'
      ],
      pr: { labels: [], reviewers: ['alice'], teamReviewers: ['platform'], assignees: [] }
    },
    {
      name: 'the PR author as reviewer',
      collaborators: null,
      teams: null,
      labels: [],
      users: ['github-actions[bot]'],
      teamSlugs: [],
      assignees: [],
      warnings: [
        'Review not requested on #1 from "github-actions[bot]": GitHub answered 422 "Review cannot be requested from pull request author.".'
      ],
      pr: { labels: [], reviewers: [], teamReviewers: [], assignees: [] }
    },
    {
      name: 'an assignee GitHub silently drops',
      collaborators: ['bob'],
      teams: null,
      labels: [],
      users: [],
      teamSlugs: [],
      assignees: ['bob', 'eve'],
      warnings: [
        'Assignee "eve" not assigned to #1: GitHub ignores users who cannot be assigned in acme/deploy.'
      ],
      pr: { labels: [], reviewers: [], teamReviewers: [], assignees: ['bob'] }
    }
  ])(
    '$name',
    async ({ collaborators, teams, labels, users, teamSlugs, assignees, warnings, pr }) => {
      h.double.state.setCollaborators(FULL_NAME, collaborators)
      h.double.state.setTeams(FULL_NAME, teams)
      const { number } = await pulls.create(DRAFT)
      const results = [
        await pulls.addLabels(number, labels),
        await pulls.requestReviewers(number, users, teamSlugs),
        await pulls.addAssignees(number, assignees)
      ]
      const [snapshot] = h.double.state.pulls(FULL_NAME)
      expect({
        warnings: results.flatMap(result => result.warnings),
        pr: {
          labels: snapshot.labels,
          reviewers: snapshot.reviewers,
          teamReviewers: snapshot.teamReviewers,
          assignees: snapshot.assignees
        }
      }).toEqual({ warnings, pr })
    }
  )

  it('makes no request for empty lists', async () => {
    const { number } = await pulls.create(DRAFT)
    h.double.log.clear()
    const results = [
      await pulls.addLabels(number, []),
      await pulls.requestReviewers(number, [], []),
      await pulls.addAssignees(number, [])
    ]
    expect({ results, requests: h.double.log.count() }).toEqual({
      results: [{ warnings: [] }, { warnings: [] }, { warnings: [] }],
      requests: 0
    })
  })

  it('turns a refused label into a warning', async () => {
    const { number } = await pulls.create(DRAFT)
    h.double.faults.add({
      method: 'POST',
      path: '/repos/{owner}/{repo}/issues/{issue_number}/labels',
      status: 403,
      body: { message: 'Resource not accessible by integration' }
    })
    expect(await pulls.addLabels(number, ['deploy', 'dev'])).toEqual({
      warnings: [
        'Labels "deploy", "dev" not added to #1: GitHub answered 403 "Resource not accessible by integration".'
      ]
    })
  })
})

describe('auto-merge', () => {
  it.each([
    { name: 'allowed', allow: true, method: 'squash' as const, warnings: [], autoMerge: 'squash' },
    {
      name: 'not allowed in the repository',
      allow: false,
      method: 'merge' as const,
      warnings: [
        'auto-merge not enabled on #1: GitHub answered "Pull request Auto merge is not allowed for this repository".'
      ],
      autoMerge: undefined
    }
  ])('$name', async ({ allow, method, warnings, autoMerge }) => {
    h.double.state.allowAutoMerge(FULL_NAME, allow)
    const pr = await pulls.create(DRAFT)
    const result = await pulls.enableAutoMerge(pr, method)
    expect({
      result,
      autoMerge: h.double.state.pulls(FULL_NAME)[0].autoMerge?.mergeMethod
    }).toEqual({
      result: { warnings },
      autoMerge
    })
  })
})
