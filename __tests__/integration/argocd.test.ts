/**
 * The optional Argo CD phase end to end: dist/index.js as the runner runs it, against the
 * GitHub API double and the Argo CD API double at once. Each run is compared as one value:
 * exit code, annotations, outputs (SHAs by name), the tag on the target branch afterwards,
 * every Argo CD request per application, the summary's Argo CD rows and where the two tokens
 * showed up. GITOPS_HANDOFF_DELAY_SCALE shrinks the Argo CD clock as a whole (backoff and
 * `argocd-timeout`), so a 300 s wait is 3 s of real time and a healthy sync a few polls.
 */
import { describe, expect, it } from '@jest/globals'
import {
  startArgoDouble,
  type ArgoDouble,
  type ArgoRequest,
  type ArgoScenario
} from '../support/argocd-double.mjs'
import type { GitHubDouble } from '../support/github-double.mjs'
import type { RunActionResult } from '../support/run-action.js'
import {
  DEPLOY,
  TOKEN,
  annotations,
  api,
  errorAnnotations,
  handoff,
  secretSightings,
  text,
  withDouble
} from './helpers.js'

const ARGO_TOKEN = 'argocd-api-token.eyJhbGciOi-5ecret-never-printed'
const WRONG_TOKEN = 'argocd-api-token.revoked-5ecret-never-printed'
// 300 s of Argo CD time is 3 s of real time: room for a loaded machine, still fast.
const SCALE = { GITOPS_HANDOFF_DELAY_SCALE: '0.01' }

const DEV = 'apps/api/overlays/dev/kustomization.yaml'
const OVERLAY = `# dev overlay of the api service
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../../base
images:
  - name: ghcr.io/acme/api
    newTag: 1.4.0 # set by CI
`
const BUMP = { image: 'ghcr.io/acme/api', tag: '1.5.0', path: DEV }

interface Scenario {
  /** Applications the Argo CD double knows, keyed `name` or `namespace/name`. */
  readonly known: Record<string, ArgoScenario>
  /** Inputs of the step besides the bump; `argocd-server` and `argocd-token` are added. */
  readonly inputs: Record<string, string>
  /** The manifest repo's setting "Allow auto-merge" (default false). */
  readonly allowAutoMerge?: boolean
  /** Merge the PR as a reviewer would, once auto-merge is enabled on it. */
  readonly mergeWhenAutoMergeEnabled?: boolean
}

interface Observation {
  code: number | null
  errors: string[]
  notices: string[]
  outputs: Record<string, string | undefined>
  /** `newTag` of the dev overlay on main after the run. */
  mainTag: string | undefined
  /** Per application (as the double keys it): its requests, runs of equal ones as `×n`. */
  argo: Record<string, string[]>
  /** Content-Type and auth of every Argo CD request, deduplicated. */
  headers: string[]
  /** Rows of the summary's Argo CD table. */
  table: string[]
  leaks: { github: string[]; argocd: string[]; wrongToken: string[] }
}

/** Start both doubles, run the action once, reduce what it did to one value. */
async function scenario(s: Scenario): Promise<Observation> {
  return withDouble(async github => {
    const base = github.state.createRepo(DEPLOY, {
      files: { [DEV]: OVERLAY },
      allowAutoMerge: s.allowAutoMerge ?? false
    })
    const argo = await startArgoDouble({ apps: s.known, token: ARGO_TOKEN })
    try {
      const merger = s.mergeWhenAutoMergeEnabled ? mergeOnceAutoMergeEnabled(github) : undefined
      const run = await handoff(
        github,
        { ...BUMP, 'argocd-server': argo.url, 'argocd-token': ARGO_TOKEN, ...s.inputs },
        { env: SCALE }
      ).finally(() => merger?.stop())
      return observe(github, argo, run, base, merger?.mergeSha())
    } finally {
      await argo.close()
    }
  })
}

