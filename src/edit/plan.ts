/**
 * The pure planner: file bytes + desired images → the new bytes of every file that changes,
 * or the errors of every file that cannot be edited. No I/O. Callers treat any error as a
 * failure of the whole run (nothing is written), but the plan reports all of them, one per
 * file, so a user fixes everything in one go.
 */
import { HandoffError, quote, toHandoffError } from '../errors.js'
import { editArgocdSource, readArgocdSource } from './argocd-source.js'
import { detectFormat } from './detect-format.js'
import { editHelmValues, readHelmValues } from './helm-values.js'
import { editKustomize, readKustomize } from './kustomize-images.js'
import { editTagFile, readTagFile } from './tag-file.js'
import type {
  EditOptions,
  Editor,
  Format,
  FormatInput,
  ImageUpdate,
  ReadResult,
  Reader,
  ValueEdit
} from './types.js'
import { editWorkload, readWorkload } from './workload-images.js'

export interface FileInput {
  readonly path: string
  readonly content: Buffer
}

/** A file whose bytes change. */
export interface FileEdit {
  readonly path: string
  readonly format: Format
  readonly before: Buffer
  readonly after: Buffer
  readonly edits: readonly ValueEdit[]
}

export interface Plan {
  readonly changes: readonly FileEdit[]
  /** Files that already hold the desired state. */
  readonly unchanged: readonly string[]
  readonly errors: readonly HandoffError[]
}

/** EditOptions, except that `createMissing` left undefined takes the per-format default. */
export interface PlanOptions {
  readonly key?: string
  readonly createMissing?: boolean
}

export interface PlanInput {
  readonly files: readonly FileInput[]
  readonly updates: readonly ImageUpdate[]
  readonly format: FormatInput
  readonly options: PlanOptions
}

const EDITORS: Readonly<Record<Format, Editor>> = {
  kustomize: editKustomize,
  workload: editWorkload,
  helm: editHelmValues,
  'tag-file': editTagFile,
  'argocd-source': editArgocdSource
}

const READERS: Readonly<Record<Format, Reader>> = {
  kustomize: readKustomize,
  workload: readWorkload,
  helm: readHelmValues,
  'tag-file': readTagFile,
  'argocd-source': readArgocdSource
}

export function planEdits(input: PlanInput): Plan {
  const changes: FileEdit[] = []
  const unchanged: string[] = []
  const errors: HandoffError[] = []
  for (const file of input.files) {
    const outcome = planFile(file, input)
    if (outcome instanceof HandoffError) errors.push(outcome.inFile(file.path))
    else if (outcome) changes.push(outcome)
    else unchanged.push(file.path)
  }
  return { changes, unchanged, errors }
}

/** The file's edit, undefined when it already holds the desired state, or its error. */
function planFile(file: FileInput, input: PlanInput): FileEdit | undefined | HandoffError {
  const text = decode(file)
  if (text instanceof HandoffError) return text
  const format = input.format === 'auto' ? detectFormat(file.path, text) : input.format
  const result = guarded(() =>
    EDITORS[format](text, input.updates, editOptions(input.options, format))
  )
  if (!result.ok) return result.error
  if (result.text === text) return undefined
  const after = Buffer.from(result.text, 'utf8')
  return { path: file.path, format, before: file.content, after, edits: result.edits }
}

/** The current reference of `image` in a file (for `promote-from`). */
export function readCurrent(
  file: FileInput,
  image: string,
  format: FormatInput,
  options: PlanOptions
): ReadResult {
  const text = decode(file)
  if (text instanceof HandoffError) return { ok: false, error: text.inFile(file.path) }
  const chosen = format === 'auto' ? detectFormat(file.path, text) : format
  const result = guarded(() => READERS[chosen](text, image, editOptions(options, chosen)))
  return result.ok ? result : { ok: false, error: result.error.inFile(file.path) }
}

/** `create-missing` defaults to true for kustomize (as `kustomize edit set image`), else false. */
function editOptions(options: PlanOptions, format: Format): EditOptions {
  return { ...options, createMissing: options.createMissing ?? format === 'kustomize' }
}

/** Editors return errors as values; anything thrown is a bug, reported as such. */
function guarded<T extends { ok: true } | { ok: false; error: HandoffError }>(
  run: () => T
): T | { ok: false; error: HandoffError } {
  try {
    return run()
  } catch (error) {
    return { ok: false, error: toHandoffError(error) }
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** UTF-8 text, a BOM kept as U+FEFF so that it is written back; binary files are refused. */
function decode(file: FileInput): string | HandoffError {
  if (file.content.includes(0)) {
    return new HandoffError(
      'UNSUPPORTED_FILE',
      `${quote(file.path)} is a binary file (it contains NUL bytes)`,
      {
        hint: 'Point `path` at a text manifest (YAML or a tag file).'
      }
    )
  }
  try {
    return decoder.decode(file.content)
  } catch {
    return new HandoffError('UNSUPPORTED_FILE', `${quote(file.path)} is not valid UTF-8 text`, {
      hint: 'Manifests must be UTF-8. Re-encode the file (for example with iconv) and commit it.'
    })
  }
}
