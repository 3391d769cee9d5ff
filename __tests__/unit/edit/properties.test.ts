/**
 * Properties of the workload and kustomize editors over generated files (random nesting,
 * quoting, key order, comments with tabs and non-ASCII, CRLF or LF, with or without a final
 * newline and a BOM):
 *
 * - the parsed result equals the parsed input with exactly the expected values replaced
 *   (computed here from the parsed input, not by the editor's code);
 * - lines other than the edited ones keep their bytes;
 * - a second application changes nothing;
 * - on arbitrary text the editors and the planner never throw and never report a bug.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { parseAllDocuments } from 'yaml'
import { detectFormat } from '../../../src/edit/detect-format.js'
import { editKustomize } from '../../../src/edit/kustomize-images.js'
import { planEdits } from '../../../src/edit/plan.js'
import type { EditResult, ImageUpdate } from '../../../src/edit/types.js'
import { editWorkload } from '../../../src/edit/workload-images.js'

type Style = 'plain' | 'single' | 'double'

const REPOS = ['ghcr.io/acme/api', 'nginx', 'localhost:5000/tools/x', 'quay.io/a/b']
const HEX = [...'0123456789abcdef']

const tagArb = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,12}$/),
  fc.constantFrom('1.20', '0755', '1e3', 'true', 'yes', 'on', 'null', '1234', 'v1.2.3')
)
const digestArb = fc
  .string({ unit: fc.constantFrom(...HEX), minLength: 64, maxLength: 64 })
  .map(h => `sha256:${h}`)
const styleArb = fc.constantFrom<Style>('plain', 'single', 'double')
const commentArb = fc.option(
  fc.string({
    unit: fc.constantFrom('a', 'Z', ' ', '\t', 'ä', '日', '✓', '#', '"', "'", ':', '{', '$'),
    maxLength: 12
  }),
  { nil: undefined }
)
const updateArb: fc.Arbitrary<ImageUpdate> = fc
  .record({
    image: fc.constantFrom(...REPOS),
    tag: fc.option(tagArb, { nil: undefined }),
    digest: fc.option(digestArb, { nil: undefined })
  })
  .filter(u => u.tag !== undefined || u.digest !== undefined)
  .map(({ image, tag, digest }) => ({
    image,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {})
  }))

function quoted(value: string, style: Style): string {
  if (style === 'double') return JSON.stringify(value)
  if (style === 'single') return `'${value}'`
  return value
}

const withComment = (line: string, comment: string | undefined) =>
  comment === undefined ? line : `${line} # ${comment}`

interface Layout {
  readonly newline: '\n' | '\r\n'
  readonly finalNewline: boolean
  readonly bom: boolean
}

const layoutArb: fc.Arbitrary<Layout> = fc.record({
  newline: fc.constantFrom<'\n' | '\r\n'>('\n', '\r\n'),
  finalNewline: fc.boolean(),
  bom: fc.boolean()
})

function join(lines: readonly string[], layout: Layout): string {
  return (
    (layout.bom ? '\uFEFF' : '') +
    lines.join(layout.newline) +
    (layout.finalNewline ? layout.newline : '')
  )
}

/** The repository of a written value, split here without the editor's code. */
function repositoryOf(value: string): string {
  const noDigest = value.split('@')[0]
  const colon = noDigest.lastIndexOf(':')
  return colon > noDigest.lastIndexOf('/') ? noDigest.slice(0, colon) : noDigest
}

function expectedValue(value: string, update: ImageUpdate): string {
  const tag = update.tag ? `:${update.tag}` : ''
  const digest = update.digest ? `@${update.digest}` : ''
  return `${repositoryOf(value)}${tag}${digest}`
}

const parsed = (text: string) =>
  parseAllDocuments(text).map(doc => ({ errors: doc.errors.length, value: doc.toJS() as unknown }))

/** Parses without errors, aliases included (an unresolved alias only fails on toJS). */
function valid(text: string): boolean {
  try {
    return parsed(text).every(d => d.errors === 0)
  } catch {
    return false
  }
}

