/**
 * Upstream conformance: every case of ../shared/conformance/reference-cases.json
 * (distribution/reference) and the kustomize `split` and `match` cases, run through our
 * functions. Each case asserts every field it gives; `errorName` is the Go identifier of
 * `error` and is covered by it. Deliberate differences are listed in KNOWN_DIFFERENCES with
 * their reason, and the test checks that they still differ in exactly those fields.
 */
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { reportMissingShared, sharedPath } from '../../support/shared-fixtures.js'
import { HandoffError } from '../../../src/errors.js'
import { kustomizeNameMatches } from '../../../src/image/kustomize-match.js'
import {
  ANCHORED_NAME,
  DOMAIN_AND_PORT,
  IDENTIFIER,
  REFERENCE,
  familiarMatch,
  familiarName,
  familiarString,
  isDigestReference,
  parseAnyReference,
  parseDockerRef,
  parseNamed,
  parseNormalizedNamed,
  withDigest,
  withTag,
  type AnyReference
} from '../../../src/image/normalize.js'
import {
  formatReference,
  parseReference,
  parseRepository,
  splitLoose,
  type ImageReference
} from '../../../src/image/reference.js'

const conformanceDir = sharedPath('conformance')
const haveShared = fs.existsSync(conformanceDir)

interface ReferenceCase {
  readonly id: string
  readonly kind: string
  readonly input: string
  readonly args?: { readonly tag?: string; readonly digest?: string; readonly pattern?: string }
  readonly [field: string]: unknown
}

interface KustomizeCase {
  readonly id: string
  readonly kind: string
  readonly input: { readonly image: string; readonly name?: string }
  readonly expected: Record<string, unknown>
}

type Outcome = Record<string, unknown>

function load<T>(file: string): T[] {
  if (!haveShared) return []
  const text = fs.readFileSync(path.join(conformanceDir, file), 'utf8')
  return (JSON.parse(text) as { cases: T[] }).cases
}

const referenceCases = load<ReferenceCase>('reference-cases.json')
const kustomizeCases = load<KustomizeCase>('kustomize-image-cases.json')

/** The fields a case may assert; everything else in a case is input or provenance. */
const ASSERTED = [
  'valid',
  'error',
  'name',
  'domain',
  'path',
  'tag',
  'digest',
  'hasTag',
  'hasDigest',
  'string',
  'familiar',
  'familiarString',
  'normalized',
  'digestOnly',
  'matched',
  'submatches'
]
const NOT_ASSERTED = ['id', 'source', 'kind', 'function', 'input', 'args', 'notes', 'errorName']

const SHA512_CASE =
  'reference/parse/validname-sha512-fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff'

const KNOWN_DIFFERENCES: Record<string, { fields: string[]; reason: string }> = {
  [SHA512_CASE]: {
    fields: ['valid', 'error'],
    reason:
      'we accept sha512 digests (128 hex digits), a registered OCI algorithm; upstream calls it ' +
      'unsupported only because its test binary does not link crypto/sha512'
  },
  'reference/parse/a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-':
    {
      fields: ['domain'],
      reason:
        "our domain follows docker's rule (a first component is a registry only with '.', ':' or " +
        "as localhost), so 'a/a/…' has no domain; upstream Parse's Domain() is a greedy regexp split"
    },
  'reference/parse/foo-foo-bar-com-8080': {
    fields: ['domain'],
    reason: "same rule: in 'foo/foo_bar.com:8080', 'foo' is a path component, not a registry"
  }
}

function named(ref: ImageReference): Outcome {
  return {
    name: ref.name,
    domain: ref.domain,
    path: ref.path,
    tag: ref.tag,
    digest: ref.digest,
    hasTag: ref.tag !== undefined,
    hasDigest: ref.digest !== undefined,
    string: formatReference(ref)
  }
}

function normalized(ref: AnyReference): Outcome {
  if (isDigestReference(ref))
    return { digestOnly: true, digest: ref.digest, normalized: ref.digest }
  return {
    ...named(ref),
    digestOnly: false,
    normalized: formatReference(ref),
    familiar: familiarName(ref),
    familiarString: familiarString(ref)
  }
}

/** Upstream's WithName: a repository name only, then split by our parser. */
function nameOnly(input: string): ImageReference {
  return parseReference(parseRepository(input))
}

function withArgs(c: ReferenceCase): ImageReference {
  const base = nameOnly(c.input)
  const digested = c.args?.digest === undefined ? base : withDigest(base, c.args.digest)
  return c.args?.tag === undefined ? digested : withTag(digested, c.args.tag)
}

