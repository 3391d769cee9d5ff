/**
 * Go's `path.Match`, which distribution/reference's FamiliarMatch uses: `*` matches any run of
 * characters other than '/', `?` one such character, `[...]` a class (`^` negates, `a-z` is a
 * range, `\` escapes) and `\c` the character c. A malformed pattern is an error.
 *
 * Matching follows Go's algorithm, not a regexp translation: a star commits to the first
 * place where the next star-free chunk matches, so the cost is at most length × pattern
 * length, whatever the number of stars.
 */
import { HandoffError, quote } from '../errors.js'

type Token =
  | { readonly kind: 'char'; readonly char: string }
  | { readonly kind: 'any' }
  | { readonly kind: 'class'; readonly negated: boolean; readonly ranges: readonly Range[] }

type Range = readonly [number, number]

/** A run of tokens, preceded by a star or not. */
interface Chunk {
  readonly star: boolean
  readonly tokens: readonly Token[]
}

export function pathMatch(pattern: string, name: string): boolean {
  const chunks = scanPattern(pattern)
  let rest = [...name]
  for (const [index, chunk] of chunks.entries()) {
    if (chunk.star && chunk.tokens.length === 0) return !rest.includes('/')
    const end = findChunk(chunk, rest, index === chunks.length - 1)
    if (end < 0) return false
    rest = rest.slice(end)
  }
  return rest.length === 0
}

/** Where the chunk ends in `chars`; the last chunk must use them all. -1 when it does not fit. */
function findChunk(chunk: Chunk, chars: readonly string[], last: boolean): number {
  for (let skip = 0; skip <= chars.length; skip++) {
    if (skip > 0 && (!chunk.star || chars[skip - 1] === '/')) break
    const end = matchTokens(chunk.tokens, chars, skip)
    if (end >= 0 && (!last || end === chars.length)) return end
  }
  return -1
}

function matchTokens(tokens: readonly Token[], chars: readonly string[], start: number): number {
  let at = start
  for (const token of tokens) {
    const char = chars[at]
    if (char === undefined || !tokenMatches(token, char)) return -1
    at++
  }
  return at
}

function tokenMatches(token: Token, char: string): boolean {
  if (token.kind === 'char') return token.char === char
  if (token.kind === 'any') return char !== '/'
  const code = char.codePointAt(0) ?? -1
  return token.ranges.some(([lo, hi]) => lo <= code && code <= hi) !== token.negated
}

function scanPattern(pattern: string): Chunk[] {
  const chars = [...pattern]
  const chunks: Chunk[] = []
  let at = 0
  while (at < chars.length) {
    const star = chars[at] === '*'
    while (chars[at] === '*') at++
    const tokens: Token[] = []
    while (at < chars.length && chars[at] !== '*') {
      const [token, next] = scanToken(chars, at, pattern)
      tokens.push(token)
      at = next
    }
    chunks.push({ star, tokens })
  }
  return chunks
}

function scanToken(chars: readonly string[], at: number, pattern: string): [Token, number] {
  const char = chars[at]
  if (char === '?') return [{ kind: 'any' }, at + 1]
  if (char === '[') return scanClass(chars, at + 1, pattern)
  if (char !== '\\') return [{ kind: 'char', char }, at + 1]
  if (at + 1 >= chars.length) throw badPattern(pattern)
  return [{ kind: 'char', char: chars[at + 1] }, at + 2]
}

function scanClass(chars: readonly string[], start: number, pattern: string): [Token, number] {
  const negated = chars[start] === '^'
  const ranges: Range[] = []
  let at = negated ? start + 1 : start
  while (chars[at] !== ']' || ranges.length === 0) {
    const [lo, afterLo] = classChar(chars, at, pattern)
    const [hi, afterHi] =
      chars[afterLo] === '-' ? classChar(chars, afterLo + 1, pattern) : [lo, afterLo]
    ranges.push([lo, hi])
    at = afterHi
  }
  return [{ kind: 'class', negated, ranges }, at + 1]
}

/** One character of a class; like Go, an unclosed class or a bare '-' or ']' is malformed. */
function classChar(chars: readonly string[], at: number, pattern: string): [number, number] {
  const first = chars[at]
  if (first === undefined || first === '-' || first === ']') throw badPattern(pattern)
  const [char, next] = first === '\\' ? [chars[at + 1], at + 2] : [first, at + 1]
  if (char === undefined || next >= chars.length) throw badPattern(pattern)
  return [char.codePointAt(0) ?? -1, next]
}

function badPattern(pattern: string): HandoffError {
  return new HandoffError(
    'INVALID_INPUT',
    `Invalid pattern ${quote(pattern)}: syntax error in pattern`,
    {
      hint: 'Patterns use *, ? and [a-z] classes, as in Go path.Match; escape a literal * ? [ or \\ with \\.'
    }
  )
}
