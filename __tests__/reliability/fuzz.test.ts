/**
 * Issue 6, item 6 — fuzzing the pure core in process (fast-check): the image reference
 * parser, every format editor and the planner.
 *
 * - Robustness: on arbitrary text (random strings, YAML token soup, broken copies of valid
 *   manifests, arbitrary bytes for the planner) nothing throws; a failure is a typed
 *   HandoffError value (never INTERNAL, which marks a bug); a changed text reports its edits
 *   and an unchanged one reports none; every call finishes quickly.
 * - Locality: on generated manifests of every format, each line is either untouched or is a
 *   line holding a value, whose bytes before and after the value (indentation, key, quotes'
 *   surroundings, comments) are kept; only the value between them changes, and only on lines
 *   the editor reports. On arbitrary input the change stays within the reported lines (± the
 *   one adjacent line a kustomize `digest`/`newTag` may take or give up).
 *
 * Runs are bounded (numRuns) and seeded by fast-check; a failure prints its seed and a
 * shrunk counterexample.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { performance } from 'node:perf_hooks'
import { HandoffError } from '../../src/errors.js'
import { editArgocdSource } from '../../src/edit/argocd-source.js'
import { editHelmValues } from '../../src/edit/helm-values.js'
import { editKustomize } from '../../src/edit/kustomize-images.js'
import { planEdits } from '../../src/edit/plan.js'
import { editTagFile } from '../../src/edit/tag-file.js'
import type { EditOptions, EditResult, Editor, ImageUpdate } from '../../src/edit/types.js'
import { editWorkload } from '../../src/edit/workload-images.js'
import {
  formatReference,
  isValidDigest,
  isValidTag,
  normalizeName,
  parseReference,
  repositoryMatches,
  splitLoose,
  tryParseReference
} from '../../src/image/reference.js'
import { suiteFigures } from './figures.js'

const figures = suiteFigures('fuzzing')
const ROBUSTNESS_RUNS = 400
const LOCALITY_RUNS = 300
/** Generous for a loaded CI machine; a quadratic blow-up on these sizes takes far longer. */
const SLOW_CALL_MS = 1000

const EDITORS: Record<string, Editor> = {
  editWorkload,
  editKustomize,
  editHelmValues,
  editTagFile,
  editArgocdSource
}

let slowest = 0

/** Run `fn`, remember the slowest call, and say what went wrong ('' when nothing did). */
function timed<T>(fn: () => T): { value?: T; thrown?: unknown; ms: number } {
  const started = performance.now()
  try {
    const value = fn()
    return { value, ms: performance.now() - started }
  } catch (thrown) {
    return { thrown, ms: performance.now() - started }
  } finally {
    slowest = Math.max(slowest, performance.now() - started)
  }
}

const describeThrown = (thrown: unknown) =>
  thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown)

// ---------------------------------------------------------------------------------------
// Shared arbitraries

const HEX = [...'0123456789abcdef']
const hex64 = fc.string({ unit: fc.constantFrom(...HEX), minLength: 64, maxLength: 64 })
const digestArb = hex64.map(h => `sha256:${h}`)
const REPOS = [
  'ghcr.io/acme/api',
  'nginx',
  'docker.io/library/nginx',
  'localhost:5000/tools/x',
  'quay.io/a/b',
  'registry.example.com:8443/team/app'
]
const repoArb = fc.constantFrom(...REPOS)
const tagArb = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}$/),
  fc.constantFrom('1.20', '0755', '1e3', 'true', 'yes', 'on', 'null', '1234', 'v1.2.3', '~')
)

/**
 * Any image, tag and digest text — also invalid ones, which the settings would refuse — but,
 * as the settings guarantee, a tag or a digest (an update without either asks for nothing).
 */
const updateArb: fc.Arbitrary<ImageUpdate> = fc
  .record({
    image: fc.oneof(repoArb, fc.constantFrom('', 'Upper/Case', 'a b', 'x@y', ':')),
    tag: fc.option(fc.oneof(tagArb, fc.string({ maxLength: 6 })), { nil: undefined }),
    digest: fc.option(fc.oneof(digestArb, fc.constantFrom('sha256:', 'md5:x')), { nil: undefined })
  })
  .filter(u => Boolean(u.tag) || Boolean(u.digest))
  .map(({ image, tag, digest }) => ({
    image,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {})
  }))
