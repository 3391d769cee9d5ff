/**
 * The one error type of the action. Every failure a user can see is a HandoffError with a
 * stable `code` (listed in the README's troubleshooting table), a `message` that says what
 * happened and quotes the offending value, and a `hint` that says what to do.
 */

export type ErrorCode =
  // input / settings
  | 'INVALID_INPUT'
  | 'INVALID_REFERENCE'
  | 'INVALID_PATH'
  // editing
  | 'PARSE_ERROR'
  | 'KEY_NOT_FOUND'
  | 'IMAGE_NOT_FOUND'
  | 'UNSUPPORTED_FILE'
  // reading the repository
  | 'FILE_NOT_FOUND'
  | 'NOT_A_FILE'
  | 'NO_MATCH'
  // GitHub
  | 'BAD_CREDENTIALS'
  | 'PERMISSION_DENIED'
  | 'NOT_FOUND'
  | 'BRANCH_PROTECTED'
  | 'PR_NOT_PERMITTED'
  | 'VALIDATION_FAILED'
  | 'RATE_LIMITED'
  | 'CONFLICT'
  | 'GITHUB_ERROR'
  | 'NETWORK_ERROR'
  // Argo CD
  | 'ARGOCD_AUTH'
  | 'ARGOCD_NOT_FOUND'
  | 'ARGOCD_SYNC_FAILED'
  | 'ARGOCD_DEGRADED'
  | 'ARGOCD_TIMEOUT'
  | 'ARGOCD_ERROR'
  | 'INTERNAL'

export interface ErrorDetails {
  hint?: string
  file?: string
  line?: number
  column?: number
  input?: string
  status?: number
}

export class HandoffError extends Error {
  readonly code: ErrorCode
  readonly hint?: string
  readonly file?: string
  readonly line?: number
  readonly column?: number
  readonly input?: string
  readonly status?: number

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super(message)
    this.name = 'HandoffError'
    this.code = code
    this.hint = details.hint
    this.file = details.file
    this.line = details.line
    this.column = details.column
    this.input = details.input
    this.status = details.status
  }

  /** The same error, located in a file (used when an editor's error is attributed to a path). */
  inFile(file: string): HandoffError {
    return new HandoffError(this.code, this.message, {
      hint: this.hint,
      file,
      line: this.line,
      column: this.column,
      input: this.input,
      status: this.status
    })
  }
}

/** Quote a user value for a message: JSON quoting shows control characters and spaces. */
export function quote(value: string): string {
  const shown = value.length > 200 ? `${value.slice(0, 200)}…` : value
  return JSON.stringify(shown)
}

/** Any thrown value as a HandoffError (unknown throws become INTERNAL, never swallowed). */
export function toHandoffError(error: unknown): HandoffError {
  if (error instanceof HandoffError) return error
  const message = error instanceof Error ? error.message : String(error)
  return new HandoffError('INTERNAL', `Unexpected error: ${message}`, {
    hint: 'This is a bug in gitops-handoff; please report it with the log of this run.'
  })
}

/** Several errors reported together (all input problems, every file that failed to plan). */
export class ErrorList extends Error {
  readonly errors: readonly HandoffError[]

  constructor(errors: readonly HandoffError[]) {
    super(errors.map(e => e.message).join('\n'))
    this.name = 'ErrorList'
    this.errors = errors
  }
}

/** The errors carried by any thrown value. */
export function errorsOf(error: unknown): readonly HandoffError[] {
  return error instanceof ErrorList ? error.errors : [toHandoffError(error)]
}
