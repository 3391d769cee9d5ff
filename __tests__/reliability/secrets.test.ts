/**
 * Issue 6, item 5 — the token never shows: not in stdout (apart from the one `::add-mask::`
 * that registers it with the runner), stderr, the job summary or the outputs; also when
 * GitHub's answer echoes it back (a proxy or an API error quoting the request), for every
 * token format GitHub has issued, and on success, on transient and on persistent failure.
 */
import { describe, expect, it } from '@jest/globals'
import type { FaultSpec } from '../support/github-double.mjs'
import type { RunActionResult } from '../support/run-action.js'
import { suiteFigures } from './figures.js'
import { deploymentManifest, distBuilt, errorCodes, handoff, withRepo } from './harness.js'

const figures = suiteFigures('secrets')
const describeBuilt = distBuilt() ? describe : describe.skip
if (!distBuilt()) console.log('skipping: dist/index.js is not built (npm run build)')

const WEB = 'apps/web/deployment.yaml'
const FILES = { [WEB]: deploymentManifest('ghcr.io/acme/app:1.0.0') }
const CONTENTS = '/repos/{owner}/{repo}/contents/{path}'

/** Token formats: installation (current and the older `v1.` form), PATs, OAuth, and a GHES-style opaque one. */
const TOKENS = [
  { kind: 'installation token (ghs_)', token: 'ghs_aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5' },
  { kind: 'classic PAT (ghp_)', token: 'ghp_Zy9Xw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa9' },
  {
    kind: 'fine-grained PAT (github_pat_)',
    token: 'github_pat_11ABCDEFG0abcdefghijkl_MNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789AB'
  },
  { kind: 'OAuth token (gho_)', token: 'gho_Qw3Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz1Xc3Vb5' },
  { kind: 'older installation token (v1.)', token: 'v1.4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a' },
  { kind: 'opaque token of no known format', token: 'Zm9vYmFyLXNlY3JldC1kZXBsb3ktdG9rZW4tMTIz' }
]

interface Echo {
  name: string
  faults: (token: string) => FaultSpec[]
  /** What the run must end with. */
  code: number
}

const ECHOES: Echo[] = [
  { name: 'a successful run', faults: () => [], code: 0 },
  {
    name: '401 whose message quotes the token',
    faults: token => [
      {
        method: 'GET',
        path: CONTENTS,
        status: 401,
        body: { message: `Bad credentials: token ${token} is not valid` }
      }
    ],
    code: 1
  },
  {
    name: '422 whose errors[] echo the Authorization header',
    faults: token => [
      {
        method: 'PUT',
        path: CONTENTS,
        status: 422,
        body: {
          message: 'Validation Failed',
          errors: [{ message: `header Authorization: token ${token} rejected` }, `bearer ${token}`]
        }
      }
    ],
    code: 1
  },
  {
    name: 'persistent 502 from a proxy dumping the request',
    faults: token => [
      {
        method: 'GET',
        path: CONTENTS,
        status: 502,
        times: 10,
        body: {
          message: `Bad gateway for GET with headers {"authorization":"token ${token}"} and ${token}`
        }
      }
    ],
    code: 1
  },
  {
    name: 'transient 503 quoting the token, then success',
    faults: token => [
      { method: 'PUT', path: CONTENTS, status: 503, body: { message: `retry ${token}` } }
    ],
    code: 0
  },
  {
    name: '403 whose message quotes the token in a URL',
    faults: token => [
      {
        method: 'PUT',
        path: CONTENTS,
        status: 403,
        body: {
          message: `Resource not accessible by integration (https://x-access-token:${token}@github.com)`
        }
      }
    ],
    code: 1
  }
]

/** Where a secret shows: stdout (its own add-mask line excepted), stderr, summary, outputs. */
function sightings(run: RunActionResult, secret: string): string[] {
  const stdout = run.stdout
    .split('\n')
    .filter(line => line.trim() !== `::add-mask::${secret}`)
    .join('\n')
  return [
    stdout.includes(secret) ? 'stdout' : '',
    run.stderr.includes(secret) ? 'stderr' : '',
    run.summary.includes(secret) ? 'summary' : '',
    Object.values(run.outputs).some(value => value.includes(secret)) ? 'outputs' : ''
  ].filter(Boolean)
}

const CASES = TOKENS.flatMap(t => ECHOES.map(e => ({ ...t, ...e, name: `${t.kind}: ${e.name}` })))

describeBuilt('the token never shows', () => {
  it.concurrent.each(CASES)('$name', async c => {
    await withRepo(FILES, async double => {
      for (const fault of c.faults(c.token)) double.faults.add(fault)
      const run = await handoff(double, {
        image: 'ghcr.io/acme/app',
        tag: '2.0.0',
        path: WEB,
        token: c.token
      })
      const result = {
        code: run.code,
        masked: run.commands.some(
          command => command.command === 'add-mask' && command.message === c.token
        ),
        sightings: sightings(run, c.token),
        errors: errorCodes(run).length
      }
      figures.add('token-echo scenarios tried')
      figures.add('token leaks', result.sightings.length > 0 ? 1 : 0)
      expect(result).toEqual({ code: c.code, masked: true, sightings: [], errors: c.code })
    })
  })
})