const updatesArb = fc.array(updateArb, { minLength: 1, maxLength: 3 })

const optionsArb: fc.Arbitrary<EditOptions> = fc.record({
  key: fc.option(
    fc.constantFrom(
      'image.tag',
      'image',
      'images[0].tag',
      'IMAGE_TAG',
      'a.b[1].c',
      '',
      'x..y',
      '[0]',
      'tag'
    ),
    { nil: undefined }
  ),
  createMissing: fc.boolean()
})

/** Pieces of every supported format, glued at random: mostly broken YAML, sometimes not. */
const SOUP = [
  'images:',
  '- name: ',
  'newTag: ',
  'newName: ',
  'digest: ',
  'image: ',
  'containers:',
  'initContainers:',
  'repository: ',
  'registry: ',
  'tag: ',
  'kustomize:',
  'helm:',
  'parameters:',
  'value: ',
  'forcestring: true',
  'apiVersion: v1',
  'kind: Deployment',
  'kind: Kustomization',
  'IMAGE_TAG=',
  'export ',
  '  ',
  '    ',
  '\n',
  '\r\n',
  '\t',
  '- ',
  '? ',
  ': ',
  '&a ',
  '*a',
  '<<: *a',
  '{',
  '}',
  '[',
  ']',
  ',',
  '"',
  "'",
  '#',
  '|',
  '>-',
  '!!str ',
  '---\n',
  '...\n',
  '%YAML 1.2\n',
  '\uFEFF',
  ...REPOS,
  ':1.0',
  ':1.20',
  '@sha256:',
  'é',
  '日'
]
const soupArb = fc
  .array(fc.oneof(fc.constantFrom(...SOUP), fc.string({ maxLength: 4 })), { maxLength: 60 })
  .map(parts => parts.join(''))

// ---------------------------------------------------------------------------------------
// Generated manifests: lines, some of which hold one value between a fixed prefix and suffix.

interface ValueLine {
  readonly prefix: string
  readonly value: string
  readonly suffix: string
}
type Line = string | ValueLine
interface Generated {
  readonly lines: readonly Line[]
  readonly newline: '\n' | '\r\n'
  readonly finalNewline: boolean
  readonly bom: boolean
}

const render = (line: Line) =>
  typeof line === 'string' ? line : line.prefix + line.value + line.suffix
function textOf(doc: Generated): string {
  const body = doc.lines.map(render).join(doc.newline)
  return (doc.bom ? '\uFEFF' : '') + body + (doc.finalNewline ? doc.newline : '')
}

const layoutArb = fc.record({
  newline: fc.constantFrom<'\n' | '\r\n'>('\n', '\r\n'),
  finalNewline: fc.boolean(),
  bom: fc.boolean()
})
const commentArb = fc.constantFrom(
  '',
  ' # keep me',
  ' #: not a key',
  '  # ::set-output x',
  ' # 日本 é'
)
type Style = 'plain' | 'single' | 'double'
const styleArb = fc.constantFrom<Style>('plain', 'single', 'double')
const quoted = (value: string, style: Style) =>
  style === 'double' ? JSON.stringify(value) : style === 'single' ? `'${value}'` : value

const referenceArb = fc
  .record({
    repo: repoArb,
    tag: fc.option(tagArb, { nil: undefined }),
    digest: fc.option(digestArb, { nil: undefined })
  })
  .map(r => formatReference({ name: r.repo, tag: r.tag, digest: r.digest }))

/** A value line: the prefix ends where the value's source starts (quote included). */
const valueLine = (prefix: string, value: string, style: Style, comment: string): ValueLine => ({
  prefix,
  value: quoted(value, style),
  suffix: comment
})

const workloadArb = fc
  .record({
    containers: fc.array(fc.record({ ref: referenceArb, style: styleArb, comment: commentArb }), {
      minLength: 1,
      maxLength: 4
    }),
    kind: fc.constantFrom('Deployment', 'CronJob', 'Pod'),
    layout: layoutArb
  })
  .map(({ containers, kind, layout }): Generated => ({
    ...layout,
    lines: [
      'apiVersion: apps/v1',
      `kind: ${kind}`,
      'metadata:',
      '  name: app # the app',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      ...containers.flatMap((c, i) => [
        `        - name: c${i}`,
        valueLine('          image: ', c.ref, c.style, c.comment)
      ])
    ]
  }))

