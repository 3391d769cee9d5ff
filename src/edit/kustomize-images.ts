/**
 * Kustomize `images:` lists, edited in place with kustomize's rules.
 *
 * Matching: kustomize selects an entry by its `name`, textually. We accept that, and also a
 * name equal after docker.io normalisation (`repositoryMatches`), so `image: nginx` finds
 * `name: docker.io/library/nginx` and the other way round: the entry was written for that
 * image, and kustomize would have matched the manifests' own spelling of it.
 *
 * Fields: a new tag sets `newTag` and drops `digest` (the old digest cannot belong to the new
 * tag); a digest sets `digest` and drops `newTag`; both set both. `newName` and `tagSuffix`
 * are left alone. Keys kustomize does not know (Flux's `newDigest`) are never touched.
 *
 * Layout: a key that is added goes where kustomize would write it (keys in alphabetical
 * order: `digest`, `name`, `newName`, `newTag`), a removed key takes its whole line with it,
 * and a new entry copies the list's indentation. A new `images:` key goes at the end of the
 * root mapping. Numeric-looking values are quoted (`"1234"`), as kustomize writes them.
 */
import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml'
import { HandoffError, quote } from '../errors.js'
import { repositoryMatches, splitLoose } from '../image/reference.js'
import type { EditOptions, EditResult, ImageUpdate, ReadResult, ValueEdit } from './types.js'
import {
  applyLocated,
  endOfLine,
  newlineOf,
  parseYaml,
  positionOf,
  renderPlain,
  replaceScalar,
  type LocatedSplice,
  type ParsedYaml,
  type Splice
} from './yaml-splice.js'

type Field = 'digest' | 'newName' | 'newTag'
const FIELDS: readonly Field[] = ['digest', 'newName', 'newTag']

/** What to do with one field of a matched entry. */
type Change = { readonly set: string } | 'remove' | 'keep'

/** The desired state of the entry named `name`. */
export interface EntryPatch {
  readonly name: string
  /** The image the change is reported under. */
  readonly image: string
  readonly fields: Readonly<Record<Field, Change>>
}

interface Policy {
  readonly matches: (entryName: string, wanted: string) => boolean
  readonly createMissing: boolean
}

export function editKustomize(
  text: string,
  updates: readonly ImageUpdate[],
  options: EditOptions
): EditResult {
  const patches = updates.map(patchFor)
  return applyPatches(text, patches, { matches: namesMatch, createMissing: options.createMissing })
}

/** The current `newTag`/`digest` of the entry named `image`. */
export function readKustomize(text: string, image: string, _options: EditOptions): ReadResult {
  const parsed = parseYaml(text)
  if (!parsed.ok) return parsed
  const file = kustomizationOf(parsed.yaml)
  if (file instanceof HandoffError) return { ok: false, error: file }
  const entry = file.entries.find(e => namesMatch(e.name, image))
  if (!entry) return { ok: false, error: entryNotFound([image], file.entries) }
  const tag = scalarText(fieldPair(entry, 'newTag')?.value)
  const digest = scalarText(fieldPair(entry, 'digest')?.value)
  if (!tag && !digest) {
    return {
      ok: false,
      error: new HandoffError(
        'KEY_NOT_FOUND',
        `The images entry ${quote(entry.name)} sets neither newTag nor digest, so it holds no version of ${quote(image)} to copy`,
        { hint: 'Point `promote-from` at a file that pins the image with newTag or digest.' }
      )
    }
  }
  return { ok: true, current: { image, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) } }
}

function namesMatch(entryName: string, wanted: string): boolean {
  return entryName === wanted || repositoryMatches(entryName, wanted)
}

/** The SPEC rules for one update. */
function patchFor(update: ImageUpdate): EntryPatch {
  const { tag, digest } = update
  return {
    name: update.image,
    image: update.image,
    fields: {
      newName: 'keep',
      newTag: tag ? { set: tag } : digest ? 'remove' : 'keep',
      digest: digest ? { set: digest } : tag ? 'remove' : 'keep'
    }
  }
}

