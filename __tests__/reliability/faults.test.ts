/**
 * Issue 6, item 2 — transient faults, through the built action. GitHub answers 5xx, 429 or
 * a rate-limit 403, drops the connection or answers slowly, on reads and on every kind of
 * write (contents PUT; tree, commit and ref requests of a multi-file commit):
 *
 * - a fault that passes within the retries → the whole change lands in exactly one commit,
 *   and the injected fault was really met (none left pending);
 * - a fault that persists → exit 1 with one `::error` naming the cause, and the branch is
 *   untouched: same head, same files (a tree or commit object may be left unreferenced,
 *   which is invisible and harmless; a ref update that failed leaves the branch as it was).
 *
 * Request timeouts are tested on the adapters in timeouts.test.ts: the action's timeout is
 * not settable from outside the process.
 */
import { describe, expect, it } from '@jest/globals'
import type { FaultSpec, GitHubDouble } from '../support/github-double.mjs'
import { suiteFigures } from './figures.js'
import {
  BRANCH,
  REPO,
  deploymentManifest,
  distBuilt,
  errorCodes,
  errorMessages,
  fileText,
  handoff,
  history,
  tagIn,
  withRepo
} from './harness.js'

const figures = suiteFigures('transient faults')
const describeBuilt = distBuilt() ? describe : describe.skip
if (!distBuilt()) console.log('skipping: dist/index.js is not built (npm run build)')

const WEB = 'apps/web/deployment.yaml'
const API = 'apps/api/deployment.yaml'
const FILES = {
  [WEB]: deploymentManifest('ghcr.io/acme/app:1.0.0'),
  [API]: deploymentManifest('ghcr.io/acme/app:1.0.0')
}
const ONE = [WEB]
const TWO = [WEB, API]

const CONTENTS = '/repos/{owner}/{repo}/contents/{path}'
const TREES = '/repos/{owner}/{repo}/git/trees'
const TREE = '/repos/{owner}/{repo}/git/trees/{tree_sha}'
const BLOB = '/repos/{owner}/{repo}/git/blobs/{file_sha}'
const COMMITS = '/repos/{owner}/{repo}/git/commits'
const REF = '/repos/{owner}/{repo}/git/refs/{ref}'
const GET_REF = '/repos/{owner}/{repo}/git/ref/{ref}'
const GRAPHQL = '/graphql'
/** An older GHES schema without `Commit.file`: the read goes through REST instead. */
const NO_FILE_FIELD: FaultSpec = {
  method: 'POST',
  path: GRAPHQL,
  status: 200,
  body: { errors: [{ message: "Field 'file' doesn't exist on type 'Commit'" }] }
}

const SECONDARY =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.'
const ABUSE =
  'You have triggered an abuse detection mechanism. Please wait a few minutes before you try again.'
const PRIMARY = 'API rate limit exceeded for installation ID 4242.'

const status = (code: number, method: string, path: string, times = 1): FaultSpec => ({
  method,
  path,
  status: code,
  times
})
const secondary = (
  method: string,
  path: string,
  headers: Record<string, string>,
  times = 1
): FaultSpec => ({
  method,
  path,
  status: 403,
  times,
  body: {
    message: SECONDARY,
    documentation_url:
      'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits'
  },
  headers
})
/** The primary limit used up, resetting `inSeconds` from when the fault is built. */
const primary = (method: string, path: string, inSeconds: number): FaultSpec => ({
  method,
  path,
  status: 403,
  body: { message: PRIMARY },
  headers: {
    'x-ratelimit-remaining': '0',
    'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + inSeconds)
  }
})
const drop = (method: string, path: string, times = 1): FaultSpec => ({
  method,
  path,
  drop: true,
  times
})

interface TransientCase {
  name: string
  paths: string[]
  faults: () => FaultSpec[]
  /** A rate limit's wait, scaled as the action scales it: the retry must not come sooner. */
  waitMs?: { method: string; route: string; atLeast: number }
}