const kustomizeArb = fc
  .record({
    entries: fc.array(
      fc.record({
        repo: repoArb,
        tag: tagArb,
        style: styleArb,
        comment: commentArb,
        newName: fc.boolean()
      }),
      { minLength: 1, maxLength: 4 }
    ),
    layout: layoutArb
  })
  .map(({ entries, layout }): Generated => ({
    ...layout,
    lines: [
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'resources: [deployment.yaml]',
      'images:',
      ...entries.flatMap(e => [
        `  - name: ${e.repo}`,
        ...(e.newName ? ['    newName: mirror.example.com/app # mirrored'] : []),
        valueLine('    newTag: ', e.tag, e.style, e.comment)
      ])
    ]
  }))

const helmArb = fc
  .record({
    repo: repoArb,
    tag: tagArb,
    style: styleArb,
    comment: commentArb,
    sidecar: referenceArb,
    sidecarStyle: styleArb,
    layout: layoutArb
  })
  .map((h): Generated => ({
    ...h.layout,
    lines: [
      'replicaCount: 2',
      'image:',
      `  repository: ${h.repo}`,
      valueLine('  tag: ', h.tag, h.style, h.comment),
      '  pullPolicy: IfNotPresent',
      'sidecar:',
      valueLine('  image: ', h.sidecar, h.sidecarStyle, h.comment),
      'service: {port: 80}'
    ]
  }))

const argocdArb = fc
  .record({
    entries: fc.array(fc.record({ ref: referenceArb, style: styleArb, comment: commentArb }), {
      minLength: 1,
      maxLength: 3
    }),
    layout: layoutArb
  })
  .map(({ entries, layout }): Generated => ({
    ...layout,
    lines: [
      'kustomize:',
      '  images:',
      ...entries.map(e => valueLine('    - ', e.ref, e.style, e.comment))
    ]
  }))

const tagFileArb = fc
  .record({
    tag: tagArb,
    before: fc.constantFrom('', ' ', '\t'),
    after: fc.constantFrom('', ' ', '  '),
    layout: layoutArb
  })
  .map(({ tag, before, after, layout }): Generated => ({
    ...layout,
    lines: [{ prefix: before, value: tag, suffix: after }]
  }))

const dotenvArb = fc
  .record({
    tag: tagArb,
    quote: fc.constantFrom('', '"', "'"),
    comment: commentArb,
    layout: layoutArb
  })
  .map(({ tag, quote, comment, layout }): Generated => ({
    ...layout,
    lines: [
      '# image for the deploy script',
      'APP_NAME=api',
      { prefix: `IMAGE_TAG=${quote}`, value: tag, suffix: `${quote}${comment}` },
      'REPLICAS=2'
    ]
  }))

/** Updates for images the document holds (so most runs edit), or any image. */
const editingUpdatesArb = fc.array(
  fc
    .record({
      image: fc.oneof(
        { weight: 4, arbitrary: repoArb },
        { weight: 1, arbitrary: fc.constant('ghcr.io/other/x') }
      ),
      tag: tagArb,
      digest: fc.option(digestArb, { nil: undefined })
    })
    .map(u => ({ image: u.image, tag: u.tag, ...(u.digest ? { digest: u.digest } : {}) })),
  { minLength: 1, maxLength: 3 }
)
const tagOnlyUpdatesArb = editingUpdatesArb.map(updates =>
  updates.map(({ image, tag }) => ({ image, tag }))
)

// ---------------------------------------------------------------------------------------
// Verdicts

/**
 * '' when the result honours the editor contract on `text`, else what is wrong. An edit may
 * show the same value before and after: `newTag: true` becomes `newTag: "true"` (a string).
 */
function contractProblem(text: string, result: EditResult): string {
  if (!result.ok) {
    if (!(result.error instanceof HandoffError))
      return `error is not a HandoffError: ${String(result.error)}`
    return result.error.code === 'INTERNAL' ? `INTERNAL error: ${result.error.message}` : ''
  }
  if (typeof result.text !== 'string') return 'text is not a string'
  if ((result.text === text) !== (result.edits.length === 0))
    return `text ${result.text === text ? 'unchanged' : 'changed'} but ${result.edits.length} edit(s) reported`
  const bad = result.edits.find(e => !(e.line >= 1 && e.column >= 1))
  return bad ? `implausible edit ${JSON.stringify(bad)}` : ''
}

