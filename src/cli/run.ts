/**
 * The CLI's shell, the counterpart of src/main.ts: argv → the same Settings (readSettings with
 * an InputSource over the options and the environment) → the same handoff and Argo CD phase →
 * the diff, the job summary as terminal text, and one line per error. Returns the exit code.
 */
import { errorsOf, type HandoffError } from '../errors.js'
import { Inputs, type InputName } from '../constants.js'
import { runHandoff } from '../handoff.js'
import { runContextFromEnv } from '../main.js'
import { readSettings, type InputSource, type RunContext, type Settings } from '../settings.js'
import { createDeps } from '../wiring.js'
import { ArgoPhaseError, runArgoPhase } from '../argocd-phase.js'
import { summaryOf } from '../report/summary.js'
import { errorLine } from '../report/annotations.js'
import type { Logger } from '../log.js'
import type { Result } from '../result.js'
import { VERSION } from './action-inputs.js'
import { parseCommandLine, type CliInputs } from './args.js'
import { helpText } from './help.js'
import { redactor, secretsFromEnv, type Secrets } from './secrets.js'
import { forCommandLine } from './wording.js'
import { colourDiff, colourEnabled, painter, terminalMarkdown, visible } from './style.js'
import { printer, terminalLogger, type Printer, type TextSink } from './terminal-log.js'

export interface CliIO {
  readonly stdout: TextSink
  readonly stderr: TextSink
}

export const EXIT_OK = 0
export const EXIT_FAILED = 1
export const EXIT_USAGE = 2

export async function runCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  io: CliIO
): Promise<number> {
  const command = parseCommandLine(argv)
  if (command.kind === 'help') return write(io.stdout, helpText())
  if (command.kind === 'version') return write(io.stdout, `${VERSION}\n`)
  const secrets = secretsFromEnv(env)
  const redact = redactor(secrets)
  const out = printer(io.stdout, painter(colourEnabled(env, io.stdout.isTTY === true)), redact)
  const err = printer(io.stderr, painter(colourEnabled(env, io.stderr.isTTY === true)), redact)
  if (command.kind === 'usage') return printErrors(err, command.errors, EXIT_USAGE)
  const outcome = readSettings(inputSource(command.inputs, secrets), cliRunContext(env))
  if (!outcome.ok) {
    const context = { manifestRepoGiven: command.inputs[Inputs.ManifestRepo] !== undefined }
    return printErrors(
      err,
      outcome.errors.map(e => forCommandLine(e, context)),
      EXIT_FAILED
    )
  }
  try {
    await handoff(outcome.settings, out, terminalLogger(err, { verbose: command.verbose }))
    return EXIT_OK
  } catch (error) {
    return printErrors(err, errorsOf(error), EXIT_FAILED)
  }
}

function write(sink: TextSink, text: string): number {
  sink.write(text)
  return EXIT_OK
}

async function handoff(settings: Settings, out: Printer, log: Logger): Promise<void> {
  const deps = createDeps(settings, log)
  const result = await runHandoff(settings, deps)
  printDiffs(out, result)
  try {
    printSummary(out, await runArgoPhase(settings, result, deps), settings.serverUrl)
  } catch (error) {
    // The commit stays landed: say what landed before reporting the Argo CD failure.
    const argocd = error instanceof ArgoPhaseError ? error.outcomes : undefined
    printSummary(out, { ...result, argocd }, settings.serverUrl)
    throw error
  }
}

/** Options first; secrets only from the environment. */
export function inputSource(inputs: CliInputs, secrets: Secrets): InputSource {
  return (name: InputName) =>
    name in secrets ? secrets[name as keyof Secrets] : (inputs[name] ?? '')
}

/**
 * The run context outside a workflow: as in the action, from GITHUB_* variables when present.
 * The web URL (for links) follows the API URL unless given: api.github.com → github.com,
 * https://HOST/api/v3 → https://HOST.
 */
export function cliRunContext(env: NodeJS.ProcessEnv): RunContext {
  const context = runContextFromEnv(env)
  if (env.GITHUB_SERVER_URL) return context
  const api = context.apiUrl
  const serverUrl =
    api === 'https://api.github.com'
      ? 'https://github.com'
      : api.replace(/\/api\/v3$/, '').replace(/^(https?:\/\/)api\./, '$1')
  return { ...context, serverUrl }
}

function printDiffs(out: Printer, result: Result): void {
  for (const file of result.files) out.raw(colourDiff(file.diff.trimEnd(), out.paint))
  if (result.files.length > 0) out.line('')
}

function printSummary(out: Printer, result: Result, serverUrl: string): void {
  out.raw(terminalMarkdown(summaryOf(result, serverUrl), out.paint))
}

function printErrors(err: Printer, errors: readonly HandoffError[], code: number): number {
  for (const error of errors) {
    err.raw(`${err.paint('red', 'error')} ${err.paint('bold', error.code)}: ${visibleLine(error)}`)
  }
  return code
}

/** errorLine's message on one line: a line break (from a server's message) becomes a space. */
function visibleLine(error: HandoffError): string {
  return visible(errorLine(error).message.replace(/\r?\n/g, ' '))
}
