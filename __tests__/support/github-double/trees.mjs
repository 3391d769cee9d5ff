/**
 * Tree walking and editing over an ObjectStore: look a path up, list a tree (recursively
 * as the trees API does), and build a new tree from a base tree plus path changes, creating
 * intermediate directories and pruning emptied ones the way git and GitHub do.
 */
import { MODES, typeOfMode } from './git-objects.mjs'

/** @typedef {import('./git-objects.mjs').ObjectStore} ObjectStore */
/** @typedef {import('./git-objects.mjs').EntryMode} EntryMode */
/** @typedef {import('./git-objects.mjs').TreeEntry} TreeEntry */
/** @typedef {{ path: string, mode: EntryMode, sha: string | null }} TreeChange `sha: null` deletes the path. */
/** @typedef {{ path: string, mode: EntryMode, type: string, sha: string, size?: number }} ListedEntry */

export const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904'

/** Split a repository path; '' is the root. @param {string} path */
export function splitPath(path) {
  return path.split('/').filter(segment => segment !== '')
}

/** A path is malformed for git when a segment is empty, '.', '..' or holds NUL. @param {string} path */
export function isMalformedPath(path) {
  if (path.startsWith('/') || path.endsWith('/')) return true
  return path.split('/').some(s => s === '' || s === '.' || s === '..' || s.includes('\0'))
}

/**
 * The entry at `path` below tree `treeSha`; the root itself for ''.
 * @param {ObjectStore} store @param {string} treeSha @param {string} path
 * @returns {{ mode: EntryMode, sha: string } | undefined}
 */
export function lookupPath(store, treeSha, path) {
  /** @type {{ mode: EntryMode, sha: string }} */
  let current = { mode: MODES.tree, sha: treeSha }
  for (const segment of splitPath(path)) {
    if (current.mode !== MODES.tree) return undefined
    const entries = store.tree(current.sha) ?? []
    const next = entries.find(entry => entry.name === segment)
    if (!next) return undefined
    current = next
  }
  return current
}

/**
 * Entries of a tree as the trees API lists them; with `recursive`, every nested entry in
 * git order, each directory before its contents.
 * @param {ObjectStore} store @param {string} treeSha @param {boolean} recursive @param {string} [prefix]
 * @returns {ListedEntry[]}
 */
export function listTree(store, treeSha, recursive, prefix = '') {
  /** @type {ListedEntry[]} */
  const listed = []
  for (const entry of store.tree(treeSha) ?? []) {
    const path = prefix + entry.name
    const type = typeOfMode(entry.mode)
    const size = type === 'blob' ? store.blob(entry.sha)?.length : undefined
    listed.push(
      size === undefined
        ? { path, mode: entry.mode, type, sha: entry.sha }
        : { path, mode: entry.mode, type, sha: entry.sha, size }
    )
    if (recursive && type === 'tree') listed.push(...listTree(store, entry.sha, true, `${path}/`))
  }
  return listed
}

/** Every blob-like leaf (files, symlinks, submodules) keyed by path. @param {ObjectStore} store @param {string} treeSha */
export function flattenTree(store, treeSha) {
  /** @type {Map<string, { mode: EntryMode, sha: string }>} */
  const leaves = new Map()
  for (const entry of listTree(store, treeSha, true)) {
    if (entry.type !== 'tree') leaves.set(entry.path, { mode: entry.mode, sha: entry.sha })
  }
  return leaves
}

/**
 * A directory being edited: entries are loaded from the store and only rewritten when a
 * change touched them.
 */
class DirNode {
  /** @param {ObjectStore} store @param {string | null} sha */
  constructor(store, sha) {
    this.store = store
    /** @type {Map<string, { mode: EntryMode, sha: string | null, node?: DirNode }>} */
    this.entries = new Map()
    for (const entry of sha ? (store.tree(sha) ?? []) : []) {
      this.entries.set(entry.name, { mode: entry.mode, sha: entry.sha })
    }
  }

  /** @param {string} name */
  child(name) {
    const entry = this.entries.get(name)
    if (entry?.node) return entry.node
    const node = new DirNode(this.store, entry?.mode === MODES.tree ? entry.sha : null)
    this.entries.set(name, { mode: MODES.tree, sha: null, node })
    return node
  }

  /** The existing subdirectory at `segments`, without creating any. @param {string[]} segments @returns {DirNode | undefined} */
  find(segments) {
    if (segments.length === 0) return this
    const entry = this.entries.get(segments[0])
    if (entry?.mode !== MODES.tree) return undefined
    return this.child(segments[0]).find(segments.slice(1))
  }

  /** Write this directory (and edited subdirectories); null when it ended up empty. @returns {string | null} */
  write() {
    /** @type {TreeEntry[]} */
    const entries = []
    for (const [name, entry] of this.entries) {
      const sha = entry.node ? entry.node.write() : entry.sha
      if (sha !== null) entries.push({ mode: entry.mode, name, sha })
    }
    return entries.length === 0 ? null : this.store.writeTree(entries)
  }
}

/**
 * Apply path changes to `baseTree` (null: empty tree) and return the new tree's SHA.
 * @param {ObjectStore} store @param {string | null} baseTree @param {TreeChange[]} changes
 */
export function editTree(store, baseTree, changes) {
  const root = new DirNode(store, baseTree)
  for (const change of changes) {
    const segments = splitPath(change.path)
    const leaf = /** @type {string} */ (segments.pop())
    if (change.sha === null) {
      root.find(segments)?.entries.delete(leaf)
      continue
    }
    let dir = root
    for (const segment of segments) dir = dir.child(segment)
    dir.entries.set(leaf, { mode: change.mode, sha: change.sha })
  }
  return root.write() ?? store.writeTree([])
}
