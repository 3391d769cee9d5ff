/**
 * The part of an Argo CD Application we read, and the pure judgement "is this application
 * Synced at our revision and Healthy, still on its way, or failed?". No I/O.
 *
 * Argo CD facts this relies on (server/application and cmd/argocd `app wait`):
 * - `operation` is set from the sync request until the controller finishes it;
 * - `status.operationState` describes the latest operation; right after a sync request the
 *   API may still serve the previous one (its informer cache lags), so an operationState
 *   whose `startedAt` equals the one seen in the sync response is stale;
 * - health is assessed in a separate reconciliation: until `reconciledAt` >= the
 *   operation's `finishedAt`, health (and sync status) may predate the operation.
 */

import { HandoffError } from '../errors.js'

export interface ResourceResult {
  readonly group?: string
  readonly kind?: string
  readonly namespace?: string
  readonly name?: string
  readonly status?: string
  readonly message?: string
  readonly hookType?: string
  readonly hookPhase?: string
}

export interface OperationState {
  readonly operation?: { readonly sync?: { readonly revision?: string } }
  readonly phase?: string
  readonly message?: string
  readonly startedAt?: string
  readonly finishedAt?: string
  readonly syncResult?: {
    readonly revision?: string
    readonly resources?: readonly ResourceResult[]
  }
}

export interface ResourceStatus {
  readonly kind?: string
  readonly namespace?: string
  readonly name?: string
  readonly health?: { readonly status?: string; readonly message?: string }
}

export interface Application {
  readonly operation?: unknown
  readonly status?: {
    readonly sync?: { readonly status?: string; readonly revision?: string }
    readonly health?: { readonly status?: string; readonly message?: string }
    readonly operationState?: OperationState
    readonly reconciledAt?: string
    readonly resources?: readonly ResourceStatus[]
  }
}

/** What a user is shown about an application at one moment. */
export interface Observation {
  readonly syncStatus: string
  readonly healthStatus: string
  readonly revision: string
  readonly operationPhase: string
}

export interface Target {
  /** The application as the user named it (for messages). */
  readonly app: string
  readonly revision: string
  /** `status.operationState.startedAt` in the sync response: the operation before ours. */
  readonly staleStartedAt?: string
}

export type Verdict =
  | { readonly kind: 'ready' }
  | { readonly kind: 'waiting'; readonly reason: string; readonly refresh: boolean }
  | { readonly kind: 'failed'; readonly error: HandoffError }

const UNKNOWN = 'Unknown'
const FAILED_PHASES = ['Failed', 'Error']
const MAX_LISTED = 10

export function observe(app: Application): Observation {
  const status = app.status
  return {
    syncStatus: text(status?.sync?.status) ?? UNKNOWN,
    healthStatus: text(status?.health?.status) ?? UNKNOWN,
    revision: text(status?.sync?.revision) ?? '',
    operationPhase: text(status?.operationState?.phase) ?? 'none'
  }
}

export function assess(app: Application, target: Target): Verdict {
  const operation = ourOperation(app, target)
  const requested = app.operation !== undefined && app.operation !== null
  if (requested || operation === undefined) return waiting('sync requested, not started yet')
  if (FAILED_PHASES.includes(operation.phase ?? '')) return failed(syncFailed(operation, target))
  if (text(operation.finishedAt) === undefined)
    return waiting(`operation ${operation.phase ?? 'Running'}`)
  if (!reconciledAfter(app, operation)) return refreshing
  return judgeStatus(app, target)
}

const refreshing: Verdict = {
  kind: 'waiting',
  reason: 'Argo CD has not re-assessed health since the sync',
  refresh: true
}

function judgeStatus(app: Application, target: Target): Verdict {
  const seen = observe(app)
  if (seen.revision.toLowerCase() !== target.revision.toLowerCase()) {
    return waiting(`still at revision ${short(seen.revision) || 'none'}`)
  }
  if (seen.healthStatus === 'Degraded') return failed(degraded(app, target))
  if (seen.syncStatus === 'Synced' && seen.healthStatus === 'Healthy') return { kind: 'ready' }
  return waiting(`sync ${seen.syncStatus}, health ${seen.healthStatus}`)
}

