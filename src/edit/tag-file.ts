/**
 * Tag files: the whole content is the tag (a `VERSION` or `IMAGE_TAG` file), or, with `key`,
 * a dotenv-style file whose line `KEY=value` holds it (`export KEY=value` and quoted values
 * too). Only the value's bytes change: surrounding whitespace, the final newline (or its
 * absence), CRLF, a BOM, quotes, comments and every other line stay as they are.
 *
 * What is written: a file holding a tag gets the tag, and the digest only when no tag is
 * given (a tag file has room for one value, and `tag@digest` is not a tag its readers
 * expect); a file holding a digest gets the digest, or the tag when no digest is given. A
 * file holding a whole reference of the image (`ghcr.io/acme/api:1.4.0`) is rewritten by the
 * reference rules, so it keeps both.
 */
import { HandoffError, quote } from '../errors.js'
import { repositoryMatches, splitLoose } from '../image/reference.js'
import { lineColumn } from './helm-values.js'
import type { CurrentImage, EditOptions, EditResult, ImageUpdate, ReadResult } from './types.js'
import { rewrite } from './workload-images.js'

/** Where a value sits in the file, and how it is written. */
interface Site {
  readonly start: number
  readonly end: number
  readonly value: string
  /** `KEY` for a dotenv line; '' for a whole-file tag. */
  readonly key: string
}

type Kind = 'reference' | 'digest' | 'tag'

const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-fA-F]{32,}$/

export function editTagFile(
  text: string,
  updates: readonly ImageUpdate[],
  options: EditOptions
): EditResult {
  const found = options.key === undefined ? wholeFile(text) : dotenvSites(text, options.key)
  if (found instanceof HandoffError) return { ok: false, error: found }
  if (found.length === 0) return createLine(text, options.key ?? '', updates, options.createMissing)
  let out = text
  const edits: { site: Site; update: ImageUpdate; after: string }[] = []
  // Right to left, so earlier offsets stay valid.
  for (const site of [...found].reverse()) {
    const planned = plan(text, site, updates)
    if (planned instanceof HandoffError) return { ok: false, error: planned }
    if (planned.after === site.value) continue
    out = out.slice(0, site.start) + planned.after + out.slice(site.end)
    edits.unshift({ site, ...planned })
  }
  return {
    ok: true,
    text: out,
    edits: edits.map(({ site, update, after }) => ({
      image: update.image,
      path: site.key,
      ...lineColumn(text, site.start),
      before: site.value,
      after,
      previous: previousOf(site.value)
    }))
  }
}

/** The current tag or digest (or reference) the file holds for `image`. */
export function readTagFile(text: string, image: string, options: EditOptions): ReadResult {
  const found = options.key === undefined ? wholeFile(text) : dotenvSites(text, options.key)
  if (found instanceof HandoffError) return { ok: false, error: found }
  if (found.length === 0) return { ok: false, error: keyNotFound(text, options.key ?? '') }
  const site = found[0]
  const update = updateFor(text, site, [{ image }])
  if (update instanceof HandoffError) return { ok: false, error: update }
  return { ok: true, current: currentOf(image, site.value) }
}

function currentOf(image: string, value: string): CurrentImage {
  const kind = kindOf(value)
  if (kind === 'digest') return { image, digest: value }
  if (kind === 'tag') return value === '' ? { image } : { image, tag: value }
  const { tag, digest } = splitLoose(value)
  return { image, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) }
}

function kindOf(value: string): Kind {
  if (DIGEST.test(value)) return 'digest'
  return /[/:@]/.test(value) ? 'reference' : 'tag'
}

function previousOf(value: string): string {
  if (kindOf(value) !== 'reference') return value
  const { tag, digest } = splitLoose(value)
  return tag ?? digest ?? ''
}

function plan(
  text: string,
  site: Site,
  updates: readonly ImageUpdate[]
): { update: ImageUpdate; after: string } | HandoffError {
  const update = updateFor(text, site, updates)
  if (update instanceof HandoffError) return update
  const kind = kindOf(site.value)
  if (kind === 'reference') return { update, after: rewrite(site.value, update) }
  const after = kind === 'digest' ? (update.digest ?? update.tag) : (update.tag ?? update.digest)
  if (after === undefined || /[\r\n]/.test(after)) {
    return new HandoffError(
      'INVALID_INPUT',
      `No single-line tag or digest to write for ${quote(update.image)}`,
      {
        hint: 'Give `tag` (or `digest`).'
      }
    )
  }
  return { update, after }
}

/** A reference names its image; a bare tag belongs to the only update there is. */
function updateFor(
  text: string,
  site: Site,
  updates: readonly ImageUpdate[]
): ImageUpdate | HandoffError {
  const { line, column } = lineColumn(text, site.start)
  if (kindOf(site.value) === 'reference') {
    const { name } = splitLoose(site.value)
    const update = updates.find(u => repositoryMatches(name, u.image))
    if (update) return update
    return new HandoffError(
      'IMAGE_NOT_FOUND',
      `The file holds ${quote(site.value)} (line ${line}), a reference to ${quote(name)}, not to ${updates.map(u => quote(u.image)).join(', ')}`,
      { hint: 'Check `image` and `path`.', line, column }
    )
  }
  if (updates.length === 1) return updates[0]
  return new HandoffError(
    'INVALID_INPUT',
    `A tag file holds one tag, and ${updates.length} images were given`,
    {
      hint: 'Give one image for this file (a separate step), or write the full reference in the file.',
      line,
      column
    }
  )
}

