/**
 * classify(): GitHub's status + message → code, a message quoting GitHub, and a hint that
 * names what to do. Errors are built as Octokit builds them (RequestError with the request,
 * including its authorization header, and GitHub's JSON body).
 */
import { describe, expect, it } from '@jest/globals'
import { RequestError } from '@octokit/request-error'
import { GraphqlResponseError } from '@octokit/graphql'
import { HandoffError } from '../../../src/errors.js'
import { classify, describeFailure, redact, type ErrorContext } from '../../../src/github/errors.js'

const TOKEN = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a'

const CONTEXT: ErrorContext = {
  action: 'update the file',
  repo: 'acme/deploy',
  branch: 'main',
  path: 'apps/api/values.yaml'
}
const WHERE = 'acme/deploy, branch "main", path "apps/api/values.yaml"'

function githubError(
  status: number,
  data: unknown,
  headers: Record<string, string> = {}
): RequestError {
  return new RequestError(`${(data as { message?: string }).message ?? ''}`, status, {
    request: {
      method: 'PUT',
      url: 'https://api.github.com/repos/acme/deploy/contents/apps%2Fapi%2Fvalues.yaml',
      headers: { authorization: `token ${TOKEN}` }
    },
    response: { status, url: 'https://api.github.com/repos/acme/deploy', headers, data }
  })
}

function networkError(reason: string): RequestError {
  const error = new RequestError(reason, 500, {
    request: { method: 'GET', url: 'https://api.github.com/x', headers: {} }
  })
  error.cause = new TypeError('fetch failed')
  return error
}

interface Case {
  name: string
  error: unknown
  code: string
  message: string
  /** Words the hint must contain. */
  hint: string[]
}