// ---------------------------------------------------------------------------------------
// `kustomize edit set image` arguments (used by the kustomize conformance cases)

const NO_ARGS = 'no image specified'
const INVALID_ARGS = `invalid format of image, use one of the following options:
- <image>=<newimage>:<newtag>
- <image>=<newimage>@<digest>
- <image>=<newimage>:<newtag>@<digest>
- <image>=<newimage>
- <image>:<newtag>
- <image>:<newtag>@<digest>
- <image>@<digest>`
const PRESERVE = '*'

/**
 * `kustomize edit set image ARGS…` applied in place. Each argument is
 * `name[=newName][:newTag][@digest]`; the entry it names gets exactly those fields (a field
 * not given is removed, `*` keeps the existing value); a later argument for the same name
 * wins. Unlike kustomize, the file is not re-serialised and `tagSuffix` is kept.
 */
export function applySetImageArgs(text: string, args: readonly string[]): EditResult {
  if (args.length === 0) return { ok: false, error: invalidArgs(NO_ARGS) }
  const byName = new Map<string, EntryPatch>()
  for (const arg of args) {
    const patch = parseSetImageArg(arg)
    if (patch instanceof HandoffError) return { ok: false, error: patch }
    byName.set(patch.name, patch)
  }
  return applyPatches(text, [...byName.values()], {
    matches: (entryName, wanted) => entryName === wanted,
    createMissing: true
  })
}

export function parseSetImageArg(arg: string): EntryPatch | HandoffError {
  const separator = arg.indexOf('=')
  const key = separator === -1 ? '' : arg.slice(0, separator)
  const value = separator === -1 ? arg : arg.slice(separator + 1)
  const { name, tag, digest } = splitLoose(value)
  if (name === arg) return invalidArgs(INVALID_ARGS)
  const given = (v: string | undefined): Change =>
    v === undefined || v === '' ? 'remove' : v === PRESERVE ? 'keep' : { set: v }
  return {
    name: key || name,
    image: key || name,
    fields: { newName: key ? given(name) : 'remove', newTag: given(tag), digest: given(digest) }
  }
}

function invalidArgs(message: string): HandoffError {
  return new HandoffError('INVALID_INPUT', message, {
    hint: 'Pass arguments as `kustomize edit set image` takes them: name[=newName][:newTag][@digest].'
  })
}

// ---------------------------------------------------------------------------------------
// The file model

interface Entry {
  readonly index: number
  readonly map: YAMLMap
  readonly name: string
}

interface Kustomization {
  /** The root mapping; undefined for an empty document. */
  readonly root?: YAMLMap
  /** An empty document: where its content would go (after its `---` line, if any). */
  readonly empty?: { readonly range: readonly number[]; readonly docStart: boolean }
  readonly imagesPair?: Pair
  /** The `images:` sequence when there is one. */
  readonly list?: YAMLSeq
  readonly entries: readonly Entry[]
}

function kustomizationOf(yaml: ParsedYaml): Kustomization | HandoffError {
  const doc = yaml.documents[0]
  // Directives with no document after them: nothing to add a key to.
  if (!doc) return /^\uFEFF?%/m.test(yaml.text) ? notAMapping() : { entries: [] }
  const root = doc.contents
  const bare = isScalar(root) && root.value === null && !root.source && !root.anchor && !root.tag
  if (root === null || bare) {
    return {
      entries: [],
      empty: { range: root?.range ?? doc.range, docStart: doc.directives.docStart === true }
    }
  }
  if (!isMap(root)) return notAMapping()
  const imagesPair = root.items.find(p => scalarText(p.key) === 'images')
  const value = imagesPair?.value
  if (value === null || value === undefined || (isScalar(value) && value.value === null)) {
    return { root, imagesPair, entries: [] }
  }
  if (!isSeq(value)) return notAList(yaml, value as Node)
  const entries: Entry[] = []
  value.items.forEach((item, index) => {
    const name = isMap(item)
      ? scalarText(item.items.find(p => scalarText(p.key) === 'name')?.value)
      : undefined
    if (isMap(item) && name !== undefined) entries.push({ index, map: item, name })
  })
  return { root, imagesPair, list: value, entries }
}

