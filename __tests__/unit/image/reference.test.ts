/**
 * Our reference API: strict parsing with errors that quote the value and name the rule,
 * formatting, Docker Hub normalisation and repository matching, the lenient kustomize split;
 * plus properties over generated references and long hostile inputs.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { HandoffError } from '../../../src/errors.js'
import { ANCHORED_NAME, DOMAIN_AND_PORT, REFERENCE } from '../../../src/image/grammar.js'
import { kustomizeNameMatches } from '../../../src/image/kustomize-match.js'
import { parseNormalizedNamed } from '../../../src/image/normalize.js'
import { pathMatch } from '../../../src/image/path-match.js'
import {
  formatReference,
  isValidDigest,
  isValidTag,
  normalizeName,
  parseReference,
  parseRepository,
  repositoryMatches,
  splitLoose,
  tryParseReference
} from '../../../src/image/reference.js'

const SHA256 = `sha256:${'0123456789abcdef'.repeat(4)}`
const SHA512 = `sha512:${'0123456789abcdef'.repeat(8)}`
const REFERENCE_HINT =
  'A valid image reference is [registry[:port]/]path[:tag][@digest] with a lowercase path, ' +
  'for example nginx:1.27, ghcr.io/acme/api:1.4.0 or localhost:5000/app@sha256:<64 hex digits>.'
const REPOSITORY_HINT =
  'A repository is [registry[:port]/]path with a lowercase path and no tag or digest, ' +
  'for example nginx, ghcr.io/acme/api or localhost:5000/app.'

/** What a call threw, as a plain object (or `returned` when it did not throw). */
function thrown(call: () => unknown): unknown {
  try {
    return { returned: call() }
  } catch (error) {
    if (!(error instanceof HandoffError)) return { notHandoffError: error }
    return { code: error.code, message: error.message, hint: error.hint }
  }
}

