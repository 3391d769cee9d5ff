/**
 * Upstream argocd-image-updater conformance (../shared/conformance/image-updater-cases.json):
 *
 * - `helm-get-value`: the key lookup of key-path.ts (nested path first, then dotted keys).
 * - `helm-set-value`: editHelmValues with `key` and create-missing. Upstream compares a go-yaml
 *   re-serialisation, so we compare the parsed result with the parsed expectation, and the
 *   changed lines with the lines the expectation changes (only the value's line may change).
 *   Upstream error messages are Go's; we assert that we fail, with our error code.
 * - `helm-write-back`: several writes in a row; byte-for-byte where `yaml` is given. A write to
 *   `…repository` carries the unchanged image name (gitops-handoff never rewrites repository
 *   names): the lookup must already hold that value, and the name identifies the image.
 * - `safe-plain-scalar`: isSafePlain. We may quote more than upstream, never less.
 * - `document-start`: editArgocdSource keeps (and never adds) a leading `---`.
 * - `kustomize-image-match`, `kustomize-images-find`: the name matching of argocd-source.ts.
 *
 * The other kinds (`parse`, `has-registry-prefix`, `extract-short-form`) are about upstream's
 * image parser, not about editing. Deliberate differences are in EXCEPTIONS with the reason;
 * each is asserted to still differ, so the list cannot go stale.
 */
import fs from 'node:fs'
import { describe, expect, it } from '@jest/globals'
import { reportMissingShared, sharedPath } from '../../support/shared-fixtures.js'
import { diffArrays } from 'diff'
import { parse, parseAllDocuments } from 'yaml'
import {
  editArgocdSource,
  kustomizeEntryMatches,
  kustomizeImageName
} from '../../../src/edit/argocd-source.js'
import { editHelmValues, scalarText } from '../../../src/edit/helm-values.js'
import { keyNotFound, parseKeyPath, resolveKey } from '../../../src/edit/key-path.js'
import { isSafePlain, parseYaml } from '../../../src/edit/yaml-splice.js'
import { HandoffError } from '../../../src/errors.js'

const casesFile = sharedPath('conformance', 'image-updater-cases.json')
const haveShared = fs.existsSync(casesFile)

interface Case {
  readonly id: string
  readonly kind: string
  readonly input: Record<string, unknown>
  readonly expected: Record<string, unknown>
}

const cases: Case[] = haveShared
  ? (JSON.parse(fs.readFileSync(casesFile, 'utf8')) as { cases: Case[] }).cases
  : []

const EXCEPTIONS: Readonly<Record<string, string>> = {
  'updater/kustomize-images-find/x-y':
    'Upstream compares the part before the first delimiter of the *searched* string (none in `x/y`, so ' +
    'it uses ":"), which leaves `x/y=busybox` whole and unequal to `x/y`. We compare image names: the ' +
    'entry `x/y=busybox` is for the image named `x/y`.',
  'updater/document-start/does-not-treat-an-indented-marker-as-a-document-start':
    'The input `   ---` followed by a top-level map is not valid YAML for the `yaml` library (an ' +
    'implicit key over several lines); we refuse it with PARSE_ERROR and write nothing, where upstream ' +
    '(go-yaml) reads it and re-serialises without the marker.'
}

/** The outcome of one case, in the shape of its `expected`. */
const run: Record<string, (c: Case) => Record<string, unknown>> = {
  'helm-get-value': getValue,
  'helm-set-value': setValue,
  'helm-write-back': writeBack,
  'safe-plain-scalar': c => ({ safe: isSafePlain(c.input.value as string) }),
  'document-start': documentStart,
  'kustomize-image-match': c => ({
    matched: kustomizeEntryMatches(
      c.input.other as string,
      kustomizeImageName(c.input.image as string)
    )
  }),
  'kustomize-images-find': c => ({
    found: (c.input.images as string[]).some(e =>
      kustomizeEntryMatches(e, kustomizeImageName(c.input.image as string))
    )
  })
}

function getValue(c: Case): Record<string, unknown> {
  const { yaml, key } = c.input as { yaml: string; key: string }
  const parsed = parseYaml(yaml)
  const parts = parseKeyPath(key)
  if (!parsed.ok || parts instanceof HandoffError) throw new Error(`bad case ${c.id}`)
  const found = resolveKey(parsed.yaml.documents[0], parts)
  if (found.ok) return { value: scalarText(found.node) }
  const message = keyNotFound(key, found, { line: 0, column: 0 }, false).message
  const wanted = c.expected.errorContains as string | undefined
  return { errorContains: wanted !== undefined && message.includes(wanted) ? wanted : message }
}

/** Our error code for each upstream error message of `Test_SetHelmValue`. */
const SET_ERRORS: readonly [RegExp, string][] = [
  [/^unexpected type ScalarNode/, 'KEY_NOT_FOUND'],
  // A negative index is malformed for us (INVALID_INPUT), not an index past the end.
  [/^id -\d+ is out of range/, 'INVALID_INPUT'],
  [/^id \d+ is out of range/, 'KEY_NOT_FOUND'],
  [/must match pattern/, 'INVALID_INPUT'],
  [/^no id provided/, 'KEY_NOT_FOUND'],
  [/is not an yaml array$/, 'KEY_NOT_FOUND']
]

const IMAGE = 'registry.example/conformance'

