/**
 * Dotted key paths (`image.tag`, `server.image.tag`, `images[0].tag`) into a parsed YAML
 * document, read as Helm's `--set` and Argo CD Image Updater read them: the nested path
 * first, then keys that themselves contain dots (`image.tag:` at the root, or a dotted key
 * at any level, e.g. `server: {image.tag: x}`). Also inserts a missing path as new lines
 * (create-missing) without touching any other byte.
 */
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  Scalar,
  type Document,
  type Pair,
  type YAMLMap,
  type YAMLSeq
} from 'yaml'
import { HandoffError, quote } from '../errors.js'
import { endOfLine, newlineOf, renderPlain, type Splice } from './yaml-splice.js'

export interface KeyPart {
  readonly name: string
  readonly indexes: readonly number[]
}

/** A key that resolved to a scalar. `parent` is the map holding the final key (not a list). */
export interface KeyFound {
  readonly ok: true
  readonly node: Scalar
  readonly path: string
  readonly parent?: YAMLMap
  /** Path of `parent` ('' for the root). */
  readonly parentPath: string
}

export type KeyFailureKind =
  | 'missing-key'
  | 'not-a-map'
  | 'not-a-list'
  | 'no-index'
  | 'out-of-range'
  | 'not-a-scalar'
  | 'too-complex'

/** Why a key did not resolve, at the deepest point that exists. */
export interface KeyMissing {
  readonly ok: false
  readonly kind: KeyFailureKind
  /** How many key parts exist before the failure. */
  readonly consumed: number
  /** The existing part of the path ('' for the document root). */
  readonly path: string
  /** Offset of the deepest existing parent (its key), for line/column. */
  readonly offset: number
  /** What is wrong there, said of the parent: `has no key "tag"`. */
  readonly problem: string
  /** The map that lacks the key (kind 'missing-key'); undefined for an empty document. */
  readonly map?: YAMLMap
}

// A path longer than this is not a Helm values path; the bound also keeps the search for
// dotted keys (which tries every split of the remaining parts) small.
const MAX_PARTS = 32
const MAX_STEPS = 10_000
const PART = /^([^[\]]+)((?:\[[^\]]*\])*)$/

/** Split a dotted key into parts; INVALID_INPUT quoting the key when it is malformed. */
export function parseKeyPath(key: string): readonly KeyPart[] | HandoffError {
  const hint = 'Write a dotted path such as image.tag, server.image.tag or images[0].tag.'
  if (key.trim() === '' || /[\u0000-\u001f\u007f]/.test(key)) {
    return new HandoffError(
      'INVALID_INPUT',
      `The key ${quote(key)} is empty or holds control characters`,
      {
        hint,
        input: 'key'
      }
    )
  }
  const raw = key.split('.')
  if (raw.length > MAX_PARTS) {
    return new HandoffError(
      'INVALID_INPUT',
      `The key ${quote(key)} has more than ${MAX_PARTS} parts`,
      {
        hint,
        input: 'key'
      }
    )
  }
  const parts: KeyPart[] = []
  for (const text of raw) {
    const part = parsePart(key, text)
    if (part instanceof HandoffError) return part
    parts.push(part)
  }
  return parts
}

function parsePart(key: string, text: string): KeyPart | HandoffError {
  const m = PART.exec(text)
  if (!m) {
    return new HandoffError(
      'INVALID_INPUT',
      `The key ${quote(key)} has an empty or malformed part ${quote(text)}`,
      {
        hint: 'Each part between dots is a key name, optionally followed by list indexes such as [0].',
        input: 'key'
      }
    )
  }
  const indexes: number[] = []
  for (const [, index] of m[2].matchAll(/\[([^\]]*)\]/g)) {
    if (!/^\d{1,9}$/.test(index)) {
      return new HandoffError(
        'INVALID_INPUT',
        `The key ${quote(key)} has the list index ${quote(index)}, which is not a non-negative integer`,
        { hint: `Index lists from 0, e.g. ${m[1]}[0] for the first item.`, input: 'key' }
      )
    }
    indexes.push(Number(index))
  }
  return { name: m[1], indexes }
}

/** The parts as one key text again (for messages and edit paths). */
export function formatKeyPath(parts: readonly KeyPart[]): string {
  return parts.map(p => p.name + p.indexes.map(i => `[${i}]`).join('')).join('.')
}

interface Walk {
  readonly doc: Document.Parsed
  readonly parts: readonly KeyPart[]
  steps: number
}

