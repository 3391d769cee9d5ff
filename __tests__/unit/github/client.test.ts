/**
 * The Octokit client against the GitHub API double: which failures are retried and how
 * often, rate limits waited out (with shrunk delays) or reported, request timeouts, GHES
 * base URLs, and the token never appearing in what we print.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { backoffDelay, createClient, DEFAULT_RETRY } from '../../../src/github/client.js'
import { GitHubManifestRepo } from '../../../src/github/manifest-repo.js'
import { GitHubPullRequests } from '../../../src/github/pull-requests.js'
import { HandoffError } from '../../../src/errors.js'
import type { FaultSpec } from '../../support/github-double.mjs'
import { FAST, FULL_NAME, REPO, TOKEN, failure, startHarness, type Harness } from './harness.js'

const REPO_ROUTE = '/repos/{owner}/{repo}'
const SECONDARY =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'
const inSeconds = (seconds: number) => String(Math.floor(Date.now() / 1000) + seconds)

let h: Harness | undefined

afterEach(async () => {
  await h?.close()
  h = undefined
})

describe('backoffDelay', () => {
  const settings = { retries: 5, minDelayMs: 100, maxDelayMs: 1000 }
  it.each([
    { attempt: 1, random: 0, expected: 50 },
    { attempt: 1, random: 0.999, expected: 100 },
    { attempt: 2, random: 0, expected: 100 },
    { attempt: 3, random: 0.5, expected: 300 },
    { attempt: 5, random: 0.999, expected: 1000 },
    { attempt: 9, random: 0, expected: 500 }
  ])('attempt $attempt, random $random → $expected ms', ({ attempt, random, expected }) => {
    expect(backoffDelay(attempt, settings, () => random)).toBe(expected)
  })

  it('defaults wait at most 30 s per retry', () => {
    expect(backoffDelay(50, DEFAULT_RETRY, () => 0.5)).toBe(22_500)
  })
})

type Outcome = string

interface RetryCase {
  name: string
  faults: FaultSpec[]
  client?: {
    requestTimeoutMs?: number
    retry?: { retries: number; minDelayMs: number; maxDelayMs: number }
  }
  requests: number
  outcome: Outcome
  /** The wait GitHub asked for, after scaling (20 ms per second in the harness). */
  minElapsedMs?: number
}

const fault = (spec: Omit<FaultSpec, 'path'>): FaultSpec => ({ path: REPO_ROUTE, ...spec })

