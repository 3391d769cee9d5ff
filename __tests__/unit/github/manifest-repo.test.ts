/**
 * GitHubManifestRepo against the GitHub API double: request budgets, exact bytes and modes,
 * typed errors for paths that are not files, and the "branch moved" answers.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { GitHubManifestRepo } from '../../../src/github/manifest-repo.js'
import { HandoffError } from '../../../src/errors.js'
import type { FileChange, ReadSnapshot } from '../../../src/ports.js'
import { hashObject, type FileMap } from '../../support/github-double.mjs'
import { FULL_NAME, REPO, failure, requests, startHarness, type Harness } from './harness.js'

const CONTENTS = [
  'GET /repos/{owner}/{repo}/contents/{path}',
  'PUT /repos/{owner}/{repo}/contents/{path}'
]
const REF = 'GET /repos/{owner}/{repo}/git/ref/{ref}'
const TREE = 'GET /repos/{owner}/{repo}/git/trees/{tree_sha}'
const BLOB = 'GET /repos/{owner}/{repo}/git/blobs/{file_sha}'
const GRAPHQL = 'POST /graphql'
/** What an older GitHub Enterprise Server answers a query naming a field its schema lacks. */
const UNKNOWN_FIELD = {
  errors: [
    {
      path: ['query', 'repository', 'ref', 'target', '... on Commit', 'file'],
      extensions: { code: 'undefinedField', typeName: 'Commit', fieldName: 'file' },
      locations: [{ line: 5, column: 5 }],
      message: "Field 'file' doesn't exist on type 'Commit'"
    }
  ]
}
const WRITE = [
  'POST /repos/{owner}/{repo}/git/trees',
  'POST /repos/{owner}/{repo}/git/commits',
  'PATCH /repos/{owner}/{repo}/git/refs/{ref}'
]

const BIG = Buffer.alloc(1_200_000, 'a\n')
const LATIN1 = Buffer.from('tag: caf\xe9\n', 'latin1')

const FILES: FileMap = {
  'apps/api/kustomization.yaml': 'images:\n  - name: ghcr.io/acme/api\n    newTag: "1.0"\n',
  'apps/web/deployment.yaml': 'image: ghcr.io/acme/web:1.0\r\n',
  'apps/worker/values.yaml': '\uFEFFimage:\n  tag: 1.0\n',
  'apps/jobs/values.yaml': 'tag: 1.0',
  'apps/cron/values.yaml': 'tag: 1.0\n',
  'scripts/tag.sh': 'TAG=1.0\n',
  'big/values.yaml': BIG,
  'legacy/tag.txt': LATIN1,
  '.gitmodules':
    '[submodule "vendor/lib"]\n\tpath = vendor/lib\n\turl = https://github.com/acme/lib\n'
}

const FIVE = [
  'apps/api/kustomization.yaml',
  'apps/web/deployment.yaml',
  'apps/worker/values.yaml',
  'apps/jobs/values.yaml',
  'apps/cron/values.yaml'
]

let h: Harness
let repo: GitHubManifestRepo

beforeEach(async () => {
  h = await startHarness()
  h.double.state.createRepo(FULL_NAME, {
    files: FILES,
    executables: ['scripts/tag.sh'],
    symlinks: { 'link.yaml': 'apps/api/kustomization.yaml', 'dangling.yaml': 'nowhere.yaml' },
    submodules: { 'vendor/lib': '0123456789abcdef0123456789abcdef01234567' }
  })
  repo = new GitHubManifestRepo(h.octokit, REPO, h.log)
})

afterEach(async () => {
  await h.close()
})

/** Every file with a line appended, as the planner would hand them over. */
function bump(snapshot: ReadSnapshot): FileChange[] {
  return snapshot.files.map(file => ({
    path: file.path,
    content: Buffer.concat([file.content, Buffer.from('# bumped\n')]),
    previousSha: file.sha
  }))
}

