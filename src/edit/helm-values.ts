/**
 * Helm values files, and any YAML that carries image settings the same way (a Flux
 * HelmRelease's `spec.values`, an umbrella chart's `wordpress.image.tag`).
 *
 * With `key`: the value at that dotted path (see key-path.ts), which is a tag, a digest or a
 * full reference. Without: every image map — `{repository[, registry], tag[, digest]}`,
 * `{image, tag}` (ingress-nginx) — and every `image: repo:tag` string whose repository
 * matches an update, at any depth of every document.
 *
 * Values are spliced in place (yaml-splice.ts); lines are added only for a digest the map has
 * no key for, and, with create-missing, for a missing `tag:` or key path.
 */
import { isMap, isScalar, isSeq, type Document, type Pair, type Scalar, type YAMLMap } from 'yaml'
import { HandoffError, quote } from '../errors.js'
import {
  formatReference,
  repositoryMatches,
  splitLoose,
  tryParseReference
} from '../image/reference.js'
import { rewrite } from './workload-images.js'
import {
  deref,
  findPair,
  insertKeyAfter,
  insertMissing,
  keyNotFound,
  parseKeyPath,
  resolveKey,
  type Insertion,
  type KeyFound,
  type KeyMissing,
  type KeyPart
} from './key-path.js'
import type {
  CurrentImage,
  EditOptions,
  EditResult,
  ImageUpdate,
  ReadResult,
  ValueEdit
} from './types.js'
import {
  applySplices,
  parseYaml,
  positionOf,
  replaceScalar,
  type ParsedYaml,
  type Splice
} from './yaml-splice.js'

// ---------------------------------------------------------------------------------------
// Changes: splices plus the edits they report, positioned in the new text.

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

