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
 *
 * This module dispatches; the file's parts are read in argocd-source-file.ts, and the two kinds
 * of override are edited in argocd-kustomize-images.ts and argocd-helm-parameters.ts.
 */
import { HandoffError, quote } from '../errors.js'
import { formatReference, repositoryMatches, splitLoose } from '../image/reference.js'
import {
  groupsOf,
  paramNamed,
  paramText,
  readFile,
  specParams,
  type Planned,
  type SourceFile
} from './argocd-source-file.js'
import {
  appendParam,
  ofGroup,
  planGroups,
  planKeyParam,
  planSpecs,
  readKeyParam
} from './argocd-helm-parameters.js'
import {
  appendEntries,
  kustomizeEntryMatches,
  kustomizeImageName,
  ofEntry,
  planEntries,
  planKeyEntries
} from './argocd-kustomize-images.js'
import type { CurrentImage, EditOptions, EditResult, ImageUpdate, ReadResult } from './types.js'
import { currentImage, finishChanges, type Change } from './value-changes.js'
import { parseYaml } from './yaml-splice.js'

export { kustomizeEntryMatches, kustomizeImageName } from './argocd-kustomize-images.js'

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

function readImage(file: SourceFile, image: string): CurrentImage | HandoffError {
  const entry = file.entries.find(e => kustomizeEntryMatches(e.value, image))
  if (entry) return ofEntry(image, entry)
  const group = groupsOf(file).find(g => g.identity && repositoryMatches(g.identity, image))
  if (group) return ofGroup(image, group)
  const spec = specParams(file).find(p =>
    repositoryMatches(splitLoose(paramText(p) ?? '').name, image)
  )
  if (spec)
    return currentImage(
      image,
      splitLoose(paramText(spec) ?? '').tag,
      splitLoose(paramText(spec) ?? '').digest
    )
  return imageNotFound(file, [{ image }])
}

function readKey(file: SourceFile, image: string, key: string): CurrentImage | HandoffError {
  const param = paramNamed(file, key)
  if (param) return readKeyParam(file, param, image, key)
  const entry = file.entries.find(e => kustomizeImageName(e.value) === key)
  return entry ? ofEntry(image, entry) : keyNotFound(file, key)
}