describe('parseReference', () => {
  it.each([
    { input: 'nginx', ref: { name: 'nginx', domain: '', path: 'nginx' } },
    { input: 'nginx:1.27', ref: { name: 'nginx', domain: '', path: 'nginx', tag: '1.27' } },
    { input: 'acme/api', ref: { name: 'acme/api', domain: '', path: 'acme/api' } },
    {
      input: 'ghcr.io/acme/api:1.4.0',
      ref: { name: 'ghcr.io/acme/api', domain: 'ghcr.io', path: 'acme/api', tag: '1.4.0' }
    },
    {
      input: 'localhost:5000/app',
      ref: { name: 'localhost:5000/app', domain: 'localhost:5000', path: 'app' }
    },
    { input: 'localhost/app', ref: { name: 'localhost/app', domain: 'localhost', path: 'app' } },
    {
      input: 'localhost:5000',
      ref: { name: 'localhost', domain: '', path: 'localhost', tag: '5000' }
    },
    {
      input: '[::1]:5000/team/app:v2',
      ref: { name: '[::1]:5000/team/app', domain: '[::1]:5000', path: 'team/app', tag: 'v2' }
    },
    {
      input: `registry.example.com:5000/team/app@${SHA256}`,
      ref: {
        name: 'registry.example.com:5000/team/app',
        domain: 'registry.example.com:5000',
        path: 'team/app',
        digest: SHA256
      }
    },
    {
      input: `nginx:1.27-alpine@${SHA512}`,
      ref: { name: 'nginx', domain: '', path: 'nginx', tag: '1.27-alpine', digest: SHA512 }
    },
    {
      input: 'Registry.Example.com/a__b--c.d_e:TAG_1',
      ref: {
        name: 'Registry.Example.com/a__b--c.d_e',
        domain: 'Registry.Example.com',
        path: 'a__b--c.d_e',
        tag: 'TAG_1'
      }
    }
  ])('reads $input', ({ input, ref }) => {
    expect(parseReference(input)).toStrictEqual(ref)
  })

  const ref = (input: string, rule: string) => ({
    input,
    error: {
      code: 'INVALID_REFERENCE',
      message: `Invalid image reference ${JSON.stringify(input)}: ${rule}`,
      hint: REFERENCE_HINT
    }
  })
  const tagRule = (tag: string) =>
    `invalid reference format: tag ${JSON.stringify(tag)} must be 1 to 128 letters, digits, "_", "." or "-", not starting with "." or "-"`
  const hostRule = (host: string) =>
    `invalid reference format: registry "${host}" is not a host name, IPv4 address or [IPv6] address with an optional :port`

  it.each([
    ref('Foo/bar', 'repository name must be lowercase'),
    ref('ghcr.io/Acme/api', 'repository name must be lowercase'),
    ref('', 'repository name must have at least one component'),
    ref(':1.0', 'invalid reference format: the repository name is missing'),
    ref('nginx:', tagRule('')),
    ref('nginx:-rc1', tagRule('-rc1')),
    ref('nginx:1.0\n', tagRule('1.0\n')),
    ref(`nginx:${'a'.repeat(129)}`, tagRule('a'.repeat(129))),
    ref('acme//api', 'invalid reference format: path "acme//api" has an empty component'),
    ref(
      'nginx ',
      'invalid reference format: path component "nginx " must be lowercase letters and digits separated by ".", "_", "__" or "-"'
    ),
    ref('https://ghcr.io/acme/api', hostRule('https:')),
    ref('foo_bar.com:8080/app', hostRule('foo_bar.com:8080')),
    ref(
      '[fe80::1%25eth0]:5000/repo',
      'invalid reference format: registry "[fe80::1%25eth0]:5000" has an IPv6 zone identifier, which is not allowed'
    ),
    ref(
      '[2001:db8::1]',
      'invalid reference format: an [IPv6] registry must be followed by "/" and a path'
    ),
    ref(
      'nginx@sha256:abc',
      'invalid reference format: digest "sha256:abc" is not <algorithm>:<hex> with at least 32 hex digits'
    ),
    ref(
      `nginx@${SHA256.slice(0, -1)}`,
      'invalid checksum digest length: sha256 takes 64 hex digits, not 63'
    ),
    ref(
      `nginx@${SHA256.toUpperCase().replace('SHA256', 'sha256')}`,
      'invalid checksum digest format: hex digits must be lowercase'
    ),
    ref(
      `nginx@md5:${'a'.repeat(32)}`,
      'unsupported digest algorithm: "md5" (use sha256 or sha512)'
    ),
    {
      input: `ghcr.io/${'a'.repeat(250)}`,
      error: {
        code: 'INVALID_REFERENCE',
        message: `Invalid image reference ${JSON.stringify(`ghcr.io/${'a'.repeat(192)}…`)}: repository name must not be more than 255 characters: this one has 258`,
        hint: REFERENCE_HINT
      }
    }
  ])('refuses $input', ({ input, error }) => {
    expect(thrown(() => parseReference(input))).toEqual(error)
  })
})

describe('tryParseReference', () => {
  it.each([
    { input: 'nginx:1.27', result: { name: 'nginx', domain: '', path: 'nginx', tag: '1.27' } },
    { input: 'CONTAINER_IMAGES_TAG', result: undefined },
    { input: '${IMAGE}', result: undefined }
  ])('$input', ({ input, result }) => {
    expect(tryParseReference(input)).toStrictEqual(result)
  })
})