function insertionChange(insertion: Insertion, edit: Omit<ValueEdit, 'line' | 'column'>): Change {
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

function joinPath(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`
}

// ---------------------------------------------------------------------------------------
// Image maps and image strings found without a key.

interface Slot {
  readonly pair?: Pair
  readonly node: Scalar
  readonly path: string
}

/** `{repository[, registry], tag[, digest]}` or `{image, tag}`: the map's own tag/digest. */
interface MapSite {
  readonly kind: 'map'
  readonly map: YAMLMap
  readonly identity: string
  /** The own entry that names the image, after which a missing `tag:` is inserted. */
  readonly namePair?: Pair
  readonly tag?: Slot
  readonly digest?: Slot
  /** kube-prometheus-stack writes the digest's hex alone under `sha`. */
  readonly hexOnly: boolean
  readonly path: string
}

/** `image: repo:tag`. */
interface StringSite {
  readonly kind: 'string'
  readonly node: Scalar
  readonly identity: string
  readonly path: string
}

type Site = MapSite | StringSite

const MAX_DEPTH = 500

/** Every image map and image string of every document, in document order. */
function collectSites(yaml: ParsedYaml): Site[] {
  const sites: Site[] = []
  for (const doc of yaml.documents) visit(doc, doc.contents, '', sites, 0)
  return sites
}

// Aliases are not followed: the anchored node is visited where it is written, once.
function visit(
  doc: Document.Parsed,
  node: unknown,
  path: string,
  sites: Site[],
  depth: number
): void {
  if (depth > MAX_DEPTH) return
  if (isMap(node)) {
    const site = siteOf(doc, node, path)
    if (site) sites.push(site)
    for (const pair of node.items) {
      if (!isScalar(pair.key) || pair.key.value === '<<') continue
      visit(doc, pair.value, joinPath(path, String(pair.key.value)), sites, depth + 1)
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => visit(doc, item, `${path}[${i}]`, sites, depth + 1))
  }
}

function siteOf(doc: Document.Parsed, map: YAMLMap, path: string): Site | undefined {
  const repository = nameField(doc, map, 'repository', 0)
  const image = nameField(doc, map, 'image', 0)
  const named = repository ?? image
  if (!named) return undefined
  const registry = nameField(doc, map, 'registry', 0)?.value
  const tag = ownSlot(doc, map, 'tag', path)
  const digest = ownSlot(doc, map, 'digest', path) ?? ownSlot(doc, map, 'sha', path)
  const loose = splitLoose(named.value)
  const versioned = loose.tag !== undefined || loose.digest !== undefined
  if (!repository && (versioned || !(tag || digest))) {
    if (!image?.own) return undefined
    return { kind: 'string', node: image.node, identity: loose.name, path: joinPath(path, 'image') }
  }
  if (!named.own && !tag && !digest) return undefined
  const identity = registry ? `${registry.replace(/\/+$/, '')}/${named.value}` : named.value
  const hexOnly = digest !== undefined && !findPair(map, 'digest')
  return {
    kind: 'map',
    map,
    identity,
    namePair: named.own ? named.pair : undefined,
    tag,
    digest,
    hexOnly,
    path
  }
}

interface NameField {
  readonly pair: Pair
  readonly node: Scalar
  readonly value: string
  readonly own: boolean
}

/** A non-empty string field of a map, looking through `<<` merge keys (not own then). */
function nameField(
  doc: Document.Parsed,
  map: YAMLMap,
  name: string,
  depth: number
): NameField | undefined {
  const pair = findPair(map, name)
  if (pair) {
    const node = deref(doc, pair.value)
    if (!isScalar(node) || typeof node.value !== 'string' || node.value === '') return undefined
    return { pair, node, value: node.value, own: depth === 0 }
  }
  if (depth > 8) return undefined
  for (const source of mergeSources(doc, map)) {
    const found = nameField(doc, source, name, depth + 1)
    if (found) return { ...found, own: false }
  }
  return undefined
}

function mergeSources(doc: Document.Parsed, map: YAMLMap): YAMLMap[] {
  const sources: YAMLMap[] = []
  for (const pair of map.items) {
    if (!isScalar(pair.key) || pair.key.value !== '<<') continue
    const merged = deref(doc, pair.value)
    const items = isSeq(merged) ? merged.items.map(i => deref(doc, i)) : [merged]
    for (const item of items) if (isMap(item)) sources.push(item)
  }
  return sources
}

/** The map's own scalar entry `name` (an alias stands for its anchored scalar). */
function ownSlot(doc: Document.Parsed, map: YAMLMap, name: string, path: string): Slot | undefined {
  const pair = findPair(map, name)
  const node = pair && deref(doc, pair.value)
  return pair && isScalar(node) ? { pair, node, path: joinPath(path, name) } : undefined
}

function siteMatches(site: Site, image: string): boolean {
  return repositoryMatches(site.identity, image)
}

// ---------------------------------------------------------------------------------------
// Editing.

/** The helm editor (see the module comment). */
export function editHelmValues(
  text: string,
  updates: readonly ImageUpdate[],
  options: EditOptions
): EditResult {
  const parsed = parseYaml(text)
  if (!parsed.ok) return parsed
  if (options.key !== undefined)
    return editByKey(parsed.yaml, updates, options.key, options.createMissing)
  return editSites(parsed.yaml, updates, options.createMissing)
}

function editSites(
  yaml: ParsedYaml,
  updates: readonly ImageUpdate[],
  createMissing: boolean
): EditResult {
  const sites = collectSites(yaml)
  const changes: Change[] = []
  let matched = false
  for (const site of sites) {
    const update = updates.find(u => siteMatches(site, u.image))
    if (!update) continue
    matched = true
    const planned =
      site.kind === 'map'
        ? planMap(yaml, site, update, createMissing)
        : planString(yaml, site, update)
    if (planned instanceof HandoffError) return { ok: false, error: planned }
    changes.push(...planned)
  }
  if (!matched) return { ok: false, error: imageNotFound(updates, sites) }
  return finishChanges(yaml.text, changes)
}

function planString(
  yaml: ParsedYaml,
  site: StringSite,
  update: ImageUpdate
): Change[] | HandoffError {
  const before = scalarText(site.node)
  const after = rewrite(before, update)
  if (after === before) return []
  const { tag, digest } = splitLoose(before)
  const change = replaceChange(yaml, site.node, after, {
    image: update.image,
    path: site.path,
    previous: tag ?? digest ?? ''
  })
  return change instanceof HandoffError ? change : [change]
}

/**
 * Tag and digest of an image map: a new tag is set; a new digest is set (a `digest:` line is
 * added after the tag when the map has none); a new tag without a digest empties a non-empty
 * digest, since bitnami-style charts prefer the digest over the tag.
 */
function planMap(
  yaml: ParsedYaml,
  site: MapSite,
  update: ImageUpdate,
  createMissing: boolean
): Change[] | HandoffError {
  const previous =
    (site.tag && scalarText(site.tag.node)) || (site.digest && scalarText(site.digest.node)) || ''
  const base = { image: update.image, previous }
  const changes: Change[] = []
  if (update.tag !== undefined) {
    const tag = planTag(yaml, site, update.tag, base, createMissing)
    if (tag instanceof HandoffError) return tag
    changes.push(...tag)
  }
  const digest = planDigest(yaml, site, update, base)
  if (digest instanceof HandoffError) return digest
  return [...changes, ...digest]
}

type EditBase = { readonly image: string; readonly previous: string }

function planTag(
  yaml: ParsedYaml,
  site: MapSite,
  tag: string,
  base: EditBase,
  createMissing: boolean
): Change[] | HandoffError {
  if (site.tag) return setSlot(yaml, site.tag, tag, base)
  if (!createMissing || !site.namePair || findPair(site.map, 'tag')) return missingTag(yaml, site)
  const insertion = insertKeyAfter(yaml.text, site.map, site.namePair, 'tag', tag)
  return [
    insertionChange(insertion, {
      ...base,
      path: joinPath(site.path, 'tag'),
      before: '',
      after: tag
    })
  ]
}

function planDigest(
  yaml: ParsedYaml,
  site: MapSite,
  update: ImageUpdate,
  base: EditBase
): Change[] | HandoffError {
  if (site.digest) {
    const current = scalarText(site.digest.node)
    if (update.digest === undefined)
      return current === '' ? [] : setSlot(yaml, site.digest, '', base)
    const value = site.hexOnly ? hexOf(update.digest, site, yaml) : update.digest
    return value instanceof HandoffError ? value : setSlot(yaml, site.digest, value, base)
  }
  if (update.digest === undefined) return []
  const after = site.tag?.pair ?? site.namePair
  // A map whose `digest` is not a scalar is left alone rather than given a second `digest`.
  if (!after || findPair(site.map, 'digest')) return []
  const insertion = insertKeyAfter(yaml.text, site.map, after, 'digest', update.digest)
  return [
    insertionChange(insertion, {
      ...base,
      path: joinPath(site.path, 'digest'),
      before: '',
      after: update.digest
    })
  ]
}

function setSlot(
  yaml: ParsedYaml,
  slot: Slot,
  value: string,
  base: EditBase
): Change[] | HandoffError {
  if (scalarText(slot.node) === value) return []
  const change = replaceChange(yaml, slot.node, value, { ...base, path: slot.path })
  return change instanceof HandoffError ? change : [change]
}

function hexOf(digest: string, site: MapSite, yaml: ParsedYaml): string | HandoffError {
  if (digest.startsWith('sha256:')) return digest.slice('sha256:'.length)
  const { line, column } = positionOf(yaml, site.digest?.node.range?.[0] ?? 0)
  return new HandoffError(
    'UNSUPPORTED_FILE',
    `${site.path}.sha holds a sha256 hex digest; ${quote(digest)} is not sha256`,
    {
      hint: 'Give a sha256 digest, or set `key` to another value.',
      line,
      column
    }
  )
}

function missingTag(yaml: ParsedYaml, site: MapSite): HandoffError {
  const { line, column } = positionOf(yaml, site.map.range?.[0] ?? 0)
  const where = site.path === '' ? 'the document root' : quote(site.path)
  const lacks = findPair(site.map, 'tag') ? 'a `tag` that is not a scalar' : 'no `tag` key'
  return new HandoffError(
    'KEY_NOT_FOUND',
    `The image map ${where} for ${quote(site.identity)} (line ${line}) has ${lacks}`,
    {
      hint: 'Add a tag key to the map, set create-missing: true to add it, or point `key` at the value to set.',
      line,
      column
    }
  )
}

const LISTED = 10

function imageNotFound(updates: readonly ImageUpdate[], sites: readonly Site[]): HandoffError {
  const wanted = updates.map(u => quote(u.image)).join(', ')
  const found = [...new Set(sites.map(s => s.identity).filter(name => tryParseReference(name)))]
  const shown = found.slice(0, LISTED).map(quote).join(', ')
  const more = found.length > LISTED ? ` and ${found.length - LISTED} more` : ''
  const message =
    found.length === 0
      ? `No image setting for ${wanted} found: the file has no image map (repository/tag) and no image value`
      : `No image setting for ${wanted} found; the file references ${shown}${more}`
  return new HandoffError('IMAGE_NOT_FOUND', message, {
    hint: 'Check `image` (compared without tag or digest; registry + repository are joined), or set `key` to the dotted path of the value to set, e.g. image.tag.'
  })
}

// ---------------------------------------------------------------------------------------
// Editing the value at a key.

type Role = 'reference' | 'tag' | 'digest'

interface KeyTarget {
  readonly found: KeyFound
  readonly role: Role
  readonly update: ImageUpdate
}

function editByKey(
  yaml: ParsedYaml,
  updates: readonly ImageUpdate[],
  key: string,
  createMissing: boolean
): EditResult {
  const parts = parseKeyPath(key)
  if (parts instanceof HandoffError) return { ok: false, error: parts }
  const { found, deepest } = resolveEverywhere(yaml, parts)
  if (found.length === 0) {
    if (createMissing && deepest.failure.kind === 'missing-key') {
      return createKey(yaml, deepest.failure, deepest.doc, parts, key, updates)
    }
    return {
      ok: false,
      error: keyNotFound(
        key,
        deepest.failure,
        lineColumn(yaml.text, deepest.failure.offset),
        createMissing
      )
    }
  }
  const changes: Change[] = []
  for (const one of found) {
    const target = targetOf(yaml, one.doc, one.found, parts, key, updates)
    if (target instanceof HandoffError) return { ok: false, error: target }
    const planned = planKey(yaml, one.doc, target)
    if (planned instanceof HandoffError) return { ok: false, error: planned }
    changes.push(...planned)
  }
  return finishChanges(yaml.text, changes)
}

interface Resolution {
  readonly found: { readonly doc: Document.Parsed; readonly found: KeyFound }[]
  readonly deepest: { readonly doc?: Document.Parsed; readonly failure: KeyMissing }
}

/** The key in every document; when it is in none, the deepest failure (first on ties). */
function resolveEverywhere(yaml: ParsedYaml, parts: readonly KeyPart[]): Resolution {
  const found: Resolution['found'][number][] = []
  let deepest: Resolution['deepest'] | undefined
  for (const doc of yaml.documents) {
    const outcome = resolveKey(doc, parts)
    if (outcome.ok) found.push({ doc, found: outcome })
    else if (!deepest || outcome.consumed > deepest.failure.consumed)
      deepest = { doc, failure: outcome }
  }
  const empty: KeyMissing = {
    ok: false,
    kind: 'missing-key',
    consumed: 0,
    path: '',
    offset: 0,
    problem: `has no key ${quote(parts[0].name)}`
  }
  return { found, deepest: deepest ?? { failure: empty } }
}

/** Digest values end in `digest`; `image`-like keys hold whole references; others hold tags. */
function roleOfName(name: string): Role {
  if (/digest$/i.test(name)) return 'digest'
  if (/image$/i.test(name) || /^(ref|reference|spec)$/i.test(name)) return 'reference'
  return 'tag'
}

function targetOf(
  yaml: ParsedYaml,
  doc: Document.Parsed,
  found: KeyFound,
  parts: readonly KeyPart[],
  key: string,
  updates: readonly ImageUpdate[]
): KeyTarget | HandoffError {
  const value = scalarText(found.node)
  const name = parts[parts.length - 1].name
  if (/^(repository|registry)$/i.test(name)) return namesRepository(yaml, found, key)
  const loose = splitLoose(value)
  const nameRole = roleOfName(name)
  const referenced = updates.find(u => repositoryMatches(loose.name, u.image))
  const isDigest = /^sha\d+:/.test(value)
  const looksLikeReference = /[/:@]/.test(value) && !isDigest && !TAG_AT_DIGEST.test(value)
  if (referenced && (looksLikeReference || nameRole === 'reference')) {
    return { found, role: 'reference', update: referenced }
  }
  if (looksLikeReference || (nameRole === 'reference' && value !== '')) {
    return otherReference(yaml, found, key, loose.name, updates)
  }
  const role =
    nameRole === 'tag' && !isDigest ? 'tag' : nameRole === 'reference' ? 'reference' : 'digest'
  const update = updateOfParent(yaml, doc, found, key, updates)
  return update instanceof HandoffError ? update : { found, role, update }
}

/** `1.4.0@sha256:…` in a tag value, as argocd-image-updater writes a tag with its digest. */
const TAG_AT_DIGEST = /^[\w][\w.-]*@[a-z0-9]+:[0-9a-fA-F]+$/

/** The update a bare tag belongs to: named by the map's repository/image, or the only one. */
function updateOfParent(
  yaml: ParsedYaml,
  doc: Document.Parsed,
  found: KeyFound,
  key: string,
  updates: readonly ImageUpdate[]
): ImageUpdate | HandoffError {
  const identity = found.parent ? identityOf(doc, found.parent) : undefined
  if (identity) {
    const update = updates.find(u => repositoryMatches(identity, u.image))
    if (update) return update
    const { line, column } = positionOf(yaml, found.node.range?.[0] ?? 0)
    return new HandoffError(
      'IMAGE_NOT_FOUND',
      `The key ${quote(key)} (line ${line}) sets the tag of ${quote(identity)}, not of ${updates.map(u => quote(u.image)).join(', ')}`,
      { hint: 'Point `key` at the tag of the image you built, or fix `image`.', line, column }
    )
  }
  if (updates.length === 1) return updates[0]
  return new HandoffError(
    'INVALID_INPUT',
    `The key ${quote(key)} holds a bare tag, and ${updates.length} images were given`,
    {
      hint: 'With `key`, give one image, or point the key at a map whose repository names the image.',
      input: 'key'
    }
  )
}

function identityOf(doc: Document.Parsed, map: YAMLMap): string | undefined {
  const named = nameField(doc, map, 'repository', 0) ?? nameField(doc, map, 'image', 0)
  if (!named) return undefined
  const registry = nameField(doc, map, 'registry', 0)?.value
  const identity = registry ? `${registry.replace(/\/+$/, '')}/${named.value}` : named.value
  return splitLoose(identity).name
}

function namesRepository(yaml: ParsedYaml, found: KeyFound, key: string): HandoffError {
  const { line, column } = positionOf(yaml, found.node.range?.[0] ?? 0)
  return new HandoffError(
    'INVALID_INPUT',
    `The key ${quote(key)} (line ${line}) names the repository; gitops-handoff sets tags and digests, not repositories`,
    {
      hint: 'Point `key` at the tag (e.g. image.tag), the digest (image.digest) or a full reference (image).',
      input: 'key',
      line,
      column
    }
  )
}

function otherReference(
  yaml: ParsedYaml,
  found: KeyFound,
  key: string,
  name: string,
  updates: readonly ImageUpdate[]
): HandoffError {
  const { line, column } = positionOf(yaml, found.node.range?.[0] ?? 0)
  return new HandoffError(
    'IMAGE_NOT_FOUND',
    `The key ${quote(key)} (line ${line}) holds ${quote(scalarText(found.node))}, a reference to ${quote(name)}, not to ${updates.map(u => quote(u.image)).join(', ')}`,
    { hint: 'Point `key` at the value of the image you built, or fix `image`.', line, column }
  )
}

function planKey(
  yaml: ParsedYaml,
  doc: Document.Parsed,
  target: KeyTarget
): Change[] | HandoffError {
  const { found, update } = target
  const before = scalarText(found.node)
  if (target.role === 'reference') {
    const { tag, digest } = splitLoose(before)
    const after =
      before === '' ? formatReference({ ...update, name: update.image }) : rewrite(before, update)
    return setSlot(yaml, found, after, { image: update.image, previous: tag ?? digest ?? '' })
  }
  // A tag written as tag@digest keeps that form when a digest comes with the new tag.
  const inline = target.role === 'tag' && TAG_AT_DIGEST.test(before)
  const wanted =
    target.role === 'digest'
      ? update.digest
      : inline && update.tag !== undefined && update.digest !== undefined
        ? `${update.tag}@${update.digest}`
        : update.tag
  if (wanted === undefined) return missingPart(yaml, found, target)
  const sibling =
    target.role === 'tag' && found.parent
      ? ownSlot(doc, found.parent, 'digest', found.parentPath)
      : undefined
  const previous =
    (inline ? before.split('@')[0] : before) || (sibling ? scalarText(sibling.node) : '')
  const base = { image: update.image, previous }
  const own = setSlot(yaml, found, wanted, base)
  if (own instanceof HandoffError || !sibling) return own
  // The map's digest follows the tag, as for image maps found without a key.
  const digest = update.digest ?? ''
  if (update.digest === undefined && scalarText(sibling.node) === '') return own
  const other = setSlot(yaml, sibling, digest, base)
  return other instanceof HandoffError ? other : [...own, ...other]
}

function missingPart(yaml: ParsedYaml, found: KeyFound, target: KeyTarget): HandoffError {
  const { line, column } = positionOf(yaml, found.node.range?.[0] ?? 0)
  const [holds, lacks, hint] =
    target.role === 'tag'
      ? [
          'a tag',
          'only a digest',
          'Give a tag too, or point `key` at the digest value (e.g. image.digest).'
        ]
      : [
          'a digest',
          'no digest',
          'Give `digest`, or point `key` at the tag value (e.g. image.tag).'
        ]
  return new HandoffError(
    'INVALID_INPUT',
    `The key at ${quote(found.path)} (line ${line}) holds ${holds}, but the update of ${quote(target.update.image)} has ${lacks}`,
    {
      hint,
      line,
      column
    }
  )
}

/** create-missing: insert the key path with the tag, digest or whole reference as its value. */
function createKey(
  yaml: ParsedYaml,
  failure: KeyMissing,
  doc: Document.Parsed | undefined,
  parts: readonly KeyPart[],
  key: string,
  updates: readonly ImageUpdate[]
): EditResult {
  const parentIdentity =
    doc && failure.map && failure.consumed === parts.length - 1
      ? identityOf(doc, failure.map)
      : undefined
  const update = parentIdentity
    ? updates.find(u => repositoryMatches(parentIdentity, u.image))
    : updates.length === 1
      ? updates[0]
      : undefined
  if (!update) {
    const hint =
      'With create-missing and `key`, give one image (or a key inside a map whose repository names it).'
    return {
      ok: false,
      error: new HandoffError(
        'INVALID_INPUT',
        `Cannot tell which image the new key ${quote(key)} is for`,
        { hint, input: 'key' }
      )
    }
  }
  const role = roleOfName(parts[parts.length - 1].name)
  const value =
    role === 'reference'
      ? formatReference({ name: update.image, tag: update.tag, digest: update.digest })
      : role === 'tag'
        ? update.tag
        : update.digest
  if (value === undefined) {
    const lacks = role === 'tag' ? 'a tag' : 'a digest'
    return {
      ok: false,
      error: new HandoffError(
        'INVALID_INPUT',
        `The new key ${quote(key)} needs ${lacks}, and the update of ${quote(update.image)} has none`,
        { input: 'key' }
      )
    }
  }
  const insertion = insertMissing(yaml.text, failure, parts, value)
  if (insertion instanceof HandoffError) return { ok: false, error: insertion }
  return finishChanges(yaml.text, [
    insertionChange(insertion, {
      image: update.image,
      path: key,
      before: '',
      after: value,
      previous: ''
    })
  ])
}

// ---------------------------------------------------------------------------------------
// Reading.

/** The current tag/digest of `image` (with `key`: the value there). */
export function readHelmValues(text: string, image: string, options: EditOptions): ReadResult {
  const parsed = parseYaml(text)
  if (!parsed.ok) return parsed
  if (options.key === undefined) return readSites(parsed.yaml, image)
  const parts = parseKeyPath(options.key)
  if (parts instanceof HandoffError) return { ok: false, error: parts }
  const { found, deepest } = resolveEverywhere(parsed.yaml, parts)
  const first = found[0]
  if (!first) {
    return {
      ok: false,
      error: keyNotFound(
        options.key,
        deepest.failure,
        lineColumn(text, deepest.failure.offset),
        false
      )
    }
  }
  const target = targetOf(parsed.yaml, first.doc, first.found, parts, options.key, [{ image }])
  if (target instanceof HandoffError) return { ok: false, error: target }
  return { ok: true, current: currentAtKey(first.doc, target, image) }
}

function currentAtKey(doc: Document.Parsed, target: KeyTarget, image: string): CurrentImage {
  const value = scalarText(target.found.node)
  if (target.role === 'reference')
    return current(image, splitLoose(value).tag, splitLoose(value).digest)
  if (target.role === 'digest') return current(image, undefined, value)
  if (TAG_AT_DIGEST.test(value)) return current(image, value.split('@')[0], value.split('@')[1])
  const sibling = target.found.parent ? ownSlot(doc, target.found.parent, 'digest', '') : undefined
  return current(image, value, sibling && scalarText(sibling.node))
}

function current(image: string, tag: string | undefined, digest: string | undefined): CurrentImage {
  return { image, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) }
}

function readSites(yaml: ParsedYaml, image: string): ReadResult {
  const sites = collectSites(yaml).filter(s => siteMatches(s, image))
  if (sites.length === 0)
    return { ok: false, error: imageNotFound([{ image }], collectSites(yaml)) }
  const values = sites.map(site => ({ site, current: currentOf(site, image) }))
  const distinct = [
    ...new Map(values.map(v => [`${v.current.tag}@${v.current.digest}`, v])).values()
  ]
  if (distinct.length > 1) return { ok: false, error: ambiguous(yaml, image, distinct) }
  return { ok: true, current: distinct[0].current }
}

function currentOf(site: Site, image: string): CurrentImage {
  if (site.kind === 'string') {
    const { tag, digest } = splitLoose(scalarText(site.node))
    return current(image, tag, digest)
  }
  const digest = site.digest && scalarText(site.digest.node)
  return current(
    image,
    site.tag && scalarText(site.tag.node),
    digest && site.hexOnly ? `sha256:${digest}` : digest
  )
}

function ambiguous(
  yaml: ParsedYaml,
  image: string,
  values: readonly { site: Site; current: CurrentImage }[]
): HandoffError {
  const shown = values
    .map(({ site, current: c }) => {
      const node = site.kind === 'string' ? site.node : site.map
      const { line } = positionOf(yaml, node.range?.[0] ?? 0)
      return `${quote(formatReference({ name: '', tag: c.tag, digest: c.digest }))} (line ${line})`
    })
    .join(', ')
  return new HandoffError(
    'UNSUPPORTED_FILE',
    `The file sets ${quote(image)} to different versions: ${shown}`,
    {
      hint: 'Set `key` to the dotted path of the value to read, e.g. image.tag.'
    }
  )
}
