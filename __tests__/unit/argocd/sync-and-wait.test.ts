import { afterEach, describe, expect, it } from '@jest/globals'
import { HandoffError } from '../../../src/errors.js'
import { ArgoPhaseError, syncAndWait } from '../../../src/argocd/sync-and-wait.js'
import type { ArgoSettings } from '../../../src/argocd/settings.js'
import type { Clock } from '../../../src/argocd/clock.js'
import type { AppOutcome } from '../../../src/argocd/types.js'
import {
  startArgoDouble,
  type ArgoDouble,
  type ArgoScenario
} from '../../support/argocd-double.mjs'

const SHA = 'abcdef0123456789abcdef0123456789abcdef01'
const TOKEN = 'argo-token-5ecret-do-not-print'
const WRONG_TOKEN = 'argo-token-wrong-do-not-print'

/** Virtual time: a sleep ends at (time it started + ms); parallel sleeps overlap as real ones. */
function virtualClock() {
  let now = 0
  const sleeps: number[] = []
  const clock: Clock = {
    now: () => now,
    sleep: async ms => {
      sleeps.push(ms)
      const wake = now + ms
      await new Promise(resolve => setImmediate(resolve))
      now = Math.max(now, wake)
    }
  }
  return { clock, sleeps }
}

function captureLog() {
  const lines: string[] = []
  return {
    lines,
    log: {
      info: (m: string) => lines.push(`info: ${m}`),
      warning: (m: string) => lines.push(`warning: ${m}`),
      debug: (m: string) => lines.push(`debug: ${m}`)
    }
  }
}

let doubles: ArgoDouble[] = []
afterEach(async () => {
  await Promise.all(doubles.map(d => d.close()))
  doubles = []
})

async function double(apps: Record<string, ArgoScenario>, tls = false): Promise<ArgoDouble> {
  const started = await startArgoDouble({ apps, token: TOKEN, tls })
  doubles.push(started)
  return started
}

interface Case {
  name: string
  apps: Record<string, ArgoScenario>
  settings?: Partial<ArgoSettings>
}

/**
 * Run the phase against a double and reduce everything a user could see to one value:
 * outcomes or the error (server URL replaced by <server>), the backoff sleeps, and whether
 * the token leaked into any message, hint or log line.
 */
async function run(c: Case) {
  const argo = await double(c.apps)
  const { clock, sleeps } = virtualClock()
  const { log, lines } = captureLog()
  const settings: ArgoSettings = {
    server: argo.url,
    token: TOKEN,
    apps: Object.keys(c.apps),
    wait: true,
    timeoutSeconds: 300,
    insecure: false,
    ...c.settings
  }
  const scrub = (text: string) => text.split(argo.url).join('<server>')
  let result: object
  try {
    result = { outcomes: await syncAndWait(settings, SHA, log, clock) }
  } catch (error) {
    const e = error as ArgoPhaseError
    result = {
      error: {
        name: e.name,
        code: e.code,
        message: scrub(e.message),
        outcomes: e.outcomes.map(scrubOutcome(scrub))
      }
    }
    lines.push(`error: ${e.message}`, `hint: ${e.hint}`)
  }
  const leaked = lines.some(line => line.includes(TOKEN) || line.includes(WRONG_TOKEN))
  return { result, sleeps: [...sleeps].sort((a, b) => a - b), leaked, argo, lines }
}

const scrubOutcome = (scrub: (t: string) => string) => (o: AppOutcome) =>
  o.message === undefined ? o : { ...o, message: scrub(o.message) }

const synced = (app: string) => ({
  app,
  syncStatus: 'Synced',
  healthStatus: 'Healthy',
  revision: SHA
})

const DEGRADED_MESSAGE =
  'Argo CD application "web" is Degraded at abcdef012345. Degraded resources: Deployment/prod/web: Deployment "web" exceeded its progress deadline'
const SYNC_FAILED_MESSAGE =
  'Argo CD application "api" failed to sync to abcdef012345 (operation Failed: one or more objects failed to apply, reason: ' +
  'Deployment.apps "api" is invalid: spec.template.spec.containers[0].image: Required value). Failed resources: ' +
  'Deployment/prod/api: Deployment.apps "api" is invalid: spec.template.spec.containers[0].image: Required value; ' +
  'Job/prod/db-migrate (PreSync hook Failed): Job has reached the specified backoff limit'

