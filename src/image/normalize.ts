/**
 * distribution/reference's docker-style API (`normalize.go`, `helpers.go`, `reference.go`),
 * for callers that must agree with docker and containerd: normalised parsing
 * ('ubuntu' → 'docker.io/library/ubuntu'), familiar names, FamiliarMatch, WithTag/WithDigest,
 * and upstream's regular expressions. Checked against upstream's own test cases
 * (conformance/reference-cases.json). Errors are HandoffError('INVALID_REFERENCE').
 */
import { quote } from '../errors.js'
import { canonicalDocker, familiarName } from './docker-hub.js'
import { DIGEST_SHAPE, IDENTIFIER, TAG } from './grammar.js'
import { pathMatch } from './path-match.js'
import { formatReference, type ImageReference } from './reference.js'
import {
  checkReference,
  cutReference,
  digestProblem,
  invalidReference,
  splitRegistry
} from './reference-rules.js'

export { ANCHORED_NAME, DOMAIN_AND_PORT, IDENTIFIER, REFERENCE } from './grammar.js'
export { familiarName } from './docker-hub.js'

/** What ParseAnyReference returns for a bare digest or a 64-hex image ID. */
export interface DigestReference {
  readonly digest: string
}

export type AnyReference = ImageReference | DigestReference

export function isDigestReference(ref: AnyReference): ref is DigestReference {
  return !('name' in ref)
}

/**
 * Upstream ParseNormalizedNamed: a name without a registry is on docker.io, `library/` is
 * added to a single component there, and an uppercase first component is read as a registry
 * (`Foo/bar`), because Docker Hub has no uppercase namespaces.
 */
export function parseNormalizedNamed(text: string): ImageReference {
  if (IDENTIFIER.test(text)) {
    const detail = 'a 64-character hex string is an image ID, not a repository'
    throw invalidReference(text, { rule: 'invalid repository name', detail })
  }
  const { name, tag, digest } = cutReference(text)
  return checkReference(text, { ...canonicalDocker(dockerSplit(name)), tag, digest })
}

function dockerSplit(name: string): { domain: string; path: string } {
  const split = splitRegistry(name)
  const slash = name.indexOf('/')
  const first = name.slice(0, Math.max(slash, 0))
  if (split.domain !== '' || slash <= 0 || first === first.toLowerCase()) return split
  return { domain: first, path: name.slice(slash + 1) }
}

/** Upstream ParseNamed: ParseNormalizedNamed, but the text must already be in canonical form. */
export function parseNamed(text: string): ImageReference {
  const ref = parseNormalizedNamed(text)
  const canonical = formatReference(ref)
  if (canonical !== text) {
    const detail = `write it as ${quote(canonical)}`
    throw invalidReference(text, { rule: 'repository name must be canonical', detail })
  }
  return ref
}

/** Upstream ParseAnyReference: a 64-hex image ID or a digest alone, else a normalised name. */
export function parseAnyReference(text: string): AnyReference {
  if (IDENTIFIER.test(text)) return { digest: `sha256:${text}` }
  if (digestProblem(text) === undefined) return { digest: text }
  return parseNormalizedNamed(text)
}

/** Upstream ParseDockerRef: normalised, `:latest` when untagged, and a digest wins over a tag. */
export function parseDockerRef(text: string): ImageReference {
  const { tag, digest, ...repository } = parseNormalizedNamed(text)
  return digest !== undefined ? { ...repository, digest } : { ...repository, tag: tag ?? 'latest' }
}

/** Upstream WithTag: the reference with this tag (a digest is kept). */
export function withTag(ref: ImageReference, tag: string): ImageReference {
  if (!TAG.test(tag)) {
    const detail = `tag ${quote(tag)} must be 1 to 128 letters, digits, "_", "." or "-", not starting with "." or "-"`
    throw invalidReference(`${ref.name}:${tag}`, { rule: 'invalid tag format', detail })
  }
  return { ...ref, tag }
}

/**
 * Upstream WithDigest: the reference with this digest (a tag is kept). Like upstream it checks
 * the digest's shape only (algorithm:hex, at least 32 hex digits), not its algorithm or length;
 * parseReference checks both.
 */
export function withDigest(ref: ImageReference, digest: string): ImageReference {
  if (!DIGEST_SHAPE.test(digest)) {
    const detail = `digest ${quote(digest)} is not <algorithm>:<hex> with at least 32 hex digits`
    throw invalidReference(`${ref.name}@${digest}`, { rule: 'invalid digest format', detail })
  }
  return { ...ref, digest }
}

/** The reference as docker shows it: 'docker.io/library/redis:7' → 'redis:7'. */
export function familiarString(ref: AnyReference): string {
  if (isDigestReference(ref)) return ref.digest
  return formatReference({ ...ref, name: familiarName(ref) })
}

/** Upstream FamiliarMatch: the Go path.Match glob against the familiar string, then the familiar name. */
export function familiarMatch(pattern: string, ref: AnyReference): boolean {
  if (pathMatch(pattern, familiarString(ref))) return true
  return !isDigestReference(ref) && pathMatch(pattern, familiarName(ref))
}
