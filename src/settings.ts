/**
 * Settings: every input read once, validated together, frozen. All problems are collected
 * and reported at once, each naming the input, quoting the value and saying what is valid.
 * Nothing else reads inputs or the environment: the action and the CLI both build Settings
 * here, from an InputSource.
 */
import type { HandoffError } from './errors.js'
import { Inputs, type InputName } from './constants.js'
import { checkPathPattern } from './targets.js'
import type { FormatInput, ImageUpdate } from './edit/types.js'
import { parseArgoInputs, type ArgoSettings } from './argocd/settings.js'
import { InputReader, type InputSource } from './input-reader.js'
import { checkOnlyNewer, readUpdates } from './image-inputs.js'

export type { InputSource } from './input-reader.js'

/** What the run knows about the workflow that started it (from GITHUB_* variables). */
export interface RunContext {
  readonly repository: string
  readonly sha: string
  readonly serverUrl: string
  readonly apiUrl: string
  readonly runId: string
  /** Scales every retry/backoff delay (1 in production; tests shrink it). */
  readonly delayScale: number
}

export type Mode = 'commit' | 'pull-request'
export type OnlyNewer = 'off' | 'semver' | 'git'
export type MergeMethod = 'merge' | 'squash' | 'rebase'

export interface RepoName {
  readonly owner: string
  readonly repo: string
}

export interface PullRequestSettings {
  readonly branch?: string
  readonly title: string
  readonly body?: string
  readonly labels: readonly string[]
  readonly reviewers: readonly string[]
  readonly teamReviewers: readonly string[]
  readonly assignees: readonly string[]
  readonly draft: boolean
  readonly autoMerge?: MergeMethod
}

export interface Settings {
  /** Desired states; empty tag/digest only with promoteFrom (filled in from that file). */
  readonly updates: readonly ImageUpdate[]
  readonly promoteFrom?: string
  readonly repo: RepoName
  readonly paths: readonly string[]
  readonly format: FormatInput
  readonly key?: string
  /** undefined: the format's default (true for kustomize, false otherwise). */
  readonly createMissing?: boolean
  readonly mode: Mode
  readonly branch?: string
  readonly token: string
  readonly commitMessage: string
  readonly pullRequest: PullRequestSettings
  readonly onlyNewer: OnlyNewer
  readonly dryRun: boolean
  readonly maxAttempts: number
  readonly source: { readonly repo: string; readonly sha: string; readonly runUrl: string }
  readonly apiUrl: string
  readonly serverUrl: string
  readonly argocd?: ArgoSettings
  readonly delayScale: number
}

export type SettingsOutcome =
  | { readonly ok: true; readonly settings: Settings }
  | { readonly ok: false; readonly errors: readonly HandoffError[] }

export const DEFAULT_COMMIT_MESSAGE =
  'chore(deploy): bump {name} to {tag}\n\nSource: {source-repo}@{source-sha}\nRun: {run-url}'
export const DEFAULT_PR_TITLE = 'Deploy {name}:{tag}'

const FORMATS = ['auto', 'kustomize', 'workload', 'helm', 'tag-file', 'argocd-source'] as const
const REPO_NAME = /^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/
const MAX_ATTEMPTS_LIMIT = 20

export function readSettings(source: InputSource, context: RunContext): SettingsOutcome {
  const r = new InputReader(source)
  const promoteFrom = r.line(Inputs.PromoteFrom)
  const updates = readUpdates(r, promoteFrom !== undefined)
  const paths = readPaths(r)
  if (promoteFrom !== undefined) {
    const problem = checkPathPattern(promoteFrom, Inputs.PromoteFrom)
    if (problem) r.add(problem)
  }
  const mode = r.choice<Mode>(Inputs.Mode, ['commit', 'pull-request'], 'commit')
  const token = r.raw(Inputs.Token)
  if (token === '') {
    r.fail(
      Inputs.Token,
      '',
      'is empty',
      'Pass a token with contents: write on the manifest repository, e.g. token: ${{ secrets.DEPLOY_TOKEN }}.'
    )
  }
  const settings: Settings = {
    updates,
    promoteFrom,
    repo: readRepo(r, context.repository),
    paths,
    format: r.choice<FormatInput>(Inputs.Format, FORMATS, 'auto'),
    key: r.line(Inputs.Key),
    createMissing: r.optionalBoolean(Inputs.CreateMissing),
    mode,
    branch: readBranch(r, Inputs.Branch),
    token,
    commitMessage: source(Inputs.CommitMessage).trim() || DEFAULT_COMMIT_MESSAGE,
    pullRequest: readPullRequest(r),
    onlyNewer: readOnlyNewer(r),
    dryRun: r.boolean(Inputs.DryRun, false),
    maxAttempts: readMaxAttempts(r),
    source: {
      repo: context.repository,
      sha: context.sha,
      runUrl: context.runId
        ? `${context.serverUrl}/${context.repository}/actions/runs/${context.runId}`
        : ''
    },
    apiUrl: context.apiUrl,
    serverUrl: context.serverUrl,
    argocd: readArgo(r),
    delayScale: context.delayScale
  }
  checkOnlyNewer(r, settings.onlyNewer, updates)
  if (settings.onlyNewer === 'git' && !context.repository) {
    r.fail(
      Inputs.OnlyNewer,
      'git',
      'needs the workflow repository (GITHUB_REPOSITORY)',
      'Run inside GitHub Actions or use only-newer: semver.'
    )
  }
  if (r.errors.length > 0) return { ok: false, errors: r.errors }
  return { ok: true, settings: deepFreeze(settings) }
}

