/**
 * The editing contract shared by every format editor. Editors are pure: text in, text out,
 * no I/O, no clock, no logging. They never throw for bad input: they return errors as values.
 */
import type { HandoffError } from '../errors.js'

export type Format = 'kustomize' | 'workload' | 'helm' | 'tag-file' | 'argocd-source'
export type FormatInput = Format | 'auto'

/** One desired image state. `image` is the repository as given (no tag, no digest). */
export interface ImageUpdate {
  readonly image: string
  readonly tag?: string
  readonly digest?: string
}

export interface EditOptions {
  /** Dotted key path (helm / any YAML; for tag files a dotenv KEY). */
  readonly key?: string
  /** Add a missing kustomize images entry / create a missing helm key path. */
  readonly createMissing: boolean
}

/** One replaced value, for reports. Line and column are 1-based, of the value's first byte. */
export interface ValueEdit {
  readonly image: string
  /** Where in the document, e.g. `images[0].newTag` or `spec.template.spec.containers[1].image`. */
  readonly path: string
  readonly line: number
  readonly column: number
  /** The scalar text before and after (values, not source bytes). */
  readonly before: string
  readonly after: string
  /** The tag (or digest when there was no tag) that was replaced; '' when none. */
  readonly previous: string
}

export interface EditSuccess {
  readonly ok: true
  readonly text: string
  readonly edits: readonly ValueEdit[]
}

export interface EditFailure {
  readonly ok: false
  readonly error: HandoffError
}

export type EditResult = EditSuccess | EditFailure

/** An editor: (text, updates, options) → new text + edits | error. Unchanged text means no edit. */
export type Editor = (
  text: string,
  updates: readonly ImageUpdate[],
  options: EditOptions
) => EditResult

/** The current reference of an image in a file (for promote-from). */
export interface CurrentImage {
  readonly image: string
  readonly tag?: string
  readonly digest?: string
}

export type ReadResult =
  | { readonly ok: true; readonly current: CurrentImage }
  | { readonly ok: false; readonly error: HandoffError }

/** Reads the current tag/digest of `image` from a file of this format. */
export type Reader = (text: string, image: string, options: EditOptions) => ReadResult
