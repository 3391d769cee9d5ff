/**
 * Workload manifests: every `image` of every item of a `containers`, `initContainers` or
 * `ephemeralContainers` sequence, at any depth of every document. That covers Deployments,
 * StatefulSets, DaemonSets, Jobs, CronJobs, Pods, ReplicationControllers, Argo Rollouts,
 * Experiments and AnalysisTemplates and CRDs that embed pod specs, without a list of kinds
 * (kustomize's LegacyFilter uses the same rule). Images of other repositories are untouched.
 *
 * One parse, one walk: the walk records anchors as it meets them (document order), so an
 * alias is resolved without the `yaml` library's per-alias rescan of the whole document.
 */
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type Alias,
  type Document,
  type Node,
  type Pair,
  type Scalar
} from 'yaml'
import { HandoffError, quote } from '../errors.js'
import { repositoryMatches, splitLoose } from '../image/reference.js'
import type { EditOptions, EditResult, ImageUpdate, ReadResult, ValueEdit } from './types.js'
import {
  applyLocated,
  parseYaml,
  positionOf,
  replaceScalar,
  scalarRange,
  type LocatedSplice,
  type ParsedYaml
} from './yaml-splice.js'

const CONTAINER_LISTS: ReadonlySet<unknown> = new Set([
  'containers',
  'initContainers',
  'ephemeralContainers'
])

/**
 * An update as the editor applies it. `newName` (kustomize's `images[].newName`) also
 * rewrites the repository; the action itself never sets it, the kustomize conformance
 * cases do.
 */
export interface WorkloadUpdate extends ImageUpdate {
  readonly newName?: string
}

/** One `image` scalar found under a container list. */
export interface ImageSite {
  readonly node: Scalar
  /** Dotted path where the walk reached it, e.g. `spec.template.spec.containers[0].image`. */
  readonly path: string
  readonly value: string
  /**
   * The scalar is an anchor that some alias also uses outside an image position (say, as
   * `metadata.name`): editing it would change that value too.
   */
  readonly shared: boolean
}

export function editWorkload(
  text: string,
  updates: readonly WorkloadUpdate[],
  _options: EditOptions
): EditResult {
  const parsed = parseYaml(text)
  if (!parsed.ok) return parsed
  const sites = collectImageSites(parsed.yaml)
  const changes: LocatedSplice<Report>[] = []
  let matched = false
  for (const site of sites) {
    const update = updateFor(site.value, updates)
    if (!update) continue
    matched = true
    const after = rewrite(site.value, update)
    if (after === site.value) continue
    if (site.shared) return { ok: false, error: sharedAnchor(parsed.yaml, site) }
    const splice = replaceScalar(text, site.node, after)
    if (splice instanceof HandoffError) {
      return { ok: false, error: located(splice, parsed.yaml, site) }
    }
    changes.push({ splice, within: 0, edit: report(site, update, after) })
  }
  const wanted = updates.map(u => u.image)
  if (!matched) return { ok: false, error: imageNotFound(wanted, sites) }
  return { ok: true, ...applyLocated(text, changes) }
}

/** The current tag/digest of `image`: its first reference in the file. */
export function readWorkload(text: string, image: string, _options: EditOptions): ReadResult {
  const parsed = parseYaml(text)
  if (!parsed.ok) return parsed
  const sites = collectImageSites(parsed.yaml)
  const site = sites.find(s => repositoryMatches(splitLoose(s.value).name, image))
  if (!site) return { ok: false, error: imageNotFound([image], sites) }
  const { tag, digest } = splitLoose(site.value)
  return { ok: true, current: { image, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) } }
}

function updateFor(value: string, updates: readonly WorkloadUpdate[]): WorkloadUpdate | undefined {
  const { name } = splitLoose(value)
  return updates.find(u => repositoryMatches(name, u.image))
}

/**
 * The new value: the repository as written (or `newName`), then the tag and digest by the
 * SPEC rules: tag alone drops the digest, digest alone drops the tag, both give
 * `name:tag@digest`. An update with neither (a pure rename) keeps the written tag/digest.
 */
export function rewrite(value: string, update: WorkloadUpdate): string {
  const written = splitLoose(value)
  const name = update.newName || written.name
  const changesVersion = update.tag !== undefined || update.digest !== undefined
  const tag = changesVersion ? update.tag : written.tag
  const digest = changesVersion ? update.digest : written.digest
  return `${name}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`
}

type Report = Omit<ValueEdit, 'line' | 'column'>

function report(site: ImageSite, update: ImageUpdate, after: string): Report {
  const { tag, digest } = splitLoose(site.value)
  return {
    image: update.image,
    path: site.path,
    before: site.value,
    after,
    previous: tag || digest || ''
  }
}

function located(error: HandoffError, yaml: ParsedYaml, site: ImageSite): HandoffError {
  const { line, column } = positionOf(yaml, scalarRange(site.node)[0])
  return new HandoffError(error.code, `${site.path} at line ${line}: ${error.message}`, {
    hint: error.hint,
    line,
    column
  })
}