const splitLines = (text: string) => text.split('\n')

/**
 * Lines outside [first reported line − 1, last reported line + 1] must keep their bytes:
 * compared from the start and from the end, so a line added or removed next to an edit
 * (kustomize newTag/digest) is allowed and nothing else is.
 */
function localityProblem(text: string, result: EditResult): string {
  if (!result.ok || result.text === text) return ''
  const before = splitLines(text)
  const after = splitLines(result.text)
  const lines = result.edits.map(e => e.line)
  const first = Math.min(...lines)
  const last = Math.max(...lines)
  let head = 0
  while (head < before.length && head < after.length && before[head] === after[head]) head++
  let tail = 0
  while (
    tail < before.length - head &&
    tail < after.length - head &&
    before[before.length - 1 - tail] === after[after.length - 1 - tail]
  )
    tail++
  const firstChanged = head + 1
  const lastChanged = before.length - tail
  if (firstChanged < first - 1)
    return `line ${firstChanged} changed, before the first edit (line ${first})`
  if (lastChanged > last + 1)
    return `line ${lastChanged} changed, after the last edit (line ${last})`
  return ''
}

/** Strict locality on a generated document: only values change, only on reported lines. */
function strictProblem(doc: Generated, result: EditResult): string {
  if (!result.ok) return ''
  let out = result.text
  const bom = doc.bom ? '\uFEFF' : ''
  if (!out.startsWith(bom)) return 'BOM lost'
  out = out.slice(bom.length)
  if (doc.finalNewline !== out.endsWith(doc.newline)) return 'final newline changed'
  if (doc.finalNewline) out = out.slice(0, -doc.newline.length)
  const lines = out.split(doc.newline)
  if (lines.length !== doc.lines.length) return `${doc.lines.length} lines became ${lines.length}`
  const reported = new Set(result.edits.map(e => e.line))
  for (const [index, line] of doc.lines.entries()) {
    const now = lines[index]
    if (typeof line === 'string') {
      if (now !== line)
        return `fixed line ${index + 1} changed: ${JSON.stringify(line)} → ${JSON.stringify(now)}`
      continue
    }
    if (now === render(line)) continue
    if (
      !now.startsWith(line.prefix) ||
      !now.endsWith(line.suffix) ||
      now.length < line.prefix.length + line.suffix.length
    )
      return `bytes around the value of line ${index + 1} changed: ${JSON.stringify(render(line))} → ${JSON.stringify(now)}`
    if (!reported.has(index + 1)) return `line ${index + 1} changed but no edit reports it`
  }
  return ''
}

// ---------------------------------------------------------------------------------------
// Properties