function textOf(result: EditResult): string {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`)
  return result.text
}

// ---------------------------------------------------------------------------------------
// Workloads

const containerArb = fc.record({
  repo: fc.constantFrom(...REPOS),
  tag: fc.option(tagArb, { nil: undefined }),
  digest: fc.option(digestArb, { nil: undefined }),
  style: styleArb,
  comment: commentArb,
  imageFirst: fc.boolean()
})

type Container = typeof containerArb extends fc.Arbitrary<infer T> ? T : never

const documentArb = fc.record({
  kind: fc.constantFrom('Deployment', 'Pod', 'CronJob', 'Rollout', 'Widget'),
  nesting: fc.constantFrom<string[]>(
    [],
    ['template', 'spec'],
    ['jobTemplate', 'spec', 'template', 'spec']
  ),
  list: fc.constantFrom('containers', 'initContainers', 'ephemeralContainers'),
  containers: fc.array(containerArb, { minLength: 1, maxLength: 3 }),
  indentedSeq: fc.boolean(),
  nameComment: commentArb,
  commentLine: commentArb
})

type WorkloadDoc = typeof documentArb extends fc.Arbitrary<infer T> ? T : never

const imageValue = (c: Container) =>
  `${c.repo}${c.tag !== undefined ? `:${c.tag}` : ''}${c.digest !== undefined ? `@${c.digest}` : ''}`

function workloadLines(doc: WorkloadDoc): string[] {
  const lines = [
    'apiVersion: v1',
    `kind: ${doc.kind}`,
    'metadata:',
    withComment('  name: app', doc.nameComment),
    'spec:'
  ]
  let indent = '  '
  for (const key of doc.nesting) {
    lines.push(`${indent}${key}:`)
    indent += '  '
  }
  if (doc.commentLine !== undefined) lines.push(`# ${doc.commentLine}`)
  lines.push(`${indent}${doc.list}:`)
  const dash = doc.indentedSeq ? `${indent}  ` : indent
  doc.containers.forEach((c, i) => {
    const image = withComment(`image: ${quoted(imageValue(c), c.style)}`, c.comment)
    const pair = c.imageFirst ? [image, `name: c${i}`] : [`name: c${i}`, image]
    lines.push(`${dash}- ${pair[0]}`, `${dash}  ${pair[1]}`)
  })
  return lines
}

/** The parsed input with every matching container image replaced, computed on plain JS. */
function expectedWorkload(input: unknown, update: ImageUpdate): unknown {
  const copy = structuredClone(input)
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit)
    if (!node || typeof node !== 'object') return
    for (const [key, value] of Object.entries(node)) {
      if (
        ['containers', 'initContainers', 'ephemeralContainers'].includes(key) &&
        Array.isArray(value)
      ) {
        for (const item of value as Record<string, unknown>[]) {
          if (typeof item.image === 'string' && repositoryOf(item.image) === update.image) {
            item.image = expectedValue(item.image, update)
          }
        }
      }
      visit(value)
    }
  }
  visit(copy)
  return copy
}

/** Lines that differ other than by a matching image value's replacement. */
function strayLines(
  before: string,
  after: string,
  values: readonly string[],
  update: ImageUpdate
): number[] {
  const a = before.split('\n')
  const b = after.split('\n')
  if (a.length !== b.length) return [-1]
  const pairs = values
    .filter(v => repositoryOf(v) === update.image)
    .map(v => [v, expectedValue(v, update)] as const)
  return a.flatMap((line, i) =>
    line === b[i] || pairs.some(([o, n]) => line.replace(o, n) === b[i]) ? [] : [i + 1]
  )
}