function notAMapping(): HandoffError {
  return new HandoffError('UNSUPPORTED_FILE', 'The kustomization is not a YAML mapping', {
    hint: 'A kustomization file is a mapping with keys such as `resources:` and `images:`.'
  })
}

function notAList(yaml: ParsedYaml, node: Node): HandoffError {
  const { line, column } = positionOf(yaml, node.range?.[0] ?? 0)
  return new HandoffError('UNSUPPORTED_FILE', `\`images:\` at line ${line} is not a list`, {
    hint: 'Write `images:` as a list of entries (`- name: …`, `newTag: …`).',
    line,
    column
  })
}

/** A scalar's text: the string, or the source of a number (`1.20`, not `1.2`). */
function scalarText(node: unknown): string | undefined {
  if (!isScalar(node) || node.value === null || node.value === undefined) return undefined
  if (typeof node.value === 'string') return node.value
  return node.source ?? String(node.value)
}

/** True when the value is already that string (a plain `0755` or `1.20` is not: YAML reads a number). */
function holdsString(node: unknown, value: string): boolean {
  return isScalar(node) && typeof node.value === 'string' && node.value === value
}

function fieldPair(entry: Entry, field: string): Pair | undefined {
  return entry.map.items.find(p => scalarText(p.key) === field)
}

function entryNotFound(images: readonly string[], entries: readonly Entry[]): HandoffError {
  const names = entries.map(e => quote(e.name))
  const listed = names.length === 0 ? 'no images entries' : `images entries ${names.join(', ')}`
  return new HandoffError(
    'IMAGE_NOT_FOUND',
    `No images entry is named ${images.map(quote).join(', ')}; the kustomization has ${listed}`,
    {
      hint: "Check `image` against the entries' `name` (the name the manifests use), or set `create-missing: true` to add an entry."
    }
  )
}

// ---------------------------------------------------------------------------------------
// Applying patches

function applyPatches(text: string, patches: readonly EntryPatch[], policy: Policy): EditResult {
  // Work on text that ends with a line break so every line removal and insertion has the
  // same shape; the added break is taken off again at the end.
  const newline = newlineOf(text)
  const eofless = text.length > 0 && !text.endsWith('\n')
  const work = eofless ? text + newline : text
  const parsed = parseYaml(work)
  if (!parsed.ok) return parsed
  const file = kustomizationOf(parsed.yaml)
  if (file instanceof HandoffError) return { ok: false, error: file }
  const editor = new ListEditor(work, parsed.yaml, newline)
  const missing: EntryPatch[] = []
  const patched = new Map<Entry, EntryPatch>()
  for (const patch of patches) {
    const hits = file.entries.filter(e => policy.matches(e.name, patch.name))
    if (hits.length === 0) missing.push(patch)
    for (const hit of hits) {
      // Two spellings of one image (`nginx`, `docker.io/library/nginx`) select the same entry.
      const earlier = patched.get(hit)
      if (earlier && samePatch(earlier, patch)) continue
      if (earlier) return { ok: false, error: conflictingPatches(parsed.yaml, hit, earlier, patch) }
      patched.set(hit, patch)
      const error = editor.patchEntry(hit, patch)
      if (error) return { ok: false, error }
    }
  }
  if (missing.length === patches.length && !policy.createMissing) {
    const names = patches.map(p => p.name)
    return { ok: false, error: entryNotFound(names, file.entries) }
  }
  if (missing.length > 0 && policy.createMissing) {
    const error = editor.addEntries(file, missing)
    if (error) return { ok: false, error }
  }
  const { text: out, edits } = applyLocated(work, editor.changes, editor.layout)
  // Report in the order the values were considered (entry by entry, keys alphabetical).
  const located = new Map(editor.changes.map((change, i) => [change.edit, edits[i]]))
  const ordered = editor.reports.map(report => located.get(report) as ValueEdit)
  return { ok: true, text: eofless ? out.slice(0, -newline.length) : out, edits: ordered }
}

