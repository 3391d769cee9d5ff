/**
 * Targets: the concrete list of repository files to edit. Validates path patterns (no `..`,
 * no absolute paths, no backslashes, nothing under `.github/`) before any request, and
 * resolves glob patterns against the branch's file list.
 */
import picomatch from 'picomatch'
import { HandoffError, quote } from './errors.js'
import { Inputs } from './constants.js'

const GLOB_CHARS = /[*?[\]{}]/

/** A problem with one path pattern, or undefined when it is acceptable. */
export function checkPathPattern(
  pattern: string,
  input: string = Inputs.Path
): HandoffError | undefined {
  const refuse = (why: string, hint: string): HandoffError =>
    new HandoffError('INVALID_PATH', `Input "${input}": path ${quote(pattern)} ${why}`, {
      input,
      hint
    })
  const relative =
    'Give a path relative to the manifest repository root, e.g. "apps/api/overlays/dev/kustomization.yaml".'
  if (/[\u0000-\u001f\u007f]/.test(pattern)) return refuse('contains control characters', relative)
  if (pattern.includes('\\'))
    return refuse('contains a backslash', 'Use forward slashes: "apps/api/values.yaml".')
  if (pattern.startsWith('/') || /^[A-Za-z]:/.test(pattern)) return refuse('is absolute', relative)
  const segments = pattern.split('/')
  if (segments.some(s => s === '..')) return refuse('contains a ".." segment', relative)
  if (segments.some(s => s === '' || s === '.'))
    return refuse('has an empty or "." segment', relative)
  // A glob such as "**/deployment.yaml" is fine: its .github/ matches are dropped when it is
  // expanded. A pattern that itself names .github/ (".github/…", ".git*/…") is refused.
  if (segments[0].toLowerCase() === '.github' || namesGithubDir(segments[0])) {
    return refuse(
      'is under .github/, which this action never edits',
      'Workflow files run with the workflow\'s secrets; keep deployment manifests outside ".github/".'
    )
  }
  return undefined
}

/** A glob segment that spells out a leading dot and matches ".github" (not plain `*`/`**`). */
function namesGithubDir(segment: string): boolean {
  return GLOB_CHARS.test(segment) && picomatch.isMatch('.github', segment, { nocase: true })
}

export function isGlob(pattern: string): boolean {
  return GLOB_CHARS.test(pattern)
}

/** Files under .github/ are never targets, whatever a glob says. */
function isProtectedPath(path: string): boolean {
  return path.toLowerCase().startsWith('.github/')
}

/**
 * A repository path for a log line: as it is, or JSON-quoted when it holds control
 * characters (git allows a newline in a file name; printed raw it could act as a command).
 */
export function shownPath(path: string): string {
  return /[\u0000-\u001f\u007f]/.test(path) ? JSON.stringify(path) : path
}

/**
 * Expand patterns against the branch's files. Plain paths pass through (their existence is
 * checked by the read); a glob that matches nothing is an error. Order is stable: patterns in
 * the order given, matches of one glob sorted; duplicates removed.
 */
export function expandPatterns(
  patterns: readonly string[],
  files: readonly string[]
): string[] | HandoffError {
  const result = new Set<string>()
  for (const pattern of patterns) {
    if (!isGlob(pattern)) {
      result.add(pattern)
      continue
    }
    const match = picomatch(pattern, { dot: true })
    const matches = files.filter(file => match(file) && !isProtectedPath(file)).sort()
    if (matches.length === 0) {
      return new HandoffError(
        'NO_MATCH',
        `Input "path": pattern ${quote(pattern)} matches no file on the branch`,
        {
          input: Inputs.Path,
          hint: 'Check the pattern against the repository tree (globs are matched from the repository root; "**" spans directories).'
        }
      )
    }
    for (const file of matches) result.add(file)
  }
  return [...result]
}