describe('parseRepository', () => {
  it.each([
    { input: 'nginx', result: { returned: 'nginx' } },
    { input: 'ghcr.io/acme/api', result: { returned: 'ghcr.io/acme/api' } },
    { input: 'localhost:5000/app', result: { returned: 'localhost:5000/app' } },
    {
      input: 'ghcr.io/acme/api:1.0',
      result: {
        code: 'INVALID_REFERENCE',
        message:
          'Invalid image reference "ghcr.io/acme/api:1.0": invalid reference format: a repository has no tag or digest, but this one has a tag ("1.0")',
        hint: REPOSITORY_HINT
      }
    },
    {
      input: `nginx@${SHA256}`,
      result: {
        code: 'INVALID_REFERENCE',
        message: `Invalid image reference "nginx@${SHA256}": invalid reference format: a repository has no tag or digest, but this one has a digest`,
        hint: REPOSITORY_HINT
      }
    },
    {
      input: 'Foo/bar',
      result: {
        code: 'INVALID_REFERENCE',
        message: 'Invalid image reference "Foo/bar": repository name must be lowercase',
        hint: REFERENCE_HINT
      }
    }
  ])('$input', ({ input, result }) => {
    expect(thrown(() => parseRepository(input))).toEqual(result)
  })
})

describe('formatReference', () => {
  it.each([
    { ref: { name: 'nginx' }, text: 'nginx' },
    { ref: { name: 'nginx', tag: '1.27' }, text: 'nginx:1.27' },
    { ref: { name: 'ghcr.io/acme/api', digest: SHA256 }, text: `ghcr.io/acme/api@${SHA256}` },
    {
      ref: { name: 'localhost:5000/app', tag: 'v1', digest: SHA256 },
      text: `localhost:5000/app:v1@${SHA256}`
    },
    { ref: { name: 'nginx', tag: '' }, text: 'nginx:' }
  ])('$text', ({ ref, text }) => {
    expect(formatReference(ref)).toBe(text)
  })

  it.each([
    'nginx',
    'nginx:1.27',
    'ghcr.io/acme/api:1.4.0',
    'localhost:5000/app',
    `[2001:db8::1]:5000/repo@${SHA256}`,
    `acme/api:v1@${SHA512}`
  ])('round-trips %s', text => {
    expect(formatReference(parseReference(text))).toBe(text)
  })
})

describe('normalizeName', () => {
  it.each([
    { name: 'nginx', result: { returned: 'docker.io/library/nginx' } },
    { name: 'docker.io/nginx', result: { returned: 'docker.io/library/nginx' } },
    { name: 'index.docker.io/library/nginx', result: { returned: 'docker.io/library/nginx' } },
    { name: 'index.docker.io/x/y', result: { returned: 'docker.io/x/y' } },
    { name: 'bitnami/redis', result: { returned: 'docker.io/bitnami/redis' } },
    { name: 'library/foo/bar', result: { returned: 'docker.io/library/foo/bar' } },
    { name: 'ghcr.io/acme/api', result: { returned: 'ghcr.io/acme/api' } },
    { name: 'ghcr.io/nginx', result: { returned: 'ghcr.io/nginx' } },
    { name: 'localhost:5000/app', result: { returned: 'localhost:5000/app' } },
    {
      name: 'nginx:1.27',
      result: {
        code: 'INVALID_REFERENCE',
        message:
          'Invalid image reference "nginx:1.27": invalid reference format: a repository has no tag or digest, but this one has a tag ("1.27")',
        hint: REPOSITORY_HINT
      }
    }
  ])('$name', ({ name, result }) => {
    expect(thrown(() => normalizeName(name))).toEqual(result)
  })
})