describe('workload edits (generated files)', () => {
  it('replace exactly the matching images, touch no other byte, and are idempotent', () => {
    fc.assert(
      fc.property(
        fc.array(documentArb, { minLength: 1, maxLength: 3 }),
        layoutArb,
        updateArb,
        (docs, layout, update) => {
          const source = join(
            docs.flatMap((doc, i) => [...(i > 0 ? ['---'] : []), ...workloadLines(doc)]),
            layout
          )
          const values = docs.flatMap(d => d.containers.map(imageValue))
          const result = editWorkload(source, [update], { createMissing: false })
          if (!values.some(v => repositoryOf(v) === update.image)) {
            expect(result.ok ? 'ok' : result.error.code).toBe('IMAGE_NOT_FOUND')
            return
          }
          const out = textOf(result)
          const again = editWorkload(out, [update], { createMissing: false })
          expect({
            documents: parsed(out),
            strayLines: strayLines(source, out, values, update),
            again: again.ok
              ? { same: again.text === out, edits: again.edits.length }
              : again.error.code
          }).toEqual({
            documents: parsed(source).map(d => ({
              errors: 0,
              value: expectedWorkload(d.value, update)
            })),
            strayLines: [],
            again: { same: true, edits: 0 }
          })
        }
      ),
      { numRuns: 150 }
    )
  })
})

// ---------------------------------------------------------------------------------------
// Kustomizations

const FIELDS = ['name', 'newName', 'newTag', 'digest', 'tagSuffix'] as const

const entryArb = fc.record({
  newName: fc.option(fc.constantFrom('registry.local/app', 'quay.io/x/y'), { nil: undefined }),
  newTag: fc.option(tagArb, { nil: undefined }),
  digest: fc.option(digestArb, { nil: undefined }),
  tagSuffix: fc.option(fc.constantFrom('-alpine', '-slim'), { nil: undefined }),
  order: fc.shuffledSubarray([...FIELDS], { minLength: FIELDS.length }),
  style: styleArb,
  comment: commentArb
})

type Entry = (typeof entryArb extends fc.Arbitrary<infer T> ? T : never) & { name: string }

const kustomizationArb = fc.record({
  entries: fc
    .uniqueArray(fc.constantFrom(...REPOS), { minLength: 0, maxLength: 4 })
    .chain(names => fc.tuple(...names.map(name => entryArb.map((e): Entry => ({ ...e, name }))))),
  indentedSeq: fc.boolean(),
  imagesFirst: fc.boolean(),
  hasImagesKey: fc.boolean()
})

type Kustomization = typeof kustomizationArb extends fc.Arbitrary<infer T> ? T : never

function entryLines(entry: Entry, dash: string): string[] {
  const present = entry.order.filter(f => entry[f] !== undefined)
  return present.map((field, i) => {
    const line = withComment(
      `${field}: ${quoted(entry[field] as string, entry.style)}`,
      entry.comment
    )
    return `${dash}${i === 0 ? '- ' : '  '}${line}`
  })
}

/** The file's lines, and the line range [start, end) of each entry by name. */
function kustomizationLines(k: Kustomization): {
  lines: string[]
  ranges: Map<string, [number, number]>
} {
  const dash = k.indentedSeq ? '  ' : ''
  const resources = ['resources:', '- deployment.yaml', '# a comment line']
  const lines = k.imagesFirst ? [] : [...resources]
  const ranges = new Map<string, [number, number]>()
  if (k.hasImagesKey || k.entries.length > 0) lines.push('images:')
  for (const entry of k.entries) {
    const start = lines.length
    lines.push(...entryLines(entry, dash))
    ranges.set(entry.name, [start, lines.length])
  }
  if (k.imagesFirst) lines.push(...resources)
  return { lines, ranges }
}

/** kustomize's rules on plain JS: the entry named by the update, or a new one in its place. */
function expectedKustomization(input: unknown, update: ImageUpdate): unknown {
  const copy = structuredClone(input) as { images?: Record<string, unknown>[] | null }
  const entries = copy.images ?? []
  const target = entries.find(e => e.name === update.image)
  const entry: Record<string, unknown> = target ?? { name: update.image }
  if (update.tag !== undefined) entry.newTag = update.tag
  else delete entry.newTag
  if (update.digest !== undefined) entry.digest = update.digest
  else delete entry.digest
  if (!target) {
    const names = entries.map(e => String(e.name))
    const sorted = names.every((n, i) => i === 0 || names[i - 1] <= n)
    const at = sorted ? entries.findIndex(e => String(e.name) > update.image) : -1
    entries.splice(at === -1 ? entries.length : at, 0, entry)
  }
  copy.images = entries
  return copy
}

