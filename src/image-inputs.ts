/**
 * The image inputs (`image`, `images`, `tag`, `digest`, `allow-latest`, and what
 * `only-newer` needs of them) turned into the desired image states.
 */
import { HandoffError, quote } from './errors.js'
import { Inputs, type InputName } from './constants.js'
import type { ImageUpdate } from './edit/types.js'
import { isValidDigest, isValidTag, normalizeName, parseReference } from './image/reference.js'
import { parseSemver } from './edit/only-newer.js'
import type { InputReader } from './input-reader.js'

export function readUpdates(r: InputReader, promoting: boolean): ImageUpdate[] {
  const image = r.raw(Inputs.Image)
  const images = r.raw(Inputs.Images)
  const tag = r.raw(Inputs.Tag)
  const digest = r.raw(Inputs.Digest)
  const allowLatest = r.boolean(Inputs.AllowLatest, false)
  if (images !== '') {
    for (const name of [Inputs.Image, Inputs.Tag, Inputs.Digest] as const) {
      if (r.raw(name) !== '')
        r.fail(
          name,
          r.raw(name),
          'cannot be combined with "images"',
          'Put every reference, with its tag or digest, in "images".'
        )
    }
    if (promoting)
      r.fail(
        Inputs.PromoteFrom,
        r.raw(Inputs.PromoteFrom),
        'cannot be combined with "images"',
        'Promote one image at a time with "image".'
      )
    const updates = r
      .raw(Inputs.Images)
      .split('\n')
      .map(line => line.trim())
      .filter(line => line !== '')
      .map(line => referenceUpdate(r, Inputs.Images, line, '', '', allowLatest, false))
      .filter((u): u is ImageUpdate => u !== undefined)
    refuseRepeats(r, updates)
    return updates
  }
  if (image === '') {
    r.fail(Inputs.Image, '', 'is required', 'Set "image" (e.g. ghcr.io/acme/api) or "images".')
    return []
  }
  if (promoting && (tag !== '' || digest !== '')) {
    r.fail(
      tag !== '' ? Inputs.Tag : Inputs.Digest,
      tag || digest,
      'cannot be combined with "promote-from"',
      'Either copy the reference from "promote-from" or give "tag"/"digest", not both.'
    )
  }
  const update = referenceUpdate(r, Inputs.Image, image, tag, digest, allowLatest, promoting)
  return update ? [update] : []
}

/**
 * One image named twice (`nginx:1.1` and `docker.io/library/nginx:1.2`) is ambiguous: which
 * one a file would get depends on the format. Refused before any request.
 */
function refuseRepeats(r: InputReader, updates: readonly ImageUpdate[]): void {
  const seen = new Map<string, string>()
  for (const update of updates) {
    const key = normalizeName(update.image)
    const first = seen.get(key)
    if (first !== undefined) {
      r.fail(
        Inputs.Images,
        update.image,
        `names the same image as ${quote(first)}`,
        'List each image once, with the one tag or digest it should get.'
      )
    }
    seen.set(key, first ?? update.image)
  }
}

/** One update from a reference plus optional separate tag/digest inputs. */
function referenceUpdate(
  r: InputReader,
  input: InputName,
  text: string,
  tagInput: string,
  digestInput: string,
  allowLatest: boolean,
  promoting: boolean
): ImageUpdate | undefined {
  let ref
  try {
    ref = parseReference(text)
  } catch (error) {
    if (error instanceof HandoffError)
      return r.fail(
        input,
        text,
        error.message.replace(
          /^Invalid image reference "[^"]*": /,
          'is not a valid image reference: '
        ),
        error.hint ?? 'Use registry/path/name[:tag][@sha256:<64 hex>], e.g. ghcr.io/acme/api:1.4.0.'
      )
    throw error
  }
  // Every problem of the reference is reported, not only the first.
  const before = r.errors.length
  const tag = pick(r, Inputs.Tag, ref.tag, tagInput)
  const digest = pick(r, Inputs.Digest, ref.digest, digestInput)
  if (tag !== undefined && !isValidTag(tag)) {
    r.fail(
      Inputs.Tag,
      tag,
      'is not a valid tag',
      'A tag is 1–128 characters of letters, digits, "_", "." and "-", not starting with "." or "-".'
    )
  }
  if (digest !== undefined && !isValidDigest(digest)) {
    r.fail(
      Inputs.Digest,
      digest,
      'is not a valid digest',
      'Use sha256:<64 lowercase hex characters>, e.g. the digest output of docker/build-push-action.'
    )
  }
  if (!promoting && tag === undefined && digest === undefined && r.errors.length === before) {
    r.fail(
      Inputs.Tag,
      '',
      `is required for ${quote(text)}`,
      'Set "tag", or put the tag in the reference (ghcr.io/acme/api:1.4.0), or give "digest", or use "promote-from".'
    )
  }
  if (tag === 'latest' && !allowLatest) {
    r.fail(
      Inputs.Tag,
      tag,
      'is the mutable tag "latest", refused by default',
      'Deploy an immutable tag (a version or commit SHA), or set allow-latest: true.'
    )
  }
  if (r.errors.length > before) return undefined
  return {
    image: ref.name,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {})
  }
}

/** A tag/digest given in the reference and as an input must agree. */
function pick(
  r: InputReader,
  input: InputName,
  fromRef: string | undefined,
  fromInput: string
): string | undefined {
  if (fromInput === '') return fromRef
  if (fromRef !== undefined && fromRef !== fromInput) {
    return r.fail(
      input,
      fromInput,
      `disagrees with the ${input} in "image" (${quote(fromRef)})`,
      `Give the ${input} once: in "image" or in "${input}".`
    )
  }
  return fromInput
}

/** The new tags are known now: one only-newer cannot compare is an input error, before any request. */
export function checkOnlyNewer(
  r: InputReader,
  onlyNewer: 'off' | 'semver' | 'git',
  updates: readonly ImageUpdate[]
): void {
  if (onlyNewer === 'off') return
  for (const update of updates) {
    if (update.tag === undefined && update.digest !== undefined) {
      r.fail(
        Inputs.OnlyNewer,
        onlyNewer,
        `needs a tag to compare, but ${update.image} is given only a digest`,
        'Give "tag" together with "digest", or set only-newer: false.'
      )
    } else if (
      onlyNewer === 'semver' &&
      update.tag !== undefined &&
      parseSemver(update.tag) === undefined
    ) {
      r.fail(
        Inputs.OnlyNewer,
        onlyNewer,
        `needs semantic-version tags, but tag ${quote(update.tag)} is not one`,
        'Tag images like 1.4.2 or v1.4.2-rc.1, use only-newer: git for commit-SHA tags, or set only-newer: false.'
      )
    } else if (
      onlyNewer === 'git' &&
      update.tag !== undefined &&
      !/^[0-9a-f]{7,40}$/i.test(update.tag)
    ) {
      r.fail(
        Inputs.OnlyNewer,
        onlyNewer,
        `needs commit-SHA tags, but tag ${quote(update.tag)} is not a commit SHA`,
        'Tag images with the source commit (e.g. tag: ${{ github.sha }}), use only-newer: semver for version tags, or set only-newer: false.'
      )
    }
  }
}