function sharedAnchor(yaml: ParsedYaml, site: ImageSite): HandoffError {
  const { line, column } = positionOf(yaml, scalarRange(site.node)[0])
  const anchor = site.node.anchor ? `&${site.node.anchor}` : 'an anchor'
  return new HandoffError(
    'UNSUPPORTED_FILE',
    `${site.path} is an alias of ${anchor} (line ${line}), which aliases elsewhere in the file also use for values that are not images; changing it would change those too`,
    {
      hint: 'Write the image as its own value instead of an alias, or anchor it only where images use it.',
      line,
      column
    }
  )
}

const LISTED = 10

export function imageNotFound(
  images: readonly string[],
  sites: readonly ImageSite[]
): HandoffError {
  const wanted = images.map(quote).join(', ')
  const found = [...new Set(sites.map(s => s.value))]
  const shown = found.slice(0, LISTED).map(quote).join(', ')
  const more = found.length > LISTED ? ` and ${found.length - LISTED} more` : ''
  const message =
    found.length === 0
      ? `No container image of ${wanted} found: the file has no \`image\` under containers, initContainers or ephemeralContainers`
      : `No container image of ${wanted} found; the file references ${shown}${more}`
  return new HandoffError('IMAGE_NOT_FOUND', message, {
    hint: 'Check `image` (the repository, compared without tag or digest) and `path`, or set `format` if this is not a workload manifest.'
  })
}

/** Every image site of every document, in document order. */
export function collectImageSites(yaml: ParsedYaml): ImageSite[] {
  return yaml.documents.flatMap(doc => new Walk(doc).sites)
}

type Segment = string | number

/** A pre-order walk of one document that remembers anchors and collects image sites. */
class Walk {
  readonly sites: ImageSite[]
  private readonly found: { node: Scalar; path: string }[] = []
  private readonly anchors = new Map<string, Node>()
  private readonly seen = new Set<Scalar>()
  /** Every alias of a scalar anchor, and the aliases that stand for an image. */
  private readonly aliasesOf = new Map<unknown, Alias[]>()
  private readonly imageAliases = new Set<Alias>()

  constructor(private readonly doc: Document.Parsed) {
    this.node(doc.contents, [])
    this.sites = this.found.map(({ node, path }) => ({
      node,
      path,
      value: node.value as string,
      shared: (this.aliasesOf.get(node) ?? []).some(alias => !this.imageAliases.has(alias))
    }))
  }

  private node(node: unknown, path: Segment[], containerList = false): void {
    if (!node || typeof node !== 'object') return
    if (isAlias(node)) return this.alias(node)
    this.remember(node as Node)
    if (isMap(node)) {
      for (const pair of node.items) this.pair(pair, path)
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        path.push(i)
        this.node(item, path)
        if (containerList) this.container(item, path)
        path.pop()
      })
    }
  }

  private pair(pair: Pair, path: Segment[]): void {
    this.node(pair.key, path)
    const key = isScalar(pair.key) ? pair.key.value : undefined
    const containerList = CONTAINER_LISTS.has(key)
    path.push(String(key))
    if (containerList && isAlias(pair.value)) this.aliasedList(pair.value, path)
    else this.node(pair.value, path, containerList)
    path.pop()
  }

  /** `containers: *list`: the anchored list was walked where it is written. */
  private aliasedList(alias: unknown, path: Segment[]): void {
    const list = this.resolve(alias)
    if (!isSeq(list)) return
    list.items.forEach((item, i) => {
      path.push(i)
      this.container(item, path)
      path.pop()
    })
  }

  /** One container list item; the item or its image may be an alias. */
  private container(item: unknown, path: Segment[]): void {
    const image = this.imageOf(this.resolve(item), 0)
    if (!image || this.seen.has(image) || typeof image.value !== 'string') return
    this.seen.add(image)
    this.found.push({ node: image, path: format([...path, 'image']) })
  }

  /** The `image` scalar of a container map, looking through `<<` merge keys. */
  private imageOf(container: unknown, depth: number): Scalar | undefined {
    if (!isMap(container) || depth > 8) return undefined
    const own = container.items.find(p => isScalar(p.key) && p.key.value === 'image')
    if (own) {
      if (isAlias(own.value)) this.imageAliases.add(own.value)
      const value = this.resolve(own.value)
      return isScalar(value) ? value : undefined
    }
    for (const pair of container.items) {
      if (!isScalar(pair.key) || pair.key.value !== '<<') continue
      const merged = this.resolve(pair.value)
      const sources = isSeq(merged) ? merged.items.map(i => this.resolve(i)) : [merged]
      for (const source of sources) {
        const image = this.imageOf(source, depth + 1)
        if (image) return image
      }
    }
    return undefined
  }

  private alias(alias: Alias): void {
    const target = this.resolve(alias)
    if (!isScalar(target)) return
    const list = this.aliasesOf.get(target)
    if (list) list.push(alias)
    else this.aliasesOf.set(target, [alias])
  }

  private remember(node: Node): void {
    const anchor = (node as { anchor?: string }).anchor
    if (anchor) this.anchors.set(anchor, node)
  }

  private resolve(node: unknown): unknown {
    if (!isAlias(node)) return node
    return this.anchors.get(node.source) ?? node.resolve(this.doc)
  }
}

function format(path: readonly Segment[]): string {
  let out = ''
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`
    else out += out === '' ? segment : `.${segment}`
  }
  return out
}
