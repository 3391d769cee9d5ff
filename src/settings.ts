/**
 * Settings: every input read once, validated together, frozen. All problems are collected
 * and reported at once, each naming the input, quoting the value and saying what is valid.
 * Nothing else reads inputs or the environment: the action and the CLI both build Settings
 * here, from an InputSource.
 */
import { HandoffError, quote } from './errors.js'
import { Inputs, type InputName } from './constants.js'
import { checkPathPattern } from './targets.js'
import type { FormatInput, ImageUpdate } from './edit/types.js'
import { isValidDigest, isValidTag, parseReference } from './image/reference.js'
import { parseArgoInputs, type ArgoSettings } from './argocd/settings.js'
import { parseSemver } from './edit/only-newer.js'

/** Raw input values by name ('' when not given), as the runner or the CLI supplies them. */
export type InputSource = (name: InputName) => string

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

/** Collects errors while reading inputs. */
class Reader {
  readonly errors: HandoffError[] = []
  constructor(private readonly source: InputSource) {}

  raw(name: InputName): string {
    return this.source(name).trim()
  }

  fail(name: InputName, value: string, problem: string, hint: string): undefined {
    const shown = value === '' ? '' : ` ${quote(value)}`
    this.errors.push(
      new HandoffError('INVALID_INPUT', `Input "${name}"${shown}: ${problem}`, {
        input: name,
        hint
      })
    )
    return undefined
  }

  add(error: HandoffError): void {
    this.errors.push(error)
  }

  boolean(name: InputName, fallback: boolean): boolean {
    const value = this.raw(name)
    if (value === '') return fallback
    if (/^(true|yes|on)$/i.test(value)) return true
    if (/^(false|no|off)$/i.test(value)) return false
    this.fail(name, value, 'is not a boolean', 'Use "true" or "false".')
    return fallback
  }

  optionalBoolean(name: InputName): boolean | undefined {
    return this.raw(name) === '' ? undefined : this.boolean(name, false)
  }

  choice<T extends string>(name: InputName, choices: readonly T[], fallback: T): T {
    const value = this.raw(name)
    if (value === '') return fallback
    if ((choices as readonly string[]).includes(value)) return value as T
    this.fail(name, value, 'is not a valid choice', `Use one of: ${choices.join(', ')}.`)
    return fallback
  }

  list(name: InputName): string[] {
    return splitList(this.source(name))
  }

  /** A single-line text value: control characters (newlines included) are refused. */
  line(name: InputName): string | undefined {
    const value = this.raw(name)
    if (value === '') return undefined
    if (/[\u0000-\u001f\u007f]/.test(value)) {
      return this.fail(
        name,
        value,
        'contains control characters or a line break',
        'Give a single-line value.'
      )
    }
    return value
  }
}

/** Comma- or newline-separated list, trimmed, empty items dropped. */
export function splitList(value: string): string[] {
  return value
    .split(/[\n,]/)
    .map(item => item.trim())
    .filter(item => item !== '')
}