function samePatch(a: EntryPatch, b: EntryPatch): boolean {
  return FIELDS.every(field => JSON.stringify(a.fields[field]) === JSON.stringify(b.fields[field]))
}

function conflictingPatches(
  yaml: ParsedYaml,
  entry: Entry,
  first: EntryPatch,
  second: EntryPatch
): HandoffError {
  const { line, column } = positionOf(yaml, entry.map.range?.[0] ?? 0)
  return new HandoffError(
    'INVALID_INPUT',
    `Images ${quote(first.image)} and ${quote(second.image)} both select the images entry ${quote(entry.name)} but ask for different versions`,
    {
      hint: 'Give each image once in `images` (nginx, docker.io/nginx and docker.io/library/nginx are one image).',
      input: 'images',
      line,
      column
    }
  )
}

type Report = Omit<ValueEdit, 'line' | 'column'>

interface AddedKey {
  readonly field: Field
  readonly value: string
  readonly report: Report
}

/** Collects the splices of one file, each reported value with the splice that writes it. */
class ListEditor {
  readonly changes: LocatedSplice<Report>[] = []
  /** Every reported value, in the order it was considered. */
  readonly reports: Report[] = []
  /** Splices that only shape the text (`images:` header, an emptied `[]`). */
  readonly layout: Splice[] = []

  constructor(
    private readonly text: string,
    private readonly yaml: ParsedYaml,
    private readonly newline: string
  ) {}

  patchEntry(entry: Entry, patch: EntryPatch): HandoffError | undefined {
    const previous =
      scalarText(fieldPair(entry, 'newTag')?.value) ??
      scalarText(fieldPair(entry, 'digest')?.value) ??
      ''
    const report = (field: Field, before: string, after: string): Report => {
      const path = `images[${entry.index}].${field}`
      const made = { image: patch.image, path, before, after, previous }
      this.reports.push(made)
      return made
    }
    const removed = new Map<Pair, Report>()
    const added: AddedKey[] = []
    for (const field of FIELDS) {
      const change = patch.fields[field]
      const pair = fieldPair(entry, field)
      const before = scalarText(pair?.value) ?? ''
      if (change === 'keep' || (change === 'remove' && !pair)) continue
      if (change === 'remove') {
        removed.set(pair as Pair, report(field, before, ''))
      } else if (!pair) {
        added.push({ field, value: change.set, report: report(field, '', change.set) })
      } else if (!holdsString(pair.value, change.set)) {
        const error = this.replace(entry, field, pair, report(field, before, change.set))
        if (error) return error
      }
    }
    if (removed.size + added.length === 0) return undefined
    if (entry.map.flow) return flowList(this.yaml, entry.map)
    this.insertKeys(entry, removed, added)
    return this.removeRuns(entry.map.items, removed)
  }

  private replace(
    entry: Entry,
    field: Field,
    pair: Pair,
    report: Report
  ): HandoffError | undefined {
    if (!isScalar(pair.value)) return notScalar(this.yaml, entry, field, pair)
    const splice = replaceScalar(this.text, pair.value, report.after)
    if (splice instanceof HandoffError) return splice
    const within = splice.start === splice.end && splice.text.startsWith(' ') ? 1 : 0
    this.changes.push({ splice, within, edit: report })
    return undefined
  }

  /** New keys go before the first remaining key that sorts after them, else after the last. */
  private insertKeys(entry: Entry, removed: Map<Pair, Report>, added: readonly AddedKey[]): void {
    const survivors = entry.map.items.filter(p => !removed.has(p))
    const indent = ' '.repeat(this.keyColumn(entry.map.items))
    for (const { field, value, report } of added) {
      const line = `${field}: ${renderPlain(value)}`
      const anchor = survivors.find(p => (scalarText(p.key) ?? '') > field)
      let splice: Splice
      let within: number
      if (anchor && anchor === survivors[0]) {
        // The first key shares its line with the `- `: the new key takes that place.
        const at = keyStart(anchor)
        splice = { start: at, end: at, text: `${line}${this.newline}${indent}` }
        within = field.length + 2
      } else {
        const at = anchor
          ? this.lineStart(keyStart(anchor))
          : this.lineEndAfter(valueEnd(survivors[survivors.length - 1]))
        splice = { start: at, end: at, text: `${indent}${line}${this.newline}` }
        within = indent.length + field.length + 2
      }
      this.changes.push({ splice, within, edit: report })
    }
  }