describe('retries', () => {
  it.each<RetryCase>([
    {
      name: '502 once, then success',
      faults: [fault({ status: 502 })],
      requests: 2,
      outcome: 'main'
    },
    {
      name: '502 twice: backoff from minDelayMs, doubling, jittered to at least half',
      faults: [fault({ status: 502, times: 2 })],
      client: { retry: { retries: 2, minDelayMs: 100, maxDelayMs: 1000 } },
      requests: 3,
      outcome: 'main',
      minElapsedMs: 150
    },
    {
      name: '503 twice, then success',
      faults: [fault({ status: 503, times: 2 })],
      requests: 3,
      outcome: 'main'
    },
    {
      name: '502 beyond the retries',
      faults: [fault({ status: 502, times: 3 })],
      requests: 3,
      outcome: 'GITHUB_ERROR'
    },
    {
      name: 'a dropped connection, then success',
      faults: [fault({ drop: true })],
      requests: 2,
      outcome: 'main'
    },
    {
      name: 'dropped connections beyond the retries',
      faults: [fault({ drop: true, times: 3 })],
      requests: 3,
      outcome: 'NETWORK_ERROR'
    },
    {
      name: 'an answer slower than the timeout, then success',
      faults: [fault({ delayMs: 1500 })],
      client: { requestTimeoutMs: 300 },
      requests: 2,
      outcome: 'main'
    },
    ...[400, 401, 403, 404, 409, 410, 422].map(status => ({
      name: `${status} is not retried`,
      faults: [fault({ status })],
      requests: 1,
      outcome: {
        400: 'GITHUB_ERROR',
        401: 'BAD_CREDENTIALS',
        403: 'PERMISSION_DENIED',
        404: 'NOT_FOUND',
        409: 'CONFLICT',
        410: 'GITHUB_ERROR',
        422: 'VALIDATION_FAILED'
      }[status] as string
    })),
    {
      name: '429 secondary rate limit: retry-after honoured',
      faults: [
        fault({ status: 429, body: { message: SECONDARY }, headers: { 'retry-after': '3' } })
      ],
      requests: 2,
      outcome: 'main',
      minElapsedMs: 60
    },
    {
      name: '403 secondary rate limit: retry-after honoured',
      faults: [
        fault({ status: 403, body: { message: SECONDARY }, headers: { 'retry-after': '2' } })
      ],
      requests: 2,
      outcome: 'main',
      minElapsedMs: 40
    },
    {
      name: 'secondary rate limit beyond the retries',
      faults: [
        fault({
          status: 429,
          times: 3,
          body: { message: SECONDARY },
          headers: { 'retry-after': '1' }
        })
      ],
      requests: 3,
      outcome: 'RATE_LIMITED'
    },
    {
      name: 'secondary rate limit asking for a wait over the maximum',
      faults: [
        fault({ status: 403, body: { message: SECONDARY }, headers: { 'retry-after': '3600' } })
      ],
      requests: 1,
      outcome: 'RATE_LIMITED'
    },
    {
      name: 'primary rate limit resetting soon: waited out',
      faults: [
        fault({
          status: 403,
          body: { message: 'API rate limit exceeded for installation.' },
          headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': inSeconds(1) }
        })
      ],
      requests: 2,
      outcome: 'main',
      minElapsedMs: 20
    },
    {
      name: 'primary rate limit resetting in an hour: reported',
      faults: [
        fault({
          status: 403,
          body: { message: 'API rate limit exceeded for installation.' },
          headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': inSeconds(3600) }
        })
      ],
      requests: 1,
      outcome: 'RATE_LIMITED'
    }
  ])('$name', async ({ faults, client, requests, outcome, minElapsedMs }) => {
    h = await startHarness({ client })
    h.double.state.createRepo(FULL_NAME)
    for (const spec of faults) h.double.faults.add(spec)
    const started = Date.now()
    const result = await new GitHubManifestRepo(h.octokit, REPO, h.log)
      .defaultBranch()
      .catch((error: HandoffError) => error.code)
    const elapsed = Date.now() - started
    expect({
      requests: h.double.log.count(),
      result,
      waitedEnough: elapsed >= (minElapsedMs ?? 0)
    }).toEqual({
      requests,
      result: outcome,
      waitedEnough: true
    })
  })

  it('says in the log what it waited for and when it gave up', async () => {
    h = await startHarness()
    h.double.state.createRepo(FULL_NAME)
    h.double.faults.add(
      fault({
        status: 429,
        times: 3,
        body: { message: SECONDARY },
        headers: { 'retry-after': '1' }
      })
    )
    await failure(new GitHubManifestRepo(h.octokit, REPO, h.log).defaultBranch())
    expect(h.warnings).toEqual([
      `Secondary rate limit on GET ${REPO_ROUTE}: retrying in 1 s (retry 1 of 2).`,
      `Secondary rate limit on GET ${REPO_ROUTE}: retrying in 1 s (retry 2 of 2).`,
      `Secondary rate limit on GET ${REPO_ROUTE}: giving up after 2 retries.`
    ])
  })
})

