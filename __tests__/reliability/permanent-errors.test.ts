/**
 * Issue 6, item 3 — permanent errors, through the built action. Bad credentials, missing
 * permissions, things that do not exist, invalid requests and protected branches are not
 * retried (no request is sent twice), end the run with exit 1 and exactly one `::error` that
 * names the cause and says what to do, and leave the branch as it was.
 */
import { describe, expect, it } from '@jest/globals'
import type { FaultSpec, GitHubDouble, GitHubDoubleOptions } from '../support/github-double.mjs'
import { suiteFigures } from './figures.js'
import {
  BRANCH,
  REPO,
  TOKEN,
  deploymentManifest,
  distBuilt,
  errorCodes,
  errorMessages,
  handoff,
  history,
  withRepo
} from './harness.js'

const figures = suiteFigures('permanent errors')
const describeBuilt = distBuilt() ? describe : describe.skip
if (!distBuilt()) console.log('skipping: dist/index.js is not built (npm run build)')

const WEB = 'apps/web/deployment.yaml'
const API = 'apps/api/deployment.yaml'
const FILES = {
  [WEB]: deploymentManifest('ghcr.io/acme/app:1.0.0'),
  // Different bytes, so that the two blob reads are two different requests.
  [API]: deploymentManifest('ghcr.io/acme/app:1.0.0').replace('name: app #', 'name: api #')
}
const ONE = WEB
const TWO = `${WEB}\n${API}`

interface PermanentCase {
  name: string
  path: string
  inputs?: Record<string, string>
  double?: GitHubDoubleOptions
  arrange?: (double: GitHubDouble) => void
  faults?: FaultSpec[]
  error: string
  /** Words the one error message must contain (what went wrong and what to do). */
  says: RegExp
}

