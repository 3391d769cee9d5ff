/**
 * The optional Argo CD phase: after the commit landed, sync each named application to
 * exactly that commit, then wait (in parallel) until each is Synced at it and Healthy.
 * One deadline covers the whole phase. Every application's outcome is reported; any
 * failure ends in one ArgoPhaseError that carries all outcomes.
 */

import { HandoffError, type ErrorCode, type ErrorDetails } from '../errors.js'
import {
  assess,
  observe,
  short,
  type Application,
  type Observation,
  type Target
} from './application.js'
import { createArgoClient, REQUEST_TIMEOUT_MS, type ArgoApi } from './client.js'
import { pause, systemClock, type Clock } from './clock.js'
import type { Logger } from './logger.js'
import type { AppOutcome } from './types.js'
import { ArgoInput, MAX_TIMEOUT_SECONDS, type ArgoSettings } from './settings.js'

/** A failed phase: the first failure's code, every failure's message, all outcomes. */
export class ArgoPhaseError extends HandoffError {
  readonly outcomes: readonly AppOutcome[]

  constructor(
    code: ErrorCode,
    message: string,
    details: ErrorDetails,
    outcomes: readonly AppOutcome[]
  ) {
    super(code, message, details)
    this.name = 'ArgoPhaseError'
    this.outcomes = outcomes
  }
}

interface Phase {
  readonly api: ArgoApi
  readonly revision: string
  readonly deadline: number
  readonly timeoutSeconds: number
  readonly clock: Clock
  readonly log: Logger
}

interface Started {
  readonly app: string
  readonly staleStartedAt?: string
  readonly seen: Observation
}

interface AppResult {
  readonly outcome: AppOutcome
  readonly error?: HandoffError
}

// Bounds the loops even with a clock that does not advance; the deadline ends them first.
const MAX_ROUNDS = 1000
const MAX_TRANSIENT = 3

export type { AppOutcome }

export async function syncAndWait(
  settings: ArgoSettings,
  revision: string,
  log: Logger,
  clock: Clock = systemClock
): Promise<AppOutcome[]> {
  checkRevision(revision)
  const phase: Phase = {
    // A hung connection must not outlive a short phase timeout.
    api: createArgoClient(
      settings,
      log,
      Math.min(REQUEST_TIMEOUT_MS, settings.timeoutSeconds * 1000)
    ),
    revision,
    deadline: clock.now() + settings.timeoutSeconds * 1000,
    timeoutSeconds: settings.timeoutSeconds,
    clock,
    log
  }
  log.info(`Syncing ${settings.apps.join(', ')} to ${short(revision)} on ${settings.server}`)
  const started = await Promise.all(
    settings.apps.map(app => settle(app, () => startSync(phase, app)))
  )
  const results = await Promise.all(
    started.map(result => {
      if ('outcome' in result) return result
      if (!settings.wait) return { outcome: requested(result, revision) }
      return settle(result.app, () => waitFor(phase, result))
    })
  )
  return report(results, log)
}

function checkRevision(revision: string): void {
  if (!/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/i.test(revision)) {
    throw new HandoffError(
      'INTERNAL',
      `The Argo CD phase needs the full commit SHA, got ${JSON.stringify(revision)}.`,
      {
        hint: 'This is a bug in gitops-handoff: the phase must run only after a commit landed.'
      }
    )
  }
}

/** Run one application's step; a failure becomes that application's result, not a throw. */
async function settle<T>(app: string, step: () => Promise<T>): Promise<T | AppResult> {
  try {
    return await step()
  } catch (caught) {
    const error = caught instanceof HandoffError ? caught : toArgoError(caught, app)
    return failedResult(app, undefined, error)
  }
}

function toArgoError(caught: unknown, app: string): HandoffError {
  const { message } = (typeof caught === 'object' && caught !== null ? caught : {}) as {
    message?: unknown
  }
  return new HandoffError(
    'ARGOCD_ERROR',
    `Argo CD phase for "${app}" failed unexpectedly: ${typeof message === 'string' ? message : String(caught)}`
  )
}

async function startSync(phase: Phase, app: string): Promise<Started> {
  for (let attempt = 0; attempt < MAX_ROUNDS; attempt++) {
    const answer = await phase.api.sync(app, phase.revision)
    if (answer.kind === 'started') {
      phase.log.info(`${app}: sync to ${short(phase.revision)} requested`)
      const staleStartedAt = answer.app.status?.operationState?.startedAt
      return { app, staleStartedAt, seen: observe(answer.app) }
    }
    phase.log.info(`${app}: ${answer.message}; waiting to retry the sync`)
    if (!(await pause(phase.clock, attempt, phase.deadline))) break
  }
  throw busyTimeout(app, phase)
}

async function waitFor(phase: Phase, started: Started): Promise<AppResult> {
  const target = {
    app: started.app,
    revision: phase.revision,
    staleStartedAt: started.staleStartedAt
  }
  const state: PollState = { seen: started.seen, line: '', refresh: false, transient: 0 }
  for (let attempt = 0; attempt < MAX_ROUNDS; attempt++) {
    const result = await poll(phase, target, state)
    if (result !== undefined) return result
    if (!(await pause(phase.clock, attempt, phase.deadline))) break
  }
  return failedResult(started.app, state.seen, waitTimeout(started.app, state.seen, phase))
}