function setValue(c: Case): Record<string, unknown> {
  const { yaml, key, value } = c.input as { yaml: string; key: string; value: string }
  const result = editHelmValues(yaml, [{ image: IMAGE, tag: value }], { key, createMissing: true })
  if (c.expected.error !== undefined) {
    const code = SET_ERRORS.find(([pattern]) => pattern.test(c.expected.error as string))?.[1]
    return result.ok
      ? { text: result.text }
      : { error: code === result.error.code ? c.expected.error : result.error.code }
  }
  if (!result.ok) return { error: result.error.message }
  return { parsed: parse(result.text), changed: changedLines(yaml, result.text) }
}

/** Lines removed and added between two texts. */
function changedLines(before: string, after: string): { removed: string[]; added: string[] } {
  const parts = diffArrays(before.trim().split('\n'), after.trim().split('\n'))
  return {
    removed: parts.filter(p => p.removed).flatMap(p => p.value),
    added: parts.filter(p => p.added).flatMap(p => p.value)
  }
}

function expectedSet(c: Case): Record<string, unknown> {
  if (c.expected.error !== undefined) return c.expected
  const { yaml } = c.input as { yaml: string }
  const expected = c.expected.yaml as string
  return { parsed: parse(expected), changed: changedLines(yaml, expected) }
}

interface Write {
  readonly key: string
  readonly value: string
}

function writeBack(c: Case): Record<string, unknown> {
  const { yaml, writes } = c.input as { yaml: string; writes: Write[] }
  const image = writes.find(w => w.key.endsWith('.repository'))?.value ?? IMAGE
  let text = yaml
  for (const write of writes) {
    if (write.key.endsWith('.repository')) {
      if (lookup(text, write.key) !== write.value)
        return { error: `${write.key} is not ${write.value}` }
      continue
    }
    const result = editHelmValues(text, [{ image, tag: write.value }], {
      key: write.key,
      createMissing: false
    })
    if (!result.ok) return { error: result.error.message }
    text = result.text
  }
  if (c.expected.yaml !== undefined) return { yaml: text }
  if (c.expected.startsWith !== undefined) {
    const prefix = c.expected.startsWith as string
    return { startsWith: text.startsWith(prefix) ? prefix : text.slice(0, prefix.length) }
  }
  const values = c.expected.values as Record<string, string>
  return { values: Object.fromEntries(Object.keys(values).map(key => [key, lookup(text, key)])) }
}

function lookup(text: string, key: string): string | undefined {
  const parsed = parseYaml(text)
  const parts = parseKeyPath(key)
  if (!parsed.ok || parts instanceof HandoffError) return undefined
  const found = resolveKey(parsed.yaml.documents[0], parts)
  return found.ok ? scalarText(found.node) : undefined
}

function documentStart(c: Case): Record<string, unknown> {
  const result = editArgocdSource(c.input.yaml as string, [{ image: 'baz', tag: '1.0.0' }], {
    createMissing: false
  })
  if (!result.ok) return { error: result.error.code }
  if (c.expected.startsWith !== undefined) {
    const prefix = c.expected.startsWith as string
    return {
      startsWith: result.text.startsWith(prefix) ? prefix : result.text.slice(0, prefix.length)
    }
  }
  const prefix = c.expected.notStartsWith as string
  return { notStartsWith: result.text.startsWith(prefix) ? `starts with ${prefix}` : prefix }
}

function expectedOf(c: Case): Record<string, unknown> {
  return c.kind === 'helm-set-value' ? expectedSet(c) : c.expected
}

const KINDS = Object.keys(run)
const ours = cases.filter(c => KINDS.includes(c.kind))

describe('argocd-image-updater conformance cases', () => {
  if (haveShared) {
    it('cover every editing kind, and every exception names a case', () => {
      const ids = new Set(ours.map(c => c.id))
      expect({
        kinds: [...new Set(ours.map(c => c.kind))].sort(),
        staleExceptions: Object.keys(EXCEPTIONS).filter(id => !ids.has(id))
      }).toEqual({ kinds: [...KINDS].sort(), staleExceptions: [] })
    })
  } else {
    reportMissingShared('image-updater conformance cases', casesFile)
  }

  // Jest refuses an empty table: without the fixtures the cases are simply absent.
  if (ours.length > 0) {
    it.each(
      ours.map(c => ({ c, title: EXCEPTIONS[c.id] ? `${c.id} (exception: still differs)` : c.id }))
    )('$title', ({ c }) => {
      const actual = run[c.kind](c)
      if (EXCEPTIONS[c.id]) expect(actual).not.toEqual(expectedOf(c))
      else expect(actual).toEqual(expectedOf(c))
    })
  }
})

describe('safe-plain-scalar differences are in the safe direction only', () => {
  it('never writes plain what upstream would quote', () => {
    const lessQuoted = cases
      .filter(c => c.kind === 'safe-plain-scalar')
      .filter(c => isSafePlain(c.input.value as string) && c.expected.safe === false)
      .map(c => c.id)
    expect(lessQuoted).toEqual([])
  })

  it('reads every value it writes plain back as the same string', () => {
    const values = cases
      .filter(c => c.kind === 'safe-plain-scalar')
      .map(c => c.input.value as string)
    const changed = values.filter(
      v => isSafePlain(v) && parseAllDocuments(`v: ${v}\n`)[0].toJS().v !== v
    )
    expect(changed).toEqual([])
  })
})
