/**
 * Upstream kustomize conformance (../shared/conformance/kustomize-image-cases.json):
 *
 * - `transform`: the `images:` rules applied to manifests through editWorkload (one rule after
 *   another, as kustomize runs them; `newName` through WorkloadUpdate.newName). A case passes
 *   when every image field has the expected value, the parsed documents equal the input with
 *   exactly those values replaced, and no line changed except the image values (the upstream
 *   re-serialisation is not a requirement, see the conformance README).
 * - `edit-set-image`: `kustomize edit set image ARGS` through applySetImageArgs; the file must
 *   contain the expected text, or the command must fail with the expected message.
 *
 * The `match` and `split` cases belong to src/image (reference-conformance.test.ts).
 * Deliberate differences are listed in EXCEPTIONS with their reason; the test checks that each
 * still differs, so the list cannot go stale.
 */
import fs from 'node:fs'
import { describe, expect, it } from '@jest/globals'
import { reportMissingShared, sharedPath } from '../../support/shared-fixtures.js'
import { parseAllDocuments } from 'yaml'
import { applySetImageArgs } from '../../../src/edit/kustomize-images.js'
import { editWorkload } from '../../../src/edit/workload-images.js'

const casesFile = sharedPath('conformance', 'kustomize-image-cases.json')
const haveShared = fs.existsSync(casesFile)

interface Rule {
  readonly name: string
  readonly newName?: string
  readonly newTag?: string
  readonly digest?: string
  readonly tagSuffix?: string
}

interface ImageField {
  readonly document: number
  readonly path: string
  readonly before: string
  readonly after: string
}

interface TransformCase {
  readonly id: string
  readonly kind: 'transform'
  readonly input: { readonly images: readonly Rule[]; readonly yaml: string }
  readonly expected: { readonly images: readonly ImageField[] }
}

interface SetImageCase {
  readonly id: string
  readonly kind: 'edit-set-image'
  readonly input: { readonly kustomization: string; readonly args: readonly string[] }
  readonly expected: { readonly kustomizationContains?: string; readonly error?: string }
}

type Case = TransformCase | SetImageCase | { readonly id: string; readonly kind: 'match' | 'split' }

const cases: Case[] = haveShared
  ? (JSON.parse(fs.readFileSync(casesFile, 'utf8')) as { cases: Case[] }).cases
  : []
const transformCases = cases.filter((c): c is TransformCase => c.kind === 'transform')
const setImageCases = cases.filter((c): c is SetImageCase => c.kind === 'edit-set-image')

const OUTSIDE_CONTAINERS =
  'the fieldSpec points outside container lists; SPEC limits workload edits to the `image` of containers, initContainers and ephemeralContainers'
const IMAGE_VOLUME =
  'an image volume (`volumes[].image.reference`) is not a container image; SPEC limits workload edits to container lists'

const EXCEPTIONS: Readonly<Record<string, string>> = {
  'kustomize/filter/update-with-digest': OUTSIDE_CONTAINERS,
  'kustomize/filter/image-with-tag-and-digest-new-name': OUTSIDE_CONTAINERS,
  'kustomize/filter/image-with-tag-and-digest-new-name-new-tag': OUTSIDE_CONTAINERS,
  'kustomize/filter/update-image-volume-in-pod-template': IMAGE_VOLUME,
  'kustomize/filter/update-image-volume-in-pod-spec': IMAGE_VOLUME,
  'kustomize/filter/updateimagesuffix':
    '`tagSuffix` is not something this action sets: an update carries a tag and/or digest (SPEC inputs)',
  'kustomize/build/transfomersimageknativeconfig':
    'custom kustomize `configurations:` (a Knative `container:` path) are not read; only container lists are edited',
  'kustomize/plugin/anchor':
    'the image is an alias of the anchor on metadata.name, also used as the container name; we never expand aliases (SPEC) and editing the anchor would rename the Deployment, so the edit is refused with an error where kustomize expands the alias',
  'kustomize/edit-set-image/keep-new-name-and-update-digest':
    'the existing entry lists `digest` last; we replace the value in place, kustomize re-serialises with keys sorted (`digest` first)'
}

