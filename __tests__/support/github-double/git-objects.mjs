/**
 * Git objects as git itself stores them: blobs, trees and commits, hashed with SHA-1 over
 * `<type> <size>\0<content>`. The double answers with these SHAs, so a SHA the action
 * computes or compares is the SHA a real GitHub repository would show.
 */
import { createHash } from 'node:crypto'

/** @typedef {'blob' | 'tree' | 'commit'} ObjectType */
/** @typedef {'100644' | '100755' | '120000' | '160000' | '040000'} EntryMode */
/** @typedef {{ mode: EntryMode, name: string, sha: string }} TreeEntry */
/** @typedef {{ name: string, email: string, date: string }} Signature */
/**
 * @typedef {object} CommitData
 * @property {string} tree
 * @property {string[]} parents
 * @property {Signature} author
 * @property {Signature} committer
 * @property {string} message
 */

export const MODES = Object.freeze({
  file: '100644',
  executable: '100755',
  symlink: '120000',
  submodule: '160000',
  tree: '040000'
})

const VALID_MODES = new Set(Object.values(MODES))

/** @param {string} mode */
export function isValidMode(mode) {
  return VALID_MODES.has(/** @type {EntryMode} */ (mode))
}

/** The object type a tree entry of this mode points to. @param {EntryMode} mode @returns {ObjectType} */
export function typeOfMode(mode) {
  if (mode === MODES.tree) return 'tree'
  if (mode === MODES.submodule) return 'commit'
  return 'blob'
}

/** @param {ObjectType} type @param {Buffer} content */
export function hashObject(type, content) {
  const header = Buffer.from(`${type} ${content.length}\0`, 'utf8')
  return createHash('sha1').update(header).update(content).digest('hex')
}

/**
 * Git orders tree entries by name bytes, comparing a directory as if its name ended in '/'.
 * @param {TreeEntry} a @param {TreeEntry} b
 */
function compareEntries(a, b) {
  const key = (/** @type {TreeEntry} */ e) =>
    Buffer.from(e.mode === MODES.tree ? `${e.name}/` : e.name, 'utf8')
  return Buffer.compare(key(a), key(b))
}

/** Binary tree format: `<mode> <name>\0<20 raw bytes>`; directories are written `40000`. @param {TreeEntry[]} entries */
export function encodeTree(entries) {
  const parts = [...entries].sort(compareEntries).map(entry => {
    const mode = entry.mode === MODES.tree ? '40000' : entry.mode
    return Buffer.concat([
      Buffer.from(`${mode} ${entry.name}\0`, 'utf8'),
      Buffer.from(entry.sha, 'hex')
    ])
  })
  return Buffer.concat(parts)
}

/** @param {Buffer} data @returns {TreeEntry[]} */
export function decodeTree(data) {
  /** @type {TreeEntry[]} */
  const entries = []
  let at = 0
  while (at < data.length) {
    const space = data.indexOf(0x20, at)
    const nul = data.indexOf(0, space)
    const rawMode = data.toString('utf8', at, space)
    const mode = /** @type {EntryMode} */ (rawMode === '40000' ? MODES.tree : rawMode)
    const name = data.toString('utf8', space + 1, nul)
    const sha = data.toString('hex', nul + 1, nul + 21)
    entries.push({ mode, name, sha })
    at = nul + 21
  }
  return entries
}

/** @param {Signature} signature */
function signatureLine(signature) {
  const seconds = Math.floor(Date.parse(signature.date) / 1000)
  return `${signature.name} <${signature.email}> ${seconds} +0000`
}

/** @param {CommitData} commit */
export function encodeCommit(commit) {
  const lines = [`tree ${commit.tree}`]
  for (const parent of commit.parents) lines.push(`parent ${parent}`)
  lines.push(`author ${signatureLine(commit.author)}`)
  lines.push(`committer ${signatureLine(commit.committer)}`)
  return Buffer.from(`${lines.join('\n')}\n\n${commit.message}`, 'utf8')
}

/**
 * One repository's object database. Commits keep their API-level data (ISO dates and the
 * verification verdict) beside the encoded bytes, since the verdict is GitHub's, not git's.
 */
export class ObjectStore {
  constructor() {
    /** @type {Map<string, { type: ObjectType, data: Buffer }>} */
    this.objects = new Map()
    /** @type {Map<string, CommitData & { verified: boolean }>} */
    this.commits = new Map()
  }

  /** @param {Buffer} content */
  writeBlob(content) {
    return this.#write('blob', content)
  }

  /** @param {TreeEntry[]} entries */
  writeTree(entries) {
    return this.#write('tree', encodeTree(entries))
  }

  /** @param {CommitData} commit @param {boolean} verified */
  writeCommit(commit, verified) {
    const sha = this.#write('commit', encodeCommit(commit))
    if (!this.commits.has(sha)) this.commits.set(sha, { ...commit, verified })
    return sha
  }

  /** @param {string} sha */
  typeOf(sha) {
    return this.objects.get(sha)?.type
  }

  /** @param {string} sha @returns {Buffer | undefined} */
  blob(sha) {
    const object = this.objects.get(sha)
    return object?.type === 'blob' ? object.data : undefined
  }

  /** @param {string} sha @returns {TreeEntry[] | undefined} */
  tree(sha) {
    const object = this.objects.get(sha)
    return object?.type === 'tree' ? decodeTree(object.data) : undefined
  }

  /** @param {string} sha */
  commit(sha) {
    return this.commits.get(sha)
  }

  /** Unique commit whose SHA starts with `prefix` (short SHAs, as GitHub accepts them). @param {string} prefix */
  findCommitByPrefix(prefix) {
    const lower = prefix.toLowerCase()
    if (this.commits.has(lower)) return lower
    if (lower.length < 4) return undefined
    const found = [...this.commits.keys()].filter(sha => sha.startsWith(lower))
    return found.length === 1 ? found[0] : undefined
  }

  /** @param {ObjectType} type @param {Buffer} data */
  #write(type, data) {
    const sha = hashObject(type, data)
    if (!this.objects.has(sha)) this.objects.set(sha, { type, data })
    return sha
  }
}