async function write(snapshot: ReadSnapshot, message: string) {
  const changes = bump(snapshot)
  const request = { branch: 'main', expectedHead: snapshot.head, message }
  return changes.length === 1
    ? repo.updateFile(changes[0], request)
    : repo.commitFiles(changes, request)
}

describe('request budget of a read and its write', () => {
  it.each([
    {
      name: 'one file: contents GET + PUT',
      paths: ['apps/api/kustomization.yaml'],
      expected: CONTENTS
    },
    {
      name: 'one file over 1 MB: its blob too',
      paths: ['big/values.yaml'],
      expected: [CONTENTS[0], BLOB, CONTENTS[1]]
    },
    {
      name: 'two files: one GraphQL read + 3 writes',
      paths: ['apps/api/kustomization.yaml', 'apps/web/deployment.yaml'],
      expected: [GRAPHQL, ...WRITE]
    },
    {
      name: 'five files (CRLF, BOM, no final newline): still 4',
      paths: FIVE,
      expected: [GRAPHQL, ...WRITE]
    },
    {
      name: 'texts GraphQL cannot vouch for (latin-1, cut at 512,000 bytes): a blob GET each',
      paths: ['apps/api/kustomization.yaml', 'legacy/tag.txt', 'big/values.yaml'],
      expected: [GRAPHQL, BLOB, BLOB, 'POST /repos/{owner}/{repo}/git/blobs', ...WRITE]
    },
    {
      name: 'GraphQL refuses the query (older GHES schema): REST, N + 5',
      paths: ['apps/api/kustomization.yaml', 'apps/web/deployment.yaml'],
      graphql: { status: 200, body: UNKNOWN_FIELD },
      expected: [GRAPHQL, REF, TREE, BLOB, BLOB, ...WRITE]
    },
    {
      name: 'GraphQL closed to the token (403): REST, N + 5',
      paths: ['apps/api/kustomization.yaml', 'apps/web/deployment.yaml'],
      graphql: { status: 403, body: { message: 'Resource not accessible by integration' } },
      expected: [GRAPHQL, REF, TREE, BLOB, BLOB, ...WRITE]
    },
    {
      name: 'GraphQL failing after its retries (502 × 3): REST, N + 5',
      paths: ['apps/api/kustomization.yaml', 'apps/web/deployment.yaml'],
      graphql: { status: 502, times: 3 },
      expected: [GRAPHQL, GRAPHQL, GRAPHQL, REF, TREE, BLOB, BLOB, ...WRITE]
    }
  ])('$name', async ({ paths, expected, graphql }) => {
    if (graphql) h.double.faults.add({ method: 'POST', path: '/graphql', ...graphql })
    const before = h.double.state.branchHead(FULL_NAME, 'main')
    const snapshot = await repo.read(paths, 'main')
    const result = await write(snapshot, 'chore(deploy): bump')
    const head = h.double.state.branchHead(FULL_NAME, 'main')
    const [commit] = h.double.state.log(FULL_NAME, 'main', 1)
    expect({
      requests: requests(h.double),
      result,
      parents: commit.parents,
      verified: commit.verified,
      landed: paths.map(path =>
        h.double.state.readFile(FULL_NAME, 'main', path)?.toString('latin1').endsWith('# bumped\n')
      )
    }).toEqual({
      requests: expected,
      result: { moved: false, sha: head },
      parents: [before],
      verified: true,
      landed: paths.map(() => true)
    })
  })
})

