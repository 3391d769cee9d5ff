/**
 * Settings errors (those naming an input) in the command line's terms. readSettings speaks workflow YAML (`Input
 * "tag"`, `allow-latest: true`, a `secrets.` token); on a terminal the same problem reads as
 * `--tag`, `--allow-latest`, and a token variable. Only wording changes: code, input, file and
 * position are kept.
 */
import { HandoffError } from '../errors.js'
import { Inputs, type InputName } from '../constants.js'
import { FLAG_INPUTS, INPUT_NAMES } from './args.js'
import { SECRET_ENV } from './secrets.js'

export interface WordingContext {
  /** --manifest-repo was given. */
  readonly manifestRepoGiven: boolean
}

/** In a settings error's message: `Input "tag"` → `--tag`. */
export function messageText(text: string): string {
  return text.replace(/\bInput "([a-z-]+)"/g, (whole, name: string) =>
    INPUT_NAMES.includes(name as InputName) ? `--${name}` : whole
  )
}

/** In a settings error's hint: `allow-latest: true` → `--allow-latest`, `max-attempts: 5` → `--max-attempts 5`. */
export function hintText(text: string): string {
  let out = text
  for (const name of INPUT_NAMES) {
    const setting = new RegExp(`(^|[\\s(])${name}: ([^\\s,;)]+?)(?=[\\s,;)]|\\.?$|\\.\\s)`, 'g')
    out = out.replace(setting, (_whole, before: string, value: string) =>
      FLAG_INPUTS.has(name) && value === 'true'
        ? `${before}--${name}`
        : `${before}--${name} ${value}`
    )
  }
  return out
}

function reworded(error: HandoffError, message: string, hint: string | undefined): HandoffError {
  return new HandoffError(error.code, message, {
    hint,
    input: error.input,
    file: error.file,
    line: error.line,
    column: error.column,
    status: error.status
  })
}

export function forCommandLine(error: HandoffError, context: WordingContext): HandoffError {
  if (error.input === Inputs.Token) {
    const names = SECRET_ENV[Inputs.Token].join(' or ')
    return reworded(
      error,
      `No token: ${names} is not set`,
      `Export ${names} with a token that has contents: write on the manifest repository (e.g. GH_TOKEN=$(gh auth token)).`
    )
  }
  if (error.input === Inputs.ManifestRepo && !context.manifestRepoGiven) {
    return reworded(
      error,
      '--manifest-repo is required outside a workflow (GITHUB_REPOSITORY is not set)',
      'Name the manifest repository, e.g. --manifest-repo acme/deploy.'
    )
  }
  // Only settings errors speak of inputs; a file's error may say `key: value` of its own.
  if (error.input === undefined) return error
  const hint = error.hint === undefined ? undefined : hintText(error.hint)
  return reworded(error, messageText(error.message), hint)
}
