/**
 * Container image references: the distribution/reference grammar (parse, format,
 * normalise) and repository matching. Pure: no I/O.
 *
 * Grammar: `[registry[:port]/]path[:tag][@digest]`. The registry is the first component when
 * it has a '.' or ':', is `localhost` or an `[IPv6]` literal (docker's rule), so `acme/api` is
 * a path. Path components are lowercase; a name has at most 255 characters; a tag is
 * `[\w][\w.-]{0,127}`; a digest is `sha256:<64 hex>` or `sha512:<128 hex>`, lowercase.
 *
 * Where we differ from distribution/reference's `Parse`, on purpose: its `Domain()` is a greedy
 * regexp split (`a/b` has domain `a`); a first component in uppercase (`Foo/bar`) is a path
 * here, hence an uppercase error, not a registry; a first component with '.' or ':' must be a
 * valid host; and sha512 digests are accepted.
 * Docker-style normalisation and upstream-compatible helpers live in normalize.ts.
 */
import { HandoffError } from '../errors.js'
import { TAG } from './grammar.js'
import { canonicalDockerName } from './docker-hub.js'
import {
  INVALID_FORMAT,
  checkReference,
  cutReference,
  digestProblem,
  invalidReference,
  splitRegistry
} from './reference-rules.js'

export interface ImageReference {
  /** The repository as written, registry included when written: 'ghcr.io/acme/api', 'nginx'. */
  readonly name: string
  /** The registry as written, '' when none ('nginx' → ''). */
  readonly domain: string
  /** The name without the registry: 'acme/api', 'nginx'. */
  readonly path: string
  readonly tag?: string
  /** `algorithm:hex`, e.g. 'sha256:<64 hex>'. */
  readonly digest?: string
}

const REPOSITORY_HINT =
  'A repository is [registry[:port]/]path with a lowercase path and no tag or digest, ' +
  'for example nginx, ghcr.io/acme/api or localhost:5000/app.'

/** Parse a reference strictly; throws HandoffError('INVALID_REFERENCE') naming the rule broken. */
export function parseReference(text: string): ImageReference {
  const { name, tag, digest } = cutReference(text)
  return checkReference(text, { ...splitRegistry(name), tag, digest })
}

export function tryParseReference(text: string): ImageReference | undefined {
  try {
    return parseReference(text)
  } catch (error) {
    if (error instanceof HandoffError) return undefined
    throw error
  }
}

/** A repository name only (no tag, no digest), checked like parseReference. */
export function parseRepository(text: string): string {
  return parseName(text).name
}

function parseName(text: string): ImageReference {
  const { tag, digest } = cutReference(text)
  if (tag !== undefined || digest !== undefined) {
    const extra = digest !== undefined ? 'a digest' : `a tag (${JSON.stringify(tag)})`
    const detail = `a repository has no tag or digest, but this one has ${extra}`
    throw invalidReference(text, { rule: INVALID_FORMAT, detail }, REPOSITORY_HINT)
  }
  return parseReference(text)
}

/** `name[:tag][@digest]`; a part that is undefined is left out, an empty string is written. */
export function formatReference(ref: { name: string; tag?: string; digest?: string }): string {
  const tag = ref.tag === undefined ? '' : `:${ref.tag}`
  const digest = ref.digest === undefined ? '' : `@${ref.digest}`
  return `${ref.name}${tag}${digest}`
}

/**
 * Docker Hub's canonical name of a repository: 'nginx' → 'docker.io/library/nginx',
 * 'index.docker.io/x/y' → 'docker.io/x/y'; other registries are left as written.
 * Throws like parseRepository.
 */
export function normalizeName(name: string): string {
  return canonicalDockerName(parseName(name))
}

/**
 * Whether a repository name written in a manifest is the wanted one: textually equal, or equal
 * after normalizeName (so 'nginx', 'docker.io/nginx' and 'docker.io/library/nginx' match each
 * other). Never throws: a name that is not a valid repository matches only itself.
 */
export function repositoryMatches(written: string, wanted: string): boolean {
  if (written === wanted) return true
  const normalized = [written, wanted].map(tryNormalizeName)
  return normalized[0] !== undefined && normalized[0] === normalized[1]
}

function tryNormalizeName(name: string): string | undefined {
  try {
    return normalizeName(name)
  } catch (error) {
    if (error instanceof HandoffError) return undefined
    throw error
  }
}

export function isValidTag(tag: string): boolean {
  return TAG.test(tag)
}

/** `algorithm:hex` with a known algorithm: sha256 takes 64 lowercase hex digits, sha512 128. */
export function isValidDigest(digest: string): boolean {
  return digestProblem(digest) === undefined
}

/**
 * Kustomize's lenient split of a value found in a manifest. Never throws: manifests may hold
 * placeholders such as 'CONTAINER_IMAGES_TAG'. After the first '/' (or in the whole value when
 * there is none), the first '@' starts the digest and a ':' before it starts the tag. A part
 * is present when its separator is, so name, ':' tag and '@' digest always give back the value.
 */
export function splitLoose(value: string): { name: string; tag?: string; digest?: string } {
  const slash = Math.max(value.indexOf('/'), 0)
  const at = value.indexOf('@', slash)
  const colon = value.indexOf(':', slash)
  const tagEnd = at < 0 ? value.length : at
  const hasTag = colon >= 0 && colon < tagEnd
  const nameEnd = hasTag ? colon : tagEnd
  return {
    name: value.slice(0, nameEnd),
    ...(hasTag ? { tag: value.slice(colon + 1, tagEnd) } : {}),
    ...(at >= 0 ? { digest: value.slice(at + 1) } : {})
  }
}
