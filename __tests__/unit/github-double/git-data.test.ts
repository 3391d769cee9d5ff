/**
 * Git data API, refs, branches, commits and compare of the double: tree edits with
 * base_tree, deletes and nested paths; fast-forward rules; ancestry-based compare.
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

async function treePaths(double: GitHubDouble, treeSha: string) {
  const answer = await call(client(double), 'GET /repos/{owner}/{repo}/git/trees/{tree_sha}', {
    ...OWNER_REPO,
    tree_sha: treeSha,
    recursive: '1'
  })
  return answer.data.tree.map((e: { type: string; path: string }) => `${e.type} ${e.path}`)
}

/** Build tree → commit on `main`'s head through the API; returns the commit SHA. */
async function apiCommit(
  double: GitHubDouble,
  tree: object[],
  parent = double.state.branchHead(REPO, 'main')
) {
  const octokit = client(double)
  const base = double.state.log(REPO, parent as string, 1)[0].tree
  const created = await call(octokit, 'POST /repos/{owner}/{repo}/git/trees', {
    ...OWNER_REPO,
    base_tree: base,
    tree
  })
  const commit = await call(octokit, 'POST /repos/{owner}/{repo}/git/commits', {
    ...OWNER_REPO,
    message: 'api commit',
    tree: created.data.sha,
    parents: [parent]
  })
  return commit.data.sha as string
}

const updateRef = (double: GitHubDouble, sha: string, force?: boolean) =>
  call(client(double), 'PATCH /repos/{owner}/{repo}/git/refs/{ref}', {
    ...OWNER_REPO,
    ref: 'heads/main',
    sha,
    ...(force === undefined ? {} : { force })
  })