/** kustomize runs the rules one after another; a rule that selects nothing changes nothing. */
function transform(c: TransformCase): string {
  let text = c.input.yaml
  for (const rule of c.input.images) {
    const update = {
      image: rule.name,
      tag: rule.newTag,
      digest: rule.digest,
      newName: rule.newName
    }
    const result = editWorkload(text, [update], { createMissing: false })
    if (result.ok) text = result.text
    else if (result.error.code !== 'IMAGE_NOT_FOUND') return `error: ${result.error.message}`
  }
  return text
}

function documents(text: string): unknown[] {
  return parseAllDocuments(text).map(doc => doc.toJS() as unknown)
}

function segments(dotted: string): (string | number)[] {
  return dotted.split('.').flatMap(part => {
    const [key, ...indexes] = part.split('[')
    return [key, ...indexes.map(i => Number(i.slice(0, -1)))]
  })
}

type Container = Record<string | number, unknown>

function valueAt(root: unknown, dotted: string): unknown {
  return segments(dotted).reduce<unknown>(
    (node, key) => (node as Container | undefined)?.[key],
    root
  )
}

function withValue(root: unknown, dotted: string, value: string): void {
  const keys = segments(dotted)
  const parent = keys.slice(0, -1).reduce<unknown>((node, key) => (node as Container)[key], root)
  ;(parent as Container)[keys[keys.length - 1]] = value
}

/** Lines that differ other than by an image value's replacement (byte-minimality). */
function strayLines(before: string, after: string, fields: readonly ImageField[]): number[] {
  const a = before.split('\n')
  const b = after.split('\n')
  if (a.length !== b.length) return [-1]
  const changed = fields.filter(f => f.before !== f.after)
  return a.flatMap((line, i) =>
    line === b[i] || changed.some(f => line.replace(f.before, f.after) === b[i]) ? [] : [i + 1]
  )
}

function transformVerdict(c: TransformCase) {
  const out = transform(c)
  const input = documents(c.input.yaml)
  const output = documents(out)
  const expectedDocs = documents(c.input.yaml)
  for (const field of c.expected.images)
    withValue(expectedDocs[field.document], field.path, field.after)
  return {
    images: c.expected.images.map(f => ({
      ...f,
      before: valueAt(input[f.document], f.path),
      after: valueAt(output[f.document], f.path)
    })),
    documents: output,
    strayLines: strayLines(c.input.yaml, out, c.expected.images),
    expected: { images: c.expected.images, documents: expectedDocs, strayLines: [] }
  }
}

function setImageVerdict(c: SetImageCase) {
  const result = applySetImageArgs(c.input.kustomization, c.input.args)
  const actual = result.ok
    ? {
        contains:
          c.expected.kustomizationContains !== undefined &&
          result.text.includes(c.expected.kustomizationContains),
        text: result.text
      }
    : { error: result.error.message }
  const expected =
    c.expected.error !== undefined
      ? { error: c.expected.error }
      : { contains: true, text: actual.text }
  return { actual, expected }
}

describe('kustomize conformance fixtures', () => {
  if (haveShared) {
    it('hold the 31 transform and 20 edit-set-image cases', () => {
      expect({ transform: transformCases.length, setImage: setImageCases.length }).toEqual({
        transform: 31,
        setImage: 20
      })
    })
    it('list exceptions only for cases that exist', () => {
      const ids = new Set(cases.map(c => c.id))
      expect(Object.keys(EXCEPTIONS).filter(id => !ids.has(id))).toEqual([])
    })
  } else {
    reportMissingShared('kustomize conformance cases', casesFile)
  }
})

const titled = <T extends { id: string }>(list: readonly T[]) =>
  list.map(c => ({ c, title: EXCEPTIONS[c.id] ? `${c.id} (exception: still differs)` : c.id }))

if (transformCases.length > 0) {
  describe('transform cases through editWorkload', () => {
    it.each(titled(transformCases))('$title', ({ c }) => {
      const { expected, ...actual } = transformVerdict(c)
      if (EXCEPTIONS[c.id]) expect(actual).not.toEqual(expected)
      else expect(actual).toEqual(expected)
    })
  })
}

if (setImageCases.length > 0) {
  describe('edit-set-image cases through applySetImageArgs', () => {
    it.each(titled(setImageCases))('$title', ({ c }) => {
      const { actual, expected } = setImageVerdict(c)
      if (EXCEPTIONS[c.id]) expect(actual).not.toEqual(expected)
      else expect(actual).toEqual(expected)
    })
  })
}
