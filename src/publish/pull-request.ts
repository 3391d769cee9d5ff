/**
 * Pull-request mode: the edit is computed against the target branch head and committed as a
 * single commit on top of it, on the action's own PR branch; then the PR is opened, or the
 * open one from that branch updated. The target branch is never written. The PR branch
 * belongs to the action, so it is reset (rebased onto the current target head) on rerun.
 */
import { createHash } from 'node:crypto'
import { HandoffError } from '../errors.js'
import type { BranchRefs, ManifestRepo, PullRequest, PullRequests, ReadSnapshot } from '../ports.js'
import type { PrOperation, Result } from '../result.js'
import { renderTemplate } from '../report/template.js'
import { defaultPrBody } from '../report/pr-body.js'
import {
  fileChangeOf,
  planChanges,
  previousTagOf,
  reportOf,
  type PlanContext,
  type PlannedChange
} from './changes.js'
import { commitMessage, shortName, templateValues } from './messages.js'

export interface PullRequestContext extends PlanContext {
  readonly repo: ManifestRepo
  readonly pulls: PullRequests
  readonly refs: BranchRefs
  readonly branch: string
  readonly paths: readonly string[]
}

/** Stable per (images, target branch, paths), so a rerun finds the same branch and PR. */
export function defaultPrBranch(
  images: readonly string[],
  target: string,
  paths: readonly string[]
): string {
  const key = JSON.stringify([[...images].sort(), target, [...paths].sort()])
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 10)
  const name = images
    .map(shortName)
    .join('-')
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .slice(0, 40)
  return `gitops-handoff/${name}-${hash}`
}

export async function publishPullRequest(ctx: PullRequestContext): Promise<Result> {
  const { settings, log } = ctx
  const prBranch =
    settings.pullRequest.branch ??
    defaultPrBranch(
      ctx.updates.map(u => u.image),
      ctx.branch,
      ctx.paths
    )
  await refuseSharedBranch(ctx, prBranch)
  const { head, snapshot } = await log.group(
    `Read ${ctx.paths.length} file(s) from ${ctx.branch}`,
    () => readTarget(ctx)
  )
  const changes = await log.group('Plan the edit', () => planChanges(ctx, snapshot))
  const existing = await ctx.pulls.findOpen(prBranch, ctx.branch)
  if (changes.length === 0) {
    log.info(`${ctx.branch} already holds the desired state: no pull request needed.`)
    if (existing)
      log.info(`An open pull request from ${prBranch} is left as it is: ${existing.url}`)
    return result(ctx, {
      prBranch,
      head,
      changes,
      changed: false,
      commitSha: settings.dryRun ? '' : head,
      existing,
      operation: 'unchanged',
      onTarget: true
    })
  }
  if (settings.dryRun) {
    log.info(
      `Dry run: would ${existing ? `update pull request #${existing.number}` : 'open a pull request'} from ${prBranch}; nothing written.`
    )
    return result(ctx, {
      prBranch,
      head,
      changes,
      changed: true,
      commitSha: '',
      existing,
      operation: existing ? 'updated' : 'created'
    })
  }
  return log.group(`Pull request ${prBranch} → ${ctx.branch}`, () =>
    openOrUpdate(ctx, prBranch, head, changes, existing)
  )
}

/**
 * The target files and the commit the PR is built on, in one snapshot: the read names the
 * commit it saw (and the files' modes), which becomes the PR commit's parent.
 */
async function readTarget(
  ctx: PullRequestContext
): Promise<{ head: string; snapshot: ReadSnapshot }> {
  const snapshot = await ctx.repo.read(ctx.paths, ctx.branch, { withHead: true })
  return { head: snapshot.head, snapshot }
}

/**
 * The PR branch is force-moved on every run, so it must never be the target branch or the
 * repository's default branch (looked up only when `pr-branch` was given explicitly).
 */
async function refuseSharedBranch(ctx: PullRequestContext, prBranch: string): Promise<void> {
  const explicit = ctx.settings.pullRequest.branch !== undefined
  const shared =
    prBranch === ctx.branch || (explicit && prBranch === (await ctx.repo.defaultBranch()))
  if (!shared) return
  throw new HandoffError(
    'INVALID_INPUT',
    `Input "pr-branch": ${JSON.stringify(prBranch)} is the ${prBranch === ctx.branch ? 'target' : 'default'} branch`,
    {
      input: 'pr-branch',
      hint: 'The PR branch belongs to the action and is reset on every run; choose a branch of its own, or leave pr-branch empty.'
    }
  )
}

