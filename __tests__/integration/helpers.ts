/**
 * Shared fixtures of the integration suites: a GitHub API double with a fixed clock, a run of
 * the built action (`dist/index.js`) against it with the defaults a workflow step would have,
 * and views of what a run did — annotations, the request log as `METHOD path` lines, commits
 * with their SHAs replaced by names — so a scenario is compared as one value.
 */
import fs from 'node:fs'
import path from 'node:path'
import {
  isWrite,
  startGitHubDouble,
  type GitHubDouble,
  type LogEntry
} from '../support/github-double.mjs'
import { REPO_ROOT, runAction, type RunActionResult } from '../support/run-action.js'
import { sharedPath } from '../support/shared-fixtures.js'

/** A GitHub App installation token, as GITHUB_TOKEN is (commits it writes are verified). */
export const TOKEN = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a'
export const DEPLOY = 'acme/deploy'
export const FIXED_NOW = new Date('2025-06-02T10:00:00Z')

const DIST = path.join(REPO_ROOT, 'dist/index.js')
const CORPUS = sharedPath('corpus')

export function distBuilt(): boolean {
  return fs.existsSync(DIST)
}

/** Start a double, run `fn`, always close it. */
export async function withDouble<T>(fn: (double: GitHubDouble) => Promise<T>): Promise<T> {
  const double = await startGitHubDouble({ now: () => FIXED_NOW })
  try {
    return await fn(double)
  } finally {
    await double.close()
  }
}

export interface HandoffOptions {
  /** GITHUB_API_URL; default the double's api.github.com-style URL. */
  readonly apiUrl?: string
  readonly env?: Record<string, string>
}

/**
 * Run dist/index.js once. Defaults a step would set: `token` (an installation token) and
 * `manifest-repo: acme/deploy`; a value of '' leaves an input out. Retry delays are shrunk.
 */
export function handoff(
  double: GitHubDouble,
  inputs: Record<string, string>,
  options: HandoffOptions = {}
): Promise<RunActionResult> {
  const given = Object.fromEntries(
    Object.entries({ token: TOKEN, 'manifest-repo': DEPLOY, ...inputs }).filter(([, v]) => v !== '')
  )
  return runAction({
    inputs: given,
    apiUrl: options.apiUrl ?? double.url,
    env: { GITOPS_HANDOFF_DELAY_SCALE: '0.001', ...options.env },
    timeoutMs: 45_000
  })
}

/** Messages of the `::error` / `::warning` / `::notice` commands of a run, in order. */
export function annotations(run: RunActionResult, kind: 'error' | 'warning' | 'notice'): string[] {
  return run.commands.filter(c => c.command === kind).map(c => c.message)
}

/** The `::error` annotations with their location properties (file, line, col). */
export function errorAnnotations(
  run: RunActionResult
): { title?: string; message: string; file?: string; line?: string; col?: string }[] {
  return run.commands
    .filter(c => c.command === 'error')
    .map(c => ({
      ...(c.properties.title ? { title: c.properties.title } : {}),
      message: c.message,
      ...(c.properties.file ? { file: c.properties.file } : {}),
      ...(c.properties.line ? { line: c.properties.line } : {}),
      ...(c.properties.col ? { col: c.properties.col } : {})
    }))
}

/** A point in the request log; `requestsSince` lists what came after it. */
export function mark(double: GitHubDouble): number {
  return double.log.entries.length
}

/** Requests after `from` as `METHOD /path` (decoded, no query), GHES prefix included. */
export function requestsSince(double: GitHubDouble, from = 0): string[] {
  return double.log.entries.slice(from).map(e => `${e.method} ${e.prefix}${e.path}`)
}

/** Write requests (not GET/HEAD) after `from`. */
export function writesSince(double: GitHubDouble, from = 0): LogEntry[] {
  return double.log.entries.slice(from).filter(isWrite)
}

