/**
 * One repository of the double: its object store, refs, settings (default branch, branch
 * protection, auto-merge, Actions PR permission, collaborators) and pull requests.
 */
import { ObjectStore, MODES } from './git-objects.mjs'
import { editTree, lookupPath } from './trees.mjs'

/** @typedef {import('./git-objects.mjs').Signature} Signature */
/** @typedef {import('./git-objects.mjs').EntryMode} EntryMode */
/** @typedef {import('./trees.mjs').TreeChange} TreeChange */
/**
 * @typedef {object} Protection
 * @property {boolean} requirePullRequest
 * @property {string[]} requiredStatusChecks
 */
/**
 * @typedef {object} PullRequest
 * @property {number} number
 * @property {number} id
 * @property {string} nodeId
 * @property {string} title
 * @property {string | null} body
 * @property {'open' | 'closed'} state
 * @property {boolean} draft
 * @property {boolean} merged
 * @property {string | null} mergedAt
 * @property {string | null} mergeCommitSha
 * @property {string | null} mergedBy
 * @property {string} headRef
 * @property {string} headSha last known head commit (kept when the branch is deleted)
 * @property {string} baseRef
 * @property {string} baseSha base head when opened (used when the base branch is gone)
 * @property {string[]} labels
 * @property {string[]} reviewers
 * @property {string[]} teamReviewers
 * @property {string[]} assignees
 * @property {{ mergeMethod: string, enabledBy: string, enabledAt: string } | null} autoMerge
 * @property {string} user
 * @property {string} createdAt
 * @property {string} updatedAt
 * @property {string | null} closedAt
 */
/** @typedef {{ id: number, name: string, color: string, description: string | null }} Label */

const FULL_SHA = /^[0-9a-f]{40}$/i
const SHORT_SHA = /^[0-9a-f]{4,39}$/i

export class Repo {
  /**
   * @param {{ owner: string, name: string, id: number, defaultBranch: string, isPrivate: boolean, createdAt: string }} init
   */
  constructor(init) {
    this.owner = init.owner
    this.name = init.name
    this.fullName = `${init.owner}/${init.name}`
    this.id = init.id
    this.defaultBranch = init.defaultBranch
    this.isPrivate = init.isPrivate
    this.createdAt = init.createdAt
    this.pushedAt = init.createdAt
    this.store = new ObjectStore()
    /** @type {Map<string, string>} full ref name → commit SHA */
    this.refs = new Map()
    /** @type {Map<string, Protection>} */
    this.protection = new Map()
    this.allowAutoMerge = false
    this.actionsCanCreatePullRequests = true
    /** @type {Set<string> | null} null: everyone is a collaborator */
    this.collaborators = null
    /** @type {Set<string> | null} null: every team exists */
    this.teams = null
    /** @type {PullRequest[]} */
    this.pulls = []
    /** @type {Map<string, Label>} keyed by lower-cased name */
    this.labels = new Map()
  }

  /** @param {string} branch */
  branchHead(branch) {
    return this.refs.get(`refs/heads/${branch}`)
  }

  /**
   * A commit-ish as GitHub resolves it in `ref` parameters: full or short SHA, branch,
   * `heads/x`, `refs/heads/x`, tag.
   * @param {string} ref
   */
  resolve(ref) {
    const candidates = ref.startsWith('refs/')
      ? [ref]
      : [`refs/heads/${ref}`, `refs/tags/${ref}`, `refs/${ref}`]
    for (const name of candidates) {
      const sha = this.refs.get(name)
      if (sha) return sha
    }
    if (FULL_SHA.test(ref))
      return this.store.commit(ref.toLowerCase()) ? ref.toLowerCase() : undefined
    if (SHORT_SHA.test(ref)) return this.store.findCommitByPrefix(ref)
    return undefined
  }

  /** @param {string} commitSha */
  treeOf(commitSha) {
    return this.store.commit(commitSha)?.tree
  }

  /** The entry at `path` in commit `commitSha`. @param {string} commitSha @param {string} path */
  entryAt(commitSha, path) {
    const tree = this.treeOf(commitSha)
    return tree === undefined ? undefined : lookupPath(this.store, tree, path)
  }

  /**
   * Write a commit of `changes` on top of `parent` (undefined: a root commit).
   * @param {{ parent: string | undefined, changes: TreeChange[], message: string, author: Signature, committer: Signature, verified: boolean }} spec
   */
  commitChanges(spec) {
    const baseTree = spec.parent === undefined ? null : (this.treeOf(spec.parent) ?? null)
    const tree = editTree(this.store, baseTree, spec.changes)
    return this.store.writeCommit(
      {
        tree,
        parents: spec.parent === undefined ? [] : [spec.parent],
        author: spec.author,
        committer: spec.committer,
        message: spec.message
      },
      spec.verified
    )
  }

  /** @param {string} branch */
  protectionOf(branch) {
    return this.protection.get(branch)
  }

  /**
   * Tree changes for a `{ path: content }` map, as the state API takes it: a string or
   * Buffer is a regular file, null deletes, `{ content, mode }` picks the mode.
   * @param {Record<string, string | Buffer | null | { content: string | Buffer, mode: EntryMode }>} files
   * @returns {TreeChange[]}
   */
  fileChanges(files) {
    return Object.entries(files).map(([path, value]) => {
      if (value === null) return { path, mode: MODES.file, sha: null }
      const isSpec = typeof value === 'object' && !Buffer.isBuffer(value)
      const content = isSpec ? value.content : value
      const mode = isSpec ? value.mode : MODES.file
      return { path, mode, sha: this.store.writeBlob(Buffer.from(content)) }
    })
  }
}