describe('syncAndWait against the Argo CD double', () => {
  it.each([
    {
      name: 'healthy: waits past the old revision shown as Synced/Healthy',
      apps: { api: 'healthy' },
      want: { result: { outcomes: [synced('api')] }, sleeps: [1000, 2000] }
    },
    {
      name: 'a stale Failed operation from before the sync is not taken as ours',
      apps: { api: { scenario: 'healthy', previousPhase: 'Failed' } },
      want: { result: { outcomes: [synced('api')] }, sleeps: [1000, 2000] }
    },
    {
      name: 'health not re-assessed after the operation: refresh, then pass',
      apps: { api: { scenario: 'healthy', reconcileOnRefresh: true } },
      want: { result: { outcomes: [synced('api')] }, sleeps: [1000, 2000, 4000] }
    },
    {
      name: 'application in another namespace',
      apps: { 'team-a/web': 'healthy' },
      want: { result: { outcomes: [synced('team-a/web')] }, sleeps: [1000, 2000] }
    },
    {
      name: 'operation in progress: sync retried with backoff, then waits',
      apps: { api: { scenario: 'operation-in-progress', busySyncs: 3 } },
      want: { result: { outcomes: [synced('api')] }, sleeps: [1000, 1000, 2000, 2000, 4000] }
    },
    {
      name: 'two 502s from a proxy while polling are tolerated',
      apps: { api: { scenario: 'healthy', flakyReads: 2 } },
      want: { result: { outcomes: [synced('api')] }, sleeps: [1000, 2000, 4000, 8000] }
    },
    {
      name: 'a third 502 in a row ends the wait, keeping what was last seen',
      apps: { api: { scenario: 'healthy', flakyReads: 3 } },
      want: {
        result: {
          error: {
            name: 'ArgoPhaseError',
            code: 'ARGOCD_ERROR',
            message: 'Argo CD at <server> answered HTTP 502 when reading "api": 502 Bad Gateway',
            outcomes: [
              {
                app: 'api',
                syncStatus: 'Synced',
                healthStatus: 'Healthy',
                revision: '1111111111111111111111111111111111111111',
                message: 'Argo CD at <server> answered HTTP 502 when reading "api": 502 Bad Gateway'
              }
            ]
          }
        },
        sleeps: [1000, 2000]
      }
    },
    {
      name: 'degraded fails fast',
      apps: { web: 'degraded' },
      want: {
        result: {
          error: {
            name: 'ArgoPhaseError',
            code: 'ARGOCD_DEGRADED',
            message: DEGRADED_MESSAGE,
            outcomes: [
              {
                app: 'web',
                syncStatus: 'Synced',
                healthStatus: 'Degraded',
                revision: SHA,
                message: DEGRADED_MESSAGE
              }
            ]
          }
        },
        sleeps: [1000, 2000]
      }
    },
    {
      name: 'sync failed names the failed resources and hooks',
      apps: { api: 'sync-failed' },
      want: {
        result: {
          error: {
            name: 'ArgoPhaseError',
            code: 'ARGOCD_SYNC_FAILED',
            message: SYNC_FAILED_MESSAGE,
            outcomes: [
              {
                app: 'api',
                syncStatus: 'OutOfSync',
                healthStatus: 'Healthy',
                revision: SHA,
                message: SYNC_FAILED_MESSAGE
              }
            ]
          }
        },
        sleeps: [1000, 2000]
      }
    },
    {
      name: 'never syncs: timeout after bounded backoff, naming what was last seen',
      apps: { api: 'never-syncs' },
      settings: { timeoutSeconds: 30 },
      want: {
        result: {
          error: {
            name: 'ArgoPhaseError',
            code: 'ARGOCD_TIMEOUT',
            message:
              'Argo CD application "api" was not Synced at abcdef012345 and Healthy within 30 s; last seen: sync Synced at 111111111111, health Healthy, operation Succeeded.',
            outcomes: [
              {
                app: 'api',
                syncStatus: 'Synced',
                healthStatus: 'Healthy',
                revision: '1111111111111111111111111111111111111111',
                message:
                  'Argo CD application "api" was not Synced at abcdef012345 and Healthy within 30 s; last seen: sync Synced at 111111111111, health Healthy, operation Succeeded.'
              }
            ]
          }
        },
        sleeps: [1000, 2000, 4000, 5000, 8000, 10000]
      }
    },
    {
      name: 'operation in progress past the timeout',
      apps: { api: { scenario: 'operation-in-progress', busySyncs: 1000 } },
      settings: { timeoutSeconds: 20 },
      want: {
        result: {
          error: {
            name: 'ArgoPhaseError',
            code: 'ARGOCD_TIMEOUT',
            message:
              'Argo CD application "api" could not be synced to abcdef012345 within 20 s: another operation was still in progress.',
            outcomes: [
              {
                app: 'api',
                syncStatus: 'Unknown',
                healthStatus: 'Unknown',
                revision: '',
                message:
                  'Argo CD application "api" could not be synced to abcdef012345 within 20 s: another operation was still in progress.'
              }
            ]
          }
        },
        sleeps: [1000, 2000, 4000, 5000, 8000]
      }
    },
    {
      name: 'bad token',
      apps: { api: 'healthy' },
      settings: { token: WRONG_TOKEN },
      want: {
        result: {
          error: {
            name: 'ArgoPhaseError',
            code: 'ARGOCD_AUTH',
            message:
              'Argo CD at <server> refused the token (HTTP 401: invalid session: token signature is invalid) when syncing "api".',
            outcomes: [
              {
                app: 'api',
                syncStatus: 'Unknown',
                healthStatus: 'Unknown',
                revision: '',
                message:
                  'Argo CD at <server> refused the token (HTTP 401: invalid session: token signature is invalid) when syncing "api".'
              }
            ]
          }
        },
        sleeps: []
      }
    },
    {
      name: 'unknown application (Argo CD answers 403 permission denied)',
      apps: { api: 'healthy' },
      settings: { apps: ['apii'] },
      want: {
        result: {
          error: {
            name: 'ArgoPhaseError',
            code: 'ARGOCD_NOT_FOUND',
            message:
              'Argo CD application "apii" does not exist or the token may not sync it (HTTP 403: permission denied).',
            outcomes: [
              {
                app: 'apii',
                syncStatus: 'Unknown',
                healthStatus: 'Unknown',
                revision: '',
                message:
                  'Argo CD application "apii" does not exist or the token may not sync it (HTTP 403: permission denied).'
              }
            ]
          }
        },
        sleeps: []
      }
    },
    {
      name: 'wait off: only the sync is requested',
      apps: { api: 'healthy', 'team-a/web': 'healthy' },
      settings: { wait: false },
      want: {
        result: {
          outcomes: ['api', 'team-a/web'].map(app => ({
            app,
            syncStatus: 'Requested',
            healthStatus: 'Healthy',
            revision: SHA,
            message: 'sync requested, not waited for (argocd-wait: false)'
          }))
        },
        sleeps: []
      }
    },
    {
      name: 'several applications: every outcome reported, the failure thrown',
      apps: { api: 'healthy', web: 'degraded', 'team-a/worker': 'healthy' },
      want: {
        result: {
          error: {
            name: 'ArgoPhaseError',
            code: 'ARGOCD_DEGRADED',
            message: DEGRADED_MESSAGE,
            outcomes: [
              synced('api'),
              {
                app: 'web',
                syncStatus: 'Synced',
                healthStatus: 'Degraded',
                revision: SHA,
                message: DEGRADED_MESSAGE
              },
              synced('team-a/worker')
            ]
          }
        },
        sleeps: [1000, 1000, 1000, 2000, 2000, 2000]
      }
    },
    {
      name: 'several failures: one error naming each',
      apps: { api: 'sync-failed', web: 'degraded' },
      want: {
        result: {
          error: {
            name: 'ArgoPhaseError',
            code: 'ARGOCD_SYNC_FAILED',
            message: `2 of 2 Argo CD applications failed: ${SYNC_FAILED_MESSAGE} ${DEGRADED_MESSAGE}`,
            outcomes: [
              {
                app: 'api',
                syncStatus: 'OutOfSync',
                healthStatus: 'Healthy',
                revision: SHA,
                message: SYNC_FAILED_MESSAGE
              },
              {
                app: 'web',
                syncStatus: 'Synced',
                healthStatus: 'Degraded',
                revision: SHA,
                message: DEGRADED_MESSAGE
              }
            ]
          }
        },
        sleeps: [1000, 1000, 2000, 2000]
      }
    }
  ] as (Case & { want: object })[])('$name', async c => {
    const { result, sleeps, leaked } = await run(c)
    expect({ result, sleeps, leaked }).toEqual({ ...c.want, leaked: false })
  })

  it('sends exactly the documented requests: Bearer token, Content-Type application/json, body in JSON', async () => {
    const { argo } = await run({ name: 'shape', apps: { api: 'healthy', 'team-a/web': 'healthy' } })
    const seen = argo.log.map(r => ({
      request: `${r.method} ${r.path}`,
      query: r.query,
      contentType: r.headers['content-type'],
      accept: r.headers.accept,
      auth: r.auth,
      body: r.body,
      status: r.status
    }))
    const get = (app: string, query: Record<string, string> = {}): (typeof seen)[number] => ({
      request: `GET /api/v1/applications/${app}`,
      query,
      contentType: undefined,
      accept: 'application/json',
      auth: 'valid',
      body: undefined,
      status: 200
    })
    const sorted = (list: typeof seen) =>
      [...list].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
    expect(sorted(seen)).toEqual(
      sorted([
        {
          request: 'POST /api/v1/applications/api/sync',
          query: {},
          contentType: 'application/json',
          accept: 'application/json',
          auth: 'valid',
          body: { revision: SHA, prune: false },
          status: 200
        },
        {
          request: 'POST /api/v1/applications/web/sync',
          query: { appNamespace: 'team-a' },
          contentType: 'application/json',
          accept: 'application/json',
          auth: 'valid',
          body: { revision: SHA, prune: false, appNamespace: 'team-a' },
          status: 200
        },
        ...[1, 2, 3].map(() => get('api')),
        ...[1, 2, 3].map(() => get('web', { appNamespace: 'team-a' }))
      ])
    )
  })

  it('logs progress once per change and never the token', async () => {
    const { lines, argo } = await run({ name: 'log', apps: { api: 'healthy' } })
    expect(lines.filter(line => !line.startsWith('debug: '))).toEqual([
      `info: Syncing api to abcdef012345 on ${argo.url}`,
      'info: api: sync to abcdef012345 requested',
      'info: api: sync Synced at 111111111111, health Healthy, operation Succeeded (sync requested, not started yet)',
      'info: api: sync OutOfSync at abcdef012345, health Progressing, operation Running (operation Running)',
      'info: api: Synced at abcdef012345 and Healthy'
    ])
  })

  it('asks Argo CD to refresh while health predates the operation', async () => {
    const { argo } = await run({
      name: 'refresh',
      apps: { api: { scenario: 'healthy', reconcileOnRefresh: true } }
    })
    expect(argo.log.filter(r => r.method === 'GET').map(r => r.query)).toEqual([
      {},
      {},
      {},
      { refresh: 'normal' }
    ])
  })
})