/** The operation started by our sync request, or undefined while only an older one shows. */
function ourOperation(app: Application, target: Target): OperationState | undefined {
  const operation = app.status?.operationState
  if (operation === undefined || operation === null) return undefined
  if (target.staleStartedAt !== undefined) {
    return operation.startedAt === target.staleStartedAt ? undefined : operation
  }
  // Without a baseline, only an operation for our revision can be ours.
  const revision = operation.syncResult?.revision ?? operation.operation?.sync?.revision ?? ''
  return revision.toLowerCase() === target.revision.toLowerCase() ? operation : undefined
}

function reconciledAfter(app: Application, operation: OperationState): boolean {
  const reconciled = Date.parse(text(app.status?.reconciledAt) ?? '')
  const finished = Date.parse(text(operation.finishedAt) ?? '')
  return !Number.isNaN(reconciled) && (Number.isNaN(finished) || reconciled >= finished)
}

function syncFailed(operation: OperationState, target: Target): HandoffError {
  const resources = list<ResourceResult>(operation.syncResult?.resources).filter(isFailedResource)
  const listed = listResources(resources.map(describeResult))
  const reason = operation.message ? `: ${operation.message}` : ''
  return new HandoffError(
    'ARGOCD_SYNC_FAILED',
    `Argo CD application "${target.app}" failed to sync to ${short(target.revision)} ` +
      `(operation ${operation.phase}${reason}).${listed ? ` Failed resources: ${listed}` : ''}`,
    {
      hint:
        'The commit stays on the branch. Fix the failing resources (the sync result is in the ' +
        'Argo CD UI) and push a fix, or sync again by hand once the cause is gone.'
    }
  )
}

function degraded(app: Application, target: Target): HandoffError {
  const resources = list<ResourceStatus>(app.status?.resources).filter(
    r => r.health?.status === 'Degraded'
  )
  const listed = listResources(resources.map(r => describe(r, r.health?.message)))
  const message = text(app.status?.health?.message)
  const detail = listed ? ` Degraded resources: ${listed}` : message ? ` ${message}` : ''
  return new HandoffError(
    'ARGOCD_DEGRADED',
    `Argo CD application "${target.app}" is Degraded at ${short(target.revision)}.${detail}`,
    {
      hint:
        'The commit stays on the branch and Argo CD applied it, but the workload is unhealthy: ' +
        'check its pods (image pull, crash loop, probes) and roll forward or back.'
    }
  )
}

function isFailedResource(resource: ResourceResult): boolean {
  if (FAILED_PHASES.includes(resource.hookPhase ?? '')) return true
  // Pruned and PruneSkipped are outcomes of a healthy sync, not failures.
  return resource.status === 'SyncFailed'
}

function describeResult(resource: ResourceResult): string {
  const hook =
    resource.hookPhase && resource.hookType
      ? ` (${resource.hookType} hook ${resource.hookPhase})`
      : ''
  return describe(resource, resource.message, hook)
}

function describe(resource: ResourceStatus, message: string | undefined, suffix = ''): string {
  const where = [resource.kind, resource.namespace, resource.name].filter(part => part).join('/')
  return `${where || 'resource'}${suffix}${message ? `: ${message}` : ''}`
}

function listResources(lines: readonly string[]): string {
  if (lines.length === 0) return ''
  const more = lines.length > MAX_LISTED ? `; and ${lines.length - MAX_LISTED} more` : ''
  return `${lines.slice(0, MAX_LISTED).join('; ')}${more}`
}

function waiting(reason: string): Verdict {
  return { kind: 'waiting', reason, refresh: false }
}

function failed(error: HandoffError): Verdict {
  return { kind: 'failed', error }
}

/** Entries of a JSON array that are objects; anything else reads as empty. */
function list<T extends object>(value: unknown): readonly T[] {
  if (!Array.isArray(value)) return []
  return value.filter((entry): entry is T => typeof entry === 'object' && entry !== null)
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** Git SHAs shortened for messages; other revisions (branches, tags) are shown whole. */
export function short(revision: string): string {
  return /^[0-9a-f]{40}$/i.test(revision) ? revision.slice(0, 12) : revision
}