describe('repositoryMatches', () => {
  it.each([
    { written: 'nginx', wanted: 'nginx', matches: true },
    { written: 'nginx', wanted: 'docker.io/nginx', matches: true },
    { written: 'nginx', wanted: 'docker.io/library/nginx', matches: true },
    { written: 'docker.io/nginx', wanted: 'docker.io/library/nginx', matches: true },
    { written: 'index.docker.io/library/nginx', wanted: 'nginx', matches: true },
    { written: 'library/nginx', wanted: 'nginx', matches: true },
    { written: 'nginx', wanted: 'ghcr.io/nginx', matches: false },
    { written: 'nginx', wanted: 'nginxinc/nginx', matches: false },
    { written: 'ghcr.io/acme/api', wanted: 'ghcr.io/acme/api', matches: true },
    { written: 'ghcr.io/acme/api', wanted: 'ghcr.io/acme/web', matches: false },
    { written: 'ghcr.io/acme/api', wanted: 'acme/api', matches: false },
    { written: 'ghcr.io/acme/api', wanted: 'ghcr.io/acme', matches: false },
    { written: 'localhost:5000/app', wanted: 'localhost:5000/app', matches: true },
    { written: 'localhost:5000/app', wanted: 'localhost:5001/app', matches: false },
    { written: 'localhost:5000/app', wanted: 'localhost/app', matches: false },
    { written: 'localhost:5000/app', wanted: 'app', matches: false },
    { written: 'nginx:1.27', wanted: 'nginx', matches: false },
    { written: 'Foo/bar', wanted: 'foo/bar', matches: false },
    { written: 'CONTAINER_IMAGE', wanted: 'nginx', matches: false },
    { written: '', wanted: 'nginx', matches: false },
    { written: '', wanted: '', matches: true }
  ])('$written vs $wanted → $matches', ({ written, wanted, matches }) => {
    expect([repositoryMatches(written, wanted), repositoryMatches(wanted, written)]).toEqual([
      matches,
      matches
    ])
  })
})

describe('isValidTag and isValidDigest', () => {
  it.each([
    { tag: 'latest', valid: true },
    { tag: '1.27-alpine', valid: true },
    { tag: '_internal', valid: true },
    { tag: 'V1.0', valid: true },
    { tag: 'a'.repeat(128), valid: true },
    { tag: 'a'.repeat(129), valid: false },
    { tag: '', valid: false },
    { tag: '.hidden', valid: false },
    { tag: '-rc', valid: false },
    { tag: 'a+b', valid: false },
    { tag: 'a/b', valid: false }
  ])('tag $tag', ({ tag, valid }) => {
    expect(isValidTag(tag)).toBe(valid)
  })

  it.each([
    { digest: SHA256, valid: true },
    { digest: SHA512, valid: true },
    { digest: SHA256.toUpperCase(), valid: false },
    { digest: `sha256:${'A'.repeat(64)}`, valid: false },
    { digest: SHA256.slice(0, -1), valid: false },
    { digest: `sha512:${'a'.repeat(64)}`, valid: false },
    { digest: `sha384:${'a'.repeat(96)}`, valid: false },
    { digest: SHA256.replace(':', ''), valid: false },
    { digest: `${SHA256} `, valid: false },
    { digest: '', valid: false }
  ])('digest $digest', ({ digest, valid }) => {
    expect(isValidDigest(digest)).toBe(valid)
  })
})

describe('splitLoose', () => {
  it.each([
    { value: 'nginx', parts: { name: 'nginx' } },
    { value: 'nginx:1.27', parts: { name: 'nginx', tag: '1.27' } },
    { value: 'localhost:5000/app', parts: { name: 'localhost:5000/app' } },
    { value: 'localhost:5000/app:v1', parts: { name: 'localhost:5000/app', tag: 'v1' } },
    { value: `app@${SHA256}`, parts: { name: 'app', digest: SHA256 } },
    { value: `app:v1@${SHA256}`, parts: { name: 'app', tag: 'v1', digest: SHA256 } },
    { value: 'nginx:', parts: { name: 'nginx', tag: '' } },
    { value: 'CONTAINER_IMAGES_TAG', parts: { name: 'CONTAINER_IMAGES_TAG' } },
    { value: 'ghcr.io/acme/api:${TAG}', parts: { name: 'ghcr.io/acme/api', tag: '${TAG}' } },
    { value: 'a:b:c', parts: { name: 'a', tag: 'b:c' } },
    { value: '', parts: { name: '' } }
  ])('$value', ({ value, parts }) => {
    expect(splitLoose(value)).toStrictEqual(parts)
  })
})

