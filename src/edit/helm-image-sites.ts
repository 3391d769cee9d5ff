/**
 * Where a Helm values file sets images without a `key`: every image map —
 * `{repository[, registry], tag[, digest]}`, `{image, tag}` (ingress-nginx) — and every
 * `image: repo:tag` string, at any depth of every document; and the setting of one of their
 * scalar slots (also used by the key mode, helm-key.ts).
 */
import { isMap, isScalar, isSeq, type Document, type Pair, type Scalar, type YAMLMap } from 'yaml'
import { HandoffError } from '../errors.js'
import { repositoryMatches, splitLoose } from '../image/reference.js'
import { deref, findPair, joinPath } from './key-path.js'
import { replaceChange, scalarText, type Change } from './value-changes.js'
import type { ParsedYaml } from './yaml-splice.js'

export interface Slot {
  readonly pair?: Pair
  readonly node: Scalar
  readonly path: string
}

/** `{repository[, registry], tag[, digest]}` or `{image, tag}`: the map's own tag/digest. */
export interface MapSite {
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
export interface StringSite {
  readonly kind: 'string'
  readonly node: Scalar
  readonly identity: string
  readonly path: string
}

export type Site = MapSite | StringSite

const MAX_DEPTH = 500

/** Every image map and image string of every document, in document order. */
export function collectSites(yaml: ParsedYaml): Site[] {
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
export function nameField(
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
export function ownSlot(
  doc: Document.Parsed,
  map: YAMLMap,
  name: string,
  path: string
): Slot | undefined {
  const pair = findPair(map, name)
  const node = pair && deref(doc, pair.value)
  return pair && isScalar(node) ? { pair, node, path: joinPath(path, name) } : undefined
}

export function siteMatches(site: Site, image: string): boolean {
  return repositoryMatches(site.identity, image)
}

export type EditBase = { readonly image: string; readonly previous: string }

export function setSlot(
  yaml: ParsedYaml,
  slot: Slot,
  value: string,
  base: EditBase
): Change[] | HandoffError {
  if (scalarText(slot.node) === value) return []
  const change = replaceChange(yaml, slot.node, value, { ...base, path: slot.path })
  return change instanceof HandoffError ? change : [change]
}