const TRANSIENT: TransientCase[] = [
  {
    name: '500 twice on the file read',
    paths: ONE,
    faults: () => [status(500, 'GET', CONTENTS, 2)]
  },
  { name: '502 on the contents PUT', paths: ONE, faults: () => [status(502, 'PUT', CONTENTS)] },
  {
    name: '503 three times (all retries) on the file read',
    paths: ONE,
    faults: () => [status(503, 'GET', CONTENTS, 3)]
  },
  {
    name: '504 twice on the contents PUT',
    paths: ONE,
    faults: () => [status(504, 'PUT', CONTENTS, 2)]
  },
  {
    name: '429 with retry-after: 100 on the file read (waited 100 × 10 ms)',
    paths: ONE,
    faults: () => [
      {
        method: 'GET',
        path: CONTENTS,
        status: 429,
        headers: { 'retry-after': '100' },
        body: { message: SECONDARY }
      }
    ],
    waitMs: { method: 'GET', route: CONTENTS, atLeast: 950 }
  },
  {
    name: '403 secondary rate limit with retry-after on the contents PUT',
    paths: ONE,
    faults: () => [secondary('PUT', CONTENTS, { 'retry-after': '2' })]
  },
  {
    name: '403 secondary rate limit without retry-after (fallback wait) on the file read',
    paths: ONE,
    faults: () => [secondary('GET', CONTENTS, {})]
  },
  {
    name: '429 "Too Many Requests" with retry-after (no rate-limit wording) on the contents PUT',
    paths: ONE,
    faults: () => [{ method: 'PUT', path: CONTENTS, status: 429, headers: { 'retry-after': '1' } }]
  },
  {
    name: '403 "abuse detection" with retry-after (older secondary-limit wording) on the file read',
    paths: ONE,
    faults: () => [
      {
        method: 'GET',
        path: CONTENTS,
        status: 403,
        headers: { 'retry-after': '1' },
        body: { message: ABUSE }
      }
    ]
  },
  {
    name: '403 primary rate limit (x-ratelimit-remaining: 0) on the file read',
    paths: ONE,
    faults: () => [primary('GET', CONTENTS, 2)]
  },
  {
    name: 'connection dropped twice on the file read',
    paths: ONE,
    faults: () => [drop('GET', CONTENTS, 2)]
  },
  {
    name: 'connection dropped on the contents PUT',
    paths: ONE,
    faults: () => [drop('PUT', CONTENTS)]
  },
  {
    name: 'slow answer (1.5 s, under the request timeout) on the file read',
    paths: ONE,
    faults: () => [{ method: 'GET', path: CONTENTS, delayMs: 1500 }]
  },
  {
    name: 'two files: 500 on the GraphQL read',
    paths: TWO,
    faults: () => [status(500, 'POST', GRAPHQL)]
  },
  {
    name: 'two files: 502 twice on the GraphQL read',
    paths: TWO,
    faults: () => [status(502, 'POST', GRAPHQL, 2)]
  },
  {
    name: 'two files, GraphQL refused (REST read): 500 on the tree read',
    paths: TWO,
    faults: () => [NO_FILE_FIELD, status(500, 'GET', TREE)]
  },
  {
    name: 'two files, GraphQL refused (REST read): 502 twice on a blob read',
    paths: TWO,
    faults: () => [NO_FILE_FIELD, status(502, 'GET', BLOB, 2)]
  },
  {
    name: 'two files: 503 on the tree POST',
    paths: TWO,
    faults: () => [status(503, 'POST', TREES)]
  },
  {
    name: 'two files: 504 on the commit POST',
    paths: TWO,
    faults: () => [status(504, 'POST', COMMITS)]
  },
  {
    name: 'two files: 500 three times on the ref PATCH',
    paths: TWO,
    faults: () => [status(500, 'PATCH', REF, 3)]
  },
  {
    name: 'two files: connection dropped on the ref PATCH',
    paths: TWO,
    faults: () => [drop('PATCH', REF)]
  },
  {
    name: 'two files: 429 with retry-after on the commit POST',
    paths: TWO,
    faults: () => [
      {
        method: 'POST',
        path: COMMITS,
        status: 429,
        headers: { 'retry-after': '1' },
        body: { message: SECONDARY }
      }
    ]
  },
  {
    name: 'two files: 403 secondary rate limit twice on the ref PATCH',
    paths: TWO,
    faults: () => [secondary('PATCH', REF, { 'retry-after': '1' }, 2)]
  },
  {
    name: 'mixed, GraphQL refused: 502 on the ref read, drop on a blob, 503 on the tree POST',
    paths: TWO,
    faults: () => [
      NO_FILE_FIELD,
      status(502, 'GET', GET_REF),
      drop('GET', BLOB),
      status(503, 'POST', TREES)
    ]
  },
  {
    name: 'mixed: 502 on the GraphQL read, then a drop on it, 503 on the tree POST, 429 on the ref PATCH',
    paths: TWO,
    faults: () => [
      status(502, 'POST', GRAPHQL),
      drop('POST', GRAPHQL),
      status(503, 'POST', TREES),
      {
        method: 'PATCH',
        path: REF,
        status: 429,
        headers: { 'retry-after': '1' },
        body: { message: SECONDARY }
      }
    ]
  }
]

