/**
 * Byte-minimal YAML editing: parse with the `yaml` AST (which keeps source ranges), find the
 * scalar to change, and splice new text into exactly that range. Documents are never
 * re-serialised, so comments, quoting, anchors, CRLF, BOM and the final newline survive.
 */
import { LineCounter, parse, parseAllDocuments, Scalar, type Document, type YAMLError } from 'yaml'
import { HandoffError } from '../errors.js'

export interface ParsedYaml {
  readonly text: string
  readonly documents: readonly Document.Parsed[]
  readonly lines: LineCounter
}

export type ParseOutcome =
  | { readonly ok: true; readonly yaml: ParsedYaml }
  | { readonly ok: false; readonly error: HandoffError }

/** A replacement of text[start, end) by `text`. */
export interface Splice {
  readonly start: number
  readonly end: number
  readonly text: string
}

// Aliases are never expanded by the editors (they walk the AST), but keep the parser's own
// guard tight so a hostile file cannot make anything expand exponentially.
const PARSE_OPTIONS = { uniqueKeys: true, strict: true, prettyErrors: false } as const

/** Parse every document of a file; the first error (with line and column) fails the file. */
export function parseYaml(text: string): ParseOutcome {
  const lines = new LineCounter()
  let documents: Document.Parsed[]
  try {
    const parsed = parseAllDocuments(text, { ...PARSE_OPTIONS, lineCounter: lines })
    documents = Array.isArray(parsed) ? parsed : []
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    return {
      ok: false,
      error: new HandoffError('PARSE_ERROR', `YAML could not be parsed: ${reason}`)
    }
  }
  for (const document of documents) {
    const first = document.errors[0]
    if (first) return { ok: false, error: yamlError(first, lines) }
  }
  return { ok: true, yaml: { text, documents, lines } }
}

function yamlError(error: YAMLError, lines: LineCounter): HandoffError {
  const { line, col } = lines.linePos(error.pos[0])
  const reason = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')
  return new HandoffError(
    'PARSE_ERROR',
    `YAML syntax error at line ${line}, column ${col}: ${reason}`,
    {
      line,
      column: col,
      hint: 'Fix the YAML syntax of the file (check indentation, quotes and brackets), then rerun.'
    }
  )
}

/** 1-based line and column of an offset. */
export function positionOf(yaml: ParsedYaml, offset: number): { line: number; column: number } {
  const { line, col } = yaml.lines.linePos(offset)
  return { line, column: col }
}

/**
 * True when `value` can be written as a plain scalar and every YAML reader (1.2 core and 1.1,
 * which still reads `yes`, `on`, `0755` and dates as non-strings) gets the same string back.
 */
export function isSafePlain(value: string): boolean {
  if (value === '' || !/^[A-Za-z0-9_./@+-][A-Za-z0-9_./@+:=~-]*$/.test(value)) return false
  // A leading indicator is quoted even where YAML would read a plain scalar (`-latest`), as
  // argocd-image-updater does: never less quoting than upstream.
  if (/^[-?:@]/.test(value)) return false
  for (const version of ['1.2', '1.1'] as const) {
    try {
      if (parse(value, { version }) !== value) return false
    } catch {
      return false
    }
  }
  return true
}

function doubleQuoted(value: string): string {
  return JSON.stringify(value)
}

function singleQuoted(value: string): string {
  return `'${value.replace(/'/g, "''")}'`
}

/**
 * Render a new value for an existing scalar, keeping its quoting style. A plain scalar whose
 * new value YAML would read as a non-string (`1.20`, `true`, `0755`, `null`) becomes
 * double-quoted. Block scalars are refused: an image value is never a block in practice.
 */
export function renderLike(node: Scalar, value: string): string | HandoffError {
  switch (node.type) {
    case Scalar.QUOTE_DOUBLE:
      return doubleQuoted(value)
    case Scalar.QUOTE_SINGLE:
      return singleQuoted(value)
    case Scalar.BLOCK_FOLDED:
    case Scalar.BLOCK_LITERAL:
      return new HandoffError(
        'UNSUPPORTED_FILE',
        `The value is a block scalar; cannot edit it in place`,
        {
          hint: 'Write the image value as a plain or quoted scalar.'
        }
      )
    default:
      return renderPlain(value)
  }
}

/** A value for a new plain position: plain when safe, else double-quoted. */
export function renderPlain(value: string): string {
  return isSafePlain(value) ? value : doubleQuoted(value)
}

