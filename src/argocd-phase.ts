/**
 * When the optional Argo CD phase runs and on which revision: after a commit-mode handoff,
 * on the commit that holds the desired state; in pull-request mode only once the PR has been
 * merged (auto-merge) within the timeout, on the merge commit; never in dry-run.
 */
import { syncAndWait, ArgoPhaseError, type AppOutcome, type Clock } from './argocd/index.js'
import type { Logger } from './log.js'
import type { PullRequests } from './ports.js'
import type { Result } from './result.js'
import type { Settings } from './settings.js'

export interface ArgoPhaseDeps {
  readonly pulls: PullRequests
  readonly log: Logger
  /** Waits `ms` × `settings.delayScale` (the wiring scales it, as for GitHub retries). */
  readonly sleep: (ms: number) => Promise<void>
  /** Real milliseconds (Date.now). */
  readonly now: () => number
}

/**
 * The phase's time. `deps.sleep` already shrinks waits by `delayScale`, so `now` is read on
 * the same scale: backoff, the merge wait and `argocd-timeout` shrink together and a test
 * run stays the same sequence of polls as a real one, only faster.
 */
export function phaseClock(delayScale: number, deps: Pick<ArgoPhaseDeps, 'sleep' | 'now'>): Clock {
  return { now: () => deps.now() / delayScale, sleep: deps.sleep }
}

/** The result with Argo CD outcomes; throws ArgoPhaseError (carrying outcomes) on failure. */
export async function runArgoPhase(
  settings: Settings,
  result: Result,
  deps: ArgoPhaseDeps
): Promise<Result> {
  const argocd = settings.argocd
  if (!argocd || settings.dryRun) return result
  const clock = phaseClock(settings.delayScale, deps)
  const revision = await revisionToSync(settings, result, deps, clock)
  if (!revision) return result
  const outcomes: AppOutcome[] = await deps.log.group(
    `Argo CD: sync ${argocd.apps.join(', ')}`,
    () => syncAndWait(argocd, revision, deps.log, clock)
  )
  return { ...result, argocd: outcomes }
}

async function revisionToSync(
  settings: Settings,
  result: Result,
  deps: ArgoPhaseDeps,
  clock: Clock
): Promise<string | undefined> {
  if (!result.pullRequest) return result.commitSha || undefined
  if (!settings.pullRequest.autoMerge) {
    deps.log.notice(
      'Argo CD sync skipped: in pull-request mode it runs once the PR is merged; set auto-merge to wait for the merge.'
    )
    return undefined
  }
  return waitForMerge(settings, result.pullRequest.number, deps, clock)
}

async function waitForMerge(
  settings: Settings,
  number: number,
  deps: ArgoPhaseDeps,
  clock: Clock
): Promise<string | undefined> {
  const deadline = clock.now() + (settings.argocd?.timeoutSeconds ?? 300) * 1000
  for (let delay = 2000; clock.now() < deadline; delay = Math.min(delay * 2, 15000)) {
    const pr = await deps.pulls.get(number)
    if (pr.merged && pr.mergeCommitSha) return pr.mergeCommitSha
    if (pr.state === 'closed') break
    await clock.sleep(Math.min(delay, Math.max(0, deadline - clock.now())))
  }
  deps.log.notice(
    `Argo CD sync skipped: pull request #${number} was not merged within the Argo CD timeout.`
  )
  return undefined
}

export { ArgoPhaseError }