describe('read', () => {
  it.each([
    { name: 'one file', paths: ['apps/web/deployment.yaml'], head: false, modes: [undefined] },
    { name: 'one file over 1 MB', paths: ['big/values.yaml'], head: false, modes: [undefined] },
    { name: 'one non-UTF-8 file', paths: ['legacy/tag.txt'], head: false, modes: [undefined] },
    {
      name: 'several files keep bytes (CRLF, BOM, no final newline, > 1 MB, latin-1) and modes',
      paths: [
        'apps/web/deployment.yaml',
        'apps/worker/values.yaml',
        'apps/jobs/values.yaml',
        'big/values.yaml',
        'legacy/tag.txt',
        'scripts/tag.sh'
      ],
      head: true,
      modes: ['100644', '100644', '100644', '100644', '100644', '100755']
    },
    {
      name: 'the same path twice is read once',
      paths: ['scripts/tag.sh', 'scripts/tag.sh'],
      head: false,
      modes: [undefined]
    }
  ])('$name', async ({ paths, head, modes }) => {
    const snapshot = await repo.read(paths, 'main')
    const unique = [...new Set(paths)]
    // Bytes are compared through their git hash: Jest's diff of a 1 MB buffer takes seconds.
    expect({
      head: snapshot.head,
      files: snapshot.files.map(file => ({
        path: file.path,
        bytes: hashObject('blob', file.content),
        sha: file.sha,
        mode: file.mode
      }))
    }).toEqual({
      head: head ? h.double.state.branchHead(FULL_NAME, 'main') : '',
      files: unique.map((path, index) => {
        const sha = hashObject('blob', h.double.state.readFile(FULL_NAME, 'main', path) as Buffer)
        return { path, bytes: sha, sha, mode: modes[index] }
      })
    })
  })
})

describe('paths that cannot be read', () => {
  const where = 'on branch "main" of acme/deploy'
  it.each([
    {
      name: 'a directory',
      path: 'apps/api',
      code: 'NOT_A_FILE',
      message: `Path "apps/api" ${where} is a directory, not a file.`
    },
    {
      name: 'a symlink to a file',
      path: 'link.yaml',
      code: 'NOT_A_FILE',
      message: `Path "link.yaml" ${where} is a symbolic link to "apps/api/kustomization.yaml", not a file.`
    },
    {
      name: 'a dangling symlink',
      path: 'dangling.yaml',
      code: 'NOT_A_FILE',
      message: `Path "dangling.yaml" ${where} is a symbolic link to "nowhere.yaml", not a file.`
    },
    {
      name: 'a submodule',
      path: 'vendor/lib',
      code: 'NOT_A_FILE',
      message: `Path "vendor/lib" ${where} is a submodule, not a file.`
    },
    {
      name: 'a missing file',
      path: 'apps/nope.yaml',
      code: 'FILE_NOT_FOUND',
      message: `File "apps/nope.yaml" not found ${where}.`
    },
    {
      name: 'a missing branch',
      path: 'apps/web/deployment.yaml',
      branch: 'nope',
      code: 'NOT_FOUND',
      message: 'Branch "nope" does not exist in acme/deploy.'
    },
    {
      name: 'a missing repository',
      path: 'apps/web/deployment.yaml',
      repository: { owner: 'acme', repo: 'missing' },
      code: 'NOT_FOUND',
      message: 'Could not read the repository (acme/missing): GitHub answered 404 "Not Found".'
    }
  ])('$name, alone and among other files', async ({ path, code, message, branch, repository }) => {
    const target = new GitHubManifestRepo(h.octokit, repository ?? REPO, h.log)
    const alone = (await failure(target.read([path], branch ?? 'main'))) as HandoffError
    const among = (await failure(
      target.read(['apps/jobs/values.yaml', path], branch ?? 'main')
    )) as HandoffError
    expect(
      [alone, among].map(error => ({
        type: error.constructor.name,
        code: error.code,
        message: error.message
      }))
    ).toEqual([
      { type: 'HandoffError', code, message },
      { type: 'HandoffError', code, message }
    ])
  })

  it('names every missing file at once', async () => {
    const error = (await failure(
      repo.read(['a.yaml', 'apps/jobs/values.yaml', 'b.yaml'], 'main')
    )) as HandoffError
    expect({ code: error.code, message: error.message, file: error.file }).toEqual({
      code: 'FILE_NOT_FOUND',
      message: 'Files "a.yaml", "b.yaml" not found on branch "main" of acme/deploy.',
      file: 'a.yaml'
    })
  })
})

