/**
 * The rules an image reference must follow, checked one part at a time so that an error can
 * name the part and the rule it breaks. Rule texts are upstream's error messages
 * (distribution/reference, opencontainers/go-digest), so a user can search for them; the
 * detail after the rule says what exactly was wrong.
 */
import { HandoffError, quote } from '../errors.js'
import { DOMAIN_AND_PORT, PATH_COMPONENT, TAG } from './grammar.js'
import type { ImageReference } from './reference.js'

/** A broken rule: `rule` is upstream's error text, `detail` names the offending part. */
export interface Problem {
  readonly rule: string
  readonly detail?: string
}

/** A reference cut into its parts, not yet checked. */
export interface Parts {
  readonly domain: string
  readonly path: string
  readonly tag?: string
  readonly digest?: string
}

export const INVALID_FORMAT = 'invalid reference format'
const MAX_NAME_LENGTH = 255

const HINT =
  'A valid image reference is [registry[:port]/]path[:tag][@digest] with a lowercase path, ' +
  'for example nginx:1.27, ghcr.io/acme/api:1.4.0 or localhost:5000/app@sha256:<64 hex digits>.'

export function invalidReference(text: string, problem: Problem, hint = HINT): HandoffError {
  const detail = problem.detail === undefined ? '' : `: ${problem.detail}`
  const message = `Invalid image reference ${quote(text)}: ${problem.rule}${detail}`
  return new HandoffError('INVALID_REFERENCE', message, { hint })
}

/**
 * Cut at the first '@' (the digest) and at a ':' after the last '/' (the tag); checks nothing.
 * Neither a name nor a tag can hold '@', and a name holds ':' only in a registry's port, which
 * always comes before a '/'.
 */
export function cutReference(text: string): { name: string; tag?: string; digest?: string } {
  const at = text.indexOf('@')
  const rest = at < 0 ? text : text.slice(0, at)
  const colon = rest.lastIndexOf(':')
  const hasTag = colon > rest.lastIndexOf('/')
  return {
    name: hasTag ? rest.slice(0, colon) : rest,
    ...(hasTag ? { tag: rest.slice(colon + 1) } : {}),
    ...(at >= 0 ? { digest: text.slice(at + 1) } : {})
  }
}

/**
 * The registry is the first component when it has a '.' or ':' (`ghcr.io`, `localhost:5000`,
 * `[::1]`) or is `localhost`, as docker reads it; otherwise `acme/api` is a path on the default
 * registry, not a host named `acme`. Docker also takes an uppercase first component for a
 * registry; we do not, so `Foo/bar` breaks the lowercase rule instead of naming a host `Foo`.
 */
export function splitRegistry(name: string): { domain: string; path: string } {
  const slash = name.indexOf('/')
  const first = name.slice(0, Math.max(slash, 0))
  const isRegistry = first === 'localhost' || first.startsWith('[') || /[.:]/.test(first)
  return slash > 0 && isRegistry
    ? { domain: first, path: name.slice(slash + 1) }
    : { domain: '', path: name }
}

function nameOf(parts: Pick<Parts, 'domain' | 'path'>): string {
  return parts.domain === '' ? parts.path : `${parts.domain}/${parts.path}`
}

/** Check every part, in reading order; throw the first broken rule as INVALID_REFERENCE. */
export function checkReference(text: string, parts: Parts): ImageReference {
  if (text === '') {
    throw invalidReference(text, { rule: 'repository name must have at least one component' })
  }
  const problem =
    domainProblem(parts.domain) ??
    pathProblem(parts.path) ??
    tagProblem(parts.tag) ??
    lengthProblem(nameOf(parts)) ??
    (parts.digest === undefined ? undefined : digestProblem(parts.digest))
  if (problem) throw invalidReference(text, problem)
  const { domain, path, tag, digest } = parts
  return {
    name: nameOf(parts),
    domain,
    path,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {})
  }
}

function domainProblem(domain: string): Problem | undefined {
  if (domain === '' || DOMAIN_AND_PORT.test(domain)) return undefined
  const detail = domain.includes('%')
    ? `registry ${quote(domain)} has an IPv6 zone identifier, which is not allowed`
    : `registry ${quote(domain)} is not a host name, IPv4 address or [IPv6] address with an optional :port`
  return { rule: INVALID_FORMAT, detail }
}

function pathProblem(path: string): Problem | undefined {
  const components = path.split('/')
  const bad = components.find(component => !PATH_COMPONENT.test(component))
  if (bad === undefined) return undefined
  if (components.every(component => PATH_COMPONENT.test(component.toLowerCase()))) {
    return { rule: 'repository name must be lowercase' }
  }
  if (path === '') return { rule: INVALID_FORMAT, detail: 'the repository name is missing' }
  if (path.startsWith('[')) {
    return { rule: INVALID_FORMAT, detail: 'an [IPv6] registry must be followed by "/" and a path' }
  }
  const detail =
    bad === ''
      ? `path ${quote(path)} has an empty component`
      : `path component ${quote(bad)} must be lowercase letters and digits separated by ".", "_", "__" or "-"`
  return { rule: INVALID_FORMAT, detail }
}

function tagProblem(tag: string | undefined): Problem | undefined {
  if (tag === undefined || TAG.test(tag)) return undefined
  const detail = `tag ${quote(tag)} must be 1 to 128 letters, digits, "_", "." or "-", not starting with "." or "-"`
  return { rule: INVALID_FORMAT, detail }
}

function lengthProblem(name: string): Problem | undefined {
  if (name.length <= MAX_NAME_LENGTH) return undefined
  const rule = `repository name must not be more than ${MAX_NAME_LENGTH} characters`
  return { rule, detail: `this one has ${name.length}` }
}

/** OCI algorithm components are lowercase; the hex part has at least 128 bits. */
const DIGEST = /^([a-z0-9]+(?:[.+_-][a-z0-9]+)*):([a-fA-F0-9]{32,})$/

/** The algorithms registered by the OCI image spec, and the length of their hex encoding. */
const HEX_LENGTH = new Map([
  ['sha256', 64],
  ['sha512', 128]
])

/** go-digest's checks: a known algorithm, its exact hex length, lowercase hex. */
export function digestProblem(digest: string): Problem | undefined {
  const match = DIGEST.exec(digest)
  if (!match) {
    const detail = `digest ${quote(digest)} is not <algorithm>:<hex> with at least 32 hex digits`
    return { rule: INVALID_FORMAT, detail }
  }
  const [, algorithm, hex] = match
  const length = HEX_LENGTH.get(algorithm)
  if (length === undefined) {
    return {
      rule: 'unsupported digest algorithm',
      detail: `${quote(algorithm)} (use sha256 or sha512)`
    }
  }
  if (hex.length !== length) {
    const detail = `${algorithm} takes ${length} hex digits, not ${hex.length}`
    return { rule: 'invalid checksum digest length', detail }
  }
  if (hex !== hex.toLowerCase()) {
    return { rule: 'invalid checksum digest format', detail: 'hex digits must be lowercase' }
  }
  return undefined
}