describe('kustomizeNameMatches', () => {
  it.each([
    { name: 'nginx', image: 'nginx:1.27', matches: true },
    { name: 'nginx', image: 'nginx:{{ .Tag }}', matches: false },
    { name: 'nginx', image: 'nginx:{TAG}', matches: true },
    { name: 'nginx', image: 'docker.io/nginx:1.27', matches: false },
    { name: 'nginx', image: 'nginx-exporter:1', matches: false },
    { name: 'gcr.io:8080/my-project/app', image: 'gcr.io:8080/my-project/app:v1', matches: true },
    // Literal on purpose (kustomize's regexp would let '.' match any character):
    { name: 'gcr.io/app', image: 'gcrxio/app:v1', matches: false },
    { name: '[::1]:5000/app', image: '[::1]:5000/app:v1', matches: true }
  ])('$name selects $image: $matches', ({ name, image, matches }) => {
    expect(kustomizeNameMatches(name, image)).toBe(matches)
  })
})

/** Valid references built from the grammar, part by part. */
const alphanumeric = fc.stringMatching(/^[a-z0-9]{1,5}$/)
const separator = fc.constantFrom('.', '_', '__', '-', '---')
const pathComponent = fc
  .tuple(alphanumeric, fc.array(fc.tuple(separator, alphanumeric), { maxLength: 3 }))
  .map(([head, rest]) => head + rest.map(([sep, alnum]) => sep + alnum).join(''))
const path = fc.array(pathComponent, { minLength: 1, maxLength: 4 }).map(parts => parts.join('/'))
const label = fc.stringMatching(/^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,6}[a-zA-Z0-9])?$/)
const port = fc.integer({ min: 1, max: 65535 }).map(String)
const host = fc.oneof(
  fc.array(label, { minLength: 2, maxLength: 4 }).map(labels => labels.join('.')),
  fc.constant('localhost'),
  fc.stringMatching(/^\[[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}\]$/)
)
const domain = fc.oneof(
  host,
  fc.tuple(fc.oneof(host, label), port).map(([h, p]) => `${h}:${p}`)
)
const tag = fc.stringMatching(/^\w[\w.-]{0,127}$/)
const digest = fc.oneof(
  fc.stringMatching(/^[0-9a-f]{64}$/).map(hex => `sha256:${hex}`),
  fc.stringMatching(/^[0-9a-f]{128}$/).map(hex => `sha512:${hex}`)
)
const validReference = fc
  .record({ domain, path, tag, digest }, { requiredKeys: ['path'] })
  .map(({ domain = '', path, tag, digest }) => {
    const name = domain === '' ? path : `${domain}/${path}`
    return {
      name,
      domain,
      path,
      ...(tag !== undefined ? { tag } : {}),
      ...(digest !== undefined ? { digest } : {})
    }
  })
  // Without a registry, a first component with a '.' (followed by '/') would be read as one.
  .filter(ref => ref.name.length <= 255 && (ref.domain !== '' || !/^[^/]*\.[^/]*\//.test(ref.path)))

const referenceAlphabet = fc.string({
  unit: fc.constantFrom(...'aZ09-._/:@[]%% \n'.split(''), 'sha256:', 'localhost', '__'),
  maxLength: 60
})

describe('properties', () => {
  it('parseReference returns or throws INVALID_REFERENCE, nothing else', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), referenceAlphabet), text => {
        const outcome = thrown(() => parseReference(text)) as { returned?: unknown; code?: string }
        expect('returned' in outcome || outcome.code === 'INVALID_REFERENCE').toBe(true)
      }),
      { numRuns: 2000 }
    )
  })

  it('parses what the grammar builds into its parts, and formats it back', () => {
    fc.assert(
      fc.property(validReference, ref => {
        const text = formatReference(ref)
        const parsed = parseReference(text)
        expect({ parsed, text: formatReference(parsed) }).toStrictEqual({ parsed: ref, text })
      }),
      { numRuns: 1000 }
    )
  })

  it('accepts what upstream ReferenceRegexp accepts, where we do not narrow it on purpose', () => {
    // We narrow it for an uppercase first component (Foo/bar), for a first component with '.'
    // or ':' that is not a valid host, and for digest algorithms; those inputs are skipped.
    const narrowed = (text: string) => {
      const [first, ...rest] = text.split('/')
      const registry = /[.:[]/.test(first) || first === 'localhost'
      const badFirst = registry ? !DOMAIN_AND_PORT.test(first) : /[A-Z]/.test(first)
      return (rest.length > 0 && badFirst) || text.includes('@')
    }
    fc.assert(
      fc.property(fc.oneof(validReference.map(formatReference), referenceAlphabet), text => {
        fc.pre(!narrowed(text))
        expect(tryParseReference(text) !== undefined).toBe(REFERENCE.test(text))
      }),
      { numRuns: 2000 }
    )
  })

  it('splitLoose never throws and loses nothing', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), referenceAlphabet), value => {
        expect(formatReference(splitLoose(value))).toBe(value)
      }),
      { numRuns: 2000 }
    )
  })

  it('repositoryMatches never throws, and is reflexive and symmetric', () => {
    fc.assert(
      fc.property(referenceAlphabet, referenceAlphabet, (a, b) => {
        expect([repositoryMatches(a, a), repositoryMatches(a, b)]).toEqual([
          true,
          repositoryMatches(b, a)
        ])
      }),
      { numRuns: 2000 }
    )
  })
})