export function readSettings(source: InputSource, context: RunContext): SettingsOutcome {
  const r = new Reader(source)
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

function readUpdates(r: Reader, promoting: boolean): ImageUpdate[] {
  const image = r.raw(Inputs.Image)
  const images = r.raw(Inputs.Images)
  const tag = r.raw(Inputs.Tag)
  const digest = r.raw(Inputs.Digest)
  const allowLatest = r.boolean(Inputs.AllowLatest, false)
  if (images !== '') {
    for (const name of [Inputs.Image, Inputs.Tag, Inputs.Digest] as const) {
      if (r.raw(name) !== '')
        r.fail(
          name,
          r.raw(name),
          'cannot be combined with "images"',
          'Put every reference, with its tag or digest, in "images".'
        )
    }
    if (promoting)
      r.fail(
        Inputs.PromoteFrom,
        r.raw(Inputs.PromoteFrom),
        'cannot be combined with "images"',
        'Promote one image at a time with "image".'
      )
    return r
      .raw(Inputs.Images)
      .split('\n')
      .map(line => line.trim())
      .filter(line => line !== '')
      .map(line => referenceUpdate(r, Inputs.Images, line, '', '', allowLatest, false))
      .filter((u): u is ImageUpdate => u !== undefined)
  }
  if (image === '') {
    r.fail(Inputs.Image, '', 'is required', 'Set "image" (e.g. ghcr.io/acme/api) or "images".')
    return []
  }
  if (promoting && (tag !== '' || digest !== '')) {
    r.fail(
      tag !== '' ? Inputs.Tag : Inputs.Digest,
      tag || digest,
      'cannot be combined with "promote-from"',
      'Either copy the reference from "promote-from" or give "tag"/"digest", not both.'
    )
  }
  const update = referenceUpdate(r, Inputs.Image, image, tag, digest, allowLatest, promoting)
  return update ? [update] : []
}

/** One update from a reference plus optional separate tag/digest inputs. */
function referenceUpdate(
  r: Reader,
  input: InputName,
  text: string,
  tagInput: string,
  digestInput: string,
  allowLatest: boolean,
  promoting: boolean
): ImageUpdate | undefined {
  let ref
  try {
    ref = parseReference(text)
  } catch (error) {
    if (error instanceof HandoffError)
      return r.fail(
        input,
        text,
        error.message.replace(
          /^Invalid image reference "[^"]*": /,
          'is not a valid image reference: '
        ),
        error.hint ?? 'Use registry/path/name[:tag][@sha256:<64 hex>], e.g. ghcr.io/acme/api:1.4.0.'
      )
    throw error
  }
  // Every problem of the reference is reported, not only the first.
  const before = r.errors.length
  const tag = pick(r, Inputs.Tag, ref.tag, tagInput)
  const digest = pick(r, Inputs.Digest, ref.digest, digestInput)
  if (tag !== undefined && !isValidTag(tag)) {
    r.fail(
      Inputs.Tag,
      tag,
      'is not a valid tag',
      'A tag is 1–128 characters of letters, digits, "_", "." and "-", not starting with "." or "-".'
    )
  }
  if (digest !== undefined && !isValidDigest(digest)) {
    r.fail(
      Inputs.Digest,
      digest,
      'is not a valid digest',
      'Use sha256:<64 lowercase hex characters>, e.g. the digest output of docker/build-push-action.'
    )
  }
  if (!promoting && tag === undefined && digest === undefined && r.errors.length === before) {
    r.fail(
      Inputs.Tag,
      '',
      `is required for ${quote(text)}`,
      'Set "tag", or put the tag in the reference (ghcr.io/acme/api:1.4.0), or give "digest", or use "promote-from".'
    )
  }
  if (tag === 'latest' && !allowLatest) {
    r.fail(
      Inputs.Tag,
      tag,
      'is the mutable tag "latest", refused by default',
      'Deploy an immutable tag (a version or commit SHA), or set allow-latest: true.'
    )
  }
  if (r.errors.length > before) return undefined
  return {
    image: ref.name,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {})
  }
}

/** A tag/digest given in the reference and as an input must agree. */
function pick(
  r: Reader,
  input: InputName,
  fromRef: string | undefined,
  fromInput: string
): string | undefined {
  if (fromInput === '') return fromRef
  if (fromRef !== undefined && fromRef !== fromInput) {
    return r.fail(
      input,
      fromInput,
      `disagrees with the ${input} in "image" (${quote(fromRef)})`,
      `Give the ${input} once: in "image" or in "${input}".`
    )
  }
  return fromInput
}

function readPaths(r: Reader): string[] {
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

function readRepo(r: Reader, workflowRepo: string): RepoName {
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
function readBranch(r: Reader, name: InputName): string | undefined {
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

function readPullRequest(r: Reader): PullRequestSettings {
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

function readOnlyNewer(r: Reader): OnlyNewer {
  const value = r.raw(Inputs.OnlyNewer)
  if (value === '' || value === 'false') return 'off'
  return r.choice<OnlyNewer>(Inputs.OnlyNewer, ['semver', 'git'], 'off')
}

/** The new tags are known now: one only-newer cannot compare is an input error, before any request. */
function checkOnlyNewer(r: Reader, onlyNewer: OnlyNewer, updates: readonly ImageUpdate[]): void {
  if (onlyNewer === 'off') return
  for (const update of updates) {
    if (update.tag === undefined && update.digest !== undefined) {
      r.fail(
        Inputs.OnlyNewer,
        onlyNewer,
        `needs a tag to compare, but ${update.image} is given only a digest`,
        'Give "tag" together with "digest", or set only-newer: false.'
      )
    } else if (
      onlyNewer === 'semver' &&
      update.tag !== undefined &&
      parseSemver(update.tag) === undefined
    ) {
      r.fail(
        Inputs.OnlyNewer,
        onlyNewer,
        `needs semantic-version tags, but tag ${quote(update.tag)} is not one`,
        'Tag images like 1.4.2 or v1.4.2-rc.1, use only-newer: git for commit-SHA tags, or set only-newer: false.'
      )
    } else if (
      onlyNewer === 'git' &&
      update.tag !== undefined &&
      !/^[0-9a-f]{7,40}$/i.test(update.tag)
    ) {
      r.fail(
        Inputs.OnlyNewer,
        onlyNewer,
        `needs commit-SHA tags, but tag ${quote(update.tag)} is not a commit SHA`,
        'Tag images with the source commit (e.g. tag: ${{ github.sha }}), use only-newer: semver for version tags, or set only-newer: false.'
      )
    }
  }
}

function readMaxAttempts(r: Reader): number {
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

function readArgo(r: Reader): ArgoSettings | undefined {
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
