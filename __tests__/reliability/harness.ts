/**
 * Shared setup of the reliability suites: a GitHub API double holding one manifest
 * repository, runs of the built action (`dist/index.js`, Node 24, as the runner does) with
 * shrunk retry delays, and the views every suite asserts on: what a run reported (exit code,
 * error codes, attempts), what it did to the repository (head, files, commits) and what the
 * runner would have obeyed (workflow commands, outputs).
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import {
  startGitHubDouble,
  type FileMap,
  type GitHubDouble,
  type GitHubDoubleOptions
} from '../support/github-double.mjs'
import {
  REPO_ROOT,
  runAction,
  type RunActionResult,
  type WorkflowCommand
} from '../support/run-action.js'

export const REPO = 'acme/deploy'
export const BRANCH = 'main'
/** An installation token (as GITHUB_TOKEN is); long enough for GitHub's token patterns. */
export const TOKEN = 'ghs_R3liab1lityT0kenN0tToBeSh0wn0123456'
/** The delay scale the suites run with: 1 s of backoff or `retry-after` becomes 10 ms. */
export const DELAY_SCALE = '0.01'

/** The outputs action.yml declares: nothing else may ever appear in GITHUB_OUTPUT. */
export const DECLARED_OUTPUTS = [
  'commit-sha',
  'changed',
  'previous-tag',
  'files',
  'pr-number',
  'pr-url',
  'pr-operation',
  'branch',
  'argocd-sync-status',
  'argocd-health-status'
]

export function distBuilt(): boolean {
  return existsSync(path.join(REPO_ROOT, 'dist/index.js'))
}

/** A double with `acme/deploy` holding `files` on main. */
export async function startRepo(
  files: FileMap,
  options: GitHubDoubleOptions & {
    symlinks?: Record<string, string>
    submodules?: Record<string, string>
  } = {}
): Promise<GitHubDouble> {
  const { symlinks, submodules, ...doubleOptions } = options
  const double = await startGitHubDouble(doubleOptions)
  double.state.createRepo(REPO, { files, symlinks, submodules })
  return double
}

/** Start a double, run `fn`, always close it. */
export async function withRepo<T>(
  files: FileMap,
  fn: (double: GitHubDouble) => Promise<T>,
  options?: Parameters<typeof startRepo>[1]
): Promise<T> {
  const double = await startRepo(files, options)
  try {
    return await fn(double)
  } finally {
    await double.close()
  }
}

/**
 * Run dist/index.js once with a step's usual inputs (`token`, `manifest-repo`, `branch`);
 * a value of '' leaves an input out. Delays are shrunk by DELAY_SCALE.
 */
export function handoff(
  double: GitHubDouble,
  inputs: Record<string, string>,
  options: { env?: Record<string, string>; timeoutMs?: number } = {}
): Promise<RunActionResult> {
  const given = Object.fromEntries(
    Object.entries({ token: TOKEN, 'manifest-repo': REPO, branch: BRANCH, ...inputs }).filter(
      ([, value]) => value !== ''
    )
  )
  return runAction({
    inputs: given,
    apiUrl: double.url,
    env: { GITOPS_HANDOFF_DELAY_SCALE: DELAY_SCALE, ...options.env },
    timeoutMs: options.timeoutMs ?? 60_000
  })
}

/** `CODE` of every `::error` (from its title `gitops-handoff CODE`), in order. */
export function errorCodes(run: RunActionResult): string[] {
  return run.commands
    .filter(c => c.command === 'error')
    .map(c => (c.properties.title ?? '').replace(/^gitops-handoff /, ''))
}

export function errorMessages(run: RunActionResult): string[] {
  return run.commands.filter(c => c.command === 'error').map(c => c.message)
}

/** The attempt that landed, from "Committed <sha> to <branch> (attempt N)."; 0 when none. */
export function attemptOf(run: RunActionResult): number {
  const found = /\(attempt (\d+)\)\.\s*$/m.exec(run.stdout)
  return found ? Number(found[1]) : 0
}

/** Commit SHAs on the branch, newest first (first-parent history, bounded). */
export function history(double: GitHubDouble, limit = 500): string[] {
  return double.state.log(REPO, BRANCH, limit).map(commit => commit.sha)
}

export function fileText(double: GitHubDouble, file: string): string | undefined {
  return double.state.readFile(REPO, BRANCH, file)?.toString('utf8')
}

/** Write requests (not GET/HEAD) the double received. */
export function writeCount(double: GitHubDouble): number {
  return double.log.writes().length
}

/**
 * Workflow commands an action may legitimately issue: annotations, groups, debug lines, the
 * mask of its own token, and `stop-commands` around untrusted text. Anything else in stdout
 * (set-output, add-mask of other text, set-env, add-path, …) came from data, not from us.
 */
export function unexpectedCommands(
  run: RunActionResult,
  secrets: readonly string[] = [TOKEN]
): WorkflowCommand[] {
  const harmless = new Set(['error', 'warning', 'notice', 'debug', 'group', 'endgroup'])
  return run.commands.filter(command => {
    const name = command.command.toLowerCase()
    if (harmless.has(name)) return false
    if (name === 'add-mask') return !secrets.includes(command.message)
    if (name === 'stop-commands') return !/^[0-9a-f-]{36}$/.test(command.message)
    return true
  })
}

/** Outputs in GITHUB_OUTPUT that action.yml does not declare (injected through a value). */
export function undeclaredOutputs(run: RunActionResult): string[] {
  return Object.keys(run.outputs).filter(name => !DECLARED_OUTPUTS.includes(name))
}

/** Workload manifest of one Pod whose containers run `images` (one container each). */
export function podManifest(images: readonly string[]): string {
  const containers = images.flatMap((image, index) => [
    `    - name: c${index}`,
    `      image: ${image}`
  ])
  return ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: app', 'spec:', '  containers:']
    .concat(containers)
    .join('\n')
    .concat('\n')
}

/** Deployment manifest running one image. */
export function deploymentManifest(image: string): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: app # edited by CI',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: app',
    `          image: ${image}`,
    ''
  ].join('\n')
}

/** Kustomization listing `images` as name + newTag entries. */
export function kustomization(images: readonly { name: string; tag: string }[]): string {
  return [
    'apiVersion: kustomize.config.k8s.io/v1beta1',
    'kind: Kustomization',
    'resources:',
    '  - deployment.yaml',
    'images:',
    ...images.flatMap(image => [`  - name: ${image.name}`, `    newTag: "${image.tag}"`]),
    ''
  ].join('\n')
}

/** The tag of `image` in a workload or kustomization text (`image: name:tag` or `newTag`). */
export function tagIn(text: string, image: string): string | undefined {
  const escaped = image.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
  const inline = new RegExp(`image: ${escaped}:([^\\s@"]+)`).exec(text)
  if (inline) return inline[1]
  const entry = new RegExp(`- name: ${escaped}\\n\\s+newTag: "?([^"\\n]+)"?`).exec(text)
  return entry?.[1]
}