async function openOrUpdate(
  ctx: PullRequestContext,
  prBranch: string,
  head: string,
  changes: readonly PlannedChange[],
  existing: PullRequest | undefined
): Promise<Result> {
  const values = templateValues(ctx.settings, ctx.updates, changes)
  if (existing && (await holdsDesiredState(ctx, existing, head, changes))) {
    ctx.log.info(
      `Pull request #${existing.number} already proposes this change on top of ${head.slice(0, 12)}: no new commit.`
    )
    return result(ctx, {
      prBranch,
      head,
      changes,
      changed: false,
      commitSha: existing.headSha,
      existing,
      operation: 'unchanged'
    })
  }
  const message = commitMessage(ctx.settings, values)
  const commit = await ctx.refs.createCommit(changes.map(fileChangeOf), head, message)
  await ctx.refs.resetBranch(prBranch, commit)
  const title = renderTemplate(ctx.settings.pullRequest.title, values)
  const body = ctx.settings.pullRequest.body
    ? renderTemplate(ctx.settings.pullRequest.body, values)
    : defaultPrBody(ctx.settings, changes, ctx.settings.promoteFrom)
  const pr = existing
    ? await ctx.pulls.update(existing.number, { title, body })
    : await ctx.pulls.create({
        head: prBranch,
        base: ctx.branch,
        title,
        body,
        draft: ctx.settings.pullRequest.draft
      })
  ctx.log.info(`${existing ? 'Updated' : 'Opened'} pull request #${pr.number}: ${pr.url}`)
  await decorate(ctx, pr)
  return result(ctx, {
    prBranch,
    head,
    changes,
    changed: true,
    commitSha: commit,
    existing: pr,
    operation: existing ? 'updated' : 'created'
  })
}

/**
 * The open PR already proposes exactly this: its branch is one commit on top of the current
 * target head and holds the planned bytes of every target file.
 */
async function holdsDesiredState(
  ctx: PullRequestContext,
  pr: PullRequest,
  head: string,
  changes: readonly PlannedChange[]
): Promise<boolean> {
  const comparison = await ctx.refs.compare(head, pr.headSha)
  if (comparison.status !== 'ahead' || comparison.aheadBy !== 1) return false
  const onBranch = await ctx.repo.read(ctx.paths, pr.headRef)
  if (onBranch.head !== '' && onBranch.head !== pr.headSha) return false
  const wanted = new Map(changes.map(c => [c.path, c.after]))
  return onBranch.files.every(file => {
    const desired = wanted.get(file.path)
    return desired === undefined ? true : desired.equals(file.content)
  })
}

/** Labels, reviewers, assignees, auto-merge: refusals are warnings, never failures. */
async function decorate(ctx: PullRequestContext, pr: PullRequest): Promise<void> {
  const settings = ctx.settings.pullRequest
  const outcomes = []
  if (settings.labels.length > 0)
    outcomes.push(await ctx.pulls.addLabels(pr.number, settings.labels))
  if (settings.reviewers.length + settings.teamReviewers.length > 0) {
    outcomes.push(
      await ctx.pulls.requestReviewers(pr.number, settings.reviewers, settings.teamReviewers)
    )
  }
  if (settings.assignees.length > 0)
    outcomes.push(await ctx.pulls.addAssignees(pr.number, settings.assignees))
  if (settings.autoMerge) outcomes.push(await ctx.pulls.enableAutoMerge(pr, settings.autoMerge))
  for (const warning of outcomes.flatMap(o => o.warnings)) ctx.log.warning(warning)
}

interface Outcome {
  readonly prBranch: string
  readonly head: string
  readonly changes: readonly PlannedChange[]
  readonly changed: boolean
  readonly commitSha: string
  readonly existing?: PullRequest
  readonly operation: PrOperation
  /** The desired state is already on the target branch (no PR involved). */
  readonly onTarget?: boolean
}

function result(ctx: PullRequestContext, o: Outcome): Result {
  return {
    repo: `${ctx.settings.repo.owner}/${ctx.settings.repo.repo}`,
    branch: o.onTarget ? ctx.branch : o.prBranch,
    targetBranch: ctx.branch,
    changed: o.changed,
    commitSha: o.commitSha,
    baseSha: o.head,
    previousTag: previousTagOf(o.changes),
    files: o.changes.map(reportOf),
    dryRun: ctx.settings.dryRun,
    attempts: 1,
    pullRequest: o.existing
      ? { number: o.existing.number, url: o.existing.url, operation: o.operation }
      : undefined
  }
}