interface Place {
  readonly path: string
  readonly offset: number
  readonly parent?: YAMLMap
  readonly parentPath?: string
}

/** Resolve a key in one document: nested path first, then dotted keys, at every level. */
export function resolveKey(doc: Document.Parsed, parts: readonly KeyPart[]): KeyFound | KeyMissing {
  const root = doc.contents
  const place = { path: '', offset: root?.range?.[0] ?? 0 }
  if (
    root === null ||
    (isScalar(root) && root.value === null && root.range?.[0] === root.range?.[1])
  ) {
    return missing('missing-key', 0, place, `has no key ${quote(parts[0].name)}`)
  }
  return walk({ doc, parts, steps: 0 }, root, 0, place)
}

function walk(ctx: Walk, node: unknown, i: number, place: Place): KeyFound | KeyMissing {
  if (++ctx.steps > MAX_STEPS)
    return missing('too-complex', i, place, 'needs too many steps to search; write a simpler key')
  const target = deref(ctx.doc, node)
  if (i === ctx.parts.length) {
    if (isScalar(target)) {
      return {
        ok: true,
        node: target,
        path: place.path,
        parent: place.parent,
        parentPath: place.parentPath ?? ''
      }
    }
    return missing('not-a-scalar', i, place, `is ${kindOf(target)}, not a scalar value`)
  }
  if (!isMap(target)) {
    return missing(
      'not-a-map',
      i,
      place,
      `is ${kindOf(target)}, not a map with the key ${quote(ctx.parts[i].name)}`
    )
  }
  // A failure past an existing key says more than "no such key" at this level.
  let best: KeyMissing | undefined
  for (let j = i + 1; j <= ctx.parts.length; j++) {
    // A dotted key can only span parts without indexes (except its last one).
    if (j > i + 1 && ctx.parts[j - 2].indexes.length > 0) break
    const name = ctx.parts
      .slice(i, j)
      .map(p => p.name)
      .join('.')
    const pair = findPair(target, name)
    if (!pair) continue
    const outcome = stepInto(
      ctx,
      pair,
      { map: target, path: place.path },
      j,
      joinPath(place.path, name)
    )
    if (outcome.ok) return outcome
    if (!best || outcome.consumed > best.consumed) best = outcome
  }
  return best ?? missing('missing-key', i, place, `has no key ${quote(ctx.parts[i].name)}`, target)
}

/** Follow a found pair: apply the last part's list indexes, then walk on from part `j`. */
function stepInto(
  ctx: Walk,
  pair: Pair,
  owner: { map: YAMLMap; path: string },
  j: number,
  path: string
): KeyFound | KeyMissing {
  const part = ctx.parts[j - 1]
  let node: unknown = pair.value
  let place: Place = {
    path,
    offset: (pair.key as Scalar).range?.[0] ?? 0,
    ...(part.indexes.length ? {} : { parent: owner.map, parentPath: owner.path })
  }
  for (const index of part.indexes) {
    const list = deref(ctx.doc, node)
    if (!isSeq(list)) {
      return missing(
        'not-a-list',
        j - 1,
        place,
        `is ${kindOf(list)}, not a list to index with [${index}]`
      )
    }
    if (index >= list.items.length) {
      return missing(
        'out-of-range',
        j - 1,
        place,
        `has ${list.items.length} item(s), so there is no item [${index}]`
      )
    }
    node = list.items[index]
    place = { path: `${place.path}[${index}]`, offset: (node as Scalar).range?.[0] ?? place.offset }
  }
  if (part.indexes.length === 0 && j < ctx.parts.length && isSeq(deref(ctx.doc, node))) {
    return missing('no-index', j, place, `is a list; index it, e.g. ${path}[0]`)
  }
  return walk(ctx, node, j, place)
}

function missing(
  kind: KeyFailureKind,
  consumed: number,
  place: Place,
  problem: string,
  map?: YAMLMap
): KeyMissing {
  return { ok: false, kind, consumed, path: place.path, offset: place.offset, problem, map }
}