const cases: Case[] = [
  {
    name: 'POST /git/trees with base_tree: content, nested new paths and sha: null deletes (empty dirs pruned)',
    run: async double => {
      const octokit = client(double)
      const base = double.state.log(REPO, 'main')[0].tree
      const blob = await call(octokit, 'POST /repos/{owner}/{repo}/git/blobs', {
        ...OWNER_REPO,
        content: Buffer.from('from blob\n').toString('base64'),
        encoding: 'base64'
      })
      const created = await call(octokit, 'POST /repos/{owner}/{repo}/git/trees', {
        ...OWNER_REPO,
        base_tree: base,
        tree: [
          {
            path: 'apps/api/kustomization.yaml',
            mode: '100644',
            type: 'blob',
            content: 'edited\n'
          },
          { path: 'apps/web/deep/new.yaml', mode: '100644', type: 'blob', sha: blob.data.sha },
          { path: 'old/only.yaml', mode: '100644', type: 'blob', sha: null }
        ]
      })
      return { status: created.status, paths: await treePaths(double, created.data.sha) }
    },
    expected: {
      status: 201,
      paths: [
        'blob README.md',
        'tree apps',
        'tree apps/api',
        'blob apps/api/kustomization.yaml',
        'tree apps/web',
        'tree apps/web/deep',
        'blob apps/web/deep/new.yaml'
      ]
    }
  },
  {
    name: 'GET /git/trees is flat without recursive and accepts a branch name',
    run: async double => {
      const answer = await call(client(double), 'GET /repos/{owner}/{repo}/git/trees/{tree_sha}', {
        ...OWNER_REPO,
        tree_sha: 'main'
      })
      return answer.data.tree.map(
        (e: { mode: string; type: string; path: string; size?: number }) => [
          e.mode,
          e.type,
          e.path,
          e.size
        ]
      )
    },
    expected: [
      ['100644', 'blob', 'README.md', 9],
      ['040000', 'tree', 'apps', undefined],
      ['040000', 'tree', 'old', undefined]
    ]
  },
  {
    name: 'bad tree entries are refused with 422',
    run: async double => {
      const octokit = client(double)
      const post = (entry: object) =>
        call(octokit, 'POST /repos/{owner}/{repo}/git/trees', { ...OWNER_REPO, tree: [entry] })
      return [
        refusal(await post({ path: '../escape', mode: '100644', type: 'blob', content: 'x' })),
        refusal(await post({ path: 'a', mode: '100644', type: 'blob', sha: 'f'.repeat(40) })),
        refusal(await post({ path: 'a', mode: '100600', type: 'blob', content: 'x' }))
      ]
    },
    expected: [
      { status: 422, message: 'tree.path contains a malformed path component' },
      { status: 422, message: `tree.sha ${'f'.repeat(40)} is not a valid blob` },
      { status: 422, message: 'tree.mode "100600" is not a valid mode' }
    ]
  },
  {
    name: 'PATCH ref fast-forwards; a non-fast-forward is 422 unless force',
    run: async double => {
      const start = double.state.branchHead(REPO, 'main') as string
      const next = await apiCommit(double, [
        { path: 'a.txt', mode: '100644', type: 'blob', content: 'a\n' }
      ])
      const ff = await updateRef(double, next)
      const sibling = await apiCommit(
        double,
        [{ path: 'b.txt', mode: '100644', type: 'blob', content: 'b\n' }],
        start
      )
      const refused = await updateRef(double, sibling)
      const forced = await updateRef(double, sibling, true)
      return {
        ff: { status: ff.status, sha: ff.data.object.sha === next },
        refused: refusal(refused),
        forced: { status: forced.status, head: double.state.branchHead(REPO, 'main') === sibling }
      }
    },
    expected: {
      ff: { status: 200, sha: true },
      refused: { status: 422, message: 'Update is not a fast forward' },
      forced: { status: 200, head: true }
    }
  },
  {
    name: 'PATCH ref of a protected branch is 422 with the protected-branch text',
    run: async double => {
      double.state.setBranchProtection(REPO, 'main', {
        requiredStatusChecks: ['ci'],
        requirePullRequest: true
      })
      const next = await apiCommit(double, [
        { path: 'a.txt', mode: '100644', type: 'blob', content: 'a\n' }
      ])
      return refusal(await updateRef(double, next))
    },
    expected: {
      status: 422,
      message:
        'Required status check "ci" is expected. Changes must be made through a pull request.'
    }
  },
  {
    name: 'POST /git/refs creates a branch once; again is 422 "Reference already exists"',
    run: async double => {
      const octokit = client(double)
      const sha = double.state.branchHead(REPO, 'main')
      const body = { ...OWNER_REPO, ref: 'refs/heads/gitops/api', sha }
      const first = await call(octokit, 'POST /repos/{owner}/{repo}/git/refs', body)
      const second = await call(octokit, 'POST /repos/{owner}/{repo}/git/refs', body)
      return { first: [first.status, first.data.ref], second: refusal(second) }
    },
    expected: {
      first: [201, 'refs/heads/gitops/api'],
      second: { status: 422, message: 'Reference already exists' }
    }
  },
  {
    name: 'GET /git/ref, matching-refs and DELETE work on branch names with slashes',
    run: async double => {
      const octokit = client(double)
      double.state.createBranch(REPO, 'gitops/api')
      double.state.createBranch(REPO, 'gitops/web')
      double.state.createBranch(REPO, 'other')
      const one = await call(octokit, 'GET /repos/{owner}/{repo}/git/ref/{ref}', {
        ...OWNER_REPO,
        ref: 'heads/gitops/api'
      })
      const matching = await call(octokit, 'GET /repos/{owner}/{repo}/git/matching-refs/{ref}', {
        ...OWNER_REPO,
        ref: 'heads/gitops/'
      })
      const deleted = await call(octokit, 'DELETE /repos/{owner}/{repo}/git/refs/{ref}', {
        ...OWNER_REPO,
        ref: 'heads/gitops/web'
      })
      const gone = await call(octokit, 'GET /repos/{owner}/{repo}/git/ref/{ref}', {
        ...OWNER_REPO,
        ref: 'heads/gitops/web'
      })
      const again = await call(octokit, 'DELETE /repos/{owner}/{repo}/git/refs/{ref}', {
        ...OWNER_REPO,
        ref: 'heads/gitops/web'
      })
      return {
        one: one.data.ref,
        matching: matching.data.map((r: { ref: string }) => r.ref),
        deleted: deleted.status,
        gone: refusal(gone),
        again: refusal(again)
      }
    },
    expected: {
      one: 'refs/heads/gitops/api',
      matching: ['refs/heads/gitops/api', 'refs/heads/gitops/web'],
      deleted: 204,
      gone: { status: 404, message: 'Not Found' },
      again: { status: 422, message: 'Reference does not exist' }
    }
  },
  {
    name: 'compare computes ahead/behind/identical/diverged from real ancestry, with short SHAs',
    run: async double => {
      const octokit = client(double)
      const root = double.state.branchHead(REPO, 'main') as string
      const a1 = double.state.commitFiles(REPO, 'main', { 'a.txt': '1\n' })
      const a2 = double.state.commitFiles(REPO, 'main', { 'a.txt': '2\n' })
      double.state.createBranch(REPO, 'side', root)
      const s1 = double.state.commitFiles(REPO, 'side', { 's.txt': '1\n' })
      const compare = async (base: string, head: string) => {
        const answer = await call(octokit, 'GET /repos/{owner}/{repo}/compare/{basehead}', {
          ...OWNER_REPO,
          basehead: `${base}...${head}`
        })
        return answer.status === 200
          ? [
              answer.data.status,
              answer.data.ahead_by,
              answer.data.behind_by,
              answer.data.total_commits
            ]
          : refusal(answer)
      }
      return {
        ahead: await compare(root.slice(0, 7), a2.slice(0, 12)),
        behind: await compare(a2, a1),
        identical: await compare('main', a2),
        diverged: await compare('main', 'side'),
        diverged2: await compare(s1, a1),
        missing: await compare('main', 'nope')
      }
    },
    expected: {
      ahead: ['ahead', 2, 0, 2],
      behind: ['behind', 0, 1, 0],
      identical: ['identical', 0, 0, 0],
      diverged: ['diverged', 1, 2, 1],
      diverged2: ['diverged', 1, 1, 1],
      missing: { status: 404, message: 'Not Found' }
    }
  },
  {
    name: 'GET /commits/{ref} and /branches/{branch} resolve names with slashes; a bad ref is 422',
    run: async double => {
      const octokit = client(double)
      const sha = double.state.commitFiles(
        REPO,
        'release/v1',
        { 'v.txt': 'v1\n' },
        'release commit'
      )
      const commit = await call(octokit, 'GET /repos/{owner}/{repo}/commits/{ref}', {
        ...OWNER_REPO,
        ref: 'release/v1'
      })
      const branch = await call(octokit, 'GET /repos/{owner}/{repo}/branches/{branch}', {
        ...OWNER_REPO,
        branch: 'release/v1'
      })
      const bad = await call(octokit, 'GET /repos/{owner}/{repo}/commits/{ref}', {
        ...OWNER_REPO,
        ref: 'nope'
      })
      return {
        commit: [
          commit.data.sha === sha,
          commit.data.commit.message,
          commit.data.files.map(
            (f: { filename: string; status: string }) => `${f.status} ${f.filename}`
          )
        ],
        branch: [branch.data.name, branch.data.commit.sha === sha, branch.data.protected],
        bad: refusal(bad)
      }
    },
    expected: {
      commit: [true, 'release commit', ['added v.txt']],
      branch: ['release/v1', true, false],
      bad: { status: 422, message: 'No commit found for SHA: nope' }
    }
  },
  {
    name: 'POST /git/commits refuses a missing tree or parent with 422',
    run: async double => {
      const octokit = client(double)
      const tree = double.state.log(REPO, 'main')[0].tree
      const missingTree = await call(octokit, 'POST /repos/{owner}/{repo}/git/commits', {
        ...OWNER_REPO,
        message: 'm',
        tree: 'f'.repeat(40)
      })
      const missingParent = await call(octokit, 'POST /repos/{owner}/{repo}/git/commits', {
        ...OWNER_REPO,
        message: 'm',
        tree,
        parents: ['e'.repeat(40)]
      })
      return [refusal(missingTree), refusal(missingParent)]
    },
    expected: [
      { status: 422, message: 'Tree SHA does not exist' },
      { status: 422, message: 'Parent SHA does not exist or is not a commit object' }
    ]
  },
  {
    name: 'list commits: newest first, filtered by the path they changed, paged',
    run: async double => {
      double.state.commitFiles(REPO, 'main', { 'README.md': '# deploy 2\n' }, 'readme')
      double.state.commitFiles(REPO, 'main', { 'apps/api/kustomization.yaml': 'a: 1\n' }, 'api 1')
      double.state.commitFiles(REPO, 'main', { 'apps/api/kustomization.yaml': 'a: 2\n' }, 'api 2')
      const list = async (query: Record<string, unknown>) =>
        (
          await call(client(double), 'GET /repos/{owner}/{repo}/commits', {
            ...OWNER_REPO,
            ...query
          })
        ).data.map((c: { commit: { message: string } }) => c.commit.message)
      return {
        all: await list({ sha: 'main' }),
        file: await list({ sha: 'main', path: 'apps/api/kustomization.yaml' }),
        directory: await list({ path: 'apps' }),
        newest: await list({ sha: 'main', path: 'apps/api/kustomization.yaml', per_page: 1 }),
        secondPage: await list({ path: 'apps/api/kustomization.yaml', per_page: 1, page: 2 }),
        missing: await list({ sha: 'main', path: 'nowhere.yaml' })
      }
    },
    expected: {
      all: ['api 2', 'api 1', 'readme', 'Initial commit'],
      file: ['api 2', 'api 1', 'Initial commit'],
      directory: ['api 2', 'api 1', 'Initial commit'],
      newest: ['api 2'],
      secondPage: ['api 1'],
      missing: []
    }
  }
]

describe('GitHub double: git data, refs and compare', () => {
  let double: GitHubDouble
  beforeEach(async () => {
    double = await startGitHubDouble()
    double.state.createRepo(REPO, {
      files: {
        'README.md': '# deploy\n',
        'apps/api/kustomization.yaml': 'images: []\n',
        'old/only.yaml': 'x: 1\n'
      }
    })
  })
  afterEach(async () => {
    await double.close()
  })

  it.each(cases)('$name', async ({ run, expected }) => {
    expect(await run(double)).toEqual(expected)
  })
})
