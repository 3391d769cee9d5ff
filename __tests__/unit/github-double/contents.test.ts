/**
 * Contents API of the double: what GitHub answers for files, directories, symlinks,
 * submodules, files over 1 MiB, `%2F`-encoded paths, and the write preconditions (422 for a
 * missing sha, 409 for a stale one, 409 on a protected branch).
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { startGitHubDouble, INLINE_LIMIT, type GitHubDouble } from '../../support/github-double.mjs'
import { OWNER_REPO, b64, call, client, refusal } from './call.js'

const KUSTOMIZATION = 'images:\n  - name: ghcr.io/acme/api\n    newTag: "1.0.0"\n'
const SUBMODULE = 'b'.repeat(40)
const OLD_SHA = 'ffffffffffffffffffffffffffffffffffffffff'

interface Case {
  name: string
  run: (double: GitHubDouble) => Promise<unknown>
  expected: unknown
}

const get = (
  double: GitHubDouble,
  path: string,
  extra: Record<string, unknown> = {},
  token?: string
) =>
  call(client(double, token), 'GET /repos/{owner}/{repo}/contents/{path}', {
    ...OWNER_REPO,
    path,
    ...extra
  })

const put = (double: GitHubDouble, path: string, body: Record<string, unknown>, token?: string) =>
  call(client(double, token), 'PUT /repos/{owner}/{repo}/contents/{path}', {
    ...OWNER_REPO,
    path,
    message: 'bump',
    ...body
  })

const readCases: Case[] = [
  {
    name: 'file path with / sent as %2F (as Octokit does) and literally gives the same file',
    run: async double => {
      const encoded = await get(double, 'apps/api/kustomization.yaml')
      const literal = await fetch(
        `${double.url}/repos/acme/deploy/contents/apps/api/kustomization.yaml`,
        {
          headers: { authorization: 'Bearer ghs_installation' }
        }
      ).then(r => r.json() as Promise<Record<string, unknown>>)
      return {
        logged: double.log.entries.map(e => e.path),
        encoded: {
          type: encoded.data.type,
          path: encoded.data.path,
          name: encoded.data.name,
          encoding: encoded.data.encoding
        },
        text: Buffer.from(encoded.data.content, 'base64').toString('utf8'),
        literalSameAsEncoded: JSON.stringify(literal) === JSON.stringify(encoded.data)
      }
    },
    expected: {
      logged: [
        '/repos/acme/deploy/contents/apps/api/kustomization.yaml',
        '/repos/acme/deploy/contents/apps/api/kustomization.yaml'
      ],
      encoded: {
        type: 'file',
        path: 'apps/api/kustomization.yaml',
        name: 'kustomization.yaml',
        encoding: 'base64'
      },
      text: KUSTOMIZATION,
      literalSameAsEncoded: true
    }
  },
  {
    name: 'a file of exactly 1 MiB is inline; one byte more comes back empty with encoding "none" unless raw',
    run: async double => {
      const exact = await get(double, 'big/exact.bin')
      const over = await get(double, 'big/over.bin')
      const raw = await get(double, 'big/over.bin', { mediaType: { format: 'raw' } })
      return {
        exact: {
          encoding: exact.data.encoding,
          bytes: Buffer.from(exact.data.content, 'base64').length,
          size: exact.data.size
        },
        over: { encoding: over.data.encoding, content: over.data.content, size: over.data.size },
        raw: { status: raw.status, bytes: Buffer.byteLength(raw.data as string) }
      }
    },
    expected: {
      exact: { encoding: 'base64', bytes: INLINE_LIMIT, size: INLINE_LIMIT },
      over: { encoding: 'none', content: '', size: INLINE_LIMIT + 1 },
      raw: { status: 200, bytes: INLINE_LIMIT + 1 }
    }
  },
  {
    name: 'a directory is an array; a submodule is listed as type "file" (GitHub backwards compatibility)',
    run: async double => {
      const apps = await get(double, 'apps')
      const vendor = await get(double, 'vendor')
      const pick = (items: { type: string; path: string }[]) =>
        items.map(i => `${i.type} ${i.path}`)
      return { apps: pick(apps.data), vendor: pick(vendor.data) }
    },
    expected: { apps: ['dir apps/api', 'symlink apps/link-dir'], vendor: ['file vendor/lib'] }
  },
  {
    name: 'the root (empty path) lists the top level',
    run: async double => {
      const root = await call(client(double), 'GET /repos/{owner}/{repo}/contents/{path}', {
        ...OWNER_REPO,
        path: ''
      })
      return root.data.map((i: { type: string; name: string }) => `${i.type} ${i.name}`)
    },
    expected: [
      'file .gitmodules',
      'dir apps',
      'dir big',
      'symlink current.yaml',
      'symlink dangling.yaml',
      'dir vendor'
    ]
  },
  {
    name: 'a symlink to a regular file is answered with that file (documented GitHub behaviour)',
    run: async double => {
      const answer = await get(double, 'current.yaml')
      return {
        type: answer.data.type,
        path: answer.data.path,
        text: Buffer.from(answer.data.content, 'base64').toString()
      }
    },
    expected: { type: 'file', path: 'apps/api/kustomization.yaml', text: KUSTOMIZATION }
  },
  {
    name: 'a symlink to a directory or to nothing is described as a symlink with its target',
    run: async double => {
      const toDir = await get(double, 'apps/link-dir')
      const dangling = await get(double, 'dangling.yaml')
      return [toDir, dangling].map(a => ({
        type: a.data.type,
        target: a.data.target,
        path: a.data.path
      }))
    },
    expected: [
      { type: 'symlink', target: 'api', path: 'apps/link-dir' },
      { type: 'symlink', target: 'nowhere.yaml', path: 'dangling.yaml' }
    ]
  },
  {
    name: 'a submodule is type "submodule" with the commit SHA and the .gitmodules URL',
    run: async double => {
      const answer = await get(double, 'vendor/lib')
      return { type: answer.data.type, sha: answer.data.sha, url: answer.data.submodule_git_url }
    },
    expected: { type: 'submodule', sha: SUBMODULE, url: 'https://github.com/acme/lib.git' }
  },
  {
    name: "a missing path and a missing ref are 404 with GitHub's messages",
    run: async double => [
      refusal(await get(double, 'apps/nope.yaml')),
      refusal(await get(double, 'apps', { ref: 'nope' }))
    ],
    expected: [
      { status: 404, message: 'Not Found' },
      { status: 404, message: 'No commit found for the ref nope' }
    ]
  },
  {
    name: '?ref= reads an older commit by SHA and a branch by name',
    run: async double => {
      const first = double.state.log('acme/deploy', 'main')[0].sha
      double.state.commitFiles('acme/deploy', 'main', {
        'apps/api/kustomization.yaml': 'changed\n'
      })
      double.state.createBranch('acme/deploy', 'feature/x', first)
      const texts = []
      for (const ref of [first, 'main', 'feature/x']) {
        const answer = await get(double, 'apps/api/kustomization.yaml', { ref })
        texts.push(Buffer.from(answer.data.content, 'base64').toString())
      }
      return texts
    },
    expected: [KUSTOMIZATION, 'changed\n', KUSTOMIZATION]
  }
]

const writeCases: Case[] = [
  {
    name: 'PUT of a new file is 201 and one commit on the branch head',
    run: async double => {
      const before = double.state.branchHead('acme/deploy', 'main')
      const answer = await put(double, 'apps/web/kustomization.yaml', { content: b64('new\n') })
      const after = double.state.log('acme/deploy', 'main')[0]
      return {
        status: answer.status,
        commitIsHead: answer.data.commit.sha === after.sha,
        parents: after.parents.map(p => (p === before ? 'previous head' : p)),
        content: { path: answer.data.content.path, type: answer.data.content.type },
        stored: double.state
          .readFile('acme/deploy', 'main', 'apps/web/kustomization.yaml')
          ?.toString()
      }
    },
    expected: {
      status: 201,
      commitIsHead: true,
      parents: ['previous head'],
      content: { path: 'apps/web/kustomization.yaml', type: 'file' },
      stored: 'new\n'
    }
  },
  {
    name: 'PUT with the current blob sha updates (200) and answers the new blob sha',
    run: async double => {
      const current = await get(double, 'apps/api/kustomization.yaml')
      const answer = await put(double, 'apps/api/kustomization.yaml', {
        content: b64('v2\n'),
        sha: current.data.sha
      })
      const reread = await get(double, 'apps/api/kustomization.yaml')
      return {
        status: answer.status,
        newShaMatches: answer.data.content.sha === reread.data.sha,
        text: Buffer.from(reread.data.content, 'base64').toString()
      }
    },
    expected: { status: 200, newShaMatches: true, text: 'v2\n' }
  },
  {
    name: 'PUT without sha over an existing file is 422 "sha" wasn\'t supplied',
    run: async double =>
      refusal(await put(double, 'apps/api/kustomization.yaml', { content: b64('v2\n') })),
    expected: { status: 422, message: 'Invalid request.\n\n"sha" wasn\'t supplied.' }
  },
  {
    name: 'PUT with a stale sha is 409 "{path} does not match {sha}" and changes nothing',
    run: async double => {
      const head = double.state.branchHead('acme/deploy', 'main')
      const answer = refusal(
        await put(double, 'apps/api/kustomization.yaml', { content: b64('v2\n'), sha: OLD_SHA })
      )
      return { ...answer, headMoved: double.state.branchHead('acme/deploy', 'main') !== head }
    },
    expected: {
      status: 409,
      message: `apps/api/kustomization.yaml does not match ${OLD_SHA}`,
      headMoved: false
    }
  },
  {
    name: 'PUT to a protected branch is 409 with the protected-branch text',
    run: async double => {
      double.state.setBranchProtection('acme/deploy', 'main', true)
      double.state.createBranch('acme/deploy', 'checks')
      double.state.setBranchProtection('acme/deploy', 'checks', {
        requiredStatusChecks: ['ci', 'lint']
      })
      const current = await get(double, 'apps/api/kustomization.yaml')
      const body = { content: b64('v2\n'), sha: current.data.sha }
      const main = await put(double, 'apps/api/kustomization.yaml', body)
      const checks = await put(double, 'apps/api/kustomization.yaml', { ...body, branch: 'checks' })
      return [main, checks].map(a => ({ ...refusal(a), docs: a.data.documentation_url }))
    },
    expected: [
      {
        status: 409,
        message: 'Could not update file: Changes must be made through a pull request.',
        docs: 'https://docs.github.com/articles/about-protected-branches'
      },
      {
        status: 409,
        message: 'Could not update file: 2 of 2 required status checks are expected.',
        docs: 'https://docs.github.com/articles/about-protected-branches'
      }
    ]
  },
  {
    name: 'PUT to a missing branch is 404 and invalid base64 is 422',
    run: async double => [
      refusal(await put(double, 'x.yaml', { content: b64('x'), branch: 'nope' })),
      refusal(await put(double, 'x.yaml', { content: '***not base64***' }))
    ],
    expected: [
      { status: 404, message: 'Branch nope not found' },
      { status: 422, message: 'content is not valid Base64' }
    ]
  },
  {
    name: 'commits are verified only for an installation token (ghs_) naming no author or committer',
    run: async double => {
      const author = { name: 'Release Bot', email: 'bot@example.com' }
      const results = []
      for (const [label, token, extra] of [
        ['ghs_ token, no author', 'ghs_installation', {}],
        ['ghs_ token, explicit author', 'ghs_installation', { author }],
        ['ghs_ token, explicit committer', 'ghs_installation', { committer: author }],
        ['personal token, no author', 'ghp_personal', {}]
      ] as const) {
        const current = await get(double, 'apps/api/kustomization.yaml')
        const answer = await put(
          double,
          'apps/api/kustomization.yaml',
          { content: b64(`${label}\n`), sha: current.data.sha, ...extra },
          token
        )
        const c = answer.data.commit
        results.push({
          label,
          verified: c.verification.verified,
          author: c.author.name,
          committer: c.committer.name
        })
      }
      return {
        results,
        logVerified: double.state.log('acme/deploy', 'main', 4).map(c => c.verified)
      }
    },
    expected: {
      results: [
        {
          label: 'ghs_ token, no author',
          verified: true,
          author: 'github-actions[bot]',
          committer: 'GitHub'
        },
        {
          label: 'ghs_ token, explicit author',
          verified: false,
          author: 'Release Bot',
          committer: 'Release Bot'
        },
        {
          label: 'ghs_ token, explicit committer',
          verified: false,
          author: 'Release Bot',
          committer: 'Release Bot'
        },
        {
          label: 'personal token, no author',
          verified: false,
          author: 'The Octocat',
          committer: 'The Octocat'
        }
      ],
      logVerified: [false, false, false, true]
    }
  }
]

describe('GitHub double: contents API', () => {
  let double: GitHubDouble
  beforeEach(async () => {
    double = await startGitHubDouble()
    double.state.createRepo('acme/deploy', {
      files: {
        'apps/api/kustomization.yaml': KUSTOMIZATION,
        'big/exact.bin': Buffer.alloc(INLINE_LIMIT, 'a'),
        'big/over.bin': Buffer.alloc(INLINE_LIMIT + 1, 'b')
      },
      symlinks: {
        'current.yaml': 'apps/api/kustomization.yaml',
        'apps/link-dir': 'api',
        'dangling.yaml': 'nowhere.yaml'
      },
      submodules: { 'vendor/lib': SUBMODULE }
    })
  })
  afterEach(async () => {
    await double.close()
  })

  it.each(readCases)('read: $name', async ({ run, expected }) => {
    expect(await run(double)).toEqual(expected)
  })

  it.each(writeCases)('write: $name', async ({ run, expected }) => {
    expect(await run(double)).toEqual(expected)
  })
})
