/**
 * Pull requests on the double: duplicate and empty PRs, the Actions setting, the head
 * filter, labels, review requests, assignees, auto-merge over GraphQL, and merging.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { startGitHubDouble, type GitHubDouble } from '../../support/github-double.mjs'
import { OWNER_REPO, call, client, refusal } from './call.js'

interface Case {
  name: string
  run: (double: GitHubDouble) => Promise<unknown>
  expected: unknown
}

const REPO = 'acme/deploy'

const open = (
  double: GitHubDouble,
  head: string,
  extra: Record<string, unknown> = {},
  token?: string
) =>
  call(client(double, token), 'POST /repos/{owner}/{repo}/pulls', {
    ...OWNER_REPO,
    title: `Deploy ${head}`,
    head,
    base: 'main',
    ...extra
  })

const AUTO_MERGE = `mutation($pullRequestId: ID!, $mergeMethod: PullRequestMergeMethod) {
  enablePullRequestAutoMerge(input: { pullRequestId: $pullRequestId, mergeMethod: $mergeMethod }) {
    pullRequest { id autoMergeRequest { mergeMethod } }
  }
}`

const enableAutoMerge = (double: GitHubDouble, nodeId: string) =>
  call(client(double), 'POST /graphql', {
    query: AUTO_MERGE,
    variables: { pullRequestId: nodeId, mergeMethod: 'SQUASH' }
  })

const cases: Case[] = [
  {
    name: 'POST /pulls opens a PR; a second for the same head and base is 422 "A pull request already exists"',
    run: async double => {
      const first = await open(double, 'gitops/api', { body: 'table', draft: true })
      const second = await open(double, 'acme:gitops/api')
      const d = first.data
      return {
        first: [
          first.status,
          d.number,
          d.state,
          d.draft,
          d.merged,
          d.head.ref,
          d.head.sha === double.state.branchHead(REPO, 'gitops/api'),
          d.base.ref,
          d.html_url,
          d.commits,
          d.changed_files,
          d.additions,
          d.deletions
        ],
        second: { ...refusal(second), errors: second.data.errors }
      }
    },
    expected: {
      first: [
        201,
        1,
        'open',
        true,
        false,
        'gitops/api',
        true,
        'main',
        'https://github.com/acme/deploy/pull/1',
        1,
        1,
        1,
        1
      ],
      second: {
        status: 422,
        message: 'Validation Failed',
        errors: [
          {
            resource: 'PullRequest',
            code: 'custom',
            message: 'A pull request already exists for acme:gitops/api.'
          }
        ]
      }
    }
  },
  {
    name: 'a head with nothing new is 422 "No commits between main and …"',
    run: async double => {
      double.state.createBranch(REPO, 'empty')
      const answer = await open(double, 'empty')
      return { ...refusal(answer), errors: answer.data.errors }
    },
    expected: {
      status: 422,
      message: 'Validation Failed',
      errors: [
        { resource: 'PullRequest', code: 'custom', message: 'No commits between main and empty' }
      ]
    }
  },
  {
    name: 'with Actions not allowed to create PRs, an installation token gets 403 and a personal token does not',
    run: async double => {
      double.state.allowActionsPRs(REPO, false)
      const actions = await open(double, 'gitops/api', {}, 'ghs_installation')
      const personal = await open(double, 'gitops/api', {}, 'ghp_personal')
      return { actions: refusal(actions), personal: [personal.status, personal.data.user.login] }
    },
    expected: {
      actions: {
        status: 403,
        message: 'GitHub Actions is not permitted to create or approve pull requests.'
      },
      personal: [201, 'octocat']
    }
  },
  {
    name: 'GET /pulls filters head only in owner:branch form (a bare branch is ignored, as on GitHub)',
    run: async double => {
      double.state.commitFiles(REPO, 'gitops/web', { 'web.txt': 'w\n' })
      await open(double, 'gitops/api')
      await open(double, 'gitops/web')
      const list = async (query: Record<string, string>) => {
        const answer = await call(client(double), 'GET /repos/{owner}/{repo}/pulls', {
          ...OWNER_REPO,
          ...query
        })
        return answer.data.map((p: { number: number }) => p.number)
      }
      return {
        ownerBranch: await list({ head: 'acme:gitops/api', base: 'main' }),
        bareBranch: await list({ head: 'gitops/api' }),
        otherOwner: await list({ head: 'someone:gitops/api' }),
        closed: await list({ state: 'closed' })
      }
    },
    expected: { ownerBranch: [1], bareBranch: [2, 1], otherOwner: [], closed: [] }
  },
  {
    name: 'PATCH /pulls updates title and body and closes',
    run: async double => {
      await open(double, 'gitops/api')
      const answer = await call(client(double), 'PATCH /repos/{owner}/{repo}/pulls/{pull_number}', {
        ...OWNER_REPO,
        pull_number: 1,
        title: 'New',
        body: 'B',
        state: 'closed'
      })
      return [
        answer.status,
        answer.data.title,
        answer.data.body,
        answer.data.state,
        double.state.pulls(REPO)[0].closedAt !== null
      ]
    },
    expected: [200, 'New', 'B', 'closed', true]
  },
  {
    name: 'labels: unknown labels are created; labels accumulate without duplicates',
    run: async double => {
      await open(double, 'gitops/api')
      const octokit = client(double)
      await call(octokit, 'POST /repos/{owner}/{repo}/issues/{issue_number}/labels', {
        ...OWNER_REPO,
        issue_number: 1,
        labels: ['deploy', 'env:dev']
      })
      const answer = await call(
        octokit,
        'POST /repos/{owner}/{repo}/issues/{issue_number}/labels',
        { ...OWNER_REPO, issue_number: 1, labels: ['Deploy', 'auto'] }
      )
      return [
        answer.status,
        answer.data.map((l: { name: string; color: string }) => `${l.name}/${l.color}`),
        double.state.pulls(REPO)[0].labels
      ]
    },
    expected: [
      200,
      ['deploy/ededed', 'env:dev/ededed', 'auto/ededed'],
      ['deploy', 'env:dev', 'auto']
    ]
  },
  {
    name: 'review requests: non-collaborators and unknown teams are 422; the author is refused',
    run: async double => {
      double.state.setCollaborators(REPO, ['alice'])
      double.state.setTeams(REPO, ['platform'])
      await open(double, 'gitops/api')
      const octokit = client(double)
      const request = (body: object) =>
        call(octokit, 'POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers', {
          ...OWNER_REPO,
          pull_number: 1,
          ...body
        })
      const ok = await request({ reviewers: ['alice'], team_reviewers: ['platform'] })
      return {
        ok: [
          ok.status,
          ok.data.requested_reviewers.map((u: { login: string }) => u.login),
          ok.data.requested_teams.map((t: { slug: string }) => t.slug)
        ],
        stranger: refusal(await request({ reviewers: ['mallory'] })),
        team: refusal(await request({ team_reviewers: ['nobody'] })),
        author: refusal(await request({ reviewers: ['github-actions[bot]'] }))
      }
    },
    expected: {
      ok: [201, ['alice'], ['platform']],
      stranger: {
        status: 422,
        message:
          'Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the acme/deploy repository.'
      },
      team: {
        status: 422,
        message:
          'Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the acme/deploy repository.'
      },
      author: { status: 422, message: 'Review cannot be requested from pull request author.' }
    }
  },
  {
    name: 'assignees who cannot be assigned are dropped silently (201)',
    run: async double => {
      double.state.setCollaborators(REPO, ['alice'])
      await open(double, 'gitops/api')
      const answer = await call(
        client(double),
        'POST /repos/{owner}/{repo}/issues/{issue_number}/assignees',
        { ...OWNER_REPO, issue_number: 1, assignees: ['alice', 'mallory'] }
      )
      return [
        answer.status,
        answer.data.assignees.map((u: { login: string }) => u.login),
        answer.data.pull_request.url.endsWith('/pulls/1')
      ]
    },
    expected: [201, ['alice'], true]
  },
  {
    name: 'GraphQL enablePullRequestAutoMerge: refused where the repository does not allow it, else enabled',
    run: async double => {
      const pr = await open(double, 'gitops/api')
      const refused = await enableAutoMerge(double, pr.data.node_id)
      double.state.allowAutoMerge(REPO, true)
      const enabled = await enableAutoMerge(double, pr.data.node_id)
      const unknown = await enableAutoMerge(double, 'PR_nope')
      const after = await call(client(double), 'GET /repos/{owner}/{repo}/pulls/{pull_number}', {
        ...OWNER_REPO,
        pull_number: 1
      })
      return {
        refused: [
          refused.status,
          refused.data.errors.map(
            (e: { type: string; message: string }) => `${e.type}: ${e.message}`
          )
        ],
        enabled: [
          enabled.status,
          enabled.data.errors,
          enabled.data.data.enablePullRequestAutoMerge.pullRequest.autoMergeRequest
        ],
        unknown: unknown.data.errors.map((e: { type: string }) => e.type),
        rest: after.data.auto_merge.merge_method
      }
    },
    expected: {
      refused: [200, ['UNPROCESSABLE: Pull request Auto merge is not allowed for this repository']],
      enabled: [
        200,
        undefined,
        {
          enabledAt: expect.any(String),
          mergeMethod: 'squash',
          enabledBy: { login: 'github-actions[bot]' }
        }
      ],
      unknown: ['NOT_FOUND'],
      rest: 'squash'
    }
  },
  {
    name: 'PUT /pulls/{n}/merge (squash) lands one signed commit with the head tree on main and closes the PR',
    run: async double => {
      await open(double, 'gitops/api')
      const headTree = double.state.log(REPO, 'gitops/api')[0].tree
      const mainBefore = double.state.branchHead(REPO, 'main')
      const merged = await call(
        client(double),
        'PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge',
        { ...OWNER_REPO, pull_number: 1, merge_method: 'squash' }
      )
      const head = double.state.log(REPO, 'main')[0]
      const pull = double.state.pulls(REPO)[0]
      return {
        answer: [merged.status, merged.data.merged, merged.data.sha === head.sha],
        commit: [
          head.tree === headTree,
          head.parents[0] === mainBefore,
          head.parents.length,
          head.verified,
          head.message
        ],
        pull: [pull.state, pull.merged, pull.mergeCommitSha === head.sha],
        again: refusal(
          await call(client(double), 'PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge', {
            ...OWNER_REPO,
            pull_number: 1
          })
        )
      }
    },
    expected: {
      answer: [200, true, true],
      commit: [true, true, 1, true, 'Deploy gitops/api (#1)'],
      pull: ['closed', true, true],
      again: { status: 405, message: 'Pull Request is not mergeable' }
    }
  }
]

describe('GitHub double: pull requests', () => {
  let double: GitHubDouble
  beforeEach(async () => {
    double = await startGitHubDouble()
    double.state.createRepo(REPO, { files: { 'apps/api/kustomization.yaml': 'newTag: "1"\n' } })
    double.state.commitFiles(
      REPO,
      'gitops/api',
      { 'apps/api/kustomization.yaml': 'newTag: "2"\n' },
      'bump'
    )
  })
  afterEach(async () => {
    await double.close()
  })

  it.each(cases)('$name', async ({ run, expected }) => {
    expect(await run(double)).toEqual(expected)
  })
})
