/**
 * The double's object ids are git's: each case computes a SHA through the API and by hand
 * (SHA-1 of `<type> <size>\0<content>`), next to the value `git` itself printed for the
 * same content (`git hash-object`, `git write-tree`, `git commit-tree`).
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { startGitHubDouble, type GitHubDouble } from '../../support/github-double.mjs'
import { OWNER_REPO, b64, call, client } from './call.js'

const FIXED_NOW = new Date('2024-01-02T03:04:05Z')
const EPOCH = '1704164645 +0000'

function byHand(type: string, content: Buffer | string): string {
  const bytes = Buffer.from(content)
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(`${type} ${bytes.length}\0`), bytes]))
    .digest('hex')
}

function treeEntry(mode: string, name: string, sha: string): Buffer {
  return Buffer.concat([Buffer.from(`${mode} ${name}\0`), Buffer.from(sha, 'hex')])
}

interface Case {
  name: string
  run: (double: GitHubDouble) => Promise<Record<string, string>>
  expected: Record<string, string>
}

const HELLO = 'ce013625030ba8dba906f756967f9e9ca394464a'
const X_BLOB = '587be6b4c3f93f93c489c0111bba5596147a26cb'
const LONG_TEXT = 'line of forty-five characters, repeated ....\n'.repeat(5)
const LONG_B64 = b64(LONG_TEXT)

const cases: Case[] = [
  {
    name: 'blob "hello\\n" (utf-8) is git hash-object of it',
    run: async double => {
      const answer = await call(client(double), 'POST /repos/{owner}/{repo}/git/blobs', {
        ...OWNER_REPO,
        content: 'hello\n',
        encoding: 'utf-8'
      })
      return { api: answer.data.sha, byHand: byHand('blob', 'hello\n') }
    },
    expected: { api: HELLO, byHand: HELLO }
  },
  {
    name: 'empty blob (base64) is the well-known empty blob',
    run: async double => {
      const answer = await call(client(double), 'POST /repos/{owner}/{repo}/git/blobs', {
        ...OWNER_REPO,
        content: '',
        encoding: 'base64'
      })
      return { api: answer.data.sha, byHand: byHand('blob', '') }
    },
    expected: {
      api: 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391',
      byHand: 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391'
    }
  },
  {
    name: 'tree order puts "a-b" and "a.b" before directory "a" and keeps mode 100755',
    run: async double => {
      double.state.createRepo('acme/order', {
        files: { 'a-b': 'x\n', 'a.b': 'x\n', 'a/x': 'x\n', 'run.sh': '#!/bin/sh\n' },
        executables: ['run.sh']
      })
      const head = double.state.log('acme/order', 'main')[0]
      const inner = byHand('tree', treeEntry('100644', 'x', X_BLOB))
      const root = byHand(
        'tree',
        Buffer.concat([
          treeEntry('100644', 'a-b', X_BLOB),
          treeEntry('100644', 'a.b', X_BLOB),
          treeEntry('40000', 'a', inner),
          treeEntry('100755', 'run.sh', byHand('blob', '#!/bin/sh\n'))
        ])
      )
      return { state: head.tree, byHand: root }
    },
    expected: {
      state: 'e718550d35914981989b2200ea324fbb89847c22',
      byHand: 'e718550d35914981989b2200ea324fbb89847c22'
    }
  },
  {
    name: 'initial commit with a symlink, a submodule and .gitmodules matches git write-tree and commit-tree',
    run: async double => {
      double.state.createRepo('acme/links', {
        message: 'Initial commit\n',
        files: {
          'hello.txt': 'hello\n',
          'apps/api/kustomization.yaml': 'images:\n- name: x\n  newTag: "1"\n'
        },
        symlinks: { 'link.yaml': 'apps/api/kustomization.yaml' },
        submodules: { 'vendor/lib': 'a'.repeat(40) }
      })
      const branch = await call(client(double), 'GET /repos/{owner}/{repo}/branches/{branch}', {
        owner: 'acme',
        repo: 'links',
        branch: 'main'
      })
      return { commit: branch.data.commit.sha, tree: branch.data.commit.commit.tree.sha }
    },
    expected: {
      commit: '1559c2ead9b7f087dca42a35b7f66ae50e9aa3ed',
      tree: '9a398191aee93beeeb0aa5038fa8a5b90ffa7ec2'
    }
  },
  {
    name: 'POST /git/trees and POST /git/commits with explicit identities hash like git',
    run: async double => {
      const octokit = client(double)
      const tree = await call(octokit, 'POST /repos/{owner}/{repo}/git/trees', {
        ...OWNER_REPO,
        tree: [{ path: 'hello.txt', mode: '100644', type: 'blob', content: 'hello\n' }]
      })
      const who = { name: 'A U Thor', email: 'author@example.com', date: FIXED_NOW.toISOString() }
      const commit = await call(octokit, 'POST /repos/{owner}/{repo}/git/commits', {
        ...OWNER_REPO,
        message: 'add hello\n',
        tree: tree.data.sha,
        parents: [],
        author: who,
        committer: who
      })
      const treeByHand = byHand('tree', treeEntry('100644', 'hello.txt', HELLO))
      const text = `tree ${treeByHand}\nauthor A U Thor <author@example.com> ${EPOCH}\ncommitter A U Thor <author@example.com> ${EPOCH}\n\nadd hello\n`
      return {
        tree: tree.data.sha,
        treeByHand,
        commit: commit.data.sha,
        commitByHand: byHand('commit', text)
      }
    },
    expected: {
      tree: 'aaa96ced2d9a1c8e72c56b253a0e2fe78393feb7',
      treeByHand: 'aaa96ced2d9a1c8e72c56b253a0e2fe78393feb7',
      commit: 'cfa18aec739d1a2b96a1fb6d7c1742079655cde6',
      commitByHand: 'cfa18aec739d1a2b96a1fb6d7c1742079655cde6'
    }
  },
  {
    name: 'contents API returns the blob SHA git would, base64 in 60-character lines',
    run: async double => {
      double.state.commitFiles('acme/deploy', 'main', { 'long.txt': LONG_TEXT })
      const answer = await call(client(double), 'GET /repos/{owner}/{repo}/contents/{path}', {
        ...OWNER_REPO,
        path: 'long.txt'
      })
      return {
        sha: answer.data.sha,
        byHand: byHand('blob', LONG_TEXT),
        content: answer.data.content
      }
    },
    expected: {
      sha: '8507927ea448d2fd7a4c7f900b5c6639a4fc237e',
      byHand: '8507927ea448d2fd7a4c7f900b5c6639a4fc237e',
      // 225 bytes: 300 base64 characters, five full lines of 60.
      content: [0, 60, 120, 180, 240].map(at => `${LONG_B64.slice(at, at + 60)}\n`).join('')
    }
  }
]

describe('GitHub double: git object ids', () => {
  let double: GitHubDouble
  beforeEach(async () => {
    double = await startGitHubDouble({ now: () => FIXED_NOW })
    double.state.createRepo('acme/deploy', { files: { 'README.md': '# deploy\n' } })
  })
  afterEach(async () => {
    await double.close()
  })

  it.each(cases)('$name', async ({ run, expected }) => {
    expect(await run(double)).toEqual(expected)
  })
})