// ---------------------------------------------------------------------------------------
// Whole-file tags.

function wholeFile(text: string): Site[] | HandoffError {
  const bom = text.startsWith('\uFEFF') ? 1 : 0
  const body = text.slice(bom)
  const value = body.trim()
  // An empty file gets the tag at its start, before any whitespace it has.
  const start = value === '' ? bom : bom + body.indexOf(value)
  if (/[\r\n]/.test(value)) {
    const first = lineColumn(text, start).line
    const last = lineColumn(text, start + value.length).line
    return new HandoffError(
      'UNSUPPORTED_FILE',
      `The tag file has ${last - first + 1} lines of content (lines ${first}-${last}), not one tag`,
      {
        hint: 'A tag file holds only the tag. For a KEY=value file, set `key` to the variable name (e.g. IMAGE_TAG); for YAML, set `format`.'
      }
    )
  }
  return [{ start, end: start + value.length, value, key: '' }]
}

// ---------------------------------------------------------------------------------------
// Dotenv lines: [export ]KEY=value, value bare, "double-" or 'single-quoted', then a comment.

const LINE = /^([ \t]*(?:export[ \t]+)?)([A-Za-z_][A-Za-z0-9_.-]*)([ \t]*=[ \t]*)(.*)$/

function dotenvSites(text: string, key: string): Site[] | HandoffError {
  if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key)) {
    return new HandoffError('INVALID_INPUT', `The key ${quote(key)} is not a variable name`, {
      hint: 'For a tag file, `key` is the variable of a KEY=value line, e.g. IMAGE_TAG.',
      input: 'key'
    })
  }
  const sites: Site[] = []
  let lineStart = text.startsWith('\uFEFF') ? 1 : 0
  while (lineStart <= text.length) {
    const lf = text.indexOf('\n', lineStart)
    const lineEnd = lf === -1 ? text.length : lf
    const line = text.slice(lineStart, lineEnd).replace(/\r$/, '')
    const m = LINE.exec(line)
    if (m && m[2] === key)
      sites.push(valueSite(lineStart + m[1].length + m[2].length + m[3].length, m[4], key))
    if (lf === -1) break
    lineStart = lf + 1
  }
  return sites
}

function valueSite(offset: number, rest: string, key: string): Site {
  const quoteChar = rest[0] === '"' || rest[0] === "'" ? rest[0] : ''
  if (quoteChar) {
    const close = rest.indexOf(quoteChar, 1)
    if (close > 0)
      return { start: offset + 1, end: offset + close, value: rest.slice(1, close), key }
  }
  const value = rest.replace(/[ \t]+#.*$/, '').replace(/[ \t]+$/, '')
  return { start: offset, end: offset + value.length, value, key }
}

function keyNotFound(text: string, key: string): HandoffError {
  const keys = dotenvKeys(text)
  const listed = keys.length
    ? `; the file sets ${keys.slice(0, 10).map(quote).join(', ')}`
    : '; the file has no KEY=value lines'
  return new HandoffError('KEY_NOT_FOUND', `No line ${key}=… found${listed}`, {
    hint: 'Check `key` (case-sensitive), or set create-missing: true to append the line.',
    input: 'key'
  })
}

function dotenvKeys(text: string): string[] {
  return [
    ...new Set(text.split('\n').flatMap(line => LINE.exec(line.replace(/\r$/, ''))?.[2] ?? []))
  ]
}

/** create-missing: append `KEY=value` as a new last line, in the file's line ending. */
function createLine(
  text: string,
  key: string,
  updates: readonly ImageUpdate[],
  createMissing: boolean
): EditResult {
  if (!createMissing) return { ok: false, error: keyNotFound(text, key) }
  if (updates.length !== 1) {
    return {
      ok: false,
      error: new HandoffError(
        'INVALID_INPUT',
        `Cannot tell which of ${updates.length} images the new line ${key}= is for`,
        { input: 'key' }
      )
    }
  }
  const update = updates[0]
  const value = update.tag ?? update.digest ?? ''
  const nl = text.includes('\r\n') ? '\r\n' : '\n'
  const unterminated = text.replace(/^\uFEFF/, '') !== '' && !text.endsWith('\n')
  const line = `${key}=${value}`
  const out = unterminated ? `${text}${nl}${line}` : `${text}${line}${nl}`
  const at = out.length - (unterminated ? 0 : nl.length) - value.length
  return {
    ok: true,
    text: out,
    edits: [
      {
        image: update.image,
        path: key,
        ...lineColumn(out, at),
        before: '',
        after: value,
        previous: ''
      }
    ]
  }
}