describe('classify', () => {
  it.each<Case>([
    {
      name: '401 bad credentials',
      error: githubError(401, { message: 'Bad credentials' }),
      code: 'BAD_CREDENTIALS',
      message: `Could not update the file (${WHERE}): GitHub answered 401 "Bad credentials".`,
      hint: ['empty, expired or revoked', '`token`']
    },
    {
      name: '403 integration without permission',
      error: githubError(403, { message: 'Resource not accessible by integration' }),
      code: 'PERMISSION_DENIED',
      message: `Could not update the file (${WHERE}): GitHub answered 403 "Resource not accessible by integration".`,
      hint: [
        '`contents: write`',
        'GITHUB_TOKEN can only write its own repository',
        'fine-grained PAT',
        'GitHub App'
      ]
    },
    {
      name: '403 SAML single sign-on not authorized for the token',
      error: githubError(403, {
        message:
          'Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization.'
      }),
      code: 'PERMISSION_DENIED',
      message: `Could not update the file (${WHERE}): GitHub answered 403 "Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization.".`,
      hint: ['SAML single sign-on', 'Configure SSO', 'GitHub App token']
    },
    {
      name: '403 fine-grained PAT without permission',
      error: githubError(403, { message: 'Resource not accessible by personal access token' }),
      code: 'PERMISSION_DENIED',
      message: `Could not update the file (${WHERE}): GitHub answered 403 "Resource not accessible by personal access token".`,
      hint: ['`contents: write`', '`pull-requests: write`']
    },
    {
      name: '403 Actions may not open pull requests',
      error: githubError(403, {
        message: 'GitHub Actions is not permitted to create or approve pull requests.'
      }),
      code: 'PR_NOT_PERMITTED',
      message: `Could not update the file (${WHERE}): GitHub answered 403 "GitHub Actions is not permitted to create or approve pull requests.".`,
      hint: [
        'Settings → Actions → General → Workflow permissions',
        'Allow GitHub Actions to create and approve pull requests',
        'organization'
      ]
    },
    {
      name: '403 primary rate limit',
      error: githubError(
        403,
        { message: 'API rate limit exceeded for installation ID 1.' },
        { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1767225600' }
      ),
      code: 'RATE_LIMITED',
      message: `Could not update the file (${WHERE}): GitHub answered 403 "API rate limit exceeded for installation ID 1.".`,
      hint: ['rate limit', 'until 2026-01-01T00:00:00.000Z', 'GitHub App']
    },
    {
      name: '429 secondary rate limit',
      error: githubError(
        429,
        { message: 'You have exceeded a secondary rate limit.' },
        { 'retry-after': '60' }
      ),
      code: 'RATE_LIMITED',
      message: `Could not update the file (${WHERE}): GitHub answered 429 "You have exceeded a secondary rate limit.".`,
      hint: ['for the next 60 s']
    },
    {
      name: '404 not found',
      error: githubError(404, { message: 'Not Found' }),
      code: 'NOT_FOUND',
      message: `Could not update the file (${WHERE}): GitHub answered 404 "Not Found".`,
      hint: [
        '`manifest-repo` ("acme/deploy")',
        '`branch` ("main")',
        '`path` ("apps/api/values.yaml")',
        'private repository'
      ]
    },
    {
      name: '409 protected branch (contents API)',
      error: githubError(409, {
        message: 'Could not update file: Changes must be made through a pull request.'
      }),
      code: 'BRANCH_PROTECTED',
      message: `Could not update the file (${WHERE}): GitHub answered 409 "Could not update file: Changes must be made through a pull request.".`,
      hint: ['Branch "main"', '`mode: pull-request`', 'bypass list']
    },
    {
      name: '422 protected branch update failed (ref update)',
      error: githubError(422, { message: 'Protected branch update failed for refs/heads/main.' }),
      code: 'BRANCH_PROTECTED',
      message: `Could not update the file (${WHERE}): GitHub answered 422 "Protected branch update failed for refs/heads/main.".`,
      hint: ['`mode: pull-request`']
    },
    {
      name: '409 repository rules',
      error: githubError(409, {
        message: 'Repository rule violations found\n\n',
        errors: [{ message: 'Required status check "ci" is expected.' }]
      }),
      code: 'BRANCH_PROTECTED',
      message: `Could not update the file (${WHERE}): GitHub answered 409 "Repository rule violations found" ("Required status check \\"ci\\" is expected.").`,
      hint: ['ruleset']
    },
    {
      name: '422 validation failed with errors[]',
      error: githubError(422, {
        message: 'Validation Failed',
        errors: [
          {
            resource: 'PullRequest',
            code: 'custom',
            message: 'No commits between main and deploy'
          },
          { resource: 'PullRequest', field: 'base', code: 'invalid' }
        ]
      }),
      code: 'VALIDATION_FAILED',
      message: `Could not update the file (${WHERE}): GitHub answered 422 "Validation Failed" ("No commits between main and deploy"; "PullRequest base invalid").`,
      hint: ['invalid']
    },
    {
      name: '409 empty repository',
      error: githubError(409, { message: 'Git Repository is empty.' }),
      code: 'CONFLICT',
      message: `Could not update the file (${WHERE}): GitHub answered 409 "Git Repository is empty.".`,
      hint: ['initial commit']
    },
    {
      name: '502 after retries',
      error: githubError(502, { message: 'Server Error' }),
      code: 'GITHUB_ERROR',
      message: `Could not update the file (${WHERE}): GitHub answered 502 "Server Error".`,
      hint: ['githubstatus.com', 're-run']
    },
    {
      name: 'network failure',
      error: networkError('connect ECONNREFUSED 127.0.0.1:9'),
      code: 'NETWORK_ERROR',
      message: `Could not update the file (${WHERE}): no answer from GitHub: connect ECONNREFUSED 127.0.0.1:9: fetch failed.`,
      hint: ['GITHUB_API_URL', 'HTTPS_PROXY']
    },
    {
      name: 'GraphQL FORBIDDEN',
      error: new GraphqlResponseError(
        { method: 'POST', url: '/graphql', query: 'mutation' },
        {},
        {
          data: {},
          errors: [
            {
              type: 'FORBIDDEN',
              message: 'Resource not accessible by integration',
              locations: [],
              path: []
            } as never
          ]
        }
      ),
      code: 'PERMISSION_DENIED',
      message: `Could not update the file (${WHERE}): GitHub answered "Resource not accessible by integration".`,
      hint: ['`pull-requests: write`']
    },
    {
      name: 'a bug, not a GitHub failure',
      error: new TypeError("Cannot read properties of undefined (reading 'sha')"),
      code: 'INTERNAL',
      message: "Unexpected error: Cannot read properties of undefined (reading 'sha')",
      hint: ['bug']
    }
  ])('$name', ({ error, code, message, hint }) => {
    const classified = classify(error, CONTEXT)
    expect({
      type: classified.constructor.name,
      code: classified.code,
      message: classified.message,
      missingFromHint: hint.filter(words => !(classified.hint ?? '').includes(words)),
      showsToken: `${classified.message} ${classified.hint}`.includes(TOKEN)
    }).toEqual({ type: 'HandoffError', code, message, missingFromHint: [], showsToken: false })
  })

  it('passes a HandoffError through unchanged', () => {
    const original = new HandoffError('FILE_NOT_FOUND', 'File "a" not found.')
    expect(classify(original, CONTEXT)).toBe(original)
  })
})

describe('describeFailure', () => {
  it.each([
    {
      name: 'REST',
      error: githubError(403, { message: 'Resource not accessible by integration' }),
      expected: 'GitHub answered 403 "Resource not accessible by integration"'
    },
    {
      name: 'network',
      error: networkError('socket hang up'),
      expected: 'no answer from GitHub: socket hang up: fetch failed'
    },
    { name: 'other', error: new Error(`token ${TOKEN}`), expected: 'token ***' }
  ])('$name', ({ error, expected }) => {
    expect(describeFailure(error)).toBe(expected)
  })
})

describe('redact', () => {
  it.each([
    { text: `token ${TOKEN}`, expected: 'token ***' },
    { text: `Authorization: Bearer ${TOKEN}`, expected: 'Authorization: ***' },
    { text: '"authorization":"token abc.def"', expected: '"authorization":"***"' },
    {
      text: 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz in the URL',
      expected: '*** in the URL'
    },
    { text: 'ghp_0123456789abcdefghijABCDEFGHIJ012345', expected: '***' },
    {
      text: 'Resource not accessible by personal access token',
      expected: 'Resource not accessible by personal access token'
    },
    { text: 'Bad credentials', expected: 'Bad credentials' }
  ])('$text → $expected', ({ text, expected }) => {
    expect(redact(text)).toBe(expected)
  })
})