/** Long inputs shaped to make a backtracking engine retry; each must finish well within the timeout. */
const N = 10_000
const hostile = [
  { shape: 'letters then a stop', text: `${'a'.repeat(N)}!`, kustomize: false },
  { shape: 'dash runs', text: `a${'-'.repeat(N)}!`, kustomize: false },
  { shape: 'dash separated', text: `${'a-'.repeat(N / 2)}!`, kustomize: false },
  { shape: 'dot separated', text: `${'a.'.repeat(N / 2)}!`, kustomize: false },
  { shape: 'underscores', text: `${'a__'.repeat(N / 3)}_!`, kustomize: false },
  { shape: 'components', text: `${'a/'.repeat(N / 2)}!`, kustomize: false },
  { shape: 'host-like components', text: `${'a-b.c/'.repeat(N / 6)}A`, kustomize: false },
  { shape: 'colons', text: 'a:'.repeat(N / 2), kustomize: false },
  { shape: 'a long port', text: `a:${'1'.repeat(N)}x`, kustomize: true },
  { shape: 'an open bracket', text: `[${'a:'.repeat(N / 2)}`, kustomize: false },
  { shape: 'a long digest', text: `a@sha256:${'f'.repeat(N)}g`, kustomize: true },
  { shape: 'a long algorithm', text: `a@${'a+'.repeat(N / 2)}:${'f'.repeat(40)}`, kustomize: true },
  { shape: 'uppercase', text: `${'A'.repeat(N)}/A`, kustomize: false }
]

describe('hostile inputs', () => {
  it.each(hostile)(
    '$shape is refused in linear time',
    ({ text, kustomize }) => {
      const results = {
        parsed: tryParseReference(text),
        normalized: thrown(() => parseNormalizedNamed(text)),
        regexps: [DOMAIN_AND_PORT, ANCHORED_NAME, REFERENCE].map(re => re.test(text)),
        matches: repositoryMatches(text, `${text}x`),
        kustomize: kustomizeNameMatches('a', text),
        glob: pathMatch(`*a*a*a*a*${'?'.repeat(20)}b`, text),
        split: formatReference(splitLoose(text)) === text
      }
      expect(results).toMatchObject({
        parsed: undefined,
        normalized: { code: 'INVALID_REFERENCE' },
        regexps: [false, false, false],
        matches: false,
        kustomize,
        glob: false,
        split: true
      })
    },
    10_000
  )
})