/**
 * The splice that replaces a scalar's value. An empty value (`tag:` with nothing after the
 * colon) gets a separating space so the result stays a mapping entry.
 */
export function replaceScalar(text: string, node: Scalar, value: string): Splice | HandoffError {
  const rendered = renderLike(node, value)
  if (rendered instanceof HandoffError) return rendered
  const [start, end] = scalarRange(node)
  const needsSpace = start === end && start > 0 && text[start - 1] === ':'
  return { start, end, text: needsSpace ? ` ${rendered}` : rendered }
}

/** Source range [start, end) of a scalar's value (its anchor and tag excluded). */
export function scalarRange(node: Scalar): [number, number] {
  const range = node.range
  if (!range) throw new HandoffError('INTERNAL', 'A YAML scalar has no source range')
  return [range[0], range[1]]
}

/**
 * Apply splices. Identical splices (the same anchored value reached through several
 * aliases) are applied once; overlapping different splices are a bug in the caller.
 */
export function applySplices(text: string, splices: readonly Splice[]): string {
  const unique = dedupeSplices(splices).sort((a, b) => a.start - b.start)
  let out = ''
  let cursor = 0
  for (const splice of unique) {
    if (splice.start < cursor) {
      throw new HandoffError('INTERNAL', `Overlapping edits at offset ${splice.start}`)
    }
    out += text.slice(cursor, splice.start) + splice.text
    cursor = splice.end
  }
  return out + text.slice(cursor)
}

function dedupeSplices(splices: readonly Splice[]): Splice[] {
  const seen = new Map<string, Splice>()
  for (const splice of splices) seen.set(`${splice.start}:${splice.end}:${splice.text}`, splice)
  return [...seen.values()]
}

/** The file's line ending: CRLF when its first line break is CRLF. */
export function newlineOf(text: string): '\n' | '\r\n' {
  const lf = text.indexOf('\n')
  return lf > 0 && text[lf - 1] === '\r' ? '\r\n' : '\n'
}

/** Column (0-based) of the first non-space character of the line holding `offset`. */
export function indentAt(text: string, offset: number): number {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1
  let i = lineStart
  while (text[i] === ' ') i++
  return i - lineStart
}

/** Offset just past the end of the line holding `offset` (after its line break, if any). */
export function endOfLine(text: string, offset: number): number {
  const lf = text.indexOf('\n', offset)
  return lf === -1 ? text.length : lf + 1
}

/** A splice carrying the report of the value it writes, which starts `within` its text. */
export interface LocatedSplice<T> {
  readonly splice: Splice
  readonly within: number
  readonly edit: T
}

/**
 * Apply splices (as applySplices) and give each edit the 1-based line and column of its value
 * in the new text, so reports point at the file as committed. `unreported` splices (layout
 * only) are applied too, before reported ones at the same offset.
 */
export function applyLocated<T>(
  text: string,
  located: readonly LocatedSplice<T>[],
  unreported: readonly Splice[] = []
): { text: string; edits: (T & { line: number; column: number })[] } {
  const splices = [...unreported, ...located.map(l => l.splice)]
  const out = applySplices(text, splices)
  const unique = dedupeSplices(splices).sort((a, b) => a.start - b.start)
  const shiftBefore = new Map<string, number>()
  let shift = 0
  for (const splice of unique) {
    shiftBefore.set(spliceKey(splice), shift)
    shift += splice.text.length - (splice.end - splice.start)
  }
  const offsets = located.map(
    l => l.splice.start + (shiftBefore.get(spliceKey(l.splice)) ?? 0) + l.within
  )
  const positions = linePositions(out, offsets)
  return { text: out, edits: located.map((l, i) => ({ ...l.edit, ...positions[i] })) }
}

function spliceKey(splice: Splice): string {
  return `${splice.start}:${splice.end}:${splice.text}`
}

/** Line and column of many offsets with one pass over the text. */
function linePositions(
  text: string,
  offsets: readonly number[]
): { line: number; column: number }[] {
  const order = offsets.map((offset, i) => ({ offset, i })).sort((a, b) => a.offset - b.offset)
  const result: { line: number; column: number }[] = new Array(offsets.length)
  let line = 1
  let lineStart = 0
  let next = text.indexOf('\n')
  for (const { offset, i } of order) {
    while (next !== -1 && next < offset) {
      line++
      lineStart = next + 1
      next = text.indexOf('\n', lineStart)
    }
    result[i] = { line, column: offset - lineStart + 1 }
  }
  return result
}