/** Keys of write request bodies that name who made a commit (there must be none: GitHub signs). */
export function identityFields(entries: readonly LogEntry[]): string[] {
  return entries.flatMap(e => {
    const body = (e.body ?? {}) as Record<string, unknown>
    return ['author', 'committer']
      .filter(key => key in body)
      .map(key => `${e.method} ${e.path}: ${key}`)
  })
}

export interface CommitView {
  readonly message: string
  readonly verified: boolean
  readonly parents: number
}

/** Commits on `ref` after `base` (newest first), at most `limit`. */
export function commitsSince(
  double: GitHubDouble,
  repo: string,
  ref: string,
  base: string,
  limit = 20
): CommitView[] {
  const out: CommitView[] = []
  for (const commit of double.state.log(repo, ref, limit)) {
    if (commit.sha === base) return out
    out.push({ message: commit.message, verified: commit.verified, parents: commit.parents.length })
  }
  throw new Error(`${base} is not within ${limit} commits of ${repo} ${ref}`)
}

/** Text of a file at a ref, or undefined when absent. */
export function text(
  double: GitHubDouble,
  repo: string,
  ref: string,
  file: string
): string | undefined {
  return double.state.readFile(repo, ref, file)?.toString('utf8')
}

/** Texts of several files at a ref. */
export function texts(
  double: GitHubDouble,
  repo: string,
  ref: string,
  files: readonly string[]
): Record<string, string | undefined> {
  return Object.fromEntries(files.map(file => [file, text(double, repo, ref, file)]))
}

/** Git modes of files at a ref, read over HTTP (the state API does not show modes): adds to the request log. */
export async function modes(
  double: GitHubDouble,
  repo: string,
  ref: string,
  files: readonly string[]
): Promise<Record<string, string>> {
  const answer = await fetch(`${double.url}/repos/${repo}/git/trees/${ref}?recursive=1`, {
    headers: { authorization: `token ${TOKEN}` }
  })
  const tree = (await answer.json()) as { tree: { path: string; mode: string }[] }
  return Object.fromEntries(
    files.map(file => [file, tree.tree.find(entry => entry.path === file)?.mode ?? 'absent'])
  )
}

/** Replace known SHAs by names ('' stays ''; an unknown SHA stays as it is, so it shows up in a diff). */
export function named(sha: string, names: Record<string, string | undefined>): string {
  if (sha === '') return ''
  const found = Object.entries(names).find(([, value]) => value === sha)
  return found ? `<${found[0]}>` : sha
}

/**
 * Where a secret shows up in what the runner would display or keep: stdout (the `::add-mask::`
 * command that registers it excepted), stderr, the job summary and the outputs.
 */
export function secretSightings(run: RunActionResult, secret: string): string[] {
  const places: string[] = []
  const stdout = run.stdout
    .split('\n')
    .filter(line => line.trim() !== `::add-mask::${secret}`)
    .join('\n')
  if (stdout.includes(secret)) places.push('stdout')
  if (run.stderr.includes(secret)) places.push('stderr')
  if (run.summary.includes(secret)) places.push('summary')
  if (Object.values(run.outputs).some(value => value.includes(secret))) places.push('outputs')
  return places
}

/**
 * A corpus file (../shared/corpus, byte-exact) by its name in INDEX.tsv. Undefined when the
 * corpus is absent outside CI (the caller skips); in CI a missing corpus is a failure.
 */
export function corpusFile(name: string): Buffer | undefined {
  const file = path.join(CORPUS, name)
  if (fs.existsSync(file)) return fs.readFileSync(file)
  if (process.env.CI === 'true')
    throw new Error(`../shared/corpus/${name} is missing (required in CI)`)
  console.log(`skipping: ../shared/corpus/${name} is absent`)
  return undefined
}

/** A REST call to the double as another client would make it (e.g. a user closing a PR). */
export async function api(
  double: GitHubDouble,
  method: string,
  route: string,
  body?: unknown
): Promise<unknown> {
  const answer = await fetch(`${double.url}${route}`, {
    method,
    headers: { authorization: `token ${TOKEN}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
  if (!answer.ok) throw new Error(`${method} ${route}: ${answer.status} ${await answer.text()}`)
  return answer.json()
}
