/**
 * Tree comparison for the API's file lists and counts (commit files, compare files, pull
 * request additions/deletions), and the path-level three-way merge behind the merge button.
 */
import { editTree, flattenTree, EMPTY_TREE } from './trees.mjs'

/** @typedef {import('./git-objects.mjs').ObjectStore} ObjectStore */
/** @typedef {{ mode: string, sha: string }} Leaf */
/** @typedef {{ path: string, status: 'added' | 'removed' | 'modified', sha: string, additions: number, deletions: number }} FileDiff */

/**
 * Added and deleted line counts. Lines are matched as a multiset, which equals git's
 * numstat for the edits the action makes (lines replaced in place) without a diff engine.
 * @param {Buffer | undefined} before @param {Buffer | undefined} after
 */
export function lineCounts(before, after) {
  const split = (/** @type {Buffer | undefined} */ bytes) =>
    bytes === undefined || bytes.length === 0
      ? []
      : bytes.toString('utf8').replace(/\n$/, '').split('\n')
  /** @type {Map<string, number>} */
  const remaining = new Map()
  const oldLines = split(before)
  for (const line of oldLines) remaining.set(line, (remaining.get(line) ?? 0) + 1)
  let additions = 0
  for (const line of split(after)) {
    const count = remaining.get(line) ?? 0
    if (count > 0) remaining.set(line, count - 1)
    else additions++
  }
  let deletions = 0
  for (const count of remaining.values()) deletions += count
  return { additions, deletions }
}

/** @param {Leaf | undefined} a @param {Leaf | undefined} b */
function sameLeaf(a, b) {
  return a?.sha === b?.sha && a?.mode === b?.mode
}

/**
 * Files that differ between two trees, sorted by path.
 * @param {ObjectStore} store @param {string | undefined} oldTree @param {string} newTree
 * @returns {FileDiff[]}
 */
export function diffTrees(store, oldTree, newTree) {
  const before = flattenTree(store, oldTree ?? EMPTY_TREE)
  const after = flattenTree(store, newTree)
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort()
  /** @type {FileDiff[]} */
  const diffs = []
  for (const path of paths) {
    const a = before.get(path)
    const b = after.get(path)
    if (sameLeaf(a, b)) continue
    const status = a === undefined ? 'added' : b === undefined ? 'removed' : 'modified'
    const counts = lineCounts(a && store.blob(a.sha), b && store.blob(b.sha))
    diffs.push({ path, status, sha: (b ?? /** @type {Leaf} */ (a)).sha, ...counts })
  }
  return diffs
}

/**
 * Merge `headTree` into `baseTree` relative to `ancestorTree`, path by path: a path changed
 * on one side only takes that side; changed on both sides differently is a conflict.
 * @param {ObjectStore} store @param {string} baseTree @param {string} headTree @param {string | undefined} ancestorTree
 * @returns {{ tree: string, conflicts: string[] }}
 */
export function mergeTrees(store, baseTree, headTree, ancestorTree) {
  const base = flattenTree(store, baseTree)
  const head = flattenTree(store, headTree)
  const ancestor = flattenTree(store, ancestorTree ?? EMPTY_TREE)
  /** @type {import('./trees.mjs').TreeChange[]} */
  const changes = []
  /** @type {string[]} */
  const conflicts = []
  for (const path of new Set([...base.keys(), ...head.keys(), ...ancestor.keys()])) {
    const b = base.get(path)
    const h = head.get(path)
    const a = ancestor.get(path)
    if (sameLeaf(b, h) || sameLeaf(h, a)) continue
    if (!sameLeaf(b, a)) {
      conflicts.push(path)
      continue
    }
    changes.push(
      h === undefined
        ? { path, mode: '100644', sha: null }
        : { path, mode: /** @type {import('./git-objects.mjs').EntryMode} */ (h.mode), sha: h.sha }
    )
  }
  return { tree: editTree(store, baseTree, changes), conflicts: conflicts.sort() }
}
