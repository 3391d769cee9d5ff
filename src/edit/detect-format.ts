/**
 * `format: auto`: which editor a file gets, from its name and a cheap look at its text.
 *
 * Order (SPEC): kustomization file names → kustomize; `.argocd-source*.y(a)ml` → argocd-source;
 * one bare scalar line (or dotenv `KEY=value` lines) → tag-file; YAML documents with
 * top-level `apiVersion` and `kind` → workload, except a Flux `HelmRelease` (its images live
 * under `spec.values`) → helm and a kustomize `Kustomization`/`Component` under another name
 * → kustomize; any other YAML → helm.
 *
 * The look at the text is a line scan, not a parse: the editor parses the file next, and a
 * second full parse of a 2 MB bundle would double the cost of the edit.
 */
import { parse } from 'yaml'
import type { Format } from './types.js'

const KUSTOMIZATION_NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization'])
const ARGOCD_SOURCE = /^\.argocd-source.*\.ya?ml$/
/** A top-level key: at column 0, optionally quoted; the document's root map is block style. */
const TOP_LEVEL = /^(?:"|')?(apiVersion|kind)(?:"|')?[ \t]*:[ \t]*(?:"|')?([^\s"'#]*)/gm
const JSON_KEYS = /"(apiVersion|kind)"\s*:\s*"([^"]*)"/g
const DOTENV_LINE = /^\s*(?:#.*|(?:export\s+)?[A-Za-z_][A-Za-z0-9_.]*=.*)?$/
const KUSTOMIZE_API = /^kustomize\.config\.k8s\.io\//

export function detectFormat(path: string, text: string): Format {
  const base = path.slice(path.lastIndexOf('/') + 1)
  if (KUSTOMIZATION_NAMES.has(base)) return 'kustomize'
  if (ARGOCD_SOURCE.test(base)) return 'argocd-source'
  const body = text.replace(/^\uFEFF/, '')
  if (isTagFile(body)) return 'tag-file'
  const kinds = manifestKinds(body)
  if (kinds.length === 0) return 'helm'
  if (kinds.some(k => k.kind === 'HelmRelease')) return 'helm'
  if (
    kinds.every(k => KUSTOMIZE_API.test(k.apiVersion) && /^(Kustomization|Component)$/.test(k.kind))
  ) {
    return 'kustomize'
  }
  return 'workload'
}

/** Tag and dotenv files are short; a manifest is not split further than this. */
const MAX_TAG_FILE_LINES = 1000

/** One bare scalar line (`v1.2.3`), or dotenv lines with at least one `KEY=value`. */
function isTagFile(text: string): boolean {
  const lines = text.split(/\r?\n/, MAX_TAG_FILE_LINES + 1)
  if (lines.length > MAX_TAG_FILE_LINES) return false
  const filled = lines.filter(l => l.trim() !== '')
  if (filled.length === 1 && isBareScalar(filled[0])) return true
  return (
    filled.some(l => /^\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_.]*=/.test(l)) &&
    lines.every(l => DOTENV_LINE.test(l))
  )
}

function isBareScalar(line: string): boolean {
  if (/^\s*(#|---|\.\.\.)/.test(line)) return false
  try {
    const value: unknown = parse(line, { logLevel: 'silent' })
    return value !== null && typeof value !== 'object'
  } catch {
    return false
  }
}

interface ManifestKind {
  readonly apiVersion: string
  readonly kind: string
}

/** `apiVersion`/`kind` pairs of the documents, from top-level lines (or JSON keys). */
function manifestKinds(text: string): ManifestKind[] {
  const pattern = /^\s*[{[]/.test(text) ? JSON_KEYS : TOP_LEVEL
  const kinds: ManifestKind[] = []
  let apiVersion: string | undefined
  let kind: string | undefined
  for (const match of text.matchAll(pattern)) {
    if (match[1] === 'apiVersion') apiVersion = match[2]
    else kind = match[2]
    if (apiVersion !== undefined && kind !== undefined) {
      kinds.push({ apiVersion, kind })
      apiVersion = kind = undefined
    }
  }
  return kinds
}
