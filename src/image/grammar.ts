/**
 * The regular grammar of image references, transcribed from distribution/reference
 * (`regexp.go`). The small anchored pieces are what our parser checks, one part at a time;
 * the composed upstream expressions are exported for code and tests that need upstream's
 * exact matching (submatches included).
 *
 * Every expression here runs in linear time on a backtracking engine: each repetition starts
 * with a character its predecessor cannot end with (a separator after an alphanumeric run, a
 * '.' after a host label, a '/' after a path component), so a failed branch gives up after one
 * character and no input is scanned more than a constant number of times.
 */

const alphanumeric = '[a-z0-9]+'
/** One '.', one or two '_', or any run of '-'. */
const separator = '(?:[._]|__|[-]+)'
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`
const remoteName = `${pathComponent}(?:/${pathComponent})*`

const domainNameComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])'
const domainName = `${domainNameComponent}(?:\\.${domainNameComponent})*`
/** IPv6 in brackets; zone identifiers (`%eth0`) and IPv4-mapped forms are deliberately excluded. */
const ipv6Address = '\\[(?:[a-fA-F0-9:]+)\\]'
const domainAndPort = `(?:${domainName}|${ipv6Address})(?::[0-9]+)?`

const tag = '[\\w][\\w.-]{0,127}'
/** Upstream's reference-level digest shape; the algorithm rules live in digest.ts. */
const digest = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9A-Fa-f]{32,}'
const identifier = '([a-f0-9]{64})'
const namePattern = `(?:${domainAndPort}/)?${remoteName}`

function anchored(source: string): RegExp {
  return new RegExp(`^${source}$`)
}

/** One path component of a repository, e.g. `acme` or `my-app`. */
export const PATH_COMPONENT = anchored(pathComponent)
/** A registry host with optional port: `ghcr.io`, `localhost:5000`, `[::1]:5000`. */
export const DOMAIN_AND_PORT = anchored(domainAndPort)
/** A tag: a word character, then up to 127 word characters, '.' or '-'. */
export const TAG = anchored(tag)
/** Upstream's shape of a digest inside a reference: `algorithm:hex`, at least 32 hex digits. */
export const DIGEST_SHAPE = anchored(digest)
/** A 64-hex image ID (a sha256 digest without its algorithm). */
export const IDENTIFIER = anchored(identifier)

/** Upstream `anchoredNameRegexp`: submatch 1 is the domain ('' or undefined when none), 2 the path. */
export const ANCHORED_NAME = anchored(`(?:(${domainAndPort})/)?(${remoteName})`)
/** Upstream `ReferenceRegexp`: submatches are name, tag and digest. */
export const REFERENCE = anchored(`(${namePattern})(?::(${tag}))?(?:@(${digest}))?`)
