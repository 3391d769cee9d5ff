/**
 * Argo CD parameter-override files (`.argocd-source-<app>.yaml`) as Argo CD Image Updater
 * writes them:
 *
 *   kustomize:
 *     images:
 *     - ghcr.io/acme/api:1.4.0            # name[=newName][:tag][@digest]
 *   helm:
 *     parameters:
 *     - {name: image.name, value: ghcr.io/acme/api, forcestring: true}
 *     - {name: image.tag, value: "1.4.0", forcestring: true}
 *
 * A kustomize entry is the image's when its name — or, in `name=newName` form, its newName —
 * is the image (the updater itself rewrites entries by newName and merges them by name). Helm
 * parameters name an image with `<p>.name` or `<p>.repository` (plus `<p>.registry`) and hold
 * its version in `<p>.tag` (and `<p>.digest`); a parameter whose value is a whole reference
 * (the updater's image-spec) is rewritten by the reference rules. As the updater does, a tag
 * parameter gets `tag@digest` when a digest comes with the tag and there is no `<p>.digest`.
 */
import {
  isMap,
  isScalar,
  isSeq,
  type Document,
  type Pair,
  type Scalar,
  type YAMLMap,
  type YAMLSeq
} from 'yaml'
import { HandoffError, quote } from '../errors.js'
import {
  formatReference,
  repositoryMatches,
  splitLoose,
  tryParseReference
} from '../image/reference.js'
import { finishChanges, lineColumn, replaceChange, scalarText, type Change } from './helm-values.js'
import {
  appendListItem,
  deref,
  findPair,
  insertKeyAfter,
  insertPath,
  type Insertion
} from './key-path.js'
import type { CurrentImage, EditOptions, EditResult, ImageUpdate, ReadResult } from './types.js'
import { rewrite } from './workload-images.js'
import { parseYaml, renderPlain, type ParsedYaml } from './yaml-splice.js'

// ---------------------------------------------------------------------------------------
// Kustomize image entries: name[=newName][:tag][@digest].

/** The image name of an entry: the part before '=', else the repository before ':'/'@'. */
export function kustomizeImageName(entry: string): string {
  const eq = entry.indexOf('=')
  return eq >= 0 ? entry.slice(0, eq) : splitLoose(entry).name
}

/** The reference an entry sets: after '=' when there is one, else the whole entry. */
function entryReference(entry: string): { prefix: string; rest: string } {
  const eq = entry.indexOf('=')
  return eq >= 0
    ? { prefix: entry.slice(0, eq + 1), rest: entry.slice(eq + 1) }
    : { prefix: '', rest: entry }
}

/** Whether an entry is the image's: by its name, or by its newName. */
export function kustomizeEntryMatches(entry: string, image: string): boolean {
  if (repositoryMatches(kustomizeImageName(entry), image)) return true
  const { prefix, rest } = entryReference(entry)
  return prefix !== '' && repositoryMatches(splitLoose(rest).name, image)
}

// ---------------------------------------------------------------------------------------
// The file's parts.

interface Entry {
  readonly node: Scalar
  readonly value: string
  readonly path: string
}

interface Param {
  readonly map: YAMLMap
  readonly name: string
  readonly value?: Scalar
  readonly path: string
}

/** The parameters `<prefix>.name|repository`, `.registry`, `.tag`, `.digest` of one image. */
interface ParamGroup {
  readonly prefix: string
  readonly identity?: string
  readonly tag?: Param
  readonly digest?: Param
}

interface SourceFile {
  readonly yaml: ParsedYaml
  readonly root?: YAMLMap
  readonly kustomize?: YAMLMap
  readonly images?: YAMLSeq
  readonly helm?: YAMLMap
  readonly parameters?: YAMLSeq
  readonly entries: readonly Entry[]
  readonly params: readonly Param[]
}

function readFile(yaml: ParsedYaml): SourceFile | HandoffError {
  const doc = yaml.documents[0]
  const root = doc ? deref(doc, doc.contents) : undefined
  if (
    root !== undefined &&
    root !== null &&
    !isMap(root) &&
    !(isScalar(root) && root.value === null)
  ) {
    return new HandoffError(
      'UNSUPPORTED_FILE',
      'The Argo CD source file is not a map with `kustomize` or `helm`',
      {
        hint: 'An override file holds kustomize.images and/or helm.parameters; set `format` if this is another kind of file.'
      }
    )
  }
  const map = isMap(root) ? root : undefined
  const kustomize = child(doc, map, 'kustomize', isMap)
  const images = child(doc, kustomize, 'images', isSeq)
  const helm = child(doc, map, 'helm', isMap)
  const parameters = child(doc, helm, 'parameters', isSeq)
  return {
    yaml,
    root: map,
    kustomize,
    images,
    helm,
    parameters,
    entries: doc && images ? entriesOf(doc, images) : [],
    params: doc && parameters ? paramsOf(doc, parameters) : []
  }
}