/** Tags of the app image in the target files. */
const tagsOf = (double: GitHubDouble, paths: readonly string[]) =>
  paths.map(p => tagIn(fileText(double, p) ?? '', 'ghcr.io/acme/app'))

/** Milliseconds between the first faulted request of a route and the request after it. */
function retryGap(double: GitHubDouble, method: string, route: string): number {
  const same = double.log.entries.filter(e => e.method === method && e.route === route)
  const faulted = same.findIndex(e => e.faulted)
  return faulted >= 0 && same[faulted + 1] ? same[faulted + 1].at - same[faulted].at : -1
}

describeBuilt('transient faults: retried, the whole change lands once', () => {
  it.concurrent.each(TRANSIENT)('$name', async c => {
    await withRepo(FILES, async double => {
      const base = history(double)[0]
      for (const fault of c.faults()) double.faults.add(fault)
      const run = await handoff(double, {
        image: 'ghcr.io/acme/app',
        tag: '2.0.0',
        path: c.paths.join('\n')
      })
      const result = {
        code: run.code,
        errors: errorCodes(run),
        faultsLeft: double.faults.pending(),
        tags: tagsOf(double, c.paths),
        history: history(double),
        waitedEnough: c.waitMs
          ? retryGap(double, c.waitMs.method, c.waitMs.route) >= c.waitMs.atLeast
          : true
      }
      if (result.code === 0 && result.faultsLeft === 0)
        figures.add('fault scenarios survived (change landed)')
      expect(result).toEqual({
        code: 0,
        errors: [],
        faultsLeft: 0,
        tags: c.paths.map(() => '2.0.0'),
        history: [run.outputs['commit-sha'], base],
        waitedEnough: true
      })
    })
  })

  it.each([
    {
      name: 'the write landed but its answer was lost (500 after commit): reported as this run’s commit, no second one',
      message: (ours: string) => ours,
      changed: 'true'
    },
    {
      name: 'another writer put the same bytes there under its own message meanwhile: not ours, changed=false',
      message: () => 'chore: the same bump by someone else',
      changed: 'false'
    },
    {
      name: 'the answer was lost and the file history cannot be read (500): the run still succeeds, changed=false',
      message: (ours: string) => ours,
      changed: 'false',
      fault: status(500, 'GET', '/repos/{owner}/{repo}/commits', 20)
    }
  ])(
    '$name',
    async (c: { message: (ours: string) => string; changed: string; fault?: FaultSpec }) => {
      await withRepo(FILES, async double => {
        const base = history(double)[0]
        if (c.fault) double.faults.add(c.fault)
        double.onBeforeWrite(
          event => {
            const body = event.body as { content: string; message: string }
            event.state.commitFiles(
              REPO,
              BRANCH,
              { [WEB]: Buffer.from(body.content, 'base64') },
              c.message(body.message)
            )
            throw new Error('connection reset after the commit was made')
          },
          { times: 1 }
        )
        const run = await handoff(double, { image: 'ghcr.io/acme/app', tag: '2.0.0', path: WEB })
        const result = {
          code: run.code,
          tags: tagsOf(double, ONE),
          commits: history(double).length,
          commitShaIsHead: run.outputs['commit-sha'] === history(double)[0],
          changed: run.outputs.changed,
          previousTag: run.outputs['previous-tag']
        }
        if (result.code === 0) figures.add('fault scenarios survived (change landed)')
        // The re-sent PUT meets the commit made before the connection broke (409). The re-read
        // finds the desired bytes; the newest commit of the file carries this run's message only
        // when it is this run's own write.
        expect(result).toEqual({
          code: 0,
          tags: ['2.0.0'],
          commits: 2,
          commitShaIsHead: true,
          changed: c.changed,
          previousTag: c.changed === 'true' ? '1.0.0' : ''
        })
        expect(history(double)[1]).toBe(base)
      })
    }
  )
})

