/**
 * What the value editors (helm-values.ts, argocd-source.ts, tag-file.ts) share: a planned
 * change to a YAML value, applying a set of them once each and locating every edit in the new
 * text, the text a scalar holds, and the `CurrentImage` a reader reports.
 */
import type { Scalar } from 'yaml'
import { HandoffError, quote } from '../errors.js'
import type { Insertion } from './key-path.js'
import type { CurrentImage, EditResult, ValueEdit } from './types.js'
import {
  applySplices,
  positionOf,
  replaceScalar,
  type ParsedYaml,
  type Splice
} from './yaml-splice.js'

/** A planned change; `valueOffset` is where the new value starts inside `splice.text`. */
export interface Change {
  readonly splice: Splice
  readonly valueOffset: number
  readonly edit: Omit<ValueEdit, 'line' | 'column'>
  /** New lines or entries (several may share a place) rather than a replaced value. */
  readonly inserted?: boolean
}

/**
 * Apply changes once each (an anchored value reached twice is one change, reported at the
 * first path that reached it) and locate every edit in the new text. Two different values for
 * one place — an anchor shared by two images that get different tags — is refused.
 */
export function finishChanges(text: string, changes: readonly Change[]): EditResult {
  const unique = firstBy(changes, c => spliceKey(c.splice))
  const clash = findClash(unique.filter(c => !c.inserted).map(c => c.splice))
  if (clash) return { ok: false, error: conflict(text, changes, clash) }
  // Stable: insertions at one place (a new tag, then its digest) keep their planned order.
  const splices = unique.map(c => c.splice).sort((a, b) => a.start - b.start || a.end - b.end)
  const out = applySplices(text, splices)
  const newStart = new Map<string, number>()
  let shift = 0
  for (const splice of splices) {
    newStart.set(spliceKey(splice), splice.start + shift)
    shift += splice.text.length - (splice.end - splice.start)
  }
  const edits = firstBy(changes, c => `${spliceKey(c.splice)}#${c.valueOffset}`)
    .map(c => ({ at: (newStart.get(spliceKey(c.splice)) ?? 0) + c.valueOffset, edit: c.edit }))
    .sort((a, b) => a.at - b.at)
  return {
    ok: true,
    text: out,
    edits: edits.map(({ at, edit }) => ({ ...edit, ...lineColumn(out, at) }))
  }
}

function firstBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>()
  for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item)
  return [...seen.values()]
}

/** A replacement that overlaps another (or starts where another empty value is set). */
function findClash(splices: readonly Splice[]): Splice | undefined {
  const sorted = [...splices].sort((a, b) => a.start - b.start || a.end - b.end)
  return sorted.find(
    (b, i) => i > 0 && (b.start < sorted[i - 1].end || b.start === sorted[i - 1].start)
  )
}

function spliceKey(splice: Splice): string {
  return `${splice.start}:${splice.end}:${splice.text}`
}

function conflict(text: string, changes: readonly Change[], splice: Splice): HandoffError {
  const { line, column } = lineColumn(text, splice.start)
  const images = [
    ...new Set(changes.filter(c => overlaps(c.splice, splice)).map(c => quote(c.edit.image)))
  ]
  return new HandoffError(
    'UNSUPPORTED_FILE',
    `The value at line ${line} would be set to two different values (for ${images.join(' and ')})`,
    {
      hint: 'The value is probably an anchor shared by two images; give them separate values.',
      line,
      column
    }
  )
}

function overlaps(a: Splice, b: Splice): boolean {
  return a.start === b.start || (a.start < b.end && b.start < a.end)
}

/** 1-based line and column of an offset (columns count UTF-16 units, as `yaml` does). */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1
  let start = 0
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++
    start = i + 1
  }
  return { line, column: offset - start + 1 }
}

/** The text a scalar holds as a string: '' for an empty value, the source of `1.20`. */
export function scalarText(node: Scalar): string {
  if (typeof node.value === 'string') return node.value
  if (node.value === null || node.value === undefined) return ''
  return String(node.source ?? node.value)
}

/** Replace a scalar's value, or return the error located at the scalar. */
export function replaceChange(
  yaml: ParsedYaml,
  node: Scalar,
  value: string,
  edit: Omit<ValueEdit, 'line' | 'column' | 'before' | 'after'>
): Change | HandoffError {
  const splice = replaceScalar(yaml.text, node, value)
  if (splice instanceof HandoffError) return locate(yaml, node, splice)
  const valueOffset = splice.text.startsWith(' ') && splice.start === splice.end ? 1 : 0
  return { splice, valueOffset, edit: { ...edit, before: scalarText(node), after: value } }
}

/** New lines or entries, reported as an edit from an empty value. */
export function insertionChange(
  insertion: Insertion,
  edit: Omit<ValueEdit, 'line' | 'column'>
): Change {
  return { splice: insertion.splice, valueOffset: insertion.valueOffset, edit, inserted: true }
}

function locate(yaml: ParsedYaml, node: Scalar, error: HandoffError): HandoffError {
  const { line, column } = positionOf(yaml, node.range?.[0] ?? 0)
  return new HandoffError(error.code, `Line ${line}: ${error.message}`, {
    hint: error.hint,
    line,
    column
  })
}

/** What a reader reports: only the parts the file sets. */
export function currentImage(
  image: string,
  tag: string | undefined,
  digest: string | undefined
): CurrentImage {
  return { image, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) }
}