function child<T>(
  doc: Document.Parsed | undefined,
  map: YAMLMap | undefined,
  name: string,
  is: (n: unknown) => n is T
): T | undefined {
  const pair = doc && map ? findPair(map, name) : undefined
  const node = pair && doc ? deref(doc, pair.value) : undefined
  return is(node) ? node : undefined
}

function entriesOf(doc: Document.Parsed, images: YAMLSeq): Entry[] {
  return images.items.flatMap((item, i) => {
    const node = deref(doc, item)
    return isScalar(node) && typeof node.value === 'string'
      ? [{ node, value: node.value, path: `kustomize.images[${i}]` }]
      : []
  })
}

function paramsOf(doc: Document.Parsed, parameters: YAMLSeq): Param[] {
  return parameters.items.flatMap((item, i) => {
    const map = deref(doc, item)
    if (!isMap(map)) return []
    const name = deref(doc, findPair(map, 'name')?.value)
    if (!isScalar(name) || typeof name.value !== 'string') return []
    const value = deref(doc, findPair(map, 'value')?.value)
    const path = `helm.parameters[${i}].value`
    return [{ map, name: name.value, value: isScalar(value) ? value : undefined, path }]
  })
}

function paramNamed(file: SourceFile, name: string): Param | undefined {
  return file.params.find(p => p.name === name)
}

function paramText(param: Param | undefined): string | undefined {
  return param?.value ? scalarText(param.value) : undefined
}

/** Every image named by `<prefix>.name` or `<prefix>.repository`. */
function groupsOf(file: SourceFile): ParamGroup[] {
  const prefixes = new Set(
    file.params.flatMap(p => /^(.+)\.(name|repository)$/.exec(p.name)?.[1] ?? [])
  )
  return [...prefixes].map(prefix => groupAt(file, prefix))
}

function groupAt(file: SourceFile, prefix: string): ParamGroup {
  const named =
    paramText(paramNamed(file, `${prefix}.repository`)) ||
    paramText(paramNamed(file, `${prefix}.name`))
  const registry = paramText(paramNamed(file, `${prefix}.registry`))
  const identity =
    named && registry ? `${registry.replace(/\/+$/, '')}/${named}` : named || undefined
  return {
    prefix,
    identity,
    tag: paramNamed(file, `${prefix}.tag`),
    digest: paramNamed(file, `${prefix}.digest`)
  }
}

/** Parameters whose value is a whole reference with a tag or digest (image-spec). */
function specParams(file: SourceFile): Param[] {
  return file.params.filter(p => {
    const value = paramText(p)
    if (!value || /\.(name|repository|registry|tag|digest)$/.test(p.name)) return false
    const loose = splitLoose(value)
    return (
      (loose.tag !== undefined || loose.digest !== undefined) &&
      tryParseReference(loose.name) !== undefined
    )
  })
}

// ---------------------------------------------------------------------------------------
// Editing.

export function editArgocdSource(
  text: string,
  updates: readonly ImageUpdate[],
  options: EditOptions
): EditResult {
  const parsed = parseYaml(text)
  if (!parsed.ok) return parsed
  const file = readFile(parsed.yaml)
  if (file instanceof HandoffError) return { ok: false, error: file }
  if (options.key !== undefined) return editByKey(file, updates, options.key, options.createMissing)
  const changes: Change[] = []
  const matched = new Set<ImageUpdate>()
  const plans = [
    ...planEntries(file, updates, matched),
    ...planGroups(file, updates, matched, options.createMissing),
    ...planSpecs(file, updates, matched)
  ]
  for (const planned of plans) {
    if (planned instanceof HandoffError) return { ok: false, error: planned }
    changes.push(...planned)
  }
  const unmatched = updates.filter(u => !matched.has(u))
  if (unmatched.length > 0 && options.createMissing && !(file.parameters && !file.kustomize)) {
    const added = appendEntries(
      file,
      unmatched.map(u => formatReference({ ...u, name: u.image })),
      unmatched
    )
    if (added instanceof HandoffError) return { ok: false, error: added }
    changes.push(...added)
  } else if (matched.size === 0) {
    return { ok: false, error: imageNotFound(file, updates) }
  }
  return finishChanges(text, changes)
}

