/**
 * Unit tests of the fixes the reliability suites led to, each next to the module it fixes:
 *
 * - src/github/client.ts: a 403/429 that asks to wait with `retry-after` but lacks the words
 *   the throttling plugin looks for ("secondary rate", or `x-ratelimit-remaining: 0`) — the
 *   older "abuse detection" wording, a proxy's bare "Too Many Requests" — was not retried.
 * - src/github/errors.ts: such answers, when the retries ran out, were reported as a missing
 *   permission (403) or a generic GitHub error (429) instead of a rate limit.
 * - src/edit/kustomize-images.ts: two updates selecting one images entry (`nginx` and
 *   `docker.io/library/nginx`, or one image listed twice) with different versions made the
 *   editor throw "Overlapping edits" (reported as INTERNAL); it is now a clear input error,
 *   and the same request twice is applied once.
 * - src/github/client.ts: an answer that echoed a token of a format the patterns of
 *   errors.ts do not know (an older `v1.` installation token, a GHES or proxy token) put the
 *   token into the error message and so into the log; the client now masks the exact value.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { editKustomize } from '../../src/edit/kustomize-images.js'
import { scrubToken, unflaggedWaitSeconds } from '../../src/github/client.js'
import { classify } from '../../src/github/errors.js'
import { GitHubManifestRepo } from '../../src/github/manifest-repo.js'
import type { HandoffError } from '../../src/errors.js'
import type { FaultSpec } from '../support/github-double.mjs'
import { FULL_NAME, REPO, startHarness, type Harness } from '../unit/github/harness.js'

const REPO_ROUTE = '/repos/{owner}/{repo}'
const ABUSE =
  'You have triggered an abuse detection mechanism. Please wait a few minutes before you try again.'

let h: Harness | undefined

afterEach(async () => {
  await h?.close()
  h = undefined
})

const fault = (spec: Omit<FaultSpec, 'path'>): FaultSpec => ({ path: REPO_ROUTE, ...spec })

describe('rate limits the throttling plugin does not recognise (client.ts)', () => {
  it.each([
    {
      name: '403 "abuse detection" with retry-after: waited out',
      faults: [fault({ status: 403, body: { message: ABUSE }, headers: { 'retry-after': '2' } })],
      expected: { requests: 2, result: 'main', waitedEnough: true },
      minElapsedMs: 40
    },
    {
      name: '429 "Too Many Requests" with retry-after: waited out',
      faults: [fault({ status: 429, headers: { 'retry-after': '3' } })],
      expected: { requests: 2, result: 'main', waitedEnough: true },
      minElapsedMs: 60
    },
    {
      name: 'bare 429 without retry-after: the one-minute fallback (60 × 20 ms)',
      faults: [fault({ status: 429 })],
      expected: { requests: 2, result: 'main', waitedEnough: true },
      minElapsedMs: 1200
    },
    {
      name: '429 with retry-after beyond the retries: reported as a rate limit',
      faults: [fault({ status: 429, times: 5, headers: { 'retry-after': '1' } })],
      expected: { requests: 3, result: 'RATE_LIMITED', waitedEnough: true },
      minElapsedMs: 40
    },
    {
      name: '403 with retry-after asking for an hour: reported at once',
      faults: [
        fault({ status: 403, body: { message: ABUSE }, headers: { 'retry-after': '3600' } })
      ],
      expected: { requests: 1, result: 'RATE_LIMITED', waitedEnough: true },
      minElapsedMs: 0
    },
    {
      name: '403 "Resource not accessible by integration" (no retry-after): not retried',
      faults: [fault({ status: 403, body: { message: 'Resource not accessible by integration' } })],
      expected: { requests: 1, result: 'PERMISSION_DENIED', waitedEnough: true },
      minElapsedMs: 0
    }
  ])('$name', async ({ faults, expected, minElapsedMs }) => {
    h = await startHarness()
    h.double.state.createRepo(FULL_NAME)
    for (const spec of faults) h.double.faults.add(spec)
    const started = Date.now()
    const result = await new GitHubManifestRepo(h.octokit, REPO, h.log)
      .defaultBranch()
      .catch((error: HandoffError) => error.code)
    expect({
      requests: h.double.log.count(),
      result,
      waitedEnough: Date.now() - started >= minElapsedMs
    }).toEqual(expected)
  })

  it.each([
    { name: 'not an HTTP error', error: new Error('boom'), expected: undefined },
    { name: '500', error: httpError(500, 'Server Error', {}), expected: undefined },
    { name: 'plain 403', error: httpError(403, 'Forbidden', {}), expected: undefined },
    {
      name: 'secondary rate limit (the plugin’s)',
      error: httpError(403, 'You have exceeded a secondary rate limit', { 'retry-after': '5' }),
      expected: undefined
    },
    {
      name: 'primary rate limit (the plugin’s)',
      error: httpError(429, 'Too Many Requests', { 'x-ratelimit-remaining': '0' }),
      expected: undefined
    },
    {
      name: '403 with retry-after',
      error: httpError(403, ABUSE, { 'retry-after': '7' }),
      expected: 7
    },
    {
      name: '429 with retry-after',
      error: httpError(429, 'x', { 'retry-after': ' 2 ' }),
      expected: 2
    },
    { name: 'bare 429', error: httpError(429, 'x', {}), expected: 60 },
    {
      name: '429 with an HTTP-date retry-after',
      error: httpError(429, 'x', { 'retry-after': 'Wed, 21 Oct 2025 07:28:00 GMT' }),
      expected: 60
    }
  ])('unflaggedWaitSeconds: $name → $expected', ({ error, expected }) => {
    expect(unflaggedWaitSeconds(error)).toBe(expected)
  })
})

/** The shape of Octokit's RequestError that classification and the plugins read. */
function httpError(status: number, message: string, headers: Record<string, string>): Error {
  return Object.assign(new Error(message), {
    name: 'HttpError',
    status,
    response: { status, data: { message }, headers }
  })
}