interface PersistentCase {
  name: string
  paths: string[]
  faults: FaultSpec[]
  error: string
  /** Requests the faulted route may receive: the first try plus the bounded retries. */
  maxTries: number
  route: { method: string; path: string }
}

const PERSISTENT: PersistentCase[] = [
  {
    name: '500 on every file read',
    paths: ONE,
    faults: [status(500, 'GET', CONTENTS, 50)],
    error: 'GITHUB_ERROR',
    maxTries: 4,
    route: { method: 'GET', path: CONTENTS }
  },
  {
    name: '502 on every contents PUT',
    paths: ONE,
    faults: [status(502, 'PUT', CONTENTS, 50)],
    error: 'GITHUB_ERROR',
    maxTries: 4,
    route: { method: 'PUT', path: CONTENTS }
  },
  {
    name: 'every connection to the file read dropped',
    paths: ONE,
    faults: [drop('GET', CONTENTS, 50)],
    error: 'NETWORK_ERROR',
    maxTries: 4,
    route: { method: 'GET', path: CONTENTS }
  },
  {
    name: '429 on every contents PUT',
    paths: ONE,
    faults: [
      {
        method: 'PUT',
        path: CONTENTS,
        status: 429,
        times: 50,
        headers: { 'retry-after': '1' },
        body: { message: SECONDARY }
      }
    ],
    error: 'RATE_LIMITED',
    maxTries: 4,
    route: { method: 'PUT', path: CONTENTS }
  },
  {
    name: 'two files: 500 on every tree POST',
    paths: TWO,
    faults: [status(500, 'POST', TREES, 50)],
    error: 'GITHUB_ERROR',
    maxTries: 4,
    route: { method: 'POST', path: TREES }
  },
  {
    name: 'two files: 503 on every ref PATCH (commit made, branch not moved)',
    paths: TWO,
    faults: [status(503, 'PATCH', REF, 50)],
    error: 'GITHUB_ERROR',
    maxTries: 4,
    route: { method: 'PATCH', path: REF }
  },
  {
    name: 'two files: every connection to the ref PATCH dropped',
    paths: TWO,
    faults: [drop('PATCH', REF, 50)],
    error: 'NETWORK_ERROR',
    maxTries: 4,
    route: { method: 'PATCH', path: REF }
  },
  {
    name: 'two files: secondary rate limit asking for an hour on the ref PATCH: not waited out',
    paths: TWO,
    faults: [secondary('PATCH', REF, { 'retry-after': '3600' }, 50)],
    error: 'RATE_LIMITED',
    maxTries: 1,
    route: { method: 'PATCH', path: REF }
  }
]

describeBuilt('persistent faults: exit 1, one clear error, the branch untouched', () => {
  it.concurrent.each(PERSISTENT)('$name', async c => {
    await withRepo(FILES, async double => {
      const before = { history: history(double), tags: tagsOf(double, c.paths) }
      for (const fault of c.faults) double.faults.add(fault)
      const run = await handoff(double, {
        image: 'ghcr.io/acme/app',
        tag: '2.0.0',
        path: c.paths.join('\n')
      })
      const tries = double.log.count({ method: c.route.method, route: c.route.path })
      const messages = errorMessages(run)
      const result = {
        code: run.code,
        errors: errorCodes(run),
        // GitHub's answer quoted, and what to do: "… — <hint>".
        clear:
          messages.length === 1 &&
          /GitHub answered|no answer from GitHub/.test(messages[0]) &&
          messages[0].includes(' — '),
        commitSha: run.outputs['commit-sha'],
        history: history(double),
        tags: tagsOf(double, c.paths),
        triesBounded: tries >= 1 && tries <= c.maxTries
      }
      if (result.code === 1 && result.history.length === before.history.length)
        figures.add('persistent-fault scenarios failed cleanly (branch untouched)')
      expect(result).toEqual({
        code: 1,
        errors: [c.error],
        clear: true,
        commitSha: undefined,
        ...before,
        triesBounded: true
      })
    })
  })
})
