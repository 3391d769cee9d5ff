/**
 * The Helm editor with `key`: the value at that dotted path (key-path.ts) in every document,
 * which is a tag, a digest or a full reference, told apart by its name and its value; with
 * create-missing, the path is inserted when no document has it.
 */
import type { Document, YAMLMap } from 'yaml'
import { HandoffError, quote } from '../errors.js'
import { formatReference, repositoryMatches, splitLoose } from '../image/reference.js'
import { nameField, ownSlot, setSlot } from './helm-image-sites.js'
import {
  insertMissing,
  keyNotFound,
  parseKeyPath,
  resolveKey,
  type KeyFound,
  type KeyMissing,
  type KeyPart
} from './key-path.js'
import type { CurrentImage, EditResult, ImageUpdate, ReadResult } from './types.js'
import {
  currentImage,
  finishChanges,
  insertionChange,
  lineColumn,
  scalarText,
  type Change
} from './value-changes.js'
import { rewrite } from './workload-images.js'
import { positionOf, type ParsedYaml } from './yaml-splice.js'

type Role = 'reference' | 'tag' | 'digest'

interface KeyTarget {
  readonly found: KeyFound
  readonly role: Role
  readonly update: ImageUpdate
}

export function editByKey(
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
  const update = updateForNewKey(failure, doc, parts, updates)
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
  const value = valueForRole(role, update)
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
  const edit = { image: update.image, path: key, before: '', after: value, previous: '' }
  return finishChanges(yaml.text, [insertionChange(insertion, edit)])
}

/**
 * The update a new key is for: the one whose repository the key's parent map names, or the
 * only update there is.
 */
function updateForNewKey(
  failure: KeyMissing,
  doc: Document.Parsed | undefined,
  parts: readonly KeyPart[],
  updates: readonly ImageUpdate[]
): ImageUpdate | undefined {
  const parentIdentity =
    doc && failure.map && failure.consumed === parts.length - 1
      ? identityOf(doc, failure.map)
      : undefined
  if (parentIdentity) return updates.find(u => repositoryMatches(parentIdentity, u.image))
  return updates.length === 1 ? updates[0] : undefined
}

/** What a key of this role holds for `update`: the whole reference, the tag or the digest. */
function valueForRole(role: ReturnType<typeof roleOfName>, update: ImageUpdate) {
  if (role === 'reference')
    return formatReference({ name: update.image, tag: update.tag, digest: update.digest })
  return role === 'tag' ? update.tag : update.digest
}

/** The current tag/digest of `image` at `key`, read in the first document that has it. */
export function readByKey(yaml: ParsedYaml, image: string, key: string): ReadResult {
  const parts = parseKeyPath(key)
  if (parts instanceof HandoffError) return { ok: false, error: parts }
  const { found, deepest } = resolveEverywhere(yaml, parts)
  const first = found[0]
  if (!first) {
    return {
      ok: false,
      error: keyNotFound(key, deepest.failure, lineColumn(yaml.text, deepest.failure.offset), false)
    }
  }
  const target = targetOf(yaml, first.doc, first.found, parts, key, [{ image }])
  if (target instanceof HandoffError) return { ok: false, error: target }
  return { ok: true, current: currentAtKey(first.doc, target, image) }
}

function currentAtKey(doc: Document.Parsed, target: KeyTarget, image: string): CurrentImage {
  const value = scalarText(target.found.node)
  if (target.role === 'reference')
    return currentImage(image, splitLoose(value).tag, splitLoose(value).digest)
  if (target.role === 'digest') return currentImage(image, undefined, value)
  if (TAG_AT_DIGEST.test(value))
    return currentImage(image, value.split('@')[0], value.split('@')[1])
  const sibling = target.found.parent ? ownSlot(doc, target.found.parent, 'digest', '') : undefined
  return currentImage(image, value, sibling && scalarText(sibling.node))
}
