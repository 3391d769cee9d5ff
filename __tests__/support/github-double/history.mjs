/**
 * Commit ancestry over an ObjectStore: reachability, fast-forward checks, merge bases and
 * the ahead/behind counts of the compare API, all computed from real parent links.
 */

/** @typedef {import('./git-objects.mjs').ObjectStore} ObjectStore */

/**
 * Every commit reachable from `start` (itself included), in breadth-first order.
 * @param {ObjectStore} store @param {string} start
 */
export function ancestors(store, start) {
  /** @type {Set<string>} */
  const seen = new Set()
  const queue = [start]
  // Bounded: each commit of the store is visited at most once.
  while (queue.length > 0) {
    const sha = /** @type {string} */ (queue.shift())
    if (seen.has(sha)) continue
    const commit = store.commit(sha)
    if (!commit) continue
    seen.add(sha)
    queue.push(...commit.parents)
  }
  return seen
}

/** @param {ObjectStore} store @param {string} ancestor @param {string} descendant */
export function isAncestor(store, ancestor, descendant) {
  return ancestors(store, descendant).has(ancestor)
}

/**
 * The nearest common ancestor of `a` and `b` (breadth-first from `b`), or undefined for
 * unrelated histories.
 * @param {ObjectStore} store @param {string} a @param {string} b
 */
export function mergeBase(store, a, b) {
  const fromA = ancestors(store, a)
  for (const sha of ancestors(store, b)) if (fromA.has(sha)) return sha
  return undefined
}

/**
 * Commits reachable from `head` but not from `base`, oldest first (parents before children).
 * @param {ObjectStore} store @param {string} base @param {string} head
 */
export function commitsBetween(store, base, head) {
  const excluded = ancestors(store, base)
  const included = [...ancestors(store, head)].filter(sha => !excluded.has(sha))
  const wanted = new Set(included)
  /** @type {string[]} */
  const ordered = []
  /** @type {Set<string>} */
  const placed = new Set()
  /** @param {string} sha */
  const place = sha => {
    // Iterative post-order so long histories cannot overflow the stack.
    const stack = [{ sha, next: 0 }]
    while (stack.length > 0) {
      const top = stack[stack.length - 1]
      const parents = (store.commit(top.sha)?.parents ?? []).filter(p => wanted.has(p))
      if (top.next < parents.length) {
        const parent = parents[top.next++]
        if (!placed.has(parent)) stack.push({ sha: parent, next: 0 })
        continue
      }
      stack.pop()
      if (!placed.has(top.sha)) {
        placed.add(top.sha)
        ordered.push(top.sha)
      }
    }
  }
  for (const sha of included.reverse()) if (!placed.has(sha)) place(sha)
  return ordered
}

/**
 * The compare API's verdict for `base...head`.
 * @param {ObjectStore} store @param {string} base @param {string} head
 */
export function compareCommits(store, base, head) {
  const ahead = commitsBetween(store, base, head)
  const behind = commitsBetween(store, head, base)
  const status =
    ahead.length === 0 && behind.length === 0
      ? 'identical'
      : behind.length === 0
        ? 'ahead'
        : ahead.length === 0
          ? 'behind'
          : 'diverged'
  return { status, ahead, behind, mergeBase: mergeBase(store, base, head) }
}

/**
 * First-parent history from `start`, newest first, at most `limit` commits.
 * @param {ObjectStore} store @param {string} start @param {number} limit
 */
export function firstParentLog(store, start, limit) {
  /** @type {string[]} */
  const shas = []
  let sha = /** @type {string | undefined} */ (start)
  while (sha !== undefined && shas.length < limit) {
    const commit = store.commit(sha)
    if (!commit) break
    shas.push(sha)
    sha = commit.parents[0]
  }
  return shas
}