describe('image reference parser', () => {
  const referenceSoup = fc
    .array(
      fc.oneof(
        fc.constantFrom(
          'ghcr.io',
          'localhost',
          ':5000',
          '/',
          'acme',
          'api',
          ':',
          '@',
          'sha256:',
          'sha512:',
          '.',
          '-',
          '_',
          '__',
          '[::1]',
          'docker.io',
          'library',
          'A',
          ' ',
          '\n',
          'é',
          '%'
        ),
        hex64,
        fc.string({ maxLength: 3 })
      ),
      { maxLength: 25 }
    )
    .map(parts => parts.join(''))
  const anyText = fc.oneof(
    referenceSoup,
    fc.string({ maxLength: 300 }),
    fc.string({ unit: 'binary', maxLength: 100 })
  )

  it('parseReference returns a reference that formats back to the input, or throws INVALID_REFERENCE', () => {
    let valid = 0
    fc.assert(
      fc.property(anyText, text => {
        const run = timed(() => parseReference(text))
        figures.add('fuzz cases: reference parser')
        if (run.ms > SLOW_CALL_MS) return false
        if (run.thrown !== undefined)
          return run.thrown instanceof HandoffError && run.thrown.code === 'INVALID_REFERENCE'
        const ref = run.value!
        valid++
        return (
          formatReference(ref) === text &&
          (ref.tag === undefined || isValidTag(ref.tag)) &&
          (ref.digest === undefined || isValidDigest(ref.digest)) &&
          tryParseReference(text) !== undefined
        )
      }),
      { numRuns: ROBUSTNESS_RUNS * 2 }
    )
    expect(valid).toBeGreaterThan(0)
  })

  it('splitLoose gives the value back; repositoryMatches and normalizeName never throw untyped', () => {
    fc.assert(
      fc.property(anyText, anyText, (a, b) => {
        figures.add('fuzz cases: reference parser')
        const loose = splitLoose(a)
        const back =
          loose.name +
          (loose.tag !== undefined ? `:${loose.tag}` : '') +
          (loose.digest !== undefined ? `@${loose.digest}` : '')
        const matches = timed(() => [repositoryMatches(a, b), repositoryMatches(a, a)])
        const normal = timed(() => normalizeName(a))
        return (
          back === a &&
          matches.thrown === undefined &&
          matches.value![1] === true &&
          (normal.thrown === undefined || normal.thrown instanceof HandoffError)
        )
      }),
      { numRuns: ROBUSTNESS_RUNS }
    )
  })

  it.each([
    { name: '100,000 × "a"', text: 'a'.repeat(100_000) },
    { name: 'long path of short components', text: `ghcr.io/${'a/'.repeat(20_000)}x` },
    { name: 'separators only', text: '._-'.repeat(30_000) },
    { name: 'digest-like garbage', text: `x@sha256:${'0'.repeat(100_000)}` },
    { name: 'colons', text: ':'.repeat(100_000) }
  ])('pathological input answers quickly: $name', ({ text }) => {
    const run = timed(() => tryParseReference(text))
    figures.add('fuzz cases: reference parser')
    expect({ thrown: run.thrown, quick: run.ms < SLOW_CALL_MS }).toEqual({
      thrown: undefined,
      quick: true
    })
  })
})

describe.each(Object.entries(EDITORS))('%s', (name, edit) => {
  it('on arbitrary text: no throw, typed errors, consistent edits, local changes, quick', () => {
    const mutated = fc
      .tuple(
        fc.oneof(workloadArb, kustomizeArb, helmArb, argocdArb, dotenvArb),
        fc.nat(),
        fc.nat({ max: 8 }),
        fc.constantFrom(...SOUP)
      )
      .map(([doc, at, cut, insert]) => {
        const text = textOf(doc)
        const i = at % (text.length + 1)
        return text.slice(0, i) + insert + text.slice(i + cut)
      })
    const textArb = fc.oneof(soupArb, mutated, fc.string({ maxLength: 200 }))
    fc.assert(
      fc.property(textArb, updatesArb, optionsArb, (text, updates, options) => {
        const run = timed(() => edit(text, updates, options))
        figures.add('fuzz cases: editors')
        const problem =
          run.thrown !== undefined
            ? `threw ${describeThrown(run.thrown)}`
            : run.ms > SLOW_CALL_MS
              ? `took ${Math.round(run.ms)} ms`
              : contractProblem(text, run.value!) ||
                (options.createMissing ? '' : localityProblem(text, run.value!))
        if (problem) throw new Error(`${name}: ${problem}`)
      }),
      { numRuns: ROBUSTNESS_RUNS }
    )
  })
})

interface LocalityCase {
  name: string
  editor: Editor
  docs: fc.Arbitrary<Generated>
  updates: fc.Arbitrary<ImageUpdate[]>
  options: EditOptions
}

const LOCALITY: LocalityCase[] = [
  {
    name: 'editWorkload',
    editor: editWorkload,
    docs: workloadArb,
    updates: editingUpdatesArb,
    options: { createMissing: false }
  },
  {
    name: 'editKustomize',
    editor: editKustomize,
    docs: kustomizeArb,
    updates: tagOnlyUpdatesArb,
    options: { createMissing: false }
  },
  {
    name: 'editHelmValues',
    editor: editHelmValues,
    docs: helmArb,
    updates: tagOnlyUpdatesArb,
    options: { createMissing: false }
  },
  {
    name: 'editArgocdSource',
    editor: editArgocdSource,
    docs: argocdArb,
    updates: editingUpdatesArb,
    options: { createMissing: false }
  },
  {
    name: 'editTagFile (whole file)',
    editor: editTagFile,
    docs: tagFileArb,
    updates: tagOnlyUpdatesArb.map(u => u.slice(0, 1)),
    options: { createMissing: false }
  },
  {
    name: 'editTagFile (dotenv key)',
    editor: editTagFile,
    docs: dotenvArb,
    updates: tagOnlyUpdatesArb.map(u => u.slice(0, 1)),
    options: { key: 'IMAGE_TAG', createMissing: false }
  }
]