export function joinPath(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`
}

/** An alias stands for its anchored node; everything else is itself. */
export function deref(doc: Document.Parsed, node: unknown): unknown {
  return isAlias(node) ? node.resolve(doc) : node
}

/** The pair of a map whose (scalar) key reads as `name`. Merge keys (`<<`) never match. */
export function findPair(map: YAMLMap, name: string): Pair | undefined {
  return map.items.find(
    p => isScalar(p.key) && p.key.value !== null && String(p.key.value) === name && name !== '<<'
  )
}

function kindOf(node: unknown): string {
  if (isMap(node)) return 'a map'
  if (isSeq(node)) return 'a list'
  if (isScalar(node))
    return node.value === null
      ? 'an empty value'
      : `the scalar ${quote(String(node.source ?? node.value))}`
  return 'nothing'
}

/** KEY_NOT_FOUND for a key, located at the deepest existing parent. */
export function keyNotFound(
  key: string,
  failure: KeyMissing,
  position: { line: number; column: number },
  createMissing: boolean
): HandoffError {
  const where = failure.path === '' ? 'the document root' : quote(failure.path)
  const creatable = failure.kind === 'missing-key'
  const hint =
    creatable && !createMissing
      ? 'Check the key against the file, or set create-missing: true to add the missing keys.'
      : 'Check the key against the file: it must lead through maps (and list indexes) to a scalar value.'
  return new HandoffError(
    'KEY_NOT_FOUND',
    `The key ${quote(key)} was not found: ${where} (line ${position.line}, column ${position.column}) ${failure.problem}`,
    { hint, line: position.line, column: position.column, input: 'key' }
  )
}

/** An insertion and where the new value's first byte sits inside its text. */
export interface Insertion {
  readonly splice: Splice
  readonly valueOffset: number
  /** For a list leaf: where each item's value starts (the first is `valueOffset`). */
  readonly itemOffsets: readonly number[]
}

/**
 * Insert the missing parts of a key (kind 'missing-key') with `value` as the leaf: new lines
 * at the map's key indentation (each new level 2 deeper) after its last entry, or
 * `k: {…}` inside a flow map. CRLF files get CRLF lines; a file without a final newline
 * keeps ending without one.
 */
export function insertMissing(
  text: string,
  failure: KeyMissing,
  parts: readonly KeyPart[],
  value: Leaf
): Insertion | HandoffError {
  const rest = parts.slice(failure.consumed)
  if (failure.kind !== 'missing-key' || rest.some(p => p.indexes.length > 0)) {
    return new HandoffError(
      'KEY_NOT_FOUND',
      `Cannot create the key ${quote(formatKeyPath(parts))}: the missing part is not a plain map key`,
      {
        hint: 'create-missing adds map keys only; it does not create list items or replace non-map values.',
        input: 'key'
      }
    )
  }
  return insertKeys(
    text,
    failure.map,
    undefined,
    rest.map(p => p.name),
    value
  )
}

/** A new key's value: one scalar, or a list of scalars. */
export type Leaf = string | readonly string[]

/** Insert `name: value` into a map right after the entry `after` (same indentation). */
export function insertKeyAfter(
  text: string,
  map: YAMLMap,
  after: Pair,
  name: string,
  value: Leaf
): Insertion {
  return insertKeys(text, map, after, [name], value)
}

/** Insert a key path none of whose parts exist into `map` (undefined: an empty document). */
export function insertPath(
  text: string,
  map: YAMLMap | undefined,
  names: readonly string[],
  value: Leaf
): Insertion {
  return insertKeys(text, map, undefined, names, value)
}

function insertKeys(
  text: string,
  map: YAMLMap | undefined,
  after: Pair | undefined,
  names: readonly string[],
  value: Leaf
): Insertion {
  if (map?.flow) return insertFlow(map, after, names, value)
  return insertBlock(text, map, after, names, value)
}

function insertFlow(
  map: YAMLMap,
  after: Pair | undefined,
  names: readonly string[],
  value: Leaf
): Insertion {
  const items = typeof value === 'string' ? undefined : value.map(renderPlain)
  const leaf = items ? `[${items.join(', ')}]` : renderPlain(value as string)
  const innermost = `${renderPlain(names[names.length - 1])}: ${leaf}`
  const nested = names
    .slice(0, -1)
    .reduceRight((inner, name) => `${renderPlain(name)}: {${inner}}`, innermost)
  const previous = after ?? map.items[map.items.length - 1]
  const text = previous ? `, ${nested}` : nested
  const at = previous ? nodeEnd(previous.value ?? previous.key) : (map.range?.[0] ?? 0) + 1
  // The leaf is followed only by the closing braces of the new inner maps.
  const leafAt = text.length - (names.length - 1) - leaf.length
  const itemOffsets = items
    ? items.map(
        (_, i) => leafAt + 1 + items.slice(0, i).reduce((sum, item) => sum + item.length + 2, 0)
      )
    : [leafAt]
  return { splice: { start: at, end: at, text }, valueOffset: itemOffsets[0], itemOffsets }
}

function nodeEnd(node: unknown): number {
  return (node as Scalar).range?.[1] ?? 0
}

function insertBlock(
  text: string,
  map: YAMLMap | undefined,
  after: Pair | undefined,
  names: readonly string[],
  value: Leaf
): Insertion {
  const nl = newlineOf(text)
  const first = map?.items[0]
  const indent = first ? columnOf(text, (first.key as Scalar).range?.[0] ?? 0) : 0
  const previous = after ?? map?.items[map.items.length - 1]
  const at = previous ? afterNode(text, previous.value ?? previous.key) : text.length
  const keys = names.map((name, level) => ' '.repeat(indent + 2 * level) + renderPlain(name) + ':')
  const last = ' '.repeat(indent + 2 * (names.length - 1))
  // Kustomize and Argo CD write list items at their key's indentation: `images:\n- a`.
  const lines =
    typeof value === 'string'
      ? [...keys.slice(0, -1), `${keys[keys.length - 1]} ${renderPlain(value)}`]
      : [...keys, ...value.map(item => `${last}- ${renderPlain(item)}`)]
  const places =
    typeof value === 'string'
      ? [
          {
            line: lines.length - 1,
            column: lines[lines.length - 1].length - renderPlain(value).length
          }
        ]
      : value.map((_, i) => ({ line: keys.length + i, column: last.length + 2 }))
  return placeLines(text, at, lines, places, nl)
}

/**
 * New lines at a line start `at` (or at the end of the file). At the end of a file without a
 * final newline, the lines start with one and the file still ends without it.
 */
function placeLines(
  text: string,
  at: number,
  lines: readonly string[],
  values: readonly { line: number; column: number }[],
  nl: string
): Insertion {
  const body = lines.join(nl)
  const unterminated =
    at === text.length && text.replace(/^\uFEFF/, '') !== '' && !text.endsWith('\n')
  const inserted = unterminated ? nl + body : body + nl
  const lineStart = (index: number): number =>
    lines.slice(0, index).reduce((sum, line) => sum + line.length + nl.length, 0)
  const itemOffsets = values.map(v => (unterminated ? nl.length : 0) + lineStart(v.line) + v.column)
  return {
    splice: { start: at, end: at, text: inserted },
    valueOffset: itemOffsets[0],
    itemOffsets
  }
}

/** A new list item: its block lines (no dash, no indentation) and its flow form. */
export interface ListItem {
  readonly lines: readonly string[]
  readonly flow: string
  /** Where the reported value starts: line index and column in `lines`, offset in `flow`. */
  readonly valueLine: number
  readonly valueColumn: number
  readonly flowOffset: number
}

/** Append an item to a list, with the dash where the list's first item has it. */
export function appendListItem(text: string, seq: YAMLSeq, item: ListItem): Insertion {
  const last = seq.items[seq.items.length - 1]
  if (seq.flow || !last) {
    const prefix = last ? ', ' : ''
    const at = last ? nodeEnd(last) : (seq.range?.[0] ?? 0) + 1
    const valueOffset = prefix.length + item.flowOffset
    return {
      splice: { start: at, end: at, text: prefix + item.flow },
      valueOffset,
      itemOffsets: [valueOffset]
    }
  }
  const dash = text.lastIndexOf('-', ((seq.items[0] as Scalar).range?.[0] ?? 1) - 1)
  const lead = ' '.repeat(columnOf(text, dash))
  const lines = item.lines.map((line, i) => (i === 0 ? `${lead}- ${line}` : `${lead}  ${line}`))
  const value = { line: item.valueLine, column: lead.length + 2 + item.valueColumn }
  return placeLines(text, afterNode(text, last), lines, [value], newlineOf(text))
}

/** 0-based column of an offset. */
function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1)
}

/** Offset of the start of the line after a node (its last line, with any comment on it). */
function afterNode(text: string, node: unknown): number {
  const range = (node as Scalar).range ?? [0, 0, 0]
  if (isScalar(node) && (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED)) {
    return text[range[1] - 1] === '\n' ? range[1] : endOfLine(text, range[1])
  }
  let end = range[1]
  while (end > range[0] && /\s/.test(text[end - 1])) end--
  return endOfLine(text, Math.max(end - 1, 0))
}