function regexp(pattern: RegExp, groups: string[], input: string): Outcome {
  const match = pattern.exec(input)
  if (!match) return { valid: false }
  const submatches = match.slice(1).map(group => group ?? '')
  return {
    valid: true,
    submatches,
    ...Object.fromEntries(groups.map((g, i) => [g, submatches[i]]))
  }
}

const RUNNERS: Record<string, (c: ReferenceCase) => Outcome> = {
  Parse: c => named(parseReference(c.input)),
  'Field.UnmarshalText': c => named(parseReference(c.input)),
  WithName: c => named(nameOnly(c.input)),
  // Upstream parses the input with WithName here (ParseNormalizedNamed in the two invalid
  // cases, which fail on the argument either way).
  WithTag: c => named(withArgs(c)),
  WithDigest: c => named(withArgs(c)),
  ParseNamed: c => normalized(parseNamed(c.input)),
  ParseNormalizedNamed: c => normalized(parseNormalizedNamed(c.input)),
  ParseAnyReference: c => normalized(parseAnyReference(c.input)),
  ParseDockerRef: c => normalized(parseDockerRef(c.input)),
  FamiliarMatch: c => ({
    matched: familiarMatch(c.args?.pattern ?? '', parseAnyReference(c.input))
  }),
  'regexp:domainAndPort': c => regexp(DOMAIN_AND_PORT, [], c.input),
  'regexp:anchoredName': c => regexp(ANCHORED_NAME, ['domain', 'path'], c.input),
  'regexp:reference': c => regexp(REFERENCE, ['name', 'tag', 'digest'], c.input),
  'regexp:anchoredIdentifier': c => regexp(IDENTIFIER, [], c.input)
}

/** Upstream's error text is the rule our message names right after the quoted value. */
function ruleOf(error: unknown): string {
  if (!(error instanceof HandoffError) || error.code !== 'INVALID_REFERENCE') throw error
  const match = /^Invalid image reference "(?:[^"\\]|\\.)*": ([^:]+)/.exec(error.message)
  return match ? match[1] : error.message
}

function outcome(c: ReferenceCase): Outcome {
  const run = RUNNERS[c.kind]
  if (run === undefined) throw new Error(`no runner for kind ${c.kind}`)
  if (c.kind.startsWith('regexp:')) return run(c)
  try {
    return { valid: true, ...run(c) }
  } catch (error) {
    return { valid: false, error: ruleOf(error) }
  }
}

function pick(from: Outcome, fields: string[]): Outcome {
  return Object.fromEntries(fields.map(field => [field, from[field]]))
}

function differingFields(actual: Outcome, expected: Outcome): string[] {
  return Object.keys(expected).filter(field => !Object.is(actual[field], expected[field]))
}

describe('conformance fixtures', () => {
  if (haveShared) {
    it('are present with every case', () => {
      expect({ reference: referenceCases.length, kustomize: kustomizeCases.length > 0 }).toEqual({
        reference: 266,
        kustomize: true
      })
    })
  } else {
    reportMissingShared('reference conformance cases', conformanceDir)
  }
})

describe('distribution/reference cases', () => {
  it('name no field outside the asserted and provenance lists', () => {
    const fields = new Set(referenceCases.flatMap(c => Object.keys(c)))
    expect([...fields].filter(f => !ASSERTED.includes(f) && !NOT_ASSERTED.includes(f))).toEqual([])
  })

  it('list known differences only for cases that exist', () => {
    const ids = new Set(referenceCases.map(c => c.id))
    const listed = haveShared ? Object.keys(KNOWN_DIFFERENCES) : []
    expect(listed.filter(id => !ids.has(id))).toEqual([])
  })

  // Jest refuses an empty table: without the fixtures the cases are simply absent.
  if (referenceCases.length === 0) return
  it.each(referenceCases.map(c => ({ ...c, title: `${c.kind} ${c.id}` })))('$title', c => {
    const fields = Object.keys(c).filter(field => ASSERTED.includes(field))
    const expected = pick(c, fields)
    const actual = pick(outcome(c), fields)
    const known = KNOWN_DIFFERENCES[c.id]
    if (known) expect(differingFields(actual, expected)).toEqual(known.fields)
    else expect(actual).toEqual(expected)
  })
})

describe('kustomize cases', () => {
  const split = kustomizeCases.filter(c => c.kind === 'split')
  const match = kustomizeCases.filter(c => c.kind === 'match')
  if (kustomizeCases.length === 0) return

  it.each(split)('split $id', c => {
    const { name, tag, digest } = splitLoose(c.input.image)
    expect({ name, tag: tag ?? '', digest: digest ?? '' }).toEqual(c.expected)
  })

  it.each(match)('match $id', c => {
    expect({ matched: kustomizeNameMatches(c.input.name ?? '', c.input.image) }).toEqual(c.expected)
  })
})
