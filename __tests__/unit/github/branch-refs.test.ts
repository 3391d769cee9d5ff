/**
 * GitHubBranchRefs against the GitHub API double: the action's own PR branch is created or
 * force-moved (never a protected name), commits are made without moving refs, and the
 * compare API answers `only-newer: git`.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { GitHubBranchRefs, compareCommits } from '../../../src/github/branch-refs.js'
import { createGitHubAdapters } from '../../../src/github/adapters.js'
import type { HandoffError } from '../../../src/errors.js'
import { FULL_NAME, REPO, failure, requests, startHarness, type Harness } from './harness.js'

const PR_BRANCH = 'gitops-handoff/api-main'

let h: Harness
let refs: GitHubBranchRefs

beforeEach(async () => {
  h = await startHarness()
  h.double.state.createRepo(FULL_NAME, {
    files: { 'a.yaml': 'tag: 1\n', 'run.sh': 'echo 1\n' },
    executables: ['run.sh']
  })
  refs = new GitHubBranchRefs(h.octokit, REPO, h.log, { neverReset: ['main'] })
})

afterEach(async () => {
  await h.close()
})

describe('resetBranch', () => {
  it.each([
    {
      name: 'creates a missing branch',
      existing: false,
      requests: ['POST /repos/{owner}/{repo}/git/refs']
    },
    {
      name: 'force-moves an existing branch, even backwards',
      existing: true,
      requests: [
        'POST /repos/{owner}/{repo}/git/refs',
        'PATCH /repos/{owner}/{repo}/git/refs/{ref}'
      ]
    }
  ])('$name', async ({ existing, requests: expected }) => {
    const main = h.double.state.branchHead(FULL_NAME, 'main') as string
    if (existing) {
      h.double.state.createBranch(FULL_NAME, PR_BRANCH, 'main')
      h.double.state.commitFiles(FULL_NAME, PR_BRANCH, { 'a.yaml': 'tag: old\n' })
    }
    h.double.log.clear()
    await refs.resetBranch(PR_BRANCH, main)
    expect({
      head: h.double.state.branchHead(FULL_NAME, PR_BRANCH),
      requests: requests(h.double)
    }).toEqual({
      head: main,
      requests: expected
    })
  })

  it('refuses to force-move a protected name, before any request', async () => {
    const error = (await failure(refs.resetBranch('main', 'abc'))) as HandoffError
    expect({
      code: error.code,
      input: error.input,
      message: error.message,
      requests: h.double.log.count()
    }).toEqual({
      code: 'INVALID_INPUT',
      input: 'pr-branch',
      message:
        'The pull request branch "main" is a branch the action must not force-move in acme/deploy.',
      requests: 0
    })
  })
})

describe('createCommit and treeOf', () => {
  it('commits on top of a parent without moving any branch, keeping modes read before', async () => {
    const adapters = createGitHubAdapters(h.octokit, REPO, h.log, { neverReset: ['main'] })
    const shared = adapters.branchRefs
    const snapshot = await adapters.manifestRepo.read(['a.yaml', 'run.sh'], 'main')
    h.double.log.clear()
    const changes = snapshot.files.map(file => ({
      path: file.path,
      content: Buffer.from(file.content.toString().replace('1', '2')),
      previousSha: file.sha
    }))
    const commit = await shared.createCommit(changes, snapshot.head, 'chore(deploy): bump')
    const tree = await shared.treeOf(commit)
    const listing = await h.octokit.rest.git.getTree({ ...REPO, tree_sha: commit })
    const [info] = h.double.state.log(FULL_NAME, commit, 1)
    expect({
      requests: requests(h.double).slice(0, 2),
      mainUnmoved: h.double.state.branchHead(FULL_NAME, 'main') === snapshot.head,
      parents: info.parents,
      tree: info.tree === tree,
      entries: listing.data.tree.map(entry => [entry.path, entry.mode]),
      content: h.double.state.readFile(FULL_NAME, commit, 'run.sh')?.toString()
    }).toEqual({
      requests: ['POST /repos/{owner}/{repo}/git/trees', 'POST /repos/{owner}/{repo}/git/commits'],
      mainUnmoved: true,
      parents: [snapshot.head],
      tree: true,
      entries: [
        ['a.yaml', '100644'],
        ['run.sh', '100755']
      ],
      content: 'echo 2\n'
    })
  })

  it('reads the tree of an unknown commit once', async () => {
    const head = h.double.state.branchHead(FULL_NAME, 'main') as string
    const first = await refs.treeOf(head)
    const second = await refs.treeOf(head)
    expect({ same: first === second, requests: requests(h.double) }).toEqual({
      same: true,
      requests: ['GET /repos/{owner}/{repo}/git/commits/{commit_sha}']
    })
  })
})

describe('compare', () => {
  it.each([
    {
      name: 'head descends from base',
      base: 'first',
      head: 'second',
      expected: { status: 'ahead', aheadBy: 1, behindBy: 0 }
    },
    {
      name: 'head is older',
      base: 'second',
      head: 'first',
      expected: { status: 'behind', aheadBy: 0, behindBy: 1 }
    },
    {
      name: 'the same commit',
      base: 'first',
      head: 'first',
      expected: { status: 'identical', aheadBy: 0, behindBy: 0 }
    },
    {
      name: 'diverged',
      base: 'second',
      head: 'side',
      expected: { status: 'diverged', aheadBy: 1, behindBy: 1 }
    }
  ])('$name', async ({ base, head, expected }) => {
    const source = 'acme/api'
    h.double.state.createRepo(source, { files: { 'main.go': 'package main\n' } })
    const first = h.double.state.branchHead(source, 'main') as string
    const second = h.double.state.commitFiles(source, 'main', { 'main.go': 'package main // 2\n' })
    h.double.state.createBranch(source, 'side', first)
    const side = h.double.state.commitFiles(source, 'side', { 'x.go': 'package main\n' })
    const shas: Record<string, string> = { first, second, side }
    const result = await compareCommits(
      h.octokit,
      { owner: 'acme', repo: 'api' },
      shas[base],
      shas[head].slice(0, 7)
    )
    expect(result).toEqual(expected)
  })

  it('reports an unknown commit as NOT_FOUND', async () => {
    const head = h.double.state.branchHead(FULL_NAME, 'main') as string
    const error = (await failure(refs.compare(head, 'deadbee'))) as HandoffError
    expect({ code: error.code, message: error.message }).toEqual({
      code: 'NOT_FOUND',
      message: `Could not compare commits ${head}...deadbee (acme/deploy): GitHub answered 404 "Not Found".`
    })
  })
})