describe('syncAndWait over TLS with a self-signed certificate', () => {
  it.each([
    { name: 'insecure accepts it', insecure: true, want: { outcomes: [synced('api')] } },
    {
      name: 'verification refuses it, with a hint',
      insecure: false,
      want: {
        code: 'ARGOCD_ERROR',
        hint: "The server's TLS certificate is not trusted: add its CA with NODE_EXTRA_CA_CERTS, or set argocd-insecure: true to skip verification (only for a private network)."
      }
    }
  ])('$name', async ({ insecure, want }) => {
    const argo = await double({ api: 'healthy' }, true)
    const settings = {
      server: argo.url,
      token: TOKEN,
      apps: ['api'],
      wait: true,
      timeoutSeconds: 60,
      insecure
    }
    const outcome = await syncAndWait(settings, SHA, captureLog().log, virtualClock().clock).then(
      outcomes => ({ outcomes }),
      (e: HandoffError) => ({ code: e.code, hint: e.hint })
    )
    expect(outcome).toEqual(want)
  })
})

describe('syncAndWait failures outside Argo CD', () => {
  it('an unreachable server is ARGOCD_ERROR naming the server, without the token', async () => {
    const argo = await double({ api: 'healthy' })
    await argo.close()
    doubles = []
    const settings = {
      server: argo.url,
      token: TOKEN,
      apps: ['api'],
      wait: true,
      timeoutSeconds: 60,
      insecure: false
    }
    const error = await syncAndWait(settings, SHA, captureLog().log, virtualClock().clock).catch(
      (e: HandoffError) => e
    )
    const { code, message } = error as HandoffError
    expect({
      code,
      message: message.replace(/\d+$/, 'PORT'),
      leaked: message.includes(TOKEN)
    }).toEqual({
      code: 'ARGOCD_ERROR',
      message: `Could not reach Argo CD at ${argo.url} when syncing "api": connect ECONNREFUSED 127.0.0.1:PORT`,
      leaked: false
    })
  })

  it('refuses a revision that is not a full commit SHA before any request', async () => {
    const argo = await double({ api: 'healthy' })
    const settings = {
      server: argo.url,
      token: TOKEN,
      apps: ['api'],
      wait: true,
      timeoutSeconds: 60,
      insecure: false
    }
    const error = await syncAndWait(settings, 'main', captureLog().log).catch(
      (e: HandoffError) => e
    )
    expect({ code: (error as HandoffError).code, requests: argo.log.length }).toEqual({
      code: 'INTERNAL',
      requests: 0
    })
  })
})