/** What one application's wait carries from poll to poll. */
interface PollState {
  seen: Observation
  /** The last progress line logged. */
  line: string
  refresh: boolean
  /** Transient failures in a row. */
  transient: number
}

/** One read and its judgement: a result ends the wait, undefined means poll again. */
async function poll(
  phase: Phase,
  target: Target,
  state: PollState
): Promise<AppResult | undefined> {
  let read: Application
  try {
    read = await phase.api.get(target.app, state.refresh)
  } catch (caught) {
    const error = caught instanceof HandoffError ? caught : toArgoError(caught, target.app)
    state.transient += 1
    if (!isTransient(error) || state.transient >= MAX_TRANSIENT) {
      return failedResult(target.app, state.seen, error)
    }
    phase.log.warning(`${target.app}: ${error.message} (will retry)`)
    return undefined
  }
  state.seen = observe(read)
  state.transient = 0
  const verdict = assess(read, target)
  if (verdict.kind === 'ready') return { outcome: { app: target.app, ...statusOf(state.seen) } }
  if (verdict.kind === 'failed') return failedResult(target.app, state.seen, verdict.error)
  state.refresh = verdict.refresh
  state.line = progress(phase.log, target.app, state.seen, verdict.reason, state.line)
  return undefined
}

/** Network failures and 5xx: a proxy restarting or Argo CD's server pod rolling. */
function isTransient(error: HandoffError): boolean {
  return error.code === 'ARGOCD_ERROR' && (error.status === undefined || error.status >= 500)
}

/** Log a state line when it changed; returns the line now current. */
function progress(
  log: Logger,
  app: string,
  seen: Observation,
  reason: string,
  before: string
): string {
  const line = `${app}: ${describeSeen(seen)} (${reason})`
  if (line !== before) log.info(line)
  return line
}

function describeSeen(seen: Observation): string {
  const at = seen.revision ? ` at ${short(seen.revision)}` : ''
  return `sync ${seen.syncStatus}${at}, health ${seen.healthStatus}, operation ${seen.operationPhase}`
}

function statusOf(seen: Observation) {
  return { syncStatus: seen.syncStatus, healthStatus: seen.healthStatus, revision: seen.revision }
}

function requested(started: Started, revision: string): AppOutcome {
  return {
    app: started.app,
    syncStatus: 'Requested',
    healthStatus: started.seen.healthStatus,
    revision,
    message: `sync requested, not waited for (${ArgoInput.wait}: false)`
  }
}

function failedResult(app: string, seen: Observation | undefined, error: HandoffError): AppResult {
  const status = seen
    ? statusOf(seen)
    : { syncStatus: 'Unknown', healthStatus: 'Unknown', revision: '' }
  return { outcome: { app, ...status, message: error.message }, error }
}

const TIMEOUT_HINT =
  `The commit stays on the branch and Argo CD may still finish. Raise ${ArgoInput.timeout} ` +
  `(at most ${MAX_TIMEOUT_SECONDS} seconds) or look at the application in the Argo CD UI.`

function waitTimeout(app: string, seen: Observation, phase: Phase): HandoffError {
  return new HandoffError(
    'ARGOCD_TIMEOUT',
    `Argo CD application "${app}" was not Synced at ${short(phase.revision)} and Healthy within ` +
      `${phase.timeoutSeconds} s; last seen: ${describeSeen(seen)}.`,
    { input: ArgoInput.timeout, hint: TIMEOUT_HINT }
  )
}

function busyTimeout(app: string, phase: Phase): HandoffError {
  return new HandoffError(
    'ARGOCD_TIMEOUT',
    `Argo CD application "${app}" could not be synced to ${short(phase.revision)} within ` +
      `${phase.timeoutSeconds} s: another operation was still in progress.`,
    { input: ArgoInput.timeout, hint: TIMEOUT_HINT }
  )
}

function report(results: readonly AppResult[], log: Logger): AppOutcome[] {
  const outcomes = results.map(result => result.outcome)
  for (const { outcome, error } of results) {
    if (error === undefined && outcome.message === undefined) {
      log.info(`${outcome.app}: Synced at ${short(outcome.revision)} and Healthy`)
    }
  }
  const failures = results.filter(result => result.error !== undefined).map(result => result.error!)
  if (failures.length === 0) return outcomes
  const [first] = failures
  const details = { hint: first.hint, input: first.input, status: first.status }
  if (failures.length === 1) throw new ArgoPhaseError(first.code, first.message, details, outcomes)
  const hints = [...new Set(failures.map(failure => failure.hint).filter(hint => hint))]
  throw new ArgoPhaseError(
    first.code,
    `${failures.length} of ${results.length} Argo CD applications failed: ` +
      failures.map(failure => failure.message).join(' '),
    { ...details, hint: hints.join(' ') || undefined },
    outcomes
  )
}
