/**
 * The Helm part of an Argo CD override file: `helm.parameters` items. An image is named by
 * `<p>.name` or `<p>.repository` (plus `<p>.registry`), its version held in `<p>.tag` (and
 * `<p>.digest`); a parameter holding a whole reference (image-spec) is rewritten by the
 * reference rules. New parameters are appended as `{name, value, forcestring: true}`.
 */
import type { Pair } from 'yaml'
import { HandoffError, quote } from '../errors.js'
import { repositoryMatches, splitLoose } from '../image/reference.js'
import { appendListItem, findPair, insertKeyAfter } from './key-path.js'
import {
  groupAt,
  groupsOf,
  paramText,
  set,
  specParams,
  type Param,
  type ParamGroup,
  type Planned,
  type SourceFile
} from './argocd-source-file.js'
import type { CurrentImage, ImageUpdate } from './types.js'
import { currentImage, insertionChange, lineColumn } from './value-changes.js'
import { rewrite } from './workload-images.js'
import { renderPlain } from './yaml-splice.js'

export function planGroups(
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

export function planSpecs(
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
    return [insertionChange(insertion, { ...base, path: param.path, before: '', after: value })]
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

/** A `{name, value, forcestring: true}` item appended to helm.parameters (created if need be). */
export function appendParam(file: SourceFile, name: string, value: string, image: string): Planned {
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
  return [insertionChange(appendListItem(file.yaml.text, file.parameters, item), edit)]
}

function prefixOf(key: string): string {
  const dot = key.lastIndexOf('.')
  return dot < 0 ? '' : key.slice(0, dot)
}

export function planKeyParam(
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

export function ofGroup(image: string, group: ParamGroup): CurrentImage {
  const { tag, digest } = splitTagValue(paramText(group.tag) ?? '')
  return currentImage(image, tag, paramText(group.digest) || digest)
}

/** With `key` naming a Helm parameter: the reference it holds, or its group's tag/digest. */
export function readKeyParam(
  file: SourceFile,
  param: Param,
  image: string,
  key: string
): CurrentImage | HandoffError {
  const value = paramText(param) ?? ''
  const loose = splitLoose(value)
  if (repositoryMatches(loose.name, image)) return currentImage(image, loose.tag, loose.digest)
  if (value.includes('/')) return otherImage(file, param, loose.name, [{ image }])
  const group = groupAt(file, prefixOf(key))
  if (group.identity && !repositoryMatches(group.identity, image)) {
    return otherImage(file, param, group.identity, [{ image }])
  }
  if (/digest$/i.test(key)) return currentImage(image, undefined, value)
  return ofGroup(image, { ...group, tag: param })
}