type Planned = Change[] | HandoffError

function planEntries(
  file: SourceFile,
  updates: readonly ImageUpdate[],
  matched: Set<ImageUpdate>
): Planned[] {
  return file.entries.flatMap(entry => {
    const update = updates.find(u => kustomizeEntryMatches(entry.value, u.image))
    if (!update) return []
    matched.add(update)
    return [setEntry(file, entry, update)]
  })
}

function setEntry(file: SourceFile, entry: Entry, update: ImageUpdate): Planned {
  const { prefix, rest } = entryReference(entry.value)
  const { tag, digest } = splitLoose(rest)
  return set(file, entry.node, prefix + rewrite(rest, update), {
    image: update.image,
    path: entry.path,
    previous: tag ?? digest ?? ''
  })
}

function set(
  file: SourceFile,
  node: Scalar,
  value: string,
  edit: { image: string; path: string; previous: string }
): Planned {
  if (scalarText(node) === value) return []
  const change = replaceChange(file.yaml, node, value, edit)
  return change instanceof HandoffError ? change : [change]
}

function planGroups(
  file: SourceFile,
  updates: readonly ImageUpdate[],
  matched: Set<ImageUpdate>,
  createMissing: boolean
): Planned[] {
  return groupsOf(file).flatMap(group => {
    const update = group.identity
      ? updates.find(u => repositoryMatches(group.identity as string, u.image))
      : undefined
    if (!update) return []
    matched.add(update)
    return [planGroup(file, group, update, createMissing)]
  })
}

function planSpecs(
  file: SourceFile,
  updates: readonly ImageUpdate[],
  matched: Set<ImageUpdate>
): Planned[] {
  return specParams(file).flatMap(param => {
    const value = paramText(param) as string
    const update = updates.find(u => repositoryMatches(splitLoose(value).name, u.image))
    if (!update || !param.value) return []
    matched.add(update)
    const { tag, digest } = splitLoose(value)
    return [
      set(file, param.value, rewrite(value, update), {
        image: update.image,
        path: param.path,
        previous: tag ?? digest ?? ''
      })
    ]
  })
}

/**
 * A tag (`tag@digest` without a digest parameter) into `<p>.tag`; the digest into `<p>.digest`,
 * which a new tag without a digest empties.
 */
function planGroup(
  file: SourceFile,
  group: ParamGroup,
  update: ImageUpdate,
  createMissing: boolean
): Planned {
  const oldTag = paramText(group.tag) ?? ''
  const previous =
    splitTagValue(oldTag).tag || paramText(group.digest) || splitTagValue(oldTag).digest || ''
  const base = { image: update.image, previous }
  if (update.tag === undefined) {
    if (!group.digest?.value) return digestOnly(file, group, update)
    return set(file, group.digest.value, update.digest ?? '', { ...base, path: group.digest.path })
  }
  const tagValue =
    update.digest !== undefined && !group.digest ? `${update.tag}@${update.digest}` : update.tag
  const tag = setParam(file, group.tag, `${group.prefix}.tag`, tagValue, base, createMissing)
  if (tag instanceof HandoffError || !group.digest?.value) return tag
  const digest = update.digest ?? ''
  if (update.digest === undefined && paramText(group.digest) === '') return tag
  const other = set(file, group.digest.value, digest, { ...base, path: group.digest.path })
  return other instanceof HandoffError ? other : [...tag, ...other]
}

/** `1.4.0@sha256:…` as the updater writes a tag parameter with a digest. */
function splitTagValue(value: string): { tag: string; digest: string } {
  const at = value.indexOf('@')
  return at < 0
    ? { tag: value, digest: '' }
    : { tag: value.slice(0, at), digest: value.slice(at + 1) }
}

function setParam(
  file: SourceFile,
  param: Param | undefined,
  name: string,
  value: string,
  base: { image: string; previous: string },
  createMissing: boolean
): Planned {
  if (param?.value) return set(file, param.value, value, { ...base, path: param.path })
  if (param) {
    const after = findPair(param.map, 'name') as Pair
    const insertion = insertKeyAfter(file.yaml.text, param.map, after, 'value', value)
    return [change(insertion, { ...base, path: param.path, before: '', after: value })]
  }
  if (!createMissing) return missingParam(file, name)
  return appendParam(file, name, value, base.image)
}