describe('logging and secrets', () => {
  it('logs one debug line per HTTP exchange: method, path, status, duration', async () => {
    h = await startHarness()
    h.double.state.createRepo(FULL_NAME)
    h.double.faults.add(fault({ status: 502 }))
    await new GitHubManifestRepo(h.octokit, REPO, h.log)
      .read(['README.md'], 'main')
      .catch(() => undefined)
    await new GitHubManifestRepo(h.octokit, REPO, h.log).defaultBranch()
    expect(h.debugs.map(line => line.replace(/\(\d+ ms\)/, '(N ms)'))).toEqual([
      'GET /repos/acme/deploy/contents/README.md?ref=main → 404 (N ms)',
      'GET /repos/acme/deploy/git/ref/heads%2Fmain → 200 (N ms)',
      'GET /repos/acme/deploy → 502 (N ms)',
      'GET /repos/acme/deploy → 200 (N ms)'
    ])
  })

  it.each([
    {
      name: 'a 401 that echoes the token',
      spec: { status: 401, body: { message: `Bad credentials: token ${TOKEN}` } }
    },
    {
      name: 'a 422 that echoes an authorization header',
      spec: {
        status: 422,
        body: {
          message: 'Validation Failed',
          errors: [{ message: `authorization: token ${TOKEN}` }]
        }
      }
    },
    {
      name: 'a 403 that echoes the bare token',
      spec: { status: 403, body: { message: `${TOKEN} may not write` } }
    },
    { name: 'a dropped connection', spec: { drop: true, times: 3 } }
  ])('never shows the token: $name', async ({ spec }) => {
    h = await startHarness()
    h.double.state.createRepo(FULL_NAME)
    h.double.faults.add(fault(spec))
    const error = (await failure(
      new GitHubManifestRepo(h.octokit, REPO, h.log).defaultBranch()
    )) as HandoffError
    const printed = [error.message, error.hint ?? '', ...h.debugs, ...h.warnings].join('\n')
    expect({
      isHandoffError: error instanceof HandoffError,
      showsToken: printed.includes(TOKEN.slice(4))
    }).toEqual({
      isHandoffError: true,
      showsToken: false
    })
  })

  it('refuses an empty token before any request', () => {
    expect(() => createClient({ token: ' ', log: { debug: () => {}, warning: () => {} } })).toThrow(
      expect.objectContaining({ code: 'BAD_CREDENTIALS', message: 'The GitHub token is empty.' })
    )
  })

  it('reports a token GitHub does not know as BAD_CREDENTIALS', async () => {
    h = await startHarness({ double: { tokens: { ghs_someoneElse: { [FULL_NAME]: 'write' } } } })
    h.double.state.createRepo(FULL_NAME)
    const error = (await failure(
      new GitHubManifestRepo(h.octokit, REPO, h.log).defaultBranch()
    )) as HandoffError
    expect({ code: error.code, message: error.message, requests: h.double.log.count() }).toEqual({
      code: 'BAD_CREDENTIALS',
      message:
        'Could not read the repository (acme/deploy): GitHub answered 401 "Bad credentials".',
      requests: 1
    })
  })
})

describe('write spacing', () => {
  it('spaces content-creating requests by writeSpacingMs', async () => {
    h = await startHarness({ client: { throttle: { ...FAST.throttle, writeSpacingMs: 150 } } })
    h.double.state.createRepo(FULL_NAME, { files: { 'a.yaml': 'a: 1\n', 'b.yaml': 'b: 1\n' } })
    const repo = new GitHubManifestRepo(h.octokit, REPO, h.log)
    const snapshot = await repo.read(['a.yaml', 'b.yaml'], 'main')
    const changes = snapshot.files.map(file => ({
      path: file.path,
      content: Buffer.from('x: 2\n'),
      previousSha: file.sha
    }))
    await repo.commitFiles(changes, { branch: 'main', expectedHead: snapshot.head, message: 'm' })
    // Bottleneck spaces the starts; arrivals add each request's own delay, which on a loaded
    // machine can shorten one gap while lengthening the one before. The span cannot shrink
    // by more than the first request's delay.
    const writes = h.double.log.writes().map(entry => entry.at)
    const span = (writes.at(-1) ?? 0) - writes[0]
    expect({ writes: writes.length, spaced: span >= 2 * 150 - 20 }).toEqual({
      writes: 3,
      spaced: true
    })
  })
})

describe('GitHub Enterprise Server', () => {
  it('sends REST calls under /api/v3 and GraphQL to /api/graphql', async () => {
    h = await startHarness({ ghes: true })
    h.double.state.createRepo(FULL_NAME, { allowAutoMerge: true, files: { 'a.yaml': 'a: 1\n' } })
    h.double.state.createBranch(FULL_NAME, 'deploy', 'main')
    h.double.state.commitFiles(FULL_NAME, 'deploy', { 'a.yaml': 'a: 2\n' })
    const pulls = new GitHubPullRequests(h.octokit, REPO, h.log)
    const pr = await pulls.create({
      head: 'deploy',
      base: 'main',
      title: 't',
      body: 'b',
      draft: false
    })
    const warnings = await pulls.enableAutoMerge(pr, 'squash')
    expect({
      warnings,
      calls: h.double.log.entries.map(
        entry => `${entry.prefix} ${entry.method} ${entry.path} ${entry.status}`
      )
    }).toEqual({
      warnings: { warnings: [] },
      calls: ['/api/v3 POST /repos/acme/deploy/pulls 201', '/api POST /graphql 200']
    })
  })
})