describe('kustomize edits (generated files)', () => {
  it('set exactly the kustomize fields, keep the other entries and keys, and are idempotent', () => {
    fc.assert(
      fc.property(kustomizationArb, layoutArb, updateArb, (k, layout, update) => {
        const source = join(kustomizationLines(k).lines, layout)
        const out = textOf(editKustomize(source, [update], { createMissing: true }))
        const again = editKustomize(out, [update], { createMissing: true })
        const [before] = parsed(source)
        expect({
          documents: parsed(out),
          crlf: out.includes('\n') ? /\r\n/.test(out) === (layout.newline === '\r\n') : true,
          finalNewline: out.endsWith('\n') === layout.finalNewline,
          again: again.ok
            ? { same: again.text === out, edits: again.edits.length }
            : again.error.code
        }).toEqual({
          documents: [{ errors: 0, value: expectedKustomization(before.value, update) }],
          crlf: true,
          finalNewline: true,
          again: { same: true, edits: 0 }
        })
      }),
      { numRuns: 200 }
    )
  })

  it('leave every line outside the edited entry as it was', () => {
    fc.assert(
      fc.property(kustomizationArb, layoutArb, updateArb, (k, layout, update) => {
        const { lines, ranges } = kustomizationLines(k)
        const range = ranges.get(update.image)
        fc.pre(range !== undefined)
        const [start, end] = range as [number, number]
        const edited = textOf(editKustomize(join(lines, layout), [update], { createMissing: true }))
        const out = edited.replace(/^\uFEFF/, '').split(layout.newline)
        const final = layout.finalNewline ? [''] : []
        expect({
          head: out.slice(0, start),
          tail: out.slice(out.length - (lines.length - end) - final.length)
        }).toEqual({
          head: lines.slice(0, start),
          tail: [...lines.slice(end), ...final]
        })
      }),
      { numRuns: 150 }
    )
  })
})

// ---------------------------------------------------------------------------------------
// Arbitrary text

const TOKENS = [
  'a',
  'b',
  ':',
  ': ',
  ' ',
  '  ',
  '\n',
  '\r\n',
  '- ',
  '#',
  '"',
  "'",
  '{',
  '}',
  '[',
  ']',
  '&x ',
  '*x',
  '!',
  '|',
  '>',
  '\t',
  'image: ',
  'containers:',
  'initContainers:',
  'images:',
  'name: ',
  'newTag: ',
  'digest: ',
  'nginx:1',
  '\uFEFF',
  '%YAML 1.2',
  '---',
  '...',
  '@',
  '?',
  ',',
  '0',
  '~',
  '<<: ',
  'ä',
  '\u0000'
]

describe('arbitrary text', () => {
  it('never makes an editor or the planner throw or report an internal error, nor write broken YAML', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }),
        updateArb,
        fc.boolean(),
        (tokens, update, createMissing) => {
          const source = tokens.join('')
          const results = [
            editWorkload(source, [update], { createMissing }),
            editKustomize(source, [update], { createMissing })
          ]
          const plan = planEdits({
            files: [{ path: 'x.yaml', content: Buffer.from(source, 'utf8') }],
            updates: [update],
            format: 'auto',
            options: { createMissing }
          })
          const format = detectFormat('dir/x.yaml', source)
          const codes = [
            ...results.flatMap(r => (r.ok ? [] : [r.error.code])),
            ...plan.errors.map(e => e.code)
          ]
          const broken = results.filter(
            r => r.ok && r.text !== source && valid(source) && !valid(r.text)
          )
          expect({
            internal: codes.filter(c => c === 'INTERNAL'),
            broken: broken.length,
            format: typeof format
          }).toEqual({
            internal: [],
            broken: 0,
            format: 'string'
          })
        }
      ),
      { numRuns: 400 }
    )
  })
})
