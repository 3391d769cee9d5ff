/**
 * The handoff, independent of how it is run (action or CLI): resolve the branch and the
 * target files, take the desired reference (from the inputs or from `promote-from`), then
 * publish as a commit or a pull request. I/O goes through the ports only.
 */
import { HandoffError, quote } from './errors.js'
import { isValidDigest, isValidTag } from './image/reference.js'
import { readCurrent } from './edit/plan.js'
import type { ImageUpdate } from './edit/types.js'
import type { Logger } from './log.js'
import type { BranchRefs, ManifestRepo, PullRequests } from './ports.js'
import type { Result } from './result.js'
import type { Settings } from './settings.js'
import { expandPatterns, isGlob, shownPath } from './targets.js'
import { publishCommit } from './publish/direct-commit.js'
import { publishPullRequest } from './publish/pull-request.js'

export interface HandoffDeps {
  readonly repo: ManifestRepo
  readonly pulls: PullRequests
  readonly refs: BranchRefs
  /** only-newer: git — does `head` descend from `base` in the workflow's repository? */
  readonly isDescendant: (base: string, head: string) => Promise<boolean>
  readonly log: Logger
  readonly sleep: (ms: number) => Promise<void>
  readonly random: () => number
  /** Milliseconds from a fixed point (Date.now). */
  readonly now: () => number
}

export async function runHandoff(settings: Settings, deps: HandoffDeps): Promise<Result> {
  const { log } = deps
  const resolved = await log.group('Resolve branch and files', async () => {
    const branch = settings.branch ?? (await deps.repo.defaultBranch())
    const paths = await resolvePaths(settings, deps.repo, branch)
    log.info(
      `Manifest repository ${settings.repo.owner}/${settings.repo.repo}, branch ${branch}, ${paths.length} file(s): ${paths.map(shownPath).join(', ')}`
    )
    const updates = settings.promoteFrom
      ? await promotedUpdates(settings, deps, branch)
      : settings.updates
    return { branch, paths, updates }
  })
  const skipped: string[] = []
  const base = {
    settings,
    log,
    isDescendant: deps.isDescendant,
    repo: deps.repo,
    skipped,
    ...resolved
  }
  const result =
    settings.mode === 'pull-request'
      ? await publishPullRequest({ ...base, pulls: deps.pulls, refs: deps.refs })
      : await publishCommit({ ...base, sleep: deps.sleep, random: deps.random, now: deps.now })
  return { ...result, skipped }
}

async function resolvePaths(
  settings: Settings,
  repo: ManifestRepo,
  branch: string
): Promise<string[]> {
  if (!settings.paths.some(isGlob)) return [...settings.paths]
  const expanded = expandPatterns(settings.paths, await repo.listFiles(branch))
  if (expanded instanceof HandoffError) throw expanded
  return expanded
}

/** promote-from: the image's current reference in another file of the same branch. */
async function promotedUpdates(
  settings: Settings,
  deps: HandoffDeps,
  branch: string
): Promise<ImageUpdate[]> {
  const source = settings.promoteFrom as string
  const snapshot = await deps.repo.read([source], branch)
  const file = snapshot.files[0]
  return settings.updates.map(update => {
    const read = readCurrent({ path: file.path, content: file.content }, update.image, 'auto', {
      key: settings.key,
      createMissing: false
    })
    if (!read.ok) throw read.error.inFile(source)
    const { tag, digest } = read.current
    if (tag === undefined && digest === undefined) {
      throw new HandoffError(
        'IMAGE_NOT_FOUND',
        `promote-from: ${source} references ${update.image} without a tag or digest`,
        {
          file: source,
          input: 'promote-from',
          hint: 'The source file must pin the image to a tag or digest to promote.'
        }
      )
    }
    checkPromoted(source, tag, digest)
    deps.log.info(
      `Promoting ${update.image} ${[tag, digest].filter(Boolean).join('@')} from ${source}.`
    )
    return {
      image: update.image,
      ...(tag !== undefined ? { tag } : {}),
      ...(digest !== undefined ? { digest } : {})
    }
  })
}

/** What a file says is data: the promoted tag and digest must be valid like the inputs. */
function checkPromoted(source: string, tag: string | undefined, digest: string | undefined): void {
  const bad =
    tag !== undefined && !isValidTag(tag)
      ? `tag ${quote(tag)}`
      : digest !== undefined && !isValidDigest(digest)
        ? `digest ${quote(digest)}`
        : undefined
  if (bad === undefined) return
  throw new HandoffError(
    'INVALID_INPUT',
    `promote-from: ${source} holds the ${bad}, which is not valid`,
    {
      file: source,
      input: 'promote-from',
      hint: 'Fix the reference in the promote-from file (a tag is [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}, a digest sha256:<64 hex>).'
    }
  )
}