function digestOnly(file: SourceFile, group: ParamGroup, update: ImageUpdate): HandoffError {
  const where = group.tag
    ? ` (line ${lineColumn(file.yaml.text, group.tag.value?.range?.[0] ?? 0).line})`
    : ''
  return new HandoffError(
    'UNSUPPORTED_FILE',
    `The Helm parameters of ${quote(update.image)} have no ${quote(`${group.prefix}.digest`)} parameter for a digest-only update${where}`,
    {
      hint: 'Give a tag with the digest (written as tag@digest into the tag parameter), or add the digest parameter.'
    }
  )
}

function missingParam(file: SourceFile, name: string): HandoffError {
  const names = file.params.map(p => quote(p.name)).join(', ') || 'none'
  return new HandoffError(
    'KEY_NOT_FOUND',
    `No Helm parameter ${quote(name)} found (parameters: ${names})`,
    {
      hint: 'Check the parameter names, or set create-missing: true to add the parameter.'
    }
  )
}

function change(insertion: Insertion, edit: Change['edit']): Change {
  return { splice: insertion.splice, valueOffset: insertion.valueOffset, edit, inserted: true }
}

/** A `{name, value, forcestring: true}` item appended to helm.parameters (created if need be). */
function appendParam(file: SourceFile, name: string, value: string, image: string): Planned {
  const edit = {
    image,
    path: `helm.parameters[${file.parameters?.items.length ?? 0}].value`,
    before: '',
    after: value,
    previous: ''
  }
  if (!file.parameters) {
    return new HandoffError(
      'KEY_NOT_FOUND',
      `The file has no helm.parameters list to add ${quote(name)} to`,
      {
        hint: 'Add `helm: {parameters: []}` to the file, or use a kustomize images entry.'
      }
    )
  }
  const [n, v] = [renderPlain(name), renderPlain(value)]
  const item = {
    lines: [`name: ${n}`, `value: ${v}`, 'forcestring: true'],
    flow: `{name: ${n}, value: ${v}, forcestring: true}`,
    valueLine: 1,
    valueColumn: 'value: '.length,
    flowOffset: `{name: ${n}, value: `.length
  }
  return [change(appendListItem(file.yaml.text, file.parameters, item), edit)]
}

/** New kustomize.images entries; the list (and `kustomize:`) is created when missing. */
function appendEntries(
  file: SourceFile,
  values: readonly string[],
  updates: readonly ImageUpdate[]
): Planned {
  const text = file.yaml.text
  const count = file.images?.items.length ?? 0
  const edits = values.map((value, i) => ({
    image: updates[i].image,
    path: `kustomize.images[${count + i}]`,
    before: '',
    after: value,
    previous: ''
  }))
  if (file.images) {
    return values.map((value, i) => {
      const v = renderPlain(value)
      const item = { lines: [v], flow: v, valueLine: 0, valueColumn: 0, flowOffset: 0 }
      return change(appendListItem(text, file.images as YAMLSeq, item), edits[i])
    })
  }
  if (file.kustomize && findPair(file.kustomize, 'images')) {
    return new HandoffError('UNSUPPORTED_FILE', 'kustomize.images is not a list', {
      hint: 'Write kustomize.images as a list of image strings.'
    })
  }
  const insertion = file.kustomize
    ? insertPath(text, file.kustomize, ['images'], values)
    : insertPath(text, file.root, ['kustomize', 'images'], values)
  // One insertion holds every new entry; each is reported at its own place.
  return edits.map((edit, i) => ({
    splice: insertion.splice,
    valueOffset: insertion.itemOffsets[i],
    edit,
    inserted: true
  }))
}

function imageNotFound(file: SourceFile, updates: readonly ImageUpdate[]): HandoffError {
  const named = [
    ...file.entries.map(e => kustomizeImageName(e.value)),
    ...groupsOf(file).flatMap(g => g.identity ?? []),
    ...specParams(file).map(p => splitLoose(paramText(p) ?? '').name)
  ]
  const found = [...new Set(named)]
  const wanted = updates.map(u => quote(u.image)).join(', ')
  const listed = found.length
    ? `; the file sets ${found.slice(0, 10).map(quote).join(', ')}`
    : '; the file sets no images'
  return new HandoffError(
    'IMAGE_NOT_FOUND',
    `No kustomize image or Helm image parameter for ${wanted} found${listed}`,
    {
      hint: 'Check `image` (compared without tag or digest), set create-missing: true to add a kustomize.images entry, or set `key`.'
    }
  )
}