describe('rate limits reported as such (errors.ts)', () => {
  const context = { action: 'read the file', repo: 'acme/deploy' }
  it.each([
    { name: '403 abuse detection', error: httpError(403, ABUSE, {}), code: 'RATE_LIMITED' },
    {
      name: '403 with retry-after',
      error: httpError(403, 'Forbidden', { 'retry-after': '30' }),
      code: 'RATE_LIMITED'
    },
    { name: 'bare 429', error: httpError(429, 'Too Many Requests', {}), code: 'RATE_LIMITED' },
    {
      name: '403 missing permission stays a permission error',
      error: httpError(403, 'Resource not accessible by integration', {}),
      code: 'PERMISSION_DENIED'
    }
  ])('$name → $code', ({ error, code }) => {
    expect(classify(error, context).code).toBe(code)
  })
})

describe('the exact token is masked in errors (client.ts)', () => {
  const OPAQUE = 'v1.4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a'

  it('GitHub echoing an opaque token: the HandoffError does not carry it', async () => {
    h = await startHarness({ client: { token: OPAQUE } })
    h.double.state.createRepo(FULL_NAME)
    h.double.faults.add(
      fault({
        status: 403,
        body: {
          message: `Resource not accessible (https://x-access-token:${OPAQUE}@github.com)`,
          errors: [{ message: `header ${OPAQUE}` }]
        }
      })
    )
    const error = (await new GitHubManifestRepo(h.octokit, REPO, h.log)
      .defaultBranch()
      .catch((e: HandoffError) => e)) as HandoffError
    expect({
      code: error.code,
      message: error.message,
      shown: `${error.message} ${error.hint}`.includes(OPAQUE)
    }).toEqual({
      code: 'PERMISSION_DENIED',
      message:
        'Could not read the repository (acme/deploy): GitHub answered 403 "Resource not accessible (https://x-access-token:***@github.com)" ("header ***").',
      shown: false
    })
  })

  it.each([
    {
      name: 'message, nested answer body and cause',
      error: Object.assign(
        new Error(`failed with ${OPAQUE}`, { cause: new Error(`because ${OPAQUE}`) }),
        {
          response: {
            status: 500,
            data: { message: `m ${OPAQUE}`, errors: [{ deep: [`x${OPAQUE}x`] }], n: 1 }
          }
        }
      ),
      expected: {
        message: 'failed with ***',
        cause: 'because ***',
        data: { message: 'm ***', errors: [{ deep: ['x***x'] }], n: 1 }
      }
    },
    {
      name: 'an error without an answer',
      error: new Error(`plain ${OPAQUE}`),
      expected: { message: 'plain ***', cause: undefined, data: undefined }
    }
  ])('scrubToken: $name', ({ error, expected }) => {
    const scrubbed = scrubToken(error, OPAQUE) as Error & { response?: { data?: unknown } }
    expect({
      message: scrubbed.message,
      cause: (scrubbed.cause as Error | undefined)?.message,
      data: scrubbed.response?.data
    }).toEqual(expected)
  })

  it('a value too short to be a credential is left alone', () => {
    expect((scrubToken(new Error('a b c'), 'a') as Error).message).toBe('a b c')
  })
})

describe('two updates for one kustomize images entry (kustomize-images.ts)', () => {
  const FILE = 'images:\n  - name: nginx\n    newTag: "1.0"\n'
  it.each([
    {
      name: 'two spellings, different tags: a clear input error at the entry',
      updates: [
        { image: 'nginx', tag: '1.1' },
        { image: 'docker.io/library/nginx', tag: '1.2' }
      ],
      expected: {
        ok: false,
        code: 'INVALID_INPUT',
        message:
          'Images "nginx" and "docker.io/library/nginx" both select the images entry "nginx" but ask for different versions',
        line: 2,
        text: undefined
      }
    },
    {
      name: 'one image twice, different tags: the same error',
      updates: [
        { image: 'nginx', tag: '1.1' },
        { image: 'nginx', tag: '1.2' }
      ],
      expected: {
        ok: false,
        code: 'INVALID_INPUT',
        message:
          'Images "nginx" and "nginx" both select the images entry "nginx" but ask for different versions',
        line: 2,
        text: undefined
      }
    },
    {
      name: 'two spellings, the same tag: applied once',
      updates: [
        { image: 'nginx', tag: '1.1' },
        { image: 'docker.io/nginx', tag: '1.1' }
      ],
      expected: {
        ok: true,
        code: undefined,
        message: undefined,
        line: undefined,
        text: 'images:\n  - name: nginx\n    newTag: "1.1"\n'
      }
    }
  ])('$name', ({ updates, expected }) => {
    const result = editKustomize(FILE, updates, { createMissing: false })
    expect({
      ok: result.ok,
      code: result.ok ? undefined : result.error.code,
      message: result.ok ? undefined : result.error.message,
      line: result.ok ? undefined : result.error.line,
      text: result.ok ? result.text : undefined
    }).toEqual(expected)
  })
})
