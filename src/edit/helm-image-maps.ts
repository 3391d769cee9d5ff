/**
 * The Helm editor without a `key`: sets the tag and digest of every image map and image string
 * (helm-image-sites.ts) whose repository matches an update, and reads them back.
 */
import { HandoffError, quote } from '../errors.js'
import { formatReference, splitLoose, tryParseReference } from '../image/reference.js'
import { findPair, insertKeyAfter, joinPath } from './key-path.js'
import {
  collectSites,
  setSlot,
  siteMatches,
  type EditBase,
  type MapSite,
  type Site,
  type StringSite
} from './helm-image-sites.js'
import type { CurrentImage, EditResult, ImageUpdate, ReadResult } from './types.js'
import {
  currentImage,
  finishChanges,
  insertionChange,
  replaceChange,
  scalarText,
  type Change
} from './value-changes.js'
import { rewrite } from './workload-images.js'
import { positionOf, type ParsedYaml } from './yaml-splice.js'

/** Every matching image site of the file, set to its update. */
export function editSites(
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

/** The one version the file sets for `image` (an error when sites disagree). */
export function readSites(yaml: ParsedYaml, image: string): ReadResult {
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
    return currentImage(image, tag, digest)
  }
  const digest = site.digest && scalarText(site.digest.node)
  return currentImage(
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