describe('writes refused because the branch or file moved', () => {
  it.each<{ name: string; paths: string[]; other: FileMap; expected: unknown }>([
    {
      name: 'one file changed by someone else: stale blob SHA',
      paths: ['apps/api/kustomization.yaml'],
      other: { 'apps/api/kustomization.yaml': 'images: []\n' },
      expected: { moved: true }
    },
    {
      name: 'several files, branch moved on: not a fast forward',
      paths: ['apps/api/kustomization.yaml', 'apps/web/deployment.yaml'],
      other: { 'README.md': 'hello\n' },
      expected: { moved: true }
    }
  ])('$name', async ({ paths, other, expected }) => {
    const snapshot = await repo.read(paths, 'main')
    const theirs = h.double.state.commitFiles(FULL_NAME, 'main', other, 'another pipeline')
    const result = await write(snapshot, 'chore(deploy): bump')
    expect({ result, head: h.double.state.branchHead(FULL_NAME, 'main') }).toEqual({
      result: expected,
      head: theirs
    })
  })

  it('one file: another file changed meanwhile does not stop the contents API', async () => {
    const snapshot = await repo.read(['apps/api/kustomization.yaml'], 'main')
    const theirs = h.double.state.commitFiles(FULL_NAME, 'main', { 'README.md': 'hello\n' })
    const result = await write(snapshot, 'chore(deploy): bump')
    const [commit] = h.double.state.log(FULL_NAME, 'main', 1)
    expect({ moved: result.moved, parents: commit.parents }).toEqual({
      moved: false,
      parents: [theirs]
    })
  })
})

describe('writes GitHub refuses', () => {
  it.each([
    {
      name: 'one file on a protected branch',
      paths: ['apps/api/kustomization.yaml'],
      arrange: (harness: Harness) =>
        harness.double.state.setBranchProtection(FULL_NAME, 'main', true),
      code: 'BRANCH_PROTECTED',
      message:
        'Could not update the file (acme/deploy, branch "main", path "apps/api/kustomization.yaml"): GitHub answered 409 "Could not update file: Changes must be made through a pull request.".'
    },
    {
      name: 'several files on a branch with a required check',
      paths: ['apps/api/kustomization.yaml', 'apps/web/deployment.yaml'],
      arrange: (harness: Harness) =>
        harness.double.state.setBranchProtection(FULL_NAME, 'main', {
          requiredStatusChecks: ['ci']
        }),
      code: 'BRANCH_PROTECTED',
      message:
        'Could not move the branch to the new commit (acme/deploy, branch "main"): GitHub answered 422 "Required status check \\"ci\\" is expected.".'
    },
    {
      name: 'a read-only token',
      paths: ['apps/api/kustomization.yaml'],
      arrange: (harness: Harness) =>
        harness.double.state.setPermission(
          'ghs_TestTokenThatMustNeverBeShown0123456789',
          FULL_NAME,
          'read'
        ),
      code: 'PERMISSION_DENIED',
      message:
        'Could not update the file (acme/deploy, branch "main", path "apps/api/kustomization.yaml"): GitHub answered 403 "Resource not accessible by integration".'
    }
  ])('$name', async ({ paths, arrange, code, message }) => {
    const snapshot = await repo.read(paths, 'main')
    arrange(h)
    const error = (await failure(write(snapshot, 'chore(deploy): bump'))) as HandoffError
    expect({ code: error.code, message: error.message }).toEqual({ code, message })
  })
})