describe('locality on generated manifests', () => {
  it.each(LOCALITY)('$name changes only values, only on reported lines', c => {
    let edited = 0
    fc.assert(
      fc.property(c.docs, c.updates, (doc, updates) => {
        const text = textOf(doc)
        const run = timed(() => c.editor(text, updates, c.options))
        figures.add('fuzz cases: editors')
        if (run.thrown !== undefined) throw new Error(`threw ${describeThrown(run.thrown)}`)
        const result = run.value!
        if (result.ok && result.text !== text) edited++
        const problem = contractProblem(text, result) || strictProblem(doc, result)
        if (problem) throw new Error(problem)
      }),
      { numRuns: LOCALITY_RUNS }
    )
    // Not vacuous: a fair share of the runs really edited something.
    expect(edited).toBeGreaterThan(LOCALITY_RUNS / 5)
  })
})

describe('planEdits', () => {
  const pathArb = fc.constantFrom(
    'kustomization.yaml',
    'values.yaml',
    '.argocd-source-app.yaml',
    'VERSION',
    'deploy.yaml',
    'k/Kustomization'
  )
  const bytesArb = fc.oneof(
    soupArb.map(text => Buffer.from(text, 'utf8')),
    fc
      .oneof(workloadArb, kustomizeArb, helmArb, argocdArb, tagFileArb)
      .map(doc => Buffer.from(textOf(doc), 'utf8')),
    fc.uint8Array({ maxLength: 200 }).map(bytes => Buffer.from(bytes))
  )
  const fileArb = fc.record({ path: pathArb, content: bytesArb })

  it('on arbitrary bytes: every file ends in exactly one of changes, unchanged, errors; no throw, no INTERNAL', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fileArb, { minLength: 1, maxLength: 3, selector: f => f.path }),
        updatesArb,
        fc.constantFrom<'auto' | 'workload' | 'kustomize' | 'helm' | 'tag-file' | 'argocd-source'>(
          'auto',
          'workload',
          'kustomize',
          'helm',
          'tag-file',
          'argocd-source'
        ),
        fc.record({
          key: fc.option(fc.constantFrom('image.tag', 'IMAGE_TAG'), { nil: undefined }),
          createMissing: fc.option(fc.boolean(), { nil: undefined })
        }),
        (files, updates, format, options) => {
          const run = timed(() => planEdits({ files, updates, format, options }))
          figures.add('fuzz cases: planner')
          if (run.thrown !== undefined) throw new Error(`threw ${describeThrown(run.thrown)}`)
          if (run.ms > SLOW_CALL_MS) throw new Error(`took ${Math.round(run.ms)} ms`)
          const plan = run.value!
          const seen = [
            ...plan.changes.map(c => c.path),
            ...plan.unchanged,
            ...plan.errors.map(e => e.file)
          ]
          const internal = plan.errors.find(
            e => !(e instanceof HandoffError) || e.code === 'INTERNAL'
          )
          if (internal) throw new Error(`INTERNAL: ${internal.message}`)
          if (seen.length !== files.length || files.some(f => !seen.includes(f.path)))
            throw new Error(`files accounted for: ${JSON.stringify(seen)}`)
          const bad = plan.changes.find(c => {
            const input = files.find(f => f.path === c.path)!
            return (
              !c.before.equals(input.content) ||
              c.after.equals(input.content) ||
              c.edits.length === 0
            )
          })
          if (bad) throw new Error(`change of ${bad.path} is inconsistent`)
        }
      ),
      { numRuns: ROBUSTNESS_RUNS }
    )
  })

  it('slowest single call stays far below the limit', () => {
    figures.add('most ms one fuzzed call took', Math.ceil(slowest))
    expect(slowest).toBeLessThan(SLOW_CALL_MS)
  })
})
