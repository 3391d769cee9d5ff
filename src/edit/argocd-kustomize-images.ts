/**
 * The kustomize part of an Argo CD override file: `kustomize.images` entries written
 * `name[=newName][:tag][@digest]`, matched by name or newName, rewritten by the reference
 * rules, and appended (with the list, when missing) under create-missing.
 */
import type { YAMLSeq } from 'yaml'
import { HandoffError, quote } from '../errors.js'
import { repositoryMatches, splitLoose } from '../image/reference.js'
import { appendListItem, findPair, insertPath } from './key-path.js'
import { set, type Entry, type Planned, type SourceFile } from './argocd-source-file.js'
import type { CurrentImage, ImageUpdate } from './types.js'
import { currentImage, insertionChange, type Change } from './value-changes.js'
import { rewrite } from './workload-images.js'
import { renderPlain } from './yaml-splice.js'

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

export function planEntries(
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

/** New kustomize.images entries; the list (and `kustomize:`) is created when missing. */
export function appendEntries(
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
      return insertionChange(appendListItem(text, file.images as YAMLSeq, item), edits[i])
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

export function planKeyEntries(
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

export function ofEntry(image: string, entry: Entry): CurrentImage {
  const { tag, digest } = splitLoose(entryReference(entry.value).rest)
  return currentImage(image, tag, digest)
}
