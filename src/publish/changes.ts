/**
 * From a read snapshot to the file changes to write: run the pure planner, fail on any
 * error (nothing half-applied), then apply the `only-newer` guard.
 */
import { createTwoFilesPatch } from 'diff'
import { ErrorList, HandoffError, quote } from '../errors.js'
import { planEdits, type FileEdit } from '../edit/plan.js'
import { isNewerSemver } from '../edit/only-newer.js'
import type { ImageUpdate } from '../edit/types.js'
import type { FileChange, FileMode, ReadSnapshot } from '../ports.js'
import type { FileReport } from '../result.js'
import type { Settings } from '../settings.js'
import type { Logger } from '../log.js'

export interface PlanContext {
  readonly settings: Settings
  readonly updates: readonly ImageUpdate[]
  readonly log: Logger
  /** only-newer: git — does commit `head` descend from `base` in the source repository? */
  readonly isDescendant: (base: string, head: string) => Promise<boolean>
  /** Files left alone by `only-newer`, with why (for the summary); appended to by planning. */
  readonly skipped: string[]
}

/** A planned file change with the blob SHA it was computed from (the write's precondition). */
export interface PlannedChange extends FileEdit {
  readonly previousSha: string
  /** The mode the read saw (tree reads only), so an executable file stays executable. */
  readonly mode?: FileMode
}

export async function planChanges(
  ctx: PlanContext,
  snapshot: ReadSnapshot
): Promise<PlannedChange[]> {
  const { settings } = ctx
  const plan = planEdits({
    files: snapshot.files.map(file => ({ path: file.path, content: file.content })),
    updates: ctx.updates,
    format: settings.format,
    options: { key: settings.key, createMissing: settings.createMissing }
  })
  if (plan.errors.length > 0) throw new ErrorList(plan.errors)
  const read = new Map(snapshot.files.map(file => [file.path, file]))
  const planned = plan.changes.map(change => {
    const file = read.get(change.path)
    return { ...change, previousSha: file?.sha ?? '', ...(file?.mode ? { mode: file.mode } : {}) }
  })
  if (settings.onlyNewer === 'off') return planned
  const kept: PlannedChange[] = []
  for (const change of planned) {
    if (await isNewerChange(ctx, change)) kept.push(change)
  }
  return kept
}

/** Every edit of the file must move its image forward; otherwise the file is left alone. */
async function isNewerChange(ctx: PlanContext, change: FileEdit): Promise<boolean> {
  for (const edit of change.edits) {
    const update = ctx.updates.find(u => u.image === edit.image) ?? ctx.updates[0]
    const next = update.tag
    if (next === undefined) {
      throw new HandoffError(
        'INVALID_INPUT',
        'Input "only-newer" needs a tag to compare, but only a digest was given',
        {
          input: 'only-newer',
          hint: 'Give "tag" together with "digest", or set only-newer: false.'
        }
      )
    }
    const newer = await isNewer(ctx, next, edit.previous, change.path)
    if (!newer) {
      const note = `Not newer: ${change.path} has ${edit.image}:${edit.previous}, the new tag ${next} is not newer (only-newer: ${ctx.settings.onlyNewer}); left unchanged.`
      ctx.log.notice(note)
      if (!ctx.skipped.includes(note)) ctx.skipped.push(note)
      return false
    }
  }
  return true
}

async function isNewer(
  ctx: PlanContext,
  next: string,
  current: string,
  path: string
): Promise<boolean> {
  if (ctx.settings.onlyNewer === 'semver') {
    const verdict = isNewerSemver(next, current)
    if (verdict instanceof HandoffError) throw verdict
    return verdict
  }
  if (current === '') return true
  // Treating a tag that is no commit as "not newer" would block every later deploy silently.
  if (!/^[0-9a-f]{7,40}$/i.test(current)) {
    throw new HandoffError(
      'INVALID_INPUT',
      `Input "only-newer": git compares commit SHAs, but ${path} has tag ${quote(current)}, which is not one`,
      {
        file: path,
        input: 'only-newer',
        hint: 'Deploy a commit-SHA tag once with only-newer: false, or use only-newer: semver for version tags.'
      }
    )
  }
  return ctx.isDescendant(current, next)
}

/** The report of one file change (with its unified diff). */
export function reportOf(change: FileEdit): FileReport {
  const before = change.before.toString('utf8')
  const after = change.after.toString('utf8')
  const diff = createTwoFilesPatch(`a/${change.path}`, `b/${change.path}`, before, after, '', '', {
    context: 2
  })
  return { path: change.path, format: change.format, edits: change.edits, diff }
}

/** What the adapters write for a planned change: new bytes, the blob it replaces, its mode. */
export function fileChangeOf(change: PlannedChange): FileChange {
  return {
    path: change.path,
    content: change.after,
    previousSha: change.previousSha,
    ...(change.mode ? { mode: change.mode } : {})
  }
}

export function previousTagOf(changes: readonly FileEdit[]): string {
  return changes[0]?.edits[0]?.previous ?? ''
}
