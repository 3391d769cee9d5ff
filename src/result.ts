/** The one value a run produces; outputs, the job summary and the CLI's report derive from it. */
import type { Format, ValueEdit } from './edit/types.js'
import type { AppOutcome } from './argocd/index.js'

export interface FileReport {
  readonly path: string
  readonly format: Format
  readonly edits: readonly ValueEdit[]
  /** Unified diff of the file (for dry-run and the summary). */
  readonly diff: string
}

export type PrOperation = 'created' | 'updated' | 'unchanged'

export interface PullRequestReport {
  readonly number: number
  readonly url: string
  readonly operation: PrOperation
}

export interface Result {
  readonly repo: string
  /** The branch the commit landed on (the PR head branch in PR mode). */
  readonly branch: string
  /** The branch the change is for (the target; equals `branch` in commit mode). */
  readonly targetBranch: string
  readonly changed: boolean
  /** Commit holding the desired state; '' in dry-run. */
  readonly commitSha: string
  /** The target branch head the change was computed against (for compare links). */
  readonly baseSha: string
  readonly previousTag: string
  readonly files: readonly FileReport[]
  readonly dryRun: boolean
  readonly attempts: number
  readonly pullRequest?: PullRequestReport
  readonly argocd?: readonly AppOutcome[]
  /** Files left alone by `only-newer`, each with why. */
  readonly skipped?: readonly string[]
}