  /** A removed key takes its whole line; consecutive removed keys go as one range. */
  private removeRuns(pairs: readonly Pair[], removed: Map<Pair, Report>): HandoffError | undefined {
    for (let i = 0; i < pairs.length; i++) {
      if (!removed.has(pairs[i])) continue
      let j = i
      while (j + 1 < pairs.length && removed.has(pairs[j + 1])) j++
      let splice: Splice
      if (i === 0) {
        // The run starts on the `- ` line: keep the dash, pull the next key up to it.
        const next = pairs[j + 1]
        if (!next) return new HandoffError('INTERNAL', 'An images entry would lose every key')
        splice = { start: keyStart(pairs[0]), end: keyStart(next), text: '' }
      } else {
        const start = this.lineStart(keyStart(pairs[i]))
        splice = { start, end: this.lineEndAfter(valueEnd(pairs[j])), text: '' }
      }
      for (let k = i; k <= j; k++) {
        this.changes.push({ splice, within: 0, edit: removed.get(pairs[k]) as Report })
      }
      i = j
    }
    return undefined
  }

  /** New entries, sorted by name; in a sorted list each goes to its place, else at the end. */
  addEntries(file: Kustomization, patches: readonly EntryPatch[]): HandoffError | undefined {
    const place = this.listPlace(file)
    if (place instanceof HandoffError) return place
    if (place.layout) this.layout.push(place.layout)
    const sorted = [...patches].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    const names = file.entries.map(e => e.name)
    const inOrder = names.every((n, i) => i === 0 || names[i - 1] <= n)
    sorted.forEach((patch, k) => {
      const before = inOrder ? file.entries.find(e => e.name > patch.name) : undefined
      const at = before ? this.lineStart(before.map.range?.[0] ?? 0) : place.at
      const index = before ? before.index : (file.list?.items.length ?? 0) + k
      const { text, values } = this.entryText(patch, place)
      const splice = { start: at, end: at, text }
      for (const [field, value, within] of values) {
        const path = `images[${index}].${field}`
        const report = { image: patch.image, path, before: '', after: value, previous: '' }
        this.reports.push(report)
        this.changes.push({ splice, within, edit: report })
      }
    })
    return undefined
  }

  /** Where new entries go and how they are indented. */
  private listPlace(file: Kustomization): ListPlace | HandoffError {
    const list = file.list
    if (list && list.items.length > 0) {
      if (list.flow) return flowList(this.yaml, list)
      const dash = this.column(list.range?.[0] ?? 0)
      const first = list.items[0]
      const key = isMap(first) && first.range ? this.column(first.range[0]) : dash + 2
      const last = list.items[list.items.length - 1] as Node
      return { at: this.lineEndAfter(last.range?.[1] ?? 0), dash, key: Math.max(key, dash + 2) }
    }
    if (file.imagesPair) return this.emptyListPlace(file.imagesPair)
    const root = file.root
    if (root?.flow) return flowList(this.yaml, root)
    const keys = root?.range && root.items.length > 0 ? root.range : undefined
    const column = keys ? this.indent(keys[0]) : 0
    const at = keys ? this.lineEndAfter(keys[1]) : this.emptyDocumentAt(file.empty)
    const header = { start: at, end: at, text: `${' '.repeat(column)}images:${this.newline}` }
    return { at, dash: column, key: column + 2, layout: header }
  }

  /** After the `---` line of an empty document, or where its (empty) content starts. */
  private emptyDocumentAt(empty: Kustomization['empty']): number {
    if (!empty) return this.text.length
    return empty.docStart ? this.lineEndAfter(empty.range[1]) : this.lineStart(empty.range[0])
  }

