/**
 * Commit mode: read → plan → write once, with optimistic concurrency. When the write is
 * refused because the branch or file moved, re-read and re-plan on the new bytes (so another
 * pipeline's change is kept), with jittered backoff, up to `max-attempts`. Never forces.
 */
import { HandoffError } from '../errors.js'
import type { ManifestRepo, ReadSnapshot } from '../ports.js'
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

/** A single-file write refused as "moved": it may be our own, answered twice. */
interface Unconfirmed {
  readonly changes: readonly PlannedChange[]
  readonly message: string
  readonly base: string
  readonly attempt: number
}

export async function publishCommit(ctx: CommitContext): Promise<Result> {
  const { settings, log } = ctx
  let unconfirmed: Unconfirmed | undefined
  for (let attempt = 1; attempt <= settings.maxAttempts; attempt++) {
    const started = ctx.now()
    const snapshot = await log.group(`Read ${ctx.paths.length} file(s) from ${ctx.branch}`, () =>
      ctx.repo.read(ctx.paths, ctx.branch)
    )
    const changes = await log.group('Plan the edit', () => planChanges(ctx, snapshot))
    if (changes.length === 0) return upToDate(ctx, snapshot, attempt, unconfirmed)
    if (settings.dryRun) {
      log.info(`Dry run: ${changes.length} file(s) would change; nothing written.`)
      return result(ctx, { changed: true, commitSha: '', changes, attempt, base: snapshot.head })
    }
    const message = commitMessage(settings, templateValues(settings, ctx.updates, changes))
    const written = await log.group(`Commit to ${ctx.branch}`, () =>
      write(ctx, changes, snapshot.head, message)
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
    unconfirmed =
      changes.length === 1 ? { changes, message, base: snapshot.head, attempt } : undefined
    if (attempt < settings.maxAttempts) await waitToRetry(ctx, attempt, ctx.now() - started)
  }
  throw new HandoffError(
    'CONFLICT',
    `Branch "${ctx.branch}" kept moving: every one of ${settings.maxAttempts} attempts lost the race to another writer`,
    {
      hint: 'Other pipelines are committing to the same branch at a high rate. Raise max-attempts, or serialise the jobs with a workflow "concurrency" group.'
    }
  )
}

/** No file would change: nothing to write — unless it is our earlier write that changed them. */
async function upToDate(
  ctx: CommitContext,
  snapshot: ReadSnapshot,
  attempt: number,
  unconfirmed: Unconfirmed | undefined
): Promise<Result> {
  const own = await ownEarlierWrite(ctx, unconfirmed, snapshot)
  if (own !== undefined && unconfirmed !== undefined) {
    ctx.log.info(
      `Committed ${own} to ${ctx.branch} (attempt ${unconfirmed.attempt}; its answer was lost, and the re-sent write found the file already changed).`
    )
    return result(ctx, { ...unconfirmed, changed: true, commitSha: own })
  }
  const head = snapshot.head || ((await ctx.repo.branchHead(ctx.branch)) ?? '')
  ctx.log.info(
    `Already up to date: no file changes, no commit (${ctx.branch} at ${head.slice(0, 12)}).`
  )
  const commitSha = ctx.settings.dryRun ? '' : head
  return result(ctx, { changed: false, commitSha, changes: [], attempt, base: head })
}

async function waitToRetry(ctx: CommitContext, attempt: number, attemptMs: number) {
  const delay = backoffDelay(attempt, ctx.random(), attemptMs)
  ctx.log.info(
    `${ctx.branch} moved while we wrote; re-reading and re-applying in ${delay} ms (attempt ${attempt + 1} of ${ctx.settings.maxAttempts}).`
  )
  await ctx.sleep(delay)
}

/**
 * The commit of an earlier single-file write refused as "moved", when that refusal was our
 * own write answered twice: the first answer lost (network, 5xx), the re-sent request refused
 * because the file already held our bytes. It is ours when the re-read finds exactly those
 * bytes and the newest commit that changed the file carries our message (one GET, on this
 * path only). Several files need no such check: a re-sent ref update to the commit it already
 * points at succeeds.
 */
async function ownEarlierWrite(
  ctx: CommitContext,
  unconfirmed: Unconfirmed | undefined,
  snapshot: ReadSnapshot
): Promise<string | undefined> {
  if (unconfirmed === undefined) return undefined
  const [change] = unconfirmed.changes
  const file = snapshot.files.find(candidate => candidate.path === change.path)
  if (file === undefined || !file.content.equals(change.after)) return undefined
  // Best effort: the branch already holds the desired state, so a failed lookup must not fail
  // the run; it then reports what it can prove (no change of its own).
  const last = await ctx.repo
    .lastCommitTouching(change.path, ctx.branch)
    .catch((error: unknown) => {
      ctx.log.debug(`Could not read the history of ${change.path}: ${String(error)}`)
      return undefined
    })
  return last?.message.trim() === unconfirmed.message.trim() ? last.sha : undefined
}

function write(
  ctx: CommitContext,
  changes: readonly PlannedChange[],
  head: string,
  message: string
) {
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
