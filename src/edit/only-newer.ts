/**
 * `only-newer: semver`: is a tag a higher semantic version than another? Pure.
 * A leading `v` is allowed; build metadata is ignored; pre-releases order below releases
 * (semver.org §11). Partial versions (`1.4`) are read as `1.4.0`, which is how image tags
 * such as `16-alpine`-less `1.27` are commonly written.
 */
import { HandoffError, quote } from '../errors.js'
import { Inputs } from '../constants.js'

interface SemVer {
  readonly core: readonly number[]
  readonly pre: readonly string[]
}

const SEMVER = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/

export function parseSemver(tag: string): SemVer | undefined {
  const m = SEMVER.exec(tag)
  if (!m) return undefined
  return { core: [m[1], m[2] ?? '0', m[3] ?? '0'].map(Number), pre: m[4] ? m[4].split('.') : [] }
}

function comparePre(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return (a.length === 0 ? 1 : 0) - (b.length === 0 ? 1 : 0)
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === undefined) return -1
    if (b[i] === undefined) return 1
    const an = /^\d+$/.test(a[i])
    const bn = /^\d+$/.test(b[i])
    if (an && bn && Number(a[i]) !== Number(b[i])) return Number(a[i]) - Number(b[i])
    if (an !== bn) return an ? -1 : 1
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1
  }
  return 0
}

export function compareSemver(a: SemVer, b: SemVer): number {
  for (let i = 0; i < 3; i++) if (a.core[i] !== b.core[i]) return a.core[i] - b.core[i]
  return comparePre(a.pre, b.pre)
}

/**
 * True when `next` is strictly newer than `current`. An empty current (nothing deployed yet)
 * is always older. A tag that is not semver is an error naming it.
 */
export function isNewerSemver(next: string, current: string): boolean | HandoffError {
  if (current === '') return true
  const a = parseSemver(next)
  const b = parseSemver(current)
  const bad = !a ? next : !b ? current : undefined
  if (bad !== undefined || !a || !b) {
    return new HandoffError(
      'INVALID_INPUT',
      `Input "only-newer": tag ${quote(bad ?? '')} is not a semantic version`,
      {
        input: Inputs.OnlyNewer,
        hint: 'only-newer: semver compares tags like 1.4.2 or v1.4.2-rc.1; use only-newer: git for commit-SHA tags, or false.'
      }
    )
  }
  return compareSemver(a, b) > 0
}