  /** `images:` with no value, or `images: []`. */
  private emptyListPlace(pair: Pair): ListPlace {
    const key = pair.key as Node
    const column = this.column(key.range?.[0] ?? 0)
    const value = pair.value as Node | null
    const valueEnd = value?.range?.[1] ?? key.range?.[1] ?? 0
    const place = { at: this.lineEndAfter(valueEnd), dash: column, key: column + 2 }
    if (!isSeq(value) || !value.range) return place
    // `images: []`: the empty flow list goes; block entries follow the key.
    const colon = this.text.indexOf(':', key.range?.[1] ?? 0) + 1
    return { ...place, layout: { start: colon, end: value.range[1], text: '' } }
  }

  /** The entry's lines, keys in alphabetical order, and where each set value starts. */
  private entryText(
    patch: EntryPatch,
    place: ListPlace
  ): { text: string; values: [Field, string, number][] } {
    const pairs: [string, string][] = [['name', patch.name]]
    for (const field of FIELDS) {
      const change = patch.fields[field]
      if (typeof change === 'object') pairs.push([field, change.set])
    }
    pairs.sort((a, b) => (a[0] < b[0] ? -1 : 1))
    let text = ''
    const values: [Field, string, number][] = []
    pairs.forEach(([key, value], i) => {
      const lead =
        i === 0
          ? `${' '.repeat(place.dash)}-${' '.repeat(place.key - place.dash - 1)}`
          : ' '.repeat(place.key)
      text += `${lead}${key}: `
      if (key !== 'name') values.push([key as Field, value, text.length])
      text += `${renderPlain(value)}${this.newline}`
    })
    return { text, values }
  }

  private keyColumn(pairs: readonly Pair[]): number {
    const own = pairs.find(p => !this.onDashLine(p))
    return this.column(keyStart(own ?? pairs[0]))
  }

  private onDashLine(pair: Pair): boolean {
    const at = keyStart(pair)
    return this.text.slice(this.lineStart(at), at).trim() !== ''
  }

  /** The start of the line holding `offset`; the first line starts after a BOM. */
  private lineStart(offset: number): number {
    const start = this.text.lastIndexOf('\n', offset - 1) + 1
    return start === 0 && this.text.startsWith('\uFEFF') ? 1 : start
  }

  private column(offset: number): number {
    return offset - this.lineStart(offset)
  }

  /** The indentation of the line holding `offset`. */
  private indent(offset: number): number {
    const start = this.lineStart(offset)
    let end = start
    while (this.text[end] === ' ') end++
    return end - start
  }

  /** The start of the line after the one holding `end` (a range end). */
  private lineEndAfter(end: number): number {
    return end > 0 && this.text[end - 1] === '\n' ? end : endOfLine(this.text, end)
  }
}

interface ListPlace {
  readonly at: number
  readonly dash: number
  readonly key: number
  /** The `images:` key to write first, or the emptied `[]` of `images: []`. */
  readonly layout?: Splice
}

function keyStart(pair: Pair): number {
  return (pair.key as Node).range?.[0] ?? 0
}

function valueEnd(pair: Pair): number {
  const value = pair.value as Node | null
  return value?.range?.[1] ?? (pair.key as Node).range?.[1] ?? 0
}

function flowList(yaml: ParsedYaml, node: YAMLMap | YAMLSeq): HandoffError {
  const { line, column } = positionOf(yaml, node.range?.[0] ?? 0)
  return new HandoffError(
    'UNSUPPORTED_FILE',
    `The images list at line ${line} is written in flow style ({…} or […]); keys can only be added to or removed from block style`,
    {
      hint: 'Write the images entries in block style (`- name: …` on their own lines).',
      line,
      column
    }
  )
}

function notScalar(yaml: ParsedYaml, entry: Entry, field: Field, pair: Pair): HandoffError {
  const { line, column } = positionOf(yaml, (pair.key as Node).range?.[0] ?? 0)
  return new HandoffError(
    'UNSUPPORTED_FILE',
    `images[${entry.index}].${field} at line ${line} is not a plain value`,
    { hint: `Write ${field} as a string, e.g. \`${field}: v1.2.3\`.`, line, column }
  )
}
