/**
 * Commit mode: read → plan → write once, with optimistic concurrency. When the write is
 * refused because the branch or file moved, re-read and re-plan on the new bytes (so another
 * pipeline's change is kept), with jittered backoff, up to `max-attempts`. Never forces.
 */
import { HandoffError } from '../errors.js'
import type { ManifestRepo } from '../ports.js'
import type { Result } from '../result.js'
import { backoffDelay } from './backoff.js'
import {
  fileChangeOf,
  planChanges,
  previousTagOf,
  reportOf,
  type PlanContext,
  type PlannedChange
} from './changes.js'
import { commitMessage, templateValues } from './messages.js'

export interface CommitContext extends PlanContext {
  readonly repo: ManifestRepo
  readonly branch: string
  readonly paths: readonly string[]
  readonly sleep: (ms: number) => Promise<void>
  readonly random: () => number
  /** Milliseconds from a fixed point: the backoff scales with how long one attempt takes. */
  readonly now: () => number
}

export async function publishCommit(ctx: CommitContext): Promise<Result> {
  const { settings, log } = ctx
  for (let attempt = 1; attempt <= settings.maxAttempts; attempt++) {
    const started = ctx.now()
    const snapshot = await log.group(`Read ${ctx.paths.length} file(s) from ${ctx.branch}`, () =>
      ctx.repo.read(ctx.paths, ctx.branch)
    )
    const changes = await log.group('Plan the edit', () => planChanges(ctx, snapshot))
    if (changes.length === 0) {
      const head = snapshot.head || ((await ctx.repo.branchHead(ctx.branch)) ?? '')
      log.info(
        `Already up to date: no file changes, no commit (${ctx.branch} at ${head.slice(0, 12)}).`
      )
      return result(ctx, {
        changed: false,
        commitSha: settings.dryRun ? '' : head,
        changes,
        attempt,
        base: head
      })
    }
    if (settings.dryRun) {
      log.info(`Dry run: ${changes.length} file(s) would change; nothing written.`)
      return result(ctx, { changed: true, commitSha: '', changes, attempt, base: snapshot.head })
    }
    const written = await log.group(`Commit to ${ctx.branch}`, () =>
      write(ctx, changes, snapshot.head)
    )
    if (!written.moved) {
      log.info(`Committed ${written.sha} to ${ctx.branch} (attempt ${attempt}).`)
      return result(ctx, {
        changed: true,
        commitSha: written.sha,
        changes,
        attempt,
        base: snapshot.head
      })
    }
    if (attempt < settings.maxAttempts) {
      const delay = backoffDelay(attempt, ctx.random(), ctx.now() - started)
      log.info(
        `${ctx.branch} moved while we wrote; re-reading and re-applying in ${delay} ms (attempt ${attempt + 1} of ${settings.maxAttempts}).`
      )
      await ctx.sleep(delay)
    }
  }
  throw new HandoffError(
    'CONFLICT',
    `Branch "${ctx.branch}" kept moving: every one of ${settings.maxAttempts} attempts lost the race to another writer`,
    {
      hint: 'Other pipelines are committing to the same branch at a high rate. Raise max-attempts, or serialise the jobs with a workflow "concurrency" group.'
    }
  )
}

function write(ctx: CommitContext, changes: readonly PlannedChange[], head: string) {
  const message = commitMessage(ctx.settings, templateValues(ctx.settings, ctx.updates, changes))
  const request = { branch: ctx.branch, expectedHead: head, message }
  const fileChanges = changes.map(fileChangeOf)
  return fileChanges.length === 1
    ? ctx.repo.updateFile(fileChanges[0], request)
    : ctx.repo.commitFiles(fileChanges, request)
}

interface Outcome {
  readonly changed: boolean
  readonly commitSha: string
  readonly changes: readonly PlannedChange[]
  readonly attempt: number
  readonly base: string
}

function result(ctx: CommitContext, outcome: Outcome): Result {
  return {
    repo: `${ctx.settings.repo.owner}/${ctx.settings.repo.repo}`,
    branch: ctx.branch,
    targetBranch: ctx.branch,
    changed: outcome.changed,
    commitSha: outcome.commitSha,
    baseSha: outcome.base,
    previousTag: previousTagOf(outcome.changes),
    files: outcome.changes.map(reportOf),
    dryRun: ctx.settings.dryRun,
    attempts: outcome.attempt
  }
}