function observe(
  github: GitHubDouble,
  argo: ArgoDouble,
  run: RunActionResult,
  base: string,
  merge: string | undefined
): Observation {
  const main = github.state.branchHead(DEPLOY, 'main') as string
  const pr = github.state.pulls(DEPLOY)[0]
  const names: Record<string, string | undefined> = {
    base,
    head: main === base || main === merge ? undefined : main,
    'pr-head': pr?.headSha,
    merge
  }
  const show = (value: string) => byName(value.split(argo.url).join('<argocd>'), names)
  const o = run.outputs
  return {
    code: run.code,
    errors: errorAnnotations(run).map(e => show(`${e.title}: ${e.message.split(' — ')[0]}`)),
    notices: annotations(run, 'notice').map(show),
    outputs: {
      'commit-sha': show(o['commit-sha'] ?? ''),
      changed: o.changed,
      'argocd-sync-status': o['argocd-sync-status'],
      'argocd-health-status': o['argocd-health-status']
    },
    mainTag: /newTag: (\S+)/.exec(text(github, DEPLOY, 'main', DEV) ?? '')?.[1],
    argo: perApp(argo.log, show),
    headers: [...new Set(argo.log.map(headerLine))],
    table: argoRows(run.summary).map(show),
    leaks: {
      github: secretSightings(run, TOKEN),
      argocd: secretSightings(run, ARGO_TOKEN),
      wrongToken: secretSightings(run, WRONG_TOKEN)
    }
  }
}

/** Full SHAs and their 12-character prefixes (messages, summary) replaced by `<name>`. */
function byName(value: string, names: Record<string, string | undefined>): string {
  let out = value
  for (const [name, sha] of Object.entries(names)) {
    if (sha) out = out.split(sha).join(`<${name}>`).split(sha.slice(0, 12)).join(`<${name}>`)
  }
  return out
}

/** `POST sync revision=<head> → 200`, `GET ?refresh=normal → 200`, equal neighbours counted. */
function perApp(
  log: readonly ArgoRequest[],
  show: (s: string) => string
): Record<string, string[]> {
  const apps: Record<string, string[]> = {}
  for (const request of log) {
    const [, name, sync] = /^\/api\/v1\/applications\/([^/]+)(\/sync)?$/.exec(request.path) ?? []
    const body = (request.body ?? {}) as { revision?: string; appNamespace?: string }
    const namespace = sync ? body.appNamespace : request.query.appNamespace
    const key = namespace ? `${namespace}/${name}` : (name ?? request.path)
    const query = Object.entries(request.query)
      .filter(([k]) => k !== 'appNamespace')
      .map(([k, v]) => `?${k}=${v}`)
      .join('')
    const what = sync ? `POST sync revision=${body.revision}` : `${request.method}${query}`
    ;(apps[key] ??= []).push(show(`${what} → ${request.status}`))
  }
  return Object.fromEntries(Object.entries(apps).map(([key, lines]) => [key, counted(lines)]))
}

function counted(lines: readonly string[]): string[] {
  const out: { line: string; n: number }[] = []
  for (const line of lines) {
    const last = out[out.length - 1]
    if (last?.line === line) last.n += 1
    else out.push({ line, n: 1 })
  }
  return out.map(({ line, n }) => (n > 1 ? `${line} ×${n}` : line))
}

function headerLine(request: ArgoRequest): string {
  const type = request.headers['content-type']
  return `${request.method} ${type === undefined ? 'no content-type' : `content-type ${String(type)}`}, token ${request.auth}`
}

function argoRows(summary: string): string[] {
  const lines = summary.split('\n')
  const start = lines.indexOf('| Argo CD application | Sync | Health | Revision |')
  if (start < 0) return []
  const rows: string[] = []
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('| ')) break
    rows.push(line)
  }
  return rows
}

/**
 * Plays the reviewer: once the action has enabled auto-merge on the PR, merge it through the
 * API. Polls the double's state every 5 ms, for at most 20 s.
 */
function mergeOnceAutoMergeEnabled(github: GitHubDouble) {
  let stopped = false
  let sha: string | undefined
  const done = (async () => {
    for (let i = 0; i < 4000 && !stopped; i++) {
      const pull = github.state.pulls(DEPLOY).find(p => p.autoMerge !== null && !p.merged)
      if (pull) {
        const merged = (await api(github, 'PUT', `/repos/${DEPLOY}/pulls/${pull.number}/merge`, {
          merge_method: pull.autoMerge?.mergeMethod
        })) as { sha: string }
        sha = merged.sha
        return
      }
      await new Promise(resolve => setTimeout(resolve, 5))
    }
  })()
  return {
    mergeSha: () => sha,
    stop: async () => {
      stopped = true
      await done
    }
  }
}