function readPaths(r: InputReader): string[] {
  const paths = r.list(Inputs.Path)
  if (paths.length === 0) {
    r.fail(
      Inputs.Path,
      '',
      'is required',
      'List one or more files of the manifest repository, e.g. apps/api/overlays/dev/kustomization.yaml.'
    )
  }
  for (const path of paths) {
    const problem = checkPathPattern(path)
    if (problem) r.add(problem)
  }
  return paths
}

function readRepo(r: InputReader, workflowRepo: string): RepoName {
  const value = r.raw(Inputs.ManifestRepo) || workflowRepo
  if (!REPO_NAME.test(value)) {
    r.fail(
      Inputs.ManifestRepo,
      value,
      'is not an owner/name repository',
      'Use the form "acme/deploy" (no URL, no .git).'
    )
    return { owner: '', repo: '' }
  }
  const [owner, repo] = value.split('/')
  return { owner, repo: repo.replace(/\.git$/, '') }
}

/** A git branch name (git check-ref-format rules that matter for API refs). */
function readBranch(r: InputReader, name: InputName): string | undefined {
  const value = r.line(name)
  if (value === undefined) return undefined
  const bad =
    /(^|\/)\.|\.\.|[\s~^:?*[\\]|@\{|\/\/|\/$|\.lock(\/|$)|\.$|^-|^@$/.test(value) ||
    value.startsWith('refs/')
  if (bad)
    return r.fail(
      name,
      value,
      'is not a valid branch name',
      'Use a plain branch name such as "main" or "deploy/api" (no "refs/heads/" prefix).'
    )
  return value
}

function readPullRequest(r: InputReader): PullRequestSettings {
  const autoMerge = r.raw(Inputs.AutoMerge)
  return {
    branch: readBranch(r, Inputs.PrBranch),
    title: r.line(Inputs.PrTitle) ?? DEFAULT_PR_TITLE,
    body: r.raw(Inputs.PrBody) || undefined,
    labels: r.list(Inputs.PrLabels),
    reviewers: r.list(Inputs.PrReviewers),
    teamReviewers: r.list(Inputs.PrTeamReviewers),
    assignees: r.list(Inputs.PrAssignees),
    draft: r.boolean(Inputs.PrDraft, false),
    autoMerge:
      autoMerge === '' || autoMerge === 'false'
        ? undefined
        : r.choice<MergeMethod>(Inputs.AutoMerge, ['merge', 'squash', 'rebase'], 'merge')
  }
}

function readOnlyNewer(r: InputReader): OnlyNewer {
  const value = r.raw(Inputs.OnlyNewer)
  if (value === '' || value === 'false') return 'off'
  return r.choice<OnlyNewer>(Inputs.OnlyNewer, ['semver', 'git'], 'off')
}

function readMaxAttempts(r: InputReader): number {
  const value = r.raw(Inputs.MaxAttempts)
  if (value === '') return 5
  const n = /^\d+$/.test(value) ? Number(value) : NaN
  if (!Number.isInteger(n) || n < 1 || n > MAX_ATTEMPTS_LIMIT) {
    r.fail(
      Inputs.MaxAttempts,
      value,
      `is not a whole number from 1 to ${MAX_ATTEMPTS_LIMIT}`,
      'Use e.g. max-attempts: 5.'
    )
    return 5
  }
  return n
}

function readArgo(r: InputReader): ArgoSettings | undefined {
  const outcome = parseArgoInputs({
    server: r.raw(Inputs.ArgocdServer),
    token: r.raw(Inputs.ArgocdToken),
    app: r.raw(Inputs.ArgocdApp),
    wait: r.raw(Inputs.ArgocdWait),
    timeout: r.raw(Inputs.ArgocdTimeout),
    insecure: r.raw(Inputs.ArgocdInsecure)
  })
  for (const error of outcome.errors) r.add(error)
  return outcome.settings
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child)
    Object.freeze(value)
  }
  return value
}