const CASES: PermanentCase[] = [
  {
    name: '401: the token is unknown to GitHub (revoked or expired)',
    path: ONE,
    double: { tokens: { ghs_someOtherInstallationToken0123456: { [REPO]: 'write' } } },
    error: 'BAD_CREDENTIALS',
    says: /Bad credentials.*expired or revoked/s
  },
  {
    name: '403: read-only token, contents PUT',
    path: ONE,
    double: { tokens: { [TOKEN]: { [REPO]: 'read' } } },
    error: 'PERMISSION_DENIED',
    says: /Resource not accessible by integration.*contents: write/s
  },
  {
    name: '403: read-only token, tree POST of a two-file commit',
    path: TWO,
    double: { tokens: { [TOKEN]: { [REPO]: 'read' } } },
    error: 'PERMISSION_DENIED',
    says: /Resource not accessible by integration.*contents: write/s
  },
  {
    name: '404: repository not visible to the token',
    path: ONE,
    double: { tokens: { [TOKEN]: { 'acme/other': 'write' } } },
    error: 'NOT_FOUND',
    says: /acme\/deploy.*cannot see a private repository/s
  },
  {
    name: '404: repository does not exist',
    path: ONE,
    inputs: { 'manifest-repo': 'acme/deploy-typo' },
    error: 'NOT_FOUND',
    says: /acme\/deploy-typo/
  },
  {
    name: '404: branch does not exist',
    path: TWO,
    inputs: { branch: 'release' },
    error: 'NOT_FOUND',
    says: /Branch "release" does not exist/
  },
  {
    name: '404: target branch of a pull request does not exist (one file)',
    path: ONE,
    inputs: { branch: 'release', mode: 'pull-request' },
    error: 'NOT_FOUND',
    says: /Branch "release" does not exist in acme\/deploy.*Check the `branch` input/s
  },
  {
    name: '404: file does not exist',
    path: 'apps/web/deployment.yml',
    error: 'FILE_NOT_FOUND',
    says: /"apps\/web\/deployment.yml" not found.*Check `path`/s
  },
  {
    name: '422: validation failed on the contents PUT',
    path: ONE,
    faults: [
      {
        method: 'PUT',
        path: '/repos/{owner}/{repo}/contents/{path}',
        status: 422,
        times: 10,
        body: {
          message: 'Invalid request.',
          errors: [{ resource: 'Commit', field: 'message', code: 'invalid' }]
        }
      }
    ],
    error: 'VALIDATION_FAILED',
    says: /Invalid request\..*Commit message invalid/s
  },
  {
    name: '422: validation failed on the tree POST',
    path: TWO,
    faults: [
      {
        method: 'POST',
        path: '/repos/{owner}/{repo}/git/trees',
        status: 422,
        times: 10,
        body: {
          message: 'Validation Failed',
          errors: ['tree.path contains a malformed path component']
        }
      }
    ],
    error: 'VALIDATION_FAILED',
    says: /malformed path component/
  },
  {
    name: 'branch protection: contents PUT (409 "Could not update file")',
    path: ONE,
    arrange: double => double.state.setBranchProtection(REPO, BRANCH, true),
    error: 'BRANCH_PROTECTED',
    says: /protected.*mode: pull-request/s
  },
  {
    name: 'branch protection with required checks: ref PATCH (422)',
    path: TWO,
    arrange: double =>
      double.state.setBranchProtection(REPO, BRANCH, { requiredStatusChecks: ['ci'] }),
    error: 'BRANCH_PROTECTED',
    says: /protected.*mode: pull-request/s
  },
  {
    name: 'branch protection: "protected branch hook declined" on the ref PATCH',
    path: TWO,
    faults: [
      {
        method: 'PATCH',
        path: '/repos/{owner}/{repo}/git/refs/{ref}',
        status: 422,
        times: 10,
        body: {
          message:
            'GH006: Protected branch update failed for refs/heads/main. protected branch hook declined'
        }
      }
    ],
    error: 'BRANCH_PROTECTED',
    says: /protected branch hook declined.*bypass list/s
  },
  {
    name: '409: the repository is empty',
    path: ONE,
    faults: [
      {
        method: 'GET',
        path: '/repos/{owner}/{repo}/contents/{path}',
        status: 409,
        times: 10,
        body: { message: 'Git Repository is empty.' }
      }
    ],
    error: 'CONFLICT',
    says: /push an initial commit/
  }
]

/** `METHOD path` of requests sent more than once (a retry of a permanent error would show). */
function repeated(double: GitHubDouble): string[] {
  const seen = new Map<string, number>()
  for (const entry of double.log.entries) {
    const key = `${entry.method} ${entry.path}`
    seen.set(key, (seen.get(key) ?? 0) + 1)
  }
  return [...seen].filter(([, n]) => n > 1).map(([key]) => key)
}

describeBuilt('permanent errors: no retry, exit 1, one actionable error', () => {
  it.concurrent.each(CASES)('$name', async c => {
    await withRepo(
      FILES,
      async double => {
        c.arrange?.(double)
        for (const fault of c.faults ?? []) double.faults.add(fault)
        const before = history(double)
        const run = await handoff(double, {
          image: 'ghcr.io/acme/app',
          tag: '2.0.0',
          path: c.path,
          ...c.inputs
        })
        const messages = errorMessages(run)
        const result = {
          code: run.code,
          errors: errorCodes(run),
          actionable:
            messages.length === 1 && c.says.test(messages[0]) && messages[0].includes(' — '),
          repeatedRequests: repeated(double),
          branchUntouched: history(double)[0] === before[0],
          stackTrace: /\n\s+at .+:\d+:\d+/.test(run.stdout + run.stderr)
        }
        if (result.code === 1 && result.repeatedRequests.length === 0 && result.actionable)
          figures.add('permanent-error scenarios: one error, no retry')
        figures.add('permanent-error scenarios tried')
        expect(result).toEqual({
          code: 1,
          errors: [c.error],
          actionable: true,
          repeatedRequests: [],
          branchUntouched: true,
          stackTrace: false
        })
      },
      c.double
    )
  })
})