// ---------------------------------------------------------------------------------------
// With `key`: the Helm parameter of that name, else the kustomize entries of that name.

function editByKey(
  file: SourceFile,
  updates: readonly ImageUpdate[],
  key: string,
  createMissing: boolean
): EditResult {
  const param = paramNamed(file, key)
  const planned = param
    ? planKeyParam(file, param, updates, createMissing)
    : planKeyEntries(file, key, updates)
  if (planned === undefined) {
    if (!createMissing) return { ok: false, error: keyNotFound(file, key) }
    const created = createForKey(file, key, updates)
    return created instanceof HandoffError
      ? { ok: false, error: created }
      : finishChanges(file.yaml.text, created)
  }
  return planned instanceof HandoffError
    ? { ok: false, error: planned }
    : finishChanges(file.yaml.text, planned)
}

function prefixOf(key: string): string {
  const dot = key.lastIndexOf('.')
  return dot < 0 ? '' : key.slice(0, dot)
}

function planKeyParam(
  file: SourceFile,
  param: Param,
  updates: readonly ImageUpdate[],
  createMissing: boolean
): Planned {
  const value = paramText(param) ?? ''
  const loose = splitLoose(value)
  const referenced = updates.find(u => repositoryMatches(loose.name, u.image))
  if (referenced && param.value) {
    return set(file, param.value, rewrite(value, referenced), {
      image: referenced.image,
      path: param.path,
      previous: loose.tag ?? loose.digest ?? ''
    })
  }
  if (value.includes('/')) return otherImage(file, param, loose.name, updates)
  const group = groupAt(file, prefixOf(param.name))
  const update = groupUpdate(file, group, param, updates)
  if (update instanceof HandoffError) return update
  if (/digest$/i.test(param.name)) {
    if (update.digest === undefined) return noDigest(param, update)
    return setParam(
      file,
      param,
      param.name,
      update.digest,
      { image: update.image, previous: value },
      false
    )
  }
  return planGroup(file, { ...group, tag: param }, update, createMissing)
}

/** The update a tag parameter belongs to: named by its group's name parameter, or the only one. */
function groupUpdate(
  file: SourceFile,
  group: ParamGroup,
  param: Param,
  updates: readonly ImageUpdate[]
): ImageUpdate | HandoffError {
  if (group.identity) {
    return (
      updates.find(u => repositoryMatches(group.identity as string, u.image)) ??
      otherImage(file, param, group.identity, updates)
    )
  }
  if (updates.length === 1) return updates[0]
  return new HandoffError(
    'INVALID_INPUT',
    `The Helm parameter ${quote(param.name)} holds a bare tag, and ${updates.length} images were given`,
    {
      hint: 'With `key`, give one image, or add the image name parameter next to the tag parameter.',
      input: 'key'
    }
  )
}

function otherImage(
  file: SourceFile,
  param: Param,
  name: string,
  updates: readonly ImageUpdate[]
): HandoffError {
  const { line, column } = lineColumn(file.yaml.text, param.value?.range?.[0] ?? 0)
  return new HandoffError(
    'IMAGE_NOT_FOUND',
    `The Helm parameter ${quote(param.name)} (line ${line}) is for ${quote(name)}, not for ${updates.map(u => quote(u.image)).join(', ')}`,
    { hint: 'Point `key` at the parameter of the image you built, or fix `image`.', line, column }
  )
}

function noDigest(param: Param, update: ImageUpdate): HandoffError {
  return new HandoffError(
    'INVALID_INPUT',
    `The Helm parameter ${quote(param.name)} holds a digest, but the update of ${quote(update.image)} has none`,
    {
      hint: 'Give `digest`, or point `key` at the tag parameter.',
      input: 'key'
    }
  )
}

function planKeyEntries(
  file: SourceFile,
  key: string,
  updates: readonly ImageUpdate[]
): Planned | undefined {
  const entries = file.entries.filter(e => kustomizeImageName(e.value) === key)
  if (entries.length === 0) return undefined
  const changes: Change[] = []
  for (const entry of entries) {
    const update =
      updates.find(u => kustomizeEntryMatches(entry.value, u.image)) ??
      (updates.length === 1 ? updates[0] : undefined)
    if (!update)
      return new HandoffError(
        'INVALID_INPUT',
        `Cannot tell which image the kustomize entry ${quote(entry.value)} is for`,
        { input: 'key' }
      )
    const planned = setEntry(file, entry, update)
    if (planned instanceof HandoffError) return planned
    changes.push(...planned)
  }
  return changes
}

