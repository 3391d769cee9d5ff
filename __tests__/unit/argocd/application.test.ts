import { describe, expect, it } from '@jest/globals'
import { assess, type Application, type Verdict } from '../../../src/argocd/application.js'

const SHA = 'abcdef0123456789abcdef0123456789abcdef01'
const OLD = '1111111111111111111111111111111111111111'
const STALE = '2024-05-01T09:50:00Z'
const target = { app: 'api', revision: SHA, staleStartedAt: STALE }

const ours = {
  operation: { sync: { revision: SHA } },
  phase: 'Succeeded',
  startedAt: '2024-05-01T10:01:00Z',
  finishedAt: '2024-05-01T10:01:20Z',
  syncResult: { revision: SHA, resources: [] }
}
const settled = (overrides: object = {}): Application => ({
  status: {
    sync: { status: 'Synced', revision: SHA },
    health: { status: 'Healthy' },
    operationState: ours,
    reconciledAt: '2024-05-01T10:01:20Z',
    ...overrides
  }
})

/** The verdict as data: an error becomes its code and message. */
function judge(
  app: Application,
  t: typeof target | Omit<typeof target, 'staleStartedAt'> = target
) {
  const verdict: Verdict = assess(app, t)
  return verdict.kind === 'failed'
    ? { kind: 'failed', code: verdict.error.code, message: verdict.error.message }
    : verdict
}

const waiting = (reason: string, refresh = false) => ({ kind: 'waiting', reason, refresh })
const resource = (i: number) => ({
  kind: 'ConfigMap',
  namespace: 'prod',
  name: `c${i}`,
  status: 'SyncFailed',
  message: 'bad'
})

