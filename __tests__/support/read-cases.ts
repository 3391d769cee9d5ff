/**
 * The readers' shared test shape (tag files, Argo CD source files, Helm values): a file, the
 * reader's options, and the whole expected outcome.
 */
import type { EditOptions, ReadResult } from '../../src/edit/types.js'

export interface ReadCase {
  readonly name: string
  readonly text: string
  /** The image to read; readers whose tests read one image leave it out. */
  readonly image?: string
  readonly options?: EditOptions
  readonly expected: unknown
}

/** A reader's result as the tests compare it: the current reference, or the error's code (and message). */
export function readSummary(result: ReadResult, withMessage = false): unknown {
  if (result.ok) return result.current
  return withMessage
    ? { error: result.error.code, message: result.error.message }
    : { error: result.error.code }
}
