/**
 * The command line → input values, with node:util parseArgs. One `--<input>` option per input
 * of action.yml (the generated ACTION_INPUTS), so the CLI cannot miss or misname one. Boolean
 * inputs are flags (`--dry-run`, `--no-dry-run`, `--dry-run=false`); list inputs may repeat
 * (`--path a --path b`). Secrets are refused here: a command line is visible to every process
 * of the machine and lands in shell history, so tokens come from the environment only.
 */
import { parseArgs } from 'node:util'
import { HandoffError, quote } from '../errors.js'
import { Inputs, type InputName } from '../constants.js'
import { ACTION_INPUTS } from './action-inputs.js'
import { SECRET_ENV } from './secrets.js'

/** Inputs that are on/off switches. */
export const FLAG_INPUTS: ReadonlySet<InputName> = new Set([
  Inputs.DryRun,
  Inputs.PrDraft,
  Inputs.AllowLatest,
  Inputs.CreateMissing,
  Inputs.ArgocdWait,
  Inputs.ArgocdInsecure
])

/** Inputs that take a comma/newline list: repeated options are joined with newlines. */
export const LIST_INPUTS: ReadonlySet<InputName> = new Set([
  Inputs.Path,
  Inputs.Images,
  Inputs.PrLabels,
  Inputs.PrReviewers,
  Inputs.PrTeamReviewers,
  Inputs.PrAssignees,
  Inputs.ArgocdApp
])

/** Options of the CLI itself; none may share a name with an input. */
export const CLI_OPTIONS = ['help', 'version', 'verbose'] as const

export type CliInputs = Readonly<Partial<Record<InputName, string>>>

export type CliCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'run'; readonly inputs: CliInputs; readonly verbose: boolean }
  | { readonly kind: 'usage'; readonly errors: readonly HandoffError[] }

type OptionSpec = { type: 'string' | 'boolean'; multiple: true; short?: string }

export const INPUT_NAMES = Object.keys(ACTION_INPUTS) as InputName[]

function optionSpecs(): Record<string, OptionSpec> {
  const specs: Record<string, OptionSpec> = {
    help: { type: 'boolean', multiple: true, short: 'h' },
    version: { type: 'boolean', multiple: true },
    verbose: { type: 'boolean', multiple: true }
  }
  for (const name of INPUT_NAMES) {
    const flag = FLAG_INPUTS.has(name)
    specs[name] = { type: flag ? 'boolean' : 'string', multiple: true }
    if (flag) specs[`no-${name}`] = { type: 'boolean', multiple: true }
  }
  return specs
}

function usage(
  message: string,
  input?: InputName,
  hint = 'Run gitops-handoff --help for the options.'
): HandoffError {
  return new HandoffError('INVALID_INPUT', message, { input, hint })
}

/**
 * `--flag=value` for a flag input: parseArgs refuses a value on a boolean option, so these are
 * taken out first (up to a `--` terminator) and passed to the settings reader as written.
 */
function takeFlagValues(argv: readonly string[]): {
  rest: string[]
  given: Map<InputName, string[]>
} {
  const rest: string[] = []
  const given = new Map<InputName, string[]>()
  let ended = false
  for (const arg of argv) {
    const match = ended ? null : /^--([a-z-]+)=([\s\S]*)$/.exec(arg)
    if (arg === '--') ended = true
    if (match && FLAG_INPUTS.has(match[1] as InputName)) {
      const name = match[1] as InputName
      given.set(name, [...(given.get(name) ?? []), match[2]])
    } else {
      rest.push(arg)
    }
  }
  return { rest, given }
}

export function parseCommandLine(argv: readonly string[]): CliCommand {
  const { rest, given } = takeFlagValues(argv)
  let values: Record<string, (string | boolean)[] | undefined>
  try {
    values = parseArgs({
      args: rest,
      options: optionSpecs(),
      strict: true,
      allowPositionals: false
    }).values as typeof values
  } catch (error) {
    return { kind: 'usage', errors: [parseError(error)] }
  }
  if (values.help) return { kind: 'help' }
  if (values.version) return { kind: 'version' }
  const errors: HandoffError[] = []
  const inputs: Partial<Record<InputName, string>> = {}
  for (const name of INPUT_NAMES) {
    const value = inputValue(name, values, given, errors)
    if (value !== undefined) inputs[name] = value
  }
  if (errors.length > 0) return { kind: 'usage', errors }
  return { kind: 'run', inputs, verbose: values.verbose !== undefined }
}

/** parseArgs' error in our words (Node's wording varies by version), with a suggestion. */
function parseError(error: unknown): HandoffError {
  const { code, message } = error as { code?: string; message?: string }
  const quoted = /'([^']*)'/.exec(message ?? '')?.[1]
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' && quoted !== undefined) {
    return usage(`Unexpected argument ${quote(quoted)}: every value belongs to an option`)
  }
  if (code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || quoted === undefined) {
    return usage(message ?? String(error))
  }
  const near = nearestOption(quoted.replace(/^-+/, ''))
  return usage(
    `Unknown option ${quote(quoted)}`,
    undefined,
    `${near ? `Did you mean --${near}? ` : ''}Run gitops-handoff --help for the options.`
  )
}

/** The option name within two edits of a misspelling, if any. */
function nearestOption(name: string): string | undefined {
  const candidates = [...CLI_OPTIONS, ...INPUT_NAMES]
  const scored = candidates.map(candidate => ({ candidate, cost: editDistance(name, candidate) }))
  const best = scored.sort((a, b) => a.cost - b.cost)[0]
  return best && best.cost <= 2 ? best.candidate : undefined
}

/** Levenshtein distance (option names are short). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution))
    }
    previous = current
  }
  return previous[b.length]
}

function inputValue(
  name: InputName,
  values: Record<string, (string | boolean)[] | undefined>,
  given: Map<InputName, string[]>,
  errors: HandoffError[]
): string | undefined {
  const secretEnv = SECRET_ENV[name as keyof typeof SECRET_ENV]
  if (secretEnv && values[name]) {
    errors.push(
      usage(
        `--${name} is not accepted on the command line: a command line is visible to other processes and kept in shell history`,
        name,
        `Set ${secretEnv.join(' or ')} instead.`
      )
    )
    return undefined
  }
  const occurrences: string[] = FLAG_INPUTS.has(name)
    ? [
        ...(values[name] ?? []).map(() => 'true'),
        ...(values[`no-${name}`] ?? []).map(() => 'false'),
        ...(given.get(name) ?? [])
      ]
    : (values[name] ?? []).map(String)
  if (occurrences.length === 0) return undefined
  if (occurrences.length > 1 && !LIST_INPUTS.has(name)) {
    errors.push(usage(`--${name} is given ${occurrences.length} times; give it once`, name))
    return undefined
  }
  return occurrences.join('\n')
}