const SYNCED = (revision: string) => [
  `POST sync revision=<${revision}> → 200`,
  // The informer cache still shows the previous operation, then ours running, then done.
  'GET → 200 ×3'
]
/** How many polls fit before the deadline depends on the machine's speed; at least one does. */
const POLLED_UNTIL_TIMEOUT = expect.stringMatching(/^GET → 200( ×\d+)?$/) as unknown as string
const ROW = (app: string, sync: string, health: string, revision: string) =>
  `| ${app} | ${sync} | ${health} | ${revision ? `\`${revision}\`` : '—'} |`
const VALID = [
  'POST content-type application/json, token valid',
  'GET no content-type, token valid'
]
const NO_LEAKS = { github: [], argocd: [], wrongToken: [] }
const PREVIOUS = '111111111111'

interface Case {
  name: string
  given: Scenario
  expected: Observation
}

const landed = (over: Partial<Observation>): Observation => ({
  code: 0,
  errors: [],
  notices: [],
  outputs: {
    'commit-sha': '<head>',
    changed: 'true',
    'argocd-sync-status': 'api=Synced',
    'argocd-health-status': 'api=Healthy'
  },
  mainTag: '1.5.0',
  argo: { api: SYNCED('head') },
  headers: VALID,
  table: [ROW('api', 'Synced', 'Healthy', '<head>')],
  leaks: NO_LEAKS,
  ...over
})

const failedStatus = (sync: string, health: string) => ({
  'commit-sha': '<head>',
  changed: 'true',
  'argocd-sync-status': sync,
  'argocd-health-status': health
})

const COMMIT_MODE: Case[] = [
  {
    name: 'healthy: synced to exactly commit-sha, Synced and Healthy',
    given: { known: { api: 'healthy' }, inputs: { 'argocd-app': 'api' } },
    expected: landed({})
  },
  {
    name: 'degraded: exit 1 naming the app and resource; the commit stays and commit-sha is set',
    given: { known: { api: 'degraded' }, inputs: { 'argocd-app': 'api' } },
    expected: landed({
      code: 1,
      errors: [
        'gitops-handoff ARGOCD_DEGRADED: Argo CD application "api" is Degraded at <head>. ' +
          'Degraded resources: Deployment/prod/api: Deployment "api" exceeded its progress deadline'
      ],
      outputs: failedStatus('api=Synced', 'api=Degraded'),
      table: [ROW('api', 'Synced', 'Degraded', '<head>')]
    })
  },
  {
    name: 'sync failed: exit 1 with the operation message and the failed resources',
    given: { known: { api: 'sync-failed' }, inputs: { 'argocd-app': 'api' } },
    expected: landed({
      code: 1,
      errors: [
        'gitops-handoff ARGOCD_SYNC_FAILED: Argo CD application "api" failed to sync to <head> ' +
          '(operation Failed: one or more objects failed to apply, reason: Deployment.apps "api" is invalid: ' +
          'spec.template.spec.containers[0].image: Required value). Failed resources: ' +
          'Deployment/prod/api: Deployment.apps "api" is invalid: spec.template.spec.containers[0].image: Required value; ' +
          'Job/prod/db-migrate (PreSync hook Failed): Job has reached the specified backoff limit'
      ],
      outputs: failedStatus('api=OutOfSync', 'api=Healthy'),
      table: [ROW('api', 'OutOfSync', 'Healthy', '<head>')]
    })
  },
  {
    name: 'timeout: the application never reaches the commit within argocd-timeout',
    given: {
      known: { api: 'never-syncs' },
      inputs: { 'argocd-app': 'api', 'argocd-timeout': '5' }
    },
    expected: landed({
      code: 1,
      errors: [
        'gitops-handoff ARGOCD_TIMEOUT: Argo CD application "api" was not Synced at <head> and ' +
          `Healthy within 5 s; last seen: sync Synced at ${PREVIOUS}, health Healthy, operation Succeeded.`
      ],
      outputs: failedStatus('api=Synced', 'api=Healthy'),
      argo: {
        api: ['POST sync revision=<head> → 200', POLLED_UNTIL_TIMEOUT]
      },
      table: [ROW('api', 'Synced', 'Healthy', PREVIOUS)]
    })
  },
  {
    // Unscaled this would wait 300 s and the run would be killed: the deadline shrinks too.
    name: 'timeout at the default 300 s, which the delay scale makes 3 s of real time',
    given: { known: { api: 'never-syncs' }, inputs: { 'argocd-app': 'api' } },
    expected: landed({
      code: 1,
      errors: [
        'gitops-handoff ARGOCD_TIMEOUT: Argo CD application "api" was not Synced at <head> and ' +
          `Healthy within 300 s; last seen: sync Synced at ${PREVIOUS}, health Healthy, operation Succeeded.`
      ],
      outputs: failedStatus('api=Synced', 'api=Healthy'),
      argo: {
        api: ['POST sync revision=<head> → 200', POLLED_UNTIL_TIMEOUT]
      },
      table: [ROW('api', 'Synced', 'Healthy', PREVIOUS)]
    })
  },
  {
    name: 'bad token: 401, neither token printed',
    given: {
      known: { api: 'healthy' },
      inputs: { 'argocd-app': 'api', 'argocd-token': WRONG_TOKEN }
    },
    expected: landed({
      code: 1,
      errors: [
        'gitops-handoff ARGOCD_AUTH: Argo CD at <argocd> refused the token (HTTP 401: invalid ' +
          'session: token signature is invalid) when syncing "api".'
      ],
      outputs: failedStatus('api=Unknown', 'api=Unknown'),
      argo: { api: ['POST sync revision=<head> → 401'] },
      headers: ['POST content-type application/json, token invalid'],
      table: [ROW('api', 'Unknown', 'Unknown', '')]
    })
  },
  {
    name: 'unknown application: 403 permission denied',
    given: { known: { api: 'healthy' }, inputs: { 'argocd-app': 'ghost' } },
    expected: landed({
      code: 1,
      errors: [
        'gitops-handoff ARGOCD_NOT_FOUND: Argo CD application "ghost" does not exist or the ' +
          'token may not sync it (HTTP 403: permission denied).'
      ],
      outputs: failedStatus('ghost=Unknown', 'ghost=Unknown'),
      argo: { ghost: ['POST sync revision=<head> → 403'] },
      headers: ['POST content-type application/json, token valid'],
      table: [ROW('ghost', 'Unknown', 'Unknown', '')]
    })
  },
  {
    name: 'another operation already in progress: the sync is retried, then succeeds',
    given: {
      known: { api: { scenario: 'operation-in-progress', busySyncs: 2 } },
      inputs: { 'argocd-app': 'api' }
    },
    expected: landed({
      argo: {
        api: [
          'POST sync revision=<head> → 400 ×2',
          'POST sync revision=<head> → 200',
          'GET → 200 ×3'
        ]
      }
    })
  },
  {
    name: 'several applications, one outside the Argo CD namespace: all synced in parallel',
    given: {
      known: { api: 'healthy', web: 'healthy', 'team-a/worker': 'healthy' },
      inputs: { 'argocd-app': 'api, web\nteam-a/worker' }
    },
    expected: landed({
      outputs: {
        'commit-sha': '<head>',
        changed: 'true',
        'argocd-sync-status': 'api=Synced\nweb=Synced\nteam-a/worker=Synced',
        'argocd-health-status': 'api=Healthy\nweb=Healthy\nteam-a/worker=Healthy'
      },
      argo: { api: SYNCED('head'), web: SYNCED('head'), 'team-a/worker': SYNCED('head') },
      table: [
        ROW('api', 'Synced', 'Healthy', '<head>'),
        ROW('web', 'Synced', 'Healthy', '<head>'),
        ROW('team-a/worker', 'Synced', 'Healthy', '<head>')
      ]
    })
  },
  {
    name: 'several applications, one degraded: every outcome reported, exit 1 naming that one',
    given: {
      known: { api: 'healthy', web: 'degraded' },
      inputs: { 'argocd-app': 'api,web' }
    },
    expected: landed({
      code: 1,
      errors: [
        'gitops-handoff ARGOCD_DEGRADED: Argo CD application "web" is Degraded at <head>. ' +
          'Degraded resources: Deployment/prod/web: Deployment "web" exceeded its progress deadline'
      ],
      outputs: failedStatus('api=Synced\nweb=Synced', 'api=Healthy\nweb=Degraded'),
      argo: { api: SYNCED('head'), web: SYNCED('head') },
      table: [ROW('api', 'Synced', 'Healthy', '<head>'), ROW('web', 'Synced', 'Degraded', '<head>')]
    })
  },
  {
    name: 'argocd-wait: false: the sync is requested, nothing is polled',
    given: { known: { api: 'healthy' }, inputs: { 'argocd-app': 'api', 'argocd-wait': 'false' } },
    expected: landed({
      outputs: {
        'commit-sha': '<head>',
        changed: 'true',
        'argocd-sync-status': 'api=Requested',
        'argocd-health-status': 'api=Healthy'
      },
      argo: { api: ['POST sync revision=<head> → 200'] },
      headers: ['POST content-type application/json, token valid'],
      table: [ROW('api', 'Requested', 'Healthy', '<head>')]
    })
  },
  {
    name: 'dry-run: nothing written, no Argo CD request',
    given: { known: { api: 'healthy' }, inputs: { 'argocd-app': 'api', 'dry-run': 'true' } },
    expected: landed({
      outputs: {
        'commit-sha': '',
        changed: 'true',
        'argocd-sync-status': '',
        'argocd-health-status': ''
      },
      mainTag: '1.4.0',
      argo: {},
      headers: [],
      table: []
    })
  }
]

const PR = { mode: 'pull-request', 'argocd-app': 'api' }

const PULL_REQUEST_MODE: Case[] = [
  {
    name: 'pull-request mode without auto-merge: a notice, no Argo CD request',
    given: { known: { api: 'healthy' }, inputs: PR },
    expected: landed({
      notices: [
        'Argo CD sync skipped: in pull-request mode it runs once the PR is merged; set auto-merge to wait for the merge.'
      ],
      outputs: {
        'commit-sha': '<pr-head>',
        changed: 'true',
        'argocd-sync-status': '',
        'argocd-health-status': ''
      },
      mainTag: '1.4.0',
      argo: {},
      headers: [],
      table: []
    })
  },
  {
    name: 'pull-request mode with auto-merge, merged in time: synced to the merge commit',
    given: {
      known: { api: 'healthy' },
      inputs: { ...PR, 'auto-merge': 'squash' },
      allowAutoMerge: true,
      mergeWhenAutoMergeEnabled: true
    },
    expected: landed({
      outputs: {
        'commit-sha': '<pr-head>',
        changed: 'true',
        'argocd-sync-status': 'api=Synced',
        'argocd-health-status': 'api=Healthy'
      },
      argo: { api: SYNCED('merge') },
      table: [ROW('api', 'Synced', 'Healthy', '<merge>')]
    })
  },
  {
    name: 'pull-request mode with auto-merge, not merged within argocd-timeout: a notice',
    given: {
      known: { api: 'healthy' },
      inputs: { ...PR, 'auto-merge': 'squash', 'argocd-timeout': '5' },
      allowAutoMerge: true
    },
    expected: landed({
      notices: ['Argo CD sync skipped: pull request #1 was not merged within the Argo CD timeout.'],
      outputs: {
        'commit-sha': '<pr-head>',
        changed: 'true',
        'argocd-sync-status': '',
        'argocd-health-status': ''
      },
      mainTag: '1.4.0',
      argo: {},
      headers: [],
      table: []
    })
  }
]

describe('Argo CD phase through dist/index.js', () => {
  it.each([...COMMIT_MODE, ...PULL_REQUEST_MODE])('$name', async c => {
    expect(await scenario(c.given)).toEqual(c.expected)
  })
})