/** create-missing with `key`: a Helm parameter (in a Helm override file) or a kustomize entry. */
function createForKey(file: SourceFile, key: string, updates: readonly ImageUpdate[]): Planned {
  if (updates.length !== 1) {
    return new HandoffError(
      'INVALID_INPUT',
      `Cannot tell which of ${updates.length} images the new ${quote(key)} is for`,
      { input: 'key' }
    )
  }
  const update = updates[0]
  if (file.helm && !file.kustomize) {
    const value = /digest$/i.test(key)
      ? update.digest
      : update.tag && (update.digest ? `${update.tag}@${update.digest}` : update.tag)
    if (value === undefined) {
      return new HandoffError(
        'INVALID_INPUT',
        `The new Helm parameter ${quote(key)} needs a ${/digest$/i.test(key) ? 'digest' : 'tag'}`,
        { input: 'key' }
      )
    }
    return appendParam(file, key, value, update.image)
  }
  const reference = formatReference({ ...update, name: update.image })
  const entry = key === update.image ? reference : `${key}=${reference}`
  return appendEntries(file, [entry], [update])
}

function keyNotFound(file: SourceFile, key: string): HandoffError {
  const params = file.params.map(p => quote(p.name))
  const images = file.entries.map(e => quote(kustomizeImageName(e.value)))
  const listed = [
    params.length ? `parameters ${params.join(', ')}` : '',
    images.length ? `kustomize images ${images.join(', ')}` : ''
  ]
    .filter(Boolean)
    .join('; ')
  return new HandoffError(
    'KEY_NOT_FOUND',
    `No Helm parameter or kustomize image named ${quote(key)} found (${listed || 'the file sets none'})`,
    {
      hint: 'Check `key`, or set create-missing: true to add it.',
      input: 'key'
    }
  )
}

// ---------------------------------------------------------------------------------------
// Reading.

export function readArgocdSource(text: string, image: string, options: EditOptions): ReadResult {
  const parsed = parseYaml(text)
  if (!parsed.ok) return parsed
  const file = readFile(parsed.yaml)
  if (file instanceof HandoffError) return { ok: false, error: file }
  const found =
    options.key === undefined ? readImage(file, image) : readKey(file, image, options.key)
  return found instanceof HandoffError ? { ok: false, error: found } : { ok: true, current: found }
}

function current(image: string, tag: string | undefined, digest: string | undefined): CurrentImage {
  return { image, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) }
}

function ofEntry(image: string, entry: Entry): CurrentImage {
  const { tag, digest } = splitLoose(entryReference(entry.value).rest)
  return current(image, tag, digest)
}

function ofGroup(image: string, group: ParamGroup): CurrentImage {
  const { tag, digest } = splitTagValue(paramText(group.tag) ?? '')
  return current(image, tag, paramText(group.digest) || digest)
}

function readImage(file: SourceFile, image: string): CurrentImage | HandoffError {
  const entry = file.entries.find(e => kustomizeEntryMatches(e.value, image))
  if (entry) return ofEntry(image, entry)
  const group = groupsOf(file).find(g => g.identity && repositoryMatches(g.identity, image))
  if (group) return ofGroup(image, group)
  const spec = specParams(file).find(p =>
    repositoryMatches(splitLoose(paramText(p) ?? '').name, image)
  )
  if (spec)
    return current(
      image,
      splitLoose(paramText(spec) ?? '').tag,
      splitLoose(paramText(spec) ?? '').digest
    )
  return imageNotFound(file, [{ image }])
}

function readKey(file: SourceFile, image: string, key: string): CurrentImage | HandoffError {
  const param = paramNamed(file, key)
  if (param) {
    const value = paramText(param) ?? ''
    const loose = splitLoose(value)
    if (repositoryMatches(loose.name, image)) return current(image, loose.tag, loose.digest)
    if (value.includes('/')) return otherImage(file, param, loose.name, [{ image }])
    const group = groupAt(file, prefixOf(key))
    if (group.identity && !repositoryMatches(group.identity, image)) {
      return otherImage(file, param, group.identity, [{ image }])
    }
    if (/digest$/i.test(key)) return current(image, undefined, value)
    return ofGroup(image, { ...group, tag: param })
  }
  const entry = file.entries.find(e => kustomizeImageName(e.value) === key)
  return entry ? ofEntry(image, entry) : keyNotFound(file, key)
}
