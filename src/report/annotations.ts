/**
 * How errors reach the user: one line per error with its code, what happened and what to do,
 * located in the file where known so the runner annotates it.
 */
import type { HandoffError } from '../errors.js'

export interface ErrorLine {
  readonly title: string
  readonly message: string
  readonly file?: string
  readonly line?: number
  readonly column?: number
}

export function errorLine(error: HandoffError): ErrorLine {
  // The position goes into the prefix unless the message already says it.
  const saysLine = error.line !== undefined && error.message.includes(`line ${error.line}`)
  const position =
    error.line && !saysLine ? `:${error.line}${error.column ? `:${error.column}` : ''}` : ''
  const where = error.file ? `${error.file}${position}: ` : ''
  const hint = error.hint ? ` — ${error.hint}` : ''
  return {
    title: `gitops-handoff ${error.code}`,
    message: `${where}${error.message}${hint}`,
    file: error.file,
    line: error.line,
    column: error.column
  }
}