describe('assess', () => {
  it.each([
    {
      name: 'Synced at our revision and Healthy, reconciled at finish',
      app: settled(),
      want: { kind: 'ready' }
    },
    {
      name: 'sync requested, operation field still set',
      app: { ...settled(), operation: { sync: { revision: SHA } } },
      want: waiting('sync requested, not started yet')
    },
    {
      name: 'only the previous operation shows (cache lag), old revision Synced/Healthy',
      app: settled({
        sync: { status: 'Synced', revision: OLD },
        operationState: { ...ours, startedAt: STALE }
      }),
      want: waiting('sync requested, not started yet')
    },
    {
      name: 'previous operation Failed is not ours',
      app: settled({ operationState: { ...ours, phase: 'Failed', startedAt: STALE } }),
      want: waiting('sync requested, not started yet')
    },
    {
      name: 'without a baseline, an operation for another revision is not ours',
      app: settled({
        operationState: {
          ...ours,
          phase: 'Failed',
          operation: { sync: { revision: OLD } },
          syncResult: { revision: OLD }
        }
      }),
      target: { app: 'api', revision: SHA },
      want: waiting('sync requested, not started yet')
    },
    {
      name: 'without a baseline, an operation for our revision is ours',
      app: settled(),
      target: { app: 'api', revision: SHA.toUpperCase() },
      want: { kind: 'ready' }
    },
    {
      name: 'no operation state at all',
      app: { status: { sync: { status: 'Synced', revision: SHA }, health: { status: 'Healthy' } } },
      want: waiting('sync requested, not started yet')
    },
    {
      name: 'operation running',
      app: settled({ operationState: { ...ours, phase: 'Running', finishedAt: undefined } }),
      want: waiting('operation Running')
    },
    {
      name: 'Degraded while the operation runs is not final',
      app: settled({
        health: { status: 'Degraded' },
        operationState: { ...ours, phase: 'Running', finishedAt: undefined }
      }),
      want: waiting('operation Running')
    },
    {
      name: 'finished but health not re-assessed since: ask for a refresh',
      app: settled({ reconciledAt: '2024-05-01T10:01:19Z' }),
      want: waiting('Argo CD has not re-assessed health since the sync', true)
    },
    {
      name: 'finished, never reconciled',
      app: settled({ reconciledAt: undefined }),
      want: waiting('Argo CD has not re-assessed health since the sync', true)
    },
    {
      name: 'finished, but status shows another revision',
      app: settled({ sync: { status: 'Synced', revision: OLD } }),
      want: waiting('still at revision 111111111111')
    },
    {
      name: 'OutOfSync at our revision',
      app: settled({
        sync: { status: 'OutOfSync', revision: SHA },
        health: { status: 'Progressing' }
      }),
      want: waiting('sync OutOfSync, health Progressing')
    },
    {
      name: 'Suspended is not Healthy',
      app: settled({ health: { status: 'Suspended' } }),
      want: waiting('sync Synced, health Suspended')
    },
    {
      name: 'Degraded with the application message only',
      app: settled({ health: { status: 'Degraded', message: 'pods crash' } }),
      want: {
        kind: 'failed',
        code: 'ARGOCD_DEGRADED',
        message: 'Argo CD application "api" is Degraded at abcdef012345. pods crash'
      }
    },
    {
      name: 'Degraded, naming degraded resources (cluster-scoped without namespace)',
      app: settled({
        health: { status: 'Degraded' },
        resources: [
          {
            kind: 'Deployment',
            namespace: 'prod',
            name: 'api',
            health: { status: 'Degraded', message: 'deadline exceeded' }
          },
          { kind: 'Service', namespace: 'prod', name: 'api', health: { status: 'Healthy' } },
          { kind: 'APIService', name: 'v1.metrics', health: { status: 'Degraded' } }
        ]
      }),
      want: {
        kind: 'failed',
        code: 'ARGOCD_DEGRADED',
        message:
          'Argo CD application "api" is Degraded at abcdef012345. Degraded resources: Deployment/prod/api: deadline exceeded; APIService/v1.metrics'
      }
    },
    {
      name: 'operation Error without resources',
      app: settled({
        operationState: { ...ours, phase: 'Error', message: 'ComparisonError: repo not found' }
      }),
      want: {
        kind: 'failed',
        code: 'ARGOCD_SYNC_FAILED',
        message:
          'Argo CD application "api" failed to sync to abcdef012345 (operation Error: ComparisonError: repo not found).'
      }
    },
    {
      name: 'operation Failed: failed resources and hooks named, Synced and Pruned ones not, list capped',
      app: settled({
        operationState: {
          ...ours,
          phase: 'Failed',
          message: 'one or more objects failed to apply',
          syncResult: {
            resources: [
              {
                kind: 'Job',
                namespace: 'prod',
                name: 'migrate',
                status: 'Synced',
                hookType: 'PreSync',
                hookPhase: 'Failed',
                message: 'backoff limit'
              },
              { kind: 'Service', namespace: 'prod', name: 'api', status: 'Synced', message: 'ok' },
              { kind: 'ClusterRole', name: 'old', status: 'Pruned' },
              ...Array.from({ length: 11 }, (_, i) => resource(i))
            ]
          }
        }
      }),
      want: {
        kind: 'failed',
        code: 'ARGOCD_SYNC_FAILED',
        message:
          'Argo CD application "api" failed to sync to abcdef012345 (operation Failed: one or more objects failed to apply). ' +
          'Failed resources: Job/prod/migrate (PreSync hook Failed): backoff limit; ' +
          Array.from({ length: 9 }, (_, i) => `ConfigMap/prod/c${i}: bad`).join('; ') +
          '; and 2 more'
      }
    },
    {
      name: 'malformed status fields read as unknown, never throw',
      app: {
        status: { operationState: { ...ours, syncResult: { resources: 'x' } }, reconciledAt: 7 }
      } as unknown as Application,
      want: waiting('Argo CD has not re-assessed health since the sync', true)
    }
  ])('$name', ({ app, target: t, want }) => {
    expect(judge(app as Application, t ?? target)).toEqual(want)
  })
})