describe('commits of several files', () => {
  it('keep the executable bit and write non-UTF-8 bytes through a blob', async () => {
    const paths = ['scripts/tag.sh', 'legacy/tag.txt']
    const snapshot = await repo.read(paths, 'main')
    h.double.log.clear()
    const result = await write(snapshot, 'chore(deploy): bump')
    const tree = await h.octokit.rest.git.getTree({ ...REPO, tree_sha: 'main', recursive: '1' })
    const modes = Object.fromEntries(
      tree.data.tree.filter(e => paths.includes(e.path ?? '')).map(e => [e.path, e.mode])
    )
    expect({
      moved: result.moved,
      requests: requests(h.double).slice(0, -1),
      modes,
      latin1: h.double.state.readFile(FULL_NAME, 'main', 'legacy/tag.txt')
    }).toEqual({
      moved: false,
      requests: ['POST /repos/{owner}/{repo}/git/blobs', ...WRITE],
      modes: { 'scripts/tag.sh': '100755', 'legacy/tag.txt': '100644' },
      latin1: Buffer.concat([LATIN1, Buffer.from('# bumped\n')])
    })
  })

  it.each([
    {
      name: 'changes carry their modes: the base tree is fetched once',
      withModes: true,
      reads: ['GET /repos/{owner}/{repo}/git/commits/{commit_sha}']
    },
    {
      name: 'changes without modes: the parent tree tells them (executable bits survive)',
      withModes: false,
      reads: [
        'GET /repos/{owner}/{repo}/git/commits/{commit_sha}',
        'GET /repos/{owner}/{repo}/git/trees/{tree_sha}'
      ]
    }
  ])(
    'work from a head read earlier by another adapter instance: $name',
    async ({ withModes, reads }) => {
      const snapshot = await repo.read(['apps/jobs/values.yaml', 'apps/cron/values.yaml'], 'main')
      const fresh = new GitHubManifestRepo(h.octokit, REPO, h.log)
      h.double.log.clear()
      const modes = new Map(snapshot.files.map(file => [file.path, file.mode]))
      const changes = bump(snapshot).map(change =>
        withModes ? { ...change, mode: modes.get(change.path) } : change
      )
      const result = await fresh.commitFiles(changes, {
        branch: 'main',
        expectedHead: snapshot.head,
        message: 'm'
      })
      expect({ moved: result.moved, requests: requests(h.double) }).toEqual({
        moved: false,
        requests: [...reads, ...WRITE]
      })
    }
  )
})

describe('listing and branches', () => {
  it('lists editable files only, resolves the default branch and a missing branch', async () => {
    const listed = await repo.listFiles('main')
    expect({
      listed,
      defaultBranch: await repo.defaultBranch(),
      main: await repo.branchHead('main'),
      missing: await repo.branchHead('nope')
    }).toEqual({
      listed: Object.keys(FILES).sort(),
      defaultBranch: 'main',
      main: h.double.state.branchHead(FULL_NAME, 'main'),
      missing: undefined
    })
  })

  it('walks the tree directory by directory when GitHub truncates the recursive listing', async () => {
    const [initial] = h.double.state.log(FULL_NAME, 'main', 1)
    // The first tree read of each call (the recursive one) answers "truncated", as GitHub
    // does for trees over 100,000 entries; the walk's own reads are real.
    const truncated = () =>
      h.double.faults.add({
        method: 'GET',
        path: TREE.slice(4),
        status: 200,
        body: { sha: initial.tree, url: '', tree: [], truncated: true }
      })
    truncated()
    const listed = await repo.listFiles('main')
    truncated()
    const snapshot = await repo.read(['apps/jobs/values.yaml', 'scripts/tag.sh'], 'main')
    expect({
      listed,
      read: snapshot.files.map(file => [file.path, file.content.toString(), file.mode])
    }).toEqual({
      listed: Object.keys(FILES).sort(),
      read: [
        ['apps/jobs/values.yaml', 'tag: 1.0', '100644'],
        ['scripts/tag.sh', 'TAG=1.0\n', '100755']
      ]
    })
  })
})
